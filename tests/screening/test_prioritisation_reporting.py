"""What a review reports about prioritised screening, in full: each reviewer's screening sequence and stopping
status (with the records drawn at random at the end), the team's recorded stops (kept, every one, oldest
first), and the methods-section sentences word for word, at either stage, met or not."""

import json

import pytest

from sysrev.errors import SysrevError
from sysrev.screening.log import HEADER_WITH_RANK
from sysrev.screening.prioritisation import (
    methods_sentences,
    read_stops,
    record_stop,
    reviewer_stopping,
    screening_sequence,
    stopping_path,
)
from sysrev.screening.ranking import DEFAULT_SETTINGS
from sysrev.screening.state import load_screening
from sysrev.screening.stopping import REFERENCE, stopping_status

HEADER = ",".join(HEADER_WITH_RANK) + "\n"


def _rows(reviewer, rows):
    """Log rows (record, decision, model) with a minute between them; the rank is the row's number."""
    return HEADER + "".join(f"{rid},{decision},,{reviewer},2024-05-01T09:{i:02d}:00Z,,{i + 1},{model}\n"
                            for i, (rid, decision, model) in enumerate(rows))


def test_a_sequence_counts_each_record_once_where_first_decided_labelled_by_its_latest_decision(make_project):
    project = make_project({"title_abstract/alice.csv": _rows("alice", [
        ("r01", "exclude", "file"), ("r02", "include", "file"), ("r01", "include", "tfidf-svm.3/2"),
        ("r03", "maybe", "tfidf-svm.3/2"), ("r04", "exclude", "random")])})
    labels, rows = screening_sequence(project, load_screening(project), "alice", "title_abstract")
    assert labels == [1, 1, 1, 0]  # r01 (changed to include), r02, r03 (maybe counts), r04
    assert [(r.record_id, r.decision, r.model) for r in rows] == [
        ("r01", "exclude", "file"), ("r02", "include", "file"), ("r03", "maybe", "tfidf-svm.3/2"),
        ("r04", "exclude", "random")]
    assert screening_sequence(project, load_screening(project), "bob", "title_abstract") == ([], [])


def test_the_records_drawn_at_random_at_the_end_are_counted_for_the_stopping_test(make_project):
    rows = [("r01", "include", "file"), ("r02", "exclude", "file"), ("r03", "exclude", "random"),
            ("r04", "include", "tfidf-svm.3/2"), ("r05", "exclude", "random"), ("r06", "exclude", "random"),
            ("r07", "exclude", "random")]
    project = make_project({"title_abstract/alice.csv": _rows("alice", rows)})
    screening = load_screening(project)
    labels = [1, 0, 0, 1, 0, 0, 0]
    assert reviewer_stopping(project, screening, "alice") == stopping_status(labels, 8, random_draws=3)
    assert reviewer_stopping(project, screening, "alice", "title_abstract", recall_target=0.8,
                             confidence=0.9) == stopping_status(labels, 8, random_draws=3, recall_target=0.8,
                                                                confidence=0.9)
    only_random = make_project({"title_abstract/alice.csv": _rows("alice", [(r, d, "random") for r, d, _ in rows])})
    assert reviewer_stopping(only_random, load_screening(only_random), "alice").random_draws == 7


def test_a_refused_stop_says_why_and_how_to_record_it_anyway(make_project):
    project = make_project({"title_abstract/alice.csv": _rows("alice", [("r01", "include", "file"),
                                                                        ("r02", "exclude", "file")])})
    screening = load_screening(project)
    status = stopping_status([1, 0], 8)
    with pytest.raises(SysrevError) as refused:
        record_stop(project, screening, "alice", "title_abstract")
    assert str(refused.value) == (f"alice: {status.sentence()}; nothing recorded (to stop anyway, as the team's "
                                  "decision, repeat with --force)")
    assert not stopping_path(project, "title_abstract").exists()


