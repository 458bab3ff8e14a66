"""Four-way audit of d omega/dp: JAX autodiff, SymPy's implicit derivative, finite differences, closed forms.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.2 and 5.3:
within a regime omega solves F(omega, p) = 0 and d omega/dp = -F_p/F_omega. The
audit computes that derivative four independent ways on a spread of points that
covers each regime of each curve family and points next to a tipping point:

* ``autodiff``: ``comparative_statics`` (JAX through the implicit adjoint of the
  solve); for a tabulated goods curve, ``tabulated_statics``;
* ``sympy``: ``telemigration.derivations.implicit`` at 30 digits, at its own
  mpmath root of the regime's residual;
* ``finite_difference``: central differences of re-solved equilibria with the
  relative step cbrt(eps) = 6e-6, one-sided (three-point, same order) next to
  or at a boundary so the stencil stays in one regime;
* ``closed_form``: -(dP/dp)/(dP/d omega) on the regime polynomial when
  S(t) = 1/sqrt(t), the free-trade cubic for gamma, and the goods-only
  omega(tau) = 1/(tau z_S(tau)) when gamma = 1.

At a tipping point itself the derivative is one-sided: a point there names the
side (left: the parameter falls, right: it rises) and the regime that holds on
that side, and every method computes that side.

A method that does not apply to a point is None for that row.
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass, replace
from typing import Callable, Mapping

import sympy as sp

from telemigration.derivations import closed_forms, dfs, implicit
from telemigration.derivations.latex import regime_code
from telemigration.errors import InvalidParameterError, SolverError
from telemigration.models import symbols as sym
from telemigration.models.curves import (
    EatonKortumCurve,
    HockeyStickCurve,
    InverseCurve,
    PowerCurve,
    TabulatedCurve,
)
from telemigration.models.parameters import Parameters
from telemigration.models.regime import Position, Regime
from telemigration.models.system import Economy
from telemigration.solvers.equilibrium import solve_equilibrium
from telemigration.solvers.result import Equilibrium
from telemigration.solvers.statics import (
    FINITE_DIFFERENCE_STEP,
    comparative_statics,
    finite_difference_derivative,
    parameter_names,
)
from telemigration.solvers.tabulated_statics import tabulated_statics
from telemigration.solvers.tipping import find_tipping_points

logger = logging.getLogger(__name__)

METHODS = ("autodiff", "sympy", "finite_difference", "closed_form")

# Relative tolerances per method pair. Autodiff, SymPy and closed forms are exact
# formulas evaluated at an omega the solver finds to about 1e-12 relative, so 1e-8
# leaves four orders of margin (the default points show at most 3e-10). A central
# difference with step h = 6e-6 has truncation error of order h^2 = 4e-11 and
# rounding error of order eps/h = 4e-11, relative. The one-sided three-point
# stencils next to a tipping point meet large third derivatives, and the default
# points show up to 2.3e-6 there, so finite differences get 1e-5.
EXACT_TOLERANCE = 1e-8
FINITE_DIFFERENCE_TOLERANCE = 1e-5
# Discrepancies are relative to max(|a|, |b|, this floor), so a derivative that is
# 0 in exact arithmetic is compared in absolute terms. A finite difference returns
# it as noise: about 4e-11 inside a regime, and up to 5e-10 with a one-sided
# stencil that starts at a tipping point located to about 1e-12. Then
# 5e-10/1e-3 = 5e-7 stays well within 1e-5.
ABSOLUTE_FLOOR = 1e-3

# Distance from a tipping point of the points "next to a boundary", relative to
# the parameter. It exceeds the two steps of a one-sided stencil (1.2e-5) so the
# stencil stays in one regime.
BOUNDARY_OFFSET = 1e-4


def pair_tolerance(first: str, second: str) -> float:
    """Return the relative tolerance of the comparison of two methods."""
    return FINITE_DIFFERENCE_TOLERANCE if "finite_difference" in (first, second) else EXACT_TOLERANCE


@dataclass(frozen=True)
class AuditPoint:
    """One economy and parameter point, the parameters to audit there and the finite-difference side.

    ``regime`` is the regime of the audited side at a tipping point; None means
    the regime the solver finds.
    """

    curve: str
    description: str
    economy: Economy
    params: Parameters
    parameters: tuple[str, ...]
    side: str = "central"
    regime: Regime | None = None

    def regime_at(self, equilibrium: Equilibrium) -> Regime:
        """Return the regime whose smooth system the audited derivative belongs to."""
        return self.regime if self.regime is not None else equilibrium.regime


@dataclass(frozen=True)
class AuditRow:
    """d omega/dp by each method at one point, with the discrepancies and tolerances per method pair.

    ``max_relative_discrepancy`` is the largest discrepancy over pairs.
    ``worst_pair`` is the pair with the largest ratio of discrepancy to
    tolerance, and ``tolerance`` is that pair's tolerance. ``ok`` is true when
    every pair is within its own tolerance.
    """

    curve: str
    point: str
    parameter: str
    regime: str
    values: tuple[tuple[str, float | None], ...]
    discrepancies: tuple[tuple[str, float], ...]
    tolerances: tuple[tuple[str, float], ...]
    max_relative_discrepancy: float
    worst_pair: str
    tolerance: float
    ok: bool

    def to_dict(self) -> dict[str, object]:
        """Return the row with plain types, for JSON output."""
        return {
            "curve": self.curve,
            "point": self.point,
            "parameter": self.parameter,
            "regime": self.regime,
            "values": dict(self.values),
            "discrepancies": dict(self.discrepancies),
            "tolerances": dict(self.tolerances),
            "max_relative_discrepancy": self.max_relative_discrepancy,
            "worst_pair": self.worst_pair,
            "tolerance": self.tolerance,
            "ok": self.ok,
        }


# A method maps a point and its solved equilibrium to d omega/dp by parameter name
# (None where it does not apply).
Method = Callable[[AuditPoint, Equilibrium], Mapping[str, float | None]]


def autodiff_method(point: AuditPoint, equilibrium: Equilibrium) -> dict[str, float | None]:
    """Return JAX's d omega/dp from the solver's comparative statics, the ``point.side`` side at a kink."""
    if point.economy.is_tabulated:
        table = tabulated_statics(point.economy, point.params, outputs=("omega",), with_respect_to=point.parameters)
        return {p: _side(table["omega"][p], point.side) for p in point.parameters}
    statics = comparative_statics(point.economy, point.params, outputs=("omega",), with_respect_to=point.parameters)
    return {p: _side(statics.derivative("omega", p), point.side) for p in point.parameters}


def _side(derivative, side: str) -> float:
    return derivative.left if side == "left" else derivative.right


def sympy_method(point: AuditPoint, equilibrium: Equilibrium) -> dict[str, float | None]:
    """Return SymPy's implicit-function derivative in the solver's regime, at SymPy's own root."""
    if point.economy.is_tabulated:
        return {p: None for p in point.parameters}
    regime = point.regime_at(equilibrium)
    omega = implicit.solve_regime_omega(point.economy, point.params, regime)
    return {
        p: implicit.implicit_derivative(point.economy, regime, p).evaluate(point.params, omega, ("omega",))["omega"]
        for p in point.parameters
    }


