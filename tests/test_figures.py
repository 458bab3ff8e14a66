"""Figures drawn from the model: the data each figure drew agrees with the solver, files are sane."""

from __future__ import annotations

import json
import struct

import matplotlib
import numpy as np
import pytest

from telemigration.cli.main import main
from telemigration.errors import InvalidParameterError
from telemigration.models import Economy, EatonKortumCurve, HockeyStickCurve, InverseCurve, Parameters, PowerCurve
from telemigration.publish.figures import FIGURES, figure_5_1, figure_5_3, write_figures
from telemigration.publish.figures.hockey_stick import GAMMA, TAU_G, figure_5_2, figure_5_4
from telemigration.publish.figures.sweeps import figure_elasticities, figure_omega_tau_s
from telemigration.solvers.equilibrium import solve_equilibrium


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    directory = tmp_path_factory.mktemp("figures")
    return directory, write_figures(directory)


def _png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_every_figure_written_as_png_and_pdf(written) -> None:
    directory, figures = written
    assert [figure.name for figure in figures] == list(FIGURES)
    for figure in figures:
        assert figure.png.stat().st_size > 10_000
        assert figure.pdf.read_bytes().startswith(b"%PDF")
        width, height = _png_size(figure.png)
        # 150 dpi figures of 6.4 to 11 inches, cropped to the drawn area.
        assert 600 <= width <= 2000, (figure.name, width)
        assert 400 <= height <= 1200, (figure.name, height)
    assert sorted(path.name for path in directory.iterdir() if path.name.endswith(".part")) == []


@pytest.mark.parametrize("tau", [1.05, 1.25, 2.0])
def test_figure_5_1_crossing_is_equilibrium(tau: float) -> None:
    drawn = figure_5_1(tau)
    goods_only = solve_equilibrium(Economy(InverseCurve(), PowerCurve()), Parameters.symmetric(tau_g=tau, gamma=1.0))
    assert drawn.data["omega"] == pytest.approx(goods_only.omega, rel=1e-10)
    assert drawn.data["z_N"] == pytest.approx(goods_only.thresholds.z_N, rel=1e-10)
    assert drawn.data["z_S"] == pytest.approx(goods_only.thresholds.z_S, rel=1e-10)
    # Equation (2)'s thresholds: z_N = tau^2 z_S under A(z) = 1/z.
    assert drawn.data["z_N"] == pytest.approx(tau**2 * drawn.data["z_S"], rel=1e-12)


def test_figure_5_1_rejects_free_trade() -> None:
    with pytest.raises(InvalidParameterError, match="tau"):
        figure_5_1(1.0)


def test_figure_5_2_lines_cross_curve_at_thresholds() -> None:
    drawn = figure_5_2()
    data = drawn.data
    equilibrium = solve_equilibrium(
        Economy(InverseCurve(), HockeyStickCurve()), Parameters.symmetric(tau_g=TAU_G, tau_s=2.0, gamma=GAMMA)
    )
    assert data["omega"] == pytest.approx(equilibrium.omega, rel=1e-12)
    assert data["t_S"] == pytest.approx(equilibrium.thresholds.t_S, rel=1e-12)
    inverse_at_t_S = 1.0 / float(HockeyStickCurve().evaluate(data["t_S"]))
    assert inverse_at_t_S == pytest.approx(data["north_line"], rel=1e-9)
    # South sells no services at tau_s = 2: the upper line lies above 1/S everywhere.
    assert data["t_N"] == 1.0
    assert data["south_line"] > float(np.max(data["inverse_curve"]))


def test_figure_5_3_fit_recovers_frechet_parameters() -> None:
    drawn = figure_5_3()
    fit = drawn.data["fit"]
    # With 5,000 draws the seeded fit is within 1% of theta = 4 and 2% of
    # lambda = 2; the bounds leave room for the sampling error of other seeds.
    assert fit["theta"] == pytest.approx(4.0, rel=0.05)
    assert fit["lambda"] == pytest.approx(2.0, rel=0.1)
    assert fit["r_squared"] > 0.99
    assert np.all(np.diff(drawn.data["ratios"]) <= 0.0)


