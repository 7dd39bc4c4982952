"""Blocking stays near-linear; the merged record keeps the most complete value of each field."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sysrev.dedup.blocking import MAX_BLOCK, candidate_pairs
from sysrev.dedup.engine import deduplicate
from sysrev.dedup.keys import record_keys
from sysrev.dedup.merge import merge_records
from sysrev.records import Record


def synthetic(n, vocabulary, seed=1):
    rng = random.Random(seed)
    out = []
    for i in range(n):
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(6, 12)))
        out.append(Record(source_id=str(i), title=title, authors=[f"{rng.choice(vocabulary)}, A"],
                          year=rng.randint(1990, 2024), volume=str(rng.randint(1, 400)),
                          pages=f"{rng.randint(1, 2999)}-{rng.randint(3000, 3200)}"))
    return out


def pseudo_words(n, seed=2):
    rng = random.Random(seed)
    return ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10))) for _ in range(n)]


def test_candidate_pairs_grow_about_linearly():
    vocabulary = pseudo_words(3000)
    small = len(candidate_pairs([record_keys(r) for r in synthetic(2000, vocabulary)]))
    large = len(candidate_pairs([record_keys(r) for r in synthetic(8000, vocabulary)]))
    assert large < 6 * max(small, 50)  # all-pairs would grow 16-fold


def test_candidate_pairs_are_bounded_even_when_every_title_looks_alike():
    tiny_vocabulary = ["pain", "spine", "trial", "nerve", "block", "injection"]
    n = 3000
    pairs = candidate_pairs([record_keys(r) for r in synthetic(n, tiny_vocabulary)])
    # each record meets at most MAX_BLOCK - 1 others per blocking key (sorted neighbourhood above that)
    assert len(pairs) <= n * (MAX_BLOCK - 1) * 9


def test_duplicates_share_a_block_through_different_keys():
    base = dict(title="Ultrasound-guided facet joint injections in chronic low back pain: a randomised trial",
                authors=["Smith, John"], year=2015, volume="18", pages="575-586")
    typo_start = Record(source_id="a", **dict(base, title="Ultrasoudn-guided" + base["title"][16:]))
    prefixed = Record(source_id="b", **dict(base, title="MEDICAL PROGRESS " + base["title"]))
    plain = Record(source_id="c", **base)
    pairs = candidate_pairs([record_keys(r) for r in (typo_start, prefixed, plain)])
    assert {(0, 2), (1, 2)} <= pairs


def test_merged_record_keeps_the_most_complete_value_of_each_field():
    pubmed = Record(source_id="1", source="pubmed", title="Effect of X on Y", authors=["Smith, J", "Doe, A"],
                    year=2015, journal="Pain Physician", pages="575-86", pmid="123", keywords=["pain"],
                    abstract="Short.")
    scopus = Record(source_id="2", source="scopus", title="Effect of X on Y: a randomised trial",
                    authors=["Smith, John", "Doe, Anna", "Brown, Carl"], year=2015, journal="Pain Phys",
                    volume="18", issue="3", pages="575-586", doi="10.1/abc", keywords=["pain", "injection"],
                    abstract="A much longer abstract with the methods and the results.")
    merged = merge_records([pubmed, scopus])
    assert merged.authors == scopus.authors
    assert merged.title == scopus.title and merged.abstract == scopus.abstract
    assert (merged.pmid, merged.doi, merged.volume, merged.issue) == ("123", "10.1/abc", "18", "3")
    assert merged.pages == "575-586" and merged.journal == "Pain Physician"
    assert merged.keywords == ["pain", "injection"]
    assert (pubmed.pmid, scopus.pmid) == ("123", "")  # the inputs are not modified


odd_text = st.one_of(st.none(), st.text(max_size=40), st.sampled_from(["", "UNKNOWN", "575-86", "S12-S9", "e1234",
                                                                        "10.", "Part II", "[Japanese]", "&amp;<i>"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "title": odd_text, "journal": odd_text, "volume": odd_text, "issue": odd_text, "pages": odd_text,
    "doi": odd_text, "pmid": odd_text,
    "year": st.one_of(st.none(), st.integers(-5, 30000), st.text(max_size=6)),
    "authors": st.one_of(st.none(), st.lists(st.text(max_size=20), max_size=4)),
    "extra": st.one_of(st.none(), st.just({"ENTRYTYPE": "inproceedings"})),
}), max_size=8))
def test_odd_values_never_crash_and_every_record_is_in_one_cluster(rows):
    records = [Record.from_dict({"source_id": str(i), **row}) for i, row in enumerate(rows)]
    result = deduplicate(records, progress=False)
    assert sorted(i for c in result.clusters for i in c) == list(range(len(records)))
