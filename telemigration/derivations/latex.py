"""LaTeX of single DFS conditions, from the same SymPy objects the solver and the checks use.

Baldwin and Dingel (2021), "Telemigration and development", section 5 and
footnote 15. ``condition_latex(name)`` renders one condition; ``CONDITION_NAMES``
lists the names. Notation overrides map a symbol, a symbol's name, a public
parameter name (``tau_s_ns``, ``labour_ratio``) or a curve name (``A``, ``S``,
``B``) to a LaTeX string. Symbols go through ``sympy.latex``'s ``symbol_names``,
and curve names replace the function's printed name.

Derivative names take a regime code of four letters for z_S, z_N, t_S, t_N in
that order: ``L`` for the lower corner 0, ``I`` for interior, ``U`` for the upper
corner 1. ``domega-dtau_s:IIIU`` is d omega/d tau_s when South sells no services.
"""

from __future__ import annotations

from typing import Callable, Mapping

import sympy as sp

from telemigration.derivations import closed_forms, dfs, implicit
from telemigration.errors import InvalidParameterError
from telemigration.models import symbols as sym
from telemigration.models.regime import THRESHOLD_NAMES, Position, Regime
from telemigration.models.system import equal_price_conditions, labour_market_condition

_POSITION_CODES = {"L": Position.LOWER, "I": Position.INTERIOR, "U": Position.UPPER}
_FUNCTIONS = {"A": sym.A, "S": sym.S, "B": sym.B}

Notation = Mapping[sp.Basic | str, str]


def regime_from_code(code: str) -> Regime:
    """Return the regime of a four-letter code such as ``IIIU`` (z_S, z_N, t_S, t_N)."""
    if len(code) != 4 or any(letter not in _POSITION_CODES for letter in code):
        raise InvalidParameterError(
            "regime", code, "expected four letters from L, I, U for z_S, z_N, t_S, t_N, for example IIIU"
        )
    return Regime(*(_POSITION_CODES[letter] for letter in code))


def regime_code(regime: Regime) -> str:
    """Return the four-letter code of ``regime``."""
    letters = {position: letter for letter, position in _POSITION_CODES.items()}
    return "".join(letters[regime.position(name)] for name in THRESHOLD_NAMES)


def _goods_only(step: str) -> sp.Eq:
    return dfs.goods_only_chain().chain[step].equation


# Derivatives with respect to a common cost are shown where both directions are equal.
_SYMMETRIC_COSTS = {sym.tau_g_NS: sym.tau_g, sym.tau_g_SN: sym.tau_g, sym.tau_s_NS: sym.tau_s, sym.tau_s_SN: sym.tau_s}


def _domega(code: str) -> sp.Eq:
    regime = regime_from_code(code)
    derivative = implicit.implicit_derivative(closed_forms.power_root_economy(), regime, "tau_s")
    expression = closed_forms.fix_power_parameters(derivative.omega).subs(_SYMMETRIC_COSTS)
    return sp.Eq(sp.Derivative(sym.omega, sym.tau_s), sp.factor(sp.simplify(expression)))


def _domega_general(code: str) -> sp.Eq:
    expression = implicit.general_domega(regime_from_code(code), "tau_s").subs(_SYMMETRIC_COSTS)
    return sp.Eq(sp.Derivative(sym.omega, sym.tau_s), sp.simplify(expression))


# Each condition as a SymPy equation, a polynomial (printed as P = 0 in falling
# powers) or a tuple of them printed side by side.
_CONDITIONS: dict[str, Callable[[], sp.Basic | tuple[sp.Basic, ...]]] = {
    **{f"equal-price:{name}": (lambda name=name: equal_price_conditions()[name]) for name in THRESHOLD_NAMES},
    "labour-market": labour_market_condition,
    "labour-market-goods": lambda: dfs.labour_market_chain().chain["labour market"].equation,
    "labour-market-services": dfs.simplified_services_condition,
    "eq-1": lambda: (
        dfs.threshold_chain().chain["eq-1 South-market threshold"].equation,
        dfs.threshold_chain().chain["eq-1 North-market threshold"].equation,
        dfs.labour_market_chain().chain["labour market"].equation,
    ),
    "eq-1-printed": dfs.printed_equation_1,
    "z_N-from-z_S": lambda: _goods_only("z_N = tau^2 z_S"),
    "eq-2": lambda: (_goods_only("omega in z_N, North threshold"), _goods_only("omega in z_N, labour market")),
    "eq-2-printed": lambda: tuple(
        dfs.goods_only_chain().printed_check(name).printed for name in ("eq-2 first half", "eq-2 second half")
    ),
    "goods-only-omega": lambda: _goods_only("closed-form omega"),
    "eq-3": dfs.equation_3,
    "free-trade-cubic": closed_forms.free_trade_cubic,
    "free-trade-root": lambda: sp.Eq(
        sp.Symbol(r"\bar{\omega}"), closed_forms.free_trade_root(sp.Rational(1, 2)).radicals
    ),
    "interior-polynomial": lambda: closed_forms.regime_polynomial(Regime.interior()),
}

