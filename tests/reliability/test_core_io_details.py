"""Atomic writes, the project lock and the leftovers of killed writes, in detail (mutation tests of core_io).

What a reviewer relies on, pinned exactly: a write that fails at any step leaves the old file byte for byte and
no temporary file; the data reaches the disk before the rename; permissions, encodings and line endings are as
:mod:`sysrev.fileio` documents; a second writer is refused with a message naming the lock file and the project,
and the lock is given back when the block fails; leftovers are told from writes in progress by their ``flock``.
"""

import errno
import fcntl
import hashlib
import os
import signal
import stat
import threading
import time
from pathlib import Path

import pytest

from sysrev import fileio, locking
from sysrev.errors import SysrevError
from sysrev.fileio import (
    abandoned_temp,
    atomic_write_bytes,
    atomic_write_json,
    atomic_write_text,
    bounded_file_name,
    interrupted_write_target,
    remove_stale_tmp_folders,
    spreadsheet_safe,
)
from sysrev.interrupted_writes import Leftover, find_leftovers, remove_leftovers
from sysrev.locking import lock_for_path, lock_path, project_lock, project_root_of

TEMP = ".analyses.toml.sysrev-abcd1234.tmp"  # named as atomic_write_bytes names its temporary files


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _names(folder) -> list:
    return sorted(p.name for p in Path(folder).iterdir())


@pytest.fixture
def saved(tmp_path):
    """A project file holding its last completed write."""
    target = tmp_path / "screening" / "alice.csv"
    target.parent.mkdir()
    target.write_bytes(b"record_id,decision\r\nr1,include\r\n")
    return target


def _fail(exc):
    def fail(*args, **kwargs):
        raise exc
    return fail


# --- sysrev.fileio: atomic writes ---------------------------------------------------------------------------

@pytest.mark.parametrize("step, exc", [
    ("chmod", OSError(errno.EPERM, "Operation not permitted")),
    ("fsync", OSError(errno.EIO, "Input/output error")),
    ("replace", OSError(errno.EXDEV, "Invalid cross-device link")),
    ("replace", KeyboardInterrupt()),  # Ctrl-C at the last moment: not an Exception, still cleaned up
])
def test_a_write_failing_at_any_step_leaves_the_old_file_and_no_temporary_file(saved, monkeypatch, step, exc):
    monkeypatch.setattr(fileio.os, step, _fail(exc))
    with pytest.raises(type(exc)):
        atomic_write_text(saved, "record_id,decision\r\nr1,exclude\r\nr2,include\r\n")
    monkeypatch.undo()
    assert saved.read_bytes() == b"record_id,decision\r\nr1,include\r\n"
    assert _names(saved.parent) == ["alice.csv"]


def test_data_that_cannot_be_written_leaves_the_old_file_and_no_temporary_file(saved):
    with pytest.raises(TypeError):
        atomic_write_bytes(saved, "text, not bytes")
    assert saved.read_bytes() == b"record_id,decision\r\nr1,include\r\n"
    assert _names(saved.parent) == ["alice.csv"]


