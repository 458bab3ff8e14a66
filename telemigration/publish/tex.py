"""LaTeX building blocks: text escaping, number formatting, labelled equations and tables.

Everything here produces LaTeX that compiles with the packages of Debian's
``texlive-latex-base`` and only ``amsmath`` and ``amssymb`` loaded.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Iterable, Sequence

# Characters with a special meaning in LaTeX text mode. In the OT1 font encoding
# <, > and | print as other glyphs, so they go through math mode; so do $ and the
# section sign, whose text forms need TS1 fonts that texlive-latex-base only has
# as METAFONT sources (pdflatex would generate bitmap fonts on the fly).
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\ensuremath{\$}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
    "<": r"\ensuremath{<}",
    ">": r"\ensuremath{>}",
    "|": r"\ensuremath{|}",
}

# Non-ASCII characters that appear in claim statements and captions (quotes, dashes, math signs).
_UNICODE_TEXT = {
    "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''",
    "\u2013": "--", "\u2014": "---", "\u2026": r"\ldots{}", "\u00a0": "~",
    "\u2212": r"\ensuremath{-}", "\u00d7": r"\ensuremath{\times}", "\u00b7": r"\ensuremath{\cdot}",
    "\u2264": r"\ensuremath{\le}", "\u2265": r"\ensuremath{\ge}", "\u2260": r"\ensuremath{\ne}",
    "\u2248": r"\ensuremath{\approx}", "\u00b1": r"\ensuremath{\pm}", "\u221e": r"\ensuremath{\infty}",
    "\u2192": r"\ensuremath{\to}", "\u21d2": r"\ensuremath{\Rightarrow}", "\u2202": r"\ensuremath{\partial}",
    "\u221a": r"\ensuremath{\surd}", "\u2211": r"\ensuremath{\Sigma}", "\u2208": r"\ensuremath{\in}",
    "\u00b0": r"\ensuremath{^\circ}", "\u2032": r"\ensuremath{'}", "\u00a7": r"\ensuremath{\S}",
    "\u20ac": "EUR", "\u00a3": r"\pounds{}", "\u2022": r"\ensuremath{\bullet}",
}
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi",
    "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma",
    "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
# Combining marks that have a text-mode accent command in plain LaTeX.
_ACCENTS = {"\u0301": "'", "\u0300": "`", "\u0308": '"', "\u0302": "^", "\u0303": "~", "\u0327": "c", "\u030c": "v"}

_LABEL_CHARACTERS = re.compile(r"[^A-Za-z0-9:.\-]")


def escape_text(text: str) -> str:
    """Escape ``text`` for LaTeX text mode, so it prints literally.

    Covers the ten special characters, typographic quotes and dashes, Greek
    letters, common math signs and Latin letters with accents. Any other
    non-ASCII character prints as ``[U+XXXX]`` rather than breaking the build,
    because pdflatex stops on characters its input encoding does not know.
    """
    pieces = []
    for character in str(text):
        pieces.append(_escape_character(character))
    return "".join(pieces)


def _escape_character(character: str) -> str:
    if character in _TEXT_SPECIALS:
        return _TEXT_SPECIALS[character]
    if character.isascii():
        return character
    if character in _UNICODE_TEXT:
        return _UNICODE_TEXT[character]
    if character in _GREEK:
        return rf"\ensuremath{{\{_GREEK[character]}}}"
    decomposed = unicodedata.normalize("NFD", character)
    if len(decomposed) == 2 and decomposed[0].isascii() and decomposed[1] in _ACCENTS:
        command = _ACCENTS[decomposed[1]]
        return rf"\{command}{{{decomposed[0]}}}"
    return f"[U+{ord(character):04X}]"


def label_key(*parts: str) -> str:
    """Build a LaTeX label key such as ``eq:dfs:z-S`` from free-form parts."""
    cleaned = [_LABEL_CHARACTERS.sub("-", part).strip("-") for part in parts]
    return ":".join(part for part in cleaned if part)


def format_number(value: float, digits: int = 6) -> str:
    """Format a float with ``digits`` significant digits for a table cell (text mode)."""
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return r"\ensuremath{\infty}" if number > 0 else r"\ensuremath{-\infty}"
    text = f"{number:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"\ensuremath{{{mantissa} \times 10^{{{int(exponent)}}}}}"
    if text.startswith("-"):
        return r"\ensuremath{-}" + text[1:]
    return text


def format_value(value: object, digits: int = 6) -> str:
    """Format a claim value (number, string, bool, list or mapping) as escaped LaTeX text."""
    if value is None:
        return "--"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return escape_text(f"{value:,}")
    if isinstance(value, float):
        return format_number(value, digits)
    if isinstance(value, dict):
        return "; ".join(f"{escape_text(str(key))}: {format_value(item, digits)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item, digits) for item in value)
    if hasattr(value, "__float__") and not isinstance(value, str):
        return format_number(float(value), digits)
    return escape_text(str(value))


def numbered_equation(body: str, label: str) -> str:
    """Return a numbered ``equation`` environment with ``\\label{label}``."""
    return f"\\begin{{equation}}\\label{{{label}}}\n{body}\n\\end{{equation}}\n"


def tabular(column_spec: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return a ``tabular`` with a rule under the header; cells must already be LaTeX."""
    lines = [f"\\begin{{tabular}}{{{column_spec}}}", "\\hline", " & ".join(header) + r" \\", "\\hline"]
    for row in rows:
        lines.append(" & ".join(row) + r" \\")
    lines += ["\\hline", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def chunked(rows: Sequence[Sequence[str]], size: int) -> list[Sequence[Sequence[str]]]:
    """Split table rows into pieces of at most ``size`` rows, because a tabular cannot break across pages."""
    return [rows[start:start + size] for start in range(0, len(rows), size)] or [rows]
