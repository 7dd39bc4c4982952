"""The progress and agreement figures of a stage (`sysrev screen status`, the report): each count, the
reviewers listed, and which pairs of reviewers get agreement figures."""

from sysrev.screening.state import load_screening
from sysrev.screening.summary import pairwise_agreement, stage_summary

H = "record_id,decision,reason,reviewer,timestamp\n"


def log(reviewer, rows):
    return H + "".join(f"{rid},{decision},,{reviewer},2024-01-0{n}T10:00:00Z\n"
                       for n, (rid, decision) in enumerate(rows, start=1))


def two_per_record(make_project, logs):
    """The project with ``reviewers_per_record = 2`` (so a record one reviewer screened awaits a second)."""
    project = make_project()
    toml = project.root / "review.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "reviewers_per_record = 2\n", encoding="utf-8")
    return make_project(logs)


def test_every_count_of_a_stage_with_two_reviewers_per_record(make_project):
    project = two_per_record(make_project, {
        "title_abstract/alice.csv": log("alice", [("r01", "include"), ("r02", "exclude"), ("r03", "maybe")]),
        "title_abstract/bob.csv": log("bob", [("r05", "include")]),
        "title_abstract/carol.csv": log("carol", [("r01", "include"), ("r02", "include"), ("r04", "include")]),
    })
    summary = stage_summary(load_screening(project), "title_abstract")
    # r01 agreed by two; r02 disputed; r03, r04 and r05 wait for a second reviewer; r06–r08 untouched
    assert {k: summary[k] for k in ("records", "decided", "conflicts", "awaiting_second_reviewer", "unscreened",
                                    "reconciled", "reviewers_per_record")} == {
        "records": 8, "decided": 1, "conflicts": 1, "awaiting_second_reviewer": 3, "unscreened": 3,
        "reconciled": 0, "reviewers_per_record": 2}
    assert summary["decisions"] == {"include": 1, "exclude": 0, "maybe": 0}
    assert summary["reviewers"] == {
        "alice": {"screened": 3, "left": 5, "include": 1, "exclude": 1, "maybe": 1},
        "bob": {"screened": 1, "left": 7, "include": 1, "exclude": 0, "maybe": 0},
        "carol": {"screened": 3, "left": 5, "include": 3, "exclude": 0, "maybe": 0},
    }
    # alice and bob share no record: no figures for them, but the pairs after them still get theirs
    (pair,) = summary["agreement"]
    assert pair["reviewers"] == ["alice", "carol"] and pair["n"] == 2
    assert pair["categories"] == ["include", "exclude"]
    assert pair["table"] == [[1, 0], [1, 0]]  # r01 both include; r02 alice exclude, carol include


def test_a_stage_nobody_has_screened_counts_every_record_unscreened(make_project):
    summary = stage_summary(load_screening(make_project()), "title_abstract")
    assert (summary["decided"], summary["conflicts"], summary["awaiting_second_reviewer"],
            summary["unscreened"]) == (0, 0, 0, 8)
    assert summary["reviewers"] == {} and summary["agreement"] == []


def test_a_reviewer_with_an_empty_log_is_listed_and_one_without_a_log_is_not(make_project):
    project = make_project({"title_abstract/alice.csv": log("alice", [("r01", "include")]),
                            "title_abstract/carol.csv": H})  # bob has no log; carol's has no rows yet
    reviewers = stage_summary(load_screening(project), "title_abstract")["reviewers"]
    assert reviewers == {"alice": {"screened": 1, "left": 7, "include": 1, "exclude": 0, "maybe": 0},
                         "carol": {"screened": 0, "left": 8, "include": 0, "exclude": 0, "maybe": 0}}


def test_a_pair_that_used_one_decision_only_is_scored_on_a_scale_of_two(make_project):
    project = make_project({"title_abstract/alice.csv": log("alice", [("r01", "include"), ("r02", "include")]),
                            "title_abstract/bob.csv": log("bob", [("r01", "include"), ("r02", "include"),
                                                                  ("r03", "exclude")])})
    (pair,) = stage_summary(load_screening(project), "title_abstract")["agreement"]
    assert pair["categories"] == ["include", "exclude"]
    assert pair["table"] == [[2, 0], [0, 0]] and pair["n"] == 2


def test_pairwise_agreement_skips_a_reviewer_who_has_no_log(make_project):
    project = make_project({"title_abstract/alice.csv": log("alice", [("r01", "include")])})
    state = load_screening(project).stages["title_abstract"]
    assert pairwise_agreement(state, ["alice", "bob"]) == []
    assert pairwise_agreement(state, ["bob", "alice"]) == []
