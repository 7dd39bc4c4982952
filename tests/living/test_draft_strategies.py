"""The search strategies `sysrev init` writes are drafts (its query is only built from the PICO words): no
command sends a draft to a database, because the records of such a run would stay in the review's history
(snapshots, dedup, screening). Deleting the `draft` line is the reviewer's statement that the query is real."""

import json

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.search.strategies import load_strategy


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "review"
    assert CliRunner().invoke(cli, ["init", str(root), "--no-input", "--no-git"]).exit_code == 0
    return root


def _run(root, *args):
    return CliRunner().invoke(cli, [*args, "--project", str(root)])


def test_init_writes_its_api_strategies_as_drafts(project):
    for name in ("pubmed", "scopus"):
        assert load_strategy(project / "searches" / f"{name}.toml").draft is True


def test_no_command_sends_a_draft_and_each_says_what_to_do(project):
    # no HTTP server exists here: any request would fail with a network error, not with this message
    result = _run(project, "search", "run")
    assert result.exit_code == 2
    assert "pubmed.toml: the query is still the starting point `sysrev init` built (draft = true)" in result.output
    assert "delete the 'draft' line" in result.output
    assert not (project / "searches" / "runs").exists() or not any((project / "searches" / "runs").iterdir())
    refresh = _run(project, "refresh", "--json")
    assert refresh.exit_code == 0, refresh.output
    outcome = json.loads(refresh.output)
    assert [(s["name"], s["action"]) for s in outcome["searches"]] == [("pubmed", "draft"), ("scopus", "draft")]
    assert outcome["failed"] == []
    status = _run(project, "status")
    assert status.output.count("draft: the query is still the starting point") == 2


def test_check_warns_about_each_draft_without_failing(project):
    result = _run(project, "check")
    assert result.exit_code == 0, result.output
    assert result.output.count("(draft = true); write the real search strategy") == 2
    assert "pubmed.toml" in result.output and "scopus.toml" in result.output


def test_deleting_the_draft_line_lets_the_strategy_run(project):
    path = project / "searches" / "pubmed.toml"
    path.write_text("\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                              if not line.startswith("draft")) + "\n", encoding="utf-8")
    assert load_strategy(path).draft is False
    dry = _run(project, "refresh", "--dry-run")
    assert "pubmed (pubmed): would run a full search (first run)" in dry.output
    assert "scopus (scopus): not run:" in dry.output


def test_draft_must_be_true_or_false(tmp_path):
    path = tmp_path / "pubmed.toml"
    path.write_text('database = "pubmed"\nquery = "x"\ndraft = "yes"\n', encoding="utf-8")
    with pytest.raises(InputError, match="draft"):
        load_strategy(path)
