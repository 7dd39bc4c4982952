"""The readable output of `sysrev meta pool` (sysrev.meta.table), line by line, on hand-made result objects.

The inputs are ``MetaResult.to_dict()``-shaped dicts written here (illustrative numbers, no analysis is run),
so every expected line is worked out by hand from the layout documented in docs/meta.md ("Output") and
RevMan 5's analysis tables: the study column is as wide as the longest name (or "Subtotal (95% CI)") plus 2;
each arm column is right-aligned in max(8, len(heading) + 1) characters; the weight in 9; then 3 spaces and
the estimate [CI] with 2 decimals (4 when the pooled estimate and its CI are all below 0.1 in size).
"""

import pytest

from sysrev.meta.table import (
    format_leave_one_out,
    format_p,
    format_small_study_tests,
    format_table,
    heterogeneity_line,
    overall_effect_line,
)


@pytest.mark.parametrize("p,printed", [
    (None, "P not applicable"),
    (0.0000099, "P < 0.00001"),
    (0.00001, "P = 0.00001"),     # the bound itself is printed, not "< 0.00001"
    (0.000066, "P = 0.00007"),    # below 0.001: one significant digit (RevMan)
    (0.00034, "P = 0.0003"),
    (0.00099, "P = 0.0010"),
    (0.001, "P = 0.001"),
    (0.0093, "P = 0.009"),        # 0.001 ≤ P < 0.01: three decimals
    (0.00999, "P = 0.010"),
    (0.009999999999999998, "P = 0.010"),  # the largest double below 0.01 (its log10 rounds to −2)
    (0.01, "P = 0.01"),           # from 0.01 on: two decimals
    (0.4999, "P = 0.50"),
    (1.0, "P = 1.00"),
])
def test_p_values_are_printed_as_revman_prints_them(p, printed):
    assert format_p(p) == printed


def _study(name, data, weight, estimate, low, high, subgroup=None):
    return {"study": name, "subgroup": subgroup, "data": data, "weight": weight, "estimate": estimate,
            "ci_low": low, "ci_high": high}


def _fields(**values):
    """A pooled-result dict with every field ``format_table`` reads; ``values`` override the defaults."""
    base = {"measure": "MD", "method": "IV", "model": "fixed", "tau2_method": None, "ci_method": "z",
            "level": 95.0, "k": 2, "estimate": None, "ci_low": None, "ci_high": None, "z": None, "p": None,
            "ci": "z", "tau2": None, "tau2_ci_low": None, "tau2_ci_high": None, "I2": None, "I2_revman": None,
            "Q": None, "Q_df": None, "Q_p": None, "pi_low": None, "pi_high": None, "studies": [],
            "subgroups": None, "subgroup_column": None, "subgroup_test": None}
    base.update(values)
    return base


MD_RESULT = _fields(
    k=2, estimate=-0.08, ci_low=-0.49, ci_high=0.33, z=-0.3862, p=0.6994, I2=18.99, I2_revman=18.99, Q=1.2344,
    Q_df=1, Q_p=0.2665,
    studies=[_study("Ann 2001", {"n1": 25, "mean1": 2, "sd1": 1, "n2": 25, "mean2": 1.85, "sd2": 1.2},
                    55.0, 0.15, -0.46, 0.76),
             _study("Bo 2004", {"n1": 30, "mean1": 1.9, "sd1": 1.1, "n2": 31, "mean2": 2.25, "sd2": 1},
                    45.0, -0.35, -0.89, 0.19)])


