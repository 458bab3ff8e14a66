"""Telemigrant quantification of Baldwin and Dingel (2021), section 4: gravity coefficients to jobs.

``data`` loads the paper's tables, ``shifters`` turns a change in a gravity
regressor into a percent increase of exports, ``uncertainty`` builds intervals
from the coefficient's standard error, and ``jobs`` recomputes Table 4.4.
"""

from telemigration.quantification.jobs import (
    Coefficient,
    JobCell,
    PercentIncrease,
    Quantification,
    base_jobs_millions,
    job_cells,
    percent_increase,
    quantify,
)
from telemigration.quantification.shifters import SHIFTERS, CostShift, ShifterKind, make_cost_shift
from telemigration.quantification.uncertainty import Interval, delta_method_interval, transformed_interval

__all__ = [
    "SHIFTERS",
    "Coefficient",
    "CostShift",
    "Interval",
    "JobCell",
    "PercentIncrease",
    "Quantification",
    "ShifterKind",
    "base_jobs_millions",
    "delta_method_interval",
    "job_cells",
    "make_cost_shift",
    "percent_increase",
    "quantify",
    "transformed_interval",
]
