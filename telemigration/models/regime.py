"""Regimes: which equilibrium thresholds sit at a corner of the unit interval.

A threshold at 0 or 1 means a trade flow is absent: z_S = 0, North sells no goods
in the South; z_N = 1, South sells no goods in the North; t_S = 0 and t_N = 1
likewise for service tasks. The map from parameters to the equilibrium is smooth
within a regime and has kinks (tipping points) where the regime changes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

THRESHOLD_NAMES = ("z_S", "z_N", "t_S", "t_N")


class Position(enum.Enum):
    """Position of one threshold: the lower corner 0, the interior (0, 1) or the upper corner 1."""

    LOWER = "lower"
    INTERIOR = "interior"
    UPPER = "upper"


@dataclass(frozen=True)
class Regime:
    """Position of each of the four thresholds z_S, z_N, t_S and t_N, and which sectors get spending.

    ``goods_traded`` is false when gamma = 0 and ``services_traded`` when gamma = 1:
    that sector's flows are then 0 wherever its thresholds sit. Both flags default
    to true and take no part in comparisons, so two regimes are equal when their
    threshold positions are.
    """

    z_S: Position
    z_N: Position
    t_S: Position
    t_N: Position
    goods_traded: bool = field(default=True, compare=False)
    services_traded: bool = field(default=True, compare=False)

    @classmethod
    def interior(cls) -> "Regime":
        """Return the regime with every threshold inside (0, 1)."""
        return cls(Position.INTERIOR, Position.INTERIOR, Position.INTERIOR, Position.INTERIOR)

    def position(self, name: str) -> Position:
        """Return the position of the threshold called ``name``."""
        return getattr(self, name)

    @property
    def north_exports_goods(self) -> bool:
        """North sells some goods in the South (z_S > 0 and gamma > 0)."""
        return self.goods_traded and self.z_S is not Position.LOWER

    @property
    def south_exports_goods(self) -> bool:
        """South sells some goods in the North (z_N < 1 and gamma > 0)."""
        return self.goods_traded and self.z_N is not Position.UPPER

    @property
    def north_exports_services(self) -> bool:
        """North sells some service tasks in the South (t_S > 0 and gamma < 1)."""
        return self.services_traded and self.t_S is not Position.LOWER

    @property
    def south_exports_services(self) -> bool:
        """South sells some service tasks in the North (t_N < 1 and gamma < 1)."""
        return self.services_traded and self.t_N is not Position.UPPER

    def trade_pattern(self) -> dict[str, bool]:
        """Return the four export indicators under the names of the JSON output."""
        return {
            "north_exports_goods": self.north_exports_goods,
            "south_exports_goods": self.south_exports_goods,
            "north_exports_services": self.north_exports_services,
            "south_exports_services": self.south_exports_services,
        }
