"""Exact comparative statics of the tabulated DFS equilibrium, one-sided at every switch.

Baldwin and Dingel (2021), sections 5.1 to 5.3: derivatives of omega, the four
thresholds and the four trade flows with respect to each trade cost, gamma and the
labour ratio, when goods or service tasks come as a table (``tabulated.solve_tabulated``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from telemigration.errors import InvalidParameterError, SolverError
from telemigration.models.parameters import COMMON_COSTS, SCALAR_PARAMETERS, Parameters
from telemigration.models.regime import Position
from telemigration.models.system import Economy
from telemigration.solvers.result import Equilibrium
from telemigration.solvers.statics import OUTPUTS, Derivative
from telemigration.solvers.tabulated import (
    _COST_OF,
    _SECTOR_OF,
    MARKETS,
    StepSector,
    TabulatedModel,
    TabulatedState,
    build_model,
    equilibrium_from_state,
    residual,
    solve_state,
    spending_share,
    weight,
)

logger = logging.getLogger(__name__)

# Parameters that tabulated statics accept: both directions of a sector's cost
# together, then each scalar parameter.
STATICS_PARAMETERS = COMMON_COSTS + SCALAR_PARAMETERS

# Relative steps of the probe solves that find which configuration is valid on
# each side of the current parameter value. A probe is used only if its
# configuration is also valid at the current value. Otherwise a switch lies
# between the two, and the next, smaller step is tried.
_PROBE_STEPS = (1e-7, 1e-10, 1e-13)

# Slack when checking that a configuration is valid at the current value, for
# split shares in [-tol, 1 + tol], corner gaps and relative residuals. Exact
# solves are accurate to about 1e-15, so 1e-9 admits rounding only.
_VALIDITY_TOLERANCE = 1e-9


@dataclass(frozen=True)
class _Configuration:
    """Step counts, split markets and corners: the parts that stay fixed while the equilibrium moves smoothly."""

    counts: tuple[tuple[str, int], ...]
    split: frozenset[str]
    positions: tuple[tuple[str, Position], ...]

    def describe(self) -> str:
        counts = dict(self.counts)
        if self.split:
            names = [f"{'good' if _SECTOR_OF[m] == 'goods' else 'task'} {counts[m] + 1} split in {m}"
                     for m in MARKETS if m in self.split]
            text = "omega pinned with " + " and ".join(names)
        else:
            text = "omega inside a plateau"
        corners = [f"{m} {p.value}" for m, p in self.positions]
        return text + (f" ({', '.join(corners)})" if corners else "")


def _configuration(model: TabulatedModel, params: Parameters, state: TabulatedState) -> _Configuration:
    positions = tuple(
        (m, model.sector(m).position(m, params, state.omega)) for m in MARKETS if not model.is_step(m)
    )
    return _Configuration(state.counts, state.split, positions)


def _valid_share(model: TabulatedModel, params: Parameters, omega: float, config: _Configuration):
    """Return North's split share if ``config`` is valid at (params, omega), else None.

    A configuration is valid when its continuous thresholds sit at its corners,
    its step counts bracket omega, its split goods' critical values equal omega and
    the labour market clears with a share in [0, 1], all within _VALIDITY_TOLERANCE.
    """
    tol = _VALIDITY_TOLERANCE
    for market, position in config.positions:
        above_zero, above_one = model.sector(market).corner_gaps(market, params, omega)
        if position is Position.LOWER and above_zero > tol:
            return None
        if position is Position.UPPER and above_one < -tol:
            return None
        if position is Position.INTERIOR and (above_zero < -tol or above_one > tol):
            return None
    counts = dict(config.counts)
    for market, n in counts.items():
        critical = model.sector(market).critical_values(market, getattr(params, _COST_OF[market]))
        if n > 0 and critical[n - 1] < omega * (1.0 - tol):
            return None
        if n < critical.size and critical[n] > omega * (1.0 + tol) and market not in config.split:
            return None
        if market in config.split and abs(critical[n] - omega) > tol * omega:
            return None
    if not config.split:
        scale = omega + params.labour_ratio
        return 0.0 if abs(float(residual(model, params, omega, counts))) <= tol * scale else None
    f_none = float(residual(model, params, omega, counts, config.split, 0.0))
    f_full = float(residual(model, params, omega, counts, config.split, 1.0))
    if f_none == f_full:
        # The split goods carry no spending weight here, so no share is pinned down.
        return None
    share = f_none / (f_none - f_full)
    return min(max(share, 0.0), 1.0) if -tol <= share <= 1.0 + tol else None


def _direction(name: str) -> dict[str, float]:
    """Unit changes of the scalar parameters when ``name`` rises by one."""
    if name == "tau_g":
        return {"tau_g_ns": 1.0, "tau_g_sn": 1.0}
    if name == "tau_s":
        return {"tau_s_ns": 1.0, "tau_s_sn": 1.0}
    return {name: 1.0}


def _moved(params: Parameters, direction: dict[str, float], delta: float) -> Parameters | None:
    """Move along ``direction`` by delta, or return None if that leaves the parameters' domain."""
    values = {n: getattr(params, n) + delta * d for n, d in direction.items()}
    if any(values[n] < 1.0 for n in values if n.startswith("tau")):
        return None
    if not 0.0 <= values.get("gamma", 0.5) <= 1.0 or values.get("labour_ratio", 1.0) <= 0.0:
        return None
    return replace(params, **values)


