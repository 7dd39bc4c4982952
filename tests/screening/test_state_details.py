"""Where screening stands, in detail: which reconciliation counts, when exclusions agree, every status word,
decisions on records a stage does not screen, and the checks every log gets (known records, the stage's rules)."""

import pytest

from sysrev.project import load_project
from sysrev.screening.log import ScreeningLogError
from sysrev.screening.state import load_screening

H = "record_id,decision,reason,reviewer,timestamp\n"


def _row(record, decision, reviewer, day, reason=""):
    return f"{record},{decision},{reason},{reviewer},2024-01-{day:02d}T10:00:00Z\n"


def test_the_latest_reconciliation_counts_whoever_wrote_it(make_project):
    project = make_project({
        "title_abstract/reconciliation/alice.csv": H + _row("r01", "include", "alice", 5) + _row("r02", "include",
                                                                                                 "alice", 3),
        "title_abstract/reconciliation/bob.csv": H + _row("r01", "exclude", "bob", 4) + _row("r02", "exclude", "bob",
                                                                                             3)})
    state = load_screening(project).stages["title_abstract"]
    assert state.final("r01").decision == "include"  # alice's is later, though her file is read first
    assert state.final("r02").decision == "exclude"  # the same time: the one read last
    assert state.status("r01") == "decided"


def test_within_one_reconciliation_file_the_last_row_counts(make_project):
    project = make_project({"title_abstract/reconciliation/carol.csv":
                            H + _row("r01", "include", "carol", 9) + _row("r01", "exclude", "carol", 2)})
    assert load_screening(project).stages["title_abstract"].final("r01").decision == "exclude"


def test_exclusions_agree_on_their_reason_only_at_full_text(make_project):
    ta = {"title_abstract/alice.csv": H + _row("r01", "include", "alice", 1),
          "title_abstract/bob.csv": H + _row("r01", "include", "bob", 1)}
    project = make_project({
        **ta,
        "full_text/alice.csv": H + _row("r01", "exclude", "alice", 2, "wrong population"),
        "full_text/bob.csv": H + _row("r01", "exclude", "bob", 2, "not randomised")})
    screening = load_screening(project)
    assert screening.stages["full_text"].status("r01") == "conflict"
    same = make_project({
        "title_abstract/alice.csv": H + _row("r01", "exclude", "alice", 1, "wrong population"),
        "title_abstract/bob.csv": H + _row("r01", "exclude", "bob", 1, "not randomised")})
    assert load_screening(same).stages["title_abstract"].status("r01") == "decided"


def test_every_status_word(make_project):
    project = make_project({"title_abstract/alice.csv": H + _row("r01", "include", "alice", 1)
                            + _row("r02", "include", "alice", 1),
                            "title_abstract/bob.csv": H + _row("r01", "include", "bob", 1)})
    config = project.config_path.read_text(encoding="utf-8")
    project.config_path.write_text(config.replace("[screening]\n", "[screening]\nreviewers_per_record = 2\n"),
                                   encoding="utf-8")
    project = load_project(project.root)
    state = load_screening(project).stages["title_abstract"]
    assert [state.status(r) for r in ("r01", "r02", "r03")] == ["decided", "awaiting", "unscreened"]


def test_decisions_on_records_a_stage_does_not_screen_are_kept_apart(make_project):
    project = make_project({"title_abstract/alice.csv": H + _row("r01", "include", "alice", 1),
                            "title_abstract/bob.csv": H + _row("r01", "include", "bob", 1),
                            "full_text/alice.csv": H + _row("r01", "include", "alice", 2)
                            + _row("r05", "exclude", "alice", 2, "wrong population")})
    full_text = load_screening(project).stages["full_text"]
    assert full_text.eligible == ["r01"]
    assert {rid: [d.decision for d in ds] for rid, ds in full_text.outside.items()} == {"r05": ["exclude"]}
    assert "r01" not in full_text.outside


def test_every_log_is_checked_against_the_records_and_its_stage(make_project):
    project = make_project({"title_abstract/alice.csv": H + _row("r99", "include", "alice", 1),
                            "full_text/bob.csv": H + _row("r01", "exclude", "bob", 2),
                            "full_text/reconciliation/carol.csv": H + _row("r98", "include", "carol", 3)})
    with pytest.raises(ScreeningLogError) as info:
        load_screening(project)
    assert [(p.path.name, p.line, p.message) for p in info.value.problems] == [
        ("alice.csv", 2, "unknown record_id 'r99': not in records/records.jsonl"),
        ("bob.csv", 2, "a full-text exclusion needs a reason from [screening] exclusion_reasons"),
        ("carol.csv", 2, "unknown record_id 'r98': not in records/records.jsonl")]
    loose = load_screening(project, strict=False)
    assert len(loose.problems) == 3 and loose.stages["title_abstract"].latest["alice"] == {}


def test_records_given_by_the_caller_are_the_ones_screened(make_project):
    project = make_project()
    records = [r for r in load_screening(project).records if r["record_id"] in ("r02", "r03")]
    screening = load_screening(project, records=records)
    assert screening.stages["title_abstract"].eligible == ["r02", "r03"]


def test_rows_on_an_id_merged_away_count_for_its_record_or_come_back_as_a_notice(make_project):
    """r09 merged into r01 by dedup (tests/dedup/test_dedup_merged_ids.py): alice decided both copies alike,
    so her rows count for r01; bob decided them differently, so r01 is not yet screened by him, with a notice
    naming his file and rows (not a problem: nothing stops)."""
    project = make_project({"title_abstract/alice.csv": H + _row("r01", "include", "alice", 1)
                            + _row("r09", "include", "alice", 2),
                            "title_abstract/bob.csv": H + _row("r01", "include", "bob", 1)
                            + _row("r09", "exclude", "bob", 2)})
    records = load_screening(project, strict=False).records
    records[0] = {**records[0], "extra": {"dedup_replaces": ["r09"],
                                          "dedup_merged": {"r09": {"at": "2024-01-03T00:00:00Z"}}}}
    screening = load_screening(project, records=records)
    state = screening.stages["title_abstract"]
    assert {reviewer: {rid: (d.decision, d.line) for rid, d in latest.items()}
            for reviewer, latest in state.latest.items()} == {"alice": {"r01": ("include", 3)}, "bob": {}}
    assert screening.problems == []
    assert [str(n) for n in screening.notices] == [
        f"{project.screening_dir / 'title_abstract' / 'bob.csv'}, line 3: r01 was decided differently as records "
        "that dedup has since merged into it (the same publication): r01 include (line 2); r09 exclude (line 3). "
        "It counts as not yet screened by bob and comes back to their screen: the decision made there settles it"]
