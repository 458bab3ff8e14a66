"""Parameters of the two-nation DFS model with goods and service tasks.

Domains (Baldwin and Dingel 2021, "Telemigration and development", sections 5.1
to 5.3): iceberg trade costs are at least 1 (1 is free trade), the goods share of
spending gamma lies in [0, 1], and the labour ratio L*/L is positive. Trade costs
may differ by direction: ``ns`` is North selling in the South and ``sn`` is South
selling in the North.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from telemigration.errors import InvalidParameterError

# Every name a comparative static can be taken with respect to, besides curve
# parameters. ``tau_g`` and ``tau_s`` move both directions of one sector together.
DIRECTIONAL_COSTS = ("tau_g_ns", "tau_g_sn", "tau_s_ns", "tau_s_sn")
COMMON_COSTS = ("tau_g", "tau_s")
SCALAR_PARAMETERS = DIRECTIONAL_COSTS + ("gamma", "labour_ratio")


def require_finite(name: str, value: object) -> float:
    """Return ``value`` as a float, raising InvalidParameterError named ``name`` unless it is finite."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise InvalidParameterError(name, value, "expected a real number") from None
    if not math.isfinite(number):
        raise InvalidParameterError(name, value, "expected a finite real number")
    return number


@dataclass(frozen=True)
class Parameters:
    """Trade costs by sector and direction, goods share gamma and labour ratio L*/L.

    The defaults are the paper's free-trade benchmark with equal country sizes and
    gamma = 1/2 (footnote 15).
    """

    tau_g_ns: float = 1.0
    tau_g_sn: float = 1.0
    tau_s_ns: float = 1.0
    tau_s_sn: float = 1.0
    gamma: float = 0.5
    labour_ratio: float = 1.0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = require_finite(field.name, getattr(self, field.name))
            object.__setattr__(self, field.name, value)
        for name in DIRECTIONAL_COSTS:
            if getattr(self, name) < 1.0:
                raise InvalidParameterError(
                    name, getattr(self, name), "an iceberg trade cost must be >= 1 (1 is free trade)"
                )
        if not 0.0 <= self.gamma <= 1.0:
            raise InvalidParameterError("gamma", self.gamma, "the goods share must lie in [0, 1]")
        if self.labour_ratio <= 0.0:
            raise InvalidParameterError(
                "labour_ratio", self.labour_ratio, "the labour ratio L*/L must be > 0"
            )

    @classmethod
    def symmetric(
        cls, tau_g: float = 1.0, tau_s: float = 1.0, gamma: float = 0.5, labour_ratio: float = 1.0
    ) -> "Parameters":
        """Build parameters whose trade costs are the same in both directions."""
        return cls(tau_g, tau_g, tau_s, tau_s, gamma, labour_ratio)

    def with_value(self, name: str, value: float) -> "Parameters":
        """Return a copy with one parameter changed; ``tau_g``/``tau_s`` set both directions."""
        if name == "tau_g":
            return replace(self, tau_g_ns=value, tau_g_sn=value)
        if name == "tau_s":
            return replace(self, tau_s_ns=value, tau_s_sn=value)
        if name not in SCALAR_PARAMETERS:
            raise InvalidParameterError(
                "parameter", name, f"expected one of {', '.join(COMMON_COSTS + SCALAR_PARAMETERS)}"
            )
        return replace(self, **{name: value})

    def as_tuple(self) -> tuple[float, ...]:
        """Return the values in the order of ``SCALAR_PARAMETERS``."""
        return tuple(getattr(self, name) for name in SCALAR_PARAMETERS)
