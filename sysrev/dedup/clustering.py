"""Clusters of duplicates from pair verdicts, with an agreement check and respect for earlier decisions.

Duplicate pairs are joined strongest first (union-find). Before two clusters are joined, every record of one
is compared with every record of the other: if any cross pair is *related* or *distinct* (e.g. A≈B and B≈C
but A and C have different first pages), the join is refused and the pair goes to the review queue instead,
so transitivity never merges two studies that no direct comparison would merge.

Clusters from an earlier run (stable record IDs) are the starting point: their members stay together, and
two clusters that already carry different record IDs are never joined without a human decision.
"""

from dataclasses import dataclass, field

from sysrev.dedup.scoring import DISTINCT, DUPLICATE, RELATED, UNCERTAIN, Verdict


@dataclass
class PairNote:
    """A pair left for a human (uncertain) or linked as related, with the reason."""

    a: int
    b: int
    score: float
    reason: str


@dataclass
class Clustering:
    """The result of :func:`build_clusters`."""

    clusters: list = field(default_factory=list)   # lists of record indexes, each sorted
    uncertain: list = field(default_factory=list)  # PairNote, pairs in different clusters
    related: list = field(default_factory=list)    # PairNote, pairs in different clusters


class _UnionFind:
    def __init__(self, n: int, previous_ids: list):
        self.parent = list(range(n))
        self.members = {i: [i] for i in range(n)}
        self.ids = {i: ({previous_ids[i]} if previous_ids[i] else set()) for i in range(n)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, ri: int, rj: int) -> None:
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        self.ids[ri] |= self.ids.pop(rj)


def build_clusters(n: int, verdicts: dict, verdict_of, previous_ids: list, human: dict,
                   names: list | None = None) -> Clustering:
    """Cluster ``n`` records.

    ``verdicts`` maps candidate pairs ``(i, j)`` to their :class:`Verdict`; ``verdict_of(i, j)`` computes
    the verdict of any other pair (for the agreement check); ``previous_ids[i]`` is the record ID record
    ``i`` had in an earlier run (or ``""``); ``human`` maps pairs to a human decision
    (``same``/``different``/``related``), which overrides the rules. ``names[i]`` is how the notes a
    reviewer reads name record ``i`` (its source ID or label; without ``names``, its position).
    """
    name = names.__getitem__ if names else str
    uf = _UnionFind(n, previous_ids)
    _seed_previous(uf, previous_ids, human)
    notes_uncertain, notes_related = [], []

    def cross_conflict(ri: int, rj: int):
        for x in uf.members[ri]:
            for y in uf.members[rj]:
                pair = (x, y) if x < y else (y, x)
                if human.get(pair) == "same":
                    continue
                v = verdicts.get(pair) or verdict_of(*pair)
                if v.conflict:
                    return pair, v
        return None

    ordered = sorted(verdicts.items(), key=lambda kv: (human.get(kv[0]) != "same", -kv[1].score, kv[0]))
    for (i, j), v in ordered:
        if v.kind == RELATED:
            notes_related.append(PairNote(i, j, v.score, v.reason))
            continue
        if v.kind == UNCERTAIN:
            notes_uncertain.append(PairNote(i, j, v.score, v.reason))
            continue
        if v.kind != DUPLICATE:
            continue
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        by_human = human.get((i, j)) == "same"
        if uf.ids[ri] and uf.ids[rj] and uf.ids[ri] != uf.ids[rj] and not by_human:
            ids = " and ".join(sorted(uf.ids[ri] | uf.ids[rj]))
            notes_uncertain.append(PairNote(i, j, v.score, f"{v.reason}; would join existing records {ids}"))
            continue
        clash = cross_conflict(ri, rj)
        if clash and not by_human:
            (x, y), cv = clash
            notes_uncertain.append(PairNote(i, j, v.score, f"{v.reason}; but records {name(x)} and {name(y)} "
                                                            f"in the joined cluster conflict ({cv.reason})"))
            continue
        uf.union(ri, rj)

    roots = {}
    for i in range(n):
        roots.setdefault(uf.find(i), []).append(i)
    result = Clustering(clusters=sorted((sorted(m) for m in roots.values()), key=lambda m: m[0]))
    result.uncertain = _open_pairs(uf, notes_uncertain)
    result.related = _open_pairs(uf, notes_related)
    return result


def _seed_previous(uf: _UnionFind, previous_ids: list, human: dict) -> None:
    """Keep earlier clusters together, except members a human has since declared different."""
    groups = {}
    for i, rid in enumerate(previous_ids):
        if rid:
            groups.setdefault(rid, []).append(i)
    for members in groups.values():
        kept = [members[0]]
        for m in members[1:]:
            if any(human.get((min(m, k), max(m, k))) in ("different", "related") for k in kept):
                uf.ids[m] = set()  # split off: it gets a new record ID
                continue
            kept.append(m)
            uf.union(uf.find(kept[0]), uf.find(m))


def _open_pairs(uf: _UnionFind, notes: list) -> list:
    """Notes about pairs that did not end up in the same cluster, strongest first.

    Each pair has one note at most: the notes come from the ``verdicts`` mapping, one per pair.
    """
    return [note for note in sorted(notes, key=lambda p: (-p.score, p.a, p.b))
            if uf.find(note.a) != uf.find(note.b)]


def human_verdict(decision: str) -> Verdict:
    """The verdict a human decision stands for."""
    if decision == "same":
        return Verdict(DUPLICATE, 10.0, "decided by a reviewer: same record")
    if decision == "related":
        return Verdict(RELATED, 0.0, "decided by a reviewer: related publications")
    return Verdict(DISTINCT, 0.0, "decided by a reviewer: different records")
