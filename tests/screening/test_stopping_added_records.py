"""The stopping test in a living review (docs/screening.md "Stopping"): records added after a reviewer's
decisions (a refresh's new search results) were never in the urn those decisions were drawn from, so only the
decisions made since the last records came count as draws. Until 5 December 2026 the whole sequence counted,
and a tail drawn before a refresh could claim recall over records nobody had looked at."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import hypergeom

from sysrev.project import load_project
from sysrev.screening.prioritisation import reviewer_stopping
from sysrev.screening.state import load_screening
from sysrev.screening.stopping import StoppingStatus, h0_pvalue, more_draws_needed, stopping_status

FOUND, IRRELEVANT, ADDED = 20, 500, 100  # 20 relevant, then 500 irrelevant: every record of the first search


def test_a_tail_drawn_before_records_were_added_claims_nothing_about_them():
    """Worked by hand: before the cap the 500 irrelevant records count as 500 draws from an urn of 600 that
    holds the 100 added ones; H0 needs K = ⌊20/0.95 − 20 + 1⌋ = 2 relevant records there, and P(X = 0) =
    (100·99)/(600·599) = 0.0275 < 0.05, so the claim was made over 100 records never looked at."""
    labels = [1] * FOUND + [0] * IRRELEVANT
    total = FOUND + IRRELEVANT + ADDED
    assert h0_pvalue(labels, total) == pytest.approx(100 * 99 / (600 * 599))
    assert stopping_status(labels, total).can_stop
    capped = stopping_status(labels, total, draws=0, draws_since="2026-12-03T09:00:00Z")
    assert capped.p_value == 1.0 and not capped.can_stop
    # further records come from the 100 added records alone: the fewest all-irrelevant ones m with
    # P(X = 0; 100 records, 2 relevant, m draws) < 0.05
    expected = next(m for m in range(1, ADDED + 1) if hypergeom(ADDED, 2, m).cdf(0) < 0.05)
    assert capped.more_draws == expected == 78
    assert capped.sentence() == (
        "recall ≥ 95 % can be claimed with 95 % confidence after screening 78 more records, if none of them is "
        "relevant (only the decisions made since records were added on 2026-12-03 count as draws from the "
        "records left)")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=1, max_size=60), st.integers(0, 40), st.integers(0, 70))
def test_fewer_tails_never_make_the_claim_easier(labels, unscreened, longest):
    total = len(labels) + unscreened
    assert h0_pvalue(labels, total, longest=longest) >= h0_pvalue(labels, total)
    assert more_draws_needed(labels, total, longest=longest) >= more_draws_needed(labels, total)
    if longest >= len(labels):
        assert h0_pvalue(labels, total, longest=longest) == h0_pvalue(labels, total)


def test_a_status_recorded_before_draws_since_was_kept_reads_back():
    status = stopping_status([1, 0, 0], 10)
    figures = status.to_dict()
    del figures["draws_since"]
    assert StoppingStatus.from_dict(figures) == status


REVIEW = ('[review]\ntitle = "t"\nquestion = "q"\n[screening]\nreviewers = ["ann"]\n'
          'exclusion_reasons = ["wrong design"]\nhighlight_terms = []\n')


def _project(tmp_path, model: str, later_run: bool):
    """20 relevant and 60 irrelevant records from a search run of 1 December, screened by ann on 2 December
    (rows made by the screen carry a model; imported ones none), and, with ``later_run``, 30 records added by
    a run of 3 December."""
    (tmp_path / "review.toml").write_text(REVIEW, encoding="utf-8")
    records = [{"record_id": f"R{n:06d}", "title": f"Record {n}",
                "sources": [{"run": "20261201T090000Z-pubmed", "source": "pubmed", "source_id": str(n)}]}
               for n in range(1, 81)]
    records += [{"record_id": f"R{n:06d}", "title": f"Record {n}",
                 "sources": [{"run": "20261203T090000Z-pubmed", "source": "pubmed", "source_id": str(n)}]}
                for n in range(81, 111) if later_run]
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                        encoding="utf-8")
    log = tmp_path / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True)
    log.write_text("record_id,decision,reason,reviewer,timestamp,note,rank,model\n" + "".join(
        f"R{n:06d},{'include' if n <= 20 else 'exclude'},,ann,2026-12-02T{9 + n // 60:02d}:{n % 60:02d}:00Z,,,"
        f"{model}\n" for n in range(1, 81)), encoding="utf-8")
    return load_project(tmp_path)


def test_a_refresh_after_screening_leaves_no_draw_on_the_records_it_added(tmp_path):
    project = _project(tmp_path, "tfidf-svm.3/40", later_run=True)
    status = reviewer_stopping(project, load_screening(project), "ann")
    assert (status.screened, status.n_total, status.draws_since) == (80, 110, "2026-12-03T09:00:00Z")
    assert status.p_value == 1.0 and status.more_draws > 0
    assert status == stopping_status([1] * 20 + [0] * 60, 110, draws=0, draws_since="2026-12-03T09:00:00Z")
    with (tmp_path / "screening" / "title_abstract" / "ann.csv").open("a", encoding="utf-8") as log:
        log.write("".join(f"R{n:06d},exclude,,ann,2026-12-04T10:{n - 81:02d}:00Z,,,random\n" for n in range(81, 86)))
    status = reviewer_stopping(project, load_screening(project), "ann")
    assert status == stopping_status([1] * 20 + [0] * 65, 110, random_draws=5, draws=5,
                                     draws_since="2026-12-03T09:00:00Z")


@pytest.mark.parametrize("model, later_run", [("tfidf-svm.3/40", False), ("", True)])
def test_every_decision_counts_without_a_later_run_or_for_decisions_made_in_another_tool(tmp_path, model, later_run):
    """Without records added since the screening, every decision is a draw; so it is for a log imported from
    another tool (no model), whose times say when the decisions were made there, not in this project."""
    project = _project(tmp_path, model, later_run)
    status = reviewer_stopping(project, load_screening(project), "ann")
    total = 110 if later_run else 80
    assert status == stopping_status([1] * 20 + [0] * 60, total)


def test_at_full_text_a_record_arrives_when_title_abstract_sends_it_on(tmp_path):
    """ann assesses the 20 records she included at title/abstract (3 December), then includes one more at
    title/abstract (4 December): her full-text decisions were drawn before it came."""
    project = _project(tmp_path, "tfidf-svm.3/40", later_run=False)
    full_text = tmp_path / "screening" / "full_text" / "ann.csv"
    full_text.parent.mkdir()
    full_text.write_text("record_id,decision,reason,reviewer,timestamp,note,rank,model\n" + "".join(
        f"R{n:06d},{'include' if n <= 5 else 'exclude'},{'' if n <= 5 else 'wrong design'},ann,"
        f"2026-12-03T10:{n:02d}:00Z,,,file\n" for n in range(1, 21)), encoding="utf-8")
    assert reviewer_stopping(project, load_screening(project), "ann", "full_text").draws_since == ""
    with (tmp_path / "screening" / "title_abstract" / "ann.csv").open("a", encoding="utf-8") as log:
        log.write("R000021,include,,ann,2026-12-04T09:00:00Z,,,tfidf-svm.3/80\n")
    status = reviewer_stopping(project, load_screening(project), "ann", "full_text")
    assert (status.n_total, status.screened, status.draws_since) == (21, 20, "2026-12-04T09:00:00Z")
    assert status == stopping_status([1] * 5 + [0] * 15, 21, draws=0, draws_since="2026-12-04T09:00:00Z")


def test_a_time_of_arrival_is_kept_only_with_a_cut_and_read_back():
    assert stopping_status([1, 0], 10).draws_since == ""
    assert stopping_status([1, 0], 10, draws_since="2026-12-03T09:00:00Z").draws_since == ""  # no cut, no time
    cut = stopping_status([1, 0], 10, draws=1, draws_since="2026-12-03T09:00:00Z")
    assert StoppingStatus.from_dict(cut.to_dict()) == cut


def test_a_decision_made_when_the_records_came_is_a_draw_and_records_that_came_with_the_first_one_are_not_new(
        tmp_path):
    (tmp_path / "two-runs").mkdir()
    (tmp_path / "one-run").mkdir()
    project = _project(tmp_path / "two-runs", "tfidf-svm.3/40", later_run=True)
    log = tmp_path / "two-runs" / "screening" / "title_abstract" / "ann.csv"
    rows = log.read_text(encoding="utf-8").splitlines(keepends=True)
    # the first decision made at the very time of the first run; one more at the very time of the second
    rows[1] = rows[1].replace("2026-12-02T09:01:00Z", "2026-12-01T09:00:00Z")
    log.write_text("".join(rows) + "R000081,exclude,,ann,2026-12-03T09:00:00Z,,,random\n", encoding="utf-8")
    status = reviewer_stopping(project, load_screening(project), "ann")
    assert (status.screened, status.draws_since) == (81, "2026-12-03T09:00:00Z")
    assert status == stopping_status([1] * 20 + [0] * 61, 110, random_draws=1, draws=1,
                                     draws_since="2026-12-03T09:00:00Z")
    alone = _project(tmp_path / "one-run", "tfidf-svm.3/40", later_run=False)
    log = tmp_path / "one-run" / "screening" / "title_abstract" / "ann.csv"
    log.write_text(log.read_text(encoding="utf-8").replace("2026-12-02T09:01:00Z", "2026-12-01T09:00:00Z"),
                   encoding="utf-8")
    assert reviewer_stopping(alone, load_screening(alone), "ann") == stopping_status([1] * 20 + [0] * 60, 80)


def test_the_sequence_counts_a_merged_record_once_and_leaves_out_one_decided_both_ways(tmp_path):
    """R000080 merged into R000079 by dedup: decided alike it is one draw; decided differently it is not yet
    screened (tests/dedup/test_dedup_merged_ids.py)."""
    from sysrev.screening.prioritisation import screening_sequence

    for decision, expected in (("exclude", 79), ("include", 78)):
        root = tmp_path / decision
        root.mkdir()
        project = _project(root, "tfidf-svm.3/40", later_run=False)
        path = root / "records" / "records.jsonl"
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        records[78]["extra"] = {"dedup_replaces": ["R000080"],
                                "dedup_merged": {"R000080": {"at": "2026-12-01T00:00:00Z"}}}
        path.write_text("".join(json.dumps(r) + "\n" for r in records[:79]), encoding="utf-8")
        log = root / "screening" / "title_abstract" / "ann.csv"
        header, *lines = log.read_text(encoding="utf-8").replace("R000080,exclude", f"R000080,{decision}"
                                                                  ).splitlines(keepends=True)
        if decision == "exclude":  # R000080 decided first
            lines = lines[-1:] + lines[:-1]
        log.write_text(header + "".join(lines), encoding="utf-8")
        labels, rows = screening_sequence(project, load_screening(project), "ann", "title_abstract")
        assert len(labels) == len(rows) == expected
        assert {row.record_id for row in rows} <= {f"R{n:06d}" for n in range(1, 80)}
        if decision == "exclude":  # the merged record was first screened as R000080, at the top of the log
            assert (rows[0].record_id, rows[0].line) == ("R000079", 2)
