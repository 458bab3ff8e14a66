"""Tests of SymPy's implicit-function derivatives of the DFS equilibrium."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import sympy as sp

from telemigration.derivations import closed_forms, dfs, implicit
from telemigration.errors import InvalidCurveError, InvalidParameterError, SolverError
from telemigration.models import symbols as sym
from telemigration.models.curves import EatonKortumCurve, HockeyStickCurve, InverseCurve, PowerCurve, TabulatedCurve
from telemigration.models.parameters import Parameters
from telemigration.models.regime import Position, Regime
from telemigration.models.system import Economy
from telemigration.solvers.equilibrium import solve_equilibrium

INTERIOR = Regime.interior()
NO_SOUTH_SERVICES = Regime(Position.INTERIOR, Position.INTERIOR, Position.INTERIOR, Position.UPPER)
ROOT_ECONOMY = Economy(InverseCurve(), PowerCurve(1.0, 0.5))


def _central(function, value: float, step: float = 1e-6) -> float:
    return (function(value + step) - function(value - step)) / (2 * step)


def test_goods_only_derivative_matches_closed_form():
    # gamma = 1, A = 1/z, B(z) = z, L = L*: omega(tau) = 1/(tau z_S(tau)).
    closed = sp.lambdify(sym.tau, dfs.goods_only_omega())
    for tau in (1.1, 1.4, 2.0):
        params = Parameters.symmetric(tau_g=tau, tau_s=1.0, gamma=1.0)
        derivative = implicit.implicit_derivative(ROOT_ECONOMY, INTERIOR, "tau_g").evaluate(params)
        assert derivative["omega"] == pytest.approx(_central(closed, tau), rel=1e-7)


def test_gamma_derivative_matches_free_trade_cubic():
    def root(gamma: float) -> float:
        return closed_forms.free_trade_root(sp.Rational(gamma).limit_denominator(10**9)).value

    params = Parameters.symmetric(gamma=0.5)
    derivative = implicit.implicit_derivative(ROOT_ECONOMY, INTERIOR, "gamma").evaluate(params)
    assert derivative["omega"] == pytest.approx(_central(root, 0.5, 1e-5), rel=1e-7)


def test_omega_root_matches_closed_form():
    for tau in (1.0, 1.3):
        params = Parameters.symmetric(tau_g=tau, tau_s=1.0, gamma=1.0)
        omega = implicit.solve_regime_omega(ROOT_ECONOMY, params, INTERIOR)
        assert float(omega) == pytest.approx(float(dfs.goods_only_omega().subs(sym.tau, tau)), rel=1e-25)


CASES = [
    (ROOT_ECONOMY, Parameters.symmetric(1.2, 1.3, 0.5, 1.0), INTERIOR),
    (ROOT_ECONOMY, Parameters(1.1, 1.3, 1.5, 1.2, gamma=0.6, labour_ratio=1.3), INTERIOR),
    (Economy(InverseCurve(), EatonKortumCurve(2.0, 4.0)), Parameters.symmetric(1.1, 2.0, 0.5, 1.0), INTERIOR),
    (Economy(InverseCurve(), HockeyStickCurve()), Parameters.symmetric(1.1, 2.0, 0.5, 1.0), NO_SOUTH_SERVICES),
    (Economy(InverseCurve(), HockeyStickCurve()), Parameters.symmetric(1.1, 1.2, 0.5, 1.0), INTERIOR),
]


@pytest.mark.parametrize("economy, params, regime", CASES)
def test_reduced_and_full_system_agree(economy, params, regime):
    for parameter in implicit.parameter_symbols(economy):
        reduced = implicit.implicit_derivative(economy, regime, parameter).evaluate(params)
        full = implicit.full_system_derivative(economy, params, regime, parameter)
        for name, value in reduced.items():
            assert value == pytest.approx(full[name], rel=1e-20, abs=1e-25), (parameter, name)


def test_common_cost_is_sum_of_directions():
    params = Parameters.symmetric(1.2, 1.3, 0.5, 1.0)
    common = implicit.implicit_derivative(ROOT_ECONOMY, INTERIOR, "tau_s").evaluate(params)["omega"]
    north = implicit.implicit_derivative(ROOT_ECONOMY, INTERIOR, "tau_s_ns").evaluate(params)["omega"]
    south = implicit.implicit_derivative(ROOT_ECONOMY, INTERIOR, "tau_s_sn").evaluate(params)["omega"]
    assert common == pytest.approx(north + south, rel=1e-14)


def test_corner_thresholds_do_not_move():
    params = Parameters.symmetric(1.1, 2.0, 0.5, 1.0)
    economy = Economy(InverseCurve(), HockeyStickCurve())
    derivative = implicit.implicit_derivative(economy, NO_SOUTH_SERVICES, "tau_s").evaluate(params)
    assert derivative["t_N"] == 0.0
    assert derivative["omega"] < 0.0


def test_threshold_derivative_by_chain_rule():
    # Under A = 1/z, z_N = tau_g^SN/omega; its chain-rule derivative is checked against re-solved omegas.
    params = Parameters.symmetric(1.2, 1.3, 0.5, 1.0)
    derivative = implicit.implicit_derivative(ROOT_ECONOMY, INTERIOR, "gamma")

    def z_N(gamma: float) -> float:
        shifted = Parameters.symmetric(1.2, 1.3, gamma, 1.0)
        return 1.2 / float(implicit.solve_regime_omega(ROOT_ECONOMY, shifted, INTERIOR))

    assert derivative.evaluate(params)["z_N"] == pytest.approx(_central(z_N, 0.5), rel=1e-7)


def test_general_formula_matches_specific_curves():
    regime = NO_SOUTH_SERVICES
    params = Parameters.symmetric(1.1, 2.0, 0.5, 1.0)
    general = implicit.general_domega(regime, "tau_s")
    omega = implicit.solve_regime_omega(ROOT_ECONOMY, params, regime)
    curves = {sym.A: sp.Lambda(sym.z, 1 / sym.z), sym.S: sp.Lambda(sym.t, 1 / sp.sqrt(sym.t)),
              sym.B: sp.Lambda(sym.z, sym.z)}
    point = {sym.PARAMETER_SYMBOLS[name]: getattr(params, name) for name in sym.PARAMETER_SYMBOLS}
    point[sym.omega] = omega
    point[sym.z_S] = 1 / (1.1 * omega)
    point[sym.z_N] = 1.1 / omega
    point[sym.t_S] = 1 / (2.0 * omega) ** 2
    value = sp.N(general.subs(curves).doit().subs(point), 30)
    expected = implicit.implicit_derivative(ROOT_ECONOMY, regime, "tau_s").evaluate(params)["omega"]
    assert float(value) == pytest.approx(expected, rel=1e-20)


def test_unknown_parameter_raises():
    with pytest.raises(InvalidParameterError):
        implicit.implicit_derivative(ROOT_ECONOMY, INTERIOR, "tau_x")


def test_tabulated_curve_raises():
    table = TabulatedCurve((4.0, 2.0), (1.0, 1.0))
    with pytest.raises(InvalidCurveError):
        implicit.implicit_derivative(Economy(table, PowerCurve()), INTERIOR, "tau_s")


def test_autarky_regime_has_no_root():
    # With no trade at all (z_S = t_S = 0, z_N = t_N = 1) the residual is 0 for every omega.
    autarky = Regime(Position.LOWER, Position.UPPER, Position.LOWER, Position.UPPER)
    with pytest.raises(SolverError, match="no sign change"):
        implicit.solve_regime_omega(ROOT_ECONOMY, Parameters.symmetric(1.1, 1.2, 0.5, 1.0), autarky)


@settings(max_examples=12, derandomize=True, deadline=None)
@given(
    tau_g=st.floats(1.0, 1.5), tau_s=st.floats(1.01, 2.5), gamma=st.floats(0.1, 0.9), ell=st.floats(0.5, 2.0),
)
def test_derivative_matches_difference_quotient(tau_g, tau_s, gamma, ell):
    # Seeded random calibrations of A = 1/z, S = 1/sqrt(t), in the solver's regime:
    # d omega/d tau_s matches a central difference of that regime's smooth system.
    params = Parameters.symmetric(tau_g, tau_s, gamma, ell)
    regime = solve_equilibrium(ROOT_ECONOMY, params).regime
    derivative = implicit.implicit_derivative(ROOT_ECONOMY, regime, "tau_s").evaluate(params)["omega"]

    def omega(value: float) -> float:
        return float(implicit.solve_regime_omega(ROOT_ECONOMY, Parameters.symmetric(tau_g, value, gamma, ell), regime))

    assert derivative == pytest.approx(_central(omega, tau_s, 1e-7), rel=1e-6, abs=1e-9)
