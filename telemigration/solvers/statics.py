"""Comparative statics of the equilibrium: autodiff, one-sided derivatives at kinks, finite differences.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.2 and 5.3:
write North's labour market as F(omega, p) = 0 in a given regime. Where the regime
does not change, the implicit function theorem gives d omega/dp = -F_p / F_omega,
and JAX obtains the same number by differentiating the solve
(``optimistix.ImplicitAdjoint``). Thresholds and trade flows follow by the chain
rule.

Where a threshold sits at a corner exactly where its unclamped value crosses the
corner (a tipping point), the map from parameters to the equilibrium has a kink.
There the derivative is reported from each side, each computed in the smooth
system of the regime that applies on that side. Which regime applies on which
side follows from the direction in which the unclamped threshold moves. Nothing is
averaged, and JAX's gradient of a clip at a tie (one half) is never used.

A threshold at a kink of its own curve (``kink_points``, such as the hockey
stick's t_b) kinks the map as well. There each side is a one-sided finite
difference of re-solved equilibria, which stays on one piece of the curve.
"""

from __future__ import annotations

import itertools
import logging
import math
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Callable, Mapping

import jax
import jax.numpy as jnp
import numpy as np

from telemigration.errors import InvalidCurveError, InvalidParameterError, SolverError
from telemigration.models.parameters import COMMON_COSTS, DIRECTIONAL_COSTS, SCALAR_PARAMETERS, Parameters
from telemigration.models.regime import THRESHOLD_NAMES, Position, Regime
from telemigration.models.system import Economy
from telemigration.solvers.bridge import CompiledEconomy, compile_economy, regime_codes
from telemigration.solvers.equilibrium import (
    CORNER_TOLERANCE,
    SCALAR_COMPILER_OPTIONS,
    solve_equilibrium,
    solve_log_omega,
    trade_flows,
)
from telemigration.solvers.result import Equilibrium

logger = logging.getLogger(__name__)

OUTPUTS = ("omega",) + THRESHOLD_NAMES + ("north_goods", "south_goods", "north_services", "south_services")

# Relative step of a finite difference. A central difference has truncation error
# O(h^2) and rounding error O(eps/h), so the best h is about cbrt(eps) = 6e-6 times
# the scale of the parameter. The solve usually ends with a Newton step, which
# leaves omega within a few float64 ulps, so eps is the machine epsilon. A solve
# that ends by bisection (next to a kink) is within 1e-12, which can add up to
# about 1e-12 / h = 2e-7 to a difference. One-sided differences use the
# second-order three-point formula with the same step, because a first-order one
# would lose about half of the digits.
FINITE_DIFFERENCE_STEP = float(np.cbrt(np.finfo(np.float64).eps))


@dataclass(frozen=True)
class Derivative:
    """A derivative from the left and from the right of the current parameter value.

    ``at_boundary`` is true when a threshold sits at a corner exactly where its
    unclamped value crosses it, or at a kink of its curve, so the two sides may
    differ. ``kink`` names the threshold and the corner or curve kink involved.
    """

    left: float
    right: float
    at_boundary: bool
    kink: str = ""

    @property
    def value(self) -> float:
        """The two-sided derivative; raises ValueError at a kink where the sides differ."""
        if self.at_boundary and self.left != self.right:
            raise ValueError(
                f"the derivative is one-sided at the kink where {self.kink}: "
                f"left {self.left:.12g}, right {self.right:.12g}; use .left or .right"
            )
        return self.right

    def to_json(self) -> float | dict[str, float]:
        """Return a number, or {"left": x, "right": y} when the sides differ."""
        if self.left == self.right:
            return self.right
        return {"left": self.left, "right": self.right}


def parameter_names(economy: Economy) -> tuple[str, ...]:
    """Return every name comparative statics accept for ``economy``, common costs first."""
    return COMMON_COSTS + SCALAR_PARAMETERS + compile_economy(economy).parameter_names[len(SCALAR_PARAMETERS):]