def finite_difference_method(point: AuditPoint, equilibrium: Equilibrium) -> dict[str, float | None]:
    """Return finite differences of re-solved equilibria with the step cbrt(eps) relative."""
    if not point.economy.is_tabulated:
        return {p: finite_difference_derivative(point.economy, point.params, "omega", p, side=point.side)
                for p in point.parameters}
    result = {}
    for parameter in point.parameters:
        value = _parameter_value(point.params, parameter)
        step = FINITE_DIFFERENCE_STEP * max(1.0, abs(value))
        up = solve_equilibrium(point.economy, point.params.with_value(parameter, value + step)).omega
        down = solve_equilibrium(point.economy, point.params.with_value(parameter, value - step)).omega
        result[parameter] = (up - down) / (2.0 * step)
    return result


def _parameter_value(params: Parameters, parameter: str) -> float:
    if parameter in ("tau_g", "tau_s"):
        first, second = getattr(params, f"{parameter}_ns"), getattr(params, f"{parameter}_sn")
        if first != second:
            raise InvalidParameterError(
            parameter, (first, second), "a common cost is audited only where both directions are equal"
        )
        return first
    return getattr(params, parameter)


def _is_root_power(curve) -> bool:
    return isinstance(curve, PowerCurve) and curve.c == 1.0 and curve.alpha == 0.5


