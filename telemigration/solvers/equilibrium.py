"""The general-equilibrium relative wage omega of the DFS model with goods and service tasks.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.2 and 5.3:
the thresholds are the clamped inverses of the curves at the cost ratios,
z_S = A^-1(tau_g^NS omega), z_N = A^-1(omega / tau_g^SN), t_S = S^-1(tau_s^NS omega)
and t_N = S^-1(omega / tau_s^SN), each clamped to [0, 1]. North's labour market,

    F(omega) = omega (1 - gamma B(z_N) - (1 - gamma) t_N) - ell (gamma B(z_S) + (1 - gamma) t_S) = 0,

has exactly one root because F rises strictly in omega. The solver finds it in
y = ln omega with optimistix, by Newton's method safeguarded by bisection on a
bracket whose sign change it checks first, and differentiates it by the implicit function theorem
(``optimistix.ImplicitAdjoint``), never through the iterations.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Callable, ClassVar

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optimistix as optx

from telemigration.errors import InvalidParameterError, SolverError
from telemigration.models.parameters import DIRECTIONAL_COSTS, Parameters
from telemigration.models.regime import THRESHOLD_NAMES, Position, Regime
from telemigration.models.system import Economy
from telemigration.solvers.bridge import CompiledEconomy, compile_economy
from telemigration.solvers.result import Equilibrium, SolveStatus, Thresholds, TradeFlows

logger = logging.getLogger(__name__)

# Bracket for y = ln omega: omega from 1.4e-11 to 7.2e10. The solver checks that F
# changes sign on it and reports NO_SIGN_CHANGE otherwise; no calibration tried
# in the tests comes near either end.
LOG_OMEGA_BRACKET = (-25.0, 25.0)

DEFAULT_RTOL = 1e-12
DEFAULT_MAX_STEPS = 256

# A threshold whose unclamped value is within this distance of 0 or 1 counts as
# at that corner. The solver stops at |Delta ln omega| <= 1e-12 (1 + |ln omega|),
# and thresholds move at most about 1/eps per unit of ln omega (20 for the default
# hockey stick), so solver noise stays two orders of magnitude below it.
CORNER_TOLERANCE = 1e-9

# A converged solve is still reported as failed (RESIDUAL_TOO_LARGE) unless
# |F| <= RESIDUAL_TOLERANCE max(omega (1 - X_N), ell X_S) + RESIDUAL_FLOOR (omega + ell).
# The two terms of F are South's and North's exports, so trade is balanced to this
# share of the larger flow, up to the float64 rounding floor of evaluating F.
# Measuring against omega + ell alone would accept thin trade that is far from
# balanced (South exporting 1e-5 and North 5e-13 at omega = 1e6).
RESIDUAL_TOLERANCE = 1e-10
RESIDUAL_FLOOR = 16.0 * float(np.finfo(np.float64).eps)

# Trade is too thin to pin omega when the rounding floor exceeds this share of the
# larger flow. 1 - X_N is then a difference of numbers near 1, and float64 cannot
# balance the flows better than this (with the default curves, from common costs
# of about 800 or a labour ratio of about 3e-9).
THIN_TRADE_BALANCE = 1e-6

# XLA options for the programs that solve or differentiate one point at a time.
# Each runs in microseconds, but compiling the statics program took about a
# second on a two-core CPU. XLA's older fused-loop code generator compiles it
# in about half that. Its code can round differently in the last bit, so
# omega can move by an ulp or two (2 ulps at most in 640 trial solves). A
# finite difference divides such a move by its step and changes in the ninth or
# tenth digit. The batched solver keeps XLA's defaults.
SCALAR_COMPILER_OPTIONS = {"xla_cpu_use_fusion_emitters": False}

# Status codes of the JAX kernel, mapped to SolveStatus outside of jit.
_CODE_SUCCESS, _CODE_NO_SIGN_CHANGE, _CODE_MAX_STEPS, _CODE_NONFINITE = 0, 1, 2, 3
# Codes that accept_solution gives a converged root that fails the trade-balance
# test: trade too thin to balance in float64, or not balanced to RESIDUAL_TOLERANCE.
_CODE_THIN_TRADE, _CODE_UNBALANCED = 4, 5
_STATUS_BY_CODE = {
    _CODE_SUCCESS: SolveStatus.SUCCESS,
    _CODE_NO_SIGN_CHANGE: SolveStatus.NO_SIGN_CHANGE,
    _CODE_MAX_STEPS: SolveStatus.MAX_STEPS_REACHED,
    _CODE_NONFINITE: SolveStatus.NONFINITE,
    _CODE_THIN_TRADE: SolveStatus.RESIDUAL_TOO_LARGE,
    _CODE_UNBALANCED: SolveStatus.RESIDUAL_TOO_LARGE,
}


def log_residual(compiled: CompiledEconomy) -> Callable[[jax.Array, jax.Array], jax.Array]:
    """Return G(y, theta) = F(e^y) / e^y, the residual the root finder zeroes.

    Dividing by omega keeps G of order one across the bracket; G rises strictly in
    y because 1 - X_N rises and ell X_S / omega falls with omega.
    """

    def residual(y, theta):
        omega = jnp.exp(y)
        return compiled.residual(omega, theta) / omega

    return residual


class _NewtonBisectionState(eqx.Module):
    lower: jax.Array
    upper: jax.Array
    step: jax.Array
    previous_step: jax.Array
    error: jax.Array


class NewtonBisection(optx.AbstractRootFinder):
    """Newton's method safeguarded by a bracket, for a scalar function that rises through its root.

    Each step evaluates f and f' (one forward-mode JVP) at the iterate and shrinks
    the bracket [lower, upper] by the sign of f. It takes the Newton step when that
    lands inside the bracket and is less than half the step before last, and
    bisects otherwise. So the bracket keeps shrinking, and convergence is
    quadratic near a smooth root. The solver stops when a step or the bracket is
    below ``atol + rtol |y|``. It requires ``options={"lower": ..., "upper": ...}``
    with f(lower) < 0 < f(upper), a sign change the caller checks.
    """

    rtol: float
    atol: float
    norm: ClassVar[Callable] = jnp.abs

    def init(self, fn, y, args, options, f_struct, aux_struct, tags):
        del y, args, aux_struct, tags
        lower = jnp.asarray(options["lower"], f_struct.dtype)
        upper = jnp.asarray(options["upper"], f_struct.dtype)
        width = upper - lower
        return _NewtonBisectionState(lower, upper, width, width, jnp.asarray(jnp.inf, f_struct.dtype))

    def step(self, fn, y, args, options, state, tags):
        del options, tags
        (error, aux), (slope, _) = jax.jvp(lambda point: fn(point, args), (y,), (jnp.ones_like(y),))
        negative = error < 0.0
        lower = jnp.where(negative, y, state.lower)
        upper = jnp.where(negative, state.upper, y)
        newton = y - error / slope
        # Closed bounds: at convergence the iterate is a bracket end and the Newton
        # step rounds to zero, which must count as inside to stop the iteration.
        inside = jnp.isfinite(newton) & (newton >= lower) & (newton <= upper)
        fast = jnp.abs(2.0 * error) <= jnp.abs(state.previous_step * slope)
        new_y = jnp.where(inside & fast, newton, lower + 0.5 * (upper - lower))
        new_state = _NewtonBisectionState(lower, upper, jnp.abs(new_y - y), state.step, error)
        return new_y, new_state, aux

    def terminate(self, fn, y, args, options, state, tags):
        del fn, args, options, tags
        scale = self.atol + self.rtol * jnp.abs(y)
        done = (state.step < scale) | (state.upper - state.lower < scale) | (state.error == 0.0)
        return done, optx.RESULTS.successful

    def postprocess(self, fn, y, aux, args, options, state, tags, result):
        return y, aux, {}


def solve_log_omega(
    compiled: CompiledEconomy,
    theta: jax.Array,
    *,
    rtol: float = DEFAULT_RTOL,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Return (ln omega, status code, steps) for one parameter vector; pure, so jit and vmap apply.

    The root is found by ``NewtonBisection`` on ``LOG_OMEGA_BRACKET`` to within
    ``rtol`` (1 + |ln omega|); when the last step is a Newton step the error is far
    smaller, near machine precision. The code is 0 on success, 1 when F has the
    same sign at both ends of the bracket, 2 when ``max_steps`` ran out and 3 for a
    non-finite root. Gradients of ln omega with respect to ``theta`` come from the
    implicit function theorem.
    """
    residual = log_residual(compiled)
    lower, upper = (jnp.asarray(bound, dtype=jnp.float64) for bound in LOG_OMEGA_BRACKET)
    # optimistix's Bisection checks the bracket through equinox's error_if, which
    # cannot be turned into a status under vmap, so the signs are checked here.
    residual_lower = residual(lower, jax.lax.stop_gradient(theta))
    residual_upper = residual(upper, jax.lax.stop_gradient(theta))
    bracketed = (residual_lower < 0.0) & (residual_upper > 0.0)

    solution = optx.root_find(
        residual,
        NewtonBisection(rtol=rtol, atol=rtol),
        0.5 * (lower + upper),
        theta,
        options={"lower": lower, "upper": upper},
        max_steps=max_steps,
        adjoint=optx.ImplicitAdjoint(),
        throw=False,
    )
    y = solution.value
    converged = solution.result == optx.RESULTS.successful
    code = jnp.where(
        ~bracketed,
        _CODE_NO_SIGN_CHANGE,
        jnp.where(~jnp.isfinite(y), _CODE_NONFINITE, jnp.where(converged, _CODE_SUCCESS, _CODE_MAX_STEPS)),
    )
    return y, code, solution.stats["num_steps"]


