"""Tests of the exact DFS solver for tabulated goods and tasks, and of its comparative statics.

Truths used: 3-good economies solved by hand, an exact rational-arithmetic
enumeration of every candidate equilibrium, economic invariants over seeded random
tables, central finite differences, and the 150-good teaching example.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from telemigration.errors import InvalidCurveError, InvalidParameterError, SolverError
from telemigration.models.curves import EatonKortumCurve, InverseCurve, PowerCurve, TabulatedCurve
from telemigration.models.parameters import Parameters
from telemigration.models.regime import Position
from telemigration.models.system import Economy
from telemigration.solvers.equilibrium import solve_equilibrium
from telemigration.solvers.tabulated import solve_tabulated
from telemigration.solvers.tabulated_statics import tabulated_statics

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
EXAMPLE_FILES = ("unit_labour.tsv", "expenditure_shares.tsv")


def _packaged_example() -> TabulatedCurve:
    folder = resources.files("telemigration") / "data" / "dfs-150-goods"
    return TabulatedCurve.from_files(folder / EXAMPLE_FILES[0], folder / EXAMPLE_FILES[1])


def _goods_only(curve: TabulatedCurve) -> Economy:
    return Economy(goods_curve=curve)


def _check_balanced(eq) -> None:
    flows = eq.trade_flows
    north = flows.north_goods + flows.north_services
    south = flows.south_goods + flows.south_services
    assert north == pytest.approx(south, rel=1e-13, abs=1e-14)


def _finite_difference(economy, params, parameter, output, step=1e-6, side="central"):
    """Central or one-sided three-point difference, both second order.

    The step 1e-6 balances truncation (h^2) and rounding (eps/h), both near 1e-10.
    """

    def value(p):
        eq = solve_tabulated(economy, p)
        if output == "omega":
            return eq.omega
        if output in ("z_S", "z_N", "t_S", "t_N"):
            return getattr(eq.thresholds, output)
        return getattr(eq.trade_flows, output)

    def moved(delta):
        if parameter in ("tau_g", "tau_s"):
            sector = parameter[-1]
            return params.with_value(f"tau_{sector}_ns", getattr(params, f"tau_{sector}_ns") + delta).with_value(
                f"tau_{sector}_sn", getattr(params, f"tau_{sector}_sn") + delta
            )
        return params.with_value(parameter, getattr(params, parameter) + delta)

    if side == "central":
        return (value(moved(step)) - value(moved(-step))) / (2.0 * step)
    sign = 1.0 if side == "right" else -1.0
    here, near, far = value(params), value(moved(sign * step)), value(moved(2.0 * sign * step))
    return sign * (-3.0 * here + 4.0 * near - far) / (2.0 * step)


# ---------------------------------------------------------------------------
# Three goods by hand
# ---------------------------------------------------------------------------

# a* = 1, 1, 1 and a = 0.5, 0.8, 1.25, so A = 2, 1.25, 0.8; equal shares 1/3,
# L = L*, gamma = 1, free trade. North sells good i in both markets iff A_i > omega,
# so F(omega) = omega (1 - X) - X with X the share of goods North sells.
#   plateau (1.25, 2):   X = 1/3, root omega = 1/2, outside;
#   plateau (0.8, 1.25): X = 2/3, root omega = 2, outside;
#   at omega = 1.25:     F- = 1.25/3 - 2/3 < 0 < F+ = 1.25 (2/3) - 1/3,
# so omega = A_2 = 1.25 and good 2 is split: X = (1 + s)/3 and
# 1.25 (2 - s) = 1 + s gives s = 1.5/2.25 = 2/3, z_S = z_N = (1 + 2/3)/3 = 5/9.
HAND_SPLIT = TabulatedCurve((1.0, 1.0, 1.0), (0.5, 0.8, 1.25))

# a = 0.4, 0.8, 1.6, so A = 2.5, 1.25, 0.625; tau = 1.5 both ways, L = L*.
# South-market critical values A/1.5 = 1.667, 0.833, 0.417; home-market ones
# 1.5 A = 3.75, 1.875, 0.9375. On the plateau (0.9375, 1.667) North sells good 1
# in the South (X_S = 1/3) and goods 1, 2 at home (X_N = 2/3), so
# omega = ell X_S / (1 - X_N) = 1, inside: no good is split.
HAND_PLATEAU = TabulatedCurve((1.0, 1.0, 1.0), (0.4, 0.8, 1.6))


def test_hand_free_trade_splits_good_two():
    eq = solve_tabulated(_goods_only(HAND_SPLIT), Parameters.symmetric(1.0, 1.0, gamma=1.0))
    assert eq.omega == 1.25
    assert eq.marginal_goods.z_S == 2
    assert eq.marginal_goods.z_N == 2
    assert eq.marginal_goods.split_share_S == pytest.approx(2.0 / 3.0, rel=1e-15)
    assert eq.marginal_goods.split_share_N == eq.marginal_goods.split_share_S
    assert eq.thresholds.z_S == pytest.approx(5.0 / 9.0, rel=1e-15)
    assert eq.thresholds.z_N == pytest.approx(5.0 / 9.0, rel=1e-15)
    assert abs(eq.residual) <= 1e-15
    _check_balanced(eq)


def test_hand_plateau_with_trade_cost():
    eq = solve_tabulated(_goods_only(HAND_PLATEAU), Parameters.symmetric(1.5, 1.0, gamma=1.0))
    assert eq.omega == pytest.approx(1.0, rel=1e-15)
    assert eq.thresholds.z_S == pytest.approx(1.0 / 3.0, rel=1e-15)
    assert eq.thresholds.z_N == pytest.approx(2.0 / 3.0, rel=1e-15)
    assert (eq.marginal_goods.z_S, eq.marginal_goods.z_N) == (1, 2)
    assert (eq.marginal_goods.split_share_S, eq.marginal_goods.split_share_N) == (1.0, 1.0)
    assert eq.iterations == 0
    assert "plateau" in eq.message
    _check_balanced(eq)


def test_hand_split_statics():
    # Pinned at omega = A_2 / tau_g^NS, so d omega / d tau_g^NS = -1.25 from the
    # right. With s the unknown, H(s) = 1.25 (1 - (1 + s)/3) - ell (1 + s)/3 and
    # ds/d ell = -H_ell/H_s = -(1 + s)/(1.25 + ell) = -(5/3)/2.25 = -20/27.
    result = tabulated_statics(_goods_only(HAND_SPLIT), Parameters.symmetric(1.0, 1.0, gamma=1.0))
    assert result["omega"]["tau_g_ns"].right == pytest.approx(-1.25, rel=1e-14)
    assert result["omega"]["labour_ratio"].value == 0.0
    assert result["z_S"]["labour_ratio"].value == pytest.approx(-20.0 / 81.0, rel=1e-13)
    assert result["z_N"]["labour_ratio"].value == pytest.approx(-20.0 / 81.0, rel=1e-13)
    assert not result["omega"]["labour_ratio"].at_boundary


def test_free_trade_thresholds_jump_above_one():
    # Once tau_g^NS > 1 the South market's critical value A_2/tau falls below the
    # home market's, so North sells good 2 in full at home (z_N = 2/3) and
    # 1.25 (1/3) = (1 + s)/3 gives s = 1/4 in the South (z_S = 1.25/3).
    derivative = tabulated_statics(_goods_only(HAND_SPLIT), Parameters.symmetric(1.0, 1.0, gamma=1.0))["z_N"]["tau_g_ns"]
    assert derivative.at_boundary
    assert "z_N jumps from 0.555555555556 to 0.666666666667 on the right" in derivative.kink
    near = solve_tabulated(_goods_only(HAND_SPLIT), Parameters(1.0 + 1e-9, 1.0, 1.0, 1.0, 1.0, 1.0))
    assert near.thresholds.z_N == pytest.approx(2.0 / 3.0, rel=1e-12)
    assert near.marginal_goods.split_share_S == pytest.approx(0.25, abs=1e-8)


def test_hand_plateau_statics():
    # omega = ell X_S / (1 - X_N): d omega/d ell = 1 and trade costs do not move it.
    result = tabulated_statics(_goods_only(HAND_PLATEAU), Parameters.symmetric(1.5, 1.0, gamma=1.0))
    assert result["omega"]["labour_ratio"].value == pytest.approx(1.0, rel=1e-14)
    assert result["omega"]["tau_g"].value == 0.0
    assert result["z_S"]["labour_ratio"].value == 0.0


def test_switch_point_reports_both_sides():
    # At ell = 5/3 the plateau root ell X_S/(1 - X_N) = ell reaches the critical
    # value A_1/1.5 = 5/3: below it omega = ell (slope 1), above it omega is
    # pinned at 5/3 with good 1 split in the South (slope 0).
    params = Parameters.symmetric(1.5, 1.0, gamma=1.0, labour_ratio=2.5 / 1.5)
    derivative = tabulated_statics(_goods_only(HAND_PLATEAU), params)["omega"]["labour_ratio"]
    assert derivative.at_boundary
    assert derivative.left == pytest.approx(1.0, rel=1e-12)
    assert derivative.right == 0.0
    with pytest.raises(ValueError, match="one-sided"):
        derivative.value


def test_continuous_corner_reports_both_sides():
    # The default services curve S(t) = t^(-1/2) has zero weight at gamma = 1, but
    # its thresholds still follow the equal-price conditions: t_S = (tau_s omega)^-2
    # is at the corner 1 when omega = 1 and moves inside as omega rises with ell.
    result = tabulated_statics(_goods_only(HAND_PLATEAU), Parameters.symmetric(1.5, 1.0, gamma=1.0))
    derivative = result["t_S"]["labour_ratio"]
    assert derivative.at_boundary
    assert derivative.left == 0.0
    assert derivative.right == pytest.approx(-2.0, rel=1e-12)


# ---------------------------------------------------------------------------
# Exact rational enumeration of every candidate
# ---------------------------------------------------------------------------


def _rational_candidates(curve: TabulatedCurve, tau_ns: float, tau_sn: float, ell: float):
    """Every (omega, z_S, z_N) that clears North's labour market for goods only, in exact arithmetic.

    Checks each plateau between critical values for a root inside it and each
    critical value for a split share in [0, 1], with North's share equal in
    both markets when both split the same good. Independent of the solver's scan.
    """
    ratio = [Fraction(s) / Fraction(h) for s, h in zip(curve.foreign_labour, curve.home_labour)]
    shares = [Fraction(b) for b in curve.shares]
    n = len(ratio)
    t_ns, t_sn, ell = Fraction(tau_ns), Fraction(tau_sn), Fraction(ell)
    south = [r / t_ns for r in ratio]
    north = [t_sn * r for r in ratio]
    critical = sorted(set(south) | set(north))
    edges = [Fraction(0)] + critical + [critical[-1] * 2 + 1]
    found = []
    for lower, upper in itertools.pairwise(edges):
        inside = (lower + upper) / 2
        k_s = sum(1 for c in south if c > inside)
        k_n = sum(1 for c in north if c > inside)
        x_s, x_n = sum(shares[:k_s]), sum(shares[:k_n])
        if x_n < 1:
            omega = ell * x_s / (1 - x_n)
            if lower < omega < upper:
                found.append((omega, Fraction(k_s, n), Fraction(k_n, n)))
    for omega in critical:
        k_s = sum(1 for c in south if c > omega)
        k_n = sum(1 for c in north if c > omega)
        split_s = k_s < n and south[k_s] == omega
        split_n = k_n < n and north[k_n] == omega
        # F at North's share s of the split good(s) is base + s * slope.
        base = omega * (1 - sum(shares[:k_n])) - ell * sum(shares[:k_s])
        slope = Fraction(0)
        if split_n:
            slope -= omega * shares[k_n]
        if split_s:
            slope -= ell * shares[k_s]
        share = -base / slope
        if 0 <= share <= 1:
            z_s = (k_s + share) / n if split_s else Fraction(k_s, n)
            z_n = (k_n + share) / n if split_n else Fraction(k_n, n)
            found.append((omega, z_s, z_n))
    return found


@pytest.mark.parametrize("tau", [1.0, 1.05, 1.3])
@pytest.mark.parametrize("ell", [0.5, 1.0, 2.0])
def test_matches_rational_enumeration(tau, ell):
    curve = TabulatedCurve((1.0,) * 5, (0.3, 0.5, 0.7, 1.1, 1.9), (0.1, 0.3, 0.2, 0.25, 0.15))
    candidates = _rational_candidates(curve, tau, tau, ell)
    assert len({c[0] for c in candidates}) == 1, candidates
    omega, z_s, z_n = candidates[0]
    eq = solve_tabulated(_goods_only(curve), Parameters.symmetric(tau, 1.0, gamma=1.0, labour_ratio=ell))
    assert eq.omega == pytest.approx(float(omega), rel=1e-14)
    assert eq.thresholds.z_S == pytest.approx(float(z_s), rel=1e-13, abs=1e-15)
    assert eq.thresholds.z_N == pytest.approx(float(z_n), rel=1e-13, abs=1e-15)


# ---------------------------------------------------------------------------
# The 150-good teaching example
# ---------------------------------------------------------------------------


def test_packaged_example_matches_shared_copy():
    if not (SHARED_DATA / "dfs-150-goods").is_dir():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent; it sits beside the repository in CI")
    folder = resources.files("telemigration") / "data" / "dfs-150-goods"
    for name in EXAMPLE_FILES:
        assert (folder / name).read_bytes() == (SHARED_DATA / "dfs-150-goods" / name).read_bytes()


@pytest.mark.parametrize("tau", [1.0, 1.0 / 0.9])
def test_150_goods_equilibrium(tau):
    curve = _packaged_example()
    params = Parameters.symmetric(tau, 1.0, gamma=1.0)
    eq = solve_tabulated(_goods_only(curve), params)
    ratio = curve.relative_productivity
    assert abs(eq.residual) <= 1e-14
    _check_balanced(eq)

    # Every good North sells in full beats the cost ratio, every good South sells
    # loses to it, and a split good sits exactly on it.
    marginal = eq.marginal_goods
    for k, share, cost_ratio, critical in (
        (marginal.z_S, marginal.split_share_S, tau * eq.omega, ratio / tau),
        (marginal.z_N, marginal.split_share_N, eq.omega / tau, ratio * tau),
    ):
        full = k - 1 if share < 1.0 else k
        assert np.all(ratio[:full] >= cost_ratio)
        assert np.all(ratio[k:] <= cost_ratio)
        if share < 1.0:
            assert eq.omega == critical[k - 1]
            assert 0.0 < share < 1.0


def test_150_goods_reference_values():
    # Values this solver computed for the README; the rational enumeration above
    # checks the method, this guards the packaged data and the result against change.
    curve = _packaged_example()
    free = solve_tabulated(_goods_only(curve), Parameters.symmetric(1.0, 1.0, gamma=1.0))
    assert free.omega == pytest.approx(1.3061186652154024, rel=1e-14)
    assert (free.marginal_goods.z_S, free.marginal_goods.z_N) == (86, 86)
    assert free.marginal_goods.split_share_S == pytest.approx(0.48749386605253664, rel=1e-12)
    costly = solve_tabulated(_goods_only(curve), Parameters.symmetric(1.0 / 0.9, 1.0, gamma=1.0))
    assert costly.omega == pytest.approx(1.3141149529432152, rel=1e-14)
    assert (costly.marginal_goods.z_S, costly.marginal_goods.z_N) == (72, 95)
    assert costly.marginal_goods.split_share_S == 1.0
    assert costly.marginal_goods.split_share_N == pytest.approx(0.6434969147697913, rel=1e-12)


def test_150_goods_agrees_with_rational_enumeration():
    curve = _packaged_example()
    for tau in (1.0, 1.0 / 0.9):
        candidates = _rational_candidates(curve, tau, tau, 1.0)
        assert len({c[0] for c in candidates}) == 1
        eq = solve_tabulated(_goods_only(curve), Parameters.symmetric(tau, 1.0, gamma=1.0))
        assert eq.omega == pytest.approx(float(candidates[0][0]), rel=1e-14)
        assert eq.thresholds.z_N == pytest.approx(float(candidates[0][2]), rel=1e-12)


def test_solve_equilibrium_dispatches_to_tabulated():
    economy = _goods_only(_packaged_example())
    params = Parameters.symmetric(1.0 / 0.9, 1.0, gamma=1.0)
    assert solve_equilibrium(economy, params) == solve_tabulated(economy, params)


# ---------------------------------------------------------------------------
# Finite differences away from switch points
# ---------------------------------------------------------------------------

FD_CASES = [
    # Pinned: good 95 is split in the home market (share 0.64).
    ("goods only, pinned", _goods_only, Parameters.symmetric(1.0 / 0.9, 1.3, gamma=1.0)),
    # A continuous Eaton-Kortum services sector, pinned at a goods critical value.
    ("EK services, pinned", lambda c: Economy(goods_curve=c, services_curve=EatonKortumCurve()),
     Parameters.symmetric(1.1, 1.3, gamma=0.5)),
    # A continuous power services sector, omega inside a plateau (Brent's method).
    ("power services, plateau", lambda c: Economy(goods_curve=c, services_curve=PowerCurve()),
     Parameters.symmetric(1.1, 1.3, gamma=0.5)),
]


@pytest.mark.parametrize("label, make, params", FD_CASES, ids=[c[0] for c in FD_CASES])
def test_derivatives_match_central_differences(label, make, params):
    economy = make(_packaged_example())
    statics = tabulated_statics(economy, params)
    # gamma = 1 is the edge of gamma's domain, where no central difference exists.
    parameters = ("tau_g", "tau_g_sn", "tau_s", "tau_s_ns", "labour_ratio") + (("gamma",) if params.gamma < 1.0 else ())
    for parameter in parameters:
        for output in ("omega", "z_S", "z_N", "t_S", "t_N", "south_goods", "north_services"):
            derivative = statics[output][parameter]
            assert not derivative.at_boundary, (parameter, output, derivative.kink)
            expected = _finite_difference(economy, params, parameter, output)
            assert derivative.value == pytest.approx(expected, rel=1e-6, abs=1e-7), (parameter, output)


# ---------------------------------------------------------------------------
# Invariants over seeded random tables
# ---------------------------------------------------------------------------


@st.composite
def tables(draw, min_size=2, max_size=10):
    """A random table whose ratio A_1/A_N exceeds 4.5, more than any tau^NS tau^SN <= 4 drawn below."""
    size = draw(st.integers(min_size, max_size))
    logs = draw(st.lists(st.floats(-1.0, 1.0), min_size=size - 2, max_size=size - 2))
    ratios = sorted({float(np.exp(v)) for v in logs} | {2.2, 0.45}, reverse=True)
    foreign = draw(st.lists(st.floats(0.5, 2.0), min_size=len(ratios), max_size=len(ratios)))
    weights = np.asarray(draw(st.lists(st.floats(0.05, 1.0), min_size=len(ratios), max_size=len(ratios))))
    shares = weights / weights.sum()
    home = [f / r for f, r in zip(foreign, ratios)]
    return TabulatedCurve(tuple(foreign), tuple(home), tuple(shares.tolist()))


costs = st.floats(1.0, 2.0)


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(goods=tables(), tasks=tables(), tau=st.tuples(costs, costs, costs, costs),
       gamma=st.floats(0.0, 1.0), ell=st.floats(0.2, 5.0))
def test_invariants_random_tables(goods, tasks, tau, gamma, ell):
    economy = Economy(goods_curve=goods, services_curve=tasks)
    params = Parameters(*tau, gamma=gamma, labour_ratio=ell)
    eq = solve_tabulated(economy, params)
    th = eq.thresholds
    for value in th.to_dict().values():
        assert 0.0 <= value <= 1.0
    assert th.z_S <= th.z_N
    assert th.t_S <= th.t_N
    assert abs(eq.residual) <= 1e-12 * (eq.omega + ell)
    _check_balanced(eq)

    richer_south = solve_tabulated(economy, params.with_value("labour_ratio", 1.5 * ell))
    assert richer_south.omega >= eq.omega * (1.0 - 1e-14)


@settings(max_examples=12, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(goods=tables(), tau=st.tuples(costs, costs, costs, costs), gamma=st.floats(0.0, 1.0),
       ell=st.floats(0.2, 5.0), theta=st.floats(2.0, 6.0))
def test_invariants_continuous_services(goods, tau, gamma, ell, theta):
    economy = Economy(goods_curve=goods, services_curve=EatonKortumCurve(lam=1.5, theta=theta))
    params = Parameters(*tau, gamma=gamma, labour_ratio=ell)
    eq = solve_tabulated(economy, params)
    th = eq.thresholds
    for value in th.to_dict().values():
        assert 0.0 <= value <= 1.0
    assert th.z_S <= th.z_N
    assert th.t_S <= th.t_N
    assert abs(eq.residual) <= 1e-12 * (eq.omega + ell)
    _check_balanced(eq)


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(goods=tables(), tasks=tables(), tau=st.tuples(costs, costs, costs, costs),
       gamma=st.floats(0.05, 0.95), ell=st.floats(0.2, 5.0))
def test_statics_match_finite_differences_random(goods, tasks, tau, gamma, ell):
    # Off a switch point a central difference stays inside one configuration.
    # Hypothesis also finds switch points, for example goods and tasks with the
    # same table, whose critical values coincide. There omega's one-sided
    # derivatives are checked by one-sided differences, and the other outputs
    # are skipped because they may jump.
    economy = Economy(goods_curve=goods, services_curve=tasks)
    params = Parameters(*(t + 1e-3 for t in tau), gamma=gamma, labour_ratio=ell)
    statics = tabulated_statics(economy, params)
    for parameter in ("tau_g", "tau_s_sn", "gamma", "labour_ratio"):
        if statics["omega"][parameter].at_boundary:
            derivative = statics["omega"][parameter]
            for side, slope in (("left", derivative.left), ("right", derivative.right)):
                expected = _finite_difference(economy, params, parameter, "omega", side=side)
                assert slope == pytest.approx(expected, rel=1e-6, abs=1e-7), (parameter, side)
            continue
        for output in ("omega", "z_S", "t_N", "north_goods", "south_services"):
            expected = _finite_difference(economy, params, parameter, output)
            assert statics[output][parameter].value == pytest.approx(expected, rel=1e-6, abs=1e-7), (parameter, output)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(goods=tables(), tau=st.tuples(costs, costs), ell=st.floats(0.2, 5.0))
def test_marginal_goods_follow_cost_ratios(goods, tau, ell):
    params = Parameters(tau[0], tau[1], 1.0, 1.0, gamma=1.0, labour_ratio=ell)
    eq = solve_tabulated(_goods_only(goods), params)
    ratio = goods.relative_productivity
    marginal = eq.marginal_goods
    for k, share, cost_ratio in ((marginal.z_S, marginal.split_share_S, tau[0] * eq.omega),
                                 (marginal.z_N, marginal.split_share_N, eq.omega / tau[1])):
        full = k - 1 if share < 1.0 else k
        assert np.all(ratio[:full] * (1.0 + 1e-14) >= cost_ratio)
        assert np.all(ratio[k:] <= cost_ratio * (1.0 + 1e-14))


def test_continuous_goods_with_tabulated_tasks():
    tasks = TabulatedCurve((1.0,) * 4, (0.4, 0.7, 1.0, 1.6))
    economy = Economy(goods_curve=InverseCurve(), services_curve=tasks)
    eq = solve_tabulated(economy, Parameters.symmetric(1.2, 1.1, gamma=0.5))
    assert eq.marginal_goods is None
    assert eq.regime.z_S is Position.INTERIOR
    assert abs(eq.residual) <= 1e-12
    _check_balanced(eq)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_rejects_continuous_economy():
    with pytest.raises(InvalidCurveError, match="TabulatedCurve"):
        solve_tabulated(Economy(), Parameters())


def test_autarky_raises():
    # A = 1.2, 1.0 and tau = 1.5 both ways: 1.2/1.5 < 1.5 * 1.0, so no good is traded.
    curve = TabulatedCurve((1.2, 1.0), (1.0, 1.0))
    with pytest.raises(SolverError, match="no good or task is traded"):
        solve_tabulated(_goods_only(curve), Parameters.symmetric(1.5, 1.0, gamma=1.0))


def test_statics_rejects_unknown_parameter():
    with pytest.raises(InvalidParameterError, match="tabulated statics accept"):
        tabulated_statics(_goods_only(HAND_SPLIT), Parameters(), with_respect_to=("goods.c",))
