"""Comparative statics of the DFS equilibrium by the implicit function theorem, in SymPy.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.2 and 5.3.
Within a regime the equilibrium solves North's labour-market residual
``F(omega, p) = omega (1 - X_N) - ell X_S = 0`` with every interior threshold
replaced by its closed-form inverse (``telemigration.models.system.reduced_condition``).
Where F is smooth and dF/d omega != 0,

    d omega/dp = -(dF/dp) / (dF/d omega),

and an interior threshold z(omega, p) moves by dz/dp = dz/dp|_omega + dz/d omega
d omega/dp. Corner thresholds do not move. The same derivative follows from the
full system in x = (omega, interior thresholds): dx/dp = -(dF/dx)^-1 dF/dp, which
``full_system_derivative`` evaluates as an independent check.

Parameter names are the public ones: ``tau_g`` and ``tau_s`` move both directions
of one sector together (the derivative is the sum of the two directional
partials), the four directional costs, ``gamma``, ``labour_ratio`` and curve
parameters such as ``services.alpha``. Numbers come from SymPy and mpmath at 30
digits; this module does not import JAX.

At a regime boundary the derivative is one-sided; evaluate the expression of the
regime on each side. The expressions are only valid inside their regime.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import Callable

import mpmath
import sympy as sp

from telemigration.errors import InvalidCurveError, InvalidParameterError, SolverError
from telemigration.models import symbols as sym
from telemigration.models.curves import ContinuousCurve, ExpressionCurve
from telemigration.models.parameters import COMMON_COSTS, SCALAR_PARAMETERS, Parameters
from telemigration.models.regime import THRESHOLD_NAMES, Position, Regime
from telemigration.models.system import (
    Economy,
    curve_parameter_symbols,
    equal_price_conditions,
    goods_spending_function,
    labour_market_condition,
    reduced_condition,
    threshold_expressions,
)

# Working precision of the numeric evaluation, in decimal digits.
DIGITS = 30

# The common costs as sums of the two directions they move.
_COMMON_DIRECTIONS = {
    "tau_g": (sym.tau_g_NS, sym.tau_g_SN),
    "tau_s": (sym.tau_s_NS, sym.tau_s_SN),
}


def _require_continuous(economy: Economy) -> None:
    for role, curve in (("goods_curve", economy.goods_curve), ("services_curve", economy.services_curve)):
        if not isinstance(curve, ContinuousCurve):
            raise InvalidCurveError(
                role, curve.describe(), "symbolic implicit derivatives need continuous curves, not tables"
            )


def parameter_symbols(economy: Economy) -> dict[str, tuple[sp.Symbol, ...]]:
    """Return, for each public parameter name, the symbols whose partials add up to its derivative."""
    result: dict[str, tuple[sp.Symbol, ...]] = dict(_COMMON_DIRECTIONS)
    result.update({name: (sym.PARAMETER_SYMBOLS[name],) for name in SCALAR_PARAMETERS})
    result.update({name: (symbol,) for name, symbol in curve_parameter_symbols(economy).items()})
    return result


def _resolve_parameter(economy: Economy, parameter: str) -> tuple[sp.Symbol, ...]:
    symbols = parameter_symbols(economy)
    if parameter not in symbols:
        raise InvalidParameterError("parameter", parameter, f"expected one of {', '.join(symbols)}")
    return symbols[parameter]


def numeric_values(economy: Economy, params: Parameters) -> dict[sp.Symbol, sp.Float]:
    """Return every parameter symbol of ``economy`` mapped to its value in ``params`` or the curves."""
    values = {sym.PARAMETER_SYMBOLS[name]: sp.Float(getattr(params, name), DIGITS) for name in SCALAR_PARAMETERS}
    for prefix, curve in (("goods", economy.goods_curve), ("services", economy.services_curve)):
        symbols = curve_parameter_symbols(economy)
        for name, value in zip(curve.parameter_names(), curve.parameter_values()):
            values[symbols[f"{prefix}.{name}"]] = sp.Float(value, DIGITS)
    return values


def _partial(expression: sp.Expr, symbols: tuple[sp.Symbol, ...]) -> sp.Expr:
    return sp.Add(*(sp.diff(expression, symbol) for symbol in symbols))


@dataclass(frozen=True)
class ImplicitDerivative:
    """d omega/dp and d threshold/dp in one regime, as SymPy expressions in omega and the parameters.

    ``residual`` is the reduced labour-market residual F(omega, p) of the regime;
    ``thresholds`` maps each threshold name to its derivative (0 at a corner).
    """

    economy: Economy
    regime: Regime
    parameter: str
    residual: sp.Expr
    omega: sp.Expr
    thresholds: tuple[tuple[str, sp.Expr], ...]

    def evaluate(
        self, params: Parameters, omega: float | None = None, outputs: tuple[str, ...] | None = None
    ) -> dict[str, float]:
        """Evaluate the derivatives at ``params``, keyed ``omega``, ``z_S``, ``z_N``, ``t_S``, ``t_N``.

        ``omega`` defaults to the root of the regime's residual found with mpmath;
        pass a solver's omega to evaluate at that point instead. ``outputs``
        selects some of the keys (default all). Each threshold derivative contains
        the whole of d omega/dp, so asking for omega alone is several times faster
        on first use, when the expressions are compiled.
        """
        expressions = {"omega": self.omega, **dict(self.thresholds)}
        names = tuple(expressions) if outputs is None else tuple(outputs)
        for name in names:
            if name not in expressions:
                raise InvalidParameterError("outputs", name, f"expected names among {', '.join(expressions)}")
        values = numeric_values(self.economy, params)
        arguments, function = _compile_expressions(tuple(expressions[name] for name in names))
        with mpmath.workdps(DIGITS):
            root = solve_regime_omega(self.economy, params, self.regime) if omega is None else sp.Float(omega, DIGITS)
            point = {**values, sym.omega: root}
            numbers = function(*(mpmath.mpf(str(point[symbol])) for symbol in arguments))
        result = {}
        for name, number in zip(names, numbers):
            value = mpmath.mpmathify(number)
            if not (isinstance(value, mpmath.mpf) and mpmath.isfinite(value)):
                raise SolverError(
                    f"the implicit derivative of {name} with respect to {self.parameter} is {value} at this point",
                    advice="check that the point lies inside the regime and off its boundaries",
                )
            result[name] = float(value)
        return result


@functools.lru_cache(maxsize=None)
def _compile_expressions(expressions: tuple[sp.Expr, ...]) -> tuple[tuple[sp.Symbol, ...], Callable]:
    """Return the arguments and an mpmath function that returns a list of the expressions' values.

    Substituting into the expressions costs tens of milliseconds per call, and a
    call of the compiled function well under one. The cache is keyed by the
    expressions, so economies of one structure compile once.
    """
    symbols = set().union(*(expression.free_symbols for expression in expressions)) | {sym.omega}
    arguments = tuple(sorted(symbols, key=lambda symbol: symbol.name))
    return arguments, sp.lambdify(arguments, list(expressions), modules="mpmath")


def _lambdify(expressions: tuple[sp.Expr, ...]) -> tuple[tuple[sp.Symbol, ...], Callable]:
    symbols = set().union(*(expression.free_symbols for expression in expressions)) | {sym.omega}
    arguments = tuple(sorted(symbols, key=lambda symbol: symbol.name))
    function = sp.lambdify(arguments, expressions, modules="mpmath")
    return arguments, (lambda *values: function(*values)[0]) if len(expressions) == 1 else function


def _structure(economy: Economy) -> Economy:
    """Return an economy with the same curve families at their default values.

    The expressions depend on the families only, because curve parameters are
    symbols, so economies that differ in parameter values share one derivation.
    An ExpressionCurve has no default and stays as it is.
    """
    curves = []
    for curve in (economy.goods_curve, economy.services_curve):
        curves.append(curve if isinstance(curve, ExpressionCurve) else type(curve)())
    return Economy(curves[0], curves[1], economy.expenditure)


def implicit_derivative(economy: Economy, regime: Regime, parameter: str) -> ImplicitDerivative:
    """Return d omega/dp = -(dF/dp)/(dF/d omega) on the reduced condition of ``regime``.

    Threshold derivatives follow by the chain rule from ``threshold_expressions``.
    Raises InvalidCurveError for tabulated curves or a curve without a
    closed-form inverse, InvalidParameterError for an unknown parameter.
    """
    _require_continuous(economy)
    derivative = _derive(_structure(economy), regime, parameter)
    return replace(derivative, economy=economy)


@functools.lru_cache(maxsize=None)
def _derive(economy: Economy, regime: Regime, parameter: str) -> ImplicitDerivative:
    symbols = _resolve_parameter(economy, parameter)
    residual = _reduced_condition(economy, regime)
    d_omega = -_partial(residual, symbols) / sp.diff(residual, sym.omega)
    expressions = _threshold_expressions(economy)
    derivatives = []
    for name in THRESHOLD_NAMES:
        if regime.position(name) is Position.INTERIOR:
            inverse = expressions[name]
            derivatives.append((name, _partial(inverse, symbols) + sp.diff(inverse, sym.omega) * d_omega))
        else:
            derivatives.append((name, sp.Integer(0)))
    return ImplicitDerivative(economy, regime, parameter, residual, d_omega, tuple(derivatives))


def _regime_text(regime: Regime) -> str:
    return ", ".join(f"{name} {regime.position(name).value}" for name in THRESHOLD_NAMES)


@functools.lru_cache(maxsize=None)
def _reduced_condition(economy: Economy, regime: Regime) -> sp.Expr:
    try:
        return reduced_condition(economy, regime)
    except ValueError as error:
        raise InvalidCurveError("economy", economy, f"no closed-form inverse for the reduced condition ({error})") from None


@functools.lru_cache(maxsize=None)
def _threshold_expressions(economy: Economy) -> dict[str, sp.Expr | None]:
    return threshold_expressions(economy)


@functools.lru_cache(maxsize=None)
def _residual_function(economy: Economy, regime: Regime) -> tuple[tuple[sp.Symbol, ...], Callable]:
    return _lambdify((_reduced_condition(economy, regime),))


def solve_regime_omega(economy: Economy, params: Parameters, regime: Regime) -> sp.Float:
    """Return the root in omega of the regime's reduced residual, with mpmath at 30 digits.

    The residual rises in omega, strictly unless the regime fixes North's home
    spending share at 1 with no interior threshold (autarky). So a bracket found
    by doubling outwards from [1/2, 2] contains at most one root, and SolverError
    is raised when no sign change turns up. The root is the equilibrium only when
    the regime's thresholds lie in their ranges there.
    """
    _require_continuous(economy)
    arguments, function = _residual_function(_structure(economy), regime)
    values = numeric_values(economy, params)
    with mpmath.workdps(DIGITS):
        fixed = {symbol: mpmath.mpf(str(values[symbol])) for symbol in arguments if symbol is not sym.omega}

        def residual(omega):
            return function(*(omega if symbol is sym.omega else fixed[symbol] for symbol in arguments))

        lower, upper = mpmath.mpf("0.5"), mpmath.mpf(2)
        for _ in range(200):
            if residual(lower) < 0 < residual(upper):
                break
            lower, upper = lower / 2, upper * 2
        else:
            raise SolverError(
                f"no sign change of the residual in regime ({_regime_text(regime)}) on [{lower}, {upper}]",
                advice="the regime has no equilibrium at these parameters",
            )
        root = mpmath.findroot(residual, (lower, upper), solver="anderson")
        scale = max(abs(residual(lower)), abs(residual(upper)))
        if abs(residual(root)) > mpmath.mpf(10) ** (5 - DIGITS) * scale:
            raise SolverError(f"mpmath found no root in regime ({_regime_text(regime)})",
                              residual=float(abs(residual(root))))
    return sp.Float(root, DIGITS)


def full_system(economy: Economy | None, regime: Regime) -> tuple[tuple[sp.Symbol, ...], tuple[sp.Expr, ...]]:
    """Return the unknowns x = (omega, interior thresholds) and the residuals F(x, p) of ``regime``.

    The residuals are the equal-price conditions of the interior thresholds and
    North's labour-market condition with corner thresholds at 0 or 1. With
    ``economy=None`` the curves A, S and the spending function B stay undefined,
    so derivatives come out in A', S' and B'.
    """
    if economy is not None:
        _require_continuous(economy)
        curves = {
            sym.A: sp.Lambda(sym.z, economy.goods_curve.expression(sym.z, "A")),
            sym.S: sp.Lambda(sym.t, economy.services_curve.expression(sym.t, "S")),
        }
        condition = labour_market_condition(goods_spending_function(economy))
    else:
        curves = {}
        condition = labour_market_condition()
    corners = {}
    unknowns = [sym.omega]
    residuals = []
    conditions = equal_price_conditions()
    for name in THRESHOLD_NAMES:
        symbol = sym.THRESHOLD_SYMBOLS[name]
        position = regime.position(name)
        if position is Position.INTERIOR:
            unknowns.append(symbol)
            equation = conditions[name]
            residuals.append(((equation.lhs - equation.rhs).subs(curves)).doit())
        else:
            corners[symbol] = sp.Integer(0 if position is Position.LOWER else 1)
    residuals.append((condition.lhs - condition.rhs).subs(corners).doit())
    return tuple(unknowns), tuple(residuals)


def full_system_jacobians(economy: Economy | None, regime: Regime, parameter: str) -> tuple[sp.Matrix, sp.Matrix]:
    """Return dF/dx and dF/dp of ``full_system`` as SymPy matrices."""
    unknowns, residuals = full_system(economy, regime)
    symbols = _COMMON_DIRECTIONS.get(parameter) or (
        _resolve_parameter(economy, parameter) if economy is not None else (sym.PARAMETER_SYMBOLS[parameter],)
    )
    vector = sp.Matrix(residuals)
    return vector.jacobian(unknowns), sp.Matrix([_partial(r, symbols) for r in residuals])


def full_system_derivative(
    economy: Economy, params: Parameters, regime: Regime, parameter: str, omega: float | None = None
) -> dict[str, float]:
    """Evaluate dx/dp = -(dF/dx)^-1 dF/dp of the full system in ``regime`` (mpmath, 30 digits).

    Returns derivatives of omega and every threshold, 0 for corners. The point
    is omega (solved as in ``solve_regime_omega`` unless given) with interior
    thresholds from their closed-form inverses.
    """
    jacobian, partials = full_system_jacobians(economy, regime, parameter)
    unknowns, _ = full_system(economy, regime)
    values = numeric_values(economy, params)
    with mpmath.workdps(DIGITS):
        root = solve_regime_omega(economy, params, regime) if omega is None else sp.Float(omega, DIGITS)
        point = {**values, sym.omega: root}
        expressions = _threshold_expressions(_structure(economy))
        for symbol in unknowns[1:]:
            if expressions[symbol.name] is None:
                raise InvalidCurveError("economy", economy, f"threshold {symbol.name} has no closed-form inverse")
            point[symbol] = sp.N(expressions[symbol.name].subs(point), DIGITS)
        matrix = mpmath.matrix([[mpmath.mpf(str(sp.N(entry.subs(point), DIGITS))) for entry in row]
                                for row in jacobian.tolist()])
        vector = mpmath.matrix([mpmath.mpf(str(sp.N(entry.subs(point), DIGITS))) for entry in partials])
        solution = -mpmath.lu_solve(matrix, vector)
    result = {name: 0.0 for name in ("omega",) + THRESHOLD_NAMES}
    for symbol, value in zip(unknowns, solution):
        result[symbol.name] = float(value)
    return result


@functools.lru_cache(maxsize=None)
def general_domega(regime: Regime, parameter: str) -> sp.Expr:
    """Return d omega/dp for undefined curves A, S and spending B, from the full system of ``regime``.

    The result is in omega, the thresholds, the parameters and the derivatives
    A', S', B' at the thresholds. ``parameter`` is a scalar or common cost name.
    """
    if parameter not in set(SCALAR_PARAMETERS) | set(COMMON_COSTS):
        raise InvalidParameterError(
            "parameter", parameter, f"expected one of {', '.join(COMMON_COSTS + SCALAR_PARAMETERS)}"
        )
    jacobian, partials = full_system_jacobians(None, regime, parameter)
    solution = -jacobian.LUsolve(partials)
    return sp.simplify(solution[0])
