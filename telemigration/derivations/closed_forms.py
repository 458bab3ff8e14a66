"""Closed forms of the DFS model with goods and tasks under A(z) = 1/z, S(t) = 1/sqrt(t).

Baldwin and Dingel (2021), "Telemigration and development", footnote 15: with
free trade in both sectors there is one threshold per sector, z-bar and t-bar,
and ``omega = A(z)``, ``omega = S(t)``,
``omega = [gamma z + (1 - gamma) t] / (1 - [gamma z + (1 - gamma) t])``.
With A(z) = 1/z and S(t) = 1/sqrt(t) eliminating z and t gives the cubic
``omega^3 - gamma omega^2 - omega - (1 - gamma) = 0``. It is derived here, not
typed in. Its positive root is the golden ratio at gamma = 1, the plastic number
at gamma = 0 and 1.4375649 at gamma = 1/2 (footnote 15's case).

With trade costs (section 5.3, costs by direction), general gamma and labour
ratio ell, every regime of the same functional forms also reduces to a
polynomial in omega. ``regime_polynomial`` derives it from
``telemigration.models.system.reduced_condition`` by clearing denominators.

Each polynomial here has exactly one positive root: its leading coefficient is
positive and every other coefficient is nonpositive, so Descartes' rule of signs
allows one sign change only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import mpmath
import numpy as np
import sympy as sp

from telemigration.derivations.chain import DerivationChain
from telemigration.errors import DerivationError, InvalidParameterError
from telemigration.models import symbols as sym
from telemigration.models.curves import EatonKortumCurve, InverseCurve, PowerCurve
from telemigration.models.parameters import SCALAR_PARAMETERS
from telemigration.models.regime import Regime
from telemigration.models.system import (
    Economy,
    equal_price_conditions,
    labour_market_condition,
    reduced_condition,
)

INVERSE_A = sp.Lambda(sym.z, 1 / sym.z)
ROOT_S = sp.Lambda(sym.t, 1 / sp.sqrt(sym.t))
UNIFORM_B = sp.Lambda(sym.z, sym.z)

# Digits to which a radical form must match the isolated real root.
RADICAL_CHECK_DIGITS = 30


@functools.lru_cache(maxsize=None)
def free_trade_chain() -> DerivationChain:
    """Derive footnote 15's cubic from the three free-trade conditions, each step checked.

    The labour-market condition omega = X/(1 - X) is used as omega (1 - X) = X,
    which is equivalent because 1 - X > 0 at an equilibrium with omega > 0.
    """
    chain = DerivationChain("free-trade cubic")
    omega, z, t, gamma = sym.omega, sym.z, sym.t, sym.gamma
    spending = gamma * z + (1 - gamma) * t
    chain.given("goods threshold", sp.Eq(omega, sym.A(z)), "free trade: one goods threshold", label="footnote 15")
    chain.given("task threshold", sp.Eq(omega, sym.S(t)), "free trade: one task threshold", label="footnote 15")
    chain.given(
        "labour market", sp.Eq(omega * (1 - spending), spending),
        "omega = X/(1 - X) with X = gamma z + (1 - gamma) t and L = L*", label="footnote 15",
    )
    chain.derive("z", sp.Eq(omega, 1 / z), "A(z) = 1/z", {omega: "goods threshold"},
                 substitutions={sym.A: INVERSE_A})
    chain.derive("t", sp.Eq(omega, 1 / sp.sqrt(t)), "S(t) = 1/sqrt(t)", {omega: "task threshold"},
                 substitutions={sym.S: ROOT_S})

    residual = omega * (1 - spending) - spending
    in_omega = residual.subs({z: sp.solve(chain["z"].equation, z)[0], t: sp.solve(chain["t"].equation, t)[0]})
    numerator, denominator = sp.fraction(sp.together(in_omega))
    if not denominator.is_positive:
        raise DerivationError(chain.name, "cubic", f"cannot show the denominator {denominator} is positive")
    polynomial = sp.Poly(numerator, omega)
    monic = sp.expand(polynomial.as_expr() / polynomial.LC())
    # The step is checked by solving the labour market for gamma, in which it is
    # linear, and substituting that and the thresholds into the cubic. The cubic
    # then vanishes identically, so every solution of the three conditions solves it.
    chain.derive(
        "cubic",
        sp.Eq(0, monic),
        f"substitute z = 1/omega and t = 1/omega^2 into the labour market and multiply by "
        f"the positive {sp.sstr(denominator / polynomial.LC())}",
        {gamma: "labour market", z: "z", t: "t"},
        label="footnote 15",
    )
    return chain


@functools.lru_cache(maxsize=None)
def free_trade_cubic() -> sp.Poly:
    """Return the monic free-trade cubic in omega with coefficients in gamma (footnote 15)."""
    return sp.Poly(free_trade_chain()["cubic"].equation.rhs, sym.omega)


@functools.lru_cache(maxsize=None)
def free_trade_domega_dgamma() -> sp.Expr:
    """Return d omega/d gamma = -(dP/d gamma)/(dP/d omega) on the free-trade cubic P = 0."""
    cubic = free_trade_cubic().as_expr()
    return sp.simplify(-sp.diff(cubic, sym.gamma) / sp.diff(cubic, sym.omega))


@dataclass(frozen=True)
class PositiveRoot:
    """The unique positive root of a polynomial with rational coefficients.

    ``exact`` is the root isolated by SymPy (a ``CRootOf`` or a rational).
    ``radicals`` is an equal expression in real radicals. It is None when the
    factor with the root is an irreducible cubic with three real roots (casus
    irreducibilis, which has no real-radical form) or has degree above 3. ``digits_checked`` is the
    number of digits to which ``radicals`` was checked against ``exact``.
    """

    polynomial: sp.Poly
    exact: sp.Expr
    radicals: sp.Expr | None
    value: float
    digits_checked: int

    def latex(self) -> str:
        """Return the LaTeX of the radical form, or of the isolated root without one."""
        return sp.latex(self.radicals if self.radicals is not None else self.exact)


def _cardano_real_root(factor: sp.Poly) -> sp.Expr | None:
    """Return the real root of a cubic with one real root in real radicals, or None.

    With x = y - b/3 the monic cubic x^3 + b x^2 + c x + d becomes y^3 + p y + q.
    When D = (q/2)^2 + (p/3)^3 > 0 there is one real root,
    y = cbrt(-q/2 + sqrt(D)) + cbrt(-q/2 - sqrt(D)), with real cube roots. SymPy's
    ``solve`` returns the roots with principal (complex) cube roots and in an
    order that varies, so the real one is built here instead.
    """
    _, b, c, d = (sp.nsimplify(coefficient / factor.LC()) for coefficient in factor.all_coeffs())
    p = c - b**2 / 3
    q = 2 * b**3 / 27 - b * c / 3 + d
    discriminant = (q / 2) ** 2 + (p / 3) ** 3
    if not discriminant.is_positive:
        return None
    root_d = sp.sqrt(discriminant)
    return sp.real_root(-q / 2 + root_d, 3) + sp.real_root(-q / 2 - root_d, 3) - b / 3


def positive_root(polynomial: sp.Poly) -> PositiveRoot:
    """Return the unique positive root of ``polynomial`` exactly, in real radicals and as a float.

    Raises DerivationError unless there is exactly one positive real root, or when
    the radical form disagrees with the isolated root beyond 30 digits.
    """
    if polynomial.free_symbols - {polynomial.gen}:
        raise InvalidParameterError(
            "polynomial", polynomial.as_expr(), "expected numeric coefficients; substitute every parameter first"
        )
    candidates = [(factor, root) for factor, _ in sp.factor_list(polynomial)[1]
                  for root in sp.real_roots(factor) if root.is_positive]
    if len(candidates) != 1:
        raise InvalidParameterError(
            "polynomial", polynomial.as_expr(), f"expected exactly one positive real root, found {len(candidates)}"
        )
    factor, exact = candidates[0]
    if factor.degree() <= 2:
        radicals = next(r for r in sp.solve(factor.as_expr(), polynomial.gen)
                        if abs(sp.N(r - exact, RADICAL_CHECK_DIGITS + 10)) < sp.Float(10) ** -RADICAL_CHECK_DIGITS)
    elif factor.degree() == 3:
        radicals = _cardano_real_root(factor)
    else:
        radicals = None
    digits = 0
    if radicals is not None:
        gap = abs(sp.N(radicals - exact, RADICAL_CHECK_DIGITS + 10))
        if gap > sp.Float(10) ** -RADICAL_CHECK_DIGITS:
            raise DerivationError("positive root", "radicals", f"radical form differs from the root by {gap}")
        digits = RADICAL_CHECK_DIGITS
    return PositiveRoot(polynomial, exact, radicals, float(sp.N(exact, 20)), digits)


@functools.lru_cache(maxsize=None)
def free_trade_root(gamma: sp.Expr | float) -> PositiveRoot:
    """Return the free-trade omega-bar at goods share ``gamma`` (footnote 15).

    ``gamma`` is converted to a rational first, so 0.5 means exactly 1/2. The
    cubic's discriminant 4 gamma^4 - 4 gamma^3 - 8 gamma^2 + 36 gamma - 23 turns
    positive at gamma = 0.78861, so for larger gamma below 1 the cubic has three
    real roots and ``radicals`` is None (casus irreducibilis); at gamma = 1 it
    factors and the root is the golden ratio again.
    """
    share = sp.nsimplify(gamma)
    if not (share.is_number and 0 <= share <= 1):
        raise InvalidParameterError("gamma", gamma, "the goods share must be a number in [0, 1]")
    polynomial = sp.Poly(free_trade_cubic().as_expr().subs(sym.gamma, share), sym.omega)
    return positive_root(polynomial)


def power_root_economy() -> Economy:
    """Return the economy of the closed forms: A(z) = 1/z, S(t) = 1/sqrt(t), B(z) = z."""
    return Economy(InverseCurve(), PowerCurve(1.0, 0.5))


def fix_power_parameters(expression: sp.Expr) -> sp.Expr:
    """Set the tagged services-curve parameters c = 1, alpha = 1/2 in ``expression``."""
    c_S, alpha_S = PowerCurve().parameter_symbols("S")
    return expression.subs({c_S: 1, alpha_S: sp.Rational(1, 2)})


@functools.lru_cache(maxsize=None)
def regime_polynomial(regime: Regime | None = None) -> sp.Poly:
    """Return the polynomial in omega whose positive root is the equilibrium in ``regime``.

    Derived from ``reduced_condition`` for A(z) = 1/z, S(t) = 1/sqrt(t), B(z) = z
    with directional costs, general gamma and ell: the thresholds are replaced by
    their inverses and the positive denominator cleared. ``regime`` defaults to
    all thresholds interior, where the result is a cubic. The root is the
    equilibrium only where the regime's thresholds lie in their ranges.
    """
    residual = fix_power_parameters(reduced_condition(power_root_economy(), regime))
    numerator, denominator = sp.fraction(sp.together(sp.expand(residual)))
    if not denominator.is_positive:
        raise DerivationError("regime polynomial", str(regime), f"cannot show {denominator} is positive")
    polynomial = sp.Poly(sp.expand(numerator), sym.omega)
    return sp.Poly(sp.expand(polynomial.as_expr() / polynomial.LC()), sym.omega)


@functools.lru_cache(maxsize=None)
def interior_polynomial_chain() -> DerivationChain:
    """Derive the interior-regime cubic from the system's conditions, each step checked."""
    chain = DerivationChain("interior polynomial")

    chain.given("labour market", labour_market_condition(UNIFORM_B), "the system's condition with B(z) = z")
    conditions = equal_price_conditions()
    for name, symbol in sym.THRESHOLD_SYMBOLS.items():
        condition = conditions[name]
        chain.given(f"{name} condition", condition, "equal-price condition")
        in_omega = sp.solve(condition.subs({sym.A: INVERSE_A, sym.S: ROOT_S}).doit(), symbol)
        if len(in_omega) != 1:
            raise DerivationError(chain.name, name, f"expected one inverse, found {in_omega}")
        chain.derive(
            name, sp.Eq(symbol, in_omega[0]), "invert A(z) = 1/z or S(t) = 1/sqrt(t)",
            {sym.omega: f"{name} condition"}, substitutions={sym.A: INVERSE_A, sym.S: ROOT_S},
        )

    condition = labour_market_condition(UNIFORM_B)
    residual = condition.lhs - condition.rhs
    polynomial = regime_polynomial(Regime.interior())
    in_omega = residual.subs({symbol: sp.solve(chain[name].equation, symbol)[0]
                              for name, symbol in sym.THRESHOLD_SYMBOLS.items()})
    scale = sp.simplify(polynomial.as_expr() / in_omega)
    if not (scale.is_positive and scale.free_symbols <= {sym.omega} | set(sym.PARAMETER_SYMBOLS.values())):
        raise DerivationError(chain.name, "cubic", f"the cleared denominator {scale} is not positive")

    # Checked as in free_trade_chain, with the labour market solved for ell = L*/L.
    chain.derive(
        "cubic",
        sp.Eq(0, polynomial.as_expr()),
        f"substitute the thresholds into the labour market and multiply by the positive {sp.sstr(scale)}",
        {sym.labour_ratio: "labour market", **{symbol: name for name, symbol in sym.THRESHOLD_SYMBOLS.items()}},
        label="section 5.3",
    )
    return chain


