"""The bridge from the SymPy system to JAX: the only module of ``solvers`` that imports SymPy.

Every function compiled here is ``sympy.lambdify(..., modules="jax")`` of an object
built in ``telemigration.models.system``. These are the threshold expressions (the
inverses of A and S at the cost ratios of the equal-price conditions), North's
labour-market condition and the goods spending function B (Baldwin and Dingel
2021, "Telemigration and development", equation (1) and sections 5.2 and 5.3).
Nothing is typed in a second time.

Compiled functions take omega and a flat float64 parameter vector ``theta``: the
six scalar parameters in the order of ``SCALAR_PARAMETERS`` followed by the curve
parameters (``goods.<name>``, then ``services.<name>``). Because curve parameters
are arguments rather than constants, JAX differentiates with respect to them too,
and one compilation serves every value of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import jax
import jax.numpy as jnp
import sympy as sp

from telemigration.errors import InvalidCurveError
from telemigration.models import symbols as sym
from telemigration.models.curves import ContinuousCurve, Curve, ExpressionCurve
from telemigration.models.parameters import SCALAR_PARAMETERS, Parameters
from telemigration.models.regime import THRESHOLD_NAMES, Position, Regime
from telemigration.models.system import (
    THRESHOLD_COSTS,
    Economy,
    curve_parameter_symbols,
    goods_spending_function,
    labour_market_condition,
    threshold_expressions,
)

# Number of halvings of [0, 1] in the numeric inverse. 2^-64 is below the float64
# spacing near 1, so more steps cannot change the result.
_INVERSE_BISECTION_STEPS = 64

# A numerically inverted threshold closer than this to 0 or 1 is set to the corner,
# because bisection on [0, 1] converges to an endpoint when the root lies outside.
_INVERSE_CORNER_SNAP = 1e-12

_SCALAR_SYMBOLS = tuple(sym.PARAMETER_SYMBOLS[name] for name in SCALAR_PARAMETERS)
_THRESHOLD_ARGS = tuple(sym.THRESHOLD_SYMBOLS[name] for name in THRESHOLD_NAMES)


def _lambdify(arguments: tuple[sp.Symbol, ...], expression: sp.Expr) -> Callable:
    # Piecewise becomes jnp.select, whose gradient reaches only the chosen branch.
    # A branch that is NaN or infinite where it is not chosen would still poison
    # the gradient. The closed-form inverses of this package are finite for every
    # positive cost ratio in every branch.
    # NOTE: a Piecewise inverse returned by sympy.solve for an ExpressionCurve gets
    # no such guard.
    return sp.lambdify(arguments, expression, modules="jax")


def _numeric_inverse(log_curve: Callable, log_ratio: jax.Array) -> jax.Array:
    """Solve ln S(u) = ln x for u in [0, 1] by bisection, differentiable by the implicit function theorem.

    ``log_curve`` is strictly decreasing, so [0, 1] brackets the root whenever it
    exists. Otherwise the bisection converges to the nearer endpoint, which is then
    snapped to the corner.
    """

    def gap(u):
        return log_curve(u) - log_ratio

    def bisect(function, initial_guess):
        del initial_guess

        def halve(_, bracket):
            lower, upper = bracket
            middle = 0.5 * (lower + upper)
            # The curve lies above the ratio left of the root, because it falls.
            above = function(middle) > 0.0
            return jnp.where(above, middle, lower), jnp.where(above, upper, middle)

        zero = jnp.zeros_like(log_ratio)
        lower, upper = jax.lax.fori_loop(0, _INVERSE_BISECTION_STEPS, halve, (zero, zero + 1.0))
        return 0.5 * (lower + upper)

    root = jax.lax.custom_root(gap, jnp.full_like(log_ratio, 0.5), bisect, lambda g, y: y / g(1.0))
    at_lower = root < _INVERSE_CORNER_SNAP
    at_upper = root > 1.0 - _INVERSE_CORNER_SNAP
    return jnp.where(at_lower, 0.0, jnp.where(at_upper, 1.0, root))


# A regime as data: one integer per threshold, CLAMPED meaning "clamp to [0, 1]"
# (no regime forced).
REGIME_CODES = {Position.LOWER: 0, Position.INTERIOR: 1, Position.UPPER: 2}
CLAMPED = 3


def regime_codes(regime: Regime | None) -> jax.Array:
    """Return the codes of ``regime`` in the order of ``THRESHOLD_NAMES``; all CLAMPED for None."""
    if regime is None:
        codes = [CLAMPED] * len(THRESHOLD_NAMES)
    else:
        codes = [REGIME_CODES[regime.position(name)] for name in THRESHOLD_NAMES]
    return jnp.asarray(codes, dtype=jnp.int32)


def clamp_unit(value: jax.Array) -> jax.Array:
    """Clamp to [0, 1] with the gradient of the identity at a tie, never JAX's 0.5 of clip."""
    return jnp.where(value < 0.0, 0.0, jnp.where(value > 1.0, 1.0, value))


