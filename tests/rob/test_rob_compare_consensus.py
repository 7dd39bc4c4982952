"""Double assessment (docs/rob.md, "compare"): two assessors' forms field by field, and the consensus form.

Two realistic disagreements are built by hand; every expected difference, count and consensus field below is
worked out from the documented rules: answers are compared as the algorithm sees them (a question that does
not apply is NA), agreed fields are copied, every disagreement is left EMPTY with a "DISAGREEMENT" comment
naming both values, free-text support of both assessors is kept and labelled.
"""

import tomllib

from rob_answers import LOW_ANSWERS

from sysrev.rob.check import ERROR, assessment_problems
from sysrev.rob.compare import Difference, compare_assessments
from sysrev.rob.form import Assessment, form_path, load_assessment, write_form


def assessment(assessor, answers, **fields):
    a = Assessment(study="Trial X", outcome="pain", assessor=assessor)
    for key, values in answers.items():
        a.domains[key].answers.update(values)
    for name, value in fields.items():
        if "." in name:  # "D4.override", "overall.direction", "D1.support" …
            table, attribute = name.split(".")
            target = a.overall if table == "overall" else a.domains[table]
            if isinstance(value, dict):
                getattr(target, attribute).update(value)
            else:
                setattr(target, attribute, value)
        else:
            setattr(a, name, value)
    return a


