"""Test configuration that makes numerical bugs loud.

JAX runs in float64 with strict dtype promotion, so a silent cast to float32 or
an implicit int-float promotion fails a test; pytest turns warnings into errors
(see pyproject.toml).
"""

import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_numpy_dtype_promotion", "strict")
