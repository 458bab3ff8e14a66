"""Claims of sections 2 and 4 of Baldwin and Dingel (2021), checked against the shipped paper data.

Every paper value is read from ``telemigration/data/paper`` (see its SOURCES.md)
and every computed value comes from ``telemigration.quantification``. Each
status follows from the numbers and a tolerance stated in the check. Printed
numbers are compared after rounding to the digits the paper prints.
"""

from __future__ import annotations

import math
from decimal import Decimal

from telemigration.claims.registry import Status, Verdict, claim
from telemigration.errors import DataFileError
from telemigration.quantification import data as paper_data
from telemigration.quantification.data import (
    gravity_column,
    load_footnote_10_wages,
    load_job_inputs,
    load_paper_numbers,
    load_printed_table_4_4,
    load_table_2_1,
    paper_number,
)
from telemigration.quantification.jobs import DEFAULT_COLUMN, job_cells, percent_increase
from telemigration.quantification.shifters import make_cost_shift
from telemigration.quantification.uncertainty import normal_quantile

# "About 18%" and "22%" are whole percents, so they stand for anything within
# half a percentage point.
_WHOLE_PERCENT = 0.005

# Reading of "a few million": at most 5 million. Above 10 million the number is
# of another order ("about ten million"), so the claim differs.
_FEW_MILLION_MAX = 5.0
_SINGLE_DIGIT_MILLION_MAX = 10.0


def _round2(value: float) -> float:
    """Round half up to two decimals, as printed tables do (Python's round() rounds half to even)."""
    return math.floor(value * 100.0 + 0.5) / 100.0


def _matches(computed: float, printed: float) -> bool:
    # Both sides are two-decimal numbers after rounding; 1e-9 absorbs binary representation error.
    return abs(_round2(computed) - printed) < 1e-9


def _half_unit(value: float) -> float:
    """Half a unit in the last printed digit of ``value`` (0.79 -> 0.005, 0.013 -> 0.0005)."""
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def _distance_experiment():
    """Run section 4.3's experiment: Table 4.3 column 5, log distance, the paper's 25% fall."""
    numbers = load_paper_numbers()
    column = gravity_column(DEFAULT_COLUMN)
    distance = column.coefficient("log_distance")
    shift = make_cost_shift("log_distance", numbers["distance_fall"].value)
    percent = percent_increase(shift, distance.coefficient, distance.std_error)
    return numbers, distance, percent


@claim(
    "trend-small",
    "4.3",
    "The estimated coefficient on the interaction of log distance and a linear time trend (0.004) "
    "is less than 1% of the log-distance coefficient (-0.707).",
)
def check_trend_small() -> Verdict:
    """Compare |trend| / |distance| of Table 4.3 column 5 with the 1% bound, also at the rounding extremes."""
    bound = load_paper_numbers()["trend_share_bound"].value
    column = gravity_column(DEFAULT_COLUMN)
    trend = column.coefficient("log_distance_trend")
    distance = column.coefficient("log_distance")
    share = abs(trend.coefficient) / abs(distance.coefficient)

    # Each printed coefficient may be off by half a unit in its last printed digit.
    # NOTE: _half_unit reads the digits from the float, so a printed trailing zero
    # (0.010) would count as 0.01; the column-5 coefficients end in non-zero digits.
    trend_error = _half_unit(trend.coefficient)
    distance_error = _half_unit(distance.coefficient)
    worst = (abs(trend.coefficient) + trend_error) / (abs(distance.coefficient) - distance_error)
    t_statistic = trend.coefficient / trend.std_error
    years_for_tenth = 0.1 * abs(distance.coefficient) / abs(trend.coefficient)
    if worst < bound:
        status = Status.CONFIRMED
    elif share < bound:
        status = Status.APPROXIMATION
    else:
        status = Status.DIFFERS
    share_side = "below" if share < bound else "not below"
    worst_side = "below" if worst < bound else "not below"
    critical = normal_quantile(0.95)
    significance = "not significant" if abs(t_statistic) < critical else "significant"
    detail = (
        f"{column.label}: {trend.coefficient:g} / |{distance.coefficient:g}| = {share:.4%}, {share_side} {bound:.0%}; "
        f"with both coefficients at the worst end of their printed rounding the share is {worst:.4%}, "
        f"{worst_side} {bound:.0%}. The trend is {significance} at 5% (t = {t_statistic:.2f}, critical value "
        f"{critical:.2f}), and at that rate the distance elasticity moves by a tenth of its size in "
        f"{years_for_tenth:.1f} years."
    )
    return Verdict(bound, share, "ratio of Table 4.3 column 5 coefficients", status, detail)


