"""The sections of the LaTeX documents, each generated from the workbench's own objects.

Every equation comes from a SymPy object of ``telemigration.models`` or
``telemigration.derivations`` (the same objects the solver compiles), every
number from a computation of ``telemigration.derivations.closed_forms``,
``telemigration.quantification`` or ``telemigration.claims``. Nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import sympy as sp

from telemigration.derivations import closed_forms, dfs
from telemigration.derivations.dfs import Derivation, PrintedFormCheck
from telemigration.models import symbols as sym
from telemigration.models.symbols import NOTATION
from telemigration.publish.mathtext import math_text
from telemigration.publish.render import Notation, chain_latex, equation_sides, step_label, to_latex
from telemigration.publish.tex import (
    chunked,
    escape_text,
    format_number,
    format_value,
    label_key,
    numbered_equation,
    tabular,
)


@dataclass(frozen=True)
class Section:
    """One section of a document: a label key, a title (plain text) and the LaTeX body."""

    key: str
    title: str
    body: str

    def latex(self, level: str = "section") -> str:
        """Return the section heading, its label ``sec:<key>`` and the body."""
        return f"\\{level}{{{math_text(self.title)}}}\\label{{sec:{self.key}}}\n\n{self.body}\n"


def notation_section(notation: Notation | None = None) -> Section:
    """Build the notation table from ``telemigration.models.symbols.NOTATION`` with overrides applied."""
    rows = []
    for entry in NOTATION:
        symbol_latex = entry.latex
        if isinstance(entry.symbol, sp.Symbol) and notation:
            override = notation.get(entry.code_name, notation.get(entry.symbol, notation.get(entry.symbol.name)))
            symbol_latex = override if override is not None else symbol_latex
        rows.append((
            rf"\texttt{{{escape_text(entry.code_name)}}}",
            f"${symbol_latex}$",
            math_text(entry.meaning),
            escape_text(entry.source),
            f"${entry.domain}$",
        ))
    body = (
        "Symbols of the DFS models of Baldwin and Dingel (2021), sections 5.1 to 5.3, with the name used in "
        "the Python API. ``NS'' is North selling in the South and ``SN'' South selling in the North; "
        "thresholds are shares of the unit interval.\n\n"
        "\\begin{center}\\small\n"
        + tabular("l l p{0.25\\textwidth} l l", ["code name", "symbol", "meaning", "source", "domain"], rows)
        + "\\end{center}\n"
    )
    return Section("notation", "Notation", body)


def _printed_check_latex(chain_name: str, check: PrintedFormCheck, notation: Notation | None) -> str:
    left, right = equation_sides(check.printed, notation)
    label = label_key("eq", chain_name, "printed", check.name)
    verdict = "follows from the derivation" if check.follows else "does not follow from the derivation"
    text = (
        f"\\noindent\\textbf{{As printed: {escape_text(check.name)}}} (reading: {math_text(check.reading)}) "
        f"{verdict}.\n"
        + numbered_equation(f"{left} = {right}", label)
    )
    if not check.follows:
        remainder_label = label_key("eq", chain_name, "remainder", check.name)
        text += (
            f"After substituting the derived steps, the two sides of \\eqref{{{label}}} differ by\n"
            + numbered_equation(f"\\Delta = {to_latex(check.remainder, notation)}", remainder_label)
            + "which is not identically zero.\n\n"
        )
    return text


def _derivation_latex(title: str, derivation: Derivation, notation: Notation | None) -> str:
    chain = derivation.chain
    text = f"\\subsection{{{math_text(title)}}}\n\n" + chain_latex(chain, notation)
    for check in derivation.printed:
        text += "\n" + _printed_check_latex(chain.name, check, notation)
    return text


def dfs_goods_section(notation: Notation | None = None) -> Section:
    """Build section 5.1's derivations: the thresholds, the labour market with eq. (1), the goods-only case with eq. (2)."""
    derivations = dfs.all_derivations()
    labour = derivations["labour market"]
    goods_only = derivations["goods only"]
    eq1 = labour.printed_check("eq-1")
    intro = (
        "Each derived line below was checked by SymPy: the premises it names were solved and substituted, "
        "and the difference of its two sides simplified to zero. A printed form that does not follow is "
        "shown with the difference that remains.\n\n"
    )
    eq2_summary = "; ".join(
        f"{escape_text(check.name)} ({math_text(check.reading)}): {'follows' if check.follows else 'does not follow'}"
        for check in goods_only.printed
    )
    labour_label = step_label(labour.chain, labour.chain["labour market"])
    notes = (
        "\\paragraph{Where the printed forms differ.} "
        f"The labour-market condition \\eqref{{{labour_label}}} has $B(z_S)$ in the numerator and $B(z_N)$ in "
        f"the denominator; equation (1) as extracted {'agrees' if eq1.follows else 'swaps them and does not follow'}. "
        f"Equation (2) is garbled in the extract; the readings tested are: {eq2_summary}.\n"
    )
    body = (
        intro
        + _derivation_latex("Equal-price thresholds (equation (1), section 5.2)", derivations["thresholds"], notation)
        + _derivation_latex("North's labour market with goods only (equation (1))", labour, notation)
        + _derivation_latex("Goods only with A(z) = 1/z, b = 1, L = L* (equation (2))", goods_only, notation)
        + notes
    )
    return Section("dfs-goods", "DFS with goods (Baldwin and Dingel 2021, section 5.1)", body)


