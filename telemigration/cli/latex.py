"""``telemigration latex``: write the standalone LaTeX document of the workbench.

The document (``telemigration.tex``) is generated from the SymPy objects the
solver uses; see ``telemigration.publish.document``. Notation overrides map a
symbol name, a public parameter name or a curve name to LaTeX; the text is
inserted as LaTeX, never evaluated.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from telemigration.cli.options import dump_json
from telemigration.errors import InvalidParameterError
from telemigration.publish.progress import progress_enabled


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``latex`` subcommand."""
    parser = subparsers.add_parser(
        "latex",
        help="write the LaTeX document of derivations, tables and claims",
        description="Write telemigration.tex (article class, amsmath and amssymb only) into DIR: notation, "
        "the gravity and DFS derivations, the footnote-15 cubic, d omega/d tau_s by regime, Table 4.4 "
        "recomputed and the claims with their statuses.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory (created if missing)")
    parser.add_argument(
        "--notation", action="append", default=[], metavar="NAME=LATEX",
        help="print symbol NAME as LATEX, for example omega=\\varpi; repeatable",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def parse_notation(items: list[str]) -> dict[str, str]:
    """Turn NAME=LATEX options into a notation override; raises InvalidParameterError on a malformed item."""
    notation = {}
    for item in items:
        name, separator, latex = item.partition("=")
        if not separator or not name.strip() or not latex.strip():
            raise InvalidParameterError("--notation", item, "expected NAME=LATEX, for example omega=\\varpi")
        notation[name.strip()] = latex.strip()
    return notation


def run(args: argparse.Namespace) -> int:
    """Write the document and print its path."""
    from telemigration.publish.document import write_document

    notation = parse_notation(args.notation)
    path = write_document(Path(args.out), notation or None, show_progress=progress_enabled(args.json))
    if args.json:
        print(dump_json({"document": str(path), "notation": notation}))
    else:
        print(f"wrote {path}")
    return 0
