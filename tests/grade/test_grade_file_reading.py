"""Reading a GRADE file a team has edited by hand (sysrev/grade/files.py): every field read as written, and
every mistake an error naming the file, the line and what to write instead."""

import pytest

from sysrev.errors import InputError
from sysrev.grade.files import PENDING, DomainRecord, GradeFile, read_grade_file

GOOD = '''analysis = "pain"
title = "Pain at 4 weeks"
design = "randomised"

[inputs]
mid = 1.0

[risk_of_bias]
proposed = "serious"
reasons = ["weight in studies at low risk 40%", "half or more of the weight"]
final = "not serious"
justification = "  the high-risk trial's bias runs against the effect  "
decided_against = "serious"

[inconsistency]
pending = ["I² is not available"]

[indirectness]
final = "serious"
justification = "adults only"

[imprecision]
proposed = "very serious"
flag = "the proposal has changed"
'''


def _write(tmp_path, text, name="pain.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_is_read_field_by_field(tmp_path):
    path = _write(tmp_path, GOOD)
    grade = read_grade_file(path)
    assert grade == GradeFile(
        analysis="pain", title="Pain at 4 weeks", design="randomised", inputs={"mid": 1.0}, path=path, domains={
            "risk_of_bias": DomainRecord("risk_of_bias", proposed="serious",
                                         reasons=["weight in studies at low risk 40%", "half or more of the weight"],
                                         final="not serious",
                                         justification="the high-risk trial's bias runs against the effect",
                                         decided_against="serious"),
            "inconsistency": DomainRecord("inconsistency", proposed=PENDING, pending=["I² is not available"]),
            "indirectness": DomainRecord("indirectness", final="serious", justification="adults only"),
            "imprecision": DomainRecord("imprecision", proposed="very serious", flag="the proposal has changed"),
        })
    assert grade.flags() == ["Imprecision: the proposal has changed"]


def test_an_almost_empty_file_takes_its_name_and_defaults(tmp_path):
    grade = read_grade_file(_write(tmp_path, "[inputs]\n", name="odi.toml"))
    assert (grade.analysis, grade.title, grade.design, grade.inputs, grade.domains) == ("odi", "", "randomised",
                                                                                         {}, {})
    assert read_grade_file(_write(tmp_path, "", name="ldh.toml")).inputs == {}


@pytest.mark.parametrize("text, line, message", [
    # the file's shape, checked against its schema (sysrev/config_schema.py)
    ('analysis = "pain"\nnotes = "x"\n', 2, "unknown key 'notes' in the top level"),
    ('risk_of_bias = "low"\n', 1, "'risk_of_bias' in the top level must be a table"),
    ('[imprecision]\nproposed = "serious"\nrating = "serious"\n', 3, "unknown key 'rating' in [imprecision]"),
    ('[imprecision]\nfinal = 2\n', 2, "final must be a string, not int 2 (key 'final' in [imprecision])"),
    # what the schema cannot say: the domain's rating words, and when a justification is needed
    ('[imprecision]\nproposed = "serious"\nfinal = "moderate"\n', 3,
     "imprecision.final = 'moderate' is not a rating; use one of not serious, serious, very serious"),
    ('[publication_bias]\nfinal = "serious"\njustification = "x"\n', 2,
     "publication_bias.final = 'serious' is not a rating; use one of undetected, strongly suspected"),
    ('[imprecision]\nproposed = "serious"\n\nfinal = "not serious"\n', 4,
     "imprecision.final = 'not serious' differs from the proposal it was decided against ('serious'): write a "
     "justification"),
    ('[imprecision]\nproposed = "not serious"\ndecided_against = "very serious"\nfinal = "serious"\n', 4,
     "imprecision.final = 'serious' differs from the proposal it was decided against ('very serious'): write a "
     "justification"),
    ('[indirectness]\nfinal = "serious"\njustification = "   "\n', 2,
     "indirectness.final = 'serious' rates this domain: write a justification"),
])
def test_mistakes_name_the_file_the_line_and_the_fix(tmp_path, text, line, message):
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        read_grade_file(path)
    assert (caught.value.path, caught.value.line) == (path, line)
    assert str(caught.value).startswith(f"{path}, line {line}: {message}")


@pytest.mark.parametrize("text", [
    '[imprecision]\nproposed = "serious"\nfinal = "serious"\n',            # agrees with the proposal
    '[indirectness]\nfinal = "not serious"\n',                             # a team-only rating that removes nothing
    '[dose_response]\nfinal = "no"\n',
    '[imprecision]\nproposed = "pending"\n',                               # nothing decided yet
])
def test_a_final_rating_needs_no_justification_when_it_changes_nothing(tmp_path, text):
    read_grade_file(_write(tmp_path, text))


def test_the_file_is_read_as_utf8_whatever_the_locale(tmp_path, monkeypatch):
    import locale

    path = _write(tmp_path, '[inconsistency]\nreasons = ["I² = 80 %, τ² = 0.3"]\n')
    monkeypatch.setattr(locale, "getpreferredencoding", lambda *a, **k: "ascii")
    assert read_grade_file(path).domains["inconsistency"].reasons == ["I² = 80 %, τ² = 0.3"]


@pytest.mark.parametrize("typed, rating", [
    ("Serious", "serious"), ("NOT SERIOUS", "not serious"), (" Very  serious ", "very serious"),
])
def test_a_rating_typed_with_capitals_or_extra_spaces_is_the_rating_it_names(tmp_path, typed, rating):
    grade = read_grade_file(_write(tmp_path, f'[imprecision]\nproposed = "{rating}"\nfinal = "{typed}"\n'))
    assert grade.domains["imprecision"].final == rating


def test_a_rating_typed_with_capitals_keeps_its_domains_words(tmp_path):
    path = _write(tmp_path, '[publication_bias]\nproposed = "undetected"\nfinal = "Strongly Suspected"\n'
                            'justification = "small trials only"\n')
    assert read_grade_file(path).domains["publication_bias"].final == "strongly suspected"
    with pytest.raises(InputError, match="'Serious' is not a rating; use one of undetected, strongly suspected"):
        read_grade_file(_write(tmp_path, '[publication_bias]\nfinal = "Serious"\njustification = "x"\n'))


def test_the_analysis_a_file_names_wins_over_its_file_name(tmp_path):
    assert read_grade_file(_write(tmp_path, 'analysis = "pain"\n', name="pain-update.toml")).analysis == "pain"
