"""Clusters from pair verdicts (docs/dedup.md "How decisions are made", step 4, and "Stable record IDs"), on
hand-built verdicts so that only the clustering rule decides: the agreement check before a join, earlier
record IDs that only a reviewer may join, reviewer decisions over the rules, and the notes left for a human.
"""

from sysrev.dedup.clustering import build_clusters, human_verdict
from sysrev.dedup.scoring import DISTINCT, DUPLICATE, RELATED, UNCERTAIN, Verdict


def never_asked(i, j):
    raise AssertionError(f"pair {(i, j)} should not need a verdict")


def distinct_pair(*pairs):
    """``verdict_of`` for the agreement check: the given pairs conflict, any other pair is unremarkable."""
    def verdict_of(i, j):
        if (min(i, j), max(i, j)) in pairs:
            return Verdict(DISTINCT, 0.0, "first pages differ (575 vs 812)")
        return Verdict(UNCERTAIN, 0.5, "not compared")
    return verdict_of


def test_a_refused_join_is_queued_with_the_conflicting_pair_named():
    verdicts = {(0, 1): Verdict(DUPLICATE, 3.0, "same DOI"), (1, 2): Verdict(DUPLICATE, 2.0, "same title")}
    names = ["pubmed:111", "scopus:2-s2.0-1", "embase:L222"]
    result = build_clusters(3, verdicts, distinct_pair((0, 2)), ["", "", ""], {}, names)
    assert result.clusters == [[0, 1], [2]]
    (note,) = result.uncertain
    assert (note.a, note.b, note.score) == (1, 2, 2.0)
    # the conflicting records (0 and 2) named as the reviewer knows them, not by their positions
    assert note.reason == "same title; but records pubmed:111 and embase:L222 in the joined cluster conflict " \
                          "(first pages differ (575 vs 812))"


def test_a_chain_without_conflict_becomes_one_cluster():
    verdicts = {(0, 1): Verdict(DUPLICATE, 3.0, "same DOI"), (1, 2): Verdict(DUPLICATE, 2.0, "same title")}
    result = build_clusters(3, verdicts, distinct_pair(), ["", "", ""], {})
    assert result.clusters == [[0, 1, 2]]
    assert result.uncertain == [] and result.related == []


def test_two_earlier_records_are_never_joined_by_the_rules():
    # "Two existing records are never merged automatically; a reviewer's `same` decision merges them"
    verdicts = {(0, 1): Verdict(DUPLICATE, 4.0, "same PMID")}
    result = build_clusters(2, verdicts, never_asked, ["R000007", "R000003"], {})
    assert result.clusters == [[0], [1]]
    (note,) = result.uncertain
    assert note.reason == "same PMID; would join existing records R000003 and R000007"
    joined = build_clusters(2, verdicts, never_asked, ["R000007", "R000003"], {(0, 1): "same"})
    assert joined.clusters == [[0, 1]] and joined.uncertain == []


def test_a_new_record_joins_an_earlier_one():
    # a new duplicate of an existing record joins it ("new duplicates of an existing record join it")
    verdicts = {(0, 1): Verdict(DUPLICATE, 4.0, "same PMID")}
    assert build_clusters(2, verdicts, never_asked, ["R000007", ""], {}).clusters == [[0, 1]]


def test_records_of_one_earlier_record_stay_together_without_a_verdict():
    result = build_clusters(3, {}, never_asked, ["R000001", "", "R000001"], {})
    assert result.clusters == [[0, 2], [1]]


def test_a_reviewers_same_decision_outweighs_a_conflict_in_the_joined_cluster():
    # 1 and 2 were declared the same by a reviewer: that pair joins first, and the agreement check does not
    # stop it; the rules' 0–1 duplicate then meets the 0–2 conflict and is queued.
    verdicts = {(0, 1): Verdict(DUPLICATE, 3.0, "same DOI"), (1, 2): Verdict(DUPLICATE, 0.5, "reviewer")}
    result = build_clusters(3, verdicts, distinct_pair((0, 2)), ["", "", ""], {(1, 2): "same"})
    assert result.clusters == [[0], [1, 2]]
    assert [(p.a, p.b) for p in result.uncertain] == [(0, 1)]
    # a cross pair the reviewer declared the same is no conflict
    result = build_clusters(3, verdicts, distinct_pair((0, 2)), ["", "", ""], {(0, 2): "same"})
    assert result.clusters == [[0, 1, 2]]