def polynomial_positive_root(polynomial: sp.Poly, values: dict[sp.Symbol, float]) -> mpmath.mpf:
    """Return the positive root of ``polynomial`` at numeric parameter ``values`` (mpmath, 30 digits).

    Raises DerivationError unless exactly one positive real root exists.
    """
    coefficients = [sp.N(c.subs(values), 40) for c in polynomial.all_coeffs()]
    with mpmath.workdps(30):
        roots = mpmath.polyroots([mpmath.mpf(str(c)) for c in coefficients], maxsteps=200, extraprec=60)
        positive = [r.real for r in (mpmath.mpc(r) for r in roots) if abs(r.imag) < 1e-20 and r.real > 0]
    if len(positive) != 1:
        raise InvalidParameterError(
            "polynomial", polynomial.as_expr(), f"expected one positive root at {values}, found {positive}"
        )
    return positive[0]


def polynomial_root_derivative(polynomial: sp.Poly, parameter: sp.Symbol) -> sp.Expr:
    """Return d omega/dp = -(dP/dp)/(dP/d omega) on P(omega, p) = 0, as a SymPy expression."""
    expression = polynomial.as_expr()
    return -sp.diff(expression, parameter) / sp.diff(expression, sym.omega)


# Symbols of the Frechet derivation (footnote 14): scale parameters T, T*, shape
# theta, a relative-efficiency level r, an integration variable y and u = y^-theta.
FRECHET_T = sp.Symbol("T", positive=True)
FRECHET_T_STAR = sp.Symbol("T^*", positive=True)
FRECHET_THETA = sp.Symbol("theta", positive=True)
FRECHET_LAMBDA = sp.Symbol("lambda", positive=True)