def _direction(compiled: CompiledEconomy, parameter: str) -> np.ndarray:
    """Return the direction in theta-space along which ``parameter`` moves."""
    vector = np.zeros(compiled.size)
    # A common cost moves both of its directions together.
    names = {"tau_g": ("tau_g_ns", "tau_g_sn"), "tau_s": ("tau_s_ns", "tau_s_sn")}.get(parameter, (parameter,))
    for name in names:
        vector[compiled.parameter_names.index(name)] = 1.0
    return vector


def _output_vector(compiled: CompiledEconomy, omega, theta, thresholds) -> jax.Array:
    flows = trade_flows(compiled, omega, theta, thresholds)
    return jnp.stack((omega,) + tuple(thresholds) + tuple(flows))


# Every (threshold, corner) pair, in the order of the rows of the corner gaps below.
_CORNERS = tuple((name, corner) for name in THRESHOLD_NAMES for corner in (0.0, 1.0))

# One jitted function per compiled economy. The regime is an argument (an array
# of codes), so one compilation per structure of curves serves every regime.
# Compiling takes longer than many calls (see SCALAR_COMPILER_OPTIONS).
_STATICS_FUNCTIONS: dict[int, Callable] = {}


def _statics_function(compiled: CompiledEconomy) -> Callable:
    """Return (theta, codes, omega) -> a dict of the arrays comparative statics need.

    From the solve at ``theta``: "solved" (outputs), "code" (the solve's status)
    and "d_solved" (d outputs/d theta, with d ln omega/d theta from
    differentiating the solve through its implicit adjoint and the outputs by the
    chain rule at ``omega``). At the given ``omega`` in the regime of ``codes``:
    "outputs", "gaps" (one corner gap per pair of ``_CORNERS``), "d_omega",
    "d_outputs" and "d_gaps" (derivatives in theta). There the implicit function
    theorem on the reduced condition F_regime(omega, theta) = 0 gives d omega/d
    theta = -F_theta / F_omega, and outputs and gaps follow by the chain rule.
    Codes all ``CLAMPED`` give the clamped thresholds.
    """
    key = id(compiled)
    if key not in _STATICS_FUNCTIONS:

        def log_omega(theta):
            y, code, _ = solve_log_omega(compiled, theta)
            return y, (y, code)

        def levels(omega, theta, codes):
            # Residual, outputs and corner gaps in one vector, so that one forward
            # pass over omega and theta gives every partial derivative. Each inverse
            # is evaluated once; for a closed form the corner gap is the unclamped
            # threshold minus the corner, as in ``corner_gap``.
            unclamped = {name: compiled.unclamped_threshold(name, omega, theta) for name in THRESHOLD_NAMES}
            gaps = [
                unclamped[name] - corner if compiled.closed_form[name] else compiled.corner_gap(name, corner, omega, theta)
                for name, corner in _CORNERS
            ]
            thresholds = compiled.coded_thresholds(omega, theta, codes, tuple(unclamped.values()))
            return jnp.concatenate((
                compiled.residual_at(omega, thresholds, theta)[None],
                _output_vector(compiled, omega, theta, thresholds),
                jnp.stack(gaps),
            ))

        def statics_arrays(theta, codes, omega):
            d_log_omega, (y, code) = jax.jacfwd(log_omega, has_aux=True)(theta)
            values = levels(omega, theta, codes)
            d_level_d_omega, d_level_d_theta = jax.jacfwd(levels, (0, 1))(omega, theta, codes)
            count = len(OUTPUTS)
            outputs = slice(1, 1 + count)
            d_omega = -d_level_d_theta[0] / d_level_d_omega[0]
            total = d_level_d_theta[1:] + jnp.outer(d_level_d_omega[1:], d_omega)
            return {
                "solved": _output_vector(
                    compiled, jnp.exp(y), theta, compiled.coded_thresholds(jnp.exp(y), theta, codes)
                ),
                "code": code,
                "d_solved": d_level_d_theta[outputs] + jnp.outer(d_level_d_omega[outputs], omega * d_log_omega),
                "outputs": values[outputs], "gaps": values[1 + count:],
                "d_omega": d_omega, "d_outputs": total[:count], "d_gaps": total[count:],
            }

        _STATICS_FUNCTIONS[key] = jax.jit(statics_arrays, compiler_options=SCALAR_COMPILER_OPTIONS)
    return _STATICS_FUNCTIONS[key]


