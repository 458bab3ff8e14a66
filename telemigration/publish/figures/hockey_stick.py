"""Figures 5.2 and 5.4: service thresholds under the hockey-stick relative productivity curve.

Baldwin and Dingel (2021), section 5.2 (Figure 5.2) and section 5.3 (Figure 5.4).
North sells task t in the South when tau_s omega < S(t), that is when
1/S(t) < 1/(tau_s omega); South sells task t in the North when
omega > tau_s S(t), that is when 1/S(t) > tau_s/omega. The figures draw 1/S(t)
and these two cost lines at the equilibrium omega of the solver. The
hockey-stick family and its defaults are this project's modelling choice,
because the paper draws the curve without a formula.
"""

from __future__ import annotations

import numpy as np

from telemigration.errors import InvalidParameterError
from telemigration.models import Economy, HockeyStickCurve, InverseCurve, Parameters
from telemigration.publish.figures._common import ONE_PANEL, DrawnFigure, figure_style, new_figure
from telemigration.solvers.equilibrium import solve_equilibrium
from telemigration.solvers.result import Equilibrium

# The stated calibration: goods cost 1.1, equal spending shares, equal labour
# forces, service cost 2 before and 1.4 after the fall of Figure 5.4.
TAU_G = 1.1
GAMMA = 0.5
TAU_S_BEFORE = 2.0
TAU_S_AFTER = 1.4


def hockey_stick_economy(curve: HockeyStickCurve | None = None) -> Economy:
    """Return the economy of Figures 5.2 and 5.4: A(z) = 1/z for goods, the hockey stick for tasks."""
    return Economy(goods_curve=InverseCurve(), services_curve=curve or HockeyStickCurve())


def _solve(economy: Economy, tau_s: float) -> Equilibrium:
    return solve_equilibrium(economy, Parameters.symmetric(tau_g=TAU_G, tau_s=tau_s, gamma=GAMMA))


def _cost_lines(equilibrium: Equilibrium, tau_s: float) -> tuple[float, float]:
    # North exports below the first line, South exports above the second.
    return 1.0 / (tau_s * equilibrium.omega), tau_s / equilibrium.omega


def _inverse_curve(curve: HockeyStickCurve, grid: np.ndarray) -> np.ndarray:
    return 1.0 / curve.evaluate(grid)


def figure_5_2(curve: HockeyStickCurve | None = None, tau_s: float = TAU_S_BEFORE) -> DrawnFigure:
    """Draw Figure 5.2: 1/S(t) under the hockey stick and the two service cost lines."""
    tau_s = _check_cost("tau_s", tau_s)

    economy = hockey_stick_economy(curve)
    services = economy.services_curve
    equilibrium = _solve(economy, tau_s)
    north_line, south_line = _cost_lines(equilibrium, tau_s)
    t_S, t_N = equilibrium.thresholds.t_S, equilibrium.thresholds.t_N
    grid = np.linspace(0.0005, 0.9995, 2000)
    inverse = _inverse_curve(services, grid)

    with figure_style():
        figure, (axes,) = new_figure(ONE_PANEL)
        axes.plot(grid, inverse, color="black", label=r"$1/S(t)$, hockey stick")
        axes.axhline(north_line, color="tab:blue", linestyle="--",
                     label=rf"$1/(\tau_s\omega) = {north_line:.3f}$: North exports below")
        axes.axhline(south_line, color="tab:red", linestyle="--",
                     label=rf"$\tau_s/\omega = {south_line:.3f}$: South exports above")
        axes.axvspan(0.0, t_S, color="tab:blue", alpha=0.15, label=rf"North exports $[0, t_S]$, $t_S = {t_S:.3f}$")
        if t_N < 1.0:
            axes.axvspan(t_N, 1.0, color="tab:red", alpha=0.15, label=rf"South exports $[t_N, 1]$, $t_N = {t_N:.3f}$")
        axes.set_xlim(0.0, 1.0)
        axes.set_ylim(0.0, max(south_line, float(inverse.max())) * 1.12)
        axes.set_xlabel(r"service task $t$")
        axes.set_ylabel(r"North's relative unit labour $1/S(t) = s(t)/s^*(t)$")
        axes.set_title(rf"Non-traded tasks: $\tau_s = {tau_s:g}$, $\tau_g = {TAU_G:g}$, $\gamma = {GAMMA:g}$, "
                       rf"$\omega = {equilibrium.omega:.3f}$")
        axes.legend(loc="center right")

    pattern = "South sells no services" if t_N >= 1.0 else f"South sells tasks [{t_N:.3f}, 1]"
    return DrawnFigure(
        name="figure-5-2",
        title="Figure 5.2: non-traded service tasks under the hockey stick",
        caption=(
            f"Hockey-stick services ({services.describe()}), A(z) = 1/z, tau_g = {TAU_G:g}, gamma = {GAMMA:g}, "
            f"tau_s = {tau_s:g}, L = L*; at the equilibrium omega = {equilibrium.omega:.4f} North sells tasks "
            f"[0, {t_S:.3f}] in the South and {pattern}."
        ),
        figure=figure,
        data={"tau_s": tau_s, "omega": equilibrium.omega, "t_S": t_S, "t_N": t_N, "north_line": north_line,
              "south_line": south_line, "grid": grid, "inverse_curve": inverse},
    )


