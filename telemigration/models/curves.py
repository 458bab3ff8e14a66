"""Relative productivity curves A(z) and S(t) and their inverses.

A curve maps an index on (0, 1) to North's relative productivity, a*(z)/a(z) for
goods or s*(t)/s(t) for tasks, and must fall strictly (Baldwin and Dingel 2021,
"Telemigration and development", section 5.1: A'(z) < 0, section 5.2: S'(t) < 0).
Its inverse maps a cost ratio x to the index where the curve equals x; that is how
every equal-price condition such as ``tau omega = A(z_S)`` turns into a threshold.

Each continuous curve is one SymPy expression with named parameter symbols. The
same expression feeds the LaTeX, the compiled JAX function (through
``telemigration.solvers.bridge``) and the tests. Inverses are extended past the
unit interval by the same formula, so the solver can clamp them to [0, 1].

Families:

* ``InverseCurve``: A(z) = 1/z, the paper's goods curve (section 5.1).
* ``PowerCurve``: S(t) = c t^(-alpha); c = 1, alpha = 1/2 is footnote 15's case.
* ``EatonKortumCurve``: S(t) = (lambda (1 - t)/t)^(1/theta), the rank-ordered
  Frechet ratio with lambda = T/T* (footnote 14).
* ``HockeyStickCurve``: ln S(t) = ln h + eps (1 - t) + beta max(0, t_b - t). The
  paper draws this shape (Figure 5.2) without a formula; this family and its
  defaults are this project's modelling choice.
* ``TabulatedCurve``: N goods with unit labour requirements and expenditure shares,
  a step function with good i on ((i-1)/N, i/N].
* ``ExpressionCurve``: any SymPy expression given through the Python API.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import sympy as sp

from telemigration.errors import DataFileError, InvalidCurveError

# Grid on which every continuous curve is checked for being finite, positive and
# strictly decreasing. Endpoints are kept away from 0 and 1 because A(0) may be
# infinite and the Eaton-Kortum curve reaches 0 at t = 1.
_CHECK_GRID = np.linspace(1e-4, 1.0 - 1e-4, 2001)

# Natural logarithms of the largest and the smallest positive normal float64.
_LOG_FLOAT_MAX = math.log(np.finfo(np.float64).max)
_LOG_FLOAT_TINY = math.log(np.finfo(np.float64).tiny)


class Curve:
    """Base class of the relative productivity curves."""

    family: ClassVar[str] = ""

    def parameter_names(self) -> tuple[str, ...]:
        """Return the names of the curve's parameters, in a fixed order."""
        return ()

    def parameter_values(self) -> tuple[float, ...]:
        """Return the numeric parameter values, in the order of ``parameter_names``."""
        return tuple(float(getattr(self, name)) for name in self.parameter_names())

    def describe(self) -> str:
        """Return the curve as a SPEC string, for example ``power:c=1,alpha=0.5``."""
        values = ",".join(f"{n}={v:g}" for n, v in zip(self.parameter_names(), self.parameter_values()))
        return f"{self.family}:{values}" if values else self.family


