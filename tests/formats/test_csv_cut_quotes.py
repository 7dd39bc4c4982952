"""A CSV export cut off inside a quoted cell that holds escaped quotes (``""``) is never imported as complete.

``"He said ""yes""."`` cut to ``"He said ""`` ends inside the quotes (an error); cut to ``"He said "`` it ends
on a quote that reads as the closing one, which a complete file ending ``"He said "`` also does: the import
then keeps the row but warns, naming the line. The file below is written for these tests; the titles hold
escaped quotes, delimiters and line breaks inside quotes, so cuts fall in every quote state.
"""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


_CELL = st.text(alphabet='ab ,"\n;', max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab,"\n\r', max_size=12))
def test_the_open_state_agrees_with_the_csv_modules_strict_reading(text):
    """Property (the csv module as the independent reference): where its strict reading gets to the end of the
    text, it reports an unclosed quote exactly when the quote state is OPEN."""
    try:
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
        strict_end = "closed"
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return  # the strict reading stopped earlier (a stray character after a closing quote)
        strict_end = "open"
    assert (quote_state_at_end(text) == OPEN) == (strict_end == "open")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=4), st.data())
def test_any_export_cut_anywhere_is_an_error_or_a_prefix(tmp_path_factory, rows, data):
    """Property over exports written by the csv module (every cell quoted where it must be, a line break after
    every row), cut at any byte: an error naming the file, or the complete file's first records with
    identical values, where only the last may differ and then only with the warning naming its line."""
    folder = tmp_path_factory.mktemp("cut")
    rows = [("t" + a, "x" + b, "y" + c) for a, b, c in rows]  # a title in every row: no empty record
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows([("Title", "Authors", "Abstract")]
                                                                                 + rows)
    complete = buffer.getvalue().encode()
    path = folder / "export.csv"
    path.write_bytes(complete)
    try:
        full = _dicts(load_references(path))
    except InputError:
        return  # a generated file the import refuses whole (e.g. a sniffed dialect it cannot read)
    after_quotes = [i + 1 for i, byte in enumerate(complete) if byte == ord('"')]  # where the cases that
    offset = data.draw(st.integers(0, len(complete)) | st.sampled_from(after_quotes or [0]))  # matter fall
    path.write_bytes(complete[:offset])
    try:
        parsed = load_references(path)
    except InputError as exc:
        assert str(exc).startswith(str(path))
        return
    got = _dicts(parsed)
    assert got[:-1] == full[:len(got) - 1]
    if got and got[-1] != full[len(got) - 1]:
        assert any(UNSURE in w for w in parsed.warnings), (complete[:offset], got[-1])
