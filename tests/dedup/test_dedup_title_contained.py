"""A title contained in the other (a subtitle dropped, a title truncated) is a similar title (docs/dedup.md,
step 3: "one title of 30 characters or more contained in the other — at least 97 % alike where it fits best,
rapidfuzz partial ratio"), so it merges when the first author, year, volume and first page agree, however much
longer the other title is.

The boundary is pinned with typos counted by hand: the shorter title has exactly 100 characters in its
comparison form, and each pair of swapped neighbouring letters ("functoin") keeps 99 of 100 in order; three
such swaps leave 97 of 100 — 97 % — and four leave 96.
"""

from rapidfuzz import fuzz
from verdict_pairs import title_pair_kind

from sysrev.dedup.keys import normalise_title
from sysrev.dedup.scoring import DUPLICATE

SHORT = "Effect of early mobilisation on pain and function after total knee arthroplasty in obese older women"
FULL = SHORT + (": a multicentre randomised controlled trial with two years of follow-up in three Nordic "
                "countries")
THREE_SWAPS = SHORT.replace("function", "functoin").replace("arthroplasty", "arthroplatsy").replace("obese", "obees")
FOUR_SWAPS = THREE_SWAPS.replace("total", "toatl")
# one first page (a range would bring in the reworded-title rule, which is not the rule under test)
CITATION = dict(authors=["Karlsson, Ingrid"], year=2018, journal="Journal of Bone and Joint Surgery", volume="100",
                pages="561")


def kind(title_a: str, title_b: str) -> str:
    return title_pair_kind(title_a, title_b, CITATION)


def test_the_counted_characters():
    assert len(normalise_title(SHORT)) == 100
    assert fuzz.partial_ratio(normalise_title(THREE_SWAPS), normalise_title(FULL)) == 97.0
    assert fuzz.partial_ratio(normalise_title(FOUR_SWAPS), normalise_title(FULL)) == 96.0
    # the whole titles are far apart: only the containment makes them similar
    assert fuzz.ratio(normalise_title(SHORT), normalise_title(FULL)) < 88


def test_a_title_without_its_subtitle_merges():
    assert kind(SHORT, FULL) == DUPLICATE


def test_a_contained_title_97_percent_alike_where_it_fits_merges():
    assert kind(THREE_SWAPS, FULL) == DUPLICATE


def test_a_contained_title_less_alike_is_not_a_similar_title():
    assert kind(FOUR_SWAPS, FULL) != DUPLICATE
