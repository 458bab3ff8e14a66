"""Tests of the SymPy-to-JAX bridge: compiled thresholds, residual, numeric inverse and cache."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import telemigration.solvers  # noqa: F401  (switches JAX to float64)
from telemigration.errors import InvalidCurveError
from telemigration.models import (
    EatonKortumCurve,
    Economy,
    ExpressionCurve,
    HockeyStickCurve,
    InverseCurve,
    Parameters,
    Position,
    PowerCurve,
    Regime,
    TabulatedCurve,
)
from telemigration.models import symbols as sym
from telemigration.models.system import reduced_condition
from telemigration.solvers.bridge import clamp_unit, compile_economy

SERVICES_CURVES = [PowerCurve(1.2, 0.7), EatonKortumCurve(2.0, 4.0), HockeyStickCurve()]
PARAMS = Parameters(1.2, 1.3, 1.5, 1.4, 0.4, 1.7)

u = sp.Symbol("u", positive=True)
a = sp.Symbol("a", positive=True)
# sympy.solve finds no closed-form inverse of this curve, so the bridge inverts it numerically.
NO_CLOSED_FORM = ExpressionCurve(expr=1 / u + a * (1 - u) ** 3 + sp.exp(-u), index=u, parameters=(("a", 0.3),))


def _f64(value):
    return jnp.asarray(value, dtype=jnp.float64)


@pytest.mark.parametrize("curve", SERVICES_CURVES, ids=lambda c: c.family)
def test_thresholds_match_numpy_inverse(curve):
    economy = Economy(InverseCurve(), curve)
    compiled = compile_economy(economy)
    theta = compiled.theta(economy, PARAMS)
    for omega in (0.3, 0.9, 1.4, 3.0):
        omega_array = _f64(omega)
        t_S = float(compiled.unclamped_threshold("t_S", omega_array, theta))
        t_N = float(compiled.unclamped_threshold("t_N", omega_array, theta))
        np.testing.assert_allclose(t_S, curve.evaluate_inverse(PARAMS.tau_s_ns * omega), rtol=1e-13)
        np.testing.assert_allclose(t_N, curve.evaluate_inverse(omega / PARAMS.tau_s_sn), rtol=1e-13)
        z_S = float(compiled.unclamped_threshold("z_S", omega_array, theta))
        assert z_S == pytest.approx(1.0 / (PARAMS.tau_g_ns * omega), rel=1e-14)


@pytest.mark.parametrize("curve", SERVICES_CURVES, ids=lambda c: c.family)
def test_residual_matches_sympy_reduced_condition(curve):
    economy = Economy(InverseCurve(), curve)
    compiled = compile_economy(economy)
    theta = compiled.theta(economy, PARAMS)
    regime = Regime(Position.INTERIOR, Position.UPPER, Position.INTERIOR, Position.INTERIOR)
    expression = reduced_condition(economy, regime)
    values = {sym.PARAMETER_SYMBOLS[name]: value for name, value in zip(sym.PARAMETER_SYMBOLS, PARAMS.as_tuple())}
    values.update(zip(curve.parameter_symbols("S"), curve.parameter_values()))
    for omega in (0.8, 1.3, 2.1):
        expected = float(expression.subs(values).subs(sym.omega, omega).evalf(30))
        actual = float(compiled.residual(_f64(omega), theta, regime))
        assert actual == pytest.approx(expected, rel=1e-12, abs=1e-14)


def test_curve_parameter_gradient_matches_finite_difference():
    economy = Economy(InverseCurve(), PowerCurve(1.2, 0.7))
    compiled = compile_economy(economy)
    theta = compiled.theta(economy, PARAMS)
    index = compiled.parameter_names.index("services.alpha")
    omega = _f64(1.3)
    gradient = jax.grad(lambda th: compiled.unclamped_threshold("t_N", omega, th))(theta)
    step = 1e-6
    shifted = [theta.at[index].add(sign * step) for sign in (1.0, -1.0)]
    values = [float(compiled.unclamped_threshold("t_N", omega, th)) for th in shifted]
    assert float(gradient[index]) == pytest.approx((values[0] - values[1]) / (2 * step), rel=1e-8)


def test_hockey_stick_gradient_finite_in_both_branches():
    economy = Economy(InverseCurve(), HockeyStickCurve())
    compiled = compile_economy(economy)
    theta = compiled.theta(economy, PARAMS)
    kink_ratio = 1.05 * np.exp(0.05 * 0.9)  # S(t_b), where the blade meets the handle
    for ratio in (0.5, 1.0, kink_ratio, 1.5, 20.0):
        omega = _f64(ratio * PARAMS.tau_s_sn)
        value_gradient = jax.grad(lambda w, th: compiled.unclamped_threshold("t_N", w, th), argnums=(0, 1))
        d_omega, d_theta = value_gradient(omega, theta)
        assert np.isfinite(float(d_omega))
        assert np.all(np.isfinite(np.asarray(d_theta)))


def test_numeric_inverse_matches_brentq():
    economy = Economy(InverseCurve(), NO_CLOSED_FORM)
    compiled = compile_economy(economy)
    assert compiled.closed_form == {"z_S": True, "z_N": True, "t_S": False, "t_N": False}
    theta = compiled.theta(economy, PARAMS)
    curve = lambda t: 1 / t + 0.3 * (1 - t) ** 3 + np.exp(-t)  # noqa: E731
    for omega in (1.0, 1.5, 2.5):
        ratio = PARAMS.tau_s_ns * omega
        expected = optimize.brentq(lambda t: curve(t) - ratio, 1e-9, 1.0, xtol=1e-15)
        actual = float(compiled.unclamped_threshold("t_S", _f64(omega), theta))
        assert actual == pytest.approx(expected, rel=1e-12)


def test_numeric_inverse_gradient_is_implicit():
    economy = Economy(InverseCurve(), NO_CLOSED_FORM)
    compiled = compile_economy(economy)
    theta = compiled.theta(economy, PARAMS)
    omega = _f64(1.5)
    t = float(compiled.unclamped_threshold("t_S", omega, theta))
    # d t / d omega = tau_s^NS / S'(t), from differentiating S(t) = tau_s^NS omega.
    slope = -1 / t**2 - 3 * 0.3 * (1 - t) ** 2 - np.exp(-t)
    gradient = float(jax.grad(lambda w: compiled.unclamped_threshold("t_S", w, theta))(omega))
    assert gradient == pytest.approx(PARAMS.tau_s_ns / slope, rel=1e-9)


def test_numeric_inverse_snaps_to_corner():
    economy = Economy(InverseCurve(), NO_CLOSED_FORM)
    compiled = compile_economy(economy)
    theta = compiled.theta(economy, PARAMS)
    # S(1) = 1 + e^-1 = 1.37, so a smaller cost ratio leaves t_N at 1.
    low_ratio = _f64(0.5 * PARAMS.tau_s_sn)
    assert float(compiled.unclamped_threshold("t_N", low_ratio, theta)) == 1.0
    assert float(compiled.corner_gap("t_N", 1.0, low_ratio, theta)) > 0.0


def test_cache_shared_across_parameter_values():
    first = compile_economy(Economy(InverseCurve(), PowerCurve(1.0, 0.5)))
    second = compile_economy(Economy(InverseCurve(), PowerCurve(2.0, 0.3)))
    third = compile_economy(Economy(InverseCurve(), EatonKortumCurve()))
    assert first is second
    assert first is not third


def test_theta_order_and_values():
    economy = Economy(PowerCurve(1.1, 0.9), HockeyStickCurve())
    compiled = compile_economy(economy)
    assert compiled.parameter_names == (
        "tau_g_ns", "tau_g_sn", "tau_s_ns", "tau_s_sn", "gamma", "labour_ratio",
        "goods.c", "goods.alpha", "services.h", "services.eps", "services.t_b", "services.beta",
    )
    theta = np.asarray(compiled.theta(economy, PARAMS))
    np.testing.assert_array_equal(theta, np.array(PARAMS.as_tuple() + (1.1, 0.9, 1.05, 0.05, 0.1, 20.0)))
    assert theta.dtype == np.float64


def test_clamp_gradient_at_tie_is_one():
    assert float(jax.grad(clamp_unit)(_f64(1.0))) == 1.0
    assert float(jax.grad(clamp_unit)(_f64(0.0))) == 1.0
    assert float(jax.grad(clamp_unit)(_f64(1.5))) == 0.0


def test_tabulated_curve_rejected():
    table = TabulatedCurve((3.0, 2.0, 1.0), (1.0, 1.0, 1.0))
    with pytest.raises(InvalidCurveError, match="solve_tabulated"):
        compile_economy(Economy(table, PowerCurve()))
