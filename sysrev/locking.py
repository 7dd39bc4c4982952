"""The project lock: one inter-process lock per review project, kept inside the project it protects.

Every command that rewrites a project's state (a search-run snapshot, ``records/``, a decision log, an
extraction table, a RoB 2 form, analysis results) runs its read-modify-write under this lock::

    from sysrev.locking import project_lock

    with project_lock(project.root):
        ...read the inputs, compute, write atomically...

Why a file inside the project: a lock in the system temp folder is a different file for two processes with
different ``TMPDIR`` values (per-user temp folders, a project on a shared or network drive), so they did not
exclude each other and decision-log rows were lost. The lock file is ``<project>/.sysrev/lock``; the
``.sysrev/`` folder carries its own ``.gitignore`` (``*``) so git never sees it, and the lock file is made
readable and writable by everyone who can reach the folder (``0666``), so co-reviewers sharing a project
folder under different user accounts take the same lock.

The lock is re-entrant inside one thread (a command that holds it may call a library function that takes it
again) and excludes other threads and processes. A process that waits says so once on stderr and gives up
after ``SYSREV_LOCK_TIMEOUT`` seconds (default 600) with a :class:`~sysrev.errors.SysrevError` — nothing is
written then. The operating system releases the lock of a killed process, so a crash never leaves a project
locked.
"""

import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from sysrev.errors import SysrevError

LOCK_DIR = ".sysrev"
LOCK_NAME = "lock"
PROJECT_MARKER = "review.toml"
DEFAULT_TIMEOUT = 600.0
_NOTICE_AFTER = 1.0  # seconds of waiting before the "waiting for the lock" line

_locks: dict[str, FileLock] = {}
_locks_guard = threading.Lock()


def lock_path(root) -> Path:
    """The lock file of the project (or folder) ``root``: ``<root>/.sysrev/lock``."""
    return Path(root) / LOCK_DIR / LOCK_NAME


@contextmanager
def project_lock(root, *, timeout: float | None = None):
    """Hold the lock of the project at ``root`` for the ``with`` block (see the module docstring).

    ``timeout`` is in seconds (default: ``SYSREV_LOCK_TIMEOUT`` or 600); on expiry a :class:`SysrevError`
    names the lock file and nothing inside the block has run.
    """
    root = Path(root).resolve()
    lock = _lock_for(root)
    limit = _timeout() if timeout is None else float(timeout)
    try:
        lock.acquire(timeout=min(limit, _NOTICE_AFTER))
    except Timeout:
        print(f"waiting for the project lock {lock_path(root)} (another sysrev command is writing to "
              f"{root}) …", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=max(0.0, limit - _NOTICE_AFTER))
        except Timeout:
            raise SysrevError(f"{root}: another sysrev process has held the project lock ({lock_path(root)}) "
                              f"for over {limit:g} s; nothing was written (try again when it has finished)"
                              ) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def lock_for_path(path, *, timeout: float | None = None):
    """Hold the lock of the project that contains ``path`` (the nearest folder upward with ``review.toml``);
    for a path outside any project, the lock of the nearest existing folder at or above it."""
    with project_lock(project_root_of(path), timeout=timeout):
        yield


def project_root_of(path) -> Path:
    """The nearest folder at or above ``path`` holding ``review.toml``, else the nearest existing folder."""
    here = Path(path).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_MARKER).is_file():
            return folder
    return next(folder for folder in (here, *here.parents) if folder.is_dir())


def _lock_for(root: Path) -> FileLock:
    """One :class:`FileLock` object per lock file in this process, so holding it is re-entrant per thread."""
    path = lock_path(root)
    with _locks_guard:
        lock = _locks.get(str(path))
        if lock is None:
            _prepare_folder(path.parent, root)
            lock = _locks[str(path)] = FileLock(str(path), mode=0o666, thread_local=True)
        return lock


def _prepare_folder(folder: Path, root: Path) -> None:
    """Create ``.sysrev/`` with the project folder's permissions and a ``.gitignore`` that hides it from git."""
    try:
        folder.mkdir(exist_ok=True)
        if folder.stat().st_uid == os.getuid():
            os.chmod(folder, root.stat().st_mode & 0o7777)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# sysrev's lock and caches; never committed\n*\n", encoding="utf-8")
    except PermissionError as exc:
        raise SysrevError(f"{folder}: cannot create the project lock folder ({exc.strerror}); "
                          "a project must be writable to be changed") from None
    except OSError as exc:
        raise SysrevError(f"{folder}: cannot create the project lock folder ({exc.strerror})") from None


def _timeout() -> float:
    value = os.environ.get("SYSREV_LOCK_TIMEOUT", "")
    try:
        return float(value) if value.strip() else DEFAULT_TIMEOUT
    except ValueError:
        raise SysrevError(f"SYSREV_LOCK_TIMEOUT={value!r} is not a number of seconds") from None
