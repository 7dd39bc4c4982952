"""The full-text manifest: what was found for each record, where it came from, under which licence.

``fulltext/manifest.csv`` is committed with the project (the team shares what was found and can re-fetch
it); the documents themselves go to ``fulltext/files/``, which the project's ``.gitignore`` leaves out
because PDFs are large and often not redistributable. One row per record::

    record_id, status, source, url, licence, format, file, sha256, retrieved, doi_link, note

``status`` is ``retrieved`` (a file is stored), ``needs_library_access`` (no legal open copy was found: the
DOI link is where a librarian starts) or ``failed`` (a service kept failing; the next run asks again).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass
from pathlib import Path

from sysrev.errors import InputError
from sysrev.fileio import atomic_write_text

FULLTEXT_DIR = "fulltext"
FILES_DIR = "files"
MANIFEST_NAME = "manifest.csv"
COLUMNS = ("record_id", "status", "source", "url", "licence", "format", "file", "sha256", "retrieved",
           "doi_link", "note")
STATUSES = ("retrieved", "needs_library_access", "failed")


@dataclass
class Entry:
    """One manifest row."""

    record_id: str
    status: str
    source: str = ""
    url: str = ""
    licence: str = ""
    format: str = ""
    file: str = ""
    sha256: str = ""
    retrieved: str = ""
    doi_link: str = ""
    note: str = ""


def fulltext_dir(project) -> Path:
    return Path(project.root) / FULLTEXT_DIR


def manifest_path(project) -> Path:
    return fulltext_dir(project) / MANIFEST_NAME


def entry_of(entries: dict, record_id: str, merged: dict) -> Entry | None:
    """The entry of ``record_id`` in ``entries``; for a record without one, that of a record dedup merged into it
    (``merged``: :func:`sysrev.dedup.project_merged_ids`), the same publication, so that a paper fetched before
    the merge is found and not fetched again."""
    if record_id in entries:
        return entries[record_id]
    return next((entries[old] for old in sorted(merged) if merged[old][0] == record_id and old in entries), None)


def read_manifest(project, problems: list | None = None) -> dict[str, Entry]:
    """The manifest's rows by record ID (empty when there is no manifest yet). A row with an unknown status
    is an :class:`InputError`; given a ``problems`` list, every such row is added to it and left out."""
    path = manifest_path(project)
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("record_id", "status") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"the header lacks {', '.join(missing)}", path=path, line=1)
    entries = {}
    for line, row in enumerate(reader, start=2):
        if row.get("status") not in STATUSES:
            error = InputError(f"status {row.get('status')!r} is not one of {', '.join(STATUSES)}", path=path,
                               line=line, column="status")
            if problems is None:
                raise error
            problems.append(error)
            continue
        entries[row["record_id"]] = Entry(**{c: row.get(c) or "" for c in COLUMNS})
    return entries


def write_manifest(project, entries: dict[str, Entry]) -> Path:
    """Write every entry, sorted by record ID, atomically."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record_id in sorted(entries):
        writer.writerow(asdict(entries[record_id]))
    return atomic_write_text(manifest_path(project), buffer.getvalue())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_file(project, entry: Entry) -> Path | None:
    """The stored document of ``entry`` when it is there and unchanged (its checksum still matches)."""
    if entry.status != "retrieved" or not entry.file:
        return None
    path = fulltext_dir(project) / entry.file
    if not path.is_file() or sha256(path.read_bytes()) != entry.sha256:
        return None
    return path
