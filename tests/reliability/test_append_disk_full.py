"""A decision log is appended to, not rewritten: a write that fails part-way (the disk full after the first
rows, an interrupt) must leave the log exactly as it was, never with half a row at its end — the error then
says that nothing already saved was changed, and that must be true."""

import errno
import os

import pytest

from sysrev import fileio
from sysrev.fileio import append_whole
from sysrev.screening.log import Decision, append_decisions


class DiskFullAfter:
    """``os.write`` that writes ``room`` bytes in all, then fails as a full disk (or with ``error``)."""

    def __init__(self, room: int, error: BaseException | None = None):
        self.room, self.error = room, error
        self.real = os.write

    def __call__(self, fd, data):
        if self.room <= 0:
            raise self.error or OSError(errno.ENOSPC, "No space left on device")
        written = self.real(fd, bytes(data[:self.room]))
        self.room -= written
        return written


@pytest.mark.parametrize("room", [0, 1, 7, 40])
@pytest.mark.parametrize("error", [None, KeyboardInterrupt()])
def test_a_failed_append_leaves_the_file_as_it_was(tmp_path, monkeypatch, room, error):
    path = tmp_path / "log.csv"
    path.write_bytes(b"header\nrow 1\n")
    monkeypatch.setattr(fileio.os, "write", DiskFullAfter(room, error))
    with pytest.raises(type(error) if error else OSError):
        append_whole(path, b"row 2 with enough bytes to be cut\nrow 3\n" * 3)
    assert path.read_bytes() == b"header\nrow 1\n"


def test_short_writes_are_continued_until_everything_is_written(tmp_path, monkeypatch):
    real = os.write
    monkeypatch.setattr(fileio.os, "write", lambda fd, data: real(fd, bytes(data[:3])))  # 3 bytes a call
    path = tmp_path / "log.csv"
    path.write_bytes(b"a\n")
    append_whole(path, b"row 2\nrow 3\n")
    assert path.read_bytes() == b"a\nrow 2\nrow 3\n"


def _decision(record_id):
    return Decision(record_id, "exclude", "", "alice", "2026-12-05T10:00:00Z", "")


@pytest.mark.parametrize("ends_a_line", [True, False])
def test_a_decision_log_keeps_its_rows_when_the_disk_fills_during_an_append(tmp_path, monkeypatch, ends_a_line):
    log = tmp_path / "alice.csv"
    append_decisions(log, [_decision("r01")])
    if not ends_a_line:  # a log saved by hand without its last line break gets one first: taken back too
        log.write_bytes(log.read_bytes().rstrip(b"\n"))
    before = log.read_bytes()
    monkeypatch.setattr(fileio.os, "write", DiskFullAfter(30))
    with pytest.raises(OSError) as err:
        append_decisions(log, [_decision(f"r{i:02d}") for i in range(2, 40)])
    assert err.value.errno == errno.ENOSPC
    assert log.read_bytes() == before
    monkeypatch.undo()
    append_decisions(log, [_decision("r02")])  # once there is room again, the log takes new rows as usual
    assert log.read_text(encoding="utf-8").splitlines()[-2:] == [
        "r01,exclude,,alice,2026-12-05T10:00:00Z", "r02,exclude,,alice,2026-12-05T10:00:00Z"]
