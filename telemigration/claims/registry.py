"""A registry of the paper's claims, each checked by computation.

A claim has an id, the section of Baldwin and Dingel (2021) it comes from, the
statement as printed, and a check function that computes a ``Verdict``. The
status describes the paper, not the workbench:

* ``confirmed``: the statement or number holds as printed;
* ``approximation``: it holds only approximately, and the detail says how far;
* ``differs``: the printed statement or value is not what the model gives.

To add claims, write a module that decorates check functions with ``@claim`` and
list it in ``CLAIM_MODULES``.
"""

from __future__ import annotations

import enum
import importlib
import logging
from dataclasses import dataclass
from typing import Callable

logger = logging.getLogger(__name__)

# Modules whose import registers claims, in the order ``verify`` prints them.
CLAIM_MODULES = (
    "telemigration.claims.dfs",
    "telemigration.claims.quantification",
    "telemigration.claims.gravity",
)


class Status(enum.Enum):
    """Comparison of a printed claim with what the model computes."""

    CONFIRMED = "confirmed"
    APPROXIMATION = "approximation"
    DIFFERS = "differs"


@dataclass(frozen=True)
class Verdict:
    """Outcome of a check: the paper's value, the model's value and the status."""

    paper_value: object
    computed_value: object
    method: str
    status: Status
    detail: str


@dataclass(frozen=True)
class ClaimResult:
    """A checked claim, ready to print or serialise."""

    id: str
    section: str
    statement: str
    paper_value: object
    computed_value: object
    method: str
    status: Status
    detail: str

    def to_dict(self) -> dict[str, object]:
        """Return the result with the key names of ``verify --json``."""
        return {
            "id": self.id,
            "section": self.section,
            "statement": self.statement,
            "paper_value": self.paper_value,
            "computed_value": self.computed_value,
            "method": self.method,
            "status": self.status.value,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Claim:
    """A registered claim and the function that checks it."""

    id: str
    section: str
    statement: str
    check: Callable[[], Verdict]

    def evaluate(self) -> ClaimResult:
        """Run the check and attach the claim's id, section and statement."""
        verdict = self.check()
        if not isinstance(verdict, Verdict):
            raise TypeError(f"claim {self.id}: the check returned {type(verdict).__name__}, not Verdict")
        return ClaimResult(
            self.id, self.section, self.statement, verdict.paper_value, verdict.computed_value,
            verdict.method, verdict.status, verdict.detail,
        )


_REGISTRY: dict[str, Claim] = {}


def claim(id: str, section: str, statement: str) -> Callable[[Callable[[], Verdict]], Callable[[], Verdict]]:
    """Register the decorated function as the check of claim ``id``."""

    def register(check: Callable[[], Verdict]) -> Callable[[], Verdict]:
        if id in _REGISTRY and _REGISTRY[id].check is not check:
            raise ValueError(f"claim id {id!r} is registered twice")
        _REGISTRY[id] = Claim(id, section, statement, check)
        return check

    return register


def all_claims() -> list[Claim]:
    """Import every claim module and return the registered claims in registration order."""
    for module in CLAIM_MODULES:
        importlib.import_module(module)
    return list(_REGISTRY.values())


def get_claim(id: str) -> Claim:
    """Return the claim registered under ``id``; raises KeyError with the known ids."""
    claims = {c.id: c for c in all_claims()}
    if id not in claims:
        raise KeyError(f"unknown claim {id!r}; known claims: {', '.join(claims)}")
    return claims[id]


def evaluate_all() -> list[ClaimResult]:
    """Check every registered claim."""
    results = []
    for registered in all_claims():
        logger.info("checking claim %s", registered.id)
        results.append(registered.evaluate())
    return results
