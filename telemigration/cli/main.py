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
import os
import re
import sys
from typing import Any, Sequence

from telemigration.errors import TelemigrationError

# Subcommand name -> (module, one-line summary for ``--help``). Only the module of
# the requested subcommand is imported, because some import JAX or matplotlib and
# the others should not slow down every start.
COMMANDS = {
    "solve": ("telemigration.cli.solve", "solve the DFS goods-and-services equilibrium"),
    "tipping-point": ("telemigration.cli.tipping_point", "find the regime boundaries along one parameter"),
    "verify": ("telemigration.cli.verify", "check every claim of the paper and audit the derivatives"),
    "quantify": ("telemigration.cli.quantify", "recompute Table 4.4: telemigrant jobs from a fall in a trade cost"),
    "simulate-gravity": ("telemigration.cli.simulate_gravity", "simulate a gravity panel from the structural model"),
    "estimate-gravity": ("telemigration.cli.estimate_gravity", "estimate the gravity regression of Table 4.3 on a CSV panel"),
    "latex": ("telemigration.cli.latex", "write the LaTeX document of derivations, tables and claims"),
    "figures": ("telemigration.cli.figures", "draw the paper's figures from the model (PNG and PDF)"),
    "report": ("telemigration.cli.report", "write and compile the PDF report (needs pdflatex)"),
}
COMMAND_MODULES = tuple(module for module, _ in COMMANDS.values())


class UsageError(TelemigrationError):
    """The command line does not follow the grammar of the subcommand."""

    def __init__(self, message: str, prog: str = "telemigration") -> None:
        self.prog = prog
        super().__init__(message)


# Arguments that argparse must read as values, not options: negative numbers in
# decimal or scientific notation and -inf, -infinity or -nan. The default
# pattern of argparse in Python 3.11 only matches forms like -2 and -0.5, so
# ``--coefficient -1e4`` failed with "expected one argument". No option of this
# command looks like a negative number, so the two cannot be confused.
_NEGATIVE_NUMBER = re.compile(
    r"^-(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$", re.IGNORECASE | re.ASCII
)


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing usage and exiting, and reads -1e4 as a number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse (Python 3.11, ``_parse_optional``) reads this private attribute
        # to decide whether an argument that starts with '-' is an option. NOTE: a
        # later Python that renames it would bring back the old behaviour, which
        # the negative-number tests of tests/test_cli_errors.py would catch.
        self._negative_number_matcher = _NEGATIVE_NUMBER

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, prog=self.prog)


def _requested_command(argv: Sequence[str]) -> str | None:
    """Return the first argument that names a subcommand, or None."""
    for argument in argv:
        if argument in COMMANDS:
            return argument
        if not argument.startswith("-"):
            return None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the parser; only ``command``'s module is imported, or every module when None."""
    parser = _OneLineParser(
        prog="telemigration",
        description="Derive, solve and check the models of Baldwin and Dingel (2021), "
        "'Telemigration and development'.",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log the progress of telemigration (INFO) to standard error"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    for name, (module_name, summary) in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(module_name).add_parser(subparsers)
        else:
            subparsers.add_parser(name, help=summary)
    return parser


def configure_logging(verbose: bool) -> None:
    """Log WARNING and above from every library, and INFO from ``telemigration`` with ``-v``.

    Other libraries stay at WARNING even with ``-v``, because their INFO lines
    (for example JAX's "Unable to initialize backend 'tpu'") are not about the run.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # basicConfig does nothing when the root logger already has a handler, so set the level as well.
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("telemigration").setLevel(logging.INFO if verbose else logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        command = _requested_command(arguments)
        parser = build_parser(command if command is not None else "")
        args = parser.parse_args(arguments)
        configure_logging(args.verbose)
        return int(args.run(args))
    except UsageError as error:
        print(f"{error.prog}: error: {error}", file=sys.stderr)
        return 2
    except TelemigrationError as error:
        print(f"telemigration: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of standard output went away (for example ``| head``). Point
        # stdout at /dev/null so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("telemigration: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
