"""The strings a forest plot prints, in RevMan 5's format (sysrev.meta.plots.text)."""

import math

import pytest

from sysrev.meta.plots import text as t

M = "\u2212"


def test_effect_with_ci_uses_unicode_minus_and_revman_rounding():
    assert t.effect_with_ci(-0.0137, -0.1142, 0.1045, 2) == f"{M}0.01 [{M}0.11, 0.10]"
    # RevMan keeps the sign of a value that rounds to zero (the seed paper prints "0.13 [−0.00, 0.25]").
    assert t.effect_with_ci(0.13, -0.004, 0.25, 2) == f"0.13 [{M}0.00, 0.25]"
    assert t.effect_with_ci(0.8, 0.3, 2.1, 3) == "0.800 [0.300, 2.100]"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_effect_without_estimate_is_not_estimable(missing):
    assert t.effect_with_ci(missing, None, None, 2) == "Not estimable"
    assert t.effect_with_ci(0.5, missing, 1.0, 2) == "Not estimable"


@pytest.mark.parametrize("p, shown", [
    (0.912, "= 0.91"), (0.05, "= 0.05"), (0.996, "= 1.00"), (0.0031, "= 0.003"),
    (0.00042, "= 0.0004"), (0.000012, "= 0.00001"), (3e-7, "< 0.00001"), (None, "= n/a"),
])
def test_p_value_one_significant_digit_below_001(p, shown):
    assert t.p_value(p) == shown


def test_heterogeneity_line_fixed_has_no_tau2():
    line = t.heterogeneity_line({"Q": 3.92, "Q_df": 11, "Q_p": 0.972, "I2": 0.0, "tau2": None}, "fixed")
    assert line == "Heterogeneity: Chi\u00b2 = 3.92, df = 11 (P = 0.97); I\u00b2 = 0%"


def test_heterogeneity_line_random_has_tau2_and_prefers_revman_i2():
    summary = {"Q": 12.5, "Q_df": 4, "Q_p": 0.014, "tau2": 0.0312, "I2": 55.0, "I2_revman": 68.0}
    line = t.heterogeneity_line(summary, "random")
    assert line == "Heterogeneity: Tau\u00b2 = 0.03; Chi\u00b2 = 12.50, df = 4 (P = 0.01); I\u00b2 = 68%"


def test_heterogeneity_with_one_study_is_not_applicable():
    assert t.heterogeneity_line({"Q": 0.0, "Q_df": 0, "Q_p": None}, "fixed") == "Heterogeneity: Not applicable"


def test_overall_effect_prints_absolute_z():
    assert t.overall_effect_line({"z": -0.21, "p": 0.8335}) == "Test for overall effect: Z = 0.21 (P = 0.83)"
    assert t.overall_effect_line({"z": 2.5, "p": 0.02}, statistic="t") == \
        "Test for overall effect: t = 2.50 (P = 0.02)"
    assert t.overall_effect_line({"z": -2.5, "p": 0.067, "k": 5}, statistic="t") == \
        "Test for overall effect: t = 2.50, df = 4 (P = 0.07)"
    assert t.overall_effect_line({"z": None}) == "Test for overall effect: Not applicable"


def test_subgroup_test_line_i2_one_decimal_unless_zero():
    assert t.subgroup_test_line({"Q": 0.5975, "df": 4, "p": 0.963, "I2": 0.0}) == \
        "Test for subgroup differences: Chi\u00b2 = 0.60, df = 4 (P = 0.96), I\u00b2 = 0%"
    assert t.subgroup_test_line({"Q": 3.93, "df": 1, "p": 0.0474, "I2": 74.58}) == \
        "Test for subgroup differences: Chi\u00b2 = 3.93, df = 1 (P = 0.05), I\u00b2 = 74.6%"


@pytest.mark.parametrize("value, shown", [(25, "25"), (25.0, "25"), (3.2, "3.2"), (-12.45, f"{M}12.45"),
                                          (1.23456789, "1.2346"), (None, ""), (math.nan, "")])
def test_data_cells_as_entered(value, shown):
    assert t.data_cell(value) == shown


def test_effect_heading_names_measure_method_model_and_level():
    assert t.effect_heading({"measure": "SMD", "method": "IV", "model": "fixed", "level": 95}) == \
        ("Std. Mean Difference", "IV, Fixed, 95% CI")
    assert t.effect_heading({"measure": "RR", "method": "MH", "model": "random", "level": 99.0}) == \
        ("Risk Ratio", "M-H, Random, 99% CI")
    assert t.effect_heading({"measure": "PETO", "method": "PETO", "model": "fixed"})[1] == "Peto, Fixed, 95% CI"


def test_data_column_shares_one_number_of_decimals():
    assert t.data_column([2.0, 1.9, 2.25, None, 25]) == ["2.00", "1.90", "2.25", "", "25.00"]
    assert t.data_column([60, 55, 25]) == ["60", "55", "25"]
    assert t.data_column([-3.0, 0.5]) == [f"{M}3.0", "0.5"]
