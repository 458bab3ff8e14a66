"""The JAX multilateral-resistance solver: closed forms, invariants, the SymPy chain, derivatives."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from telemigration.derivations import gravity as derivation
from telemigration.errors import InvalidParameterError, SolverError
from telemigration.solvers.gravity import multilateral_resistance, solve_gravity
from telemigration.solvers.result import SolveStatus

NATIONS = 5


def random_economy(seed: int, nations: int = NATIONS, max_cost: float = 3.0):
    """Incomes, spending with equal totals, trade costs >= 1 with free domestic trade, and sigma."""
    rng = np.random.default_rng(seed)
    incomes = rng.lognormal(0.0, 1.0, nations)
    spending = incomes * rng.uniform(0.7, 1.3, nations)
    spending *= incomes.sum() / spending.sum()
    costs = 1.0 + rng.uniform(0.0, max_cost, (nations, nations))
    np.fill_diagonal(costs, 1.0)
    sigma = float(rng.uniform(1.5, 9.0))
    return incomes, spending, costs, sigma


# Adding-up gaps are rounding errors of sums of R terms; 1e-10 is far above them
# and far below any error of the solve.
ADDING_UP = 1e-10


@settings(max_examples=20, derandomize=True, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_flows_add_up_to_incomes_and_spending(seed):
    incomes, spending, costs, sigma = random_economy(seed)
    result = solve_gravity(incomes, spending, costs, sigma)
    assert result.status is SolveStatus.SUCCESS
    np.testing.assert_allclose(result.flows.sum(axis=1), incomes, rtol=ADDING_UP)
    np.testing.assert_allclose(result.flows.sum(axis=0), spending, rtol=ADDING_UP)


@settings(max_examples=10, derandomize=True, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_flows_do_not_depend_on_normalisation(seed):
    incomes, spending, costs, sigma = random_economy(seed)
    first = solve_gravity(incomes, spending, costs, sigma, reference=0)
    last = solve_gravity(incomes, spending, costs, sigma, reference=NATIONS - 1)
    assert first.price_index[0] == pytest.approx(1.0, abs=1e-14)
    assert last.price_index[NATIONS - 1] == pytest.approx(1.0, abs=1e-14)
    np.testing.assert_allclose(first.flows, last.flows, rtol=1e-10)
    # Omega and Pi scale in opposite directions by the same factor.
    scale = last.market_access / first.market_access
    np.testing.assert_allclose(scale, scale[0], rtol=1e-10)
    np.testing.assert_allclose(first.price_index_power / last.price_index_power, scale, rtol=1e-10)


@settings(max_examples=10, derandomize=True, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1), st.floats(min_value=0.1, max_value=50.0))
def test_flows_are_homogeneous_in_incomes(seed, factor):
    incomes, spending, costs, sigma = random_economy(seed)
    base = solve_gravity(incomes, spending, costs, sigma)
    scaled = solve_gravity(factor * incomes, factor * spending, costs, sigma)
    np.testing.assert_allclose(scaled.flows, factor * base.flows, rtol=1e-10)


def test_frictionless_flows_closed_form():
    incomes = np.array([1.0, 2.0, 3.0, 4.0])
    spending = np.array([4.0, 1.0, 3.0, 2.0])
    result = solve_gravity(incomes, spending, np.ones((4, 4)), 4.0)
    np.testing.assert_allclose(result.flows, np.outer(incomes, spending) / incomes.sum(), rtol=1e-12)
    np.testing.assert_allclose(result.price_index, 1.0, rtol=1e-12)


@settings(max_examples=10, derandomize=True, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_symmetric_costs_omega_proportional_to_pi(seed):
    # With tau symmetric and Y = E the two halves of the system coincide.
    incomes, _, costs, sigma = random_economy(seed)
    symmetric = np.sqrt(costs * costs.T)
    result = solve_gravity(incomes, incomes, symmetric, sigma)
    ratio = result.market_access / result.price_index_power
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)


def test_higher_bilateral_cost_lowers_that_flow():
    incomes, spending, costs, sigma = random_economy(7)
    base = solve_gravity(incomes, spending, costs, sigma)
    raised = costs.copy()
    raised[1, 2] *= 1.5
    after = solve_gravity(incomes, spending, raised, sigma)
    assert after.flows[1, 2] < base.flows[1, 2]


def test_solution_satisfies_sympy_chain():
    # The SymPy equations of the derivation, evaluated at the JAX solution.
    incomes, spending, costs, sigma = random_economy(3)
    result = solve_gravity(incomes, spending, costs, sigma)
    chain = derivation.gravity_chain()
    values = {derivation.sigma: sp.Float(sigma, 30)}
    for i in range(NATIONS):
        values[derivation.Y[i + 1]] = sp.Float(incomes[i], 30)
        values[derivation.E[i + 1]] = sp.Float(spending[i], 30)
        values[derivation.Omega[i + 1]] = sp.Float(result.market_access[i], 30)
        values[derivation.P[i + 1]] = sp.Float(result.price_index[i], 30)
        for j in range(NATIONS):
            values[derivation.tau[i + 1, j + 1]] = sp.Float(costs[i, j], 30)
    flow = derivation.gravity_flow()
    market_access = chain[derivation.MARKET_ACCESS_STEP].equation.rhs.subs(derivation.R, NATIONS).doit()
    price_index = chain[derivation.INWARD_RESISTANCE_STEP].equation.rhs.subs(derivation.R, NATIONS).doit()
    o, d = derivation.o, derivation.d
    for i in range(NATIONS):
        omega = float(market_access.xreplace({o: i + 1}).xreplace(values))
        assert omega == pytest.approx(result.market_access[i], rel=1e-10)
        price = float(price_index.xreplace({d: i + 1}).xreplace(values))
        assert price == pytest.approx(result.price_index[i], rel=1e-10)
        for j in range(NATIONS):
            value = float(flow.xreplace({o: i + 1, d: j + 1}).xreplace(values))
            assert value == pytest.approx(result.flows[i, j], rel=1e-10)


@pytest.mark.parametrize("seed", range(3))
def test_near_autarky_solves(seed):
    # tau^(1-sigma) down to about 1e-29: fixed-point iterations crawl and
    # undamped Newton steps diverge here.
    incomes, _, costs, _ = random_economy(seed, nations=10, max_cost=30.0)
    result = solve_gravity(incomes, incomes, costs, 20.0)
    assert result.status is SolveStatus.SUCCESS
    assert result.residual < 1e-8


def test_unresolvable_imbalance_raises():
    # Near autarky with 30% trade imbalances: the flat directions of the system
    # have curvature near 1e-29, below float64 resolution, so the solve must fail
    # loudly rather than return numbers.
    incomes, spending, costs, _ = random_economy(0, nations=10, max_cost=30.0)
    with pytest.raises(SolverError, match="failed") as raised:
        solve_gravity(incomes, spending, costs, 20.0)
    assert raised.value.residual is not None
    assert raised.value.residual > 1e-8


def test_vmap_matches_single_solves():
    economies = [random_economy(seed) for seed in range(4)]
    incomes, spending, costs, sigmas = (np.stack([economy[k] for economy in economies]) for k in range(4))
    batched = jax.vmap(multilateral_resistance)(
        jnp.asarray(incomes), jnp.asarray(spending), jnp.asarray(costs), jnp.asarray(sigmas)
    )
    codes = np.asarray(batched[3])
    assert np.all(codes == 0)
    for k, economy in enumerate(economies):
        single = solve_gravity(*economy)
        np.testing.assert_allclose(np.asarray(batched[2][k]), single.flows, rtol=1e-10)


def test_jit_output_is_float64():
    incomes, spending, costs, sigma = random_economy(2)
    omega, pi, flows, _, _ = multilateral_resistance(
        jnp.asarray(incomes), jnp.asarray(spending), jnp.asarray(costs), jnp.asarray(sigma)
    )
    assert omega.dtype == jnp.float64
    assert pi.dtype == jnp.float64
    assert flows.dtype == jnp.float64


def test_implicit_gradient_matches_finite_difference():
    incomes, spending, costs, sigma = random_economy(5)

    def flow(cost_01, sigma_value):
        matrix = jnp.asarray(costs).at[0, 1].set(cost_01)
        _, _, flows, _, _ = multilateral_resistance(jnp.asarray(incomes), jnp.asarray(spending), matrix, sigma_value)
        return flows[2, 3] + flows[0, 1]

    point = (jnp.asarray(costs[0, 1]), jnp.asarray(sigma))
    gradient = jax.grad(flow, argnums=(0, 1))(*point)
    # Central differences with step 1e-5: truncation error ~1e-10 and rounding
    # ~1e-16/1e-5 = 1e-11, against derivatives of order 0.01 to 1.
    step = 1e-5
    by_cost = (flow(point[0] + step, point[1]) - flow(point[0] - step, point[1])) / (2 * step)
    by_sigma = (flow(point[0], point[1] + step) - flow(point[0], point[1] - step)) / (2 * step)
    assert float(gradient[0]) == pytest.approx(float(by_cost), rel=1e-6)
    assert float(gradient[1]) == pytest.approx(float(by_sigma), rel=1e-6)


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"incomes": np.array([1.0, -1.0, 2.0])}, r"incomes\[1\]"),
        ({"incomes": np.array([1.0, np.nan, 2.0])}, r"incomes\[1\]"),
        ({"spending": np.array([1.0, 2.0])}, "spending"),
        ({"spending": np.array([1.0, 1.0, 1.0])}, "spending"),
        ({"trade_costs": np.full((3, 3), 0.9)}, r"trade_costs\[0, 0\]"),
        ({"trade_costs": np.ones((3, 2))}, "trade_costs"),
        ({"trade_costs": np.array([[1.0, np.inf, 1.0]] * 3)}, r"trade_costs\[0, 1\]"),
        ({"sigma": 1.0}, "sigma"),
        ({"sigma": "five"}, "sigma"),
        ({"sigma": float("nan")}, "sigma"),
        ({"reference": 3}, "reference"),
    ],
)
def test_bad_input_raises(change, name):
    arguments = {"incomes": np.array([1.0, 2.0, 3.0]), "spending": np.array([3.0, 2.0, 1.0]),
                 "trade_costs": np.ones((3, 3)), "sigma": 4.0}
    reference = change.pop("reference", 0)
    arguments.update(change)
    with pytest.raises(InvalidParameterError, match=name):
        solve_gravity(arguments["incomes"], arguments["spending"], arguments["trade_costs"], arguments["sigma"],
                      reference=reference)


def test_result_arrays_are_read_only():
    result = solve_gravity(*random_economy(0))
    with pytest.raises(ValueError):
        result.flows[0, 0] = 1.0
