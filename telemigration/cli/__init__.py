"""The ``telemigration`` command-line interface."""
