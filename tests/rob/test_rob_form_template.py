"""The form sysrev writes (``sysrev rob new``, consensus forms, the web editor): every signalling question with
the guidance's condition and answer options beside it, the optional entries as commented placeholders
(docs/rob.md "Files"), and a filled-in assessment written so that it reads back unchanged."""

import re
import tomllib

from sysrev.rob.form import Assessment, form_path, load_assessment, render_form, slug, write_form
from sysrev.rob.questions import DOMAIN_BY_KEY

# The RoB 2 guidance's conditions ("If … to …") for an individually randomized parallel-group trial, effect
# of assignment (docs/rob.md, "Sources"); every other question always applies.
CONDITIONS = {
    "2.3": "If Y/PY/NI to 2.1 or 2.2", "2.4": "If Y/PY to 2.3", "2.5": "If Y/PY/NI to 2.4",
    "2.7": "If N/PN/NI to 2.6", "3.2": "If N/PN/NI to 3.1", "3.3": "If N/PN to 3.2", "3.4": "If Y/PY/NI to 3.3",
    "4.3": "If N/PN/NI to 4.1 and 4.2", "4.4": "If Y/PY/NI to 4.3", "4.5": "If Y/PY/NI to 4.4",
}
QUESTIONS = {"D1": 3, "D2": 7, "D3": 4, "D4": 5, "D5": 3}
DIRECTIONS = "NA | favours experimental | favours comparator | towards null | away from null | unpredictable"


def template():
    return render_form(Assessment(study="Park 2013", outcome="pain"))


def test_the_template_lists_every_signalling_question_with_its_condition_and_options():
    text = template()
    found = {}
    for line in text.splitlines():
        match = re.match(r'^"(\d\.\d)" = ""  # (?:\[(If [^\]]+)\] )?.+ \(([A-Z/]+)\)$', line)
        if match:
            found[match.group(1)] = (match.group(2), match.group(3))
    expected_ids = [f"{d[1]}.{n}" for d, count in QUESTIONS.items() for n in range(1, count + 1)]
    assert sorted(found) == expected_ids
    for qid, (condition, options) in found.items():
        assert condition == CONDITIONS.get(qid), qid
        if condition is None:  # nothing before the question's topic
            topic = DOMAIN_BY_KEY[f"D{qid[0]}"].question(qid).topic
            assert f'"{qid}" = ""  # {topic} (' in text, qid
        base = "Y/PY/PN/N" if qid == "3.2" else "Y/PY/PN/N/NI"  # 3.2 has no "no information" option
        assert options == base + ("/NA" if qid in CONDITIONS else ""), qid


def test_the_template_is_a_form_with_empty_answers_and_support():
    data = tomllib.loads(template())
    assert (data["study"], data["outcome"], data["assessor"], data["result"], data["sources"]) == (
        "Park 2013", "pain", "", "", [])
    for key, count in QUESTIONS.items():
        ids = [f"{key[1]}.{n}" for n in range(1, count + 1)]
        assert data[key]["answers"] == dict.fromkeys(ids, "")
        assert data[key]["support"] == dict.fromkeys(ids, "")
        assert set(data[key]) == {"answers", "support"}  # judgement, override … are only placeholders
    assert data["overall"] == {}


def test_the_templates_placeholders_show_what_may_be_filled_in():
    lines = template().splitlines()
    for key, name in [("D1", "Bias arising from the randomization process"),
                      ("D3", "Bias due to missing outcome data"),
                      ("D5", "Bias in selection of the reported result")]:
        start = lines.index(f"[{key}]  # {name}")
        assert lines[start + 1:start + 6] == ['# judgement = ""', '# override = ""', '# justification = ""',
                                              f'# direction = ""  # optional: {DIRECTIONS}', f"[{key}.answers]"]
    start = lines.index("[overall]")
    tail = lines[start:]
    assert "# several_concerns_high = false" in tail
    for name in ("judgement", "override", "justification", "direction"):
        assert f'# {name} = ""' in tail
    header = " ".join(line.lstrip("# ") for line in lines[:5])
    for phrase in ("RoB 2 assessment", "individually randomized parallel-group trial",
                   "effect of assignment to intervention",
                   "Y, PY (probably yes), PN (probably no), N, NI (no information)", "`sysrev rob check`",
                   "`override`", "`justification`", "RoB 2 full guidance (riskofbias.info)"):
        assert phrase in header, phrase
    # the confirmation's meaning, as docs/rob.md states it: true → high, false → some concerns
    assert any("true → high, false → some concerns" in line for line in tail if line.startswith("#"))


def test_a_filled_in_assessment_is_written_readably_and_reads_back_unchanged(tmp_path):
    a = Assessment(study="Müller 2019", outcome="pain at 12 weeks", assessor="Zoë", result="SMD −0.4",
                   sources=["journal article", "registry DRKS00012345"], notes="translated from German")
    a.domains["D1"].answers.update({"1.1": "Y", "1.2": "Y", "1.3": "N"})
    a.domains["D1"].support.update({"1.1": 'sealed "opaque" envelopes', "1.3": ""})
    a.domains["D2"].answers.update({"2.1": "N", "2.2": "N", "2.6": "Y"})
    a.domains["D2"].judgement = "low"
    a.domains["D2"].direction = "towards null"
    a.domains["D4"].override, a.domains["D4"].justification = "high", "pain diaries read by the surgeon"
    a.overall.several_concerns_high = False
    a.overall.judgement, a.overall.override = "high", "high"
    a.overall.justification, a.overall.direction = "D4", "favours experimental"
    path = write_form(form_path(tmp_path, a.study, a.outcome), a)
    assert path.name == "Müller_2019--pain_at_12_weeks.toml"
    text = path.read_text(encoding="utf-8")
    # a file people read and edit: labels as typed, not \u escapes
    assert 'study = "Müller 2019"' in text and 'assessor = "Zoë"' in text and 'result = "SMD −0.4"' in text
    assert 'sources = ["journal article", "registry DRKS00012345"]' in text
    assert 'notes = "translated from German"' in text
    lines = text.splitlines()
    overall = lines[lines.index("[overall]"):]
    assert "several_concerns_high = false" in overall
    assert {'judgement = "high"', 'override = "high"', 'justification = "D4"',
            'direction = "favours experimental"'} <= set(overall)
    b = load_assessment(path)
    assert (b.study, b.outcome, b.assessor, b.result, b.sources, b.notes) == (
        a.study, a.outcome, a.assessor, a.result, a.sources, a.notes)
    for key in QUESTIONS:
        assert {q: v for q, v in b.domains[key].answers.items() if v} == a.domains[key].answers
        assert {q: v for q, v in b.domains[key].support.items() if v} == {
            q: v for q, v in a.domains[key].support.items() if v}
        for name in ("judgement", "override", "justification", "direction"):
            assert getattr(b.domains[key], name) == getattr(a.domains[key], name)
    assert b.overall == a.overall
    assert render_form(b) == text


def test_the_overall_confirmation_is_written_as_typed():
    a = Assessment(study="Trial X", outcome="pain")
    a.overall.several_concerns_high = True
    assert "several_concerns_high = true" in render_form(a).splitlines()
    a.overall.several_concerns_high = False
    assert "several_concerns_high = false" in render_form(a).splitlines()


def test_a_label_without_any_file_name_character_still_names_a_file():
    assert slug("***") == "_"
    assert slug("  Park 2013 ") == "Park_2013"
