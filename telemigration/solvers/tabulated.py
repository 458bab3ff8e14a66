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
from telemigration.models.parameters import COMMON_COSTS, SCALAR_PARAMETERS, Parameters
from telemigration.models.regime import Position, Regime
from telemigration.models.system import Economy
from telemigration.solvers.bridge import CompiledEconomy, compile_economy
from telemigration.solvers.equilibrium import CORNER_TOLERANCE, SCALAR_COMPILER_OPTIONS
from telemigration.solvers.result import Equilibrium, MarginalGoods, SolveStatus, Thresholds, TradeFlows
from telemigration.solvers.statics import OUTPUTS, Derivative

logger = logging.getLogger(__name__)

# The four markets, named by their thresholds: sector letter, then where the buyer lives.
MARKETS = ("z_S", "z_N", "t_S", "t_N")
_SECTOR_OF = {"z_S": "goods", "z_N": "goods", "t_S": "services", "t_N": "services"}
_COST_OF = {"z_S": "tau_g_ns", "z_N": "tau_g_sn", "t_S": "tau_s_ns", "t_N": "tau_s_sn"}

# |F| / (omega + ell) above which a solve counts as failed. The exact solves reach
# about 1e-16, so anything above this signals a bug rather than rounding.
_RESIDUAL_TOLERANCE = 1e-10


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
    not determine omega), when a continuous curve gives no sign change, or when the
    residual exceeds 1e-10 (omega + ell). ``marginal_goods`` is set when goods are
    tabulated; a split task shows only in t_S = (k - 1 + s)/N.
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
    flows = TradeFlows(
        north_goods=gamma * ell * x["z_S"],
        south_goods=gamma * omega * (1.0 - x["z_N"]),
        north_services=(1.0 - gamma) * ell * x["t_S"],
        south_services=(1.0 - gamma) * omega * (1.0 - x["t_N"]),
    )
    if flows.north_goods + flows.north_services == 0.0:
        raise SolverError(
            f"no good or task is traded at omega = {omega:.6g} under {params}, so trade does not determine omega",
            advice="lower the trade costs until some good or task is traded",
        )
    f_value = float(residual(model, params, omega, counts, state.split, share))
    if not abs(f_value) <= _RESIDUAL_TOLERANCE * (omega + ell):
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


# ---------------------------------------------------------------------------
# Comparative statics
# ---------------------------------------------------------------------------

# Parameters that tabulated statics accept: both directions of a sector's cost
# together, then each scalar parameter.
STATICS_PARAMETERS = COMMON_COSTS + SCALAR_PARAMETERS

# Relative steps of the probe solves that find which configuration is valid on
# each side of the current parameter value. A probe is used only if its
# configuration is also valid at the current value. Otherwise a switch lies
# between the two, and the next, smaller step is tried.
_PROBE_STEPS = (1e-7, 1e-10, 1e-13)

# Slack when checking that a configuration is valid at the current value, for
# split shares in [-tol, 1 + tol], corner gaps and relative residuals. Exact
# solves are accurate to about 1e-15, so 1e-9 admits rounding only.
_VALIDITY_TOLERANCE = 1e-9


@dataclass(frozen=True)
class _Configuration:
    """Step counts, split markets and corners: the parts that stay fixed while the equilibrium moves smoothly."""

    counts: tuple[tuple[str, int], ...]
    split: frozenset[str]
    positions: tuple[tuple[str, Position], ...]

    def describe(self) -> str:
        counts = dict(self.counts)
        if self.split:
            names = [f"{'good' if _SECTOR_OF[m] == 'goods' else 'task'} {counts[m] + 1} split in {m}"
                     for m in MARKETS if m in self.split]
            text = "omega pinned with " + " and ".join(names)
        else:
            text = "omega inside a plateau"
        corners = [f"{m} {p.value}" for m, p in self.positions]
        return text + (f" ({', '.join(corners)})" if corners else "")


def _configuration(model: TabulatedModel, params: Parameters, state: TabulatedState) -> _Configuration:
    positions = tuple(
        (m, model.sector(m).position(m, params, state.omega)) for m in MARKETS if not model.is_step(m)
    )
    return _Configuration(state.counts, state.split, positions)