def test_a_failed_first_write_leaves_no_file_at_all(tmp_path, monkeypatch):
    monkeypatch.setattr(fileio.os, "replace", _fail(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(OSError, match="No space left"):
        atomic_write_text(tmp_path / "new.csv", "record_id\n")
    monkeypatch.undo()
    assert _names(tmp_path) == []


def test_the_whole_content_is_on_disk_before_the_rename_and_the_file_is_locked_meanwhile(tmp_path, monkeypatch):
    """flush, then fsync of the temporary file, then the rename: a power cut after the rename cannot leave an
    empty or partial file. Until the rename, the temporary file is never taken for a leftover."""
    data = b"x" * 100_000
    events = []
    fsync, replace = os.fsync, os.replace

    def synced(fd):
        events.append(("fsync", os.fstat(fd).st_ino, os.fstat(fd).st_size))
        fsync(fd)

    def renamed(source, target):
        events.append(("replace", os.stat(source).st_ino, os.stat(source).st_size))
        assert not abandoned_temp(source) and not abandoned_temp(source, remove=True)
        assert os.path.exists(source)
        replace(source, target)

    monkeypatch.setattr(fileio.os, "fsync", synced)
    monkeypatch.setattr(fileio.os, "replace", renamed)
    target = atomic_write_bytes(tmp_path / "records.jsonl", data)
    (sync_event, sync_ino, sync_size), (replace_event, replace_ino, replace_size) = events
    assert (sync_event, replace_event) == ("fsync", "replace")
    assert sync_ino == replace_ino  # the temporary file itself was synced
    assert sync_size == replace_size == len(data)  # flushed before the sync
    assert target.read_bytes() == data


def test_parent_folders_are_made_and_the_path_is_returned(tmp_path):
    target = atomic_write_bytes(str(tmp_path / "analysis" / "results" / "pain" / "pooled.json"), b"{}\n")
    assert target == tmp_path / "analysis" / "results" / "pain" / "pooled.json" and isinstance(target, Path)
    assert target.read_bytes() == b"{}\n"
    again = atomic_write_bytes(target, b"[]\n")  # the folders exist now
    assert again == target and target.read_bytes() == b"[]\n"


def test_a_new_file_follows_the_umask_and_the_umask_is_left_as_it_was(tmp_path):
    old = os.umask(0o027)
    try:
        target = atomic_write_text(tmp_path / "log.csv", "record_id\n")
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(old)
    assert _mode(target) == 0o640


def test_a_rewritten_file_keeps_its_special_bits(tmp_path):
    target = tmp_path / "run.sh"
    target.write_text("old\n")
    target.chmod(0o2750)
    atomic_write_text(target, "new\n")
    assert _mode(target) == 0o2750


def test_text_is_written_in_the_encoding_asked_for_with_its_line_endings_untouched(tmp_path):
    assert atomic_write_text(tmp_path / "a.txt", "café\r\nnaïve\n").read_bytes() == \
        b"caf\xc3\xa9\r\nna\xc3\xafve\n"
    assert atomic_write_text(tmp_path / "b.txt", "café\r\n", encoding="latin-1").read_bytes() == b"caf\xe9\r\n"
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(tmp_path / "c.txt", "漢字", encoding="ascii")
    assert _names(tmp_path) == ["a.txt", "b.txt"]


def test_json_is_indented_key_sorted_utf8_with_a_final_newline(tmp_path):
    target = atomic_write_json(tmp_path / "r.json", {"b": 1, "a": ["é", {"d": None, "c": 2.5}]})
    assert target.read_bytes() == ('{\n  "a": [\n    "é",\n    {\n      "c": 2.5,\n      "d": null\n    }\n'
                                   '  ],\n  "b": 1\n}\n').encode()


# --- sysrev.fileio: the names and locks of temporary files --------------------------------------------------

@pytest.mark.parametrize("name, target", [
    (".review.toml.sysrev-abcd1234.tmp", "review.toml"),
    (".a\nb.csv.sysrev-ab_d1234.tmp", "a\nb.csv"),  # a line break is a legal character of a file name
    (".x.sysrev-12345678.tmp.sysrev-abcdefgh.tmp", "x.sysrev-12345678.tmp"),
    (".review.toml.sysrev-abcd12345.tmp", None),  # nine characters: not tempfile's
    (".review.toml.sysrev-abcd1234.tmp.bak", None),
    ("x.review.toml.sysrev-abcd1234.tmp", None),
])
def test_temporary_names_are_read_exactly(name, target):
    assert interrupted_write_target(name) == target


def test_a_temporary_file_nobody_holds_is_abandoned_and_removed_only_when_asked(tmp_path):
    temp = tmp_path / TEMP
    temp.write_text("half")
    assert abandoned_temp(temp) is True
    assert temp.read_text() == "half"
    fd = os.open(temp, os.O_RDONLY)  # checking it left no lock behind
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)
    assert abandoned_temp(str(temp), remove=True) is True
    assert not temp.exists()
    assert abandoned_temp(temp, remove=True) is False  # gone


def test_a_temporary_file_a_writer_holds_is_in_use_and_kept(tmp_path):
    temp = tmp_path / TEMP
    temp.write_text("complete")
    fd = os.open(temp, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert abandoned_temp(temp) is False
        assert abandoned_temp(temp, remove=True) is False
        assert temp.read_text() == "complete"
    finally:
        os.close(fd)
    assert abandoned_temp(temp) is True  # the writer died: the operating system dropped its lock


def test_a_link_named_as_a_temporary_file_is_never_followed_or_removed(tmp_path):
    saved = tmp_path / "analyses.toml"
    saved.write_text("kept\n")
    link = tmp_path / TEMP
    link.symlink_to(saved)
    assert abandoned_temp(link, remove=True) is False
    assert link.is_symlink() and saved.read_text() == "kept\n"


def test_a_link_named_as_a_temporary_file_is_not_even_opened(tmp_path):
    """Following it could open anything: a named pipe would hold the check (and `sysrev check`) forever."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    link = tmp_path / TEMP
    link.symlink_to(pipe)
    answers = []
    checker = threading.Thread(target=lambda: answers.append(abandoned_temp(link, remove=True)), daemon=True)
    checker.start()
    checker.join(5)
    blocked = checker.is_alive()
    if blocked:  # opening the pipe: let it go, so that the failure does not hang the tests
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        checker.join(5)
    assert not blocked and answers == [False]
    assert link.is_symlink()


def test_a_name_that_leads_to_another_file_meanwhile_is_not_removed(tmp_path, monkeypatch):
    """The write finished between the open and the lock, and a new write's file now has the name."""
    temp = tmp_path / TEMP
    temp.write_text("old leftover")
    newer = tmp_path / "newer"
    newer.write_text("a new write's file")
    try_flock = fileio._try_flock

    def renamed_meanwhile(fd, operation):
        os.replace(newer, temp)
        return try_flock(fd, operation)

    monkeypatch.setattr(fileio, "_try_flock", renamed_meanwhile)
    assert abandoned_temp(temp, remove=True) is False
    assert temp.read_text() == "a new write's file"


@pytest.mark.parametrize("meanwhile", ["finished", "linked"])
def test_a_name_gone_or_made_a_link_meanwhile_is_not_removed(tmp_path, monkeypatch, meanwhile):
    """Between the open and the lock the write finished (its temporary name is gone), or the name was made a
    link to the very file: neither is a leftover to delete."""
    temp = tmp_path / TEMP
    temp.write_text("complete")
    moved = tmp_path / "analyses.toml"
    try_flock = fileio._try_flock

    def changed_meanwhile(fd, operation):
        os.replace(temp, moved)
        if meanwhile == "linked":
            temp.symlink_to(moved)
        return try_flock(fd, operation)

    monkeypatch.setattr(fileio, "_try_flock", changed_meanwhile)
    assert abandoned_temp(temp, remove=True) is False
    assert moved.read_text() == "complete"
    assert temp.is_symlink() == (meanwhile == "linked")


def test_stale_folders_are_removed_and_nothing_else(tmp_path):
    for name in (".tmp-b", ".tmp-a", "runs", ".tmp-c/inner"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "records.jsonl").write_text("{")
    (tmp_path / ".tmp-file").write_text("a file")
    (tmp_path / ".tmp-link").symlink_to(tmp_path / "runs")
    (tmp_path / ".partial-x").mkdir()
    removed = remove_stale_tmp_folders(tmp_path)
    assert removed == [tmp_path / ".tmp-a", tmp_path / ".tmp-b", tmp_path / ".tmp-c"]
    assert _names(tmp_path) == [".partial-x", ".tmp-file", ".tmp-link", "runs"]
    assert (tmp_path / "runs" / "records.jsonl").is_file()
    assert remove_stale_tmp_folders(tmp_path, ".partial-*") == [tmp_path / ".partial-x"]
    assert remove_stale_tmp_folders(tmp_path / "absent") == []


def test_a_stale_folder_that_cannot_be_removed_entirely_does_not_stop_the_sweep(tmp_path, monkeypatch):
    for name in (".tmp-a", ".tmp-b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "records.jsonl").write_text("{")
    (tmp_path / ".tmp-a" / "stuck").write_text("held by another program")
    unlink = os.unlink

    def refusing(path, *args, **kwargs):
        if os.fspath(path).endswith("stuck"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", refusing)
    removed = remove_stale_tmp_folders(tmp_path)
    monkeypatch.undo()
    assert removed == [tmp_path / ".tmp-a", tmp_path / ".tmp-b"]
    assert _names(tmp_path) == [".tmp-a"] and _names(tmp_path / ".tmp-a") == ["stuck"]


# --- sysrev.fileio: file names and spreadsheet cells --------------------------------------------------------

def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def test_a_name_that_fits_is_kept_and_a_longer_one_is_cut_with_a_digest_of_the_whole():
    assert bounded_file_name("a" * 120) == "a" * 120
    long = "a" * 121
    assert bounded_file_name(long) == "a" * 109 + "-" + _digest(long)
    assert len(bounded_file_name(long).encode()) == 120
    assert bounded_file_name("b" * 300) != bounded_file_name("b" * 301)
    assert bounded_file_name("abcdefghijklmnopqrstuvwxyz", max_bytes=20) == "abcdefghi-" + _digest(
        "abcdefghijklmnopqrstuvwxyz")
    assert bounded_file_name("abcdefghijklmnopqrst", max_bytes=20) == "abcdefghijklmnopqrst"


def test_a_cut_never_splits_a_character_or_ends_in_a_space_dot_or_dash():
    cjk = "痛" * 50  # 150 bytes
    assert bounded_file_name(cjk) == "痛" * 36 + "-" + _digest(cjk)  # 108 of the 109 bytes: whole characters
    spaced = "x" * 106 + " -. tail of the title that does not fit"
    assert bounded_file_name(spaced) == "x" * 106 + "-" + _digest(spaced)
    assert bounded_file_name("XA" * 70) == ("XA" * 55)[:109] + "-" + _digest("XA" * 70)  # only those three


@pytest.mark.parametrize("cell, shown", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("-", "'-"), ("+", "'+"), ("-1e", "'-1e"), ("-1-1", "'-1-1"),
    ("-0.5", "-0.5"), ("+3", "+3"), ("-.5", "-.5"), ("-5.", "-5."), ("-1E5", "-1E5"), ("+1e-5", "+1e-5"),
    ("-2.5e+10", "-2.5e+10"), ("1=1", "1=1"), ("a-b", "a-b"), ("", ""), (None, ""), (-3, "-3"), (0.25, "0.25"),
])
def test_cells_a_spreadsheet_would_run_are_marked_as_text_and_numbers_are_not(cell, shown):
    assert spreadsheet_safe(cell) == shown


# --- sysrev.locking ------------------------------------------------------------------------------------------

def _project(tmp_path, name="review") -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / "review.toml").write_text('[review]\ntitle = "t"\nquestion = "q"\n', encoding="utf-8")
    return root


class _Holder:
    """Another writer (a thread: the lock excludes threads as it excludes processes) holding ``root``'s lock
    until ``release()``; ``after`` seconds, when given, it lets go by itself."""

    def __init__(self, root, after=None):
        self.held, self.done = threading.Event(), threading.Event()
        self.after = after
        self.thread = threading.Thread(target=self._hold, args=(root,))
        self.thread.start()
        assert self.held.wait(30)

    def _hold(self, root):
        with project_lock(root):
            self.held.set()
            self.done.wait(self.after if self.after is not None else 30)

    def release(self):
        self.done.set()
        self.thread.join(30)


def test_a_second_writer_is_refused_naming_the_lock_and_the_project_and_runs_nothing(tmp_path, capsys):
    root = _project(tmp_path)
    holder = _Holder(root)
    ran = []
    try:
        with pytest.raises(SysrevError) as refused:
            with project_lock(root, timeout=0.3):
                ran.append("block")
    finally:
        holder.release()
    assert ran == []
    lock = root / ".sysrev" / "lock"
    assert str(refused.value) == (f"{root}: another sysrev process has held the project lock ({lock}) for over "
                                  "0.3 s; nothing was written (try again when it has finished)")
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
    assert capsys.readouterr().err == (f"waiting for the project lock {lock} (another sysrev command is writing "
                                       f"to {root}) …\n")


def test_the_wait_is_the_timeout_in_all_with_the_notice_after_one_second(tmp_path, monkeypatch):
    """The first second is waited silently, the rest after the notice; never longer than the limit in all."""
    root = _project(tmp_path)
    waits = []
    lock = locking._lock_for(root)

    class Recording:
        def acquire(self, timeout):
            waits.append(timeout)
            return lock.acquire(timeout=0)

        def release(self):
            lock.release()

    holder = _Holder(root)
    monkeypatch.setattr(locking, "_lock_for", lambda _root: Recording())
    try:
        for limit in (2.5, 0.4, 0):
            with pytest.raises(SysrevError, match=f"for over {limit:g} s"):
                with project_lock(root, timeout=limit):
                    pass
        monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "7")
        with pytest.raises(SysrevError, match="for over 7 s"):
            with project_lock(root):
                pass
    finally:
        holder.release()
    assert waits == [1.0, 1.5, 0.4, 0.0, 0.0, 0.0, 1.0, 6.0]


@pytest.mark.parametrize("freed_after, notices", [(0.2, 0), (1.6, 1)])
def test_a_lock_freed_while_waiting_is_taken_and_the_notice_said_at_most_once(tmp_path, capsys, freed_after,
                                                                             notices):
    # freed within the first second: no notice; freed after it: the notice once, not again while waiting
    root = _project(tmp_path)
    holder = _Holder(root, after=freed_after)
    ran = []
    with project_lock(root, timeout=20):
        ran.append("block")
    holder.release()
    assert ran == ["block"]
    err = capsys.readouterr().err
    assert err.count("waiting for the project lock") == notices and (notices or err == "")


def test_the_lock_of_a_killed_process_is_free_at_once(tmp_path, lock_held_by_another_process):
    """A stale lock: the holder was killed (SIGKILL: no clean-up ran) and its lock file is still there; the
    operating system released its lock, so the next command takes it without waiting."""
    root = _project(tmp_path)
    with lock_held_by_another_process(root) as holder:
        with pytest.raises(SysrevError, match="held the project lock"):
            with project_lock(root, timeout=0.1):
                pass
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=60)
        assert holder.returncode == -signal.SIGKILL
        assert lock_path(root).is_file()
        started = time.monotonic()
        with project_lock(root, timeout=30):
            waited = time.monotonic() - started
    assert waited < 1.0  # taken at once: no wait for a timeout


def test_the_lock_is_given_back_when_the_block_fails(tmp_path):
    root = _project(tmp_path)
    with pytest.raises(ValueError, match="a bad row"):
        with project_lock(root):
            raise ValueError("a bad row")
    taken = []

    def other():
        with project_lock(root, timeout=5):
            taken.append("other")

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(30)
    assert taken == ["other"]


def test_the_timeout_comes_from_the_environment_or_is_ten_minutes(monkeypatch):
    monkeypatch.delenv("SYSREV_LOCK_TIMEOUT", raising=False)
    assert locking._timeout() == 600.0
    for blank in ("", "  "):
        monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", blank)
        assert locking._timeout() == 600.0
    monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", " 2.5 ")
    assert locking._timeout() == 2.5
    monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "ten")
    with pytest.raises(SysrevError) as refused:
        locking._timeout()
    assert str(refused.value) == "SYSREV_LOCK_TIMEOUT='ten' is not a number of seconds"
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_a_bad_timeout_setting_is_refused_before_anything_runs(tmp_path, monkeypatch):
    root = _project(tmp_path)
    monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "soon")
    ran = []
    with pytest.raises(SysrevError, match="SYSREV_LOCK_TIMEOUT='soon' is not a number of seconds"):
        with project_lock(root):
            ran.append("block")
    assert ran == []
    with project_lock(root, timeout=1):  # an explicit timeout does not read the setting
        ran.append("block")
    assert ran == ["block"]


