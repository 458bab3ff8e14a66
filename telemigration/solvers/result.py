"""Immutable results of an equilibrium solve.

Units: South's wage is the numeraire (w* = 1) and North's labour force is the
unit (L = 1), so South's labour is ell = L*/L, North's income is omega and trade
flows are values in units of South's wage.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from telemigration.models.regime import Regime


class SolveStatus(enum.Enum):
    """Outcome of a solve; anything but SUCCESS raises unless the caller asked not to."""

    SUCCESS = "success"
    MAX_STEPS_REACHED = "max_steps_reached"
    NO_SIGN_CHANGE = "no_sign_change"
    NONFINITE = "nonfinite"
    RESIDUAL_TOO_LARGE = "residual_too_large"


@dataclass(frozen=True)
class Thresholds:
    """Equilibrium thresholds, each a share of the unit interval.

    North sells goods [0, z_S] in the South and [0, z_N] at home, and service tasks
    [0, t_S] in the South and [0, t_N] at home.
    """

    z_S: float
    z_N: float
    t_S: float
    t_N: float

    def to_dict(self) -> dict[str, float]:
        return {"z_S": self.z_S, "z_N": self.z_N, "t_S": self.t_S, "t_N": self.t_N}


@dataclass(frozen=True)
class TradeFlows:
    """Export values by sector and direction, in units of South's wage (w* = 1, L = 1).

    north_goods = gamma ell B(z_S), south_goods = gamma omega (1 - B(z_N)),
    north_services = (1 - gamma) ell t_S, south_services = (1 - gamma) omega (1 - t_N).
    Balanced trade, north_goods + north_services = south_goods + south_services,
    is North's labour-market condition.
    """

    north_goods: float
    south_goods: float
    north_services: float
    south_services: float

    def to_dict(self) -> dict[str, float]:
        return {
            "north_goods": self.north_goods,
            "south_goods": self.south_goods,
            "north_services": self.north_services,
            "south_services": self.south_services,
        }


@dataclass(frozen=True)
class MarginalGoods:
    """For tabulated goods: the 1-based index of the last good North sells in each market.

    A good split between the two producers counts as sold by North; 0 means North
    sells no good in that market. ``split_share_*`` is the share of the marginal
    good's spending in that market that goes to North (1 when it is not split).
    """

    z_S: int
    z_N: int
    split_share_S: float
    split_share_N: float


@dataclass(frozen=True)
class Equilibrium:
    """A solved equilibrium: relative wage, thresholds, regime, trade flows and diagnostics."""

    omega: float
    thresholds: Thresholds
    regime: Regime
    trade_flows: TradeFlows
    residual: float
    iterations: int
    status: SolveStatus
    message: str
    marginal_goods: MarginalGoods | None = None
