"""Numeric solvers in JAX: compiled functions, equilibrium solving, autodiff and sweeps.

Importing this package switches JAX to 64-bit floats. Without it JAX computes in
float32 and silently casts float64 input down, which is too coarse for the
derivative audits of this workbench.
"""

import jax

jax.config.update("jax_enable_x64", True)

from telemigration.solvers.batch import solve_batch  # noqa: E402
from telemigration.solvers.equilibrium import (  # noqa: E402
    EquilibriumKernel,
    equilibrium_kernel,
    solve_equilibrium,
)
from telemigration.solvers.result import (  # noqa: E402
    Equilibrium,
    MarginalGoods,
    SolveStatus,
    Thresholds,
    TradeFlows,
)
from telemigration.solvers.statics import (  # noqa: E402
    Derivative,
    Statics,
    comparative_statics,
    finite_difference_derivative,
    implicit_derivative_numeric,
)
from telemigration.solvers.tipping import Boundary, find_tipping_points  # noqa: E402

__all__ = [
    "Boundary", "Derivative", "Equilibrium", "EquilibriumKernel", "MarginalGoods", "SolveStatus", "Statics",
    "Thresholds", "TradeFlows", "comparative_statics", "equilibrium_kernel", "find_tipping_points",
    "finite_difference_derivative", "implicit_derivative_numeric", "solve_batch", "solve_equilibrium",
]
