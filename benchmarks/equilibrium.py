"""Benchmark the batched equilibrium solver against scipy's brentq and the closed-form root.

The economy is the goods-and-services DFS model of Baldwin and Dingel (2021),
section 5.2, with A(z) = 1/z, S(t) = t^(-1/2) and uniform goods spending. On N
random interior points (tau_g, tau_s in [1, 1.5], gamma in [0.2, 0.8], ell in
[0.5, 2], symmetric costs) it times, in one run:

(a) the workbench's ``solve_batch`` with d omega / d tau_s (JIT compilation is
    timed separately and excluded);
(b) a Python loop of ``scipy.optimize.brentq`` on the same clamped residual,
    timed on a subsample and scaled to N;
(c) the closed-form root: in the interior regime the labour-market condition
    times omega^2 is a cubic in omega, derived here with SymPy from
    ``telemigration.models.system.reduced_condition`` and solved by Cardano's
    formula, vectorised in NumPy (and, for comparison, in jitted JAX);

and checks that the three agree to 1e-9 relative. It also times a cold
``telemigration verify`` against a bare ``python -c "import jax, sympy"``.

Usage: ``python benchmarks/equilibrium.py [--points N] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.optimize
import sympy as sp

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

from telemigration.models import symbols as sym  # noqa: E402
from telemigration.models.curves import InverseCurve, PowerCurve  # noqa: E402
from telemigration.models.regime import THRESHOLD_NAMES  # noqa: E402
from telemigration.models.system import (  # noqa: E402
    Economy,
    curve_parameter_symbols,
    goods_spending_function,
    labour_market_condition,
    reduced_condition,
    threshold_expressions,
)
from telemigration.solvers.batch import solve_batch  # noqa: E402  (importing solvers enables float64)

ECONOMY = Economy(goods_curve=InverseCurve(), services_curve=PowerCurve(c=1.0, alpha=0.5))
SEED = 20211
AGREEMENT = 1e-9
# Symmetric costs: both directions of a sector share one symbol here.
_SCALARS = (sym.tau_g, sym.tau_s, sym.gamma, sym.labour_ratio)


def _curve_values() -> dict[sp.Symbol, sp.Expr]:
    # Exact rationals, so that t^(-1/alpha) stays t^(-2) and the condition is a polynomial.
    values = {"services.c": ECONOMY.services_curve.c, "services.alpha": ECONOMY.services_curve.alpha}
    return {symbol: sp.nsimplify(values[name]) for name, symbol in curve_parameter_symbols(ECONOMY).items()}


def _symmetric(expression: sp.Expr) -> sp.Expr:
    substitutions = {sym.tau_g_NS: sym.tau_g, sym.tau_g_SN: sym.tau_g, sym.tau_s_NS: sym.tau_s, sym.tau_s_SN: sym.tau_s}
    return expression.subs(_curve_values()).subs(substitutions)


@dataclass(frozen=True)
class ClosedForm:
    """The interior cubic omega^3 + a omega^2 + b omega + c = 0 and functions of its coefficients."""

    polynomial: sp.Poly
    monic_coefficients: tuple[sp.Expr, ...]  # (1, a, b, c) in tau_g, tau_s, gamma, ell
    coefficients: object  # the same, lambdified for NumPy arrays
    derivative_tau_s: object  # (omega, tau_g, tau_s, gamma, ell) -> d omega / d tau_s


def derive_closed_form() -> ClosedForm:
    """Clear the denominators of the interior labour-market condition and check it is a cubic."""
    condition = sp.together(_symmetric(reduced_condition(ECONOMY)))
    numerator, _ = sp.fraction(condition)
    polynomial = sp.Poly(sp.expand(numerator), sym.omega)
    if polynomial.degree() != 3:
        raise RuntimeError(f"expected a cubic in omega, got degree {polynomial.degree()}: {polynomial}")
    leading = polynomial.LC()
    monic = tuple(sp.simplify(c / leading) for c in polynomial.all_coeffs())
    coefficients = sp.lambdify(_SCALARS, list(monic), modules="numpy")
    # Implicit function theorem on P(omega, tau_s) = 0: d omega/d tau_s = -P_tau_s / P_omega.
    expression = polynomial.as_expr()
    slope = -sp.diff(expression, sym.tau_s) / sp.diff(expression, sym.omega)
    derivative_tau_s = sp.lambdify((sym.omega,) + _SCALARS, slope, modules="numpy")
    return ClosedForm(polynomial, monic, coefficients, derivative_tau_s)


def cubic_largest_root(a, b, c, xp=np):
    """Return the largest real root of omega^3 + a omega^2 + b omega + c by Cardano's formula.

    With b < 0 and c < 0 (true for the interior condition) there is exactly one
    positive root (Descartes' rule of signs), and it is the largest real root.
    """
    p = b - a * a / 3.0
    q = 2.0 * a**3 / 27.0 - a * b / 3.0 + c
    discriminant = (q / 2.0) ** 2 + (p / 3.0) ** 3
    one_real = discriminant > 0.0
    # One real root: the sum of two real cube roots. The square root is guarded
    # so that the branch not taken never takes the root of a negative number.
    root_d = xp.sqrt(xp.where(one_real, discriminant, 0.0))
    cardano = xp.cbrt(-q / 2.0 + root_d) + xp.cbrt(-q / 2.0 - root_d)
    # Three real roots (p < 0): the trigonometric form, k = 0 gives the largest.
    safe_p = xp.where(one_real, -1.0, p)
    cosine = xp.clip(3.0 * q / (2.0 * safe_p) * xp.sqrt(-3.0 / safe_p), -1.0, 1.0)
    trigonometric = 2.0 * xp.sqrt(-safe_p / 3.0) * xp.cos(xp.arccos(cosine) / 3.0)
    return xp.where(one_real, cardano, trigonometric) - a / 3.0


def build_python_residual():
    """Compile the clamped labour-market residual F(omega) to plain Python floats for brentq."""
    expressions = threshold_expressions(ECONOMY)
    clamped = {sym.THRESHOLD_SYMBOLS[name]: sp.Min(1, sp.Max(0, expressions[name])) for name in THRESHOLD_NAMES}
    condition = labour_market_condition(goods_spending_function(ECONOMY))
    residual = _symmetric((condition.lhs - condition.rhs).subs(clamped))
    return sp.lambdify((sym.omega,) + _SCALARS, residual, modules="math")


def interior_thresholds(omega, tau_g, tau_s):
    """Return the unclamped z_S, z_N, t_S, t_N under A = 1/z and S = t^(-1/2)."""
    return 1.0 / (tau_g * omega), tau_g / omega, 1.0 / (tau_s * omega) ** 2, (tau_s / omega) ** 2


def draw_interior_points(n: int, closed_form: ClosedForm, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draw uniform parameters and keep points whose four thresholds lie strictly inside (0, 1)."""
    accepted: list[dict[str, np.ndarray]] = []
    total = 0
    while total < n:
        size = 2 * (n - total) + 1000
        draw = {
            "tau_g": rng.uniform(1.0, 1.5, size),
            "tau_s": rng.uniform(1.0, 1.5, size),
            "gamma": rng.uniform(0.2, 0.8, size),
            "labour_ratio": rng.uniform(0.5, 2.0, size),
        }
        _, a, b, c = closed_form.coefficients(draw["tau_g"], draw["tau_s"], draw["gamma"], draw["labour_ratio"])
        omega = cubic_largest_root(a, b, c)
        # A margin of 1e-6 keeps points away from regime boundaries, where the
        # cubic no longer describes the equilibrium.
        inside = np.ones(size, dtype=bool)
        for threshold in interior_thresholds(omega, draw["tau_g"], draw["tau_s"]):
            inside &= (threshold > 1e-6) & (threshold < 1.0 - 1e-6)
        accepted.append({name: values[inside] for name, values in draw.items()})
        total += int(inside.sum())
    return {name: np.concatenate([part[name] for part in accepted])[:n] for name in accepted[0]}


def _seconds(function, repeats: int = 3):
    """Return the best wall time over ``repeats`` calls and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def time_workbench(points: dict[str, np.ndarray]):
    """Time solve_batch with d omega / d tau_s; return (compile seconds, solve seconds, omega, slope)."""
    arrays = {name: points[name] for name in ("tau_g", "tau_s", "gamma", "labour_ratio")}

    def solve():
        result = solve_batch(ECONOMY, arrays, with_gradient=True)
        return jax.block_until_ready(result)

    start = time.perf_counter()
    solve()
    warm_up = time.perf_counter() - start
    seconds, result = _seconds(solve)
    return warm_up, seconds, np.asarray(result["omega"]), np.asarray(result["domega_dtau_s"])


def time_brentq(points: dict[str, np.ndarray], subsample: int):
    """Time a Python loop of brentq on the first ``subsample`` points; return (seconds, roots)."""
    residual = build_python_residual()
    columns = [points[name][:subsample].tolist() for name in ("tau_g", "tau_s", "gamma", "labour_ratio")]
    roots = np.empty(subsample)
    start = time.perf_counter()
    for i, (tau_g, tau_s, gamma, ell) in enumerate(zip(*columns)):
        # F(omega) = -ell < 0 as omega -> 0 and F > 0 for large omega, so the
        # bracket [1e-3, 1e3] contains the unique root for these draws.
        roots[i] = scipy.optimize.brentq(residual, 1e-3, 1e3, args=(tau_g, tau_s, gamma, ell), xtol=1e-14, rtol=1e-15)
    return time.perf_counter() - start, roots


def time_closed_form(points: dict[str, np.ndarray], closed_form: ClosedForm):
    """Time the vectorised Cardano root in NumPy and in jitted JAX; return both times and the roots."""
    args = [points[name] for name in ("tau_g", "tau_s", "gamma", "labour_ratio")]

    def numpy_root():
        _, a, b, c = closed_form.coefficients(*args)
        return cubic_largest_root(a, b, c)

    numpy_seconds, omega = _seconds(numpy_root)

    coefficients_jax = sp.lambdify(_SCALARS, list(closed_form.monic_coefficients), modules="jax")

    @jax.jit
    def jax_root(tau_g, tau_s, gamma, ell):
        _, a, b, c = coefficients_jax(tau_g, tau_s, gamma, ell)
        return cubic_largest_root(a, b, c, xp=jnp)

    jax_args = [jnp.asarray(values, dtype=jnp.float64) for values in args]
    jax.block_until_ready(jax_root(*jax_args))
    jax_seconds, jax_omega = _seconds(lambda: jax.block_until_ready(jax_root(*jax_args)))
    return numpy_seconds, jax_seconds, omega, np.asarray(jax_omega)


def time_command(command: list[str], runs: int) -> tuple[float, int]:
    """Return the median wall time of a fresh process running ``command`` and its last exit status."""
    times = []
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    status = 0
    for _ in range(runs):
        start = time.perf_counter()
        completed = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, check=False, timeout=600)
        times.append(time.perf_counter() - start)
        status = completed.returncode
    return statistics.median(times), status


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def max_relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.abs(b)))


def run_benchmark(n: int, subsample: int, command_runs: int) -> dict[str, object]:
    """Run every timing and agreement check and return the numbers."""
    closed_form = derive_closed_form()
    points = draw_interior_points(n, closed_form, np.random.default_rng(SEED))

    warm_up, workbench_seconds, omega_workbench, slope_workbench = time_workbench(points)
    brentq_sub_seconds, omega_brentq = time_brentq(points, min(subsample, n))
    numpy_seconds, jax_seconds, omega_closed, omega_closed_jax = time_closed_form(points, closed_form)
    slope_closed = closed_form.derivative_tau_s(
        omega_closed, points["tau_g"], points["tau_s"], points["gamma"], points["labour_ratio"]
    )
    brentq_seconds = brentq_sub_seconds * n / min(subsample, n)

    agreement = {
        "workbench_vs_closed_form": max_relative(omega_workbench, omega_closed),
        "brentq_vs_closed_form": max_relative(omega_brentq, omega_closed[: omega_brentq.size]),
        "jax_closed_form_vs_numpy": max_relative(omega_closed_jax, omega_closed),
    }
    # d omega / d tau_s changes sign inside the sample, so its relative error is
    # compared on the elasticity d ln omega / d ln tau_s, whose scale is 1.
    elasticity_error = np.abs(slope_workbench - slope_closed) * points["tau_s"] / omega_closed
    agreement["elasticity_tau_s_workbench_vs_closed_form_abs"] = float(np.max(elasticity_error))
    verify_seconds, verify_status = time_command([sys.executable, "-m", "telemigration.cli", "verify"], command_runs)
    import_seconds, _ = time_command([sys.executable, "-c", "import jax, sympy"], command_runs)
    return {
        "machine": {"nproc": os.cpu_count(), "cpu": cpu_model(), "python": platform.python_version(), "jax": jax.__version__},
        "points": n,
        "verify_exit_status": verify_status,
        "polynomial": str(closed_form.polynomial.as_expr()),
        "seconds": {
            "workbench_jit_warm_up": warm_up,
            "workbench_solve_and_d_omega_d_tau_s": workbench_seconds,
            "brentq_loop_scaled": brentq_seconds,
            "brentq_loop_subsample": brentq_sub_seconds,
            "closed_form_numpy": numpy_seconds,
            "closed_form_jax_jit": jax_seconds,
            "verify_cold": verify_seconds,
            "import_jax_sympy": import_seconds,
        },
        "brentq_subsample": min(subsample, n),
        "ratios": {
            "workbench_speedup_over_brentq": brentq_seconds / workbench_seconds,
            "workbench_throughput_vs_closed_form_numpy": numpy_seconds / workbench_seconds,
            "workbench_throughput_vs_closed_form_jax": jax_seconds / workbench_seconds,
            "verify_vs_import": verify_seconds / import_seconds,
        },
        "targets": {
            "workbench_speedup_over_brentq": ">= 300",
            "workbench_throughput_vs_closed_form_numpy": ">= 1/3",
            "verify_vs_import": "<= 8",
        },
        "max_difference": agreement,
        "agree_to_1e-9": all(value <= AGREEMENT for value in agreement.values()),
    }


def format_text(result: dict) -> str:
    seconds, ratios = result["seconds"], result["ratios"]
    machine = result["machine"]
    lines = [
        f"{result['points']} interior points; {machine['nproc']} CPUs ({machine['cpu']}), jax {machine['jax']}",
        f"interior condition: {result['polynomial']} = 0",
        f"workbench solve_batch + d omega/d tau_s  {seconds['workbench_solve_and_d_omega_d_tau_s']:.4f} s"
        f"  (JIT warm-up {seconds['workbench_jit_warm_up']:.2f} s, excluded)",
        f"brentq loop, scaled from {result['brentq_subsample']} points  {seconds['brentq_loop_scaled']:.2f} s",
        f"closed form: NumPy {seconds['closed_form_numpy']:.4f} s, jitted JAX {seconds['closed_form_jax_jit']:.4f} s",
        f"cold `telemigration verify` {seconds['verify_cold']:.2f} s; `python -c 'import jax, sympy'` "
        f"{seconds['import_jax_sympy']:.2f} s (verify exit status {result['verify_exit_status']})",
        "",
        f"workbench vs brentq            {ratios['workbench_speedup_over_brentq']:.0f}x   (target >= 300x)",
        f"workbench vs closed form NumPy {ratios['workbench_throughput_vs_closed_form_numpy']:.3f}   (target >= 1/3)",
        f"workbench vs closed form JAX   {ratios['workbench_throughput_vs_closed_form_jax']:.3f}",
        f"verify vs import               {ratios['verify_vs_import']:.2f}x   (target <= 8x)",
        "max differences (relative; elasticity absolute): "
        + ", ".join(f"{key} {value:.1e}" for key, value in result["max_difference"].items()),
        f"omega and d ln omega / d ln tau_s agree to 1e-9: {result['agree_to_1e-9']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000, help="number of random interior points")
    parser.add_argument("--brentq-points", type=int, default=2_000, help="subsample timed for the brentq loop")
    parser.add_argument("--command-runs", type=int, default=3, help="fresh processes per command timing (median)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    args = parser.parse_args(argv)
    result = run_benchmark(args.points, args.brentq_points, args.command_runs)
    print(json.dumps(result, indent=2, allow_nan=False) if args.json else format_text(result))
    return 0 if result["agree_to_1e-9"] else 1


if __name__ == "__main__":
    sys.exit(main())