def _boundary_thresholds(gaps: np.ndarray) -> tuple[tuple[str, float], ...]:
    """Return (threshold, corner) for every threshold that sits exactly at a regime boundary."""
    return tuple(pair for pair, gap in zip(_CORNERS, gaps) if abs(float(gap)) <= CORNER_TOLERANCE)


def _with_positions(regime: Regime, positions: Mapping[str, Position]) -> Regime:
    return replace(regime, **positions)


def _corner_position(corner: float) -> Position:
    return Position.LOWER if corner == 0.0 else Position.UPPER


@dataclass(frozen=True)
class _SideCandidate:
    """The smooth system of one regime adjacent to a boundary, with its Jacobians."""

    regime: Regime
    interior: tuple[bool, ...]
    d_outputs: np.ndarray
    d_gaps: np.ndarray

    def consistency(self, gaps: tuple[tuple[str, float], ...], direction: np.ndarray, side: float) -> int:
        """Return 2 if this regime applies strictly on ``side`` (+1 right, -1 left) of the point, 1 weakly, 0 not."""
        level = 2
        for (name, corner), interior, row in zip(gaps, self.interior, self.d_gaps):
            inward = 1.0 if corner == 0.0 else -1.0
            movement = side * inward * float(row @ direction)
            # Interior on this side needs the unclamped threshold to move into (0, 1);
            # the corner regime needs it to move out past the corner.
            signed = movement if interior else -movement
            if signed < 0.0:
                return 0
            if signed == 0.0:
                level = 1
        return level


def _one_sided(
    candidates: list[_SideCandidate], gaps, direction: np.ndarray, side: float
) -> _SideCandidate:
    best = max(candidates, key=lambda candidate: candidate.consistency(gaps, direction, side))
    if best.consistency(gaps, direction, side) == 0:
        # This needs the directions to disagree across regimes, which a strictly
        # rising residual rules out. The fallback is the solved regime, with every
        # boundary threshold at its corner.
        logger.debug("no adjacent regime is consistent on side %+g; using the corner regime", side)
        return next(candidate for candidate in candidates if not any(candidate.interior))
    return best


@dataclass(frozen=True)
class Statics:
    """Derivatives and elasticities of equilibrium outputs with respect to parameters.

    Outputs are omega, the four thresholds and the four trade flows; parameters are
    the names of ``parameter_names(economy)``. An elasticity is d ln y / d ln p. For
    a common cost it is the response to a proportional rise of both directions.
    It is None where the output is 0.
    """

    equilibrium: Equilibrium
    outputs: tuple[str, ...]
    parameters: tuple[str, ...]
    values: Mapping[str, float]
    derivatives: Mapping[tuple[str, str], Derivative]
    elasticities: Mapping[tuple[str, str], Derivative | None]

    def _check(self, output: str, parameter: str) -> None:
        if output not in self.outputs:
            raise InvalidParameterError("output", output, f"expected one of {', '.join(self.outputs)}")
        if parameter not in self.parameters:
            raise InvalidParameterError("parameter", parameter, f"expected one of {', '.join(self.parameters)}")

    def derivative(self, output: str, parameter: str) -> Derivative:
        """Return d output / d parameter."""
        self._check(output, parameter)
        return self.derivatives[(output, parameter)]

    def elasticity(self, output: str, parameter: str) -> Derivative:
        """Return d ln output / d ln parameter; raises InvalidParameterError where the output is 0."""
        self._check(output, parameter)
        result = self.elasticities[(output, parameter)]
        if result is None:
            raise InvalidParameterError(
                "output", output, "its elasticity is undefined because the output is 0 in this equilibrium"
            )
        return result

    def to_dict(self) -> dict:
        """Return values, derivatives and elasticities as JSON-ready nested dictionaries."""
        return {
            "values": dict(self.values),
            "derivatives": {
                output: {p: self.derivatives[(output, p)].to_json() for p in self.parameters} for output in self.outputs
            },
            "elasticities": {
                output: {
                    p: (None if self.elasticities[(output, p)] is None else self.elasticities[(output, p)].to_json())
                    for p in self.parameters
                }
                for output in self.outputs
            },
        }


