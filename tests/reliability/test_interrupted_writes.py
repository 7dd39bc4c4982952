"""Temporary files of interrupted writes: listed by `sysrev check`, counted by `sysrev status`, removed by
`sysrev check --remove-leftovers`, and nothing else is ever removed.

A killed write is a real one: a separate process writes through :mod:`sysrev.fileio`, is held just before
its rename (``os.replace`` replaced by a pause, its temporary file then exists and is complete), and is
either killed with SIGKILL there or let go. Writes do not all hold the project lock (a search saving its
resume state does not), so the tests' writer does not take it either: the temporary file of a write still
running must survive ``--remove-leftovers`` all the same.
"""

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from sysrev import fileio
from sysrev.cli.main import cli
from sysrev.fileio import atomic_write_text, interrupted_write_target
from sysrev.interrupted_writes import find_leftovers

PAUSED_WRITER = textwrap.dedent("""
    import os, sys
    from sysrev.fileio import atomic_write_text
    rename = os.replace
    def paused(source, target):
        print(source, flush=True)  # the temporary file, complete and synced, not yet renamed
        sys.stdin.readline()
        rename(source, target)
    os.replace = paused
    atomic_write_text(sys.argv[1], sys.argv[2])
""")
NOT_SYSREV_FILES = [".notes.tmp", "x.tmp", ".review.toml.tmp", "review.toml.sysrev-abcd1234.tmp",
                    ".draft.20240101.tmp", ".review.toml.sysrev-abc123.tmp", ".review.toml.sysrev-ABCD1234.tmp"]


def _start_write(target, text):
    """A process writing ``text`` to ``target``, held before its rename; returns it and its temporary file."""
    writer = subprocess.Popen([sys.executable, "-c", PAUSED_WRITER, str(target), text], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = writer.stdout.readline().strip()
    assert line, writer.communicate(timeout=60)[1]
    return writer, target.parent / os.path.basename(line)


def _kill(writer):
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=60)
    assert writer.returncode == -signal.SIGKILL


def _check(root, *extra):
    return CliRunner().invoke(cli, ["check", "--project", str(root), *extra])


def test_a_write_killed_before_its_rename_is_listed_by_check_with_what_was_saved(project):
    target = project / "analysis" / "analyses.toml"
    saved = target.read_text(encoding="utf-8")
    target.chmod(0o664)
    writer, temp = _start_write(target, "half of a new file")
    _kill(writer)
    assert temp.is_file() and temp.name.startswith(".analyses.toml.") and temp.name.endswith(".tmp")
    assert stat.S_IMODE(temp.stat().st_mode) == 0o664  # not 0600: co-reviewers can check it too
    three_hours_ago = time.time() - 3 * 3600 - 120
    os.utime(temp, (three_hours_ago, three_hours_ago))

    result = _check(project)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if str(temp) in line]
    assert len(warnings) == 1, result.output
    warning = warnings[0]
    assert warning.startswith(f"warning: {temp}: ")
    assert f"a write of {target} that was interrupted" in warning
    assert "3 h ago" in warning
    assert "analyses.toml is unaffected: it holds its last completed write" in warning
    assert "can be deleted (`sysrev check --remove-leftovers`)" in warning
    assert target.read_text(encoding="utf-8") == saved
    assert temp.is_file()  # listing removes nothing


def test_a_killed_first_write_says_the_file_was_never_saved(project):
    target = project / "analysis" / "extraction" / "new-outcome.csv"
    writer, temp = _start_write(target, "study_id\n")
    _kill(writer)
    [leftover] = find_leftovers(project)
    assert (leftover.path, leftover.target) == (temp, target)
    assert "new-outcome.csv was never saved (the interrupted write was its first)" in leftover.describe()


