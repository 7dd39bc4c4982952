"""``sysrev rob check`` rules (docs/rob.md "check" and "Overrides"), each with its severity, key, line and
message: overrides equal to the algorithm, typed-in overall judgements, the assessor's overall confirmation,
answers to questions that do (not) apply. Expected lines are where the test put the entry."""

from rob_answers import LOW_ANSWERS

from sysrev.rob.check import ERROR, WARNING, assessment_problems, check_folder
from sysrev.rob.form import Assessment, form_path, load_assessment, write_form

# D1: 1.2 NI and 1.3 N → some concerns; D5: 5.2/5.3 N/PN and 5.1 NI → some concerns (guidance flowcharts)
TWO_CONCERNS = {**LOW_ANSWERS, "D1": {"1.1": "Y", "1.2": "NI", "1.3": "N"}, "D5": {"5.1": "NI", "5.2": "N",
                                                                                     "5.3": "N"}}


def written(tmp_path, answers=LOW_ANSWERS, study="Trial X", **fields):
    a = Assessment(study=study, outcome="pain", assessor="AB")
    for key, values in answers.items():
        a.domains[key].answers.update(values)
    for name, value in fields.items():
        table, attribute = name.split("__")
        setattr(a.overall if table == "overall" else a.domains[table], attribute, value)
    return write_form(form_path(tmp_path, study, "pain"), a)


def problems(path):
    return [(p.severity, p.key, p.message, p.line) for p in assessment_problems(load_assessment(path))]


