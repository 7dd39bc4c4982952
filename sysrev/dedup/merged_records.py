"""Which record each ID that dedup merged away now stands in, read from ``records/records.jsonl``.

A light module (no dedup engine), for the stages that meet a record ID in a file of their own — a decision
log, studies.csv — and must find the record that stands for it after a reviewer's ``same`` decision merged two
records. :mod:`sysrev.dedup.project_run` writes what it reads: ``extra.dedup_replaces`` and
``extra.dedup_merged``.
"""

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
    """:func:`merged_ids` of the project's records.jsonl, reading only the lines that list merged IDs (cheap for
    the stages that meet a record ID in a table of their own); empty while the file is missing or unreadable
    (the stage that reads it whole names its problem)."""
    path = Path(project.records_dir) / RECORDS_FILE
    try:
        with path.open(encoding="utf-8") as fh:
            return merged_ids(json.loads(line) for line in fh if '"dedup_replaces"' in line)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}
