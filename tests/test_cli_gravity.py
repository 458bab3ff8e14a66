"""The simulate-gravity and estimate-gravity commands."""

import json

import pytest

from telemigration.cli.main import main
from telemigration.models.gravity_data import REGRESSORS, read_gravity_csv


@pytest.fixture(scope="module")
def panel_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("gravity") / "panel.csv"
    assert main(["simulate-gravity", "--out", str(path), "--nations", "10", "--years", "4", "--seed", "5"]) == 0
    return path


def one_error_line(capsys) -> str:
    error = capsys.readouterr().err.strip()
    assert "\n" not in error
    # Argument errors name the subcommand: "telemigration simulate-gravity: error: ...".
    assert error.startswith("telemigration")
    assert ": error: " in error
    return error


def test_simulate_writes_valid_panel(panel_path):
    frame = read_gravity_csv(panel_path)
    assert len(frame) == 10 * 9 * 4
    assert set(frame["year"]) == {2005, 2006, 2007, 2008}


def test_simulate_leaves_no_temporary_files(panel_path):
    assert [path.name for path in panel_path.parent.iterdir()] == ["panel.csv"]


def test_simulate_reports_rows(tmp_path, capsys):
    path = tmp_path / "small.csv"
    assert main(["simulate-gravity", "--out", str(path), "--nations", "4", "--years", "2"]) == 0
    assert "wrote 24 rows" in capsys.readouterr().out


def test_estimate_prints_table(panel_path, capsys):
    assert main(["estimate-gravity", str(panel_path)]) == 0
    output = capsys.readouterr().out
    assert "gravity regression (OLS)" in output
    assert "trend = year - 2005" in output
    assert "Distance (log) x trend" in output
    assert "zero flows" in output


def test_estimate_json(panel_path, capsys):
    assert main(["estimate-gravity", str(panel_path), "--method", "ppml", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["method"] == "ppml"
    assert [c["name"] for c in result["coefficients"]] == list(REGRESSORS)
    assert set(result["coefficients"][0]) == {"name", "estimate", "se", "ci95"}
    assert result["n_obs"] == 10 * 9 * 4 - result["dropped"]["total"]
    assert result["dropped"]["zero_flows"] == 0


def test_estimate_ols_json_counts_zeros(panel_path, capsys):
    assert main(["estimate-gravity", str(panel_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    zeros = int((read_gravity_csv(panel_path)["flow"] == 0.0).sum())
    assert result["dropped"]["zero_flows"] == zeros


def test_estimate_writes_latex(panel_path, tmp_path, capsys):
    target = tmp_path / "table.tex"
    assert main(["estimate-gravity", str(panel_path), "--latex", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith(r"\begin{tabular}{lr}")
    assert r"Distance (log) $\times$ trend" in text
    assert text.rstrip().endswith(r"\end{tabular}")
    assert [path.name for path in tmp_path.iterdir()] == ["table.tex"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("origin,destination,year\nA,B,2005\n", "missing required column 'flow'"),
        (
            "origin,destination,year,flow,distance,time_zone_diff,shared_language,colonial_link,shared_legal_origin\n"
            "A,B,2005,-1,100,1,0,0,0\n",
            "column 'flow' has the invalid value -1.0 on line 2",
        ),
    ],
)
def test_estimate_bad_file_exits_2(tmp_path, capsys, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["estimate-gravity", str(path)]) == 2
    assert message in one_error_line(capsys)


def test_estimate_missing_file_exits_2(tmp_path, capsys):
    assert main(["estimate-gravity", str(tmp_path / "absent.csv")]) == 2
    assert "file not found" in one_error_line(capsys)


def test_estimate_unknown_method_exits_2(panel_path, capsys):
    assert main(["estimate-gravity", str(panel_path), "--method", "gmm"]) == 2
    assert "invalid choice" in one_error_line(capsys)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--nations", "2"], "nations"),
        (["--years", "0"], "years"),
        (["--seed", "-1"], "seed"),
        (["--nations", "many"], "invalid int value"),
        (["--nations", "1_0"], "invalid int value: '1_0'"),
        (["--nations", "100000"], "invalid --nations=100000"),
        (["--nations", "448"], "at most 447 nations"),
        (["--years", "101"], "invalid --years=101"),
    ],
)
def test_simulate_bad_option_exits_2(tmp_path, capsys, arguments, message):
    assert main(["simulate-gravity", "--out", str(tmp_path / "x.csv"), *arguments]) == 2
    assert message in one_error_line(capsys)
    assert not (tmp_path / "x.csv").exists()


def test_simulate_out_directory_exits_2(tmp_path, capsys):
    assert main(["simulate-gravity", "--out", str(tmp_path), "--nations", "3", "--years", "1"]) == 2
    error = one_error_line(capsys)
    assert f"--out='{tmp_path}'" in error
    assert "is a directory" in error


def test_simulate_out_under_file_exits_2(tmp_path, capsys):
    blocker = tmp_path / "file.csv"
    blocker.write_text("x", encoding="utf-8")
    assert main(["simulate-gravity", "--out", str(blocker / "panel.csv"), "--nations", "3", "--years", "1"]) == 2
    assert "not a directory" in one_error_line(capsys)


def test_estimate_latex_directory_exits_2(panel_path, tmp_path, capsys):
    assert main(["estimate-gravity", str(panel_path), "--latex", str(tmp_path)]) == 2
    error = one_error_line(capsys)
    assert f"--latex='{tmp_path}'" in error
    assert "is a directory" in error


def test_estimate_all_zero_ppml_exits_2(panel_path, tmp_path, capsys):
    frame = read_gravity_csv(panel_path)
    frame["flow"] = 0.0
    path = tmp_path / "zeros.csv"
    frame.to_csv(path, index=False)
    assert main(["estimate-gravity", str(path), "--method", "ppml"]) == 2
    assert "no flow is positive" in one_error_line(capsys)


def test_estimate_reports_domestic_rows(panel_path, tmp_path, capsys):
    frame = read_gravity_csv(panel_path)
    frame.loc[0, "destination"] = frame.loc[0, "origin"]
    path = tmp_path / "domestic.csv"
    frame.to_csv(path, index=False)
    assert main(["estimate-gravity", str(path), "--method", "ppml"]) == 0
    output = capsys.readouterr().out
    assert "1 domestic (origin = destination)" in output
    assert "before PPML; slopes and standard errors are unchanged" in output