@claim(
    "distance-18-percent",
    "4.3",
    "The distance elasticity of -0.707 implies export would be about 18% higher "
    "(after a 25% decline in the bilateral distance).",
)
def check_distance_18_percent() -> Verdict:
    """Compare 'about 18%' with the first-order -beta * 0.25 and the exact 0.75^beta - 1."""
    numbers, distance, percent = _distance_experiment()
    printed = numbers["export_increase_about"].value
    fall = numbers["distance_fall"].value
    if abs(percent.exact - printed) <= _WHOLE_PERCENT:
        status, used = Status.CONFIRMED, "the exact constant-elasticity percent"
    elif abs(percent.first_order - printed) <= _WHOLE_PERCENT:
        status, used = Status.APPROXIMATION, "the first-order approximation"
    else:
        status, used = Status.DIFFERS, "neither percent"
    interval = percent.exact_ci95
    inside = interval.lower <= printed <= interval.upper
    detail = (
        f"First order: -({distance.coefficient:g}) * {fall:g} = {percent.first_order:.4%}; exact: "
        f"(1 - {fall:g})^({distance.coefficient:g}) - 1 = {percent.exact:.4%}. The printed {printed:.0%} is {used} "
        f"(rounded to a whole percent). The exact value is {100 * (percent.exact - percent.first_order):.2f} percentage points "
        f"({percent.exact / percent.first_order - 1:.1%}) higher; its 95% interval from the coefficient's "
        f"se {distance.std_error:g} is [{interval.lower:.2%}, {interval.upper:.2%}] ({interval.method}), "
        f"which {'contains' if inside else 'excludes'} {printed:.0%}."
    )
    computed = {"first_order": percent.first_order, "exact": percent.exact, "exact_ci95": interval.to_list()}
    return Verdict(printed, computed, "first-order beta * dx and exact exp(beta * dx) - 1", status, detail)


@claim(
    "table-4.4",
    "4.3",
    "Table 4.4: base jobs = imports / (hourly wage x 2,000 hours); percent increase 0.18; "
    "jobs increase = base jobs x percent increase, for the US and EU and four origins.",
)
def check_table_4_4() -> Verdict:
    """Recompute every cell of Table 4.4 under each candidate percent and list the cells that differ after rounding."""
    numbers, _distance, percent = _distance_experiment()
    hours = numbers["hours_per_year"].value
    cells = job_cells(load_job_inputs(), percent, hours)
    printed = {(cell.destination, cell.origin): cell for cell in load_printed_table_4_4()}
    candidates = {
        "first_order": percent.first_order,
        "exact": percent.exact,
        "printed_0.18": numbers["export_increase_about"].value,
    }

    mismatches: dict[str, list[str]] = {name: [] for name in candidates}
    rows = []
    for cell in cells:
        key = (cell.destination, cell.origin)
        if key not in printed:
            raise DataFileError(paper_data.PAPER_DATA_DIR / "table_4_4_printed.csv", f"no printed cell for {key}")
        printed_cell = printed[key]
        name = f"{cell.destination}-{cell.origin}"
        for candidate, value in candidates.items():
            checks = (
                ("base jobs", cell.base_jobs_millions, printed_cell.base_jobs_millions),
                ("percent", value, printed_cell.percent_increase),
                ("jobs increase", cell.base_jobs_millions * value, printed_cell.jobs_increase_millions),
            )
            for label, computed, expected in checks:
                if not _matches(computed, expected):
                    mismatches[candidate].append(f"{name} {label} {computed:.4f} (printed {expected:.2f})")
        rows.append({
            "cell": name,
            "base_jobs_millions": cell.base_jobs_millions,
            "jobs_increase_first_order_millions": cell.jobs_increase_first_order_millions,
            "jobs_increase_exact_millions": cell.jobs_increase_exact_millions,
        })

    used = min(candidates, key=lambda candidate: len(mismatches[candidate]))
    if mismatches[used]:
        status = Status.DIFFERS
    else:
        status = Status.CONFIRMED if used == "exact" else Status.APPROXIMATION
    count = 3 * len(cells)
    detail = (
        f"The table's {count} printed cells match {count - len(mismatches[used])} recomputed cells under the "
        f"{used.replace('_', ' ')} percent {candidates[used]:.5f}. Mismatches by candidate: "
        + "; ".join(f"{name}: {len(found)} ({', '.join(found[:4]) + (', ...' if len(found) > 4 else '') or 'none'})"
                    for name, found in mismatches.items())
        + f". The exact percent would raise every jobs increase by {percent.exact / percent.first_order - 1:.1%}."
    )
    computed = {"percent_used": used, "percents": candidates, "cells": rows, "mismatches": mismatches}
    return Verdict(
        {f"{key[0]}-{key[1]}": [p.base_jobs_millions, p.percent_increase, p.jobs_increase_millions] for key, p in printed.items()},
        computed, "recomputed from imports, wages and 2,000 hours; compared after rounding to 2 decimals", status, detail,
    )


