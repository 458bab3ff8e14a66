"""``telemigration solve`` and ``tipping-point`` against closed forms, invariants and the 150-good table.

Closed forms used below (Baldwin and Dingel 2021, section 5.2, with A(z) = 1/z,
S(t) = t^(-1/2), uniform goods spending and symmetric costs). In the interior
regime the thresholds are z_S = 1/(tau_g omega), z_N = tau_g/omega,
t_S = 1/(tau_s omega)^2 and t_N = tau_s^2/omega^2. Putting them into North's
labour market omega (1 - gamma z_N - (1 - gamma) t_N) = ell (gamma z_S + (1 - gamma) t_S)
and multiplying by omega^2 gives, by hand,

    P(omega) = omega^3 - gamma tau_g omega^2 - ((1 - gamma) tau_s^2 + ell gamma / tau_g) omega
               - ell (1 - gamma) / tau_s^2 = 0,

whose one positive root is omega. At free trade and gamma = 1/2 this is
footnote 15's cubic 2 omega^3 - omega^2 - 2 omega - 1 = 0.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from telemigration.cli.main import main
from telemigration.cli.specs import parse_curve_spec
from telemigration.models.curves import EatonKortumCurve, HockeyStickCurve, InverseCurve, PowerCurve, TabulatedCurve

# The example sits in shared/ beside the clone; the package ships a copy.
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dfs-150-goods"
PACKAGED_DATA = Path(__file__).resolve().parents[1] / "telemigration" / "data" / "dfs-150-goods"
EXAMPLE_DATA = SHARED_DATA if SHARED_DATA.is_dir() else PACKAGED_DATA
DERIVATIVE_NAMES = ("tau_g", "tau_s", "tau_g_ns", "tau_g_sn", "tau_s_ns", "tau_s_sn", "gamma", "labour_ratio")


def _reject_constant(name: str) -> None:
    raise AssertionError(f"non-finite number {name} in JSON output")


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    status = main(argv + ["--json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return json.loads(captured.out, parse_constant=_reject_constant)


def positive_root(coefficients: list[float]) -> float:
    roots = np.roots(coefficients)
    positive = [root.real for root in roots if abs(root.imag) < 1e-12 and root.real > 0.0]
    assert len(positive) == 1
    return positive[0]


def interior_cubic(tau_g: float, tau_s: float, gamma: float, ell: float) -> list[float]:
    return [1.0, -gamma * tau_g, -((1 - gamma) * tau_s**2 + ell * gamma / tau_g), -ell * (1 - gamma) / tau_s**2]


# --- SPEC parsing -------------------------------------------------------------


def test_spec_defaults_and_keys():
    assert parse_curve_spec("inverse") == InverseCurve()
    assert parse_curve_spec("power") == PowerCurve()
    assert parse_curve_spec("power:alpha=0.25") == PowerCurve(c=1.0, alpha=0.25)
    assert parse_curve_spec(" power : alpha = 0.25 , c = 2 ") == PowerCurve(c=2.0, alpha=0.25)
    assert parse_curve_spec("ek:lambda=3,theta=5") == EatonKortumCurve(lam=3.0, theta=5.0)
    assert parse_curve_spec("hockey-stick:beta=15") == HockeyStickCurve(beta=15.0)
    assert parse_curve_spec("hockey-stick:h=1.1,eps=0.02,t_b=0.2,beta=1e1") == HockeyStickCurve(1.1, 0.02, 0.2, 10.0)


def test_spec_round_trips_describe():
    for curve in (InverseCurve(), PowerCurve(2.0, 0.75), EatonKortumCurve(2.0, 4.0), HockeyStickCurve()):
        assert parse_curve_spec(curve.describe()) == curve


def test_solve_json_names_lambda(capsys):
    result = run_json(["solve", "--services-curve", "ek:theta=5"], capsys)
    assert result["inputs"]["services_curve"]["parameters"] == {"lambda": 2.0, "theta": 5.0}


def test_solve_help_states_spec_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "'power' and 'power:c=1' both mean power:c=1,alpha=0.5" in text
    assert "ek lambda=2, theta=4" in text
    assert "hockey-stick h=1.05, eps=0.05, t_b=0.1, beta=20" in text


def test_spec_table_reads_path_after_prefix():
    if not EXAMPLE_DATA.is_dir():
        pytest.skip(f"the 150-good example is neither at {SHARED_DATA} nor at {PACKAGED_DATA}")
    curve = parse_curve_spec(
        f"table:{EXAMPLE_DATA / 'unit_labour.tsv'}", shares_path=EXAMPLE_DATA / "expenditure_shares.tsv"
    )
    assert isinstance(curve, TabulatedCurve)
    assert curve.size == 150
    assert math.isclose(sum(curve.shares), 1.0, abs_tol=1e-9)


# --- solve --------------------------------------------------------------------


def test_solve_default_is_footnote_15(capsys):
    result = run_json(["solve"], capsys)
    omega = positive_root([2.0, -1.0, -2.0, -1.0])
    assert result["omega"] == pytest.approx(omega, rel=1e-10)
    # The root is 1.4375649 (numpy.roots): 1.4376 to 5 significant figures and
    # 1.43756, not 1.43757, to 6.
    assert round(result["omega"], 4) == 1.4376
    thresholds = result["thresholds"]
    assert thresholds["z_S"] == pytest.approx(1.0 / omega, rel=1e-10)
    assert thresholds["z_N"] == pytest.approx(1.0 / omega, rel=1e-10)
    assert thresholds["t_S"] == pytest.approx(omega**-2, rel=1e-10)
    assert thresholds["t_N"] == pytest.approx(omega**-2, rel=1e-10)
    assert result["status"] == "success"
    assert result["inputs"]["goods_curve"]["spec"] == "inverse"
    assert result["inputs"]["services_curve"]["parameters"] == {"c": 1.0, "alpha": 0.5}
    assert result["inputs"]["parameters"]["gamma"] == 0.5


def test_solve_json_has_contract_keys(capsys):
    result = run_json(["solve", "--tau-g", "1.2", "--tau-s", "1.3"], capsys)
    for key in ("omega", "thresholds", "regime", "derivatives", "trade_flows", "residual", "status", "inputs"):
        assert key in result
    assert set(result["thresholds"]) >= {"z_S", "z_N", "t_S", "t_N"}
    for key in ("north_exports_goods", "south_exports_goods", "north_exports_services", "south_exports_services"):
        assert isinstance(result["regime"][key], bool)
    assert set(result["derivatives"]["omega"]) == set(DERIVATIVE_NAMES)
    for value in result["derivatives"]["omega"].values():
        assert isinstance(value, float) or set(value) == {"left", "right"}
    assert "marginal_goods" not in result


@pytest.mark.parametrize(
    ("tau_g", "tau_s", "gamma", "ell"),
    [(1.2, 1.3, 0.4, 1.5), (1.05, 1.4, 0.7, 0.8), (1.0, 1.0, 0.3, 2.0)],
)
def test_solve_matches_interior_cubic(tau_g, tau_s, gamma, ell, capsys):
    argv = ["solve", "--tau-g", str(tau_g), "--tau-s", str(tau_s), "--gamma", str(gamma), "--labour-ratio", str(ell)]
    result = run_json(argv, capsys)
    omega = positive_root(interior_cubic(tau_g, tau_s, gamma, ell))
    assert result["omega"] == pytest.approx(omega, rel=1e-10)
    assert all(0.0 < value < 1.0 for value in result["thresholds"].values())

    # Implicit function theorem on P(omega; tau_s) = 0 with P from the module docstring.
    p_omega = 3 * omega**2 - 2 * gamma * tau_g * omega - ((1 - gamma) * tau_s**2 + ell * gamma / tau_g)
    p_tau_s = -2 * (1 - gamma) * tau_s * omega + 2 * ell * (1 - gamma) / tau_s**3
    derivatives = result["derivatives"]["omega"]
    assert derivatives["tau_s"] == pytest.approx(-p_tau_s / p_omega, rel=1e-7)
    # tau_s moves both directions, so its derivative is the sum of the directional ones.
    assert derivatives["tau_s"] == pytest.approx(derivatives["tau_s_ns"] + derivatives["tau_s_sn"], rel=1e-9)
    assert derivatives["tau_g"] == pytest.approx(derivatives["tau_g_ns"] + derivatives["tau_g_sn"], rel=1e-9)


def test_solve_trade_is_balanced(capsys):
    result = run_json(["solve", "--tau-g", "1.3", "--tau-s-ns", "1.1", "--tau-s-sn", "2", "--gamma", "0.6"], capsys)
    flows = result["trade_flows"]
    north = flows["north_goods"] + flows["north_services"]
    south = flows["south_goods"] + flows["south_services"]
    assert north == pytest.approx(south, rel=1e-10)
    assert abs(result["residual"]) < 1e-10


def test_directional_option_overrides_common(capsys):
    result = run_json(["solve", "--tau-s", "1.5", "--tau-s-ns", "2", "--tau-g-sn", "1.25"], capsys)
    parameters = result["inputs"]["parameters"]
    assert parameters["tau_s_ns"] == 2.0
    assert parameters["tau_s_sn"] == 1.5
    assert parameters["tau_g_ns"] == 1.0
    assert parameters["tau_g_sn"] == 1.25


def test_solve_south_sells_no_services_at_high_cost(capsys):
    # Hockey-stick handle level h = 1.05: South sells no task in the North once
    # omega <= tau_s S(1) = 1.05 tau_s.
    argv = ["solve", "--services-curve", "hockey-stick", "--tau-g", "1.1", "--tau-s", "2"]
    result = run_json(argv, capsys)
    assert result["regime"]["south_exports_services"] is False
    assert result["thresholds"]["t_N"] == 1.0
    assert result["omega"] <= 1.05 * 2.0


def test_solve_text_summary(capsys):
    status = main(["solve", "--tau-g", "1.2"])
    out = capsys.readouterr().out
    assert status == 0
    assert "omega = w/w*" in out
    assert "d omega / d p" in out
    for name in DERIVATIVE_NAMES:
        assert name in out
    assert max(len(line) for line in out.splitlines()) <= 100


# --- the 150-good table -------------------------------------------------------


@pytest.fixture(scope="module")
def table_paths() -> tuple[Path, Path]:
    if not EXAMPLE_DATA.is_dir():
        pytest.skip(f"the 150-good example is neither at {SHARED_DATA} nor at {PACKAGED_DATA}")
    return EXAMPLE_DATA / "unit_labour.tsv", EXAMPLE_DATA / "expenditure_shares.tsv"


@pytest.mark.parametrize("tau", [1.0, 1.0 / 0.9])
def test_solve_150_goods(table_paths, tau, capsys):
    labour, shares = table_paths
    argv = [
        "solve", "--goods-curve", f"table:{labour}", "--goods-shares", str(shares),
        "--gamma", "1", "--tau-g", repr(tau),
    ]
    result = run_json(argv, capsys)
    omega = result["omega"]
    table = np.loadtxt(labour, delimiter="\t")
    relative = table[:, 0] / table[:, 1]
    marginal = result["marginal_goods"]
    assert 1 <= marginal["z_S"] <= marginal["z_N"] <= 150

    # North sells good i in the South iff A_i >= tau omega, at home iff A_i >= omega / tau;
    # the marginal good may sit exactly at the cost ratio and is split.
    for index, ratio in ((marginal["z_S"], tau * omega), (marginal["z_N"], omega / tau)):
        assert relative[index - 1] >= ratio * (1 - 1e-12)
        if index < 150:
            assert relative[index] <= ratio * (1 + 1e-12)
    if tau == 1.0:
        assert marginal["z_S"] == marginal["z_N"]
    else:
        assert marginal["z_S"] < marginal["z_N"]

    thresholds = result["thresholds"]
    assert 0.0 <= thresholds["z_S"] <= thresholds["z_N"] <= 1.0
    flows = result["trade_flows"]
    assert flows["north_goods"] == pytest.approx(flows["south_goods"], rel=1e-10)
    assert flows["north_services"] == 0.0
    assert flows["south_services"] == 0.0
    assert abs(result["residual"]) < 1e-12
    assert result["inputs"]["goods_curve"]["goods"] == 150


# --- tipping-point ------------------------------------------------------------


def test_tipping_point_south_services_start(capsys):
    base = ["--services-curve", "hockey-stick", "--tau-g", "1.1", "--gamma", "0.5"]
    result = run_json(["tipping-point", "--parameter", "tau_s", "--lower", "1", "--upper", "2", *base], capsys)
    assert result["parameter"] == "tau_s"
    entering = [b for b in result["boundaries"] if b["threshold"] == "t_N"]
    assert len(entering) == 1
    boundary = entering[0]
    assert boundary["regime_below"]["south_exports_services"] is True
    assert boundary["regime_above"]["south_exports_services"] is False
    assert 1.0 < boundary["value"] < 2.0

    # At the boundary t_N = 1 exactly, so omega = tau_s S(1) = 1.05 tau_s.
    value = boundary["value"]
    at = run_json(["solve", "--tau-s", repr(value), *base], capsys)
    assert at["omega"] == pytest.approx(1.05 * value, rel=1e-8)
    below = run_json(["solve", "--tau-s", repr(value * (1 - 1e-4)), *base], capsys)
    above = run_json(["solve", "--tau-s", repr(value * (1 + 1e-4)), *base], capsys)
    assert below["regime"]["south_exports_services"] is True
    assert above["regime"]["south_exports_services"] is False


def test_tipping_point_none_in_interior(capsys):
    result = run_json(["tipping-point", "--parameter", "labour_ratio", "--lower", "0.9", "--upper", "1.1"], capsys)
    assert result["boundaries"] == []
    assert result["lower"] == 0.9
    assert result["upper"] == 1.1


def test_tipping_point_default_bounds_and_text(capsys):
    status = main(["tipping-point", "--parameter", "tau_s", "--services-curve", "hockey-stick", "--tau-g", "1.1"])
    out = capsys.readouterr().out
    assert status == 0
    assert "[1, 3]" in out
    assert "t_N" in out