def line_in_table(path, table, startswith):
    """The line number of the first line of ``[table]`` starting with ``startswith``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.split("#")[0].strip() == f"[{table}]")
    return next(i for i in range(start, len(lines)) if lines[i].startswith(startswith)) + 1


def test_a_domain_override_equal_to_the_algorithm_is_reported_as_removable(tmp_path):
    path = written(tmp_path, D3__override="low", D3__justification="complete follow-up")
    assert problems(path) == [(WARNING, "D3.override",
                               "override 'low' equals the algorithm's judgement; it can be removed",
                               line_in_table(path, "D3", "override"))]


def test_an_overall_override_equal_to_the_computed_judgement_is_reported(tmp_path):
    path = written(tmp_path, overall__override="low", overall__justification="every domain low")
    assert problems(path) == [(WARNING, "overall.override", "override 'low' equals the computed judgement",
                               line_in_table(path, "overall", "override"))]


def test_an_overall_override_that_changes_the_judgement_is_not_a_problem(tmp_path):
    path = written(tmp_path, overall__override="some concerns", overall__justification="small trial")
    assert problems(path) == []


def test_a_typed_overall_judgement_must_agree_with_the_computed_one(tmp_path):
    path = written(tmp_path, overall__judgement="high")
    assert problems(path) == [(ERROR, "overall.judgement", "stated judgement 'high' disagrees with the computed "
                                                           "overall judgement ('low')",
                               line_in_table(path, "overall", "judgement"))]
    agreeing = written(tmp_path, study="Trial Y", overall__judgement="low")
    assert problems(agreeing) == []


def test_a_typed_overall_judgement_is_not_checked_against_an_override(tmp_path):
    path = written(tmp_path, overall__judgement="high", overall__override="high",
                   overall__justification="outcome assessors were the surgeons")
    assert problems(path) == []


def test_a_typed_domain_judgement_is_not_checked_against_its_override(tmp_path):
    path = written(tmp_path, D4__judgement="high", D4__override="high", D4__justification="unvalidated scale")
    assert problems(path) == []


def test_two_domains_with_some_concerns_wait_for_the_assessors_confirmation(tmp_path):
    path = written(tmp_path, answers=TWO_CONCERNS)
    assert problems(path) == [(WARNING, "overall", "2 domains have some concerns: set "
                                                   "overall.several_concerns_high to true (together they "
                                                   "substantially lower confidence → high) or false",
                               line_in_table(path, "overall", "[overall]"))]


def test_an_overall_override_settles_the_confirmation(tmp_path):
    path = written(tmp_path, answers=TWO_CONCERNS, overall__override="high",
                   overall__justification="both concerns bear on the primary outcome")
    assert problems(path) == []


def test_confirming_several_concerns_with_a_high_domain_is_an_error(tmp_path):
    # D3: 3.1 N, 3.2 N, 3.3 Y, 3.4 Y → high; with D1 and D5 at some concerns the confirmation cannot apply
    answers = {**TWO_CONCERNS, "D3": {"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "Y"}}
    path = written(tmp_path, answers=answers, overall__several_concerns_high=True)
    assert problems(path) == [(ERROR, "overall.several_concerns_high",
                               "is true but it only applies when two or more domains have some concerns and none "
                               "is high", line_in_table(path, "overall", "several_concerns_high"))]


def test_answering_a_question_that_does_not_apply_names_its_condition(tmp_path):
    answers = {**LOW_ANSWERS, "D4": {"4.1": "N", "4.2": "N", "4.3": "N", "4.4": "PY"}}
    path = written(tmp_path, answers=answers)
    assert problems(path) == [(ERROR, "D4.answers.4.4", "answered 'PY' but the question does not apply "
                                                        "(If Y/PY/NI to 4.3); answer NA or leave it empty",
                               line_in_table(path, "D4.answers", '"4.4"'))]


def test_na_to_a_question_that_applies_lists_the_questions_options(tmp_path):
    answers = {**LOW_ANSWERS, "D3": {"3.1": "PN", "3.2": "NA"}}  # 3.2 applies after N/PN/NI to 3.1
    path = written(tmp_path, answers=answers)
    assert problems(path) == [(ERROR, "D3.answers.3.2", "answered NA but the question applies; answer one of "
                                                        "Y/PY/PN/N", line_in_table(path, "D3.answers", '"3.2"'))]


def test_questions_left_out_of_a_hand_written_form_are_fine_when_they_do_not_apply(tmp_path):
    path = tmp_path / "Trial_X--pain.toml"
    body = "\n".join(f'[{key}.answers]\n' + "\n".join(f'"{q}" = "{v}"' for q, v in values.items())
                     for key, values in LOW_ANSWERS.items())
    path.write_text(f'study = "Trial X"\noutcome = "pain"\n{body}\n', encoding="utf-8")
    assert problems(path) == []


def test_an_assessment_not_yet_written_to_a_file_can_be_checked():
    a = Assessment(study="Trial X", outcome="pain")
    a.domains["D1"].answers.update({"1.1": "Y", "1.3": "N"})
    found = [(p.severity, p.key, p.message, p.path, p.line) for p in assessment_problems(a)]
    assert (ERROR, "D1.answers.1.2", "missing answer", None, None) in found
    assert not any("file name" in message for _, _, message, _, _ in found)


def test_a_form_in_the_wrong_file_names_the_expected_file(tmp_path):
    path = written(tmp_path, study="Park 2013")
    moved = path.rename(tmp_path / "Park--pain.toml")
    (problem,) = assessment_problems(load_assessment(moved))
    assert (problem.severity, problem.key, problem.line) == (ERROR, "study", 6)  # study = "Park 2013", line 6
    assert problem.message == ("study/outcome ('Park 2013', 'pain') do not match the file name; "
                               "expected Park_2013--pain.toml")


def test_a_file_that_is_not_toml_is_one_error_naming_its_line(tmp_path):
    written(tmp_path, study="Good")
    bad = tmp_path / "Bad--pain.toml"
    bad.write_text('study = "Bad"\noutcome = "pain"\n[D1\n', encoding="utf-8")
    assessments, found = check_folder(tmp_path)
    assert [a.study for a in assessments] == ["Good"]
    (problem,) = found
    assert (problem.severity, problem.path, problem.key) == (ERROR, bad, "")
    assert "line 3" in problem.message  # the TOML parser's position: the unclosed [D1
    assert str(problem).startswith(f"error: {bad}: invalid TOML")  # no [key] when the error names none


def test_a_typed_domain_judgement_that_disagrees_says_how_to_resolve_it(tmp_path):
    path = written(tmp_path, D1__judgement="high")
    assert problems(path) == [(ERROR, "D1.judgement", "stated judgement 'high' disagrees with the algorithm ('low'); "
                                                      "correct it, or make it an override with a justification",
                               line_in_table(path, "D1", "judgement"))]


def test_an_answer_waiting_for_its_condition_is_not_called_inapplicable(tmp_path):
    # 2.3 applies "If Y/PY/NI to 2.1 or 2.2": with 2.1 unanswered it may still apply, so its answer is kept
    # and only the missing 2.1 is reported
    answers = {**LOW_ANSWERS, "D2": {"2.2": "N", "2.3": "N", "2.6": "Y"}}
    path = written(tmp_path, answers=answers)
    assert [(s, k, m) for s, k, m, _ in problems(path)] == [(ERROR, "D2.answers.2.1", "missing answer")]


def test_a_question_whose_all_condition_fails_on_one_answer_does_not_apply(tmp_path):
    # 4.3 applies "If N/PN/NI to 4.1 and 4.2": an inappropriate method (4.1 PY) makes D4 high at once and
    # 4.3–4.5 do not apply, even though 4.2 is N
    answers = {**LOW_ANSWERS, "D4": {"4.1": "PY", "4.2": "N"}}
    path = written(tmp_path, answers=answers)
    assert problems(path) == []
    assert load_assessment(path).domain("D4") == "high"
