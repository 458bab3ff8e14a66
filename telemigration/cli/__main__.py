import sys

from telemigration.cli.main import main

sys.exit(main())
