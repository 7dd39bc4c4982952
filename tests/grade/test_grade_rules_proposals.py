"""Every GRADE rule's whole proposal — domain, rating, reasons and pending items — on each branch and at each
boundary (sysrev/grade/rules.py). The reasons are what the GRADE file and the Summary of findings table show a
review team, so they are checked word for word; test_grade_rules.py checks the ratings at the thresholds."""

import pytest

from sysrev.grade import rules
from sysrev.grade.rules import Proposal

# ---------------------------------------------------------------- risk of bias


def test_risk_of_bias_proposals_in_full():
    assert rules.risk_of_bias({"A": 60.0, "B": 40.0}, {"A": "low", "B": "high"}) == Proposal(
        "risk_of_bias", "not serious",
        ["weight in studies at low risk 60%, some concerns 0%, high risk 40% (RoB 2 overall judgements)",
         "most of the information (> 50% of the weight) is from studies at low risk of bias"])
    assert rules.risk_of_bias({"A": 40.0, "B": 60.0}, {"A": "some concerns", "B": "high"}) == Proposal(
        "risk_of_bias", "very serious",
        ["weight in studies at low risk 0%, some concerns 40%, high risk 60% (RoB 2 overall judgements)",
         "most of the information (> 50% of the weight) is from studies at high risk of bias"])
    assert rules.risk_of_bias({"A": 50.0, "B": 50.0}, {"A": "low", "B": "high"}) == Proposal(
        "risk_of_bias", "serious",
        ["weight in studies at low risk 50%, some concerns 0%, high risk 50% (RoB 2 overall judgements)",
         "half or more of the weight is from studies at high risk or with some concerns"])
    assert rules.risk_of_bias({"B": 10.0, "A": 90.0}, {}) == Proposal(
        "risk_of_bias", None, pending=["no complete RoB 2 assessment for this outcome of A, B (analysis/rob2/; "
                                       "`sysrev rob new STUDY OUTCOME`)"])


def test_risk_of_bias_with_no_weight_at_all_is_not_a_division_by_zero():
    p = rules.risk_of_bias({"A": 0.0}, {"A": "low"})
    assert p.rating == "serious" and p.reasons[0].startswith("weight in studies at low risk 0%")


@pytest.mark.parametrize("share, text", [(33.333, "33.3%"), (66.96, "67%"), (12.04, "12%"), (12.06, "12.1%")])
def test_risk_of_bias_shares_are_whole_percentages_unless_a_tenth_matters(share, text):
    p = rules.risk_of_bias({"A": share, "B": 100 - share}, {"A": "low", "B": "high"})
    assert p.reasons[0].startswith(f"weight in studies at low risk {text},")


# ---------------------------------------------------------------- inconsistency

APART = [(-2.0, -1.0), (0.5, 1.5)]  # on opposite sides of 0, not overlapping
TOGETHER = [(-1.0, 0.5), (-0.5, 1.0)]


def test_inconsistency_proposals_in_full():
    assert rules.inconsistency(1, None, None, [(-1.0, 1.0)], 0.0) == Proposal(
        "inconsistency", "not serious",
        ["a single study: there is no between-study inconsistency to assess (the team may still judge a single "
         "trial's results inconsistent across settings)"])
    assert rules.inconsistency(3, None, 0.2, TOGETHER, 0.0) == Proposal(
        "inconsistency", None, pending=["I² is not available for these 3 studies: judge inconsistency from their "
                                        "results (the forest plot) and set this domain's `final`, with a "
                                        "justification"])
    assert rules.inconsistency(2, 80.0, 0.0004, APART, 0.0, (-1.5, 1.0), (-4.0, 3.5)) == Proposal(
        "inconsistency", "very serious",
        ["I² = 80%, test of heterogeneity p < 0.001", "some study CIs do not overlap",
         "1 studies show an effect below and 1 above no effect, each with a CI that excludes it",
         "prediction interval -4 to 3.5",
         "I² ≥ 75% (considerable) with studies on opposite sides of no effect"])
    assert rules.inconsistency(2, 60.0, 0.04, TOGETHER, 0.0, (0.1, 0.9), (-0.3, 1.3)) == Proposal(
        "inconsistency", "serious",
        ["I² = 60%, test of heterogeneity p = 0.040", "all study CIs overlap",
         "prediction interval -0.3 to 1.3 includes no effect although the CI excludes it",
         "I² ≥ 50% (substantial) with a heterogeneity test at p < 0.10 or non-overlapping CIs"])
    assert rules.inconsistency(2, 30.0, None, TOGETHER, 0.0) == Proposal(
        "inconsistency", "not serious", ["I² = 30%", "all study CIs overlap", "I² below 50%"])
    assert rules.inconsistency(2, 50.0, 0.25, TOGETHER, 0.0) == Proposal(
        "inconsistency", "not serious",
        ["I² = 50%, test of heterogeneity p = 0.25", "all study CIs overlap",
         "I² ≥ 50% but heterogeneity test p ≥ 0.10 and overlapping CIs"])