def test_mean_difference_table_line_by_line():
    # study column: "Subtotal (95% CI)" (17 characters) is the longest name, + 2 = 19; six arm columns of 8
    # (headings Mean, SD, Total are shorter than 7). Each column prints its cells with the most decimals any of
    # them has: mean1 2 and 1.9 → 2.0 and 1.9; sd2 1.2 and 1 → 1.2 and 1.0; the Ns stay whole.
    assert format_table(MD_RESULT, "Exercise", "Control").split("\n") == [
        "Mean Difference (IV, Fixed, 95% CI)",
        "Exercise vs Control (effects are Exercise relative to Control)",
        "",
        # arm names centred over their three columns (24 characters each): 16 spaces around "Exercise", 17
        # around "Control" (the odd one on the right)
        " " * 19 + " " * 8 + "Exercise" + " " * 8 + " " * 8 + "Control" + " " * 9,
        "Study or Subgroup  " "    Mean      SD   Total    Mean      SD   Total" "   Weight   Mean Difference",
        "Ann 2001           " "     2.0     1.0      25    1.85     1.2      25" "    55.0%   0.15 [-0.46, 0.76]",
        "Bo 2004            " "     1.9     1.1      30    2.25     1.0      31" "    45.0%   -0.35 [-0.89, 0.19]",
        # the total row carries the arm totals 25 + 30 and 25 + 31 under "Total"
        "Total (95% CI)     " + " " * 22 + "55" + " " * 22 + "56" + "   100.0%   -0.08 [-0.49, 0.33]",
        "Heterogeneity: Chi² = 1.23, df = 1 (P = 0.27); I² = 19%",
        "Test for overall effect: Z = 0.39 (P = 0.70)",
        "",
    ]


def _binary_result():
    x = [_study("A", {"events1": 4, "n1": 123, "events2": 11, "n2": 139}, 30.0, 0.41, 0.13, 1.26, "x"),
         _study("B", {"events1": 6, "n1": 306, "events2": 29, "n2": 303}, 70.0, 0.2, 0.08, 0.49, "x")]
    y = [_study("C", {"events1": 0, "n1": 231, "events2": 0, "n2": 220}, 0.0, None, None, None, "y")]
    common = {"measure": "RR", "method": "MH", "model": "random", "tau2_method": "DL"}
    group_x = _fields(**common, k=2, estimate=0.3, ci_low=0.12, ci_high=0.74, z=-2.6, p=0.0093, tau2=0.1234,
                      Q=1.5012, Q_df=1, Q_p=0.2206, I2=33.4, I2_revman=33.4, weight=100.0, studies=x)
    group_y = _fields(**common, k=0, weight=0.0, studies=y)
    return _fields(**common, k=2, estimate=0.3, ci_low=0.12, ci_high=0.74, z=-3.99, p=0.000066, tau2=0.3095,
                   tau2_ci_low=0.0123, tau2_ci_high=4.567, Q=2.5012, Q_df=1, Q_p=0.1138, I2=60.02, I2_revman=60.02,
                   pi_low=0.05, pi_high=1.9, studies=x + y, subgroup_column="alloc",
                   subgroups={"x": group_x, "y": group_y},
                   subgroup_test={"Q": 1.5312, "df": 1, "p": 0.2159, "I2": 34.71})


def test_risk_ratio_table_with_subgroups_line_by_line():
    # four arm columns of 8 (Events, Total); "Group 1"/"Group 2" centred over 16: 4 spaces left, 5 right
    total_events_blank = " " * 9 + "   "  # no weight (9 wide) and no interval after the 3 spaces
    assert format_table(_binary_result()).split("\n") == [
        "Risk Ratio (M-H, Random, 95% CI), τ² by DL",
        "Group 1 vs Group 2 (effects are Group 1 relative to Group 2)",
        "",
        " " * 19 + "    Group 1     " + "    Group 2     ",
        "Study or Subgroup  " "  Events   Total  Events   Total" "   Weight   Risk Ratio",
        "alloc: x",
        "  A                " "       4     123      11     139" "    30.0%   0.41 [0.13, 1.26]",
        "  B                " "       6     306      29     303" "    70.0%   0.20 [0.08, 0.49]",
        "  Subtotal (95% CI)" "             429             442" "   100.0%   0.30 [0.12, 0.74]",
        "  Total events     " "      10              40        " + total_events_blank,
        "  Heterogeneity: Tau² = 0.1234; Chi² = 1.50, df = 1 (P = 0.22); I² = 33%",
        "  Test for overall effect: Z = 2.60 (P = 0.009)",
        "",
        "alloc: y",
        "  C                " "       0     231       0     220" "     0.0%   Not estimable",
        "  Subtotal (95% CI)" "             231             220" "     0.0%   Not estimable",
        "  Total events     " "       0               0        " + total_events_blank,
        "  Heterogeneity: Not applicable",
        "  Test for overall effect: Not applicable",
        "",
        "Total (95% CI)     " "             660             662" "   100.0%   0.30 [0.12, 0.74]",
        "Total events       " "      10              40        " + total_events_blank,
        "Prediction interval: [0.05, 1.90]",
        "Heterogeneity: Tau² = 0.3095 [0.0123, 4.567]; Chi² = 2.50, df = 1 (P = 0.11); I² = 60%",
        "Test for overall effect: Z = 3.99 (P = 0.00007)",
        "Test for subgroup differences: Chi² = 1.53, df = 1 (P = 0.22), I² = 34.7%",
        "",
    ]


