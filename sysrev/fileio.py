"""Crash-safe file writing shared by every stage.

A review's files are its record of what was done, so nothing is ever half-written: content goes to a
temporary file in the same folder, is flushed to disk, and only then renamed over the target (an atomic
operation on POSIX file systems). A crash leaves either the old file or the new one, never a mixture.
The new file gets the old one's permissions, or the usual ones for a new file (0666 less the umask), not the
private 0600 of a temporary file, so co-reviewers on a shared machine can still read the project; the
temporary file has them from the start.

A write killed between creating its temporary file and the rename (SIGKILL, out of memory, power loss) leaves
that file behind: ``.NAME.sysrev-XXXXXXXX.tmp`` beside ``NAME``, which is untouched. The name pattern is
defined here once, for the writer and for :mod:`sysrev.interrupted_writes`, which finds and removes such
leftovers. While a write is in flight its temporary file carries an exclusive ``flock``, which the operating
system drops when the writer dies; so a leftover is told from a write in progress by trying that lock, even
for writers that do not hold the project lock (a search saving its resume state, the web RoB 2 form).
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: without flock no temporary file is taken for abandoned
    fcntl = None

_TEMP_MARK = ".sysrev-"  # between the target's name and the random part: no hand-made file is named so
_TEMP_SUFFIX = ".tmp"
# tempfile.mkstemp's random part is 8 of [a-z0-9_]; tests/reliability/test_interrupted_writes.py checks that
# the names of real writes match
_TEMP_NAME = re.compile(rf"\.(?P<target>.+){re.escape(_TEMP_MARK)}[a-z0-9_]{{8}}{re.escape(_TEMP_SUFFIX)}",
                        re.DOTALL)


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _claimed_temp(path)
    try:
        with _named(path), os.fdopen(fd, "wb") as fh:  # the flock on fd lasts until the rename is done
            os.chmod(tmp, _mode_for(path))  # first: a co-reviewer can open (and so check) a leftover of ours
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextlib.contextmanager
def _named(path: Path):
    """Give an operating-system error that names no file (a full disk found by ``write`` or ``fsync``) the
    file being written, so that the message says which one."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc


def interrupted_write_target(file_name: str) -> str | None:
    """The name of the file whose atomic write left the temporary file ``file_name``, or None when
    ``file_name`` is not named as :func:`atomic_write_bytes` names its temporary files."""
    match = _TEMP_NAME.fullmatch(file_name)
    return match["target"] if match else None


def abandoned_temp(temp, *, remove: bool = False) -> bool:
    """Whether ``temp`` (a regular file named by :func:`interrupted_write_target`) is left by a killed write
    rather than in use by a running one; with ``remove``, also delete it then.

    A running write holds the file's ``flock`` until its rename; a killed one held it no more. A file that
    cannot be locked here (a file system without locks) counts as in use: nothing is deleted on a guess.
    """
    try:
        fd = os.open(temp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:  # gone (renamed into place meanwhile), a symbolic link, or unreadable
        return False
    try:
        if fcntl is None or not _try_flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB):
            return False
        if not _same_file(temp, fd):  # the write finished meanwhile: the name is gone or names another file
            return False
        if remove:
            os.unlink(temp)
        return True
    finally:
        os.close(fd)


def _claimed_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, open and flock'ed (see the module docstring): ``(fd, name)``.

    Between its creation and the lock, a sweeper could take the file for a leftover and delete it; the name
    then no longer leads to the open file, and another one is made.
    """
    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{_TEMP_MARK}", suffix=_TEMP_SUFFIX, dir=path.parent)
        if fcntl is None or not _try_flock(fd, fcntl.LOCK_EX) or _same_file(tmp, fd):
            return fd, tmp
        os.close(fd)


def _try_flock(fd: int, operation: int) -> bool:
    """``flock(fd, operation)``; False when the lock is held elsewhere or the file system has no locks."""
    try:
        fcntl.flock(fd, operation)
    except OSError:
        return False
    return True


def _same_file(name, fd: int) -> bool:
    """Whether ``name`` still leads to the file open as ``fd``."""
    try:
        here = os.stat(name, follow_symlinks=False)
    except OSError:
        return False
    opened = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (opened.st_dev, opened.st_ino)


def _mode_for(path: Path) -> int:
    """The permission bits the file at ``path`` has, or a new file would get under the current umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_json(path, obj) -> Path:
    """Write ``obj`` as indented, key-sorted JSON with a final newline, atomically."""
    return atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def append_whole(path, data: bytes) -> None:
    """Add ``data`` at the end of the existing file ``path``, all of it or none of it, and fsync it.

    An append-only file (a decision log) is not rewritten through a temporary file, so a write that fails
    part-way — the disk full after the first rows, an interrupt — would otherwise leave half a row at its end.
    Then the file is cut back to its old length before the error goes on: what was saved stays as it was.
    """
    fd = os.open(path, os.O_RDWR)
    try:
        end = os.lseek(fd, 0, os.SEEK_END)
        try:
            with _named(Path(path)):
                written = 0
                while written < len(data):
                    written += os.write(fd, data[written:])
                os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, end)
            os.fsync(fd)
            raise
    finally:
        os.close(fd)


def remove_stale_tmp_folders(parent, pattern: str = ".tmp-*") -> list[Path]:
    """Delete the hidden temporary folders matching ``pattern`` (a glob) directly in ``parent`` that a killed
    folder write (a search-run snapshot, a release) left behind; return them.

    Such a write builds its folder as ``<parent>/.tmp-…`` and renames it into place when complete; killed in
    between, the ``.tmp-…`` folder stays. Call only under the project lock, and only for folders whose every
    writer holds it while its ``.tmp-…`` folder exists: then none matching is in use. Symbolic links and files
    are never touched.
    """
    removed = []
    for child in sorted(Path(parent).glob(pattern)):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def bounded_file_name(name: str, max_bytes: int = 120) -> str:
    """``name`` when its UTF-8 form fits in ``max_bytes``, else its longest prefix that fits with room for
    ``-`` and 10 hex digits of the SHA-256 of the whole name, so distinct long names stay distinct.

    A file name may hold at most 255 bytes on common file systems (ENAMETOOLONG beyond); 100 CJK characters
    are 300 bytes. Callers keep the full name inside the file.
    """
    encoded = name.encode("utf-8")
    if len(encoded) <= max_bytes:
        return name
    digest = hashlib.sha256(encoded).hexdigest()[:10]
    head = encoded[: max_bytes - len(digest) - 1].decode("utf-8", errors="ignore").rstrip(" .-")
    return f"{head}-{digest}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(cell) -> str:
    """``cell`` as text that a spreadsheet opening the CSV shows as written instead of evaluating.

    Excel, LibreOffice and Google Sheets run a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or
    carriage return before one) as a formula ("CSV injection"): an ID such as ``=1+1`` becomes 2, and a
    crafted one can call out to other programs. Such a cell gets a leading ``'``, the spreadsheets' own
    "this is text" mark; plain numbers (``-0.5``) are left alone.
    """
    text = "" if cell is None else str(cell)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
