"""Atomic writes keep permissions: a project file stays readable by co-reviewers after sysrev rewrites it."""

import os
import stat

from sysrev.fileio import atomic_write_text


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_gets_the_umask_mode_not_the_private_temporary_mode(tmp_path):
    old = os.umask(0o022)
    try:
        target = atomic_write_text(tmp_path / "screening" / "alice.csv", "record_id\n")
    finally:
        os.umask(old)
    assert _mode(target) == 0o644
    assert target.read_text() == "record_id\n"


def test_rewritten_file_keeps_its_own_mode(tmp_path):
    target = tmp_path / "review.toml"
    target.write_text("old\n")
    target.chmod(0o664)
    atomic_write_text(target, "new\n")
    assert _mode(target) == 0o664
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["review.toml"]  # no temporary file left behind