class ContinuousCurve(Curve):
    """A curve given by one SymPy expression in its index and named parameters."""

    def parameter_symbols(self, tag: str = "") -> tuple[sp.Symbol, ...]:
        """Return positive symbols for the parameters, suffixed by ``tag`` (for example ``S``).

        The tag keeps the parameters of the goods and the services curve apart when
        both belong to one family.
        """
        suffix = f"_{tag}" if tag else ""
        return tuple(sp.Symbol(f"{name}{suffix}", positive=True) for name in self.parameter_names())

    def symbolic(self, index: sp.Symbol, params: tuple[sp.Symbol, ...]) -> sp.Expr:
        """Return the curve at ``index`` in terms of the parameter symbols ``params``."""
        raise NotImplementedError

    def symbolic_inverse(self, ratio: sp.Symbol, params: tuple[sp.Symbol, ...]) -> sp.Expr | None:
        """Return the index at which the curve equals ``ratio``, or None without a closed form."""
        return None

    def kink_points(self) -> tuple[float, ...]:
        """Return the indices in (0, 1) where the curve's slope jumps; empty for a smooth curve.

        A threshold at a kink makes the equilibrium map kinked too, so comparative
        statics report one-sided derivatives there.
        """
        return ()

    def expression(self, index: sp.Symbol, tag: str = "") -> sp.Expr:
        """Return the curve as a SymPy expression with symbolic parameters."""
        return self.symbolic(index, self.parameter_symbols(tag))

    def inverse_expression(self, ratio: sp.Symbol, tag: str = "") -> sp.Expr | None:
        """Return the closed-form inverse with symbolic parameters, or None."""
        return self.symbolic_inverse(ratio, self.parameter_symbols(tag))

    def numeric_expression(self, index: sp.Symbol) -> sp.Expr:
        """Return the curve with its parameter values substituted."""
        params = self.parameter_symbols()
        return self.symbolic(index, params).subs(dict(zip(params, self.parameter_values())))

    def numeric_inverse_expression(self, ratio: sp.Symbol) -> sp.Expr | None:
        """Return the closed-form inverse with parameter values substituted, or None."""
        params = self.parameter_symbols()
        inverse = self.symbolic_inverse(ratio, params)
        if inverse is None:
            return None
        return inverse.subs(dict(zip(params, self.parameter_values())))

    def evaluate(self, index: np.ndarray | float) -> np.ndarray:
        """Evaluate the curve with NumPy (for validation, plots and tests)."""
        arg = sp.Symbol("u", positive=True)
        function = sp.lambdify(arg, self.numeric_expression(arg), modules="numpy")
        return np.asarray(function(np.asarray(index, dtype=np.float64)), dtype=np.float64)

    def evaluate_inverse(self, ratio: np.ndarray | float) -> np.ndarray:
        """Evaluate the inverse with NumPy, unclamped; raises if there is no closed form."""
        arg = sp.Symbol("x", positive=True)
        inverse = self.numeric_inverse_expression(arg)
        if inverse is None:
            raise NotImplementedError(f"the {self.family} curve has no closed-form inverse")
        function = sp.lambdify(arg, inverse, modules="numpy")
        return np.asarray(function(np.asarray(ratio, dtype=np.float64)), dtype=np.float64)

    def validate_shape(self) -> None:
        """Raise InvalidCurveError unless the curve is finite, positive and strictly falling."""
        with np.errstate(all="ignore"):
            values = self.evaluate(_CHECK_GRID)
        if values.shape != _CHECK_GRID.shape:
            values = np.broadcast_to(values, _CHECK_GRID.shape)
        if not np.all(np.isfinite(values)) or np.any(values <= 0.0):
            problem = self._float64_range_problem()
            raise InvalidCurveError(
                self.family, self.describe(), problem or "the curve must be finite and positive on (0, 1)"
            )
        if np.any(np.diff(values) >= 0.0):
            raise InvalidCurveError(
                self.family, self.describe(), "the curve must be strictly decreasing on (0, 1)"
            )


    def _float64_range_problem(self) -> str:
        """Return why the curve leaves the float64 range on the check grid, or "" if ln S stays inside it.

        ln S is evaluated from the expanded logarithm of the expression, so it stays
        finite where S itself overflows to infinity or underflows to 0.
        """
        arg = sp.Symbol("u", positive=True)
        log_expression = sp.expand_log(sp.log(self.numeric_expression(arg)), force=True)
        with np.errstate(all="ignore"):
            log_values = np.broadcast_to(
                np.asarray(sp.lambdify(arg, log_expression, modules="numpy")(_CHECK_GRID), dtype=np.float64),
                _CHECK_GRID.shape,
            )
        if not np.all(np.isfinite(log_values)):
            return ""
        highest, lowest = int(np.argmax(log_values)), int(np.argmin(log_values))
        if log_values[highest] > _LOG_FLOAT_MAX:
            where = f"ln S = {log_values[highest]:.4g} at index {_CHECK_GRID[highest]:.4g}"
            return f"the curve overflows float64 on (0, 1): {self.range_hint(where, 'overflow')}"
        if log_values[lowest] < _LOG_FLOAT_TINY:
            where = f"ln S = {log_values[lowest]:.4g} at index {_CHECK_GRID[lowest]:.4g}"
            return f"the curve underflows float64 on (0, 1): {self.range_hint(where, 'underflow')}"
        return ""

    def range_hint(self, where: str, kind: str) -> str:
        """Return where the curve leaves the float64 range and which parameters to change.

        ``where`` locates the extreme value of ln S and ``kind`` is "overflow" or
        "underflow"; families override this to name their own parameters.
        """
        return f"{where}, beyond float64 (ln S must stay within [{_LOG_FLOAT_TINY:.4g}, {_LOG_FLOAT_MAX:.4g}]); " \
            "make the curve parameters less extreme"


