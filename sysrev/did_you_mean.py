"""The name a person most likely meant when they typed one sysrev does not know: a reviewer, an exclusion reason,
a key or value of a configuration file, a search strategy, an analysis.

One rule for every "did you mean …?" sysrev prints: a name equal to the typed one but for case, else the most
similar by difflib's ratio (at least ``cutoff``), both compared without regard to case.
"""

import difflib


def closest(word: str, candidates, cutoff: float = 0.6) -> str | None:
    """The candidate ``word`` most likely stands for, as written among ``candidates``; None when none is close.
    Candidates that are not text are passed over; of two that differ only in case, the first listed counts."""
    folded = {}
    for candidate in candidates:
        if isinstance(candidate, str):
            folded.setdefault(candidate.casefold(), candidate)
    word = str(word).casefold()
    if word in folded:
        return folded[word]
    close = difflib.get_close_matches(word, list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None
