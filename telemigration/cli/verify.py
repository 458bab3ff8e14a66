"""``telemigration verify``: check every registered claim of Baldwin and Dingel (2021) and audit derivatives.

Claims come from ``telemigration.claims.registry.evaluate_all``; their status
describes the paper (confirmed, approximation, differs), so a claim that the
model contradicts does not fail the command. The derivative audit compares
independent computations of the same comparative statics; the command exits 1
when any audit row disagrees beyond its tolerance, else 0.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import textwrap

from telemigration.cli.options import dump_json, to_json_value

logger = logging.getLogger(__name__)

# Text output is wrapped to the terminal, kept between these widths.
_MIN_WIDTH = 80
_MAX_WIDTH = 100


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``verify`` subcommand."""
    parser = subparsers.add_parser(
        "verify",
        help="check the paper's claims and audit the derivatives",
        description="Recompute every registered claim of Baldwin and Dingel (2021) and run the "
        "derivative audit. Exit status 1 when an audit row disagrees beyond its tolerance, else 0.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def verify_result() -> tuple[dict[str, list], bool]:
    """Evaluate claims and audit; return the JSON-ready result and whether every audit row is ok."""
    from telemigration.claims.audit import run_audit
    from telemigration.claims.registry import evaluate_all

    claims = evaluate_all()
    audit = run_audit()
    failing = [row for row in audit if not row.ok]
    if failing:
        logger.warning("%d of %d audit rows disagree beyond their tolerance", len(failing), len(audit))
    result = {
        "claims": to_json_value([claim.to_dict() for claim in claims], "claims"),
        "audit": to_json_value([row.to_dict() for row in audit], "audit"),
    }
    return result, not failing


def run(args: argparse.Namespace) -> int:
    """Print the claims and the audit; return 1 if an audit row fails, else 0."""
    result, audit_ok = verify_result()
    print(dump_json(result) if args.json else format_text(result))
    return 0 if audit_ok else 1


def _short(value: object, width: int) -> str:
    """Return a value as compact text, cut to ``width`` characters."""
    if isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, dict):
        text = ", ".join(f"{key} {_short(item, width)}" for key, item in value.items())
    elif isinstance(value, list):
        text = ", ".join(_short(item, width) for item in value)
    else:
        text = str(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _audit_summary(audit: list[dict], width: int, indent: str) -> list[str]:
    """Return one line per audited curve and point: parameters, worst gap and outcome."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in audit:
        groups.setdefault((str(row["curve"]), str(row["point"])), []).append(row)
    lines = []
    for (curve, point), rows in groups.items():
        worst = max(rows, key=lambda row: row["max_relative_discrepancy"])
        outcome = "ok" if all(row.get("ok", False) for row in rows) else "FAILED"
        summary = (
            f"{curve}, {point}: {len(rows)} parameters, worst gap "
            f"{worst['max_relative_discrepancy']:.1e} ({worst['worst_pair']}, tolerance {worst['tolerance']:.0e}) {outcome}"
        )
        lines += textwrap.wrap(summary, width=width, initial_indent=indent, subsequent_indent=indent * 2)
    return lines


def format_text(result: dict[str, list], width: int | None = None) -> str:
    """Return the claims as a table and the audit as a summary with its failing rows."""
    if width is None:
        width = min(max(shutil.get_terminal_size((_MAX_WIDTH, 24)).columns, _MIN_WIDTH), _MAX_WIDTH)
    claims = result["claims"]
    id_width = max([len("id")] + [len(claim["id"]) for claim in claims])
    section_width = max([len("section")] + [len(str(claim["section"])) for claim in claims])
    indent = " " * 4
    lines = [
        f"Claims of Baldwin and Dingel (2021), checked against the model ({len(claims)})",
        f"{'id':<{id_width}}  {'section':<{section_width}}  status",
        f"{indent}paper and computed value, then the detail",
        "-" * width,
    ]
    for claim in claims:
        lines.append(
            f"{claim['id']:<{id_width}}  {str(claim['section']):<{section_width}}  {claim['status']}"
        )
        # Values may be long formulas; each gets one line, cut to the width.
        room = width - len(indent) - len("computed  ")
        lines.append(f"{indent}paper     {_short(claim['paper_value'], room)}")
        lines.append(f"{indent}computed  {_short(claim['computed_value'], room)}")
        lines += textwrap.wrap(str(claim["detail"]), width=width, initial_indent=indent, subsequent_indent=indent)

    audit = result["audit"]
    failing = [row for row in audit if not row.get("ok", False)]
    lines += [
        "",
        f"Derivative audit: {len(audit)} rows, {len(audit) - len(failing)} within tolerance, {len(failing)} failing",
        f"{indent}methods compared at each point: autodiff, SymPy implicit function, finite differences,",
        f"{indent}closed form where one exists; worst relative gap over the point's parameters",
    ]
    lines += _audit_summary(audit, width, indent)
    for row in failing:
        lines += textwrap.wrap(
            "FAILED " + "; ".join(f"{key} {_short(value, 60)}" for key, value in row.items() if key != "ok"),
            width=width,
            subsequent_indent=indent,
        )
    return "\n".join(lines)