def goods_services_section(notation: Notation | None = None) -> Section:
    """Build section 5.2's derivation: the goods-and-services labour market and equation (3)."""
    derivation = dfs.all_derivations()["goods and services"]
    chain = derivation.chain
    eq3 = step_label(chain, chain["eq-3"])
    body = (
        "With an upper-tier Cobb-Douglas share $\\gamma$ on goods and $1-\\gamma$ on service tasks, the "
        "equal-price conditions gain two task thresholds and North's labour market becomes the condition below. "
        f"Equation (3), line \\eqref{{{eq3}}}, is its form in the regime where South sells no services "
        "($t_N = 1$).\n\n"
        + chain_latex(chain, notation)
    )
    for check in derivation.printed:
        body += "\n" + _printed_check_latex(chain.name, check, notation)
    return Section("goods-services", "Goods and service tasks (section 5.2)", body)


def free_trade_section(notation: Notation | None = None) -> Section:
    """Build footnote 15: the free-trade cubic derived step by step, its real root in radicals and its value."""
    chain = closed_forms.free_trade_chain()
    half = closed_forms.free_trade_root(sp.Rational(1, 2))
    golden = closed_forms.free_trade_root(1)
    plastic = closed_forms.free_trade_root(0)
    cubic_at_half = to_latex(sp.Eq(half.polynomial.as_expr(), 0), notation)
    omega = to_latex(sym.omega, notation)
    bar = f"\\bar{{{omega}}}"
    radicals = half.latex()
    body = (
        "With free trade in both sectors there is one goods threshold and one task threshold "
        "(Baldwin and Dingel 2021, footnote 15). With $A(z) = 1/z$ and $S(t) = 1/\\sqrt{t}$:\n\n"
        + chain_latex(chain, notation)
        + "\nAt $\\gamma = 1/2$ the cubic is\n"
        + numbered_equation(cubic_at_half, "eq:free-trade:cubic-half")
        + "and its only positive root, in real radicals (checked against SymPy's isolated root to "
        f"{half.digits_checked} digits), is\n"
        + numbered_equation(f"{bar} = {radicals} \\approx {format_number(half.value, 9)}", "eq:free-trade:root")
        + f"At $\\gamma = 1$ the root is the golden ratio, $\\bar\\omega = {sp.latex(golden.radicals or golden.exact)} "
        f"\\approx {format_number(golden.value, 9)}$; at $\\gamma = 0$ it is the plastic number, "
        f"$\\bar\\omega \\approx {format_number(plastic.value, 9)}$.\n"
    )
    return Section("free-trade", "Free trade: the footnote-15 cubic", body)


def interior_polynomial_section(notation: Notation | None = None) -> Section:
    """Build the interior-regime polynomial in omega with directional trade costs (section 5.3)."""
    chain = closed_forms.interior_polynomial_chain()
    polynomial = sp.Poly(chain["cubic"].equation.rhs, sym.omega)
    body = (
        "With $A(z) = 1/z$, $S(t) = 1/\\sqrt{t}$, $B(z) = z$, costs that differ by direction, any $\\gamma$ and "
        "$\\ell = L^*/L$, every threshold interior, the labour-market condition becomes a cubic in "
        "$\\omega$. The steps, each checked by SymPy:\n\n"
        + chain_latex(chain, notation)
        + "\nCollected by powers of $\\omega$, the cubic reads\n"
        + numbered_equation(to_latex(polynomial, notation), "eq:interior:collected")
        + "Its positive root is the equilibrium wherever all four thresholds lie inside $(0, 1)$.\n"
    )
    return Section("interior-polynomial", "The interior polynomial with trade costs (section 5.3)", body)


