"""Cumulative meta-analysis (sysrev.meta.cumulative): order values, the --json object and the readable table.

Expected numbers are worked out by hand in the comments; the readable tables are built from hand-made
summaries (illustrative numbers) and laid out as docs/meta.md describes: study added, order value, k,
estimate [CI], P, τ², I², columns two spaces apart, text left-aligned and numbers right-aligned.
"""

import datetime as dt
import math

import pandas as pd
import pytest

from sysrev.errors import InputError
from sysrev.meta import meta_analysis
from sysrev.meta.cumulative import cumulative, cumulative_analysis, format_cumulative_table, parse_order_values
from sysrev.meta.inputs import StudyDataError


def _md_table():
    # MD of each study: mean1 − 0 with variance 1/10 + 1/10 = 0.2
    return pd.DataFrame({"study": ["A", "B", "C"], "n1": [10, 10, 10], "mean1": [1, 2, 3], "sd1": [1, 1, 1],
                         "n2": [10, 10, 10], "mean2": [0, 0, 0], "sd2": [1, 1, 1]})


@pytest.mark.parametrize("missing", [None, float("nan"), "  "])
def test_a_missing_order_value_names_row_column_and_study(missing):
    with pytest.raises(StudyDataError) as info:
        parse_order_values([2001, missing, 2003], "year", ["A", "B", "C"])
    assert str(info.value) == ("row 2, column 'year' (study 'B'): no order value: every study needs one to be "
                               "placed in the sequence")


@pytest.mark.parametrize("value", ["spring", "inf", "2024-13-01"])
def test_an_unreadable_order_value_names_row_column_and_study(value):
    with pytest.raises(StudyDataError) as info:
        parse_order_values(["2001", "2002", value], "year", ["A", "B", "C"])
    assert str(info.value) == (f"row 3, column 'year' (study 'C'): order value '{value}' is neither a number (a "
                               "year) nor a date (YYYY-MM-DD)")
    assert (info.value.row, info.value.column, info.value.study) == (3, "year", "C")


def test_mixed_numbers_and_dates_name_the_column():
    with pytest.raises(InputError) as info:
        parse_order_values(["2024-03-01", "2023"], "entered", ["A", "B"])
    assert str(info.value) == "column 'entered': order values mix numbers and dates; use one kind for every study"
    assert info.value.column == "entered"


def test_dates_with_a_time_of_day_order_by_their_day():
    assert parse_order_values(["2024-03-01T09:30", "2023-12-31 23:59", " 2024-01-15 "], "entered", "ABC") == [
        dt.date(2024, 3, 1), dt.date(2023, 12, 31), dt.date(2024, 1, 15)]


def test_years_are_numbers_whatever_their_type():
    assert parse_order_values([2001, "2005", 1999.5], "year", "ABC") == [2001.0, 2005.0, 1999.5]


def test_missing_order_column_is_named_with_the_columns_there_are():
    with pytest.raises(InputError) as info:
        cumulative(_md_table(), "entered", "MD")
    assert str(info.value) == ("column 'entered': no column 'entered' to order the studies by (columns: study, n1, "
                               "mean1, sd1, n2, mean2, sd2)")
    assert info.value.column == "entered"


def test_cumulative_analysis_defaults_to_ascending_order_of_a_column_called_order():
    result = meta_analysis(_md_table(), "MD")
    cumulative_result = cumulative_analysis(result, [2.5, 1, 3])
    assert cumulative_result.order_by == "order" and cumulative_result.descending is False
    out = cumulative_result.to_dict()
    assert (out["order_by"], out["descending"]) == ("order", False)
    first, second, third = out["steps"]
    # B (order 1) first: its own MD 2 and variance 0.2; the order value is kept as given (1, 2.5)
    assert {key: first[key] for key in ("study", "order", "subgroup", "yi", "vi")} == {
        "study": "B", "order": 1, "subgroup": None, "yi": pytest.approx(2.0), "vi": pytest.approx(0.2)}
    assert isinstance(first["order"], int) and second["order"] == 2.5 and second["study"] == "A"
    assert (second["yi"], third["yi"]) == (pytest.approx(1.0), pytest.approx(3.0))
    # step 2 pools B and A (equal variances): mean 1.5, variance 0.2/2
    assert second["k"] == 2 and second["estimate"] == pytest.approx(1.5)
    assert second["se"] == pytest.approx(math.sqrt(0.1))