def test_subgroups_without_a_test_say_it_does_not_apply():
    result = _binary_result()
    result["subgroup_test"] = None
    assert format_table(result).split("\n")[-2] == "Test for subgroup differences: Not applicable"
    result["subgroups"] = None
    assert "subgroup differences" not in format_table(result)


GEN_RESULT = _fields(
    measure="GEN", method="IV", model="random", tau2_method="REML", ci_method="hksj", level=90.0, k=3,
    estimate=0.0321, ci_low=-0.0123, ci_high=0.0765, z=2.3123, p=0.1469, ci="hksj", tau2=0.00042, I2=41.2,
    I2_revman=35.4, Q=3.0961, Q_df=2, Q_p=0.2127, pi_low=-0.0456, pi_high=0.1098,
    studies=[_study("S1", {"yi": 0.05, "se": 0.01}, 40.0, 0.05, 0.0336, 0.0664),
             _study("S2", {"yi": -0.02, "se": 0.02}, 35.0, -0.02, -0.0529, 0.0129),
             _study("S3", {"yi": 0.061, "se": 0.025}, 25.0, 0.061, 0.0199, 0.1021)])


def test_generic_table_shows_only_the_columns_given_and_four_decimals_for_small_effects():
    # GEN: no arm header; columns yi ("Estimate": 9 wide) and se (8); no "Var" column since no study has vi
    assert format_table(GEN_RESULT).split("\n") == [
        "Estimate (IV, Random, 90% CI), Hartung–Knapp–Sidik–Jonkman, τ² by REML",
        "Group 1 vs Group 2 (effects are Group 1 relative to Group 2)",
        "",
        "Study or Subgroup  " " Estimate      SE" "   Weight   Estimate",
        "S1                 " "    0.050   0.010" "    40.0%   0.0500 [0.0336, 0.0664]",
        "S2                 " "   -0.020   0.020" "    35.0%   -0.0200 [-0.0529, 0.0129]",
        "S3                 " "    0.061   0.025" "    25.0%   0.0610 [0.0199, 0.1021]",
        "Total (90% CI)     " + " " * 17 + "   100.0%   0.0321 [-0.0123, 0.0765]",
        "Prediction interval: [-0.0456, 0.1098]",
        "Heterogeneity: Tau² = 0.00042; Chi² = 3.10, df = 2 (P = 0.21); I² = 35% (RevMan (Q−df)/Q); "
        "I² from τ² (metafor) = 41%",
        "Test for overall effect: t = 2.31, df = 2 (P = 0.15)",
        "",
    ]


def test_generic_table_with_variances_shows_the_var_column():
    result = dict(GEN_RESULT, studies=[dict(s, data={"yi": s["data"]["yi"], "vi": s["data"]["se"] ** 2})
                                       for s in GEN_RESULT["studies"]])
    header = format_table(result).split("\n")[3]
    assert header == "Study or Subgroup  " " Estimate     Var" "   Weight   Estimate"


