"""Two titles that differ by one word swapped for an unalike one name two studies (docs/dedup.md, step 3:
"one word swapped for an unalike one, liver/kidney"; contrast.py: words this unalike are "another word, not a
typo; typos and spelling variants stay well above it").

The words at the threshold itself (rapidfuzz ratio exactly 60: five letters each, three in common in order,
2 × 3 / 10) are body parts and people that are plainly other words — "mouth"/"tooth", "heart"/"chest",
"nerve"/"nurse" — so a swap of them is a contrast; a one-letter typo or a spelling variant of a five-letter
word stays at 80 or more and is no contrast.
"""

import pytest
from rapidfuzz import fuzz

from sysrev.dedup.contrast import contrasting
from sysrev.dedup.keys import normalise_title

TEMPLATE = "Infections of the {} in children treated for acute leukaemia"


@pytest.mark.parametrize("x, y", [("mouth", "tooth"), ("heart", "chest"), ("nerve", "nurse")])
def test_a_word_swapped_for_another_at_the_threshold_is_a_contrast(x, y):
    # three letters in common in order out of five and five: ratio 2 * 3 / (5 + 5) = 60 exactly
    assert fuzz.ratio(x, y) == 60.0
    a, b = normalise_title(TEMPLATE.format(x)), normalise_title(TEMPLATE.format(y))
    assert contrasting(a, b) and contrasting(b, a)


@pytest.mark.parametrize("x, y", [("mouth", "moth"), ("heart", "haert"), ("nerve", "nerves")])
def test_a_typo_of_a_five_letter_word_is_no_contrast(x, y):
    # a letter dropped, two letters swapped, a plural: ratio 2 * 4 / 9 ≈ 89, 2 * 4 / 10 = 80, a prefix
    a, b = normalise_title(TEMPLATE.format(x)), normalise_title(TEMPLATE.format(y))
    assert not contrasting(a, b) and not contrasting(b, a)