def table_4_4_section() -> Section:
    """Build Table 4.4 recomputed: base jobs and job increases, first order and exact, beside the printed cells."""
    from telemigration.quantification import quantify
    from telemigration.quantification.data import load_printed_table_4_4

    result = quantify()
    printed = {(cell.destination, cell.origin): cell for cell in load_printed_table_4_4()}
    rows = []
    for cell in result.cells:
        paper = printed.get((cell.destination, cell.origin))
        rows.append((
            escape_text(cell.destination), escape_text(cell.origin),
            format_number(cell.imports_busd, 4), format_number(cell.hourly_wage, 4),
            format_number(cell.base_jobs_millions, 3),
            format_number(paper.base_jobs_millions, 3) if paper else "--",
            format_number(cell.jobs_increase_first_order_millions, 3),
            format_number(cell.jobs_increase_exact_millions, 3),
            format_number(paper.jobs_increase_millions, 3) if paper else "--",
        ))
    percent = result.percent
    coefficient = result.coefficient
    # The table comes first: LaTeX keeps a heading with the line after it, so the
    # table cannot drift onto a page of its own, away from its section.
    table = (
        "\\begin{center}\\small\n"
        + tabular(
            "l l r r r r r r r",
            ["to", "from", "imports", "wage", "base jobs", "printed", "first order", "exact", "printed"],
            rows,
        )
        + "\\end{center}\n"
    )
    body = table + (
        f"Experiment: {escape_text(result.shift.describe())}; coefficient {format_number(coefficient.value, 4)} "
        f"(standard error {format_number(coefficient.std_error, 3)}, {escape_text(coefficient.source)}); "
        f"{format_number(result.hours, 5)} hours a year. Base jobs are imports divided by the hourly wage "
        "times the hours. The percent increase of exports is "
        f"{format_number(100 * percent.first_order, 4)}\\% to first order, as in the paper, and "
        f"{format_number(100 * percent.exact, 4)}\\% exactly under constant-elasticity gravity "
        f"(95\\% interval {format_number(100 * percent.exact_ci95.lower, 4)}\\% to "
        f"{format_number(100 * percent.exact_ci95.upper, 4)}\\%, {escape_text(percent.exact_ci95.method)}). "
        "Jobs in millions; imports in billions of 2019 USD; wages in USD an hour.\n"
    )
    return Section("table-4-4", "Table 4.4 recomputed (section 4.3)", body)


def gravity_section(notation: Notation | None = None) -> Section:
    """Build section 3's structural gravity derivation, one checked step per line."""
    from telemigration.derivations.gravity import gravity_chain

    chain = gravity_chain()
    body = (
        "Workers in each of $R$ nations sell a nationally differentiated service (Armington) to every "
        "destination, under CES demand, perfect competition and market clearing (Baldwin and Dingel 2021, "
        "section 3). Each derived line was checked by SymPy from the lines it names.\n\n"
        + chain_latex(chain, notation)
        + "\nThe origin and destination fixed effects absorb the two bracketed terms of the log-linear form, "
        "so a regression of $\\ln V_{o,d}$ on log trade-cost shifters with both sets of fixed effects identifies "
        "$1-\\sigma$ times each shifter's elasticity.\n"
    )
    return Section("gravity", "Structural gravity for trade in services (section 3)", body)


# Regimes whose d omega/d tau_s the document shows, by code (z_S, z_N, t_S, t_N;
# L lower corner, I interior, U upper corner) and description.
IMPLICIT_REGIMES = (
    ("IIII", "every threshold interior: both countries sell goods and services abroad"),
    ("IIIU", "South sells no services in the North ($t_N = 1$), the regime of equation (3)"),
    ("IILI", "North sells no services in the South ($t_S = 0$)"),
    ("IILU", "no services are traded ($t_S = 0$, $t_N = 1$)"),
)

