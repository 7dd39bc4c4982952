"""Hand-edited tables cut off by an interrupted copy or download (:mod:`sysrev.hand_tables`).

The property, for every byte at which a valid table can be cut: reading it raises an error that names the
file, or yields exactly a prefix of the complete table's rows. The one cut no rule can tell from a complete
file saved without a final line break (inside the last row's last value) must at least warn, naming the line;
then only that last row may differ. A value changed by a cut is never read without a message.
"""

import csv
import io
import warnings
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sysrev.analyses.citations import load_citations
from sysrev.analyses.study_order import _studies_table
from sysrev.cli.main import cli
from sysrev.cli.meta import read_study_csv as read_pool_csv
from sysrev.errors import InputError
from sysrev.extraction.form import read_study_csv
from sysrev.extraction.table import read_outcome_rows
from sysrev.hand_tables import CutOffWarning, check_table_end, read_table, table_rows
from sysrev.living.studies import read_exemptions
from sysrev.rob.summary import load_weights

EXTRACTION_HEADER = "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note\n"

# One small valid table per reader, each ending in a non-empty last value (the cut the issue names: 40 -> 4),
# with a quoted cell holding the delimiter and a doubled quote, a multi-line quoted cell and non-ASCII text,
# so cuts fall inside quotes, after a line break inside quotes, and inside a UTF-8 character.
TABLES = {
    "extraction": EXTRACTION_HEADER
    + 'Smith 2020,pain,,6 weeks,1,40,12.5,3.1,,VAS,"Table 2, p. 5",,,,\n'
    + 'Smith 2020,pain,,6 weeks,2,40,10.2,2.9,,VAS,"Table 2, p. 5",,"median 10, IQR ""8-12""",IQR/1.35,\n'
    + 'Müller 2019,pain,,6 weeks,1,25,11,2.5,,VAS,Fig. 3,,,,"read off\nthe figure"\n'
    + "Müller 2019,pain,,6 weeks,2,24,10,2.7,,VAS,Fig. 3,,,,digitised twice\n",
    "studies": 'study,n_randomised,citation\n"Smith, J 2020",80,"Smith J, ""Trial"". 2020"\n'
               "Müller 2019,49,Müller K. Lancet 2019\nPark 2013,120,Park S. 2013\n",
    "pool": 'study,n1,mean1,sd1,n2,mean2,sd2\n"Smith, J 2020",40,12.5,3.1,40,10.2,2.9\n'
            "Müller 2019,25,11.0,2.5,24,10.0,2.7\n",
    "pool-semicolon-crlf": "study;n1;mean1;sd1;n2;mean2;sd2\r\nSmith 2020;40;12,5;3,1;40;10,2;2,9\r\n"
                           "Müller 2019;25;11,0;2,5;24;10,0;2,7\r\n",
    "exemptions": "study,stage,outcome,reason\nSmith 2020,rob2,pain,\"no full text, authors asked\"\n"
                  "Müller 2019,extraction,*,outcome reported only as a figure\n",
    "citations": 'study,citation\n"Smith, J 2020","Smith J, ""Trial"". 2020"\nMüller 2019,Müller K. 2019\n',
    "order": "study,year\nSmith 2020,2020\nMüller 2019,2019\nPark 2013,2013\n",
    "weights": "study,weight\nSmith 2020,40.5\nMüller 2019,59.5\n",
}


def _project(path):
    return SimpleNamespace(extraction_dir=path.parent, analysis_dir=path.parent)


def _read(kind, path):
    """The rows ``kind``'s reader makes of ``path``, as comparable values in file order."""
    if kind == "extraction":
        return read_outcome_rows(path)
    if kind == "studies":
        return read_study_csv(path)[1]
    if kind.startswith("pool"):
        frame, lines = read_pool_csv(path)
        return list(zip(lines, frame.values.tolist()))
    if kind == "exemptions":
        return list(read_exemptions(_project(path)).items())
    if kind == "citations":
        return list(load_citations(_project(path)).items())
    if kind == "order":
        return list(_studies_table(_project(path))[1].items())
    return list(load_weights(path).items())


FILE_NAMES = {"exemptions": "exemptions.csv", "citations": "studies.csv", "order": "studies.csv"}