def closed_form_method(point: AuditPoint, equilibrium: Equilibrium) -> dict[str, float | None]:
    """Return closed-form derivatives where the functional forms allow one, else None.

    A = 1/z with S = 1/sqrt(t): -(dP/dp)/(dP/d omega) on the regime polynomial, and
    at free trade with ell = 1 the free-trade cubic for gamma. A = 1/z with
    gamma = 1, symmetric goods costs and ell = 1: d/d tau of the goods-only omega.
    """
    result: dict[str, float | None] = {p: None for p in point.parameters}
    economy, params = point.economy, point.params
    if not isinstance(economy.goods_curve, InverseCurve) or economy.expenditure != sym.z:
        return result
    values = implicit.numeric_values(economy, params)
    if _is_root_power(economy.services_curve):
        polynomial = closed_forms.regime_polynomial(point.regime_at(equilibrium))
        root = closed_forms.polynomial_positive_root(polynomial, values)
        for parameter in point.parameters:
            symbols = implicit.parameter_symbols(economy).get(parameter, ())
            if any(symbol not in values or symbol.name.endswith("_S") for symbol in symbols):
                continue
            derivative = sum(closed_forms.polynomial_root_derivative(polynomial, s) for s in symbols)
            result[parameter] = float(sp.N(derivative.subs({**values, sym.omega: root}), 30))
        free_trade = all(getattr(params, c) == 1.0 for c in ("tau_g_ns", "tau_g_sn", "tau_s_ns", "tau_s_sn"))
        if free_trade and params.labour_ratio == 1.0 and "gamma" in point.parameters:
            root = closed_forms.free_trade_root(params.gamma).exact
            slope = closed_forms.free_trade_domega_dgamma()
            result["gamma"] = float(sp.N(slope.subs({sym.omega: root, sym.gamma: sp.nsimplify(params.gamma)}), 30))
    goods_only = params.gamma == 1.0 and params.tau_g_ns == params.tau_g_sn and params.labour_ratio == 1.0
    if goods_only and "tau_g" in point.parameters:
        slope = sp.diff(dfs.goods_only_omega(), sym.tau)
        result["tau_g"] = float(sp.N(slope.subs(sym.tau, params.tau_g_ns), 30))
    return result


DEFAULT_METHODS: dict[str, Method] = {
    "autodiff": autodiff_method,
    "sympy": sympy_method,
    "finite_difference": finite_difference_method,
    "closed_form": closed_form_method,
}


def _services_tipping_point(economy: Economy) -> float:
    """Return tau_s in [1.3, 2] where South starts selling services (t_N leaves 1), tau_g = 1.1, gamma = 1/2."""
    params = Parameters.symmetric(tau_g=1.1, tau_s=2.0, gamma=0.5)
    boundaries = [b for b in find_tipping_points(economy, params, "tau_s", 1.3, 2.0) if b.threshold == "t_N"]
    if len(boundaries) != 1:
        raise SolverError(f"expected one t_N tipping point of tau_s in [1.3, 2], found {len(boundaries)}",
                          advice="the hockey-stick defaults or the tipping-point search changed")
    return boundaries[0].value


@functools.lru_cache(maxsize=1)
def default_points() -> tuple[AuditPoint, ...]:
    """Return the audit's spread of points: every curve family, each regime, next to a tipping point."""
    inverse = InverseCurve()
    root = PowerCurve(1.0, 0.5)
    power = PowerCurve(1.2, 0.7)
    ek = EatonKortumCurve(2.0, 4.0)
    hockey = HockeyStickCurve()
    asymmetric = Parameters(1.1, 1.3, 1.5, 1.2, gamma=0.6, labour_ratio=1.3)

    points = [
        AuditPoint("power 1/sqrt(t)", "free trade, gamma = 1/2", Economy(inverse, root),
                   Parameters.symmetric(gamma=0.5), ("gamma", "labour_ratio")),
        AuditPoint("power 1/sqrt(t)", "interior, tau_g = 1.2, tau_s = 1.3", Economy(inverse, root),
                   Parameters.symmetric(1.2, 1.3, 0.5, 1.0), None),
        AuditPoint("power 1/sqrt(t)", "asymmetric costs, gamma = 0.6, ell = 1.3", Economy(inverse, root),
                   asymmetric, None),
        AuditPoint("power 1/sqrt(t)", "no South services, tau_s = 2", Economy(inverse, root),
                   Parameters.symmetric(1.1, 2.0, 0.5, 1.0), None),
        AuditPoint("inverse goods", "goods only, gamma = 1, tau_g = 1.3", Economy(inverse, root),
                   Parameters.symmetric(1.3, 1.0, 1.0, 1.0), ("tau_g", "tau_g_ns", "labour_ratio"), side="left"),
        AuditPoint("power c = 1.2, alpha = 0.7", "interior, tau_g = 1.15, tau_s = 1.4", Economy(inverse, power),
                   Parameters.symmetric(1.15, 1.4, 0.4, 0.8), None),
        AuditPoint("ek lambda = 2, theta = 4", "tau_g = 1.1, tau_s = 2", Economy(inverse, ek),
                   Parameters.symmetric(1.1, 2.0, 0.5, 1.0), None),
        AuditPoint("ek lambda = 2, theta = 4", "asymmetric costs, gamma = 0.6, ell = 1.3", Economy(inverse, ek),
                   asymmetric, None),
        AuditPoint("hockey stick", "no South services, tau_s = 2", Economy(inverse, hockey),
                   Parameters.symmetric(1.1, 2.0, 0.5, 1.0), None),
        AuditPoint("hockey stick", "South sells on the blade, tau_s = 1.2", Economy(inverse, hockey),
                   Parameters.symmetric(1.1, 1.2, 0.5, 1.0), None),
    ]

    # One tipping-point search per services curve, shared by the points next to it and at it.
    tipping_points = {}
    for curve, services in (("hockey stick", hockey), ("power 1/sqrt(t)", root)):
        economy = Economy(inverse, services)
        tipping_points[curve] = (economy, _services_tipping_point(economy))

    hockey_economy, tipping = tipping_points["hockey stick"]
    for offset, side, where in ((BOUNDARY_OFFSET, "right", "above"), (-BOUNDARY_OFFSET, "left", "below")):
        tau_s = tipping * (1.0 + offset)
        points.append(AuditPoint(
            "hockey stick", f"just {where} the tipping point tau_s = {tipping:.6f}", hockey_economy,
            Parameters.symmetric(1.1, tau_s, 0.5, 1.0), ("tau_s", "tau_s_sn", "gamma", "services.h"), side=side,
        ))

    # At the tipping point itself: t_N rises with tau_s, so South sells services
    # (all interior) on the left and none (t_N = 1) on the right.
    no_south_services = Regime(Position.INTERIOR, Position.INTERIOR, Position.INTERIOR, Position.UPPER)
    for curve, (economy, tipping) in tipping_points.items():
        for side, regime in (("left", Regime.interior()), ("right", no_south_services)):
            points.append(AuditPoint(
                curve, f"at the tipping point tau_s = {tipping:.6f}, {side} side", economy,
                Parameters.symmetric(1.1, tipping, 0.5, 1.0), ("tau_s", "tau_s_sn"), side=side, regime=regime,
            ))

    goods_table = TabulatedCurve((4.0, 2.5, 1.6, 1.1), (1.0, 1.0, 1.0, 1.0), (0.3, 0.3, 0.2, 0.2), source="audit")
    points.append(AuditPoint("table goods, power services", "4 goods, tau_g = 1.1, tau_s = 1.3",
                             Economy(goods_table, root), Parameters.symmetric(1.1, 1.3, 0.5, 1.0),
                             ("tau_s", "tau_s_ns", "gamma", "labour_ratio")))
    return tuple(point if point.parameters is not None else replace(point, parameters=parameter_names(point.economy))
                 for point in points)