@dataclass(frozen=True, eq=False)
class CompiledEconomy:
    """JAX functions of omega and ``theta`` for one structure of curves and goods spending.

    ``parameter_names`` is the order of ``theta``: ``SCALAR_PARAMETERS`` and then the
    curve parameters by public name (for example ``services.alpha``).
    """

    parameter_names: tuple[str, ...]
    closed_form: dict[str, bool]
    _inverses: dict[str, Callable]
    _log_curves: dict[str, Callable]
    _goods_spending: Callable
    _labour_market: Callable

    @property
    def size(self) -> int:
        """Length of ``theta``."""
        return len(self.parameter_names)

    def theta(self, economy: Economy, params: Parameters) -> jax.Array:
        """Return the parameter vector of ``params`` and the curve values of ``economy``."""
        values = list(params.as_tuple())
        for curve in (economy.goods_curve, economy.services_curve):
            if isinstance(curve, ContinuousCurve):
                values.extend(curve.parameter_values())
        return jnp.asarray(values, dtype=jnp.float64)

    def _cost_ratio(self, name: str, omega: jax.Array, theta: jax.Array) -> jax.Array:
        cost, how = THRESHOLD_COSTS[name]
        cost_value = theta[_SCALAR_SYMBOLS.index(cost)]
        return cost_value * omega if how == "times" else omega / cost_value

    def unclamped_threshold(self, name: str, omega: jax.Array, theta: jax.Array) -> jax.Array:
        """Return threshold ``name`` before clamping, or clamped for a numerically inverted curve.

        A curve without a closed-form inverse is inverted by bisection on [0, 1], so
        its threshold is already clamped; ``corner_gap`` locates its corners instead.
        """
        if self.closed_form[name]:
            return self._inverses[name](omega, *theta)
        log_ratio = jnp.log(self._cost_ratio(name, omega, theta))
        log_curve = self._log_curves[name]
        return _numeric_inverse(lambda u: log_curve(u, *theta), log_ratio)

    def corner_gap(self, name: str, corner: float, omega: jax.Array, theta: jax.Array) -> jax.Array:
        """Return a smooth quantity that is positive when threshold ``name`` lies above ``corner``.

        For a closed-form inverse this is the unclamped threshold minus the corner.
        Otherwise it is ln S(corner) - ln(cost ratio), which has the same sign
        because the curve falls: the threshold exceeds the corner exactly when the
        curve at the corner exceeds the cost ratio.
        """
        if self.closed_form[name]:
            return self._inverses[name](omega, *theta) - corner
        log_ratio = jnp.log(self._cost_ratio(name, omega, theta))
        return self._log_curves[name](jnp.asarray(corner, dtype=jnp.float64), *theta) - log_ratio

    def thresholds(self, omega: jax.Array, theta: jax.Array, regime: Regime | None = None) -> tuple[jax.Array, ...]:
        """Return (z_S, z_N, t_S, t_N), clamped to [0, 1] or, given ``regime``, forced into it.

        A forced regime puts a corner threshold at 0 or 1 and an interior one at its
        unclamped inverse, so the result is the smooth system of that regime.
        """
        values = []
        for name in THRESHOLD_NAMES:
            position = None if regime is None else regime.position(name)
            if position is Position.LOWER:
                values.append(jnp.zeros_like(omega))
            elif position is Position.UPPER:
                values.append(jnp.ones_like(omega))
            elif position is Position.INTERIOR:
                values.append(self.unclamped_threshold(name, omega, theta))
            else:
                values.append(clamp_unit(self.unclamped_threshold(name, omega, theta)))
        return tuple(values)

    def coded_thresholds(
        self, omega: jax.Array, theta: jax.Array, codes: jax.Array, unclamped: tuple[jax.Array, ...] | None = None
    ) -> tuple[jax.Array, ...]:
        """Return (z_S, z_N, t_S, t_N) with the regime as an array of ``REGIME_CODES``, one per threshold.

        The same values as ``thresholds``, but the regime is data rather than part
        of the program, so one compilation serves every regime. Each threshold is
        a selection, never an arithmetic blend, so a corner gets exactly 0 or 1
        and the derivative of the branch that is not chosen never enters.
        ``unclamped`` passes the values of ``unclamped_threshold`` when the caller
        has them already.
        """
        if unclamped is None:
            unclamped = tuple(self.unclamped_threshold(name, omega, theta) for name in THRESHOLD_NAMES)
        values = []
        for index, value in enumerate(unclamped):
            code = codes[index]
            values.append(jnp.where(
                code == REGIME_CODES[Position.LOWER], jnp.zeros_like(omega),
                jnp.where(
                    code == REGIME_CODES[Position.UPPER], jnp.ones_like(omega),
                    jnp.where(code == REGIME_CODES[Position.INTERIOR], value, clamp_unit(value)),
                ),
            ))
        return tuple(values)

    def goods_spending(self, z: jax.Array, theta: jax.Array) -> jax.Array:
        """Return B(z), the share of goods spending on goods [0, z]."""
        return self._goods_spending(z, *theta) + jnp.zeros_like(z)

    def residual(self, omega: jax.Array, theta: jax.Array, regime: Regime | None = None) -> jax.Array:
        """Return F(omega) = omega (1 - X_N) - ell X_S, North's labour-market residual.

        X_N = gamma B(z_N) + (1 - gamma) t_N and X_S = gamma B(z_S) + (1 - gamma) t_S
        (Baldwin and Dingel 2021, section 5.2). F rises strictly in omega.
        """
        return self._labour_market(omega, *self.thresholds(omega, theta, regime), *theta)

    def residual_at(self, omega: jax.Array, thresholds: tuple[jax.Array, ...], theta: jax.Array) -> jax.Array:
        """Return F(omega) as ``residual`` does, at given values of (z_S, z_N, t_S, t_N)."""
        return self._labour_market(omega, *thresholds, *theta)


