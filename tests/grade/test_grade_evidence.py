"""The evidence of one analysis as GRADE reads it (sysrev/grade/evidence.py): the optimal information size and
the assumptions it states, per-study weights and sizes, the absolute-effect sentence, and the proposals of an
analysis that is not (completely) pooled. Figures by hand in each test."""

import pytest

from sysrev.analyses.spec import AnalysisSpec
from sysrev.grade import evidence
from sysrev.grade.absolute import absolute_effect, ois_binary, ois_continuous
from sysrev.grade.evidence import Evidence, gather
from sysrev.grade.rules import Proposal


def _spec(measure="MD", mid=None, **grade):
    return AnalysisSpec(name="pain", title="Pain", outcome="pain", measure=measure, method="IV", model="random",
                        tau2="REML", ci="wald", smd="hedges", level=95.0, subgroup=None, mid=mid, grade=grade)


def _ois(spec, rows=(), control_risk=None):
    ev = Evidence(spec=spec, status="complete", control_risk=control_risk)
    return evidence._ois(spec, ev, list(rows)), ev.inputs


def test_ois_of_a_mean_difference_from_the_median_comparator_sd():
    # SDs 10, 20, 40 in the comparator groups → median 20; mid 5 → ois_continuous(5, 20) = 504 (by hand in
    # test_grade_absolute); the row without an SD is left out of the median
    rows = [{"sd2": 10.0}, {"sd2": 40.0}, {"sd2": 20.0}, {"sd2": None}]
    (ois, text), inputs = _ois(_spec("MD", mid=5.0), rows)
    assert ois == 504 == ois_continuous(5.0, 20.0)
    assert text == "difference 5 (mid), SD 20 (median comparator-group SD), α 0.05, power 80%"
    assert inputs == {"ois_delta": 5.0, "ois_alpha": 0.05, "ois_power": 0.8}


def test_ois_of_a_mean_difference_with_the_teams_own_assumptions():
    spec = _spec("MD", mid=5.0, ois_delta=4.0, ois_sd=12.0, ois_alpha=0.01, ois_power=0.9)
    (ois, text), inputs = _ois(spec, [{"sd2": 99.0}])
    assert ois == ois_continuous(4.0, 12.0, 0.01, 0.9)
    assert text == "difference 4 (ois_delta), SD 12 (ois_sd, analyses.toml), α 0.01, power 90%"
    assert inputs == {"ois_delta": 4.0, "ois_alpha": 0.01, "ois_power": 0.9}


def test_ois_of_an_smd_is_in_sd_units():
    (ois, text), _ = _ois(_spec("SMD", mid=0.2), [{"sd2": 50.0}])
    assert ois == 786 == ois_continuous(0.2, 1.0)
    assert text == "difference 0.2 (mid), SD 1 (the SMD's unit), α 0.05, power 80%"


@pytest.mark.parametrize("spec, rows", [(_spec("MD", mid=None), [{"sd2": 3.0}]), (_spec("MD", mid=2.0), []),
                                        (_spec("MD", mid=2.0), [{"sd2": 0.0}])])
def test_ois_of_a_difference_without_its_inputs_says_what_to_set(spec, rows):
    (ois, text), _ = _ois(spec, rows)
    assert (ois, text) == (None, "set ois_delta or mid (the difference to detect) in analyses.toml")


@pytest.mark.parametrize("measure", ["RR", "OR", "PETO", "RD"])
def test_ois_of_a_dichotomous_outcome_from_the_comparator_risk(measure):
    (ois, text), inputs = _ois(_spec(measure), control_risk=0.2)
    assert ois == 1806 == ois_binary(0.2, 0.25)
    assert text == "comparator risk 0.2, relative risk reduction 25%, α 0.05, power 80%"
    assert inputs == {"ois_rrr": 0.25, "ois_alpha": 0.05, "ois_power": 0.8}
    (ois, text), inputs = _ois(_spec(measure, ois_rrr=0.3, ois_alpha=0.1, ois_power=0.9), control_risk=0.123456)
    assert ois == ois_binary(0.123456, 0.3, 0.1, 0.9)
    assert text == "comparator risk 0.123, relative risk reduction 30%, α 0.1, power 90%"
    assert inputs == {"ois_rrr": 0.3, "ois_alpha": 0.1, "ois_power": 0.9}


@pytest.mark.parametrize("risk", [None, 0.0])
def test_ois_of_a_dichotomous_outcome_needs_a_comparator_risk(risk):
    (ois, text), _ = _ois(_spec("RR"), control_risk=risk)
    assert (ois, text) == (None, "no comparator risk above 0")


def test_per_study_weights_add_up_and_sizes_take_the_largest_row():
    # study A reported in two rows (two subgroups) with weights 10 and 15; its size is its largest row
    rows = [{"_study": "A", "study": "A (women)", "n1": 30, "n2": 28},
            {"_study": "A", "study": "A (men)", "n1": 10, "n2": 12},
            {"_study": "B", "study": "B", "n1": "5", "n2": "6"}]
    weight, size = evidence._per_study(rows, {"A (men)": 10.0, "A (women)": 15.0, "B": 75.0})
    assert weight == {"A": 25.0, "B": 75.0} and size == {"A": 58, "B": 11}
    assert evidence._per_study(rows[2:], {}) == ({"B": 0.0}, {"B": 11})