def figure_5_4(
    curve: HockeyStickCurve | None = None, tau_s_before: float = TAU_S_BEFORE, tau_s_after: float = TAU_S_AFTER
) -> DrawnFigure:
    """Draw Figure 5.4: the service cost lines before and after a fall in tau_s, with the new omega."""
    tau_s_before = _check_cost("tau_s_before", tau_s_before)
    tau_s_after = _check_cost("tau_s_after", tau_s_after)
    if tau_s_after >= tau_s_before:
        raise InvalidParameterError("tau_s_after", tau_s_after, f"Figure 5.4 needs a fall: a value below tau_s_before={tau_s_before:g}")

    economy = hockey_stick_economy(curve)
    services = economy.services_curve
    before = _solve(economy, tau_s_before)
    after = _solve(economy, tau_s_after)
    grid = np.linspace(0.0005, 0.9995, 2000)
    inverse = _inverse_curve(services, grid)
    states = (("before", tau_s_before, before, "-"), ("after", tau_s_after, after, "--"))

    with figure_style():
        figure, (axes,) = new_figure(ONE_PANEL)
        axes.plot(grid, inverse, color="black", label=r"$1/S(t)$, hockey stick")
        for when, tau_s, equilibrium, style in states:
            north_line, south_line = _cost_lines(equilibrium, tau_s)
            prime = "'" if when == "after" else ""
            axes.axhline(north_line, color="tab:blue", linestyle=style, linewidth=1.4,
                         label=rf"$1/(\tau_s{prime}\omega{prime})$, $\tau_s{prime} = {tau_s:g}$ ({when})")
            axes.axhline(south_line, color="tab:red", linestyle=style, linewidth=1.4,
                         label=rf"$\tau_s{prime}/\omega{prime}$, $\omega{prime} = {equilibrium.omega:.3f}$ ({when})")
        axes.axvspan(after.thresholds.t_N, 1.0, color="tab:red", alpha=0.12,
                     label=rf"South's new service exports $[t_N', 1]$, $t_N' = {after.thresholds.t_N:.3f}$")
        axes.axvspan(before.thresholds.t_S, after.thresholds.t_S, color="tab:blue", alpha=0.3,
                     label=rf"North's new service exports, $t_S$: {before.thresholds.t_S:.3f} $\to$ {after.thresholds.t_S:.3f}")
        axes.set_xlim(0.0, 1.0)
        axes.set_ylim(0.0, max(tau_s_before / before.omega, float(inverse.max())) * 1.12)
        axes.set_xlabel(r"service task $t$")
        axes.set_ylabel(r"North's relative unit labour $1/S(t)$")
        axes.set_title(rf"Asymmetric expansion of service exports, $\tau_s$: {tau_s_before:g} $\to$ {tau_s_after:g}")
        # Seven entries would hide the curve inside the axes, so the legend goes below them.
        figure.legend(loc="outside lower center", ncols=2, fontsize=8.5)

    flows = {
        "north_services": (before.trade_flows.north_services, after.trade_flows.north_services),
        "south_services": (before.trade_flows.south_services, after.trade_flows.south_services),
    }
    return DrawnFigure(
        name="figure-5-4",
        title="Figure 5.4: asymmetric expansion of service exports",
        caption=(
            f"Hockey-stick services, A(z) = 1/z, tau_g = {TAU_G:g}, gamma = {GAMMA:g}. Cutting tau_s from "
            f"{tau_s_before:g} to {tau_s_after:g} moves South's service exports from "
            f"{flows['south_services'][0]:.4f} to {flows['south_services'][1]:.4f} and North's from "
            f"{flows['north_services'][0]:.4f} to {flows['north_services'][1]:.4f} (units of South's wage bill), "
            f"and omega falls from {before.omega:.4f} to {after.omega:.4f}."
        ),
        figure=figure,
        data={"tau_s_before": tau_s_before, "tau_s_after": tau_s_after, "omega_before": before.omega,
              "omega_after": after.omega, "thresholds_before": before.thresholds.to_dict(),
              "thresholds_after": after.thresholds.to_dict(), "flows": flows, "grid": grid, "inverse_curve": inverse},
    )


def _check_cost(name: str, value: float) -> float:
    number = float(value)
    if not (np.isfinite(number) and number >= 1.0):
        raise InvalidParameterError(name, value, "an iceberg trade cost must be a finite number >= 1")
    return number