def test_subtotal_label_of_a_non_integer_level_fits_the_study_column():
    # at 99.5 % the subtotal label "  Subtotal (99.5% CI)" is 21 characters: the study column must widen to it
    # so that the arm columns stay under their headings
    result = _binary_result()
    result["level"] = 99.5
    for group in result["subgroups"].values():
        group["level"] = 99.5
    lines = format_table(result).split("\n")
    header = next(line for line in lines if line.startswith("Study or Subgroup"))
    subtotal = next(line for line in lines if line.startswith("  Subtotal (99.5% CI)"))
    assert header.index("  Events") == len("  Subtotal (99.5% CI)")
    assert subtotal.index("429") + len("429") == header.index("Total") + len("Total")


def test_heterogeneity_line_names_both_i2_only_for_estimators_other_than_dl():
    group = _fields(k=3, tau2=0.25, Q=4.0, Q_df=2, Q_p=0.1353, I2_revman=50.0, I2=61.7, tau2_method="DL")
    assert heterogeneity_line(group) == "Heterogeneity: Tau² = 0.25; Chi² = 4.00, df = 2 (P = 0.14); I² = 50%"
    group["tau2_method"] = "PM"
    assert heterogeneity_line(group).endswith("; I² = 50% (RevMan (Q−df)/Q); I² from τ² (metafor) = 62%")
    assert heterogeneity_line(dict(group, k=1)) == "Heterogeneity: Not applicable"
    assert heterogeneity_line(dict(group, k=None)) == "Heterogeneity: Not applicable"


def test_overall_effect_line_prints_the_size_of_the_statistic():
    assert overall_effect_line({"z": -1.96, "p": 0.05, "ci": "z", "k": 5}) == \
        "Test for overall effect: Z = 1.96 (P = 0.05)"
    assert overall_effect_line({"z": 2.5, "p": 0.0667, "ci": "hksj", "k": 5}) == \
        "Test for overall effect: t = 2.50, df = 4 (P = 0.07)"
    assert overall_effect_line({"z": None, "p": None, "ci": "z", "k": 1}) == "Test for overall effect: Not applicable"


LEAVE_ONE_OUT_ROWS = [
    {"omitted": "A much longer name", "estimate": 0.612, "ci_low": 0.401, "ci_high": 0.934, "p": 0.02257,
     "tau2": 0.31234, "I2": 85.4},
    {"omitted": "B", "estimate": 0.456, "ci_low": 0.3, "ci_high": 0.69, "p": None, "tau2": None, "I2": None},
]


def test_leave_one_out_table_line_by_line():
    # study column: the longest omitted name (18) + 2 = 20; estimate [CI] left-aligned in 30; p (3 significant
    # digits), τ² (4) and I² right-aligned in 10, 10 and 7; a statistic that does not apply is left blank
    assert format_leave_one_out(MD_RESULT, LEAVE_ONE_OUT_ROWS).split("\n") == [
        "Leave-one-out (each study omitted in turn)",
        "Study omitted       " "Estimate [95% CI]             " "         p" "      Tau²" "     I²",
        "A much longer name  " "0.61 [0.40, 0.93]             " "    0.0226" "    0.3123" "    85%",
        "B                   " "0.46 [0.30, 0.69]             " "          " "          " "       ",
        "",
    ]


def test_leave_one_out_table_names_the_confidence_level_of_its_intervals():
    lines = format_leave_one_out(dict(MD_RESULT, level=90.0), LEAVE_ONE_OUT_ROWS[1:]).split("\n")
    assert lines[1].startswith("Study omitted  Estimate [90% CI]   ")


def test_leave_one_out_table_takes_four_decimals_for_small_effects():
    rows = [{"omitted": "S1", "estimate": 0.0312, "ci_low": 0.0101, "ci_high": 0.0523, "p": 0.0037, "tau2": 0.0,
             "I2": 0.0}]
    lines = format_leave_one_out(GEN_RESULT, rows).split("\n")
    assert lines[2] == "S1             " "0.0312 [0.0101, 0.0523]       " "    0.0037" "         0" "     0%"


