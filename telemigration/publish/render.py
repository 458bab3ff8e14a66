"""Derivation chains as LaTeX: one aligned, numbered and labelled line per step, its reason in words.

Symbols are rendered by ``telemigration.derivations.latex.to_latex``, so the
notation overrides of ``condition_latex`` (a symbol, a symbol's name, a public
parameter name or a curve name mapped to LaTeX) apply here too.
"""

from __future__ import annotations

from typing import Mapping

import sympy as sp

from telemigration.derivations.chain import DerivationChain, Step
from telemigration.derivations.latex import to_latex
from telemigration.models import symbols as sym
from telemigration.publish.mathtext import math_text
from telemigration.publish.tex import escape_text, label_key

Notation = Mapping[object, str]

# Characters of LaTeX above which a step's two sides go on separate lines: about
# the width of the text block for typical SymPy output.
LONG_LINE = 220

__all__ = ["Notation", "chain_latex", "compact_derivatives", "equation_sides", "step_label", "step_reason", "to_latex"]


def equation_sides(equation: sp.Eq, notation: Notation | None = None) -> tuple[str, str]:
    """Return the LaTeX of the two sides of ``equation``."""
    return to_latex(equation.lhs, notation), to_latex(equation.rhs, notation)


def compact_derivatives(expression: sp.Basic) -> tuple[sp.Basic, dict[str, str]]:
    """Replace each derivative f'(x) of an undefined function by a symbol printed as ``f'(x)``.

    SymPy prints d/dz_S A(z_S) in full; the prime form keeps the implicit-function
    formulas within the page. Returns the new expression and the notation for
    the new symbols.
    """
    names: dict[str, str] = {}
    replacements = {}
    for derivative in expression.atoms(sp.Derivative):
        function = derivative.expr
        if not (isinstance(function, sp.core.function.AppliedUndef) and len(derivative.variables) == 1):
            continue
        argument = sp.latex(derivative.variables[0])
        name = f"d{function.func.__name__}_{derivative.variables[0]}"
        replacements[derivative] = sp.Symbol(name)
        names[name] = f"{function.func.__name__}'({argument})"
    return expression.xreplace(replacements), names


def step_label(chain: DerivationChain, step: Step) -> str:
    """Return the LaTeX label of a chain step, such as ``eq:structural-gravity:gravity``."""
    return label_key("eq", chain.name, step.name)


def step_reason(step: Step) -> str:
    """Return the reason of a step as LaTeX text: premise or derived (and from which steps), and its source in Baldwin and Dingel (2021)."""
    kind = "premise" if step.premise else "derived"
    text = rf"\textbf{{{math_text(step.name)}}} ({kind}"
    if step.uses:
        text += " from " + ", ".join(math_text(name) for name in step.uses)
    text += "): " + math_text(step.reason)
    if step.label:
        text += f" [Baldwin and Dingel (2021), {escape_text(step.label)}]"
    return text + "."


def chain_latex(chain: DerivationChain, notation: Notation | None = None) -> str:
    """Return the chain as one ``align``: each step's reason in words, then its equation on one numbered line.

    Every line is labelled with ``step_label``. A derived step names the steps it
    was derived from; SymPy checked it when the chain was built.
    """
    lines = [r"\begin{align}"]
    for index, step in enumerate(chain.steps):
        left, right = equation_sides(step.equation, notation)
        if step.equation.lhs == 0:
            # A polynomial equation 0 = P reads as P = 0, in falling powers of omega where P is one in omega.
            left, right = right, left
            rhs = step.equation.rhs
            if sym.omega in rhs.free_symbols and rhs.is_polynomial(sym.omega):
                left = to_latex(sp.Poly(rhs, sym.omega), notation).removesuffix(" = 0")
        separator = "" if index == 0 else " \\\\\n"
        lines.append(f"{separator}\\intertext{{{step_reason(step)}}}")
        label = f"\\label{{{step_label(chain, step)}}}"
        if len(left) + len(right) > LONG_LINE and right != "0":
            # The left side gets a line of its own, unnumbered, so the step fits the page.
            lines.append(f"&{left} \\notag \\\\\n&= {right} {label}")
        else:
            lines.append(f"{left} &= {right} {label}")
    lines.append(r"\end{align}")
    return "\n".join(lines) + "\n"