def _side_configuration(model, params, state, own: _Configuration, direction, sign: float):
    """Return the (configuration, share) valid just to one side, or None when that side leaves the domain."""
    scale = max(1.0, max(abs(getattr(params, n)) for n in direction))
    inside_domain = False
    for step in _PROBE_STEPS:
        probe_params = _moved(params, direction, sign * step * scale)
        if probe_params is None:
            continue
        inside_domain = True
        try:
            probe = solve_state(model, probe_params)
        except SolverError as error:
            logger.debug("probe solve at %s failed: %s", probe_params, error)
            continue
        config = _configuration(model, probe_params, probe)
        share = _valid_share(model, params, state.omega, config)
        if share is not None:
            return config, share
    if not inside_domain:
        return None
    logger.debug("no probe configuration is valid at %s, so the current one is used", params)
    return own, state.split_share


def _derivatives(model: TabulatedModel, params: Parameters, omega: float, share: float,
                 config: _Configuration, direction: dict[str, float]) -> tuple[dict, dict]:
    """Return the derivatives of every output along ``direction`` holding ``config`` fixed, and the outputs.

    In a plateau, d omega = -F_p / F_omega (implicit function theorem). When omega
    is pinned at a critical value c(p), d omega = dc/dp and North's split share
    absorbs the rest: ds = -(F_omega d omega + F_p) / F_s.
    """
    gamma, ell = params.gamma, params.labour_ratio
    counts, positions = dict(config.counts), dict(config.positions)
    d_cost = {m: direction.get(_COST_OF[m], 0.0) for m in MARKETS}
    x, dx_domega, dx_ds, dx_dcost, du_domega, du_dcost = {}, {}, {}, {}, {}, {}
    for m in MARKETS:
        sector = model.sector(m)
        dx_domega[m] = dx_dcost[m] = du_domega[m] = du_dcost[m] = dx_ds[m] = 0.0
        if isinstance(sector, StepSector):
            x[m] = float(spending_share(model, params, m, omega, counts, config.split, share))
            if m in config.split:
                dx_ds[m] = float(sector.shares[counts[m]])
            continue
        x[m] = float(spending_share(model, params, m, omega, counts))
        if positions[m] is Position.INTERIOR:
            du_domega[m], du_dcost[m], slope = sector.slopes(m, params, omega)
            dx_domega[m], dx_dcost[m] = slope * du_domega[m], slope * du_dcost[m]

    w = {m: weight(m, params) for m in MARKETS}
    multiplier = {m: omega if m.endswith("N") else ell for m in MARKETS}
    f_omega = 1.0 - w["z_N"] * x["z_N"] - w["t_N"] * x["t_N"] - sum(multiplier[m] * w[m] * dx_domega[m] for m in MARKETS)
    f_share = -sum(multiplier[m] * w[m] * dx_ds[m] for m in MARKETS)
    f_param = -sum(multiplier[m] * w[m] * dx_dcost[m] * d_cost[m] for m in MARKETS)
    f_param += direction.get("gamma", 0.0) * (-omega * (x["z_N"] - x["t_N"]) - ell * (x["z_S"] - x["t_S"]))
    f_param += direction.get("labour_ratio", 0.0) * -(gamma * x["z_S"] + (1.0 - gamma) * x["t_S"])

    if config.split:
        # omega = ratio_k / tau^NS in the South, tau^SN ratio_k at home.
        moves = {m: (-1.0 if m.endswith("S") else 1.0) * omega / getattr(params, _COST_OF[m]) * d_cost[m]
                 for m in config.split}
        d_omega = next(iter(moves.values()))
        if any(abs(v - d_omega) > 1e-12 * (1.0 + abs(d_omega)) for v in moves.values()):
            raise SolverError(
                f"the split goods' critical values {sorted(config.split)} move apart along {direction}, "
                "so the derivative is one-sided and no probe found either side",
                advice="move the parameter slightly off this switch point",
            )
        d_share = -(f_omega * d_omega + f_param) / f_share
    else:
        if f_omega <= 0.0:
            raise SolverError(f"F does not rise in omega at omega = {omega!r}, so the implicit function theorem fails",
                              advice="the economy may be at autarky in every market")
        d_omega, d_share = -f_param / f_omega, 0.0

    out = {"omega": d_omega}
    values = {"omega": omega}
    dx = {}
    for m in MARKETS:
        dx[m] = dx_domega[m] * d_omega + dx_ds[m] * d_share + dx_dcost[m] * d_cost[m]
        if model.is_step(m):
            out[m] = d_share / model.sector(m).size if m in config.split else 0.0
            values[m] = (counts[m] + (share if m in config.split else 0.0)) / model.sector(m).size
        else:
            out[m] = du_domega[m] * d_omega + du_dcost[m] * d_cost[m]
            values[m] = float(model.sector(m).threshold(m, params, omega))
    d_gamma, d_ell = direction.get("gamma", 0.0), direction.get("labour_ratio", 0.0)
    out["north_goods"] = d_gamma * ell * x["z_S"] + gamma * d_ell * x["z_S"] + gamma * ell * dx["z_S"]
    out["south_goods"] = d_gamma * omega * (1.0 - x["z_N"]) + gamma * d_omega * (1.0 - x["z_N"]) - gamma * omega * dx["z_N"]
    out["north_services"] = -d_gamma * ell * x["t_S"] + (1.0 - gamma) * (d_ell * x["t_S"] + ell * dx["t_S"])
    out["south_services"] = -d_gamma * omega * (1.0 - x["t_N"]) + (1.0 - gamma) * (
        d_omega * (1.0 - x["t_N"]) - omega * dx["t_N"]
    )
    values["north_goods"] = gamma * ell * x["z_S"]
    values["south_goods"] = gamma * omega * (1.0 - x["z_N"])
    values["north_services"] = (1.0 - gamma) * ell * x["t_S"]
    values["south_services"] = (1.0 - gamma) * omega * (1.0 - x["t_N"])
    # Adding 0.0 turns a negative zero into 0.0 for printing and JSON.
    return {name: value + 0.0 for name, value in out.items()}, values


