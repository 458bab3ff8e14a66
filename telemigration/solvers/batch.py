"""Many equilibria at once: the solver kernel under jax.jit and jax.vmap.

Each point solves North's labour market of Baldwin and Dingel (2021),
"Telemigration and development", sections 5.2 and 5.3, as ``solve_equilibrium``
does: Newton's method in ln omega, safeguarded by bisection on a checked bracket.
All points run in one compiled call.
"""

from __future__ import annotations

import logging
from typing import Callable, Mapping

import jax
import jax.numpy as jnp
import numpy as np

from telemigration.errors import InvalidParameterError, SolverError
from telemigration.models.parameters import SCALAR_PARAMETERS, Parameters
from telemigration.models.regime import THRESHOLD_NAMES
from telemigration.models.system import Economy
from telemigration.solvers.bridge import CompiledEconomy, compile_economy
from telemigration.solvers.equilibrium import DEFAULT_MAX_STEPS, DEFAULT_RTOL, accept_solution, solve_log_omega
from telemigration.solvers.statics import _direction, _require_continuous, parameter_names

logger = logging.getLogger(__name__)

# Compiled batch functions by (compiled economy, rtol, max_steps, with_gradient).
_BATCH_FUNCTIONS: dict[tuple, Callable] = {}


def _batch_function(compiled: CompiledEconomy, rtol: float, max_steps: int, with_gradient: bool) -> Callable:
    key = (id(compiled), rtol, max_steps, with_gradient)
    if key not in _BATCH_FUNCTIONS:
        tau_s_direction = jnp.asarray(_direction(compiled, "tau_s"), dtype=jnp.float64)

        def log_omega(theta):
            y, code, _ = solve_log_omega(compiled, theta, rtol=rtol, max_steps=max_steps)
            return y, code

        def point(theta):
            if with_gradient:
                # Forward mode along the common service cost: one JVP, not a full Jacobian.
                (y, code), (dy, _) = jax.jvp(log_omega, (theta,), (tau_s_direction,))
            else:
                y, code = log_omega(theta)
            omega = jnp.exp(y)
            # The trade-balance test of solve_equilibrium, so a point succeeds exactly when it does there.
            result = {"omega": omega, "status": accept_solution(compiled, y, code, theta)}
            result.update(zip(THRESHOLD_NAMES, compiled.thresholds(omega, theta)))
            if with_gradient:
                result["domega_dtau_s"] = omega * dy
            return result

        _BATCH_FUNCTIONS[key] = jax.jit(jax.vmap(point))
    return _BATCH_FUNCTIONS[key]


def _theta_matrix(
    compiled: CompiledEconomy, economy: Economy, base: Parameters, params_arrays: Mapping[str, object]
) -> jax.Array:
    allowed = parameter_names(economy)
    columns = dict(zip(compiled.parameter_names, np.asarray(compiled.theta(economy, base))))
    arrays = {}
    for name, values in params_arrays.items():
        if name not in allowed:
            raise InvalidParameterError("params_arrays", name, f"expected keys among {', '.join(allowed)}")
        array = np.asarray(values, dtype=np.float64)
        if array.ndim > 1:
            raise InvalidParameterError(name, f"array of shape {array.shape}", "expected a scalar or a 1-d array")
        if not np.all(np.isfinite(array)):
            raise InvalidParameterError(name, "an array with non-finite entries", "expected finite numbers")
        arrays[name] = array
    for common, directions in (("tau_g", ("tau_g_ns", "tau_g_sn")), ("tau_s", ("tau_s_ns", "tau_s_sn"))):
        if common in arrays:
            for direction in directions:
                if direction in arrays:
                    raise InvalidParameterError(
                        "params_arrays", common, f"give either {common} or {direction}, not both"
                    )
                arrays[direction] = arrays[common]
            del arrays[common]
    try:
        size = np.broadcast_shapes(*(array.shape for array in arrays.values())) if arrays else ()
    except ValueError:
        shapes = {name: array.shape for name, array in arrays.items()}
        raise InvalidParameterError("params_arrays", shapes, "the arrays must have equal lengths") from None
    length = size[0] if size else 1
    for name, array in arrays.items():
        _check_domain(name, array)
        columns[name] = np.broadcast_to(array, (length,))
    matrix = np.stack([np.broadcast_to(columns[name], (length,)) for name in compiled.parameter_names], axis=1)
    return jnp.asarray(matrix, dtype=jnp.float64)


def _check_domain(name: str, array: np.ndarray) -> None:
    if name in SCALAR_PARAMETERS[:4] and np.any(array < 1.0):
        raise InvalidParameterError(name, float(array.min()), "an iceberg trade cost must be >= 1 (1 is free trade)")
    if name == "gamma" and (np.any(array < 0.0) or np.any(array > 1.0)):
        raise InvalidParameterError(name, f"[{array.min():g}, {array.max():g}]", "the goods share must lie in [0, 1]")
    if name == "labour_ratio" and np.any(array <= 0.0):
        raise InvalidParameterError(name, float(array.min()), "the labour ratio L*/L must be > 0")
    if "." in name and np.any(array <= 0.0):
        raise InvalidParameterError(name, float(array.min()), "curve parameters must be > 0")


def solve_batch(
    economy: Economy,
    params_arrays: Mapping[str, object],
    *,
    base: Parameters | None = None,
    with_gradient: bool = False,
    throw: bool = True,
    rtol: float = DEFAULT_RTOL,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> dict[str, jax.Array]:
    """Solve one equilibrium per point and return arrays "omega", "z_S", "z_N", "t_S", "t_N" and "status".

    ``params_arrays`` maps parameter names (those of
    ``telemigration.solvers.statics.parameter_names``, for example "tau_s",
    "gamma" or "services.alpha") to 1-d arrays of one length, or to scalars. Other
    parameters keep their values in ``base`` (default ``Parameters()``) and the
    economy. With ``with_gradient`` the result also has "domega_dtau_s", d omega
    / d tau_s with both service costs moving together, by implicit differentiation.
    "status" is 0 where the solve succeeded (1: no sign change, 2: max_steps
    reached, 3: not finite, 4: trade too thin to balance in float64, 5: trade not
    balanced; 4 and 5 are the RESIDUAL_TOO_LARGE of ``solve_equilibrium``). Raises SolverError when a point fails, unless
    ``throw`` is False; the numbers at a failed point must not be used.

    Curve parameters are not checked beyond positivity here (for example the
    hockey stick's t_b < 1); a point outside a curve's domain reports its failure
    through "status" or gives a curve that is not decreasing.
    """
    _require_continuous(economy)
    base = Parameters() if base is None else base
    if not isinstance(base, Parameters):
        raise InvalidParameterError("base", base, "expected a telemigration.models.Parameters")
    compiled = compile_economy(economy)
    theta = _theta_matrix(compiled, economy, base, params_arrays)
    result = _batch_function(compiled, float(rtol), int(max_steps), bool(with_gradient))(theta)
    failed = np.flatnonzero(np.asarray(result["status"]) != 0)
    if failed.size:
        first = int(failed[0])
        logger.debug("%d of %d batch points failed; first at index %d", failed.size, theta.shape[0], first)
        if throw:
            values = dict(zip(compiled.parameter_names, np.asarray(theta[first]).tolist()))
            raise SolverError(
                f"{failed.size} of {theta.shape[0]} equilibria failed; the first at index {first} "
                f"({values}) has status code {int(result['status'][first])}",
                advice="solve that point with solve_equilibrium to see its residual",
            )
    return result
