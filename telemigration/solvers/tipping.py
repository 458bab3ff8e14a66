"""Tipping points: parameter values at which a threshold reaches or leaves a corner.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.2 and 5.3:
South sells no service tasks in the North while omega <= tau_s^SN S(1), that is
while t_N sits at its corner 1, the regime of equation (3). When a fall
in tau_s pushes the unclamped t_N below 1, South starts exporting services and
the regime changes; the map from parameters to omega has a kink there.

``find_tipping_points`` scans a grid of one parameter for sign changes of the
boundary condition, the unclamped threshold minus its corner with the equilibrium
re-solved at every trial value. It locates each change by Brent's method and then
checks that the threshold really lies on different sides of the corner just below
and just above it. Costs, the labour ratio and other parameters without an upper
bound are scanned on a geometric grid, so a range such as [1, 1e308] is covered
evenly in ln p.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace

import jax
import jax.numpy as jnp
import numpy as np
from scipy import optimize

from telemigration.errors import InvalidParameterError, SolverError
from telemigration.models.parameters import SCALAR_PARAMETERS, Parameters, require_finite
from telemigration.models.regime import THRESHOLD_NAMES, Position, Regime
from telemigration.models.system import Economy
from telemigration.solvers.bridge import CompiledEconomy, compile_economy
from telemigration.solvers.equilibrium import (
    CORNER_TOLERANCE,
    DEFAULT_MAX_STEPS,
    DEFAULT_RTOL,
    _CODE_THIN_TRADE,
    _CODE_UNBALANCED,
    _jitted_corner_gaps,
    _jitted_solve,
    regime_from_gaps,
    solve_equilibrium,
)
from telemigration.solvers.result import SolveStatus
from telemigration.solvers.statics import (
    _direction,
    _parameter_domain,
    _require_continuous,
    parameter_names,
    parameter_value,
)

logger = logging.getLogger(__name__)

DEFAULT_GRID = 65

# Brent's method stops when the bracket is narrower than this, relative to the
# parameter's scale. The boundary condition is smooth on each side of its root.
BOUNDARY_XTOL = 1e-13

# Relative offset, in ln p on a geometric grid and in p / scale otherwise, of the
# two points at which a located boundary is checked. It is far above
# BOUNDARY_XTOL, so the points lie on either side of the root Brent's method found.
BOUNDARY_PROBE = 1e-7


@dataclass(frozen=True)
class Boundary:
    """A regime boundary: at ``value`` of ``parameter`` the ``threshold`` reaches or leaves ``corner`` (0 or 1)."""

    parameter: str
    value: float
    threshold: str
    regime_below: Regime
    regime_above: Regime
    corner: float = 1.0


class _Sweep:
    """Solves the equilibrium along one parameter with the other parameters held fixed."""

    def __init__(
        self,
        compiled: CompiledEconomy,
        theta: np.ndarray,
        parameter: str,
        economy: Economy | None = None,
        geometric: bool = False,
    ) -> None:
        self.compiled = compiled
        self.parameter = parameter
        self.direction = _direction(compiled, parameter)
        self.origin = parameter_value(compiled, theta, parameter)
        self.theta = theta
        self.economy = economy
        self.geometric = geometric
        self._solve = _jitted_solve(compiled, DEFAULT_RTOL, DEFAULT_MAX_STEPS)
        self._corner_gaps = _jitted_corner_gaps(compiled)

    def theta_at(self, value: float) -> jax.Array:
        # Set the moving entries to the value itself, because origin + (value - origin)
        # loses the relative precision of a value far below the origin (1e-9 from 1).
        theta = np.array(self.theta, dtype=np.float64)
        theta[self.direction != 0.0] = value
        return jnp.asarray(theta, dtype=jnp.float64)

    def omega_at(self, value: float) -> tuple[jax.Array, jax.Array]:
        theta = self.theta_at(value)
        # The code includes the balance test of solve_equilibrium, so the scan
        # covers only values at which a solve succeeds.
        y, code, _ = self._solve(theta)
        if int(code) != 0:
            self._fail(value, theta, _status_name(int(code)))
        return jnp.exp(y), theta

    def _fail(self, value: float, theta: jax.Array, status: str) -> None:
        """Raise SolverError for a value at which the equilibrium cannot be computed, with the solver's reason."""
        detail = status
        if self.economy is not None and self.direction[len(SCALAR_PARAMETERS):].sum() == 0.0:
            # A scalar parameter: solve_equilibrium gives the full reason and the parameters at fault.
            scalars = np.asarray(theta)[:len(SCALAR_PARAMETERS)]
            try:
                solve_equilibrium(self.economy, Parameters(*(float(entry) for entry in scalars)))
            except SolverError as error:
                detail = str(error)
        raise SolverError(
            f"the equilibrium at {self.parameter}={value:.12g} cannot be computed, "
            f"so the interval cannot be scanned: {detail}",
            advice="narrow the interval [lower, upper] to values at which solve succeeds",
        )

    def gaps_at(self, value: float) -> np.ndarray:
        omega, theta = self.omega_at(value)
        return np.asarray(self._corner_gaps(omega, theta))

    def regime_at(self, value: float) -> Regime:
        return regime_from_gaps(self.gaps_at(value))

    def gap_at(self, value: float, threshold: str, corner: float) -> float:
        index = 2 * THRESHOLD_NAMES.index(threshold) + (1 if corner == 1.0 else 0)
        return float(self.gaps_at(value)[index])


