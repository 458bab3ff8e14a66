"""Tests of the section 5 claims: each status is computed and its detail explains it."""

import pytest

from telemigration.claims import dfs
from telemigration.claims.registry import Status, all_claims, get_claim

DFS_IDS = (
    "eq-1", "eq-2", "eq-3", "dfs-thresholds", "balanced-trade", "labour-market",
    "no-south-services-condition", "goods-dominate-omega", "hockey-stick-asymmetry", "footnote-14", "footnote-15",
)

EXPECTED = {
    "eq-1": Status.DIFFERS,
    "eq-2": Status.DIFFERS,
    "eq-3": Status.CONFIRMED,
    "dfs-thresholds": Status.CONFIRMED,
    "balanced-trade": Status.CONFIRMED,
    "labour-market": Status.CONFIRMED,
    "no-south-services-condition": Status.DIFFERS,
    "goods-dominate-omega": Status.CONFIRMED,
    "hockey-stick-asymmetry": Status.CONFIRMED,
    "footnote-14": Status.CONFIRMED,
    "footnote-15": Status.CONFIRMED,
}


def test_claims_registered_in_order():
    ids = [registered.id for registered in all_claims()]
    positions = [ids.index(claim_id) for claim_id in DFS_IDS]
    assert positions == sorted(positions)


@pytest.mark.parametrize("claim_id", DFS_IDS)
def test_claim_status(claim_id):
    result = get_claim(claim_id).evaluate()
    assert result.status is EXPECTED[claim_id]
    assert result.detail
    assert result.method
    assert result.to_dict()["status"] == EXPECTED[claim_id].value


def test_equation_1_detail_names_the_swap():
    detail = get_claim("eq-1").evaluate().detail
    assert "does not follow" in detail
    assert "B(z_N) = B(z_S)" in detail


def test_equation_2_detail_states_reading():
    detail = get_claim("eq-2").evaluate().detail
    assert "reading tested: z = z_N" in detail
    assert "tau^2 in the denominator" in detail


def test_no_south_services_reversed():
    result = get_claim("no-south-services-condition").evaluate()
    assert result.paper_value == "omega > tau_s S(1)"
    assert result.computed_value == "omega <= tau_s S(1)"
    assert "South sells services: False" in result.detail


def test_goods_dominate_gap_below_threshold():
    result = get_claim("goods-dominate-omega").evaluate()
    gap = float(result.computed_value.split("gap ")[1].rstrip("%)")) / 100
    assert gap < dfs.GOODS_GAP_CONFIRMED


def test_asymmetry_uses_both_curves():
    result = get_claim("hockey-stick-asymmetry").evaluate()
    assert "-theta_S and -theta_S" in result.computed_value
    assert "omega 1.6840 -> 1.2896" in result.computed_value


def test_frechet_simulation_within_tolerance():
    error, tolerance = dfs.frechet_simulation()
    assert 0.0 < error < tolerance
    # The tolerance is a rigorous bound, so it should be far above a typical error.
    assert tolerance < 0.2


def test_frechet_simulation_detects_wrong_shape():
    # Draws with theta = 3 do not follow the theta = 4 curve.
    error, tolerance = dfs.frechet_simulation(draw_shape=3.0)
    assert error > tolerance


def test_footnote_15_root_six_figures():
    result = get_claim("footnote-15").evaluate()
    assert "1.4375648971" in result.computed_value
    assert "1.43756 to 6 significant figures" in result.detail


def test_no_south_services_detail_follows_computation():
    detail = get_claim("no-south-services-condition").evaluate().detail
    assert "agrees with omega <= tau_s S(1) at every tau_s scanned" in detail
    assert "(tau_s = 2), omega <= tau_s S(1): the printed inequality is reversed" in detail


def test_no_south_services_untested_fails(monkeypatch):
    # At tau_s = 1.2 South sells services, so no point tests the printed condition.
    monkeypatch.setattr(dfs, "NO_SERVICES_SCAN", (dfs.LOW_TAU_S,))
    result = get_claim("no-south-services-condition").evaluate()
    assert result.status is Status.DIFFERS
    assert "printed condition is untested" in result.detail
    assert "reversed" not in result.detail
