"""Sweeps over the service trade cost: omega with tipping points, and service export elasticities.

Baldwin and Dingel (2021), section 5.3. With goods A(z) = 1/z, tau_g = 1.1,
gamma = 1/2 and L = L*, the figures compare three service curves: the power
curve S(t) = t^(-1/2) of footnote 15, the Eaton-Kortum curve (lambda = 2,
theta = 4) and the hockey stick (this project's defaults). Tipping points are
the tau_s where the equilibrium regime changes, found by
``telemigration.solvers.tipping.find_tipping_points``.
"""

from __future__ import annotations

import math

import numpy as np

from telemigration.errors import InvalidParameterError
from telemigration.models import EatonKortumCurve, Economy, HockeyStickCurve, InverseCurve, Parameters, PowerCurve
from telemigration.models.curves import Curve
from telemigration.publish.figures._common import ONE_PANEL, TWO_PANELS, DrawnFigure, figure_style, new_figure
from telemigration.solvers.batch import solve_batch
from telemigration.solvers.statics import comparative_statics
from telemigration.solvers.tipping import find_tipping_points

TAU_G = 1.1
GAMMA = 0.5
TAU_S_RANGE = (1.0, 3.0)

SERVICE_CURVES: tuple[tuple[str, Curve, str], ...] = (
    ("power", PowerCurve(c=1.0, alpha=0.5), r"power $S(t) = t^{-1/2}$"),
    ("ek", EatonKortumCurve(lam=2.0, theta=4.0), r"Eaton–Kortum $\lambda = 2$, $\theta = 4$"),
    ("hockey-stick", HockeyStickCurve(), r"hockey stick $h = 1.05$, $\varepsilon = 0.05$, $t_b = 0.1$, $\beta = 20$"),
)
_COLOURS = {"power": "tab:green", "ek": "tab:blue", "hockey-stick": "tab:red"}


def _base() -> Parameters:
    return Parameters.symmetric(tau_g=TAU_G, gamma=GAMMA)


def _grid(points: int, lower: float, upper: float) -> np.ndarray:
    if points < 3:
        raise InvalidParameterError("points", points, "expected at least 3 grid points")
    if not (math.isfinite(lower) and math.isfinite(upper) and 1.0 <= lower < upper):
        raise InvalidParameterError("tau_s range", (lower, upper), "expected 1 <= lower < upper, both finite")
    return np.linspace(lower, upper, points)


def figure_omega_tau_s(points: int = 161, lower: float = TAU_S_RANGE[0], upper: float = TAU_S_RANGE[1]) -> DrawnFigure:
    """Draw omega against tau_s for the power, EK and hockey-stick service curves, with tipping points marked."""
    grid = _grid(points, lower, upper)
    base = _base()
    curves = {}
    with figure_style():
        figure, (axes,) = new_figure(ONE_PANEL)
        for key, curve, label in SERVICE_CURVES:
            economy = Economy(goods_curve=InverseCurve(), services_curve=curve)
            omega = np.asarray(solve_batch(economy, {"tau_s": grid}, base=base)["omega"], dtype=np.float64)
            boundaries = find_tipping_points(economy, base, "tau_s", lower, upper)
            tipping = [(float(b.value), _omega_at(economy, base, b.value), b.threshold) for b in boundaries]
            axes.plot(grid, omega, color=_COLOURS[key], label=label)
            for value, level, threshold in tipping:
                axes.plot([value], [level], "o", color=_COLOURS[key], markersize=7, markeredgecolor="black")
                axes.annotate(
                    rf"${_threshold_latex(threshold)}$ at $\tau_s = {value:.3f}$", (value, level),
                    textcoords="offset points", xytext=(8, -14), fontsize=9, color=_COLOURS[key],
                )
            curves[key] = {"omega": omega, "tipping_points": tipping}
        axes.set_xlabel(r"service trade cost $\tau_s$")
        axes.set_ylabel(r"relative wage $\omega = w/w^*$")
        axes.set_title(rf"$\omega$ against $\tau_s$ ($A(z) = 1/z$, $\tau_g = {TAU_G:g}$, $\gamma = {GAMMA:g}$)")
        axes.set_xlim(lower, upper)
        axes.margins(y=0.1)
        axes.legend(loc="lower right", title="services curve (dots: tipping points)", title_fontsize=9)
    summary = "; ".join(
        f"{key}: " + (", ".join(f"{t} changes corner at tau_s = {v:.4f}" for v, _, t in curves[key]["tipping_points"])
                      or "no tipping point")
        for key, _, _ in SERVICE_CURVES
    )
    return DrawnFigure(
        name="omega-tau-s",
        title="omega against the service trade cost",
        caption=f"North's relative wage as tau_s runs from {lower:g} to {upper:g}; tipping points: {summary}.",
        figure=figure,
        data={"tau_s": grid, "curves": curves},
    )


