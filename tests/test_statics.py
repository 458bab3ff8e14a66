"""Tests of comparative statics: autodiff against finite differences, the implicit function theorem and closed forms."""

import json

import numpy as np
import pytest
import sympy as sp

import telemigration.solvers  # noqa: F401  (switches JAX to float64)
from telemigration.errors import InvalidCurveError, InvalidParameterError
from telemigration.models import (
    EatonKortumCurve,
    Economy,
    HockeyStickCurve,
    InverseCurve,
    Parameters,
    PowerCurve,
    TabulatedCurve,
)
from telemigration.solvers import (
    Derivative,
    comparative_statics,
    find_tipping_points,
    finite_difference_derivative,
    implicit_derivative_numeric,
    solve_equilibrium,
)
from telemigration.solvers.statics import OUTPUTS, parameter_names

HOCKEY = Economy(InverseCurve(), HockeyStickCurve())

# Calibrations across curve families and regimes. "corner" cases have a threshold
# at a corner well away from its boundary.
CASES = {
    "inverse-power-interior": (Economy(InverseCurve(), PowerCurve(1.0, 0.5)), Parameters(1.2, 1.3, 1.4, 1.5, 0.5, 1.2)),
    "power-ek-interior": (Economy(PowerCurve(1.0, 0.8), EatonKortumCurve(2.0, 4.0)), Parameters(1.1, 1.2, 1.3, 1.6, 0.3, 0.8)),
    "hockey-interior": (HOCKEY, Parameters.symmetric(1.1, 1.3)),
    "hockey-no-south-services": (HOCKEY, Parameters.symmetric(1.1, 2.0, gamma=0.6)),
    "inverse-z_N-corner": (Economy(InverseCurve(), PowerCurve(1.0, 0.5)), Parameters.symmetric(1.6, 1.0, gamma=0.5)),
}

# Central differences with a step of cbrt(eps) are accurate to about 1e-10 here, so
# 1e-7 relative leaves room for curvature without hiding a wrong derivative.
RTOL = 1e-7
ATOL = 1e-9


@pytest.mark.parametrize("case", CASES, ids=str)
def test_autodiff_matches_finite_differences(case):
    economy, params = CASES[case]
    statics = comparative_statics(economy, params)
    for parameter in parameter_names(economy):
        for output in OUTPUTS:
            derivative = statics.derivative(output, parameter)
            assert not derivative.at_boundary
            expected = finite_difference_derivative(economy, params, output, parameter)
            assert derivative.value == pytest.approx(expected, rel=RTOL, abs=ATOL), (output, parameter)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_autodiff_matches_implicit_function_theorem(case):
    economy, params = CASES[case]
    statics = comparative_statics(economy, params)
    implicit = implicit_derivative_numeric(economy, params, statics.equilibrium.regime)
    assert set(implicit) == set(parameter_names(economy))
    for parameter, value in implicit.items():
        assert statics.derivative("omega", parameter).value == pytest.approx(value, rel=1e-10, abs=1e-13)


def test_goods_only_closed_form_derivative():
    # gamma = 1, A = 1/z: omega(tau) = 1/(tau z_S(tau)) with tau z^2 + tau^2 z - 1 = 0.
    tau = sp.Symbol("tau", positive=True)
    z_S = (-(tau**2) + sp.sqrt(tau**4 + 4 * tau)) / (2 * tau)
    omega = 1 / (tau * z_S)
    economy = Economy(InverseCurve(), PowerCurve())
    for value in (1.1, 1.4, 2.0):
        statics = comparative_statics(economy, Parameters.symmetric(value, 1.2, gamma=1.0))
        expected_omega = float(sp.diff(omega, tau).subs(tau, value))
        expected_z_S = float(sp.diff(z_S, tau).subs(tau, value))
        assert statics.derivative("omega", "tau_g").value == pytest.approx(expected_omega, rel=1e-11)
        assert statics.derivative("z_S", "tau_g").value == pytest.approx(expected_z_S, rel=1e-11)
        elasticity = statics.elasticity("omega", "tau_g").value
        assert elasticity == pytest.approx(expected_omega * value / float(omega.subs(tau, value)), rel=1e-11)


