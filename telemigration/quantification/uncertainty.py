"""Confidence intervals for a smooth function of one regression coefficient.

The coefficient ``beta`` is taken as normal with the standard error printed in
Tables 4.1 to 4.3 of Baldwin and Dingel (2021). Two intervals for ``f(beta)``:

* exact transform: ``[f(beta - z se), f(beta + z se)]``, sorted. For a strictly
  monotone ``f`` it has exactly the coverage of the coefficient's interval.
* delta method: ``f(beta) +- z |f'(beta)| se``, with ``f'`` from JAX autodiff. It
  is symmetric and first order in ``se``. For ``f = expm1(beta * dx)`` each bound
  differs from the exact transform by about ``exp(beta dx) (z se dx)^2 / 2``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Callable

import telemigration.solvers  # noqa: F401  (enables float64 in JAX before any array is built)
import jax
import jax.numpy as jnp

from telemigration.errors import InvalidParameterError

EXACT_TRANSFORM = "exact transform of the coefficient's interval (f is monotone)"
DELTA_METHOD = "delta method with f'(beta) from JAX autodiff"

# Points at which the exact transform checks the sign of f' across the interval.
MONOTONICITY_GRID = 65

Transform = Callable[[jnp.ndarray], jnp.ndarray]


@dataclass(frozen=True)
class Interval:
    """A confidence interval: the bounds, the coverage level and the method that built it."""

    lower: float
    upper: float
    level: float
    method: str

    def to_list(self) -> list[float]:
        """Return ``[lower, upper]``."""
        return [self.lower, self.upper]


def normal_quantile(level: float) -> float:
    """Return z with P(|N(0,1)| <= z) = level; 1.959964 for a 95% interval."""
    if not 0.0 < level < 1.0:
        raise InvalidParameterError("level", level, "a coverage level must lie in (0, 1), e.g. 0.95")
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def _check_inputs(coefficient: float, std_error: float) -> tuple[float, float]:
    for name, value in (("coefficient", coefficient), ("se", std_error)):
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidParameterError(name, value, "expected a finite real number")
    if std_error <= 0.0:
        raise InvalidParameterError("se", std_error, "a standard error must be > 0")
    return float(coefficient), float(std_error)


def _scalar(value: jnp.ndarray, parameter: str, given: float, expression: str) -> float:
    # ``parameter`` and ``given`` name the input blamed when ``expression`` overflows.
    number = float(value)
    if not math.isfinite(number):
        raise InvalidParameterError(
            parameter, given, f"{expression} is {number} in float64, so no interval can be reported"
        )
    return number


def delta_method_interval(transform: Transform, coefficient: float, std_error: float, level: float = 0.95) -> Interval:
    """Build ``f(beta) +- z |f'(beta)| se``, with ``f'`` from ``jax.grad``."""
    beta, se = _check_inputs(coefficient, std_error)
    z = normal_quantile(level)
    point = jnp.asarray(beta, dtype=jnp.float64)
    centre = _scalar(transform(point), "coefficient", beta, f"f({beta:g})")
    slope = _scalar(jax.grad(transform)(point), "coefficient", beta, f"f'({beta:g})")
    half_width = _scalar(jnp.asarray(z * abs(slope) * se), "se", se, "the half width z |f'(beta)| se")
    lower = _scalar(jnp.asarray(centre - half_width), "se", se, "the lower bound f(beta) - z |f'(beta)| se")
    upper = _scalar(jnp.asarray(centre + half_width), "se", se, "the upper bound f(beta) + z |f'(beta)| se")
    return Interval(lower, upper, level, DELTA_METHOD)


def transformed_interval(transform: Transform, coefficient: float, std_error: float, level: float = 0.95) -> Interval:
    """Map the coefficient's interval ``beta +- z se`` through a strictly monotone ``f``.

    Monotonicity is checked by the sign of ``f'`` on a grid of 65 points across
    the interval, which catches a turning point but is not a proof. NOTE: a
    transform that turns back between two grid points would pass the check.
    """
    beta, se = _check_inputs(coefficient, std_error)
    z = normal_quantile(level)
    lower_beta, upper_beta = beta - z * se, beta + z * se
    if not (math.isfinite(lower_beta) and math.isfinite(upper_beta)):
        raise InvalidParameterError(
            "se", std_error, f"the coefficient's interval {beta:g} +- {z:.4g} se overflows float64; give a smaller se"
        )

    grid = jnp.linspace(lower_beta, upper_beta, MONOTONICITY_GRID, dtype=jnp.float64)
    slopes = jax.vmap(jax.grad(transform))(grid)
    if not bool(jnp.all(jnp.isfinite(slopes))):
        # An infinite slope comes from float64 overflow of f, which a narrower interval avoids.
        raise InvalidParameterError(
            "se", std_error,
            f"f' is not finite in float64 somewhere on the coefficient's interval "
            f"[{lower_beta:.6g}, {upper_beta:.6g}]; give a smaller se",
        )
    if not (bool(jnp.all(slopes > 0.0)) or bool(jnp.all(slopes < 0.0))):
        # NOTE: f' also reads 0 where f underflows in float64, which looks like a turning point.
        raise InvalidParameterError(
            "coefficient", beta,
            f"the transform is not strictly monotone on [{lower_beta:.6g}, {upper_beta:.6g}] (f' is 0 or changes "
            "sign), so its values at the ends do not bound it; call delta_method_interval for such a transform",
        )

    lower_value = _scalar(transform(jnp.asarray(lower_beta, dtype=jnp.float64)), "se", se, f"f({lower_beta:.6g})")
    upper_value = _scalar(transform(jnp.asarray(upper_beta, dtype=jnp.float64)), "se", se, f"f({upper_beta:.6g})")
    ends = sorted((lower_value, upper_value))
    return Interval(ends[0], ends[1], level, EXACT_TRANSFORM)
