"""``telemigration figures``: draw the figures of Baldwin and Dingel (2021), section 5, from the model.

Each figure is written as PNG and PDF; see ``telemigration.publish.figures``.
"""

from __future__ import annotations

import argparse
from telemigration.cli.options import dump_json
from telemigration.publish.progress import progress_enabled, step_progress


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``figures`` subcommand.

    The figure names are checked when the command runs, so that building the
    parser does not import matplotlib and the solvers.
    """
    parser = subparsers.add_parser(
        "figures",
        help="draw the paper's figures from the model (PNG and PDF)",
        description="Draw Figures 5.1 to 5.4, omega against tau_s with tipping points and the service export "
        "elasticities, each as NAME.png and NAME.pdf in DIR.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    parser.add_argument(
        "--only", action="append", metavar="NAME",
        help="draw only this figure, for example figure-5-1; repeatable; an unknown name lists the valid ones",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Draw the figures and list the files written."""
    from telemigration.publish.atomic import output_directory
    from telemigration.publish.figures import FIGURES, write_figures

    out = output_directory(args.out)
    names = args.only or list(FIGURES)
    with step_progress(len(names), "figures", enabled=progress_enabled(args.json)) as advance:
        written = write_figures(out, names, advance=advance)
    if args.json:
        print(dump_json({"figures": [
            {"name": figure.name, "title": figure.title, "png": str(figure.png), "pdf": str(figure.pdf)}
            for figure in written
        ]}))
    else:
        for figure in written:
            print(f"wrote {figure.png} and {figure.pdf}: {figure.title}")
    return 0