def test_common_cost_is_sum_of_directions():
    economy, params = CASES["power-ek-interior"]
    statics = comparative_statics(economy, params)
    for output in OUTPUTS:
        both = statics.derivative(output, "tau_s").value
        parts = statics.derivative(output, "tau_s_ns").value + statics.derivative(output, "tau_s_sn").value
        assert both == pytest.approx(parts, rel=1e-12, abs=1e-15)


def test_omega_rises_with_labour_ratio():
    for economy, params in CASES.values():
        assert comparative_statics(economy, params).derivative("omega", "labour_ratio").value > 0.0


@pytest.fixture(scope="module")
def tipping_value():
    boundaries = find_tipping_points(HOCKEY, Parameters.symmetric(1.1, 2.0), "tau_s", 1.2, 2.0, grid=9)
    (boundary,) = [b for b in boundaries if b.threshold == "t_N"]
    return boundary.value


def test_one_sided_derivatives_at_tipping_point(tipping_value):
    params = Parameters.symmetric(1.1, tipping_value)
    statics = comparative_statics(HOCKEY, params)
    for parameter in ("tau_s", "tau_s_sn", "gamma", "labour_ratio", "services.h"):
        for output in OUTPUTS:
            derivative = statics.derivative(output, parameter)
            assert derivative.at_boundary
            assert np.isfinite(derivative.left)
            assert np.isfinite(derivative.right)
            left = finite_difference_derivative(HOCKEY, params, output, parameter, side="left")
            right = finite_difference_derivative(HOCKEY, params, output, parameter, side="right")
            assert derivative.left == pytest.approx(left, rel=1e-6, abs=1e-8), (output, parameter, "left")
            assert derivative.right == pytest.approx(right, rel=1e-6, abs=1e-8), (output, parameter, "right")


def test_tipping_point_sides_differ(tipping_value):
    statics = comparative_statics(HOCKEY, Parameters.symmetric(1.1, tipping_value))
    south_services = statics.derivative("south_services", "tau_s")
    # Below the tipping point South's service exports fall as tau_s rises; above it they are 0.
    assert south_services.left < 0.0
    assert south_services.right == 0.0
    with pytest.raises(ValueError, match="t_N reaches 1"):
        south_services.value
    assert south_services.to_json() == {"left": south_services.left, "right": 0.0}
    json.dumps(statics.to_dict())


@pytest.mark.parametrize("offset", [-1e-7, 1e-7])
def test_next_to_tipping_point_is_smooth(tipping_value, offset):
    value = tipping_value + offset
    params = Parameters.symmetric(1.1, value)
    side = "left" if offset < 0 else "right"
    statics = comparative_statics(HOCKEY, params)
    for output in ("omega", "t_N", "south_services"):
        derivative = statics.derivative(output, "tau_s")
        assert not derivative.at_boundary
        # A one-sided difference that points away from the kink stays in one regime.
        expected = finite_difference_derivative(HOCKEY, params, output, "tau_s", side=side)
        assert derivative.value == pytest.approx(expected, rel=1e-6, abs=1e-8)


def test_elasticity_of_zero_output_raises():
    statics = comparative_statics(HOCKEY, Parameters.symmetric(1.1, 2.0))
    assert statics.values["south_services"] == 0.0
    with pytest.raises(InvalidParameterError, match="south_services"):
        statics.elasticity("south_services", "tau_s")


def test_elasticity_definition():
    economy, params = CASES["inverse-power-interior"]
    statics = comparative_statics(economy, params)
    for output in OUTPUTS:
        level = statics.values[output]
        elasticity = statics.elasticity(output, "gamma").value
        assert elasticity == pytest.approx(params.gamma / level * statics.derivative(output, "gamma").value)


def test_derivative_value_and_json():
    smooth = Derivative(0.5, 0.5, False)
    assert smooth.value == 0.5
    assert smooth.to_json() == 0.5
    kink = Derivative(1.0, 0.0, True, "t_N reaches 1")
    assert kink.to_json() == {"left": 1.0, "right": 0.0}
    with pytest.raises(ValueError, match="left 1"):
        kink.value


