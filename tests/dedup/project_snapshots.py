"""Search-run snapshots written for the dedup project tests, one hour apart from a fixed start."""

from datetime import UTC, datetime, timedelta

from sysrev.records import Record
from sysrev.search.snapshot import write_snapshot

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def snapshot(project, name, database, records, hours=0):
    """A snapshot of ``records`` (dicts of Record fields) in ``project``, taken ``hours`` after T0."""
    return write_snapshot(project.runs_dir, name, [Record(**r) for r in records], database=database,
                          now=T0 + timedelta(hours=hours))
