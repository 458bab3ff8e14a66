"""Multilateral resistance and structural gravity flows in JAX.

Baldwin and Dingel (2021), "Telemigration and development", section 3: with
incomes Y_o, spending E_d, iceberg costs tau_od >= 1 and elasticity sigma > 1,
market access and the price indices solve the multilateral-resistance system

    Omega_o = sum_d tau_od^(1-sigma) E_d / Pi_d,
    Pi_d    = sum_o tau_od^(1-sigma) Y_o / Omega_o,      Pi_d = P_d^(1-sigma),

and flows follow the gravity equation
``V_od = tau_od^(1-sigma) Y_o E_d / (Omega_o Pi_d)`` (the chain in
``telemigration.derivations.gravity`` derives all three; the tests evaluate that
chain at this module's solutions). The system needs sum Y = sum E, and it pins
Omega and Pi down only up to scale: (c Omega, Pi / c) solves it for any c > 0.
This module normalises P_r = 1 (so Pi_r = 1) for a reference nation r, nation 0
by default. Flows do not depend on the normalisation.

The solver works with y = ln Pi. Damped Newton steps on a convex dual of the
system (``_balance``), without gradient, find the solution. optimistix's Dogleg
trust-region method then confirms it as the root of ``T(y) - y`` with the
reference component replaced by ``y_r``. Derivatives therefore come from the
implicit function theorem at that root, never from the iterations.
``multilateral_resistance`` is pure, so ``jax.jit`` and ``jax.vmap`` apply to
it; ``solve_gravity`` validates input and raises on failure.

Limitation: near autarky with large trade imbalances (tau^(1-sigma) near 1e-29
and imbalances of tens of percent) the system's flat directions have curvature
below float64 resolution, and the solve fails with SolverError.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optimistix as optx
from jax.scipy.special import logsumexp

from telemigration.errors import InvalidParameterError, SolverError
from telemigration.solvers.result import SolveStatus

logger = logging.getLogger(__name__)

# Damped Newton steps on the convex dual (see ``_balance``) that find the starting
# point, and the largest gradient, in shares of world income, at which they stop.
_BALANCE_STEPS = 200
_BALANCE_GRADIENT = 1e-14
# Max change of any log scale in one damped Newton step.
_MAX_LOG_STEP = 5.0
# Armijo's sufficient-decrease constant and the min step length of the line search.
_ARMIJO = 1e-4
_MIN_STEP_LENGTH = 1e-12
DEFAULT_TOLERANCE = 1e-11
DEFAULT_MAX_STEPS = 256
# Largest relative gap between row or column sums of the flows and incomes or
# spending accepted as a solution; solves that succeed reach about 1e-13.
_ADDING_UP_TOLERANCE = 1e-8
# Allowed relative gap between total income and total spending.
_BALANCE_TOLERANCE = 1e-9

_CODE_SUCCESS = 0
_CODE_MAX_STEPS = 2
_CODE_NONFINITE = 3
_CODE_RESIDUAL = 4
_STATUS_BY_CODE = {
    _CODE_SUCCESS: SolveStatus.SUCCESS,
    _CODE_MAX_STEPS: SolveStatus.MAX_STEPS_REACHED,
    _CODE_NONFINITE: SolveStatus.NONFINITE,
    _CODE_RESIDUAL: SolveStatus.RESIDUAL_TOO_LARGE,
}


def _log_price_update(log_pi: jax.Array, log_phi: jax.Array, log_y: jax.Array, log_e: jax.Array) -> jax.Array:
    # One pass of the system in logs: ln Omega from ln Pi, then ln Pi from ln Omega.
    log_omega = logsumexp(log_phi + (log_e - log_pi)[None, :], axis=1)
    return logsumexp(log_phi + (log_y - log_omega)[:, None], axis=0)


def _balance(log_phi: jax.Array, log_y: jax.Array, log_e: jax.Array, reference: int) -> jax.Array:
    """Return ln Pi solving the system, by damped Newton steps on a convex dual.

    Flows have the form V_od = phi_od exp(u_o + v_d), so the system is a matrix
    balancing problem: find u and v with row sums y (income shares) and column
    sums e (spending shares). These are the first-order conditions of the convex
    function f(u, v) = sum_od phi_od exp(u_o + v_d) - y'u - e'v, and the term
    v_r^2 / 2 removes its one flat direction (u + c, v - c), fixing v_r = 0. Newton
    steps with an Armijo line search converge from any start, also near autarky,
    where fixed-point iterations crawl and undamped Newton steps diverge.
    """
    size = log_y.shape[0]
    shares_y = jnp.exp(log_y - logsumexp(log_y))
    shares_e = jnp.exp(log_e - logsumexp(log_e))
    anchor = jnp.zeros(size, dtype=jnp.float64).at[reference].set(1.0)

    def objective(z):
        u, v = z[:size], z[size:]
        total = jnp.sum(jnp.exp(log_phi + u[:, None] + v[None, :]))
        value = total - jnp.dot(shares_y, u) - jnp.dot(shares_e, v) + 0.5 * v[reference] ** 2
        # An overflowing trial point must fail the line search, not poison it.
        return jnp.where(jnp.isfinite(value), value, jnp.inf)

    def gradient_and_hessian(z):
        u, v = z[:size], z[size:]
        flows = jnp.exp(log_phi + u[:, None] + v[None, :])
        rows, columns = jnp.sum(flows, axis=1), jnp.sum(flows, axis=0)
        gradient = jnp.concatenate([rows - shares_y, columns - shares_e + v[reference] * anchor])
        hessian = jnp.block([
            [jnp.diag(rows), flows],
            [flows.T, jnp.diag(columns) + jnp.outer(anchor, anchor)],
        ])
        return gradient, hessian

    def newton_step(state):
        z, step, _ = state
        gradient, hessian = gradient_and_hessian(z)
        newton = -jnp.linalg.solve(hessian, gradient)
        # Near autarky the Hessian is almost singular, and a full Newton step can
        # leap thousands of log units, where exp overflows. So its max entry is capped.
        direction = newton * jnp.minimum(1.0, _MAX_LOG_STEP / jnp.max(jnp.abs(newton)))
        value = objective(z)
        slope = jnp.dot(gradient, direction)

        def halve(search):
            length, _ = search
            return 0.5 * length, objective(z + 0.5 * length * direction)

        def insufficient(search):
            length, trial = search
            return (trial > value + _ARMIJO * length * slope) & (length > _MIN_STEP_LENGTH)

        length, _ = jax.lax.while_loop(insufficient, halve, (jnp.ones((), dtype=jnp.float64), objective(z + direction)))
        updated = z + length * direction
        return updated, step + 1, jnp.max(jnp.abs(gradient_and_hessian(updated)[0]))

    def unfinished(state):
        _, step, gradient_size = state
        return (step < _BALANCE_STEPS) & (gradient_size > _BALANCE_GRADIENT)

    # The frictionless solution, V = Y E' / sum Y, is the starting point.
    start = jnp.concatenate([jnp.log(shares_y), jnp.log(shares_e)])
    z, _, _ = jax.lax.while_loop(unfinished, newton_step, (start, jnp.zeros((), dtype=jnp.int64), jnp.inf * jnp.ones((), dtype=jnp.float64)))
    v = z[size:]
    log_pi = log_e - v
    return log_pi - log_pi[reference]


def _market_access(log_pi: jax.Array, log_phi: jax.Array, log_e: jax.Array) -> jax.Array:
    return logsumexp(log_phi + (log_e - log_pi)[None, :], axis=1)


@partial(jax.jit, static_argnames=("reference", "max_steps"))
def multilateral_resistance(
    incomes: jax.Array,
    spending: jax.Array,
    trade_costs: jax.Array,
    sigma: jax.Array,
    reference: int = 0,
    tolerance: float = DEFAULT_TOLERANCE,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array, jax.Array]:
    """Solve the multilateral-resistance system; pure, so jit, vmap and grad apply.

    Returns (Omega, Pi, V, code, steps) with Pi = P^(1-sigma) normalised to 1 at
    ``reference`` and V the gravity flows (origin in rows). ``code`` is 0 on
    success, 2 when the root finder ran out of steps, 3 for a non-finite result
    and 4 when column sums of V miss spending by more than 1e-8 relatively. The
    input is not validated here; ``solve_gravity`` does that.
    """
    log_phi = (1.0 - sigma) * jnp.log(trade_costs)
    log_y = jnp.log(incomes)
    log_e = jnp.log(spending)
    args = (log_phi, log_y, log_e)

    def residual(log_pi, arguments):
        # Walras' law makes one equation redundant; the normalisation replaces it.
        gap = _log_price_update(log_pi, *arguments) - log_pi
        return gap.at[reference].set(log_pi[reference])

    start = _balance(*jax.lax.stop_gradient(args), reference)
    solution = optx.root_find(
        residual,
        optx.Dogleg(rtol=tolerance, atol=tolerance),
        jax.lax.stop_gradient(start),
        args,
        max_steps=max_steps,
        adjoint=optx.ImplicitAdjoint(),
        throw=False,
    )
    log_pi = solution.value
    log_omega = _market_access(log_pi, log_phi, log_e)
    flows = jnp.exp(log_phi + (log_y - log_omega)[:, None] + (log_e - log_pi)[None, :])

    spending_gap = jnp.max(jnp.abs(jnp.sum(flows, axis=0) / spending - 1.0))
    income_gap = jnp.max(jnp.abs(jnp.sum(flows, axis=1) / incomes - 1.0))
    gap = jnp.maximum(spending_gap, income_gap)
    converged = solution.result == optx.RESULTS.successful
    finite = jnp.all(jnp.isfinite(flows)) & jnp.all(jnp.isfinite(log_pi))
    code = jnp.where(
        ~finite,
        _CODE_NONFINITE,
        jnp.where(~converged, _CODE_MAX_STEPS, jnp.where(gap > _ADDING_UP_TOLERANCE, _CODE_RESIDUAL, _CODE_SUCCESS)),
    )
    return jnp.exp(log_omega), jnp.exp(log_pi), flows, code, solution.stats["num_steps"]


# eq=False: a generated __eq__ would compare arrays elementwise and fail.
@dataclass(frozen=True, eq=False)
class GravityEquilibrium:
    """A solved multilateral-resistance system, with flows and diagnostics.

    ``market_access`` is Omega_o, ``price_index_power`` is Pi_d = P_d^(1-sigma)
    and ``price_index`` is P_d, all normalised so that P = 1 at ``reference``.
    ``flows[o, d]`` is V_od, origin in rows. ``residual`` is the largest relative
    gap between the flows' row sums and incomes or column sums and spending.
    Arrays are read-only.
    """

    market_access: np.ndarray
    price_index_power: np.ndarray
    price_index: np.ndarray
    flows: np.ndarray
    sigma: float
    reference: int
    residual: float
    iterations: int
    status: SolveStatus
    message: str


def _vector(name: str, value: object) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise InvalidParameterError(name, value, "expected a non-empty one-dimensional array")
    bad = np.flatnonzero(~np.isfinite(array) | (array <= 0.0))
    if bad.size:
        raise InvalidParameterError(f"{name}[{bad[0]}]", float(array[bad[0]]), "expected a finite value > 0")
    return array


def validate_gravity_input(
    incomes: object, spending: object, trade_costs: object, sigma: object, reference: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Check and convert the input of the multilateral-resistance system.

    Raises InvalidParameterError naming the argument (and entry) when incomes or
    spending are not positive and finite, trade costs are not an R x R matrix of
    finite values >= 1, sigma is not a finite number > 1, total income differs
    from total spending by more than 1e-9 relatively, or ``reference`` is not a
    nation index.
    """
    y = _vector("incomes", incomes)
    e = _vector("spending", spending)
    if e.shape != y.shape:
        raise InvalidParameterError("spending", f"shape {e.shape}", f"expected shape {y.shape}, like incomes")
    tau = np.asarray(trade_costs, dtype=np.float64)
    if tau.shape != (y.size, y.size):
        raise InvalidParameterError("trade_costs", f"shape {tau.shape}", f"expected shape {(y.size, y.size)}")
    bad = np.argwhere(~np.isfinite(tau) | (tau < 1.0))
    if bad.size:
        row, column = (int(i) for i in bad[0])
        raise InvalidParameterError(
            f"trade_costs[{row}, {column}]", float(tau[row, column]), "an iceberg cost must be finite and >= 1"
        )
    try:
        sigma_value = float(sigma)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidParameterError("sigma", sigma, "expected a real number > 1") from None
    if not np.isfinite(sigma_value) or sigma_value <= 1.0:
        raise InvalidParameterError("sigma", sigma, "the elasticity of substitution must be finite and > 1")
    if abs(y.sum() - e.sum()) > _BALANCE_TOLERANCE * y.sum():
        raise InvalidParameterError(
            "spending", f"total {e.sum():.12g}",
            f"total spending must equal total income {y.sum():.12g}, or the system has no solution",
        )
    if not isinstance(reference, (int, np.integer)) or isinstance(reference, bool) or not 0 <= reference < y.size:
        raise InvalidParameterError("reference", reference, f"expected a nation index in 0..{y.size - 1}")
    return y, e, tau, sigma_value