def test_json_object_has_the_analysis_settings_and_counts_the_studies_without_a_step():
    table = pd.DataFrame({"study": ["A", "B", "C"], "events1": [3, 0, 5], "n1": [20, 20, 20],
                          "events2": [6, 0, 9], "n2": [20, 20, 20], "entered": ["2020-01-02", "2019-05-01",
                                                                             "2021-07-30"]})
    out = cumulative(table, "entered", "RR", method="IV", descending=True).to_dict()
    assert {key: out[key] for key in ("measure", "method", "model", "tau2_method", "ci_method", "level", "smd",
                                      "zero", "scale", "order_by", "descending")} == {
        "measure": "RR", "method": "IV", "model": "fixed", "tau2_method": None, "ci_method": "z", "level": 95.0,
        "smd": None, "zero": "revman", "scale": "log", "order_by": "entered", "descending": True}
    # B has no events in either arm: not estimable, no step, but one of the 3 studies
    assert out["k_total"] == 3 and out["not_estimable"] == ["B"]
    assert [(s["study"], s["order"]) for s in out["steps"]] == [("C", "2021-07-30"), ("A", "2020-01-02")]
    # C alone: RR (5/20)/(9/20) (no zero cell)
    assert math.log(out["steps"][0]["estimate"]) == pytest.approx(math.log((5 / 20) / (9 / 20)))


def _step(study, order, k, estimate, low, high, p, tau2, i2):
    return {"study": study, "order": order, "k": k, "estimate": estimate, "ci_low": low, "ci_high": high, "p": p,
            "tau2": tau2, "I2": i2}


def test_readable_table_line_by_line():
    summary = {"measure": "RR", "method": "MH", "model": "random", "tau2_method": "DL", "level": 95.0,
               "descending": False, "order_by": "year", "not_estimable": ["Zero 1980", "Nil 1985"],
               "steps": [_step("Aronson 1948", 1948, 1, 0.41, 0.13, 1.26, 0.1208, None, None),
                         _step("Rosenthal 1960", 1960, 2, 0.35, 0.2, 0.6, 0.00014, 0.0, 0.0),
                         _step("Comstock 1974", 1974, 3, 0.456, 0.301, 0.69, 0.0000002, 0.12346, 61.6)]}
    # widths: study 14 ("Rosenthal 1960"), year 4, k 1, estimate 17, P 9 ("< 0.00001"), τ² 6, I² 3
    assert format_cumulative_table(summary).split("\n") == [
        "Cumulative meta-analysis: Risk Ratio (M-H, Random (DL), 95% CI), studies added in ascending order of "
        "'year'",
        "",
        "Study added   " "  year" "  k" "  Estimate [95% CI]" "          P" "    Tau²" "   I²",
        "Aronson 1948  " "  1948" "  1" "  0.41 [0.13, 1.26]" "       0.12",
        "Rosenthal 1960" "  1960" "  2" "  0.35 [0.20, 0.60]" "     0.0001" "  0.0000" "   0%",
        "Comstock 1974 " "  1974" "  3" "  0.46 [0.30, 0.69]" "  < 0.00001" "  0.1235" "  62%",
        "",
        "Not estimable (no step): Zero 1980, Nil 1985",
        "",
    ]


def test_readable_table_of_large_effects_in_descending_order():
    # a CI bound of 100 or more in size: one decimal; negative numbers with the Unicode minus sign
    summary = {"measure": "MD", "method": "IV", "model": "fixed", "tau2_method": None, "level": 90.0,
               "descending": True, "order_by": "entered", "not_estimable": [],
               "steps": [_step("B", "2024-03-01", 1, -80.44, -100.0, -60.96, 0.0021, None, None),
                         _step("A", "2023-12-31", 2, -70.0, -89.96, -50.04, 0.03, None, None)]}
    assert format_cumulative_table(summary).split("\n") == [
        "Cumulative meta-analysis: Mean Difference (IV, Fixed, 90% CI), studies added in descending order of "
        "'entered'",
        "",
        "Study added" "  entered   " "  k" "  Estimate [90% CI]    " "      P" "  Tau²" "  I²",
        "B          " "  2024-03-01" "  1" "  −80.4 [−100.0, −61.0]" "  0.002",
        "A          " "  2023-12-31" "  2" "  −70.0 [−90.0, −50.0] " "   0.03",
        "",
    ]


def test_readable_table_without_steps_keeps_its_header():
    summary = {"measure": "OR", "method": "PETO", "model": "fixed", "tau2_method": None, "level": 95,
               "descending": False, "order_by": "year", "not_estimable": ["X"], "steps": []}
    assert format_cumulative_table(summary).split("\n")[2:] == [
        "Study added  year  k  Estimate [95% CI]  P  Tau²  I²", "", "Not estimable (no step): X", ""]
