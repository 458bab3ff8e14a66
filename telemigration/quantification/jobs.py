"""Telemigrant jobs created by a fall in a bilateral trade cost (Table 4.4).

Baldwin and Dingel (2021), section 4.3, read OBS imports as the wage bill of
foreign service workers, so the base number of telemigrant jobs is

    base_jobs = imports / (hourly_wage * hours),   hours = 2,000 a year,

and a change in a gravity regressor raises it by ``base_jobs * percent``. The
percent is computed both ways (see ``shifters``): first order, as the paper
does, and exact under the constant-elasticity gravity model. The exact percent
has a 95% interval from the coefficient's standard error.

Limitation stated in section 4.3: one pair of countries changes in isolation,
so substitution between destinations and wage responses are ignored, and the
numbers overstate the increase.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from telemigration.errors import InvalidParameterError
from telemigration.quantification.data import JobInput, gravity_column, load_job_inputs, paper_number
from telemigration.quantification.shifters import CostShift, exact_percent, first_order_percent, make_cost_shift
from telemigration.quantification.uncertainty import (
    Interval,
    delta_method_interval,
    normal_quantile,
    transformed_interval,
)

logger = logging.getLogger(__name__)

# Hours of work a year (footnote 10 and the notes of Table 4.4), read from the
# shipped paper_numbers.csv.
DEFAULT_HOURS = paper_number("hours_per_year")
# Allowed hours a year: from 1 to the 8,784 hours of a leap year. Fewer than one
# hour of work a year is no job, and tiny values make base jobs overflow float64.
MIN_HOURS = 1.0
MAX_HOURS = 8784.0
DEFAULT_COLUMN = "4.3:5"

# Largest |beta * dx| accepted. exp(700) is about 1e304, below the largest
# float64 of about 1.8e308 = exp(709.78). The margin leaves room to scale the
# fraction to a percent and to jobs without overflow.
MAX_EXPONENT = 700.0


@dataclass(frozen=True)
class Coefficient:
    """The coefficient used, its standard error and where it came from."""

    value: float
    std_error: float
    source: str


@dataclass(frozen=True)
class PercentIncrease:
    """Export increase as a fraction: first order, exact, and the exact one's 95% interval by two methods.

    ``exact_ci95`` is the exact transform of the coefficient's interval, the
    interval this package reports. ``exact_ci95_delta`` is the delta-method
    interval, kept for comparison.
    """

    first_order: float
    exact: float
    exact_ci95: Interval
    exact_ci95_delta: Interval


@dataclass(frozen=True)
class JobCell:
    """One destination-origin cell of Table 4.4, recomputed (jobs in millions)."""

    destination: str
    origin: str
    imports_busd: float
    hourly_wage: float
    base_jobs_millions: float
    jobs_increase_first_order_millions: float
    jobs_increase_exact_millions: float

    def to_dict(self) -> dict[str, object]:
        """Return the cell with the key names of ``quantify --json``."""
        return {
            "destination": self.destination,
            "origin": self.origin,
            "imports_busd": self.imports_busd,
            "hourly_wage": self.hourly_wage,
            "base_jobs_millions": self.base_jobs_millions,
            "jobs_increase_millions": {
                "first_order": self.jobs_increase_first_order_millions,
                "exact": self.jobs_increase_exact_millions,
            },
        }


@dataclass(frozen=True)
class Quantification:
    """The inputs of one experiment, the percent increase and every recomputed cell."""

    shift: CostShift
    coefficient: Coefficient
    hours: float
    percent: PercentIncrease
    cells: tuple[JobCell, ...]

    def to_dict(self) -> dict[str, object]:
        """Return the result with the key names of ``quantify --json``."""
        return {
            "inputs": {
                "shifter": self.shift.shifter.name,
                "shifter_kind": self.shift.shifter.kind.value,
                "experiment": self.shift.describe(),
                "change": self.shift.change,
                "level": self.shift.level,
                "regressor_change_exact": self.shift.exact_change,
                "regressor_change_first_order": self.shift.first_order_change,
                "coefficient": self.coefficient.value,
                "se": self.coefficient.std_error,
                "coefficient_source": self.coefficient.source,
                "hours": self.hours,
            },
            "percent_increase": {
                "first_order": self.percent.first_order,
                "exact": self.percent.exact,
                "exact_ci95": self.percent.exact_ci95.to_list(),
                "exact_ci95_method": self.percent.exact_ci95.method,
                "exact_ci95_delta_method": self.percent.exact_ci95_delta.to_list(),
            },
            "cells": [cell.to_dict() for cell in self.cells],
        }


def _positive(name: str, value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidParameterError(name, value, "expected a positive real number") from None
    if not math.isfinite(number) or number <= 0.0:
        raise InvalidParameterError(name, value, "expected a finite number > 0")
    return number


def check_hours(hours: object) -> float:
    """Return ``hours`` as a float after checking it lies in [1, 8784], one hour to a leap year."""
    value = _positive("hours", hours)
    if not MIN_HOURS <= value <= MAX_HOURS:
        raise InvalidParameterError(
            "hours", hours, f"hours worked a year must be in [{MIN_HOURS:g}, {MAX_HOURS:g}], the hours of a leap year"
        )
    return value


def base_jobs_millions(imports_busd: float, hourly_wage: float, hours: float = DEFAULT_HOURS) -> float:
    """Return ``imports / (hourly_wage * hours)`` in millions of jobs (imports in billions of USD)."""
    imports = _positive("imports_busd", imports_busd)
    wage = _positive("hourly_wage", hourly_wage)
    hours = check_hours(hours)
    jobs = imports * 1e9 / (wage * hours) / 1e6
    if not math.isfinite(jobs):
        raise InvalidParameterError("imports_busd", imports_busd, f"base jobs imports / (wage x hours) = {jobs} overflow float64")
    return jobs


def _check_exponent(shift: CostShift, coefficient: float, std_error: float, level: float) -> None:
    # exp(beta * dx) must stay finite at the coefficient and at both ends of its
    # interval. The point blames the coefficient, the ends blame the se.
    dx = shift.exact_change
    point = coefficient * dx
    if not abs(point) <= MAX_EXPONENT:
        raise InvalidParameterError(
            "coefficient", coefficient,
            f"exp(coefficient x dx) with dx = {dx:.6g} ({shift.describe()}) has the exponent {point:.6g}, outside "
            f"[-{MAX_EXPONENT:g}, {MAX_EXPONENT:g}] where float64 overflows; give a coefficient or change of smaller size",
        )
    z = normal_quantile(level)
    ends = ((coefficient - z * std_error) * dx, (coefficient + z * std_error) * dx)
    if not all(abs(end) <= MAX_EXPONENT for end in ends):
        raise InvalidParameterError(
            "se", std_error,
            f"at the ends of the coefficient's {level:.0%} interval, exp(beta x dx) has exponents "
            f"{ends[0]:.6g} and {ends[1]:.6g}, outside [-{MAX_EXPONENT:g}, {MAX_EXPONENT:g}] where float64 "
            "overflows; give a smaller se",
        )


def percent_increase(shift: CostShift, coefficient: float, std_error: float, level: float = 0.95) -> PercentIncrease:
    """Compute the first-order and exact percent increase and the exact one's interval.

    Raises InvalidParameterError naming the coefficient or the se when
    ``|beta * dx|`` exceeds ``MAX_EXPONENT`` at the coefficient or at an end of its
    interval, because the exact percent would overflow float64 there.
    """
    _check_exponent(shift, coefficient, std_error, level)
    transform = partial(exact_percent, shift=shift)
    return PercentIncrease(
        float(first_order_percent(coefficient, shift)),
        float(exact_percent(coefficient, shift)),
        transformed_interval(transform, coefficient, std_error, level),
        delta_method_interval(transform, coefficient, std_error, level),
    )


def job_cells(inputs: tuple[JobInput, ...], percent: PercentIncrease, hours: float = DEFAULT_HOURS) -> tuple[JobCell, ...]:
    """Recompute base jobs and the jobs increase under both percents for every cell."""
    cells = []
    for cell in inputs:
        base = base_jobs_millions(cell.imports_busd, cell.hourly_wage, hours)
        increases = (base * percent.first_order, base * percent.exact)
        if not all(math.isfinite(increase) for increase in increases):
            raise InvalidParameterError(
                "percent_increase", percent.exact,
                f"times the {base:.6g} million base jobs of {cell.destination}-{cell.origin} it overflows float64; "
                "give a coefficient or change of smaller size",
            )
        cells.append(
            JobCell(cell.destination, cell.origin, cell.imports_busd, cell.hourly_wage, base, *increases)
        )
    return tuple(cells)


def resolve_coefficient(
    shifter: str,
    column: str | None = None,
    coefficient: float | None = None,
    std_error: float | None = None,
    data_dir: Path | str | None = None,
) -> Coefficient:
    """Take the coefficient from a column of Tables 4.1 to 4.3, or from the caller.

    Give either ``column`` (default '4.3:5', OBS in the G20 sample) or both
    ``coefficient`` and ``std_error``, never a mix.
    """
    if coefficient is None and std_error is None:
        spec = DEFAULT_COLUMN if column is None else column
        table_column = gravity_column(spec, data_dir)
        cell = table_column.coefficient(shifter)
        return Coefficient(cell.coefficient, cell.std_error, table_column.label)
    if column is not None:
        raise InvalidParameterError("column", column, "give either a column or a coefficient with its se, not both")
    if coefficient is None or std_error is None:
        missing = "coefficient" if coefficient is None else "se"
        raise InvalidParameterError(missing, None, "a coefficient given by hand needs both a coefficient and its se")
    value = float(coefficient)
    if not math.isfinite(value):
        raise InvalidParameterError("coefficient", coefficient, "expected a finite real number")
    se = float(std_error)
    if not math.isfinite(se) or se <= 0.0:
        raise InvalidParameterError("se", std_error, "a standard error must be a finite number > 0")
    return Coefficient(value, se, "given by the user")


def quantify(
    shifter: str = "log_distance",
    change: float | None = None,
    level: float | None = None,
    column: str | None = None,
    coefficient: float | None = None,
    std_error: float | None = None,
    hours: float = DEFAULT_HOURS,
    data_dir: Path | str | None = None,
) -> Quantification:
    """Run the Table 4.4 experiment for any shifter, coefficient and change.

    The default reproduces Table 4.4: log distance, Table 4.3 column 5
    (-0.707, se 0.029), a 25% fall, 2,000 hours a year. ``hours`` must lie in
    [1, 8784]. Raises InvalidParameterError for an input out of its domain or one
    that makes a result overflow float64, so no infinite number is returned.
    """
    shift = make_cost_shift(shifter, change, level)
    hours = check_hours(hours)
    chosen = resolve_coefficient(shifter, column, coefficient, std_error, data_dir)
    logger.info("quantifying %s with coefficient %g (%s)", shift.describe(), chosen.value, chosen.source)
    percent = percent_increase(shift, chosen.value, chosen.std_error)
    return Quantification(shift, chosen, hours, percent, job_cells(load_job_inputs(data_dir), percent, hours))
