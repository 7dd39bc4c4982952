"""The documented rules of docs/dedup.md that guard against false merges, each pinned on its own.

Each test names the sentence of docs/dedup.md ("How decisions are made") it checks; the records are built so
that only that rule decides the pair.
"""

from sysrev.dedup.clustering import build_clusters
from sysrev.dedup.engine import deduplicate
from sysrev.dedup.keys import record_keys
from sysrev.dedup.scoring import DISTINCT, DUPLICATE, UNCERTAIN, Verdict, compare
from sysrev.records import Record

# One article as CENTRAL or a trial register gives it: no volume, issue or pages to tell versions apart.
ARTICLE = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
               authors=["Smith, John", "Doe, Anna"], journal="Pain Physician")


def verdict(a: dict, b: dict) -> Verdict:
    return compare(record_keys(Record(source_id="a", **a)), record_keys(Record(source_id="b", **b)))


def test_years_more_than_one_apart_are_a_hard_conflict():
    # "any hard conflict → distinct: years more than one apart"
    assert verdict(dict(ARTICLE, year=2015), dict(ARTICLE, year=2017)).kind == DISTINCT
    assert verdict(dict(ARTICLE, year=2015), dict(ARTICLE, year=2012)).kind == DISTINCT
    # "years one apart → duplicate only with … the same journal with page 1 / missing volume (online first)"
    assert verdict(dict(ARTICLE, year=2015), dict(ARTICLE, year=2016)).kind == DUPLICATE


def test_a_differing_identifier_outweighs_a_shared_one():
    # "different DOIs/PMIDs → distinct (uncertain if every other field agrees)": one shared DOI does not
    # cancel a PMID that differs — two PubMed records are two publications, whatever a DOI field says.
    a = dict(ARTICLE, year=2015, volume="18", pages="575-586", doi="10.1000/pp.2015.575", pmid="26000001")
    b = dict(a, pmid="26000002")
    assert verdict(a, b).kind == UNCERTAIN
    assert verdict(a, dict(b, year=2016)).kind == DISTINCT  # not every other field agrees
    assert verdict(a, dict(b, pmid="26000001")).kind == DUPLICATE  # the control: nothing differs


def test_duplicate_pairs_are_joined_strongest_first():
    # "Clusters: duplicate pairs are joined strongest first … if any cross pair is related or distinct the
    # join is refused and the pair is queued". Records 0 and 2 conflict; 0–1 (score 3) is stronger than
    # 1–2 (score 2), so 0–1 joins first and 1–2 is refused: [[0, 1], [2]], with 1–2 queued.
    verdicts = {(0, 1): Verdict(DUPLICATE, 3.0, "strong"), (1, 2): Verdict(DUPLICATE, 2.0, "weaker")}

    def verdict_of(i, j):
        assert (i, j) == (0, 2)
        return Verdict(DISTINCT, 0.0, "first pages differ")

    result = build_clusters(3, verdicts, verdict_of, ["", "", ""], {})
    assert result.clusters == [[0, 1], [2]]
    assert [(p.a, p.b) for p in result.uncertain] == [(1, 2)]
    # the same chain with the scores swapped resolves the other way
    swapped = {(0, 1): Verdict(DUPLICATE, 2.0, "weaker"), (1, 2): Verdict(DUPLICATE, 3.0, "strong")}
    assert build_clusters(3, swapped, verdict_of, ["", "", ""], {}).clusters == [[0], [1, 2]]


def test_a_related_decision_splits_an_earlier_record_for_good():
    # "Reviewer decisions override the rules": records merged by an earlier run (one record ID) that a
    # reviewer has since called related publications are linked, not kept together on the next run.
    a = Record(source_id="111", **dict(ARTICLE, year=2015, volume="18", pages="575-586"))
    b = Record(source_id="112", **dict(ARTICLE, year=2015, volume="18", pages="575-586"))
    labels = ["pubmed:111", "scopus:112"]
    decisions = {frozenset(labels): "related"}
    result = deduplicate([a, b], labels=labels, decisions=decisions, previous_ids=["R000001", "R000001"],
                         progress=False)
    assert result.clusters == [[0], [1]]
    assert [(p.a, p.b) for p in result.related] == [(0, 1)]
    # without the decision the earlier record stays whole
    kept = deduplicate([a, b], labels=labels, previous_ids=["R000001", "R000001"], progress=False)
    assert kept.clusters == [[0, 1]]
