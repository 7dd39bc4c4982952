"""Clustering with earlier record IDs and after refused joins (docs/dedup.md "Stable record IDs" and "How
decisions are made", step 4), on hand-built verdicts so that only the clustering rule decides.

"A run starts from the previous records.jsonl: every source record keeps its record ID"; "A `different`
decision splits a record: the first source keeps the ID, the other gets a new one" — only the record the
reviewer named leaves; the others of that record stay together. A refused join queues that pair and the
remaining pairs are still clustered; a queued pair whose records end up together is no longer queued.
"""

from sysrev.dedup.clustering import build_clusters
from sysrev.dedup.scoring import DISTINCT, DUPLICATE, UNCERTAIN, Verdict


def never_asked(i, j):
    raise AssertionError(f"pair {(i, j)} should not need a verdict")


def first_pages_differ(*pairs):
    """``verdict_of`` for the agreement check: the given pairs conflict, any other pair is unremarkable."""
    def verdict_of(i, j):
        if (min(i, j), max(i, j)) in pairs:
            return Verdict(DISTINCT, 0.0, "first pages differ (575 vs 812)")
        return Verdict(UNCERTAIN, 0.5, "not compared")
    return verdict_of


def test_an_earlier_record_of_three_sources_stays_together_without_decisions():
    result = build_clusters(4, {}, never_asked, ["R000001", "", "R000001", "R000001"], {})
    assert result.clusters == [[0, 2, 3], [1]]


def test_a_different_decision_splits_off_only_the_named_source():
    # R000001 stood for sources 0, 1, 2 and 3; the reviewer declared 0 and 1 different records: 1 leaves,
    # 2 and 3 stay with 0 (the first source, which keeps the ID)
    result = build_clusters(4, {}, never_asked, ["R000001"] * 4, {(0, 1): "different"})
    assert result.clusters == [[0, 2, 3], [1]]


def test_a_related_decision_splits_off_the_named_source_and_keeps_the_rest_together():
    result = build_clusters(3, {}, never_asked, ["R000001"] * 3, {(0, 2): "related"})
    assert result.clusters == [[0, 1], [2]]


def test_a_split_off_source_can_join_a_new_duplicate():
    # source 1 left R000001 by a reviewer's decision; it has no record ID any more, so a new record (2) that
    # duplicates it joins it, and it is not queued as "would join existing records"
    verdicts = {(0, 1): Verdict(DISTINCT, 0.0, "decided by a reviewer: different records"),
                (1, 2): Verdict(DUPLICATE, 4.0, "same PMID")}
    result = build_clusters(3, verdicts, never_asked, ["R000001", "R000001", ""], {(0, 1): "different"})
    assert result.clusters == [[0], [1, 2]]
    assert result.uncertain == []


def test_pairs_after_a_join_refused_for_a_conflict_are_still_clustered():
    # 0≈1 joins, 1≈2 is refused (0 and 2 conflict) and queued; the weaker 3≈4 still joins
    verdicts = {(0, 1): Verdict(DUPLICATE, 3.0, "same DOI"), (1, 2): Verdict(DUPLICATE, 2.0, "same title"),
                (3, 4): Verdict(DUPLICATE, 1.0, "same PMID")}
    result = build_clusters(5, verdicts, first_pages_differ((0, 2)), [""] * 5, {})
    assert result.clusters == [[0, 1], [2], [3, 4]]
    assert [(p.a, p.b) for p in result.uncertain] == [(1, 2)]


def test_a_queued_pair_that_ends_up_together_does_not_hide_weaker_queued_pairs():
    # 0 and 1 are joined by a duplicate verdict, so their uncertain note (the strongest) is dropped; the
    # weaker uncertain pairs 2–3 and 3–4 stay queued, strongest first
    verdicts = {(0, 1): Verdict(UNCERTAIN, 3.0, "similar title"), (1, 2): Verdict(DUPLICATE, 5.0, "same DOI"),
                (0, 2): Verdict(DUPLICATE, 4.0, "same PMID"), (2, 3): Verdict(UNCERTAIN, 2.0, "close title"),
                (3, 4): Verdict(UNCERTAIN, 1.0, "same first page")}
    result = build_clusters(5, verdicts, never_asked, [""] * 5, {})
    assert result.clusters == [[0, 1, 2], [3], [4]]
    assert [(p.a, p.b, p.reason) for p in result.uncertain] == [(2, 3, "close title"), (3, 4, "same first page")]