def first_disagreement():
    """AB and CD differ on 1.1 (Y/PY), 2.1 (N/Y, so 2.3 applies for CD only), 3.4 (PN/Y) and the overall fields."""
    ab = assessment("AB", {
        **LOW_ANSWERS,
        "D3": {"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "PN"},  # → some concerns
    }, **{"result": "MD -0.3 (95% CI -0.9 to 0.3)", "sources": ["journal article"],
          "D1.support": {"1.1": "computer list (p. 2)", "1.3": "no imbalance (Table 1)"},
          "D3.direction": "towards null",
          "D4.override": "some concerns", "D4.justification": "self-reported pain, unblinded",
          "overall.several_concerns_high": False, "overall.direction": "favours experimental"})
    cd = assessment("CD", {
        **LOW_ANSWERS,
        "D1": {"1.1": "PY", "1.2": "Y", "1.3": "N"},
        "D2": {"2.1": "Y", "2.2": "N", "2.3": "N", "2.6": "Y"},  # 2.3 N → part 1 low
        "D3": {"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "Y"},  # → high
    }, **{"sources": ["registry NCT01234567", "journal article"],
          "D1.support": {"1.2": "sealed envelopes", "1.3": "no imbalance (Table 1)"},
          "D3.direction": "towards null",
          "D4.override": "some concerns", "D4.justification": "assessors knew the allocation"})
    return ab, cd


def test_differences_and_agreement_counts_of_a_double_assessment():
    ab, cd = first_disagreement()
    # the judgements each assessor reached (D3 flowchart: 3.3 Y then 3.4 PN → some concerns, 3.4 Y → high;
    # overall: two domains with some concerns, AB confirmed they do not together make it high)
    assert [ab.domain(k) for k in ("D1", "D2", "D3", "D4", "D5")] == ["low", "low", "some concerns",
                                                                      "some concerns", "low"]
    assert [cd.domain(k) for k in ("D1", "D2", "D3", "D4", "D5")] == ["low", "low", "high", "some concerns",
                                                                      "low"]
    assert (ab.overall_final(), cd.overall_final()) == ("some concerns", "high")
    result = compare_assessments(ab, cd)
    assert result.differences == [
        Difference("D1.answers.1.1", "Y", "PY"),
        Difference("D2.answers.2.1", "N", "Y"),
        Difference("D2.answers.2.3", "", "N"),  # applies for CD only; AB rightly left it out
        Difference("D3.answers.3.4", "PN", "Y"),
        Difference("D3 judgement", "some concerns", "high"),
        Difference("overall.several_concerns_high", "false", ""),
        Difference("overall.direction", "favours experimental", ""),
        Difference("overall judgement", "some concerns", "high"),
    ]
    # compared: every question that applies for at least one of them —
    # D1 3 (2 agree), D2 2.1 2.2 2.3 2.6 (2.2 and 2.6 agree), D3 4 (3 agree), D4 3 (3), D5 3 (3)
    assert (result.answers_compared, result.answers_agreed) == (3 + 4 + 4 + 3 + 3, 2 + 2 + 3 + 3 + 3)
    assert result.judgements_agreed == 4
    assert result.report_lines() == [
        "Trial X × pain: answers agree 13/17, domain judgements agree 4/5",
        "  D1.answers.1.1: AB=Y  CD=PY",
        "  D2.answers.2.1: AB=N  CD=Y",
        "  D2.answers.2.3: AB=(empty)  CD=N",
        "  D3.answers.3.4: AB=PN  CD=Y",
        "  D3 judgement: AB=some concerns  CD=high",
        "  overall.several_concerns_high: AB=false  CD=(empty)",
        "  overall.direction: AB=favours experimental  CD=(empty)",
        "  overall judgement: AB=some concerns  CD=high",
    ]


def test_the_consensus_copies_agreement_and_leaves_each_disagreement_empty():
    ab, cd = first_disagreement()
    consensus = compare_assessments(ab, cd).consensus
    assert consensus.assessor == "consensus of AB and CD"
    assert consensus.result == "MD -0.3 (95% CI -0.9 to 0.3)"  # only AB wrote it
    assert consensus.sources == ["journal article", "registry NCT01234567"]  # both assessors' sources
    assert consensus.domains["D1"].answers == {"1.1": "", "1.2": "Y", "1.3": "N"}
    assert consensus.domains["D2"].answers == {"2.1": "", "2.2": "N", "2.3": "", "2.4": "", "2.5": "",
                                               "2.6": "Y", "2.7": ""}
    assert consensus.domains["D3"].answers == {"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": ""}
    # support: one assessor's note is kept as it is, the same note once, two different notes labelled
    assert consensus.domains["D1"].support == {"1.1": "computer list (p. 2)", "1.2": "sealed envelopes",
                                               "1.3": "no imbalance (Table 1)"}
    assert consensus.domains["D3"].direction == "towards null"
    d4 = consensus.domains["D4"]
    assert (d4.override, d4.justification) == (
        "some concerns", "[AB] self-reported pain, unblinded | [CD] assessors knew the allocation")
    overall = consensus.overall
    assert (overall.several_concerns_high, overall.direction, overall.override) == (None, "", None)


def test_the_consensus_form_marks_every_disagreement_for_a_human(tmp_path):
    ab, cd = first_disagreement()
    result = compare_assessments(ab, cd)
    assert result.comments == {
        ("D1", "1.1"): "DISAGREEMENT: AB=Y, CD=PY; resolve and fill in",
        ("D2", "2.1"): "DISAGREEMENT: AB=N, CD=Y; resolve and fill in",
        ("D2", "2.3"): "DISAGREEMENT: AB=(empty), CD=N; resolve and fill in",
        ("D3", "3.4"): "DISAGREEMENT: AB=PN, CD=Y; resolve and fill in",
        ("D3", "judgement"): "DISAGREEMENT on judgement: AB=some concerns, CD=high",
        ("overall", "judgement"): "DISAGREEMENT on several_concerns_high: AB=false, CD=(empty); "
                                  "direction: AB=favours experimental, CD=(empty); "
                                  "judgement: AB=some concerns, CD=high",
    }
    path = write_form(form_path(tmp_path, "Trial X", "pain"), result.consensus, result.comments)
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_after(comment):
        return lines[lines.index(f"# {comment}") + 1]

    assert line_after(result.comments[("D1", "1.1")]).startswith('"1.1" = ""')
    assert line_after(result.comments[("D2", "2.3")]).startswith('"2.3" = ""')
    assert line_after(result.comments[("D3", "3.4")]).startswith('"3.4" = ""')
    assert lines[lines.index(f"# {result.comments[('D3', 'judgement')]}") - 1].startswith("[D3]")
    assert lines[lines.index(f"# {result.comments[('overall', 'judgement')]}") - 1] == "[overall]"
    # the consensus is a valid form; `rob check` keeps reporting what a human must still decide
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["D1"]["support"]["1.3"] == "no imbalance (Table 1)"
    reloaded = load_assessment(path)
    missing = sorted(p.key for p in assessment_problems(reloaded) if p.severity == ERROR)
    # 2.3 depends on the missing 2.1 and is reported there
    assert missing == ["D1.answers.1.1", "D2.answers.2.1", "D3.answers.3.4"]
    assert reloaded.domains["D4"].justification == ("[AB] self-reported pain, unblinded | "
                                                    "[CD] assessors knew the allocation")


def second_disagreement():
    """No assessor names; the forms agree on every answer but not on a direction, an override and the
    overall confirmation; A typed NA where a question does not apply, B left it out."""
    a = assessment("", {**LOW_ANSWERS, "D2": {**LOW_ANSWERS["D2"], "2.4": "NA"}},
                   **{"D1.direction": "unpredictable",
                      "D2.override": "high", "D2.justification": "many protocol deviations",
                      "overall.several_concerns_high": True,
                      "overall.override": "high", "overall.justification": "A: deviations in most patients"})
    b = assessment("", LOW_ANSWERS, **{"overall.override": "high",
                                       "overall.justification": "B: per-protocol analysis only"})
    return a, b


def test_differing_overrides_and_directions_are_disagreements_too(tmp_path):
    a, b = second_disagreement()
    result = compare_assessments(a, b)
    assert result.differences == [
        Difference("D1.direction", "unpredictable", ""),
        Difference("D2.override", "high", ""),  # the judgements differ only through it: reported once
        Difference("overall.several_concerns_high", "true", ""),
    ]
    # every answer agrees: D1 3, D2 2.1 2.2 2.6, D3 3.1, D4 3, D5 3
    assert (result.answers_compared, result.answers_agreed) == (13, 13)
    assert result.judgements_agreed == 4
    assert result.comments == {
        ("D1", "judgement"): "DISAGREEMENT on direction: A=unpredictable, B=(empty)",
        ("D2", "judgement"): "DISAGREEMENT on override: A=high, B=(empty)",
        ("overall", "judgement"): "DISAGREEMENT on several_concerns_high: A=true, B=(empty)",
    }
    consensus = result.consensus
    assert consensus.assessor == "consensus of A and B"
    assert consensus.domains["D2"].answers["2.4"] == "NA"  # one assessor wrote NA: kept
    assert consensus.domains["D2"].answers["2.5"] == ""  # neither did
    assert (consensus.domains["D2"].override, consensus.domains["D2"].justification) == (None, "")
    assert consensus.domains["D1"].direction == ""
    assert (consensus.overall.override, consensus.overall.justification) == (
        "high", "[A] A: deviations in most patients | [B] B: per-protocol analysis only")
    path = write_form(form_path(tmp_path, "Trial X", "pain"), consensus, result.comments)
    text = path.read_text(encoding="utf-8")
    assert '"2.4" = "NA"' in text
    assert '\noverride = "high"\njustification = "[A] A: deviations in most patients | [B] B: per-protocol ' \
           'analysis only"\n' in text
    reloaded = load_assessment(path)
    assert reloaded.overall_final() == "high"
    assert reloaded.domain("D2") == "low"  # the disputed override is not in the consensus


def test_identical_forms_agree_on_everything():
    a, _ = second_disagreement()
    result = compare_assessments(a, a)
    assert result.differences == [] and result.comments == {}
    assert (result.answers_compared, result.answers_agreed, result.judgements_agreed) == (13, 13, 5)
    assert result.consensus.domains["D2"].override == "high"
    assert result.consensus.domains["D2"].justification == "many protocol deviations"  # once, not twice
    assert result.consensus.overall.several_concerns_high is True


def test_what_only_the_second_assessor_filled_in_is_a_disagreement_too():
    """The mirror image: B gave an overall override, a confirmation, a direction and a domain override
    that A did not (or gave otherwise); B typed NA where A left the question out; B left 5.1 unanswered."""
    a = assessment("", LOW_ANSWERS, **{"result": "MD -0.3 (95% CI -0.9 to 0.3)",
                                       "D1.support": {"1.2": "central telephone randomisation"},
                                       "D2.override": "high", "D2.justification": "unblinded surgeons"})
    b = assessment("", {**LOW_ANSWERS, "D2": {**LOW_ANSWERS["D2"], "2.4": "NA"},
                        "D5": {"5.2": "N", "5.3": "N"}},
                   **{"result": "MD -0.4 (Table 3)", "D1.support": {"1.2": "sealed envelopes"},
                      "D2.override": "some concerns", "D2.justification": "deviations balanced",
                      "overall.several_concerns_high": True, "overall.direction": "towards null",
                      "overall.override": "high", "overall.justification": "two trial sites"})
    result = compare_assessments(a, b)
    assert result.differences == [
        Difference("D2.override", "high", "some concerns"),
        Difference("D5.answers.5.1", "Y", ""),
        Difference("D5 judgement", "low", ""),  # B has no D5 judgement while 5.1 is unanswered
        Difference("overall.several_concerns_high", "", "true"),
        Difference("overall.override", "", "high"),  # both end up high overall: no judgement difference
        Difference("overall.direction", "", "towards null"),
    ]
    assert result.comments[("D2", "judgement")] == "DISAGREEMENT on override: A=high, B=some concerns"
    assert result.comments[("D5", "5.1")] == "DISAGREEMENT: A=Y, B=(empty); resolve and fill in"
    assert result.comments[("overall", "judgement")] == (
        "DISAGREEMENT on several_concerns_high: A=(empty), B=true; override: A=(empty), B=high; "
        "direction: A=(empty), B=towards null")
    consensus = result.consensus
    assert consensus.result == "[A] MD -0.3 (95% CI -0.9 to 0.3) | [B] MD -0.4 (Table 3)"
    assert consensus.domains["D1"].support["1.2"] == "[A] central telephone randomisation | [B] sealed envelopes"
    assert consensus.domains["D2"].answers["2.4"] == "NA"
    assert [consensus.domains[k].key for k in ("D1", "D2", "D3", "D4", "D5")] == ["D1", "D2", "D3", "D4", "D5"]
    assert (consensus.overall.override, consensus.overall.several_concerns_high,
            consensus.overall.direction) == (None, None, "")


def test_answers_neither_assessor_could_give_yet_are_compared_but_not_agreed():
    """Both left 2.1 empty (so 2.3's condition is undecided) and both left 4.2 empty but answered 4.3
    (whose condition needs 4.2): nothing the algorithm can use is agreed there, so nothing is copied."""
    answers = {**LOW_ANSWERS, "D2": {"2.2": "N", "2.6": "Y"},
               "D4": {"4.1": "N", "4.3": "Y", "4.4": "N"}}
    result = compare_assessments(assessment("AB", answers), assessment("CD", answers))
    # compared: D1 3; D2 2.1–2.6 (2.3 waits for 2.1, 2.4 and 2.5 wait for 2.3; 2.7 does not apply after
    # 2.6 Y); D3 3.1; D4 4.1–4.5 (4.3 waits for 4.2, 4.4 and 4.5 for 4.3); D5 3.
    # agreed: all but 2.1, 2.3, 2.4, 2.5, 4.2, 4.3, 4.4 and 4.5
    assert (result.answers_compared, result.answers_agreed) == (3 + 6 + 1 + 5 + 3, 3 + 2 + 1 + 1 + 3)
    consensus = result.consensus
    assert (consensus.domains["D2"].answers["2.3"], consensus.domains["D4"].answers["4.3"]) == ("", "")


def test_two_different_overall_overrides_are_shown_side_by_side():
    a = assessment("AB", LOW_ANSWERS, **{"overall.override": "high", "overall.justification": "sponsor bias"})
    b = assessment("CD", LOW_ANSWERS, **{"overall.override": "some concerns", "overall.justification": "small"})
    result = compare_assessments(a, b)
    assert result.differences == [Difference("overall.override", "high", "some concerns")]
    assert result.comments == {("overall", "judgement"): "DISAGREEMENT on override: AB=high, CD=some concerns"}