def _valid_share(model: TabulatedModel, params: Parameters, omega: float, config: _Configuration):
    """Return North's split share if ``config`` is valid at (params, omega), else None.

    A configuration is valid when its continuous thresholds sit at its corners,
    its step counts bracket omega, its split goods' critical values equal omega and
    the labour market clears with a share in [0, 1], all within _VALIDITY_TOLERANCE.
    """
    tol = _VALIDITY_TOLERANCE
    for market, position in config.positions:
        above_zero, above_one = model.sector(market).corner_gaps(market, params, omega)
        if position is Position.LOWER and above_zero > tol:
            return None
        if position is Position.UPPER and above_one < -tol:
            return None
        if position is Position.INTERIOR and (above_zero < -tol or above_one > tol):
            return None
    counts = dict(config.counts)
    for market, n in counts.items():
        critical = model.sector(market).critical_values(market, getattr(params, _COST_OF[market]))
        if n > 0 and critical[n - 1] < omega * (1.0 - tol):
            return None
        if n < critical.size and critical[n] > omega * (1.0 + tol) and market not in config.split:
            return None
        if market in config.split and abs(critical[n] - omega) > tol * omega:
            return None
    if not config.split:
        scale = omega + params.labour_ratio
        return 0.0 if abs(float(residual(model, params, omega, counts))) <= tol * scale else None
    f_none = float(residual(model, params, omega, counts, config.split, 0.0))
    f_full = float(residual(model, params, omega, counts, config.split, 1.0))
    if f_none == f_full:
        # The split goods carry no spending weight here, so no share is pinned down.
        return None
    share = f_none / (f_none - f_full)
    return min(max(share, 0.0), 1.0) if -tol <= share <= 1.0 + tol else None


def _direction(name: str) -> dict[str, float]:
    """Unit changes of the scalar parameters when ``name`` rises by one."""
    if name == "tau_g":
        return {"tau_g_ns": 1.0, "tau_g_sn": 1.0}
    if name == "tau_s":
        return {"tau_s_ns": 1.0, "tau_s_sn": 1.0}
    return {name: 1.0}


def _moved(params: Parameters, direction: dict[str, float], delta: float) -> Parameters | None:
    """Move along ``direction`` by delta, or return None if that leaves the parameters' domain."""
    values = {n: getattr(params, n) + delta * d for n, d in direction.items()}
    if any(values[n] < 1.0 for n in values if n.startswith("tau")):
        return None
    if not 0.0 <= values.get("gamma", 0.5) <= 1.0 or values.get("labour_ratio", 1.0) <= 0.0:
        return None
    return replace(params, **values)


def _side_configuration(model, params, state, own: _Configuration, direction, sign: float):
    """Return the (configuration, share) valid just to one side, or None when that side leaves the domain."""
    scale = max(1.0, max(abs(getattr(params, n)) for n in direction))
    inside_domain = False
    for step in _PROBE_STEPS:
        probe_params = _moved(params, direction, sign * step * scale)
        if probe_params is None:
            continue
        inside_domain = True
        try:
            probe = solve_state(model, probe_params)
        except SolverError as error:
            logger.debug("probe solve at %s failed: %s", probe_params, error)
            continue
        config = _configuration(model, probe_params, probe)
        share = _valid_share(model, params, state.omega, config)
        if share is not None:
            return config, share
    if not inside_domain:
        return None
    logger.debug("no probe configuration is valid at %s, so the current one is used", params)
    return own, state.split_share