def test_every_stop_recorded_is_kept_oldest_first_with_the_tests_figures(make_project):
    rows = [(f"r0{i}", "include" if i in (1, 3) else "exclude", "tfidf-svm.3/2") for i in range(1, 9)]
    project = make_project({"title_abstract/alice.csv": _rows("alice", rows[:3])})
    screening = load_screening(project)
    first = record_stop(project, screening, "alice", "title_abstract", force=True)
    assert "note" not in first
    assert {k: first[k] for k in ("stage", "reviewer", "criterion", "criterion_met")} == {
        "stage": "title_abstract", "reviewer": "alice", "criterion": REFERENCE, "criterion_met": False}
    expected = stopping_status([1, 0, 1], 8)
    assert first == {"timestamp": first["timestamp"], "stage": "title_abstract", "reviewer": "alice",
                     "criterion": REFERENCE, "criterion_met": False, "statement": expected.sentence(),
                     **expected.to_dict()}
    # every record screened: the criterion is met, and a second stop is appended, the first kept
    project = make_project({"title_abstract/alice.csv": _rows("alice", rows)})
    second = record_stop(project, load_screening(project), "alice", "title_abstract", recall_target=0.8,
                         confidence=0.9, note="Müller's budget")
    assert second["criterion_met"] is True and second["note"] == "Müller's budget"
    assert second["recall_target"] == 0.8 and second["confidence"] == 0.9
    assert second["p_value"] == stopping_status([r[1] == "include" for r in rows], 8, recall_target=0.8,
                                                confidence=0.9).p_value
    assert read_stops(project, "title_abstract") == [first, second]
    text = stopping_path(project, "title_abstract").read_text(encoding="utf-8")
    assert text.count("\n") == 2 and "Müller's budget" in text  # UTF-8 as written, not \u escapes


def test_recorded_stops_skip_blank_lines_and_name_a_broken_line(make_project):
    project = make_project()
    path = stopping_path(project, "title_abstract")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"reviewer": "alice"}\n\n{"reviewer": "bob"}\n', encoding="utf-8")
    assert read_stops(project, "title_abstract") == [{"reviewer": "alice"}, {"reviewer": "bob"}]
    path.write_text('{"reviewer": "alice"}\n\n{"reviewer": "bob"\n', encoding="utf-8")
    with pytest.raises(SysrevError) as broken:
        read_stops(project, "title_abstract")
    assert str(broken.value) == f"{path}, line 3: not a JSON object (Expecting ',' delimiter)"
    assert read_stops(project, "full_text") == []


def test_the_methods_sentences_in_full_at_title_and_abstract(make_project):
    project = make_project({
        "title_abstract/alice.csv": _rows("alice", [("r01", "include", "file"), ("r02", "exclude", "file"),
                                                    ("r03", "include", "tfidf-svm.3/2"),
                                                    ("r04", "exclude", "tfidf-svm.3/3"),
                                                    ("r05", "exclude", "random")]),
        "title_abstract/bob.csv": _rows("bob", [("r06", "exclude", "tfidf-logreg.1/4"),
                                                ("r07", "exclude", "")])})
    ordered, counts = methods_sentences(project, load_screening(project))
    assert ordered == (
        "At title/abstract, records were ordered for each reviewer by relevance learnt from that reviewer's own "
        "decisions only (active learning, so dual screening stayed independent): after every decision, "
        f"{DEFAULT_SETTINGS.describe()} was retrained on the reviewer's decisions so far (include and maybe as "
        "relevant), and the unscreened record with the highest predicted relevance was shown next (sysrev model "
        "tfidf-logreg.1, tfidf-svm.3; tfidf-logreg.1 also read the records' keywords).")
    assert counts == (
        "Of 7 first decisions, 3 were made on records ordered by the model, 1 on records drawn at random and 2 "
        "in file order (before the reviewer's first include and exclude gave the model something to learn "
        "from); 1 imported or earlier decisions record no order.")


def test_both_keyword_revisions_are_named_together(make_project):
    project = make_project({"title_abstract/alice.csv": _rows("alice", [
        ("r01", "include", "tfidf-logreg.1/2"), ("r02", "exclude", "tfidf-svm.2/2")])})
    ordered, counts = methods_sentences(project, load_screening(project))
    assert ordered.endswith("(sysrev model tfidf-logreg.1, tfidf-svm.2; tfidf-logreg.1 and tfidf-svm.2 also "
                            "read the records' keywords).")
    assert counts.endswith("0 on records drawn at random and 0 in file order (before the reviewer's first "
                           "include and exclude gave the model something to learn from).")