def _omega_at(economy: Economy, base: Parameters, tau_s: float) -> float:
    result = solve_batch(economy, {"tau_s": np.asarray([tau_s], dtype=np.float64)}, base=base)
    return float(np.asarray(result["omega"], dtype=np.float64)[0])


def _threshold_latex(name: str) -> str:
    letter, side = name.split("_")
    return f"{letter}_{side}"


def service_export_elasticities(curve: Curve, grid: np.ndarray) -> dict[str, np.ndarray]:
    """Return d ln(exports)/d ln(tau_s) of North's and South's service exports along ``grid``.

    General equilibrium (omega moves). On a regime boundary the value is the
    right-hand derivative, for a rise of tau_s. It is NaN where the exports are 0,
    because the elasticity is undefined there.
    """
    economy = Economy(goods_curve=InverseCurve(), services_curve=curve)
    base = _base()
    result = {"north_services": np.full(grid.shape, np.nan), "south_services": np.full(grid.shape, np.nan)}
    for index, tau_s in enumerate(grid):
        statics = comparative_statics(
            economy, base.with_value("tau_s", float(tau_s)),
            outputs=("north_services", "south_services"), with_respect_to=("tau_s",),
        )
        for output in result:
            elasticity = statics.elasticities[(output, "tau_s")]
            if elasticity is not None:
                result[output][index] = elasticity.right
    return result


def figure_elasticities(points: int = 31, lower: float = TAU_S_RANGE[0], upper: float = TAU_S_RANGE[1]) -> DrawnFigure:
    """Draw the elasticities of North's and South's service exports with respect to tau_s, EK against hockey stick."""
    grid = _grid(points, lower, upper)
    chosen = [(key, curve, label) for key, curve, label in SERVICE_CURVES if key in ("ek", "hockey-stick")]
    data = {}
    with figure_style():
        figure, panels = new_figure(TWO_PANELS, panels=2)
        for axes, (key, curve, label) in zip(panels, chosen):
            elasticities = service_export_elasticities(curve, grid)
            data[key] = elasticities
            axes.plot(grid, elasticities["north_services"], color="tab:blue", marker=".",
                      label=r"North's service exports $(1-\gamma)\,\ell\, t_S$")
            axes.plot(grid, elasticities["south_services"], color="tab:red", marker=".",
                      label=r"South's service exports $(1-\gamma)\,\omega\,(1 - t_N)$")
            axes.axhline(0.0, color="black", linewidth=0.8)
            axes.set_xlabel(r"service trade cost $\tau_s$")
            if key == "hockey-stick":
                # The hockey stick's elasticities span 0.1 to above 100 (on the flat
                # handle a small cost change moves a threshold far), so a
                # symmetric-log scale keeps both ends readable.
                axes.set_yscale("symlog", linthresh=1.0)
                axes.set_ylim(top=0.5)
                axes.set_ylabel(r"elasticity $d \ln X / d \ln \tau_s$ (symmetric log scale)")
            else:
                axes.set_ylim(top=0.2)
                axes.set_ylabel(r"elasticity $d \ln X / d \ln \tau_s$")
            axes.set_title(label, fontsize=11)
            axes.set_xlim(lower, upper)
            axes.legend(loc="lower right" if key == "hockey-stick" else "upper right")
        figure.suptitle(rf"Service export elasticities in general equilibrium ($A(z) = 1/z$, $\tau_g = {TAU_G:g}$, "
                        rf"$\gamma = {GAMMA:g}$); gaps: no exports")
    return DrawnFigure(
        name="service-elasticities",
        title="elasticities of service exports with respect to tau_s",
        caption=(
            "Elasticities of North's and South's service exports with respect to the common service cost tau_s, "
            "with omega adjusting, under Eaton-Kortum (left) and the hockey stick (right). A gap means the "
            "exporter sells no services there, so the elasticity is undefined."
        ),
        figure=figure,
        data={"tau_s": grid, **data},
    )
