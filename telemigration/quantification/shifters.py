"""Trade-cost shifters of the gravity regressions and the export response to a change in one.

Baldwin and Dingel (2021), section 3 (gravity, step 8 of the derivation) and
section 4.3: with ``ln V_od = ... + beta * x_od``, changing the regressor by
``dx`` multiplies exports by ``exp(beta * dx)``, so the exact (constant-elasticity)
percent increase is ``exp(beta * dx) - 1`` and its first-order approximation is
``beta * dx``. The regressors enter in three ways:

* ``log``: ``x = ln(distance)``. A fall of the distance by a fraction ``c``
  gives ``dx = ln(1 - c)``, so the exact percent is ``(1 - c)^beta - 1``. The
  paper's first-order percent is ``beta * (-c)`` ("25% less distance, about
  18% more exports": ``-0.707 * -0.25 = 0.177``).
* ``level``: the time-zone difference enters in hours. Cutting it by a fraction
  ``c`` of its current level ``h`` gives ``dx = -c * h``.
* ``dummy``: shared language, colonial link and shared legal origin are 0/1.
  Switching one on gives ``dx = 1``, so the exact percent is ``exp(beta) - 1``.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import telemigration.solvers  # noqa: F401  (enables float64 in JAX before any array is built)
import jax
import jax.numpy as jnp

from telemigration.errors import InvalidParameterError
from telemigration.models.parameters import require_finite
from telemigration.quantification.data import paper_number

# The thought experiment of section 4.3: bilateral distance falls by 25%, read
# from the shipped paper_numbers.csv.
DEFAULT_DISTANCE_FALL = paper_number("distance_fall")

# The largest time-zone difference between two civil times, UTC-12 and UTC+14, in hours.
MAX_TIME_ZONE_DIFF = 26.0


class ShifterKind(enum.Enum):
    """Form in which a regressor enters the gravity equation: log, level or 0/1 dummy."""

    LOG = "log"
    LEVEL = "level"
    DUMMY = "dummy"


@dataclass(frozen=True)
class Shifter:
    """A regressor of Tables 4.1 to 4.3, how it enters, and what a change of it means."""

    name: str
    kind: ShifterKind
    description: str


SHIFTERS = {
    shifter.name: shifter
    for shifter in (
        Shifter("log_distance", ShifterKind.LOG, "bilateral distance falls by the fraction CHANGE"),
        Shifter(
            "log_distance_trend", ShifterKind.LOG,
            "distance falls by the fraction CHANGE; the coefficient is the yearly drift of the distance "
            "elasticity, so the percent is the extra effect per year of the linear trend",
        ),
        Shifter("time_zone_diff", ShifterKind.LEVEL, "the time-zone difference of LEVEL hours falls by the fraction CHANGE"),
        Shifter("shared_language", ShifterKind.DUMMY, "a pair starts to share a language (dummy 0 -> 1)"),
        Shifter("colonial_link", ShifterKind.DUMMY, "a pair gains a colonial link (dummy 0 -> 1)"),
        Shifter("shared_legal_origin", ShifterKind.DUMMY, "a pair starts to share a legal origin (dummy 0 -> 1)"),
    )
}


@dataclass(frozen=True)
class CostShift:
    """A change of one regressor, with the two regressor changes the percent formulas use.

    ``exact_change`` is ``dx`` in ``exp(beta * dx) - 1``. ``first_order_change`` is
    the change used by the first-order percent ``beta * dx``: the proportional
    change ``-c`` for a log regressor, as in section 4.3, and ``dx`` otherwise.
    """

    shifter: Shifter
    change: float | None
    level: float | None
    exact_change: float
    first_order_change: float

    def describe(self) -> str:
        """Describe the experiment in words, with the numbers filled in."""
        text = self.shifter.description
        if self.change is not None:
            text = text.replace("CHANGE", _shortest(self.change))
        if self.level is not None:
            text = text.replace("LEVEL", _shortest(self.level))
        return text


def _shortest(value: float) -> str:
    # The short %g form unless it rounds, so a change of 0.9999999999999999 is not shown as 1.
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def get_shifter(name: str) -> Shifter:
    """Return the shifter called ``name``; raises InvalidParameterError listing the known names."""
    if name not in SHIFTERS:
        raise InvalidParameterError("shifter", name, f"expected one of {', '.join(SHIFTERS)}")
    return SHIFTERS[name]


def make_cost_shift(shifter: str = "log_distance", change: float | None = None, level: float | None = None) -> CostShift:
    """Build the change of one regressor, validating ``change`` and ``level`` for its kind.

    A log or level shifter takes ``change``, the fraction in (0, 1) by which the
    distance or the time-zone difference falls. It defaults to 25%, the experiment
    of section 4.3. A level shifter also needs ``level``, the current value of the
    regressor in hours, because the effect of a proportional cut depends on it. A
    dummy is switched from 0 to 1 and takes neither.
    """
    definition = get_shifter(shifter)

    if definition.kind is ShifterKind.DUMMY:
        if change is not None:
            raise InvalidParameterError("change", change, f"{shifter} is a dummy switched from 0 to 1; give no change")
        if level is not None:
            raise InvalidParameterError("level", level, f"{shifter} is a dummy switched from 0 to 1; give no level")
        return CostShift(definition, None, None, 1.0, 1.0)

    fraction = DEFAULT_DISTANCE_FALL if change is None else require_finite("change", change)
    if not 0.0 < fraction < 1.0:
        raise InvalidParameterError("change", change, f"the fall of {shifter} must be a fraction in (0, 1), e.g. 0.25")

    if definition.kind is ShifterKind.LOG:
        if level is not None:
            raise InvalidParameterError("level", level, f"{shifter} is a log regressor; a fall by a fraction needs no level")
        return CostShift(definition, fraction, None, math.log1p(-fraction), -fraction)

    if level is None:
        raise InvalidParameterError(
            "level", None, f"a level is required for the {shifter} shifter (hours of time-zone difference), e.g. 10.5"
        )
    hours = require_finite("level", level)
    if not 0.0 < hours <= MAX_TIME_ZONE_DIFF:
        raise InvalidParameterError(
            "level", level,
            f"the current {shifter} must be in (0, {MAX_TIME_ZONE_DIFF:g}] hours: above 0 to fall by a fraction, "
            f"and at most {MAX_TIME_ZONE_DIFF:g}, the gap between UTC-12 and UTC+14",
        )
    return CostShift(definition, fraction, hours, -fraction * hours, -fraction * hours)


@jax.custom_jvp
def _expm1(x: jnp.ndarray) -> jnp.ndarray:
    return jnp.expm1(x)


@_expm1.defjvp
def _expm1_jvp(primals: tuple, tangents: tuple) -> tuple:
    # JAX 0.10.2 differentiates expm1 as expm1(x) + 1, which is exactly 0 in float64
    # once x < -37; exp(x) keeps the slope positive down to exp's own underflow.
    (x,), (dx,) = primals, tangents
    return jnp.expm1(x), jnp.exp(x) * dx


def exact_percent(coefficient: jnp.ndarray | float, shift: CostShift) -> jnp.ndarray:
    """Return the constant-elasticity percent increase ``exp(beta * dx) - 1`` (a fraction).

    Written in JAX so that the delta method can differentiate it with respect to
    the coefficient. ``expm1`` keeps the precision for small ``beta * dx``.
    """
    beta = jnp.asarray(coefficient, dtype=jnp.float64)
    return _expm1(beta * jnp.asarray(shift.exact_change, dtype=jnp.float64))


def first_order_percent(coefficient: jnp.ndarray | float, shift: CostShift) -> jnp.ndarray:
    """Return the first-order percent increase ``beta * dx`` (a fraction), the approximation of section 4.3."""
    beta = jnp.asarray(coefficient, dtype=jnp.float64)
    return beta * jnp.asarray(shift.first_order_change, dtype=jnp.float64)