def _read_recording(kind, path):
    """``(rows or the InputError, CutOffWarnings)`` of reading ``path``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            rows = _read(kind, path)
        except InputError as error:
            rows = error
    return rows, [w for w in caught if issubclass(w.category, CutOffWarning)]


def _assert_no_silent_change(rows, cut_warnings, complete, path):
    if isinstance(rows, InputError):
        assert str(rows).startswith(f"{path}"), rows
        return
    if cut_warnings:
        assert len(cut_warnings) == 1 and str(cut_warnings[0].message).startswith(f"{path}, line ")
        assert rows[:-1] == complete[:max(len(rows) - 1, 0)]
    else:
        assert rows == complete[:len(rows)]


@pytest.mark.parametrize("kind", TABLES)
def test_every_cut_of_a_table_is_an_error_or_a_prefix_of_its_rows(tmp_path, kind):
    data = TABLES[kind].encode("utf-8")
    path = tmp_path / FILE_NAMES.get(kind, "table.csv")
    path.write_bytes(data)
    complete, cut_warnings = _read_recording(kind, path)
    assert not isinstance(complete, InputError) and not cut_warnings and len(complete) >= 2
    header_end = data.index(b"\n") + 1
    for end in range(header_end, len(data)):  # cut inside the header, a table has no rows to change
        path.write_bytes(data[:end])
        rows, cut_warnings = _read_recording(kind, path)
        _assert_no_silent_change(rows, cut_warnings, complete, path)
        if isinstance(rows, InputError):  # the cut, or (after the warning) the reader's own rule on the value
            assert "looks cut off" in str(rows) or cut_warnings, (end, rows)
        elif not cut_warnings:  # read without a message: only a cut just after a row's line break
            assert data[:end].endswith((b"\n", b"\r")), (end, data[:end])


def test_the_issue_s_example_no_longer_pools_a_cut_n_without_a_word(tmp_path):
    """``…,40`` cut to ``…,4``: the bytes of a complete file saved without a final line break, so it is read
    with a warning naming the line; the row cut shorter is an error naming the file and line, and no plot is
    written."""
    complete = ("study,mean1,sd1,n1,mean2,sd2,n2\nPark 2013,14.1,3.3,30,12.0,3.0,30\n"
                "Smith 2020,12.5,3.1,40,10.2,2.9,40\n")
    cut = tmp_path / "data.csv"
    cut.write_text(complete[:-2], encoding="utf-8")  # "…,40\n" -> "…,4"
    result = CliRunner().invoke(cli, ["meta", "pool", str(cut), "--measure", "MD"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count(f"warning: {cut}, line 3: the file does not end with a line break") == 1
    cut.write_text(complete[:-9], encoding="utf-8")  # "…,10.2,2.9,40\n" -> "…,10."
    forest = tmp_path / "forest.png"
    result = CliRunner().invoke(cli, ["meta", "pool", str(cut), "--measure", "MD", "--forest", str(forest)])
    assert result.exit_code == 2
    assert result.stderr == (f"error: {cut}, line 3: the last row has 5 of the header's 7 cells and no line "
                             "break after it: the file looks cut off (an interrupted copy or download?); "
                             "restore the file, or complete the row\n")
    assert not forest.exists()
    cut.write_text(complete, encoding="utf-8")
    result = CliRunner().invoke(cli, ["meta", "pool", str(cut), "--measure", "MD"])
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize(("text", "line", "what"), [
    ('study,citation\nPark 2013,"Park S, ""Trial', 2, "a quoted cell of the last row is never closed (the file "
     "ends inside it): the file looks cut off (an interrupted copy or download?); restore the file, or close the "
     "quote"),
    ('study,"cita', 1, "a quoted cell of the last row is never closed"),  # cut inside the header
    ('study,citation\nPark 2013,"Park S.\nTrial', 2, "a quoted cell of the last row is never closed"),
    # A stray character after a closed quote earlier in the row ("12"0, read as 120) does not hide the quote
    # left open at the end: the quote state is counted from each cell's start (sysrev/csv_quotes.py).
    ('study,n,citation\nPark 2013,"12"0,"Park S, ""Trial ""', 2, "a quoted cell of the last row is never closed"),
    ("study,n,citation\nPark 2013,120,Park\nSmith 2020,4", 3, "the last row has 2 of the header's 3 cells"),
    ("study,citation\nPark 2013,Park\nMü".encode()[:-1], 3, "the file ends in the middle of a UTF-8 character"),
])
def test_a_certain_cut_is_an_error_naming_file_and_line(tmp_path, text, line, what):
    path = tmp_path / "studies.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(InputError) as error:
        read_table(path)
    assert str(error.value).startswith(f"{path}, line {line}: {what}")
    assert "the file looks cut off (an interrupted copy or download?)" in str(error.value)


@pytest.mark.parametrize("text", [
    "study,n\nPark 2013,120\n",  # Excel, LibreOffice, R, pandas: a line break after every row
    "study,n\r\nPark 2013,120\r\n",
    "study,n\rPark 2013,120\r",  # line breaks of a classic Mac OS file
    "study,n\nPark 2013,120\n\n   ",  # trailing blank lines: the last row has its line break
    "study,n",  # a header alone: no value to lose
    "",
])
def test_a_complete_table_reads_without_a_message(text, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8", newline="")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_table(path) == text


@pytest.mark.parametrize("text", ["study,n\nPark 2013,120", "study,n\nPark 2013,", "study,n\rPark 2013,120",
                                  'study,citation\nPark 2013,"Park S, ""Trial "'])
def test_a_last_row_without_a_line_break_warns_once_naming_the_line(tmp_path, text):
    """Complete, or cut inside its last value (120 from 1200; an empty cell from 12; a quoted cell cut between
    the two quotes of an escaped quote, which then reads as closed): the same bytes, so a warning, not an
    error."""
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(CutOffWarning, match=r"line 2: the file does not end with a line break") as caught:
        assert read_table(path) == text
    assert len(caught) == 1 and str(caught[0].message).startswith(str(path))


def test_a_short_last_row_with_its_line_break_is_left_to_the_reader(tmp_path):
    """A line break after the row: the file was not cut there; the reader's own rule (row width) decides."""
    path = tmp_path / "t.csv"
    path.write_text("study,n,citation\nPark 2013,120\n", encoding="utf-8")
    assert read_table(path) == "study,n,citation\nPark 2013,120\n"
    with pytest.raises(InputError, match="line 2: 2 cells but the header has 3 columns"):
        read_study_csv(path)


