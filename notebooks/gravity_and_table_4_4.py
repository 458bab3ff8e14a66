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
# # Structural gravity and Table 4.4
#
# Baldwin and Dingel (2021), section 3, derive the gravity equation for services
# from CES demand, perfect competition and market clearing. Their section 4.3
# turns a gravity coefficient into telemigrant jobs (Table 4.4). This notebook shows the
# derivation SymPy checked, the adding-up identities for concrete economies and
# Table 4.4 recomputed, first order and exact.

# %%
import sympy as sp

from telemigration.derivations.gravity import check_adding_up, fixed_effect_terms, gravity_chain
from telemigration.quantification import quantify
from telemigration.quantification.data import load_printed_table_4_4

# %% [markdown]
# ## The derivation

# %%
chain = gravity_chain()
for step in chain.steps:
    kind = "premise" if step.premise else "derived"
    print(f"{step.name:>32} ({kind}): {sp.sstr(step.equation)}")

# %%
for effect, expression in fixed_effect_terms().items():
    print(f"{effect} fixed effect absorbs: {sp.sstr(expression)}")

# %% [markdown]
# ## Adding up, for 3 and 5 nations with seeded random values
#
# Summing flows over destinations returns each origin's income; with the price
# indices from the multilateral-resistance step, summing over origins returns
# each destination's spending.

# %%
for nations in (3, 5):
    check = check_adding_up(nations, seed=nations)
    print(f"{nations} nations: income gap {check.income_gap}, spending gap {check.spending_gap}, holds {check.holds}")
    assert check.holds

# %% [markdown]
# ## Table 4.4: a 25% fall in distance with the log-distance coefficient -0.707

# %%
result = quantify()
percent = result.percent
print(f"first order: {percent.first_order:.4f}, exact: {percent.exact:.4f}, "
      f"95% interval of the exact: [{percent.exact_ci95.lower:.4f}, {percent.exact_ci95.upper:.4f}]")
assert abs(percent.first_order - 0.707 * 0.25) < 1e-12
assert abs(percent.exact - (0.75**-0.707 - 1)) < 1e-12

# %%
printed = {(cell.destination, cell.origin): cell for cell in load_printed_table_4_4()}
print(f"{'cell':>12} {'base jobs':>10} {'printed':>8} {'+first order':>13} {'+exact':>8} {'printed':>8}")
for cell in result.cells:
    paper = printed[(cell.destination, cell.origin)]
    print(f"{cell.destination + '-' + cell.origin:>12} {cell.base_jobs_millions:10.3f} {paper.base_jobs_millions:8.2f} "
          f"{cell.jobs_increase_first_order_millions:13.3f} {cell.jobs_increase_exact_millions:8.3f} "
          f"{paper.jobs_increase_millions:8.2f}")
    assert cell.jobs_increase_exact_millions > cell.jobs_increase_first_order_millions
