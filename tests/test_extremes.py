"""Calibrations at the edges of float64 and of the model: thin trade, extreme costs, kinks, steep curves.

Each case either solves with balanced trade and finite derivatives or fails with a
typed error that names the parameter at fault. None may print NaN, a traceback or
a plausible number after a failed solve.
"""

from __future__ import annotations

import json
import math
import re

import pytest

import telemigration.solvers  # noqa: F401  (switches JAX to float64)
from telemigration.cli.main import main
from telemigration.errors import InvalidCurveError, SolverError
from telemigration.models import Economy, HockeyStickCurve, InverseCurve, Parameters, PowerCurve
from telemigration.solvers import solve_equilibrium
from telemigration.solvers.equilibrium import RESIDUAL_FLOOR, RESIDUAL_TOLERANCE


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _default_economy() -> Economy:
    return Economy(InverseCurve(), PowerCurve())


# (argv, texts the one error line must contain). Each names the parameter and value.
FAILING_SOLVES = [
    (["solve", "--tau-g", "1e6", "--tau-s", "1e6"], ("too thin", "tau_g_ns=1e+06")),
    (["solve", "--labour-ratio", "1e-12"], ("too thin", "labour_ratio=1e-12")),
    (["solve", "--labour-ratio", "1e300"], ("above", "labour_ratio=1e+300")),
    (["solve", "--labour-ratio", "5e-324"], ("below", "labour_ratio=4.94066e-324")),
    (["solve", "--tau-g", "1e300", "--tau-s", "1e300"], ("above", "tau_s_sn=1e+300")),
]


@pytest.mark.parametrize("argv, texts", FAILING_SOLVES)
@pytest.mark.parametrize("as_json", [False, True])
def test_extreme_solve_fails_in_one_line(argv, texts, as_json, capsys):
    status, out, err = run_main(argv + (["--json"] if as_json else []), capsys)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert re.search(r"\bnan\b", err, re.IGNORECASE) is None
    for text in texts:
        assert text in err
    assert "strictly decreasing" not in err


def test_thin_trade_rejected_by_library():
    with pytest.raises(SolverError, match="too thin"):
        solve_equilibrium(_default_economy(), Parameters.symmetric(tau_g=1e6, tau_s=1e6))


@pytest.mark.parametrize("tau", [1.0, 1.5, 10.0, 100.0])
def test_solved_trade_is_balanced(tau):
    equilibrium = solve_equilibrium(_default_economy(), Parameters.symmetric(tau_g=tau, tau_s=tau))
    flows = equilibrium.trade_flows
    north = flows.north_goods + flows.north_services
    south = flows.south_goods + flows.south_services
    floor = RESIDUAL_FLOOR * (equilibrium.omega + 1.0)
    assert abs(north - south) <= RESIDUAL_TOLERANCE * max(north, south) + floor
    # The floor stays far below the flows, so balance is a statement about them.
    assert floor <= 1e-6 * max(north, south)


@pytest.mark.parametrize("gamma, sector", [(1.0, "services"), (0.0, "goods")])
def test_trade_pattern_follows_gamma(gamma, sector, capsys):
    status, out, _ = run_main(["solve", "--gamma", str(gamma), "--json"], capsys)
    assert status == 0
    result = json.loads(out)
    regime = result["regime"]
    assert regime[f"north_exports_{sector}"] is False
    assert regime[f"south_exports_{sector}"] is False
    other = "goods" if sector == "services" else "services"
    assert regime[f"north_exports_{other}"] is True
    assert regime[f"south_exports_{other}"] is True
    # Thresholds keep their positions; only the flows of the unspent sector vanish.
    assert set(regime["positions"].values()) == {"interior"}
    assert result["trade_flows"][f"north_{sector}"] == 0.0
    assert math.isfinite(result["omega"])


# (services curve SPEC, texts the error line must contain). The curve overflows
# float64, which is not a domain error, and the message names the option.
OVERFLOWING_CURVES = [
    ("hockey-stick:beta=1e4", ("overflows float64", "exp(beta*t_b) = exp(1000)", "reduce beta or t_b")),
    ("ek:lambda=2,theta=0.01", ("overflows float64", "raise theta")),
    ("power:c=1e308,alpha=0.5", ("overflows float64", "reduce c or alpha")),
]


@pytest.mark.parametrize("spec, texts", OVERFLOWING_CURVES)
def test_curve_overflow_names_option(spec, texts, capsys):
    status, out, err = run_main(["solve", "--services-curve", spec], capsys)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "--services-curve" in err
    assert "finite and positive" not in err
    for text in texts:
        assert text in err


def test_curve_overflow_in_library():
    with pytest.raises(InvalidCurveError, match="overflows float64"):
        HockeyStickCurve(beta=1e4).validate_shape()


# (argv, curve parameter the error must name). The residual is continuous but too
# steep or too flat to balance in float64.
STEEP_CURVES = [
    (["solve", "--services-curve", "hockey-stick:eps=1e-12", "--tau-s", "1.3"], "services.eps=1e-12"),
    (["solve", "--services-curve", "power:c=1,alpha=1e-12"], "services.alpha=1e-12"),
    (["solve", "--services-curve", "power:c=1e-308,alpha=0.5"], "services.c=1e-308"),
]


@pytest.mark.parametrize("argv, named", STEEP_CURVES)
def test_steep_curve_failure_is_worded(argv, named, capsys):
    status, out, err = run_main(argv, capsys)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "not continuous" not in err
    assert "steep" in err
    assert named in err


def test_tipping_point_grid_option(capsys):
    argv = ["tipping-point", "--parameter", "tau_s", "--lower", "1", "--upper", "1e308", "--grid", "33", "--json"]
    status, out, err = run_main(argv, capsys)
    assert status == 0, err
    result = json.loads(out)
    assert result["grid"] == 33
    assert [boundary["threshold"] for boundary in result["boundaries"]] == ["t_N"]
    status, out, err = run_main(["tipping-point", "--parameter", "tau_s", "--grid", "1"], capsys)
    assert status == 2
    assert "--grid" in err


def test_solve_reports_both_sides_at_curve_kink(capsys):
    argv = ["solve", "--tau-g", "1.1", "--tau-s", "1.0013314119544432", "--services-curve", "hockey-stick", "--json"]
    status, out, err = run_main(argv, capsys)
    assert status == 0, err
    derivative = json.loads(out)["derivatives"]["omega"]["tau_s"]
    # One-sided differences of re-solved equilibria give 0.04857 below and 1.00973 above.
    assert derivative["left"] == pytest.approx(0.048569034, rel=1e-6)
    assert derivative["right"] == pytest.approx(1.009725655, rel=1e-6)


def test_parameters_reject_integer_beyond_float64():
    # 10**400 has no float64 value, so float() raises OverflowError; the check must turn that into a typed error.
    from telemigration.errors import InvalidParameterError
    from telemigration.models import Parameters

    with pytest.raises(InvalidParameterError, match="tau_g_ns"):
        Parameters(tau_g_ns=10**400)