# Characters of LaTeX source per display line when a long sum is broken over
# several lines. About 150 characters of this output (primes, subscripts,
# Greek letters) fill the 16 cm text block, so a line stays within the margin.
_LINE_BUDGET = 150


def _broken_sum(expression: sp.Expr, names: dict[str, str], notation: Notation | None) -> str:
    merged = {**(notation or {}), **names}
    whole = to_latex(expression, merged)
    if len(whole) <= _LINE_BUDGET:
        return whole
    # A long product such as a common factor times a sum is expanded, so it can break between terms.
    terms = sp.Add.make_args(sp.expand(expression))
    lines: list[str] = []
    current = ""
    for term in terms:
        rendered = to_latex(term, merged)
        piece = rendered if not current else (f"- {rendered[1:]}" if rendered.startswith("-") else f"+ {rendered}")
        if current and len(current) + len(piece) > _LINE_BUDGET:
            lines.append(current)
            current = rendered if rendered.startswith("-") else f"+ {rendered}"
        else:
            current = f"{current} {piece}".strip()
    lines.append(current)
    # Continuation lines stay unnumbered; the caller labels the last one.
    return " \\notag \\\\\n&\\quad ".join(lines)


def implicit_section(notation: Notation | None = None) -> Section:
    """Build d omega/d tau_s per regime: the implicit-function formula for any curves and under A = 1/z, S = 1/sqrt(t)."""
    from telemigration.derivations.latex import condition
    from telemigration.publish.render import compact_derivatives

    omega = to_latex(sym.omega, notation)
    tau_s = to_latex(sym.tau_s, notation)
    body = (
        "Write the equilibrium as $F(x, p) = 0$ with $x = (\\omega, z_S, z_N, t_S, t_N)$, the thresholds that "
        "sit at a corner fixed at 0 or 1. Where $\\partial F/\\partial x$ is invertible, "
        "$dx/dp = -(\\partial F/\\partial x)^{-1}\\, \\partial F/\\partial p$. SymPy solves this system for "
        f"$d{omega}/d{tau_s}$ with a common service cost $\\tau_s^{{NS}} = \\tau_s^{{SN}} = {tau_s}$ and common goods "
        "cost $\\tau_g$, first for general curves $A$, $S$ and spending $B$ (primes are derivatives at the "
        "thresholds), then for $A(z) = 1/z$, $S(t) = 1/\\sqrt{t}$, $B(z) = z$. At a regime boundary the "
        "derivative is one-sided: each side is the formula of the adjacent regime. A regime code gives the "
        "position of $z_S$, $z_N$, $t_S$, $t_N$ in that order: L at the lower corner 0, I interior, U at the "
        "upper corner 1.\n\n"
    )
    for code, description in IMPLICIT_REGIMES:
        general = condition(f"domega-dtau_s-general:{code}")
        power = condition(f"domega-dtau_s:{code}")
        compact, names = compact_derivatives(general.rhs)
        numerator, denominator = sp.fraction(sp.together(compact))
        label = label_key("eq", "implicit", code)
        body += f"\\subsection*{{Regime {code}: {description}}}\n"
        if denominator == 1:
            body += numbered_equation(f"\\frac{{d{omega}}}{{d{tau_s}}} = {to_latex(compact, {**(notation or {}), **names})}", label)
        else:
            body += (
                f"For any curves, $d{omega}/d{tau_s} = N/D$ with\n"
                "\\begin{align}\n"
                f"N &= {_broken_sum(numerator, names, notation)} \\label{{{label}:numerator}} \\\\\n"
                f"D &= {_broken_sum(denominator, names, notation)} \\label{{{label}:denominator}}\n"
                "\\end{align}\n"
            )
        body += (
            "and with $A(z) = 1/z$, $S(t) = 1/\\sqrt{t}$, $B(z) = z$:\n"
            + numbered_equation(to_latex(power, notation), f"{label}:power")
        )
    return Section("implicit", "Comparative statics: d omega / d tau_s by regime (section 5.3)", body)


# Rows per claims tabular; a tabular cannot break across pages.
_CLAIM_ROWS_PER_TABLE = 6