def test_absolute_effect_sentence():
    ev = Evidence(spec=_spec("RR"), status="complete", absolute=absolute_effect("RR", 0.2, 0.8, 0.64, 1.0))
    assert evidence._absolute_text(ev) == ("absolute effect for a comparator risk of 200 per 1,000: -40 per 1,000 "
                                          "(-72 to +0)")
    assert evidence._absolute_text(Evidence(spec=_spec("RR"), status="complete")) == ""


@pytest.mark.parametrize("status, result, why", [
    ("incomplete", None, "nothing pooled yet: 7 cells missing (`sysrev meta run` lists them)"),
    ("incomplete", {"estimate": 1.0}, "nothing pooled yet: 7 cells missing (`sysrev meta run` lists them)"),
    ("complete", {"estimate": None}, "nothing pooled yet: 7 cells missing (`sysrev meta run` lists them)"),
    ("partial", {"estimate": 1.0}, "only partly pooled (7 cells missing): GRADE waits for the complete analysis "
                                   "(`sysrev meta run` lists the cells)"),
])
@pytest.mark.parametrize("design, domains", [
    ("randomised", ["risk_of_bias", "inconsistency", "imprecision", "publication_bias"]),
    ("non-randomised", ["risk_of_bias", "inconsistency", "imprecision", "publication_bias", "large_effect"]),
])
def test_an_analysis_not_completely_pooled_has_every_proposal_pending(status, result, why, design, domains):
    ev = gather(None, _spec("MD", mid=1.0, design=design, importance="critical"), status, result, [],
                missing_cells=7)
    assert ev.problem == why and ev.design == design
    assert ev.proposals == {d: Proposal(d, None, pending=[why]) for d in domains}
    assert ev.inputs == {"mid": 1.0, "importance": "critical"}


def _result(estimate, ci, studies, **extra):
    return {"estimate": estimate, "ci_low": ci[0], "ci_high": ci[1], "k": len(studies), "studies": studies,
            **extra}


def _study(name, weight, ci, yi=None, vi=None):
    return {"study": name, "weight": weight, "ci_low": ci[0], "ci_high": ci[1], "yi": yi, "vi": vi}


def test_gather_a_pooled_mean_difference(tmp_path):
    studies = [_study("A", 50.0, (-2.5, -0.5)), _study("B", 30.0, (-2.0, 0.2)), _study("C", 20.0, (None, None))]
    rows = [{"_study": "A", "study": "A", "n1": 40, "n2": 40, "mean2": 6.0, "sd2": 2.0},
            {"_study": "B", "study": "B", "n1": 30, "n2": 29, "mean2": 5.5, "sd2": 2.5},
            {"_study": "C", "study": "C", "n1": 10, "n2": 11, "mean2": 7.25, "sd2": 3.0}]
    result = _result(-1.2, (-2.0, -0.4), studies, I2=20.0, Q_p=0.3, pi_low=-2.6, pi_high=0.2)
    ev = gather(tmp_path, _spec("MD", mid=1.0), "complete", result, rows)
    assert (ev.estimate, ev.ci, ev.participants, ev.studies) == (-1.2, (-2.0, -0.4), 160, 3)
    assert ev.comparator_means == (5.5, 7.25) and ev.control_risk is None and ev.absolute is None
    assert ev.proposals["risk_of_bias"].pending == [
        "no complete RoB 2 assessment for this outcome of A, B, C (analysis/rob2/; `sysrev rob new STUDY OUTCOME`)"]
    inconsistency = ev.proposals["inconsistency"]
    assert inconsistency.rating == "not serious"  # C has no CI: only A and B are compared
    assert inconsistency.reasons[:3] == ["I² = 20%, test of heterogeneity p = 0.30", "all study CIs overlap",
                                         "prediction interval -2.6 to 0.2 includes no effect although the CI "
                                         "excludes it"]
    imprecision = ev.proposals["imprecision"]  # CI −2 to −0.4 crosses −1; SD 2.5 (median), OIS 2 × ⌈98.1⌉
    assert imprecision.rating == "serious"
    assert imprecision.reasons[-1] == ("160 participants against an optimal information size of 198 (difference 1 "
                                       "(mid), SD 2.5 (median comparator-group SD), α 0.05, power 80%): not met")
    assert ev.proposals["publication_bias"].rating == "undetected" and "large_effect" not in ev.proposals
    assert ev.inputs == {"mid": 1.0, "ois_delta": 1.0, "ois_alpha": 0.05, "ois_power": 0.8}