def test_sysrev_check_lists_a_cut_exemptions_file_among_its_findings(tmp_path):
    root = tmp_path / "review"
    (root / "analysis").mkdir(parents=True)
    (root / "review.toml").write_text('[review]\ntitle = "t"\n', encoding="utf-8")
    (root / "analysis" / "exemptions.csv").write_text(
        'study,stage,outcome,reason\nPark 2013,rob2,pain,"no full text', encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert result.exit_code == 2
    assert (f"{root / 'analysis' / 'exemptions.csv'}, line 2: a quoted cell of the last row is never closed"
            in result.output)


# Cells of every kind a hand-edited table holds: digits, the delimiter, quotes, line breaks inside a cell,
# spaces (which the readers strip) and characters of two, three and four UTF-8 bytes.
CELL = st.text(alphabet=list('0123456789.x ,;"\n\r') + ["é", "€", "𝛼"], max_size=6)


@st.composite
def tables(draw):
    """A table as csv.writer writes it: a header and 1-4 rows that are not blank, LF or CR LF line ends."""
    columns = draw(st.integers(1, 4))
    header = [f"c{i}" for i in range(columns)]
    row = st.lists(CELL, min_size=columns, max_size=columns).filter(lambda cells: any(c.strip() for c in cells))
    rows = draw(st.lists(row, min_size=1, max_size=4))
    delimiter = draw(st.sampled_from([",", ";"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])),
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerows([header, *rows])
    text = buffer.getvalue()
    # Python 3.11's writer leaves a cell holding a CR unquoted when the line end is LF: not a table of these rows
    assume(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)) == [header, *rows])
    return text.encode("utf-8"), delimiter, rows


def _rows_as_read(text, delimiter):
    """Data rows as the readers take them: csv.reader, blank rows skipped, the header dropped."""
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(c.strip() for c in r)]
    return rows[1:]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables())
def test_no_cut_of_any_table_changes_a_value_without_a_message(tmp_path, table):
    data, delimiter, complete = table
    path = tmp_path / "t.csv"
    for end in range(len(data) + 1):
        path.write_bytes(data[:end])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                text = read_table(path, delimiter=delimiter)
            except InputError as error:
                assert str(error).startswith(f"{path}, line ") and "looks cut off" in str(error)
                continue
        rows = _rows_as_read(text, delimiter)
        if end == len(data):
            assert rows == complete and not caught  # a complete file: read whole, without a message
        elif caught:
            assert [w.category for w in caught] == [CutOffWarning]
            assert rows[:-1] == complete[:max(len(rows) - 1, 0)]
        else:
            assert rows == complete[:len(rows)], (end, data[:end])


