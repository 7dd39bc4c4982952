"""Decision logs: appends add rows at the end (or rewrite atomically to widen the header) and survive
concurrent writers; bad rows are reported with file and line."""

import multiprocessing

import pytest

from sysrev.screening.config import screening_config
from sysrev.screening.log import (
    HEADER,
    HEADER_WITH_NOTE,
    Decision,
    ScreeningLogError,
    append_decisions,
    log_path,
    read_log,
)
from sysrev.screening.state import load_screening

H = ",".join(HEADER) + "\n"


def _decision(rid, decision="include", reviewer="alice", reason="", note=""):
    return Decision(rid, decision, reason, reviewer, "2024-03-01T09:00:00Z", note)


def test_append_creates_file_with_contract_header_and_keeps_history(make_project):
    project = make_project()
    path = log_path(project.screening_dir, "title_abstract", "alice")
    append_decisions(path, [_decision("r01"), _decision("r02", "exclude")])
    append_decisions(path, [_decision("r01", "exclude")])  # a changed mind is a new row
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADER)
    assert len(lines) == 4
    config = screening_config(project)
    rows, problems = read_log(path, stage="title_abstract", config=config)
    assert problems == []
    assert [(r.record_id, r.decision, r.line) for r in rows] == [("r01", "include", 2), ("r02", "exclude", 3),
                                                                  ("r01", "exclude", 4)]
    state = load_screening(project).stages["title_abstract"]
    assert state.latest["alice"]["r01"].decision == "exclude"  # the latest row counts


def test_a_note_upgrades_the_header_and_keeps_old_rows(make_project):
    project = make_project()
    path = log_path(project.screening_dir, "title_abstract", "alice")
    append_decisions(path, [_decision("r01")])
    append_decisions(path, [_decision("r02", note="inclusion inferred, see README")])
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[0] == ",".join(HEADER_WITH_NOTE)
    assert text[1].startswith("r01,include,,alice,") and text[1].endswith(",")
    rows, problems = read_log(path, stage="title_abstract", config=screening_config(project))
    assert not problems and rows[1].note == "inclusion inferred, see README"


def test_an_append_adds_at_the_end_without_rewriting_the_file(make_project):
    project = make_project()
    path = log_path(project.screening_dir, "title_abstract", "alice")
    append_decisions(path, [_decision("r01")])
    inode = path.stat().st_ino
    path.write_bytes(path.read_bytes().rstrip(b"\n"))  # a log whose last row lost its end of line
    append_decisions(path, [_decision("r02", "exclude")])
    assert path.stat().st_ino == inode  # the same file, appended to (a rewrite renames a new file over it)
    assert path.read_text(encoding="utf-8") == (H + "r01,include,,alice,2024-03-01T09:00:00Z\n"
                                                "r02,exclude,,alice,2024-03-01T09:00:00Z\n")
    # A byte-order mark before the header (a spreadsheet's save) is a header all the same.
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    append_decisions(path, [_decision("r03")])
    rows, problems = read_log(path, stage="title_abstract", config=screening_config(project))
    assert not problems and [r.record_id for r in rows] == ["r01", "r02", "r03"]


def test_every_kind_of_bad_row_is_reported_with_file_and_line(make_project):
    project = make_project({"full_text/bob.csv": H + (
        "r01,include,,bob,2024-01-01T10:00:00Z\n"        # line 2: fine
        "r99,include,,bob,2024-01-01T10:00:00Z\n"        # 3: unknown record
        "r02,perhaps,,bob,2024-01-01T10:00:00Z\n"        # 4: bad decision
        "r03,exclude,too boring,bob,2024-01-01\n"        # 5: unknown reason
        "r04,exclude,,bob,2024-01-01T10:00:00Z\n"        # 6: full-text exclusion without reason
        "r05,include,,alice,2024-01-01T10:00:00Z\n"      # 7: another reviewer's row
        "r06,include,,mallory,2024-01-01T10:00:00Z\n"    # 8: unknown reviewer
        "r07,include,,bob,yesterday\n"                   # 9: bad timestamp
        "r08,include,bob,2024-01-01T10:00:00Z\n"         # 10: too few columns
    )})
    with pytest.raises(ScreeningLogError) as err:
        load_screening(project)
    problems = err.value.problems
    assert [p.line for p in problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert all(p.path.name == "bob.csv" for p in problems)
    text = str(err.value)
    for fragment in ("unknown record_id 'r99'", "decision 'perhaps'", "reason 'too boring'", "needs a reason",
                     "row of reviewer 'alice' in the log of 'bob'", "unknown reviewer 'mallory'",
                     "timestamp 'yesterday'", "expected 5 columns"):
        assert fragment in text
    assert "bob.csv, line 3" in text
    lenient = load_screening(project, strict=False)
    assert list(lenient.stages["full_text"].latest["bob"]) == ["r01"]
    assert len(lenient.problems) == 8


def test_log_of_a_reviewer_not_in_review_toml_is_reported(make_project):
    project = make_project({"title_abstract/dave.csv": H + "r01,include,,dave,2024-01-01T10:00:00Z\n"})
    with pytest.raises(ScreeningLogError, match="log of unknown reviewer 'dave'"):
        load_screening(project)


def test_wrong_header_is_reported_and_appending_refuses(make_project):
    project = make_project({"title_abstract/alice.csv": "id,decision\nr01,include\n"})
    with pytest.raises(ScreeningLogError, match="line 1: header must be"):
        load_screening(project)
    path = log_path(project.screening_dir, "title_abstract", "alice")
    with pytest.raises(Exception, match="not a decision log"):
        append_decisions(path, [_decision("r02")])
    assert path.read_text(encoding="utf-8") == "id,decision\nr01,include\n"  # untouched


def _append_many(path, worker, count):
    for i in range(count):
        append_decisions(path, [Decision(f"r{(i % 8) + 1:02d}", "include", "", "alice",
                                         f"2024-01-01T10:00:{i % 60:02d}Z", f"w{worker}-{i}")])


def test_concurrent_appends_from_several_processes_lose_nothing(make_project):
    project = make_project()
    path = log_path(project.screening_dir, "title_abstract", "alice")
    workers, each = 4, 25
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_append_many, args=(path, w, each)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    rows, problems = read_log(path, stage="title_abstract", config=screening_config(project))
    assert problems == []
    notes = sorted(r.note for r in rows)
    assert notes == sorted(f"w{w}-{i}" for w in range(workers) for i in range(each))
