"""Numeric solvers in JAX: compiled functions, equilibrium solving, autodiff and sweeps.

Importing this package switches JAX to 64-bit floats. Without it JAX computes in
float32 and silently casts float64 input down, which is too coarse for the
derivative audits of this workbench.
"""

import jax

jax.config.update("jax_enable_x64", True)