def test_cis_touching_at_one_value_overlap():
    p = rules.inconsistency(2, 60.0, 0.5, [(-1.0, 0.2), (0.2, 1.0)], 0.0)
    assert p.rating == "not serious" and "all study CIs overlap" in p.reasons


def test_a_ci_ending_exactly_at_no_effect_is_on_neither_side():
    """A study whose CI reaches no effect does not exclude it: no opposite-direction results."""
    p = rules.inconsistency(2, 80.0, 0.001, [(-2.0, 0.0), (0.0, 2.0)], 0.0)
    assert p.rating == "serious" and not any("show an effect below" in r for r in p.reasons)
    for cis in ([(-2.0, 0.0), (0.5, 2.0)], [(-2.0, -0.5), (0.0, 2.0)]):  # one side clear, the other touching
        assert rules.inconsistency(2, 80.0, 0.001, cis, 0.0).rating == "serious", cis


@pytest.mark.parametrize("prediction, pooled, says_includes", [
    ((0.0, 2.0), (0.5, 1.5), False),   # a limit on no effect: the interval does not cross it
    ((-1.0, 0.0), (0.5, 1.5), False),
    ((-1.0, 2.0), (0.0, 1.5), True),  # a pooled CI limit on no effect does not cross it (as GRADE 34 reads limits)
    ((-1.0, 2.0), (-0.5, 0.0), True),
    ((-1.0, 2.0), (-0.1, 1.5), False),
    ((-1.0, 2.0), (0.1, 1.5), True),
])
def test_the_prediction_interval_note_at_its_boundaries(prediction, pooled, says_includes):
    p = rules.inconsistency(2, 30.0, None, TOGETHER, 0.0, pooled, prediction)
    note = next(r for r in p.reasons if r.startswith("prediction interval"))
    assert note.endswith("includes no effect although the CI excludes it") == says_includes


def test_a_prediction_interval_without_limits_is_not_reported():
    p = rules.inconsistency(2, 30.0, None, TOGETHER, 0.0, (0.1, 0.5), (None, None))
    assert not any(r.startswith("prediction interval") for r in p.reasons)


# ---------------------------------------------------------------- imprecision


def test_imprecision_proposals_in_full():
    assert rules.imprecision("MD", -1.0, (-2.0, 0.5), None, 100, None) == Proposal(
        "imprecision", None, pending=["mid (the minimal important difference) is not set for this analysis in "
                                      "analyses.toml"])
    assert rules.imprecision("MD", -1.0, (-2.5, 1.5), 1.0, 120, 400, "α 0.05, power 0.8, SD 2") == Proposal(
        "imprecision", "very serious",
        ["CI -2.5 to 1.5; thresholds -1 and 1 either side of no effect (0), from mid = 1 (analyses.toml), "
         "either side of no effect",
         "the CI crosses both thresholds: it includes important benefit and important harm",
         "120 participants against an optimal information size of 400 (α 0.05, power 0.8, SD 2): not met"])
    assert rules.imprecision("RR", 0.8, (0.6, 0.95), None, 900, 800, "risks 10% and 7.5%",
                             "12 fewer per 1,000") == Proposal(
        "imprecision", "serious",
        ["CI 0.6 to 0.95; thresholds 0.75 and 1.25 either side of no effect (1), from no mid set: GRADE 6's "
         "rough guide RR 0.75 / 1.25", "12 fewer per 1,000",
         "the CI crosses the threshold 0.75: it includes an important and an unimportant effect",
         "900 participants against an optimal information size of 800 (risks 10% and 7.5%): met"])
    assert rules.imprecision("SMD", 0.05, (-0.1, 0.2), -0.5, 50, None) == Proposal(
        "imprecision", "not serious",
        ["CI -0.1 to 0.2; thresholds -0.5 and 0.5 either side of no effect (0), from mid = -0.5 (analyses.toml), "
         "either side of no effect",
         "the whole CI lies between the two thresholds: little or no difference",
         "optimal information size not computed (its inputs are not set)"])
    assert rules.imprecision("RR", 0.5, (0.4, 0.6), 0.8, 90, 100, "risks 20% and 10%").rating == "serious"


