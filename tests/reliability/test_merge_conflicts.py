"""A file left with git's merge-conflict markers (a team pulling a file changed on two machines) is named as
such by every reader's error, whatever the reader (sysrev/merge_conflicts.py)."""

import json
import os
import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.merge_conflicts import conflict_blocks, is_marker
from sysrev.screening.log import Decision, append_decisions

NOTE = "unresolved git merge conflict"


def conflicted(lines: list[str], at: int, ours: list[str], theirs: list[str]) -> list[str]:
    """``lines`` with a conflict block inserted before line index ``at``, as git writes it."""
    return [*lines[:at], "<<<<<<< HEAD", *ours, "=======", *theirs, ">>>>>>> origin/main", *lines[at:]]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "review"
    assert run("init", root, "--no-input", "--no-git", "--reviewer", "ann", "--reviewer", "bob").exit_code == 0
    records = [{"record_id": f"R{n:06d}", "title": f"Trial {n}", "authors": [], "year": 2020} for n in (1, 2, 3)]
    (root / "records" / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                   encoding="utf-8")
    return root


def test_review_toml_with_a_conflict_says_so_with_its_lines(project):
    toml = project / "review.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    toml.write_text("\n".join(conflicted(lines, 2, ['title = "A"'], ['title = "B"'])) + "\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 2
    assert "review.toml: invalid TOML" in result.output and f"{NOTE} (lines 3-7," in result.output, result.output


def test_records_jsonl_with_a_conflict_says_so(project):
    path = project / "records" / "records.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(conflicted(lines, 1, lines[1:2], lines[2:3])) + "\n", encoding="utf-8")
    result = run("screen", "status", "--project", project)
    assert result.exit_code == 2
    assert "records.jsonl, line 2: invalid JSON" in result.output and f"{NOTE} (lines 2-6," in result.output


def test_each_marker_row_of_a_decision_log_is_named_and_both_sides_rows_count(project):
    log = project / "screening" / "title_abstract" / "ann.csv"
    append_decisions(log, [Decision("R000001", "include", "", "ann", "2026-01-05T10:00:00Z")])
    header, first = log.read_text(encoding="utf-8").splitlines()
    ours = first.replace("R000001", "R000002")
    theirs = first.replace("R000001", "R000003").replace("include", "exclude")
    log.write_text("\n".join(conflicted([header, first], 2, [ours], [theirs])) + "\n", encoding="utf-8")
    result = run("check", "--project", project)
    assert result.exit_code == 2
    marker_lines = [line for line in result.output.splitlines() if "git merge-conflict marker" in line]
    assert [re.search(r"\.csv, (lines? [^:]+):", line).group(1) for line in marker_lines] == [
        "lines 3, 5, 7 (3 rows)"], result.output  # the rows of one log with one problem: on one line
    status = run("screen", "status", "--project", project)
    assert re.search(r"^  ann +3 ", status.output, re.M), status.output  # both sides' rows count


def test_an_extraction_table_with_a_conflict_says_so(project):
    table = next(p for p in (project / "analysis" / "extraction").glob("*.csv") if p.name != "studies.csv")
    header = table.read_text(encoding="utf-8").splitlines()[0]
    row = "Able 2020," + ",".join([""] * (header.count(",")))
    table.write_text("\n".join(conflicted([header], 1, [row], [row.replace("Able", "Baker")])) + "\n",
                     encoding="utf-8")
    result = run("extract", "check", "--project", project)
    assert result.exit_code == 2 and f"{NOTE} (lines 2-6," in result.output, result.output


