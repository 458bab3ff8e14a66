"""Gravity regressions with origin-year and destination-year fixed effects, through pyfixest.

The specification is that of Baldwin and Dingel (2021), "Telemigration and
development", section 4.2 and Table 4.3: the flow from origin o to destination d
in year t on log distance, log distance times a trend, the time-zone difference
and indicators of a shared language, a colonial link and a shared legal origin,
with origin-year and destination-year fixed effects that absorb the terms
ln Y_o - ln Omega_o and ln E_d - (1-sigma) ln P_d of the log-linear gravity
equation (section 3). The trend is year minus the first year in the data.

* ``ols`` (the paper's linear model): ``pyfixest.feols`` of ln flow. Zero and
  missing flows have no logarithm and are dropped, and the count is reported.
* ``ppml``: ``pyfixest.fepois``, Poisson pseudo-maximum likelihood on the flow
  level, which keeps zero flows. Observations whose fixed effects predict a zero
  flow perfectly (separation) are dropped by pyfixest and counted. Flows are
  divided by a power of ten first, so the largest lies in [1, 10): the fixed
  effects absorb the factor, so slopes and their standard errors are unchanged,
  and flows near the float64 maximum no longer overflow pyfixest's sums. The
  factor is reported as ``flow_scale``.

Rows whose origin equals the destination (domestic flows) are not part of the
bilateral specification; they are dropped and counted under ``domestic``.

Standard errors are clustered by origin-destination pair (CRV1), because the
unobserved cost of a pair persists across years in real data. pyfixest also
drops singleton fixed-effect groups; they are counted too.

Known limitation: the PPML standard errors are too small in panels of the size
that ``simulate_gravity_panel`` draws by default. Over seeds 0 to 23 of 20
nations and 10 years (6 coefficients each, 144 intervals), the PPML 95%
intervals covered the true coefficients 118 times (82%), with a standard
deviation of (estimate - truth) / se of 1.49; OLS covered 133 (92%), with 1.12.
Removing the suppressed zeros of the simulator left PPML unchanged (118, 1.49),
cutting the cost shocks from sd 0.5 to 0.1 gave 124 and 1.30, and 40 nations
over 5 years gave 128 and 1.22. So the simulator's noise is not the cause: the
clustered sandwich with 2 x nations x years fixed effects understates the
sampling spread in small panels and improves as nations grow. Read PPML
intervals on such panels as roughly 1.2 to 1.5 times too narrow.
"""

from __future__ import annotations

import logging
import math
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyfixest as pf

from pyfixest.errors import NonConvergenceError

from telemigration.errors import DataFileError, InvalidParameterError, SolverError
from telemigration.models.gravity_data import INDICATOR_COLUMNS, REGRESSORS, validate_gravity_frame

logger = logging.getLogger(__name__)

METHODS = ("ols", "ppml")
VCOV_DESCRIPTION = "clustered by origin-destination pair (CRV1)"
FIXED_EFFECTS = ("origin-year", "destination-year")
_RIGHT_HAND_SIDE = " + ".join(REGRESSORS) + " | origin_year + destination_year"

# Warnings of pyfixest 0.60 that this module understands. The first comes from
# pyfixest's own calls of pandas methods with ``inplace=``, deprecated in pandas
# 3, and is unrelated to the data. The other two report dropped observations,
# which the result counts from the fitted model.
_PANDAS_INPLACE = re.compile(r"The inplace keyword in DataFrame\.\w+ is deprecated")
_SEPARATION = re.compile(r"\d+ observations removed because of separation")
_SINGLETONS = re.compile(r"\d+ singleton fixed effect\(s\) dropped")
_COLLINEAR = re.compile(r"variables dropped due to multicollinearity")


@dataclass(frozen=True)
class CoefficientEstimate:
    """One coefficient: estimate, clustered standard error and 95% confidence interval."""

    name: str
    estimate: float
    se: float
    ci95: tuple[float, float]

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "estimate": self.estimate, "se": self.se, "ci95": list(self.ci95)}


@dataclass(frozen=True)
class DroppedObservations:
    """Counts of rows left out of the estimation, by reason."""

    zero_flows: int
    missing_flows: int
    separated: int
    singletons: int
    domestic: int = 0

    @property
    def total(self) -> int:
        """Number of rows dropped for any reason."""
        return self.zero_flows + self.missing_flows + self.separated + self.singletons + self.domestic

    def to_dict(self) -> dict[str, int]:
        return {
            "zero_flows": self.zero_flows,
            "missing_flows": self.missing_flows,
            "separated": self.separated,
            "singletons": self.singletons,
            "domestic": self.domestic,
            "total": self.total,
        }


