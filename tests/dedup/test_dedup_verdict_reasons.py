"""The reason each pair verdict carries, as the reviewer reads it (docs/dedup.md: the review queue's ``reason``
column, ``sysrev dedup review``, ``extra.dedup_related`` in ``records.jsonl``).

A reason must say what decided the pair — which identifier, which field agrees or differs — and it is a
lower-case clause: the clustering step joins it into longer notes ("same title; but records pubmed:1 and embase:9 in
the joined cluster conflict (first pages differ …)", "…; would join existing records R000003 and R000007"), so
only acronyms and names keep their capitals (``DOI/PMID``, ``Cochrane``).
"""

import re

import pytest
from verdict_pairs import duplicates, kept_apart, phrases, uncertain, verdict

from sysrev.dedup.scoring import DISTINCT, DUPLICATE, RELATED, UNCERTAIN

# the words of a reason that may carry capitals: identifiers' acronyms and the name of the Cochrane Library
CAPITALISED = {"DOI/PMID", "Cochrane"}

PAIRS = [(DUPLICATE, name, pair) for name, pair in duplicates().items()]
PAIRS += [(UNCERTAIN, name, pair) for name, pair in uncertain().items()]
PAIRS += [(None, name, pair) for name, pair in kept_apart().items()]


@pytest.mark.parametrize("kind, name, pair", PAIRS, ids=[name for _, name, _ in PAIRS])
def test_the_reason_names_what_decided_the_pair_in_a_lower_case_clause(kind, name, pair):
    a, b, what = pair
    v = verdict(a, b)
    assert v.kind == kind if kind else v.kind in (RELATED, DISTINCT)
    for phrase in phrases(what):
        assert phrase in v.reason
    assert v.reason == v.reason.strip() and v.reason[0].islower()
    capitalised = {w for w in re.findall(r"[A-Za-z/]+", v.reason) if not w.islower()}
    assert capitalised <= CAPITALISED, v.reason


def test_a_related_pair_under_one_title_suggests_what_the_other_item_may_be():
    # "When a veto fires and the titles agree with the same first author … the pair is linked as related (an
    # erratum, reply, abstract or reprint printed under the article's title)": the reason says so
    a, b, _ = kept_apart()["same title and first author, another issue and page"]
    v = verdict(a, b)
    assert v.kind == RELATED
    assert v.reason.endswith("(an erratum, abstract, reply or reprint?)")
