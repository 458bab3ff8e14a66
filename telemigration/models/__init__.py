"""The economics: symbols, parameters and their domains, curves and equilibrium systems."""

from telemigration.models.curves import (
    ContinuousCurve,
    Curve,
    EatonKortumCurve,
    ExpressionCurve,
    HockeyStickCurve,
    InverseCurve,
    PowerCurve,
    TabulatedCurve,
)
from telemigration.models.parameters import Parameters
from telemigration.models.regime import Position, Regime
from telemigration.models.system import Economy

__all__ = [
    "ContinuousCurve", "Curve", "EatonKortumCurve", "Economy", "ExpressionCurve", "HockeyStickCurve",
    "InverseCurve", "Parameters", "Position", "PowerCurve", "Regime", "TabulatedCurve",
]