def _compare(values: dict[str, float | None]) -> tuple[dict[str, float], dict[str, float]]:
    present = [(name, value) for name, value in values.items() if value is not None]
    discrepancies, tolerances = {}, {}
    for index, (first, a) in enumerate(present):
        for second, b in present[index + 1:]:
            pair = f"{first}/{second}"
            scale = max(abs(a), abs(b), ABSOLUTE_FLOOR)
            discrepancies[pair] = abs(a - b) / scale if math.isfinite(a) and math.isfinite(b) else math.inf
            tolerances[pair] = pair_tolerance(first, second)
    return discrepancies, tolerances


def audit_point(point: AuditPoint, methods: Mapping[str, Method] | None = None) -> tuple[AuditRow, ...]:
    """Audit one point: one row per parameter."""
    methods = dict(DEFAULT_METHODS) if methods is None else dict(methods)
    equilibrium = solve_equilibrium(point.economy, point.params)
    by_method = {name: method(point, equilibrium) for name, method in methods.items()}
    regime = regime_code(point.regime_at(equilibrium))
    rows = []
    for parameter in point.parameters:
        values = {name: by_method[name].get(parameter) for name in methods}
        discrepancies, tolerances = _compare(values)
        ratios = {pair: discrepancies[pair] / tolerances[pair] for pair in discrepancies}
        worst = max(ratios, key=ratios.get) if ratios else None
        ok = len(discrepancies) > 0 and all(ratio <= 1.0 for ratio in ratios.values())
        rows.append(AuditRow(
            point.curve, point.description, parameter, regime,
            tuple(values.items()), tuple(discrepancies.items()), tuple(tolerances.items()),
            max(discrepancies.values(), default=math.inf),
            worst or "",
            tolerances[worst] if worst else EXACT_TOLERANCE,
            ok,
        ))
        if not ok:
            logger.warning("audit row failed: %s, %s, d omega/d %s: %s", point.curve, point.description,
                           parameter, discrepancies)
    return tuple(rows)


def run_audit(
    points: tuple[AuditPoint, ...] | None = None, methods: Mapping[str, Method] | None = None
) -> tuple[AuditRow, ...]:
    """Run the derivative audit on ``points`` (default ``default_points()``) and return every row.

    ``methods`` replaces the four default methods, for example to check that a
    perturbed method makes rows fail. A row with fewer than two methods is not ok.
    """
    rows: list[AuditRow] = []
    for point in points if points is not None else default_points():
        rows.extend(audit_point(point, methods))
    return tuple(rows)