def test_figure_5_3_is_reproducible() -> None:
    first, second = figure_5_3(seed=7), figure_5_3(seed=7)
    np.testing.assert_array_equal(first.data["ratios"], second.data["ratios"])
    assert not np.array_equal(first.data["ratios"], figure_5_3(seed=8).data["ratios"])


def test_figure_5_4_expansion_is_asymmetric() -> None:
    data = figure_5_4().data
    north_before, north_after = data["flows"]["north_services"]
    south_before, south_after = data["flows"]["south_services"]
    assert south_before == 0.0
    assert south_after - south_before > 3.0 * (north_after - north_before) > 0.0
    assert data["omega_after"] < data["omega_before"]


def test_figure_5_4_rejects_a_rise() -> None:
    with pytest.raises(InvalidParameterError, match="tau_s_after"):
        figure_5_4(tau_s_before=1.5, tau_s_after=2.0)


def test_omega_tau_s_marks_regime_changes() -> None:
    drawn = figure_omega_tau_s(points=21)
    curves = drawn.data["curves"]
    assert curves["ek"]["tipping_points"] == []
    hockey = [value for value, _, threshold in curves["hockey-stick"]["tipping_points"] if threshold == "t_N"]
    assert len(hockey) == 1
    economy = Economy(InverseCurve(), HockeyStickCurve())
    below = solve_equilibrium(economy, Parameters.symmetric(tau_g=TAU_G, tau_s=hockey[0] - 1e-3, gamma=GAMMA))
    above = solve_equilibrium(economy, Parameters.symmetric(tau_g=TAU_G, tau_s=hockey[0] + 1e-3, gamma=GAMMA))
    assert below.regime.south_exports_services
    assert not above.regime.south_exports_services
    for key in ("power", "ek", "hockey-stick"):
        assert np.all(np.isfinite(curves[key]["omega"]))


def test_elasticities_symmetric_support_under_ek() -> None:
    drawn = figure_elasticities(points=5, lower=1.2, upper=2.8)
    ek = drawn.data["ek"]
    hockey = drawn.data["hockey-stick"]
    # EK has two blades, so both countries export services at every tau_s.
    assert np.all(np.isfinite(ek["north_services"]))
    assert np.all(np.isfinite(ek["south_services"]))
    assert np.all(ek["north_services"] < 0.0)
    # Under the hockey stick South stops exporting services above the tipping point.
    tau_s = drawn.data["tau_s"]
    assert np.all(np.isnan(hockey["south_services"][tau_s > 1.7]))
    assert np.all(np.isfinite(hockey["south_services"][tau_s < 1.5]))


def test_drawing_leaves_rcparams_alone() -> None:
    before = dict(matplotlib.rcParams)
    figure_5_3(draws=100)
    after = dict(matplotlib.rcParams)
    changed = sorted(key for key in before if before[key] != after[key] and key != "backend")
    assert changed == []


def test_unknown_figure_rejected(tmp_path) -> None:
    with pytest.raises(InvalidParameterError, match="figure"):
        write_figures(tmp_path, ["figure-9-9"])


def test_figures_command_json(tmp_path, capsys) -> None:
    assert main(["figures", "--out", str(tmp_path), "--only", "figure-5-3", "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert [entry["name"] for entry in output["figures"]] == ["figure-5-3"]
    assert (tmp_path / "figure-5-3.png").exists()
    assert (tmp_path / "figure-5-3.pdf").exists()


def test_figures_command_rejects_unknown_name(tmp_path, capsys) -> None:
    assert main(["figures", "--out", str(tmp_path), "--only", "figure-9-9"]) == 2
    assert "figure-9-9" in capsys.readouterr().err


def test_ek_curve_matches_draw_quantiles() -> None:
    drawn = figure_5_3()
    curve = EatonKortumCurve(lam=2.0, theta=4.0)
    middle = (drawn.data["ranks"] > 0.05) & (drawn.data["ranks"] < 0.95)
    gap = np.abs(np.log(drawn.data["ratios"][middle]) - np.log(curve.evaluate(drawn.data["ranks"][middle])))
    # Order statistics of 5,000 draws: quantile error of ln S well under 0.1 between the 5% tails.
    assert float(gap.max()) < 0.1
