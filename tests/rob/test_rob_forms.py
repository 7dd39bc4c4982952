"""RoB 2 forms: template round trip, malformed files (errors name file, key and line), checks, comparison."""

import json
import shutil

import pytest
from rob_answers import LOW_ANSWERS

from sysrev.errors import InputError, SysrevError
from sysrev.rob.check import ERROR, WARNING, assessment_problems, check_folder
from sysrev.rob.compare import compare_assessments, compare_paths
from sysrev.rob.form import Assessment, form_path, load_assessment, render_form, slug, write_form
from sysrev.rob.summary import load_weights, rob_for_forest, weights_by_study


def make(tmp_path, study="Trial X", outcome="pain", answers=LOW_ANSWERS, **overall):
    a = Assessment(study=study, outcome=outcome, assessor="AB")
    for key, values in answers.items():
        a.domains[key].answers.update(values)
    for name, value in overall.items():
        setattr(a.overall, name, value)
    return write_form(form_path(tmp_path, study, outcome), a)


def problems_of(path):
    return [(p.severity, p.key, p.message) for p in assessment_problems(load_assessment(path))]


def test_template_round_trip_and_file_name(tmp_path):
    path = make(tmp_path, study="Park 2013")
    assert path.name == "Park_2013--pain.toml"
    a = load_assessment(path)
    assert (a.study, a.outcome, a.assessor) == ("Park 2013", "pain", "AB")
    assert a.judgements() == {"D1": "low", "D2": "low", "D3": "low", "D4": "low", "D5": "low", "overall": "low"}
    assert problems_of(path) == []
    assert render_form(a) == path.read_text()


def test_slug():
    assert slug("Jee 2013 (cervical)") == "Jee_2013_cervical"


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_invalid_answer_names_file_key_and_line(tmp_path):
    path = make(tmp_path)
    edit(path, '"1.1" = "Y"', '"1.1" = "Yep"')
    with pytest.raises(InputError) as err:
        load_assessment(path)
    line = next(i for i, text_line in enumerate(path.read_text().splitlines(), 1)
                if text_line.startswith('"1.1" = "Yep"'))
    assert err.value.path == path and err.value.line == line and err.value.column == "D1.answers.1.1"
    assert "answer 'Yep' is not allowed" in str(err.value)  # quoted as typed


def test_no_information_is_not_allowed_for_3_2(tmp_path):
    path = make(tmp_path)
    edit(path, '"3.2" = ""', '"3.2" = "NI"')
    with pytest.raises(InputError, match="not allowed for 3.2"):
        load_assessment(path)


def test_unknown_question_and_unknown_key(tmp_path):
    path = make(tmp_path)
    edit(path, '"1.3" = "N"', '"1.4" = "N"')
    with pytest.raises(InputError, match="D1 has no signalling question '1.4'"):
        load_assessment(path)
    path = make(tmp_path)
    edit(path, 'assessor = "AB"', 'assessor = "AB"\nreviewer = "CD"')
    with pytest.raises(InputError, match="unknown key 'reviewer'") as err:
        load_assessment(path)
    assert err.value.line == 9


def test_toml_syntax_error_names_line(tmp_path):
    path = make(tmp_path)
    edit(path, '"1.1" = "Y"', '"1.1" = Y')
    with pytest.raises(InputError, match="line 18"):
        load_assessment(path)


def test_override_needs_justification(tmp_path):
    path = make(tmp_path)
    edit(path, '# override = ""', 'override = "High"')
    with pytest.raises(InputError, match="needs a written justification") as err:
        load_assessment(path)
    assert err.value.column == "D1.justification"


def test_override_with_justification_replaces_the_algorithm(tmp_path):
    path = make(tmp_path)
    edit(path, '# override = ""\n# justification = ""',
         'override = "High risk"\njustification = "sealed envelopes were translucent"')
    a = load_assessment(path)
    assert a.algorithm("D1") == "low" and a.domain("D1") == "high" and a.overall_final() == "high"
    assert problems_of(path) == []


def test_bad_judgement_word(tmp_path):
    path = make(tmp_path)
    edit(path, '# judgement = ""', 'judgement = "moderate"')
    with pytest.raises(InputError, match="'moderate' is not a judgement"):
        load_assessment(path)