def test_imprecision_thresholds_exactly_on_a_limit_are_not_crossed():
    # GRADE 34: a limit on a threshold does not cross it — the CI lies between (or beyond) the thresholds
    between = rules.imprecision("MD", 0.0, (-1.0, 1.0), 1.0, 10, None, "no SD")
    assert between.rating == "not serious"
    assert between.reasons[1] == "the whole CI lies between the two thresholds: little or no difference"
    assert between.reasons[2] == "optimal information size not computed (no SD)"
    beyond = rules.imprecision("MD", 2.0, (1.0, 3.0), 1.0, 10, 5, "n")
    assert beyond.reasons[1] == "the whole CI lies beyond one threshold: an important effect"
    assert beyond.rating == "not serious"


def test_thresholds_of_every_ratio_measure():
    assert rules.thresholds_for("PETO", None) == ([0.75, 1.0, 1.25], "no mid set: GRADE 6's rough guide RR 0.75 / "
                                                                     "1.25")
    assert rules.thresholds_for("RR", 1)[0] == [0.75, 1.0, 1.25]  # a mid of 1 is no difference: the default
    assert rules.thresholds_for("OR", 2.0) == ([0.5, 1.0, 2.0], "mid = 2 (analyses.toml), and its inverse")
    assert rules.thresholds_for("MD", 0) is None and rules.thresholds_for("RD", None) is None


def test_imprecision_ratio_mid_and_its_inverse():
    p = rules.imprecision("OR", 0.9, (0.85, 1.1), 1.25, 10, None)
    assert p.reasons[0] == ("CI 0.85 to 1.1; thresholds 0.8 and 1.25 either side of no effect (1), from "
                            "mid = 1.25 (analyses.toml), and its inverse")
    assert p.rating == "not serious"


def test_imprecision_absolute_judgement_only_ever_makes_it_worse():
    relative_serious = rules.imprecision("RR", 0.8, (0.6, 0.95), None, 10, None, absolute=(-5.0, -1.0),
                                         absolute_mid=10.0)
    assert relative_serious.rating == "serious"
    assert relative_serious.reasons[2] == ("absolute effect per 1,000 against ±10 (absolute_mid, analyses.toml): "
                                           "the whole CI lies between the two thresholds: little or no difference")
    worse = rules.imprecision("RR", 0.8, (0.6, 0.95), None, 10, None, absolute=(-30.0, 20.0), absolute_mid=10.0)
    assert worse.rating == "very serious"


@pytest.mark.parametrize("x, text", [(999.4, "999"), (1000.0, "1000"), (1234.6, "1235"), (0.012345, "0.0123")])
def test_numbers_in_reasons(x, text):
    p = rules.imprecision("MD", x, (x, x), 1e9, 10, None)
    assert p.reasons[0].startswith(f"CI {text} to {text};")


# ---------------------------------------------------------------- publication bias


def test_publication_bias_proposals_in_full():
    assert rules.publication_bias(9, 0.001) == Proposal(
        "publication_bias", "undetected",
        ["9 studies: too few for a funnel-plot asymmetry test (needs ≥ 10, Cochrane Handbook 13.3.5.4); consider "
         "the other signs of GRADE 5 (only small, commercially funded studies)"])
    assert rules.publication_bias(10, None) == Proposal(
        "publication_bias", None, pending=["Egger's test could not be computed"])
    assert rules.publication_bias(12, 0.0999) == Proposal(
        "publication_bias", "strongly suspected",
        ["Egger's test of funnel-plot asymmetry over 12 studies: p = 0.100",
         "p < 0.10: small-study effects, possibly publication bias"])
    assert rules.publication_bias(12, 0.1) == Proposal(
        "publication_bias", "undetected",
        ["Egger's test of funnel-plot asymmetry over 12 studies: p = 0.10",
         "p ≥ 0.10: no evidence of funnel-plot asymmetry"])


@pytest.mark.parametrize("p, text", [(0.0009, "p < 0.001"), (0.001, "p = 0.001"), (0.05, "p = 0.050"),
                                     (0.1, "p = 0.10"), (0.456, "p = 0.46")])
def test_p_values_in_reasons(p, text):
    assert rules.publication_bias(10, p).reasons[0].endswith(text)


# ---------------------------------------------------------------- large effect


def test_large_effect_proposals_in_full():
    assert rules.large_effect("MD", 3.0) == Proposal(
        "large_effect", None, pending=["no rule for a difference measure: the team judges whether the effect is "
                                       "large"])
    assert rules.large_effect("RR", None) == Proposal("large_effect", None, pending=["no pooled estimate"])
    assert rules.large_effect("RR", 0.2) == Proposal(
        "large_effect", "very large", ["RR 0.2: a 5-fold change (≥ 5-fold: GRADE 9)"])
    assert rules.large_effect("OR", 2.0) == Proposal(
        "large_effect", "large", ["OR 2: a 2-fold change (≥ 2-fold: GRADE 9)"])
    assert rules.large_effect("PETO", 0.6) == Proposal(
        "large_effect", "no", ["PETO 0.6: a 1.7-fold change (< 2-fold)"])