def test_notes_are_listed_once_strongest_first_and_only_for_pairs_left_apart():
    verdicts = {
        (0, 1): Verdict(DUPLICATE, 5.0, "same DOI"),
        (1, 2): Verdict(UNCERTAIN, 2.0, "similar title"),
        (0, 2): Verdict(UNCERTAIN, 3.0, "same first page"),
        (2, 3): Verdict(RELATED, 1.0, "erratum"),
        (0, 3): Verdict(RELATED, 4.0, "reply"),
        (3, 4): Verdict(DUPLICATE, 6.0, "same PMID"),
        (1, 4): Verdict(UNCERTAIN, 2.5, "close title"),
    }
    result = build_clusters(5, verdicts, distinct_pair((0, 3), (0, 4), (1, 3)), [""] * 5, {})
    assert result.clusters == [[0, 1], [2], [3, 4]]
    assert [(p.a, p.b, p.reason) for p in result.uncertain] == [
        (0, 2, "same first page"), (1, 4, "close title"), (1, 2, "similar title")]
    assert [(p.a, p.b, p.reason) for p in result.related] == [(0, 3, "reply"), (2, 3, "erratum")]


def test_an_uncertain_pair_whose_records_end_up_together_is_not_queued():
    verdicts = {(0, 1): Verdict(DUPLICATE, 5.0, "same DOI"), (1, 2): Verdict(DUPLICATE, 4.0, "same PMID"),
                (0, 2): Verdict(UNCERTAIN, 1.0, "similar title")}
    result = build_clusters(3, verdicts, never_asked, ["", "", ""], {})
    assert result.clusters == [[0, 1, 2]] and result.uncertain == []


def test_a_reviewers_decision_stands_for_a_verdict():
    same, related, different = human_verdict("same"), human_verdict("related"), human_verdict("different")
    assert (same.kind, same.conflict, same.reason) == (DUPLICATE, False, "decided by a reviewer: same record")
    assert (related.kind, related.conflict, related.reason) == (RELATED, True,
                                                                 "decided by a reviewer: related publications")
    assert (different.kind, different.conflict, different.reason) == (DISTINCT, True,
                                                                       "decided by a reviewer: different records")
    assert same.score > max(0.0, related.score, different.score)


def test_a_new_record_never_chains_two_earlier_records_together():
    # R000001 (record 0) and R000002 (record 2) were two records; a new record 1 duplicates both. It may join
    # one of them, but the join that would bring both earlier records into one cluster is refused and queued.
    verdicts = {(0, 1): Verdict(DUPLICATE, 5.0, "same DOI"), (1, 2): Verdict(DUPLICATE, 4.0, "same title")}
    result = build_clusters(3, verdicts, never_asked, ["R000001", "", "R000002"], {})
    assert result.clusters == [[0, 1], [2]]
    assert [(p.a, p.b, p.reason) for p in result.uncertain] == [
        (1, 2, "same title; would join existing records R000001 and R000002")]


def test_a_reviewers_same_decision_is_found_whichever_cluster_holds_the_higher_index():
    # 0 and 3 join first; then 1–3 is checked against 0: the reviewer declared 0 and 1 the same
    verdicts = {(0, 3): Verdict(DUPLICATE, 5.0, "same DOI"), (1, 3): Verdict(DUPLICATE, 4.0, "same title")}
    result = build_clusters(4, verdicts, distinct_pair((0, 1)), [""] * 4, {(0, 1): "same"})
    assert result.clusters == [[0, 1, 3], [2]]
    without = build_clusters(4, verdicts, distinct_pair((0, 1)), [""] * 4, {})
    assert without.clusters == [[0, 3], [1], [2]]


def test_a_reviewers_same_decision_on_one_cross_pair_does_not_hide_a_conflict_on_another():
    # {1, 2, 3} is one cluster; joining 0 to it, the reviewer declared 0 and 1 the same, but 0 and 2 are two
    # publications: the join is still refused
    verdicts = {(1, 2): Verdict(DUPLICATE, 7.0, "same DOI"), (1, 3): Verdict(DUPLICATE, 6.0, "same PMID"),
                (0, 3): Verdict(DUPLICATE, 5.0, "same title")}
    result = build_clusters(4, verdicts, distinct_pair((0, 2)), [""] * 4, {(0, 1): "same"})
    assert result.clusters == [[0], [1, 2, 3]]
    assert [(p.a, p.b) for p in result.uncertain] == [(0, 3)]


def test_pairs_after_a_refused_join_of_earlier_records_are_still_clustered():
    verdicts = {(0, 1): Verdict(DUPLICATE, 4.0, "same PMID"), (2, 3): Verdict(DUPLICATE, 1.0, "same title")}
    result = build_clusters(4, verdicts, never_asked, ["R000007", "R000003", "", ""], {})
    assert result.clusters == [[0], [1], [2, 3]]