def claim_value_latex(value: object) -> str:
    """Render a claim's value as LaTeX.

    A SymPy object prints with ``sympy.latex``. A string in SymPy's own syntax
    (it contains ``Eq(``) is set in typewriter type with break points, because
    the claims report only its text and text from a result is never parsed
    back into SymPy. Other strings go through ``math_text``, so formulas such
    as ``z_N = tau^2 z_S`` print as math, and other values as escaped text.
    """
    if isinstance(value, sp.Basic):
        return f"${to_latex(value)}$"
    if isinstance(value, (list, tuple)) and any(isinstance(item, sp.Basic) for item in value):
        return ", ".join(claim_value_latex(item) for item in value)
    if isinstance(value, str):
        return sympy_text_latex(value) if "Eq(" in value else math_text(value)
    # Names such as jobs_increase_first_order_millions are single long words;
    # allowing a break after each underscore keeps them inside the column.
    return format_value(value).replace("\\_", "\\_\\allowbreak{}")


# Characters of SymPy's string form after which a line may break.
_BREAK_AFTER = ",+-*/=("


def sympy_text_latex(text: str) -> str:
    """Return SymPy's string form of an expression in typewriter type, with a break point after each operator."""
    pieces = []
    for character in text:
        pieces.append(escape_text(character))
        if character in _BREAK_AFTER:
            pieces.append("\\allowbreak{}")
    return "\\texttt{" + "".join(pieces) + "}"


# Characters of a value's plain text above which the claims table shows a
# pointer and the value goes to the details list, which can break across pages.
_MAX_CELL_CHARACTERS = 160


def _too_long_for_table(value: object) -> bool:
    return len(str(value)) > _MAX_CELL_CHARACTERS


def _table_cell(value: object) -> str:
    return "(in the details below)" if _too_long_for_table(value) else claim_value_latex(value)


def claims_section(results: Sequence[object] | None = None) -> Section:
    """Build the claims table from ``telemigration.claims.evaluate_all()`` (or given results), with statuses."""
    if results is None:
        from telemigration.claims import evaluate_all

        results = evaluate_all()
    rows = []
    for result in results:
        entry = result.to_dict()
        # Ids are long hyphenated words; allow a line break after each hyphen.
        identifier = escape_text(entry["id"]).replace("-", "-\\allowbreak{}")
        # Ragged-right cells: justified text in these narrow columns leaves wide gaps.
        # Only p columns get it, because it redefines the \\ that ends the row.
        ragged = "\\raggedright "
        rows.append((
            ragged + rf"\texttt{{{identifier}}}",
            ragged + escape_text(entry["section"]),
            ragged + math_text(entry["statement"]),
            ragged + _table_cell(entry["paper_value"]),
            ragged + _table_cell(entry["computed_value"]),
            rf"\textbf{{{escape_text(entry['status'])}}}",
        ))
    counts: dict[str, int] = {}
    for result in results:
        status = result.to_dict()["status"]
        counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{count} {escape_text(status)}" for status, count in sorted(counts.items()))
    body = (
        f"Each claim of Baldwin and Dingel (2021) checked by the workbench ({len(rows)} claims: {summary}). "
        "The status describes the paper: \\emph{confirmed} means the printed statement or number holds, "
        "\\emph{approximation} that it holds only approximately, \\emph{differs} that the model gives "
        "something else. Statuses are computed by the checks, not typed in; the details follow the table.\n\n"
    )
    header = ["id", "section", "statement", "paper", "computed", "status"]
    # With the status column and the column gaps this fills the text width.
    spec = "p{0.12\\textwidth} p{0.07\\textwidth} p{0.23\\textwidth} p{0.13\\textwidth} p{0.14\\textwidth} l"
    for piece in chunked(rows, _CLAIM_ROWS_PER_TABLE):
        body += "\\begin{center}\\footnotesize\n" + tabular(spec, header, piece) + "\\end{center}\n"
    body += "\\subsection*{Details}\n\\begin{description}\\small\n"
    for result in results:
        entry = result.to_dict()
        body += f"\\item[{escape_text(entry['id'])}] {math_text(entry['detail'])} "
        for which in ("paper_value", "computed_value"):
            if _too_long_for_table(entry[which]):
                body += f"\\emph{{{which.replace('_', ' ').capitalize()}:}} {claim_value_latex(entry[which])}. "
        body += f"\\emph{{Method:}} {math_text(entry['method'])}.\n"
    body += "\\end{description}\n"
    return Section("claims", "Claims and their status", body)
