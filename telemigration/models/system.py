"""The DFS equilibrium with goods and service tasks as SymPy equations.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.1 to 5.3,
with trade costs that may differ by direction (NS: North selling in the South,
SN: South selling in the North):

* equal-price conditions (eq. 1 and section 5.2)
  ``tau_g^NS omega = A(z_S)``, ``omega = tau_g^SN A(z_N)``,
  ``tau_s^NS omega = S(t_S)``, ``omega = tau_s^SN S(t_N)``;
* North's labour market, from w L = gamma {w* L* B(z_S) + w L B(z_N)}
  + (1 - gamma) {w* L* t_S + w L t_N}, divided by w* L:
  ``omega (1 - gamma B(z_N) - (1 - gamma) t_N) = ell (gamma B(z_S) + (1 - gamma) t_S)``
  with ell = L*/L.

These objects are the single source for the derivations, the LaTeX and, through
``telemigration.solvers.bridge``, the compiled JAX functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from telemigration.models import symbols as sym
from telemigration.models.curves import ContinuousCurve, Curve, InverseCurve, PowerCurve, TabulatedCurve
from telemigration.models.regime import Position, Regime

# Cost that enters each threshold, and whether the cost multiplies omega (the
# exporter is North) or divides it (the exporter is South).
THRESHOLD_COSTS = {
    "z_S": (sym.tau_g_NS, "times"),
    "z_N": (sym.tau_g_SN, "divides"),
    "t_S": (sym.tau_s_NS, "times"),
    "t_N": (sym.tau_s_SN, "divides"),
}


@dataclass(frozen=True)
class Economy:
    """The primitives that are not scalar parameters: the two curves and goods spending.

    ``expenditure`` is the cumulative goods expenditure share B(z) as an
    expression in ``telemigration.models.symbols.z``; the default is uniform,
    B(z) = z. A tabulated goods curve brings its own shares and ignores it.
    """

    goods_curve: Curve = field(default_factory=InverseCurve)
    services_curve: Curve = field(default_factory=PowerCurve)
    expenditure: sp.Expr = sym.z

    @property
    def is_tabulated(self) -> bool:
        """True when either curve is a table, so the exact discrete solver applies."""
        return isinstance(self.goods_curve, TabulatedCurve) or isinstance(self.services_curve, TabulatedCurve)


def equal_price_conditions() -> dict[str, sp.Eq]:
    """Return the four equal-price conditions for general curves A and S."""
    return {
        "z_S": sp.Eq(sym.tau_g_NS * sym.omega, sym.A(sym.z_S)),
        "z_N": sp.Eq(sym.omega, sym.tau_g_SN * sym.A(sym.z_N)),
        "t_S": sp.Eq(sym.tau_s_NS * sym.omega, sym.S(sym.t_S)),
        "t_N": sp.Eq(sym.omega, sym.tau_s_SN * sym.S(sym.t_N)),
    }


def labour_market_condition(goods_spending: sp.Expr | None = None) -> sp.Eq:
    """Return North's labour-market condition divided by w* L.

    ``goods_spending`` maps a goods threshold to the share of goods spending it
    covers; the default is the undefined function B.
    """
    B = goods_spending if goods_spending is not None else sym.B
    north_home = sym.gamma * B(sym.z_N) + (1 - sym.gamma) * sym.t_N
    north_exports = sym.gamma * B(sym.z_S) + (1 - sym.gamma) * sym.t_S
    return sp.Eq(sym.omega * (1 - north_home), sym.labour_ratio * north_exports)


def cost_ratio(name: str) -> sp.Expr:
    """Return the cost ratio at which the curve equals the threshold ``name``.

    For z_S this is tau_g^NS omega, for z_N it is omega / tau_g^SN.
    """
    cost, how = THRESHOLD_COSTS[name]
    return cost * sym.omega if how == "times" else sym.omega / cost


def threshold_expressions(economy: Economy) -> dict[str, sp.Expr | None]:
    """Return each threshold as a closed-form function of omega and the parameters.

    The expressions are the unclamped inverses of the curves; the solver clamps
    them to [0, 1]. Goods curve parameters carry the tag ``A`` and services curve
    parameters the tag ``S``. A threshold whose curve has no closed-form inverse
    (or is tabulated) maps to None.
    """
    result: dict[str, sp.Expr | None] = {}
    for name in ("z_S", "z_N", "t_S", "t_N"):
        curve, tag = (economy.goods_curve, "A") if name.startswith("z") else (economy.services_curve, "S")
        if isinstance(curve, ContinuousCurve):
            inverse = curve.inverse_expression(sym.x, tag)
            result[name] = None if inverse is None else inverse.subs(sym.x, cost_ratio(name))
        else:
            result[name] = None
    return result


def goods_spending_function(economy: Economy) -> sp.Lambda:
    """Return B as a SymPy Lambda in one argument."""
    u = sp.Symbol("u", nonnegative=True)
    return sp.Lambda(u, economy.expenditure.subs(sym.z, u))


def reduced_condition(economy: Economy, regime: Regime | None = None) -> sp.Expr:
    """Return the labour-market residual as a function of omega alone, in one regime.

    Each threshold is replaced by its closed-form inverse when interior, by 0 or 1
    at a corner. The residual ``omega (1 - X_N) - ell X_S`` rises strictly in omega,
    which is why the equilibrium is unique. ``regime`` defaults to all interior.
    """
    regime = regime or Regime.interior()
    condition = labour_market_condition(goods_spending_function(economy))
    expressions = threshold_expressions(economy)
    substitutions = {}
    for name, symbol in sym.THRESHOLD_SYMBOLS.items():
        position = regime.position(name)
        if position is Position.LOWER:
            substitutions[symbol] = sp.Integer(0)
        elif position is Position.UPPER:
            substitutions[symbol] = sp.Integer(1)
        else:
            if expressions[name] is None:
                raise ValueError(f"threshold {name} has no closed-form inverse for this curve")
            substitutions[symbol] = expressions[name]
    return (condition.lhs - condition.rhs).subs(substitutions)


def curve_parameter_symbols(economy: Economy) -> dict[str, sp.Symbol]:
    """Return the tagged parameter symbols of both continuous curves by public name.

    Names are ``goods.<parameter>`` and ``services.<parameter>``, for example
    ``services.alpha``.
    """
    result: dict[str, sp.Symbol] = {}
    for prefix, tag, curve in (("goods", "A", economy.goods_curve), ("services", "S", economy.services_curve)):
        if isinstance(curve, ContinuousCurve):
            for name, symbol in zip(curve.parameter_names(), curve.parameter_symbols(tag)):
                result[f"{prefix}.{name}"] = symbol
    return result
