"""Records merged by a reviewer's `same` decision after screening began (docs/dedup.md "Stable record IDs",
docs/screening.md "Two screened records merged by dedup"): dedup keeps each ID merged away with the time and
the source that carried it, follows chains of merges, gives a record split off again its ID back, says how many
decisions it carried over and how many pair decisions wait for it; the stages that meet an ID merged away
(decision logs, studies.csv) find the record that stands for it. (The decision logs' fold, rule by rule:
tests/screening/test_screening_merged_records.py.)"""

import json
import re
import time
from datetime import UTC, datetime

import pytest
from shared_inputs import DOUBT, THIRD, TRIAL

from sysrev.dedup import load_records, merged_ids
from sysrev.dedup.decisions import append_decisions as append_dedup_decisions
from sysrev.dedup.project_run import merged_note, run_project
from sysrev.project import Project, load_project
from sysrev.records import Record
from sysrev.screening.log import Decision, append_decisions, log_path
from sysrev.screening.state import load_screening
from sysrev.search.snapshot import write_snapshot


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "review.toml").write_text(
        '[review]\ntitle = "t"\nquestion = "q"\n[screening]\nreviewers = ["ann", "bob"]\n'
        'exclusion_reasons = ["wrong design"]\nhighlight_terms = []\n', encoding="utf-8")
    project = load_project(tmp_path)
    write_snapshot(project.runs_dir, "pubmed-main", [Record(**dict(TRIAL, source_id="111")),
                                                     Record(**dict(DOUBT, source_id="112")),
                                                     Record(**dict(THIRD, source_id="113"))], database="pubmed")
    run_project(project, progress=False)
    assert [r["record_id"] for r in load_records(project)] == ["R000001", "R000002", "R000003"]
    return project


def same(project, a, b, decision="same"):
    append_dedup_decisions(project.records_dir / "dedup_decisions.csv",
                           [{"record_a": a, "record_b": b, "decision": decision, "reviewer": "anna"}])


def screen(project, reviewer, *rows):
    append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                     [Decision(rid, decision, "", reviewer, when) for rid, decision, when in rows])


def test_a_same_decision_after_screening_carries_the_decisions_to_the_record_that_stands(project):
    screen(project, "ann", ("R000001", "include", "2026-12-01T09:00:00Z"),
           ("R000002", "include", "2026-12-01T09:01:00Z"))
    screen(project, "bob", ("R000002", "include", "2026-12-01T09:00:00Z"))
    same(project, "pubmed:111", "pubmed:112")
    outcome = run_project(project, progress=False)
    assert outcome.merged_away == {"R000002": "R000001"}
    assert merged_note(project, outcome.merged_away) == (
        "merged R000002 into R000001 (a `same` decision in records/dedup_decisions.csv); 2 screening decisions "
        "name the records merged away and count for the records they joined now. A record whose copies a "
        "reviewer decided differently comes back to that reviewer's screen (`sysrev screen status` lists them)")
    state = load_screening(project).stages["title_abstract"]
    assert {reviewer: sorted(d) for reviewer, d in state.latest.items()} == {"ann": ["R000001"], "bob": ["R000001"]}
    assert state.status("R000001") == "decided" and state.final("R000001").decision == "include"


