"""Tests of tipping-point search: the hockey-stick example, closed-form checks and input validation."""

import numpy as np
import pytest

import telemigration.solvers  # noqa: F401  (switches JAX to float64)
from telemigration.errors import InvalidParameterError, SolverError
from telemigration.models import (
    EatonKortumCurve,
    Economy,
    HockeyStickCurve,
    InverseCurve,
    Parameters,
    Position,
    PowerCurve,
)
from telemigration.solvers import find_tipping_points, solve_equilibrium
from telemigration.solvers.bridge import compile_economy
from telemigration.solvers.tipping import _locate, _Sweep

HOCKEY = Economy(InverseCurve(), HockeyStickCurve())
BASE = Parameters.symmetric(tau_g=1.1, tau_s=2.0, gamma=0.5)


@pytest.fixture(scope="module")
def services_boundary():
    boundaries = find_tipping_points(HOCKEY, BASE, "tau_s", 1.2, 2.0, grid=17)
    services = [boundary for boundary in boundaries if boundary.threshold == "t_N"]
    assert len(services) == 1
    return services[0]


def test_south_starts_exporting_services(services_boundary):
    assert solve_equilibrium(HOCKEY, BASE).trade_flows.south_services == 0.0
    boundary = services_boundary
    assert 1.2 < boundary.value < 2.0
    assert boundary.corner == 1.0
    assert boundary.regime_above.t_N is Position.UPPER
    assert boundary.regime_below.t_N is Position.INTERIOR
    below = solve_equilibrium(HOCKEY, Parameters.symmetric(1.1, boundary.value * (1 - 1e-6)))
    above = solve_equilibrium(HOCKEY, Parameters.symmetric(1.1, boundary.value * (1 + 1e-6)))
    assert below.trade_flows.south_services > 0.0
    assert above.trade_flows.south_services == 0.0


def test_boundary_condition_closed_form(services_boundary):
    # t_N leaves 1 where omega = tau_s S(1), and S(1) = h for the hockey stick.
    equilibrium = solve_equilibrium(HOCKEY, Parameters.symmetric(1.1, services_boundary.value))
    assert equilibrium.omega == pytest.approx(services_boundary.value * 1.05, rel=1e-12)


def test_south_exports_rise_faster_below_tipping_point(services_boundary):
    # Figure 5.4's asymmetry: cutting tau_s below the tipping point raises South's
    # service exports far more than North's, and omega falls.
    value = services_boundary.value
    high = solve_equilibrium(HOCKEY, Parameters.symmetric(1.1, value))
    low = solve_equilibrium(HOCKEY, Parameters.symmetric(1.1, value - 0.1))
    south_gain = low.trade_flows.south_services - high.trade_flows.south_services
    north_gain = low.trade_flows.north_services - high.trade_flows.north_services
    assert south_gain > 5 * north_gain > 0.0
    assert low.omega < high.omega


def test_eaton_kortum_services_never_tip():
    economy = Economy(InverseCurve(), EatonKortumCurve(2.0, 4.0))
    boundaries = find_tipping_points(economy, BASE, "tau_s", 1.0, 3.0, grid=9)
    # The logistic inverse lies strictly inside (0, 1), so no service threshold can tip.
    assert all(boundary.threshold.startswith("z") for boundary in boundaries)


def test_boundaries_sorted_and_consistent():
    boundaries = find_tipping_points(HOCKEY, BASE, "tau_s", 1.0, 2.0, grid=33)
    values = [boundary.value for boundary in boundaries]
    assert values == sorted(values)
    compiled = compile_economy(HOCKEY)
    for boundary in boundaries:
        params = Parameters.symmetric(1.1, boundary.value)
        equilibrium = solve_equilibrium(HOCKEY, params)
        theta = compiled.theta(HOCKEY, params)
        gap = float(compiled.corner_gap(boundary.threshold, boundary.corner, np.float64(equilibrium.omega), theta))
        assert abs(gap) < 1e-9
        assert boundary.regime_below != boundary.regime_above


def test_other_parameters_tip():
    boundaries = find_tipping_points(HOCKEY, BASE, "tau_s_sn", 1.2, 2.0, grid=9)
    assert [boundary.threshold for boundary in boundaries] == ["t_N"]
    # Only South's selling cost moves, so the tipping value differs from the common-cost one.
    common = find_tipping_points(HOCKEY, BASE, "tau_s", 1.2, 2.0, grid=9)
    assert boundaries[0].value != pytest.approx(common[0].value, rel=1e-6)


def test_invalid_intervals_raise():
    with pytest.raises(InvalidParameterError, match="upper"):
        find_tipping_points(HOCKEY, BASE, "tau_s", 2.0, 1.5)
    with pytest.raises(InvalidParameterError, match="domain"):
        find_tipping_points(HOCKEY, BASE, "tau_s", 0.5, 1.5)
    with pytest.raises(InvalidParameterError, match="domain"):
        find_tipping_points(HOCKEY, BASE, "gamma", 0.5, 1.5)
    with pytest.raises(InvalidParameterError, match="lower"):
        find_tipping_points(HOCKEY, BASE, "tau_s", float("nan"), 1.5)
    with pytest.raises(InvalidParameterError, match="parameter"):
        find_tipping_points(HOCKEY, BASE, "sigma", 1.0, 1.5)
    with pytest.raises(InvalidParameterError, match="grid"):
        find_tipping_points(HOCKEY, BASE, "tau_s", 1.0, 1.5, grid=1)


def test_locate_without_sign_change_raises():
    compiled = compile_economy(HOCKEY)
    sweep = _Sweep(compiled, np.asarray(compiled.theta(HOCKEY, BASE)), "tau_s")
    # t_N stays at 1 on [1.8, 2.0], so its corner gap keeps one sign.
    with pytest.raises(SolverError, match="same sign"):
        _locate(sweep, "t_N", 1.0, 1.8, 2.0)


DEFAULT_ECONOMY = Economy(InverseCurve(), PowerCurve())


@pytest.mark.parametrize("upper", [3.0, 1e6, 1e308])
def test_wide_cost_range_finds_one_boundary(upper):
    # The scan is geometric in tau_s, so [1, 1e308] resolves the boundary near 1.7
    # and the service threshold t_S, which only approaches 0, is no boundary.
    boundaries = find_tipping_points(DEFAULT_ECONOMY, Parameters(), "tau_s", 1.0, upper)
    assert [boundary.threshold for boundary in boundaries] == ["t_N"]
    assert boundaries[0].value == pytest.approx(1.704902776, rel=1e-9)
    assert boundaries[0].regime_below.t_N is Position.INTERIOR
    assert boundaries[0].regime_above.t_N is Position.UPPER


def test_uncomputable_range_is_rejected():
    with pytest.raises(SolverError, match="labour_ratio=1e-09 cannot be computed"):
        find_tipping_points(DEFAULT_ECONOMY, Parameters(), "labour_ratio", 1e-9, 1e9)


def test_wide_labour_ratio_range_scans():
    boundaries = find_tipping_points(DEFAULT_ECONOMY, Parameters.symmetric(1.5, 1.5), "labour_ratio", 1e-3, 1e3)
    for boundary in boundaries:
        assert 1e-3 < boundary.value < 1e3
        assert boundary.regime_below != boundary.regime_above
