"""Unresolved git merge conflicts in a project's files, named as such.

A review project is plain text in git, and a team member who pulls while a file changed on both sides gets
git's conflict markers written into it (``<<<<<<< HEAD`` … ``=======`` … ``>>>>>>> branch``). Every reader
then fails on the first marker with its own complaint ("invalid TOML", "invalid JSON", "expected 6
columns"), which does not tell the user that git, not their data, is at fault. :func:`conflict_note` turns
the markers of a file into one sentence that :class:`sysrev.errors.InputError` adds to the message of any
error about that file, so every reader says it the same way.
"""

from __future__ import annotations

import functools
import os
import re

# git writes each marker at the start of a line: seven characters, then a space and a label or the line end
# ("=======" alone); "|||||||" opens the common ancestor's part in diff3 style.
_OPEN = re.compile(rb"<{7}(?: |$)")
_CLOSE = re.compile(rb">{7}(?: |$)")
_OTHER = re.compile(rb"(?:={7}|\|{7}(?: .*)?)$")


def is_marker(line: str) -> bool:
    """True when ``line`` (without its line break) is one of git's conflict markers."""
    data = line.rstrip("\r\n").encode("utf-8", "replace")
    return any(pattern.match(data) for pattern in (_OPEN, _CLOSE, _OTHER))


def conflict_blocks(lines) -> list[tuple[int, int]]:
    """``(first line, last line)`` of each conflict block in ``lines`` (bytes, or an iterable of byte lines such
    as an open file; 1-based): a ``<<<<<<<`` line and the next ``>>>>>>>`` line after it. A lone ``=======``
    line (a Markdown underline) is no conflict."""
    if isinstance(lines, bytes):
        lines = lines.splitlines()
    blocks, start = [], None
    for number, line in enumerate(lines, start=1):
        line = line.rstrip(b"\r\n")
        if _OPEN.match(line) and start is None:
            start = number
        elif _CLOSE.match(line) and start is not None:
            blocks.append((start, number))
            start = None
    return blocks


def conflict_note(path) -> str:
    """The sentence that says ``path`` holds unresolved merge conflicts and where, or ``""``.

    Read only when an error about the file is raised; cached per file version (path, size and modification
    time), so many errors about one large file read it once."""
    try:
        stat = os.stat(path)
    except (OSError, TypeError, ValueError):
        return ""
    if not os.path.isfile(path):
        return ""
    return _note(os.fspath(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _note(path: str, size: int, mtime_ns: int) -> str:
    try:
        with open(path, "rb") as fh:  # line by line: a large records file is not read into memory at once
            blocks = conflict_blocks(fh)
    except OSError:
        return ""
    if not blocks:
        return ""
    where = ", ".join(f"lines {first}-{last}" for first, last in blocks[:5])
    more = f" and {len(blocks) - 5} more" if len(blocks) > 5 else ""
    what = "an unresolved git merge conflict" if len(blocks) == 1 else f"{len(blocks)} unresolved git merge conflicts"
    return (f"the file holds {what} ({where}{more}, between git's <<<<<<< and >>>>>>> lines): keep what each "
            "side should keep, delete the marker lines, then run `sysrev check`")