@settings(max_examples=100, deadline=None)
@given(table=tables())
def test_a_complete_table_without_its_last_line_break_is_never_refused(table):
    data, delimiter, complete = table
    text = data.decode("utf-8").removesuffix("\n").removesuffix("\r")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        check_table_end(text, "t.csv", delimiter=delimiter)
    assert _rows_as_read(text, delimiter) == complete


def test_a_table_read_by_several_checks_warns_once(tmp_path):
    """`sysrev check` reads studies.csv in the extraction check and twice for the study table: one warning."""
    root = tmp_path / "review"
    (root / "analysis" / "extraction").mkdir(parents=True)
    (root / "review.toml").write_text('[review]\ntitle = "t"\n', encoding="utf-8")
    studies = root / "analysis" / "extraction" / "studies.csv"
    studies.write_text("study,n_randomised\nPark 2013,120", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--project", str(root)])
    assert result.stderr.count("warning: ") == 1
    assert result.stderr.startswith(f"warning: {studies}, line 2: the file does not end with a line break")


BOM = "\ufeff".encode()  # Excel's "CSV UTF-8" starts every file with it


@pytest.mark.parametrize("bom", [b"", BOM])
@pytest.mark.parametrize(("data", "message"), [
    (b"study,n\nM\xe9ller 2019,49\n",
     "line 2: not valid UTF-8 (byte 0xe9: invalid continuation byte); save the table as UTF-8 (Excel: CSV UTF-8)"),
    (b"study,n\nPark 2013,1\n\xffM\n", "line 3: not valid UTF-8 (byte 0xff: invalid start byte); save the table"),
    (b"\nstudy,n\nPark 2013,1\n\xff", "line 4: not valid UTF-8 (byte 0xff: invalid start byte)"),  # last, no cut
    ("study,citation\nPark 2013,Park\nMü".encode()[:-1],
     "line 3: the file ends in the middle of a UTF-8 character: the file looks cut off (an interrupted copy or "
     "download?); restore the file"),
    # a broken character that is not at the end is no cut, whatever its kind
    ("study,citation\nMü".encode()[:-1] + b"x\n", "line 2: not valid UTF-8 (byte 0xc3: invalid continuation byte)"),
])
def test_bytes_that_are_not_utf8_are_named_with_their_line_and_byte(tmp_path, bom, data, message):
    """The line and byte are those of the file, with or without the byte-order mark before them."""
    path = tmp_path / "studies.csv"
    path.write_bytes(bom + data)
    with pytest.raises(InputError) as error:
        read_table(path)
    assert str(error.value).startswith(f"{path}, {message}")


def test_a_missing_table_is_named(tmp_path):
    with pytest.raises(InputError) as error:
        read_table(tmp_path / "studies.csv")
    assert str(error.value) == f"{tmp_path / 'studies.csv'}: file not found"


def test_the_byte_order_mark_is_not_part_of_the_first_column_s_name(tmp_path):
    path = tmp_path / "studies.csv"
    path.write_bytes(BOM + b"study,n\nPark 2013,120\n")
    assert read_table(path) == "study,n\nPark 2013,120\n"


@pytest.mark.parametrize(("text", "delimiter", "expected"), [
    ('study,note\nPark 2013,"two\nlines"\nSmith 2020,x\n', ",",
     [(1, ["study", "note"]), (2, ["Park 2013", "two\nlines"]), (4, ["Smith 2020", "x"])]),
    ('study;note\r\n\r\nPark 2013;"a;\r\nb"\r\nSmith 2020;x', ";",
     [(1, ["study", "note"]), (2, []), (3, ["Park 2013", "a;\r\nb"]), (5, ["Smith 2020", "x"])]),
    ("study,n\rPark 2013,1\r", ",", [(1, ["study", "n"]), (2, ["Park 2013", "1"])]),
    ("", ",", []),
])
def test_table_rows_start_on_the_physical_line_of_the_file(text, delimiter, expected):
    """A cell holding a line break (Alt+Enter in Excel) does not shift the lines of the rows after it."""
    assert list(table_rows(text, delimiter=delimiter)) == expected


def test_the_warning_names_the_whole_advice_and_points_at_the_code_that_read_the_table():
    with pytest.warns(CutOffWarning) as caught:
        check_table_end("study,n\nPark 2013,120", "t.csv")
    assert str(caught[0].message) == (
        "t.csv, line 2: the file does not end with a line break, so a last value cut off by an interrupted copy or "
        "download cannot be ruled out; check this row, then end the file with a line break")
    # it points at the reader that called check_table_end (as cli/meta.py does), not inside hand_tables.py
    assert not caught[0].filename.endswith("hand_tables.py")