def _derivatives(model: TabulatedModel, params: Parameters, omega: float, share: float,
                 config: _Configuration, direction: dict[str, float]) -> tuple[dict, dict]:
    """Return the derivatives of every output along ``direction`` holding ``config`` fixed, and the outputs.

    In a plateau, d omega = -F_p / F_omega (implicit function theorem). When omega
    is pinned at a critical value c(p), d omega = dc/dp and North's split share
    absorbs the rest: ds = -(F_omega d omega + F_p) / F_s.
    """
    gamma, ell = params.gamma, params.labour_ratio
    counts, positions = dict(config.counts), dict(config.positions)
    d_cost = {m: direction.get(_COST_OF[m], 0.0) for m in MARKETS}
    x, dx_domega, dx_ds, dx_dcost, du_domega, du_dcost = {}, {}, {}, {}, {}, {}
    for m in MARKETS:
        sector = model.sector(m)
        dx_domega[m] = dx_dcost[m] = du_domega[m] = du_dcost[m] = dx_ds[m] = 0.0
        if isinstance(sector, StepSector):
            x[m] = float(spending_share(model, params, m, omega, counts, config.split, share))
            if m in config.split:
                dx_ds[m] = float(sector.shares[counts[m]])
            continue
        x[m] = float(spending_share(model, params, m, omega, counts))
        if positions[m] is Position.INTERIOR:
            du_domega[m], du_dcost[m], slope = sector.slopes(m, params, omega)
            dx_domega[m], dx_dcost[m] = slope * du_domega[m], slope * du_dcost[m]

    w = {m: weight(m, params) for m in MARKETS}
    multiplier = {m: omega if m.endswith("N") else ell for m in MARKETS}
    f_omega = 1.0 - w["z_N"] * x["z_N"] - w["t_N"] * x["t_N"] - sum(multiplier[m] * w[m] * dx_domega[m] for m in MARKETS)
    f_share = -sum(multiplier[m] * w[m] * dx_ds[m] for m in MARKETS)
    f_param = -sum(multiplier[m] * w[m] * dx_dcost[m] * d_cost[m] for m in MARKETS)
    f_param += direction.get("gamma", 0.0) * (-omega * (x["z_N"] - x["t_N"]) - ell * (x["z_S"] - x["t_S"]))
    f_param += direction.get("labour_ratio", 0.0) * -(gamma * x["z_S"] + (1.0 - gamma) * x["t_S"])

    if config.split:
        # omega = ratio_k / tau^NS in the South, tau^SN ratio_k at home.
        moves = {m: (-1.0 if m.endswith("S") else 1.0) * omega / getattr(params, _COST_OF[m]) * d_cost[m]
                 for m in config.split}
        d_omega = next(iter(moves.values()))
        if any(abs(v - d_omega) > 1e-12 * (1.0 + abs(d_omega)) for v in moves.values()):
            raise SolverError(
                f"the split goods' critical values {sorted(config.split)} move apart along {direction}, "
                "so the derivative is one-sided and no probe found either side",
                advice="move the parameter slightly off this switch point",
            )
        d_share = -(f_omega * d_omega + f_param) / f_share
    else:
        if f_omega <= 0.0:
            raise SolverError(f"F does not rise in omega at omega = {omega!r}, so the implicit function theorem fails",
                              advice="the economy may be at autarky in every market")
        d_omega, d_share = -f_param / f_omega, 0.0

    out = {"omega": d_omega}
    values = {"omega": omega}
    dx = {}
    for m in MARKETS:
        dx[m] = dx_domega[m] * d_omega + dx_ds[m] * d_share + dx_dcost[m] * d_cost[m]
        if model.is_step(m):
            out[m] = d_share / model.sector(m).size if m in config.split else 0.0
            values[m] = (counts[m] + (share if m in config.split else 0.0)) / model.sector(m).size
        else:
            out[m] = du_domega[m] * d_omega + du_dcost[m] * d_cost[m]
            values[m] = float(model.sector(m).threshold(m, params, omega))
    d_gamma, d_ell = direction.get("gamma", 0.0), direction.get("labour_ratio", 0.0)
    out["north_goods"] = d_gamma * ell * x["z_S"] + gamma * d_ell * x["z_S"] + gamma * ell * dx["z_S"]
    out["south_goods"] = d_gamma * omega * (1.0 - x["z_N"]) + gamma * d_omega * (1.0 - x["z_N"]) - gamma * omega * dx["z_N"]
    out["north_services"] = -d_gamma * ell * x["t_S"] + (1.0 - gamma) * (d_ell * x["t_S"] + ell * dx["t_S"])
    out["south_services"] = -d_gamma * omega * (1.0 - x["t_N"]) + (1.0 - gamma) * (
        d_omega * (1.0 - x["t_N"]) - omega * dx["t_N"]
    )
    values["north_goods"] = gamma * ell * x["z_S"]
    values["south_goods"] = gamma * omega * (1.0 - x["z_N"])
    values["north_services"] = (1.0 - gamma) * ell * x["t_S"]
    values["south_services"] = (1.0 - gamma) * omega * (1.0 - x["t_N"])
    # Adding 0.0 turns a negative zero into 0.0 for printing and JSON.
    return {name: value + 0.0 for name, value in out.items()}, values


