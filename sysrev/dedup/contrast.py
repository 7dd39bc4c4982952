"""Words whose swap turns a title into the title of another study ("men" vs "women", "in vivo" vs "in vitro").

Two titles can be 97 % alike and still name two different papers by the same authors in the same journal and
year: "Risk of stroke in men with atrial fibrillation" and "... in women with ...". When such records have no
volume or pages to tell them apart (CENTRAL and trial-register records often have none), title similarity alone
would merge them. :func:`contrasting` finds these swaps so that scoring can demand the whole citation agree,
as it does for a changed number ("HPV16" vs "HPV18").

Titles are compared as normalised word lists (:func:`sysrev.dedup.keys.normalise_title`), so spelling variants
("paediatric"/"pediatric") are already equal and never look like a contrast.
"""

from collections import Counter

from rapidfuzz import fuzz

# Each group lists concepts (the word forms of one concept separated by spaces) that name different
# populations, designs, sides or directions: a word of one title replaced by a word of *another* concept of
# the same group means a different study; forms of one concept ("adolescent"/"adolescents") do not.
_GROUPS = [
    ["men man male males boy boys", "women woman female females girl girls"],
    ["vivo", "vitro", "silico", "situ"],
    ["with", "without"],
    ["adult adults", "adolescent adolescents", "child children childhood", "infant infants",
     "neonate neonates neonatal newborn newborns", "elderly older", "young younger", "pediatric",
     "preterm", "term"],
    ["acute", "subacute", "chronic"],
    ["primary", "secondary", "tertiary"],
    ["positive", "negative"],
    ["increase increases increased increasing", "decrease decreases decreased decreasing reduced reduction"],
    ["high higher", "low lower"], ["upper", "lower"],
    ["left", "right"], ["early earlier", "late later"], ["before", "after"],
    ["first", "second", "third", "fourth", "fifth"],
    ["short", "long"], ["major", "minor"], ["benign", "malignant"],
    ["inpatient inpatients", "outpatient outpatients"],
    ["anterior", "posterior"], ["proximal", "distal"], ["superior", "inferior"], ["medial", "lateral"],
    ["unilateral", "bilateral"], ["systolic", "diastolic"],
    ["sensitive", "resistant refractory", "susceptible"],
    ["mild", "moderate", "severe"], ["single", "double", "multiple"],
    ["efficacy", "safety"], ["incidence", "prevalence"], ["mortality", "morbidity"],
    ["diagnosis", "treatment", "prevention", "screening"],
    ["urban", "rural"], ["maternal", "paternal"], ["fresh", "frozen"], ["arterial", "venous"],
    ["i", "ii", "iii", "iv", "v", "vi"],
    ["rat rats", "mouse mice murine", "dog dogs canine", "cat cats feline", "pig pigs porcine swine",
     "rabbit rabbits", "sheep ovine", "horse horses equine", "cow cows cattle bovine",
     "monkey monkeys primate primates", "human humans", "zebrafish"],
]
_CONCEPTS_OF = {}
for _g, _group in enumerate(_GROUPS):
    for _c, _forms in enumerate(_group):
        for _word in _forms.split():
            _CONCEPTS_OF.setdefault(_word, set()).add((_g, _c))


def _swapped_concept(x: str, y: str) -> bool:
    """``x`` and ``y`` name different concepts of one group."""
    cx, cy = _CONCEPTS_OF.get(x), _CONCEPTS_OF.get(y)
    if not cx or not cy or cx & cy:
        return False
    return bool({g for g, _ in cx} & {g for g, _ in cy})


# Prefixes that reverse or move what the rest of the word says ("hypertension"/"hypotension",
# "preoperative"/"postoperative", "active"/"inactive"); "" stands for the bare word.
_PREFIX_GROUPS = [
    ("hyper", "hypo"), ("pre", "post", "intra", "peri"), ("intra", "inter", "extra"), ("over", "under"),
    ("sub", "supra"), ("mono", "poly", "multi"), ("uni", "bi"), ("", "non"), ("", "un"), ("", "anti"),
    ("", "in"), ("", "im"), ("", "dis"), ("", "neo"),
]
# A one-word swap between words this unalike (rapidfuzz ratio at or below it) is another word, not a typo ("liver" vs
# "kidney", "depression" vs "anxiety"; at the threshold itself "mouth" vs "tooth"); typos and spelling variants
# stay well above it.
UNALIKE_WORDS = 60.0
# A word added to one title that negates it ("small cell" vs "non small cell", "effect" vs "no effect").
_NEGATIONS = {"non", "not", "no", "without", "never", "un", "anti"}
MIN_STEM = 4


def _prefix_swap(x: str, y: str) -> bool:
    """``x`` and ``y`` are one stem behind two prefixes of one group (``hypertension``/``hypotension``).

    Symmetric: the prefixes of a group are tried in turn on ``x``, so ``y``'s prefix is found either way.
    """
    if x[-MIN_STEM:] != y[-MIN_STEM:]:
        return False
    for group in _PREFIX_GROUPS:
        for p in group:
            if not x.startswith(p):
                continue
            stem = x[len(p):]
            if len(stem) < MIN_STEM:
                continue
            if any(q != p and y == q + stem for q in group):
                return True
    return False


def _unalike(x: str, y: str) -> bool:
    """Two words, one swapped for the other in a title, that are not one word written two ways.

    Words with digits are left to the title-number rule; words of one or two letters are never taken as
    unalike (a Greek letter that lost its symbol in an export, "TNF-α" → "TNF-a", leaves "a" for "alpha");
    a word and its abbreviation ("rehab", "rehabilitation") are one word.
    """
    if not (x.isalpha() and y.isalpha()) or min(len(x), len(y)) < 3:
        return False
    if x.startswith(y) or y.startswith(x):
        return False
    return fuzz.ratio(x, y) <= UNALIKE_WORDS


def contrasting(title_a: str, title_b: str) -> bool:
    """True when two normalised titles differ by a contrasting word swap, a swap of two unalike words or an
    added negation."""
    words_a, words_b = Counter(title_a.split()), Counter(title_b.split())
    only_a, only_b = list((words_a - words_b).elements()), list((words_b - words_a).elements())
    if not only_a and not only_b:
        return False
    if len(only_a) <= 2 and not only_b and _NEGATIONS.intersection(only_a):
        return True
    if len(only_b) <= 2 and not only_a and _NEGATIONS.intersection(only_b):
        return True
    if len(only_a) == len(only_b) == 1:
        x, y = only_a[0], only_b[0]
        if len(x) == len(y) == 1 and x.isalpha() and y.isalpha():
            return True  # "hepatitis b" vs "hepatitis c", "influenza a" vs "influenza b"
        if _unalike(x, y):
            return True
    for x in only_a:
        for y in only_b:
            if _swapped_concept(x, y) or _prefix_swap(x, y):
                return True
    return False
