"""Deduplication: find the records that several databases returned for the same publication.

Pipeline (one module each): :mod:`~sysrev.dedup.keys` (normalised comparison fields) →
:mod:`~sysrev.dedup.blocking` (candidate pairs, near-linear) → :mod:`~sysrev.dedup.scoring` (rules over
rapidfuzz similarities: duplicate / uncertain / related / distinct) → :mod:`~sysrev.dedup.clustering`
(clusters with an agreement check, stable across refreshes) → :mod:`~sysrev.dedup.merge` (one merged
record per cluster). :func:`deduplicate` runs it on a list of records; :func:`run_project` on a project's
search runs, writing ``records/records.jsonl``, which :func:`load_records` reads (contract 5).
"""

from sysrev.dedup.engine import DedupResult, deduplicate
from sysrev.dedup.project_run import load_records, run_project

__all__ = ["DedupResult", "deduplicate", "load_records", "run_project"]