def _to_float(family: str, name: str, value: object, allowed: str) -> float:
    """Convert a curve parameter to float, raising InvalidCurveError for None, text or other non-numbers."""
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidCurveError(f"{family}.{name}", value, allowed) from None


def _check_positive(family: str, name: str, value: object) -> float:
    allowed = "expected a finite number > 0"
    number = _to_float(family, name, value, allowed)
    if not math.isfinite(number) or number <= 0.0:
        raise InvalidCurveError(f"{family}.{name}", value, allowed)
    return number


@dataclass(frozen=True)
class InverseCurve(ContinuousCurve):
    """A(z) = 1/z, the goods curve of Baldwin and Dingel (2021), equation (2)."""

    family: ClassVar[str] = "inverse"

    def symbolic(self, index, params):
        return 1 / index

    def symbolic_inverse(self, ratio, params):
        return 1 / ratio


@dataclass(frozen=True)
class PowerCurve(ContinuousCurve):
    """S(t) = c t^(-alpha) with c > 0 and alpha > 0; footnote 15 uses c = 1, alpha = 1/2."""

    c: float = 1.0
    alpha: float = 0.5
    family: ClassVar[str] = "power"

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", _check_positive(self.family, "c", self.c))
        object.__setattr__(self, "alpha", _check_positive(self.family, "alpha", self.alpha))

    def parameter_names(self):
        return ("c", "alpha")

    def symbolic(self, index, params):
        c, alpha = params
        return c * index ** (-alpha)

    def symbolic_inverse(self, ratio, params):
        c, alpha = params
        return (ratio / c) ** (-1 / alpha)

    def range_hint(self, where: str, kind: str) -> str:
        change = "reduce c or alpha" if kind == "overflow" else "raise c"
        return f"c t^(-alpha) has {where}; {change}"


@dataclass(frozen=True)
class EatonKortumCurve(ContinuousCurve):
    """S(t) = (lambda (1 - t)/t)^(1/theta): Frechet productivities ranked by ratio (footnote 14).

    With F(x) = exp(-T x^-theta) and F*(x) = exp(-T* x^-theta), lambda = T/T*. The
    inverse t = lambda / (lambda + x^theta) is logistic in ln x and gives the
    constant trade elasticity theta in both directions.
    """

    lam: float = 2.0
    theta: float = 4.0
    family: ClassVar[str] = "ek"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lam", _check_positive(self.family, "lambda", self.lam))
        object.__setattr__(self, "theta", _check_positive(self.family, "theta", self.theta))

    def parameter_names(self):
        return ("lam", "theta")

    def symbolic(self, index, params):
        lam, theta = params
        return (lam * (1 - index) / index) ** (1 / theta)

    def symbolic_inverse(self, ratio, params):
        lam, theta = params
        return lam / (lam + ratio**theta)

    def describe(self) -> str:
        return f"ek:lambda={self.lam:g},theta={self.theta:g}"

    def range_hint(self, where: str, kind: str) -> str:
        return f"(lambda (1 - t)/t)^(1/theta) has {where}; raise theta or bring lambda closer to 1"