def test_the_lock_folder_has_the_projects_permissions_and_hides_itself_from_git(tmp_path):
    root = _project(tmp_path)
    root.chmod(0o750)
    with project_lock(root):
        pass
    folder = root / ".sysrev"
    assert _mode(folder) == 0o750
    assert (folder / ".gitignore").read_text(encoding="utf-8") == "# sysrev's lock and caches; never committed\n*\n"
    assert lock_path(root) == folder / "lock" and lock_path(str(root)) == folder / "lock"
    assert _mode(folder / "lock") == 0o666  # co-reviewers under other accounts open it too


def test_a_gitignore_the_team_wrote_in_the_lock_folder_is_kept(tmp_path):
    root = _project(tmp_path)
    (root / ".sysrev").mkdir()
    (root / ".sysrev" / ".gitignore").write_text("lock\n", encoding="utf-8")
    with project_lock(root):
        pass
    assert (root / ".sysrev" / ".gitignore").read_text(encoding="utf-8") == "lock\n"


def test_a_lock_folder_that_cannot_be_made_is_a_clear_error(tmp_path, monkeypatch):
    root = _project(tmp_path)
    (root / ".sysrev").write_text("not a folder")
    with pytest.raises(SysrevError) as refused:
        with project_lock(root):
            pass
    assert str(refused.value) == f"{root / '.sysrev'}: cannot create the project lock folder (File exists)"
    assert refused.value.__cause__ is None and refused.value.__suppress_context__

    other = _project(tmp_path, "shared")
    monkeypatch.setattr(Path, "mkdir", _fail(PermissionError(errno.EACCES, "Permission denied")))
    with pytest.raises(SysrevError) as refused:
        with project_lock(other):
            pass
    assert str(refused.value) == (f"{other / '.sysrev'}: cannot create the project lock folder (Permission "
                                  "denied); a project must be writable to be changed")
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_a_path_belongs_to_the_nearest_project_above_it(tmp_path):
    outer = _project(tmp_path)
    inner = outer / "substudy"
    inner.mkdir()
    (inner / "review.toml").write_text("[review]\n", encoding="utf-8")
    (outer / "analysis" / "review.toml").mkdir(parents=True)  # a folder so named marks no project
    assert project_root_of(outer / "analysis" / "results" / "new.json") == outer
    assert project_root_of(outer) == outer
    assert project_root_of(inner / "screening" / "log.csv") == inner
    loose = tmp_path / "loose"
    loose.mkdir()
    assert project_root_of(loose / "not" / "yet" / "made.csv") == loose
    assert project_root_of(loose) == loose


