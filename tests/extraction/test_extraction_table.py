"""Contract 2: reading consensus extraction CSVs into OutcomeRow objects, with errors that say where."""

from pathlib import Path

import pytest

from sysrev.errors import InputError
from sysrev.extraction.table import (
    COLUMNS,
    OutcomeRow,
    load_extraction,
    read_outcome_rows,
    write_outcome_rows,
)
from sysrev.project import Project

HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, body: str, name: str = "pain.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_reads_rows_with_numbers_and_empty_cells(tmp_path):
    path = write(tmp_path, HEADER + "\n"
                 "Park 2013,pain,,2 weeks,US,60,3.1,1.2,,VNS 0-10,Table 2,https://x.org,,,\n"
                 "Park 2013,pain,,2 weeks,FL,,,,,VNS 0-10,,,,,not visible\n")
    rows = read_outcome_rows(path)
    assert [r.arm for r in rows] == ["US", "FL"]
    first, second = rows
    assert (first.n, first.mean, first.sd, first.events) == (60.0, 3.1, 1.2, None)
    assert (second.n, second.mean, second.sd) == (None, None, None)
    assert second.note == "not visible"
    assert first.path == path and (first.line, second.line) == (2, 3)
    assert first.key == ("Park 2013", "pain", "", "2 weeks", "US")
    assert isinstance(first, OutcomeRow)


def test_header_in_any_order_and_bom_are_accepted(tmp_path):
    cols = list(reversed(COLUMNS))
    cells = {c: "" for c in cols} | {"study": "A", "outcome": "odi", "arm": "US", "n": "10"}
    path = tmp_path / "odi.csv"
    path.write_text("\ufeff" + ",".join(cols) + "\n" + ",".join(cells[c] for c in cols) + "\n", encoding="utf-8")
    (row,) = read_outcome_rows(path)
    assert row.study == "A" and row.n == 10


def test_line_numbers_follow_blank_lines_and_multiline_cells(tmp_path):
    path = write(tmp_path, HEADER + "\n"
                 'A,pain,,1 week,US,1,,,,,,,,,"two\nlines"\n'
                 "\n"
                 "A,pain,,1 week,FL,x,,,,,,,,,\n")
    with pytest.raises(InputError) as err:
        read_outcome_rows(path)
    assert err.value.line == 5 and err.value.column == "n"
    assert "'x' is not a number" in str(err.value) and str(path) in str(err.value)


@pytest.mark.parametrize("cell,message", [
    ("abc", "'abc' is not a number"),
    ("NA", "leave the cell empty"),
    ('"12,5"', "'12,5' is not a number (a decimal comma? write 12.5: the decimal mark is a point)"),
    ("nan", "not a finite number"),
    ("inf", "not a finite number"),
])
def test_non_numeric_cells_name_file_line_and_column(tmp_path, cell, message):
    path = write(tmp_path, HEADER + f"\nA,pain,,1 week,US,10,{cell},1,,,,,,,\n")
    with pytest.raises(InputError) as err:
        read_outcome_rows(path)
    assert message in str(err.value)
    assert (err.value.path, err.value.line, err.value.column) == (path, 2, "mean")


def test_unknown_header_column(tmp_path):
    path = write(tmp_path, HEADER + ",colour\n")
    with pytest.raises(InputError) as err:
        read_outcome_rows(path)
    assert err.value.column == "colour" and err.value.line == 1
    assert "unknown column 'colour'" in str(err.value)


def test_missing_and_duplicated_header_columns(tmp_path):
    path = write(tmp_path, HEADER.replace(",note", "") + "\n")
    with pytest.raises(InputError, match="missing column.*note"):
        read_outcome_rows(path)
    path = write(tmp_path, HEADER + ",note\n")
    with pytest.raises(InputError, match="'note' appears twice"):
        read_outcome_rows(path)


def test_empty_file_and_missing_file(tmp_path):
    with pytest.raises(InputError, match="empty file"):
        read_outcome_rows(write(tmp_path, ""))
    with pytest.raises(InputError, match="file not found"):
        read_outcome_rows(tmp_path / "absent.csv")


def test_wrong_cell_count_names_line(tmp_path):
    path = write(tmp_path, HEADER + "\nA,pain,,1 week,US,10\n")
    with pytest.raises(InputError) as err:
        read_outcome_rows(path)
    assert err.value.line == 2 and "6 cells but the header has 15" in str(err.value)


def test_required_key_cells(tmp_path):
    path = write(tmp_path, HEADER + "\nA,pain,,1 week,,10,,,,,,,,,\n")
    with pytest.raises(InputError) as err:
        read_outcome_rows(path)
    assert err.value.column == "arm"


def test_duplicate_key_within_a_file(tmp_path):
    path = write(tmp_path, HEADER + "\nA,pain,,1 week,US,10,,,,,,,,,\nA,pain,,1 week,US,11,,,,,,,,,\n")
    with pytest.raises(InputError, match="first at line 2") as err:
        read_outcome_rows(path)
    assert err.value.line == 3


def test_load_extraction_skips_studies_csv_and_subfolders(tmp_path):
    ext = tmp_path / "analysis" / "extraction"
    (ext / "extractors" / "anna").mkdir(parents=True)
    write(ext, HEADER + "\nA,pain,,1 week,US,10,,,,,,,,,\n", "pain.csv")
    write(ext, HEADER + "\nA,odi,,1 week,US,10,,,,,,,,,\n", "odi.csv")
    write(ext, "study,design\nA,RCT\n", "studies.csv")
    write(ext / "extractors" / "anna", "garbage", "pain.csv")
    rows = load_extraction(Project(root=tmp_path))
    assert [(r.outcome, r.path.name) for r in rows] == [("odi", "odi.csv"), ("pain", "pain.csv")]


def test_load_extraction_without_folder_is_empty(tmp_path):
    assert load_extraction(Project(root=tmp_path)) == []


def test_load_extraction_rejects_a_key_in_two_files(tmp_path):
    ext = tmp_path / "analysis" / "extraction"
    ext.mkdir(parents=True)
    write(ext, HEADER + "\nA,pain,,1 week,US,10,,,,,,,,,\n", "a.csv")
    write(ext, HEADER + "\nA,pain,,1 week,US,10,,,,,,,,,\n", "b.csv")
    with pytest.raises(InputError, match="a.csv line 2"):
        load_extraction(Project(root=tmp_path))


def test_write_then_read_round_trip(tmp_path):
    path = write(tmp_path, HEADER + '\nA,pain,,1 week,US,10,2.5,0.1,,VAS,"Table 2, p. 4",,"SE 0.03",SD from SE,\n')
    rows = read_outcome_rows(path)
    out = write_outcome_rows(tmp_path / "copy.csv", rows)
    again = read_outcome_rows(out)
    assert [r.to_dict() for r in again] == [r.to_dict() for r in rows]
    assert again[0].source == "Table 2, p. 4" and again[0].n == 10
    assert out.read_text().splitlines()[1].startswith("A,pain,,1 week,US,10,2.5,0.1,")
