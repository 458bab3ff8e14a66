"""The structural gravity equation for R nations, derived step by step and checked by SymPy.

Baldwin and Dingel (2021), "Telemigration and development", section 3 (following
Baldwin and Taglioni 2006). Workers in origin o sell a nationally differentiated
service in destination d. The chain runs:

1. export value ``p_od x_od = share_od E_d`` and ``V_od = p_od x_od``;
2. CES share ``share_od = (p_od / P_d)^(1-sigma)`` with the price index
   ``P_d = (sum_k p_kd^(1-sigma))^(1/(1-sigma))``, sigma > 1;
3. perfect competition ``p_od = tau_od w_o a_o``;
4. hence ``V_od = (tau_od w_o a_o / P_d)^(1-sigma) E_d``;
5. market clearing ``Y_o = sum_d V_od`` gives
   ``Y_o = (w_o a_o)^(1-sigma) sum_d tau_od^(1-sigma) E_d / P_d^(1-sigma)``;
6. with market access ``Omega_o = sum_d tau_od^(1-sigma) E_d / P_d^(1-sigma)``,
   ``(w_o a_o)^(1-sigma) = Y_o / Omega_o``;
7. gravity ``V_od = tau_od^(1-sigma) Y_o E_d / (Omega_o P_d^(1-sigma))``;
8. ``ln V_od = (1-sigma) ln tau_od + alpha_o + delta_d`` with the origin fixed
   effect ``alpha_o = ln Y_o - ln Omega_o`` and the destination fixed effect
   ``delta_d = ln E_d - (1-sigma) ln P_d``.

A last step writes the price index through the multilateral-resistance system,
``P_d = (sum_k tau_kd^(1-sigma) Y_k / Omega_k)^(1/(1-sigma))`` (Anderson and van
Wincoop 2003). ``check_adding_up`` evaluates the derived equations for a concrete
number of nations and checks that flows add up to incomes and to spending.

Notation: SymPy's ``subs`` refuses to replace an ``Indexed`` object inside a
``Sum`` over one of its indices, but replaces an applied undefined function there.
The quantities the chain replaces inside sums (V, p, x, share, w) are therefore
applied functions, and the rest (tau, E, P, Y, Omega, a) are ``IndexedBase``
objects. Both print with subscripts in LaTeX.
"""

from __future__ import annotations

import functools
import logging
import random
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import UndefinedFunction

from telemigration.derivations.chain import DerivationChain
from telemigration.errors import InvalidParameterError

logger = logging.getLogger(__name__)

# Nation indices (o origin, d destination, k summation) and the number of nations.
o, d, k = sp.symbols("o d k", integer=True, positive=True)
R = sp.Symbol("R", integer=True, positive=True)
sigma = sp.Symbol("sigma", positive=True)

# The exponent of the CES demand system.
_ONE_MINUS_SIGMA = 1 - sigma
_SIGMA_EXCESS = sp.Symbol("theta", positive=True)  # sigma - 1


