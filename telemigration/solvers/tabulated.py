"""Exact equilibrium of the DFS model when goods or service tasks come as a table.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.1 to 5.3.
A ``TabulatedCurve`` with N goods is a step function: good i occupies
((i-1)/N, i/N] on the index line with relative productivity A_i = a*_i/a_i,
strictly falling, and expenditure share b_i. North sells good i in the South iff
tau_g^NS omega < A_i, and at home iff omega/tau_g^SN < A_i. North's labour market,
divided by w* L (w* = 1, L = 1, ell = L*/L), is

    F(omega) = omega (1 - gamma X_gN - (1 - gamma) X_tN) - ell (gamma X_gS + (1 - gamma) X_tS) = 0,

where X_gS and X_gN are the goods spending shares North serves in the South and
at home, and X_tS, X_tN the same for service tasks. F rises in omega. A tabulated
sector makes it jump upwards at the critical values A_i/tau^NS (good i leaves
North's sales in the South) and tau^SN A_i (good i leaves North's home market).

The equilibrium is found exactly, in one of two ways. F may cross zero inside an
open interval between two consecutive critical values, where every tabulated
share is constant. When both sectors are tabulated F is then linear in omega and
is solved in closed form; otherwise Brent's method solves for the continuous
sector. Or F jumps over zero at a critical value. Then omega equals that critical
value and the marginal good is split, because the labour-market condition is
linear in North's share s of the good's spending and gives s in (0, 1).

Conventions for the split. When several goods or tasks have the same critical
value (with free trade, tau = 1, the same good is marginal in both markets), the
labour market pins only North's total, so this solver gives North the same share
s of each: production location does not depend on where the buyer lives. A
threshold is reported as a share of the index line, z = (k - 1 + s)/N for marginal
good k, so that B(z) = B_{k-1} + s b_k. Tabulated tasks are weighted by their
shares (equal weights 1/N unless given), so with unequal weights the services
trade flows use those weights rather than t_S itself.

A continuous sector is evaluated through ``telemigration.solvers.bridge``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np
from scipy.optimize import brentq

from telemigration.errors import InvalidCurveError, InvalidParameterError, SolverError
from telemigration.models.curves import ContinuousCurve, InverseCurve, PowerCurve, TabulatedCurve
from telemigration.models.parameters import SCALAR_PARAMETERS, Parameters
from telemigration.models.regime import Position, Regime
from telemigration.models.system import Economy
from telemigration.solvers.bridge import CompiledEconomy, compile_economy
from telemigration.solvers.equilibrium import (
    CORNER_TOLERANCE,
    SCALAR_COMPILER_OPTIONS,
    flows_from_spending,
    trade_balance,
)
from telemigration.solvers.result import Equilibrium, MarginalGoods, SolveStatus, Thresholds, TradeFlows

logger = logging.getLogger(__name__)

# The four markets, named by their thresholds: sector letter, then where the buyer lives.
MARKETS = ("z_S", "z_N", "t_S", "t_N")
_SECTOR_OF = {"z_S": "goods", "z_N": "goods", "t_S": "services", "t_N": "services"}
_COST_OF = {"z_S": "tau_g_ns", "z_N": "tau_g_sn", "t_S": "tau_s_ns", "t_N": "tau_s_sn"}


# ---------------------------------------------------------------------------
# Sectors: a step function from a table, or a continuous curve via the bridge
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class StepSector:
    """A tabulated sector: ratio_i = a*_i/a_i strictly falling, spending shares b_i."""

    ratio: np.ndarray
    shares: np.ndarray
    cumulative: np.ndarray

    @property
    def size(self) -> int:
        return int(self.ratio.size)

    def critical_values(self, market: str, cost: float) -> np.ndarray:
        """omega at which each good changes hands: ratio/tau^NS (South) or tau^SN ratio (North)."""
        return self.ratio / cost if market.endswith("S") else cost * self.ratio

    def north_count(self, market: str, cost: float, omega, side: str) -> np.ndarray:
        """Count the goods North sells in full, vectorised over omega.

        A good whose critical value exceeds omega is North's, and ``side="left"``
        also gives North a good whose critical value equals omega. Comparing with
        the stored critical values, never re-multiplying by the cost, keeps ties
        exact when omega was set to a critical value.
        """
        critical = self.critical_values(market, cost)
        omega = np.asarray(omega, dtype=np.float64)
        above = critical >= omega[..., None] if side == "left" else critical > omega[..., None]
        return np.sum(above, axis=-1)


@dataclass(frozen=True, eq=False)
class SmoothSector:
    """A continuous sector, evaluated with the JAX functions of ``bridge.compile_economy``.

    The bridge compiles only economies whose curves are both continuous. So
    ``stand_in`` is the economy with the tabulated curve replaced by a default
    continuous one, and only this sector's functions are ever called.
    """

    compiled: CompiledEconomy
    stand_in: Economy
    sector: str

    def theta(self, params: Parameters) -> jax.Array:
        return self.compiled.theta(self.stand_in, params)

    def threshold(self, market: str, params: Parameters, omega) -> np.ndarray:
        """Evaluate the threshold clamped to [0, 1], vectorised over omega."""
        value = self.compiled.unclamped_threshold(market, jnp.asarray(omega, dtype=jnp.float64), self.theta(params))
        value = np.asarray(value, dtype=np.float64)
        if np.any(np.isnan(value)):
            raise SolverError(
                f"the inverse {self.sector} curve returned NaN for threshold {market} at omega = {omega}",
                advice="check that the curve is finite and strictly decreasing on (0, 1)",
            )
        return np.clip(value, 0.0, 1.0)

    def spending(self, market: str, params: Parameters, threshold) -> np.ndarray:
        """Evaluate the spending share of goods or tasks [0, threshold]: B(z) for goods, t for tasks."""
        threshold = np.asarray(threshold, dtype=np.float64)
        if self.sector == "services":
            return threshold
        value = self.compiled.goods_spending(jnp.asarray(threshold, dtype=jnp.float64), self.theta(params))
        return np.asarray(value, dtype=np.float64)

    def position(self, market: str, params: Parameters, omega: float) -> Position:
        """Classify the threshold as at a corner or inside, within ``equilibrium.CORNER_TOLERANCE``."""
        above_zero, above_one = self.corner_gaps(market, params, omega)
        if above_zero <= CORNER_TOLERANCE:
            return Position.LOWER
        if above_one >= -CORNER_TOLERANCE:
            return Position.UPPER
        return Position.INTERIOR

    def corner_gaps(self, market: str, params: Parameters, omega: float) -> tuple[float, float]:
        """Return (gap to 0, gap to 1): each positive when the threshold lies above that corner."""
        theta, omega_array = self.theta(params), jnp.asarray(omega, dtype=jnp.float64)
        return (
            float(self.compiled.corner_gap(market, 0.0, omega_array, theta)),
            float(self.compiled.corner_gap(market, 1.0, omega_array, theta)),
        )

    def slopes(self, market: str, params: Parameters, omega: float) -> tuple[float, float, float]:
        """Return (du/d omega, du/d cost, dX/du) for the unclamped threshold u and spending X.

        JAX differentiates the bridge's functions; a numerically inverted curve is
        differentiated by the implicit function theorem inside the bridge.
        """
        theta = self.theta(params)
        cost_index = SCALAR_PARAMETERS.index(_COST_OF[market])
        d_omega, d_theta = _threshold_gradient(self.compiled, market)(jnp.asarray(omega, dtype=jnp.float64), theta)
        if self.sector == "services":
            spending_slope = 1.0
        else:
            u = float(self.threshold(market, params, omega))
            spending_slope = float(_spending_gradient(self.compiled)(jnp.asarray(u, dtype=jnp.float64), theta))
        return float(d_omega), float(d_theta[cost_index]), spending_slope


# Jitted gradients by compiled economy (and market). Taken op by op, each
# gradient traced the bridge's functions again, at tens of milliseconds a call.
_GRADIENTS: dict[tuple, Callable] = {}


def _threshold_gradient(compiled: CompiledEconomy, market: str) -> Callable:
    """Return (omega, theta) -> (du/d omega, du/d theta) for the unclamped threshold u of ``market``."""
    key = (id(compiled), market)
    if key not in _GRADIENTS:
        _GRADIENTS[key] = jax.jit(
            jax.grad(lambda w, th: compiled.unclamped_threshold(market, w, th), argnums=(0, 1)),
            compiler_options=SCALAR_COMPILER_OPTIONS,
        )
    return _GRADIENTS[key]


def _spending_gradient(compiled: CompiledEconomy) -> Callable:
    """Return (z, theta) -> dB/dz, the slope of the goods spending function."""
    key = (id(compiled), "goods spending")
    if key not in _GRADIENTS:
        _GRADIENTS[key] = jax.jit(
            jax.grad(lambda z, th: compiled.goods_spending(z, th)), compiler_options=SCALAR_COMPILER_OPTIONS
        )
    return _GRADIENTS[key]


@dataclass(frozen=True, eq=False)
class TabulatedModel:
    """The two sectors of an economy with at least one tabulated curve."""

    goods: StepSector | SmoothSector
    services: StepSector | SmoothSector

    def sector(self, market: str) -> StepSector | SmoothSector:
        return self.goods if _SECTOR_OF[market] == "goods" else self.services

    def is_step(self, market: str) -> bool:
        return isinstance(self.sector(market), StepSector)


def weight(market: str, params: Parameters) -> float:
    """Upper-tier spending weight of the market's sector: gamma for goods, 1 - gamma for tasks."""
    return params.gamma if _SECTOR_OF[market] == "goods" else 1.0 - params.gamma


