"""A write refused by the machine (a read-only folder, a full disk) names the file the command was writing.

Every file is written through a temporary sibling (``.NAME.sysrev-XXXXXXXX.tmp``) and renamed into place, so
the operating system's error names that temporary file, which the team never asked for and cannot find
afterwards. The message names the file being written instead. (Seen on a read-only mount: `sysrev screen
report` said ``error: …/screening/.report.html.sysrev-7tu0x7jc.tmp: Read-only file system``; `sysrev prisma
--out` wrote through a temporary file of its own, ``.x.svg.tmp.svg``, which `sysrev check --remove-leftovers`
did not know.)
"""

import errno
import os

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.fileio import append_whole, atomic_write_bytes


@pytest.fixture
def read_only_writes(monkeypatch):
    """Every temporary file sysrev tries to create is refused as on a read-only file system."""
    def refuse(prefix="", suffix="", dir=None, **_):
        raise OSError(errno.EROFS, "Read-only file system", os.path.join(dir, f"{prefix}k3x9q2ab{suffix}"))

    monkeypatch.setattr("sysrev.fileio.tempfile.mkstemp", refuse)


def test_screen_report_names_the_report(make_project, read_only_writes):
    project = make_project({"title_abstract/alice.csv": "record_id,decision,reason,reviewer,timestamp\n"})
    result = CliRunner().invoke(cli, ["screen", "report", "--project", str(project.root)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {project.root / 'screening' / 'report.html'}: Read-only file system\n"


def test_prisma_out_writes_like_every_other_file_and_names_the_diagram(make_project, read_only_writes, tmp_path):
    project = make_project()
    target = tmp_path / "figures" / "prisma.svg"
    result = CliRunner().invoke(cli, ["prisma", "--out", str(target), "--project", str(project.root)])
    assert result.exit_code == 2
    assert result.stderr.endswith(f"error: {target}: Read-only file system\n")
    assert list(target.parent.iterdir()) == []  # nothing half-written, no leftover of its own


def test_a_full_disk_names_the_file_and_says_nothing_saved_changed(make_project, monkeypatch):
    project = make_project({"title_abstract/alice.csv": "record_id,decision,reason,reviewer,timestamp\n"})

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sysrev.fileio.os.fsync", lambda fd: full(fd, b""))
    result = CliRunner().invoke(cli, ["screen", "report", "--project", str(project.root)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {project.root / 'screening' / 'report.html'}: No space left on device "
                                    "(free some space and run the command again")
    assert not (project.root / "screening" / "report.html").exists()
    assert [p.name for p in (project.root / "screening").iterdir() if p.name.startswith(".")] == []


def test_an_append_that_meets_a_full_disk_names_the_log_and_leaves_it_as_it_was(tmp_path, monkeypatch):
    log = tmp_path / "alice.csv"
    log.write_bytes(b"record_id,decision\n")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sysrev.fileio.os.write", full)
    with pytest.raises(OSError) as refused:
        append_whole(log, b"r01,include\n")
    assert (refused.value.errno, refused.value.filename) == (errno.ENOSPC, str(log))
    assert log.read_bytes() == b"record_id,decision\n"


def test_a_failed_write_whose_temporary_file_is_already_gone_reports_the_failure(tmp_path, monkeypatch):
    """A leftover sweep (`sysrev check --remove-leftovers`) may delete the temporary file while the write fails:
    the error the team sees is still the write's own (a full disk), not the clean-up's "no such file"."""
    target = tmp_path / "report.html"

    def full_after_the_sweep(fd):
        for leftover in tmp_path.glob(".report.html.sysrev-*.tmp"):
            leftover.unlink()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sysrev.fileio.os.fsync", full_after_the_sweep)
    with pytest.raises(OSError) as refused:
        atomic_write_bytes(target, b"<html></html>")
    assert (refused.value.errno, refused.value.filename) == (errno.ENOSPC, str(target))
    assert list(tmp_path.iterdir()) == []
