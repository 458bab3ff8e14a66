"""Command-line options and JSON output shared by ``solve``, ``tipping-point`` and ``verify``.

They set the scalar parameters of Baldwin and Dingel (2021), sections 5.1 to 5.3,
and the two relative productivity curves. ``--tau-g`` and ``--tau-s`` set both
directions of a sector. The ``-ns`` (North selling in the South) and ``-sn``
(South selling in the North) options override one direction.
"""

from __future__ import annotations

import argparse
import enum
import json
import math
import re
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from telemigration.cli.specs import ALLOWED_SPECS, FAMILIES, REAL_NUMBER, TABLE_PREFIX, parse_curve_spec
from telemigration.errors import InvalidParameterError
from telemigration.models.curves import ContinuousCurve, Curve, TabulatedCurve
from telemigration.models.parameters import SCALAR_PARAMETERS, Parameters
from telemigration.models.regime import THRESHOLD_NAMES, Regime
from telemigration.models.system import Economy

DEFAULT_GOODS_CURVE = "inverse"
DEFAULT_SERVICES_CURVE = "power:c=1,alpha=0.5"

INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)

# For each directional parameter, the options that can set it, most specific first.
_COST_OPTIONS = {
    "tau_g_ns": ("tau_g_ns", "tau_g"),
    "tau_g_sn": ("tau_g_sn", "tau_g"),
    "tau_s_ns": ("tau_s_ns", "tau_s"),
    "tau_s_sn": ("tau_s_sn", "tau_s"),
}


def real_number(text: str) -> float:
    """Convert an option value to float; NaN and infinity pass so the domain check can name them.

    Only ASCII decimal or scientific notation is accepted (``REAL_NUMBER``), so
    ``1_000`` and non-ASCII digits, which ``float`` would take, are rejected.
    """
    if REAL_NUMBER.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"expected a real number such as 0.5, -2 or 1e-3, got {text!r}")
    return float(text)


def integer(text: str) -> int:
    """Convert an option value to int, accepting only an optional sign and ASCII digits."""
    if INTEGER.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}; expected ASCII digits such as 20")
    return int(text)


def output_file(path: str, option: str, example: str) -> Path:
    """Return ``path`` as a file to write, after checking that it is not a directory.

    Raises InvalidParameterError naming ``option`` when ``path`` is an existing
    directory or one of its parents is an existing file, so no traceback of
    IsADirectoryError or NotADirectoryError reaches the user.
    """
    target = Path(path)
    if target.is_dir():
        raise InvalidParameterError(option, path, f"the path is a directory; give a file path, for example {example}")
    for parent in target.parents:
        if parent.exists() and not parent.is_dir():
            raise InvalidParameterError(option, path, f"{str(parent)!r} is an existing file, not a directory")
    return target


def write_error(option: str, path: object, error: OSError) -> InvalidParameterError:
    """Return the one-line error for an output file that could not be written."""
    return InvalidParameterError(option, str(path), f"cannot write the file: {error.strerror or error}")


def option_flag(dest: str) -> str:
    """Return the command-line flag of an argparse destination, for example ``--tau-g-ns``."""
    return "--" + dest.replace("_", "-")


def spec_defaults() -> str:
    """Describe the value each curve family gives a SPEC key that is left out, read from the curve classes."""
    parts = []
    for family in FAMILIES.values():
        defaults = {field.name: field.default for field in fields(family.curve_class) if field.default is not MISSING}
        if family.keys:
            pairs = ", ".join(f"{key}={defaults[name]:g}" for key, name in family.keys.items())
            parts.append(f"{family.name} {pairs}")
    return "; ".join(parts)


def add_solve_options(parser: argparse.ArgumentParser) -> None:
    """Add the parameter and curve options of ``telemigration solve`` to ``parser``."""
    costs = parser.add_argument_group(
        "trade costs", "iceberg costs, each >= 1 (1 is free trade); default 1 in every direction"
    )
    costs.add_argument("--tau-g", type=real_number, metavar="X", help="goods trade cost, both directions")
    costs.add_argument("--tau-g-ns", type=real_number, metavar="X", help="goods cost, North selling in the South")
    costs.add_argument("--tau-g-sn", type=real_number, metavar="X", help="goods cost, South selling in the North")
    costs.add_argument("--tau-s", type=real_number, metavar="X", help="service trade cost, both directions")
    costs.add_argument("--tau-s-ns", type=real_number, metavar="X", help="service cost, North selling in the South")
    costs.add_argument("--tau-s-sn", type=real_number, metavar="X", help="service cost, South selling in the North")

    economy = parser.add_argument_group("economy")
    economy.add_argument(
        "--gamma", type=real_number, metavar="X", help="share of spending on goods, in [0, 1] (default 0.5)"
    )
    economy.add_argument(
        "--labour-ratio", type=real_number, metavar="X", help="South's labour relative to North's, L*/L > 0 (default 1)"
    )
    economy.add_argument(
        "--goods-curve",
        metavar="SPEC",
        default=DEFAULT_GOODS_CURVE,
        help=f"goods curve A(z) (default {DEFAULT_GOODS_CURVE}); SPEC is one of {ALLOWED_SPECS}",
    )
    economy.add_argument(
        "--services-curve",
        metavar="SPEC",
        default=DEFAULT_SERVICES_CURVE,
        help=f"services curve S(t), same SPEC forms (default {DEFAULT_SERVICES_CURVE}). A key left out "
        f"of a SPEC takes its default, so 'power' and 'power:c=1' both mean power:c=1,alpha=0.5. "
        f"Defaults: {spec_defaults()}",
    )
    economy.add_argument(
        "--goods-shares",
        metavar="PATH",
        help="expenditure shares b(z) of a table goods curve, one per line summing to 1 (default equal shares)",
    )


