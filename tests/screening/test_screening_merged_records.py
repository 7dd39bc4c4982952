"""Decisions on records that dedup has since merged into another (docs/screening.md "review.toml changed after
screening began" and docs/dedup.md "Stable record IDs"): they count for the record that stands for both, unless
the reviewer decided the two copies differently, which is reported until a row written after the merge
settles it. Until 5 December 2026 such rows were reported as rows of an unknown record and left out."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sysrev.dedup import load_records, merged_ids
from sysrev.dedup.decisions import append_decisions as append_dedup_decisions
from sysrev.dedup.project_run import merged_note, run_project
from sysrev.project import load_project
from sysrev.records import Record
from sysrev.screening.log import Decision, append_decisions, log_path
from sysrev.screening.merged import fold_merged
from sysrev.screening.state import load_screening
from sysrev.search.snapshot import write_snapshot

LOG = Path("ann.csv")
MERGED = {"R4": ("R2", "2026-12-05T11:00:00Z")}


def row(record_id, decision, line, timestamp="2026-12-05T10:00:00Z", reason=""):
    return Decision(record_id, decision, reason, "ann", timestamp, path=LOG, line=line)


def test_rows_on_a_merged_away_record_count_for_the_record_that_stands_for_it():
    rows = [row("R4", "include", 2), row("R1", "exclude", 3), row("R2", "include", 4)]
    folded, problems = fold_merged(LOG, rows, MERGED, "title_abstract")
    assert [(d.record_id, d.decision, d.line) for d in folded] == [("R2", "include", 2), ("R1", "exclude", 3),
                                                                    ("R2", "include", 4)]
    assert problems == []


def test_copies_decided_differently_are_reported_and_not_counted():
    rows = [row("R2", "include", 2), row("R1", "exclude", 3), row("R4", "exclude", 4)]
    folded, problems = fold_merged(LOG, rows, MERGED, "title_abstract")
    assert [d.record_id for d in folded] == ["R1"]
    assert [str(p) for p in problems] == [
        "ann.csv, line 4: R2 was decided differently as records that dedup has since merged into it (the same "
        "publication): R2 include (line 2); R4 exclude (line 4). It counts as not yet screened by ann and comes "
        "back to their screen: the decision made there settles it"]


@pytest.mark.parametrize("timestamp,settled", [("2026-12-05T11:00:00Z", True), ("2026-12-05T12:30:00Z", True),
                                               ("2026-12-05T10:59:59Z", False)])
def test_a_last_row_on_the_standing_record_settles_them_only_when_written_after_the_merge(timestamp, settled):
    rows = [row("R2", "exclude", 2), row("R4", "exclude", 3), row("R2", "include", 4, timestamp)]
    folded, problems = fold_merged(LOG, rows, MERGED, "title_abstract")
    if settled:
        assert problems == [] and [(d.record_id, d.decision) for d in folded][-1] == ("R2", "include")
    else:
        assert len(problems) == 1 and folded == []


def test_the_standing_records_row_settles_nothing_when_a_copys_row_comes_after_it():
    rows = [row("R4", "include", 2), row("R2", "exclude", 3, "2026-12-05T12:00:00Z"),
            row("R4", "include", 4, "2026-12-05T12:01:00Z")]
    folded, problems = fold_merged(LOG, rows, MERGED, "title_abstract")
    assert folded == [] and problems[0].line == 4


@pytest.mark.parametrize("kept", ["", "not a time"])
def test_a_merge_without_a_usable_time_is_settled_by_file_order_alone(kept):
    rows = [row("R2", "include", 2), row("R4", "exclude", 3), row("R2", "include", 4, "2020-01-01T00:00:00Z")]
    folded, problems = fold_merged(LOG, rows, {"R4": ("R2", kept)}, "title_abstract")
    assert problems == [] and folded[-1].decision == "include"


@pytest.mark.parametrize("reasons,conflict", [(("wrong design", "wrong design"), False),
                                              (("wrong design", "wrong population"), True)])
def test_at_full_text_two_exclusions_agree_only_with_the_same_reason(reasons, conflict):
    rows = [row("R2", "exclude", 2, reason=reasons[0]), row("R4", "exclude", 3, reason=reasons[1])]
    folded, problems = fold_merged(LOG, rows, MERGED, "full_text")
    assert (len(problems), len(folded)) == ((1, 0) if conflict else (0, 2))
    if conflict:
        assert "R2 exclude wrong design (line 2); R4 exclude wrong population (line 3)" in problems[0].message


def test_at_title_abstract_an_exclusion_is_one_decision_whatever_its_reason():
    rows = [row("R2", "exclude", 2, reason="wrong design"), row("R4", "exclude", 3, reason="duplicate")]
    folded, problems = fold_merged(LOG, rows, MERGED, "title_abstract")
    assert problems == [] and [d.record_id for d in folded] == ["R2", "R2"]


def test_the_copies_are_listed_in_the_order_of_their_last_rows():
    rows = [row("R4", "exclude", 2), row("R2", "include", 3), row("R4", "exclude", 4)]
    _, (problem,) = fold_merged(LOG, rows, MERGED, "title_abstract")
    assert "publication): R2 include (line 3); R4 exclude (line 4). It counts" in problem.message


def test_a_log_naming_no_merged_away_record_is_returned_as_it_is():
    rows = [row("R1", "include", 2)]
    folded, problems = fold_merged(LOG, rows, MERGED, "title_abstract")
    assert folded is rows and problems == []


DECISIONS = st.lists(st.tuples(st.sampled_from(["R2", "R4", "R5"]), st.sampled_from(["include", "exclude"])),
                     max_size=8)


@settings(max_examples=200, deadline=None)
@given(DECISIONS)
def test_a_merged_record_counts_its_copies_agreed_decision_or_is_reported(sequence):
    """Property: with R4 and R5 merged into R2 (times unknown), the record's rows either fold to the decision
    every copy's last row agrees on, or (the copies disagree and no later R2 row settles it) count for nothing
    and make exactly one problem; no other record is touched."""
    merged = {"R4": ("R2", ""), "R5": ("R2", "")}
    rows = [row(rid, decision, n) for n, (rid, decision) in enumerate(sequence, start=2)]
    folded, problems = fold_merged(LOG, rows, merged, "title_abstract")
    last = {d.record_id: d for d in rows}
    finals = {d.decision for d in last.values()}
    settled = rows and rows[-1].record_id == "R2"
    assert all(d.record_id == "R2" for d in folded)
    if len(finals) <= 1 or settled:
        assert problems == [] and len(folded) == len(rows)
        if rows:
            assert folded[-1].decision == (rows[-1].decision if settled else finals.pop())
    else:
        assert folded == [] and len(problems) == 1


TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-86")
DOUBT = dict(TRIAL, journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
             authors=["Smith, J.", "Doe, Joan"])
THIRD = dict(TRIAL, journal="Interventional Pain Reports", volume="", issue="", pages="", authors=["Smith, J."])


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


def same(project, a, b):
    append_dedup_decisions(project.records_dir / "dedup_decisions.csv",
                           [{"record_a": a, "record_b": b, "decision": "same", "reviewer": "anna"}])


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
    append_dedup_decisions(project.records_dir / "dedup_decisions.csv",
                           [{"record_a": "pubmed:111", "record_b": "pubmed:112", "decision": "different",
                             "reviewer": "anna"}])
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
