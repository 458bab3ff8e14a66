"""Tests of the equilibrium solver: closed forms, invariants, failures and JAX transformations."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    TabulatedCurve,
)
from telemigration.solvers import SolveStatus, equilibrium_kernel, solve_batch, solve_equilibrium
from telemigration.solvers.equilibrium import CORNER_TOLERANCE

FREE_TRADE = Economy(InverseCurve(), PowerCurve(1.0, 0.5))


def _real_cubic_root(gamma: float) -> float:
    roots = np.roots([1.0, -gamma, -1.0, -(1.0 - gamma)])
    positive = roots[(np.abs(roots.imag) < 1e-12) & (roots.real > 0.0)].real
    assert positive.size == 1
    return float(positive[0])


def test_free_trade_cubic_at_one_half():
    equilibrium = solve_equilibrium(FREE_TRADE, Parameters())
    # Footnote 15: 2 omega^3 - omega^2 - 2 omega - 1 = 0 has one real root, printed as
    # 1.43757. mpmath.polyroots at 30 digits gives 1.437564897081389412986985297,
    # which rounds to 1.43756, so the printed value is one unit high in its last digit.
    assert equilibrium.omega == pytest.approx(1.437564897081389412986985297, rel=1e-14)
    assert equilibrium.omega == pytest.approx(1.43757, abs=1e-5)
    assert equilibrium.omega == pytest.approx(_real_cubic_root(0.5), rel=1e-13)
    assert equilibrium.status is SolveStatus.SUCCESS


@pytest.mark.parametrize("gamma", [0.0, 0.2, 0.7, 1.0])
def test_free_trade_cubic_for_gamma(gamma):
    equilibrium = solve_equilibrium(FREE_TRADE, Parameters(gamma=gamma))
    assert equilibrium.omega == pytest.approx(_real_cubic_root(gamma), rel=1e-13)


def test_free_trade_golden_ratio_goods_only():
    equilibrium = solve_equilibrium(FREE_TRADE, Parameters(gamma=1.0))
    assert equilibrium.omega == pytest.approx((1 + np.sqrt(5)) / 2, rel=1e-14)


@pytest.mark.parametrize("tau", [1.0, 1.1, 1.5, 2.5])
def test_goods_only_closed_form(tau):
    # gamma = 1, A = 1/z, B(z) = z, L = L*: tau z^2 + tau^2 z - 1 = 0 and omega = 1/(tau z_S).
    z_S = (-(tau**2) + np.sqrt(tau**4 + 4 * tau)) / (2 * tau)
    equilibrium = solve_equilibrium(FREE_TRADE, Parameters.symmetric(tau_g=tau, tau_s=1.3, gamma=1.0))
    assert equilibrium.omega == pytest.approx(1 / (tau * z_S), rel=1e-13)
    assert equilibrium.thresholds.z_S == pytest.approx(z_S, rel=1e-13)
    assert equilibrium.thresholds.z_N == pytest.approx(min(1.0, tau**2 * z_S), rel=1e-13)


def test_equation_three_when_south_sells_no_services():
    # With t_N = 1, omega = [gamma z_S + (1 - gamma) t_S] / [gamma (1 - z_N)] (equation (3)).
    economy = Economy(InverseCurve(), HockeyStickCurve())
    equilibrium = solve_equilibrium(economy, Parameters.symmetric(tau_g=1.1, tau_s=2.0))
    thresholds = equilibrium.thresholds
    assert thresholds.t_N == 1.0
    assert equilibrium.regime.t_N is Position.UPPER
    expected = (0.5 * thresholds.z_S + 0.5 * thresholds.t_S) / (0.5 * (1 - thresholds.z_N))
    assert equilibrium.omega == pytest.approx(expected, rel=1e-12)


SERVICES = st.sampled_from(["power", "ek", "hockey"])


def _services_curve(kind: str, first: float, second: float):
    if kind == "power":
        return PowerCurve(0.5 + first, 0.2 + second)
    if kind == "ek":
        return EatonKortumCurve(0.5 + 2 * first, 1.0 + 5 * second)
    return HockeyStickCurve(1.0 + 0.2 * first, 0.02 + 0.1 * second, 0.05 + 0.2 * first, 10.0 + 20 * second)


CALIBRATIONS = st.tuples(
    SERVICES,
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(1.0, 3.0),
    st.floats(1.0, 3.0),
    st.floats(1.0, 3.0),
    st.floats(1.0, 3.0),
    st.floats(0.0, 1.0),
    st.floats(0.2, 5.0),
)


def _calibration(values):
    kind, first, second, *scalars = values
    return Economy(InverseCurve(), _services_curve(kind, first, second)), Parameters(*scalars)


@settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CALIBRATIONS)
def test_invariants_over_random_calibrations(values):
    economy, params = _calibration(values)
    equilibrium = solve_equilibrium(economy, params)
    thresholds = equilibrium.thresholds
    flows = equilibrium.trade_flows
    for value in thresholds.to_dict().values():
        assert 0.0 <= value <= 1.0
    assert thresholds.z_S <= thresholds.z_N
    assert thresholds.t_S <= thresholds.t_N
    scale = equilibrium.omega + params.labour_ratio
    assert abs(equilibrium.residual) <= 1e-12 * scale
    # Balanced trade is North's labour-market condition.
    exports = flows.north_goods + flows.north_services
    imports = flows.south_goods + flows.south_services
    assert exports == pytest.approx(imports, rel=1e-10, abs=1e-12)


@settings(derandomize=True, max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CALIBRATIONS, st.floats(1.05, 2.0))
def test_omega_rises_in_labour_ratio(values, factor):
    economy, params = _calibration(values)
    low = solve_equilibrium(economy, params).omega
    high = solve_equilibrium(economy, params.with_value("labour_ratio", params.labour_ratio * factor)).omega
    assert high >= low


def test_regime_corner_tolerance():
    economy = Economy(InverseCurve(), HockeyStickCurve())
    # omega = tau_s S(1) = 1.05 tau_s at the tipping point; just below that omega, t_N = 1.
    equilibrium = solve_equilibrium(economy, Parameters.symmetric(tau_g=1.1, tau_s=2.0))
    assert equilibrium.regime.t_N is Position.UPPER
    assert equilibrium.regime.t_S is Position.INTERIOR
    assert CORNER_TOLERANCE < 1e-6


def test_kernel_jit_vmap_and_grad():
    economy = Economy(InverseCurve(), HockeyStickCurve())
    kernel = equilibrium_kernel(economy)
    base = kernel.theta(economy, Parameters.symmetric(1.1, 1.3))
    index = kernel.names.index("tau_s_sn")
    thetas = jnp.stack([base.at[index].set(value) for value in (1.1, 1.3, 1.8)])
    batched = jax.jit(jax.vmap(kernel))(thetas)
    for theta, omega in zip(thetas, batched):
        expected = solve_equilibrium(economy, Parameters(*np.asarray(theta[:6]).tolist())).omega
        assert float(omega) == pytest.approx(expected, rel=1e-13)
    gradient = jax.jit(jax.grad(kernel))(base)
    assert gradient.dtype == jnp.float64
    assert np.all(np.isfinite(np.asarray(gradient)))


def test_batch_matches_single_solves():
    economy = Economy(InverseCurve(), HockeyStickCurve())
    taus = np.array([1.05, 1.3, 1.7, 2.0])
    result = solve_batch(economy, {"tau_s": taus, "gamma": 0.4}, base=Parameters.symmetric(1.1), with_gradient=True)
    for index, tau in enumerate(taus):
        params = Parameters.symmetric(1.1, float(tau), gamma=0.4)
        equilibrium = solve_equilibrium(economy, params)
        assert float(result["omega"][index]) == pytest.approx(equilibrium.omega, rel=1e-13)
        assert float(result["t_N"][index]) == pytest.approx(equilibrium.thresholds.t_N, rel=1e-12)
        assert int(result["status"][index]) == 0
    assert np.all(np.isfinite(np.asarray(result["domega_dtau_s"])))


def test_batch_rejects_bad_input():
    with pytest.raises(InvalidParameterError, match="tau_s"):
        solve_batch(FREE_TRADE, {"tau_s": np.array([0.5, 1.2])})
    with pytest.raises(InvalidParameterError, match="params_arrays"):
        solve_batch(FREE_TRADE, {"sigma": np.array([2.0])})
    with pytest.raises(InvalidParameterError, match="equal lengths"):
        solve_batch(FREE_TRADE, {"tau_s": np.ones(3), "gamma": np.full(2, 0.5)})


def test_forced_failure_raises_with_residual():
    with pytest.raises(SolverError, match="max_steps") as caught:
        solve_equilibrium(FREE_TRADE, Parameters.symmetric(1.2, 1.4), max_steps=2)
    assert caught.value.residual is not None
    assert caught.value.residual != 0.0


def test_forced_failure_flagged_without_throw():
    equilibrium = solve_equilibrium(FREE_TRADE, Parameters.symmetric(1.2, 1.4), max_steps=2, throw=False)
    assert equilibrium.status is SolveStatus.MAX_STEPS_REACHED
    numbers = [equilibrium.omega, equilibrium.residual, *equilibrium.thresholds.to_dict().values()]
    numbers += list(equilibrium.trade_flows.to_dict().values())
    assert np.all(np.isfinite(numbers))
    assert "max_steps" in equilibrium.message


def test_no_sign_change_reported():
    # With c = 1e-20 both inverses are near 0 even at omega = e^-25, so F > 0 on the whole bracket.
    economy = Economy(PowerCurve(1e-20, 0.5), PowerCurve(1e-20, 0.5))
    with pytest.raises(SolverError, match="same sign"):
        solve_equilibrium(economy, Parameters())
    flagged = solve_equilibrium(economy, Parameters(), throw=False)
    assert flagged.status is SolveStatus.NO_SIGN_CHANGE
    assert np.isfinite(flagged.omega)


def test_bad_inputs_raise_typed_errors():
    with pytest.raises(InvalidParameterError, match="params"):
        solve_equilibrium(FREE_TRADE, {"gamma": 0.5})
    with pytest.raises(InvalidParameterError, match="economy"):
        solve_equilibrium("inverse", Parameters())
    with pytest.raises(InvalidParameterError, match="rtol"):
        solve_equilibrium(FREE_TRADE, Parameters(), rtol=-1.0)
    with pytest.raises(InvalidParameterError, match="max_steps"):
        solve_equilibrium(FREE_TRADE, Parameters(), max_steps=0)
    with pytest.raises(InvalidParameterError, match="tau_s_sn"):
        Parameters(tau_s_sn=0.9)


def test_result_is_immutable():
    equilibrium = solve_equilibrium(FREE_TRADE, Parameters())
    with pytest.raises(dataclasses.FrozenInstanceError):
        equilibrium.omega = 2.0  # type: ignore[misc]


def test_tabulated_economy_dispatched():
    tabulated = pytest.importorskip("telemigration.solvers.tabulated")
    economy = Economy(TabulatedCurve((4.0, 3.0, 2.0, 1.0), (1.0, 1.0, 1.0, 1.0)), PowerCurve())
    params = Parameters.symmetric(1.2, 1.3)
    assert solve_equilibrium(economy, params) == tabulated.solve_tabulated(economy, params)


def test_batch_rejects_unbalanced_trade():
    # At common costs of 1e6 trade is far too thin to pin omega: the root finder
    # converges, but solve_equilibrium rejects the root, and so must the batch.
    economy = Economy(InverseCurve(), PowerCurve())
    single = solve_equilibrium(economy, Parameters.symmetric(1e6, 1e6), throw=False)
    assert single.status is SolveStatus.RESIDUAL_TOO_LARGE
    costs = np.array([1.2, 1e6])
    result = solve_batch(economy, {"tau_g": costs, "tau_s": costs}, throw=False)
    status = np.asarray(result["status"])
    assert status[0] == 0
    assert status[1] != 0
    with pytest.raises(SolverError, match="1 of 2 equilibria failed; the first at index 1"):
        solve_batch(economy, {"tau_g": costs, "tau_s": costs})