def tabulated_statics(
    economy: Economy,
    params: Parameters,
    *,
    outputs: tuple[str, ...] | None = None,
    with_respect_to: tuple[str, ...] | None = None,
) -> dict[str, dict[str, Derivative]]:
    """Return ``result[output][parameter]``, the derivative of each output from the left and right.

    Outputs are omega, the four thresholds and the four trade flows
    (``statics.OUTPUTS``); parameters are ``STATICS_PARAMETERS`` (``tau_g`` and
    ``tau_s`` move both directions of a sector together). Baldwin and Dingel
    (2021), section 5.2 and footnote 15's labour-market condition F = 0: inside a
    plateau the tabulated shares are locally constant and the implicit function
    theorem on the continuous part gives d omega/dp. When omega is pinned at a
    critical value, say omega = A_k/tau_g^NS, d omega/d tau_g^NS = -omega/tau_g^NS
    in closed form and North's split share absorbs the rest (the implicit function
    theorem on the labour market with the share as unknown).

    At a switch between configurations (a split share reaching 0 or 1, two critical
    values meeting, a continuous threshold reaching a corner) ``at_boundary`` is
    true and left and right are the one-sided derivatives. At the edge of a
    parameter's domain (a cost of 1, gamma of 0 or 1) only the side inside the
    domain exists, and it is reported as both left and right. Where an output jumps
    (at free trade the thresholds and trade flows jump as a cost rises above 1,
    see ``_jumps``), ``at_boundary`` is true, ``kink`` names the jump and the
    derivatives are those just beside it.

    NOTE: each side's configuration is found by re-solving at a relative step of
    1e-7 (then 1e-10, 1e-13); two switches closer together than that may be
    reported as one.
    """
    outputs = OUTPUTS if outputs is None else tuple(outputs)
    with_respect_to = STATICS_PARAMETERS if with_respect_to is None else tuple(with_respect_to)
    for name in outputs:
        if name not in OUTPUTS:
            raise InvalidParameterError("output", name, f"expected one of {', '.join(OUTPUTS)}")
    for name in with_respect_to:
        if name not in STATICS_PARAMETERS:
            raise InvalidParameterError(
                "parameter", name, f"tabulated statics accept {', '.join(STATICS_PARAMETERS)}"
            )
    if not isinstance(params, Parameters):
        raise InvalidParameterError("params", params, "expected a telemigration.models.Parameters")
    model = build_model(economy)
    state = solve_state(model, params)
    own = _configuration(model, params, state)

    current = _current_outputs(equilibrium_from_state(model, params, state))
    result: dict[str, dict[str, Derivative]] = {name: {} for name in outputs}
    for parameter in with_respect_to:
        direction = _direction(parameter)
        left = _side_configuration(model, params, state, own, direction, -1.0)
        right = _side_configuration(model, params, state, own, direction, 1.0)
        sides = [name for name, found in (("left", left), ("right", right)) if found is not None]
        left, right = left or right, right or left
        if left is None:
            raise InvalidParameterError(parameter, params, "no side of this value lies in the parameter's domain")
        left_slopes, left_values = _derivatives(model, params, state.omega, left[1], left[0], direction)
        right_slopes, right_values = _derivatives(model, params, state.omega, right[1], right[0], direction)
        notes = []
        if left[0] != right[0]:
            notes.append(f"{left[0].describe()} on the left, {right[0].describe()} on the right")
        for side, values in (("left", left_values), ("right", right_values)):
            if side in sides:
                notes.extend(_jumps(current, values, side))
        for name in outputs:
            result[name][parameter] = Derivative(left_slopes[name], right_slopes[name], bool(notes), "; ".join(notes))
    return result


def _current_outputs(equilibrium: Equilibrium) -> dict[str, float]:
    return {"omega": equilibrium.omega, **equilibrium.thresholds.to_dict(), **equilibrium.trade_flows.to_dict()}


def _jumps(current: dict[str, float], side_values: dict[str, float], side: str) -> list[str]:
    """Describe the outputs whose value just to one side differs from their current value.

    This happens at free trade, where the equal-share convention splits the
    marginal good in both markets. Once a cost rises above 1, North sells that good
    in full in one of them, so thresholds and trade flows jump while omega does not.
    """
    return [
        f"{name} jumps from {current[name]:.12g} to {side_values[name]:.12g} on the {side}"
        for name in current
        if abs(side_values[name] - current[name]) > _VALIDITY_TOLERANCE * (1.0 + abs(current[name]))
    ]
