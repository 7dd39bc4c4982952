"""Each GRADE proposal rule at its thresholds, on both sides (sysrev/grade/rules.py, docs/grade.md)."""

import pytest

from sysrev.grade import rules

# ---------------------------------------------------------------- risk of bias (GRADE 4, Handbook 12.2.d)


def test_risk_of_bias_most_weight_low_risk_is_not_serious():
    # 50.1% of the weight at low risk: "most information" is from low-risk studies
    p = rules.risk_of_bias({"A": 50.1, "B": 49.9}, {"A": "low", "B": "high"})
    assert p.rating == "not serious"


def test_risk_of_bias_exactly_half_low_risk_is_serious():
    # 50% is not "most": the other half has some concerns
    p = rules.risk_of_bias({"A": 50.0, "B": 50.0}, {"A": "low", "B": "some concerns"})
    assert p.rating == "serious"
    assert "low risk 50%" in p.reasons[0] and "some concerns 50%" in p.reasons[0]


def test_risk_of_bias_half_at_high_risk_is_serious_not_very_serious():
    p = rules.risk_of_bias({"A": 50.0, "B": 50.0}, {"A": "some concerns", "B": "high"})
    assert p.rating == "serious"


def test_risk_of_bias_most_weight_high_risk_is_very_serious():
    p = rules.risk_of_bias({"A": 49.0, "B": 51.0}, {"A": "low", "B": "high"})
    assert p.rating == "very serious"


def test_risk_of_bias_weights_need_not_sum_to_100():
    # shares are taken of the total weight: 3 of 4 units at low risk = 75%
    p = rules.risk_of_bias({"A": 3.0, "B": 1.0}, {"A": "low", "B": "high"})
    assert p.rating == "not serious" and "low risk 75%" in p.reasons[0]


def test_risk_of_bias_unassessed_study_with_weight_is_pending():
    p = rules.risk_of_bias({"A": 60.0, "B": 40.0}, {"A": "low"})
    assert p.rating is None and "B" in p.pending[0]


def test_risk_of_bias_unassessed_study_without_weight_does_not_block():
    p = rules.risk_of_bias({"A": 100.0, "B": 0.0}, {"A": "low"})
    assert p.rating == "not serious"


# ---------------------------------------------------------------- inconsistency (GRADE 7, Handbook 10.10.2)

APART = [(-2.0, -1.0), (0.5, 1.5)]   # two CIs on opposite sides of 0, not overlapping
TOGETHER = [(-1.0, 0.5), (-0.5, 1.0)]


def test_inconsistency_i2_just_below_50_is_not_serious_even_with_signals():
    p = rules.inconsistency(2, 49.9, 0.01, APART[:1] + [(-0.9, -0.5)], null=0.0)
    assert p.rating == "not serious"


def test_inconsistency_i2_50_with_low_p_is_serious():
    p = rules.inconsistency(3, 50.0, 0.09, TOGETHER, null=0.0)
    assert p.rating == "serious"


def test_inconsistency_i2_50_with_p_010_and_overlap_is_not_serious():
    p = rules.inconsistency(3, 50.0, 0.10, TOGETHER, null=0.0)
    assert p.rating == "not serious"


def test_inconsistency_i2_50_with_non_overlapping_cis_is_serious():
    p = rules.inconsistency(2, 60.0, 0.2, [(-2.0, -1.0), (-0.9, 0.5)], null=0.0)
    assert p.rating == "serious" and "some study CIs do not overlap" in p.reasons


def test_inconsistency_i2_75_with_opposite_directions_is_very_serious():
    p = rules.inconsistency(2, 75.0, 0.001, APART, null=0.0)
    assert p.rating == "very serious"


def test_inconsistency_i2_below_75_with_opposite_directions_is_serious():
    p = rules.inconsistency(2, 74.9, 0.001, APART, null=0.0)
    assert p.rating == "serious"


def test_inconsistency_ratio_null_is_one():
    # CIs (0.5, 0.8) and (1.2, 2) lie on opposite sides of RR 1
    p = rules.inconsistency(2, 80.0, 0.001, [(0.5, 0.8), (1.2, 2.0)], null=1.0)
    assert p.rating == "very serious"


def test_inconsistency_single_study():
    assert rules.inconsistency(1, None, None, [(-1, 1)], null=0.0).rating == "not serious"


def test_inconsistency_reports_prediction_interval_crossing_no_effect():
    p = rules.inconsistency(3, 60.0, 0.01, TOGETHER, null=0.0, pooled_ci=(-0.5, -0.1), prediction=(-1.5, 0.7))
    assert any("includes no effect although the CI excludes it" in r for r in p.reasons)


# ---------------------------------------------------------------- imprecision (GRADE 6, GRADE 34)


def test_imprecision_continuous_without_mid_is_pending():
    p = rules.imprecision("MD", -1.0, (-2.0, 0.5), None, 200, None)
    assert p.rating is None and "mid" in p.pending[0]