def test_the_merge_time_is_kept_and_a_chain_of_merges_still_finds_the_record(project):
    screen(project, "ann", ("R000003", "exclude", "2026-12-01T09:00:00Z"))
    same(project, "pubmed:112", "pubmed:113")  # R000003 joins R000002
    run_project(project, progress=False)
    first = {r["record_id"]: r["extra"] for r in load_records(project)}["R000002"]["dedup_merged"]
    assert first == {"R000003": {"at": first["R000003"]["at"], "first_source": "pubmed:113"}}
    assert run_project(project, progress=False).merged_away == {}  # nothing new: the entry stays as it was
    assert {r["record_id"]: r["extra"] for r in load_records(project)}["R000002"]["dedup_merged"] == first
    same(project, "pubmed:111", "pubmed:112")  # R000002, with R000003 in it, joins R000001
    assert run_project(project, progress=False).merged_away == {"R000002": "R000001", "R000003": "R000001"}
    (record,) = load_records(project)
    merged = record["extra"]["dedup_merged"]
    assert record["extra"]["dedup_replaces"] == ["R000002", "R000003"]
    assert {old: entry["first_source"] for old, entry in merged.items()} == {"R000002": "pubmed:112",
                                                                               "R000003": "pubmed:113"}
    assert merged_ids(load_records(project)) == {"R000002": ("R000001", merged["R000002"]["at"]),
                                                 "R000003": ("R000001", merged["R000003"]["at"])}
    latest = load_screening(project).stages["title_abstract"].latest
    assert [(rid, d.decision, d.line) for rid, d in latest["ann"].items()] == [("R000001", "exclude", 2)]


def test_a_merge_undone_gives_the_record_its_id_and_its_decisions_back(project):
    """A `same` decision taken back with `different`: the record split off again is the record it was, with its
    ID, so the decisions made on it before the merge count for it, not for the record it was merged into."""
    screen(project, "ann", ("R000001", "include", "2026-12-01T09:00:00Z"),
           ("R000002", "exclude", "2026-12-01T09:01:00Z"))
    same(project, "pubmed:111", "pubmed:112")
    run_project(project, progress=False)
    assert [r["record_id"] for r in load_records(project)] == ["R000001", "R000003"]
    same(project, "pubmed:111", "pubmed:112", "different")
    outcome = run_project(project, progress=False)
    assert (outcome.new_ids, outcome.merged_away) == (0, {})
    records = {r["record_id"]: r for r in load_records(project)}
    assert sorted(records) == ["R000001", "R000002", "R000003"]
    assert [s["source_id"] for s in records["R000002"]["sources"]] == ["112"]
    assert "dedup_replaces" not in records["R000001"]["extra"] and merged_ids(records.values()) == {}
    latest = load_screening(project).stages["title_abstract"].latest["ann"]
    assert {rid: d.decision for rid, d in latest.items()} == {"R000001": "include", "R000002": "exclude"}


