"""Which record each ID that dedup merged away now stands in, read from ``records/records.jsonl``.

A light module (no dedup engine), for the stages that meet a record ID in a file of their own — a decision
log, studies.csv — and must find the record that stands for it after a reviewer's ``same`` decision merged two
records. :mod:`sysrev.dedup.project_run` writes what it reads: ``extra.dedup_replaces`` and
``extra.dedup_merged``.
"""

import functools
import json
from pathlib import Path

RECORDS_FILE = "records.jsonl"


def merged_ids(records) -> dict:
    """``{ID merged away: (ID of the record that stands for it now, when it was merged)}`` of ``records`` (the
    lines of records.jsonl): a reviewer's ``same`` decision merges two records, the lower ID stays and the other
    is listed in ``extra.dedup_replaces``; ``extra.dedup_merged`` keeps, per ID, the time of the dedup run that
    merged it (``at``) and the source that carried it (``first_source``, by which a record split off again gets
    its ID back). A merge made before 5 December 2026 kept neither: its time is empty."""
    out = {}
    for record in records:
        extra = record.get("extra") or {}
        entries = extra.get("dedup_merged") or {}
        for old in extra.get("dedup_replaces") or []:
            entry = entries.get(old)
            out[str(old)] = (str(record["record_id"]), str(entry.get("at", "")) if isinstance(entry, dict) else "")
    return out


def project_merged_ids(project) -> dict:
    """:func:`merged_ids` of the project's records.jsonl, reading only the lines that list merged IDs, and each
    version of the file once (the screens ask for every record they show whether a paper fetched before a merge
    is its own); empty while the file is missing or unreadable (the stage that reads it whole names its
    problem)."""
    path = Path(project.records_dir) / RECORDS_FILE
    try:
        stat = path.stat()
    except OSError:
        return {}
    return dict(_merged_in_file(str(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _merged_in_file(path: str, mtime_ns: int, size: int) -> tuple:
    """The items of :func:`merged_ids` of the file at ``path`` as it is at ``mtime_ns`` and ``size`` (the cache
    key: a rewritten file is read again)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return tuple(merged_ids(json.loads(line) for line in fh if '"dedup_replaces"' in line).items())
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return ()
