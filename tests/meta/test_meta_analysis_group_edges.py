"""Edges of :func:`sysrev.meta.analysis.analyse_group` and :func:`sysrev.meta.meta_analysis` that the mutation
run found unguarded: one study, a part of the table without an estimable study, the per-study rows, and the
errors a reviewer reads. Expected values by hand or from metafor 3.8-1 (R code in the comments).
"""

import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sysrev.errors import SysrevError
from sysrev.meta import meta_analysis
from sysrev.meta.analysis import analyse_group
from sysrev.meta.inputs import read_study_table
from sysrev.meta.settings import Settings
from sysrev.meta.study_effects import StudyEffects

Z95 = stats.norm.isf(0.025)


def _binary(rows, groups=None):
    frame = pd.DataFrame(rows, columns=["study", "events1", "n1", "events2", "n2"])
    return frame if groups is None else frame.assign(group=groups)


NOT_APPLICABLE_FOR_ONE_STUDY = ("tau2", "tau2_ci_low", "tau2_ci_high", "Q_p", "I2", "I2_revman", "H2", "pi_low",
                                "pi_high")


@pytest.mark.parametrize("model", ["fixed", "random"])
def test_one_study_reports_its_own_estimate_and_no_heterogeneity(model):
    # one study pooled is that study: y = 0.3, se = √0.04 = 0.2, CI 0.3 ± 1.96·0.2, Q = 0 with 0 df; τ², I², H²,
    # Q's P and the prediction interval do not apply (docs/meta.md, Subgroups), in the Python API as in the JSON
    frame = pd.DataFrame({"study": ["A"], "yi": [0.3], "vi": [0.04]})
    result = meta_analysis(frame, "GEN", model=model)
    overall = result.overall
    assert overall.estimate == pytest.approx(0.3, rel=1e-14)
    assert (overall.ci_low, overall.ci_high) == pytest.approx((0.3 - Z95 * 0.2, 0.3 + Z95 * 0.2), rel=1e-14)
    assert overall.Q == 0 and overall.Q_df == 0
    assert {name: getattr(overall, name) for name in NOT_APPLICABLE_FOR_ONE_STUDY} == dict.fromkeys(
        NOT_APPLICABLE_FOR_ONE_STUDY)
    as_json = result.to_dict()
    assert {name: as_json[name] for name in NOT_APPLICABLE_FOR_ONE_STUDY} == dict.fromkeys(
        NOT_APPLICABLE_FOR_ONE_STUDY)


def test_mantel_haenszel_random_effects_of_one_study_is_the_study_itself():
    # RevMan's "M-H, Random" with one study: no τ² (0, not estimated), inverse-variance pooling of the study's own
    # estimate. zero="metafor" gives that estimate the 0.5 correction (escalc) while MH's Q uses the raw counts,
    # so Q > 0 here. By hand: RD = 0.5/21 − 4.5/21 = −4/21, v = (0.5·20.5 + 4.5·16.5)/21³.
    # rma(measure="RD", ai=0, n1i=20, ci=4, n2i=20, method="DL"): -0.19047619047619047, se 0.09552112140510452,
    # CI -0.37769414819307334 to -0.0032582327593075888, tau2 0
    result = meta_analysis(_binary([("A", 0, 20, 4, 20)]), "RD", method="MH", model="random", zero="metafor")
    se = math.sqrt((0.5 * 20.5 + 4.5 * 16.5) / 21**3)
    assert se == pytest.approx(0.09552112140510452, rel=1e-12)
    overall = result.overall
    assert overall.estimate == pytest.approx(-4 / 21, rel=1e-12)
    assert overall.se == pytest.approx(se, rel=1e-12)
    assert (overall.ci_low, overall.ci_high) == pytest.approx((-0.37769414819307334, -0.0032582327593075888),
                                                              rel=1e-10)
    assert overall.tau2 is None


def test_mantel_haenszel_on_counts_without_a_per_study_estimate_has_no_q():
    # metafor's MH risk difference pools double-zero studies on their raw counts: RD 0 with SE 0 (Sato's variance
    # has nothing to add up), but no study has an estimate of its own, so there is no heterogeneity statistic
    # (metafor prints Q(df = 0) = 0; sysrev reports no Q and no df, never df = k − 1 = −1).
    # rma.mh(ai=c(0,0), n1i=c(10,20), ci=c(0,0), n2i=c(10,30), measure="RD"): estimate 0, se 0, CI 0 to 0
    result = meta_analysis(_binary([("A", 0, 10, 0, 10), ("B", 0, 20, 0, 30)]), "RD", method="MH",
                           zero="metafor")
    overall = result.overall
    assert overall.k == 0 and overall.k_total == 2
    assert (overall.estimate, overall.se, overall.ci_low, overall.ci_high) == (0.0, 0.0, 0.0, 0.0)
    assert overall.Q is None and overall.Q_df is None
    assert result.to_dict()["Q_df"] is None