@claim(
    "footnote-10-wages",
    "4.3, footnote 10",
    "Wages of footnote 10 (37.87 CAD an hour, 3,445 BRL a month, 28,923 INR a month, 161,352 CNY a year) "
    "converted at 1 CAD = 0.79 USD, 1 BRL = 0.19, 1 CNY = 0.15, 1 INR = 0.013 and 2,000 hours a year, "
    "against the hourly wages of Table 4.4.",
)
def check_footnote_10_wages() -> Verdict:
    """Convert each footnote-10 wage to USD an hour and compare it with Table 4.4's wage."""
    table_wages = {cell.origin: cell.hourly_wage for cell in load_job_inputs()}
    hours_per_year = paper_number("hours_per_year")
    hours_per_period = {"hour": 1.0, "month": hours_per_year / 12.0, "year": hours_per_year}
    results = {}
    lines = []
    worst = Status.CONFIRMED
    for wage in load_footnote_10_wages():
        local_hourly = wage.amount / hours_per_period[wage.period]
        converted = local_hourly * wage.usd_per_unit
        half = _half_unit(wage.usd_per_unit)
        low, high = local_hourly * (wage.usd_per_unit - half), local_hourly * (wage.usd_per_unit + half)
        if wage.origin not in table_wages:
            raise DataFileError(paper_data.PAPER_DATA_DIR / "hourly_wages.csv", f"no hourly wage for {wage.origin!r}")
        table = table_wages[wage.origin]
        if _matches(converted, table):
            verdict = "equal after rounding"
        elif low <= table <= high:
            verdict = "within the rounding of the exchange rate"
            worst = Status.APPROXIMATION if worst is Status.CONFIRMED else worst
        else:
            verdict = "outside the rounding of the exchange rate"
            worst = Status.DIFFERS
        results[wage.origin] = {"converted_usd": converted, "table_usd": table, "rate_band_usd": [low, high], "verdict": verdict}
        lines.append(
            f"{wage.origin}: {wage.amount:g} {wage.currency}/{wage.period} -> {converted:.3f} USD/h vs {table:.2f} "
            f"({converted / table - 1:+.1%}; {verdict}: rate {wage.usd_per_unit:g} +- {half:g} gives "
            f"[{low:.3f}, {high:.3f}])"
        )

    us_wage = load_paper_numbers()["us_computer_math_hourly_wage"].value
    detail = (
        "; ".join(lines)
        + f". Table 4.4's notes name payscale.com, not these surveys, as the wage source. Canada's table wage is "
        f"{table_wages['Canada'] / us_wage:.1%} of the US {us_wage:g} USD/h (the text says about three-quarters)."
    )
    paper = {origin: table_wages[origin] for origin in results}
    return Verdict(paper, results, "local wage / hours per period x USD per unit", worst, detail)


@claim(
    "less-than-70000",
    "4.3",
    "For India, the number is 420,000 more telemigrant jobs. The figure is less than 70,000 for the three "
    "other economies.",
)
def check_less_than_70000() -> Verdict:
    """Compare the US jobs increases for Canada, Brazil and China with 70,000 under both percents."""
    numbers, _distance, percent = _distance_experiment()
    bound = numbers["us_jobs_increase_bound"].value
    cells = job_cells(load_job_inputs(), percent, numbers["hours_per_year"].value)
    others = [cell for cell in cells if cell.destination == "US" and cell.origin != "India"]
    jobs = {
        cell.origin: {
            "first_order": cell.jobs_increase_first_order_millions * 1e6,
            "exact": cell.jobs_increase_exact_millions * 1e6,
        }
        for cell in others
    }
    above_first = [origin for origin, value in jobs.items() if value["first_order"] >= bound]
    above_exact = [origin for origin, value in jobs.items() if value["exact"] >= bound]
    if not above_first and not above_exact:
        status = Status.CONFIRMED
    elif not above_first:
        status = Status.APPROXIMATION
    else:
        status = Status.DIFFERS
    detail = (
        "; ".join(f"{origin}: {value['first_order']:,.0f} first order, {value['exact']:,.0f} exact"
                  for origin, value in jobs.items())
        + f". At or above {bound:,.0f}: {', '.join(above_first) or 'none'} under the first-order percent the "
        f"table uses, {', '.join(above_exact) or 'none'} under the exact percent. Table 4.4 prints these cells "
        "in millions with two decimals, so a value from 65,000 to 74,999 prints as 0.07."
    )
    return Verdict(bound, jobs, "base jobs x percent increase for the US cells", status, detail)


