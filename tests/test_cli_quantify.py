"""``telemigration quantify``: the JSON contract, the text table and every bad input.

Every case goes through ``main(argv)`` as a user would type it. Bad input must
end with exit status 2 and one line on stderr that names the parameter or file.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from telemigration.cli import main as cli_main
from telemigration.cli.main import main
from telemigration.quantification import data


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_command_registered() -> None:
    assert "telemigration.cli.quantify" in cli_main.COMMAND_MODULES


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["quantify", "--json"], capsys)
    assert status == 0, err
    result = json.loads(out)
    assert set(result) == {"inputs", "percent_increase", "cells"}

    percent = result["percent_increase"]
    assert percent["first_order"] == pytest.approx(0.17675, rel=1e-14)
    assert percent["exact"] == pytest.approx(0.75 ** -0.707 - 1.0, rel=1e-14)
    low, high = percent["exact_ci95"]
    assert low < percent["exact"] < high
    assert "exact transform" in percent["exact_ci95_method"]

    inputs = result["inputs"]
    assert (inputs["shifter"], inputs["coefficient"], inputs["se"], inputs["change"], inputs["hours"]) == (
        "log_distance", -0.707, 0.029, 0.25, 2000.0,
    )
    assert inputs["coefficient_source"].startswith("Table 4.3 column 5")

    cells = result["cells"]
    assert len(cells) == 8
    for cell in cells:
        assert set(cell) == {"destination", "origin", "imports_busd", "hourly_wage", "base_jobs_millions",
                             "jobs_increase_millions"}
        assert set(cell["jobs_increase_millions"]) == {"first_order", "exact"}
        assert cell["base_jobs_millions"] == pytest.approx(cell["imports_busd"] * 1e3 / (cell["hourly_wage"] * 2000))
        assert cell["jobs_increase_millions"]["first_order"] == pytest.approx(
            cell["base_jobs_millions"] * percent["first_order"]
        )
        assert cell["jobs_increase_millions"]["exact"] == pytest.approx(cell["base_jobs_millions"] * percent["exact"])
    india = next(cell for cell in cells if (cell["destination"], cell["origin"]) == ("US", "India"))
    assert india["base_jobs_millions"] == pytest.approx(11.13e3 / (2.34 * 2000), rel=1e-14)


def test_json_for_each_shifter_kind(capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        ("--shifter", "shared_language"): math.exp(0.396) - 1.0,
        ("--shifter", "time_zone_diff", "--level", "10", "--change", "0.5"): math.exp(0.005) - 1.0,
        ("--column", "4.1:6", "--change", "0.5"): 0.5 ** -1.249 - 1.0,
        ("--coefficient", "-1", "--se", "0.1", "--hours", "1800"): 0.75 ** -1.0 - 1.0,
    }
    for options, expected in cases.items():
        status, out, err = run_main(["quantify", "--json", *options], capsys)
        assert status == 0, (options, err)
        assert json.loads(out)["percent_increase"]["exact"] == pytest.approx(expected, rel=1e-13), options


def test_hours_scale_base_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_main(["quantify", "--json", "--hours", "1000"], capsys)
    doubled = json.loads(out)["cells"][0]["base_jobs_millions"]
    assert doubled == pytest.approx(2 * 0.1895, rel=1e-14)


def test_text_shows_recomputed_and_printed(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["quantify"], capsys)
    assert status == 0, err
    assert "Telemigrants selling to US" in out
    assert "Telemigrants selling to EU" in out
    assert "first order 17.68%, exact 22.56%" in out
    india_row = [line for line in out.splitlines() if line.startswith("jobs increase (millions), 1st ord.")][0]
    assert india_row.split()[-1] == "0.4203"
    printed_rows = [line for line in out.splitlines() if line.startswith("  printed")]
    assert len(printed_rows) == 6
    assert printed_rows[2].split()[-1] == "0.42"


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["--shifter", "distance"], "shifter='distance'"),
        (["--change", "1.5"], "change=1.5"),
        (["--change", "0"], "change=0.0"),
        (["--change", "-0.25"], "change=-0.25"),
        (["--change", "nan"], "change=nan"),
        (["--change", "abc"], "--change"),
        (["--hours", "0"], "hours=0.0"),
        (["--hours", "-2000"], "hours=-2000.0"),
        (["--hours", "nan"], "hours=nan"),
        (["--coefficient", "nan", "--se", "0.1"], "coefficient=nan"),
        (["--coefficient", "-0.7"], "se=None"),
        (["--coefficient", "-0.7", "--se", "0"], "se=0.0"),
        (["--coefficient", "-0.7", "--se", "inf"], "se=inf"),
        (["--column", "4.3:9"], "column='4.3:9'"),
        (["--column", "9.9:1"], "column='9.9:1'"),
        (["--shifter", "time_zone_diff"], "level=None"),
        (["--shifter", "time_zone_diff", "--level", "-3"], "level=-3.0"),
        (["--shifter", "colonial_link", "--change", "0.25"], "change=0.25"),
        (["--bogus"], "unrecognized arguments"),
        (["--hours", "1e-300"], "--hours=1e-300"),
        (["--hours", "8785"], "[1, 8784]"),
        (["--coefficient", "-1e4", "--se", "1"], "--coefficient=-10000.0"),
        (["--coefficient", "-0.707", "--se", "1e308"], "--se=1e+308"),
        (["--shifter", "time_zone_diff", "--level", "1e308"], "--level=1e+308"),
        (["--shifter", "time_zone_diff"], "--level is required for the time_zone_diff shifter"),
    ],
)
def test_bad_input_exits_2(options: list[str], fragment: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["quantify", *options], capsys)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert fragment in err


@pytest.mark.parametrize(
    ("file", "old", "new", "fragment"),
    [
        ("obs_imports_2019.csv", "US,China,8.85", "US,China,-8.85", "must be > 0"),
        ("hourly_wages.csv", "India,2.34", "India,0", "must be > 0"),
        ("gravity_coefficients.csv", "table,column", "tabel,column", "the header is"),
        ("table_4_4_printed.csv", "US,India,2.38,0.18,0.42", "US,India,2.38,0.18", "fields; expected 5"),
    ],
)
def test_malformed_data_exits_2(
    tmp_path: Path, file: str, old: str, new: str, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "paper"
    shutil.copytree(data.PAPER_DATA_DIR, target)
    path = target / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    status, out, err = run_main(["quantify", "--data-dir", str(target)], capsys)
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert file in err
    assert fragment in err


def test_missing_data_dir_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(["quantify", "--json", "--data-dir", str(tmp_path / "absent")], capsys)
    assert status == 2
    assert "file not found" in err


def test_bad_input_messages_skip_absent_option(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run_main(["quantify", "--coefficient", "-0.707", "--se", "1e308"], capsys)
    assert "coefficient=" not in err
    assert "delta method" not in err
    _, _, err = run_main(["quantify", "--shifter", "time_zone_diff", "--level", "1e308"], capsys)
    assert "coefficient" not in err


def test_text_keeps_huge_values_apart(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["quantify", "--coefficient=-700", "--se", "1"], capsys)
    assert status == 0, err
    assert "exact 2.865e+89%" in out
    exact_row = [line for line in out.splitlines() if line.startswith("jobs increase (millions), exact")][0]
    assert len(exact_row.split()) == 4 + 4
    assert max(len(line) for line in out.splitlines()[6:]) <= 80


def test_json_keeps_exact_huge_values(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["quantify", "--json", "--change", "0.9999999999999999"], capsys)
    assert status == 0
    result = json.loads(out)
    assert result["percent_increase"]["exact"] == pytest.approx((1.0 - 0.9999999999999999) ** -0.707 - 1.0, rel=1e-12)
    assert "0.9999999999999999" in result["inputs"]["experiment"]


def test_help_prints_single_percent(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["quantify", "--help"])
    text = capsys.readouterr().out
    assert "95% interval" in text
    assert "%%" not in text
