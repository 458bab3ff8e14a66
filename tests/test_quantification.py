"""Quantification of Baldwin and Dingel (2021), section 4: data files, percent formulas, intervals and Table 4.4.

Three kinds of truth are used. Closed forms are solved by hand (0.75^-0.707 - 1,
-beta * 0.25). Invariants hold over seeded random coefficients and changes. The
printed cells of Table 4.4 and the clean reading of Table 4.3 column 5 serve as
external references.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import jax
import jax.numpy as jnp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telemigration.errors import DataFileError, InvalidParameterError
from telemigration.quantification import data
from telemigration.quantification.data import (
    gravity_column,
    load_footnote_10_wages,
    load_gravity_columns,
    load_job_inputs,
    load_paper_numbers,
    load_printed_table_4_4,
    load_table_2_1,
    parse_column_spec,
)
from telemigration.quantification.jobs import (
    DEFAULT_HOURS,
    base_jobs_millions,
    percent_increase,
    quantify,
    resolve_coefficient,
)
from telemigration.quantification.shifters import (
    DEFAULT_DISTANCE_FALL,
    SHIFTERS,
    ShifterKind,
    exact_percent,
    first_order_percent,
    make_cost_shift,
)
from telemigration.quantification.uncertainty import (
    DELTA_METHOD,
    EXACT_TRANSFORM,
    delta_method_interval,
    normal_quantile,
    transformed_interval,
)

Z95 = normal_quantile(0.95)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """Copy the shipped data files into a temporary folder that a test may corrupt."""
    target = tmp_path / "paper"
    shutil.copytree(data.PAPER_DATA_DIR, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- data files -----------------------------------------------------------------


def test_gravity_tables_complete() -> None:
    columns = load_gravity_columns()
    assert [(c.table, c.column) for c in columns if c.table == "4.1"] == [("4.1", k) for k in range(1, 7)]
    assert len(columns) == 16
    for column in columns:
        assert [cell.regressor for cell in column.coefficients] == list(data.REGRESSORS)


def test_table_4_3_obs_matches_clean_reading() -> None:
    # Reference: the clean reading of Table 4.3 column 5 (OBS, G20 sample, 2005-2019),
    # decoded by hand from the paper's text independently of the CSV files.
    expected = {
        "log_distance": (-0.707, 0.029),
        "log_distance_trend": (0.004, 0.003),
        "time_zone_diff": (-0.001, 0.003),
        "shared_language": (0.396, 0.029),
        "colonial_link": (-0.036, 0.035),
        "shared_legal_origin": (0.173, 0.021),
    }
    column = gravity_column("4.3:5")
    for regressor, (coefficient, se) in expected.items():
        cell = column.coefficient(regressor)
        assert (cell.coefficient, cell.std_error) == (coefficient, se)
    assert column.observations == 5129
    assert column.r2 == 0.921
    assert column.services == "OBS"


def test_table_4_2_repeats_table_4_1() -> None:
    # Section 4.2: "the first column of Table 4.2 is identical to the sixth column of Table 4.1".
    first = gravity_column("4.2:1")
    sixth = gravity_column("4.1:6")
    assert [(c.regressor, c.coefficient, c.std_error, c.significance) for c in first.coefficients] == [
        (c.regressor, c.coefficient, c.std_error, c.significance) for c in sixth.coefficients
    ]
    assert (first.observations, first.r2) == (sixth.observations, sixth.r2)


def test_significance_letters_follow_t_statistics() -> None:
    # A letter marks the 1/5/10% level; |t| below 1.64 can carry no letter and
    # |t| above 2.58 must carry "a". Borderline cells (rounding of 3-decimal
    # numbers moves t a lot) are skipped by the margin of 0.3.
    for column in load_gravity_columns():
        for cell in column.coefficients:
            t = abs(cell.coefficient / cell.std_error)
            if t < 1.64 - 0.3:
                assert cell.significance == "", (column.label, cell)
            if t > 2.58 + 0.3:
                assert cell.significance == "a", (column.label, cell)


def test_table_2_1_categories_and_workers() -> None:
    table = load_table_2_1()
    categories = [row.category for row in table]
    assert categories == ["I"] * 5 + ["I and II"] + ["II"] * 11 + ["III"] * 4 + ["IV"]
    assert sum(row.workers for row in table) == 15_272_761
    # The extraction prints 38 scenario ones in all: 17 in Low and 21 in High.
    assert sum(row.low for row in table) == 17
    assert sum(row.high for row in table) == 21


def test_default_hours_match_paper() -> None:
    assert load_paper_numbers()["hours_per_year"].value == DEFAULT_HOURS


def test_default_distance_fall_matches_paper() -> None:
    assert load_paper_numbers()["distance_fall"].value == DEFAULT_DISTANCE_FALL


def test_job_inputs_cover_every_printed_cell() -> None:
    inputs = {(cell.destination, cell.origin) for cell in load_job_inputs()}
    printed = {(cell.destination, cell.origin) for cell in load_printed_table_4_4()}
    assert inputs == printed
    assert len(inputs) == 8


def test_footnote_10_periods() -> None:
    periods = {wage.origin: wage.period for wage in load_footnote_10_wages()}
    assert periods == {"Canada": "hour", "Brazil": "month", "India": "month", "China": "year"}


@pytest.mark.parametrize(
    ("file", "old", "new", "fragment"),
    [
        ("obs_imports_2019.csv", "US,Brazil,3.19", "US,Brazil,-3.19", "must be > 0"),
        ("obs_imports_2019.csv", "US,Brazil,3.19", "US,Brazil,0", "must be > 0"),
        ("obs_imports_2019.csv", "US,Brazil,3.19", "US,Brazil,nan", "not a finite number"),
        ("obs_imports_2019.csv", "US,Brazil,3.19", "US,Brazil,3.19,7", "fields; expected 3"),
        ("obs_imports_2019.csv", "US,Brazil,3.19", "US,Brazil", "fields; expected 3"),
        ("obs_imports_2019.csv", "imports_busd", "imports", "the header is"),
        ("obs_imports_2019.csv", "US,Brazil,3.19", "US,Canada,3.19", "repeats"),
        ("hourly_wages.csv", "Brazil,3.96", "Brazil,0.0", "must be > 0"),
        ("hourly_wages.csv", "Brazil,3.96", "Brazil,abc", "not a number"),
        ("hourly_wages.csv", "Brazil,3.96", "Brasil,3.96", "no hourly wage for origin 'Brazil'"),
        ("gravity_coefficients.csv", "4.3,5,log_distance,-0.707,0.029,a", "4.3,5,log_distance,-0.707,-0.029,a", "must be > 0"),
        ("gravity_coefficients.csv", "4.3,5,log_distance,-0.707,0.029,a", "4.3,5,distance,-0.707,0.029,a", "is not one of"),
        ("gravity_coefficients.csv", "4.3,5,log_distance,-0.707,0.029,a\n", "", "lacks log_distance"),
        ("gravity_fit.csv", "5129,0.921", "5129,1.921", "must lie in [0, 1]"),
        ("table_2_1.csv", "General and operations managers,III,0,1", "General and operations managers,III,1,1", "contradict"),
        ("footnote_10_wages.csv", "37.87,hour", "37.87,week", "is not one of"),
        ("paper_numbers.csv", "hours_per_year,2000", "hours_per_year,inf", "not a finite number"),
    ],
)
def test_malformed_file_raises(data_copy: Path, file: str, old: str, new: str, fragment: str) -> None:
    _replace(data_copy / file, old, new)
    loaders = (load_gravity_columns, load_job_inputs, load_printed_table_4_4, load_footnote_10_wages,
               load_paper_numbers, load_table_2_1)
    with pytest.raises(DataFileError) as raised:
        for loader in loaders:
            loader(data_copy)
    assert fragment in str(raised.value)
    assert raised.value.path.name in (file, "hourly_wages.csv", "gravity_coefficients.csv")


def test_missing_and_empty_files_raise(data_copy: Path) -> None:
    (data_copy / "hourly_wages.csv").unlink()
    with pytest.raises(DataFileError, match="hourly_wages.csv.*file not found"):
        load_job_inputs(data_copy)
    (data_copy / "table_4_4_printed.csv").write_text("destination,origin,base_jobs_millions,percent_increase,"
                                                      "jobs_increase_millions\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="no rows"):
        load_printed_table_4_4(data_copy)
    (data_copy / "table_2_1.csv").write_bytes(b"\xff\xfe\x00rank")
    with pytest.raises(DataFileError, match="UTF-8"):
        load_table_2_1(data_copy)


@pytest.mark.parametrize("spec", ["4.3", "4.4:1", "4.3:x", "", "4.3:-1"])
def test_bad_column_spec_raises(spec: str) -> None:
    with pytest.raises(InvalidParameterError, match="column"):
        parse_column_spec(spec)


def test_absent_column_raises() -> None:
    with pytest.raises(InvalidParameterError, match="Table 4.3 has columns 1, 2, 3, 4, 5"):
        gravity_column("4.3:6")


# --- percent formulas --------------------------------------------------------------


def test_distance_percents_closed_form() -> None:
    shift = make_cost_shift("log_distance")
    assert shift.change == 0.25
    assert float(first_order_percent(-0.707, shift)) == pytest.approx(0.707 * 0.25, rel=1e-15)
    assert float(exact_percent(-0.707, shift)) == pytest.approx(0.75 ** -0.707 - 1.0, rel=1e-14)
    assert float(exact_percent(-0.707, shift)) == pytest.approx(0.2255518, abs=5e-8)


def test_dummy_percents_closed_form() -> None:
    shift = make_cost_shift("shared_language")
    assert float(exact_percent(0.396, shift)) == pytest.approx(math.exp(0.396) - 1.0, rel=1e-14)
    assert float(first_order_percent(0.396, shift)) == 0.396


def test_level_percents_closed_form() -> None:
    shift = make_cost_shift("time_zone_diff", change=0.5, level=10.0)
    assert shift.exact_change == -5.0
    assert float(exact_percent(-0.011, shift)) == pytest.approx(math.exp(0.055) - 1.0, rel=1e-14)
    assert float(first_order_percent(-0.011, shift)) == pytest.approx(0.055, rel=1e-14)


def test_every_shifter_has_a_column_coefficient() -> None:
    column = gravity_column("4.3:5")
    assert set(SHIFTERS) == set(data.REGRESSORS)
    for name in SHIFTERS:
        column.coefficient(name)


@pytest.mark.parametrize(
    ("shifter", "change", "level", "parameter"),
    [
        ("log_distance", 0.0, None, "change"),
        ("log_distance", 1.0, None, "change"),
        ("log_distance", -0.25, None, "change"),
        ("log_distance", float("nan"), None, "change"),
        ("log_distance", float("inf"), None, "change"),
        ("log_distance", 0.25, 3.0, "level"),
        ("time_zone_diff", 0.25, None, "level"),
        ("time_zone_diff", 0.25, 0.0, "level"),
        ("time_zone_diff", 0.25, float("nan"), "level"),
        ("time_zone_diff", 0.25, 1e308, "level"),
        ("time_zone_diff", 0.25, 26.5, "level"),
        ("time_zone_diff", 1.5, 10.0, "change"),
        ("shared_language", 0.25, None, "change"),
        ("colonial_link", None, 2.0, "level"),
        ("distance", None, None, "shifter"),
    ],
)
def test_bad_shift_raises(shifter: str, change: float | None, level: float | None, parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as raised:
        make_cost_shift(shifter, change, level)
    assert raised.value.parameter == parameter


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    beta=st.floats(-2.0, 2.0).filter(lambda b: abs(b) > 1e-3),
    change=st.floats(0.01, 0.9),
)
def test_exact_percent_invariants(beta: float, change: float) -> None:
    shift = make_cost_shift("log_distance", change)
    exact = float(exact_percent(beta, shift))
    # exp is convex, so exp(y) - 1 >= y, with y the exact log change of exports.
    assert exact >= beta * shift.exact_change - 1e-15
    # Both percents have the sign of beta * dx: less distance raises exports when beta < 0.
    assert math.copysign(1.0, exact) == math.copysign(1.0, -beta)
    assert math.copysign(1.0, float(first_order_percent(beta, shift))) == math.copysign(1.0, -beta)
    # Reversing the change restores the level: (1 + p)(1 - c)^(-beta) = 1.
    assert (1.0 + exact) * (1.0 - change) ** (-beta) == pytest.approx(1.0, rel=1e-12)


# --- intervals ---------------------------------------------------------------------


def test_autodiff_slope_matches_closed_form() -> None:
    shift = make_cost_shift("log_distance")
    s = shift.exact_change
    slope = float(jax.grad(lambda b: exact_percent(b, shift))(jnp.asarray(-0.707, dtype=jnp.float64)))
    assert slope == pytest.approx(s * math.exp(-0.707 * s), rel=1e-14)


def test_intervals_agree_for_table_4_4() -> None:
    # The two methods differ at second order in u = z se |dx|: the exact bounds are
    # e^(b dx) e^(-+u) - 1, the delta bounds e^(b dx)(1 -+ u) - 1, so the gaps are
    # e^(b dx)(e^-u - 1 + u) and e^(b dx)(e^u - 1 - u), both within e^(b dx) u^2/2 e^u.
    shift = make_cost_shift("log_distance")
    percent = percent_increase(shift, -0.707, 0.029)
    exact, delta = percent.exact_ci95, percent.exact_ci95_delta
    assert exact.method == EXACT_TRANSFORM
    assert delta.method == DELTA_METHOD

    u = Z95 * 0.029 * abs(shift.exact_change)
    scale = math.exp(-0.707 * shift.exact_change)
    lower_gap = exact.lower - delta.lower
    upper_gap = exact.upper - delta.upper
    assert lower_gap == pytest.approx(scale * (math.exp(-u) - 1.0 + u), rel=1e-9)
    assert upper_gap == pytest.approx(scale * (math.exp(u) - 1.0 - u), rel=1e-9)
    assert 0.0 < lower_gap <= scale * u * u / 2.0
    assert scale * u * u / 2.0 <= upper_gap <= scale * u * u / 2.0 * math.exp(u)
    # Both gaps are about 1.6e-4, far below the 0.005 rounding of Table 4.4's
    # two-decimal percent, so the choice of method cannot change a printed cell.
    assert max(abs(lower_gap), abs(upper_gap)) < 5e-4


def test_exact_interval_is_transformed_endpoints() -> None:
    shift = make_cost_shift("log_distance")
    interval = transformed_interval(lambda b: exact_percent(b, shift), -0.707, 0.029)
    assert interval.lower == pytest.approx(0.75 ** (-0.707 + Z95 * 0.029) - 1.0, rel=1e-13)
    assert interval.upper == pytest.approx(0.75 ** (-0.707 - Z95 * 0.029) - 1.0, rel=1e-13)
    assert Z95 == pytest.approx(1.959963984540054, rel=1e-14)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(beta=st.floats(-1.5, 1.5), se=st.floats(0.001, 0.2), change=st.floats(0.05, 0.75))
def test_intervals_bracket_estimate(beta: float, se: float, change: float) -> None:
    shift = make_cost_shift("log_distance", change)
    percent = percent_increase(shift, beta, se)
    for interval in (percent.exact_ci95, percent.exact_ci95_delta):
        assert interval.lower < percent.exact < interval.upper
    # The exact transform is skewed the way exp is: its upper arm is the longer one.
    exact = percent.exact_ci95
    assert exact.upper - percent.exact >= percent.exact - exact.lower - 1e-15


def test_non_monotone_transform_raises() -> None:
    with pytest.raises(InvalidParameterError, match="not strictly monotone"):
        transformed_interval(lambda b: b * b, 0.0, 0.1)


@pytest.mark.parametrize(("coefficient", "se"), [(float("nan"), 0.1), (0.1, 0.0), (0.1, -1.0), (0.1, float("inf"))])
def test_interval_rejects_bad_inputs(coefficient: float, se: float) -> None:
    with pytest.raises(InvalidParameterError):
        delta_method_interval(lambda b: b, coefficient, se)
    with pytest.raises(InvalidParameterError):
        transformed_interval(lambda b: b, coefficient, se)


# --- jobs and Table 4.4 ------------------------------------------------------------


def test_base_jobs_closed_form() -> None:
    # 11.37 billion USD / (30 USD/h x 2,000 h) = 189,500 jobs.
    assert base_jobs_millions(11.37, 30.0, 2000.0) == pytest.approx(0.1895, rel=1e-14)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(imports=st.floats(0.1, 100.0), wage=st.floats(0.5, 80.0), factor=st.floats(0.25, 4.0))
def test_base_jobs_homogeneity(imports: float, wage: float, factor: float) -> None:
    base = base_jobs_millions(imports, wage)
    assert base_jobs_millions(imports * factor, wage) == pytest.approx(base * factor, rel=1e-13)
    assert base_jobs_millions(imports, wage * factor) == pytest.approx(base / factor, rel=1e-13)
    assert base_jobs_millions(imports, wage, DEFAULT_HOURS * factor) == pytest.approx(base / factor, rel=1e-13)


@pytest.mark.parametrize(
    ("imports", "wage", "hours", "parameter"),
    [(0.0, 3.0, 2000.0, "imports_busd"), (1.0, -3.0, 2000.0, "hourly_wage"), (1.0, 3.0, 0.0, "hours"),
     (1.0, 3.0, float("nan"), "hours"), (float("inf"), 3.0, 2000.0, "imports_busd"),
     (1.0, 3.0, 1e-300, "hours"), (1.0, 3.0, 8785.0, "hours")],
)
def test_base_jobs_rejects_bad_inputs(imports: float, wage: float, hours: float, parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as raised:
        base_jobs_millions(imports, wage, hours)
    assert raised.value.parameter == parameter


def _round2(value: float) -> float:
    return math.floor(value * 100.0 + 0.5) / 100.0


def test_table_4_4_cells_recomputed() -> None:
    # Every printed base-jobs and jobs-increase cell equals the recomputed value
    # rounded to two decimals when the percent is the first-order 0.17675 and the
    # base jobs are left unrounded.
    result = quantify()
    printed = {(cell.destination, cell.origin): cell for cell in load_printed_table_4_4()}
    assert result.percent.first_order == pytest.approx(0.17675, rel=1e-15)
    for cell in result.cells:
        printed_cell = printed[(cell.destination, cell.origin)]
        assert _round2(cell.base_jobs_millions) == printed_cell.base_jobs_millions, cell
        assert _round2(cell.jobs_increase_first_order_millions) == printed_cell.jobs_increase_millions, cell
    assert _round2(result.percent.first_order) == 0.18


def test_table_4_4_exact_percent_mismatches() -> None:
    # Under the exact percent 22.56% every jobs increase is 27.6% larger; after
    # rounding only EU-Canada (0.0208 -> 0.02) still equals its printed cell.
    result = quantify()
    printed = {(cell.destination, cell.origin): cell for cell in load_printed_table_4_4()}
    equal = [
        (cell.destination, cell.origin)
        for cell in result.cells
        if _round2(cell.jobs_increase_exact_millions) == printed[(cell.destination, cell.origin)].jobs_increase_millions
    ]
    assert equal == [("EU", "Canada")]
    assert _round2(result.percent.exact) == 0.23


def test_table_4_4_rounded_percent_mismatches() -> None:
    # Multiplying by the printed 0.18 instead of 0.17675 misses three cells, which
    # shows the table used the unrounded first-order percent.
    result = quantify()
    printed = {(cell.destination, cell.origin): cell for cell in load_printed_table_4_4()}
    missed = sorted(
        (cell.destination, cell.origin)
        for cell in result.cells
        if _round2(cell.base_jobs_millions * 0.18) != printed[(cell.destination, cell.origin)].jobs_increase_millions
    )
    assert missed == [("EU", "Brazil"), ("EU", "India"), ("US", "India")]


def test_quantify_user_coefficient() -> None:
    result = quantify(coefficient=-1.0, std_error=0.05)
    assert result.coefficient.source == "given by the user"
    assert result.percent.exact == pytest.approx(0.75 ** -1.0 - 1.0, rel=1e-14)


def test_quantify_other_column() -> None:
    result = quantify(column="4.1:6")
    assert result.coefficient.value == -1.249
    assert "Table 4.1 column 6" in result.coefficient.source


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"coefficient": -0.7}, "se"),
        ({"std_error": 0.03}, "coefficient"),
        ({"coefficient": -0.7, "std_error": 0.03, "column": "4.3:5"}, "column"),
        ({"coefficient": float("nan"), "std_error": 0.03}, "coefficient"),
        ({"coefficient": -0.7, "std_error": 0.0}, "se"),
    ],
)
def test_resolve_coefficient_rejects(kwargs: dict, parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as raised:
        resolve_coefficient("log_distance", **kwargs)
    assert raised.value.parameter == parameter


def test_shifter_kinds() -> None:
    kinds = {name: shifter.kind for name, shifter in SHIFTERS.items()}
    assert kinds["log_distance"] is ShifterKind.LOG
    assert kinds["time_zone_diff"] is ShifterKind.LEVEL
    assert {kinds[name] for name in ("shared_language", "colonial_link", "shared_legal_origin")} == {ShifterKind.DUMMY}


def test_level_up_to_26_hours_accepted() -> None:
    shift = make_cost_shift("time_zone_diff", 0.5, 26.0)
    assert shift.exact_change == -13.0


@pytest.mark.parametrize(
    ("coefficient", "se", "parameter"),
    [(-1e4, 1.0, "coefficient"), (-0.707, 1e308, "se"), (-0.707, 1e4, "se")],
)
def test_percent_overflow_names_input(coefficient: float, se: float, parameter: str) -> None:
    shift = make_cost_shift("log_distance", 0.25)
    with pytest.raises(InvalidParameterError) as raised:
        percent_increase(shift, coefficient, se)
    assert raised.value.parameter == parameter
    assert "overflows" in str(raised.value)


def test_huge_percent_stays_finite() -> None:
    shift = make_cost_shift("log_distance", 0.25)
    percent = percent_increase(shift, -700.0, 1.0)
    assert math.isfinite(percent.exact)
    assert percent.exact == pytest.approx(0.75 ** -700.0 - 1.0, rel=1e-12)
    assert percent.exact_ci95.lower < percent.exact < percent.exact_ci95.upper


def test_exact_interval_far_below_zero() -> None:
    # exp(beta dx) of about 1e-245 at one end: the slope must stay nonzero there.
    shift = make_cost_shift("log_distance", 0.25)
    percent = percent_increase(shift, -0.707, 1e3)
    assert percent.exact_ci95.lower == pytest.approx(-1.0)
    assert math.isfinite(percent.exact_ci95.upper)
