"""Deduplication: find the records that several databases returned for the same publication.

Pipeline (one module each): :mod:`~sysrev.dedup.keys` (normalised comparison fields) →
:mod:`~sysrev.dedup.blocking` (candidate pairs, near-linear) → :mod:`~sysrev.dedup.scoring` (rules over
rapidfuzz similarities: duplicate / uncertain / related / distinct) → :mod:`~sysrev.dedup.clustering`
(clusters with an agreement check, stable across refreshes) → :mod:`~sysrev.dedup.merge` (one merged
record per cluster). :func:`deduplicate` runs it on a list of records; :func:`run_project` on a project's
search runs, writing ``records/records.jsonl``, which :func:`load_records` reads (contract 5).
"""

from sysrev.lazy_exports import lazy_exports

# Name -> the module that defines it. Loaded on first use (PEP 562), so importing a light submodule (the
# decisions file, the review queue) does not pay for rapidfuzz and numpy, which the engine needs.
_EXPORTS = {
    "DedupResult": "engine",
    "deduplicate": "engine",
    "gone_record_ids": "project_run",
    "load_records": "project_run",
    "merged_ids": "merged_records",
    "project_merged_ids": "merged_records",
    "run_project": "project_run",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