def test_gather_a_pooled_risk_ratio_of_non_randomised_studies(tmp_path):
    studies = [_study("A", 60.0, (0.2, 0.6)), _study("B", 40.0, (0.3, 0.9))]
    rows = [{"_study": "A", "study": "A", "n1": 100, "n2": 100, "events2": 20},
            {"_study": "B", "study": "B", "n1": 50, "n2": 50, "events2": 15}]
    result = _result(0.4, (0.25, 0.64), studies, I2=0.0, Q_p=0.8)
    ev = gather(tmp_path, _spec("RR", design="non-randomised", absolute_mid=20.0), "complete", result, rows)
    # comparator risks 20/100 and 15/50 → median 0.25
    assert ev.control_risk == pytest.approx(0.25) and ev.comparator_means is None
    assert ev.control_risk_source == "median comparator-group risk of the studies"
    assert ev.absolute == absolute_effect("RR", 0.25, 0.4, 0.25, 0.64)
    assert ev.inputs["control_risk_source"] == "median comparator-group risk of the studies"
    assert ev.inputs["absolute_mid"] == 20.0 and ev.inputs["ois_rrr"] == 0.25
    assert ev.proposals["large_effect"] == Proposal("large_effect", "large",
                                                    ["RR 0.4: a 2.5-fold change (≥ 2-fold: GRADE 9)"])
    imprecision = ev.proposals["imprecision"]
    assert imprecision.reasons[1] == ("absolute effect for a comparator risk of 250 per 1,000: -150 per 1,000 "
                                      "(-188 to -90)")
    assert imprecision.reasons[3].startswith("absolute effect per 1,000 against ±20 (absolute_mid, analyses.toml)")


def test_gather_takes_the_teams_comparator_risk(tmp_path):
    studies = [_study("A", 100.0, (0.5, 0.9))]
    rows = [{"_study": "A", "study": "A", "n1": 100, "n2": 100, "events2": 50}]
    ev = gather(tmp_path, _spec("OR", control_risk=0.1), "complete", _result(0.7, (0.5, 0.9), studies), rows)
    assert (ev.control_risk, ev.control_risk_source) == (0.1, "control_risk in analyses.toml")
    named = gather(tmp_path, _spec("OR", control_risk=0.1, control_risk_source="a cohort (Smith 2020)"),
                   "complete", _result(0.7, (0.5, 0.9), studies), rows)
    assert named.control_risk_source == named.inputs["control_risk_source"] == "a cohort (Smith 2020)"


def test_egger_p_needs_ten_studies_with_a_variance():
    from sysrev.meta.bias import egger_test

    studies = [_study(str(i), 10.0, (0, 1), yi=0.1 * i + (0.3 if i % 3 else 0.0), vi=0.01 * (i + 1))
               for i in range(10)]
    expected = egger_test([s["yi"] for s in studies], [s["vi"] for s in studies], model="lm").p
    assert evidence._egger_p({"studies": studies}) == pytest.approx(expected)
    nine = studies[:9] + [{**studies[9], "vi": 0.0}]
    assert evidence._egger_p({"studies": nine}) is None
    assert evidence._egger_p({"studies": studies[:9] + [{**studies[9], "yi": None}]}) is None


def test_risk_of_bias_reads_the_overall_judgements_of_the_analysis_outcome(monkeypatch):
    asked = []

    def forms(project, outcome):
        asked.append((project, outcome))
        return {"A": {"D1": "low", "overall": "low"}, "B": {"D1": "high", "overall": "high"}}

    monkeypatch.setattr(evidence, "rob_for_forest", forms)
    proposal = evidence._rob("PROJECT", _spec("MD"), {"A": 70.0, "B": 30.0})
    assert asked == [("PROJECT", "pain")]
    assert proposal == Proposal("risk_of_bias", "not serious", [
        "weight in studies at low risk 70%, some concerns 0%, high risk 30% (RoB 2 overall judgements)",
        "most of the information (> 50% of the weight) is from studies at low risk of bias"])


def test_risk_of_bias_forms_that_cannot_be_read_leave_it_pending(monkeypatch):
    from sysrev.errors import SysrevError

    def broken(project, outcome):
        raise SysrevError("analysis/rob2/A--pain.toml, line 3: bad answer")

    monkeypatch.setattr(evidence, "rob_for_forest", broken)
    assert evidence._rob("PROJECT", _spec("MD"), {"A": 100.0}) == Proposal(
        "risk_of_bias", None, pending=["the RoB 2 forms could not be read: analysis/rob2/A--pain.toml, line 3: bad "
                                       "answer"])


def test_units_are_the_outcomes_one_scale():
    from types import SimpleNamespace as Row

    from sysrev.grade.run import _units

    rows = [Row(outcome="pain", scale="VAS 0-10"), Row(outcome="pain", scale="VAS 0-10"),
            Row(outcome="odi", scale="ODI %"), Row(outcome="pain", scale="")]
    assert _units(rows, "pain") == "VAS 0-10" and _units(rows, "odi") == "ODI %"
    assert _units(rows + [Row(outcome="pain", scale="NRS 0-10")], "pain") == ""  # two scales: no one unit
    assert _units([Row(outcome="pain")], "pain") == ""