def _structure_key(curve: Curve, tag: str) -> tuple:
    if isinstance(curve, ExpressionCurve):
        return ("expression", curve.expression(sym.z, tag))
    return (type(curve).__name__, curve.parameter_names())


def compile_economy(economy: Economy) -> CompiledEconomy:
    """Return the compiled functions of ``economy``, cached by the structure of its curves.

    Two economies whose curves belong to the same families (or have the same
    expression) share one compilation, whatever their parameter values.
    """
    if not isinstance(economy, Economy):
        raise InvalidCurveError("economy", economy, "expected a telemigration.models.Economy")
    for role, curve in (("goods_curve", economy.goods_curve), ("services_curve", economy.services_curve)):
        if not isinstance(curve, ContinuousCurve):
            raise InvalidCurveError(
                role, curve.describe(), "the JAX solver needs continuous curves; tabulated curves use solve_tabulated"
            )
    key = (
        _structure_key(economy.goods_curve, "A"),
        _structure_key(economy.services_curve, "S"),
        economy.expenditure,
    )
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _build(economy)
        _COMPILED[key] = compiled
    return compiled


# Compiled economies by structure key. Lambdify and sympy.solve take tens of
# milliseconds, and a sweep or a finite difference reuses one structure many times.
_COMPILED: dict[tuple, CompiledEconomy] = {}


def _build(economy: Economy) -> CompiledEconomy:
    curve_symbols = curve_parameter_symbols(economy)
    parameter_symbols = _SCALAR_SYMBOLS + tuple(curve_symbols.values())
    names = SCALAR_PARAMETERS + tuple(curve_symbols)

    expressions = threshold_expressions(economy)
    inverses: dict[str, Callable] = {}
    log_curves: dict[str, Callable] = {}
    closed_form: dict[str, bool] = {}
    for name in THRESHOLD_NAMES:
        expression = expressions[name]
        closed_form[name] = expression is not None
        if expression is not None:
            inverses[name] = _lambdify((sym.omega,) + parameter_symbols, expression)
        curve, tag = (economy.goods_curve, "A") if name.startswith("z") else (economy.services_curve, "S")
        log_curves[name] = _lambdify((sym.z,) + parameter_symbols, sp.log(curve.expression(sym.z, tag)))

    spending = goods_spending_function(economy)
    goods_spending = _lambdify((sym.z,) + parameter_symbols, spending(sym.z))
    condition = labour_market_condition(spending)
    labour_market = _lambdify(
        (sym.omega,) + _THRESHOLD_ARGS + parameter_symbols, condition.lhs - condition.rhs
    )
    return CompiledEconomy(names, closed_form, inverses, log_curves, goods_spending, labour_market)