@functools.lru_cache(maxsize=None)
def frechet_chain() -> DerivationChain:
    """Derive S(t) = (lambda (1 - t)/t)^(1/theta) from Frechet productivities (footnote 14).

    North's productivity 1/s(t) has the distribution F(x) = exp(-T x^-theta) and
    South's 1/s*(t) has F*(x) = exp(-T* x^-theta). Relative efficiency
    S = s*/s is North's productivity over South's, so
    P(S <= r) = int_0^oo F(r y) dF*(y). Ranking tasks so that S falls, task t
    is the one with a share t of tasks above it: t = 1 - P(S <= S(t)). The result
    makes ln S linear in the log-odds ln((1 - t)/t), so ln S is logistic.
    The last step checks that ``EatonKortumCurve`` is this curve.
    """
    T, T_star, theta, lam = FRECHET_T, FRECHET_T_STAR, FRECHET_THETA, FRECHET_LAMBDA
    r, y, u, t = (sp.Symbol(name, positive=True) for name in ("r", "y", "u", "t"))
    share_below = sp.Symbol("G", positive=True)
    ratio = sp.Symbol("S", positive=True)
    chain = DerivationChain("Frechet relative efficiency")

    north = sp.exp(-T * (r * y) ** -theta)
    south_density = sp.diff(sp.exp(-T_star * y**-theta), y)
    exponential = T_star * sp.exp(-(T * r**-theta + T_star) * u)
    chain.given("integrand", sp.Eq(sp.Symbol("f"), north * south_density),
                "P(S <= r) integrates F(r y) against South's density", label="footnote 14")
    chain.derive(
        "change of variable",
        sp.Eq(north * south_density / -sp.diff(y**-theta, y), exponential),
        "with u = y^-theta the integrand times dy is T* exp(-(T r^-theta + T*) u) du",
        substitutions={u: y**-theta},
    )
    distribution = T_star * r**theta / (T + T_star * r**theta)
    chain.derive(
        "distribution of S",
        sp.Eq(share_below, distribution),
        "integrate the exponential over u from 0 to infinity",
        substitutions={share_below: sp.Integral(exponential, (u, 0, sp.oo))},
    )
    chain.given("ranking", sp.Eq(t, 1 - distribution.subs(r, ratio)),
                "task t has a share t of tasks with higher relative efficiency")
    curve = (lam * (1 - t) / t) ** (1 / theta)
    chain.derive("S(t)", sp.Eq(ratio, curve), "solve the ranking for S, lambda = T/T*",
                 {ratio: "ranking"}, substitutions={lam: T / T_star}, check="numeric", label="footnote 14")
    chain.derive(
        "log-odds",
        sp.Eq(sp.log(ratio), (sp.log(lam) + sp.log((1 - t) / t)) / theta),
        "ln S is linear in the log-odds of t, so it has a logistic distribution",
        {ratio: "S(t)"},
    )
    lam_S, theta_S = EatonKortumCurve().parameter_symbols("S")
    chain.derive(
        "Eaton-Kortum curve",
        sp.Eq(ratio, EatonKortumCurve().expression(t, "S")),
        "the package's EatonKortumCurve with lambda and theta",
        {ratio: "S(t)"},
        substitutions={lam_S: lam, theta_S: theta},
    )
    return chain