@pytest.mark.parametrize("measure,beta,se", [
    # rma.mh(ai=c(3,5), n1i=c(20,20), ci=c(6,7), n2i=c(20,20), measure="OR"): -0.65988995880346302, 0.52202110509086785
    ("OR", -0.65988995880346302, 0.52202110509086785),
    # the same with measure="RR": -0.48550781578170077, 0.38853769245922393
    ("RR", -0.48550781578170077, 0.38853769245922393),
])
def test_a_mantel_haenszel_subgroup_of_double_zero_studies_on_raw_counts_is_not_estimable(measure, beta, se):
    # docs/meta.md: a subgroup without an estimable study is reported not estimable and the others are analysed.
    # With zero="metafor" MH pools raw counts, whose sums are 0 for double-zero studies (metafor: NA); it used to
    # stop the whole analysis ("the Mantel–Haenszel odds ratio cannot be estimated") instead.
    # The overall MH estimate over all four rows equals subgroup x's (double zeros add 0 to both MH sums):
    # rma.mh(ai=c(3,5,0,0), n1i=c(20,20,30,30), ci=c(6,7,0,0), n2i=c(20,20,30,30), measure=...) gives the same.
    frame = _binary([("A", 3, 20, 6, 20), ("B", 5, 20, 7, 20), ("C", 0, 30, 0, 30), ("D", 0, 30, 0, 30)],
                    ["x", "x", "y", "y"])
    result = meta_analysis(frame, measure, method="MH", zero="metafor", subgroup="group")
    empty = result.subgroups["y"]
    assert empty.k == 0 and empty.k_total == 2 and empty.estimate is None and empty.se is None
    assert [row.weight for row in empty.studies] == [0.0, 0.0]
    x = result.subgroups["x"]
    assert (x.estimate, x.se) == pytest.approx((beta, se), rel=1e-10)
    assert (result.overall.estimate, result.overall.se) == pytest.approx((beta, se), rel=1e-10)
    assert result.subgroup_test is None  # one subgroup with an estimate: nothing to compare


def test_a_not_estimable_study_row_has_no_estimate_in_the_python_api():
    # a double-zero OR study (inverse variance): yi, vi, its estimate and CI are all None (JSON null), weight 0
    frame = _binary([("A", 3, 20, 6, 20), ("B", 5, 20, 7, 20), ("C", 0, 30, 0, 30)])
    row = meta_analysis(frame, "OR", method="IV").overall.studies[2]
    assert (row.study, row.yi, row.vi, row.estimate, row.ci_low, row.ci_high, row.weight) == (
        "C", None, None, None, None, None, 0.0)


def test_a_study_is_shown_with_an_estimate_only_when_both_its_effect_and_variance_are_finite():
    # StudyEffects.estimable is "yi and vi finite"; the per-study rows follow the same rule, so a study whose
    # variance overflowed (an absurd SE of 1e200 squares to inf) is shown without an estimate, like the pooling
    # leaves it out. The other two are pooled: weights 1/0.04 and 1/0.09 → 9/13 and 4/13.
    settings = Settings.resolve("GEN")
    table = read_study_table(pd.DataFrame({"study": ["A", "B", "C"], "yi": [0.1, 0.5, 0.3],
                                           "vi": [0.04, 0.09, 0.01]}), "GEN")
    effects = StudyEffects(table, np.array([0.1, 0.5, 0.3]), np.array([0.04, 0.09, np.inf]))
    group = analyse_group(effects, settings)
    assert group.k == 2 and group.estimate == pytest.approx((0.1 * 25 + 0.5 / 0.09) / (25 + 1 / 0.09), rel=1e-12)
    rows = group.studies
    assert (rows[2].yi, rows[2].vi, rows[2].estimate, rows[2].ci_low, rows[2].ci_high, rows[2].weight) == (
        None, None, None, None, None, 0.0)
    assert [row.weight for row in rows[:2]] == pytest.approx([100 * 9 / 13, 100 * 4 / 13], rel=1e-12)