def _check_names(names, allowed: tuple[str, ...], label: str) -> tuple[str, ...]:
    if names is None:
        return allowed
    if isinstance(names, str):
        names = (names,)
    for name in names:
        if name not in allowed:
            raise InvalidParameterError(label, name, f"expected one of {', '.join(allowed)}")
    return tuple(names)


def _require_continuous(economy: Economy) -> None:
    if not isinstance(economy, Economy):
        raise InvalidParameterError("economy", economy, "expected a telemigration.models.Economy")
    if economy.is_tabulated:
        raise InvalidCurveError(
            "economy", economy.goods_curve.describe(),
            "comparative statics by autodiff need continuous curves; "
            "use telemigration.solvers.tabulated_statics.tabulated_statics for tables",
        )


def comparative_statics(
    economy: Economy,
    params: Parameters,
    *,
    outputs: tuple[str, ...] | None = None,
    with_respect_to: tuple[str, ...] | None = None,
) -> Statics:
    """Compute d y / d p and d ln y / d ln p for every output y and parameter p.

    Baldwin and Dingel (2021), sections 5.2 and 5.3. Away from a regime boundary
    both sides equal JAX's derivative of the solve. At a boundary each side comes
    from the smooth system of the regime that holds on that side.
    """
    _require_continuous(economy)
    equilibrium = solve_equilibrium(economy, params)
    compiled = compile_economy(economy)
    outputs = _check_names(outputs, OUTPUTS, "output")
    parameters = _check_names(with_respect_to, parameter_names(economy), "parameter")

    theta = compiled.theta(economy, params)
    omega = jnp.asarray(equilibrium.omega, dtype=jnp.float64)
    regime = equilibrium.regime
    function = _statics_function(compiled)
    arrays = function(theta, regime_codes(regime), omega)
    values_vector = np.asarray(arrays["outputs"])
    theta_values = np.asarray(theta)
    gaps = _boundary_thresholds(np.asarray(arrays["gaps"]))
    kink = " and ".join(f"{name} reaches {corner:g}" for name, corner in gaps)

    if gaps:
        rows = [_CORNERS.index(pair) for pair in gaps]
        candidates = []
        for interior in itertools.product((False, True), repeat=len(gaps)):
            positions = {
                name: (Position.INTERIOR if inside else _corner_position(corner))
                for (name, corner), inside in zip(gaps, interior)
            }
            candidate_regime = _with_positions(regime, positions)
            candidate = function(theta, regime_codes(candidate_regime), omega)
            candidates.append(_SideCandidate(
                candidate_regime, interior, np.asarray(candidate["d_outputs"]), np.asarray(candidate["d_gaps"])[rows]
            ))
    else:
        jacobian = np.asarray(arrays["d_solved"])
        _check_finite(jacobian, params)

    derivatives: dict[tuple[str, str], Derivative] = {}
    elasticities: dict[tuple[str, str], Derivative | None] = {}
    for parameter in parameters:
        direction = _direction(compiled, parameter)
        log_direction = direction * theta_values
        for index, output in enumerate(OUTPUTS):
            if output not in outputs:
                continue
            if gaps:
                sides = [
                    _one_sided(candidates, gaps, vector, side).d_outputs[index] @ vector
                    for vector in (direction, log_direction)
                    for side in (-1.0, 1.0)
                ]
                left, right, log_left, log_right = (float(value) for value in sides)
            else:
                left = right = float(jacobian[index] @ direction)
                log_left = log_right = float(jacobian[index] @ log_direction)
            derivatives[(output, parameter)] = Derivative(left, right, bool(gaps), kink)
            level = float(values_vector[index])
            if level == 0.0:
                elasticities[(output, parameter)] = None
            else:
                elasticities[(output, parameter)] = Derivative(log_left / level, log_right / level, bool(gaps), kink)

    curve_kinks = _thresholds_at_kinks(economy, equilibrium)
    if curve_kinks:
        kink = " and ".join(filter(None, (kink, curve_kinks)))
        _one_sided_at_curve_kink(
            compiled, theta_values, outputs, parameters, values_vector, kink, derivatives, elasticities
        )
    if gaps or curve_kinks:
        _check_one_sided_finite(derivatives, elasticities, kink, params)
    values = {output: float(values_vector[OUTPUTS.index(output)]) for output in outputs}
    return Statics(
        equilibrium, outputs, parameters, MappingProxyType(values),
        MappingProxyType(derivatives), MappingProxyType(elasticities),
    )