def monic_cubic_coefficients(regime: Regime | None = None) -> Callable[..., tuple]:
    """Return a NumPy function of the six scalar parameters giving (b, c, d) of the regime's cubic.

    The cubic is ``regime_polynomial(regime)`` (A = 1/z, S = 1/sqrt(t), B(z) = z),
    omega^3 + b omega^2 + c omega + d. Arguments follow
    ``telemigration.models.parameters.SCALAR_PARAMETERS``; arrays broadcast.
    Raises DerivationError when the regime's polynomial is not a cubic.
    """
    polynomial = regime_polynomial(regime)
    if polynomial.degree() != 3:
        raise DerivationError("monic cubic", str(regime), f"the polynomial has degree {polynomial.degree()}")
    arguments = tuple(sym.PARAMETER_SYMBOLS[name] for name in SCALAR_PARAMETERS)
    _, b, c, d = polynomial.all_coeffs()
    return sp.lambdify(arguments, (b, c, d), modules="numpy")


def positive_cubic_root(b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Return the largest real root of omega^3 + b omega^2 + c omega + d, vectorised (NumPy).

    With one positive root (Descartes, as for every regime polynomial here) it is
    the largest real root. With x = y - b/3 the cubic is y^3 + p y + q. When
    D = (q/2)^2 + (p/3)^3 > 0 the one real root is Cardano's with real cube roots;
    otherwise all three roots are real and the largest is
    2 sqrt(-p/3) cos(arccos(3q/(2p) sqrt(-3/p))/3).
    """
    b, c, d = (np.asarray(value, dtype=np.float64) for value in (b, c, d))
    p = c - b**2 / 3.0
    q = 2.0 * b**3 / 27.0 - b * c / 3.0 + d
    discriminant = (q / 2.0) ** 2 + (p / 3.0) ** 3
    root_d = np.sqrt(np.maximum(discriminant, 0.0))
    one_real = np.cbrt(-q / 2.0 + root_d) + np.cbrt(-q / 2.0 - root_d)
    # Where D <= 0, p < 0; the guards keep the branch not taken free of NaN.
    scale = np.sqrt(np.maximum(-p / 3.0, 0.0))
    safe_p = np.where(p < 0.0, p, -1.0)
    angle = np.arccos(np.clip(3.0 * q / (2.0 * safe_p) * np.sqrt(-3.0 / safe_p), -1.0, 1.0)) / 3.0
    three_real = 2.0 * scale * np.cos(angle)
    return np.where(discriminant > 0.0, one_real, three_real) - b / 3.0