@claim(
    "doubling-few-million",
    "4.3",
    "In 2019, China and India's total OBS exports were $68 billion and $51 billion. If telemigrants earned "
    "$10,000 per year ($5 an hour for 2000 hours per year), a doubling of OBS exports would only create a few "
    "million telemigrants in these economies.",
)
def check_doubling_few_million() -> Verdict:
    """Compute (68 + 51) billion / 10,000 USD and compare it with the reading of 'a few million'."""
    numbers = load_paper_numbers()
    earnings = numbers["telemigrant_annual_earnings"].value
    hourly = numbers["telemigrant_hourly_earnings"].value
    hours = numbers["hours_per_year"].value
    hourly_total = hourly * hours
    exports = {
        "China": numbers["china_obs_exports_2019"].value,
        "India": numbers["india_obs_exports_2019"].value,
    }
    # A doubling adds exports equal to today's, so the new jobs equal today's exports / earnings.
    # Billions of USD / USD in millions is value * 1e3 / earnings. Summing the printed
    # whole billions before the single division keeps 119 / 10 at 11.9, not 11.899999999999999.
    per_economy = {origin: value * 1e3 / earnings for origin, value in exports.items()}
    total = sum(exports.values()) * 1e3 / earnings
    if total <= _FEW_MILLION_MAX:
        status = Status.CONFIRMED
    elif total < _SINGLE_DIGIT_MILLION_MAX:
        status = Status.APPROXIMATION
    else:
        status = Status.DIFFERS
    detail = (
        f"({' + '.join(f'{value:g}' for value in exports.values())}) billion USD / {earnings:,.0f} USD = "
        f"{total:.1f} million new telemigrants ({', '.join(f'{k} {v:.1f}' for k, v in per_economy.items())} million). "
        f"Reading: 'a few million' is at most {_FEW_MILLION_MAX:g} million; from there up to "
        f"{_SINGLE_DIGIT_MILLION_MAX:g} million counts as an approximation. The two earnings figures "
        f"{'agree' if math.isclose(hourly_total, earnings) else 'disagree'}: ${hourly:g} an hour x "
        f"{hours:,.0f} hours = {hourly_total:,.0f} USD a year."
    )
    return Verdict("a few million", total, "exports / annual earnings, in millions", status, detail)


@claim(
    "blinder-two-vector",
    "2",
    "The inner product of the low scenario vector and the jobs vector yields the answer that about 29 million "
    "jobs are offshorable, which was about 22% of the labour force in 2004. The inner product of the high "
    "scenario vector with the jobs vector gives the answer that about 38 million jobs might be offshorable "
    "(about 29% of all jobs).",
)
def check_blinder_two_vector() -> Verdict:
    """Take the inner products of Table 2.1's scenario vectors with its worker vector."""
    numbers = load_paper_numbers()
    table = load_table_2_1()
    workers = [row.workers for row in table]
    low = sum(row.low * row.workers for row in table) / 1e6
    high = sum(row.high * row.workers for row in table) / 1e6
    listed = sum(workers) / 1e6
    paper_low = numbers["blinder_low_million_jobs"].value
    paper_high = numbers["blinder_high_million_jobs"].value
    share_low = numbers["blinder_low_share"].value
    share_high = numbers["blinder_high_share"].value

    # The shares are whole percents, so each implies a band of labour forces; the
    # two printed pairs are consistent when the bands overlap.
    band_low = (paper_low / (share_low + _WHOLE_PERCENT), paper_low / (share_low - _WHOLE_PERCENT))
    band_high = (paper_high / (share_high + _WHOLE_PERCENT), paper_high / (share_high - _WHOLE_PERCENT))
    consistent = max(band_low[0], band_high[0]) <= min(band_low[1], band_high[1])

    reproduces = abs(low - paper_low) <= 0.5 and abs(high - paper_high) <= 0.5
    status = Status.CONFIRMED if reproduces else Status.DIFFERS
    detail = (
        f"Over the {len(table)} listed occupations ({listed:.2f} million workers) the Low vector gives "
        f"{low:.2f} million and the High vector {high:.2f} million, {low / paper_low:.0%} and "
        f"{high / paper_high:.0%} of the printed {paper_low:g} and {paper_high:g} million. Blinder's totals are over "
        "all the occupations he scored, which the table does not list, so the table cannot reproduce them. "
        f"What it can show: {paper_low:g}M at {share_low:.0%} implies a labour force of "
        f"{paper_low / share_low:.1f}M and {paper_high:g}M at {share_high:.0%} implies {paper_high / share_high:.1f}M; "
        f"allowing for whole-percent rounding the two are {'consistent' if consistent else 'inconsistent'}."
    )
    computed = {"low_million": low, "high_million": high, "listed_million": listed,
                "implied_labour_force_million": [paper_low / share_low, paper_high / share_high]}
    return Verdict({"low_million": paper_low, "high_million": paper_high}, computed,
                   "inner product of the 0/1 scenario vector with the worker vector of Table 2.1", status, detail)