def test_check_reports_missing_inapplicable_and_na(tmp_path):
    answers = {**LOW_ANSWERS, "D1": {"1.1": "Y", "1.3": "N"},            # 1.2 missing
               "D2": {"2.1": "N", "2.2": "N", "2.3": "Y", "2.6": "Y"},    # 2.3 does not apply
               "D3": {"3.1": "N", "3.2": "NA"}}                          # 3.2 applies, NA given
    path = make(tmp_path, answers=answers)
    found = problems_of(path)
    assert (ERROR, "D1.answers.1.2", "missing answer") in found
    assert any(k == "D2.answers.2.3" and "does not apply (If Y/PY/NI to 2.1 or 2.2)" in m for _, k, m in found)
    assert any(k == "D3.answers.3.2" and "answered NA but the question applies" in m for _, k, m in found)
    # 3.3 depends on the unanswered 3.2: reported once, at 3.2
    assert not any(k == "D3.answers.3.3" for _, k, _m in found)


def test_check_stated_judgement_disagreeing_with_algorithm(tmp_path):
    path = make(tmp_path)
    edit(path, '# judgement = ""', 'judgement = "high"')
    found = problems_of(path)
    assert [(s, k) for s, k, _ in found] == [(ERROR, "D1.judgement")]
    assert "disagrees with the algorithm ('low')" in found[0][2]


def concerns_answers():
    return {**LOW_ANSWERS, "D1": {"1.1": "Y", "1.2": "NI", "1.3": "N"}, "D5": {"5.1": "NI", "5.2": "N", "5.3": "N"}}


def test_several_concerns_need_the_assessors_confirmation(tmp_path):
    path = make(tmp_path, answers=concerns_answers())
    assert load_assessment(path).overall_final() == "some concerns"
    assert [(s, k) for s, k, _ in problems_of(path)] == [(WARNING, "overall")]
    confirmed = make(tmp_path, study="Trial Y", answers=concerns_answers(), several_concerns_high=True)
    assert load_assessment(confirmed).overall_final() == "high"
    assert problems_of(confirmed) == []
    wrong = make(tmp_path, study="Trial Z", several_concerns_high=True)  # all low: confirmation cannot apply
    assert [(s, k) for s, k, _ in problems_of(wrong)] == [(ERROR, "overall.several_concerns_high")]


def test_file_name_must_match_study_and_outcome(tmp_path):
    path = make(tmp_path)
    moved = path.rename(tmp_path / "Other--pain.toml")
    assert any("do not match the file name" in m for _, _, m in problems_of(moved))


def test_check_folder_collects_malformed_files_and_continues(tmp_path):
    make(tmp_path, study="Good")
    bad = make(tmp_path, study="Bad")
    edit(bad, '"1.1" = "Y"', '"1.1" = "maybe"')
    (tmp_path / "README.md").write_text("not a form")
    assessments, problems = check_folder(tmp_path)
    assert [a.study for a in assessments] == ["Good"]
    assert len(problems) == 1 and problems[0].path == bad and problems[0].line == 18


def test_compare_copies_agreement_and_leaves_disagreement_empty(tmp_path):
    a_dir, b_dir, out = tmp_path / "a", tmp_path / "b", tmp_path / "consensus"
    make(a_dir)
    make(b_dir, answers={**LOW_ANSWERS, "D1": {"1.1": "Y", "1.2": "N", "1.3": "N"}})
    make(a_dir, study="Only A")
    comparisons, notes = compare_paths(a_dir, b_dir, out)
    (c,) = comparisons
    assert [(d.field, d.a, d.b) for d in c.differences] == [
        ("D1.answers.1.2", "Y", "N"), ("D1 judgement", "low", "high"), ("overall judgement", "low", "high")]
    assert c.answers_agreed == c.answers_compared - 1
    assert notes == [f"Only_A--pain.toml: only in {a_dir}"]
    consensus = load_assessment(out / "Trial_X--pain.toml")
    assert consensus.domains["D1"].answers["1.2"] == "" and consensus.domains["D1"].answers["1.1"] == "Y"
    assert consensus.algorithm("D1") is None and consensus.algorithm("D2") == "low"
    assert "DISAGREEMENT: AB=Y, AB=N" in (out / "Trial_X--pain.toml").read_text()
    assert any(p.key == "D1.answers.1.2" for p in assessment_problems(consensus))


