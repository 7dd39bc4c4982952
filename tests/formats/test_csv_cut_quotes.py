"""A CSV export cut off inside a quoted cell that holds escaped quotes (``""``) is never imported as complete.

``"He said ""yes""."`` cut to ``"He said ""`` ends inside the quotes (an error); cut to ``"He said "`` it ends
on a quote that reads as the closing one, which a complete file ending ``"He said "`` also does: the import
then keeps the row but warns, naming the line. The file below is written for these tests; the titles hold
escaped quotes, delimiters and line breaks inside quotes, so cuts fall in every quote state.
"""

import pytest

from sysrev.csv_quotes import AFTER_QUOTE, OPEN, OUTSIDE, quote_state_at_end
from sysrev.errors import InputError
from sysrev.formats import load_references

ROWS = [
    ("Year", "Authors", "Title"),
    ("2019", "Roe R", '"Caudal ""block"" in infants"'),
    ('"2020"', '"Poe P; Doe D"', '"Spinal, or ""general""?"'),
    ("2021", "Moe M", '"Awake ""regional""\nanaesthesia"'),
]
COMPLETE = "".join(",".join(row) + "\n" for row in ROWS).encode()
LAST_ROW_LINE = 4  # the third record starts on line 4 (the header is line 1)
UNSURE = "ends right after a closing quote with no line break"


def _load(tmp_path, data: bytes):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    return path, load_references(path)


def _dicts(parsed):
    return [record.to_dict() for record in parsed.records]


def test_the_quote_state_is_read_exactly():
    # Counted by hand: after the opening quote, "" pairs stay inside; a lone quote closes.
    assert quote_state_at_end('"He said ""') == OPEN
    assert quote_state_at_end('"He said ""yes') == OPEN
    assert quote_state_at_end('"He said "') == AFTER_QUOTE
    assert quote_state_at_end('"He said ""yes"""') == AFTER_QUOTE
    assert quote_state_at_end('a,"b\nc') == OPEN
    assert quote_state_at_end('a,"b"\n') == OUTSIDE
    assert quote_state_at_end('a,b"c') == OUTSIDE  # a quote inside an unquoted cell opens nothing
    assert quote_state_at_end("a;'b", delimiter=";", quotechar="'") == OPEN
    assert quote_state_at_end('a,"b', quotechar=None) == OUTSIDE


def test_a_cell_cut_inside_an_escaped_pair_is_an_error_naming_the_line(tmp_path):
    cut = COMPLETE[:COMPLETE.index(b'""regional') + 2]  # ... "Awake ""
    with pytest.raises(InputError, match="never closed") as err:
        _load(tmp_path, cut)
    assert err.value.line == LAST_ROW_LINE


def test_a_cut_that_reads_as_a_closed_cell_warns_naming_the_line(tmp_path):
    cut = COMPLETE[:COMPLETE.index(b'""block') + 1]  # row 2 cut to: "Caudal "
    path, parsed = _load(tmp_path, cut)
    assert [r.title for r in parsed.records] == ["Caudal"]  # the title as read, cleaned of its end space
    assert any(w.startswith(f"{path}, line 2: ") and UNSURE in w for w in parsed.warnings)


def test_a_complete_file_without_a_final_line_break_after_a_quote_warns_and_reads_whole(tmp_path):
    full = _dicts(_load(tmp_path, COMPLETE)[1])
    path, parsed = _load(tmp_path, COMPLETE[:-1])
    assert _dicts(parsed) == full
    assert any(w.startswith(f"{path}, line {LAST_ROW_LINE}: ") and UNSURE in w for w in parsed.warnings)


@pytest.mark.parametrize("offset", range(len(COMPLETE) + 1))
def test_every_cut_is_an_error_or_a_prefix_of_the_complete_rows(tmp_path, offset):
    """For every byte offset: an error naming the file and a line, or exactly the first k records of the
    complete file with identical values, where only the last one may differ and then only with the warning
    naming its line."""
    full = _dicts(_load(tmp_path, COMPLETE)[1])
    try:
        path, parsed = _load(tmp_path, COMPLETE[:offset])
    except InputError as exc:
        assert str(exc).startswith(str(tmp_path / "export.csv"))
        if offset > COMPLETE.index(b"\n") + 1:  # a data row was cut: the error names its line
            assert exc.line is not None and f"export.csv, line {exc.line}: " in str(exc)
        return
    got = _dicts(parsed)
    assert got[:-1] == full[:len(got) - 1]
    if got and got[-1] != full[len(got) - 1]:
        line = 1 + sum(row.count("\n") + 1 for row in (",".join(r) for r in ROWS[:len(got)]))
        assert any(w.startswith(f"{path}, line {line}: ") and UNSURE in w for w in parsed.warnings), got[-1]
