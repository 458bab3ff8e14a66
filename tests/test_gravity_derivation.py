"""The structural gravity derivation: every step checked, adding-up identities, the claim."""

import pytest
import sympy as sp

from telemigration.claims.registry import Status, get_claim
from telemigration.derivations import gravity
from telemigration.derivations.chain import DerivationChain
from telemigration.errors import DerivationError, InvalidParameterError

DERIVED_STEPS = (
    "bilateral value", "income", "producer price", gravity.GRAVITY_STEP,
    gravity.LOG_LINEAR_STEP, gravity.INWARD_RESISTANCE_STEP,
)


def test_chain_derives_every_step():
    chain = gravity.gravity_chain()
    derived = [step.name for step in chain.steps if not step.premise]
    assert derived == list(DERIVED_STEPS)


def test_gravity_step_premises():
    step = gravity.gravity_chain()[gravity.GRAVITY_STEP]
    assert step.uses == ("bilateral value", "producer price")


def test_gravity_flow_is_printed_form():
    s = 1 - gravity.sigma
    o, d = gravity.o, gravity.d
    printed = gravity.tau[o, d] ** s * gravity.Y[o] * gravity.E[d] / (gravity.Omega[o] * gravity.P[d] ** s)
    assert sp.simplify(gravity.gravity_flow() - printed) == 0


def test_fixed_effects_absorb_income_and_price_terms():
    terms = gravity.fixed_effect_terms()
    o, d = gravity.o, gravity.d
    assert terms["origin"] == sp.log(gravity.Y[o]) - sp.log(gravity.Omega[o])
    assert sp.simplify(terms["destination"] - (sp.log(gravity.E[d]) - (1 - gravity.sigma) * sp.log(gravity.P[d]))) == 0


def test_wrong_gravity_exponent_raises():
    # Rebuild the premises and claim the wrong exponent sigma - 1 on trade costs.
    source = gravity.gravity_chain()
    chain = DerivationChain("wrong gravity")
    for step in source.steps:
        if step.name in ("bilateral value", "producer price"):
            chain.given(step.name, step.equation, step.reason)
    o, d, s = gravity.o, gravity.d, gravity.sigma - 1
    wrong = sp.Eq(gravity.V(o, d), gravity.tau[o, d] ** s * gravity.Y[o] * gravity.E[d] / (gravity.Omega[o] * gravity.P[d] ** (1 - gravity.sigma)))
    with pytest.raises(DerivationError, match="does not follow"):
        chain.derive("gravity", wrong, "wrong exponent", {gravity.V(o, d): "bilateral value", gravity.Y[o]: "producer price"})


def test_wrong_market_access_raises():
    # Market access without the destination's spending must not give the producer price.
    source = gravity.gravity_chain()
    chain = DerivationChain("wrong market access")
    chain.given("income", source["income"].equation, "premise")
    o, d, R = gravity.o, gravity.d, gravity.R
    s = 1 - gravity.sigma
    chain.given("market access", sp.Eq(gravity.Omega[o], sp.Sum(gravity.tau[o, d] ** s / gravity.P[d] ** s, (d, 1, R))), "wrong")
    with pytest.raises(DerivationError):
        chain.derive(
            "producer price", source["producer price"].equation, "wrong",
            {gravity.Y[o]: "income", gravity.Omega[o]: "market access"},
        )


@pytest.mark.parametrize("nations", [3, 5])
@pytest.mark.parametrize("exact", [True, False])
def test_adding_up_holds(nations, exact):
    check = gravity.check_adding_up(nations, seed=11, exact=exact)
    assert check.holds
    assert check.nations == nations


@pytest.mark.parametrize("nations", [3, 5])
def test_adding_up_exact_gaps_are_zero(nations):
    check = gravity.check_adding_up(nations, seed=3, exact=True)
    assert check.income_gap == 0
    assert check.spending_gap == 0
    assert check.sigma.is_Integer


def test_adding_up_fails_without_multilateral_resistance():
    # Control: arbitrary price indices make column sums miss spending.
    chain = gravity.gravity_chain()
    o, d = gravity.o, gravity.d
    values = {gravity.sigma: 3, gravity.Y[1]: 2, gravity.Y[2]: 5, gravity.E[1]: 4, gravity.E[2]: 3,
              gravity.Omega[1]: 1, gravity.Omega[2]: 2, gravity.P[1]: 1, gravity.P[2]: 1}
    for i in (1, 2):
        for j in (1, 2):
            values[gravity.tau[i, j]] = 1 if i == j else 2
    flow = chain[gravity.GRAVITY_STEP].equation.rhs
    column = sum(flow.xreplace({o: i, d: 1}).xreplace(values) for i in (1, 2))
    assert column != values[gravity.E[1]]


@pytest.mark.parametrize("nations", [0, -2, 2.5, True])
def test_adding_up_rejects_bad_nations(nations):
    with pytest.raises(InvalidParameterError, match="nations"):
        gravity.check_adding_up(nations, seed=1)


def test_latex_prints_subscripts():
    text = sp.latex(gravity.gravity_chain()[gravity.GRAVITY_STEP].equation)
    assert "V_{o,d}" in text
    assert r"{\tau}_{o,d}^{1 - \sigma}" in text


def test_gravity_claim_is_confirmed():
    result = get_claim("gravity-equation").evaluate()
    assert result.status is Status.CONFIRMED
    assert result.section == "3"
    assert "6 derived steps" in result.detail