def test_analyse_group_without_study_rows_has_none_but_the_same_statistics():
    # leave-one-out reads only the pooled statistics: study_rows=False skips the per-study rows
    settings = Settings.resolve("GEN")
    table = read_study_table(pd.DataFrame({"study": ["A", "B"], "yi": [0.1, 0.5], "vi": [0.04, 0.09]}), "GEN")
    effects = StudyEffects(table, np.array([0.1, 0.5]), np.array([0.04, 0.09]))
    without = analyse_group(effects, settings, study_rows=False)
    assert without.studies == []
    assert without.estimate == pytest.approx((0.1 / 0.04 + 0.5 / 0.09) / (1 / 0.04 + 1 / 0.09), rel=1e-12)
    assert [row.study for row in analyse_group(effects, settings).studies] == ["A", "B"]


def test_an_analysis_without_a_subgroup_column_has_no_subgroup_test():
    result = meta_analysis(pd.DataFrame({"study": ["A", "B"], "yi": [0.1, 0.5], "vi": [0.04, 0.09]}), "GEN")
    assert result.subgroups is None and result.subgroup_test is None and result.subgroup_column is None


def test_no_estimable_study_at_all_is_an_error_saying_why_in_full():
    # inverse-variance OR of double-zero studies only: nothing to pool
    frame = _binary([("A", 0, 20, 0, 20), ("B", 0, 30, 0, 25)])
    message = ("no study has an estimable effect (every study has no events, or only events, in both arms)")
    with pytest.raises(SysrevError, match=f"^{re.escape(message)}$"):
        meta_analysis(frame, "OR", method="IV")


def test_an_overflow_of_a_single_study_names_the_study_and_every_infinite_statistic():
    # w = 1/1e-250 = 1e250 and w·y = 1e450 exceed the largest double (1.8e308): the pooled estimate, both CI bounds
    # and z come out infinite (se = 1e-125 is fine). There is no other study to compare the variance with.
    # Nothing but the overflow itself may warn (no "Mean of empty slice" from a median over no other study).
    frame = pd.DataFrame({"study": ["Huge"], "yi": [1e200], "vi": [1e-250]})
    with warnings.catch_warnings(), np.errstate(over="ignore"), pytest.raises(SysrevError) as caught:
        warnings.simplefilter("error")
        meta_analysis(frame, "GEN")
    message = str(caught.value)
    assert message.startswith("numerical overflow in the overall analysis: estimate, ci_low, ci_high, z came out "
                              "infinite. Study 'Huge' has a within-study variance of 1e-250")
    assert message.endswith(", too small for the pooled sums to be computed in double precision; check its sample "
                            "sizes and standard deviations")


def test_subgroup_labels_are_matched_exactly_as_given():
    # labels are compared as Python strings: numpy's fixed-width strings would drop the trailing NUL of "a\x00"
    # and put both studies in both subgroups
    frame = pd.DataFrame({"study": ["A", "B"], "yi": [0.1, 0.5], "vi": [0.04, 0.09], "group": ["a", "a\x00"]})
    groups = meta_analysis(frame, "GEN", subgroup="group").subgroups
    assert list(groups) == ["a", "a\x00"]
    assert [[row.study for row in g.studies] for g in groups.values()] == [["A"], ["B"]]
    assert [g.estimate for g in groups.values()] == pytest.approx([0.1, 0.5], rel=1e-14)


def test_a_subgroup_with_an_estimate_that_mantel_haenszel_cannot_pool_stops_the_analysis():
    # subgroup y has one study, estimable on its own (0.5 added to its zero cell, escalc), but its arm 1 has no
    # events, so the MH sum Σa·d/N on the raw counts is 0: the same error as for a whole analysis like it (the
    # reviewer must choose another method), not a subgroup silently shown as not estimable
    frame = _binary([("A", 3, 20, 6, 20), ("B", 5, 20, 7, 20), ("C", 0, 30, 4, 30)], ["x", "x", "y"])
    message = ("the Mantel–Haenszel odds ratio cannot be estimated: one group has no events (or no non-events) in "
               "any study; use --method IV or check the data")
    with pytest.raises(SysrevError, match=f"^{re.escape(message)}$"):
        meta_analysis(frame, "OR", method="MH", zero="metafor", subgroup="group")
