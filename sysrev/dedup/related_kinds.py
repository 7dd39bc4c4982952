"""Which labelled duplicate pairs are *related* publications rather than one record twice (for scoring (b)).

Published dedup benchmarks often put an erratum, an author reply, a conference abstract and the full paper,
or registrations of different trials of one programme, in one duplicate cluster. sysrev links such records as
related and never merges them (docs/dedup.md), so benchmarks are scored two ways: (a) against the labels as
published and (b) with the labelled pairs of those related kinds taken out. This module is the rule that
decides (b); it looks only at what the two records themselves say, never at sysrev's verdict, and returns the
evidence so that every removed pair can be listed and audited.

A labelled pair is related (first match wins; never when both records state the same volume and first page
and no different issues: that is one item indexed twice, whatever kind one database gives it):

* ``erratum`` — exactly one record is a correction notice: its title starts with erratum/correction/
  corrigendum or cites the corrected article (``(vol 360, pg 542, 2009)``, ``(Journal (2009) 360 (542-544))``),
  or its publication type says so;
* ``reply`` — exactly one record is a reply or a comment on the other: a title marker (``- Reply``,
  ``Reply to``, ``In reply``, ``Response to``, ``Comment on``, ``Author's reply``) or publication type;
* ``notice in another issue`` — both state the same volume and an issue of the same journal, the issues
  differ, and one record is a single page: a one-page erratum, reply or abstract printed under the article's
  title in another issue;
* ``conference abstract`` — one record is a meeting abstract (venue naming a conference, congress, meeting,
  symposium, abstracts or proceedings; a proceedings entry type; a supplement item of one or two pages) and
  the other is not: it starts on another page or is an article of 3-60 pages (a longer range is a whole
  abstract book, given for each abstract in it); or both are abstracts printed in journals
  of different venues, or of one volume at different first pages (two meetings, two abstracts);
* ``different registrations`` — both records are trial-register entries (a register as venue, or no venue,
  volume, pages or DOI at all) and their titles name different things (a word of one is not in the other:
  "adult" vs "adolescent", "sensitive" vs "resistant").
"""

import re

from sysrev.dedup.keys import fold, normalise_meeting, normalise_title, record_keys
from sysrev.dedup.scoring import journal_match
from sysrev.records import Record

_ERRATUM_TITLE = re.compile(r"^\s*(?:erratum|errata|correction|corrigendum|corrigenda|notice of correction)\b|"
                            r"\(vol\.? \d+,? (?:pg|p)\.? \d+|\([^()]*\(\d{4}\)\s*\d+\s*\(\d+[-\u2013]?\d*\)\)")
_REPLY_TITLE = re.compile(r"(?:^|\s)[-\u2013:]\s*(?:reply|response|authors?'? reply)\s*[.]?$|^\s*(?:re:|reply\b|"
                          r"in reply\b|response to\b|comment on\b|comments on\b|commentary on\b|"
                          r"authors?'?s? reply\b)|\breply to\b|\bauthors?'?s? reply\b")
_MEETING = re.compile(r"\b(?:conference|congress|meeting|symposium|abstracts?|proceedings)\b")
_SUPPLEMENT = re.compile(r"\bsuppl|supplement")
_REGISTER = re.compile(r"\b(?:clinicaltrials\.?gov|isrctn|anzctr|chictr|eudract|ictrp|ctri|drks|"
                       r"trial regist(?:er|ry|ration))")


# A page range longer than this is no article: a whole abstract book given for each abstract in it.
ABSTRACT_BOOK_PAGES = 60


def _types(r: Record) -> str:
    return " ".join(str(t) for t in r.publication_types or []).lower()


def _is_erratum(r: Record) -> bool:
    return bool(_ERRATUM_TITLE.search(fold(r.title or ""))) or "erratum" in _types(r)


def _is_reply(r: Record) -> bool:
    return bool(_REPLY_TITLE.search(fold(r.title or ""))) or "comment" in _types(r)


def _single_page(r: Record) -> bool:
    parts = [p.strip() for p in re.split(r"[-\u2013]", str(r.pages or "")) if p.strip()]
    return len(parts) == 1 or (len(parts) == 2 and parts[0] == parts[1])


def _is_abstract(r: Record) -> bool:
    """A meeting abstract: the venue names a meeting, the type says so, or a supplement item of one or two
    pages (a supplement article with a longer range is an article)."""
    venue = fold(" ".join((r.journal or "", str((r.extra or {}).get("booktitle", "") or ""))))
    entry = str((r.extra or {}).get("ENTRYTYPE", "")).lower()
    if (_MEETING.search(venue) or "meeting abstract" in _types(r) or "conference" in _types(r)
            or entry in ("inproceedings", "conference", "proceedings")):
        return True
    supplement = _SUPPLEMENT.search(fold(f"{r.volume} {r.issue}")) or re.match(r"^\s*s\d?", fold(r.issue or ""))
    supplement = supplement or re.match(r"^\s*s\d", fold(r.pages or ""))
    return bool(supplement) and _pages_spanned(r) in (1, 2)


