"""A number that differs between two titles is another study ("HPV16" vs "HPV18") unless the whole citation
agrees — journal, volume, first page, year and first author — the titles are at least 90 % alike (rapidfuzz
ratio) and neither record is printed like an abstract: then it is a typo (docs/dedup.md, step 3, "any hard
conflict").

The boundary is pinned with titles whose ratio is worked out by hand: "prevalence of hpv16 in cervical smears
of women in oslo" has 55 characters; changing 16 to 18 keeps 54 of them in order, so a title of 65 characters
that adds ten ("screening ") and keeps those 54 is 2 × 54 / (55 + 65) = 90 % alike, and one of 66 characters
that adds eleven ("the ", "living ") is 2 × 54 / 121 = 89.3 % alike.
"""

import pytest
from rapidfuzz import fuzz
from verdict_pairs import title_pair_kind

from sysrev.dedup.keys import normalise_title
from sysrev.dedup.scoring import DUPLICATE

CITATION = dict(authors=["Nilsen, Kari", "Berg, Lars"], year=2009, journal="Acta Obstetricia et Gynecologica "
                "Scandinavica", volume="88", issue="4", pages="455-461")
TITLE = "Prevalence of HPV16 in cervical smears of women in Oslo"
AT_90 = "Prevalence of HPV18 in screening cervical smears of women in Oslo"
BELOW_90 = "Prevalence of HPV18 in cervical smears of the women living in Oslo"


def kind(title_a: str, title_b: str, **change) -> str:
    return title_pair_kind(title_a, title_b, dict(CITATION, **change))


def test_the_worked_out_ratios():
    assert len(normalise_title(TITLE)) == 55
    assert fuzz.ratio(normalise_title(TITLE), normalise_title(AT_90)) == pytest.approx(2 * 54 / 120 * 100)
    assert fuzz.ratio(normalise_title(TITLE), normalise_title(BELOW_90)) == pytest.approx(2 * 54 / 121 * 100)


def test_another_number_in_titles_90_percent_alike_with_the_whole_citation_agreeing_is_a_typo():
    assert kind(TITLE, AT_90) == DUPLICATE


def test_another_number_in_titles_less_alike_is_another_study_even_on_the_same_citation():
    assert kind(TITLE, BELOW_90) != DUPLICATE


def test_another_number_without_the_whole_citation_is_another_study():
    # the same titles 90 % alike, but no first page on either record: the citation does not agree in full
    assert kind(TITLE, AT_90, pages="") != DUPLICATE