def test_no_note_without_markers_and_none_after_the_conflict_is_resolved(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("title\n=======\nan underline is not a conflict\n", encoding="utf-8")
    assert NOTE not in str(InputError("bad", path=path))
    path.write_text("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n", encoding="utf-8")
    assert str(InputError("bad", path=path, line=2)).startswith(f"{path}, line 2: bad — the file holds an {NOTE}")
    path.write_text("a\nb\nc\n", encoding="utf-8")  # resolved: a new version of the file, read again
    assert str(InputError("bad", path=path)) == f"{path}: bad"
    assert str(InputError("bad", path=tmp_path / "missing.csv")) == f"{tmp_path / 'missing.csv'}: bad"
    assert str(InputError("bad", path=tmp_path)) == f"{tmp_path}: bad"  # a folder


def test_several_conflicts_are_counted_and_the_first_five_placed(tmp_path):
    path = tmp_path / "many.toml"
    lines = []
    for _ in range(7):
        lines = conflicted(lines, len(lines), ["x = 1"], ["x = 2"])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = str(InputError("bad", path=path))
    assert "7 unresolved git merge conflicts (lines 1-5, lines 6-10, lines 11-15, lines 16-20, lines 21-25 and 2 " \
           "more," in message


@pytest.mark.parametrize("line, marker", [
    ("<<<<<<< HEAD", True), ("<<<<<<<", True), (">>>>>>> origin/main", True), (">>>>>>>\r\n", True),
    ("=======", True), ("||||||| merged common ancestors", True), ("|||||||", True),
    ("========", False), ("<<<<<<<<", False), ("<<<<<<<HEAD", False), (" <<<<<<< HEAD", False),
    ("a <<<<<<< b", False), ("======= x", False), ("", False),
    # only the line break is stripped: trailing spaces, tabs or letters make a line that is no marker
    ("======= ", False), ("=======\t", False), ("<<<<<<<\t", False), ("<<<<<<<X", False), (">>>>>>>XX\n", False),
    ("<<<<<<< caf\udce9", True)])  # a label with a byte that is not UTF-8 (read with surrogateescape)
def test_markers_are_git_s_seven_characters_at_the_start_of_a_line(line, marker):
    assert is_marker(line) is marker


@given(st.lists(st.sampled_from(["a", "=======", "<<<<<<< HEAD", ">>>>>>> x", "x = 1", ""]), max_size=30))
def test_blocks_open_before_they_close_and_never_overlap(lines):
    blocks = conflict_blocks("\n".join(lines).encode())
    previous_end = 0
    for first, last in blocks:
        assert previous_end < first < last
        assert lines[first - 1].startswith("<<<<<<<") and lines[last - 1].startswith(">>>>>>>")
        assert not any(line.startswith(">>>>>>>") for line in lines[first:last - 1])
        previous_end = last
    # every closing marker after an opening one closes some block
    opened = False
    closes = 0
    for line in lines:
        if line.startswith("<<<<<<<") and not opened:
            opened = True
        elif line.startswith(">>>>>>>") and opened:
            opened, closes = False, closes + 1
    assert len(blocks) == closes


@pytest.mark.parametrize("data, blocks", [
    (b"a\r\n<<<<<<<\r\nb\r\n=======\r\nc\r\n>>>>>>>\r\nd\r\n", [(2, 6)]),  # CR LF lines, markers without labels
    (b"<<<<<<< HEAD\nb\n>>>>>>> x\n<<<<<<<\t\n>>>>>>>\t\n<<<<<<<X\n>>>>>>>XX\n", [(1, 3)]),  # 2nd and 3rd: no markers
    (b"<<<<<<< HEAD\n<<<<<<< HEAD\nb\n>>>>>>> x\n>>>>>>> y\n", [(1, 4)]),  # a close ends the open block
    (b">>>>>>> x\n=======\n", []),
])
def test_blocks_of_a_file_read_line_by_line_and_of_its_bytes_are_the_same(tmp_path, data, blocks):
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert conflict_blocks(data) == blocks
    with open(path, "rb") as fh:
        assert conflict_blocks(fh) == blocks


@pytest.mark.parametrize("count, places", [
    (1, "an unresolved git merge conflict (lines 1-5, "),
    (5, "5 unresolved git merge conflicts (lines 1-5, lines 6-10, lines 11-15, lines 16-20, lines 21-25, "),
    (6, "6 unresolved git merge conflicts (lines 1-5, lines 6-10, lines 11-15, lines 16-20, lines 21-25 and 1 "
        "more, "),
])
def test_the_note_counts_the_conflicts_and_places_the_first_five(tmp_path, count, places):
    path = tmp_path / "many.toml"
    lines = []
    for _ in range(count):
        lines = conflicted(lines, len(lines), ["x = 1"], ["x = 2"])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert str(InputError("bad", path=path)) == (
        f"{path}: bad — the file holds {places}between git's <<<<<<< and >>>>>>> lines): keep what each side "
        "should keep, delete the marker lines, then run `sysrev check`")


def test_a_new_version_of_the_file_is_read_again_even_at_the_same_size_or_time(tmp_path):
    """The note of an earlier version is never given: a version differs from the last in size or in time."""
    path = tmp_path / "t.csv"
    conflict = "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n"

    def version(text, ns):
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(ns, ns))
        return NOTE in str(InputError("bad", path=path))

    assert version(conflict, 10**18)
    assert not version("a" * (len(conflict) - 1) + "\n", 10**18 + 10**9)  # resolved: the same size, a later time
    assert version(conflict, 10**18 + 2 * 10**9)
    assert not version("a\n", 10**18 + 2 * 10**9)  # resolved: another size, the same time (a copy keeping it)


@pytest.mark.parametrize("path", [None, "bad\0name.csv"])
def test_no_note_for_what_is_not_a_file_path(path):
    from sysrev.merge_conflicts import conflict_note

    assert conflict_note(path) == ""
