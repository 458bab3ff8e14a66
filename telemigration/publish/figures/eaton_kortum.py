"""Figure 5.3: the Eaton-Kortum relative efficiency curve from seeded Frechet draws.

Baldwin and Dingel (2021), Figure 5.3 and footnote 14: with task productivities
1/s and 1/s* drawn from Frechet laws F(x) = exp(-T x^-theta) and
F*(x) = exp(-T* x^-theta), ranking tasks by the cost ratio S = s*/s gives
S(t) = (lambda (1 - t)/t)^(1/theta) with lambda = T/T*, so ln S is linear in the
log-odds ln((1 - t)/t): the logistic law. The figure draws 5,000 ratios, the
analytic curve and a least-squares fit of that law to the draws.
"""

from __future__ import annotations

import numpy as np

from telemigration.errors import InvalidParameterError
from telemigration.models.curves import EatonKortumCurve
from telemigration.publish.figures._common import ONE_PANEL, DrawnFigure, figure_style, new_figure

# The paper's sample size and location parameters. theta is not stated in the
# paper; 4 is this project's choice, a common estimate of the trade elasticity.
DRAWS = 5000
T_NORTH = 2.0
T_SOUTH = 1.0
THETA = 4.0
SEED = 20210601


def frechet_draws(rng: np.random.Generator, location: float, theta: float, size: int) -> np.ndarray:
    """Draw from F(x) = exp(-T x^-theta) by inversion: x = (-ln U / T)^(-1/theta)."""
    uniform = rng.uniform(size=size)
    return (-np.log(uniform) / location) ** (-1.0 / theta)


def ranked_cost_ratios(draws: int, t_north: float, t_south: float, theta: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return task ranks t in (0, 1) and the cost ratios S = s*/s sorted from largest to smallest.

    The rank of the i-th largest ratio is (i - 1/2)/n, the midpoint of its share
    of the unit interval.
    """
    rng = np.random.default_rng(seed)
    north = frechet_draws(rng, t_north, theta, draws)
    south = frechet_draws(rng, t_south, theta, draws)
    # 1/s is North's productivity, so S = s*/s is North's productivity over South's.
    ratios = np.sort(north / south)[::-1]
    ranks = (np.arange(1, draws + 1, dtype=np.float64) - 0.5) / draws
    return ranks, ratios


def fit_logistic_law(ranks: np.ndarray, ratios: np.ndarray) -> dict[str, float]:
    """Fit ln S = a + b ln((1 - t)/t) by least squares; theta = 1/b and lambda = exp(a/b).

    Returns the fitted theta and lambda, the coefficient of determination and the
    largest absolute error of ln S between the draws and the fitted line.
    """
    log_odds = np.log((1.0 - ranks) / ranks)
    log_ratio = np.log(ratios)
    slope, intercept = np.polyfit(log_odds, log_ratio, 1)
    fitted = intercept + slope * log_odds
    residual = log_ratio - fitted
    r_squared = 1.0 - float(np.sum(residual**2)) / float(np.sum((log_ratio - log_ratio.mean()) ** 2))
    return {
        "theta": float(1.0 / slope),
        "lambda": float(np.exp(intercept / slope)),
        "r_squared": r_squared,
        "max_abs_error_log_s": float(np.max(np.abs(residual))),
    }


def figure_5_3(
    draws: int = DRAWS, t_north: float = T_NORTH, t_south: float = T_SOUTH, theta: float = THETA, seed: int = SEED
) -> DrawnFigure:
    """Draw Figure 5.3: ranked Frechet cost ratios, the analytic EK curve and the logistic fit."""
    if draws < 10:
        raise InvalidParameterError("draws", draws, "expected at least 10 draws")
    curve = EatonKortumCurve(lam=t_north / t_south, theta=theta)
    ranks, ratios = ranked_cost_ratios(draws, t_north, t_south, theta, seed)
    fit = fit_logistic_law(ranks, ratios)
    grid = np.linspace(0.5 / draws, 1.0 - 0.5 / draws, 800)
    analytic = curve.evaluate(grid)
    with figure_style():
        figure, (axes,) = new_figure(ONE_PANEL)
        axes.scatter(ranks, ratios, s=7.0, color="tab:orange", alpha=0.6, linewidths=0.0,
                     label=f"{draws:,} seeded Fréchet draws, ranked")
        axes.plot(grid, analytic, color="black", linestyle="--", linewidth=1.2,
                  label=rf"analytic $S(t) = (\lambda(1-t)/t)^{{1/\theta}}$, $\lambda = {curve.lam:g}$, $\theta = {theta:g}$")
        axes.set_yscale("log")
        axes.set_xlim(0.0, 1.0)
        axes.set_xlabel(r"task $t$ (ranked by North's relative efficiency)")
        axes.set_ylabel(r"$S(t) = s^*(t)/s(t)$ (log scale)")
        axes.set_title(rf"Eaton–Kortum relative efficiency, $T = {t_north:g}$, $T^* = {t_south:g}$")
        axes.axhline(1.0, color="black", linewidth=0.8)
        axes.text(
            0.03, 0.04,
            "least-squares fit of $\\ln S = a + b\\,\\ln((1-t)/t)$:\n"
            f"$\\hat\\theta = 1/b = {fit['theta']:.3f}$, $\\hat\\lambda = e^{{a/b}} = {fit['lambda']:.3f}$, "
            f"$R^2 = {fit['r_squared']:.4f}$",
            transform=axes.transAxes, fontsize=9.5, va="bottom",
            bbox={"facecolor": "white", "edgecolor": "0.7", "alpha": 0.9},
        )
        axes.legend(loc="upper right")
    return DrawnFigure(
        name="figure-5-3",
        title="Figure 5.3: the relative efficiency curve under Eaton-Kortum assumptions",
        caption=(
            f"{draws:,} tasks with Fréchet productivities (T = {t_north:g}, T* = {t_south:g}, theta = {theta:g}, "
            f"seed {seed}) ranked by the cost ratio S = s*/s, the analytic curve of footnote 14 and the fitted "
            f"logistic law (theta-hat = {fit['theta']:.3f}, lambda-hat = {fit['lambda']:.3f})."
        ),
        figure=figure,
        data={"ranks": ranks, "ratios": ratios, "grid": grid, "analytic": analytic, "fit": fit,
              "theta": theta, "lambda": curve.lam, "seed": seed},
    )
