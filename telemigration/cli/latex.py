"""``telemigration latex``: write the standalone LaTeX document of the workbench.

The document (``telemigration.tex``) is generated from the SymPy objects the
solver uses; see ``telemigration.publish.document``. Notation overrides map a
symbol name, a public parameter name or a curve name to LaTeX; the text is
inserted as LaTeX, never evaluated.
"""

from __future__ import annotations

import argparse
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
        help="print symbol NAME (a symbol or parameter name such as omega, tau_s_ns or A) as LATEX, "
        "for example omega=\\varpi; repeatable; an unknown NAME lists the valid ones",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def notation_names() -> tuple[str, ...]:
    """Return the names ``--notation`` accepts: every symbol of the models, the public parameter names, A, S and B."""
    import sympy as sp

    from telemigration.models import symbols as sym

    names = {value.name for value in vars(sym).values() if isinstance(value, sp.Symbol)}
    names.update(sym.PARAMETER_SYMBOLS)
    names.update(entry.code_name for entry in sym.NOTATION)
    return tuple(sorted(names))


def check_latex_fragment(option: str, item: str, latex: str) -> None:
    """Raise InvalidParameterError unless ``latex`` has balanced braces and no comment sign.

    The text is pasted into the document as it is, so an unbalanced brace or an
    unescaped ``%`` would break every equation after it. This is a minimal
    check: an undefined command still fails only when pdflatex runs.
    """
    depth = 0
    escaped = False
    for character in latex:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "%":
            raise InvalidParameterError(option, item, "the LaTeX contains an unescaped %; write \\% for a percent sign")
        elif character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth < 0:
                break
    if depth != 0:
        raise InvalidParameterError(option, item, "the braces { } of the LaTeX are not balanced")


def parse_notation(items: list[str]) -> dict[str, str]:
    """Turn NAME=LATEX options into a notation override.

    Raises InvalidParameterError on a malformed item, a NAME that is no symbol
    of the models (the message lists the valid ones) or LATEX that fails
    ``check_latex_fragment``.
    """
    allowed = notation_names()
    notation = {}
    for item in items:
        name, separator, latex = item.partition("=")
        name, latex = name.strip(), latex.strip()
        if not separator or not name or not latex:
            raise InvalidParameterError("--notation", item, "expected NAME=LATEX, for example omega=\\varpi")
        if name not in allowed:
            raise InvalidParameterError(
                "--notation", item, f"unknown symbol name {name!r}; expected one of {', '.join(allowed)}"
            )
        check_latex_fragment("--notation", item, latex)
        notation[name] = latex
    return notation


def run(args: argparse.Namespace) -> int:
    """Write the document and print its path."""
    from telemigration.publish.document import write_document

    from telemigration.publish.atomic import output_directory

    out = output_directory(args.out)
    notation = parse_notation(args.notation)
    path = write_document(out, notation or None, show_progress=progress_enabled(args.json))
    if args.json:
        print(dump_json({"document": str(path), "notation": notation}))
    else:
        print(f"wrote {path}")
    return 0
