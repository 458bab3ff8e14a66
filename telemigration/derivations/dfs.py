"""Checked derivations of the DFS models of Baldwin and Dingel (2021), section 5.

Baldwin and Dingel (2021), "Telemigration and development", sections 5.1 and 5.2,
equations (1) to (3). Four chains, each built with ``DerivationChain`` so that
SymPy checks every step:

* ``threshold_chain``: the equal-price conditions ``tau w a(z_S) = w* a*(z_S)``
  and its three siblings turn into ``tau_g^NS omega = A(z_S)`` and the other
  conditions of ``telemigration.models.system.equal_price_conditions``;
* ``labour_market_chain``: North's spending identity
  ``w L = w* L* B(z_S) + w L B(z_N)`` gives ``omega = (L*/L) B(z_S)/(1 - B(z_N))``
  and balanced trade. The extract prints the last condition of equation (1)
  with z_S and z_N swapped, and that form is tested and does not follow;
* ``goods_services_chain``: the spending identity with service tasks gives the
  simplified condition of section 5.2 for L = L* and equation (3) when South
  sells no services (t_N = 1);
* ``goods_only_chain``: with A(z) = 1/z, b(z) = 1 and L = L*, the thresholds obey
  ``z_N = tau^2 z_S``, the system reduces to two equations in one threshold, and
  omega has a closed form in tau. Equation (2) is garbled in the extract; the
  reading tested is ``omega = tau/z``, ``omega = tau^2 z/(1 - z)`` with z = z_N,
  whose second half does not follow.

A printed form that does not follow is recorded as a ``PrintedFormCheck`` with
the remainder SymPy left, never silently dropped.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Mapping

import mpmath
import sympy as sp

from telemigration.derivations.chain import DerivationChain
from telemigration.errors import DerivationError
from telemigration.models import symbols as sym
from telemigration.models.system import equal_price_conditions, labour_market_condition

logger = logging.getLogger(__name__)

# Unit labour requirements of good z and task t in North (a, s) and South (a*, s*).
a = sp.Function("a")
a_star = sp.Function("a^*")
s = sp.Function("s")
s_star = sp.Function("s^*")

# A(z) = a*(z)/a(z) and S(t) = s*(t)/s(t), as replacements for the undefined A and S.
A_DEFINITION = sp.Lambda(sym.z, a_star(sym.z) / a(sym.z))
S_DEFINITION = sp.Lambda(sym.t, s_star(sym.t) / s(sym.t))
# Functional forms of section 5.1: A(z) = 1/z and b(z) = 1, so B(z) = z.
INVERSE_A = sp.Lambda(sym.z, 1 / sym.z)
UNIFORM_B = sp.Lambda(sym.z, sym.z)


def readable(expression: sp.Basic) -> str:
    """Return ``expression`` as plain text with starred and directional names spelled out.

    ``sympy.sstr`` writes L^* times B as ``L^**B``; this writes ``L_star*B``.
    """
    renamed = {
        symbol: sp.Symbol(symbol.name.replace("^*", "_star").replace("^", "_"))
        for symbol in expression.free_symbols
        if isinstance(symbol, sp.Symbol) and "^" in symbol.name
    }
    return sp.sstr(expression.xreplace(renamed))


@dataclass(frozen=True)
class PrintedFormCheck:
    """A printed equation tested against a derivation chain.

    ``follows`` is what the chain engine found; ``remainder`` is the difference
    of the two sides after substitution (0 when the form follows).
    """

    name: str
    printed: sp.Eq
    reading: str
    follows: bool
    remainder: sp.Expr

    @property
    def detail(self) -> str:
        """One sentence on the outcome, with the remainder when the form does not follow."""
        if self.follows:
            return f"{self.name} ({self.reading}) follows from the derivation"
        return f"{self.name} ({self.reading}) does not follow: the two sides differ by {readable(self.remainder)}"


@dataclass(frozen=True)
class Derivation:
    """A checked chain and the printed forms tested against it.

    The chain is built once and cached; callers read it and must not add steps.
    """

    chain: DerivationChain
    printed: tuple[PrintedFormCheck, ...] = ()

    def printed_check(self, name: str) -> PrintedFormCheck:
        """Return the check of the printed form called ``name``."""
        for check in self.printed:
            if check.name == name:
                return check
        raise KeyError(f"no printed form {name!r}; known: {', '.join(c.name for c in self.printed)}")


def check_printed_form(
    chain: DerivationChain,
    name: str,
    equation: sp.Eq,
    reading: str,
    using: Mapping[sp.Basic, str],
    substitutions: Mapping[sp.Basic, sp.Expr] | None = None,
    label: str | None = None,
) -> PrintedFormCheck:
    """Try to derive a printed equation; record the outcome instead of raising.

    A form that follows becomes a step of ``chain`` (named ``name``); one that
    does not leaves the chain unchanged and keeps the engine's remainder.
    """
    try:
        chain.derive(
            name, equation, f"{name} as printed ({reading})", using, substitutions=substitutions, label=label
        )
    except DerivationError as error:
        logger.info("printed form %s does not follow: %s", name, error)
        return PrintedFormCheck(name, equation, reading, False, sp.sympify(error.remainder))
    return PrintedFormCheck(name, equation, reading, True, sp.Integer(0))


def _relative_wage_definition(chain: DerivationChain) -> None:
    chain.given("relative wage", sp.Eq(sym.omega, sym.w / sym.w_star), "omega is North's wage over South's")


@functools.lru_cache(maxsize=None)
def threshold_chain() -> Derivation:
    """Derive the four equal-price conditions from unit costs (section 5.1, eq. 1; section 5.2).

    A seller's delivered unit cost is its wage times its unit labour requirement,
    times the iceberg cost when it sells abroad. A threshold good or task is the
    one where the two delivered costs are equal.
    """
    chain = DerivationChain("equal-price thresholds")
    _relative_wage_definition(chain)
    unit_costs = {
        "z_S": (sym.tau_g_NS * sym.w * a(sym.z_S), sym.w_star * a_star(sym.z_S), "North sells good z_S in the South"),
        "z_N": (sym.w * a(sym.z_N), sym.tau_g_SN * sym.w_star * a_star(sym.z_N), "South sells good z_N in the North"),
        "t_S": (sym.tau_s_NS * sym.w * s(sym.t_S), sym.w_star * s_star(sym.t_S), "North sells task t_S in the South"),
        "t_N": (sym.w * s(sym.t_N), sym.tau_s_SN * sym.w_star * s_star(sym.t_N), "South sells task t_N in the North"),
    }
    targets = equal_price_conditions()
    for name, (north_cost, south_cost, where) in unit_costs.items():
        chain.given(f"unit costs at {name}", sp.Eq(north_cost, south_cost), f"{where} at equal delivered cost")
        chain.derive(
            name,
            targets[name],
            "divide both sides by w* a(.) and use A = a*/a, S = s*/s",
            {sym.omega: "relative wage", sym.w: f"unit costs at {name}"},
            substitutions={sym.A: A_DEFINITION, sym.S: S_DEFINITION},
        )
    # Equation (1) has one symmetric goods cost tau.
    symmetric = {sym.tau_g_NS: sym.tau, sym.tau_g_SN: sym.tau}
    chain.derive(
        "eq-1 South-market threshold",
        sp.Eq(sym.tau * sym.omega, sym.A(sym.z_S)),
        "z_S condition with a symmetric goods cost tau",
        {sym.omega: "z_S"},
        substitutions=symmetric,
        label="eq. (1)",
    )
    chain.derive(
        "eq-1 North-market threshold",
        sp.Eq(sym.omega, sym.tau * sym.A(sym.z_N)),
        "z_N condition with a symmetric goods cost tau",
        {sym.omega: "z_N"},
        substitutions=symmetric,
        label="eq. (1)",
    )
    return Derivation(chain)


def printed_equation_1() -> sp.Eq:
    """Return the last condition of equation (1) as the extract prints it, z_S and z_N swapped."""
    return sp.Eq(sym.omega, sym.B(sym.z_N) / (1 - sym.B(sym.z_S)) * sym.L_star / sym.L)


@functools.lru_cache(maxsize=None)
def labour_market_chain() -> Derivation:
    """Derive North's labour-market condition with goods only (section 5.1, eq. 1) and test the print.

    North's wage bill w L equals South's spending on North goods, w* L* B(z_S),
    plus North's spending on its own goods, w L B(z_N).
    """
    chain = DerivationChain("goods-only labour market")
    _relative_wage_definition(chain)
    chain.given(
        "spending identity",
        sp.Eq(sym.w * sym.L, sym.w_star * sym.L_star * sym.B(sym.z_S) + sym.w * sym.L * sym.B(sym.z_N)),
        "North's wage bill is spent on its goods by South (on [0, z_S]) and by North (on [0, z_N])",
        label="section 5.1",
    )
    chain.derive(
        "labour market",
        sp.Eq(sym.omega, sym.L_star / sym.L * sym.B(sym.z_S) / (1 - sym.B(sym.z_N))),
        "solve the spending identity for w/w*",
        {sym.omega: "relative wage", sym.w: "spending identity"},
        label="eq. (1)",
    )
    goods_only = labour_market_condition().subs(sym.gamma, 1)
    chain.derive(
        "labour market in ell",
        goods_only,
        "multiply by 1 - B(z_N) and write ell = L*/L (the system's condition with gamma = 1)",
        {sym.omega: "labour market"},
        substitutions={sym.labour_ratio: sym.L_star / sym.L},
    )
    chain.derive(
        "balanced trade",
        sp.Eq(sym.w_star * sym.L_star * sym.B(sym.z_S), sym.w * sym.L * (1 - sym.B(sym.z_N))),
        "North's exports to the South equal South's exports to the North, in value",
        {sym.w: "spending identity"},
    )
    printed = check_printed_form(
        chain,
        "eq-1",
        printed_equation_1(),
        "last condition as extracted: B(z_N)/(1 - B(z_S)) L*/L",
        {sym.omega: "labour market"},
        label="eq. (1) as printed",
    )
    return Derivation(chain, (printed,))


def services_labour_identity(south_sells_services: bool = True) -> sp.Eq:
    """Return North's spending identity with goods and tasks (section 5.2), B(z) = z.

    Without South service exports Baldwin and Dingel write w L in place of w L t_N.
    """
    north_tasks_at_home = sym.w * sym.L * (sym.t_N if south_sells_services else 1)
    return sp.Eq(
        sym.w * sym.L,
        sym.gamma * (sym.w_star * sym.L_star * sym.z_S + sym.w * sym.L * sym.z_N)
        + (1 - sym.gamma) * (sym.w_star * sym.L_star * sym.t_S + north_tasks_at_home),
    )


def simplified_services_condition() -> sp.Eq:
    """Return the simplified labour-market condition of section 5.2 with L = L*."""
    exports = sym.gamma * sym.z_S + (1 - sym.gamma) * sym.t_S
    at_home = sym.gamma * sym.z_N + (1 - sym.gamma) * sym.t_N
    return sp.Eq(sym.omega, exports / (1 - at_home))


def equation_3() -> sp.Eq:
    """Return equation (3): omega = [gamma z_S + (1 - gamma) t_S] / [gamma (1 - z_N)]."""
    return sp.Eq(
        sym.omega, (sym.gamma * sym.z_S + (1 - sym.gamma) * sym.t_S) / (sym.gamma * (1 - sym.z_N))
    )


@functools.lru_cache(maxsize=None)
def goods_services_chain() -> Derivation:
    """Derive the labour-market condition with service tasks and equation (3) (section 5.2)."""
    chain = DerivationChain("goods and services labour market")
    _relative_wage_definition(chain)
    chain.given(
        "spending identity",
        services_labour_identity(),
        "Cobb-Douglas upper tier: share gamma on goods, 1 - gamma on tasks",
        label="section 5.2",
    )
    chain.derive(
        "labour market in ell",
        labour_market_condition(UNIFORM_B),
        "divide by w* L and write ell = L*/L (the system's condition with B(z) = z)",
        {sym.omega: "relative wage", sym.w: "spending identity"},
        substitutions={sym.labour_ratio: sym.L_star / sym.L},
    )
    chain.derive(
        "labour market",
        simplified_services_condition(),
        "set L = L* (ell = 1) and solve for omega",
        {sym.omega: "labour market in ell"},
        substitutions={sym.labour_ratio: 1},
        label="section 5.2",
    )
    chain.derive(
        "eq-3",
        equation_3(),
        "South sells no services in the North, so t_N = 1",
        {sym.omega: "labour market"},
        substitutions={sym.t_N: 1},
        label="eq. (3)",
    )
    chain.given(
        "spending identity without South services",
        services_labour_identity(south_sells_services=False),
        "the identity as the extract prints it for the case t_N = 1",
        label="section 5.2",
    )
    chain.derive(
        "eq-3 from the printed identity",
        equation_3(),
        "solve the printed identity for w/w* with L = L*",
        {sym.omega: "relative wage", sym.w: "spending identity without South services"},
        substitutions={sym.L_star: sym.L},
        label="eq. (3)",
    )
    return Derivation(chain)


def _quadratic(chain: DerivationChain) -> sp.Expr:
    from_threshold = sp.solve(chain["omega in z_S, South threshold"].equation, sym.omega)[0]
    from_labour = sp.solve(chain["omega in z_S, labour market"].equation, sym.omega)[0]
    numerator, _ = sp.fraction(sp.together(from_threshold - from_labour))
    return sp.expand(numerator)


def _positive_root(quadratic: sp.Expr) -> sp.Expr:
    roots = [r for r in sp.solve(quadratic, sym.z_S) if r.subs(sym.tau, 1).is_positive]
    if len(roots) != 1:
        raise DerivationError("goods only", "threshold root", f"{len(roots)} positive roots in {roots}")
    return roots[0]


@functools.lru_cache(maxsize=None)
def goods_only_quadratic() -> sp.Expr:
    """Return the quadratic in z_S whose positive root is the goods-only threshold.

    Equating omega = 1/(tau z_S) and omega = z_S/(1 - tau^2 z_S) and clearing the
    (positive) denominators gives ``1 - tau^2 z_S - tau z_S^2``.
    """
    return _quadratic(goods_only_chain().chain)


@functools.lru_cache(maxsize=None)
def goods_only_threshold() -> sp.Expr:
    """Return the goods-only z_S(tau) under A = 1/z, b = 1, L = L*: the quadratic's positive root."""
    return _positive_root(goods_only_quadratic())


