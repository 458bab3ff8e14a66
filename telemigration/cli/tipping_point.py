"""``telemigration tipping-point``: where the regime changes as one parameter moves.

A tipping point is a parameter value at which a threshold reaches a corner of the
unit interval, so a trade flow starts or stops and omega has a kink (Baldwin and
Dingel 2021, sections 5.2 and 5.3).
"""

from __future__ import annotations

import argparse
import logging

from telemigration.cli.options import (
    SolveInputs,
    add_solve_options,
    dump_json,
    inputs_from_args,
    integer,
    real_number,
    regime_to_dict,
)
from telemigration.errors import InvalidCurveError, InvalidParameterError
from telemigration.models.curves import TabulatedCurve

logger = logging.getLogger(__name__)

# Default number of scan points; telemigration.solvers.tipping.DEFAULT_GRID, repeated
# here so that --help does not import JAX.
DEFAULT_GRID = 65

# Default scan interval per parameter: costs from free trade to a cost of 3, the
# whole unit interval for gamma, and a 16-fold range of the labour ratio around 1.
DEFAULT_BOUNDS: dict[str, tuple[float, float]] = {
    "tau_g": (1.0, 3.0),
    "tau_s": (1.0, 3.0),
    "tau_g_ns": (1.0, 3.0),
    "tau_g_sn": (1.0, 3.0),
    "tau_s_ns": (1.0, 3.0),
    "tau_s_sn": (1.0, 3.0),
    "gamma": (0.0, 1.0),
    "labour_ratio": (0.25, 4.0),
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``tipping-point`` subcommand."""
    parser = subparsers.add_parser(
        "tipping-point",
        help="find the parameter values where the trade regime changes",
        description="Scan one parameter between --lower and --upper, holding the others at the "
        "solve options, and report each value where a threshold reaches 0 or 1 (a trade flow "
        "starts or stops). Default bounds: 1 and 3 for a trade cost, 0 and 1 for gamma, "
        "0.25 and 4 for the labour ratio. Both curves must be continuous (no table:PATH).",
    )
    parser.add_argument(
        "--parameter",
        required=True,
        choices=tuple(DEFAULT_BOUNDS),
        metavar="NAME",
        help=f"the parameter to scan, one of {', '.join(DEFAULT_BOUNDS)}; tau_g and tau_s move both "
        "directions and override the matching solve options",
    )
    parser.add_argument("--lower", type=real_number, metavar="X", help="lower end of the scan")
    parser.add_argument("--upper", type=real_number, metavar="X", help="upper end of the scan")
    parser.add_argument(
        "--grid",
        type=integer,
        default=DEFAULT_GRID,
        metavar="N",
        help=f"number of scan points (default {DEFAULT_GRID}, at least 2), geometrically spaced for trade "
        "costs and the labour ratio and evenly for gamma; raise it when a threshold can leave and "
        "re-enter a corner between two points, which hides both boundaries",
    )
    add_solve_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def scan_bounds(inputs: SolveInputs, parameter: str, lower: float | None, upper: float | None) -> tuple[float, float]:
    """Return the scan interval, checking that each end lies in the parameter's domain and lower < upper."""
    default_lower, default_upper = DEFAULT_BOUNDS[parameter]
    bounds = {"--lower": default_lower if lower is None else lower, "--upper": default_upper if upper is None else upper}
    for flag, value in bounds.items():
        try:
            inputs.params.with_value(parameter, value)
        except InvalidParameterError as error:
            raise InvalidParameterError(flag, value, f"{parameter} outside its domain: {error.allowed}") from None
    if not bounds["--lower"] < bounds["--upper"]:
        raise InvalidParameterError(
            "--lower", bounds["--lower"], f"must be below --upper={bounds['--upper']!r} to scan {parameter}"
        )
    return bounds["--lower"], bounds["--upper"]


def _require_continuous(inputs: SolveInputs) -> None:
    # NOTE: the tipping-point search follows thresholds of continuous curves; with
    # a table the equilibrium moves good by good and is not scanned here.
    for option, spec, curve in (
        ("--goods-curve", inputs.goods_spec, inputs.economy.goods_curve),
        ("--services-curve", inputs.services_spec, inputs.economy.services_curve),
    ):
        if isinstance(curve, TabulatedCurve):
            raise InvalidCurveError(
                option, spec, "tipping-point needs continuous curves; run solve at chosen values for a table"
            )


def tipping_point_result(
    inputs: SolveInputs, parameter: str, lower: float, upper: float, grid: int = DEFAULT_GRID
) -> dict[str, object]:
    """Find the regime boundaries and return what ``tipping-point --json`` prints, before serialisation."""
    from telemigration.solvers.tipping import find_tipping_points

    if grid < 2:
        raise InvalidParameterError("--grid", grid, "expected an integer >= 2 scan points")
    boundaries = find_tipping_points(inputs.economy, inputs.params, parameter, lower, upper, grid=grid)
    return {
        "parameter": parameter,
        "lower": lower,
        "upper": upper,
        "grid": grid,
        "inputs": inputs.to_dict(),
        "boundaries": [
            {
                "value": boundary.value,
                "threshold": boundary.threshold,
                "regime_below": regime_to_dict(boundary.regime_below),
                "regime_above": regime_to_dict(boundary.regime_above),
            }
            for boundary in boundaries
        ],
    }


def run(args: argparse.Namespace) -> int:
    """Scan the parameter and print the boundaries as JSON or text; return the exit status."""
    inputs = inputs_from_args(args)
    _require_continuous(inputs)
    lower, upper = scan_bounds(inputs, args.parameter, args.lower, args.upper)
    logger.info("scanning %s over [%g, %g]", args.parameter, lower, upper)
    result = tipping_point_result(inputs, args.parameter, lower, upper, args.grid)
    print(dump_json(result) if args.json else format_text(result))
    return 0


_FLOW_LABELS = {
    "north_exports_goods": "North goods exports",
    "south_exports_goods": "South goods exports",
    "north_exports_services": "North service exports",
    "south_exports_services": "South service exports",
}


def format_text(result: dict) -> str:
    """Return a readable list of the boundaries of a ``tipping_point_result``."""
    parameter = result["parameter"]
    header = f"Regime changes of the DFS equilibrium as {parameter} moves over [{result['lower']:g}, {result['upper']:g}]"
    boundaries = result["boundaries"]
    if not boundaries:
        return f"{header}\n  none: the regime is the same over the whole interval"
    lines = [header]
    for boundary in boundaries:
        below, above = boundary["regime_below"], boundary["regime_above"]
        changes = []
        for key, label in _FLOW_LABELS.items():
            if below[key] != above[key]:
                changes.append(f"{label} {'start' if above[key] else 'stop'}")
        lines.append(
            f"  {parameter} = {boundary['value']:.10g}: {boundary['threshold']} moves from "
            f"{below['positions'][boundary['threshold']]} to {above['positions'][boundary['threshold']]}"
            + (f"; {', '.join(changes)} above it" if changes else "")
        )
    return "\n".join(lines)