def _status_name(code: int) -> str:
    if code == _CODE_THIN_TRADE:
        return "trade too thin to balance"
    if code == _CODE_UNBALANCED:
        return "residual too large"
    return {1: SolveStatus.NO_SIGN_CHANGE, 2: SolveStatus.MAX_STEPS_REACHED, 3: SolveStatus.NONFINITE}.get(
        code, SolveStatus.NONFINITE
    ).value


def _check_interval(parameter: str, lower: float, upper: float, grid: int) -> tuple[float, float]:
    bounds = []
    for label, value in (("lower", lower), ("upper", upper)):
        bounds.append(require_finite(label, value))
    lower, upper = bounds
    if not lower < upper:
        raise InvalidParameterError("upper", upper, f"expected upper > lower = {lower:g}")
    low, high, low_open = _parameter_domain(parameter)
    below = lower < low or (lower == low and low_open)
    if below or upper > high:
        domain = f"{'(' if low_open else '['}{low:g}, {high:g}]"
        raise InvalidParameterError(
            parameter, f"[{lower:g}, {upper:g}]", f"the interval must lie in the domain {domain}"
        )
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 2:
        raise InvalidParameterError("grid", grid, "expected an integer >= 2")
    return lower, upper


def find_tipping_points(
    economy: Economy,
    params: Parameters,
    parameter: str,
    lower: float,
    upper: float,
    *,
    grid: int = DEFAULT_GRID,
) -> tuple[Boundary, ...]:
    """Return the regime boundaries of ``parameter`` in [lower, upper], in increasing order.

    Baldwin and Dingel (2021), sections 5.2 and 5.3. The other parameters stay at
    ``params``; a common cost ``tau_g`` or ``tau_s`` sets both directions to the
    same value. Costs, the labour ratio and curve parameters without an upper
    bound are scanned on ``grid`` geometrically spaced points, gamma and t_b on
    evenly spaced ones. A boundary is a sign change of a corner gap. A threshold
    that only approaches its corner, within ``CORNER_TOLERANCE`` or down to an
    underflow to exactly 0, is no boundary. Boundaries closer together than one
    grid step can be missed when a threshold leaves and re-enters a corner
    between two grid points. Raises SolverError when the equilibrium cannot be
    computed at a scan point (as solve_equilibrium would fail there) or when a
    located boundary fails its check.
    """
    _require_continuous(economy)
    if not isinstance(params, Parameters):
        raise InvalidParameterError("params", params, "expected a telemigration.models.Parameters")
    allowed = parameter_names(economy)
    if parameter not in allowed:
        raise InvalidParameterError("parameter", parameter, f"expected one of {', '.join(allowed)}")
    lower, upper = _check_interval(parameter, lower, upper, grid)

    compiled = compile_economy(economy)
    theta = np.array(compiled.theta(economy, params))
    if parameter in ("tau_g", "tau_s"):
        # Put both directions at the same value, so the sweep moves a common cost.
        first, second = (0, 1) if parameter == "tau_g" else (2, 3)
        theta[second] = theta[first] = min(theta[first], theta[second])
    geometric = _parameter_domain(parameter)[1] == math.inf and lower > 0.0
    sweep = _Sweep(compiled, theta, parameter, economy, geometric)

    values = np.geomspace(lower, upper, grid) if geometric else np.linspace(lower, upper, grid)
    # Pin the ends, which geomspace may round.
    values[0], values[-1] = lower, upper
    gaps = np.stack([sweep.gaps_at(float(value)) for value in values])
    boundaries: list[Boundary] = []
    for column, (threshold, corner) in enumerate((name, corner) for name in THRESHOLD_NAMES for corner in (0.0, 1.0)):
        for left, right in _sign_changes(gaps[:, column]):
            value = _locate(sweep, threshold, corner, float(values[left]), float(values[right]))
            boundaries.append(_verified_boundary(sweep, threshold, corner, value))
    boundaries.sort(key=lambda boundary: boundary.value)
    logger.info("found %d tipping points of %s in [%g, %g]", len(boundaries), parameter, lower, upper)
    return tuple(boundaries)


