"""``telemigration report``: write report.tex with the figures and compile it to report.pdf.

Without pdflatex on PATH the command leaves report.tex and the figures in DIR,
prints one line on how to install pdflatex and exits with status 1.
"""

from __future__ import annotations

import argparse
import sys

from telemigration.cli.options import dump_json
from telemigration.publish.progress import progress_enabled


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="write and compile the PDF report (needs pdflatex)",
        description="Write the figures and report.tex into DIR and compile report.pdf with pdflatex: the claims, "
        "the figures, the derivations and Table 4.4 recomputed. Exit status 1 when pdflatex is not installed.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write and compile the report; return 1 when pdflatex is missing."""
    from telemigration.publish.pdflatex import PdflatexNotFoundError
    from telemigration.publish.atomic import output_directory
    from telemigration.publish.report import REPORT_TEX, write_report

    out = output_directory(args.out)
    try:
        report = write_report(out, show_progress=progress_enabled(args.json))
    except PdflatexNotFoundError as error:
        print(f"telemigration: {error}; {out / REPORT_TEX} is written", file=sys.stderr)
        if args.json:
            print(dump_json({"tex": str(out / REPORT_TEX), "pdf": None, "error": str(error)}))
        return 1
    if args.json:
        print(dump_json({
            "tex": str(report.tex_path), "pdf": str(report.pdf_path),
            "figures": [str(figure.pdf) for figure in report.figures],
        }))
    else:
        print(f"wrote {report.tex_path} and {report.pdf_path}")
    return 0
