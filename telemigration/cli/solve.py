"""``telemigration solve``: one equilibrium, its regime and d omega / d p for every parameter.

The model is the two-nation DFS economy with goods and service tasks of Baldwin
and Dingel (2021), sections 5.1 to 5.3. South's wage is the numeraire, so omega
is North's relative wage w/w*.
"""

from __future__ import annotations

import argparse
import logging

from telemigration.cli.options import SolveInputs, add_solve_options, dump_json, inputs_from_args, regime_to_dict

logger = logging.getLogger(__name__)

# Parameters of the derivatives in the output: the two common costs (both
# directions together), the four directional costs, gamma and the labour ratio.
DERIVATIVE_PARAMETERS = (
    "tau_g", "tau_s", "tau_g_ns", "tau_g_sn", "tau_s_ns", "tau_s_sn", "gamma", "labour_ratio",
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``solve`` subcommand."""
    parser = subparsers.add_parser(
        "solve",
        help="solve one equilibrium and its comparative statics",
        description="Solve the DFS equilibrium with goods and service tasks (Baldwin and Dingel 2021, "
        "sections 5.1-5.3) and print omega = w/w*, the thresholds, the regime, trade flows and "
        "d omega / d p for every trade cost, gamma and the labour ratio.",
    )
    add_solve_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(run=run)


def solve_result(inputs: SolveInputs) -> dict[str, object]:
    """Solve the equilibrium and return everything ``solve --json`` prints, before serialisation.

    Raises SolverError when the solve fails, so no unconverged number is printed.
    """
    # Imported here so that ``telemigration --help`` and argument errors do not wait for JAX.
    from telemigration.solvers.equilibrium import solve_equilibrium
    from telemigration.solvers.statics import comparative_statics
    from telemigration.solvers.tabulated_statics import tabulated_statics

    equilibrium = solve_equilibrium(inputs.economy, inputs.params)
    # Autodiff needs continuous curves; a table's step curve has its own exact statics.
    if inputs.economy.is_tabulated:
        by_output = tabulated_statics(
            inputs.economy, inputs.params, outputs=("omega",), with_respect_to=DERIVATIVE_PARAMETERS
        )
        omega_derivatives = by_output["omega"]
    else:
        statics = comparative_statics(
            inputs.economy, inputs.params, outputs=("omega",), with_respect_to=DERIVATIVE_PARAMETERS
        )
        omega_derivatives = {name: statics.derivative("omega", name) for name in DERIVATIVE_PARAMETERS}
    result: dict[str, object] = {
        "inputs": inputs.to_dict(),
        "omega": equilibrium.omega,
        "thresholds": equilibrium.thresholds.to_dict(),
        "regime": regime_to_dict(equilibrium.regime),
        "derivatives": {
            "omega": {name: omega_derivatives[name].to_json() for name in DERIVATIVE_PARAMETERS}
        },
        "trade_flows": equilibrium.trade_flows.to_dict(),
        "residual": equilibrium.residual,
        "iterations": equilibrium.iterations,
        "status": equilibrium.status.value,
        "message": equilibrium.message,
    }
    if equilibrium.marginal_goods is not None:
        marginal = equilibrium.marginal_goods
        result["marginal_goods"] = {
            "z_S": marginal.z_S,
            "z_N": marginal.z_N,
            "split_share_S": marginal.split_share_S,
            "split_share_N": marginal.split_share_N,
        }
    return result


def run(args: argparse.Namespace) -> int:
    """Solve and print the result as JSON or as a text summary; return the exit status."""
    inputs = inputs_from_args(args)
    logger.info("solving with %s", inputs.params)
    result = solve_result(inputs)
    print(dump_json(result) if args.json else format_text(result))
    return 0


def _format_derivative(value: object) -> str:
    if isinstance(value, dict):
        return f"left {value['left']:.6g}, right {value['right']:.6g} (one-sided at a kink)"
    return f"{value:.6g}"


def format_text(result: dict) -> str:
    """Return a readable summary of a ``solve_result``.

    Lines stay within 80 columns unless a curve spec is long.
    """
    inputs = result["inputs"]
    params = inputs["parameters"]
    thresholds = result["thresholds"]
    regime = result["regime"]
    flows = result["trade_flows"]
    lines = [
        "DFS equilibrium with goods and service tasks (Baldwin and Dingel 2021, sec. 5)",
        f"  goods curve     {inputs['goods_curve']['spec']}",
        f"  services curve  {inputs['services_curve']['spec']}",
        "  tau_g  NS {tau_g_ns:g}  SN {tau_g_sn:g}    tau_s  NS {tau_s_ns:g}  SN {tau_s_sn:g}".format(**params),
        f"  gamma {params['gamma']:g}    labour ratio L*/L {params['labour_ratio']:g}",
        "",
        f"omega = w/w*  {result['omega']:.10g}",
        "thresholds    " + "  ".join(f"{name} {value:.6f}" for name, value in thresholds.items()),
    ]

    if "marginal_goods" in result:
        marginal = result["marginal_goods"]
        lines += [
            f"marginal good  South market: good {marginal['z_S']}, North's share {marginal['split_share_S']:.6f}",
            f"               North market: good {marginal['z_N']}, North's share {marginal['split_share_N']:.6f}",
        ]

    positions = ", ".join(f"{name} {position}" for name, position in regime["positions"].items())
    lines += [
        f"regime        {positions}",
        f"exports       North: goods {flows['north_goods']:.6g}, services {flows['north_services']:.6g}",
        f"              South: goods {flows['south_goods']:.6g}, services {flows['south_services']:.6g}",
        "d omega / d p:",
    ]

    for name, value in result["derivatives"]["omega"].items():
        lines.append(f"  {name:<13} {_format_derivative(value)}")
    lines.append(
        f"status {result['status']}, residual {result['residual']:.2e} after {result['iterations']} iterations"
    )
    return "\n".join(lines)