def _sign_changes(gaps: np.ndarray) -> list[tuple[int, int]]:
    """Return (i, j) for each pair of grid points where a corner gap changes sign.

    Points where the gap is exactly 0 are skipped, so a bracket spans them. A gap
    that only reaches 0 (a threshold that underflows to its corner, or one within
    ``CORNER_TOLERANCE`` of it without crossing) is no regime boundary.
    """
    changes = []
    previous = None
    for index, gap in enumerate(gaps):
        if not np.isfinite(gap) or gap == 0.0:
            continue
        if previous is not None and np.sign(gaps[previous]) != np.sign(gap):
            changes.append((previous, index))
        previous = index
    return changes


def _locate(sweep: _Sweep, threshold: str, corner: float, left: float, right: float) -> float:
    """Find where the corner gap of ``threshold`` changes sign in [left, right]."""

    def gap(value: float) -> float:
        return sweep.gap_at(value, threshold, corner)

    gap_left, gap_right = gap(left), gap(right)
    if gap_left == 0.0:
        return left
    if gap_right == 0.0:
        return right
    if np.sign(gap_left) == np.sign(gap_right):
        raise SolverError(
            f"the boundary condition of {threshold} at corner {corner:g} has the same sign at "
            f"{sweep.parameter}={left:.12g} ({gap_left:.3e}) and {right:.12g} ({gap_right:.3e})",
            advice="the regime change comes from the tolerance at the corner; use a finer grid",
        )
    if sweep.geometric:
        # Brent's method in ln p, so a bracket such as [1, 6.5e4] is narrowed to a
        # relative, not an absolute, tolerance.
        log_root = optimize.brentq(
            lambda log_value: gap(math.exp(log_value)), math.log(left), math.log(right),
            xtol=BOUNDARY_XTOL, rtol=4.0 * np.finfo(float).eps,
        )
        return float(min(max(math.exp(log_root), left), right))
    scale = max(1.0, abs(left), abs(right))
    return float(optimize.brentq(gap, left, right, xtol=BOUNDARY_XTOL * scale, rtol=4.0 * np.finfo(float).eps))


def _verified_boundary(sweep: _Sweep, threshold: str, corner: float, value: float) -> Boundary:
    """Build the Boundary at ``value`` after checking that the threshold crosses its corner there.

    The boundary condition must hold to ``CORNER_TOLERANCE`` at ``value``, and the
    gap must have opposite signs at the two probe points ``BOUNDARY_PROBE`` below and
    above it. The regimes on either side are those of the probe points, with the
    threshold itself placed by the sign of its gap rather than by the tolerance.
    """
    if sweep.geometric:
        below_value, above_value = value * math.exp(-BOUNDARY_PROBE), value * math.exp(BOUNDARY_PROBE)
    else:
        step = BOUNDARY_PROBE * max(1.0, abs(value))
        below_value, above_value = value - step, value + step
    index = 2 * THRESHOLD_NAMES.index(threshold) + (1 if corner == 1.0 else 0)
    at_value = float(sweep.gaps_at(value)[index])
    below_gaps, above_gaps = sweep.gaps_at(below_value), sweep.gaps_at(above_value)
    below_gap, above_gap = float(below_gaps[index]), float(above_gaps[index])
    if not (abs(at_value) <= CORNER_TOLERANCE and below_gap * above_gap < 0.0):
        raise SolverError(
            f"the boundary of {threshold} at corner {corner:g} found at {sweep.parameter}={value:.12g} "
            f"fails its check: the gap there is {at_value:.3e} and {below_gap:.3e} below and {above_gap:.3e} above",
            advice="the boundary condition jumps across 0 here; solve at nearby values to inspect the regimes",
        )
    corner_position = Position.LOWER if corner == 0.0 else Position.UPPER
    # The threshold lies inside (0, 1) where its gap points into the interval.
    inward = 1.0 if corner == 0.0 else -1.0
    return Boundary(
        parameter=sweep.parameter,
        value=value,
        threshold=threshold,
        regime_below=replace(
            regime_from_gaps(below_gaps),
            **{threshold: Position.INTERIOR if inward * below_gap > 0.0 else corner_position},
        ),
        regime_above=replace(
            regime_from_gaps(above_gaps),
            **{threshold: Position.INTERIOR if inward * above_gap > 0.0 else corner_position},
        ),
        corner=corner,
    )