def _read_only(array: jax.Array) -> np.ndarray:
    result = np.array(array, dtype=np.float64)
    result.setflags(write=False)
    return result


def solve_gravity(
    incomes: object,
    spending: object,
    trade_costs: object,
    sigma: float,
    *,
    reference: int = 0,
    tolerance: float = DEFAULT_TOLERANCE,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> GravityEquilibrium:
    """Solve for market access, price indices and gravity flows of Baldwin and Dingel (2021), section 3.

    ``incomes`` (Y_o) and ``spending`` (E_d) are positive vectors with equal
    totals, ``trade_costs[o, d]`` is tau_od >= 1 and ``sigma`` > 1. The price index
    of nation ``reference`` is the numeraire, P_r = 1. Raises InvalidParameterError
    on bad input and SolverError, with the adding-up gap, when the solve fails.
    """
    y, e, tau, sigma_value = validate_gravity_input(incomes, spending, trade_costs, sigma, reference)
    omega, pi, flows, code, steps = multilateral_resistance(
        jnp.asarray(y), jnp.asarray(e), jnp.asarray(tau), jnp.asarray(sigma_value, dtype=jnp.float64),
        reference=int(reference), tolerance=tolerance, max_steps=max_steps,
    )
    flows_array = np.asarray(flows)
    residual = float(
        max(
            np.max(np.abs(flows_array.sum(axis=1) / y - 1.0)),
            np.max(np.abs(flows_array.sum(axis=0) / e - 1.0)),
        )
    ) if np.all(np.isfinite(flows_array)) else float("inf")
    status = _STATUS_BY_CODE[int(code)]
    if status is SolveStatus.SUCCESS:
        message = f"solved in {int(steps)} trust-region steps; largest adding-up gap {residual:.1e}"
    else:
        message = (
            f"multilateral-resistance solve failed ({status.value}) after {int(steps)} trust-region steps "
            f"for {y.size} nations and sigma={sigma_value}"
        )
    logger.debug("gravity solve: %s", message)
    if status is not SolveStatus.SUCCESS:
        raise SolverError(
            message, residual=residual,
            advice="near autarky, trade imbalances cannot be resolved in float64; lower the trade costs or sigma, or raise max_steps",
        )
    price_index_power = _read_only(pi)
    return GravityEquilibrium(
        market_access=_read_only(omega),
        price_index_power=price_index_power,
        price_index=_read_only(price_index_power ** (1.0 / (1.0 - sigma_value))),
        flows=_read_only(flows),
        sigma=sigma_value,
        reference=int(reference),
        residual=residual,
        iterations=int(steps),
        status=status,
        message=message,
    )
