"""Contrasting words (docs/dedup.md, step 3: "a contrasting word (contrast.py)"): two titles that differ by a
word of another concept of one group (men/women, acute/chronic), a prefix that reverses the stem (pre/post,
hyper/hypo, an added non), an added negation, or one word swapped for an unalike one (liver/kidney) name two
studies; a rewording, a spelling or indexing variant, or a longer title that merely contains a negation word
does not. Titles are compared as normalised by keys.normalise_title, as scoring does.
"""

import pytest

from sysrev.dedup.contrast import contrasting
from sysrev.dedup.keys import normalise_title


def differ(title_a, title_b):
    """Both orders give one answer (which record comes first never matters)."""
    a, b = normalise_title(title_a), normalise_title(title_b)
    forward, backward = contrasting(a, b), contrasting(b, a)
    assert forward == backward, (title_a, title_b)
    return forward


@pytest.mark.parametrize(("title_a", "title_b"), [
    ("Perioperative lidocaine infusion for pain after spine surgery",
     "Intraoperative lidocaine infusion for pain after spine surgery"),   # two later prefixes of one group
    ("Unsafe injection practices in primary care", "Safe injection practices in primary care"),  # 4-letter stem
    ("Pain in the leg after hip arthroplasty", "Pain in the arm after hip arthroplasty"),  # 3-letter swap
    ("No effect of vitamin D on knee pain: a randomised trial",
     "Effect of vitamin D on knee pain: a randomised trial"),                # one added negation
    ("Duloxetine was not significantly better than placebo for knee pain",
     "Duloxetine was better than placebo for knee pain"),                     # two added words, one a negation
])
def test_titles_that_name_another_study(title_a, title_b):
    assert differ(title_a, title_b)


@pytest.mark.parametrize(("title_a", "title_b"), [
    ("Exercise for chronic low back pain", "Exercise for chronic low back pain"),           # identical
    ("Exercise for chronic low back pain", "Chronic low back pain: exercise for"),          # word order
    ("Knee pain in older patients with osteoarthritis",
     "Knee pain in elderly patients with severe osteoarthritis"),  # older → elderly (one concept), "severe" added
    ("Pain relief in knee osteoarthritis", "Pain relief of knee osteoarthritis"),   # a swapped two-letter word
    ("TNF-α blockade in plaque psoriasis", "TNF-a blockade in plaque psoriasis"),  # a Greek letter lost its symbol
    ("COVID19 vaccine uptake in nursing homes", "Influenza vaccine uptake in nursing homes"),  # digits: number rule
    ("Outcomes of rehabilitation after stroke", "Outcomes of rehab after stroke"),  # an abbreviated word
    ("Efficacy of pembrolizumab in non small cell lung cancer", "Efficacy of pembrolizumab in lung cancer"),
])
def test_titles_that_do_not_name_another_study(title_a, title_b):
    # the last: three added words that include "non" are a fuller title, not a negation of the shorter one
    assert not differ(title_a, title_b)
