"""Writing a GRADE file (sysrev/grade/files.py): the exact text `sysrev grade` writes, read back unchanged,
and the refresh that carries the team's final ratings over and flags a proposal that has moved."""

import pytest

from sysrev.grade import rules
from sysrev.grade.files import (
    HEADER,
    TEAM,
    DomainRecord,
    GradeFile,
    read_grade_file,
    refresh,
    render,
    write_grade_file,
)


def _grade():
    return GradeFile(
        analysis="pain", title='Pain "VAS"', design="randomised",
        inputs={"mid": 1.0, "ois_alpha": 0.0512345678, "n": 12, "pooled": True, "flags": ["a", "b"],
                "empty": [], "control_risk": None},
        domains={
            "risk_of_bias": DomainRecord("risk_of_bias", proposed="serious", reasons=["half the weight"],
                                         final="not serious", justification="bias runs against the effect",
                                         decided_against="serious", flag="the proposal has changed"),
            "indirectness": DomainRecord("indirectness", proposed=TEAM, final="serious", justification="adults"),
        })


def test_the_written_text_in_full():
    text = render(_grade())
    assert text == HEADER.format(analysis="pain", title='Pain "VAS"') + "\n" + "\n".join([
        'analysis = "pain"',
        'title = "Pain \\"VAS\\""',
        'design = "randomised"   # set in analyses.toml [analyses.pain.grade]: randomised starts HIGH, '
        "non-randomised LOW",
        "",
        "[inputs]   # the team's thresholds and assumptions the proposals used (set them in analyses.toml)",
        "mid = 1",
        "ois_alpha = 0.0512346",
        "n = 12",
        "pooled = true",
        'flags = [\n    "a",\n    "b",\n]',
        "empty = []",
        'control_risk = "not set"',
        "",
        "[risk_of_bias]   # Risk of bias",
        'proposed = "serious"',
        'reasons = [\n    "half the weight",\n]',
        "pending = []",
        'final = "not serious"',
        'justification = "bias runs against the effect"',
        'decided_against = "serious"',
        'flag = "the proposal has changed"',
        "",
        "[indirectness]   # Indirectness",
        f'proposed = "{TEAM}"',
        'final = "serious"',
        'justification = "adults"',
    ]) + "\n"


def test_what_is_written_reads_back(tmp_path):
    path = tmp_path / "pain.toml"
    assert write_grade_file(path, _grade()) is True
    back = read_grade_file(path)
    expected = _grade()
    expected.inputs["control_risk"] = "not set"
    assert back.domains == expected.domains and back.inputs == {**expected.inputs, "mid": 1.0, "ois_alpha": 0.0512346}
    assert write_grade_file(path, back) is False  # the same text: not rewritten


def test_a_value_toml_cannot_hold_is_refused():
    grade = _grade()
    grade.inputs["table"] = {"a": 1}
    with pytest.raises(TypeError, match="cannot write"):
        render(grade)


def _proposals(**ratings):
    return {d: rules.Proposal(d, r, [f"{d} reason"], [] if r else ["an input"]) for d, r in ratings.items()}


def test_a_first_refresh_proposes_every_domain_of_the_design():
    grade = refresh(None, "pain", "Pain", "non-randomised", {"mid": 1},
                    _proposals(risk_of_bias="serious", imprecision=None, large_effect="large"))
    assert list(grade.domains) == ["risk_of_bias", "inconsistency", "indirectness", "imprecision",
                                   "publication_bias", "large_effect", "dose_response", "confounding"]
    assert grade.domains["risk_of_bias"] == DomainRecord("risk_of_bias", proposed="serious",
                                                         reasons=["risk_of_bias reason"])
    assert grade.domains["imprecision"] == DomainRecord("imprecision", proposed="pending",
                                                        reasons=["imprecision reason"], pending=["an input"])
    assert grade.domains["inconsistency"] == DomainRecord("inconsistency", proposed="pending",
                                                          pending=["not computed"])
    assert grade.domains["dose_response"] == DomainRecord("dose_response", proposed=TEAM)
    assert (grade.analysis, grade.title, grade.design, grade.inputs, grade.path) == (
        "pain", "Pain", "non-randomised", {"mid": 1}, None)


def test_a_refresh_keeps_the_teams_ratings_and_flags_a_moved_proposal(tmp_path):
    old = refresh(None, "pain", "Pain", "randomised", {}, _proposals(risk_of_bias="serious", imprecision="serious"))
    old.domains["risk_of_bias"].final, old.domains["risk_of_bias"].justification = "not serious", "why"
    old.domains["imprecision"].final = "serious"
    old.domains["indirectness"].final, old.domains["indirectness"].justification = "serious", "adults"
    old.path = tmp_path / "pain.toml"
    same = refresh(old, "pain", "Pain", "randomised", {}, _proposals(risk_of_bias="serious",
                                                                    imprecision="serious"))
    assert same.domains["risk_of_bias"] == DomainRecord(
        "risk_of_bias", proposed="serious", reasons=["risk_of_bias reason"], final="not serious",
        justification="why", decided_against="serious")
    assert same.domains["indirectness"] == DomainRecord("indirectness", proposed=TEAM, final="serious",
                                                        justification="adults")
    assert same.flags() == [] and same.path == old.path
    moved = refresh(same, "pain", "Pain", "randomised", {}, _proposals(risk_of_bias="very serious",
                                                                      imprecision="serious"))
    assert moved.domains["risk_of_bias"].decided_against == "serious"
    assert moved.flags() == [
        "Risk of bias: the proposal has changed from 'serious' to 'very serious' since the final rating 'not "
        "serious' was decided; check that its reasons still hold, then delete decided_against to confirm"]
    assert moved.domains["imprecision"].flag == ""
