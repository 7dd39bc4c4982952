"""The command-line foundation: help, version, and user errors as exit code 2."""

from click.testing import CliRunner

import sysrev
from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.project import load_project


def test_help_lists_meta_group():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "meta" in result.output


def test_version_matches_package():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert sysrev.__version__ in result.output


def test_malformed_review_toml_names_file_and_line(tmp_path):
    (tmp_path / "review.toml").write_text('[review]\ntitle = "x"\nbroken = \n', encoding="utf-8")
    try:
        load_project(tmp_path)
    except InputError as exc:
        assert "review.toml" in str(exc) and "line 3" in str(exc)
    else:
        raise AssertionError("a malformed review.toml must raise InputError")


def test_usage_errors_have_the_one_error_prefix():
    """click's own errors (a missing argument, an unknown option or command, a value out of range) print
    `error: …` like every sysrev error, after click's usage lines, with click's exit code 2."""
    for args, message in [(["meta", "pool"], "error: Missing argument 'DATA.csv'."),
                          (["screen", "import", "--bogus"], "error: No such option '--bogus'."),
                          (["nosuch"], "error: No such command 'nosuch'."),
                          (["search", "pubmed", "--query", "x", "--batch-size", "0"],
                           "error: Invalid value for '--batch-size': 0 is not in the range x>=1.")]:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, args
        assert result.stderr.splitlines()[-1] == message and "Error:" not in result.stderr
        assert result.stderr.startswith("Usage: ")


def test_a_reader_that_stops_early_gets_no_broken_pipe_error(tmp_path):
    # `sysrev status | head -1`: the reader closes the pipe before sysrev writes; this printed "error: Broken
    # pipe" (exit code 2) as if the project were at fault
    import subprocess
    import sys

    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "p"), "--no-input", "--no-git"]).exit_code == 0
    command = [sys.executable, "-c", "from sysrev.cli.main import cli; cli()", "status", "--project",
               str(tmp_path / "p")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the interpreter has even started: every write to stdout breaks the pipe
    _, err = process.communicate(timeout=120)
    assert b"Broken pipe" not in err and b"Traceback" not in err, err
    assert process.returncode == 1
