"""A contrasting word keeps two titles apart however unlike the rest of the titles is (docs/dedup.md, step 3):

* "a reworded or translated title … never when the titles differ by a number or a contrasting word";
* "titles … with … a contrasting word (`men`/`women` …)" are a hard conflict unless journal, volume, first page,
  year and first author all agree — and a title contained in the other (a subtitle dropped) is a similar title,
  so a subtitle on one record must not hide the contrast.

The rules that rescue unlike titles (a title reworded on the same page range, a title contained in the
other) are where a contrast matters most, since the rest of the title no longer tells the two apart.
"""

import pytest
from verdict_pairs import title_pair_kind

from sysrev.dedup.scoring import DUPLICATE

PLACE = dict(authors=["Karlsson, Ingrid", "Novak, Petr"], year=2018, journal="Journal of Bone and Joint Surgery",
             volume="100", issue="7", pages="561-570")
MEN = "Early mobilisation after total knee arthroplasty in men: effect on length of hospital stay"
REWORDED = "Length of hospital stay after total knee arthroplasty in {}: the effect of early mobilisation"


def kind(title_a: str, title_b: str, **fields) -> str:
    return title_pair_kind(title_a, title_b, dict(PLACE, **fields))


def test_a_reworded_title_on_the_same_page_range_merges():
    # the rule itself: same author, year, journal, volume, issue and the same multi-page range
    assert kind(MEN, REWORDED.format("men")) == DUPLICATE


@pytest.mark.parametrize("other", [REWORDED.format("women"), REWORDED.format("women").replace("after", "before")])
def test_a_reworded_title_with_a_contrasting_word_never_merges(other):
    assert kind(MEN, other) != DUPLICATE


SHORT = "Effect of early mobilisation on pain in {} after total knee arthroplasty"
SUBTITLE = ": a multicentre randomised controlled trial with two years of follow-up"


def test_a_title_contained_in_the_other_merges():
    # a subtitle dropped by one database: a similar title, merged with author, year, journal and first page
    assert kind(SHORT.format("men"), SHORT.format("men") + SUBTITLE, volume="") == DUPLICATE


def test_a_subtitle_on_one_record_does_not_hide_a_contrasting_word():
    # without the subtitle the two titles differ by men/women: another study (no volume on either side, so the
    # whole citation does not agree and the contrast stands); a subtitle on one of them changes nothing
    assert kind(SHORT.format("men"), SHORT.format("women"), volume="") != DUPLICATE
    assert kind(SHORT.format("men"), SHORT.format("women") + SUBTITLE, volume="") != DUPLICATE