def build_model(economy: Economy) -> TabulatedModel:
    """Validate the economy and wrap each of its curves as a step or a smooth sector."""
    if not isinstance(economy, Economy):
        raise InvalidParameterError("economy", economy, "expected a telemigration.models.system.Economy")
    if not economy.is_tabulated:
        raise InvalidCurveError(
            "economy", economy,
            "solve_tabulated needs a TabulatedCurve for goods or services; use solve_equilibrium otherwise",
        )
    stand_in = economy
    if isinstance(economy.goods_curve, TabulatedCurve):
        stand_in = replace(stand_in, goods_curve=InverseCurve())
    if isinstance(economy.services_curve, TabulatedCurve):
        stand_in = replace(stand_in, services_curve=PowerCurve())
    sectors = []
    for name, curve in (("goods", economy.goods_curve), ("services", economy.services_curve)):
        if isinstance(curve, TabulatedCurve):
            sectors.append(StepSector(curve.relative_productivity, np.asarray(curve.shares), curve.cumulative_shares))
        elif isinstance(curve, ContinuousCurve):
            sectors.append(SmoothSector(compile_economy(stand_in), stand_in, name))
        else:
            raise InvalidCurveError(f"{name}_curve", curve, "expected a TabulatedCurve or a ContinuousCurve")
    return TabulatedModel(*sectors)