def test_compare_reports_differing_directions_of_bias(tmp_path):
    a = load_assessment(make(tmp_path / "a"))
    b = load_assessment(make(tmp_path / "b"))
    a.domains["D4"].direction, b.domains["D4"].direction = "favours experimental", "towards null"
    a.overall.direction = b.overall.direction = "favours experimental"
    b.domains["D2"].direction = "unpredictable"
    c = compare_assessments(a, b)
    assert [(d.field, d.a, d.b) for d in c.differences] == [
        ("D2.direction", "", "unpredictable"), ("D4.direction", "favours experimental", "towards null")]
    assert c.consensus.domains["D4"].direction == "" and c.consensus.overall.direction == "favours experimental"
    text = render_form(c.consensus, c.comments)
    assert "# DISAGREEMENT on direction: AB=favours experimental, AB=towards null" in text


def test_compare_refuses_different_studies(tmp_path):
    a = load_assessment(make(tmp_path / "a"))
    b = load_assessment(make(tmp_path / "b", study="Other"))
    with pytest.raises(SysrevError, match="same study and outcome"):
        compare_assessments(a, b)


def test_rob_for_forest_shape_skips_incomplete(tmp_path):
    make(tmp_path, study="Complete")
    make(tmp_path, study="Half", answers={"D1": LOW_ANSWERS["D1"]})
    make(tmp_path, study="Other outcome", outcome="ODI")
    got = rob_for_forest(tmp_path, "pain")
    assert got == {"Complete": {"D1": "low", "D2": "low", "D3": "low", "D4": "low", "D5": "low", "overall": "low"}}


def test_fixture_project_judgements(own_fixtures):
    got = rob_for_forest(own_fixtures / "rob" / "project" / "analysis" / "rob2", "pain")
    assert {s: j["overall"] for s, j in got.items()} == {
        "Trial Alpha 2019": "low", "Trial Beta 2020": "some concerns",
        "Trial Delta 2022": "high", "Trial Gamma 2021": "high"}
    assert got["Trial Gamma 2021"]["D4"] == "high" and got["Trial Gamma 2021"]["D2"] == "some concerns"


def test_load_weights_csv_and_errors(tmp_path):
    (tmp_path / "w.csv").write_text("study,weight\nA,2.5\nB,x\n")
    with pytest.raises(InputError) as err:
        load_weights(tmp_path / "w.csv")
    assert (err.value.line, err.value.column) == (3, "weight")
    (tmp_path / "w.json").write_text('{"studies": [{"study": "A", "weight": 40.0}, {"study": "B", "weight": 60}]}')
    assert load_weights(tmp_path / "w.json") == {"A": 40.0, "B": 60.0}


def test_weights_from_a_meta_run_results_file_are_summed_per_study(tmp_path):
    # the shape `sysrev meta run` writes: rows under result.studies, labelled "Study (time point)" when a
    # study has several rows; a row the engine could not estimate has weight null
    results = {"name": "pain", "result": {"studies": [
        {"study": "Park 2013 (2 weeks)", "weight": 12.5}, {"study": "Park 2013 (12 weeks)", "weight": 10.0},
        {"study": "Jee 2014", "weight": 30.0}, {"study": "Jee 2014b", "weight": 7.0},
        {"study": "Hazra 2016", "weight": None}]}}
    (tmp_path / "pain.json").write_text(json.dumps(results))
    rows = load_weights(tmp_path / "pain.json")
    assert rows["Hazra 2016"] == 0.0
    by_study = weights_by_study(rows, ["Park 2013", "Jee 2014", "Hazra 2016", "Nisolle 2023"])
    assert by_study == {"Park 2013": 22.5, "Jee 2014": 30.0, "Hazra 2016": 0.0}  # "Jee 2014b" is another study
    (tmp_path / "bad.json").write_text('{"result": null}')
    with pytest.raises(InputError, match="result.studies"):
        load_weights(tmp_path / "bad.json")


