"""A decision log cut off in its last row (an append that crashed, a copy or sync that stopped mid-row) is
never counted as if it were whole: the row is reported with its file and line, and the file is left as it is.

The logs below are written for these tests in the form sysrev writes (a line break after every row); the
notes hold the delimiter, escaped quotes and a line break, so cuts fall in every quote state, and the last
cells are a timestamp (five columns) or a rank and model (eight columns), which a cut shortens to values that
still read (``2024-05-01T09:30:00Z`` to ``2024-05-01``, ``tfidf-svm.2/42`` to ``tfidf-svm.2/4``).
"""

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sysrev.screening.config import screening_config
from sysrev.screening.log import Decision, ScreeningLogError, append_decisions, log_path, read_log
from sysrev.screening.state import load_screening

FIVE = ("record_id,decision,reason,reviewer,timestamp\n"
        "r01,include,,alice,2024-05-01T09:30:00Z\n"
        "r02,exclude,wrong population,alice,2024-05-01T09:31:15Z\n"
        "r03,include,,alice,2024-05-01T09:32:40Z\n")
EIGHT = ("record_id,decision,reason,reviewer,timestamp,note,rank,model\n"
         "r01,include,,alice,2024-05-01T09:30:00Z,,1,tfidf-svm.2/42\n"
         'r02,exclude,wrong population,alice,2024-05-01T09:31:15Z,"adults only, ""per protocol""\nsee p. 2",12,'
         "tfidf-svm.2/42\n"
         "r03,include,,alice,2024-05-01T09:32:40Z,,23,random\n"
         'r04,exclude,not randomised,alice,2024-05-01T09:33:05Z,"says ""quasi""",34,tfidf-svm.2/42\n')
# The physical line each data row starts on, counted by hand (r02's note holds a line break in EIGHT).
ROW_LINES = {FIVE: [2, 3, 4], EIGHT: [2, 3, 5, 6]}


def _write(project, text: str):
    path = log_path(project.screening_dir, "title_abstract", "alice")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def _read(project, path):
    return read_log(path, stage="title_abstract", config=screening_config(project), owner="alice")


@pytest.mark.parametrize("cut, line", [
    (FIVE[:FIVE.rindex("T09:32:40Z")], 4),  # the last timestamp cut to a date, which parses
    (FIVE[:-1], 4),  # only the line break missing: the values are whole, but nothing shows it
    (EIGHT[:-2], 6),  # the model cut to tfidf-svm.2/4
    (EIGHT[:EIGHT.index("34,tfidf") + 1], 6),  # the rank 34 cut to 3, the model gone
    (EIGHT[:EIGHT.index("see p. 2")], 3),  # inside a quoted note, after its line break: still open
    (EIGHT[:EIGHT.index('""quasi') + 1], 6),  # between the two quotes of "": reads as a closed note
])
def test_a_cut_last_row_is_reported_with_file_and_line_and_the_file_is_untouched(make_project, cut, line):
    project = make_project()
    path = _write(project, cut)
    rows, problems = _read(project, path)
    assert [str(p) for p in problems if p.line == line] and all(p.line == line for p in problems)
    assert str(problems[0]).startswith(f"{path}, line {line}: ") and "looks cut off" in str(problems[0])
    assert all(row.line < line for row in rows)  # the rows before it still read
    with pytest.raises(ScreeningLogError, match=f"alice.csv, line {line}: "):
        load_screening(project)
    assert path.read_bytes() == cut.encode("utf-8")  # reported, never rewritten


@pytest.mark.parametrize("complete", [FIVE, EIGHT], ids=["five-columns", "eight-columns"])
def test_every_cut_reads_a_prefix_of_the_rows_or_names_the_cut_row(make_project, complete):
    """For every byte offset: the rows read are exactly the first k rows of the complete log, values
    unchanged; and when anything is reported, it is the row after them, by file and line."""
    project = make_project()
    path = _write(project, complete)
    full, problems = _read(project, path)
    assert not problems and [row.line for row in full] == ROW_LINES[complete]
    data = complete.encode("utf-8")
    line_starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    row_ends = {line_starts[line - 1] for line in ROW_LINES[complete]} | {len(data)}  # cuts between rows
    for offset in range(len(data) + 1):
        _write(project, data[:offset].decode("utf-8"))
        rows, problems = _read(project, path)
        assert rows == full[:len(rows)], offset
        if offset < line_starts[1]:
            continue  # the header itself is cut: the header check reports it (or the file is empty)
        if offset in row_ends:  # a log with fewer rows, every one of them whole
            assert not problems and len(rows) == sum(line_starts[line - 1] < offset for line in ROW_LINES[complete])
            continue
        cut_line = ROW_LINES[complete][len(rows)]
        assert problems and all(str(p).startswith(f"{path}, line {cut_line}: ") for p in problems), offset


_NOTE = st.text(alphabet='ab ,"\n', max_size=8)
_DECISION = st.builds(
    lambda rid, decision, stamp, note, rank, model: Decision(
        rid, decision, "", "alice", stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), note.strip(), rank, model),
    st.sampled_from([f"r0{n}" for n in range(1, 9)]), st.sampled_from(["include", "exclude", "maybe"]),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2029, 12, 31)), _NOTE,
    st.sampled_from(["", "1", "12", "345"]), st.sampled_from(["", "random", "tfidf-svm.2/42"]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_DECISION, min_size=1, max_size=4), st.data())
def test_any_log_sysrev_wrote_cut_anywhere_reads_a_prefix_or_names_the_cut_row(make_project, decisions, data):
    """Property over logs written by :func:`append_decisions` itself, cut at any byte (or just after a quote):
    the rows read are the first rows of the complete log with identical values, and any problem names the row
    after them; a cut that is not between rows is always reported."""
    project = make_project()
    path = log_path(project.screening_dir, "title_abstract", "alice")
    path.unlink(missing_ok=True)
    append_decisions(path, decisions)
    complete = path.read_bytes()
    full, problems = _read(project, path)
    assert not problems and len(full) == len(decisions)
    header_end = complete.index(b"\n") + 1
    after_quotes = [i + 1 for i, byte in enumerate(complete) if byte == ord('"')]
    offset = data.draw(st.integers(header_end, len(complete)) | st.sampled_from(after_quotes or [header_end]))
    path.write_bytes(complete[:offset])
    rows, problems = _read(project, path)
    assert rows == full[:len(rows)]
    row_ends = {header_end, len(complete)}
    for row in full[1:]:  # a row starts where the previous one ends
        row_ends.add(_offset_of_physical_line(complete, row.line))
    if offset in row_ends:
        assert not problems
    else:
        line = full[len(rows)].line
        assert problems and all(str(p).startswith(f"{path}, line {line}: ") for p in problems)


def _offset_of_physical_line(data: bytes, line: int) -> int:
    return 0 if line == 1 else [i + 1 for i, byte in enumerate(data) if byte == ord("\n")][line - 2]
