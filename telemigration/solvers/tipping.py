"""Tipping points: parameter values at which a threshold reaches or leaves a corner.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.2 and 5.3:
South sells no service tasks in the North while omega <= tau_s^SN S(1), that is
while t_N sits at its corner 1, the regime of equation (3). When a fall
in tau_s pushes the unclamped t_N below 1, South starts exporting services and
the regime changes; the map from parameters to omega has a kink there.

``find_tipping_points`` scans a grid of one parameter for regime changes and
then locates each boundary by Brent's method on the boundary condition, the
unclamped threshold minus its corner with the equilibrium re-solved at every
trial value.
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
from telemigration.models.parameters import Parameters
from telemigration.models.regime import THRESHOLD_NAMES, Position, Regime
from telemigration.models.system import Economy
from telemigration.solvers.bridge import CompiledEconomy, compile_economy
from telemigration.solvers.equilibrium import (
    DEFAULT_MAX_STEPS,
    DEFAULT_RTOL,
    _jitted_corner_gaps,
    _jitted_solve,
    regime_from_gaps,
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

    def __init__(self, compiled: CompiledEconomy, theta: np.ndarray, parameter: str) -> None:
        self.compiled = compiled
        self.parameter = parameter
        self.direction = _direction(compiled, parameter)
        self.origin = parameter_value(compiled, theta, parameter)
        self.theta = theta
        self._solve = _jitted_solve(compiled, DEFAULT_RTOL, DEFAULT_MAX_STEPS)
        self._corner_gaps = _jitted_corner_gaps(compiled)

    def theta_at(self, value: float) -> jax.Array:
        return jnp.asarray(self.theta + (value - self.origin) * self.direction, dtype=jnp.float64)

    def omega_at(self, value: float) -> tuple[jax.Array, jax.Array]:
        theta = self.theta_at(value)
        y, code, _ = self._solve(theta)
        if int(code) != 0:
            raise SolverError(
                f"the equilibrium at {self.parameter}={value:.12g} failed to solve "
                f"({_status_name(int(code))})",
                advice="narrow the interval [lower, upper]",
            )
        return jnp.exp(y), theta

    def gaps_at(self, value: float) -> np.ndarray:
        omega, theta = self.omega_at(value)
        return np.asarray(self._corner_gaps(omega, theta))

    def regime_at(self, value: float) -> Regime:
        return regime_from_gaps(self.gaps_at(value))

    def gap_at(self, value: float, threshold: str, corner: float) -> float:
        index = 2 * THRESHOLD_NAMES.index(threshold) + (1 if corner == 1.0 else 0)
        return float(self.gaps_at(value)[index])


def _status_name(code: int) -> str:
    return {1: SolveStatus.NO_SIGN_CHANGE, 2: SolveStatus.MAX_STEPS_REACHED, 3: SolveStatus.NONFINITE}.get(
        code, SolveStatus.NONFINITE
    ).value


def _check_interval(parameter: str, lower: float, upper: float, grid: int) -> tuple[float, float]:
    bounds = []
    for label, value in (("lower", lower), ("upper", upper)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InvalidParameterError(label, value, "expected a real number") from None
        if not math.isfinite(number):
            raise InvalidParameterError(label, value, "expected a finite number")
        bounds.append(number)
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


def _changed_corners(left: Regime, right: Regime, threshold: str) -> tuple[float, ...]:
    """Return the corners a threshold crosses between two regimes (both for LOWER to UPPER)."""
    positions = {left.position(threshold), right.position(threshold)}
    corners = []
    if Position.LOWER in positions:
        corners.append(0.0)
    if Position.UPPER in positions:
        corners.append(1.0)
    return tuple(corners)


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
    same value. Boundaries closer together than one grid step can be missed when a
    threshold leaves and re-enters a corner between two grid points. Raises
    SolverError when the boundary condition has no sign change on a bracket.
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
    sweep = _Sweep(compiled, theta, parameter)

    values = np.linspace(lower, upper, grid)
    regimes = [sweep.regime_at(float(value)) for value in values]
    boundaries: list[Boundary] = []
    for index in range(grid - 1):
        left_regime, right_regime = regimes[index], regimes[index + 1]
        if left_regime == right_regime:
            continue
        for threshold in THRESHOLD_NAMES:
            if left_regime.position(threshold) is right_regime.position(threshold):
                continue
            for corner in _changed_corners(left_regime, right_regime, threshold):
                value = _locate(sweep, threshold, corner, float(values[index]), float(values[index + 1]))
                boundaries.append(_boundary(sweep, threshold, corner, value, left_regime, right_regime))
    boundaries.sort(key=lambda boundary: boundary.value)
    logger.info("found %d tipping points of %s in [%g, %g]", len(boundaries), parameter, lower, upper)
    return tuple(boundaries)


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
    scale = max(1.0, abs(left), abs(right))
    return float(optimize.brentq(gap, left, right, xtol=BOUNDARY_XTOL * scale, rtol=4.0 * np.finfo(float).eps))


def _boundary(sweep: _Sweep, threshold: str, corner: float, value: float, left: Regime, right: Regime) -> Boundary:
    """Build a Boundary from the regimes of the grid points on either side of ``value``.

    The threshold sits at ``corner`` on a side whose grid point has it there and is
    interior otherwise. This rule also orders the two crossings of a threshold
    that goes from one corner to the other within one grid step. Other thresholds keep
    the positions of the grid point on that side.
    """
    corner_position = Position.LOWER if corner == 0.0 else Position.UPPER
    below = left.position(threshold) is corner_position
    above = right.position(threshold) is corner_position
    return Boundary(
        parameter=sweep.parameter,
        value=value,
        threshold=threshold,
        regime_below=replace(left, **{threshold: corner_position if below else Position.INTERIOR}),
        regime_above=replace(right, **{threshold: corner_position if above else Position.INTERIOR}),
        corner=corner,
    )
