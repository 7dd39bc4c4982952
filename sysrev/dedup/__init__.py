"""Deduplication: find the records that several databases returned for the same publication.

Pipeline (one module each): :mod:`~sysrev.dedup.keys` (normalised comparison fields) →
:mod:`~sysrev.dedup.blocking` (candidate pairs, near-linear) → :mod:`~sysrev.dedup.scoring` (rules over
rapidfuzz similarities: duplicate / uncertain / related / distinct) → :mod:`~sysrev.dedup.clustering`
(clusters with an agreement check, stable across refreshes) → :mod:`~sysrev.dedup.merge` (one merged
record per cluster). :func:`deduplicate` runs it on a list of records.
"""

from sysrev.dedup.engine import DedupResult, deduplicate

__all__ = ["DedupResult", "deduplicate"]
