"""``telemigration simulate-gravity``: draw a gravity panel from the structural model and write it as CSV.

The panel follows Baldwin and Dingel (2021), "Telemigration and development",
section 3, with the coefficients of Table 4.3, column 5 (see
``telemigration.models.gravity_data.simulate_gravity_panel``).
"""

from __future__ import annotations

import argparse

from telemigration.cli.options import integer, output_file, write_error
from telemigration.errors import InvalidParameterError
from telemigration.models.gravity_data import MAX_PANEL_CELLS, MAX_YEARS, simulate_gravity_panel
from telemigration.publish.atomic import atomic_output


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``simulate-gravity`` subcommand."""
    parser = subparsers.add_parser(
        "simulate-gravity",
        help="simulate a gravity panel from the structural model",
        description="Draw an origin-destination-year panel from the structural gravity model with the "
        "coefficients of Table 4.3, column 5, and write it as CSV.",
    )
    parser.add_argument("--out", required=True, metavar="DATA.csv", help="CSV file to write (replaced atomically)")
    parser.add_argument(
        "--nations", type=integer, default=20, metavar="N",
        help=f"number of nations, >= 3, with nations^2 x years <= {MAX_PANEL_CELLS:,} to bound memory (default 20)",
    )
    parser.add_argument("--years", type=integer, default=10, metavar="N", help=f"number of years, from 1 to {MAX_YEARS} (default 10)")
    parser.add_argument("--seed", type=integer, default=0, metavar="N", help="seed of the random draw, >= 0 (default 0)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Simulate the panel, write it and print one summary line."""
    target = output_file(args.out, "--out", "DIR/panel.csv")
    try:
        panel = simulate_gravity_panel(args.nations, args.years, args.seed)
    except InvalidParameterError as error:
        if error.parameter not in ("nations", "years", "seed"):
            raise
        raise InvalidParameterError(f"--{error.parameter}", error.value, error.allowed) from None
    try:
        with atomic_output(target) as temporary:
            # 17 significant digits write every float64 exactly.
            panel.data.to_csv(temporary, index=False, float_format="%.17g")
    except OSError as error:
        raise write_error("--out", target, error) from None
    path = args.out
    print(
        f"wrote {len(panel.data)} rows ({args.nations} nations, {args.years} years from "
        f"{panel.settings.first_year}, {panel.zero_flows} zero flows) to {path}"
    )
    return 0
