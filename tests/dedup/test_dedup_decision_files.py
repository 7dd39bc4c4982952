"""The two plain files of human dedup review (docs/dedup.md "Files"): ``dedup_decisions.csv`` (append-only,
may be edited by hand, the later row wins) and ``dedup_queue.csv`` (rewritten by each run), and recording a
reviewer's answer on a queued pair (shared by ``sysrev dedup review`` and the web app).

Both are text files kept in git: one line per row, ``\\n`` line ends, nothing invented in an empty cell. A
malformed decisions file is an error naming the file, line and column.
"""

from datetime import UTC, datetime

import pytest

from sysrev.dedup.decisions import append_decisions, read_decisions, read_queue, write_queue
from sysrev.dedup.review import pending_pairs, record_pair_decision
from sysrev.errors import InputError
from sysrev.project import Project

HEADER = "record_a,record_b,decision,reviewer,timestamp,note\n"


def text_of(path):
    """The file's text exactly as stored (no line-end translation)."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "review.toml").write_text('[review]\ntitle = "t"\nquestion = "q"\n', encoding="utf-8")
    project = Project(root=tmp_path)
    project.records_dir.mkdir()
    return project


def test_appending_keeps_earlier_rows_and_leaves_missing_cells_empty(tmp_path):
    path = tmp_path / "dedup_decisions.csv"
    append_decisions(path, [{"record_a": "pubmed:1", "record_b": "scopus:2", "decision": "same", "reviewer": "anna",
                             "timestamp": "2026-01-01T10:00:00Z", "note": "same DOI"}])
    append_decisions(path, [{"record_a": "pubmed:1", "record_b": "scopus:2", "decision": "different"}])
    assert text_of(path) == (HEADER + "pubmed:1,scopus:2,same,anna,2026-01-01T10:00:00Z,same DOI\n"
                             "pubmed:1,scopus:2,different,,,\n")
    assert read_decisions(path) == {frozenset(("pubmed:1", "scopus:2")): "different"}  # the later row wins


def test_a_hand_edited_file_without_a_final_newline_gets_the_new_row_on_a_line_of_its_own(tmp_path):
    path = tmp_path / "dedup_decisions.csv"
    path.write_text(HEADER + "pubmed:1,scopus:2,same,anna,,checked by hand", encoding="utf-8")
    append_decisions(path, [{"record_a": "pubmed:3", "record_b": "embase:4", "decision": "related"}])
    assert text_of(path) == (HEADER + "pubmed:1,scopus:2,same,anna,,checked by hand\n"
                             "pubmed:3,embase:4,related,,,\n")
    assert read_decisions(path) == {frozenset(("pubmed:1", "scopus:2")): "same",
                                    frozenset(("pubmed:3", "embase:4")): "related"}



def test_decisions_are_read_and_written_as_utf8_whatever_the_locale(tmp_path, ascii_locale):
    path = tmp_path / "dedup_decisions.csv"
    path.write_bytes((HEADER + "pubmed:1,scopus:2,same,Jürgen Müller,,\n").encode("utf-8"))
    append_decisions(path, [{"record_a": "pubmed:3", "record_b": "scopus:4", "decision": "different",
                             "reviewer": "Zoë"}])
    assert text_of(path) == HEADER + "pubmed:1,scopus:2,same,Jürgen Müller,,\npubmed:3,scopus:4,different,Zoë,,\n"
    assert len(read_decisions(path)) == 2


def test_a_decisions_file_saved_by_a_spreadsheet_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "dedup_decisions.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "pubmed:1,scopus:2,Same,anna,,\n").encode("utf-8"))
    assert read_decisions(path) == {frozenset(("pubmed:1", "scopus:2")): "same"}


@pytest.mark.parametrize("row", ["pubmed:1,,same", ",pubmed:1,same", "pubmed:1,pubmed:1,same"],
                         ids=["no record_b", "no record_a", "one record twice"])
def test_a_row_that_does_not_name_two_records_is_an_error_naming_file_and_line(tmp_path, row):
    path = tmp_path / "dedup_decisions.csv"
    path.write_text(f"record_a,record_b,decision\npubmed:7,pubmed:8,same\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_decisions(path)
    assert str(error.value) == f"{path}, line 3: record_a and record_b must name two different records"


@pytest.mark.parametrize(("value", "shown"), [("maybe", "'maybe'"), ("", "''")])
def test_an_unknown_decision_is_an_error_naming_file_line_column_and_the_choices(tmp_path, value, shown):
    path = tmp_path / "dedup_decisions.csv"
    path.write_text(f"record_a,record_b,decision\npubmed:1,pubmed:2,{value}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_decisions(path)
    assert str(error.value) == (f"{path}, line 2, column 'decision': decision must be one of same, different, "
                                f"related, not {shown}")


def test_missing_columns_are_named_with_the_file_and_its_header_line(tmp_path):
    path = tmp_path / "dedup_decisions.csv"
    path.write_text("record_a,reviewer\npubmed:1,anna\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_decisions(path)
    assert str(error.value) == f"{path}, line 1: missing columns record_b, decision"


@pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"])
def test_a_decisions_file_that_is_not_utf8_is_an_error_naming_the_file_and_byte(tmp_path, mark):
    path = tmp_path / "dedup_decisions.csv"
    # "Müller" in Latin-1: ü is the single byte 0xFC, the 29th byte (offset 28) of the file, after Excel's
    # byte-order mark the 32nd (offset 31): counted in the file as it is
    path.write_bytes(mark + b"record_a,record_b,decision\nM\xfcller:1,pubmed:2,same\n")
    with pytest.raises(InputError) as error:
        read_decisions(path)
    assert str(error.value) == f"{path}, line 2: not valid UTF-8 (invalid start byte at byte {28 + len(mark)}: 0xfc)"


def test_the_queue_file_has_one_line_per_pair_and_no_cell_a_spreadsheet_would_run(tmp_path):
    path = tmp_path / "dedup_queue.csv"
    write_queue(path, [{"record_a": "pubmed:1", "record_b": "scopus:2", "reason": "similar title", "score": "2.50",
                        "title_a": "=HYPERLINK(1)", "title_b": "A trial"},
                       {"record_a": "pubmed:3", "record_b": "scopus:4"}])
    assert text_of(path) == ("record_a,record_b,reason,score,title_a,title_b\n"
                             "pubmed:1,scopus:2,similar title,2.50,'=HYPERLINK(1),A trial\n"
                             "pubmed:3,scopus:4,,,,\n")


def test_a_queue_needs_only_the_two_record_columns(tmp_path):
    path = tmp_path / "dedup_queue.csv"
    path.write_text("record_a,record_b\npubmed:1,scopus:2\n", encoding="utf-8")
    assert read_queue(path) == [{"record_a": "pubmed:1", "record_b": "scopus:2"}]
    path.write_text("record_a,reason\npubmed:1,similar title\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: missing column"):
        read_queue(path)


def test_a_recorded_decision_carries_the_reviewer_the_utc_time_and_the_queue_reason(project, clock_east_of_utc):
    write_queue(project.records_dir / "dedup_queue.csv", [
        {"record_a": "pubmed:1", "record_b": "scopus:2", "reason": "similar title; years differ", "score": "2.00"},
        {"record_a": "pubmed:3", "record_b": "scopus:4", "reason": "no title", "score": "1.00"}])
    before = datetime.now(UTC).replace(microsecond=0)
    row = pending_pairs(project)[0]
    path = record_pair_decision(project, row, "related", "anna")
    after = datetime.now(UTC)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] + "\n" == HEADER and len(lines) == 2
    a, b, decision, reviewer, timestamp, note = lines[1].split(",")
    assert (a, b, decision, reviewer) == ("pubmed:1", "scopus:2", "related", "anna")
    assert note == "similar title; years differ"
    assert before <= datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) <= after
    assert [r["record_a"] for r in pending_pairs(project)] == ["pubmed:3"]


def test_a_queue_row_without_a_reason_is_recorded_with_an_empty_note(project):
    record_pair_decision(project, {"record_a": "pubmed:1", "record_b": "scopus:2"}, "same", "anna")
    row = (project.records_dir / "dedup_decisions.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.startswith("pubmed:1,scopus:2,same,anna,") and row.endswith("Z,")


def test_an_unknown_decision_is_refused_and_nothing_is_written(project):
    with pytest.raises(InputError) as error:
        record_pair_decision(project, {"record_a": "pubmed:1", "record_b": "scopus:2"}, "maybe", "anna")
    assert str(error.value) == "decision must be one of same, different, related, not 'maybe'"
    assert not (project.records_dir / "dedup_decisions.csv").exists()