def _pages_spanned(r: Record) -> int:
    numbers = [int(n) for n in re.findall(r"\d+", str(r.pages or ""))[:2]]
    if not numbers:
        return 0
    return 1 if len(numbers) == 1 else max(1, numbers[1] - numbers[0] + 1)


def _first_page(r: Record) -> str:
    match = re.search(r"\d+", str(r.pages or ""))
    return match.group(0) if match else ""


def _same_place(a: Record, b: Record) -> bool:
    """Both records state a volume and a first page, and the same ones, and no different issues."""
    issues_a, issues_b = set(re.findall(r"\d+", str(a.issue or ""))), set(re.findall(r"\d+", str(b.issue or "")))
    return bool(a.volume and _first_page(a) and str(a.volume).strip() == str(b.volume).strip()
                and _first_page(a) == _first_page(b) and not (issues_a and issues_b and not issues_a & issues_b))


def _same_venue(a: Record, b: Record) -> bool:
    """The same journal (abbreviations allowed: ``J Thromb Haemost``), the same meeting appended to the
    journal by both, or a meeting given as the venue by one record and appended to the journal by the other
    (``Gut.Conference: 48th Annual Meeting …`` vs ``48th Annual Meeting …``)."""
    meeting_a, meeting_b = normalise_meeting(a.journal or ""), normalise_meeting(b.journal or "")
    if meeting_a and meeting_b and meeting_a != meeting_b:
        return False
    return journal_match(record_keys(a), record_keys(b)) == "same"


def _is_registration(r: Record) -> bool:
    if _REGISTER.search(fold(r.journal or "")) or "trial regist" in _types(r):
        return True
    return not (r.journal or r.volume or r.pages or r.doi)


def classify(a: Record, b: Record) -> tuple[str, str]:
    """``(kind, evidence)`` when the labelled pair ``a``, ``b`` is a related publication pair (see the module
    docstring), else ``("", "")``."""
    if _same_place(a, b):
        return "", ""  # one item indexed twice, one database marking its kind and the other not
    if _is_erratum(a) != _is_erratum(b):
        notice = a if _is_erratum(a) else b
        return "erratum", f"{notice.source_id} is a correction notice: {notice.title!r}"
    if _is_reply(a) != _is_reply(b):
        reply = a if _is_reply(a) else b
        return "reply", f"{reply.source_id} is a reply or comment: {reply.title!r}"
    issue_a, issue_b = re.findall(r"\d+", str(a.issue or "")), re.findall(r"\d+", str(b.issue or ""))
    same_journal = _same_venue(a, b)
    if (issue_a and issue_b and not set(issue_a) & set(issue_b) and (_single_page(a) or _single_page(b))
            and a.pages and b.pages and same_journal and a.volume and a.volume == b.volume):
        return "notice in another issue", (f"volume {a.volume}: issue {a.issue} p. {a.pages} vs issue {b.issue} "
                                           f"p. {b.pages} of {a.journal}")
    abstract_a, abstract_b = _is_abstract(a), _is_abstract(b)
    pages_differ = bool(_first_page(a) and _first_page(b) and _first_page(a) != _first_page(b))
    one_abstract_beside_other = (abstract_a != abstract_b) and (
        pages_differ or 2 < _pages_spanned(b if abstract_a else a) <= ABSTRACT_BOOK_PAGES)
    # two abstracts printed in journals (proceedings entries name one conference in many ways: not compared)
    two_meetings = abstract_a and abstract_b and bool(a.journal and b.journal) and (
        not same_journal or (pages_differ and a.volume and a.volume == b.volume))
    if one_abstract_beside_other or two_meetings:
        return "conference abstract", (f"{a.source_id} {'abstract' if abstract_a else 'article'} "
                                       f"({a.journal[:60]} {a.volume}({a.issue}) p. {a.pages}) vs {b.source_id} "
                                       f"{'abstract' if abstract_b else 'article'} ({b.journal[:60]} "
                                       f"{b.volume}({b.issue}) p. {b.pages})")
    if _is_registration(a) and _is_registration(b):
        words_a, words_b = set(normalise_title(a.title).split()), set(normalise_title(b.title).split())
        if words_a and words_b and words_a != words_b:
            return "different registrations", (f"titles differ in {sorted(words_a ^ words_b)[:6]}")
    return "", ""


def related_pairs(records: list[Record], true_clusters) -> dict:
    """``{(id_a, id_b): (kind, evidence)}`` for every labelled pair (sorted IDs) classified as related."""
    by_id = {r.source_id: r for r in records}
    out = {}
    for members in true_clusters:
        ids = sorted(set(members))
        for x, i in enumerate(ids):
            for j in ids[x + 1:]:
                if i in by_id and j in by_id:
                    kind, evidence = classify(by_id[i], by_id[j])
                    if kind:
                        out[(i, j)] = (kind, evidence)
    return out
