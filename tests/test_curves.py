"""Input checks of the curve constructors and the table reader in telemigration.models.curves."""

from __future__ import annotations

from pathlib import Path

import pytest

from telemigration.errors import DataFileError, InvalidCurveError
from telemigration.models import EatonKortumCurve, HockeyStickCurve, PowerCurve, TabulatedCurve

# (constructor, keyword argument, parameter name the error must carry)
CURVE_PARAMETERS = [
    (PowerCurve, "c", "power.c"),
    (PowerCurve, "alpha", "power.alpha"),
    (EatonKortumCurve, "lam", "ek.lambda"),
    (EatonKortumCurve, "theta", "ek.theta"),
    (HockeyStickCurve, "h", "hockey-stick.h"),
    (HockeyStickCurve, "eps", "hockey-stick.eps"),
    (HockeyStickCurve, "t_b", "hockey-stick.t_b"),
    (HockeyStickCurve, "beta", "hockey-stick.beta"),
]

NON_NUMBERS = ["abc", None, "", object(), [1.0], 10**400]
NON_NUMBER_IDS = ["text", "none", "empty-text", "object", "list", "int-beyond-float64"]


@pytest.mark.parametrize(("make", "keyword", "named"), CURVE_PARAMETERS, ids=[case[2] for case in CURVE_PARAMETERS])
@pytest.mark.parametrize("value", NON_NUMBERS, ids=NON_NUMBER_IDS)
def test_non_number_parameter_raises_invalid_curve(make, keyword, named, value):
    with pytest.raises(InvalidCurveError) as caught:
        make(**{keyword: value})
    assert caught.value.parameter == named
    assert caught.value.value is value


def test_power_curve_positional_text_rejected():
    with pytest.raises(InvalidCurveError, match="power.c"):
        PowerCurve("abc", 0.5)
    with pytest.raises(InvalidCurveError, match="power.c"):
        PowerCurve(None, 0.5)


@pytest.mark.parametrize(("cell", "sign"), [("0", "zero"), ("0.0", "zero"), ("-0.0", "zero"), ("-2", "negative")])
def test_table_non_positive_cell_names_row(tmp_path: Path, cell, sign):
    labour = tmp_path / "labour.tsv"
    labour.write_text(f"1.0\t0.5\n1.0\t{cell}\n1.0\t1.25\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        TabulatedCurve.from_files(labour)
    assert caught.value.path == labour
    assert f"row 2: {cell!r} is {sign}" in caught.value.problem
    assert "> 0" in caught.value.problem


def test_shares_zero_cell_names_row(tmp_path: Path):
    labour = tmp_path / "labour.tsv"
    labour.write_text("1.0\t0.5\n1.0\t0.8\n1.0\t1.25\n", encoding="utf-8")
    shares = tmp_path / "shares.txt"
    shares.write_text("0.5\n0.5\n0\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        TabulatedCurve.from_files(labour, shares)
    assert caught.value.path == shares
    assert "row 3: '0' is zero" in caught.value.problem