@dataclass(frozen=True)
class GravityEstimate:
    """A fitted gravity regression: coefficients, sample, dropped rows and the specification."""

    method: str
    formula: str
    n_input: int
    n_obs: int
    dropped: DroppedObservations
    coefficients: tuple[CoefficientEstimate, ...]
    first_year: int
    vcov: str = VCOV_DESCRIPTION
    fixed_effects: tuple[str, ...] = FIXED_EFFECTS
    # PPML divides the flows by this power of ten before fitting; 1 for OLS.
    flow_scale: float = 1.0

    def coefficient(self, name: str) -> CoefficientEstimate:
        """Return the coefficient of regressor ``name``; raises KeyError with the known names."""
        for coefficient in self.coefficients:
            if coefficient.name == name:
                return coefficient
        raise KeyError(f"no coefficient {name!r}; estimated: {', '.join(c.name for c in self.coefficients)}")

    def to_dict(self) -> dict[str, object]:
        """Return the estimate with the key names of ``estimate-gravity --json``."""
        return {
            "method": self.method,
            "formula": self.formula,
            "n_input": self.n_input,
            "n_obs": self.n_obs,
            "dropped": self.dropped.to_dict(),
            "coefficients": [coefficient.to_dict() for coefficient in self.coefficients],
            "trend": f"year - {self.first_year}",
            "fixed_effects": list(self.fixed_effects),
            "vcov": self.vcov,
            "flow_scale": self.flow_scale,
        }


