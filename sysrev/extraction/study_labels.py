"""Study labels written two ways: the hint for a label that a table, form or exemption uses and studies.csv lacks.

Every stage names a study by its label in ``analysis/extraction/studies.csv`` (``Author Year[letter]``). When a
team mends a label there (``Park 2013`` → ``Park 2013a``), the extraction rows, RoB 2 forms and exemptions keep
the old one until they are changed too, and each is then "not in studies.csv". The checks point at the label it
most likely meant, and say why, without guessing between different studies.
"""

import difflib
import re

_LABEL = re.compile(r"^(.*?)\b(\d{4})\s*([a-z]?)\W*$")  # author part, year, letter of an ``Author Year[a]`` label


def renamed_study_hint(study: str, labels) -> str:
    """``"; did you mean 'X'? …"`` when one of ``labels`` (studies.csv's) looks like ``study`` written another
    way, else ``""``."""
    close = next((label for label in sorted(labels) if same_study_label(study, label)), None)
    return (f"; did you mean {close!r}? A study renamed in studies.csv keeps its old label in the extraction rows, "
            "RoB 2 forms and exemptions until they are renamed too") if close else ""


def same_study_label(a: str, b: str) -> bool:
    """Whether two study labels (``Author Year[letter]``) look like one study written two ways: the same but for
    case, spaces, punctuation and "et al." (``Park, 2013``), one with a letter added (``Park 2013a``), or the
    same year with a misspelt name (``Parc 2013``). Labels without a year, with different years or with
    different letters (``Lee 2020a``, ``Lee 2020b``: two studies by convention) are other studies."""
    parts = [_LABEL.match(label.casefold()) for label in (a, b)]
    if not all(parts):
        return False
    (name_a, year_a, letter_a), (name_b, year_b, letter_b) = (
        ("".join(c for c in m.group(1) if c.isalpha()).removesuffix("etal"), m.group(2), m.group(3)) for m in parts)
    if year_a != year_b or (letter_a and letter_b and letter_a != letter_b):
        return False
    if letter_a != letter_b:  # one has a letter added: only to the same name
        return name_a == name_b
    return difflib.SequenceMatcher(None, name_a, name_b).ratio() >= 0.75
