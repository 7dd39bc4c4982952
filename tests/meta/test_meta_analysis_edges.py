"""Edges of one analysis and its subgroups (sysrev.meta.analysis): Q = 0, subgroups left out of the test for
subgroup differences, a Peto subgroup with no events, and the overflow error. Expected values by hand."""

import math

import pandas as pd
import pytest

from sysrev.errors import SysrevError
from sysrev.meta import meta_analysis


def _binary(rows, groups=None):
    frame = pd.DataFrame(rows, columns=["study", "events1", "n1", "events2", "n2"])
    return frame if groups is None else frame.assign(group=groups)


def test_identical_tables_have_q_zero_and_no_heterogeneity():
    # two trials 10/20 vs 10/20: OR 1, log OR 0 each and pooled (MH), so Q = 0, I² = 0 (not (0 − 1)/0), H² = 0/1
    r = meta_analysis(_binary([("a", 10, 20, 10, 20), ("b", 10, 20, 10, 20)]), "OR").to_dict()
    assert r["Q"] == 0 and r["I2"] == 0 and r["H2"] == 0 and r["Q_p"] == 1


def test_subgroups_with_equal_estimates_differ_by_q_zero():
    # the same trials as two subgroups: both estimates log OR 0, so the test for subgroup differences has Q = 0,
    # df = 1, P = 1 and I² = 0
    frame = _binary([("a", 10, 20, 10, 20), ("b", 10, 20, 10, 20)], ["x", "y"])
    test = meta_analysis(frame, "OR", subgroup="group").to_dict()["subgroup_test"]
    assert test == {"Q": 0.0, "df": 1, "p": 1.0, "I2": 0.0}


def test_a_subgroup_without_an_estimable_study_is_left_out_of_the_subgroup_test():
    # subgroup c has only a trial without events: not estimable. The test compares a and b (one trial each):
    # a: log OR = log(10·15/(10·5)) = log 3, v = 1/10 + 1/10 + 1/5 + 1/15; b: log(8·13/(17·12)), v = 1/8 + 1/17
    # + 1/12 + 1/13; Q = (ya − yb)²/(va + vb) with 1 df
    frame = _binary([("a", 10, 20, 5, 20), ("b", 8, 25, 12, 25), ("c", 0, 30, 0, 30)], ["a", "b", "c"])
    r = meta_analysis(frame, "OR", method="IV", subgroup="group").to_dict()
    ya, va = math.log(3), 1 / 10 + 1 / 10 + 1 / 5 + 1 / 15
    yb, vb = math.log(8 * 13 / (17 * 12)), 1 / 8 + 1 / 17 + 1 / 12 + 1 / 13
    assert r["subgroups"]["c"]["estimate"] is None
    assert r["subgroup_test"]["df"] == 1
    assert r["subgroup_test"]["Q"] == pytest.approx((ya - yb) ** 2 / (va + vb), rel=1e-12)


def test_a_subgroup_whose_hksj_standard_error_is_zero_is_left_out_of_the_subgroup_test():
    # subgroup x: two identical estimates, so the HKSJ factor Σw(y − μ̂)²/(k − 1) is 0 and so is its SE (no weight
    # 1/SE² exists); y and z have one study each (their own z interval): Q = (0.5 + 0.1)²/(0.04 + 0.09), 1 df
    frame = pd.DataFrame({"study": list("abcd"), "yi": [0.2, 0.2, 0.5, -0.1], "vi": [0.1, 0.2, 0.04, 0.09],
                          "group": ["x", "x", "y", "z"]})
    r = meta_analysis(frame, "GEN", model="random", ci="hksj", subgroup="group").to_dict()
    assert r["subgroups"]["x"]["se"] == 0
    assert r["subgroup_test"]["df"] == 1
    assert r["subgroup_test"]["Q"] == pytest.approx(0.6**2 / 0.13, rel=1e-12)


def test_a_peto_subgroup_without_events_is_not_estimable_and_the_rest_is_pooled():
    # RevMan shows a subgroup whose trials have no events as "not estimable"; it used to stop the whole analysis
    # ("the Peto odds ratio cannot be estimated"). Peto by hand for subgroup x (N = 40 in each trial):
    # A: O − E = 3 − 20·8/40 = −1, V = 20·20·8·32/(40²·39); B: O − E = 4 − 5 = −1, V = 20·20·10·30/(40²·39)
    frame = _binary([("A", 3, 20, 5, 20), ("B", 4, 20, 6, 20), ("C", 0, 30, 0, 30), ("D", 0, 30, 0, 30)],
                    ["x", "x", "y", "y"])
    r = meta_analysis(frame, "PETO", subgroup="group").to_dict()
    v_a, v_b = 20 * 20 * 8 * 32 / (40**2 * 39), 20 * 20 * 10 * 30 / (40**2 * 39)
    assert r["subgroups"]["y"]["k"] == 0 and r["subgroups"]["y"]["estimate"] is None
    assert r["k"] == 2 and r["estimate"] == pytest.approx(math.exp(-2 / (v_a + v_b)), rel=1e-12)
    assert [s["weight"] for s in r["studies"]] == pytest.approx([100 * v_a / (v_a + v_b), 100 * v_b / (v_a + v_b),
                                                                 0, 0], rel=1e-12)
    assert r["subgroup_test"] is None  # one subgroup with an estimate: nothing to compare
    # on its own, the subgroup without events is an error saying why
    with pytest.raises(SysrevError, match="the Peto odds ratio cannot be estimated: no study has events in one arm"):
        meta_analysis(frame[frame.group == "y"], "PETO")


def test_an_overflowing_analysis_names_the_study_its_variance_and_the_others():
    # A's log OR variance 1/5e17 + 1/5e17 + 1/4e17 + 1/6e17 = 8.17e-18; B's 1/10 + 1/10 + 1/5 + 1/15 = 0.4667 and
    # C's 1/8 + 1/17 + 1/12 + 1/13 = 0.3441 have median 0.405; D (no events) has no variance and is left out of it
    frame = _binary([("B", 10, 20, 5, 20), ("C", 8, 25, 12, 25), ("A", 5e17, 1e18, 4e17, 1e18), ("D", 0, 30, 0, 30)])
    with pytest.raises(SysrevError, match=r"numerical overflow in the overall analysis: .*came out infinite\. Study "
                                          r"'A' has a within-study variance of 8\.17e-18 \(the others' median is "
                                          r"0\.405\)"):
        meta_analysis(frame, "OR", method="IV", model="random")