def _regression_frame(data: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    first_year = int(data["year"].min())
    frame = pd.DataFrame({
        "flow": data["flow"].to_numpy(dtype=np.float64),
        "log_distance": np.log(data["distance"].to_numpy(dtype=np.float64)),
        "time_zone_diff": data["time_zone_diff"].to_numpy(dtype=np.float64),
    })
    frame["log_distance_trend"] = frame["log_distance"] * (data["year"].to_numpy(dtype=np.float64) - first_year)
    for column in INDICATOR_COLUMNS:
        frame[column] = data[column].to_numpy(dtype=np.float64)
    origin_year = data["origin"].astype(str) + "|" + data["year"].astype(str)
    destination_year = data["destination"].astype(str) + "|" + data["year"].astype(str)
    pair = data["origin"].astype(str) + "|" + data["destination"].astype(str)
    # Integer codes: pyfixest casts fixed effects to int32.
    frame["origin_year"] = pd.factorize(origin_year)[0]
    frame["destination_year"] = pd.factorize(destination_year)[0]
    frame["pair"] = pd.factorize(pair)[0]
    return frame, first_year


def _fit(method: str, formula: str, frame: pd.DataFrame, source: object) -> object:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if method == "ols":
                model = pf.feols(formula, frame, vcov={"CRV1": "pair"})
            else:
                model = pf.fepois(formula, frame, vcov={"CRV1": "pair"})
        except NonConvergenceError as error:
            raise SolverError(f"{method} on {source} did not converge: {' '.join(str(error).split())}") from None
        except ValueError as error:
            # pyfixest 0.60 raises a bare ValueError when demeaning runs out of iterations.
            if "Demeaning failed" not in str(error):
                raise
            raise SolverError(
                f"{method} on {source} failed: {error}", advice="check for extreme flows or nearly collinear regressors"
            ) from None
    # pyfixest 0.60's IRLS loop stops at maxiter without raising, leaving ``convergence`` False.
    if method == "ppml" and not getattr(model, "convergence", True):
        raise SolverError(
            f"ppml on {source} did not converge in {getattr(model, 'maxiter', '?')} IRLS iterations",
            advice="check for extreme flows or nearly collinear regressors",
        )
    for record in caught:
        text = str(record.message)
        if _COLLINEAR.search(text):
            raise DataFileError(
                source,
                f"regressors {', '.join(getattr(model, '_collin_vars', []) or ['?'])} are collinear with the "
                "fixed effects or each other in the estimation sample, so their effects are not identified",
            )
        if _PANDAS_INPLACE.search(text):
            logger.debug("pyfixest: %s", text.splitlines()[0])
        elif _SEPARATION.search(text) or _SINGLETONS.search(text):
            logger.info("pyfixest: %s", text.strip())
        else:
            # Not understood here: pass it on unchanged.
            warnings.warn_explicit(record.message, record.category, record.filename, record.lineno)
    return model


def _prepare_ppml(frame: pd.DataFrame, source: object) -> tuple[pd.DataFrame, float]:
    # Reject samples on which pyfixest 0.60's PPML cannot run: with no positive
    # flow, or with every row separated, its Rust demeaning code panics and aborts
    # the process, so the check has to come first.
    flow = frame["flow"].to_numpy()
    if not np.any(flow > 0.0):
        raise DataFileError(source, "no flow is positive, so PPML has nothing to fit; at least one flow must be > 0")
    positive_origin = frame.groupby("origin_year")["flow"].transform("max").to_numpy() > 0.0
    positive_destination = frame.groupby("destination_year")["flow"].transform("max").to_numpy() > 0.0
    unseparated_rows = int(np.count_nonzero(positive_origin & positive_destination))
    if unseparated_rows <= len(REGRESSORS):
        raise DataFileError(
            source,
            f"only {unseparated_rows} rows lie in origin-year and destination-year groups with a positive flow, so PPML "
            f"separates the rest; at least {len(REGRESSORS) + 1} are needed",
        )
    scale = 10.0 ** math.floor(math.log10(float(flow.max())))
    if scale != 1.0:
        logger.info("PPML: flows divided by %g so that the largest lies in [1, 10)", scale)
        frame = frame.assign(flow=flow / scale)
    return frame, scale


def estimate_gravity(data: pd.DataFrame, method: str = "ols", *, source: object = "<data frame>") -> GravityEstimate:
    """Estimate the gravity regression of Baldwin and Dingel (2021), Table 4.3, by OLS or PPML.

    ``data`` has the columns of ``telemigration.models.gravity_data.REQUIRED_COLUMNS``
    and is validated first (DataFileError naming ``source`` otherwise). Raises
    InvalidParameterError for an unknown method, DataFileError when too few
    usable rows remain, no flow is positive (PPML) or a regressor is not
    identified, and SolverError when pyfixest does not converge or returns a
    non-finite estimate or standard error.
    """
    if method not in METHODS:
        raise InvalidParameterError("method", method, f"expected one of {', '.join(METHODS)}")
    clean = validate_gravity_frame(data, source)
    n_input = len(clean)
    domestic_rows = (clean["origin"] == clean["destination"]).to_numpy()
    domestic = int(domestic_rows.sum())
    if domestic:
        logger.info("dropped %d rows whose origin equals the destination", domestic)
        clean = clean.loc[~domestic_rows].reset_index(drop=True)
        if clean.empty:
            raise DataFileError(source, "every row has its origin equal to its destination; no bilateral flow remains")
    frame, first_year = _regression_frame(clean)
    missing = frame["flow"].isna()
    zero = frame["flow"] == 0.0
    flow_scale = 1.0
    if method == "ols":
        keep = ~missing & ~zero
        frame = frame.loc[keep].reset_index(drop=True)
        frame["log_flow"] = np.log(frame["flow"])
        formula = "log_flow ~ " + _RIGHT_HAND_SIDE
        zero_dropped = int(zero.sum())
    else:
        frame = frame.loc[~missing].reset_index(drop=True)
        formula = "flow ~ " + _RIGHT_HAND_SIDE
        zero_dropped = 0
        frame, flow_scale = _prepare_ppml(frame, source)
    if len(frame) <= len(REGRESSORS):
        raise DataFileError(source, f"only {len(frame)} rows with a usable flow remain for {method}; "
                            f"at least {len(REGRESSORS) + 1} are needed")
    for column in REGRESSORS:
        if frame[column].nunique() < 2:
            raise DataFileError(source, f"regressor {column!r} takes a single value in the estimation sample, "
                                "so its effect is not identified")

    model = _fit(method, formula, frame, source)
    # pyfixest 0.60 documents ``_N``, the number of observations used, and has no public accessor.
    n_obs = int(model._N)
    separated = int(getattr(model, "n_separation_na", 0) or 0)
    singletons = len(frame) - n_obs - separated
    dropped = DroppedObservations(zero_dropped, int(missing.sum()), separated, singletons, domestic)
    estimates = model.coef()
    errors = model.se()
    intervals = model.confint()
    coefficients = tuple(
        CoefficientEstimate(
            name,
            float(estimates[name]),
            float(errors[name]),
            (float(intervals.loc[name].iloc[0]), float(intervals.loc[name].iloc[1])),
        )
        for name in REGRESSORS
    )
    logger.info("%s gravity: %d observations, %d dropped", method, n_obs, dropped.total)
    for coefficient in coefficients:
        values = (coefficient.estimate, coefficient.se, *coefficient.ci95)
        if not all(math.isfinite(value) for value in values):
            raise SolverError(
                f"{method} on {source} gave a non-finite estimate or standard error for {coefficient.name}",
                advice="check for extreme flows or a regressor that barely varies",
            )
    return GravityEstimate(
        method, formula, n_input, n_obs, dropped, coefficients, first_year, flow_scale=flow_scale
    )
