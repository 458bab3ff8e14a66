"""Tests of the free-trade cubic, its root in radicals, the regime polynomials and the Frechet derivation."""

import numpy as np
import pytest
import sympy as sp

import telemigration.solvers  # noqa: F401  (switches JAX to float64)
from telemigration.derivations import closed_forms
from telemigration.errors import InvalidParameterError
from telemigration.models import symbols as sym
from telemigration.models.parameters import Parameters
from telemigration.models.regime import Position, Regime
from telemigration.solvers.equilibrium import solve_equilibrium

# Reference values, computed independently of this package:
# golden ratio (1 + sqrt 5)/2; plastic number, the real root of x^3 = x + 1,
# 1.324717957244746025960908854 (OEIS A060006); the real root of
# 2 x^3 - x^2 - 2 x - 1 from mpmath.polyroots at 30 digits.
GOLDEN = (1 + sp.sqrt(5)) / 2
PLASTIC = sp.Float("1.324717957244746025960908854", 30)
HALF_ROOT = sp.Float("1.437564897081389412986985297", 30)


def test_cubic_matches_printed_form():
    # The form omega^3 - gamma omega^2 - omega - (1 - gamma), as stated for footnote 15.
    expected = sym.omega**3 - sym.gamma * sym.omega**2 - sym.omega - (1 - sym.gamma)
    assert sp.expand(closed_forms.free_trade_cubic().as_expr() - expected) == 0


def test_cubic_chain_checks_each_step():
    chain = closed_forms.free_trade_chain()
    assert [step.name for step in chain.steps if not step.premise] == ["z", "t", "cubic"]


def test_golden_ratio_at_goods_only():
    root = closed_forms.free_trade_root(1)
    assert sp.simplify(root.radicals - GOLDEN) == 0
    assert root.value == pytest.approx(float(GOLDEN), rel=1e-15)


def test_plastic_number_at_services_only():
    root = closed_forms.free_trade_root(0)
    assert abs(sp.N(root.radicals, 30) - PLASTIC) < 1e-27
    assert root.digits_checked == 30


def test_root_at_one_half():
    root = closed_forms.free_trade_root(0.5)
    assert abs(sp.N(root.radicals, 30) - HALF_ROOT) < 1e-27
    assert root.value == pytest.approx(1.43757, abs=1e-5)
    # To 6 significant figures the root is 1.43756, not 1.43757.
    assert f"{root.value:.6g}" == "1.43756"


def test_root_radicals_are_real():
    for gamma in (0, sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4)):
        radicals = closed_forms.free_trade_root(gamma).radicals
        assert radicals.is_real
        assert sp.im(sp.N(radicals, 30)) == 0


def test_three_real_roots_above_discriminant_zero():
    # Above gamma = 0.78861 the cubic has three real roots and no real-radical form.
    discriminant = sp.discriminant(closed_forms.free_trade_cubic().as_expr(), sym.omega)
    assert discriminant.subs(sym.gamma, sp.Rational(9, 10)) > 0
    root = closed_forms.free_trade_root(sp.Rational(9, 10))
    assert root.radicals is None
    assert float(sp.N(root.polynomial.as_expr().subs(sym.omega, root.value))) == pytest.approx(0.0, abs=1e-14)


def test_casus_irreducibilis_has_no_radicals():
    # x^3 - 3x - 1 is irreducible with three real roots, one positive.
    root = closed_forms.positive_root(sp.Poly(sym.omega**3 - 3 * sym.omega - 1, sym.omega))
    assert root.radicals is None
    assert root.value == pytest.approx(2 * np.cos(np.pi / 9), rel=1e-14)


def test_two_positive_roots_raise():
    with pytest.raises(InvalidParameterError):
        closed_forms.positive_root(sp.Poly((sym.omega - 1) * (sym.omega - 2) * (sym.omega + 3), sym.omega))


def test_gamma_outside_unit_interval_raises():
    with pytest.raises(InvalidParameterError):
        closed_forms.free_trade_root(1.5)


def test_domega_dgamma_formula():
    slope = closed_forms.free_trade_domega_dgamma()
    gamma, step = 0.4, 1e-6
    numeric = (closed_forms.free_trade_root(gamma + step).value - closed_forms.free_trade_root(gamma - step).value)
    root = closed_forms.free_trade_root(gamma).exact
    exact = float(slope.subs({sym.omega: root, sym.gamma: sp.Rational(2, 5)}))
    assert numeric / (2 * step) == pytest.approx(exact, rel=1e-8)


