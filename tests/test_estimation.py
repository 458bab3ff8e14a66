"""Gravity estimation through pyfixest on simulated panels, and validation of panel data."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from telemigration.errors import DataFileError, InvalidParameterError, SolverError
from telemigration.estimation import estimate_gravity
from telemigration.estimation import gravity as gravity_module
from telemigration.models.gravity_data import (
    REGRESSORS,
    TABLE_4_3_COLUMN_5,
    GravityCoefficients,
    read_gravity_csv,
    simulate_gravity_panel,
    validate_gravity_frame,
)

# 16 nations over 8 years give 1,920 rows: standard errors of 0.05 to 0.08 for log
# distance, and both estimators run in well under a second.
NATIONS = 16
YEARS = 8
# An estimate within 4 standard errors of the truth; a consistent estimator
# misses that with probability about 6e-5 per coefficient. PPML's reported
# standard errors run up to about 1.5 times too small on panels this size (see
# telemigration.estimation.gravity), so for PPML the bound is about 2.7 true
# standard deviations, missed with probability about 0.007 per coefficient.
STANDARD_ERRORS = 4.0


@pytest.fixture(scope="module")
def panel():
    return simulate_gravity_panel(NATIONS, YEARS, seed=2021)


@pytest.fixture(scope="module")
def estimates(panel):
    return {method: estimate_gravity(panel.data, method) for method in ("ols", "ppml")}


def test_table_4_3_defaults():
    assert TABLE_4_3_COLUMN_5.as_dict() == {
        "log_distance": -0.707, "log_distance_trend": 0.004, "time_zone_diff": -0.001,
        "shared_language": 0.396, "colonial_link": -0.036, "shared_legal_origin": 0.173,
    }


def test_panel_has_required_layout(panel):
    clean = validate_gravity_frame(panel.data)
    assert len(clean) == NATIONS * (NATIONS - 1) * YEARS
    assert (clean["origin"] != clean["destination"]).all()
    assert clean["year"].min() == panel.settings.first_year


def test_panel_has_some_zero_flows(panel):
    zeros = int((panel.data["flow"] == 0.0).sum())
    assert zeros == panel.zero_flows
    assert 0 < zeros < 0.1 * len(panel.data)


def test_panel_is_reproducible(panel):
    again = simulate_gravity_panel(NATIONS, YEARS, seed=2021)
    pd.testing.assert_frame_equal(again.data, panel.data)


@pytest.mark.parametrize("method", ["ols", "ppml"])
@pytest.mark.parametrize("name", REGRESSORS)
def test_estimator_recovers_coefficient(estimates, panel, method, name):
    estimate = estimates[method].coefficient(name)
    truth = panel.coefficients.as_dict()[name]
    assert abs(estimate.estimate - truth) < STANDARD_ERRORS * estimate.se


@pytest.mark.parametrize("method", ["ols", "ppml"])
def test_confidence_interval_brackets_estimate(estimates, method):
    for coefficient in estimates[method].coefficients:
        low, high = coefficient.ci95
        assert low < coefficient.estimate < high
        assert coefficient.se > 0.0


def test_ols_drops_zero_flows(estimates, panel):
    ols = estimates["ols"]
    assert ols.dropped.zero_flows == panel.zero_flows
    assert ols.n_obs == len(panel.data) - ols.dropped.total
    assert ols.formula.startswith("log_flow ~")


def test_ppml_keeps_zero_flows(estimates, panel):
    ppml = estimates["ppml"]
    assert ppml.dropped.zero_flows == 0
    assert ppml.n_obs == len(panel.data) - ppml.dropped.total
    assert ppml.n_obs > estimates["ols"].n_obs


def test_trend_starts_at_first_year(estimates, panel):
    assert estimates["ols"].first_year == panel.settings.first_year
    assert estimates["ols"].to_dict()["trend"] == f"year - {panel.settings.first_year}"


def test_missing_flows_are_counted(panel):
    data = panel.data.copy()
    data["flow"] = data["flow"].astype("float64")
    data.loc[[3, 10, 20], "flow"] = np.nan
    for method in ("ols", "ppml"):
        result = estimate_gravity(data, method)
        assert result.dropped.missing_flows == 3


def test_ppml_reports_separation(panel):
    # One origin sells nothing in one year: its origin-year fixed effect can
    # predict those zeros perfectly, so pyfixest drops them as separated.
    data = panel.data.copy()
    first = data["year"] == data["year"].min()
    data.loc[first & (data["origin"] == "N01"), "flow"] = 0.0
    result = estimate_gravity(data, "ppml")
    assert result.dropped.separated == NATIONS - 1
    assert result.n_obs == len(data) - result.dropped.total


def test_ppml_rejects_all_zero_flows(panel):
    # pyfixest's Rust demeaning panics (abort, exit 134) on this sample, so it must never get there.
    data = panel.data.copy()
    data["flow"] = 0.0
    with pytest.raises(DataFileError, match="no flow is positive"):
        estimate_gravity(data, "ppml")


def test_ppml_rejects_fully_separated_sample(panel):
    data = panel.data.copy()
    data["flow"] = 0.0
    data.loc[0, "flow"] = 5.0
    with pytest.raises(DataFileError, match="separates the rest"):
        estimate_gravity(data, "ppml")


def test_ppml_slopes_ignore_flow_scale(estimates, panel):
    data = panel.data.copy()
    data["flow"] = data["flow"] * 1e300
    scaled = estimate_gravity(data, "ppml")
    assert scaled.flow_scale >= 1e300
    for name in REGRESSORS:
        base = estimates["ppml"].coefficient(name)
        assert scaled.coefficient(name).estimate == pytest.approx(base.estimate, rel=1e-6, abs=1e-9)
        assert scaled.coefficient(name).se == pytest.approx(base.se, rel=1e-6)


def test_ppml_handles_one_huge_flow(panel):
    data = panel.data.copy()
    data["flow"] = data["flow"].astype("float64")
    data.loc[0, "flow"] = 1e308
    result = estimate_gravity(data, "ppml")
    assert result.flow_scale == 1e308
    for coefficient in result.coefficients:
        assert np.isfinite(coefficient.se)


def test_domestic_rows_dropped_and_counted(panel):
    data = panel.data.copy()
    rows = [0, len(data) - 1]
    data.loc[rows, "destination"] = data.loc[rows, "origin"]
    for method in ("ols", "ppml"):
        result = estimate_gravity(data, method)
        assert result.dropped.domestic == 2
        assert result.to_dict()["dropped"]["domestic"] == 2
        assert result.n_input == len(data)


def test_demeaning_failure_becomes_solver_error(panel, monkeypatch):
    def failing_fepois(*args, **kwargs):
        raise ValueError("Demeaning failed after 10000 iterations.")

    monkeypatch.setattr(gravity_module.pf, "fepois", failing_fepois)
    with pytest.raises(SolverError, match="Demeaning failed"):
        estimate_gravity(panel.data, "ppml")


def test_coefficients_move_with_truth():
    # Control: halving the distance elasticity shows in the estimate.
    weaker = dataclasses.replace(TABLE_4_3_COLUMN_5, log_distance=-0.35)
    estimate = estimate_gravity(simulate_gravity_panel(NATIONS, YEARS, seed=2021, coefficients=weaker).data)
    coefficient = estimate.coefficient("log_distance")
    assert abs(coefficient.estimate + 0.35) < STANDARD_ERRORS * coefficient.se
    assert abs(coefficient.estimate + 0.707) > STANDARD_ERRORS * coefficient.se


def test_unknown_method_raises(panel):
    with pytest.raises(InvalidParameterError, match="method"):
        estimate_gravity(panel.data, "gmm")


def test_constant_regressor_raises(panel):
    data = panel.data.copy()
    data["colonial_link"] = 0
    with pytest.raises(DataFileError, match="colonial_link"):
        estimate_gravity(data)


def test_bad_simulation_settings_raise():
    with pytest.raises(InvalidParameterError, match="nations"):
        simulate_gravity_panel(2, 3)
    with pytest.raises(InvalidParameterError, match="years"):
        simulate_gravity_panel(5, 0)
    with pytest.raises(InvalidParameterError, match="coefficients"):
        simulate_gravity_panel(5, 2, coefficients=dataclasses.replace(TABLE_4_3_COLUMN_5, log_distance=0.5))
    with pytest.raises(InvalidParameterError, match="coefficients.shared_language"):
        dataclasses.replace(TABLE_4_3_COLUMN_5, shared_language=float("nan"))


SMALL_CSV = (
    "origin,destination,year,flow,distance,time_zone_diff,shared_language,colonial_link,shared_legal_origin\n"
    "A,B,2005,1.5,1000,1,0,0,1\n"
    "B,A,2005,2.5,1000,1,0,0,1\n"
    "A,C,2005,0,2000,3,1,0,0\n"
)


def write(tmp_path, text, name="panel.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_small_csv_reads(tmp_path):
    frame = read_gravity_csv(write(tmp_path, SMALL_CSV))
    assert list(frame["flow"]) == [1.5, 2.5, 0.0]
    assert frame["year"].dtype == np.int64


def test_empty_flow_reads_as_missing(tmp_path):
    frame = read_gravity_csv(write(tmp_path, SMALL_CSV.replace("A,C,2005,0,", "A,C,2005,,")))
    assert frame["flow"].isna().sum() == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("shared_legal_origin\n", "legal\n", "missing required column 'shared_legal_origin'"),
        ("B,A,2005,2.5,", "B,A,2005,lots,", "column 'flow' has the non-numeric value 'lots' on line 3"),
        ("B,A,2005,2.5,", "B,A,2005,-2.5,", "column 'flow' has the invalid value -2.5 on line 3"),
        ("B,A,2005,2.5,", "B,A,2005,inf,", "column 'flow' has the invalid value inf on line 3"),
        ("A,C,2005,0,2000,", "A,C,2005,0,x2000,", "column 'distance' has the non-numeric value 'x2000' on line 4"),
        ("A,C,2005,0,2000,", "A,C,2005,0,0,", "column 'distance' has the invalid value 0.0 on line 4"),
        ("A,C,2005,0,2000,", "A,C,2005,0,,", "column 'distance' has a missing value on line 4"),
        ("A,C,2005,0,2000,3,", "A,C,2005,0,2000,-3,", "column 'time_zone_diff' has the invalid value -3.0"),
        ("A,C,2005,0,2000,3,1,", "A,C,2005,0,2000,3,2,", "column 'shared_language' has the invalid value 2.0"),
        ("A,C,2005,", "A,C,2005.5,", "column 'year' has the invalid value 2005.5 on line 4"),
        ("A,C,2005,", ",C,2005,", "column 'origin' is empty on line 4"),
        ("A,C,2005,", "A,B,2005,", "line 4 repeats origin 'A', destination 'B', year 2005 of line 2"),
    ],
)
def test_bad_csv_raises(tmp_path, old, new, message):
    assert old in SMALL_CSV
    path = write(tmp_path, SMALL_CSV.replace(old, new, 1))
    with pytest.raises(DataFileError, match=message.replace("(", r"\(").replace(".", r"\.")) as raised:
        read_gravity_csv(path)
    assert str(path) in str(raised.value)


def test_header_without_rows_raises(tmp_path):
    with pytest.raises(DataFileError, match="no rows"):
        read_gravity_csv(write(tmp_path, SMALL_CSV.splitlines()[0] + "\n"))


def test_missing_file_raises(tmp_path):
    with pytest.raises(DataFileError, match="file not found"):
        read_gravity_csv(tmp_path / "absent.csv")


def test_directory_raises(tmp_path):
    with pytest.raises(DataFileError, match="cannot read"):
        read_gravity_csv(tmp_path)


def test_binary_file_raises(tmp_path):
    path = tmp_path / "panel.csv"
    path.write_bytes(b"\xff\xfe\x00\x81origin\n\x00\x9c")
    with pytest.raises(DataFileError):
        read_gravity_csv(path)


def test_empty_file_raises(tmp_path):
    with pytest.raises(DataFileError, match="not a CSV table"):
        read_gravity_csv(write(tmp_path, ""))