def _thresholds_at_kinks(economy: Economy, equilibrium: Equilibrium) -> str:
    """Return "t_S sits at the kink 0.1 of the services curve" for each threshold at a curve kink, or "".

    A threshold within ``CORNER_TOLERANCE`` of a point of ``kink_points`` counts as
    at it, as a threshold that close to a corner counts as at the corner.
    """
    found = []
    for name in THRESHOLD_NAMES:
        role, curve = ("goods", economy.goods_curve) if name.startswith("z") else ("services", economy.services_curve)
        value = getattr(equilibrium.thresholds, name)
        for point in curve.kink_points():
            if abs(value - point) <= CORNER_TOLERANCE:
                found.append(f"{name} sits at the kink {point:g} of the {role} curve")
    return " and ".join(found)


def _one_sided_at_curve_kink(
    compiled: CompiledEconomy,
    theta: np.ndarray,
    outputs: tuple[str, ...],
    parameters: tuple[str, ...],
    levels: np.ndarray,
    kink: str,
    derivatives: dict,
    elasticities: dict,
) -> None:
    """Replace every derivative and elasticity by one-sided ones at a threshold that sits at a curve kink.

    Each side is the three-point one-sided difference of re-solved equilibria
    (error O(h^2), h = FINITE_DIFFERENCE_STEP times the parameter's scale), which
    stays on one piece of the curve. A side that agrees with the autodiff value
    already in ``derivatives`` to ``KINK_SNAP`` is replaced by it, so a side the
    kink does not affect stays exact. A side that would leave the parameter's
    domain (a cost below 1) takes the other side's value.
    """
    # NOTE: these sides are finite differences, accurate to about 1e-9 relative,
    # not autodiff of each piece; a kink inside the inverse has no exact branch here.
    function = _statics_function(compiled)
    clamped = regime_codes(None)
    placeholder = jnp.asarray(1.0, dtype=jnp.float64)

    def solved(point: np.ndarray) -> np.ndarray:
        arrays = function(jnp.asarray(point, dtype=jnp.float64), clamped, placeholder)
        if int(arrays["code"]) != 0:
            raise SolverError(
                f"a one-sided difference at the kink where {kink} failed to solve (status code {int(arrays['code'])})",
                advice="move the parameters slightly away from the kink",
            )
        return np.asarray(arrays["solved"])

    centre = solved(theta)

    def sides(vector: np.ndarray, step: float, fits_left: bool) -> tuple[np.ndarray, np.ndarray]:
        near, far = solved(theta + step * vector), solved(theta + 2.0 * step * vector)
        right = (-3.0 * centre + 4.0 * near - far) / (2.0 * step)
        if not fits_left:
            return right, right
        near, far = solved(theta - step * vector), solved(theta - 2.0 * step * vector)
        left = (3.0 * centre - 4.0 * near + far) / (2.0 * step)
        return left, right

    for parameter in parameters:
        direction = _direction(compiled, parameter)
        value = parameter_value(compiled, theta, parameter)
        step = FINITE_DIFFERENCE_STEP * max(1.0, abs(value))
        lower, _, lower_open = _parameter_domain(parameter)
        reach = value - 2.0 * step
        left, right = sides(direction, step, reach > lower or (reach == lower and not lower_open))
        # d y / d ln p along the same direction, relative to the parameter's own size.
        log_reach = value * (1.0 - 2.0 * FINITE_DIFFERENCE_STEP)
        log_left, log_right = sides(
            direction * theta, FINITE_DIFFERENCE_STEP, log_reach > lower or (log_reach == lower and not lower_open)
        )
        for index, output in enumerate(OUTPUTS):
            if output not in outputs:
                continue
            exact = derivatives[(output, parameter)]
            derivatives[(output, parameter)] = Derivative(
                _snap(float(left[index]), exact.left), _snap(float(right[index]), exact.right), True, kink
            )
            level = float(levels[index])
            exact_log = elasticities[(output, parameter)]
            if level == 0.0 or exact_log is None:
                elasticities[(output, parameter)] = None
                continue
            elasticities[(output, parameter)] = Derivative(
                _snap(float(log_left[index]) / level, exact_log.left),
                _snap(float(log_right[index]) / level, exact_log.right),
                True, kink,
            )


