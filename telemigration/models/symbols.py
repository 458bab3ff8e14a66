"""SymPy symbols of the DFS models and the notation table that maps them to the paper.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.1 to 5.3.
North has labour L and wage w, South L* and w*; omega = w/w* is North's relative
wage. Goods z and service tasks t are indexed on [0, 1] so that North's relative
productivity A(z) = a*(z)/a(z) and S(t) = s*(t)/s(t) fall with the index.

Thresholds are shares of the unit interval: North sells goods [0, z_S] in the South
and [0, z_N] at home; likewise tasks [0, t_S] and [0, t_N].
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

# Unknowns. Thresholds are declared nonnegative rather than positive because a
# corner equilibrium puts them at 0.
omega = sp.Symbol("omega", positive=True)
z_S = sp.Symbol("z_S", nonnegative=True)
z_N = sp.Symbol("z_N", nonnegative=True)
t_S = sp.Symbol("t_S", nonnegative=True)
t_N = sp.Symbol("t_N", nonnegative=True)

# Parameters. ``NS`` is North selling in the South, ``SN`` South selling in the North.
tau = sp.Symbol("tau", positive=True)
tau_g = sp.Symbol("tau_g", positive=True)
tau_s = sp.Symbol("tau_s", positive=True)
tau_g_NS = sp.Symbol("tau_g^NS", positive=True)
tau_g_SN = sp.Symbol("tau_g^SN", positive=True)
tau_s_NS = sp.Symbol("tau_s^NS", positive=True)
tau_s_SN = sp.Symbol("tau_s^SN", positive=True)
gamma = sp.Symbol("gamma", nonnegative=True)
L = sp.Symbol("L", positive=True)
L_star = sp.Symbol("L^*", positive=True)
labour_ratio = sp.Symbol("ell", positive=True)  # L*/L
w = sp.Symbol("w", positive=True)
w_star = sp.Symbol("w^*", positive=True)

# Curve arguments and undefined curves for derivations that hold for any curve.
z = sp.Symbol("z", positive=True)
t = sp.Symbol("t", positive=True)
x = sp.Symbol("x", positive=True)  # a cost ratio, the argument of an inverse curve
A = sp.Function("A")
S = sp.Function("S")
B = sp.Function("B")

# Map from the parameter names of the public API to their symbols.
PARAMETER_SYMBOLS: dict[str, sp.Symbol] = {
    "tau_g_ns": tau_g_NS,
    "tau_g_sn": tau_g_SN,
    "tau_s_ns": tau_s_NS,
    "tau_s_sn": tau_s_SN,
    "gamma": gamma,
    "labour_ratio": labour_ratio,
}

THRESHOLD_SYMBOLS: dict[str, sp.Symbol] = {"z_S": z_S, "z_N": z_N, "t_S": t_S, "t_N": t_N}


@dataclass(frozen=True)
class NotationEntry:
    """One row of the notation table: code name, symbol, meaning, paper source, domain."""

    code_name: str
    symbol: sp.Basic
    latex: str
    meaning: str
    source: str
    domain: str


NOTATION: tuple[NotationEntry, ...] = (
    NotationEntry("omega", omega, r"\omega", "North's relative wage w/w^*", "section 5.1", r"\omega > 0"),
    NotationEntry("z_S", z_S, r"z_S", "last good North sells in the South", "eq. (1)", r"0 \le z_S \le 1"),
    NotationEntry("z_N", z_N, r"z_N", "last good North sells at home", "eq. (1)", r"0 \le z_N \le 1"),
    NotationEntry("t_S", t_S, r"t_S", "last task North sells in the South", "section 5.2", r"0 \le t_S \le 1"),
    NotationEntry("t_N", t_N, r"t_N", "last task North sells at home", "section 5.2", r"0 \le t_N \le 1"),
    NotationEntry("tau_g_ns", tau_g_NS, r"\tau_g^{NS}", "goods trade cost, North selling in the South", "section 5.3", r"\tau \ge 1"),
    NotationEntry("tau_g_sn", tau_g_SN, r"\tau_g^{SN}", "goods trade cost, South selling in the North", "section 5.3", r"\tau \ge 1"),
    NotationEntry("tau_s_ns", tau_s_NS, r"\tau_s^{NS}", "service trade cost, North selling in the South", "section 5.3", r"\tau \ge 1"),
    NotationEntry("tau_s_sn", tau_s_SN, r"\tau_s^{SN}", "service trade cost, South selling in the North", "section 5.3", r"\tau \ge 1"),
    NotationEntry("gamma", gamma, r"\gamma", "share of spending on goods", "section 5.2", r"0 \le \gamma \le 1"),
    NotationEntry("labour_ratio", labour_ratio, r"\ell = L^*/L", "South's labour relative to North's", "eq. (1)", r"\ell > 0"),
    NotationEntry("A", A(z), r"A(z) = a^*(z)/a(z)", "North's relative productivity in good z", "section 5.1", r"A' < 0"),
    NotationEntry("S", S(t), r"S(t) = s^*(t)/s(t)", "North's relative productivity in task t", "section 5.2", r"S' < 0"),
    NotationEntry("B", B(z), r"B(z) = \int_0^z b", "cumulative expenditure share of goods", "section 5.1", r"B(0)=0,\ B(1)=1"),
)