# ---------------------------------------------------------------------------
# The residual and the solve
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TabulatedState:
    """A solved state: omega, North's share of split goods and full counts in each step market.

    ``counts`` maps each step market to the number of goods North sells in full.
    ``split`` contains the step markets whose next good (0-based index
    ``counts[m]``) is shared, with North's share ``split_share``. ``split`` is
    empty when omega lies inside a plateau. ``iterations`` counts Brent steps.
    """

    omega: float
    split_share: float
    counts: tuple[tuple[str, int], ...]
    split: frozenset[str]
    iterations: int

    def count(self, market: str) -> int:
        return dict(self.counts)[market]


def spending_share(model: TabulatedModel, params: Parameters, market: str, omega, counts: dict,
                   split=frozenset(), share: float = 0.0):
    """Spending share X_m North serves in one market; vectorised over omega for a smooth sector."""
    sector = model.sector(market)
    if isinstance(sector, StepSector):
        n = counts[market]
        value = sector.cumulative[n]
        if market in split:
            value = value + share * sector.shares[n]
        return value
    return sector.spending(market, params, sector.threshold(market, params, omega))


def residual(model: TabulatedModel, params: Parameters, omega, counts: dict, split=frozenset(), share: float = 0.0):
    """F(omega) with the step markets' counts held fixed: North's labour demand minus supply, over w* L."""
    # A market without spending weight is skipped, which also spares evaluating its curve.
    x = {m: spending_share(model, params, m, omega, counts, split, share) if weight(m, params) > 0.0 else 0.0
         for m in MARKETS}
    gamma, ell = params.gamma, params.labour_ratio
    home = gamma * x["z_N"] + (1.0 - gamma) * x["t_N"]
    exports = gamma * x["z_S"] + (1.0 - gamma) * x["t_S"]
    return omega * (1.0 - home) - ell * exports


