"""Stage decisions from two and three reviewers: agreement, conflicts, changed minds, reconciliation."""

import json

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.screening.state import load_screening
from sysrev.screening.summary import stage_summary

H = "record_id,decision,reason,reviewer,timestamp\n"


def rows(reviewer, decisions, day=1):
    return H + "".join(f"r{i:02d},{d},{reason},{reviewer},2024-01-{day:02d}T10:00:00Z\n"
                       for i, (d, reason) in decisions.items())


ALL_INCLUDE = {i: ("include", "") for i in range(1, 9)}


def test_two_reviewers_agreeing_and_disagreeing(make_project):
    bob = {**ALL_INCLUDE, 2: ("exclude", ""), 4: ("maybe", "")}
    project = make_project({"title_abstract/alice.csv": rows("alice", ALL_INCLUDE),
                            "title_abstract/bob.csv": rows("bob", bob)})
    state = load_screening(project).stages["title_abstract"]
    assert state.conflicts() == ["r02", "r04"]
    assert state.status("r01") == "decided" and state.final("r01").decision == "include"
    assert state.final("r02") is None
    summary = stage_summary(load_screening(project), "title_abstract")
    assert summary["conflicts"] == 2 and summary["decided"] == 6
    pair = summary["agreement"][0]
    assert pair["reviewers"] == ["alice", "bob"] and pair["n"] == 8
    assert pair["percent_agreement"] == 0.75
    assert pair["categories"] == ["include", "exclude", "maybe"]


def test_changed_mind_resolves_a_conflict(make_project):
    bob = {**ALL_INCLUDE, 2: ("exclude", "")}
    later = "r02,include,,bob,2024-01-05T10:00:00Z\n"
    project = make_project({"title_abstract/alice.csv": rows("alice", ALL_INCLUDE),
                            "title_abstract/bob.csv": rows("bob", bob) + later})
    state = load_screening(project).stages["title_abstract"]
    assert state.conflicts() == []
    assert state.latest["bob"]["r02"].line == 10  # the history stays; the last row counts


def test_three_reviewers_pairwise_agreement_and_reconciliation(make_project):
    carol = {**ALL_INCLUDE, 3: ("exclude", "")}
    bob = {**ALL_INCLUDE, 3: ("exclude", ""), 5: ("exclude", "")}
    recon = H + "r05,exclude,,carol,2024-02-01T10:00:00Z\n"
    project = make_project({"title_abstract/alice.csv": rows("alice", ALL_INCLUDE),
                            "title_abstract/bob.csv": rows("bob", bob),
                            "title_abstract/carol.csv": rows("carol", carol)})
    screening = load_screening(project)
    state = screening.stages["title_abstract"]
    assert state.conflicts() == ["r03", "r05"]
    summary = stage_summary(screening, "title_abstract")
    assert [p["reviewers"] for p in summary["agreement"]] == [["alice", "bob"], ["alice", "carol"],
                                                              ["bob", "carol"]]
    assert [p["percent_agreement"] for p in summary["agreement"]] == [0.75, 0.875, 0.875]
    project = make_project({"title_abstract/reconciliation/carol.csv": recon})
    state = load_screening(project).stages["title_abstract"]
    assert state.conflicts() == ["r03"]
    assert state.final("r05").decision == "exclude" and state.final("r05").reviewer == "carol"


def test_full_text_screens_only_records_forwarded_by_title_abstract(make_project):
    ta = {**ALL_INCLUDE, **{i: ("exclude", "") for i in (2, 4, 6)}, 8: ("maybe", "")}
    project = make_project({"title_abstract/alice.csv": rows("alice", ta)})
    screening = load_screening(project)
    assert screening.stages["full_text"].eligible == ["r01", "r03", "r05", "r07", "r08"]


def test_full_text_exclusions_with_different_reasons_conflict(make_project):
    ta = rows("alice", ALL_INCLUDE)
    project = make_project({
        "title_abstract/alice.csv": ta,
        "full_text/alice.csv": rows("alice", {1: ("exclude", "wrong population")}),
        "full_text/bob.csv": rows("bob", {1: ("exclude", "not randomised")}),
    })
    assert load_screening(project).stages["full_text"].conflicts() == ["r01"]


def test_reviewers_per_record_leaves_single_screened_records_awaiting(make_project, tmp_path):
    project = make_project({"title_abstract/alice.csv": rows("alice", ALL_INCLUDE)})
    toml = project.config_path.read_text(encoding="utf-8")
    project.config_path.write_text(toml.replace('highlight_terms', 'reviewers_per_record = 2\nhighlight_terms'),
                                   encoding="utf-8")
    from sysrev.project import load_project
    state = load_screening(load_project(project.root)).stages["title_abstract"]
    assert state.status("r01") == "awaiting" and state.final("r01") is None


def test_status_and_conflicts_commands(make_project):
    bob = {**ALL_INCLUDE, 2: ("exclude", "")}
    project = make_project({"title_abstract/alice.csv": rows("alice", ALL_INCLUDE),
                            "title_abstract/bob.csv": rows("bob", bob)})
    runner = CliRunner()
    result = runner.invoke(cli, ["screen", "status", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert "title/abstract: 8 records · 7 decided" in result.output
    assert "· 1 conflict ·" in result.output
    assert "agreement alice × bob on 8 records: 87.5%" in result.output
    assert "PABAK 0.750" in result.output
    data = json.loads(runner.invoke(cli, ["screen", "status", "--json", "--project", str(project.root)]).output)
    assert data["stages"][0]["reviewers"]["bob"]["exclude"] == 1
    result = runner.invoke(cli, ["screen", "conflicts", "--project", str(project.root)])
    assert result.exit_code == 0
    assert "r02  alice: include  bob: exclude" in result.output


def test_status_reports_bad_rows_and_exits_1(make_project):
    project = make_project({"title_abstract/alice.csv": rows("alice", ALL_INCLUDE) +
                            "r01,include,,alice,not-a-time\n"})
    result = CliRunner().invoke(cli, ["screen", "status", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "alice.csv, line 10: timestamp 'not-a-time'" in result.stderr


def test_screen_needs_a_reviewer_and_a_terminal(make_project):
    project = make_project()
    runner = CliRunner()
    result = runner.invoke(cli, ["screen", "--project", str(project.root)])
    assert result.exit_code == 2 and "give --reviewer NAME" in result.output
    result = runner.invoke(cli, ["screen", "--reviewer", "alice", "--project", str(project.root)], input="i\n")
    assert result.exit_code == 2 and "needs a terminal" in result.output
    result = runner.invoke(cli, ["screen", "reconcile", "--reviewer", "carol", "--project", str(project.root)])
    assert result.exit_code == 2 and "needs a terminal" in result.output


@pytest.mark.parametrize("command", [["screen"], ["screen", "reconcile"]])
def test_an_unknown_reviewer_is_named_before_the_terminal_is_asked_for(make_project, command):
    project = make_project()
    result = CliRunner().invoke(cli, [*command, "--reviewer", "alcie", "--project", str(project.root)])
    assert result.exit_code == 2
    assert "error: unknown reviewer 'alcie'; review.toml lists alice, bob, carol" in result.output
    assert "needs a terminal" not in result.output
