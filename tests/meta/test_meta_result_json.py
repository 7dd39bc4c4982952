"""The ``--json`` object of ``sysrev meta pool`` (sysrev.meta.result): the settings header, per-study rows and
a set of studies none of which can be estimated, field by field as docs/meta.md ("Output") describes them."""

import math

import pandas as pd
import pytest

from sysrev.meta import meta_analysis
from sysrev.meta.result import GroupResult, StudyRow

CONTINUOUS = pd.DataFrame({"study": ["A", "B"], "n1": [10, 12], "mean1": [5.0, 4.5], "sd1": [1.0, 1.5],
                           "n2": [11, 12], "mean2": [4.0, 4.2], "sd2": [1.2, 1.1]})
BINARY = pd.DataFrame({"study": ["A", "B"], "events1": [3, 5], "n1": [10, 12], "events2": [4, 6], "n2": [11, 12]})
GENERIC = pd.DataFrame({"study": ["A", "B"], "yi": [0.1, 0.3], "se": [0.1, 0.2]})


@pytest.mark.parametrize("frame,measure,options,header", [
    (CONTINUOUS, "MD", {}, {"measure": "MD", "method": "IV", "model": "fixed", "tau2_method": None,
                            "ci_method": "z", "level": 95.0, "smd": None, "zero": None, "scale": "identity"}),
    (CONTINUOUS, "SMD", {"smd": "exact", "model": "random", "tau2": "REML", "ci": "hksj", "level": 90},
     {"measure": "SMD", "method": "IV", "model": "random", "tau2_method": "REML", "ci_method": "hksj",
      "level": 90.0, "smd": "exact", "zero": None, "scale": "identity"}),
    (BINARY, "RR", {"zero": "metafor"}, {"measure": "RR", "method": "MH", "model": "fixed", "tau2_method": None,
                                         "ci_method": "z", "level": 95.0, "smd": None, "zero": "metafor",
                                         "scale": "log"}),
    (BINARY, "OR", {"method": "IV"}, {"measure": "OR", "method": "IV", "model": "fixed", "tau2_method": None,
                                      "ci_method": "z", "level": 95.0, "smd": None, "zero": "revman",
                                      "scale": "log"}),
    (BINARY, "RD", {}, {"measure": "RD", "method": "MH", "model": "fixed", "tau2_method": None, "ci_method": "z",
                        "level": 95.0, "smd": None, "zero": "revman", "scale": "identity"}),
    (BINARY, "PETO", {}, {"measure": "PETO", "method": "PETO", "model": "fixed", "tau2_method": None,
                          "ci_method": "z", "level": 95.0, "smd": None, "zero": "revman", "scale": "log"}),
    (GENERIC, "GEN", {"level": 99}, {"measure": "GEN", "method": "IV", "model": "fixed", "tau2_method": None,
                                     "ci_method": "z", "level": 99.0, "smd": None, "zero": None,
                                     "scale": "identity"}),
])
def test_the_settings_header_says_what_applies_to_the_measure(frame, measure, options, header):
    out = meta_analysis(frame, measure, **options).to_dict()
    assert {key: out[key] for key in header} == header


def test_each_study_row_carries_its_subgroup_and_its_cells_as_given():
    frame = GENERIC.assign(group=["x", "y"])
    out = meta_analysis(frame, "GEN", subgroup="group").to_dict()
    assert [(s["study"], s["subgroup"], s["data"]) for s in out["studies"]] == [
        ("A", "x", {"yi": 0.1, "se": 0.1}), ("B", "y", {"yi": 0.3, "se": 0.2})]
    assert out["subgroups"]["y"]["studies"][0]["subgroup"] == "y" and out["subgroup_column"] == "group"
    assert meta_analysis(GENERIC, "GEN").to_dict()["subgroup_column"] is None
    assert [s["subgroup"] for s in meta_analysis(GENERIC, "GEN").to_dict()["studies"]] == [None, None]


def test_tau_is_the_square_root_of_tau2():
    # DL by hand: w = 100, 25; fixed mean (10 + 7.5)/125 = 0.14; Q = 100·0.04² + 25·0.16² = 0.8 < df = 1: τ² = 0
    out = meta_analysis(GENERIC, "GEN", model="random").to_dict()
    assert out["tau2"] == 0.0 and out["tau"] == 0.0
    wide = GENERIC.assign(yi=[0.1, 0.9])
    # Q = 100·0.16² + 25·0.64² = 2.56 + 10.24 = 12.8; C = 125 − (10000 + 625)/125 = 40; τ² = (12.8 − 1)/40 = 0.295
    out = meta_analysis(wide, "GEN", model="random").to_dict()
    assert out["tau2"] == pytest.approx(0.295) and out["tau"] == pytest.approx(math.sqrt(0.295))


def test_a_subgroup_of_studies_without_an_estimate_reports_no_statistic():
    # subgroup y holds one double-zero study (RR: not estimable); its entry is the empty result
    frame = pd.DataFrame({"study": ["A", "B", "C"], "events1": [3, 5, 0], "n1": [10, 12, 20],
                          "events2": [4, 6, 0], "n2": [11, 12, 20], "group": ["x", "x", "y"]})
    empty = meta_analysis(frame, "RR", method="IV", model="random", ci="hksj", subgroup="group").to_dict()
    empty = empty["subgroups"]["y"]
    assert (empty["k"], empty["k_total"], empty["ci"], empty["weight"]) == (0, 1, "z", 0.0)
    statistics = ("estimate", "ci_low", "ci_high", "se", "z", "p", "tau2", "tau", "tau2_ci_low", "tau2_ci_high",
                  "I2", "I2_ci_low", "I2_ci_high", "I2_revman", "H2", "H2_ci_low", "H2_ci_high", "Q", "Q_df", "Q_p",
                  "pi_low", "pi_high")
    assert {name: empty[name] for name in statistics} == dict.fromkeys(statistics)
    assert [(s["study"], s["estimate"], s["weight"]) for s in empty["studies"]] == [("C", None, 0.0)]


def test_the_empty_result_keeps_its_study_rows():
    row = StudyRow("C", None, None, None, None, None, None, 0.0, {"yi": 1})
    group = GroupResult.empty([row], 4)
    assert (group.k, group.k_total, group.ci, group.studies) == (0, 4, "z", [row])
    assert (group.estimate, group.p, group.tau2, group.pi_high, group.I2_ci_low) == (None,) * 5