def tabulated_statics(
    economy: Economy,
    params: Parameters,
    *,
    outputs: tuple[str, ...] | None = None,
    with_respect_to: tuple[str, ...] | None = None,
) -> dict[str, dict[str, Derivative]]:
    """Return ``result[output][parameter]``, the derivative of each output from the left and right.

    Outputs are omega, the four thresholds and the four trade flows
    (``statics.OUTPUTS``); parameters are ``STATICS_PARAMETERS`` (``tau_g`` and
    ``tau_s`` move both directions of a sector together). Baldwin and Dingel
    (2021), section 5.2 and footnote 15's labour-market condition F = 0: inside a
    plateau the tabulated shares are locally constant and the implicit function
    theorem on the continuous part gives d omega/dp. When omega is pinned at a
    critical value, say omega = A_k/tau_g^NS, d omega/d tau_g^NS = -omega/tau_g^NS
    in closed form and North's split share absorbs the rest (the implicit function
    theorem on the labour market with the share as unknown).

    At a switch between configurations (a split share reaching 0 or 1, two critical
    values meeting, a continuous threshold reaching a corner) ``at_boundary`` is
    true and left and right are the one-sided derivatives. At the edge of a
    parameter's domain (a cost of 1, gamma of 0 or 1) only the side inside the
    domain exists, and it is reported as both left and right. Where an output jumps
    (at free trade the thresholds and trade flows jump as a cost rises above 1,
    see ``_jumps``), ``at_boundary`` is true, ``kink`` names the jump and the
    derivatives are those just beside it.

    NOTE: each side's configuration is found by re-solving at a relative step of
    1e-7 (then 1e-10, 1e-13); two switches closer together than that may be
    reported as one.
    """
    outputs = OUTPUTS if outputs is None else tuple(outputs)
    with_respect_to = STATICS_PARAMETERS if with_respect_to is None else tuple(with_respect_to)
    for name in outputs:
        if name not in OUTPUTS:
            raise InvalidParameterError("output", name, f"expected one of {', '.join(OUTPUTS)}")
    for name in with_respect_to:
        if name not in STATICS_PARAMETERS:
            raise InvalidParameterError(
                "parameter", name, f"tabulated statics accept {', '.join(STATICS_PARAMETERS)}"
            )
    if not isinstance(params, Parameters):
        raise InvalidParameterError("params", params, "expected a telemigration.models.Parameters")
    model = build_model(economy)
    state = solve_state(model, params)
    own = _configuration(model, params, state)

    current = _current_outputs(equilibrium_from_state(model, params, state))
    result: dict[str, dict[str, Derivative]] = {name: {} for name in outputs}
    for parameter in with_respect_to:
        direction = _direction(parameter)
        left = _side_configuration(model, params, state, own, direction, -1.0)
        right = _side_configuration(model, params, state, own, direction, 1.0)
        sides = [name for name, found in (("left", left), ("right", right)) if found is not None]
        left, right = left or right, right or left
        if left is None:
            raise InvalidParameterError(parameter, params, "no side of this value lies in the parameter's domain")
        left_slopes, left_values = _derivatives(model, params, state.omega, left[1], left[0], direction)
        right_slopes, right_values = _derivatives(model, params, state.omega, right[1], right[0], direction)
        notes = []
        if left[0] != right[0]:
            notes.append(f"{left[0].describe()} on the left, {right[0].describe()} on the right")
        for side, values in (("left", left_values), ("right", right_values)):
            if side in sides:
                notes.extend(_jumps(current, values, side))
        for name in outputs:
            result[name][parameter] = Derivative(left_slopes[name], right_slopes[name], bool(notes), "; ".join(notes))
    return result


def _current_outputs(equilibrium: Equilibrium) -> dict[str, float]:
    return {"omega": equilibrium.omega, **equilibrium.thresholds.to_dict(), **equilibrium.trade_flows.to_dict()}


def _jumps(current: dict[str, float], side_values: dict[str, float], side: str) -> list[str]:
    """Describe the outputs whose value just to one side differs from their current value.

    This happens at free trade, where the equal-share convention splits the
    marginal good in both markets. Once a cost rises above 1, North sells that good
    in full in one of them, so thresholds and trade flows jump while omega does not.
    """
    return [
        f"{name} jumps from {current[name]:.12g} to {side_values[name]:.12g} on the {side}"
        for name in current
        if abs(side_values[name] - current[name]) > _VALIDITY_TOLERANCE * (1.0 + abs(current[name]))
    ]
