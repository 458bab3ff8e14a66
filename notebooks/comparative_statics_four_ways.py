# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Comparative statics four ways
#
# $d\omega/d\tau_s$ in the DFS model with goods and service tasks (Baldwin and
# Dingel 2021, sections 5.2 and 5.3), with $A(z) = 1/z$, $S(t) = 1/\sqrt{t}$,
# computed by
#
# 1. JAX autodiff through the solver (implicit differentiation of the root),
# 2. SymPy's implicit-function theorem on the reduced condition,
# 3. central finite differences of the solver,
# 4. the implicit derivative of the closed-form regime polynomial.

# %%
import sympy as sp

from telemigration.derivations.closed_forms import (
    polynomial_positive_root,
    polynomial_root_derivative,
    regime_polynomial,
)
from telemigration.derivations.implicit import implicit_derivative
from telemigration.models import Economy, InverseCurve, Parameters, PowerCurve
from telemigration.models import symbols as sym
from telemigration.solvers.equilibrium import solve_equilibrium
from telemigration.solvers.statics import comparative_statics, finite_difference_derivative

economy = Economy(goods_curve=InverseCurve(), services_curve=PowerCurve(c=1.0, alpha=0.5))
params = Parameters.symmetric(tau_g=1.2, tau_s=1.3, gamma=0.5)
equilibrium = solve_equilibrium(economy, params)
print("omega =", equilibrium.omega)
print("regime:", equilibrium.regime)

# %% [markdown]
# ## 1. JAX autodiff

# %%
statics = comparative_statics(economy, params, outputs=("omega",), with_respect_to=("tau_s",))
autodiff = statics.derivative("omega", "tau_s").value
print("autodiff:", autodiff)

# %% [markdown]
# ## 2. SymPy's implicit function theorem, in the solver's regime

# %%
symbolic = implicit_derivative(economy, equilibrium.regime, "tau_s")
implicit_value = symbolic.evaluate(params)["omega"]
print("implicit:", implicit_value)

# %% [markdown]
# ## 3. Central finite differences (relative step about the cube root of machine epsilon)

# %%
finite = finite_difference_derivative(economy, params, "omega", "tau_s")
print("finite differences:", finite)

# %% [markdown]
# ## 4. The regime polynomial P(omega) = 0 and -(dP/dtau_s)/(dP/domega)
#
# A common service cost moves both directions, so the derivative sums the two partials.

# %%
polynomial = regime_polynomial(equilibrium.regime)
values = {
    sym.tau_g_NS: params.tau_g_ns, sym.tau_g_SN: params.tau_g_sn,
    sym.tau_s_NS: params.tau_s_ns, sym.tau_s_SN: params.tau_s_sn,
    sym.gamma: params.gamma, sym.labour_ratio: params.labour_ratio,
}
root = polynomial_positive_root(polynomial, values)
derivative = polynomial_root_derivative(polynomial, sym.tau_s_NS) + polynomial_root_derivative(polynomial, sym.tau_s_SN)
closed_form = float(derivative.subs({**values, sym.omega: root}))
print("polynomial root:", float(root), " derivative:", closed_form)

# %% [markdown]
# ## Agreement
#
# Autodiff, the implicit formula and the polynomial are exact up to rounding;
# central differences carry an error of order step^2, about 1e-10 relative.

# %%
results = {"autodiff": autodiff, "implicit": implicit_value, "finite differences": finite, "polynomial": closed_form}
for name, value in results.items():
    print(f"{name:>18}: {value:.12f}  (relative gap to autodiff {abs(value / autodiff - 1):.1e})")
assert abs(float(root) - equilibrium.omega) < 1e-10
assert abs(implicit_value / autodiff - 1) < 1e-9
assert abs(closed_form / autodiff - 1) < 1e-9
assert abs(finite / autodiff - 1) < 1e-6