@pytest.mark.parametrize("ci, expected", [
    ((-0.49, 0.49), "not serious"),   # wholly between -0.5 and 0.5: little or no difference
    ((-0.5, 0.5), "not serious"),     # limits on the thresholds do not cross them
    ((-0.51, 0.3), "serious"),        # crosses -0.5 only
    ((-0.51, 0.51), "very serious"),  # crosses both MIDs
    ((-2.0, -0.5), "not serious"),    # beyond the lower MID: an important effect
    ((-2.0, -0.49), "serious"),       # crosses -0.5
])
def test_imprecision_ci_against_mid(ci, expected):
    p = rules.imprecision("SMD", sum(ci) / 2, ci, 0.5, total_n=10_000, ois=100, ois_text="test")
    assert p.rating == expected


def test_imprecision_ratio_default_thresholds_are_075_and_125():
    assert rules.imprecision("RR", 0.6, (0.5, 0.75), None, 10_000, 100).rating == "not serious"
    assert rules.imprecision("RR", 0.6, (0.5, 0.76), None, 10_000, 100).rating == "serious"
    assert rules.imprecision("RR", 0.99, (0.49, 1.99), None, 10_000, 100).rating == "very serious"
    assert rules.imprecision("OR", 1.0, (0.76, 1.24), None, 10_000, 100).rating == "not serious"


def test_imprecision_ratio_mid_sets_the_thresholds():
    # mid RR 0.90 -> thresholds 0.90 and 1 / 0.90 = 1.11: CI 0.80-0.95 crosses 0.90
    p = rules.imprecision("RR", 0.87, (0.80, 0.95), 0.90, 10_000, 100)
    assert p.rating == "serious" and "thresholds 0.9 and 1.11" in p.reasons[0]
    # a mid given above 1 is the same pair of thresholds: 1 / 1.25 = 0.8 and 1.25
    assert rules.thresholds_for("RR", 1.25)[0] == pytest.approx([0.8, 1.0, 1.25])
    assert rules.thresholds_for("RR", 0.8)[0] == pytest.approx([0.8, 1.0, 1.25])


def test_difference_mid_sign_does_not_matter():
    assert rules.thresholds_for("MD", -0.5)[0] == rules.thresholds_for("MD", 0.5)[0] == [-0.5, 0.0, 0.5]


def test_imprecision_ois_decides_when_no_threshold_is_crossed():
    at = rules.imprecision("MD", -5.0, (-8.0, -3.0), 2.0, total_n=400, ois=400, ois_text="x")
    below = rules.imprecision("MD", -5.0, (-8.0, -3.0), 2.0, total_n=399, ois=400, ois_text="x")
    assert at.rating == "not serious"
    assert below.rating == "serious" and "not met" in below.reasons[-1]


def test_imprecision_ois_does_not_add_to_a_crossing():
    p = rules.imprecision("MD", -1.0, (-3.0, 1.0), 2.0, total_n=10, ois=400)
    assert p.rating == "serious"


# ---------------------------------------------------------------- publication bias (GRADE 5, Handbook 13.3.5.4)


def test_publication_bias_fewer_than_10_studies_is_not_tested():
    p = rules.publication_bias(9, 0.001)
    assert p.rating == "undetected" and "too few" in p.reasons[0]


def test_publication_bias_egger_at_10_studies():
    assert rules.publication_bias(10, 0.099).rating == "strongly suspected"
    assert rules.publication_bias(10, 0.10).rating == "undetected"


# ---------------------------------------------------------------- large effect (GRADE 9)


@pytest.mark.parametrize("rr, expected", [
    (1.99, "no"), (2.0, "large"), (0.5, "large"), (0.51, "no"), (4.99, "large"), (5.0, "very large"),
    (0.2, "very large"), (0.21, "large"),
])
def test_large_effect_thresholds(rr, expected):
    assert rules.large_effect("RR", rr).rating == expected


def test_large_effect_has_no_rule_for_differences():
    assert rules.large_effect("MD", -3.0).rating is None


@pytest.mark.parametrize("absolute_mid, expected", [
    (4.0, "not serious"),   # difference -10 to -5 per 1,000 lies beyond -4: an important effect
    (10.0, "not serious"),  # -10 sits on the threshold: between -10 and 10, little or no difference
    (8.0, "serious"),       # crosses -8
])
def test_imprecision_absolute_threshold_for_ratios(absolute_mid, expected):
    # relative CI 0.34-0.70 lies wholly below 0.75: not serious on the relative scale
    p = rules.imprecision("RR", 0.49, (0.34, 0.70), None, 10_000, 100, absolute=(-10.0, -5.0),
                          absolute_mid=absolute_mid)
    assert p.rating == expected
    assert any("absolute_mid" in r for r in p.reasons)
