"""Excel exports turned into the CSV text the CSV reader reads: every cell type, and each row's width."""

import datetime

import pytest

from sysrev.errors import InputError
from sysrev.formats.workbook import _cell_text, workbook_as_csv, workbook_kind


@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "TRUE"), (False, "FALSE"), (2021.0, "2021"), (2.5, "2.5"), (7, "7"),
    (datetime.datetime(2019, 4, 1), "2019-04-01"),  # a date Excel stores as a date-time at midnight
    (datetime.datetime(2019, 4, 1, 13, 5, 9), "2019-04-01 13:05:09"),
    (datetime.date(2019, 4, 1), "2019-04-01"),
    ("line one\nline two", "line one line two"), ("cr\r\nlf", "cr  lf"), ("old mac\rline", "old mac line"),
])
def test_a_cell_reads_as_the_text_it_shows_on_one_line(value, text):
    assert _cell_text(value) == text


def _xlsx(tmp_path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "sheet.xlsx")
    return (tmp_path / "sheet.xlsx").read_bytes()


def test_rows_keep_the_sheet_width_and_a_one_cell_line_above_the_header_stays_one_cell(tmp_path):
    data = _xlsx(tmp_path, [["SEARCH QUERY: x"], [], ["Title", "Year", "DOI", "Notes"],
                            ["A trial", 2019, None, None], ["B", None, "10.1/x", None],
                            [datetime.datetime(2020, 1, 2), "two\nlines", None, "n"]])
    assert workbook_kind(data) == "xlsx"
    assert workbook_as_csv(data, "xlsx", path="sheet.xlsx") == (
        "SEARCH QUERY: x\n\nTitle,Year,DOI,Notes\nA trial,2019,,\nB,,10.1/x,\n2020-01-02,two lines,,n\n")


def test_an_empty_first_sheet_is_refused_naming_the_file(tmp_path):
    data = _xlsx(tmp_path, [])
    with pytest.raises(InputError) as info:
        workbook_as_csv(data, "xlsx", path="sheet.xlsx")
    assert str(info.value) == "sheet.xlsx: the first sheet of this Excel workbook (xlsx) is empty"


def test_a_damaged_workbook_is_refused_naming_the_file():
    with pytest.raises(InputError) as info:
        workbook_as_csv(b"PK\x03\x04 not really", "xlsx", path="broken.xlsx")
    assert str(info.value).startswith("broken.xlsx: this Excel workbook (xlsx) cannot be read: ")
    assert str(info.value).endswith("; open it in Excel and save the sheet as CSV (UTF-8), or export from the "
                                    "database again")