def test_remove_leftovers_deletes_only_temporary_files_of_killed_writes(project):
    target = project / "review.toml"
    saved = target.read_text(encoding="utf-8")
    writer, temp = _start_write(target, "broken = ")
    _kill(writer)
    (project / "screening" / "notes").mkdir()
    for name in NOT_SYSREV_FILES:
        (project / name).write_text("a reviewer's own file\n", encoding="utf-8")
        (project / "screening" / "notes" / name).write_text("a reviewer's own file\n", encoding="utf-8")
    (project / ".results.json.sysrev-abcd1234.tmp").mkdir()  # a folder so named is no temporary file
    (project / ".review.toml.sysrev-link1234.tmp").symlink_to(target)  # nor is a link (to a saved file)

    result = _check(project, "--remove-leftovers")
    assert result.exit_code == 0, result.output
    removed = [line for line in result.output.splitlines() if line.startswith("removed")]
    assert removed == [f"removed {temp} (temporary file of an interrupted write of review.toml)"]
    assert "that was interrupted" not in result.output  # and no leftover is listed after the removal
    assert not temp.exists()
    assert target.read_text(encoding="utf-8") == saved
    for name in NOT_SYSREV_FILES:
        assert (project / name).read_text(encoding="utf-8") == "a reviewer's own file\n"
        assert (project / "screening" / "notes" / name).is_file()
    assert (project / ".results.json.sysrev-abcd1234.tmp").is_dir()
    assert (project / ".review.toml.sysrev-link1234.tmp").is_symlink()
    assert str(temp) not in _check(project).output


def test_the_temporary_file_of_a_write_in_progress_is_neither_listed_nor_removed(project):
    """The writer holds no project lock, as a search saving its resume state does not."""
    target = project / "searches" / "runs" / ".partial-pubmed" / "state.json"
    writer, temp = _start_write(target, '{"done": ["1"]}\n')
    try:
        assert temp.is_file()
        assert find_leftovers(project) == []
        result = _check(project, "--remove-leftovers")
        assert result.exit_code == 0, result.output
        assert "no temporary files of interrupted writes to remove" in result.output
        assert str(temp) not in result.output
        assert temp.is_file()
    finally:
        writer.communicate("go on\n", timeout=60)
    assert writer.returncode == 0
    assert target.read_text(encoding="utf-8") == '{"done": ["1"]}\n'
    assert not temp.exists()


def test_a_sweep_between_creating_and_locking_a_temporary_file_does_not_fail_the_write(tmp_path, monkeypatch):
    """The one moment a running write's file is not yet locked: the write makes another and completes."""
    created = []
    make = fileio.tempfile.mkstemp

    def swept_at_once(*args, **kwargs):
        fd, name = make(*args, **kwargs)
        created.append(name)
        if len(created) == 1:
            assert fileio.abandoned_temp(name, remove=True)  # a sweeper running at that very moment
        return fd, name

    monkeypatch.setattr(fileio.tempfile, "mkstemp", swept_at_once)
    target = atomic_write_text(tmp_path / "log.csv", "record_id\n")
    assert target.read_text(encoding="utf-8") == "record_id\n"
    assert len(created) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]


def test_status_counts_the_leftovers(project):
    writer, _ = _start_write(project / "review.toml", "x")
    _kill(writer)
    result = CliRunner().invoke(cli, ["status", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert "Interrupted writes: 1 temporary file left" in result.output
    assert "`sysrev check --remove-leftovers` deletes them" in result.output


@pytest.mark.parametrize("name", ["review.toml", "alice.csv", ".hidden", "a b.c.d", "名前 とても長い.csv",
                                  "x" * 200, "a.sysrev-abcd1234.tmp"])
def test_every_temporary_file_a_write_makes_is_recognised_as_one_with_its_target(tmp_path, monkeypatch, name):
    """The writer's names and the sweeper's pattern agree (tempfile's random part included)."""
    seen = []
    rename = os.replace
    monkeypatch.setattr(fileio.os, "replace", lambda source, target: (seen.append(source), rename(source, target)))
    atomic_write_text(tmp_path / name, "x")
    [temp] = seen
    assert os.path.dirname(temp) == str(tmp_path)
    assert interrupted_write_target(os.path.basename(temp)) == name


@pytest.mark.parametrize("name", NOT_SYSREV_FILES)
def test_other_names_are_not_temporary_files(name):
    assert interrupted_write_target(name) is None


@pytest.mark.skipif(shutil.which("git") is None, reason="the git program is not present on this machine")
def test_the_project_gitignore_keeps_leftovers_out_of_git(project):
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    leftover = ".prisma.json.sysrev-abcd1234.tmp"
    ignored = subprocess.run(["git", "-C", str(project), "check-ignore", "-q", f"analysis/results/{leftover}"])
    assert ignored.returncode == 0
    kept = subprocess.run(["git", "-C", str(project), "check-ignore", "-q", "analysis/.notes.tmp"])
    assert kept.returncode == 1
