"""Typed exceptions raised by the workbench.

Every error that reaches a user names the offending parameter or file, the value
that was given and what is allowed, so the command-line interface can print it as
one line and exit with status 2.
"""

from __future__ import annotations


class TelemigrationError(Exception):
    """Base class of every error the workbench raises on purpose."""


class InvalidParameterError(TelemigrationError, ValueError):
    """A parameter value lies outside its domain.

    Attributes hold the parameter name, the value given and a description of the
    allowed values, so callers can build their own messages.
    """

    def __init__(self, parameter: str, value: object, allowed: str) -> None:
        self.parameter = parameter
        self.value = value
        self.allowed = allowed
        super().__init__(f"invalid {parameter}={value!r}: {allowed}")


class InvalidCurveError(InvalidParameterError):
    """A productivity curve is malformed, out of its domain or not strictly decreasing."""


class DataFileError(TelemigrationError, ValueError):
    """A data file is missing, unreadable or does not have the required layout."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"invalid data file {str(path)!r}: {problem}")


class SolverError(TelemigrationError, RuntimeError):
    """A numerical solve failed; the message carries the residual and advice."""

    def __init__(self, message: str, *, residual: float | None = None, advice: str = "") -> None:
        self.residual = residual
        self.advice = advice
        text = message
        if residual is not None:
            text += f" (residual {residual:.3e})"
        if advice:
            text += f"; {advice}"
        super().__init__(text)


class DerivationError(TelemigrationError, ArithmeticError):
    """A step of a symbolic derivation does not follow from the previous ones."""

    def __init__(self, chain: str, step: str, remainder: object) -> None:
        self.chain = chain
        self.step = step
        self.remainder = remainder
        super().__init__(
            f"derivation {chain!r}: step {step!r} does not follow; "
            f"the difference simplifies to {remainder}, not 0"
        )
