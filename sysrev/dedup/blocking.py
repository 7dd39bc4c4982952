"""Candidate pairs: only records that share a blocking key are compared, so the cost grows almost linearly.

Several independent keys catch duplicates that differ in different fields: shared identifiers (DOI, PMID,
PMCID), the start of the title, the end of the title (a prefix such as "Erratum:" or a typo in the first words),
the title's longest words (reordered words), two locators without the title (first author + year + first page;
volume + first page), and the trial registration numbers a record states (to link a trial's registrations and
reports as related). A key shared by very many records (a common title opening) is not compared all-pairs: its
records are sorted by title and each is compared with its nearest neighbours only (sorted-neighbourhood), which
bounds the work per key; the exact normalised title is a key of its own, so records with one common title are
still compared even when that title's opening forms a large block.
"""

from collections import defaultdict

from sysrev.dedup.keys import Keys

# Blocks larger than this are compared by sorted neighbourhood with this window instead of all pairs.
MAX_BLOCK = 60
WINDOW = 12
TITLE_PREFIX = 28
TITLE_SUFFIX = 28
LONG_WORDS = 4


def blocking_keys(k: Keys) -> list[tuple]:
    """The blocking keys of one record (tuples tagged with the key's name)."""
    out = []
    if k.doi:
        out.append(("doi", k.doi))
    if k.pmid:
        out.append(("pmid", k.pmid))
    if k.pmcid:
        out.append(("pmcid", k.pmcid))
    if k.trial_id:  # one trial from two exports, its public title in one and its scientific title in the other
        out.append(("trial", k.trial_id))
    # A registration and a report of its trial, or two registers' entries of one trial: linked as related.
    out.extend(("trial-ref", ref) for ref in sorted(k.trial_refs))
    out.extend(("pmid", pmid) for pmid in sorted(k.listed_pmids))
    if k.title_informative:
        squeezed = k.title.replace(" ", "")
        out.append(("t-full", squeezed))
        out.append(("t-start", squeezed[:TITLE_PREFIX]))
        if len(squeezed) > TITLE_SUFFIX + 6:
            out.append(("t-end", squeezed[-TITLE_SUFFIX:]))
        words = sorted({w for w in k.title.split() if len(w) > 3}, key=lambda w: (-len(w), w))[:LONG_WORDS]
        if len(words) >= 3:
            out.append(("t-words", tuple(sorted(words))))
    if k.first_author and k.first_page:
        out.append(("author-page", k.first_author[:6], k.year, k.first_page))
    if k.volume and k.first_page:
        out.append(("volume-page", k.volume, k.first_page))
    if k.first_author and k.year and not k.title_informative:
        out.append(("author-year", k.first_author, k.year))
    return out


def candidate_pairs(keys: list[Keys], progress=None) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``i < j`` that share at least one blocking key."""
    blocks = defaultdict(list)
    for i, k in enumerate(keys):
        for key in blocking_keys(k):
            blocks[key].append(i)
        if progress is not None:
            progress.update(1)
    pairs = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    pairs.add((i, j) if i < j else (j, i))
        else:
            ordered = sorted(members, key=lambda m: (keys[m].title, keys[m].first_author))
            for x, i in enumerate(ordered):
                for j in ordered[x + 1: x + 1 + WINDOW]:
                    pairs.add((i, j) if i < j else (j, i))
    return pairs
