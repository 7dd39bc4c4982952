"""A record's stored full text, looked up through the manifest: where it is, and its tables."""

from __future__ import annotations

from pathlib import Path

from sysrev.dedup.merged_records import project_merged_ids
from sysrev.errors import InputError
from sysrev.fulltext.jats import Table, read_tables
from sysrev.fulltext.manifest import Entry, entry_of, read_manifest, stored_file


def paper_location(project, record_id: str) -> tuple[Entry | None, Path | None]:
    """The manifest entry of ``record_id`` (or of a record dedup merged into it: :func:`entry_of`) and its stored
    file (None where it has none, or it changed)."""
    entry = entry_of(read_manifest(project), record_id, project_merged_ids(project))
    if entry is None:
        return None, None
    return entry, stored_file(project, entry)


def paper_tables(project, record_id: str) -> tuple[Entry, list[Table]]:
    """The tables of ``record_id``'s stored JATS full text; a clear error when there is none to read."""
    entry, path = paper_location(project, record_id)
    if entry is None:
        from sysrev.dedup import load_records

        if record_id not in {record["record_id"] for record in load_records(project)}:
            raise InputError(f"{record_id}: no such record ID in records/records.jsonl (a typo? the IDs are the "
                             "record_id column of `sysrev export decisions` and of the screening logs)")
        raise InputError(f"{record_id}: no full text yet; run `sysrev fulltext fetch --record {record_id}`")
    if entry.status != "retrieved":
        raise InputError(f"{record_id}: no open copy was found ({entry.status.replace('_', ' ')}); "
                         f"{entry.doi_link or 'no DOI link'}")
    if path is None:
        raise InputError(f"{record_id}: {entry.file} is missing or changed since it was fetched (checksum); "
                         f"run `sysrev fulltext fetch --record {record_id}` again")
    if entry.format != "xml":
        raise InputError(f"{record_id}: the open copy is a PDF ({path}); its tables can only be read by eye")
    return entry, read_tables(path)
