"""An outcome sheet read and written whole: a cell too large for the csv module is an error naming the file
and line (in the header or a row), a cell holding a line break keeps it, a duplicate row does not stop the
reading of the rows after it, and a written sheet is plain LF-terminated CSV with empty cells where a row gives
no value."""

import pytest

from sysrev.errors import InputError, InputErrors
from sysrev.extraction.table import COLUMNS, read_outcome_rows, write_outcome_rows

HEADER = ",".join(COLUMNS)
ROW = "Park 2013,pain,,3 months,US,20,3.1,1.2,,VAS,Table 2,,,,"
HUGE = "x" * 200_000  # over the csv module's field limit of 131,072 characters


@pytest.mark.parametrize("text, line", [(HEADER + HUGE + "\n" + ROW + "\n", 1), (HEADER + "\n" + ROW + HUGE + "\n", 2)])
def test_a_cell_too_large_is_malformed_csv_at_its_line(tmp_path, text, line):
    path = tmp_path / "pain.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_outcome_rows(path)
    assert str(err.value) == f"{path}, line {line}: malformed CSV: field larger than field limit (131072)"
    assert (err.value.path, err.value.line) == (path, line)


def test_a_line_break_inside_a_quoted_cell_is_kept(tmp_path):
    path = tmp_path / "pain.csv"
    path.write_text(HEADER + "\n" + ROW + '"two\nlines"\n' + ROW.replace(",US,", ",FL,") + "\n", encoding="utf-8")
    rows = read_outcome_rows(path)
    assert [(r.arm, r.note, r.line) for r in rows] == [("US", "two\nlines", 2), ("FL", "", 4)]


def test_the_rows_after_a_duplicate_are_still_read(tmp_path):
    path = tmp_path / "pain.csv"
    path.write_text("\n".join([HEADER, ROW, ROW, ROW.replace(",US,", ",FL,").replace(",20,", ",NR,")]) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputErrors) as err:
        read_outcome_rows(path)
    assert [(e.line, e.column) for e in err.value.errors] == [(3, None), (4, "n")]


def test_a_written_sheet_is_lf_terminated_with_empty_cells_for_missing_values(tmp_path):
    path = tmp_path / "out.csv"
    write_outcome_rows(path, [{"study": "Park 2013", "outcome": "pain", "arm": "US", "n": "20"}])
    assert path.read_bytes() == (HEADER + "\nPark 2013,pain,,,US,20" + "," * (len(COLUMNS) - 6) + "\n").encode()