def _print_subscripted(self: sp.Expr, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
    # The LaTeX printer passes ``exp`` when the function is the base of a power.
    name = printer._print(sp.Symbol(type(self).__name__))
    indices = ",".join(printer._print(argument) for argument in self.args)
    subscripted = f"{name}_{{{indices}}}"
    return subscripted if exp is None else f"{{{subscripted}}}^{{{exp}}}"


def _indexed_function(name: str) -> UndefinedFunction:
    # An undefined function that LaTeX prints like an IndexedBase, V_{o,d}.
    return UndefinedFunction(name, __dict__={"_latex": _print_subscripted}, positive=True)


# Replaced inside sums, so applied functions (see the module docstring).
V = _indexed_function("V")  # value of the flow from o to d
p = _indexed_function("p")  # price of o's service in d
x = _indexed_function("x")  # quantity sold by o in d
share = _indexed_function("share")  # share of d's spending that goes to o
w = _indexed_function("w")  # wage in o

# Never replaced inside sums.
tau = sp.IndexedBase("tau", positive=True)  # iceberg cost tau_od >= 1
E = sp.IndexedBase("E", positive=True)  # spending of d on teleworkable services
P = sp.IndexedBase("P", positive=True)  # CES price index of d
Y = sp.IndexedBase("Y", positive=True)  # income of o, w_o L_o
Omega = sp.IndexedBase("Omega", positive=True)  # market access of o
a = sp.IndexedBase("a", positive=True)  # unit labour coefficient of o
alpha = sp.IndexedBase("alpha", real=True)  # origin fixed effect
delta = sp.IndexedBase("delta", real=True)  # destination fixed effect

# Names of the chain's steps that other modules read.
GRAVITY_STEP = "gravity"
LOG_LINEAR_STEP = "log-linear gravity"
MARKET_ACCESS_STEP = "market access"
INWARD_RESISTANCE_STEP = "inward multilateral resistance"
ORIGIN_EFFECT_STEP = "origin fixed effect"
DESTINATION_EFFECT_STEP = "destination fixed effect"


@functools.lru_cache(maxsize=1)
def gravity_chain() -> DerivationChain:
    """Derive the gravity equation of Baldwin and Dingel (2021), section 3, with every step checked.

    Returns one shared chain; callers read it and must not add steps. Raises
    DerivationError if a step does not follow.
    """
    s = _ONE_MINUS_SIGMA
    chain = DerivationChain("structural gravity")
    chain.given("flow value", sp.Eq(V(o, d), p(o, d) * x(o, d)), "the value of a flow is price times quantity")
    chain.given(
        "export value", sp.Eq(p(o, d) * x(o, d), share(o, d) * E[d]),
        "o's sales in d are o's share of d's spending",
    )
    chain.given(
        "CES share", sp.Eq(share(o, d), (p(o, d) / P[d]) ** s),
        "CES demand with elasticity of substitution sigma > 1",
    )
    chain.given(
        "price index", sp.Eq(P[d], sp.Sum(p(k, d) ** s, (k, 1, R)) ** (1 / s)),
        "the CES price index over the R origins",
    )
    chain.given(
        "competitive price", sp.Eq(p(o, d), tau[o, d] * w(o) * a[o]),
        "perfect competition: price equals the delivered unit cost",
    )
    chain.derive(
        "bilateral value", sp.Eq(V(o, d), (tau[o, d] * w(o) * a[o] / P[d]) ** s * E[d]),
        "substitute the share and the competitive price into the export value",
        {V(o, d): "flow value", x(o, d): "export value", share(o, d): "CES share", p(o, d): "competitive price"},
    )
    chain.given(
        "market clearing", sp.Eq(Y[o], sp.Sum(V(o, d), (d, 1, R))),
        "o's income equals the value of its sales in every market",
    )
    chain.derive(
        "income",
        sp.Eq(Y[o], (w(o) * a[o]) ** s * sp.Sum(tau[o, d] ** s * E[d] / P[d] ** s, (d, 1, R))),
        "sum the bilateral value over destinations",
        {Y[o]: "market clearing", V(o, d): "bilateral value"},
    )
    chain.given(
        MARKET_ACCESS_STEP, sp.Eq(Omega[o], sp.Sum(tau[o, d] ** s * E[d] / P[d] ** s, (d, 1, R))),
        "definition of market access (openness) Omega_o",
    )
    chain.derive(
        "producer price", sp.Eq((w(o) * a[o]) ** s, Y[o] / Omega[o]),
        "solve the income equation for the producer price",
        {Y[o]: "income", Omega[o]: MARKET_ACCESS_STEP},
    )
    chain.derive(
        GRAVITY_STEP, sp.Eq(V(o, d), tau[o, d] ** s * Y[o] * E[d] / (Omega[o] * P[d] ** s)),
        "substitute the producer price into the bilateral value",
        {V(o, d): "bilateral value", Y[o]: "producer price"},
    )
    chain.given(
        ORIGIN_EFFECT_STEP, sp.Eq(alpha[o], sp.log(Y[o]) - sp.log(Omega[o])),
        "everything in ln V_od that varies only with the origin",
    )
    chain.given(
        DESTINATION_EFFECT_STEP, sp.Eq(delta[d], sp.log(E[d]) - s * sp.log(P[d])),
        "everything in ln V_od that varies only with the destination",
    )
    chain.derive(
        LOG_LINEAR_STEP, sp.Eq(sp.log(V(o, d)), s * sp.log(tau[o, d]) + alpha[o] + delta[d]),
        "take logs of the gravity equation",
        {V(o, d): GRAVITY_STEP, alpha[o]: ORIGIN_EFFECT_STEP, delta[d]: DESTINATION_EFFECT_STEP},
    )
    # The summation index of the price index is k, so the competitive price and
    # the producer price enter with o renamed to k.
    wage = sp.solve(chain["producer price"].equation, w(o))
    if len(wage) != 1:
        raise ValueError(f"the producer price has {len(wage)} solutions for w_o, expected 1")
    chain.derive(
        INWARD_RESISTANCE_STEP,
        sp.Eq(P[d], sp.Sum(tau[k, d] ** s * Y[k] / Omega[k], (k, 1, R)) ** (1 / s)),
        "substitute the competitive price and the producer price into the price index",
        {P[d]: "price index"},
        substitutions={
            p(k, d): chain["competitive price"].equation.rhs.xreplace({o: k}),
            w(k): wage[0].xreplace({o: k}),
            # SymPy combines (b^(1/(1-sigma)))^(1-sigma) into b only when it can
            # prove that 1/(1-sigma) is real, which sigma = 1 + theta, theta > 0, provides.
            sigma: 1 + _SIGMA_EXCESS,
        },
    )
    logger.debug("gravity chain: %d steps checked", len(chain.steps))
    return chain


def gravity_flow() -> sp.Expr:
    """Return the right-hand side of the gravity equation, step 7 of the chain."""
    return gravity_chain()[GRAVITY_STEP].equation.rhs


def fixed_effect_terms() -> dict[str, sp.Expr]:
    """Return what the origin and the destination fixed effects of the log-linear form absorb."""
    chain = gravity_chain()
    return {
        "origin": chain[ORIGIN_EFFECT_STEP].equation.rhs,
        "destination": chain[DESTINATION_EFFECT_STEP].equation.rhs,
    }


@dataclass(frozen=True)
class AddingUpCheck:
    """Adding-up identities of the gravity equation evaluated for a concrete number of nations.

    ``income_gap`` is the largest |sum_d V_od - Y_o| over origins, with V_od from
    the gravity equation and Omega_o from its definition, for arbitrary price
    indices. ``spending_gap`` is the largest |sum_o V_od - E_d| over destinations,
    with P_d from the multilateral-resistance step, for arbitrary Omega_o. With
    exact rationals both gaps are exactly 0 when the identities hold.
    """

    nations: int
    sigma: sp.Number
    exact: bool
    income_gap: sp.Number
    spending_gap: sp.Number
    tolerance: sp.Number

    @property
    def holds(self) -> bool:
        """True when both gaps are within the tolerance (0 for exact arithmetic)."""
        return bool(self.income_gap <= self.tolerance and self.spending_gap <= self.tolerance)


# Digits of the floating-point variant; its tolerance is relative to the totals.
_FLOAT_DIGITS = 50
_FLOAT_TOLERANCE = sp.Float("1e-40", _FLOAT_DIGITS)


def _random_positive(rng: random.Random, exact: bool, low: int, high: int) -> sp.Number:
    # Rationals with denominators up to 16, or 50-digit floats, in [low, high].
    if exact:
        return sp.Rational(rng.randint(low * 16, high * 16), 16)
    return sp.Float(rng.uniform(low, high), _FLOAT_DIGITS)


def check_adding_up(nations: int, seed: int, *, exact: bool = True) -> AddingUpCheck:
    """Evaluate the adding-up identities of the gravity equation for ``nations`` nations.

    Draws seeded random incomes, spending, trade costs in [1, 4] and either an
    integer sigma in {2, ..., 8} with exact rationals (``exact=True``) or a
    non-integer sigma in (1, 8) with 50-digit floats. Each identity holds for any
    value of the variable it does not solve for: price indices for the first,
    market access for the second. Those are drawn at random as well, so the check
    tests the algebra of the derived equations, not a numerical solution.
    """
    if not isinstance(nations, int) or isinstance(nations, bool) or nations < 1:
        raise InvalidParameterError("nations", nations, "expected an integer >= 1")
    rng = random.Random(seed)
    sigma_value = sp.Integer(rng.randint(2, 8)) if exact else sp.Float(rng.uniform(1.1, 8.0), _FLOAT_DIGITS)
    indices = range(1, nations + 1)
    values: dict[sp.Basic, sp.Number] = {sigma: sigma_value}
    for i in indices:
        values[Y[i]] = _random_positive(rng, exact, 1, 10)
        values[E[i]] = _random_positive(rng, exact, 1, 10)
        values[P[i]] = _random_positive(rng, exact, 1, 3)
        values[Omega[i]] = _random_positive(rng, exact, 1, 3)
        for j in indices:
            values[tau[i, j]] = _random_positive(rng, exact, 1, 4)
    chain = gravity_chain()
    flow = gravity_flow()
    market_access = chain[MARKET_ACCESS_STEP].equation.rhs.subs(R, nations).doit()
    price_index = chain[INWARD_RESISTANCE_STEP].equation.rhs.subs(R, nations).doit()

    def evaluate(expression: sp.Expr, extra: dict[sp.Basic, sp.Expr]) -> sp.Expr:
        number = expression.xreplace(extra).xreplace(values)
        return number if exact else sp.N(number, _FLOAT_DIGITS)

    def relative_gap(total: sp.Expr, target: sp.Number) -> sp.Number:
        # Exact arithmetic must give exactly 0; floats are compared relative to the total.
        return abs(total - target) if exact else abs(total - target) / target

    income_gap = sp.Integer(0)
    for i in indices:
        omega_i = market_access.xreplace({o: i})
        total = sum(evaluate(flow.xreplace({o: i, d: j}), {Omega[i]: omega_i}) for j in indices)
        income_gap = max(income_gap, relative_gap(total, values[Y[i]]))
    spending_gap = sp.Integer(0)
    for j in indices:
        price_j = price_index.xreplace({d: j})
        total = sum(evaluate(flow.xreplace({o: i, d: j}), {P[j]: price_j}) for i in indices)
        spending_gap = max(spending_gap, relative_gap(total, values[E[j]]))
    tolerance = sp.Integer(0) if exact else _FLOAT_TOLERANCE
    result = AddingUpCheck(nations, sigma_value, exact, income_gap, spending_gap, tolerance)
    logger.debug("adding-up check: %s", result)
    return result
