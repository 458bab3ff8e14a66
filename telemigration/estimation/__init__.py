"""Estimation of the gravity regressions of Baldwin and Dingel (2021), section 4, through pyfixest."""

from telemigration.estimation.gravity import (
    CoefficientEstimate,
    DroppedObservations,
    GravityEstimate,
    estimate_gravity,
)

__all__ = ["CoefficientEstimate", "DroppedObservations", "GravityEstimate", "estimate_gravity"]