@functools.lru_cache(maxsize=None)
def goods_only_omega() -> sp.Expr:
    """Return the goods-only relative wage omega(tau) = 1/(tau z_S(tau)) in closed form.

    At tau = 1 it is the golden ratio (1 + sqrt 5)/2.
    """
    return sp.radsimp(1 / (sym.tau * goods_only_threshold()))


@functools.lru_cache(maxsize=None)
def goods_only_chain() -> Derivation:
    """Reduce the goods-only DFS system under A = 1/z, b = 1, L = L* (section 5.1, eq. 2).

    Records which reading of the garbled equation (2) is tested: the plausible
    ``omega = tau/z, omega = tau^2 z/(1 - z)`` with z = z_N. Its first half holds;
    its second half does not, because tau^2 belongs in the denominator.
    """
    chain = DerivationChain("goods-only DFS with A = 1/z")
    tau, omega, z_S, z_N = sym.tau, sym.omega, sym.z_S, sym.z_N
    chain.given("South-market threshold", sp.Eq(tau * omega, sym.A(z_S)), "equation (1)", label="eq. (1)")
    chain.given("North-market threshold", sp.Eq(omega, tau * sym.A(z_N)), "equation (1)", label="eq. (1)")
    chain.given(
        "labour market",
        sp.Eq(omega, sym.L_star / sym.L * sym.B(z_S) / (1 - sym.B(z_N))),
        "equation (1), derived in the labour-market chain",
        label="eq. (1)",
    )
    chain.derive("z_S", sp.Eq(tau * omega, 1 / z_S), "A(z) = 1/z", {omega: "South-market threshold"},
                 substitutions={sym.A: INVERSE_A})
    chain.derive("z_N", sp.Eq(omega, tau / z_N), "A(z) = 1/z", {omega: "North-market threshold"},
                 substitutions={sym.A: INVERSE_A})
    chain.derive(
        "labour market, b = 1, L = L*",
        sp.Eq(omega, z_S / (1 - z_N)),
        "B(z) = z and L = L*",
        {omega: "labour market"},
        substitutions={sym.B: UNIFORM_B, sym.L_star: sym.L},
    )
    chain.derive(
        "z_N = tau^2 z_S",
        sp.Eq(z_N, tau**2 * z_S),
        "both thresholds in terms of omega: z_S = 1/(tau omega), z_N = tau/omega",
        {z_S: "z_S", z_N: "z_N"},
        label="section 5.1",
    )
    chain.derive("omega in z_S, South threshold", sp.Eq(omega, 1 / (tau * z_S)), "solve for omega",
                 {omega: "z_S"})
    chain.derive(
        "omega in z_S, labour market",
        sp.Eq(omega, z_S / (1 - tau**2 * z_S)),
        "replace z_N by tau^2 z_S",
        {omega: "labour market, b = 1, L = L*", z_N: "z_N = tau^2 z_S"},
    )
    chain.derive("omega in z_N, North threshold", sp.Eq(omega, tau / z_N), "solve for omega", {omega: "z_N"})
    chain.derive(
        "omega in z_N, labour market",
        sp.Eq(omega, z_N / (tau**2 * (1 - z_N))),
        "replace z_S by z_N/tau^2",
        {omega: "labour market, b = 1, L = L*", z_S: "z_N = tau^2 z_S"},
    )
    printed = (
        check_printed_form(
            chain, "eq-2 first half", sp.Eq(omega, tau / z_N), "omega = tau/z with z = z_N",
            {omega: "z_N"}, label="eq. (2)",
        ),
        check_printed_form(
            chain, "eq-2 second half", sp.Eq(omega, tau**2 * z_N / (1 - z_N)),
            "omega = tau^2 z/(1 - z) with z = z_N, tau^2 in the numerator",
            {omega: "labour market, b = 1, L = L*", z_S: "z_N = tau^2 z_S"}, label="eq. (2)",
        ),
        check_printed_form(
            chain, "eq-2 first half in z_S", sp.Eq(omega, tau / z_S), "omega = tau/z with z = z_S",
            {omega: "z_S"},
        ),
        check_printed_form(
            chain, "eq-2 second half in z_S", sp.Eq(omega, tau**2 * z_S / (1 - z_S)),
            "omega = tau^2 z/(1 - z) with z = z_S",
            {omega: "labour market, b = 1, L = L*", z_N: "z_N = tau^2 z_S"},
        ),
    )
    # The closed form: the positive root of the quadratic satisfies both conditions.
    quadratic = _quadratic(chain)
    root = _positive_root(quadratic)
    chain.derive(
        "threshold root",
        sp.Eq(1 / (tau * z_S), z_S / (1 - tau**2 * z_S)),
        f"z_S = {sp.sstr(root)}, the positive root of {sp.sstr(quadratic)} = 0",
        substitutions={z_S: root},
    )
    chain.derive(
        "closed-form omega",
        sp.Eq(omega, sp.radsimp(1 / (tau * root))),
        "omega = 1/(tau z_S) at the positive root",
        {omega: "omega in z_S, South threshold"},
        substitutions={z_S: root},
    )
    return Derivation(chain, printed)