SMALL_STUDY = {
    "k": 13,
    "egger": {"statistic": -0.8234, "test": "z", "df": None, "p": 0.4103, "model": "random (DL)"},
    "egger_classic": {"t": -1.2347, "df": 11, "p": 0.2427},
    "begg": {"tau": 0.05128, "p": 0.8548},
    "fail_safe_n": {"n": 598, "p": 0.0000001, "alpha": 0.05},
    "trim_and_fill": {"k0": 2, "side": "right", "estimate": 0.612, "ci_low": 0.4, "ci_high": 0.9367},
}


def test_small_study_tests_one_line_each():
    assert format_small_study_tests(MD_RESULT, SMALL_STUDY).split("\n") == [
        "Small-study effects (k = 13)",
        "Egger's regression test (random (DL) model, SE as predictor): z = -0.82 (P = 0.41); classical weighted "
        "regression: t = -1.23, df = 11 (P = 0.24)",
        "Begg's rank correlation test: Kendall's tau = 0.051 (P = 0.85)",
        "Rosenthal's fail-safe N: 598 (one-sided alpha = 0.05; combined P < 0.00001)",
        "Trim-and-fill (L0): 2 studies imputed on the right; adjusted estimate 0.61 [0.40, 0.94]",
        "",
    ]


def test_small_study_tests_give_the_t_tests_degrees_of_freedom():
    tests = dict(SMALL_STUDY, egger=dict(SMALL_STUDY["egger"], test="t", df=11, statistic=2.5))
    line = format_small_study_tests(GEN_RESULT, tests).split("\n")[1]
    assert line.startswith("Egger's regression test (random (DL) model, SE as predictor): "
                           "t = 2.50, df = 11 (P = 0.41);")
    assert format_small_study_tests(GEN_RESULT, tests).split("\n")[4].endswith(
        "adjusted estimate 0.6120 [0.4000, 0.9367]")


def test_std_mean_difference_table_prints_arm_cells_with_at_most_four_decimals():
    study = _study("Ann 2001", {"n1": 25, "mean1": 2.123456, "sd1": 1, "n2": 25, "mean2": 1.85, "sd2": 1.2},
                   100.0, 0.15, -0.46, 0.76)
    lines = format_table(dict(MD_RESULT, measure="SMD", studies=[study])).split("\n")
    assert lines[0] == "Std. Mean Difference (IV, Fixed, 95% CI)"
    assert lines[4] == ("Study or Subgroup  " "    Mean      SD   Total    Mean      SD   Total"
                        "   Weight   Std. Mean Difference")
    # 2.123456 is shown as entered up to 4 decimals: 2.1235
    assert lines[5] == ("Ann 2001           " "  2.1235       1      25    1.85     1.2      25"
                        "   100.0%   0.15 [-0.46, 0.76]")


@pytest.mark.parametrize("estimate,low,high,printed", [
    (0.03, -0.12, 0.09, "0.03 [0.01, 0.05]"),     # the lower bound alone reaches 0.1 in size: 2 decimals
    (-0.03, -0.09, 0.12, "0.03 [0.01, 0.05]"),    # the upper bound alone
    (0.05, 0.0, 0.1, "0.03 [0.01, 0.05]"),        # exactly 0.1 is not below 0.1
    (0.05, 0.0, 0.0999, "0.0310 [0.0100, 0.0500]"),  # everything below 0.1: 4 decimals
])
def test_intervals_take_four_decimals_only_when_the_pooled_interval_is_below_0_1(estimate, low, high, printed):
    result = dict(MD_RESULT, estimate=estimate, ci_low=low, ci_high=high)
    rows = [{"omitted": "S", "estimate": 0.031, "ci_low": 0.01, "ci_high": 0.05, "p": 0.5, "tau2": None, "I2": None}]
    line = format_leave_one_out(result, rows).split("\n")[2]
    assert line[len("Study omitted  "):].startswith(printed + "  ")
