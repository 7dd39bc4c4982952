"""An extraction sheet with several mistakes gets them all named at once — `sysrev check` one finding each,
`meta run` one error listing them — so a team fixes the sheet in one pass, not one mistake per run. What an
extraction sheet writes for a value the paper does not give ("NR", a dash of any width) is told to be left
empty."""

import pytest
from test_extraction_check import HEADER, findings, make_project

from sysrev.errors import InputError, InputErrors
from sysrev.extraction.check import ERROR
from sysrev.extraction.table import read_outcome_rows

ROW = "Park 2013,pain,,3 months,US,20,3.1,1.2,,VAS,Table 2,,,,"
EMPTY = " (leave the cell empty when the value is unknown)"


def _sheet(tmp_path, rows):
    path = tmp_path / "pain.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_every_problem_of_the_sheet_in_one_error(tmp_path):
    path = _sheet(tmp_path, [ROW.replace(",20,3.1,", ",NR,n/a,"),
                             ROW.replace(",US,", ",FL,").replace(",1.2,", ",12,5,"),
                             ROW.replace("Park 2013", "").replace(",US,", ",CT,").replace(",1.2,", ",—,"),
                             ROW, ROW.replace(",US,", ",XX,").replace(",20,", ",–,")])
    with pytest.raises(InputErrors) as info:
        read_outcome_rows(path)
    assert str(info.value) == (
        f"{path}: 6 problems:\n"
        f"  line 2, column 'n': 'NR' is not a number{EMPTY}\n"
        f"  line 2, column 'mean': 'n/a' is not a number{EMPTY}\n"
        "  line 3: 16 cells but the header has 15 columns\n"
        "  line 4, column 'study': 'study' is empty; every row needs study, outcome and arm\n"
        f"  line 4, column 'sd': '—' is not a number{EMPTY}\n"
        f"  line 6, column 'n': '–' is not a number{EMPTY}")
    assert [(e.line, e.column) for e in info.value.errors] == [(2, "n"), (2, "mean"), (3, None), (4, "study"),
                                                               (4, "sd"), (6, "n")]
    assert (info.value.path, info.value.line) == (path, None)


def test_a_duplicate_row_is_one_of_the_problems(tmp_path):
    path = _sheet(tmp_path, [ROW, ROW.replace(",20,", ",x,"), ROW])
    with pytest.raises(InputErrors) as info:
        read_outcome_rows(path)
    assert [str(e).removeprefix(f"{path}, ") for e in info.value.errors] == [
        "line 3, column 'n': 'x' is not a number",
        "line 4: duplicate row for study='Park 2013' outcome='pain' item='' timepoint='3 months' arm='US' "
        "(first at line 2)"]


def test_one_problem_is_raised_as_itself(tmp_path):
    path = _sheet(tmp_path, [ROW.replace(",20,", ",NR,"), ROW.replace(",US,", ",FL,")])
    with pytest.raises(InputError) as info:
        read_outcome_rows(path)
    assert type(info.value) is InputError
    assert str(info.value) == f"{path}, line 2, column 'n': 'NR' is not a number{EMPTY}"


def test_a_long_list_is_cut_after_fifty(tmp_path):
    path = _sheet(tmp_path, [ROW.replace(",US,", f",arm{i},").replace(",20,", ",?,") for i in range(53)])
    with pytest.raises(InputErrors) as info:
        read_outcome_rows(path)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{path}: 53 problems:" and len(info.value.errors) == 53
    assert lines[50] == f"  line 51, column 'n': '?' is not a number{EMPTY}"
    assert lines[51:] == ["  … and 3 more"]


@pytest.mark.parametrize("word", ["NA", "n/a", "NR", "n.r.", "Not reported", "?", "-", "–", "—"])
def test_words_for_a_value_not_given_are_told_to_be_left_empty(tmp_path, word):
    with pytest.raises(InputError) as info:
        read_outcome_rows(_sheet(tmp_path, [ROW.replace(",1.2,", f",{word},")]))
    assert str(info.value).endswith(f"column 'sd': '{word}' is not a number{EMPTY}")


def test_check_gives_one_finding_per_problem(tmp_path):
    project = make_project(tmp_path, [ROW.replace(",20,", ",NR,"),
                                      ROW.replace(",US,", ",FL,").replace(",1.2,", ",1,2,")])
    assert [f for f in findings(project) if f[0] == ERROR] == [
        (ERROR, "pain.csv", 2, "n", f"'NR' is not a number{EMPTY}"),
        (ERROR, "pain.csv", 3, None, "16 cells but the header has 15 columns")]


def test_every_problem_of_studies_csv_in_one_error_and_one_finding_each(tmp_path):
    from sysrev.extraction.form import ExtractionForm, read_studies

    form = ExtractionForm(columns={"study": "text", "n_randomised": "count", "age_mean": "number"})
    path = tmp_path / "studies.csv"
    path.write_text("study,n_randomised,age_mean\nAlpha 2001,NR,61.5\nBeta 2002,60.5,—\nGamma 2003,40,inf\n"
                    "Delta 2004,12,50\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        read_studies(path, form)
    assert str(info.value) == (
        f"{path}: 4 problems:\n"
        f"  line 2, column 'n_randomised': 'NR' is not a number{EMPTY}\n"
        "  line 3, column 'n_randomised': '60.5' is not a whole number ≥ 0\n"
        f"  line 3, column 'age_mean': '—' is not a number{EMPTY}\n"
        "  line 4, column 'age_mean': 'inf' is not a finite number")
    path.write_text("study,n_randomised\nAlpha 2001,-1\nBeta 2002,12\n", encoding="utf-8")
    with pytest.raises(InputError) as one:
        read_studies(path, form)
    assert type(one.value) is InputError and str(one.value) == (
        f"{path}, line 2, column 'n_randomised': '-1' is not a whole number ≥ 0")


def test_check_gives_one_finding_per_problem_of_studies_csv(tmp_path):
    project = make_project(tmp_path, [], studies="study,n_randomised,n_randomised_group1,n_randomised_group2\n"
                                                 "Trial A,NR,30,30\nTrial B,abc,,\n")
    assert [f for f in findings(project) if f[0] == ERROR] == [
        (ERROR, "studies.csv", 2, "n_randomised", f"'NR' is not a number{EMPTY}"),
        (ERROR, "studies.csv", 3, "n_randomised", "'abc' is not a number")]