CONDITION_NAMES: tuple[str, ...] = tuple(_CONDITIONS) + (
    "domega-dtau_s:<regime code>",
    "domega-dtau_s-general:<regime code>",
)


def condition(name: str) -> sp.Basic | sp.Poly | tuple:
    """Return the SymPy equation, polynomial or tuple of equations of the condition called ``name``."""
    if name.startswith("domega-dtau_s:"):
        return _domega(name.split(":", 1)[1])
    if name.startswith("domega-dtau_s-general:"):
        return _domega_general(name.split(":", 1)[1])
    if name not in _CONDITIONS:
        raise InvalidParameterError("condition", name, f"expected one of {', '.join(CONDITION_NAMES)}")
    return _CONDITIONS[name]()


def _symbol_names(expression: sp.Basic, notation: Notation) -> tuple[dict[sp.Symbol, str], dict[str, str]]:
    by_name = {symbol.name: symbol for symbol in expression.free_symbols if isinstance(symbol, sp.Symbol)}
    symbol_names: dict[sp.Symbol, str] = {}
    function_names: dict[str, str] = {}
    for key, latex in notation.items():
        if isinstance(key, sp.Symbol):
            symbol_names[key] = latex
        elif isinstance(key, sp.FunctionClass) or key in _FUNCTIONS:
            function_names[str(key)] = latex
        elif key in sym.PARAMETER_SYMBOLS:
            symbol_names[sym.PARAMETER_SYMBOLS[key]] = latex
        elif key in by_name:
            symbol_names[by_name[key]] = latex
        elif not isinstance(key, str):
            raise InvalidParameterError("notation", key, "expected a SymPy symbol, a symbol name or A, S, B")
    return symbol_names, function_names


def _rename_functions(expression: sp.Basic, function_names: dict[str, str]) -> sp.Basic:
    for name, latex in function_names.items():
        expression = expression.replace(_FUNCTIONS[name], sp.Function(latex))
    return expression


def polynomial_latex(polynomial: sp.Poly, symbol_names: dict[sp.Symbol, str] | None = None) -> str:
    """Render ``polynomial = 0`` in falling powers of its generator, each coefficient factored."""
    names = symbol_names or {}
    generator = sp.latex(polynomial.gen, symbol_names=names)
    pieces = []
    for (power,), coefficient in sorted(polynomial.terms(), reverse=True):
        coefficient = sp.factor(coefficient)
        negative = coefficient.could_extract_minus_sign()
        magnitude = -coefficient if negative else coefficient
        text = "" if magnitude == 1 and power > 0 else sp.latex(magnitude, symbol_names=names)
        if isinstance(magnitude, sp.Add) and power > 0:
            text = rf"\left({text}\right)"
        if power > 0:
            power_text = generator if power == 1 else f"{generator}^{{{power}}}"
            text = f"{text} {power_text}" if text else power_text
        pieces.append(("- " if negative else "+ ") + text)
    first = pieces[0][2:] if pieces[0].startswith("+") else "-" + pieces[0][2:]
    return " ".join([first] + pieces[1:]) + " = 0"


def to_latex(expression: sp.Basic | sp.Poly | tuple, notation: Notation | None = None) -> str:
    """Render an equation or polynomial, or several joined by ``,\\quad``, with notation overrides."""
    parts = expression if isinstance(expression, tuple) else (expression,)
    rendered = []
    for part in parts:
        symbol_names, function_names = _symbol_names(part.as_expr() if isinstance(part, sp.Poly) else part,
                                                     notation or {})
        if isinstance(part, sp.Poly):
            rendered.append(polynomial_latex(part, symbol_names))
            continue
        renamed = _rename_functions(part, function_names)
        rendered.append(sp.latex(renamed, symbol_names=symbol_names))
    return r",\quad ".join(rendered)


def condition_latex(name: str, notation: Notation | None = None) -> str:
    """Return the LaTeX of the condition called ``name`` (see ``CONDITION_NAMES``).

    ``notation`` maps symbols, symbol names, public parameter names or the curve
    names A, S, B to LaTeX. A name that appears nowhere in the condition is
    ignored, so one notation table serves every condition.
    """
    return to_latex(condition(name), notation)