@dataclass(frozen=True)
class HockeyStickCurve(ContinuousCurve):
    """ln S(t) = ln h + eps (1 - t) + beta max(0, t_b - t): a flat handle and a steep blade.

    Baldwin and Dingel (2021), Figure 5.2, draw 1/S(t) with this shape but give no
    formula; the family is this project's choice. h > 0 is the handle level
    (North's small edge in ordinary tasks), eps > 0 a small handle slope that keeps
    S strictly decreasing, t_b in (0, 1) the blade width and beta > 0 its
    steepness. ln S is piecewise linear, so the inverse is closed form on each piece.
    """

    h: float = 1.05
    eps: float = 0.05
    t_b: float = 0.1
    beta: float = 20.0
    family: ClassVar[str] = "hockey-stick"

    def __post_init__(self) -> None:
        for name in ("h", "eps", "beta"):
            object.__setattr__(self, name, _check_positive(self.family, name, getattr(self, name)))
        allowed = "the blade width must lie in (0, 1)"
        t_b = _to_float(self.family, "t_b", self.t_b, allowed)
        if not (math.isfinite(t_b) and 0.0 < t_b < 1.0):
            raise InvalidCurveError(f"{self.family}.t_b", self.t_b, allowed)
        object.__setattr__(self, "t_b", t_b)

    def parameter_names(self):
        return ("h", "eps", "t_b", "beta")

    def symbolic(self, index, params):
        h, eps, t_b, beta = params
        return sp.exp(sp.log(h) + eps * (1 - index) + beta * sp.Max(0, t_b - index))

    def symbolic_inverse(self, ratio, params):
        h, eps, t_b, beta = params
        # ln S at the kink t = t_b; larger ratios lie on the blade. Both pieces are
        # linear in ln(ratio), so neither branch can produce a NaN when not taken.
        kink_level = sp.log(h) + eps * (1 - t_b)
        on_blade = (sp.log(h) + eps + beta * t_b - sp.log(ratio)) / (eps + beta)
        on_handle = (sp.log(h) + eps - sp.log(ratio)) / eps
        return sp.Piecewise((on_blade, sp.log(ratio) >= kink_level), (on_handle, True))

    def range_hint(self, where: str, kind: str) -> str:
        if kind == "overflow":
            return f"exp(beta*t_b) = exp({self.beta * self.t_b:g}); reduce beta or t_b"
        return f"{where}; raise h"

    def kink_points(self) -> tuple[float, ...]:
        """Return (t_b,): the slope of ln S jumps from -(eps + beta) to -eps where the blade meets the handle."""
        return (self.t_b,)


@dataclass(frozen=True)
class ExpressionCurve(ContinuousCurve):
    """Any SymPy expression in one index symbol, given through the Python API.

    ``parameters`` maps parameter names (symbols in ``expr``) to values. The
    inverse is found with ``sympy.solve`` when it returns exactly one solution;
    otherwise the curve has no closed-form inverse and the solver inverts it
    numerically. Expressions are never parsed from text.
    """

    expr: sp.Expr = field(default=None)  # type: ignore[assignment]
    index: sp.Symbol = field(default=None)  # type: ignore[assignment]
    parameters: tuple[tuple[str, float], ...] = ()
    family: ClassVar[str] = "expression"

    def __post_init__(self) -> None:
        if not isinstance(self.expr, sp.Expr) or not isinstance(self.index, sp.Symbol):
            raise InvalidCurveError("expression", self.expr, "expected a SymPy expression and its index symbol")
        names = {name for name, _ in self.parameters}
        free = {s.name for s in self.expr.free_symbols} - {self.index.name}
        if free - names:
            raise InvalidCurveError(
                "expression", self.expr, f"symbols {sorted(free - names)} have no value in parameters"
            )
        object.__setattr__(self, "parameters", tuple((n, float(v)) for n, v in self.parameters))
        self.validate_shape()

    def parameter_names(self):
        return tuple(name for name, _ in self.parameters)

    def parameter_values(self):
        return tuple(value for _, value in self.parameters)

    def _standardised(self, index, params):
        by_name = {s.name: s for s in self.expr.free_symbols}
        mapping = {self.index: index}
        for (name, _), symbol in zip(self.parameters, params):
            if name in by_name:
                mapping[by_name[name]] = symbol
        return self.expr.xreplace(mapping)

    def symbolic(self, index, params):
        return self._standardised(index, params)

    def symbolic_inverse(self, ratio, params):
        u = sp.Symbol("u", positive=True)
        try:
            solutions = sp.solve(sp.Eq(self._standardised(u, params), ratio), u)
        except NotImplementedError:
            return None
        return solutions[0] if len(solutions) == 1 else None

    def describe(self) -> str:
        return f"expression:{self.expr}"