def test_a_path_is_written_under_its_projects_lock(tmp_path):
    root = _project(tmp_path)
    refused = []

    def other():
        try:
            with project_lock(root, timeout=0.2):
                pass
        except SysrevError:
            refused.append(True)

    with lock_for_path(root / "screening" / "log.csv", timeout=1):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(30)
    assert refused == [True]


# --- sysrev.interrupted_writes -------------------------------------------------------------------------------

@pytest.mark.parametrize("age, text", [
    (0.0, "0 s"), (59.9, "59 s"), (60, "1 min"), (3599, "59 min"), (3600, "1 h"), (86399, "23 h"),
    (86400, "1 day"), (172799, "1 day"), (172800, "2 days"), (10 * 86400, "10 days"),
])
def test_a_leftover_is_described_with_its_age_and_what_was_saved(tmp_path, age, text):
    target = tmp_path / "alice.csv"
    leftover = Leftover(tmp_path / ".alice.csv.sysrev-abcd1234.tmp", target, age)
    assert leftover.describe() == (
        f"{leftover.path}: temporary file of a write of {target} that was interrupted (the process was killed or "
        f"the computer stopped) {text} ago and never completed; alice.csv was never saved (the interrupted write "
        "was its first). It can be deleted (`sysrev check --remove-leftovers`)")
    target.write_text("saved")
    assert f"{text} ago and never completed; alice.csv is unaffected: it holds its last completed write. It " \
           "can be deleted" in leftover.describe()


