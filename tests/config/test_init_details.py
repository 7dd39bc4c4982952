"""`sysrev init`'s answers and files, exactly (mutation tests of the onboarding module): what each answer is
refused for, the outcome syntax, and what every file written holds."""

import os

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import SysrevError
from sysrev.init_project import Answers, Outcome, project_files


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": " \t"}, "the review needs a title (--title)"),
    ({"reviewers": []}, "name at least one reviewer (--reviewer NAME)"),
    ({"reviewers": ["ann", "b ob"]}, "reviewer 'b ob': use letters, digits, '.', '_' or '-' (it names a log file)"),
    ({"reviewers": ["-ann"]}, "reviewer '-ann': use letters, digits, '.', '_' or '-' (it names a log file)"),
    ({"reviewers": ["ann", "bob", "ann", "bob"]}, "reviewer 'ann' is given twice"),
    ({"databases": ["PubMed", "embase", "pubmed"]}, "database 'pubmed' is given twice"),
    ({"outcomes": [Outcome("pain"), Outcome("death"), Outcome("pain", "dichotomous")]},
     "outcome 'pain' is given twice"),
    ({"databases": []}, "name at least one database (--database pubmed, --database scopus, or any other)"),
    ({"outcomes": []}, "name at least one outcome (--outcome NAME:continuous or NAME:dichotomous)"),
    ({"group1": " "}, "the two arms need two different labels (--group1, --group2)"),
    ({"group2": ""}, "the two arms need two different labels (--group1, --group2)"),
    ({"group1": "same", "group2": "same"}, "the two arms need two different labels (--group1, --group2)"),
    # an outcome's name also names its extraction table and analysis: two names that give one file wrote an
    # analyses.toml that was no longer TOML, and "studies" replaced the study-characteristics table
    ({"outcomes": [Outcome("pain score"), Outcome("Pain_Score", "dichotomous")]},
     "outcomes 'pain score' and 'Pain_Score' would share the extraction table "
     "analysis/extraction/pain_score.csv and the analysis 'pain_score'; name them apart"),
    ({"outcomes": [Outcome("pain"), Outcome("Studies!")]},
     "outcome 'Studies!': its extraction table would be analysis/extraction/studies.csv, the table of study "
     "characteristics; name the outcome otherwise"),
])
def test_answers_that_would_make_an_unusable_project_are_refused(changes, message):
    answers = Answers(title="T", outcomes=[Outcome("pain")])
    for name, value in changes.items():
        setattr(answers, name, value)
    with pytest.raises(SysrevError) as info:
        project_files(answers)
    assert str(info.value) == message


def test_the_defaults_make_a_project():
    answers = Answers(title="T", outcomes=[Outcome("pain")])
    assert (answers.databases, answers.reviewers, answers.group1, answers.group2) == (
        ["pubmed", "scopus"], ["reviewer1", "reviewer2"], "intervention", "control")
    assert Answers(title="T").outcomes == [] and Answers(title="T").question == ""
    assert Answers(title="U").databases is not answers.databases  # each its own list
    assert "review.toml" in project_files(answers)


def fake_git(folder, init_stderr: str, init_exit: int) -> str:
    """A PATH holding only a `git` that is never inside a repository and whose `init` fails."""
    folder.mkdir()
    script = folder / "git"
    script.write_text(f'#!/bin/sh\n[ "$1" = init ] || exit 128\nprintf "{init_stderr}" >&2\nexit {init_exit}\n',
                      encoding="utf-8")
    script.chmod(0o755)
    return str(folder)


@pytest.mark.skipif(os.name != "posix", reason="the fake git is a shell script")
@pytest.mark.parametrize(("stderr", "code", "reason"), [
    ("fatal: cannot copy templates\\n", 128, "fatal: cannot copy templates"),
    ("", 3, "exit code 3"),
])
def test_a_failed_git_init_says_the_files_are_written(tmp_path, monkeypatch, stderr, code, reason):
    """`git init` failing ended `sysrev init` in a traceback, with the files already written."""
    monkeypatch.setenv("PATH", fake_git(tmp_path / "bin", stderr, code))
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "r"), "--no-input", "--outcome", "pain"])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"error: the project's files are written, but `git init` failed in {tmp_path / 'r'}: "
                             f"{reason}; run it there yourself (`sysrev init --no-git` leaves git out)\n")
    assert (tmp_path / "r" / "review.toml").is_file()
