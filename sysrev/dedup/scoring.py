"""Decide whether two records are the same publication: duplicate, uncertain, related or distinct.

The decision is a set of explicit rules over field comparisons (rapidfuzz for titles and authors), written
to be conservative: a wrong merge silently removes a study from a review, a missed duplicate only costs a
reviewer a second look. So a pair is a *duplicate* only when the title agrees and the other fields that both
records have agree too, with enough of them present; a pair whose evidence is thin or mixed is *uncertain*
and goes to the review queue; publications that look alike but are different items (an erratum and its
article, a comment and the paper it discusses, a conference abstract and the full paper, a protocol and its
results, a preprint and the published version, two versions of a Cochrane review) are *related*.

Each verdict carries a short reason that the review queue shows to the human.
"""

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from sysrev.dedup.contrast import contrasting
from sysrev.dedup.keys import Keys
from sysrev.dedup.trial_refs import LISTS_PUBLICATION, NAMES_TRIAL, display
from sysrev.dedup.vetoes import ONLINE_FIRST_PAGE, located_together, locator_veto, page_veto

DUPLICATE, UNCERTAIN, RELATED, DISTINCT = "duplicate", "uncertain", "related", "distinct"

# Title similarity bands (rapidfuzz ratio on normalised titles, 0-100).
TITLE_HIGH = 95.0
TITLE_MEDIUM = 88.0
# A shorter title contained in a longer one (truncation, dropped subtitle) counts as a medium match.
TITLE_CONTAINED = 97.0
MIN_CONTAINED_CHARS = 30
# The longest page range the reworded-title rule accepts as one article.
MAX_ARTICLE_PAGES = 60
# Word overlap (rapidfuzz token_set_ratio) a reworded title needs when the whole page range agrees.
TITLE_WORDS_SHARED = 60.0
# A title this short (in words) needs a venue or page to agree before a merge.
SHORT_TITLE_WORDS = 5
# Share of name words two records of one conference paper dated a year apart must have in common.
CONFERENCE_AUTHORS_SHARED = 0.5
_YEAR_WORD = re.compile(r"(?:19|20)\d\d")
_ORDINAL_WORD = re.compile(r"\d+(?:st|nd|rd|th)")
_GENERIC_VENUE_WORDS = {"proceedings", "proc", "conference", "conf", "international", "intl", "annual", "meeting",
                        "symposium", "workshop", "congress", "th", "st", "nd", "rd", "ieee", "acm", "on", "papers",
                        "transactions", "journal", "track", "abstracts", "pp", "vol"}

