"""`sysrev release --tag` runs git: its output read as text, a failing command named with git's own words
(from stderr, else stdout), and a machine without git told so."""

import subprocess
from types import SimpleNamespace

import pytest

from sysrev.errors import SysrevError
from sysrev.living.release import _git


def test_git_output_is_text_without_its_line_break(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert _git(SimpleNamespace(root=tmp_path), "rev-parse", "--is-inside-work-tree") == "true"


def test_a_failing_git_command_is_named_with_what_git_said_on_stderr(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # even if the temporary folder is in a repo
    with pytest.raises(SysrevError) as failed:
        _git(SimpleNamespace(root=tmp_path), "rev-parse", "--is-inside-work-tree")
    assert str(failed.value).startswith("git rev-parse --is-inside-work-tree failed: fatal: not a git repository")


def test_a_failing_git_command_that_speaks_on_stdout_is_named_with_that(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    with pytest.raises(SysrevError) as failed:
        _git(SimpleNamespace(root=tmp_path), "commit", "-q", "-m", "release v1")
    message = str(failed.value)
    assert message.startswith("git commit -q -m release v1 failed: ") and "nothing to commit" in message


def test_without_git_the_tag_option_says_so(tmp_path, monkeypatch):
    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    with pytest.raises(SysrevError) as missing:
        _git(SimpleNamespace(root=tmp_path), "tag", "--list", "v1")
    assert str(missing.value) == "--tag needs git, which is not installed"
