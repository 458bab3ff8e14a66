"""``telemigration quantify``: telemigrant jobs from a fall in a trade cost (Table 4.4 of Baldwin and Dingel 2021).

The default run recomputes Table 4.4: log distance falls by 25%, with the
coefficient -0.707 (se 0.029) of Table 4.3 column 5. Text output shows the
first-order and exact jobs increases next to the printed cells. ``--json``
prints the inputs used, the percent increase with the exact one's 95% interval,
and every cell.
"""

from __future__ import annotations

import argparse

from telemigration.cli.main import UsageError
from telemigration.cli.options import dump_json, real_number
from telemigration.errors import InvalidParameterError
from telemigration.quantification.data import load_printed_table_4_4
from telemigration.quantification.jobs import (
    DEFAULT_COLUMN,
    DEFAULT_HOURS,
    MAX_HOURS,
    MIN_HOURS,
    Quantification,
    quantify,
)
from telemigration.quantification.shifters import DEFAULT_DISTANCE_FALL, MAX_TIME_ZONE_DIFF, SHIFTERS

# Parameter names of ``quantify`` mapped to the options that set them, so errors name the option.
_OPTIONS = {
    "shifter": "--shifter", "change": "--change", "level": "--level", "column": "--column",
    "coefficient": "--coefficient", "se": "--se", "hours": "--hours",
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``quantify`` subcommand."""
    parser = subparsers.add_parser(
        "quantify",
        help="recompute Table 4.4: telemigrant jobs from a fall in a trade cost",
        description="Turn a change in one gravity regressor into a percent increase of OBS exports "
        "(first order and exact, with a 95% interval) and into telemigrant jobs for the cells of "
        "Table 4.4 of Baldwin and Dingel (2021).",
    )
    parser.add_argument(
        "--shifter", default="log_distance", metavar="NAME",
        help=f"regressor that changes: {', '.join(SHIFTERS)} (default log_distance)",
    )
    parser.add_argument(
        "--column", metavar="TABLE:COL",
        help=f"take the coefficient and se from this column of Tables 4.1-4.3 (default {DEFAULT_COLUMN})",
    )
    parser.add_argument(
        "--coefficient", type=real_number, metavar="X",
        help="coefficient given by hand (needs --se); negative values such as -0.707 or -1e-2 are accepted",
    )
    parser.add_argument("--se", type=real_number, metavar="X", help="standard error of --coefficient, > 0")
    parser.add_argument(
        "--change", type=real_number, metavar="X",
        help=f"fraction in (0, 1) by which distance or the time-zone difference falls "
        f"(default {DEFAULT_DISTANCE_FALL}); dummies are switched on and take none",
    )
    parser.add_argument(
        "--level", type=real_number, metavar="X",
        help=f"current time-zone difference in hours, in (0, {MAX_TIME_ZONE_DIFF:g}]; required by time_zone_diff only",
    )
    parser.add_argument(
        "--hours", type=real_number, default=DEFAULT_HOURS, metavar="N",
        help=f"hours worked a year, in [{MIN_HOURS:g}, {MAX_HOURS:g}], the hours of a leap year (default 2000)",
    )
    parser.add_argument("--data-dir", metavar="DIR", help="read the paper's CSV files from DIR instead of the shipped copies")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the quantification as text or JSON; return 0."""
    try:
        result = quantify(
            shifter=args.shifter, change=args.change, level=args.level, column=args.column,
            coefficient=args.coefficient, std_error=args.se, hours=args.hours, data_dir=args.data_dir,
        )
    except InvalidParameterError as error:
        if error.parameter == "level" and error.value is None:
            raise UsageError(
                f"--level is required for the {args.shifter} shifter (hours of time-zone difference), "
                "e.g. --level 10.5; it is missing (level=None)",
                prog="telemigration quantify",
            ) from None
        flag = _OPTIONS.get(error.parameter)
        if flag is None:
            raise
        raise InvalidParameterError(flag, error.value, error.allowed) from None
    if args.json:
        print(dump_json(result.to_dict()))
    else:
        printed = {(cell.destination, cell.origin): cell for cell in load_printed_table_4_4(args.data_dir)}
        print(format_text(result, printed))
    return 0


def _number(value: float, digits: int) -> str:
    # Fixed decimals for ordinary sizes, the general format beyond, so a huge or
    # tiny value keeps its column narrow. JSON output keeps every digit.
    if value == 0.0 or 1e-3 <= abs(value) < 1e6:
        return f"{value:.{digits}f}"
    return f"{value:.4g}"


def _percent(value: float) -> str:
    return f"{_number(100.0 * value, 2)}%"


def format_text(result: Quantification, printed: dict) -> str:
    """Lay out Table 4.4 recomputed, with first-order and exact values next to the printed ones."""
    percent = result.percent
    lines = [
        f"Table 4.4 recomputed: {result.shift.describe()}",
        f"coefficient {result.coefficient.value:.6g} (se {result.coefficient.std_error:.6g}), "
        f"{result.coefficient.source}; {result.hours:g} hours a year",
        f"percent increase: first order {_percent(percent.first_order)}, exact {_percent(percent.exact)}",
        f"  exact 95% interval {_percent(percent.exact_ci95.lower)} to {_percent(percent.exact_ci95.upper)} "
        f"({percent.exact_ci95.method})",
        f"  delta method gives {_percent(percent.exact_ci95_delta.lower)} to {_percent(percent.exact_ci95_delta.upper)}",
        "rows marked 'printed' are Table 4.4 as published (25% less distance, coefficient -0.707)",
    ]
    destinations = list(dict.fromkeys(cell.destination for cell in result.cells))
    for destination in destinations:
        cells = [cell for cell in result.cells if cell.destination == destination]
        printed_cells = [printed.get((cell.destination, cell.origin)) for cell in cells]

        def row(label: str, values: list, digits: int) -> str:
            # The leading space keeps columns apart when a value needs all 10 places or more.
            text = "".join(f" {'-' if value is None else _number(value, digits):>10}" for value in values)
            return f"{label:<34}{text}"

        lines += [
            "",
            f"Telemigrants selling to {destination}",
            f"{'':<34}" + "".join(f" {cell.origin:>10}" for cell in cells),
            row(f"{destination} OBS imports 2019 (billion USD)", [cell.imports_busd for cell in cells], 2),
            row("hourly wage (USD)", [cell.hourly_wage for cell in cells], 2),
            row("base jobs (millions)", [cell.base_jobs_millions for cell in cells], 4),
            row("  printed", [None if p is None else p.base_jobs_millions for p in printed_cells], 2),
            row("percent increase, first order", [percent.first_order] * len(cells), 5),
            row("percent increase, exact", [percent.exact] * len(cells), 5),
            row("  printed", [None if p is None else p.percent_increase for p in printed_cells], 2),
            row("jobs increase (millions), 1st ord.", [cell.jobs_increase_first_order_millions for cell in cells], 4),
            row("jobs increase (millions), exact", [cell.jobs_increase_exact_millions for cell in cells], 4),
            row("  printed", [None if p is None else p.jobs_increase_millions for p in printed_cells], 2),
        ]
    return "\n".join(lines)