def test_fixture_forms_are_clean(own_fixtures, tmp_path):
    folder = tmp_path / "rob2"
    shutil.copytree(own_fixtures / "rob" / "project" / "analysis" / "rob2", folder)
    assessments, problems = check_folder(folder)
    assert len(assessments) == 5 and problems == []


def test_compare_report_names_assessors_or_a_and_b(tmp_path):
    a = load_assessment(make(tmp_path / "a"))
    b = load_assessment(make(tmp_path / "b"))
    b.domains["D2"].direction = "unpredictable"
    a.assessor, b.assessor = "", ""
    lines = compare_assessments(a, b).report_lines()
    assert lines[1:] == ["  D2.direction: A=(empty)  B=unpredictable"]
    a.domains["D2"].direction, b.domains["D2"].direction = "towards null", ""
    a.assessor, b.assessor = "anna", "ben"
    assert compare_assessments(a, b).report_lines()[1:] == ["  D2.direction: anna=towards null  ben=(empty)"]


def test_compare_paths_refuses_a_file_against_a_folder_and_empty_folders(tmp_path):
    form = make(tmp_path / "a")
    with pytest.raises(SysrevError, match="^compare two files or two folders, not a file and a folder"):
        compare_paths(form, tmp_path / "a")
    (tmp_path / "empty1").mkdir()
    (tmp_path / "empty2").mkdir()
    with pytest.raises(SysrevError, match="^no RoB 2 forms"):
        compare_paths(tmp_path / "empty1", tmp_path / "empty2")
    # one empty side is not an error: every form is "only in" the other
    comparisons, notes = compare_paths(tmp_path / "empty1", tmp_path / "a")
    assert comparisons == [] and notes == [f"Trial_X--pain.toml: only in {tmp_path / 'a'}"]
    comparisons, notes = compare_paths(tmp_path / "a", tmp_path / "empty2")
    assert comparisons == [] and notes == [f"Trial_X--pain.toml: only in {tmp_path / 'a'}"]


def test_compare_two_files_writes_the_consensus_to_the_named_file(tmp_path):
    a, b = make(tmp_path / "a"), make(tmp_path / "b")
    out = tmp_path / "agreed.toml"
    comparisons, notes = compare_paths(a, b, out)
    assert len(comparisons) == 1 and notes == []
    assert load_assessment(out).domains["D1"].answers == load_assessment(a).domains["D1"].answers


def test_check_folder_names_malformed_duplicate_and_unknown_forms(tmp_path):
    good = make(tmp_path)
    bad = make(tmp_path, study="Bad")
    edit(bad, '"1.1" = "Y"', '"1.1" = "maybe"')
    (malformed,) = [p for p in check_folder(tmp_path)[1] if p.path == bad]
    assert malformed.severity == ERROR and "1.1" in malformed.key and "maybe" in malformed.message
    assert not malformed.message.startswith(str(bad))  # the location is printed once, by the Problem
    bad.unlink()

    copy = tmp_path / "Trial_X_copy--pain.toml"  # the same study × outcome in a second file
    shutil.copy(good, copy)
    _, problems = check_folder(tmp_path)
    second = [p for p in problems if p.message.startswith("a second form")]
    assert [(p.severity, p.path, p.key) for p in second] == [(ERROR, copy, "study")]
    assert second[0].message == "a second form for 'Trial X' × 'pain' (also Trial_X--pain.toml)"
    copy.unlink()

    study_line = next(i for i, line in enumerate(good.read_text().splitlines(), 1) if line.startswith("study ="))
    _, problems = check_folder(tmp_path, known_studies={"Trial X"})
    assert not [p for p in problems if p.severity == WARNING and p.key == "study"]
    _, problems = check_folder(tmp_path, known_studies={"Trial Y"})
    unknown = [p for p in problems if p.severity == WARNING and p.key == "study"]
    assert [(p.path, p.line) for p in unknown] == [(good, study_line)]
    assert unknown[0].message == "study 'Trial X' is not in the extraction's studies.csv (labels must match)"