def _active_step_markets(model: TabulatedModel, params: Parameters) -> tuple[str, ...]:
    """Step markets whose jumps move F: a tabulated sector with positive spending weight."""
    return tuple(m for m in MARKETS if model.is_step(m) and weight(m, params) > 0.0)


def _counts_at(model: TabulatedModel, params: Parameters, omega, side: str) -> dict:
    return {
        m: model.sector(m).north_count(m, getattr(params, _COST_OF[m]), omega, side)
        for m in MARKETS
        if model.is_step(m)
    }


def solve_state(model: TabulatedModel, params: Parameters) -> TabulatedState:
    """Locate the zero of F among the plateaus and jumps; see the module docstring."""
    active = _active_step_markets(model, params)
    pieces = [model.sector(m).critical_values(m, getattr(params, _COST_OF[m])) for m in active]
    critical = np.unique(np.concatenate(pieces)) if pieces else np.empty(0)
    left = _counts_at(model, params, critical, "left")
    right = _counts_at(model, params, critical, "right")
    f_left = residual(model, params, critical, left)
    f_right = residual(model, params, critical, right)

    # F is nondecreasing, so the first critical value whose right limit is >= 0
    # either carries the jump over zero or closes the plateau that contains the root.
    nonnegative = np.flatnonzero(np.asarray(f_right) >= 0.0)
    if nonnegative.size:
        j = int(nonnegative[0])
        if f_left[j] <= 0.0:
            return _pinned_state(model, params, float(critical[j]), float(f_left[j]), float(f_right[j]), active)
        # The counts inside the plateau are the left limits at its upper end.
        lower = float(critical[j - 1]) if j > 0 else 0.0
        upper = float(critical[j])
        counts = {m: int(c[j]) for m, c in left.items()}
    elif critical.size:
        lower, upper = float(critical[-1]), math.inf
        counts = {m: int(c[-1]) for m, c in right.items()}
    else:
        # No step market carries spending weight, so every count is constant.
        lower, upper = 0.0, math.inf
        counts = {m: int(c) for m, c in _counts_at(model, params, 1.0, "right").items()}
    return _plateau_state(model, params, lower, upper, counts)


def _pinned_state(model, params, omega: float, f_left: float, f_right: float, active) -> TabulatedState:
    # At s = 1 North sells the marginal goods in full (F's left limit), at s = 0
    # not at all (its right limit). F is linear in s, so s = F+ / (F+ - F-).
    share = f_right / (f_right - f_left)
    right = {m: int(c) for m, c in _counts_at(model, params, omega, "right").items()}
    left = _counts_at(model, params, omega, "left")
    split = frozenset(m for m in active if int(left[m]) != right[m])
    return TabulatedState(omega, share, tuple(right.items()), split, 0)