def test_interior_polynomial_chain_builds():
    chain = closed_forms.interior_polynomial_chain()
    assert not chain["cubic"].premise
    assert sp.Poly(chain["cubic"].equation.rhs, sym.omega).degree() == 3


def test_interior_polynomial_sign_pattern():
    # Descartes: one sign change means exactly one positive root.
    coefficients = closed_forms.regime_polynomial(Regime.interior()).all_coeffs()
    assert coefficients[0] == 1
    for coefficient in coefficients[1:]:
        assert sp.simplify(coefficient).is_nonpositive is not False


def test_free_trade_polynomial_is_the_cubic():
    polynomial = closed_forms.regime_polynomial(Regime.interior())
    free_trade = {symbol: 1 for symbol in (sym.tau_g_NS, sym.tau_g_SN, sym.tau_s_NS, sym.tau_s_SN, sym.labour_ratio)}
    reduced = sp.expand(polynomial.as_expr().subs(free_trade))
    assert sp.expand(reduced - closed_forms.free_trade_cubic().as_expr()) == 0


def _random_interior_points(count: int, seed: int):
    rng = np.random.default_rng(seed)
    economy = closed_forms.power_root_economy()
    found = []
    while len(found) < count:
        params = Parameters(
            *rng.uniform(1.0, 1.5, size=4), gamma=float(rng.uniform(0.2, 0.8)),
            labour_ratio=float(rng.uniform(0.5, 2.0)),
        )
        equilibrium = solve_equilibrium(economy, params)
        if equilibrium.regime == Regime.interior():
            found.append((params, equilibrium))
    return found


def test_interior_root_matches_solver():
    polynomial = closed_forms.regime_polynomial(Regime.interior())
    for params, equilibrium in _random_interior_points(6, seed=15):
        values = {sym.PARAMETER_SYMBOLS[name]: getattr(params, name) for name in sym.PARAMETER_SYMBOLS}
        root = closed_forms.polynomial_positive_root(polynomial, values)
        assert float(root) == pytest.approx(equilibrium.omega, rel=1e-11)


def test_corner_regime_root_matches_solver():
    # tau_s = 2: South sells no services (t_N = 1) under S(t) = 1/sqrt(t).
    params = Parameters.symmetric(tau_g=1.1, tau_s=2.0, gamma=0.5)
    equilibrium = solve_equilibrium(closed_forms.power_root_economy(), params)
    assert equilibrium.regime.t_N is Position.UPPER
    polynomial = closed_forms.regime_polynomial(equilibrium.regime)
    values = {sym.PARAMETER_SYMBOLS[name]: getattr(params, name) for name in sym.PARAMETER_SYMBOLS}
    assert float(closed_forms.polynomial_positive_root(polynomial, values)) == pytest.approx(
        equilibrium.omega, rel=1e-11
    )


def test_frechet_chain_builds():
    chain = closed_forms.frechet_chain()
    for name in ("change of variable", "distribution of S", "S(t)", "log-odds", "Eaton-Kortum curve"):
        assert not chain[name].premise


def test_vectorised_cubic_root_matches_solver():
    coefficients = closed_forms.monic_cubic_coefficients(Regime.interior())
    points = _random_interior_points(6, seed=16)
    columns = [np.array([params.as_tuple()[i] for params, _ in points]) for i in range(6)]
    roots = closed_forms.positive_cubic_root(*coefficients(*columns))
    expected = np.array([equilibrium.omega for _, equilibrium in points])
    np.testing.assert_allclose(roots, expected, rtol=1e-12)


@pytest.mark.parametrize(
    "coefficients, expected",
    [
        ((-0.5, -1.0, -0.5), float(HALF_ROOT)),  # free-trade cubic at gamma = 1/2, one real root
        ((-1.0, -1.0, 0.0), float(GOLDEN)),  # gamma = 1: roots 0, golden ratio, -1/golden ratio
        ((0.0, -3.0, -1.0), 2 * np.cos(np.pi / 9)),  # three real roots, casus irreducibilis
    ],
)
def test_vectorised_cubic_root_cases(coefficients, expected):
    root = closed_forms.positive_cubic_root(*(np.array([value]) for value in coefficients))
    assert root[0] == pytest.approx(expected, rel=1e-14)
