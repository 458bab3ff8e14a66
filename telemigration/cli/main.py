"""Entry point of the ``telemigration`` command.

Each subcommand lives in its own module of this package and exposes
``add_parser(subparsers)`` and ``run(args) -> int``. Any TelemigrationError, and
any argument error, ends the program with one line on standard error and exit
status 2; tracebacks are never shown for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Sequence

from telemigration.errors import TelemigrationError

# Subcommand modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "telemigration.cli.solve",
    "telemigration.cli.tipping_point",
    "telemigration.cli.verify",
    "telemigration.cli.quantify",
    "telemigration.cli.simulate_gravity",
    "telemigration.cli.estimate_gravity",
    "telemigration.cli.latex",
    "telemigration.cli.figures",
    "telemigration.cli.report",
)


class UsageError(TelemigrationError):
    """The command line does not follow the grammar of the subcommand."""


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every subcommand registered."""
    parser = _OneLineParser(
        prog="telemigration",
        description="Derive, solve and check the models of Baldwin and Dingel (2021), "
        "'Telemigration and development'.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to standard error")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        logging.basicConfig(
            level=logging.INFO if args.verbose else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
        )
        return int(args.run(args))
    except TelemigrationError as error:
        print(f"telemigration: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("telemigration: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