def _plateau_state(model, params, lower: float, upper: float, counts: dict) -> TabulatedState:
    smooth_weight = any(not model.is_step(m) and weight(m, params) > 0.0 for m in MARKETS)
    if not smooth_weight:
        # Only step markets carry weight, so F = omega (1 - P_N) - ell P_S is linear.
        x = {m: float(spending_share(model, params, m, None, counts)) if weight(m, params) > 0.0 else 0.0
             for m in MARKETS}
        p_north = params.gamma * x["z_N"] + (1.0 - params.gamma) * x["t_N"]
        p_south = params.gamma * x["z_S"] + (1.0 - params.gamma) * x["t_S"]
        if p_north >= 1.0:
            raise SolverError(
                f"F has no root between the critical values {lower} and {upper}: North serves its whole home market",
                advice="report the economy and parameters; the sign pattern of F excludes this",
            )
        omega = params.labour_ratio * p_south / (1.0 - p_north)
        # The sign pattern of F puts the exact root in [lower, upper]; clipping
        # only removes rounding at an end point.
        omega = min(max(omega, lower), upper)
        return TabulatedState(float(omega), 0.0, tuple(counts.items()), frozenset(), 0)

    def f(omega: float) -> float:
        return float(residual(model, params, omega, counts))

    lower, upper = _bracket(f, lower, upper)
    omega, report = brentq(
        f, lower, upper, xtol=1e-300, rtol=4.0 * np.finfo(np.float64).eps, maxiter=200, full_output=True, disp=False
    )
    if not report.converged:
        raise SolverError(
            f"Brent's method did not converge on [{lower}, {upper}] in {report.iterations} steps",
            residual=f(omega), advice="check that the continuous curve is continuous and strictly decreasing",
        )
    return TabulatedState(float(omega), 0.0, tuple(counts.items()), frozenset(), int(report.iterations))


def _bracket(f, lower: float, upper: float) -> tuple[float, float]:
    """Replace an open end (0 or infinity) by a finite point where F has the needed sign.

    F is negative as omega falls to 0 (North sells everything in the South) and
    grows without bound as omega rises, so doubling or halving finds the end;
    1100 steps span the float64 range.
    """
    if not math.isfinite(upper):
        upper = max(2.0 * lower, 1.0)
        for _ in range(1100):
            if f(upper) > 0.0:
                break
            upper *= 2.0
    if lower <= 0.0:
        lower = upper / 2.0
        for _ in range(1100):
            if f(lower) < 0.0:
                break
            lower /= 2.0
    f_lower, f_upper = f(lower), f(upper)
    if not (f_lower <= 0.0 <= f_upper):
        raise SolverError(
            f"the labour-market residual does not change sign on [{lower:.6g}, {upper:.6g}] "
            f"(F = {f_lower:.3e} and {f_upper:.3e})",
            advice="the continuous curve may not reach the cost ratios this economy needs",
        )
    return lower, upper


# ---------------------------------------------------------------------------
# Public solver
# ---------------------------------------------------------------------------


def solve_tabulated(economy: Economy, params: Parameters) -> Equilibrium:
    """Solve the DFS equilibrium exactly when goods or tasks are tabulated.

    Baldwin and Dingel (2021), equation (1) and section 5.2: North's labour market
    ``omega (1 - gamma B(z_N) - (1 - gamma) t_N) = ell (gamma B(z_S) + (1 - gamma) t_S)``
    with the equal-price conditions ``tau_g^NS omega = A(z_S)`` and
    ``omega = tau_g^SN A(z_N)`` (section 5.3 for the directional costs). With a
    table, omega either solves F = 0 inside a plateau or equals a critical value
    ``A_k/tau_g^NS`` or ``tau_g^SN A_k`` exactly, with good k split. Several goods
    may share that critical value, as free trade splits the same good in both
    markets. North then gets the same share of each (see the module docstring).

    Raises SolverError when no good or task is traded (autarky, where trade does
    not determine omega), when a continuous curve gives no sign change, or when
    trade is not balanced by ``telemigration.solvers.equilibrium.trade_balance``
    (to 1e-10 of the larger export flow, plus the float64 rounding floor).
    ``marginal_goods`` is set when goods are tabulated; a split task shows only in
    t_S = (k - 1 + s)/N.
    """
    if not isinstance(params, Parameters):
        raise InvalidParameterError("params", params, "expected a telemigration.models.Parameters")
    model = build_model(economy)
    state = solve_state(model, params)
    return equilibrium_from_state(model, params, state)


