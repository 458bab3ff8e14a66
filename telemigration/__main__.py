"""Run the ``telemigration`` command as ``python -m telemigration``."""

import sys

from telemigration.cli.main import main

sys.exit(main())
