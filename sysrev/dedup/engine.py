"""Deduplicate a list of records: keys → blocking → pair verdicts → clusters (the library entry point).

This module holds no file handling; the project command (:mod:`sysrev.dedup.project_run`) and the file
command (:mod:`sysrev.cli.dedup`) read and write around it.
"""

import sys
from collections import defaultdict
from dataclasses import dataclass, field

from tqdm import tqdm

from sysrev.dedup.blocking import candidate_pairs
from sysrev.dedup.clustering import build_clusters, human_verdict
from sysrev.dedup.keys import record_keys
from sysrev.dedup.record_counters import ignore_counter_issues
from sysrev.dedup.scoring import compare, journal_match
from sysrev.dedup.vetoes import issue_veto
from sysrev.records import Record

# How many records of one title the recurring-title check compares pairwise.
RECURRING_GROUP_LIMIT = 30


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
                previous_ids: list[str] | None = None, origins: list[str] | None = None,
                progress: bool | None = None) -> DedupResult:
    """Find the duplicate clusters among ``records``.

    ``labels`` are stable names of the records (``database:source_id``) that ``decisions`` refer to:
    ``decisions`` maps ``frozenset({label_a, label_b})`` to ``same``/``different``/``related`` (a human's
    verdict, which overrides the rules); without labels, decisions name records by position (``"0"``).
    Reasons that mention a record other than the pair's own name it by its label, or without labels by
    :func:`record_name`. ``previous_ids[i]`` is the record ID record ``i`` received in an earlier run (``""``
    if new); such clusters are kept together. ``origins[i]`` names the file or search run record ``i`` came
    from (default: its ``source``): an origin whose issue field is a record counter has it ignored
    (:mod:`sysrev.dedup.record_counters`). ``progress`` shows a progress bar (default: when stderr is a
    terminal).
    """
    n = len(records)
    if progress is None:
        progress = sys.stderr.isatty()
    names = list(labels) if labels else [record_name(r, i) for i, r in enumerate(records)]
    labels = labels or [str(i) for i in range(n)]
    previous_ids = previous_ids or [""] * n
    with tqdm(total=n, desc="dedup: keys", unit="rec", disable=not progress, leave=False) as bar:
        keys = []
        for r in records:
            keys.append(record_keys(r))
            bar.update(1)
    problems = ignore_counter_issues(records, keys, origins or [r.source for r in records])
    mark_recurring_titles(keys)
    problems += [(i, msg) for i, k in enumerate(keys) for msg in k.problems]
    problems += [(i, ("no title" if not k.title else f"the title {records[i].title!r} is too short or generic to "
                                                       "tell works apart")
                  + ": merged only by a reviewer's decision or an identifier")
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

    clustering = build_clusters(n, verdicts, verdict_of, previous_ids, human, names)
    return DedupResult(clusters=clustering.clusters, uncertain=clustering.uncertain, related=clustering.related,
                       problems=problems, keys=keys, compared_pairs=len(pairs))


def record_name(record: Record, position: int) -> str:
    """How a reviewer can find ``record`` (at ``position`` in the input) when the caller gave no labels: its
    source and source ID (``pubmed:111``), the source ID alone, the start of its title, or as a last resort
    its 1-based place in the input."""
    if record.source_id:
        return f"{record.source}:{record.source_id}" if record.source else record.source_id
    if record.title:
        return repr(record.title if len(record.title) <= 50 else record.title[:50].rstrip() + "…")
    return f"input record {position + 1}"


def mark_recurring_titles(keys: list) -> None:
    """Set :attr:`Keys.recurring` on every record of a title that one venue prints in two different issues or
    volumes in this input (both stated, no identifier shared): such a title names no single work there, so
    its records merge only when an issue, page or article number stated by both agrees (vetoes.py). Every
    record of the title in that venue is marked, also one that states neither volume nor issue (two such
    records cannot tell which instalment they are); records elsewhere are not. Titles shared by more than
    :data:`RECURRING_GROUP_LIMIT` records stating a volume or issue are checked on their first such records
    only (the cost stays linear)."""
    groups = defaultdict(list)
    for i, k in enumerate(keys):
        if k.title_informative and not k.serial:
            groups[k.title].append(i)
    for members in groups.values():
        located = [i for i in members if keys[i].volume or keys[i].issue_numbers]
        if len(located) < 2:
            continue
        printed_twice = set()
        checked = located[:RECURRING_GROUP_LIMIT]
        for x, i in enumerate(checked):
            for j in checked[x + 1:]:
                a, b = keys[i], keys[j]
                if journal_match(a, b) != "same" or (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid):
                    continue
                if (a.volume and b.volume and a.volume != b.volume) or issue_veto(a, b):
                    printed_twice |= {i, j}
        for i in members:
            if any(i == j or journal_match(keys[i], keys[j]) == "same" for j in printed_twice):
                keys[i].recurring = True


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

