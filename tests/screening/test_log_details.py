"""The decision logs in detail: rows after a blank line still count, every column (rank included) is checked,
every problem names its file and line (also for rows appended since an earlier read), timestamps are UTC,
and appending keeps what is there (an Excel byte-order mark, a file of blank lines, a missing line break). The
rows of one log with the same problem are shown on one line that names them all (below)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import SysrevError
from sysrev.project import load_project
from sysrev.screening.config import screening_config
from sysrev.screening.log import (
    Decision,
    LogProblem,
    ScreeningLogError,
    append_decisions,
    grouped,
    log_path,
    now_timestamp,
    parse_timestamp,
    read_log,
    read_log_text,
)
from sysrev.screening.state import load_screening

HEADER = "record_id,decision,reason,reviewer,timestamp,note,rank,model\n"
ROW = "r01,include,,alice,2024-05-01T09:30:00Z,,1,tfidf-svm.3/2\n"


@pytest.fixture
def config(make_project):
    return screening_config(make_project())


def _read(config, text, *, stage="title_abstract", owner="alice", path="screening/title_abstract/alice.csv",
          **kwargs):
    return read_log_text(path, text, stage=stage, config=config, owner=owner, **kwargs)


def test_rows_after_blank_lines_still_count_at_their_own_lines(config):
    text = HEADER + ROW + "\n , , \n" + ROW.replace("r01", "r02").replace(",1,", ",2,")
    decisions, problems = _read(config, text)
    assert problems == []
    assert [(d.record_id, d.line, d.rank, d.model) for d in decisions] == [("r01", 2, "1", "tfidf-svm.3/2"),
                                                                           ("r02", 5, "2", "tfidf-svm.3/2")]


def test_every_cell_of_a_row_is_read(config):
    [decision], _ = _read(config, HEADER + 'r03,exclude,wrong population,alice,2024-05-01T09:30:00Z," a note ",,\n',
                          path="logs/alice.csv")
    assert decision == Decision("r03", "exclude", "wrong population", "alice", "2024-05-01T09:30:00Z", "a note", "",
                                "", path=decision.path, line=2)
    assert str(decision.path) == "logs/alice.csv"
    [short], _ = _read(config, "record_id,decision,reason,reviewer,timestamp\nr04,maybe,,alice,2024-05-01\n")
    assert short.cells() == ["r04", "maybe", "", "alice", "2024-05-01", "", "", ""]


@pytest.mark.parametrize("rank, problem", [
    ("0", True), ("-1", True), ("1.5", True), ("first", True), ("1", False), ("250", False), ("", False)])
def test_a_rank_is_a_whole_number_from_one(config, rank, problem):
    decisions, problems = _read(config, HEADER + ROW.replace(",1,", f",{rank},"))
    expected = f"rank {rank!r} is not a whole number from 1 (the place the record was shown at)"
    assert [p.message for p in problems] == ([expected] if problem else [])
    assert len(decisions) == (0 if problem else 1)


def test_file_level_problems_in_full(config):
    assert _read(config, "id,decision\nr01,include\n") == ([], [LogProblem(
        Path("screening/title_abstract/alice.csv"), 1,
        "header must be record_id,decision,reason,reviewer,timestamp (optionally ,note or ,note,rank,model); "
        "found id,decision")])
    decisions, problems = _read(config, HEADER + ROW.replace("alice", "zed"), owner="zed")
    assert decisions == []
    assert [str(p) for p in problems] == [
        "screening/title_abstract/alice.csv: log of unknown reviewer 'zed': not in [screening] reviewers of "
        "review.toml, so its one decision row is not counted; a reviewer who has stopped screening stays in the "
        "list, so that their decisions keep counting"]
    assert _read(config, "") == ([], [])


def test_an_unknown_owners_log_is_one_problem_however_many_rows_it_holds(config):
    """A reviewer taken off the list (they left the team) makes one problem for their log, with the number of
    rows not counted, not one per row; a row with a problem of its own is still named at its line, and a row
    naming another unknown reviewer still is too."""
    rows = "".join(ROW.replace("alice", "zed").replace("r01", f"r0{n}") for n in range(1, 4))
    bad = ROW.replace("alice", "zed").replace("include", "perhaps")
    other = ROW.replace("alice", "yan")
    decisions, problems = _read(config, HEADER + rows + bad + other, owner="zed")
    assert decisions == []
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (None, "log of unknown reviewer 'zed': not in [screening] reviewers of review.toml, so its 3 decision rows "
               "are not counted"),
        (5, "decision 'perhaps' is not one of include, exclude, maybe"),
        (6, "unknown reviewer 'yan': not in [screening] reviewers of review.toml")]


@pytest.mark.parametrize("owner, hint", [("Alice", " (did you mean 'alice'?)"), ("bobb", " (did you mean 'bob'?)"),
                                         ("BOB", " (did you mean 'bob'?)"), ("zed", "")])
def test_an_unknown_owner_close_to_a_listed_reviewer_is_pointed_at_them(config, owner, hint):
    text = HEADER + ROW.replace("alice", owner) * 2
    _, problems = _read(config, text, owner=owner)
    assert problems[0].message.startswith(f"log of unknown reviewer {owner!r}{hint}: not in [screening] reviewers "
                                          "of review.toml, so its 2 decision rows are not counted")


def test_the_owner_is_the_file_name_unless_given(config):
    _, problems = read_log_text("logs/bob.csv", HEADER + ROW, stage="title_abstract", config=config)
    assert [p.message for p in problems] == ["row of reviewer 'alice' in the log of 'bob'"]


def test_rows_appended_since_an_earlier_read_keep_their_lines_in_the_file(config):
    text = HEADER + ROW + ROW.replace("r01", "").replace(",1,", ",2,") + ROW.replace("r01", "r09")[:-1]
    decisions, problems = _read(config, text, line_offset=10)
    assert [d.line for d in decisions] == [12]
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (13, "empty record_id"), (14, "the last row has no line break after it")]


def test_a_cut_last_row_is_named_in_full_and_not_counted(config):
    cut = "the last row has no line break after it"
    open_quote = "a quoted cell of the last row is never closed (the file ends inside it)"
    tail = (": sysrev ends every row it writes with one, so the row looks cut off (an append that crashed, or a copy "
            "or sync that stopped mid-row) and its last value may be incomplete; check the row, then end the file "
            "with a line break (or delete the row and screen the record again)")
    decisions, problems = _read(config, HEADER + ROW + ROW[:-10])
    assert [d.line for d in decisions] == [2] and [(p.line, p.message) for p in problems] == [(3, cut + tail)]
    decisions, problems = _read(config, HEADER + ROW + 'r02,include,,alice,2024-05-01T09:30:00Z,"a note\nwith')
    assert [d.line for d in decisions] == [2] and [(p.line, p.message) for p in problems] == [(3, open_quote + tail)]
    assert _read(config, HEADER + ROW.replace("\n", "\r"))[1] == []  # a bare CR ends a row too


@pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"])  # with Excel's byte-order mark, counted in the file
def test_a_log_that_is_not_utf8_is_named(config, tmp_path, mark):
    path = tmp_path / "alice.csv"
    data = mark + HEADER.encode() + b"r01,include,,alice,2024-05-01T09:30:00Z,Caf\xe9,,\n"
    path.write_bytes(data)
    at = data.index(b"\xe9")
    assert read_log(path, stage="title_abstract", config=config) == ([], [LogProblem(
        path, 2, f"not valid UTF-8 (invalid continuation byte at byte {at}: 0xe9)")])


def test_more_problems_than_are_listed_are_counted():
    problems = [LogProblem(f"log{i}.csv", i, "bad") for i in range(27)]
    message = str(ScreeningLogError(problems))
    assert message.startswith("27 problems in the screening logs (fix or remove the rows; nothing was counted):\n"
                              "  log0.csv, line 0: bad\n")
    assert message.endswith("  log24.csv, line 24: bad\n  … and 2 more")
    assert str(ScreeningLogError(problems[:1])).startswith("1 problem in the screening logs")


def test_timestamps_are_written_and_read_in_utc(clock_east_of_utc):
    written = datetime.strptime(now_timestamp(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(written - datetime.now(UTC)) < timedelta(minutes=1)
    assert parse_timestamp(" 2024-05-01T09:30:00Z ") == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert parse_timestamp("2024-05-01T09:30:00").tzinfo is UTC  # no zone given: UTC, not the machine's
    assert parse_timestamp("2024-05-01T11:30:00+02:00") == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert parse_timestamp("2024-05-01Z") == datetime(2024, 5, 1, tzinfo=UTC)  # a date with a zone letter
    with pytest.raises(ValueError):
        parse_timestamp("May 1st")


def test_an_unknown_stage_is_refused():
    with pytest.raises(SysrevError) as info:
        log_path("screening", "abstracts", "alice")
    assert str(info.value) == "unknown screening stage 'abstracts'; use one of title_abstract, full_text"


def _decision(record_id, **kw):
    return Decision(record_id, "include", "", "alice", "2024-05-01T09:30:00Z", **kw)


def test_appending_nothing_writes_nothing(tmp_path):
    path = tmp_path / "alice.csv"
    assert append_decisions(path, []) == 0 and not path.exists()


def test_appending_widens_an_excel_saved_log_and_keeps_its_rows(tmp_path):
    path = tmp_path / "alice.csv"
    path.write_bytes("\ufeffrecord_id,decision,reason,reviewer,timestamp\r\nr01,include,,alice,2024-05-01\r\n"
                     .encode("utf-8"))
    assert append_decisions(path, [_decision("r02", note="second look")]) == 1
    assert path.read_bytes() == (b"record_id,decision,reason,reviewer,timestamp,note\n"
                                 b"r01,include,,alice,2024-05-01,\n"
                                 b"r02,include,,alice,2024-05-01T09:30:00Z,second look\n")


def test_appending_to_a_log_without_a_final_line_break_starts_a_new_line(tmp_path):
    path = tmp_path / "alice.csv"
    path.write_text("record_id,decision,reason,reviewer,timestamp\nr01,include,,alice,2024-05-01", encoding="utf-8")
    append_decisions(path, [_decision("r02")])
    assert path.read_text(encoding="utf-8").splitlines()[1:] == ["r01,include,,alice,2024-05-01",
                                                                 "r02,include,,alice,2024-05-01T09:30:00Z"]


def test_a_file_of_blank_lines_is_a_new_log_and_a_file_that_is_no_log_is_left_alone(tmp_path):
    blank = tmp_path / "alice.csv"
    blank.write_text("\n\n", encoding="utf-8")
    append_decisions(blank, [_decision("r01")])
    assert blank.read_text(encoding="utf-8") == ("record_id,decision,reason,reviewer,timestamp\n"
                                                 "r01,include,,alice,2024-05-01T09:30:00Z\n")
    other = tmp_path / "bob.csv"
    other.write_text("\nid,label\n1,0\n", encoding="utf-8")
    with pytest.raises(SysrevError) as info:
        append_decisions(other, [_decision("r01")])
    assert str(info.value) == (f"{other}, line 1: not a decision log (header must be record_id,decision,reason,"
                               "reviewer,timestamp); nothing was written")
    assert other.read_text(encoding="utf-8") == "\nid,label\n1,0\n"


def test_row_problems_in_full(config):
    _, problems = _read(config, HEADER + "r01,include,,alice,2024-05-01T09:30:00Z\n"
                        + ROW.replace("include", "keep"))
    assert [p.message for p in problems] == [
        "expected 8 columns (record_id,decision,reason,reviewer,timestamp,note,rank,model), found 5",
        "decision 'keep' is not one of include, exclude, maybe"]


RESAVED = ("the log was saved again by a spreadsheet program, which may also have rewritten its timestamps; "
           "restore it from git (`git checkout -- FILE`) or save it as CSV with commas, and leave decision logs "
           "to sysrev")


@pytest.mark.parametrize("separator, name", [(";", "semicolons"), ("\t", "tabs")])
def test_a_log_saved_again_by_a_spreadsheet_is_named_so_and_never_appended_to(config, tmp_path, separator, name):
    text = (HEADER + ROW).replace(",", separator)
    _, [problem] = _read(config, text)
    assert problem.line == 1 and problem.message.endswith(f"— the cells are separated by {name}: {RESAVED}")
    log = tmp_path / "alice.csv"
    log.write_text(text, encoding="utf-8-sig")
    with pytest.raises(SysrevError) as info:
        append_decisions(log, [_decision("r02")])
    assert f"not a decision log (header must be record_id,decision,reason,reviewer,timestamp) — the cells are " \
           f"separated by {name}: {RESAVED}; nothing was written" in str(info.value)
    assert log.read_text(encoding="utf-8-sig") == text


def test_a_header_that_is_no_log_s_under_any_separator_gets_no_spreadsheet_advice(config):
    for text in ("id;decision\nr01;include\n", "record_id;decision\n", "record_id,decision;reason\n"):
        _, [problem] = _read(config, text)
        assert "spreadsheet" not in problem.message

# The rows of one log with the same problem are shown on one line that names them all. The case behind it: a
# reviewer renamed in review.toml (alice → ann) and in the log's file name, but not in its rows, made one
# "unknown reviewer" error per row — 12,000 identical lines from `sysrev check` on a 17,364-record project, which
# buried every other problem. Each row stays a problem of its own (nothing of it is counted); only the display
# groups them, and the message says what to do.

FIVE_COLUMNS = "record_id,decision,reason,reviewer,timestamp\n"


def _renamed(make_project, rows: int):
    """alice renamed ann in review.toml and in her log's name; the log's rows still say alice."""
    project = make_project()
    toml = project.root / "review.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"alice", "bob"', '"ann", "bob"'), encoding="utf-8")
    log = project.root / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(FIVE_COLUMNS + "".join(f"r0{i % 8 + 1},exclude,,alice,2026-12-01T10:00:00Z\n" for i in range(rows))
                   + "r01,perhaps,,ann,2026-12-02T10:00:00Z\n", encoding="utf-8")
    return load_project(project.root), log


def test_a_renamed_reviewer_is_one_line_that_names_every_row_and_says_what_to_do(make_project):
    project, log = _renamed(make_project, 40)
    screening = load_screening(project, strict=False)
    assert len(screening.problems) == 41  # each row is still a problem of its own: none of them counts
    renamed = ("unknown reviewer 'alice': not in [screening] reviewers of review.toml (if 'alice' is now 'ann', "
               "whose log this is, change the name in the log's rows too)")
    assert grouped(screening.problems) == [
        f"{log}, lines 2–41 (40 rows): {renamed}",
        f"{log}, line 42: decision 'perhaps' is not one of include, exclude, maybe"]
    result = CliRunner().invoke(cli, ["check", "--project", str(project.root)])
    assert f"error: {log}, lines 2–41 (40 rows): {renamed}\n" in result.output
    assert f"error: {log}, line 42: decision 'perhaps'" in result.output
    assert result.output.count(f"error: {log}") == 2  # before: 41 lines


def test_the_error_that_stops_a_command_lists_the_groups_and_counts_the_rows(make_project):
    project, log = _renamed(make_project, 3)
    message = str(ScreeningLogError(load_screening(project, strict=False).problems))
    assert message.startswith("4 problems in the screening logs (fix or remove the rows; nothing was counted):\n"
                              f"  {log}, lines 2–4 (3 rows): unknown reviewer 'alice'")
    assert message.endswith(f"\n  {log}, line 5: decision 'perhaps' is not one of include, exclude, maybe")


def test_rows_apart_are_named_as_ranges_and_a_long_list_is_cut(tmp_path):
    log = tmp_path / "bob.csv"
    same = [LogProblem(log, line, "row of reviewer 'ann' in the log of 'bob'") for line in (9, 2, 3, 4, 7)]
    other = LogProblem(log, 5, "empty record_id")
    assert grouped([same[0], other, *same[1:]]) == [
        f"{log}, lines 2–4, 7, 9 (5 rows): row of reviewer 'ann' in the log of 'bob'",
        f"{log}, line 5: empty record_id"]
    scattered = [LogProblem(log, line, "empty record_id") for line in range(2, 40, 2)]
    assert grouped(scattered) == [f"{log}, lines 2, 4, 6, 8, 10, 12, … (19 rows): empty record_id"]


def test_the_same_problem_in_two_files_or_at_file_level_is_not_merged(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    problems = [LogProblem(a, 2, "empty record_id"), LogProblem(b, 2, "empty record_id"),
                LogProblem(a, None, "header must be …"), LogProblem(a, None, "header must be …")]
    assert grouped(problems) == [f"{a}, line 2: empty record_id", f"{b}, line 2: empty record_id",
                                 f"{a}: header must be …", f"{a}: header must be …"]


def test_two_rows_are_already_a_group_and_six_ranges_are_named_in_full(tmp_path):
    log = tmp_path / "ann.csv"
    assert grouped([LogProblem(log, 2, "empty record_id"), LogProblem(log, 3, "empty record_id")]) == [
        f"{log}, lines 2–3 (2 rows): empty record_id"]
    six = [LogProblem(log, line, "empty record_id") for line in (2, 4, 6, 8, 10, 12)]
    assert grouped(six) == [f"{log}, lines 2, 4, 6, 8, 10, 12 (6 rows): empty record_id"]
    assert grouped(six + [LogProblem(log, 14, "empty record_id")]) == [
        f"{log}, lines 2, 4, 6, 8, 10, 12, … (7 rows): empty record_id"]


def test_the_stopping_error_lists_twenty_five_lines_then_counts_the_rest(tmp_path):
    problems = [LogProblem(tmp_path / f"r{n:02d}.csv", 2, "empty record_id") for n in range(26)]
    assert "… and" not in str(ScreeningLogError(problems[:25]))
    message = str(ScreeningLogError(problems))
    assert message.endswith("r24.csv, line 2: empty record_id\n  … and 1 more")
    assert message.startswith("26 problems in the screening logs")


def test_screen_status_and_report_warn_once_per_group(make_project, tmp_path):
    project, log = _renamed(make_project, 40)
    for argv in (["screen", "status"], ["screen", "report", "--out", str(tmp_path / "report.html")]):
        result = CliRunner().invoke(cli, [*argv, "--project", str(project.root)])
        warned = [line for line in result.stderr.splitlines() if line.startswith("warning: not counted: ")]
        assert result.exit_code == 1 and warned == [
            f"warning: not counted: {log}, lines 2–41 (40 rows): unknown reviewer 'alice': not in [screening] "
            "reviewers of review.toml (if 'alice' is now 'ann', whose log this is, change the name in the log's rows "
            "too)", f"warning: not counted: {log}, line 42: decision 'perhaps' is not one of include, exclude, maybe"]
