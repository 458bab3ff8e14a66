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

The solver works with y = ln Pi. Plain fixed-point iterations of the system,
without gradient, give a starting point, and optimistix's Dogleg trust-region
method finishes the root of ``T(y) - y`` with the reference component replaced
by ``y_r``. Plain Newton steps diverge near autarky (tau^(1-sigma) below 1e-20),
where the Jacobian's condition number reaches 1e8 and the fixed-point map
contracts slowly; the trust region keeps those steps in check. Derivatives come from the implicit function theorem at that root, never
from the iterations. ``multilateral_resistance`` is pure, so ``jax.jit`` and
``jax.vmap`` apply to it; ``solve_gravity`` validates input and raises on failure.
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

# Fixed-point steps that only find a starting point for Newton's method. The map
# is a contraction in the Hilbert projective metric for positive tau^(1-sigma),
# but it contracts slowly near autarky, so the trust-region solver does the rest.
_WARM_START_STEPS = 100
DEFAULT_TOLERANCE = 1e-11
DEFAULT_MAX_STEPS = 256
# Largest relative gap between column sums of the flows and spending accepted as
# a solution; the solver's tolerance in ln Pi gives gaps near 1e-11.
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

    def normalised_update(log_pi, arguments):
        updated = _log_price_update(log_pi, *arguments)
        return updated - updated[reference]

    def residual(log_pi, arguments):
        # Walras' law makes one equation redundant; the normalisation replaces it.
        gap = _log_price_update(log_pi, *arguments) - log_pi
        return gap.at[reference].set(log_pi[reference])

    start = jax.lax.fori_loop(
        0, _WARM_START_STEPS, lambda _, value: normalised_update(value, jax.lax.stop_gradient(args)),
        jnp.zeros_like(log_y),
    )
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


@dataclass(frozen=True)
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
            advice="check for trade costs so large that tau^(1-sigma) underflows, or raise max_steps",
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
