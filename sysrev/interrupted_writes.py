"""Temporary files left in a project by writes that were killed before they finished.

Every project file is written through :func:`sysrev.fileio.atomic_write_bytes`: a temporary sibling
``.NAME.sysrev-XXXXXXXX.tmp``, then a rename over ``NAME``. A process killed in between (SIGKILL, out of
memory, power loss) leaves the temporary file behind; ``NAME`` itself still holds its last completed write
(or does not exist, when the interrupted write was its first). Left alone such files pile up, and a reviewer
cannot tell whether something was lost, so ``sysrev check`` lists them and ``sysrev check --remove-leftovers``
deletes them.

Not every write into a project holds the project lock (a search saves its resume state batch by batch
without it, and so do `sysrev export` and the ``--out`` files of several commands), so being under the lock
does not prove a temporary file abandoned. What does is the ``flock`` each write holds on its temporary
file until the rename (:func:`sysrev.fileio.abandoned_temp`): a file still locked belongs to a write in
progress and is neither listed nor removed. Only files named exactly as the writer names them are
considered; ``.notes.tmp``, ``x.tmp`` or any other file is never touched.

Search-run snapshots and releases are written as whole folders (``searches/runs/.tmp-…``,
``releases/.tmp-VERSION-…``) renamed into place; their writers hold the project lock for as long as such a
folder exists, so under the lock a folder so named is a killed write's (:func:`remove_interrupted_folders`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from sysrev.fileio import abandoned_temp, interrupted_write_target, remove_stale_tmp_folders
from sysrev.locking import project_lock

_NOT_WRITTEN_BY_SYSREV = {".git"}  # git's own store: never written here, and it can hold very many files


@dataclass(frozen=True)
class Leftover:
    """The temporary file ``path`` of an interrupted write of ``target``, last modified ``age`` seconds ago."""

    path: Path
    target: Path
    age: float

    def describe(self) -> str:
        """One line for ``sysrev check``: the file, what it was a copy of, that nothing saved is affected."""
        if self.target.exists():
            saved = f"{self.target.name} is unaffected: it holds its last completed write"
        else:
            saved = f"{self.target.name} was never saved (the interrupted write was its first)"
        return (f"{self.path}: temporary file of a write of {self.target} that was interrupted (the process "
                f"was killed or the computer stopped) {_age_text(self.age)} ago and never completed; {saved}. "
                "It can be deleted (`sysrev check --remove-leftovers`)")


def find_leftovers(root) -> list[Leftover]:
    """Every temporary file under the folder ``root`` left by an interrupted atomic write, by path."""
    now = time.time()
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in _NOT_WRITTEN_BY_SYSREV)
        for name in sorted(files):
            target = interrupted_write_target(name)
            path = Path(folder) / name
            if target is None or not path.is_file() or path.is_symlink() or not abandoned_temp(path):
                continue
            try:
                age = max(0.0, now - path.stat().st_mtime)
            except FileNotFoundError:  # removed by someone else meanwhile
                continue
            found.append(Leftover(path, Path(folder) / target, age))
    return found


def remove_leftovers(root) -> list[Leftover]:
    """Delete the leftovers :func:`find_leftovers` lists under the project ``root``; return those deleted.

    Runs under the project lock, so no locked writer starts meanwhile; a file a write in progress still
    holds (see the module docstring) is kept.
    """
    with project_lock(root):
        return [leftover for leftover in find_leftovers(root) if abandoned_temp(leftover.path, remove=True)]


def remove_interrupted_folders(project) -> list[Path]:
    """Delete the hidden temporary folders of search-run snapshots and releases killed mid-write; return them.

    The same removal the next snapshot or release does before writing (:func:`sysrev.fileio.remove_stale_tmp_folders`),
    for a project where none follows soon. Folders are not listed by ``sysrev check`` itself: only under the
    lock can one be told apart from a write in progress.
    """
    from sysrev.living.release import TMP_FOLDERS as RELEASE_FOLDERS
    from sysrev.living.release import releases_dir
    from sysrev.search.snapshot import TMP_FOLDERS as SNAPSHOT_FOLDERS

    with project_lock(project.root):
        return (remove_stale_tmp_folders(project.runs_dir, SNAPSHOT_FOLDERS)
                + remove_stale_tmp_folders(releases_dir(project), RELEASE_FOLDERS))


def _age_text(seconds: float) -> str:
    """``seconds`` as a rounded duration a reviewer reads at a glance: ``40 s``, ``12 min``, ``5 h``, ``3 days``."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            amount = int(seconds // size)
            return f"{amount} day" if unit == "days" and amount == 1 else f"{amount} {unit}"
    return f"{int(seconds)} s"