@dataclass(frozen=True, eq=False)
class EquilibriumKernel:
    """omega as a pure JAX function of the flat parameter vector ``theta``.

    ``names`` is the order of ``theta`` (see ``telemigration.solvers.bridge``).
    Calling the kernel returns omega without a status, for jit, vmap and jacfwd;
    ``solve`` also returns the status code, which batch solvers must check.
    """

    compiled: CompiledEconomy
    rtol: float = DEFAULT_RTOL
    max_steps: int = DEFAULT_MAX_STEPS

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names in the order of ``theta``."""
        return self.compiled.parameter_names

    def theta(self, economy: Economy, params: Parameters) -> jax.Array:
        """Return the parameter vector of ``params`` and the curve values of ``economy``."""
        return self.compiled.theta(economy, params)

    def solve(self, theta: jax.Array) -> tuple[jax.Array, jax.Array]:
        """Return (omega, status code) with the codes of ``solve_log_omega``."""
        y, code, _ = solve_log_omega(self.compiled, theta, rtol=self.rtol, max_steps=self.max_steps)
        return jnp.exp(y), code

    def __call__(self, theta: jax.Array) -> jax.Array:
        return self.solve(theta)[0]


def equilibrium_kernel(
    economy: Economy,
    *,
    rtol: float = DEFAULT_RTOL,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> EquilibriumKernel:
    """Return the pure kernel theta -> omega of a continuous-curve economy."""
    _check_solver_options(rtol, max_steps)
    return EquilibriumKernel(compile_economy(economy), rtol, max_steps)


def _check_solver_options(rtol: float, max_steps: int) -> None:
    if not (isinstance(rtol, (int, float)) and 0.0 < float(rtol) < 1e-2):
        raise InvalidParameterError("rtol", rtol, "expected a tolerance in (0, 0.01)")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise InvalidParameterError("max_steps", max_steps, "expected a positive integer")


# Jitted solves by (compiled economy, rtol, max_steps), each returning (ln omega,
# the code of accept_solution, steps); jax.jit caches the traces.
_JITTED: dict[tuple[int, float, int], Callable] = {}


def _jitted_solve(compiled: CompiledEconomy, rtol: float, max_steps: int) -> Callable:
    key = (id(compiled), float(rtol), int(max_steps))
    function = _JITTED.get(key)
    if function is None:

        def solve(theta):
            y, code, steps = solve_log_omega(compiled, theta, rtol=rtol, max_steps=max_steps)
            return y, accept_solution(compiled, y, code, theta), steps

        function = jax.jit(solve, compiler_options=SCALAR_COMPILER_OPTIONS)
        _JITTED[key] = function
    return function


def classify_regime(compiled: CompiledEconomy, omega: jax.Array, theta: jax.Array) -> Regime:
    """Return the regime at omega: each threshold LOWER, INTERIOR or UPPER.

    A threshold within ``CORNER_TOLERANCE`` of a corner counts as at the corner.
    """
    return regime_from_gaps(np.asarray(_jitted_corner_gaps(compiled)(omega, theta)))


def corner_gaps(compiled: CompiledEconomy, omega: jax.Array, theta: jax.Array) -> jax.Array:
    """Return the corner gaps of z_S, z_N, t_S and t_N at 0 and then 1, threshold by threshold (8 values)."""
    return jnp.stack([
        compiled.corner_gap(name, corner, omega, theta) for name in THRESHOLD_NAMES for corner in (0.0, 1.0)
    ])


def regime_from_gaps(gaps: np.ndarray) -> Regime:
    """Return the regime of the 8 corner gaps of ``corner_gaps``, as ``classify_regime`` does."""
    positions = {}
    for index, name in enumerate(THRESHOLD_NAMES):
        if float(gaps[2 * index]) <= CORNER_TOLERANCE:
            positions[name] = Position.LOWER
        elif float(gaps[2 * index + 1]) >= -CORNER_TOLERANCE:
            positions[name] = Position.UPPER
        else:
            positions[name] = Position.INTERIOR
    return Regime(**positions)


# Jitted corner gaps and results of a solve, by compiled economy. Evaluated op by
# op, the same expressions dispatch dozens of small JAX calls per solve.
_CORNER_GAPS: dict[int, Callable] = {}
_SOLUTION_PARTS: dict[int, Callable] = {}


def _jitted_corner_gaps(compiled: CompiledEconomy) -> Callable:
    key = id(compiled)
    if key not in _CORNER_GAPS:
        _CORNER_GAPS[key] = jax.jit(
            lambda omega, theta: corner_gaps(compiled, omega, theta), compiler_options=SCALAR_COMPILER_OPTIONS
        )
    return _CORNER_GAPS[key]


def _jitted_solution_parts(compiled: CompiledEconomy) -> Callable:
    """Return (omega, theta) -> (residual, clamped thresholds, trade flows, corner gaps) at a solved omega."""
    key = id(compiled)
    if key not in _SOLUTION_PARTS:

        def parts(omega, theta):
            thresholds = compiled.thresholds(omega, theta)
            # Trade flows use the thresholds that are reported, with 0 for a non-finite one.
            reported = tuple(jnp.where(jnp.isfinite(value), value, 0.0) for value in thresholds)
            flows = trade_flows(compiled, omega, theta, reported)
            return compiled.residual(omega, theta), jnp.stack(thresholds), jnp.stack(flows), corner_gaps(
                compiled, omega, theta
            )

        _SOLUTION_PARTS[key] = jax.jit(parts, compiler_options=SCALAR_COMPILER_OPTIONS)
    return _SOLUTION_PARTS[key]


def trade_flows(compiled: CompiledEconomy, omega: jax.Array, theta: jax.Array, thresholds) -> tuple[jax.Array, ...]:
    """Return (north_goods, south_goods, north_services, south_services) as documented in TradeFlows."""
    z_S, z_N, t_S, t_N = thresholds
    spending = (compiled.goods_spending(z_S, theta), compiled.goods_spending(z_N, theta), t_S, t_N)
    return flows_from_spending(theta[4], theta[5], omega, *spending)


def flows_from_spending(gamma, ell, omega, B_S, B_N, t_S, t_N) -> tuple:
    """Return (north_goods, south_goods, north_services, south_services) from the spending shares.

    Baldwin and Dingel (2021), sections 5.2 and 5.3: north_goods = gamma ell B_S,
    south_goods = gamma omega (1 - B_N), north_services = (1 - gamma) ell t_S and
    south_services = (1 - gamma) omega (1 - t_N), where B_S and B_N are the goods
    spending shares at z_S and z_N, and t_S and t_N the shares of service tasks.
    The arguments may be floats or JAX arrays.
    """
    north_goods = gamma * ell * B_S
    south_goods = gamma * omega * (1.0 - B_N)
    north_services = (1.0 - gamma) * ell * t_S
    south_services = (1.0 - gamma) * omega * (1.0 - t_N)
    return north_goods, south_goods, north_services, south_services


def trade_balance(omega, labour_ratio, residual, north, south) -> tuple[jax.Array, jax.Array]:
    """Return (thin_trade, balanced) for a solved omega with exports ``north`` and ``south``.

    Trade is thin when the float64 rounding floor RESIDUAL_FLOOR (omega + ell)
    exceeds THIN_TRADE_BALANCE of the larger flow (or no flow is positive). It is
    balanced when |F| <= RESIDUAL_TOLERANCE max(north, south) + that floor. The
    arguments may be floats or traced JAX scalars; a NaN residual is not balanced.
    """
    scale = jnp.maximum(north, south)
    floor = RESIDUAL_FLOOR * (omega + labour_ratio)
    thin = ~((scale > 0.0) & (floor <= THIN_TRADE_BALANCE * scale))
    return thin, jnp.abs(residual) <= RESIDUAL_TOLERANCE * scale + floor


def accept_solution(compiled: CompiledEconomy, log_omega: jax.Array, code: jax.Array, theta: jax.Array) -> jax.Array:
    """Return the status code of a root with the trade-balance test of ``solve_equilibrium`` applied.

    A root that ``solve_log_omega`` reports as converged (code 0) keeps code 0
    only when ``trade_balance`` finds North's exports gamma ell B(z_S) +
    (1 - gamma) ell t_S and South's exports gamma omega (1 - B(z_N)) +
    (1 - gamma) omega (1 - t_N) balanced (Baldwin and Dingel (2021), sections 5.2
    and 5.3); it gets 4 when trade is too thin to balance in float64 and 5 when
    trade is not balanced. Other codes pass through. Pure, so jit and vmap apply.
    """
    omega = jnp.exp(log_omega)
    thresholds = compiled.thresholds(omega, theta)
    # The flows use the thresholds that are reported, with 0 for a non-finite one.
    reported = tuple(jnp.where(jnp.isfinite(value), value, 0.0) for value in thresholds)
    north_goods, south_goods, north_services, south_services = trade_flows(compiled, omega, theta, reported)
    thin, balanced = trade_balance(
        omega, theta[5], compiled.residual(omega, theta), north_goods + north_services, south_goods + south_services
    )
    verdict = jnp.where(thin, _CODE_THIN_TRADE, jnp.where(balanced, _CODE_SUCCESS, _CODE_UNBALANCED))
    return jnp.where(code == _CODE_SUCCESS, verdict, code)


def _finite_or(value: float, fallback: float) -> float:
    return value if np.isfinite(value) else fallback


def solve_equilibrium(
    economy: Economy,
    params: Parameters,
    *,
    throw: bool = True,
    rtol: float = DEFAULT_RTOL,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Equilibrium:
    """Solve for North's relative wage omega, the thresholds, the regime and the trade flows.

    Baldwin and Dingel (2021), sections 5.2 and 5.3 (see the module docstring for
    the equations). ``rtol`` bounds the last step in ln omega relative to
    1 + |ln omega|. Economies with a tabulated curve go to the exact discrete
    solver ``telemigration.solvers.tabulated.solve_tabulated``.

    Raises SolverError with the residual when the solve fails. With ``throw=False``
    a failed solve returns an Equilibrium whose status is not SUCCESS; its numbers
    are finite (the last iterate, or omega = 1 if that is not finite) and must not
    be used as a solution.
    """
    if not isinstance(params, Parameters):
        raise InvalidParameterError("params", params, "expected a telemigration.models.Parameters")
    if not isinstance(economy, Economy):
        raise InvalidParameterError("economy", economy, "expected a telemigration.models.Economy")
    if economy.is_tabulated:
        # Imported here so that this module does not depend on the discrete solver.
        from telemigration.solvers.tabulated import solve_tabulated

        return solve_tabulated(economy, params)
    _check_solver_options(rtol, max_steps)

    compiled = compile_economy(economy)
    theta = compiled.theta(economy, params)
    y, code, steps = _jitted_solve(compiled, rtol, max_steps)(theta)
    status = _STATUS_BY_CODE[int(code)]
    omega = _finite_or(float(np.exp(float(y))), 1.0)
    omega_array = jnp.asarray(omega, dtype=jnp.float64)
    residual_array, threshold_array, flow_array, gaps = _jitted_solution_parts(compiled)(omega_array, theta)
    residual = _finite_or(float(residual_array), float("inf"))

    # F = south_goods + south_services - north_goods - north_services, so the flows
    # are the two terms of the residual and set its scale.
    exports = np.asarray(flow_array)
    north_exports, south_exports = float(exports[0] + exports[2]), float(exports[1] + exports[3])
    thin_trade = int(code) == _CODE_THIN_TRADE

    thresholds = tuple(_finite_or(float(value), 0.0) for value in np.asarray(threshold_array))
    flows = tuple(_finite_or(float(value), 0.0) for value in np.asarray(flow_array))
    # A sector without spending has no flows, wherever its thresholds sit.
    regime = replace(
        regime_from_gaps(np.asarray(gaps)), goods_traded=params.gamma > 0.0, services_traded=params.gamma < 1.0
    )
    message = _message(status, omega, residual, int(steps), max_steps)
    advice = _ADVICE.get(status, "")
    if status is SolveStatus.NO_SIGN_CHANGE:
        ends = [float(_jitted_solution_parts(compiled)(jnp.asarray(np.exp(bound), dtype=jnp.float64), theta)[0])
                for bound in LOG_OMEGA_BRACKET]
        message, advice = _bracket_failure(ends, economy, params)
    elif status is SolveStatus.RESIDUAL_TOO_LARGE:
        message, advice = _imbalance_failure(omega, north_exports, south_exports, thin_trade, economy, params)

    if status is not SolveStatus.SUCCESS:
        logger.debug("equilibrium solve failed: %s", message)
        if throw:
            raise SolverError(
                f"equilibrium solve failed ({status.value}) at {params}: {message}",
                residual=residual if np.isfinite(residual) else None,
                advice=advice,
            )
    return Equilibrium(
        omega=omega,
        thresholds=Thresholds(*thresholds),
        regime=regime,
        trade_flows=TradeFlows(*flows),
        residual=residual if np.isfinite(residual) else float(np.finfo(np.float64).max),
        iterations=int(steps),
        status=status,
        message=message,
    )


_ADVICE = {
    SolveStatus.MAX_STEPS_REACHED: "raise max_steps (bisection alone would need about 50 steps at rtol=1e-12)",
    SolveStatus.NONFINITE: "a curve or its inverse is not finite at the cost ratios of this calibration",
}


def _message(status: SolveStatus, omega: float, residual: float, steps: int, max_steps: int) -> str:
    if status is SolveStatus.SUCCESS:
        return f"converged in {steps} Newton-bisection steps; omega = {omega:.12g}"
    if status is SolveStatus.NO_SIGN_CHANGE:
        low, high = (float(np.exp(bound)) for bound in LOG_OMEGA_BRACKET)
        return f"the labour-market residual has the same sign at omega = {low:.3g} and {high:.3g}"
    if status is SolveStatus.MAX_STEPS_REACHED:
        return f"no convergence within max_steps={max_steps}; last iterate omega = {omega:.12g}"
    if status is SolveStatus.NONFINITE:
        return "the root is not finite; omega was set to 1 and is not a solution"
    return f"the residual {residual:.3e} at omega = {omega:.12g} is above the tolerance"


def extreme_parameters(economy: Economy, params: Parameters) -> str:
    """Return "name=value" for each parameter far from the scales the solver is tested on, or "".

    Far means a trade cost of 1000 or more, a labour ratio outside [1e-3, 1e3] or a
    curve parameter outside [1e-6, 1e6]. Failure messages name these parameters
    as the likely cause.
    """
    named = [f"{name}={value:g}" for name, value in zip(DIRECTIONAL_COSTS, params.as_tuple()) if value >= 1e3]
    if not 1e-3 <= params.labour_ratio <= 1e3:
        named.append(f"labour_ratio={params.labour_ratio:g}")
    for role, curve in (("goods", economy.goods_curve), ("services", economy.services_curve)):
        for name, value in zip(curve.parameter_names(), curve.parameter_values()):
            if value != 0.0 and not 1e-6 <= abs(value) <= 1e6:
                named.append(f"{role}.{name}={value:g} ({curve.family} curve)")
    return ", ".join(named)


def _bracket_failure(ends: list[float], economy: Economy, params: Parameters) -> tuple[str, str]:
    """Return (message, advice) for a residual without a sign change on the bracket, from F at its two ends."""
    low, high = (float(np.exp(bound)) for bound in LOG_OMEGA_BRACKET)
    extreme = extreme_parameters(economy, params)
    cause = f" ({extreme})" if extreme else ""
    at_ends = f"F = {ends[0]:.3e} at omega = {low:.3g} and {ends[1]:.3e} at {high:.3g}"
    if ends[0] == 0.0 and ends[1] == 0.0:
        return (
            f"the labour-market residual is 0 at both ends of the bracket [{low:.3g}, {high:.3g}], "
            "so no good or task is traded and trade does not pin omega",
            f"lower the trade costs or make the parameters less extreme{cause}",
        )
    if ends[1] <= 0.0:
        side = f"above {high:.3g}"
    elif ends[0] >= 0.0:
        side = f"below {low:.3g}"
    else:
        return (
            f"the labour-market residual falls from the lower to the upper end of the bracket ({at_ends})",
            "check that both curves are positive and strictly decreasing on (0, 1)",
        )
    return (
        f"the labour-market residual has the same sign at both ends of the solver's bracket "
        f"[{low:.3g}, {high:.3g}] ({at_ends}), so North's relative wage omega would lie {side}",
        f"the parameters are beyond the range the solver covers{cause}; bring them closer to 1",
    )


def _imbalance_failure(
    omega: float, north: float, south: float, thin_trade: bool, economy: Economy, params: Parameters
) -> tuple[str, str]:
    """Return (message, advice) for a solve that ended with trade unbalanced beyond RESIDUAL_TOLERANCE."""
    extreme = extreme_parameters(economy, params)
    cause = f" ({extreme})" if extreme else ""
    flows = f"North exports {north:.3e} and South exports {south:.3e} at omega = {omega:.12g}"
    if thin_trade:
        return (
            f"trade is too thin to pin omega in float64: {flows}, so float64 cannot balance them "
            f"to {THIN_TRADE_BALANCE:g} of the larger flow",
            f"almost no good or task is traded at these parameters{cause}; "
            "lower the trade costs or bring the labour ratio closer to 1",
        )
    return (
        f"trade is not balanced: {flows}, which differ by more than {RESIDUAL_TOLERANCE:g} of the larger "
        "flow; the residual is continuous but so steep here that no float64 omega balances it",
        f"a curve is extremely steep or flat at these cost ratios{cause}; make its parameters less extreme",
    )
