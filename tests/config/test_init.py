"""`sysrev init`: questions asked when no option is given, refusals, git."""

import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.project import load_project


def test_interactive_init_asks_every_question(tmp_path):
    answers = "\n".join(["My review", "Does X help?", "adults", "drug X", "placebo", "pubmed, Embase",
                         "ann, bob, cy", "pain:continuous, death:dichotomous", "X", "P"]) + "\n"
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "r"), "--no-git"], input=answers)
    assert result.exit_code == 0, result.output
    project = load_project(tmp_path / "r")
    assert project.config["review"] == {"title": "My review", "question": "Does X help?"}
    assert [d["name"] for d in project.config["databases"]] == ["PubMed", "Embase"]
    assert project.config["screening"]["reviewers"] == ["ann", "bob", "cy"]
    assert [(o["name"], o["type"]) for o in project.config["outcomes"]] == [("pain", "continuous"),
                                                                            ("death", "dichotomous")]
    assert (project.config["arms"]["group1"], project.config["arms"]["group2"]) == ("X", "P")
    assert 'database = "file"' in (tmp_path / "r" / "searches" / "embase.toml").read_text()
    assert CliRunner().invoke(cli, ["check", "--project", str(tmp_path / "r")]).exit_code == 0


def test_init_refuses_an_existing_project_and_bad_answers(tmp_path):
    args = ["init", str(tmp_path), "--no-input", "--no-git", "--title", "t", "--outcome", "pain"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = (tmp_path / "review.toml").read_text()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 2 and "already a review project" in again.stderr
    assert (tmp_path / "review.toml").read_text() == before
    bad = CliRunner().invoke(cli, ["init", str(tmp_path / "b"), "--no-input", "--outcome", "pain:ordinal"])
    assert bad.exit_code == 2 and "continuous or dichotomous" in bad.stderr
    assert not (tmp_path / "b" / "review.toml").exists()
    clash = tmp_path / "c"
    clash.mkdir()
    (clash / "README.md").write_text("ours")
    result = CliRunner().invoke(cli, ["init", str(clash), "--no-input", "--no-git", "--outcome", "pain"])
    assert result.exit_code == 2 and "README.md" in result.stderr and (clash / "README.md").read_text() == "ours"


@pytest.mark.skipif(shutil.which("git") is None, reason="the git program is not present on this machine")
def test_init_makes_a_git_repository_unless_inside_one(tmp_path):
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "a"), "--no-input", "--outcome", "pain"]).exit_code == 0
    assert (tmp_path / "a" / ".git").is_dir()
    inner = CliRunner().invoke(cli, ["init", str(tmp_path / "a" / "sub"), "--no-input", "--outcome", "pain"])
    assert inner.exit_code == 0
    assert not (tmp_path / "a" / "sub" / ".git").exists()
    ignored = subprocess.run(["git", "check-ignore", ".venv/x"], cwd=tmp_path / "a", capture_output=True)
    assert ignored.returncode == 0


def test_init_run_from_a_script_without_answers_says_how_to_go_on_and_writes_nothing(tmp_path):
    """A pipe that runs out of answers used to end in a bare "Aborted!"; it names the question and the way on."""
    result = subprocess.run([sys.executable, "-c", "from sysrev.cli.main import cli; cli()", "init",
                             str(tmp_path / "r"), "--title", "T",
                             "--no-git"], input="", capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "no answer to 'Review question' (the input ended)" in result.stderr and "--no-input" in result.stderr
    assert not (tmp_path / "r" / "review.toml").exists()
