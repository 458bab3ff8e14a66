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
# # The tipping point: hockey stick against Eaton-Kortum
#
# Baldwin and Dingel (2021), section 5.3: if North's relative productivity in
# service tasks has a hockey-stick shape, a fall in the service trade cost
# $\tau_s$ crosses a tipping point after which South's service exports rise far
# faster than North's and $\omega$ falls. Under Eaton-Kortum (two blades) there
# is no tipping point. Goods: $A(z) = 1/z$, $\tau_g = 1.1$, $\gamma = 1/2$, $L = L^*$.
# The hockey-stick family and its defaults are this project's modelling choice.

# %%
import numpy as np

from telemigration.models import EatonKortumCurve, Economy, HockeyStickCurve, InverseCurve, Parameters
from telemigration.solvers.equilibrium import solve_equilibrium
from telemigration.solvers.statics import comparative_statics
from telemigration.solvers.tipping import find_tipping_points

base = Parameters.symmetric(tau_g=1.1, tau_s=2.0, gamma=0.5)
hockey = Economy(goods_curve=InverseCurve(), services_curve=HockeyStickCurve())
eaton_kortum = Economy(goods_curve=InverseCurve(), services_curve=EatonKortumCurve(lam=2.0, theta=4.0))

# %% [markdown]
# ## Where are the tipping points between tau_s = 1.1 and 3?

# %%
hockey_points = find_tipping_points(hockey, base, "tau_s", 1.1, 3.0)
ek_points = find_tipping_points(eaton_kortum, base, "tau_s", 1.1, 3.0)
for boundary in hockey_points:
    print(f"hockey stick: {boundary.threshold} changes corner at tau_s = {boundary.value:.6f}")
print("Eaton-Kortum tipping points:", len(ek_points))
assert len(ek_points) == 0
assert [b.threshold for b in hockey_points] == ["t_N"]
tipping = hockey_points[0].value

# %% [markdown]
# ## Service exports and omega as tau_s falls from 2 to 1.2

# %%
def exports(economy: Economy, tau_s: float) -> tuple[float, float, float]:
    equilibrium = solve_equilibrium(economy, base.with_value("tau_s", tau_s))
    flows = equilibrium.trade_flows
    return equilibrium.omega, flows.north_services, flows.south_services


for name, economy in (("hockey stick", hockey), ("Eaton-Kortum", eaton_kortum)):
    omega_before, north_before, south_before = exports(economy, 2.0)
    omega_after, north_after, south_after = exports(economy, 1.2)
    print(f"{name}: omega {omega_before:.4f} -> {omega_after:.4f}; North services {north_before:.4f} -> "
          f"{north_after:.4f}; South services {south_before:.4f} -> {south_after:.4f}")
    if economy is hockey:
        assert south_before == 0.0
        assert south_after - south_before > 5 * (north_after - north_before)
        assert omega_after < omega_before

# %% [markdown]
# ## Elasticities of service exports just either side of the tipping point
#
# Above the tipping point South sells no services, so its elasticity is undefined;
# just below it South's exports respond strongly. Under EK both respond at every tau_s.

# %%
for tau_s in (tipping - 0.05, tipping + 0.05):
    statics = comparative_statics(
        hockey, base.with_value("tau_s", tau_s), outputs=("north_services", "south_services"), with_respect_to=("tau_s",)
    )
    south = statics.elasticities[("south_services", "tau_s")]
    north = statics.elasticity("north_services", "tau_s").right
    print(f"hockey stick, tau_s = {tau_s:.3f}: North {north:.3f}, South {'undefined' if south is None else f'{south.right:.3f}'}")

for tau_s in np.linspace(1.2, 2.8, 5):
    statics = comparative_statics(
        eaton_kortum, base.with_value("tau_s", float(tau_s)),
        outputs=("north_services", "south_services"), with_respect_to=("tau_s",),
    )
    north = statics.elasticity("north_services", "tau_s").right
    south = statics.elasticity("south_services", "tau_s").right
    print(f"Eaton-Kortum, tau_s = {tau_s:.2f}: North {north:.3f}, South {south:.3f}")
    assert north < 0
    assert south < 0
