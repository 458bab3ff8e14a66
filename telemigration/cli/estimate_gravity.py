"""``telemigration estimate-gravity``: estimate the gravity regression of Table 4.3 on a CSV panel.

Baldwin and Dingel (2021), "Telemigration and development", section 4.2: OLS of
log flows (the default) or PPML of flows on log distance, log distance times the
trend (year minus the first year in the file), the time-zone difference and the
shared-language, colonial-link and legal-origin indicators, with origin-year and
destination-year fixed effects and standard errors clustered by pair. Prints a
coefficient table, or JSON with ``--json``, and writes a LaTeX tabular with
``--latex PATH``. Rows whose origin equals the destination are dropped and
counted as domestic; PPML divides the flows by a power of ten first (see
``telemigration.estimation.gravity``).
"""

from __future__ import annotations

import argparse
import logging

from telemigration.cli.options import dump_json, output_file, write_error
from telemigration.estimation.gravity import METHODS, GravityEstimate, estimate_gravity
from telemigration.models.gravity_data import read_gravity_csv
from telemigration.publish.atomic import atomic_write_text

logger = logging.getLogger(__name__)

# Row labels of the tables, in the wording of Table 4.3.
_LABELS = {
    "log_distance": "Distance (log)",
    "log_distance_trend": "Distance (log) x trend",
    "time_zone_diff": "Time-zone difference",
    "shared_language": "Shared language",
    "colonial_link": "Colonial link",
    "shared_legal_origin": "Shared legal origin",
}
_LATEX_LABELS = {name: label.replace(" x ", r" $\times$ ") for name, label in _LABELS.items()}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``estimate-gravity`` subcommand."""
    parser = subparsers.add_parser(
        "estimate-gravity",
        help="estimate the gravity regression of Table 4.3 on a CSV panel",
        description="Estimate a gravity regression with origin-year and destination-year fixed effects "
        "(pyfixest) on a CSV with columns origin, destination, year, flow, distance, time_zone_diff, "
        "shared_language, colonial_link, shared_legal_origin.",
    )
    parser.add_argument("data", metavar="DATA.csv", help="the panel to estimate on")
    parser.add_argument(
        "--method", choices=METHODS, default="ols",
        help="ols: log flow, drops zero flows (default); ppml: Poisson pseudo-maximum likelihood, keeps zeros",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the text table")
    parser.add_argument("--latex", metavar="PATH", help="also write the coefficients as a LaTeX tabular to PATH")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read the panel, estimate, and print and write the results."""
    latex_path = output_file(args.latex, "--latex", "DIR/table.tex") if args.latex else None
    data = read_gravity_csv(args.data)
    estimate = estimate_gravity(data, args.method, source=args.data)
    if latex_path is not None:
        try:
            path = atomic_write_text(latex_path, format_latex(estimate))
        except OSError as error:
            raise write_error("--latex", latex_path, error) from None
        logger.info("wrote the LaTeX table to %s", path)
    print(dump_json(estimate.to_dict()) if args.json else format_text(estimate))
    return 0


def format_text(estimate: GravityEstimate) -> str:
    """Lay out the coefficients with standard errors and 95% intervals, and the sample."""
    dropped = estimate.dropped
    lines = [
        f"gravity regression ({estimate.method.upper()}), {estimate.n_obs} observations of {estimate.n_input} rows",
        f"fixed effects: {', '.join(estimate.fixed_effects)}; standard errors {estimate.vcov}",
        f"trend = year - {estimate.first_year}",
        f"dropped: {dropped.zero_flows} zero flows, {dropped.missing_flows} missing flows, "
        f"{dropped.separated} separated, {dropped.singletons} singletons, "
        f"{dropped.domestic} domestic (origin = destination)",
    ]
    if estimate.flow_scale != 1.0:
        lines.append(f"flows divided by {estimate.flow_scale:g} before PPML; slopes and standard errors are unchanged")
    lines += [
        "",
        f"{'regressor':<24} {'estimate':>10} {'std. error':>11} {'95% interval':>22}",
    ]
    for coefficient in estimate.coefficients:
        low, high = coefficient.ci95
        lines.append(
            f"{_LABELS[coefficient.name]:<24} {coefficient.estimate:>10.4f} {coefficient.se:>11.4f} "
            f"{f'[{low:.4f}, {high:.4f}]':>22}"
        )
    return "\n".join(lines)


def format_latex(estimate: GravityEstimate) -> str:
    """Return a small LaTeX tabular: estimates with standard errors in parentheses, then the sample size."""
    lines = [
        r"\begin{tabular}{lr}",
        r"\hline",
        f"& {estimate.method.upper()} \\\\",
        r"\hline",
    ]
    for coefficient in estimate.coefficients:
        lines.append(f"{_LATEX_LABELS[coefficient.name]} & {coefficient.estimate:.3f} \\\\")
        lines.append(f"& ({coefficient.se:.3f}) \\\\")
    lines += [
        r"\hline",
        f"Observations & {estimate.n_obs} \\\\",
        r"Fixed effects & origin-year, destination-year \\",
        r"\hline",
        r"\end{tabular}",
        "",
    ]
    return "\n".join(lines)
