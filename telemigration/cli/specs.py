"""Parse the curve SPEC strings of ``--goods-curve`` and ``--services-curve``.

Grammar (whitespace around names, keys and values is ignored)::

    SPEC   := NAME | NAME ":" PAIRS | "table:" PATH
    PAIRS  := PAIR ("," PAIR)*
    PAIR   := KEY "=" NUMBER

NAME is one of the curve families of ``telemigration.models.curves``; a key that
is left out takes the family's default. ``table:PATH`` reads a tab-separated file
of unit labour requirements, a*(z) then a(z), one good per row, with the goods
ordered so that A = a*/a falls. Everything after ``table:`` is the path, so it
may contain ``:`` or ``,``.

The parser is written by hand. A value must match ``REAL_NUMBER``, plain ASCII
decimal or scientific notation, before ``float`` converts it, because ``float``
alone also accepts ``1_000`` and non-ASCII digits. No text from the command line
is ever evaluated as Python or parsed by SymPy.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from telemigration.errors import DataFileError, InvalidCurveError
from telemigration.models.curves import (
    ContinuousCurve,
    Curve,
    EatonKortumCurve,
    HockeyStickCurve,
    InverseCurve,
    PowerCurve,
    TabulatedCurve,
)

TABLE_PREFIX = "table:"

# A real number in ASCII: optional sign, digits with an optional decimal point,
# an optional exponent, or inf, infinity or nan in any case. Shared with the
# numeric command-line options, which let the domain checks reject inf and nan.
REAL_NUMBER = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)",
    re.IGNORECASE | re.ASCII,
)


@dataclass(frozen=True)
class CurveFamily:
    """A curve family that a SPEC can name: its class and its SPEC keys mapped to field names."""

    name: str
    curve_class: type[ContinuousCurve]
    keys: dict[str, str]

    def usage(self) -> str:
        """Return the family's SPEC form, for example ``power:c=X,alpha=X``."""
        if not self.keys:
            return self.name
        return f"{self.name}:" + ",".join(f"{key}=X" for key in self.keys)


# The SPEC key ``lambda`` is a Python keyword, so EatonKortumCurve stores it as ``lam``.
FAMILIES: dict[str, CurveFamily] = {
    family.name: family
    for family in (
        CurveFamily("inverse", InverseCurve, {}),
        CurveFamily("power", PowerCurve, {"c": "c", "alpha": "alpha"}),
        CurveFamily("ek", EatonKortumCurve, {"lambda": "lam", "theta": "theta"}),
        CurveFamily("hockey-stick", HockeyStickCurve, {"h": "h", "eps": "eps", "t_b": "t_b", "beta": "beta"}),
    )
}

ALLOWED_SPECS = ", ".join([family.usage() for family in FAMILIES.values()] + [f"{TABLE_PREFIX}PATH"])


def parse_curve_spec(spec: str, *, option: str = "curve", shares_path: str | Path | None = None) -> Curve:
    """Build the curve that ``spec`` describes.

    ``option`` names the source of the spec (for example ``--goods-curve``) in
    error messages. ``shares_path`` is a file of expenditure shares, one per line,
    and is allowed only with a ``table:`` spec.

    Raises InvalidCurveError for a spec outside the grammar, an unknown family or
    key, a repeated key, a value that is not a finite number, or a parameter
    outside its domain. Raises DataFileError for a table or shares file that is
    missing or malformed.
    """
    text = spec.strip()
    if text.startswith(TABLE_PREFIX):
        return _parse_table(spec, text[len(TABLE_PREFIX):].strip(), option, shares_path)
    if shares_path is not None:
        raise InvalidCurveError(
            option, spec, f"expenditure shares ({shares_path!s}) apply only to a {TABLE_PREFIX}PATH curve"
        )

    name, separator, pairs_text = text.partition(":")
    name = name.strip()
    family = FAMILIES.get(name)
    if family is None:
        raise InvalidCurveError(option, spec, f"unknown curve name {name!r}; expected one of {ALLOWED_SPECS}")
    if separator and not family.keys:
        raise InvalidCurveError(option, spec, f"the {name} curve takes no parameters; write just {name!r}")
    if separator and not pairs_text.strip():
        raise InvalidCurveError(option, spec, f"expected key=value pairs after ':'; write {family.usage()}")

    values = _parse_pairs(spec, pairs_text, family, option) if separator else {}
    try:
        curve = family.curve_class(**values)
    except InvalidCurveError as error:
        raise InvalidCurveError(f"{option} {error.parameter}", error.value, error.allowed) from None
    try:
        curve.validate_shape()
    except InvalidCurveError as error:
        # The shape check names the family; the user typed the option and the spec.
        raise InvalidCurveError(option, spec, error.allowed) from None
    return curve


def _parse_pairs(spec: str, pairs_text: str, family: CurveFamily, option: str) -> dict[str, float]:
    allowed_keys = ", ".join(family.keys)
    values: dict[str, float] = {}
    for pair in pairs_text.split(","):
        key, equals, value_text = pair.partition("=")
        key = key.strip()
        if not equals:
            raise InvalidCurveError(
                option, spec, f"{pair.strip()!r} has no '='; write key=value, for example {family.usage()}"
            )
        if key not in family.keys:
            raise InvalidCurveError(
                option, spec, f"unknown key {key!r} for the {family.name} curve; allowed keys: {allowed_keys}"
            )
        field_name = family.keys[key]
        if field_name in values:
            raise InvalidCurveError(option, spec, f"key {key!r} is given twice; give each of {allowed_keys} once")
        values[field_name] = _parse_value(value_text.strip(), f"{option} {family.name}.{key}")
    return values


def _parse_value(text: str, parameter: str) -> float:
    if REAL_NUMBER.fullmatch(text) is None:
        raise InvalidCurveError(parameter, text, "expected a finite real number, for example 0.5 or 2e-3")
    value = float(text)
    if not math.isfinite(value):
        raise InvalidCurveError(parameter, text, "expected a finite real number, not NaN or infinity")
    return value


def _parse_table(spec: str, path_text: str, option: str, shares_path: str | Path | None) -> TabulatedCurve:
    if not path_text:
        raise InvalidCurveError(option, spec, f"expected a file path after {TABLE_PREFIX!r}")
    try:
        return TabulatedCurve.from_files(path_text, shares_path)
    except DataFileError as error:
        is_shares = shares_path is not None and str(error.path) == str(shares_path)
        raise DataFileError(error.path, f"{error.problem} (read for {'--goods-shares' if is_shares else option})") from None
    except InvalidCurveError as error:
        # The table's own checks name "table" or "shares"; name the option and file instead.
        if error.parameter == "shares" and shares_path is not None:
            found = "" if error.value == path_text else f" (found {error.value!r})"
            raise InvalidCurveError("--goods-shares", str(shares_path), f"{error.allowed}{found}") from None
        raise InvalidCurveError(f"{option} {error.parameter}", error.value, error.allowed) from None
