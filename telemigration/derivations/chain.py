"""Derivation chains whose every step SymPy checks.

A chain starts from premises (``given``) and adds derived equations (``derive``).
A derived step names the earlier steps it uses and the symbol each is solved for;
the engine solves those premises, substitutes the solutions into the new
equation and requires the difference of its two sides to simplify to zero. A
step that does not follow raises DerivationError: a failed step is an error,
not a comment.

When simplification cannot decide (piecewise or transcendental expressions),
``check="numeric"`` evaluates the difference at seeded random points of the
positive orthant instead and requires it to vanish to 1e-10 relative accuracy.
"""

from __future__ import annotations

import functools
import logging
import random
from dataclasses import dataclass, field
from typing import Mapping

import sympy as sp

from telemigration.errors import DerivationError

logger = logging.getLogger(__name__)

# Number of random points and the relative tolerance of a numeric step check.
_NUMERIC_POINTS = 8
_NUMERIC_TOLERANCE = 1e-10


@dataclass(frozen=True)
class Step:
    """One equation of a chain, the reason for it in words, and its label."""

    name: str
    equation: sp.Eq
    reason: str
    premise: bool
    uses: tuple[str, ...] = ()
    label: str | None = None

    @property
    def residual(self) -> sp.Expr:
        """Left-hand side minus right-hand side."""
        return self.equation.lhs - self.equation.rhs


@functools.lru_cache(maxsize=None)
def _solutions(equation: sp.Eq, target: sp.Basic) -> tuple[sp.Expr, ...]:
    """Return the solutions of ``equation`` for ``target``, cached because chains reuse a premise in several steps."""
    return tuple(sp.solve(equation, target, dict=False))


@dataclass
class DerivationChain:
    """An ordered list of checked steps.

    The chain is built step by step by its owner and then only read; ``steps`` is
    exposed as a tuple.
    """

    name: str
    _steps: dict[str, Step] = field(default_factory=dict)

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps.values())

    def __getitem__(self, name: str) -> Step:
        return self._steps[name]

    def _add(self, step: Step) -> Step:
        if step.name in self._steps:
            raise ValueError(f"chain {self.name!r} already has a step named {step.name!r}")
        self._steps[step.name] = step
        return step

    def given(self, name: str, equation: sp.Eq, reason: str, label: str | None = None) -> Step:
        """Add a premise, an equation taken as true (an assumption or a definition)."""
        return self._add(Step(name, equation, reason, premise=True, label=label))

    def derive(
        self,
        name: str,
        equation: sp.Eq,
        reason: str,
        using: Mapping[sp.Symbol | sp.Basic, str] | None = None,
        *,
        substitutions: Mapping[sp.Basic, sp.Expr] | None = None,
        check: str = "symbolic",
        label: str | None = None,
    ) -> Step:
        """Add a step and check that it follows.

        ``using`` maps a symbol (or function application) to the name of an earlier
        step; that step is solved for it and the solution substituted into the new
        equation. ``substitutions`` adds explicit replacements, for example a
        functional form A(z) = 1/z. Raises DerivationError when the difference of
        the two sides does not vanish.
        """
        expression = equation.lhs - equation.rhs
        used = []
        replacements = {}
        for target, step_name in (using or {}).items():
            premise = self._steps.get(step_name)
            if premise is None:
                raise ValueError(f"chain {self.name!r}: step {name!r} uses unknown step {step_name!r}")
            solutions = _solutions(premise.equation, target)
            if len(solutions) != 1:
                raise DerivationError(self.name, name, f"step {step_name!r} has {len(solutions)} solutions for {target}")
            replacements[target] = solutions[0]
            used.append(step_name)
        # A solution may contain another target (omega = w/w* brings in w), so
        # substitute until nothing changes; one pass per target is enough.
        for _ in range(len(replacements)):
            expression = expression.subs(replacements)
        if substitutions:
            expression = expression.subs(dict(substitutions)).doit()
        remainder = self._remainder(expression, check)
        if remainder != 0:
            raise DerivationError(self.name, name, remainder)
        logger.debug("chain %s: step %s follows", self.name, name)
        return self._add(Step(name, equation, reason, premise=False, uses=tuple(used), label=label))

    def _remainder(self, expression: sp.Expr, check: str) -> sp.Expr:
        if check == "symbolic":
            combined = sp.together(expression)
            # Most steps reduce to 0 once over a common denominator and expanded,
            # which costs a small part of what simplify does.
            if combined == 0 or sp.expand(sp.numer(combined)) == 0:
                return sp.Integer(0)
            simplified = sp.simplify(combined)
            if simplified != 0:
                simplified = sp.simplify(sp.expand(sp.powsimp(sp.expand_log(simplified, force=True), force=True)))
            return simplified
        if check == "numeric":
            return self._numeric_remainder(expression)
        raise ValueError(f"unknown check {check!r}; expected 'symbolic' or 'numeric'")

    def _numeric_remainder(self, expression: sp.Expr) -> sp.Expr:
        # Seeded so that a chain checks the same points on every run.
        rng = random.Random(20210601)
        symbols = sorted(expression.free_symbols, key=lambda s: s.name)
        worst = sp.Float(0)
        for _ in range(_NUMERIC_POINTS):
            point = {s: sp.Float(rng.uniform(0.2, 0.9), 30) for s in symbols}
            value = sp.N(expression.subs(point), 30)
            if not value.is_number or not value.is_finite:
                return value
            scale = max(1.0, max(abs(float(v)) for v in point.values()) if point else 1.0)
            worst = max(worst, abs(value) / scale)
        return sp.Integer(0) if worst < _NUMERIC_TOLERANCE else worst
