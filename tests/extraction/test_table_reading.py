"""Reading an extraction CSV: every refusal of its header in full (file, line 1, column), and what a cell
that is not a number is told (leave it empty when unknown; the decimal mark is a point)."""

import pytest

from sysrev.errors import InputError
from sysrev.extraction.table import COLUMNS, parse_number, read_outcome_rows

HEADER = ",".join(COLUMNS)


def _refusal(tmp_path, text):
    """The error of reading ``text`` as data.csv, its path written as "data.csv" (it must name the file)."""
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_outcome_rows(path)
    assert str(info.value).startswith(f"{path}, ")
    return str(info.value).replace(str(path), "data.csv")


@pytest.mark.parametrize("header, message", [
    ("", f"line 1: empty file; expected the header {HEADER}"),
    (HEADER + ",weight", f"line 1, column 'weight': unknown column 'weight' in the header; expected {HEADER}"),
    (HEADER + ",sd", "line 1, column 'sd': column 'sd' appears twice in the header"),
    (HEADER.replace(",sd,", ",").replace(",raw", ""),
     f"line 1: missing columns sd, raw in the header; expected {HEADER}"),
])
def test_every_refusal_of_the_header(tmp_path, header, message):
    assert _refusal(tmp_path, header + "\n" if header else "") == f"data.csv, {message}"


ROW = "Park 2013,pain,,3 months,US,20,3.1,1.2,,VAS,Table 2,,,,"


@pytest.mark.parametrize("rows, message", [
    ([ROW + ",extra"], "line 2: 16 cells but the header has 15 columns"),
    (["", ROW.replace("Park 2013", " ")], "line 3, column 'study': 'study' is empty; every row needs study, outcome "
                                          "and arm"),
    ([ROW.replace(",US,", ",,")], "line 2, column 'arm': 'arm' is empty; every row needs study, outcome and arm"),
    ([ROW, '"Park\n2013",pain,,,US,,,,,,,,,,', ROW], "line 5: duplicate row for study='Park 2013' outcome='pain' "
                                                    "item='' timepoint='3 months' arm='US' (first at line 2)"),
])
def test_every_refusal_of_a_row_names_its_first_line(tmp_path, rows, message):
    assert _refusal(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n") == f"data.csv, {message}"


def test_the_same_row_in_two_files_of_a_project_names_both(tmp_path):
    from types import SimpleNamespace

    from sysrev.extraction.table import load_extraction

    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(HEADER + "\n" + ROW + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_extraction(SimpleNamespace(extraction_dir=tmp_path))
    assert str(info.value) == (f"{tmp_path / 'b.csv'}, line 2: duplicate row for ('Park 2013', 'pain', '', "
                               f"'3 months', 'US'); also in {tmp_path / 'a.csv'} line 2")


@pytest.mark.parametrize("text, hint", [
    ("NA", " (leave the cell empty when the value is unknown)"), ("n/a", " (leave the cell empty when the value is "
                                                                       "unknown)"),
    ("NR", " (leave the cell empty when the value is unknown)"), ("?", " (leave the cell empty when the value is "
                                                                      "unknown)"),
    ("-", " (leave the cell empty when the value is unknown)"),
    ("3,5", " (a decimal comma? write 3.5: the decimal mark is a point)"), ("about 3", ""),
])
def test_a_cell_that_is_not_a_number_is_told_what_to_write(text, hint):
    with pytest.raises(InputError) as info:
        parse_number(text, path="data.csv", line=4, column="mean")
    assert str(info.value) == f"data.csv, line 4, column 'mean': '{text}' is not a number{hint}"


def test_numbers_and_the_empty_cell():
    assert [parse_number(t, path="x", line=1, column="n") for t in (" 12 ", "-0.5", "1e3", "", "  ")] == [
        12.0, -0.5, 1000.0, None, None]
    with pytest.raises(InputError, match="'inf' is not a finite number"):
        parse_number("inf", path="x", line=1, column="n")