@dataclass(frozen=True)
class SolveInputs:
    """The parsed options: parameters, economy and the curve specs as given."""

    params: Parameters
    economy: Economy
    goods_spec: str
    services_spec: str
    goods_shares: str | None

    def to_dict(self) -> dict[str, object]:
        """Return the inputs for JSON output, so a result describes what produced it."""
        return {
            "parameters": dict(zip(SCALAR_PARAMETERS, self.params.as_tuple())),
            "goods_curve": describe_curve(self.goods_spec, self.economy.goods_curve, self.goods_shares),
            "services_curve": describe_curve(self.services_spec, self.economy.services_curve, None),
        }


def describe_curve(spec: str, curve: Curve, shares_path: str | None) -> dict[str, object]:
    """Return a curve's spec as given, its family and its parameter values."""
    description: dict[str, object] = {"spec": spec, "family": curve.family}
    if isinstance(curve, ContinuousCurve):
        # Report each parameter under its SPEC key (``lambda``, not the field name ``lam``).
        family = FAMILIES.get(curve.family)
        spec_keys = {} if family is None else {name: key for key, name in family.keys.items()}
        names = [spec_keys.get(name, name) for name in curve.parameter_names()]
        description["parameters"] = dict(zip(names, curve.parameter_values()))
    elif isinstance(curve, TabulatedCurve):
        description["goods"] = curve.size
        description["shares"] = shares_path if shares_path is not None else "equal"
    return description


def parameters_from_args(args: argparse.Namespace) -> Parameters:
    """Build Parameters from the options; errors name the option that set the bad value."""
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    for name, candidates in _COST_OPTIONS.items():
        for dest in candidates:
            value = getattr(args, dest)
            if value is not None:
                values[name] = value
                sources[name] = option_flag(dest)
                break
    for name in ("gamma", "labour_ratio"):
        value = getattr(args, name)
        if value is not None:
            values[name] = value
            sources[name] = option_flag(name)
    try:
        return Parameters(**values)
    except InvalidParameterError as error:
        flag = sources.get(error.parameter, error.parameter)
        raise InvalidParameterError(flag, error.value, error.allowed) from None


def inputs_from_args(args: argparse.Namespace) -> SolveInputs:
    """Validate every solve option and return the parameters and the economy."""
    params = parameters_from_args(args)
    if args.goods_shares is not None and not args.goods_curve.strip().startswith(TABLE_PREFIX):
        raise InvalidParameterError(
            "--goods-shares",
            args.goods_shares,
            f"expenditure shares apply only to a tabulated goods curve; pass --goods-curve {TABLE_PREFIX}PATH "
            f"(got --goods-curve {args.goods_curve!r})",
        )
    goods_curve = parse_curve_spec(args.goods_curve, option="--goods-curve", shares_path=args.goods_shares)
    services_curve = parse_curve_spec(args.services_curve, option="--services-curve")
    return SolveInputs(
        params=params,
        economy=Economy(goods_curve=goods_curve, services_curve=services_curve),
        goods_spec=args.goods_curve,
        services_spec=args.services_curve,
        goods_shares=args.goods_shares,
    )


def regime_to_dict(regime: Regime) -> dict[str, object]:
    """Return the four export indicators and, under ``positions``, where each threshold sits."""
    result: dict[str, object] = dict(regime.trade_pattern())
    result["positions"] = {name: regime.position(name).value for name in THRESHOLD_NAMES}
    return result


def to_json_value(value: Any, where: str = "output") -> Any:
    """Convert a result to plain JSON types: Python floats, ints, strings, lists and dicts.

    NumPy and JAX scalars and arrays become floats and lists, enums their values,
    and objects with ``to_dict`` or ``to_json`` their dicts. SymPy numbers become
    floats and other SymPy expressions their string form. Raises ValueError on a
    NaN or infinity, naming ``where`` it sits, because the workbench never
    reports a non-finite number as a result.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return to_json_value(value.value, where)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"non-finite number {number} at {where}")
        return number
    if isinstance(value, dict):
        return {str(key): to_json_value(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, sp.Basic):
        if value.is_number and value.is_real:
            return to_json_value(float(value), where)
        return str(value)
    if hasattr(value, "to_json"):
        return to_json_value(value.to_json(), where)
    if hasattr(value, "to_dict"):
        return to_json_value(value.to_dict(), where)
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        # A NumPy or JAX array; a 0-d array is a scalar.
        array = np.asarray(value)
        return to_json_value(array.item() if array.ndim == 0 else array.tolist(), where)
    raise TypeError(f"cannot convert {type(value).__name__} at {where} to JSON")


def dump_json(value: Any) -> str:
    """Serialise a result as indented JSON with finite numbers only."""
    return json.dumps(to_json_value(value), indent=2, allow_nan=False)