def goods_only_numeric_agreement(taus: tuple[float, ...] = (1.0, 1.1, 1.5, 2.0, 3.0)) -> float:
    """Return the largest relative gap between the closed-form omega(tau) and a numeric root.

    The numeric root solves the three conditions of equation (1) under A = 1/z,
    b = 1, L = L* with mpmath (30 digits), independently of the closed form.
    """
    closed = sp.lambdify(sym.tau, goods_only_chain().chain["closed-form omega"].equation.rhs, modules="mpmath")
    worst = mpmath.mpf(0)
    with mpmath.workdps(30):
        for value in taus:
            tau = mpmath.mpf(value)

            def residual(omega):
                z_S = 1 / (tau * omega)
                z_N = tau / omega
                return omega * (1 - z_N) - z_S

            # The residual rises in omega and is negative at omega = tau (z_N = 1).
            numeric = mpmath.findroot(residual, (tau, tau + 10), solver="anderson")
            worst = max(worst, abs(closed(tau) / numeric - 1))
    return float(worst)


def all_derivations() -> dict[str, Derivation]:
    """Return every DFS derivation by name, building each once."""
    return {
        "thresholds": threshold_chain(),
        "labour market": labour_market_chain(),
        "goods and services": goods_services_chain(),
        "goods only": goods_only_chain(),
    }