_KIND_LABELS = {
    "erratum": "an erratum and the article it corrects",
    "retraction": "a retraction notice and the retracted article",
    "comment": "a comment or reply and the article it discusses",
    "conference": "a conference abstract or paper and a journal article",
    "protocol": "a protocol and its results",
    "preprint": "a preprint and the published version",
    "registration": "a trial registration and a publication of the trial",
    "thesis": "a thesis and a publication from it",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The decision on one pair, its strength (higher = surer it is a duplicate) and the reason."""

    kind: str
    score: float
    reason: str

    @property
    def conflict(self) -> bool:
        """True when the pair must not end up in one cluster (used by the cluster agreement check)."""
        return self.kind in (RELATED, DISTINCT)


def title_band(a: Keys, b: Keys) -> tuple[str, float]:
    """How alike the two titles are: ``exact``, ``high``, ``medium``, ``low``, ``missing``, or ``numbers``
    (alike but for a number in one and another number in the other, or a contrasting word: "men" vs
    "women", "in vivo" vs "in vitro", see :mod:`sysrev.dedup.contrast`)."""
    if not (a.title_informative and b.title_informative):
        return "missing", 0.0
    if a.title == b.title:
        return "exact", 100.0
    ratio = fuzz.ratio(a.title, b.title)
    numbers_differ = a.title_numbers != b.title_numbers
    if numbers_differ and a.title_numbers and b.title_numbers and not (
            a.title_numbers <= b.title_numbers or b.title_numbers <= a.title_numbers):
        return "numbers", ratio  # "HPV16" vs "HPV18", "Paper 41" vs "Paper 45", "2 years" vs "5 years"
    if contrasting(a.title, b.title):
        # at any similarity: the rules that rescue unlike titles (a title contained in the other, a title
        # reworded on the same page range) must not rescue a contrast
        return "numbers", ratio
    if ratio >= TITLE_HIGH and not numbers_differ:
        return "high", ratio
    if ratio >= TITLE_MEDIUM:
        return "medium", ratio
    shorter, longer = sorted((a.title, b.title), key=len)
    if len(shorter) >= MIN_CONTAINED_CHARS and fuzz.partial_ratio(shorter, longer) >= TITLE_CONTAINED:
        return "medium", ratio
    return "low", ratio


def author_match(a: Keys, b: Keys) -> str:
    """``match``, ``mismatch`` or ``missing`` for the first authors (typos and name-order slips allowed)."""
    if not a.first_author or not b.first_author:
        return "missing"
    fa, fb = a.first_author, b.first_author
    if fa == fb or (min(len(fa), len(fb)) >= 4 and (fa.startswith(fb) or fb.startswith(fa))):
        return "match"
    # The family name of one record among the name tokens of the other: "Lopez, Rubio M." vs "Rubio, M. L.",
    # "Wright Jr, T C" vs "Wright, Jr", a first author dropped by one database.
    if (len(fa) >= 3 and fa in b.author_tokens) or (len(fb) >= 3 and fb in a.author_tokens):
        return "match"
    # Compound family names split differently: "Goicoechea de, Jorge E." vs "de Jorge, E. G." — a word of one
    # family name among the other's name words; a given name both share ("Smith, John", "Brown, John") is not.
    if (a.first_family_tokens & b.first_author_tokens) or (b.first_family_tokens & a.first_author_tokens):
        return "match"
    if min(len(fa), len(fb)) >= 5 and fuzz.ratio(fa, fb) >= 80:
        return "match"
    return "mismatch"


def journal_match(a: Keys, b: Keys) -> str:
    """``same`` (equal, one an abbreviation of the other, or a near-identical spelling), ``different``, ``missing``."""
    if not a.journal or not b.journal:
        return "missing"
    if a.journal == b.journal or (a.meeting and a.meeting == b.journal) or (b.meeting and b.meeting == a.journal):
        return "same"
    if _other_edition(a, b):
        return "different"
    short, long_ = sorted((a.journal, b.journal), key=lambda t: (len(t), sum(map(len, t))))
    if _abbreviates(short, long_) or _abbreviates(long_, short):
        return "same"
    if fuzz.ratio(" ".join(a.journal), " ".join(b.journal)) >= 90:
        return "same"
    return "different"


def _abbreviates(short: tuple, long_: tuple) -> bool:
    """Every word of ``short`` abbreviates, in order, a word of ``long_`` (``J Am Soc Nephrol``, ``Dtsch Med
    Wochenschr``). Both are non-empty: :func:`journal_match` answers ``missing`` before asking."""
    pos = 0
    for token in short:
        while pos < len(long_) and not _abbreviates_word(token, long_[pos]):
            pos += 1
        if pos == len(long_):
            return False
        pos += 1
    # Anchored at the first word: "Journal of X" is not "Workshop of X"; "Nephron" is "Nephron Clin Pract".
    return _abbreviates_word(short[0], long_[0])


def _abbreviates_word(token: str, word: str) -> bool:
    """``token`` is ``word`` cut short (``Nephrol``) or, from three letters on, contracted the way ISO 4
    abbreviations are: same first letter, the other letters in order (``Dtsch`` = Deutsche, ``Natl``)."""
    if word.startswith(token):
        return True
    if len(token) < 3 or token[0] != word[0] or len(token) >= len(word):
        return False
    rest = iter(word[1:])
    return all(ch in rest for ch in token[1:])


def _year(a: Keys, b: Keys) -> str:
    if a.year is None or b.year is None:
        return "missing"
    diff = abs(a.year - b.year)
    return "same" if diff == 0 else "near" if diff == 1 else "far"


def _field(x: str, y: str) -> str:
    if not x or not y:
        return "missing"
    return "same" if x == y else "different"


def _pages(a: Keys, b: Keys) -> str:
    """First pages: ``same``, ``soft`` (written differently but not a veto: an online-first page 1, an
    e-locator against printed pages, a typo inside one range), ``different`` (a page veto), ``missing``."""
    if not a.first_page or not b.first_page:
        return "missing"
    if a.first_page == b.first_page and a.page_prefix == b.page_prefix:
        return "same"
    return "different" if page_veto(a, b) else "soft"


def _same_page_range(a: Keys, b: Keys) -> bool:
    """Both records span the same pages, more than one and no more than an article takes: an article, not
    an abstract sharing a page nor a whole abstract book's range given for each abstract in it."""
    return (bool(a.last_page) and a.last_page == b.last_page and a.first_page == b.first_page
            and 0 < int(a.last_page) - int(a.first_page) <= MAX_ARTICLE_PAGES)


def _identifiers(a: Keys, b: Keys) -> str:
    """``same`` when a DOI, PMID or PMCID (or, for two registrations in one register, the registration number)
    is shared, ``different`` when one both have differs."""
    shared = differ = False
    trial = (a.trial_id, b.trial_id) if a.trial_register == b.trial_register else ("", "")
    for x, y in ((a.doi, b.doi), (a.pmid, b.pmid), (a.pmcid, b.pmcid), trial):
        if x and y:
            if x == y:
                shared = True
            else:
                differ = True
    if shared and not differ:
        return "same"
    if differ:
        return "different"
    return "missing"


def _supplement_doi_only(a: Keys, b: Keys, pages: str) -> bool:
    """Two abstracts (printed like abstracts, one of them marked as in a supplement) on different first pages
    that share a DOI and nothing else: publishers give one DOI to a whole abstract supplement (Wiley's
    ``10.1002/dmrr.2604``), so the DOI names the book, not an abstract, and cannot override the page veto as an
    article's DOI does. Without a supplement, a single "page" beside an article number is a page count or an
    e-locator of one article (``106482`` and ``11`` under one DOI), and the DOI decides."""
    return (a.abstract_like and b.abstract_like and (a.supplement or b.supplement) and pages == "different"
            and a.doi and a.doi == b.doi
            and not (a.pmid and a.pmid == b.pmid) and not (a.pmcid and a.pmcid == b.pmcid)
            and not (a.trial_id and a.trial_id == b.trial_id))


def _identifier_name(a: Keys, b: Keys) -> str:
    """How a verdict names the identifiers compared: a registration number when only that was."""
    if (a.doi and b.doi) or (a.pmid and b.pmid) or (a.pmcid and b.pmcid):
        return "DOI/PMID"
    return "registration number" if a.trial_id and b.trial_id and a.trial_register == b.trial_register else "DOI/PMID"


def _same_abstract(a: Keys, b: Keys, title: str, year: str, author: str, journal: str) -> bool:
    """One record marked as a conference abstract, the other printed like one (single page or supplement) or
    placed in the same volume and issue, in the same journal and year: the same abstract indexed differently
    (Embase names the meeting after the journal, other databases the journal alone), not an abstract and its
    full paper, which a journal prints in another issue than its abstract book."""
    other = b if "conference" in a.kinds else a
    # an issue in common: the same number ("3" and "3-4" share 3) or the same lettered supplement (suppl-h)
    same_issue = _field(a.volume, b.volume) == "same" and bool(a.issue_numbers & b.issue_numbers)
    # A whole abstract book ("Abstracts of the 79th EAS Congress", no author) has no author to agree: the
    # exact title in the same issue of the same journal and year places it instead.
    authors = author == "match" or (author == "missing" and title == "exact" and same_issue)
    return (title in ("exact", "high") and year == "same" and authors and journal == "same"
            and (other.abstract_like or same_issue))


def _preprint_by_doi(a: Keys, b: Keys) -> set:
    """``{"preprint"}`` when one record is known as a preprint only by its DOI prefix (no venue) and the other
    names a venue that is no preprint server: a posted version and the published one. A preprint DOI on a
    record that names the same venue as the other (SSRN's DOI attached to a journal article) is no sign."""
    for x, y in ((a, b), (b, a)):
        if x.preprint_doi and not x.journal and y.journal and "preprint" not in y.kinds:
            return {"preprint"}
    return set()


def _placed_without_venue(a: Keys, b: Keys, journal: str, volume: str) -> bool:
    """Neither record names its venue, yet both give the same article-length page range, not one starting at
    page 1 (a preprint's or report's own pagination) and no different volumes: the range places the item as a
    venue and page would."""
    return (journal == "missing" and not a.journal and not b.journal and volume != "different"
            and _same_page_range(a, b) and a.first_page != ONLINE_FIRST_PAGE)


def _truncated(a: Keys, b: Keys) -> bool:
    """One title is the other's first clause (a database that cuts titles at the subtitle)."""
    return bool((a.title_clause and a.title_clause == b.title) or (b.title_clause and b.title_clause == a.title))


def _conference_year_shift(a: Keys, b: Keys, author: str, journal: str, pages: str) -> bool:
    """Two records of one conference paper, one dated by the conference and one by the proceedings (a year
    later), often under different proceedings titles: both conference papers, the same first author and most
    co-authors, and the same first page or, without pages, a distinctive venue word in common."""
    if "conference" not in a.kinds or "conference" not in b.kinds or author != "match":
        return False
    if not a.author_tokens or not b.author_tokens:
        return False
    shared = len(a.author_tokens & b.author_tokens) / len(a.author_tokens | b.author_tokens)
    if shared < CONFERENCE_AUTHORS_SHARED:
        return False
    if _other_edition(a, b):
        return False  # "ECIS 2019" vs "ECIS 2020", "40th" vs "41st": two editions of the conference
    years_a, years_b = _venue_marks(a, _YEAR_WORD), _venue_marks(b, _YEAR_WORD)
    if pages == "same":
        return True
    if pages != "missing":
        return False
    # without pages: the conference year named in a venue, and the venue itself, must agree
    return (str(min(a.year, b.year)) in years_a | years_b
            and (journal == "same" or bool(_venue_words(a) & _venue_words(b))))


def _other_edition(a: Keys, b: Keys) -> bool:
    """Both venue names date or number their edition and differently: ``ECIS 2019`` vs ``ECIS 2020``,
    ``27th`` vs ``28th European Conference …`` are two venues, however alike the names."""
    for pattern in (_YEAR_WORD, _ORDINAL_WORD):
        marks_a, marks_b = _venue_marks(a, pattern), _venue_marks(b, pattern)
        if marks_a and marks_b and not marks_a & marks_b:
            return True
    return False


def _venue_marks(k: Keys, pattern) -> set:
    """The venue's words that date or number a conference edition (``2019``, ``40th``)."""
    return {w for w in k.journal if pattern.fullmatch(w)}


def _venue_words(k: Keys) -> set:
    """The venue's words that name this venue rather than any conference (an acronym, a field)."""
    return {w for w in k.journal if not w[0].isdigit() and w not in _GENERIC_VENUE_WORDS and len(w) > 2}


def unshifted(x: Keys, y: Keys) -> Keys:
    """``x`` read with its locator fields in their places when an export shifted them by one (no volume, the
    volume in the issue field, the issue in the pages field) and they then match ``y``'s volume and issue;
    otherwise ``x`` itself. Nothing is relaxed: the re-read record must still agree on everything. Its single
    "page" was the issue, so read in place it states no page, and only a supplement makes it look like an
    abstract."""
    if (x.volume or not y.volume or x.page_prefix or x.last_page not in ("", x.first_page)
            or x.issue_numbers != {y.volume} or not x.first_page or x.first_page != y.issue):
        return x
    return replace(x, volume=y.volume, issue=x.first_page, issue_numbers=frozenset({x.first_page}), first_page="",
                   last_page="", abstract_like=x.supplement)


def compare(a: Keys, b: Keys) -> Verdict:
    """The verdict on records ``a`` and ``b`` (symmetric).

    Two records the rules tell apart but that name one trial registration (a registration and an article
    reporting the trial, two registers' entries of one trial, two reports of one trial) are linked as related:
    one study, several records, for the team to collate."""
    verdict = _compare(a, b)
    if verdict.kind == DISTINCT:
        shared = sorted(a.trial_refs & b.trial_refs)
        if shared:
            return Verdict(RELATED, 0.0, f"{NAMES_TRIAL}{display(shared[0])} ({verdict.reason})")
        if (a.pmid and a.pmid in b.listed_pmids) or (b.pmid and b.pmid in a.listed_pmids):
            return Verdict(RELATED, 0.0, f"{LISTS_PUBLICATION} ({verdict.reason})")
    return verdict


def _compare(a: Keys, b: Keys) -> Verdict:
    a, b = unshifted(a, b), unshifted(b, a)
    title, ratio = title_band(a, b)
    ids = _identifiers(a, b)
    id_name = _identifier_name(a, b)
    year = _year(a, b)
    author = author_match(a, b)
    journal = journal_match(a, b)
    volume = _field(a.volume, b.volume)
    pages = _pages(a, b)
    if ids == "same" and _supplement_doi_only(a, b, pages):
        ids = "missing"
    locator_same = volume == "same" and pages == "same"
    titles_conflict = title == "numbers"
    if titles_conflict:
        # Another number in a title is another study ("HPV16" vs "HPV18") unless the whole citation agrees,
        # which makes it a typo ("p6INK4a" vs "p16INK4a" on the same page of the same volume).
        # Not for abstracts: one group's abstracts on "1-year" and "2-year" results can share a page.
        full_citation = (locator_same and year == "same" and author == "match" and journal == "same"
                         and not (a.abstract_like or b.abstract_like))
        title = "medium" if full_citation and ratio >= TITLE_HIGH - 5 else "low"

    if a.cochrane_id and a.cochrane_id == b.cochrane_id and (
            (a.cochrane_version and b.cochrane_version and a.cochrane_version != b.cochrane_version)
            or year in ("near", "far")):
        return Verdict(RELATED, 0.0, "versions of one Cochrane review (update)")
    if a.part and b.part and a.part != b.part:
        return Verdict(DISTINCT, 0.0, f"different parts of a series (part {a.part} vs {b.part})")

    if ids == "same":
        if title in ("exact", "high", "medium") or (title == "missing" and author == "match"
                                                     and year in ("same", "near", "missing")):
            if year == "far" and title != "exact":
                return Verdict(UNCERTAIN, 0.5, "same identifier but years far apart")
            return Verdict(DUPLICATE, 3.0 + ratio / 100, f"same {id_name}")
        if title == "missing":
            return Verdict(UNCERTAIN, 0.4, f"same {id_name} but a title is missing and too little else agrees")
        return Verdict(UNCERTAIN, 0.4, f"same {id_name} but the titles differ")
    kind_diff = set(a.kinds ^ b.kinds) | _preprint_by_doi(a, b)
    if kind_diff == {"conference"} and _same_abstract(a, b, title, year, author, journal):
        kind_diff = set()
    label = _KIND_LABELS[sorted(kind_diff)[0]] if kind_diff else ""

    # Vetoes (vetoes.py): both records state an issue, page or article number (a recurring title: also a
    # year) and state different ones. Only a shared identifier, checked above, overrides them.
    veto = locator_veto(a, b)
    if veto:
        if label and title in ("exact", "high", "medium"):
            return Verdict(RELATED, 0.0, f"looks like {label}; {veto}")
        if title in ("exact", "high", "medium") and author == "match" and not (a.serial or b.serial):
            return Verdict(RELATED, 0.0, f"same title and first author but {veto} (an erratum, abstract, "
                                         "reply or reprint?)")
        return Verdict(DISTINCT, 0.0, veto)

    if kind_diff and not (locator_same and title != "low" and year != "far"):
        if title in ("exact", "high", "medium") or locator_same:
            return Verdict(RELATED, 0.0, f"looks like {label}")
        return Verdict(DISTINCT, 0.0, f"different titles; {label}")

    if ids == "different":
        if title in ("exact", "high") and author == "match" and year == "same" and locator_same:
            return Verdict(UNCERTAIN, 0.6, f"different {id_name} although every other field agrees")
        return Verdict(DISTINCT, 0.0, f"different {id_name}")

    # Title, journal, volume, first page and year together name one article, whatever the author field says
    # (a group author in one database, the first named author in another; a swapped name order). Its strength
    # is that of the same pair with agreeing authors (1.0 + ratio / 100 + 3 agreeing fields / 10, below) less
    # one agreeing field: the author.
    if (author == "mismatch" and title in ("exact", "high") and journal == "same" and locator_same
            and year == "same"):
        return Verdict(DUPLICATE, 1.2 + ratio / 100, "title, journal, volume, page and year agree; authors differ")

    # One multi-page range of one volume holds one article: a reworded or translated title by the same first
    # author there is the same article (abstracts share a page, so a single page is not enough). A title
    # sharing few words (a translation) also needs the same issue stated by both: some journals number the
    # pages of each issue from 1.
    if (title == "low" and not titles_conflict and author == "match" and year == "same" and journal == "same"
            and locator_same and not (a.kinds | b.kinds) and _same_page_range(a, b)
            and (fuzz.token_set_ratio(a.title, b.title) >= TITLE_WORDS_SHARED
                 or a.issue_numbers & b.issue_numbers)):
        return Verdict(DUPLICATE, 1.2, "same author, year, issue and page range of one volume; title reworded "
                                       "or translated")

    # A title cut after its first clause ("Infrastructure in the wild" for "Infrastructure in the wild: …"),
    # matched on venue, first page and author, never on the title alone.
    if (title == "low" and not titles_conflict and _truncated(a, b) and author == "match"
            and year in ("same", "near") and journal == "same" and pages == "same" and volume != "different"):
        return Verdict(DUPLICATE, 1.1, "title cut after its first clause; venue, first page and author agree")
    # The same with no venue on either side (proceedings exported without their title): the same multi-page
    # range of the same year then stands in for the venue.
    if (title == "low" and not titles_conflict and _truncated(a, b) and author == "match" and year == "same"
            and _placed_without_venue(a, b, journal, volume)):
        return Verdict(DUPLICATE, 1.0, "title cut after its first clause; author, year and page range agree "
                                       "(no venue on either side)")

    conflicts = [name for name, value in (("year", year == "far"), ("volume", volume == "different"),
                                          ("first page", pages == "different"),
                                          ("first author", author == "mismatch"), ("title", title == "low"))
                 if value]
    if conflicts:
        if title in ("exact", "high") and author == "match" and set(conflicts) <= {"volume", "first page"}:
            # Another item under the same title by the same authors: an erratum or reply printed under the
            # article's title, a meeting abstract and the paper, a reprint. Linked for the reviewer to see.
            where = " and ".join(conflicts) + (" differ" if len(conflicts) > 1 else " differs")
            return Verdict(RELATED, 0.0, f"same title and first author but {where} (an erratum, abstract or reprint?)")
        return Verdict(DISTINCT, 0.0, f"{', '.join(conflicts)} differ")

    if title == "missing":
        if author == "match" and year == "same" and locator_same and journal != "different":
            return Verdict(UNCERTAIN, 0.7, "a title is missing; author, year, volume and page agree")
        return Verdict(DISTINCT, 0.0, "a title is missing and too little else agrees")

    if (a.serial or b.serial or a.recurring or b.recurring) and not located_together(a, b):
        return Verdict(UNCERTAIN, 0.4, f"a recurring title ({a.title!r}) with no issue, page or article number "
                                       "stated by both to tell which instalment")

    support = sum((journal == "same", volume == "same", pages == "same"))
    short = min(len(a.title.split()), len(b.title.split())) < SHORT_TITLE_WORDS
    score = 1.0 + ratio / 100 + support / 10

    if title in ("exact", "high"):
        if year == "same":
            if author == "missing" and support < 2:
                return Verdict(UNCERTAIN, 0.8, "same title and year but no author to compare")
            if journal == "different" and not locator_same:
                if (author == "match" and not short and volume == "same" and a.issue_numbers & b.issue_numbers
                        and pages != "different"):
                    # Volume and issue locate the item as a page would; a journal named in two languages
                    # ("Jinko Chino Gakkai Ronbunshi", "Transactions of the Japanese Society for AI") or by
                    # a former title is still one journal.
                    return Verdict(DUPLICATE, score - 0.3, "same title, authors, year, volume and issue; the "
                                                           "journal named differently")
                return Verdict(UNCERTAIN, 0.8, "same title, author and year but a different journal")
            if short and support == 0:
                return Verdict(UNCERTAIN, 0.7, "short title; nothing but author and year agree")
            return Verdict(DUPLICATE, score, "title, author and year agree")
        if year == "near":
            if author == "match" and volume != "different" and pages != "different" and (
                    (locator_same and journal != "different")
                    or (journal == "same" and (pages == "soft" or "missing" in (volume, pages)))):
                return Verdict(DUPLICATE, score - 0.2, "same title and journal; years one apart (online first)")
            if _conference_year_shift(a, b, author, journal, pages):
                return Verdict(DUPLICATE, score - 0.3, "same conference paper dated by the conference in one "
                                                       "record and by the proceedings in the other")
            if author != "mismatch":
                return Verdict(UNCERTAIN, 0.6, "same title but years one apart")
            return Verdict(DISTINCT, 0.0, "years and authors differ")
        # year missing
        if author == "match" and support >= 2:
            return Verdict(DUPLICATE, score - 0.3, "title, author, journal and pages agree; year missing")
        return Verdict(UNCERTAIN, 0.5, "same title but year missing")

    # medium title similarity: needs the locator to agree
    if author == "match" and year in ("same", "near") and (
            locator_same or (journal == "same" and year == "same" and (
                (pages == "same" and volume != "different") or (pages == "soft" and volume == "same")))):
        return Verdict(DUPLICATE, score - 0.5, "similar title; author, year, volume/pages agree")
    if author == "match" and year == "same" and _placed_without_venue(a, b, journal, volume):
        return Verdict(DUPLICATE, score - 0.6, "similar title; author, year and page range agree (no venue on "
                                               "either side)")
    if author != "mismatch" and year != "far":
        return Verdict(UNCERTAIN, 0.5 * ratio / 100, "similar titles; too little else agrees")
    return Verdict(DISTINCT, 0.0, "titles only similar")
