"""Tests of the DFS derivation chains and of the LaTeX of single conditions."""

import pytest
import sympy as sp

from telemigration.derivations import dfs, latex
from telemigration.derivations.chain import DerivationChain
from telemigration.errors import DerivationError, InvalidParameterError
from telemigration.models import symbols as sym
from telemigration.models.regime import Position, Regime
from telemigration.models.system import equal_price_conditions


@pytest.mark.parametrize("name", ["thresholds", "labour market", "goods and services", "goods only"])
def test_chain_builds(name):
    derivation = dfs.all_derivations()[name]
    derived = [step for step in derivation.chain.steps if not step.premise]
    assert derived, f"chain {name} has no derived step"


def test_thresholds_match_system_conditions():
    chain = dfs.threshold_chain().chain
    for name, condition in equal_price_conditions().items():
        assert chain[name].equation == condition
        assert not chain[name].premise


def test_wrong_threshold_step_raises():
    chain = DerivationChain("wrong step")
    chain.given("relative wage", sp.Eq(sym.omega, sym.w / sym.w_star), "definition")
    chain.given("unit costs", sp.Eq(sym.tau * sym.w * dfs.a(sym.z_S), sym.w_star * dfs.a_star(sym.z_S)), "premise")
    with pytest.raises(DerivationError):
        # The cost belongs on omega's side: omega = tau A(z_S) does not follow.
        chain.derive(
            "wrong", sp.Eq(sym.omega, sym.tau * sym.A(sym.z_S)), "wrong side",
            {sym.omega: "relative wage", sym.w: "unit costs"},
            substitutions={sym.A: sp.Lambda(sym.z, dfs.a_star(sym.z) / dfs.a(sym.z))},
        )


def test_printed_equation_1_does_not_follow():
    check = dfs.labour_market_chain().printed_check("eq-1")
    assert not check.follows
    assert check.remainder != 0
    assert "does not follow" in check.detail


def test_printed_equation_1_holds_at_free_trade():
    # The swapped form agrees with the derived one exactly when B(z_N) = B(z_S).
    remainder = dfs.labour_market_chain().printed_check("eq-1").remainder
    assert sp.simplify(remainder.subs(sym.B(sym.z_N), sym.B(sym.z_S))) == 0


def test_balanced_trade_step_follows():
    assert not dfs.labour_market_chain().chain["balanced trade"].premise


def test_equation_3_derived_two_ways():
    chain = dfs.goods_services_chain().chain
    assert chain["eq-3"].equation == dfs.equation_3()
    assert chain["eq-3 from the printed identity"].equation == dfs.equation_3()


def test_equation_2_readings():
    derivation = dfs.goods_only_chain()
    assert derivation.printed_check("eq-2 first half").follows
    assert not derivation.printed_check("eq-2 second half").follows
    assert not derivation.printed_check("eq-2 first half in z_S").follows
    assert not derivation.printed_check("eq-2 second half in z_S").follows


def test_equation_2_second_half_at_free_trade():
    remainder = dfs.goods_only_chain().printed_check("eq-2 second half").remainder
    assert sp.simplify(remainder.subs(sym.tau, 1)) == 0
    assert sp.simplify(remainder.subs(sym.tau, 2)) != 0


def test_goods_only_threshold_relation():
    chain = dfs.goods_only_chain().chain
    assert chain["z_N = tau^2 z_S"].equation == sp.Eq(sym.z_N, sym.tau**2 * sym.z_S)


def test_goods_only_omega_golden_ratio_at_free_trade():
    golden = (1 + sp.sqrt(5)) / 2
    assert sp.simplify(dfs.goods_only_omega().subs(sym.tau, 1) - golden) == 0


def test_goods_only_quadratic_root():
    root = dfs.goods_only_threshold()
    assert sp.simplify(dfs.goods_only_quadratic().subs(sym.z_S, root)) == 0
    assert float(root.subs(sym.tau, 1.5)) > 0.0


def test_goods_only_closed_form_agrees_numerically():
    assert dfs.goods_only_numeric_agreement() < 1e-25


def test_latex_every_condition_renders():
    for name in latex.CONDITION_NAMES:
        if "<" in name:
            continue
        text = latex.condition_latex(name)
        assert text
        assert "omega" in text or "tau" in text


def test_latex_notation_override():
    text = latex.condition_latex("labour-market", {"omega": r"\varpi", "B": r"\mathcal{B}", "labour_ratio": "l"})
    assert r"\varpi" in text
    assert r"\mathcal{B}" in text
    assert r"\ell" not in text
    assert r"\omega" not in text


def test_latex_override_by_symbol():
    text = latex.condition_latex("equal-price:t_S", {sym.tau_s_NS: r"\theta"})
    assert text.startswith(r"\omega \theta")


def test_latex_polynomial_in_falling_powers():
    text = latex.condition_latex("free-trade-cubic")
    assert text == r"\omega^{3} - \gamma \omega^{2} - \omega + \gamma - 1 = 0"


def test_latex_derivative_per_regime():
    interior = latex.condition_latex("domega-dtau_s:IIII")
    no_south_services = latex.condition_latex("domega-dtau_s:IIIU")
    assert interior != no_south_services
    assert r"\frac{d}{d \tau_{s}} \omega" in interior


def test_regime_code_round_trip():
    regime = Regime(Position.LOWER, Position.INTERIOR, Position.INTERIOR, Position.UPPER)
    assert latex.regime_code(regime) == "LIIU"
    assert latex.regime_from_code("LIIU") == regime


@pytest.mark.parametrize("name", ["no-such-condition", "domega-dtau_s:XYZW", "domega-dtau_s:III"])
def test_latex_unknown_name_raises(name):
    with pytest.raises(InvalidParameterError):
        latex.condition_latex(name)
