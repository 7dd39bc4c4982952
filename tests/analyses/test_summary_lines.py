"""The lines `sysrev meta run` prints for each analysis, word for word: the settings, the computed result, the
published target and the check that the target's own figures agree with each other."""

from types import SimpleNamespace

import pytest

from sysrev.analyses.spec import AnalysisSpec
from sysrev.analyses.summary import _consistency_line, _settings, format_result, format_target
from sysrev.analyses.targets import PrintedValue, Target


def _spec(**fields):
    values = dict(name="pain", title="Pain", outcome="pain", measure="SMD", method="IV", model="random", tau2="REML",
                  ci="z", smd="revman", level=95.0, subgroup=None)
    return AnalysisSpec(**{**values, **fields})


@pytest.mark.parametrize("fields, text", [
    ({}, "SMD, IV, random effects (REML)"),
    ({"model": "fixed", "measure": "RR", "method": "MH"}, "RR, MH, fixed effect"),
    ({"subgroup": "timepoint"}, "SMD, IV, random effects (REML), subgroups by time point"),
    ({"subgroup": "item"}, "SMD, IV, random effects (REML), subgroups by item"),
])
def test_the_settings_in_words(fields, text):
    assert _settings(_spec(**fields)) == text


def test_a_result_in_one_line_and_what_is_not_available():
    result = {"estimate": -0.012, "ci_low": -0.1149, "ci_high": 0.0951, "p": 0.9102, "I2": 12.4, "k": 15}
    assert format_result(_spec(), result) == "SMD -0.01 [-0.11, 0.10], p = 0.910, I² = 12%, k = 15"
    assert format_result(_spec(), {**result, "p": 0.0004}) == "SMD -0.01 [-0.11, 0.10], p < 0.001, I² = 12%, k = 15"
    assert format_result(_spec(), {"k": 1}) == "SMD NA [NA, NA], p = NA, I² = NA%, k = 1"


def _target(**printed):
    return Target("Fig. 3 of the paper", {name: PrintedValue.parse(text) for name, text in printed.items()})


@pytest.mark.parametrize("printed, text", [
    ({"estimate": "-0.01", "ci_low": "-0.11", "ci_high": "0.10", "p": "0.91", "I2": "0%", "tau2": "0.00"},
     "SMD -0.01 [-0.11, 0.10], p = 0.91, I² = 0%, tau² = 0.00"),
    ({"estimate": "-0.01", "I2": "45"}, "SMD -0.01, I² = 45%"),
    ({"ci_low": "-0.11", "ci_high": "0.10"}, "SMD [-0.11, 0.10]"),
    ({"p": "<0.001"}, "SMD, p = <0.001"),
])
def test_a_published_target_as_printed(printed, text):
    assert format_target(_spec(target=_target(**printed))) == text


def _outcome(consistency, measure="SMD"):
    return SimpleNamespace(consistency=consistency, spec=SimpleNamespace(measure=measure))


CHECK = {"se_from_ci": 0.0536, "p_implied": 0.8521, "p_implied_range": (0.78, 0.93), "p_consistent": True,
         "estimate_at_centre": True, "consistent": True, "notes": []}


@pytest.mark.parametrize("consistency, measure, text", [
    (None, "SMD", "target consistency: not checked (the target needs an estimate and a CI)"),
    ({"notes": ["the CI does not contain the estimate", "p is above 1"]}, "SMD",
     "target consistency: PROBLEM — the CI does not contain the estimate; p is above 1"),
    (CHECK, "SMD", "target consistency: SE from CI 0.0536 (analysis scale); implied p 0.85 (the printed rounding "
                   "allows 0.78 to 0.93), printed p fits; estimate at the CI centre — consistent"),
    (CHECK, "RR", "target consistency: SE from CI 0.0536 (log scale); implied p 0.85 (the printed rounding allows "
                  "0.78 to 0.93), printed p fits; estimate at the CI centre — consistent"),
    ({**CHECK, "p_consistent": None}, "OR", "target consistency: SE from CI 0.0536 (log scale); implied p 0.85 (the "
                                            "printed rounding allows 0.78 to 0.93); estimate at the CI centre — "
                                            "consistent"),
    ({**CHECK, "p_consistent": False, "estimate_at_centre": False, "consistent": False,
      "notes": ["printed p 0.04 outside 0.78 to 0.93", "estimate off centre"]}, "MD",
     "target consistency: SE from CI 0.0536 (analysis scale); implied p 0.85 (the printed rounding allows 0.78 to "
     "0.93), printed p does NOT fit; estimate NOT at the CI centre — INCONSISTENT: printed p 0.04 outside 0.78 to "
     "0.93; estimate off centre"),
])
def test_the_consistency_line_in_each_case(consistency, measure, text):
    assert _consistency_line(_outcome(consistency, measure)) == text


def test_the_settings_a_results_file_records_in_full():
    spec = _spec(subgroup="timepoint", subgroups={"early": ("2 weeks", "1 month"), "late": ("6 months",)},
                 group1="US", group2="FL", note="pooled at the latest time point", pooled_sd=False, mid=0.5)
    assert spec.describe() == {
        "title": "Pain", "outcome": "pain", "measure": "SMD", "method": "IV", "model": "random", "tau2": "REML",
        "ci": "z", "smd": "revman", "level": 95.0, "subgroup": "timepoint",
        "subgroups": {"early": ["2 weeks", "1 month"], "late": ["6 months"]}, "group1": "US", "group2": "FL",
        "pooled_sd": False, "note": "pooled at the latest time point", "mid": 0.5}
    assert "mid" not in _spec().describe()  # no minimal important difference set: none recorded
