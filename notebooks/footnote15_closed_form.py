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
# # Footnote 15: the free-trade cubic and its root
#
# Baldwin and Dingel (2021), footnote 15: with free trade in goods and services
# there is one goods threshold and one task threshold, with
# $\omega = A(z)$, $\omega = S(t)$ and
# $\omega = X/(1 - X)$, $X = \gamma z + (1-\gamma) t$.
# With $A(z) = 1/z$ and $S(t) = 1/\sqrt{t}$ SymPy derives a cubic in $\omega$,
# checking every step. This notebook derives it, finds its real root in radicals
# and compares it with the JAX solver.

# %%
import sympy as sp

from telemigration.derivations.closed_forms import free_trade_chain, free_trade_cubic, free_trade_root
from telemigration.models import Economy, InverseCurve, Parameters, PowerCurve
from telemigration.models import symbols as sym
from telemigration.solvers.equilibrium import solve_equilibrium

# %% [markdown]
# ## The derivation, step by step

# %%
chain = free_trade_chain()
for step in chain.steps:
    kind = "premise" if step.premise else "derived"
    print(f"{step.name:>16} ({kind}): {sp.sstr(step.equation)}    [{step.reason}]")

# %%
cubic = free_trade_cubic()
print("cubic in omega:", sp.sstr(cubic.as_expr()), "= 0")

# %% [markdown]
# ## The root at gamma = 1/2, in real radicals and as a number

# %%
half = free_trade_root(sp.Rational(1, 2))
print("radicals:", half.radicals)
print("value:   ", half.value)
print("checked against the isolated root to", half.digits_checked, "digits")
assert round(half.value, 5) == 1.43756

# %% [markdown]
# ## Limits: the golden ratio (goods only) and the plastic number (services only)

# %%
golden = free_trade_root(1)
plastic = free_trade_root(0)
print("gamma = 1:", golden.value, "golden ratio:", float((1 + sp.sqrt(5)) / 2))
print("gamma = 0:", plastic.value)
assert abs(golden.value - float((1 + sp.sqrt(5)) / 2)) < 1e-12
assert abs(plastic.value - 1.324717957244746) < 1e-12

# %% [markdown]
# ## The same number from the JAX solver
#
# The solver does not use the cubic: it finds the root of the labour-market
# residual with the clamped inverse curves.

# %%
economy = Economy(goods_curve=InverseCurve(), services_curve=PowerCurve(c=1.0, alpha=0.5))
for gamma in (0.0, 0.25, 0.5, 0.75, 1.0):
    numeric = solve_equilibrium(economy, Parameters.symmetric(gamma=gamma)).omega
    exact = free_trade_root(sp.nsimplify(gamma)).value
    print(f"gamma = {gamma:4}: solver {numeric:.12f}, cubic {exact:.12f}, gap {abs(numeric - exact):.1e}")
    assert abs(numeric - exact) < 1e-9 * exact

# %% [markdown]
# ## LaTeX of the cubic at gamma = 1/2

# %%
print(sp.latex(sp.Eq(cubic.as_expr().subs(sym.gamma, sp.Rational(1, 2)), 0)))