def test_leftovers_are_found_in_order_with_their_age_and_nothing_else(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "z").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    old = tmp_path / "b" / ".log.csv.sysrev-abcd1234.tmp"
    future = tmp_path / "a" / "z" / ".r.json.sysrev-zzzz9999.tmp"
    second = tmp_path / "b" / ".a.csv.sysrev-abcd1234.tmp"
    for path in (old, future, second, tmp_path / ".git" / ".HEAD.sysrev-abcd1234.tmp"):
        path.write_text("half")
    os.utime(old, (time.time() - 100, time.time() - 100))
    os.utime(future, (time.time() + 3600, time.time() + 3600))  # a clock set wrong: no negative age
    (tmp_path / "a" / ".dir.sysrev-abcd1234.tmp").mkdir()
    (tmp_path / "a" / ".link.sysrev-abcd1234.tmp").symlink_to(old)
    (tmp_path / "a" / ".notes.tmp").write_text("own")
    busy = tmp_path / "a" / ".busy.csv.sysrev-abcd1234.tmp"
    busy.write_text("in progress")
    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        found = find_leftovers(tmp_path)
    finally:
        os.close(fd)
    assert [(f.path, f.target) for f in found] == [
        (future, tmp_path / "a" / "z" / "r.json"),
        (second, tmp_path / "b" / "a.csv"),
        (old, tmp_path / "b" / "log.csv"),
    ]
    assert found[0].age == 0.0
    assert found[1].age < 100 <= found[2].age < 160


