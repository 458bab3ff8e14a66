"""Claims of sections 2 and 4 of Baldwin and Dingel (2021): statuses, numbers and their dependence on the data.

Each status is computed from the shipped data. The perturbation tests edit a copy
of the data so that a claim must change status, which shows the status follows
the numbers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import telemigration.claims.quantification as quantification_claims
from telemigration.claims import registry
from telemigration.claims.registry import Status, Verdict
from telemigration.errors import DataFileError
from telemigration.quantification import data

CLAIM_IDS = (
    "trend-small",
    "distance-18-percent",
    "table-4.4",
    "footnote-10-wages",
    "less-than-70000",
    "doubling-few-million",
    "blinder-two-vector",
)


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the loaders at a copy of the shipped data that a test may edit."""
    target = tmp_path / "paper"
    shutil.copytree(data.PAPER_DATA_DIR, target)
    monkeypatch.setattr(data, "PAPER_DATA_DIR", target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _evaluate(claim_id: str) -> registry.ClaimResult:
    return registry._REGISTRY[claim_id].evaluate()


def test_claims_registered() -> None:
    assert "telemigration.claims.quantification" in registry.CLAIM_MODULES
    for claim_id in CLAIM_IDS:
        assert claim_id in registry._REGISTRY
        assert registry._REGISTRY[claim_id].check.__module__ == quantification_claims.__name__


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_result_is_complete_json(claim_id: str) -> None:
    result = _evaluate(claim_id)
    assert isinstance(result.status, Status)
    assert result.section
    assert result.statement
    assert result.method
    assert result.detail
    text = json.dumps(result.to_dict(), allow_nan=False)
    assert json.loads(text)["id"] == claim_id


def test_trend_small_confirmed() -> None:
    result = _evaluate("trend-small")
    assert result.status is Status.CONFIRMED
    assert result.computed_value == pytest.approx(0.004 / 0.707, rel=1e-12)
    assert result.paper_value == 0.01


def test_trend_small_follows_data(data_copy: Path) -> None:
    _replace(data_copy / "gravity_coefficients.csv", "4.3,5,log_distance_trend,0.004,", "4.3,5,log_distance_trend,0.009,")
    assert _evaluate("trend-small").status is Status.DIFFERS


def test_trend_small_wording_follows_outcome(data_copy: Path) -> None:
    assert "= 0.5658%, below 1%" in _evaluate("trend-small").detail
    _replace(data_copy / "gravity_coefficients.csv", "4.3,5,log_distance_trend,0.004,", "4.3,5,log_distance_trend,0.009,")
    detail = _evaluate("trend-small").detail
    assert "= 1.2730%, not below 1%" in detail
    assert ", below 1%" not in detail


def test_distance_18_percent_is_first_order() -> None:
    result = _evaluate("distance-18-percent")
    assert result.status is Status.APPROXIMATION
    assert result.computed_value["first_order"] == pytest.approx(0.17675, rel=1e-14)
    assert result.computed_value["exact"] == pytest.approx(0.75 ** -0.707 - 1.0, rel=1e-14)
    low, high = result.computed_value["exact_ci95"]
    assert not low <= 0.18 <= high
    assert "first-order" in result.detail


def test_distance_18_percent_follows_data(data_copy: Path) -> None:
    # If the paper had printed 23%, the exact percent would confirm it.
    _replace(data_copy / "paper_numbers.csv", "export_increase_about,0.18,", "export_increase_about,0.23,")
    assert _evaluate("distance-18-percent").status is Status.CONFIRMED


def test_table_4_4_uses_first_order() -> None:
    result = _evaluate("table-4.4")
    assert result.status is Status.APPROXIMATION
    assert result.computed_value["percent_used"] == "first_order"
    mismatches = result.computed_value["mismatches"]
    assert mismatches["first_order"] == []
    assert len(mismatches["exact"]) == 15
    assert [entry.split()[0] for entry in mismatches["printed_0.18"]] == ["US-India", "EU-Brazil", "EU-India"]


def test_table_4_4_reports_a_changed_cell(data_copy: Path) -> None:
    _replace(data_copy / "table_4_4_printed.csv", "US,India,2.38,0.18,0.42", "US,India,2.38,0.18,0.43")
    result = _evaluate("table-4.4")
    assert result.status is Status.DIFFERS
    assert result.computed_value["mismatches"]["first_order"] == ["US-India jobs increase 0.4203 (printed 0.43)"]


def test_table_4_4_missing_cell_raises(data_copy: Path) -> None:
    _replace(data_copy / "table_4_4_printed.csv", "EU,India,3.91,0.18,0.69\n", "")
    with pytest.raises(DataFileError, match="table_4_4_printed.csv"):
        _evaluate("table-4.4")


def test_footnote_10_within_rate_rounding() -> None:
    result = _evaluate("footnote-10-wages")
    assert result.status is Status.APPROXIMATION
    converted = {origin: entry["converted_usd"] for origin, entry in result.computed_value.items()}
    assert converted["Canada"] == pytest.approx(37.87 * 0.79, rel=1e-14)
    assert converted["Brazil"] == pytest.approx(3445 * 12 / 2000 * 0.19, rel=1e-14)
    assert converted["India"] == pytest.approx(28923 * 12 / 2000 * 0.013, rel=1e-14)
    assert converted["China"] == pytest.approx(161352 / 2000 * 0.15, rel=1e-14)
    for entry in result.computed_value.values():
        assert entry["verdict"] == "within the rounding of the exchange rate"


def test_footnote_10_follows_data(data_copy: Path) -> None:
    # An INR rate of 0.012 puts India's converted wage (2.08 USD/h) outside the band of 2.34.
    _replace(data_copy / "footnote_10_wages.csv", ",0.013,", ",0.012,")
    assert _evaluate("footnote-10-wages").status is Status.DIFFERS


def test_footnote_10_reads_hours_per_year(data_copy: Path) -> None:
    _replace(data_copy / "paper_numbers.csv", "hours_per_year,2000,", "hours_per_year,4000,")
    result = _evaluate("footnote-10-wages")
    assert result.computed_value["China"]["converted_usd"] == pytest.approx(161352 / 4000 * 0.15, rel=1e-14)
    assert result.status is Status.DIFFERS


def test_less_than_70000_differs_for_brazil() -> None:
    result = _evaluate("less-than-70000")
    assert result.status is Status.DIFFERS
    jobs = result.computed_value
    assert set(jobs) == {"Canada", "Brazil", "China"}
    # 3.19e9 / (3.96 x 2000) x 0.17675 = 71,191 jobs.
    assert jobs["Brazil"]["first_order"] == pytest.approx(3.19e9 / (3.96 * 2000) * 0.17675, rel=1e-12)
    assert jobs["Brazil"]["first_order"] > 70_000
    assert jobs["China"]["first_order"] < 70_000 < jobs["China"]["exact"]
    assert jobs["Canada"]["exact"] < 70_000


def test_less_than_70000_follows_data(data_copy: Path) -> None:
    # With 3.00 billion USD from Brazil the first-order increase is 66,951, but the exact one is above 70,000.
    _replace(data_copy / "obs_imports_2019.csv", "US,Brazil,3.19", "US,Brazil,3.00")
    assert _evaluate("less-than-70000").status is Status.APPROXIMATION


def test_doubling_gives_twelve_million() -> None:
    result = _evaluate("doubling-few-million")
    assert result.computed_value == pytest.approx(11.9, rel=1e-12)
    assert result.status is Status.DIFFERS


def test_doubling_total_prints_as_11_9() -> None:
    result = _evaluate("doubling-few-million")
    assert repr(result.computed_value) == "11.9"
    assert json.loads(json.dumps(result.to_dict()))["computed_value"] == 11.9


def test_doubling_follows_data(data_copy: Path) -> None:
    _replace(data_copy / "paper_numbers.csv", "telemigrant_annual_earnings,10000,", "telemigrant_annual_earnings,30000,")
    result = _evaluate("doubling-few-million")
    assert result.computed_value == pytest.approx(119 / 30, rel=1e-12)
    assert result.status is Status.CONFIRMED
    assert "disagree" in result.detail


def test_blinder_inner_products() -> None:
    result = _evaluate("blinder-two-vector")
    assert result.status is Status.DIFFERS
    # Sums of the worker counts of categories I, "I and II" and II (Low), plus III (High).
    assert result.computed_value["low_million"] == pytest.approx(9.989351, rel=1e-12)
    assert result.computed_value["high_million"] == pytest.approx(14.356471, rel=1e-12)
    labour_low, labour_high = result.computed_value["implied_labour_force_million"]
    assert labour_low == pytest.approx(29 / 0.22)
    assert labour_high == pytest.approx(38 / 0.29)
    assert "consistent" in result.detail
    assert "inconsistent" not in result.detail


def test_checks_return_verdicts() -> None:
    for claim_id in CLAIM_IDS:
        assert isinstance(registry._REGISTRY[claim_id].check(), Verdict)
