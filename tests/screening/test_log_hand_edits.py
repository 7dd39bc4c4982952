"""A decision log edited by hand, as teams do: a decision or reason typed with capitals counts as the word sysrev
writes (nothing about it is ambiguous), while a word that is not a decision still does not; a header pasted
again in the middle (two logs joined into one) is named as such, not as an unknown record."""

import pytest

from sysrev.screening.config import screening_config
from sysrev.screening.log import read_log_text

HEADER = "record_id,decision,reason,reviewer,timestamp\n"


@pytest.fixture
def config(make_project):
    return screening_config(make_project())


def _read(config, text, stage="title_abstract"):
    return read_log_text(f"screening/{stage}/alice.csv", text, stage=stage, config=config, owner="alice")


def test_decisions_and_reasons_typed_with_capitals_count_as_sysrevs_words(config):
    decisions, problems = _read(config, HEADER + "r01,Include,,alice,2024-05-01T09:30:00Z\n"
                                                 "r02,EXCLUDE,Wrong Population,alice,2024-05-01T09:31:00Z\n"
                                                 "r03,Maybe,,alice,2024-05-01T09:32:00Z\n")
    assert problems == []
    assert [(d.record_id, d.decision, d.reason) for d in decisions] == [
        ("r01", "include", ""), ("r02", "exclude", "wrong population"), ("r03", "maybe", "")]


def test_a_full_text_exclusion_typed_with_capitals_still_needs_its_reason(config):
    decisions, problems = _read(config, HEADER + "r01,Exclude,,alice,2024-05-01T09:30:00Z\n"
                                                 "r02,Exclude,NOT RANDOMISED,alice,2024-05-01T09:31:00Z\n",
                                stage="full_text")
    assert [(p.line, p.message) for p in problems] == [
        (2, "a full-text exclusion needs a reason from [screening] exclusion_reasons")]
    assert [(d.record_id, d.reason) for d in decisions] == [("r02", "not randomised")]


def test_words_that_are_not_decisions_or_listed_reasons_still_do_not_count(config):
    decisions, problems = _read(config, HEADER + "r01,Included,,alice,2024-05-01T09:30:00Z\n"
                                                 "r02,exclude,wrong populations,alice,2024-05-01T09:31:00Z\n")
    assert decisions == []
    assert [p.message for p in problems] == [
        "decision 'Included' is not one of include, exclude, maybe",
        "reason 'wrong populations' is not in [screening] exclusion_reasons of review.toml (did you mean 'wrong "
        "population'? If the reason was renamed in review.toml, keep the old name in the list too, or change it in "
        "the log)"]


@pytest.mark.parametrize("again", ["record_id,decision,reason,reviewer,timestamp",
                                   " record_id , decision,reason,reviewer,timestamp,note"])
def test_a_header_pasted_again_is_named_as_two_logs_joined(config, again):
    decisions, problems = _read(config, HEADER + "r01,include,,alice,2024-05-01T09:30:00Z\n" + again + "\n"
                                                 "r02,exclude,,alice,2024-05-01T09:31:00Z\n")
    assert [d.record_id for d in decisions] == ["r01", "r02"]
    assert [(p.line, p.message) for p in problems] == [
        (3, "a second header row (two logs joined into one?): delete this line")]


@pytest.mark.parametrize("text", [HEADER, HEADER + "\n\n", HEADER.rstrip("\n")])
def test_a_log_with_its_header_only_holds_nothing_and_no_problem(config, text):
    assert _read(config, text) == ([], [])


def test_a_merge_conflict_marker_row_is_named_and_both_sides_count(config):
    decisions, problems = _read(config, HEADER + "<<<<<<< HEAD\nr01,include,,alice,2024-05-01T09:30:00Z\n=======\n"
                                                 "r02,exclude,,alice,2024-05-01T09:31:00Z\n>>>>>>> main\n")
    assert [d.record_id for d in decisions] == ["r01", "r02"]
    assert [(p.line, p.message) for p in problems] == [
        (line, "a git merge-conflict marker: the log was changed on two machines; keep the rows of both sides (a log "
               "only grows), delete the marker lines, then commit") for line in (2, 4, 6)]


def test_a_row_of_one_cell_that_is_no_merge_marker_is_a_short_row(config):
    decisions, problems = _read(config, HEADER + "r01\n")
    assert decisions == [] and [(p.line, p.message) for p in problems] == [
        (2, "expected 5 columns (record_id,decision,reason,reviewer,timestamp), found 1")]
