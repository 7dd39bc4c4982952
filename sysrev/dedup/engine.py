"""Deduplicate a list of records: keys → blocking → pair verdicts → clusters (the library entry point).

This module holds no file handling; the project command (:mod:`sysrev.dedup.project_run`) and the file
command (:mod:`sysrev.cli.dedup`) read and write around it.
"""

import sys
from dataclasses import dataclass, field

from tqdm import tqdm

from sysrev.dedup.blocking import candidate_pairs
from sysrev.dedup.clustering import build_clusters, human_verdict
from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import compare
from sysrev.records import Record


@dataclass
class DedupResult:
    """Clusters of record indexes (every record in exactly one), open pairs and per-record problems."""

    clusters: list
    uncertain: list = field(default_factory=list)   # clustering.PairNote, strongest first
    related: list = field(default_factory=list)     # clustering.PairNote
    problems: list = field(default_factory=list)    # (record index, message)
    keys: list = field(default_factory=list)        # Keys per record
    compared_pairs: int = 0

    @property
    def duplicates_removed(self) -> int:
        return sum(len(c) - 1 for c in self.clusters)

    def cluster_of(self) -> list:
        """For each record index, the index of its cluster in :attr:`clusters`."""
        out = [0] * sum(len(c) for c in self.clusters)
        for n, members in enumerate(self.clusters):
            for i in members:
                out[i] = n
        return out


def deduplicate(records: list[Record], *, labels: list[str] | None = None, decisions: dict | None = None,
                previous_ids: list[str] | None = None, progress: bool | None = None) -> DedupResult:
    """Find the duplicate clusters among ``records``.

    ``labels`` are stable names of the records (``database:source_id``) that ``decisions`` refer to:
    ``decisions`` maps ``frozenset({label_a, label_b})`` to ``same``/``different``/``related`` (a human's
    verdict, which overrides the rules). ``previous_ids[i]`` is the record ID record ``i`` received in an
    earlier run (``""`` if new); such clusters are kept together. ``progress`` shows a progress bar (default:
    when stderr is a terminal).
    """
    n = len(records)
    if progress is None:
        progress = sys.stderr.isatty()
    labels = labels or [str(i) for i in range(n)]
    previous_ids = previous_ids or [""] * n
    with tqdm(total=n, desc="dedup: keys", unit="rec", disable=not progress, leave=False) as bar:
        keys = []
        for r in records:
            keys.append(record_keys(r))
            bar.update(1)
    problems = [(i, msg) for i, k in enumerate(keys) for msg in k.problems]
    problems += [(i, "no title: merged only by a reviewer's decision or an identifier")
                 for i, k in enumerate(keys) if not k.title_informative]

    with tqdm(total=n, desc="dedup: blocking", unit="rec", disable=not progress, leave=False) as bar:
        pairs = candidate_pairs(keys, bar)
    human = _index_decisions(labels, decisions or {})
    pairs |= set(human)

    verdicts = {}
    with tqdm(total=len(pairs), desc="dedup: comparing", unit="pair", disable=not progress, leave=False) as bar:
        for pair in sorted(pairs):
            verdicts[pair] = human_verdict(human[pair]) if pair in human else compare(keys[pair[0]], keys[pair[1]])
            bar.update(1)

    def verdict_of(i: int, j: int):
        return compare(keys[i], keys[j])

    clustering = build_clusters(n, verdicts, verdict_of, previous_ids, human)
    return DedupResult(clusters=clustering.clusters, uncertain=clustering.uncertain, related=clustering.related,
                       problems=problems, keys=keys, compared_pairs=len(pairs))


def _index_decisions(labels: list[str], decisions: dict) -> dict:
    """Human decisions keyed by index pair ``(i, j)``, ``i < j``; decisions about absent records are ignored."""
    if not decisions:
        return {}
    where = {}
    for i, label in enumerate(labels):
        where.setdefault(label, []).append(i)
    out = {}
    for pair, decision in decisions.items():
        names = sorted(pair)
        if len(names) != 2 or names[0] not in where or names[1] not in where:
            continue
        for i in where[names[0]]:
            for j in where[names[1]]:
                if i != j:
                    out[(min(i, j), max(i, j))] = decision
    return out

