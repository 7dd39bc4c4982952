"""Crash-safe file writing shared by every stage.

A review's files are its record of what was done, so nothing is ever half-written: content goes to a
temporary file in the same folder, is flushed to disk, and only then renamed over the target (an atomic
operation on POSIX file systems). A crash leaves either the old file or the new one, never a mixture.
The new file gets the old one's permissions, or the usual ones for a new file (0666 less the umask), not the
private 0600 of a temporary file, so co-reviewers on a shared machine can still read the project.
"""

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


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
