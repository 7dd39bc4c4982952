"""Reading studies.csv: every cell typed by the form (text, count, number, empty), rows after blank lines, a
cell spanning lines, and every refusal in full with its line and column."""

import pytest

from sysrev.errors import InputError
from sysrev.extraction.form import ExtractionForm, read_studies, read_study_csv

FORM = ExtractionForm(columns={"study": "text", "country": "text", "n_randomised": "count", "age_mean": "number",
                               "note": "text"})


def test_every_cell_typed_by_the_form(write_file):
    path = write_file("studies.csv", "study,country,n_randomised,age_mean,note\n"
                                     " Alpha 2001 , Korea ,120,61.5,\n"
                                     "\n , , , , \n"
                                     'Beta 2002,,,,"two\nlines"\n'
                                     "Gamma 2003,Peru,40.0,-1e1,ok\n")
    assert read_studies(path, FORM) == {
        "Alpha 2001": {"study": "Alpha 2001", "country": "Korea", "n_randomised": 120, "age_mean": 61.5, "note": "",
                       "_line": 2},
        "Beta 2002": {"study": "Beta 2002", "country": "", "n_randomised": None, "age_mean": None,
                      "note": "two\nlines", "_line": 5},
        "Gamma 2003": {"study": "Gamma 2003", "country": "Peru", "n_randomised": 40, "age_mean": -10.0, "note": "ok",
                       "_line": 7}}
    assert isinstance(read_studies(path, FORM)["Gamma 2003"]["n_randomised"], int)
    header, rows = read_study_csv(path)
    assert header == ["study", "country", "n_randomised", "age_mean", "note"]
    assert [line for line, _ in rows] == [2, 5, 7]


@pytest.mark.parametrize("text, where, message", [
    ("country\nKorea\n", "line 1", "the header has no 'study' column"),
    ("study,country\nAlpha 2001,Korea,extra\n", "line 2", "3 cells but the header has 2 columns"),
    ("study,country\n,Korea\n", "line 2, column 'study'", "empty study label"),
    ("study,country\nAlpha 2001,Korea\n\nAlpha 2001,Japan\n", "line 4, column 'study'",
     "study 'Alpha 2001' appears twice"),
    ("study,weight\nAlpha 2001,70\n", "line 1, column 'weight'",
     "unknown column 'weight'; the form defines study, country, n_randomised, age_mean, note"),
    ("study,n_randomised\nAlpha 2001,about 120\n", "line 2, column 'n_randomised'", "'about 120' is not a number"),
    ("study,age_mean\nAlpha 2001,\"61,5\"\n", "line 2, column 'age_mean'",
     "'61,5' is not a number (a decimal comma? write 61.5: the decimal mark is a point)"),
    ("study,n_randomised\nAlpha 2001,-3\n", "line 2, column 'n_randomised'", "'-3' is not a whole number ≥ 0"),
    ("study,n_randomised\nAlpha 2001,12.5\n", "line 2, column 'n_randomised'", "'12.5' is not a whole number ≥ 0"),
    ("study,age_mean\nAlpha 2001,nan\n", "line 2, column 'age_mean'", "'nan' is not a finite number"),
    ("study,n_randomised\nAlpha 2001,inf\n", "line 2, column 'n_randomised'", "'inf' is not a finite number"),
])
def test_every_refusal_in_full(text, where, message, write_file):
    path = write_file("studies.csv", text)
    with pytest.raises(InputError) as info:
        read_studies(path, FORM)
    assert str(info.value) == f"{path}, {where}: {message}"


def test_zero_randomised_and_a_negative_number_are_values(write_file):
    path = write_file("studies.csv", "study,n_randomised,age_mean\nAlpha 2001,0,-2.5\n")
    assert read_studies(path, FORM)["Alpha 2001"]["n_randomised"] == 0