# A one-sided difference within this distance, relative to max(1, |value|), of the
# autodiff derivative is that derivative: it exceeds the difference's error
# (about 2e-7 after a solve that ends by bisection, see FINITE_DIFFERENCE_STEP).
KINK_SNAP = 1e-6


def _snap(difference: float, exact: float) -> float:
    return exact if abs(difference - exact) <= KINK_SNAP * max(1.0, abs(exact)) else difference


def _check_one_sided_finite(derivatives, elasticities, kink: str, params: Parameters) -> None:
    """Raise SolverError unless every one-sided derivative and elasticity is finite.

    A side whose regime has every threshold at a corner and no South exports has
    F_omega = 0, because trade no longer depends on omega; its derivative is then
    undefined rather than a number.
    """
    for (output, parameter), derivative in itertools.chain(derivatives.items(), elasticities.items()):
        if derivative is None:
            continue
        if not (math.isfinite(derivative.left) and math.isfinite(derivative.right)):
            raise SolverError(
                f"the derivative of {output} in {parameter} at {params} is not finite on one side of "
                f"the regime boundary where {kink}",
                advice="trade does not pin omega in the regime on that side; "
                "move the parameters away from the boundary",
            )


def _check_finite(jacobian: np.ndarray, params: Parameters) -> None:
    if not np.all(np.isfinite(jacobian)):
        raise SolverError(
            f"the derivative of the equilibrium at {params} is not finite",
            advice="a curve's derivative is not finite at these cost ratios",
        )


def implicit_derivative_numeric(economy: Economy, params: Parameters, regime: Regime) -> dict[str, float]:
    """Return d omega / d p = -F_p / F_omega in ``regime`` for every parameter p, from JAX partials.

    F is the reduced labour-market condition of ``regime`` (corner thresholds fixed
    at 0 or 1, interior ones at their inverses), evaluated at the equilibrium omega
    of ``params``; Baldwin and Dingel (2021), section 5.2. When ``regime`` is not
    the equilibrium's regime the formula is still evaluated there, so the result
    is then the derivative of that regime's system, not of the equilibrium.
    """
    _require_continuous(economy)
    if not isinstance(regime, Regime):
        raise InvalidParameterError("regime", regime, "expected a telemigration.models.Regime")
    equilibrium = solve_equilibrium(economy, params)
    compiled = compile_economy(economy)
    theta = compiled.theta(economy, params)
    omega = jnp.asarray(equilibrium.omega, dtype=jnp.float64)
    d_omega = np.asarray(_statics_function(compiled)(theta, regime_codes(regime), omega)["d_omega"])
    return {name: float(d_omega @ _direction(compiled, name)) for name in parameter_names(economy)}


def _parameter_domain(name: str) -> tuple[float, float, bool]:
    """Return (lower, upper, lower_open) for a parameter name."""
    if name in DIRECTIONAL_COSTS or name in COMMON_COSTS:
        return 1.0, math.inf, False
    if name == "gamma":
        return 0.0, 1.0, False
    if name.endswith(".t_b"):
        return 0.0, 1.0, True
    return 0.0, math.inf, True


