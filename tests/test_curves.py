"""Input checks of the curve constructors in telemigration.models.curves."""

from __future__ import annotations

import pytest

from telemigration.errors import InvalidCurveError
from telemigration.models import EatonKortumCurve, HockeyStickCurve, PowerCurve

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
