"""Bad command-line input: exit status 2 and one line on stderr naming the parameter.

Every case goes through ``main(argv)`` as a user would type it; none needs the
solver, because input is validated before anything is solved.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from telemigration.cli.main import main
from telemigration.cli.specs import parse_curve_spec
from telemigration.errors import DataFileError, InvalidCurveError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def tables(tmp_path: Path) -> dict[str, str]:
    """Write small malformed and well-formed input files and return their paths by name."""
    contents = {
        "good": "1.0\t0.5\n1.0\t0.8\n1.0\t1.25\n",
        "ragged": "1.0\t0.5\n1.0\t0.8\t0.3\n1.0\t1.25\n",
        "negative": "1.0\t0.5\n1.0\t-0.8\n1.0\t1.25\n",
        "zero": "1.0\t0.5\n1.0\t0.0\n1.0\t1.25\n",
        "rising": "1.0\t0.5\n1.0\t1.25\n1.0\t0.8\n",
        "text": "1.0\t0.5\n1.0\tabc\n",
        "nan": "1.0\t0.5\n1.0\tnan\n",
        "inf": "1.0\t0.5\ninf\t0.8\n",
        "shares_nan": "0.5\nnan\n0.5\n",
        "empty": "# no rows\n",
        "shares_bad_sum": "0.2\n0.2\n0.2\n",
        "shares_short": "0.5\n0.5\n",
        "shares_good": "0.25\n0.25\n0.5\n",
    }
    paths = {}
    for name, text in contents.items():
        path = tmp_path / f"{name}.tsv"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    paths["missing"] = str(tmp_path / "missing.tsv")
    return paths


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# (argv, text that must appear in the error line). The text names the option or
# parameter at fault.
PARAMETER_CASES = [
    (["solve", "--tau-g", "0.5"], "--tau-g"),
    (["solve", "--tau-g-ns", "0.99"], "--tau-g-ns"),
    (["solve", "--tau-g-sn", "-1"], "--tau-g-sn"),
    (["solve", "--tau-s", "0"], "--tau-s"),
    (["solve", "--tau-s", "2", "--tau-s-ns", "0.5"], "--tau-s-ns"),
    (["solve", "--tau-s-sn", "0.1"], "--tau-s-sn"),
    (["solve", "--gamma", "1.5"], "--gamma"),
    (["solve", "--gamma", "-0.1"], "--gamma"),
    (["solve", "--labour-ratio", "0"], "--labour-ratio"),
    (["solve", "--labour-ratio", "-2"], "--labour-ratio"),
    (["solve", "--tau-g", "nan"], "--tau-g"),
    (["solve", "--tau-s", "inf"], "--tau-s"),
    (["solve", "--gamma", "NaN"], "--gamma"),
    (["solve", "--labour-ratio", "infinity"], "--labour-ratio"),
    (["solve", "--tau-g", "abc"], "--tau-g"),
    (["solve", "--gamma", ""], "--gamma"),
    (["solve", "--no-such-option"], "--no-such-option"),
    # Negative numbers in scientific notation and -inf are values, so the domain check names them.
    (["solve", "--tau-g", "-1e4"], "--tau-g=-10000.0"),
    (["solve", "--tau-g", "-inf"], "--tau-g=-inf"),
    (["solve", "--gamma", "-.5E-1"], "--gamma=-0.05"),
    # float() would accept these; the strict ASCII grammar rejects them.
    (["solve", "--tau-g", "1_000"], "'1_000'"),
    (["solve", "--tau-g", "\uff11"], "--tau-g"),
    (["solve", "--tau-g", " 2"], "--tau-g"),
    (["tipping-point", "--parameter", "tau_s", "--lower", "2", "--upper", "1.5"], "--lower"),
    (["tipping-point", "--parameter", "tau_s", "--lower", "2", "--upper", "2"], "--lower"),
    (["tipping-point", "--parameter", "gamma", "--lower", "0.5", "--upper", "1.5"], "--upper"),
    (["tipping-point", "--parameter", "tau_g", "--lower", "0.5"], "--lower"),
    (["tipping-point", "--parameter", "labour_ratio", "--lower", "0"], "--lower"),
    (["tipping-point", "--parameter", "tau_s", "--upper", "nan"], "--upper"),
    (["tipping-point", "--parameter", "omega"], "--parameter"),
    (["tipping-point"], "--parameter"),
    (["tipping-point", "--parameter", "tau_s", "--tau-g", "0.9"], "--tau-g"),
]

SPEC_CASES = [
    (["solve", "--goods-curve", "linear"], "--goods-curve"),
    (["solve", "--services-curve", "Power"], "--services-curve"),
    (["solve", "--services-curve", "power:c=1,c=2"], "'c'"),
    (["solve", "--services-curve", "power:c"], "'c'"),
    (["solve", "--services-curve", "power:c=1;alpha=2"], "--services-curve"),
    (["solve", "--services-curve", "power:d=1"], "'d'"),
    (["solve", "--services-curve", "power:"], "--services-curve"),
    (["solve", "--services-curve", "power:c=1,"], "--services-curve"),
    (["solve", "--services-curve", "power:c=abc"], "power.c"),
    (["solve", "--services-curve", "power:c=nan"], "power.c"),
    (["solve", "--services-curve", "power:alpha=inf"], "power.alpha"),
    (["solve", "--services-curve", "power:c=__import__('os')"], "power.c"),
    (["solve", "--services-curve", "power:c=1_0"], "power.c"),
    (["solve", "--services-curve", "power:c=\u0661"], "power.c"),
    (["solve", "--services-curve", "power:c=-1"], "power.c"),
    (["solve", "--services-curve", "power:alpha=0"], "power.alpha"),
    (["solve", "--services-curve", "ek:lambda=-2"], "ek.lambda"),
    (["solve", "--services-curve", "ek:theta=0"], "ek.theta"),
    (["solve", "--services-curve", "ek:lam=2"], "'lam'"),
    (["solve", "--services-curve", "hockey-stick:t_b=1.5"], "hockey-stick.t_b"),
    (["solve", "--services-curve", "hockey-stick:h=0"], "hockey-stick.h"),
    (["solve", "--services-curve", "hockey-stick:eps=-0.1"], "hockey-stick.eps"),
    (["solve", "--services-curve", "hockey-stick:beta=1e400"], "hockey-stick.beta"),
    (["solve", "--goods-curve", "inverse:c=1"], "--goods-curve"),
    (["solve", "--goods-curve", "table:"], "--goods-curve"),
]


@pytest.mark.parametrize(("argv", "named"), PARAMETER_CASES + SPEC_CASES)
def test_bad_input_exits_2_with_one_line(argv, named, capsys):
    status, out, err = run_main(argv, capsys)
    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert named in err
    assert "Traceback" not in err


FILE_CASES = [
    # (goods-curve table, goods-shares file or None, text the error line must contain)
    ("ragged", None, "columns"),
    ("negative", None, "negative"),
    ("zero", None, "> 0"),
    ("zero", None, "row 2: '0.0' is zero"),
    ("rising", None, "fall"),
    ("text", None, "'abc'"),
    ("nan", None, "'nan'"),
    ("inf", None, "'inf'"),
    ("empty", None, "no data rows"),
    ("missing", None, "not found"),
    ("good", "shares_bad_sum", "--goods-shares"),
    ("good", "shares_short", "--goods-shares"),
    ("good", "missing", "--goods-shares"),
    ("good", "ragged", "--goods-shares"),
    ("good", "shares_nan", "--goods-shares"),
]


@pytest.mark.parametrize(("table", "shares", "named"), FILE_CASES)
def test_bad_file_exits_2_with_one_line(tables, table, shares, named, capsys):
    argv = ["solve", "--goods-curve", f"table:{tables[table]}"]
    if shares is not None:
        argv += ["--goods-shares", tables[shares]]
    status, out, err = run_main(argv, capsys)
    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert named in err
    assert (tables[shares] if shares else tables[table]) in err


def test_shares_without_table_rejected(tables, capsys):
    status, out, err = run_main(["solve", "--goods-shares", tables["shares_good"]], capsys)
    assert status == 2
    assert len(err.splitlines()) == 1
    assert "--goods-shares" in err
    assert "table:PATH" in err


def test_shares_with_services_table_rejected(tables, capsys):
    argv = ["solve", "--services-curve", f"table:{tables['good']}", "--goods-shares", tables["shares_good"]]
    status, _, err = run_main(argv, capsys)
    assert status == 2
    assert len(err.splitlines()) == 1
    assert "--goods-shares" in err


def test_tipping_point_rejects_table(tables, capsys):
    argv = ["tipping-point", "--parameter", "tau_g", "--goods-curve", f"table:{tables['good']}"]
    status, _, err = run_main(argv, capsys)
    assert status == 2
    assert len(err.splitlines()) == 1
    assert "--goods-curve" in err


def test_error_lists_allowed_curve_names(capsys):
    _, _, err = run_main(["solve", "--goods-curve", "cubic"], capsys)
    for name in ("inverse", "power", "ek", "hockey-stick", "table:PATH"):
        assert name in err


def test_error_lists_allowed_keys(capsys):
    _, _, err = run_main(["solve", "--services-curve", "hockey-stick:width=0.1"], capsys)
    for key in ("h", "eps", "t_b", "beta"):
        assert key in err


def test_newline_in_spec_stays_one_line(capsys):
    status, _, err = run_main(["solve", "--services-curve", "power:c=1\nalpha=2"], capsys)
    assert status == 2
    assert len(err.splitlines()) == 1


def test_parse_spec_raises_typed_errors(tables):
    with pytest.raises(InvalidCurveError) as caught:
        parse_curve_spec("power:c=x", option="--services-curve")
    assert caught.value.parameter == "--services-curve power.c"
    assert caught.value.value == "x"
    with pytest.raises(DataFileError):
        parse_curve_spec(f"table:{tables['missing']}")
    with pytest.raises(InvalidCurveError):
        parse_curve_spec("inverse", shares_path=tables["shares_good"])


def test_module_entry_point_prints_no_traceback():
    completed = subprocess.run(
        [sys.executable, "-m", "telemigration.cli", "solve", "--gamma", "2"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1
    assert "--gamma" in completed.stderr


def test_python_dash_m_telemigration_runs():
    completed = subprocess.run(
        [sys.executable, "-m", "telemigration", "solve", "--gamma", "2"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1
    assert "--gamma" in completed.stderr


def test_verbose_logs_only_telemigration():
    completed = subprocess.run(
        [sys.executable, "-m", "telemigration", "-v", "quantify", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0
    logged = completed.stderr.splitlines()
    assert any(line.startswith("INFO telemigration.") for line in logged)
    others = [line for line in logged if not line.split(" ", 2)[1].startswith("telemigration")]
    assert others == []


def test_negative_scientific_value_parses(capsys):
    status, out, _ = run_main(["quantify", "--json", "--coefficient", "-7.07e-1", "--se", "2.9E-2"], capsys)
    assert status == 0
    assert '"coefficient": -0.707' in out
