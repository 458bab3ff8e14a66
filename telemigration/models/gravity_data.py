"""Bilateral panel data for gravity regressions: the CSV layout, its validation and a simulator.

A gravity panel has one row per origin, destination and year. Each row holds the
flow, the value of services exported from origin to destination, and the
bilateral covariates of Baldwin and Dingel (2021), "Telemigration and
development", section 4.1 and Table 4.3. These are the distance in km, the
time-zone difference in hours and indicators of a shared language, a colonial
link and a shared legal origin.

``simulate_gravity_panel`` draws such a panel from the structural model of
section 3 with known coefficients: random geography and covariates, incomes and
spending, trade costs ``tau_od^(1-sigma) = exp(x_od' beta + e_odt)``, the
multilateral-resistance system solved year by year in JAX, and Poisson noise on
the flows, some of which are zero.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from telemigration.errors import DataFileError, InvalidParameterError, SolverError
from telemigration.quantification.data import REGRESSORS, gravity_column
from telemigration.solvers.gravity import multilateral_resistance

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = (
    "origin", "destination", "year", "flow", "distance",
    "time_zone_diff", "shared_language", "colonial_link", "shared_legal_origin",
)
INDICATOR_COLUMNS = ("shared_language", "colonial_link", "shared_legal_origin")
NUMERIC_COLUMNS = ("year", "flow", "distance", "time_zone_diff") + INDICATOR_COLUMNS
# The regressors of Table 4.3, in its row order. ``log_distance_trend`` is log
# distance times (year - first year of the panel).


@dataclass(frozen=True)
class GravityCoefficients:
    """Coefficients of the gravity regressors, in the order of ``REGRESSORS``."""

    log_distance: float
    log_distance_trend: float
    time_zone_diff: float
    shared_language: float
    colonial_link: float
    shared_legal_origin: float

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                raise InvalidParameterError(f"coefficients.{name}", value, "expected a finite real number")

    @classmethod
    def from_table(cls, spec: str = "4.3:5") -> "GravityCoefficients":
        """Read one column of Tables 4.1 to 4.3 from the data shipped with the package."""
        column = gravity_column(spec)
        return cls(**{name: column.coefficient(name).coefficient for name in REGRESSORS})

    def as_dict(self) -> dict[str, float]:
        """Return the coefficients by regressor name, in the order of ``REGRESSORS``."""
        return {name: float(getattr(self, name)) for name in REGRESSORS}


# Baldwin and Dingel (2021), Table 4.3, column 5 (Other Business Services, G20
# sample 2005-2019, linear fixed-effects model): the simulator's default.
TABLE_4_3_COLUMN_5 = GravityCoefficients.from_table("4.3:5")


def _csv_row(index: int) -> int:
    # Line number in the CSV file: the header is line 1 and the index starts at 0.
    return index + 2


def validate_gravity_frame(frame: pd.DataFrame, source: object = "<data frame>") -> pd.DataFrame:
    """Check a gravity panel and return a clean copy with numeric columns as float64.

    Raises DataFileError naming ``source`` and the column, CSV line and value in
    these cases: a required column is missing, a value does not parse as a number,
    a flow is negative or infinite, a distance is not positive, a time-zone
    difference is negative, an indicator is not 0 or 1, a year is not an integer,
    an origin or destination is empty, or an origin-destination-year row appears
    twice. A missing flow is allowed, because the estimators drop and count it,
    but a missing covariate is not.
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise DataFileError(
            source, f"missing required column {missing[0]!r}; required columns: {', '.join(REQUIRED_COLUMNS)}"
        )
    if frame.empty:
        raise DataFileError(source, "the file has a header but no rows")
    clean = frame.loc[:, list(REQUIRED_COLUMNS)].reset_index(drop=True)
    for column in ("origin", "destination"):
        labels = clean[column].astype("string").str.strip()
        empty = labels.isna() | (labels == "")
        if empty.any():
            raise DataFileError(source, f"column {column!r} is empty on line {_csv_row(int(np.flatnonzero(empty)[0]))}")
        clean[column] = labels.astype(str)
    for column in NUMERIC_COLUMNS:
        raw = clean[column]
        numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
        blank = raw.isna() | (raw.astype("string").str.strip() == "")
        unparsed = numbers.isna() & ~blank
        if unparsed.any():
            row = int(np.flatnonzero(unparsed)[0])
            raise DataFileError(source, f"column {column!r} has the non-numeric value {raw.iloc[row]!r} on line {_csv_row(row)}")
        if column != "flow" and blank.any():
            raise DataFileError(source, f"column {column!r} has a missing value on line {_csv_row(int(np.flatnonzero(blank)[0]))}")
        clean[column] = numbers
    _check_values(clean, source)
    duplicated = clean.duplicated(subset=["origin", "destination", "year"], keep="first")
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        first = int(np.flatnonzero(
            (clean["origin"] == clean.at[row, "origin"])
            & (clean["destination"] == clean.at[row, "destination"])
            & (clean["year"] == clean.at[row, "year"])
        )[0])
        raise DataFileError(
            source,
            f"line {_csv_row(row)} repeats origin {clean.at[row, 'origin']!r}, destination "
            f"{clean.at[row, 'destination']!r}, year {int(clean.at[row, 'year'])} of line {_csv_row(first)}",
        )
    clean["year"] = clean["year"].astype("int64")
    return clean