@pytest.mark.parametrize("models, counted", [
    (("tfidf-svm.3/2", "file"), "1 was made on records ordered by the model, 0 on records drawn at random and 1 "),
    (("tfidf-svm.3/2", "random"), "1 was made on records ordered by the model, 1 on records drawn at random and 0 "),
    (("random", "file"), "0 were made on records ordered by the model, 1 on records drawn at random and 1 "),
])
def test_any_recorded_order_gives_the_sentences(make_project, models, counted):
    project = make_project({"title_abstract/alice.csv": _rows("alice", [("r01", "include", models[0]),
                                                                        ("r02", "exclude", models[1])])})
    ordered, counts = methods_sentences(project, load_screening(project))
    assert counts.startswith(f"Of 2 first decisions, {counted}in file order")


def test_one_first_decision_is_counted_in_the_singular(make_project):
    project = make_project({"title_abstract/alice.csv": _rows("alice", [("r01", "include", "tfidf-svm.3/2")])})
    _, counts = methods_sentences(project, load_screening(project))
    assert counts.startswith("Of 1 first decision, 1 was made on records ordered by the model, 0 on records")


def test_without_recorded_orders_there_is_no_sentence_on_the_order(make_project):
    project = make_project({"title_abstract/alice.csv": _rows("alice", [("r01", "include", ""),
                                                                        ("r02", "exclude", "")])})
    assert methods_sentences(project, load_screening(project)) == []


def test_at_full_text_the_sentence_says_full_text(make_project):
    project = make_project({
        "title_abstract/alice.csv": _rows("alice", [("r01", "include", "file"), ("r02", "include", "file")]),
        "title_abstract/bob.csv": _rows("bob", [("r01", "include", "file"), ("r02", "include", "file")]),
        "full_text/alice.csv": _rows("alice", [("r01", "include", "file")])})
    ordered, _counts = methods_sentences(project, load_screening(project), "full_text")
    assert ordered.startswith("At full text, records were ordered")


def test_stop_sentences_in_full_met_and_not_met(make_project, clock_east_of_utc):
    project = make_project()
    path = stopping_path(project, "title_abstract")
    path.parent.mkdir(parents=True, exist_ok=True)
    base = {"stage": "title_abstract", "reviewer": "alice", "n_total": 8, "relevant_found": 2,
            "random_draws": 1, "recall_target": 0.95, "confidence": 0.9}
    met = {**base, "timestamp": "2026-12-03T23:30:00Z", "screened": 8, "p_value": 0.0123456,
           "criterion_met": True}
    not_met = {**base, "timestamp": "2026-12-04T08:00:00Z", "screened": 3, "p_value": 0.5,
               "criterion_met": False, "recall_target": 0.975}
    path.write_text(json.dumps(met) + "\n" + json.dumps(not_met) + "\n", encoding="utf-8")
    assert methods_sentences(project, load_screening(project)) == [
        "On 03 December 2026, the team decided that alice would stop screening after 8 of 8 records (2 relevant, "
        "1 of them drawn at random at the end); by the stopping criterion of Callaghan and Müller-Hansen (2020), a "
        "hypergeometric test of the null hypothesis that recall was below 95 %, p = 0.0123, so recall of at "
        "least 95 % could be claimed with 90 % confidence.",
        "On 04 December 2026, the team decided that alice would stop screening after 3 of 8 records (2 relevant, "
        "1 of them drawn at random at the end); by the stopping criterion of Callaghan and Müller-Hansen (2020), a "
        "hypergeometric test of the null hypothesis that recall was below 97.5 %, p = 0.5, so the criterion was "
        "not met; recall of 97.5 % could not be claimed at that point."]


def test_a_stop_at_full_text_is_tested_on_the_full_text_sequence(make_project):
    project = make_project({
        "title_abstract/alice.csv": _rows("alice", [("r01", "include", "file"), ("r02", "include", "file")]),
        "title_abstract/bob.csv": _rows("bob", [("r01", "include", "file"), ("r02", "include", "file")]),
        "full_text/alice.csv": _rows("alice", [("r01", "include", "file")])})
    entry = record_stop(project, load_screening(project), "alice", "full_text", force=True)
    assert (entry["stage"], entry["screened"], entry["n_total"]) == ("full_text", 1, 2)
    assert read_stops(project, "full_text") == [entry] and read_stops(project, "title_abstract") == []
