"""Reading RoB 2 forms written by hand: what an assessor may type, and the error (file, line, key) for what
the form's own checks reject. Each expected line is the line where the test put the faulty entry; each
expected word list is the guidance's (answer options per question, judgements, directions of bias)."""

import pytest

from sysrev.errors import InputError
from sysrev.rob.form import load_assessment

# A low-risk assessment typed by hand: no [Dx.support] tables, questions that do not apply left out.
LOW_FORM = """\
study = "Trial X"
outcome = "pain"
assessor = "AB"
{top}
[D1]
{d1}
[D1.answers]
"1.1" = "Y"
"1.2" = "Y"
"1.3" = "N"
{d1_answers}
[D2.answers]
"2.1" = "N"
"2.2" = "N"
"2.6" = "Y"

[D3.answers]
"3.1" = "Y"
{d3_answers}
[D4.answers]
"4.1" = "N"
"4.2" = "N"
"4.3" = "N"

[D5.answers]
"5.1" = "Y"
"5.2" = "N"
"5.3" = "N"

[overall]
{overall}
"""


def write(tmp_path, **parts):
    text = LOW_FORM.format(**{k: parts.get(k, "") for k in ("top", "d1", "d1_answers", "d3_answers", "overall")})
    path = tmp_path / "Trial_X--pain.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_number(path, fragment):
    """1-based number of the only line holding ``fragment`` (where the test put it)."""
    lines = [n for n, line in enumerate(path.read_text().splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, lines
    return lines[0]


def test_a_hand_written_form_without_support_tables_reads_as_all_low(tmp_path):
    a = load_assessment(write(tmp_path))
    assert (a.study, a.outcome, a.assessor, a.result, a.notes, a.sources) == ("Trial X", "pain", "AB", "", "", [])
    assert a.judgements() == {"D1": "low", "D2": "low", "D3": "low", "D4": "low", "D5": "low", "overall": "low"}
    assert a.domains["D1"].answers == {"1.1": "Y", "1.2": "Y", "1.3": "N"}
    assert [a.domains[k].key for k in ("D1", "D2", "D3", "D4", "D5")] == ["D1", "D2", "D3", "D4", "D5"]
    assert a.domains["D1"].support == {}
    assert (a.domains["D1"].judgement, a.domains["D1"].override, a.domains["D1"].justification,
            a.domains["D1"].direction) == (None, None, "", "")
    assert (a.overall.several_concerns_high, a.overall.judgement, a.overall.override, a.overall.justification,
            a.overall.direction) == (None, None, None, "", "")


def test_free_text_and_answers_are_read_without_surrounding_spaces(tmp_path):
    path = write(tmp_path, top='result = "  MD -0.3 (95% CI -0.9 to 0.3)  "\nnotes = " pilot data "\n'
                               'sources = ["journal article", "registry NCT01234567"]',
                 d1_answers='[D1.support]\n"1.1" = "  \'computer-generated list\' (p. 3)  "',
                 d3_answers='[D3]\njustification = "  only with an override  "')
    text = path.read_text().replace('"1.2" = "Y"', '"1.2" = " py "')
    path.write_text(text)
    a = load_assessment(path)
    assert a.result == "MD -0.3 (95% CI -0.9 to 0.3)"
    assert a.notes == "pilot data"
    assert a.sources == ["journal article", "registry NCT01234567"]
    assert a.domains["D1"].support == {"1.1": "'computer-generated list' (p. 3)"}
    assert a.domains["D1"].answers["1.2"] == "PY"  # answers are read in any case
    assert a.domains["D3"].justification == "only with an override"


@pytest.mark.parametrize("typed, judgement", [
    ("High risk of bias", "high"), ("low risk", "low"), ("Some_Concerns", "some concerns"),
    ("some-concerns", "some concerns"), (" LOW ", "low"), ("Low risk of bias", "low"),
])
def test_judgements_may_be_typed_as_in_the_guidance_tables(tmp_path, typed, judgement):
    """RoB 2's own tables write "Low risk of bias", "Some concerns", "High risk of bias"."""
    path = write(tmp_path, d1=f'judgement = "{typed}"', overall=f'judgement = "{typed}"')
    a = load_assessment(path)
    assert a.domains["D1"].judgement == judgement
    assert a.overall.judgement == judgement


@pytest.mark.parametrize("typed, direction", [
    ("NA", "NA"), ("na", "NA"), ("Favours experimental", "favours experimental"),
    ("favours_comparator", "favours comparator"), ("Towards null", "towards null"),
    ("AWAY FROM NULL", "away from null"), ("Unpredictable", "unpredictable"),
])
def test_every_direction_of_bias_of_the_guidance_is_accepted_in_any_case(tmp_path, typed, direction):
    """The guidance's optional "predicted direction of bias": NA, favours experimental, favours comparator,
    towards null, away from null, unpredictable (docs/rob.md lists the same six)."""
    a = load_assessment(write(tmp_path, d1=f'direction = "{typed}"', overall=f'direction = "{typed}"'))
    assert a.domains["D1"].direction == direction
    assert a.overall.direction == direction


def test_a_domain_override_with_justification_replaces_the_algorithm(tmp_path):
    path = write(tmp_path, d1='override = "Some concerns"\njustification = "baseline imbalance in age"')
    a = load_assessment(path)
    assert a.algorithm("D1") == "low"
    assert (a.domains["D1"].override, a.domains["D1"].justification) == ("some concerns",
                                                                          "baseline imbalance in age")
    assert a.domain("D1") == "some concerns"
    # one domain with some concerns, the rest low → some concerns overall (no confirmation needed)
    assert a.overall_final() == "some concerns"


def test_an_overall_override_with_justification_replaces_the_overall_judgement(tmp_path):
    path = write(tmp_path, overall='override = "High risk"\njustification = "industry-run outcome assessment"')
    a = load_assessment(path)
    assert a.overall_algorithm() == "low"
    assert (a.overall.override, a.overall.justification) == ("high", "industry-run outcome assessment")
    assert a.overall_final() == "high"
    assert a.judgements()["overall"] == "high"


@pytest.mark.parametrize("value", [True, False])
def test_the_overall_confirmation_is_read(tmp_path, value):
    a = load_assessment(write(tmp_path, overall=f"several_concerns_high = {str(value).lower()}"))
    assert a.overall.several_concerns_high is value


def test_an_overall_override_without_justification_names_line_and_key(tmp_path):
    path = write(tmp_path, overall='override = "high"')
    with pytest.raises(InputError) as err:
        load_assessment(path)
    assert (err.value.path, err.value.line, err.value.column) == (path, line_number(path, 'override = "high"'),
                                                                  "overall.justification")
    assert "overall.override = 'high' needs a written justification (overall.justification)" in str(err.value)


def test_a_blank_overall_justification_does_not_justify_an_override(tmp_path):
    path = write(tmp_path, overall='override = "low"\njustification = "   "')
    with pytest.raises(InputError, match="needs a written justification"):
        load_assessment(path)


def test_a_domain_override_without_justification_names_line_and_key(tmp_path):
    path = write(tmp_path, d1='override = "High"')
    with pytest.raises(InputError) as err:
        load_assessment(path)
    assert (err.value.path, err.value.line, err.value.column) == (path, line_number(path, 'override = "High"'),
                                                                  "D1.justification")
    assert "D1.override = 'high' needs a written justification (D1.justification)" in str(err.value)


@pytest.mark.parametrize("key", ["study", "outcome"])
def test_a_label_of_only_spaces_is_an_error_on_its_line(tmp_path, key):
    path = write(tmp_path)
    path.write_text(path.read_text().replace('study = "Trial X"' if key == "study" else 'outcome = "pain"',
                                             f'{key} = "   "'))
    with pytest.raises(InputError) as err:
        load_assessment(path)
    assert (err.value.path, err.value.line, err.value.column) == (path, line_number(path, f'{key} = "   "'), key)
    assert f"'{key}' is empty" in str(err.value)


def test_a_question_the_domain_does_not_have_is_named_with_the_domains_questions(tmp_path):
    path = write(tmp_path, d1_answers='"1.4" = "Y"')
    with pytest.raises(InputError) as err:
        load_assessment(path)
    assert (err.value.path, err.value.line, err.value.column) == (path, line_number(path, '"1.4"'),
                                                                  "D1.answers.1.4")
    assert "D1 has no signalling question '1.4' (its questions: 1.1, 1.2, 1.3)" in str(err.value)


def test_support_for_a_question_the_domain_does_not_have_is_an_error_too(tmp_path):
    path = write(tmp_path, d3_answers='[D3.support]\n"3.5" = "dropouts balanced"')
    with pytest.raises(InputError) as err:
        load_assessment(path)
    assert (err.value.line, err.value.column) == (line_number(path, '"3.5"'), "D3.support.3.5")
    assert "D3 has no signalling question '3.5' (its questions: 3.1, 3.2, 3.3, 3.4)" in str(err.value)


@pytest.mark.parametrize("part, typed, allowed", [
    ('"1.1" = "Yes, sealed"', "Yes, sealed", "Y, PY, PN, N, NI, NA"),
    ('"1.1" = "Probably"', "Probably", "Y, PY, PN, N, NI, NA"),
    ('"3.2" = "NI"', "NI", "Y, PY, PN, N, NA"),  # the guidance gives 3.2 no "no information" option
    ('"3.2" = "No information"', "No information", "Y, PY, PN, N, NA"),
])
def test_an_answer_outside_the_questions_options_lists_them(tmp_path, part, typed, allowed):
    if part.startswith('"1.1"'):
        path = write(tmp_path)
        path.write_text(path.read_text().replace('"1.1" = "Y"', part))
    else:
        path = write(tmp_path, d3_answers=part)
        path.write_text(path.read_text().replace('"3.1" = "Y"', '"3.1" = "N"'))
    with pytest.raises(InputError) as err:
        load_assessment(path)
    qid = part[1:4]
    assert (err.value.path, err.value.line, err.value.column) == (path, line_number(path, part),
                                                                  f"D{qid[0]}.answers.{qid}")
    assert f"answer {typed!r} is not allowed for {qid}; use one of {allowed} (or leave it empty)" in str(err.value)


@pytest.mark.parametrize("typed, code", [
    ("Yes", "Y"), ("yes", "Y"), ("Probably yes", "PY"), ("PROBABLY  YES", "PY"), (" probably no ", "PN"), ("No", "N"),
    ("No information", "NI"), ("Not applicable", "NA"), ("n/a", "NA"), ("py", "PY"), (" ni ", "NI"),
])
def test_answers_spelled_out_as_the_guidance_names_them_are_read_as_their_codes(tmp_path, typed, code):
    path = write(tmp_path)
    path.write_text(path.read_text().replace('"1.1" = "Y"', f'"1.1" = "{typed}"'))
    assert load_assessment(path).domains["D1"].answers["1.1"] == code


def test_support_text_is_not_held_to_the_answer_options(tmp_path):
    a = load_assessment(write(tmp_path, d1_answers='[D1.support]\n"1.1" = "Yes: sealed envelopes"'))
    assert a.domains["D1"].support["1.1"] == "Yes: sealed envelopes"
    assert a.domains["D1"].answers["1.1"] == "Y"


def test_errors_are_located_under_table_headers_written_with_spaces_and_quotes(tmp_path):
    """TOML allows ``[ "D1" . "answers" ]`` for ``[D1.answers]``; the error still names the right line."""
    path = write(tmp_path, overall='[ "D3" . "support" ]\n"3.9" = "typo for 3.1"')
    with pytest.raises(InputError) as err:
        load_assessment(path)
    assert (err.value.line, err.value.column) == (line_number(path, '"3.9"'), "D3.support.3.9")


def test_an_override_error_names_the_line_in_its_own_domain(tmp_path):
    # D1's override is justified, D3's is not: the error points at D3's override, not at D1's
    path = write(tmp_path, d1='override = "high"\njustification = "alternation, not random"',
                 d3_answers='[D3]\noverride = "some concerns"')
    with pytest.raises(InputError) as err:
        load_assessment(path)
    assert (err.value.line, err.value.column) == (line_number(path, 'override = "some concerns"'),
                                                  "D3.justification")