def test_finite_difference_stays_in_domain():
    economy = Economy(InverseCurve(), PowerCurve())
    params = Parameters.symmetric(1.0, 1.0)
    # A central difference at tau = 1 would need tau < 1; it becomes a right difference.
    central = finite_difference_derivative(economy, params, "omega", "tau_s")
    right = finite_difference_derivative(economy, params, "omega", "tau_s", side="right")
    assert central == right
    with pytest.raises(InvalidParameterError, match="left difference"):
        finite_difference_derivative(economy, params, "omega", "tau_s", side="left")


def test_bad_names_raise():
    economy, params = CASES["inverse-power-interior"]
    with pytest.raises(InvalidParameterError, match="parameter"):
        comparative_statics(economy, params, with_respect_to=("sigma",))
    with pytest.raises(InvalidParameterError, match="output"):
        comparative_statics(economy, params, outputs=("wage",))
    statics = comparative_statics(economy, params, outputs=("omega",), with_respect_to=("tau_g",))
    with pytest.raises(InvalidParameterError, match="z_S"):
        statics.derivative("z_S", "tau_g")
    with pytest.raises(InvalidParameterError, match="side"):
        finite_difference_derivative(economy, params, "omega", "tau_g", side="both")
    with pytest.raises(InvalidParameterError, match="step"):
        finite_difference_derivative(economy, params, "omega", "tau_g", step=-1.0)


def test_tabulated_economy_rejected():
    economy = Economy(TabulatedCurve((3.0, 2.0, 1.0), (1.0, 1.0, 1.0)), PowerCurve())
    with pytest.raises(InvalidCurveError, match="tabulated_statics"):
        comparative_statics(economy, Parameters())


def test_statics_equilibrium_is_the_solve():
    economy, params = CASES["hockey-interior"]
    statics = comparative_statics(economy, params)
    assert statics.equilibrium == solve_equilibrium(economy, params)
    assert statics.values["omega"] == statics.equilibrium.omega


# At tau_g = 1.1 this tau_s puts t_S exactly at the hockey stick's kink t_b = 0.1,
# where ln S changes slope from -(eps + beta) to -eps.
KINK_PARAMS = Parameters.symmetric(tau_g=1.1, tau_s=1.0013314119544432)


def test_hockey_stick_exposes_its_kink():
    assert HockeyStickCurve(t_b=0.3).kink_points() == (0.3,)
    assert InverseCurve().kink_points() == ()


def test_threshold_at_curve_kink_is_one_sided():
    statics = comparative_statics(HOCKEY, KINK_PARAMS, with_respect_to=("tau_s", "tau_g_sn", "gamma"))
    assert statics.equilibrium.thresholds.t_S == pytest.approx(0.1, abs=1e-12)
    derivative = statics.derivative("omega", "tau_s")
    assert derivative.at_boundary
    assert "kink 0.1 of the services curve" in derivative.kink
    assert isinstance(derivative.to_json(), dict)
    for parameter in ("tau_s", "gamma"):
        derivative = statics.derivative("omega", parameter)
        for side in ("left", "right"):
            expected = finite_difference_derivative(HOCKEY, KINK_PARAMS, "omega", parameter, side=side)
            assert getattr(derivative, side) == pytest.approx(expected, rel=1e-6)
    # Both sides differ by a factor of about 20 in tau_s: the blade against the handle.
    assert statics.derivative("omega", "tau_s").right > 10.0 * statics.derivative("omega", "tau_s").left
    # z_N sits at 1 on both sides, so South's goods cost has no effect, exactly.
    assert statics.derivative("omega", "tau_g_sn").to_json() == 0.0


def test_elasticity_at_curve_kink_is_one_sided():
    statics = comparative_statics(HOCKEY, KINK_PARAMS, with_respect_to=("tau_s",))
    derivative = statics.derivative("omega", "tau_s")
    elasticity = statics.elasticity("omega", "tau_s")
    scale = 1.0013314119544432 / statics.values["omega"]
    assert elasticity.left == pytest.approx(derivative.left * scale, rel=1e-6)
    assert elasticity.right == pytest.approx(derivative.right * scale, rel=1e-6)