def _first_violation(clean: pd.DataFrame, column: str, bad: pd.Series, source: object, allowed: str) -> None:
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFileError(
            source,
            f"column {column!r} has the invalid value {float(clean.at[row, column])!r} on line {_csv_row(row)}; {allowed}",
        )


def _check_values(clean: pd.DataFrame, source: object) -> None:
    flow = clean["flow"]
    _first_violation(clean, "flow", flow.notna() & ~np.isfinite(flow), source, "a flow must be finite")
    _first_violation(clean, "flow", flow < 0.0, source, "a flow must be >= 0")
    distance = clean["distance"]
    _first_violation(clean, "distance", ~np.isfinite(distance) | (distance <= 0.0), source, "a distance must be finite and > 0")
    zones = clean["time_zone_diff"]
    _first_violation(clean, "time_zone_diff", ~np.isfinite(zones) | (zones < 0.0), source, "a time-zone difference must be finite and >= 0")
    for column in INDICATOR_COLUMNS:
        _first_violation(clean, column, ~clean[column].isin((0.0, 1.0)), source, "an indicator must be 0 or 1")
    year = clean["year"]
    _first_violation(clean, "year", ~np.isfinite(year) | (year != np.round(year)), source, "a year must be an integer")


def read_gravity_csv(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and validate a gravity panel CSV (see ``validate_gravity_frame``).

    Raises DataFileError when the file is missing, unreadable, not UTF-8 text or
    not a CSV table.
    """
    source = Path(path)
    try:
        # Read every column as text so that validation, not pandas, decides what a number is.
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataFileError(source, "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(source, f"cannot read the file: {error}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DataFileError(source, f"not a CSV table: {str(error).strip()}") from None
    return validate_gravity_frame(frame, source)


@dataclass(frozen=True)
class SimulationSettings:
    """Settings of the structural panel draw; every default is this project's choice.

    ``sigma`` labels trade costs only: flows depend on tau through
    tau^(1-sigma) = exp(x' beta + e), so any sigma > 1 gives the same panel.
    ``shock_sd`` is the standard deviation of the bilateral cost shock e_odt,
    independent across pairs and years. The flow is ``unit * N`` with
    N ~ Poisson(V / unit), where ``unit`` makes the median expected count of a
    cross-border flow equal ``median_count``. ``zero_share`` is the probability
    that a flow is reported as zero whatever its value (a suppressed cell),
    independent of everything else.
    """

    first_year: int = 2005
    sigma: float = 5.0
    shock_sd: float = 0.5
    median_count: float = 1000.0
    zero_share: float = 0.03
    languages: int = 6
    legal_origins: int = 4
    colonial_probability: float = 0.08
    # Great-circle distances are floored so that tau >= 1 holds for every pair
    # under the default coefficients, shocks within 5 standard deviations and
    # panels of up to 10 years.
    minimum_distance_km: float = 100.0


# eq=False: a generated __eq__ would compare data frames elementwise and fail.
@dataclass(frozen=True, eq=False)
class SimulatedPanel:
    """A simulated gravity panel with the coefficients and settings that produced it."""

    data: pd.DataFrame
    coefficients: GravityCoefficients
    settings: SimulationSettings
    seed: int
    flow_unit: float
    zero_flows: int = field(default=0)


_EARTH_RADIUS_KM = 6371.0

# Size limits of a simulated panel. The draw holds several nations x nations x
# years float64 arrays and a data frame of nations x (nations - 1) x years rows,
# so memory grows with that product: 300 nations and 10 years (900,000 cells)
# peaked at 0.87 GiB of resident memory (Linux, this package's CPU build of JAX).
# 2,000,000 cells keeps a draw to about 2 GiB, an estimate scaled from that run.
MAX_PANEL_CELLS = 2_000_000
# A bound of its own, because few nations leave the cell limit loose. With the
# default coefficients the positive distance trend makes some trade cost fall
# below 1 long before that (at 200 years for 20 nations and seed 0), which
# raises its own error.
MAX_YEARS = 100


def _check_count(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise InvalidParameterError(name, value, f"expected an integer >= {minimum}")
    if maximum is not None and value > maximum:
        raise InvalidParameterError(name, value, f"expected an integer from {minimum} to {maximum}")
    return int(value)


def _check_panel_size(nations: int, years: int) -> None:
    cells = nations * nations * years
    if cells > MAX_PANEL_CELLS:
        largest = math.isqrt(MAX_PANEL_CELLS // years)
        raise InvalidParameterError(
            "nations", nations,
            f"nations^2 x years = {cells:,} exceeds the limit of {MAX_PANEL_CELLS:,}, which keeps the "
            f"simulation's arrays to about 2 GiB of memory; with {years} years use at most {largest} nations",
        )


def _geography(rng: np.random.Generator, nations: int, settings: SimulationSettings) -> dict[str, np.ndarray]:
    # Locations uniform on the sphere between 60 degrees south and 70 degrees north.
    latitude = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(-60.0)), np.sin(np.radians(70.0)), nations)))
    longitude = rng.uniform(-180.0, 180.0, nations)
    phi, lam = np.radians(latitude), np.radians(longitude)
    cosine = np.sin(phi)[:, None] * np.sin(phi)[None, :] + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.cos(
        lam[:, None] - lam[None, :]
    )
    distance = np.maximum(_EARTH_RADIUS_KM * np.arccos(np.clip(cosine, -1.0, 1.0)), settings.minimum_distance_km)
    gap = np.abs(longitude[:, None] - longitude[None, :])
    time_zones = np.round(np.minimum(gap, 360.0 - gap) / 15.0)
    language = rng.integers(0, settings.languages, nations)
    legal = rng.integers(0, settings.legal_origins, nations)
    colony = np.triu(rng.uniform(size=(nations, nations)) < settings.colonial_probability, k=1)
    return {
        "distance": distance,
        "time_zone_diff": time_zones,
        "shared_language": (language[:, None] == language[None, :]).astype(np.float64),
        "colonial_link": (colony | colony.T).astype(np.float64),
        "shared_legal_origin": (legal[:, None] == legal[None, :]).astype(np.float64),
    }


def simulate_gravity_panel(
    nations: int = 20,
    years: int = 10,
    seed: int = 0,
    *,
    coefficients: GravityCoefficients = TABLE_4_3_COLUMN_5,
    settings: SimulationSettings = SimulationSettings(),
) -> SimulatedPanel:
    """Draw a gravity panel from the structural model of Baldwin and Dingel (2021), section 3.

    For every year t (trend t = year - first year) and pair o != d,
    ``tau_od^(1-sigma) = exp(beta_dist ln dist + beta_trend t ln dist + beta_tz tz
    + beta_lang lang + beta_col col + beta_legal legal + e_odt)``; domestic costs
    are 1. Incomes grow at nation-specific rates, spending differs from income by
    a nation-specific imbalance with equal totals, and the multilateral-resistance
    system gives the expected flows V_odt, to which Poisson noise and suppressed
    zeros are added (see ``SimulationSettings``). Only cross-border rows are kept.
    The noise is as documented in ``SimulationSettings`` and matches the model
    above. PPML 95% intervals on these panels still cover the truth less often
    than 95% (82% over 24 seeds of 20 nations and 10 years), which comes from the
    standard errors and not from this noise; see ``telemigration.estimation.gravity``.

    Raises InvalidParameterError for fewer than 3 nations, fewer than 1 or more
    than ``MAX_YEARS`` years, nations^2 x years above ``MAX_PANEL_CELLS`` (a
    memory bound), or when the coefficients make some tau_od < 1.
    """
    nations = _check_count("nations", nations, 3)
    years = _check_count("years", years, 1, MAX_YEARS)
    seed = _check_count("seed", seed, 0)
    _check_panel_size(nations, years)
    rng = np.random.default_rng(seed)
    geography = _geography(rng, nations, settings)
    beta = coefficients.as_dict()
    log_distance = np.log(geography["distance"])
    static = (
        beta["log_distance"] * log_distance
        + beta["time_zone_diff"] * geography["time_zone_diff"]
        + beta["shared_language"] * geography["shared_language"]
        + beta["colonial_link"] * geography["colonial_link"]
        + beta["shared_legal_origin"] * geography["shared_legal_origin"]
    )
    trend = np.arange(years, dtype=np.float64)
    shocks = rng.normal(0.0, settings.shock_sd, (years, nations, nations))
    log_phi = static[None, :, :] + beta["log_distance_trend"] * trend[:, None, None] * log_distance[None, :, :] + shocks
    domestic = np.eye(nations, dtype=bool)
    log_phi[:, domestic] = 0.0
    if np.any(log_phi[:, ~domestic] > 0.0):
        raise InvalidParameterError(
            "coefficients", coefficients,
            "with the drawn shocks they imply tau_od^(1-sigma) > 1, a trade cost below 1, for some pair; "
            "use a negative distance coefficient, a smaller shock_sd or a larger minimum_distance_km",
        )

    # Incomes of about a thousand units (billions of USD, say), so flows are not tiny numbers.
    income_level = 1000.0 * rng.lognormal(0.0, 1.0, nations)
    growth = rng.normal(0.03, 0.02, nations)
    incomes = income_level[None, :] * np.exp(growth[None, :] * trend[:, None])
    spending = incomes * np.exp(rng.normal(0.0, 0.1, nations))[None, :]
    spending *= (incomes.sum(axis=1) / spending.sum(axis=1))[:, None]

    trade_costs = np.exp(log_phi / (1.0 - settings.sigma))
    solve_years = jax.vmap(multilateral_resistance, in_axes=(0, 0, 0, None))
    _, _, flows, codes, _ = solve_years(
        jnp.asarray(incomes), jnp.asarray(spending), jnp.asarray(trade_costs),
        jnp.asarray(settings.sigma, dtype=jnp.float64),
    )
    codes = np.asarray(codes)
    if np.any(codes != 0):
        failed = int(np.flatnonzero(codes)[0])
        raise SolverError(
            f"the multilateral-resistance system failed for simulated year {settings.first_year + failed} "
            f"(code {int(codes[failed])})",
            advice="use smaller shocks or fewer nations",
        )
    expected = np.asarray(flows)

    year_index, origin_index, destination_index = np.nonzero(~domestic[None, :, :] & np.ones((years, 1, 1), dtype=bool))
    mean_flow = expected[year_index, origin_index, destination_index]
    unit = float(np.median(mean_flow) / settings.median_count)
    counts = rng.poisson(mean_flow / unit)
    suppressed = rng.uniform(size=counts.size) < settings.zero_share
    flow = np.where(suppressed, 0.0, counts * unit)
    labels = np.array([f"N{i + 1:02d}" for i in range(nations)])
    data = pd.DataFrame({
        "origin": labels[origin_index],
        "destination": labels[destination_index],
        "year": settings.first_year + year_index,
        "flow": flow,
        "distance": geography["distance"][origin_index, destination_index],
        "time_zone_diff": geography["time_zone_diff"][origin_index, destination_index],
        **{
            column: geography[column][origin_index, destination_index].astype(np.int64)
            for column in INDICATOR_COLUMNS
        },
    })
    zeros = int(np.count_nonzero(flow == 0.0))
    logger.info("simulated %d rows for %d nations and %d years; %d zero flows", len(data), nations, years, zeros)
    return SimulatedPanel(data, coefficients, settings, seed, unit, zeros)