def test_a_named_pipe_named_as_a_temporary_file_is_left_out_unopened(tmp_path):
    """Opening it would hold `sysrev check` until some program writes to it."""
    os.mkfifo(tmp_path / TEMP)
    found = []
    lister = threading.Thread(target=lambda: found.append(find_leftovers(tmp_path)), daemon=True)
    lister.start()
    lister.join(5)
    blocked = lister.is_alive()
    if blocked:  # opening the pipe: let it go, so that the failure does not hang the tests
        os.close(os.open(tmp_path / TEMP, os.O_WRONLY | os.O_NONBLOCK))
        lister.join(5)
    assert not blocked and found == [[]]


def test_a_leftover_removed_by_someone_else_while_listed_is_left_out(tmp_path, monkeypatch):
    first, gone, last = (tmp_path / f".{name}.csv.sysrev-abcd1234.tmp" for name in ("a", "b", "c"))
    for path in (first, gone, last):
        path.write_text("half")
    stat_of = Path.stat
    calls = []

    def removed_before_its_age_is_read(self, *args, **kwargs):
        if self == gone and kwargs.get("follow_symlinks", True):  # not is_symlink()'s lstat
            calls.append(self)
            if len(calls) == 2:  # after is_file(), before the age
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(self))
        return stat_of(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", removed_before_its_age_is_read)
    found = find_leftovers(tmp_path)
    monkeypatch.undo()
    assert len(calls) == 2
    assert [f.path for f in found] == [first, last]


def test_remove_leftovers_deletes_under_the_project_lock_and_returns_what_it_deleted(tmp_path, monkeypatch):
    root = _project(tmp_path)
    leftover = root / TEMP
    leftover.write_text("half")
    busy = root / ".review.toml.sysrev-abcd1234.tmp"
    busy.write_text("in progress")
    holder = _Holder(root)
    monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "0.2")
    try:
        with pytest.raises(SysrevError, match="held the project lock"):
            remove_leftovers(root)
    finally:
        holder.release()
    assert leftover.is_file()
    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        removed = remove_leftovers(root)
    finally:
        os.close(fd)
    assert [(r.path, r.target) for r in removed] == [(leftover, root / "analyses.toml")]
    assert not leftover.exists() and busy.is_file()