def test_no_note_when_no_decision_names_the_records_merged_away(project):
    same(project, "pubmed:111", "pubmed:112")
    outcome = run_project(project, progress=False)
    assert outcome.merged_away == {"R000002": "R000001"} and merged_note(project, outcome.merged_away) == ""
    line = (project.records_dir / "records.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert list(json.loads(line)["extra"]["dedup_merged"]) == ["R000002"]


def test_a_study_listing_a_report_merged_away_lists_the_record_that_stands_for_it(project):
    from sysrev.living.studies import read_study_table

    same(project, "pubmed:111", "pubmed:112")
    run_project(project, progress=False)
    project.extraction_dir.mkdir(parents=True)
    (project.extraction_dir / "studies.csv").write_text("study,records\nSmith 2015,R000002 R000001\nLee 2018,R000003\n",
                                                        encoding="utf-8")
    known = {r["record_id"] for r in load_records(project)}
    problems = []
    table = read_study_table(project, known, problems)
    assert problems == []
    assert {label: study.records for label, study in table.studies.items()} == {"Smith 2015": ("R000001",),
                                                                                 "Lee 2018": ("R000003",)}
    assert table.by_record == {"R000001": "Smith 2015", "R000003": "Lee 2018"}
    assert read_study_table(project).by_record == table.by_record  # unchecked reads map it too


def test_status_counts_the_pair_decisions_made_since_the_last_dedup(project):
    """A `same` or `different` decided in the web app or `dedup review` changes the records only at the next
    dedup run; until then `sysrev status` says how many wait."""
    from sysrev.living.status import dedup_status

    assert dedup_status(project)["decisions_not_applied"] == 0
    same(project, "pubmed:111", "pubmed:112")
    assert dedup_status(project)["decisions_not_applied"] == 1
    run_project(project, progress=False)
    assert dedup_status(project)["decisions_not_applied"] == 0
    append_dedup_decisions(project.records_dir / "dedup_decisions.csv",
                           [{"record_a": "pubmed:112", "record_b": "pubmed:111", "decision": "different",
                             "reviewer": "anna"},
                            {"record_a": "pubmed:111", "record_b": "pubmed:999", "decision": "same",
                             "reviewer": "anna"}])  # a source no run holds: not counted
    assert dedup_status(project)["decisions_not_applied"] == 1
    run_project(project, progress=False)
    assert dedup_status(project)["decisions_not_applied"] == 0


def test_a_record_whose_copies_a_reviewer_decided_differently_is_theirs_to_screen_again(project):
    """Nothing stops: the record is not yet screened by that reviewer (a notice, not a problem of the log), it
    is in their queue, and their decision on it, made after the merge, settles it."""
    from sysrev.web.state import reviewer_queue

    screen(project, "ann", ("R000001", "include", "2026-12-01T09:00:00Z"),
           ("R000002", "exclude", "2026-12-01T09:01:00Z"))
    same(project, "pubmed:111", "pubmed:112")
    run_project(project, progress=False)
    screening = load_screening(project)  # strict: no problem
    assert screening.problems == [] and [n.line for n in screening.notices] == [3]
    assert "R000001" in reviewer_queue(screening, "title_abstract", "ann").todo
    screen(project, "ann", ("R000001", "include", "2099-01-01T00:00:00Z"))
    screening = load_screening(project)
    assert screening.notices == []
    assert screening.stages["title_abstract"].latest["ann"]["R000001"].decision == "include"


def _extra(project, record_id):
    return {r["record_id"]: r.get("extra") or {} for r in load_records(project)}[record_id]


def test_a_merge_is_kept_with_its_time_and_the_source_that_carried_the_id(project):
    before = datetime.now(UTC).replace(microsecond=0)
    same(project, "pubmed:111", "pubmed:112")
    assert run_project(project, progress=False).merged_away == {"R000002": "R000001"}
    entry = _extra(project, "R000001")["dedup_merged"]
    assert list(entry) == ["R000002"] and entry["R000002"]["first_source"] == "pubmed:112"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["R000002"]["at"])
    at = datetime.strptime(entry["R000002"]["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= at <= datetime.now(UTC)


@pytest.mark.parametrize("kept", [None, "2026-12-01T09:00:00Z"])
def test_a_merge_kept_without_its_source_stays_with_the_record(project, kept):
    """A merge written before the source was kept (or an entry edited out of shape) cannot be located by its
    source: the ID stays with the record it was merged into, run after run."""
    same(project, "pubmed:111", "pubmed:112")
    run_project(project, progress=False)
    path = project.records_dir / "records.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if kept is None:
        del records[0]["extra"]["dedup_merged"]
    else:
        records[0]["extra"]["dedup_merged"] = {"R000002": kept}
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run_project(project, progress=False).merged_away == {}
    assert _extra(project, "R000001")["dedup_replaces"] == ["R000002"]
    assert merged_ids(load_records(project)) == {"R000002": ("R000001", "")}


def test_the_note_lists_ten_merges_then_the_count_and_agrees_in_number(project, tmp_path):
    screen(project, "ann", ("R000002", "include", "2026-12-01T09:00:00Z"))
    assert merged_note(project, {"R000002": "R000001"}) == (
        "merged R000002 into R000001 (a `same` decision in records/dedup_decisions.csv); 1 screening decision "
        "names the records merged away and counts for the records they joined now. A record whose copies a "
        "reviewer decided differently comes back to that reviewer's screen (`sysrev screen status` lists them)")
    many = {f"R{n:06d}": "R000001" for n in range(2, 14)}
    assert merged_note(project, many).startswith(
        "merged " + ", ".join(f"R{n:06d} into R000001" for n in range(2, 12)) + ", … (12 in all) (a `same`")


def test_the_merge_time_is_utc_whatever_the_machines_zone(project, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # nine hours ahead of UTC, no summer time
    time.tzset()
    try:
        before = datetime.now(UTC).replace(microsecond=0)
        same(project, "pubmed:111", "pubmed:112")
        run_project(project, progress=False)
    finally:
        monkeypatch.undo()
        time.tzset()
    at = _extra(project, "R000001")["dedup_merged"]["R000002"]["at"]
    assert before <= datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) <= datetime.now(UTC)


@pytest.mark.parametrize("merges, tail", [(10, " (a `same`"), (11, ", … (11 in all) (a `same`")])
def test_the_note_lists_ten_merges_in_full(project, merges, tail):
    screen(project, "ann", ("R000002", "include", "2026-12-01T09:00:00Z"))
    pairs = {f"R{n:06d}": "R000001" for n in range(2, 2 + merges)}
    assert merged_note(project, pairs).startswith(
        "merged " + ", ".join(f"R{n:06d} into R000001" for n in range(2, 12)) + tail)


def test_pair_decisions_waiting_are_counted_each_for_imported_files_too(tmp_path):
    """Sources of an imported file are named by their search (`file/<search>:id`), so the run each came from
    must be read; two decisions waiting are two; a decisions file that cannot be read counts none (the dedup run
    names its problem)."""
    from sysrev.living.status import dedup_status

    (tmp_path / "review.toml").write_text('[review]\ntitle = "t"\nquestion = "q"\n', encoding="utf-8")
    project = load_project(tmp_path)
    write_snapshot(project.runs_dir, "handsearch", [Record(**dict(record, source_id=f"f{n}"))
                                                    for n, record in enumerate((TRIAL, DOUBT, THIRD), start=1)],
                   database="file")
    run_project(project, progress=False)
    for b in ("file/handsearch:f2", "file/handsearch:f3"):
        same(project, "file/handsearch:f1", b)
    assert dedup_status(project)["decisions_not_applied"] == 2
    (project.records_dir / "dedup_decisions.csv").write_text("record_a,record_b,decision\nx,x,same\n",
                                                              encoding="utf-8")
    assert dedup_status(project)["decisions_not_applied"] == 0


def test_check_lists_a_record_decided_both_ways_as_a_warning(project):
    from sysrev.project_check import check_project

    screen(project, "ann", ("R000001", "include", "2026-12-01T09:00:00Z"),
           ("R000002", "exclude", "2026-12-01T09:01:00Z"))
    same(project, "pubmed:111", "pubmed:112")
    run_project(project, progress=False)
    issues, _ = check_project(load_project(project.root))
    notices = [issue for issue in issues if "decided differently" in issue.text]
    log = project.screening_dir / "title_abstract" / "ann.csv"
    assert [(issue.severity, issue.text[:len(str(log)) + 52]) for issue in notices] == [
        ("warning", f"{log}, line 3: R000001 was decided differently as records")]


def test_the_merged_ids_are_read_again_whenever_the_records_file_changes(tmp_path):
    """Read once per version of records.jsonl: a rewrite of the same size (another time) or at the same time
    (another size) is read again."""
    import os

    from sysrev.dedup.merged_records import project_merged_ids

    (tmp_path / "records").mkdir()
    path = tmp_path / "records" / "records.jsonl"
    project = Project(root=tmp_path)

    def write(old, ns):
        path.write_text(json.dumps({"record_id": "R000001", "extra": {"dedup_replaces": [old]}}) + "\n",
                        encoding="utf-8")
        os.utime(path, ns=(ns, ns))

    write("R000002", 1_000_000_000)
    assert project_merged_ids(project) == {"R000002": ("R000001", "")}
    write("R000003", 2_000_000_000)  # same size, later
    assert project_merged_ids(project) == {"R000003": ("R000001", "")}
    write("R0000030", 2_000_000_000)  # same time, one character more
    assert project_merged_ids(project) == {"R0000030": ("R000001", "")}
    path.unlink()
    assert project_merged_ids(project) == {}