@dataclass(frozen=True)
class TabulatedCurve(Curve):
    """N goods with unit labour requirements a*(z), a(z) and expenditure shares b(z).

    Good i occupies ((i-1)/N, i/N] on the index line, so the relative productivity
    A is a step function and a threshold inside good i's interval means that good
    is produced by both countries (a split marginal good). Goods must be ordered so
    that A = a*/a falls strictly; shares must be positive and sum to 1.
    """

    foreign_labour: tuple[float, ...] = ()
    home_labour: tuple[float, ...] = ()
    shares: tuple[float, ...] = ()
    source: str = "table"
    family: ClassVar[str] = "table"

    def __post_init__(self) -> None:
        a_star = np.asarray(self.foreign_labour, dtype=np.float64)
        a = np.asarray(self.home_labour, dtype=np.float64)
        n = a.size
        if n == 0 or a_star.shape != a.shape or a.ndim != 1:
            raise InvalidCurveError("table", self.source, "expected two equal-length columns a*(z) and a(z)")
        if not (np.all(np.isfinite(a_star)) and np.all(np.isfinite(a))) or np.any(a_star <= 0) or np.any(a <= 0):
            raise InvalidCurveError("table", self.source, "unit labour requirements must be finite and > 0")
        ratio = a_star / a
        if n > 1 and np.any(np.diff(ratio) >= 0.0):
            first = int(np.argmax(np.diff(ratio) >= 0.0)) + 2
            raise InvalidCurveError(
                "table", self.source,
                f"A = a*/a must fall strictly from good to good, but good {first} does not; reorder the goods",
            )
        shares = np.full(n, 1.0 / n) if len(self.shares) == 0 else np.asarray(self.shares, dtype=np.float64)
        if shares.shape != (n,):
            raise InvalidCurveError("shares", self.source, f"expected {n} expenditure shares, got {shares.size}")
        if not np.all(np.isfinite(shares)) or np.any(shares <= 0.0):
            raise InvalidCurveError("shares", self.source, "expenditure shares must be finite and > 0")
        if abs(shares.sum() - 1.0) > 1e-9:
            raise InvalidCurveError("shares", float(shares.sum()), "expenditure shares must sum to 1 (within 1e-9)")
        object.__setattr__(self, "foreign_labour", tuple(a_star.tolist()))
        object.__setattr__(self, "home_labour", tuple(a.tolist()))
        object.__setattr__(self, "shares", tuple(shares.tolist()))

    @property
    def size(self) -> int:
        """Number of goods."""
        return len(self.home_labour)

    @property
    def relative_productivity(self) -> np.ndarray:
        """A_i = a*_i / a_i for each good, strictly falling."""
        return np.asarray(self.foreign_labour) / np.asarray(self.home_labour)

    @property
    def cumulative_shares(self) -> np.ndarray:
        """B at the right edge of each good's interval: B_0 = 0, ..., B_N = 1 (length N + 1)."""
        return np.concatenate([[0.0], np.cumsum(self.shares)])

    def describe(self) -> str:
        return f"table:{self.source}"

    @classmethod
    def from_files(cls, labour_path: str | Path, shares_path: str | Path | None = None) -> "TabulatedCurve":
        """Read a tab-separated a*(z), a(z) table and, optionally, one share per line."""
        foreign, home = _read_labour_table(Path(labour_path))
        shares: tuple[float, ...] = ()
        if shares_path is not None:
            shares = _read_column(Path(shares_path))
            if len(shares) != len(home):
                raise DataFileError(
                    shares_path, f"expected {len(home)} shares, one per good, got {len(shares)}"
                )
        return cls(foreign, home, shares, source=str(labour_path))


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(path, f"cannot be read ({error})") from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise DataFileError(path, "the file contains no data rows")
    return lines


def _parse_number(path: Path, row: int, cell: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise DataFileError(path, f"row {row}: {cell!r} is not a number") from None
    if not math.isfinite(value):
        raise DataFileError(path, f"row {row}: {cell!r} is not a finite number")
    if value <= 0.0:
        sign = "zero" if value == 0.0 else "negative"
        raise DataFileError(path, f"row {row}: {cell!r} is {sign}; values must be > 0")
    return value


def _read_labour_table(path: Path) -> tuple[tuple[float, ...], tuple[float, ...]]:
    foreign, home = [], []
    for row, line in enumerate(_read_lines(path), start=1):
        cells = line.split("\t") if "\t" in line else line.split()
        if len(cells) != 2:
            raise DataFileError(path, f"row {row} has {len(cells)} columns; expected 2 (a*(z) then a(z))")
        foreign.append(_parse_number(path, row, cells[0]))
        home.append(_parse_number(path, row, cells[1]))
    return tuple(foreign), tuple(home)


def _read_column(path: Path) -> tuple[float, ...]:
    values = []
    for row, line in enumerate(_read_lines(path), start=1):
        cells = line.split()
        if len(cells) != 1:
            raise DataFileError(path, f"row {row} has {len(cells)} columns; expected one share per line")
        values.append(_parse_number(path, row, cells[0]))
    return tuple(values)