def parameter_value(compiled: CompiledEconomy, theta: np.ndarray, name: str) -> float:
    """Return the current value of ``name``; for a common cost, the smaller direction."""
    if name == "tau_g":
        return float(min(theta[0], theta[1]))
    if name == "tau_s":
        return float(min(theta[2], theta[3]))
    return float(theta[compiled.parameter_names.index(name)])


def finite_difference_derivative(
    economy: Economy,
    params: Parameters,
    output: str,
    parameter: str,
    *,
    side: str = "central",
    step: float | None = None,
) -> float:
    """Return a finite-difference d output / d parameter from re-solved equilibria.

    ``side`` is "central" (error O(h^2)), or "left" or "right" for the three-point
    one-sided formula (also O(h^2)) that stays on one side of a kink. The default
    step is ``FINITE_DIFFERENCE_STEP`` times max(1, |p|). A central difference that
    would leave the parameter's domain (a cost below 1, gamma outside [0, 1])
    becomes one-sided into the domain. A one-sided difference that would leave it
    raises InvalidParameterError.
    """
    _require_continuous(economy)
    if output not in OUTPUTS:
        raise InvalidParameterError("output", output, f"expected one of {', '.join(OUTPUTS)}")
    allowed = parameter_names(economy)
    if parameter not in allowed:
        raise InvalidParameterError("parameter", parameter, f"expected one of {', '.join(allowed)}")
    if side not in ("central", "left", "right"):
        raise InvalidParameterError("side", side, "expected 'central', 'left' or 'right'")

    compiled = compile_economy(economy)
    theta = np.asarray(compiled.theta(economy, params))
    value = parameter_value(compiled, theta, parameter)
    if step is None:
        step = FINITE_DIFFERENCE_STEP * max(1.0, abs(value))
    elif not (isinstance(step, (int, float)) and math.isfinite(step) and step > 0.0):
        raise InvalidParameterError("step", step, "expected a finite number > 0")
    step = float(step)

    lower, upper, lower_open = _parameter_domain(parameter)
    fits_below = value - step > lower or (value - step == lower and not lower_open)
    fits_above = value + step <= upper
    if side == "central" and not (fits_below and fits_above):
        side = "right" if not fits_below else "left"
        logger.debug("central difference for %s=%g leaves its domain; using side=%s", parameter, value, side)
    reach = 2.0 * step
    if side == "left" and not (value - reach > lower or (value - reach == lower and not lower_open)):
        raise InvalidParameterError(
            parameter, value, f"a left difference with step {step:g} leaves the domain; use side='right' or a smaller step"
        )
    if side == "right" and value + reach > upper:
        raise InvalidParameterError(
            parameter, value, f"a right difference with step {step:g} leaves the domain; use side='left' or a smaller step"
        )

    direction = _direction(compiled, parameter)
    index = OUTPUTS.index(output)
    function = _statics_function(compiled)
    clamped = regime_codes(None)
    # The compiled function of the autodiff derivative, so that finite differences
    # compile nothing more. Only its solved outputs are used, so omega is a placeholder.
    placeholder = jnp.asarray(1.0, dtype=jnp.float64)

    def evaluate(multiple: float) -> float:
        shifted = jnp.asarray(theta + multiple * step * direction, dtype=jnp.float64)
        arrays = function(shifted, clamped, placeholder)
        vector, code = arrays["solved"], arrays["code"]
        if int(code) != 0:
            raise SolverError(
                f"finite difference of {output} in {parameter}: the solve at {parameter} "
                f"{value + multiple * step:.12g} failed with status code {int(code)}",
                advice="use a smaller step or check the calibration with solve_equilibrium",
            )
        return float(vector[index])

    if side == "central":
        return (evaluate(1.0) - evaluate(-1.0)) / (2.0 * step)
    if side == "right":
        return (-3.0 * evaluate(0.0) + 4.0 * evaluate(1.0) - evaluate(2.0)) / (2.0 * step)
    return (3.0 * evaluate(0.0) - 4.0 * evaluate(-1.0) + evaluate(-2.0)) / (2.0 * step)
