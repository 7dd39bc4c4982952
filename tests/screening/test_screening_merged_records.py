"""Decisions on records that dedup has since merged into another (docs/screening.md "review.toml changed after
screening began" and docs/dedup.md "Stable record IDs"): they count for the record that stands for both, unless
the reviewer decided the two copies differently, which is reported until a row written after the merge
settles it. Until 5 December 2026 such rows were reported as rows of an unknown record and left out. Here
the fold's rules, row by row; what dedup writes and how a project's stages follow it:
tests/dedup/test_dedup_merged_ids.py."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sysrev.screening.log import Decision
from sysrev.screening.merged import fold_merged

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