def equilibrium_from_state(model: TabulatedModel, params: Parameters, state: TabulatedState) -> Equilibrium:
    """Build the Equilibrium result of a solved state, checking trade and the residual."""
    counts = dict(state.counts)
    share, omega = state.split_share, state.omega
    gamma, ell = params.gamma, params.labour_ratio
    x = {m: float(spending_share(model, params, m, omega, counts, state.split, share)) for m in MARKETS}
    flows = TradeFlows(*flows_from_spending(gamma, ell, omega, x["z_S"], x["z_N"], x["t_S"], x["t_N"]))
    if flows.north_goods + flows.north_services == 0.0:
        raise SolverError(
            f"no good or task is traded at omega = {omega:.6g} under {params}, so trade does not determine omega",
            advice="lower the trade costs until some good or task is traded",
        )
    f_value = float(residual(model, params, omega, counts, state.split, share))
    # The exact solves reach |F| of about 1e-16 (omega + ell), so a failure here signals a bug, not rounding.
    _, balanced = trade_balance(
        omega, ell, f_value, flows.north_goods + flows.north_services, flows.south_goods + flows.south_services
    )
    if not bool(balanced):
        raise SolverError(
            f"the tabulated solve missed North's labour-market condition at omega = {omega!r} under {params}",
            residual=f_value, advice="report the economy and parameters",
        )

    thresholds = {m: threshold_value(model, params, m, state) for m in MARKETS}
    positions = {}
    for m in MARKETS:
        if model.is_step(m):
            positions[m] = {0.0: Position.LOWER, 1.0: Position.UPPER}.get(thresholds[m], Position.INTERIOR)
        else:
            positions[m] = model.sector(m).position(m, params, omega)
    marginal = None
    if model.is_step("z_S"):
        marginal = MarginalGoods(
            z_S=counts["z_S"] + ("z_S" in state.split),
            z_N=counts["z_N"] + ("z_N" in state.split),
            split_share_S=share if "z_S" in state.split else 1.0,
            split_share_N=share if "z_N" in state.split else 1.0,
        )
    message = _describe(state)
    logger.debug("tabulated equilibrium: %s", message)
    return Equilibrium(
        omega=omega,
        thresholds=Thresholds(**thresholds),
        regime=Regime(**positions, goods_traded=params.gamma > 0.0, services_traded=params.gamma < 1.0),
        trade_flows=flows,
        residual=f_value,
        iterations=state.iterations,
        status=SolveStatus.SUCCESS,
        message=message,
        marginal_goods=marginal,
    )


def threshold_value(model: TabulatedModel, params: Parameters, market: str, state: TabulatedState) -> float:
    """Return the threshold as a share of the index line: (count + s)/N for a table, else the clamped inverse."""
    sector = model.sector(market)
    if isinstance(sector, StepSector):
        share = state.split_share if market in state.split else 0.0
        return (state.count(market) + share) / sector.size
    return float(sector.threshold(market, params, state.omega))


def _describe(state: TabulatedState) -> str:
    if not state.split:
        method = "in closed form" if state.iterations == 0 else f"by Brent's method in {state.iterations} steps"
        return f"omega = {state.omega:.12g} lies inside a plateau where nothing is split; solved {method}"
    parts = []
    for market in MARKETS:
        if market in state.split:
            kind = "good" if _SECTOR_OF[market] == "goods" else "task"
            place = "South" if market.endswith("S") else "North"
            parts.append(f"{kind} {state.count(market) + 1} in the {place} market")
    return (
        f"omega = {state.omega:.12g} equals the critical value of {' and '.join(parts)}; "
        f"North's share of that spending is {state.split_share:.12g}"
    )
