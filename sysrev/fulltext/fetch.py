"""``sysrev fulltext fetch``: look for a legal open copy of each record and keep it with its provenance.

Which records: those at full-text screening (forwarded by the title/abstract decisions), or the ones named.
Each record is settled one at a time and the manifest rewritten after it (atomically, the document first),
so an interrupted run loses at most the record in hand and the next run carries on where it stopped:
records already retrieved (file present, checksum unchanged) or listed as needing library access are not
asked again unless ``recheck`` says so; records whose services failed are always asked again. The document
and its manifest entry are written under the project lock (the download happens before it), so two fetches
at once never leave an entry whose checksum matches no stored file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sysrev.dedup.merged_records import project_merged_ids
from sysrev.errors import InputError
from sysrev.fileio import atomic_write_bytes
from sysrev.fulltext.manifest import (
    FILES_DIR,
    Entry,
    entry_of,
    fulltext_dir,
    read_manifest,
    sha256,
    stored_file,
    write_manifest,
)
from sysrev.locking import project_lock
from sysrev.search.http import DeadlineExceeded, HttpError
from sysrev.search.progress import Progress
from sysrev.wording import named

STAGES = ("title_abstract", "full_text")


@dataclass
class FetchSummary:
    """Counts of one run, and the entries it wrote, for the command's report and ``--json``."""

    retrieved: list[Entry] = field(default_factory=list)
    needs_library_access: list[Entry] = field(default_factory=list)
    failed: list[Entry] = field(default_factory=list)
    already: int = 0

    def as_dict(self) -> dict:
        return {"retrieved": len(self.retrieved), "needs_library_access": len(self.needs_library_access),
                "failed": len(self.failed), "already_settled": self.already,
                "needs_library_access_records": [{"record_id": e.record_id, "doi_link": e.doi_link}
                                                 for e in self.needs_library_access],
                "failed_records": [{"record_id": e.record_id, "note": e.note} for e in self.failed]}


def records_to_fetch(project, *, stage="full_text", record_ids=()) -> list[dict]:
    """The records named by ``record_ids`` (unknown IDs are an error), else every record of ``stage``."""
    from sysrev.dedup import load_records
    from sysrev.screening.state import load_screening

    if record_ids:
        by_id = {r["record_id"]: r for r in load_records(project)}
        unknown = [rid for rid in record_ids if rid not in by_id]
        if unknown:
            raise InputError(f"unknown {named('record ID', unknown)} (not in records/records.jsonl)")
        return [by_id[rid] for rid in dict.fromkeys(record_ids)]
    if stage not in STAGES:
        raise InputError(f"stage {stage!r} is not one of {', '.join(STAGES)}")
    screening = load_screening(project)
    by_id = screening.records_by_id
    return [by_id[rid] for rid in screening.stages[stage].eligible]


def fetch_fulltexts(project, records, finder, *, recheck=False, progress: Progress | None = None,
                    now=None) -> FetchSummary:
    """Settle every record of ``records`` with ``finder`` (an :class:`OpenAccessFinder`); see the module."""
    entries, merged = read_manifest(project), project_merged_ids(project)
    summary = FetchSummary()
    pending = []
    for record in records:
        entry = entry_of(entries, record["record_id"], merged)
        if entry is not None and _settled(project, entry, recheck):
            summary.already += 1
        else:
            pending.append(record)
    if progress is not None:
        progress.set_total(len(pending))
    for record in pending:
        entry, content = _settle(project, record, finder, now or _now())
        # The paper and its manifest entry are written together under the lock: written before it, a
        # concurrent fetch of the same record could replace the paper between this write and this entry,
        # leaving an entry whose checksum matches no file. The download itself happened above, unlocked.
        with project_lock(project.root):  # another fetch may have settled other records meanwhile: merge
            entries = read_manifest(project)
            if content is not None:
                entry = _with_a_file_of_its_own(entry, entries)
                atomic_write_bytes(fulltext_dir(project) / entry.file, content)
            entries[entry.record_id] = entry
            write_manifest(project, entries)
        getattr(summary, entry.status).append(entry)
        if progress is not None:
            progress.advance(1)
    return summary


def _settled(project, entry: Entry, recheck: bool) -> bool:
    if entry.status == "retrieved":
        return stored_file(project, entry) is not None
    return entry.status == "needs_library_access" and not recheck


def _settle(project, record, finder, when: str) -> tuple[Entry, bytes | None]:
    """Look ``record`` up with ``finder``: its manifest entry, and the document's bytes when one was found
    (the caller writes them, under the project lock, together with the entry)."""
    record_id = record["record_id"]
    doi = (record.get("doi") or "").strip()
    doi_link = f"https://doi.org/{doi}" if doi else ""
    try:
        lookup = finder.find(record)
    except (HttpError, DeadlineExceeded) as exc:  # a service that kept failing, or too slow to answer in time
        return Entry(record_id, "failed", doi_link=doi_link, retrieved=when,
                     note=f"{exc} (asked again on the next run)"), None
    if lookup.found is None:
        return Entry(record_id, "needs_library_access", doi_link=doi_link, retrieved=when,
                     note="; ".join(lookup.notes) or "no open copy found"), None
    found = lookup.found
    relative = f"{FILES_DIR}/{_file_stem(record_id)}.{found.fmt}"
    return Entry(record_id, "retrieved", source=found.source, url=found.url, licence=found.licence,
                 format=found.fmt, file=relative, sha256=sha256(found.content), retrieved=when,
                 doi_link=doi_link, note="; ".join(lookup.notes)), found.content


def _file_stem(record_id: str, *, hashed: bool = False) -> str:
    """A file name for a record ID: sysrev's IDs (``R000001``) as they are.

    A hand-made ID may hold characters a file name cannot; it is made safe and given the first 12 hex digits
    of its SHA-256, so that ``a/b`` and ``a:b`` never share a file. ``hashed`` asks for that form for any ID.
    """
    if not hashed and _PLAIN_ID.fullmatch(record_id):
        return record_id
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", record_id)[:80].lstrip(".") or "record"
    return f"{stem}-{hashlib.sha256(record_id.encode('utf-8')).hexdigest()[:12]}"


# Letters, digits and ``._-``, not starting with a dot, short enough for any file system.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")


def _with_a_file_of_its_own(entry: Entry, entries: dict[str, Entry]) -> Entry:
    """``entry``, its file renamed to the hashed form when another record's file has its name up to letter
    case (IDs ``Smith`` and ``smith``: macOS and Windows file systems ignore case, and one full text would
    overwrite the other)."""
    taken = {other.file.lower() for record_id, other in entries.items() if record_id != entry.record_id}
    if entry.file.lower() not in taken:
        return entry
    return replace(entry, file=f"{FILES_DIR}/{_file_stem(entry.record_id, hashed=True)}.{entry.format}")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
