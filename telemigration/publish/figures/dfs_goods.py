"""Figure 5.1: the goods-only DFS model with trade costs and non-traded goods.

Baldwin and Dingel (2021), section 5.1, equation (2) and Figure 5.1, with
A(z) = 1/z, uniform spending B(z) = z and L = L*. The two conditions in the left
panel come from the SymPy system of ``telemigration.models.system``: the
equal-price condition omega = tau A(z_N) gives omega = tau/z_N, and the labour
market with z_S = z_N/tau^2 gives omega = z_N / (tau^2 (1 - z_N)). The right
panel draws North's relative cost omega/A(z) = omega z against the export
thresholds 1/tau and tau.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from scipy.optimize import brentq

from telemigration.errors import InvalidParameterError
from telemigration.models import symbols as sym
from telemigration.models.system import equal_price_conditions, labour_market_condition
from telemigration.publish.figures._common import TWO_PANELS, DrawnFigure, figure_style, new_figure

# The stated trade cost of the figure (the paper draws it without a number).
TAU = 1.25


@functools.cache
def goods_only_curves() -> tuple[sp.Expr, sp.Expr]:
    """Return omega as a function of z_N and tau from the price condition and from the labour market.

    Both come from the system's SymPy equations with A(z) = 1/z, B(z) = z,
    gamma = 1, L*/L = 1 and the same goods cost tau in both directions.
    """
    u = sp.Symbol("u", positive=True)
    goods_only = {sym.tau_g_NS: sym.tau, sym.tau_g_SN: sym.tau, sym.gamma: 1, sym.labour_ratio: 1}
    conditions = {
        name: condition.subs(goods_only).replace(sym.A, sp.Lambda(u, 1 / u))
        for name, condition in equal_price_conditions().items()
    }
    price_curve = sp.solve(conditions["z_N"], sym.omega)[0]
    # Eliminating omega between the two price conditions gives z_S = z_N / tau^2.
    z_S_of_omega = sp.solve(conditions["z_S"], sym.z_S)[0]
    z_S_of_z_N = sp.simplify(z_S_of_omega.subs(sym.omega, price_curve))
    labour = labour_market_condition(sp.Lambda(u, u)).subs(goods_only).subs(sym.z_S, z_S_of_z_N)
    labour_curve = sp.solve(labour, sym.omega)[0]
    return sp.simplify(price_curve), sp.simplify(labour_curve)


def figure_5_1(tau: float = TAU) -> DrawnFigure:
    """Draw Figure 5.1 at goods trade cost ``tau`` (> 1, so that some goods are not traded)."""
    tau = float(tau)
    if not (np.isfinite(tau) and tau > 1.0):
        raise InvalidParameterError("tau", tau, "Figure 5.1 needs a goods trade cost > 1")
    price_curve, labour_curve = goods_only_curves()
    price = sp.lambdify((sym.z_N, sym.tau), price_curve, modules="numpy")
    labour = sp.lambdify((sym.z_N, sym.tau), labour_curve, modules="numpy")
    # tau/z_N falls from +inf to tau and z_N/(tau^2 (1 - z_N)) rises from 0 to +inf
    # on (0, 1), so their difference changes sign exactly once; brentq raises
    # ValueError if the bracket ends had the same sign.
    z_N = brentq(lambda z: price(z, tau) - labour(z, tau), 1e-12, 1.0 - 1e-12, xtol=1e-15, rtol=4.0 * np.finfo(float).eps)
    omega = float(price(z_N, tau))
    z_S = 1.0 / (tau * omega)
    grid = np.linspace(0.02, 0.98, 400)
    with figure_style():
        figure, (left, right) = new_figure(TWO_PANELS, panels=2)
        left.plot(grid, price(grid, tau), color="tab:blue", label=r"$\omega = \tau A(z_N) = \tau / z_N$ (equal price)")
        left.plot(grid, labour(grid, tau), color="tab:red",
                  label=r"$\omega = z_N / (\tau^2 (1 - z_N))$ (labour market)")
        left.plot([z_N], [omega], "o", color="black", label=rf"equilibrium $\bar\omega = {omega:.4f}$, $z_N = {z_N:.4f}$")
        left.set_ylim(0.0, 2.5 * omega)
        left.set_xlim(0.0, 1.0)
        left.set_xlabel(r"threshold $z_N$")
        left.set_ylabel(r"relative wage $\omega = w / w^*$")
        left.set_title(rf"Equilibrium conditions, $\tau = {tau:g}$")
        left.legend(loc="upper center")

        cost = omega * grid
        right.plot(grid, cost, color="tab:purple", label=r"North's relative cost $\omega / A(z) = \omega z$")
        right.axhline(1.0 / tau, color="tab:blue", linestyle="--", label=rf"$1/\tau$: North exports below")
        right.axhline(tau, color="tab:red", linestyle="--", label=rf"$\tau$: South exports above")
        right.axvspan(0.0, z_S, color="tab:blue", alpha=0.15, label=rf"North exports $[0, z_S]$, $z_S = {z_S:.3f}$")
        right.axvspan(z_N, 1.0, color="tab:red", alpha=0.15, label=rf"South exports $[z_N, 1]$, $z_N = {z_N:.3f}$")
        right.set_xlim(0.0, 1.0)
        right.set_ylim(0.0, max(omega, tau) * 1.15)
        right.set_xlabel(r"good $z$")
        right.set_ylabel(r"$\omega / A(z)$")
        right.set_title(r"Traded and non-traded goods, $A(z) = 1/z$")
        right.legend(loc="upper left")
    return DrawnFigure(
        name="figure-5-1",
        title="Figure 5.1: the DFS model with non-traded goods",
        caption=(
            f"Goods only, A(z) = 1/z, B(z) = z, L = L*, tau = {tau:g}. Left: the two conditions of equation (2) "
            f"cross at omega = {omega:.4f}, z_N = {z_N:.4f}. Right: North exports goods [0, z_S] and South "
            f"exports [z_N, 1]; goods in between are not traded."
        ),
        figure=figure,
        data={"tau": tau, "omega": omega, "z_N": float(z_N), "z_S": float(z_S), "grid": grid,
              "price_curve": price(grid, tau), "labour_curve": labour(grid, tau)},
    )
