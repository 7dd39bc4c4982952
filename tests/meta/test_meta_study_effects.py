"""Per-study effects of dichotomous data under the two zero-cell conventions (sysrev.meta.study_effects; the
module docstring and docs/meta.md, "Conventions"): Peto's per-study log odds ratio, double-zero studies and
the cells each pooling method is given. Expected values are worked out by hand (Yusuf et al. 1985) and agree
with metafor 3.8-1's escalc("PETO", …) for the metafor convention (−1.9765, 0.9882 for the first study)."""

import numpy as np
import pandas as pd
import pytest

from sysrev.meta import meta_analysis

# Z: 0/10 vs 4/10 (a zero cell); D: 0/10 vs 0/12 (no events in either arm); O: 3/12 vs 5/11
FRAME = pd.DataFrame({"study": ["Z", "D", "O"], "events1": [0, 0, 3], "n1": [10, 10, 12], "events2": [4, 0, 5],
                      "n2": [10, 12, 11]})

# Peto on the raw counts of Z: N = 20, 4 events, E = 4·10/20 = 2, O − E = −2,
# V = 4·16·10·10/(20²·19) = 6400/7600; log OR = (O − E)/V = −2.375, variance 1/V = 1.1875
RAW_Z = (-2.375, 1.1875)
# with 0.5 added to each cell (metafor's escalc): 0.5/11 vs 4.5/11, N = 22, 5 events, E = 2.5, O − E = −2,
# V = 5·17·11·11/(22²·21) = 10285/10164; log OR = −2·10164/10285, variance 10164/10285
ADJUSTED_Z = (-2 * 10164 / 10285, 10164 / 10285)


@pytest.mark.parametrize("measure,method,zero,expected", [
    ("PETO", "PETO", "revman", RAW_Z),
    ("OR", "PETO", "revman", RAW_Z),
    ("PETO", "IV", "revman", RAW_Z),
    ("PETO", "PETO", "metafor", ADJUSTED_Z),
    ("OR", "PETO", "metafor", ADJUSTED_Z),
    ("PETO", "IV", "metafor", ADJUSTED_Z),
])
def test_peto_log_odds_ratio_of_a_study_with_a_zero_cell(measure, method, zero, expected):
    study = meta_analysis(FRAME, measure, method=method, zero=zero).to_dict()["studies"][0]
    assert (study["yi"], study["vi"]) == (pytest.approx(expected[0], rel=1e-12), pytest.approx(expected[1], rel=1e-12))


@pytest.mark.parametrize("measure,method,zero", [("PETO", "PETO", "revman"), ("PETO", "PETO", "metafor"),
                                                 ("OR", "PETO", "metafor"), ("PETO", "IV", "revman"),
                                                 ("RR", "IV", "revman"), ("OR", "MH", "revman"),
                                                 ("RR", "MH", "metafor")])
def test_a_study_without_events_has_no_estimate(measure, method, zero):
    result = meta_analysis(FRAME, measure, method=method, zero=zero)
    double_zero = result.to_dict()["studies"][1]
    assert (double_zero["yi"], double_zero["vi"], double_zero["estimate"], double_zero["weight"]) == (
        None, None, None, 0.0)
    # the per-study effects the result keeps (StudyEffects: NaN where not estimable), both of them
    assert np.isnan(result.effects.yi[1]) and np.isnan(result.effects.vi[1])


def test_metafor_inverse_variance_keeps_a_study_without_events():
    # escalc adds 0.5 to the double-zero study too and rma.uni pools it: Peto 0.5/11 vs 0.5/13 has
    # E = 1·11/24, O − E = 0.5 − 11/24 = 1/24, V = 1·23·11·13/(24²·23) = 143/576
    study = meta_analysis(FRAME, "PETO", method="IV", zero="metafor").to_dict()["studies"][1]
    assert study["yi"] == pytest.approx((1 / 24) / (143 / 576), rel=1e-12)
    assert study["vi"] == pytest.approx(576 / 143, rel=1e-12) and study["weight"] > 0
    # the risk difference keeps it under either rule, with 0.5 added to every cell: 0.5/11 − 0.5/13 = 1/143
    # (docs/meta.md: slightly off 0 when the arms differ in size)
    for zero in ("revman", "metafor"):
        rd = meta_analysis(FRAME, "RD", method="IV", zero=zero).to_dict()["studies"][1]["yi"]
        assert rd == pytest.approx(1 / 143, rel=1e-12)


def test_the_cells_each_pooling_method_is_given():
    iv = meta_analysis(FRAME, "OR", method="IV").effects
    assert iv.cells is None and iv.pooled_rows is None  # inverse variance pools yi and vi only
    revman = meta_analysis(FRAME, "OR", method="MH").effects
    # RevMan: 0.5 added to every cell of a table with a zero cell; the double-zero study is not pooled
    assert [cell.tolist() for cell in revman.cells] == [[0.5, 0.5, 3], [10.5, 10.5, 9], [4.5, 0.5, 5],
                                                        [6.5, 12.5, 6]]
    assert revman.pooled_rows.tolist() == [True, False, True]
    metafor = meta_analysis(FRAME, "OR", method="MH", zero="metafor").effects
    # metafor's rma.mh: the raw counts of every study
    assert [cell.tolist() for cell in metafor.cells] == [[0, 0, 3], [10, 10, 9], [4, 0, 5], [6, 12, 6]]
    assert metafor.pooled_rows.tolist() == [True, True, True]
    peto = meta_analysis(FRAME, "PETO").effects
    assert [cell.tolist() for cell in peto.cells] == [[0, 0, 3], [10, 10, 9], [4, 0, 5], [6, 12, 6]]
    assert np.isnan(peto.yi[1]) and peto.pooled_rows.tolist() == [True, True, True]
