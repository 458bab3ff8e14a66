"""Tests of the four-way derivative audit: it passes on the default points and fails when a method is off."""

import json
import math

import pytest

from telemigration.claims import audit


@pytest.fixture(scope="module")
def rows():
    return audit.run_audit()


def test_audit_has_no_failing_row(rows):
    failing = [row.to_dict() for row in rows if not row.ok]
    assert failing == []


def test_audit_covers_every_curve_family(rows):
    curves = {row.curve for row in rows}
    for family in ("power", "ek", "hockey stick", "inverse goods", "table goods"):
        assert any(curve.startswith(family) for curve in curves), family


def test_audit_covers_regimes_and_boundaries(rows):
    regimes = {row.regime for row in rows}
    assert {"IIII", "IIIU"} <= regimes
    points = {row.point for row in rows}
    assert any("just above the tipping point" in point for point in points)
    assert any("just below the tipping point" in point for point in points)
    assert any(point.startswith("at the tipping point") and point.endswith("left side") for point in points)
    assert any(point.startswith("at the tipping point") and point.endswith("right side") for point in points)


def test_tipping_point_sides_differ(rows):
    at_kink = {(row.curve, row.point.rsplit(", ", 1)[1]): dict(row.values)["autodiff"]
               for row in rows if row.point.startswith("at the tipping point") and row.parameter == "tau_s"}
    for curve in ("hockey stick", "power 1/sqrt(t)"):
        left, right = at_kink[(curve, "left side")], at_kink[(curve, "right side")]
        assert left > 0.0 > right


def test_audit_covers_every_parameter(rows):
    parameters = {row.parameter for row in rows}
    expected = {"tau_g", "tau_s", "tau_g_ns", "tau_g_sn", "tau_s_ns", "tau_s_sn", "gamma", "labour_ratio",
                "services.alpha", "services.lam", "services.theta", "services.h", "services.beta"}
    assert expected <= parameters


def test_audit_uses_closed_forms(rows):
    with_closed_form = [row for row in rows if dict(row.values)["closed_form"] is not None]
    assert len(with_closed_form) >= 20
    assert any(row.point.startswith("goods only") and row.parameter == "tau_g" for row in with_closed_form)
    assert any(row.point.startswith("free trade") and row.parameter == "gamma" for row in with_closed_form)


def test_continuous_rows_compare_three_methods(rows):
    for row in rows:
        present = [name for name, value in row.values if value is not None]
        minimum = 2 if row.curve.startswith("table") else 3
        assert len(present) >= minimum, row.to_dict()


def test_row_serialises_to_json(rows):
    data = rows[0].to_dict()
    assert set(data) >= {"curve", "point", "parameter", "values", "max_relative_discrepancy", "tolerance", "ok"}
    json.dumps(data)


def test_perturbed_method_fails():
    points = audit.default_points()[:2]

    def perturbed(point, equilibrium):
        return {name: value * (1.0 + 1e-6) for name, value in audit.autodiff_method(point, equilibrium).items()}

    rows = audit.run_audit(points, {**audit.DEFAULT_METHODS, "autodiff": perturbed})
    assert rows
    assert not any(row.ok for row in rows)
    assert all(row.worst_pair.startswith("autodiff/") for row in rows)


def test_small_error_within_finite_difference_tolerance():
    # An error of 1e-6 is inside the finite-difference tolerance but outside the exact one.
    assert audit.pair_tolerance("autodiff", "finite_difference") > 1e-6
    assert audit.pair_tolerance("autodiff", "sympy") < 1e-6


def test_single_method_row_is_not_ok():
    point = audit.default_points()[0]
    rows = audit.run_audit((point,), {"autodiff": audit.autodiff_method})
    assert all(not row.ok for row in rows)
    assert all(math.isinf(row.max_relative_discrepancy) for row in rows)


def test_tipping_point_searched_once_per_curve(monkeypatch):
    searched = []
    search = audit._services_tipping_point

    def counting_search(economy):
        searched.append(economy.services_curve.family)
        return search(economy)

    monkeypatch.setattr(audit, "_services_tipping_point", counting_search)
    audit.default_points.cache_clear()
    try:
        points = audit.default_points()
    finally:
        audit.default_points.cache_clear()
    assert sorted(searched) == ["hockey-stick", "power"]
    assert sum(point.description.startswith("at the tipping point") for point in points) == 4
