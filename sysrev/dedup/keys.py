"""Comparison keys of one record: the normalised fields that blocking and pair scoring look at.

A :class:`Keys` is computed once per record, so that the pair comparisons (many more than records) only
compare ready-made strings and numbers. Normalisation follows what differs between databases for the same
article: letter case, punctuation, diacritics, HTML markup, Greek letters written as symbols or names,
British vs American spelling, bracketed annotations MEDLINE adds to titles (``[Review] [33 refs]``,
``[Japanese]``), abbreviated journal titles, ``575-86`` vs ``575-586`` and ``c37`` vs ``37`` page numbers.

Keys also carry the *kind* of publication a record looks like (erratum, comment or reply, conference
abstract, protocol, preprint, Cochrane review version, part of a series), because two records with the same
title but of different kinds are related publications, not duplicates.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sysrev.dedup.trial_refs import listed_pmids, own_numbers, trial_refs
from sysrev.normalise import expand_pages, normalise_doi, normalise_pmcid, normalise_pmid, strip_markup
from sysrev.records import Record

# Years outside this window are treated as unknown (a typo such as 20015 or 0 must not decide anything).
MIN_YEAR = 1800
MAX_YEAR = date.today().year + 2

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron",
    "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega",
}
_GREEK_RE = re.compile("|".join(_GREEK))

# British → American spellings frequent in biomedical titles (a fixed list: a general "-ise" → "-ize" rule
# would also change "exercise", "disease" and "otherwise").
_SPELLING = [
    (re.compile(r"\b(an)?haem"), r"\1hem"),
    (re.compile(r"aemi(a|c)\b"), r"emi\1"),
    (re.compile(r"\boedem"), "edem"),
    (re.compile(r"\boesophag"), "esophag"),
    (re.compile(r"\boestr"), "estr"),
    (re.compile(r"\bp(a)?ediatr"), "pediatr"),
    (re.compile(r"\borthopaed"), "orthoped"),
    (re.compile(r"\bgynaecol"), "gynecol"),
    (re.compile(r"\bfoet"), "fet"),
    (re.compile(r"\bc(o)?eliac"), "celiac"),
    (re.compile(r"\ban(a)?esthe"), "anesthe"),
    (re.compile(r"(diarrh|dyspn|apn|gonorrh|amenorrh)oea"), r"\1ea"),
    (re.compile(r"\b(tum|behavi|col|fav|lab|hum|neighb|vap)our"), r"\1or"),
    (re.compile(r"\b(cent|fib|lit|met)re(s)?\b"), r"\1er\2"),
    (re.compile(r"\bprogramme"), "program"),
    (re.compile(r"\bageing\b"), "aging"),
    (re.compile(r"\bsulph"), "sulf"),
    (re.compile(r"\bleucocyt"), "leukocyt"),
    (re.compile(r"\banaly(s)(e|ed|es|ing)\b"), r"analyz\2"),
    (re.compile(r"\b(randomi|organi|characteri|standardi|optimi|minimi|hospitali|immuni|recogni|generali|"
                r"normali|utili|visuali|stabili|sensiti|mobili|catheteri|vasculari|locali|summari|categori|"
                r"prioriti|speciali|reali|authori|individuali|hypothesi|synthesi|steril|neutrali|epitheliali|"
                r"revascularis|metaboli)s(e|ed|es|ing|ation|ations|er|ers)\b"), r"\1z\2"),
]

# MEDLINE-style annotations at the end of a title: [Review] [33 refs], [Japanese], [Article in French], [1].
_TRAILING_NOTE = re.compile(r"\s*[\[(](?:review|\d+\s*refs?|english abstract|article in [a-z]+|letter|comment|"
                            r"[a-z]+(?:\s+[a-z]+)?|\d{1,2})[\])]\s*\.?\s*$", re.IGNORECASE)
_LANGUAGES = {
    "japanese", "french", "german", "spanish", "italian", "chinese", "russian", "polish", "portuguese", "dutch",
    "swedish", "norwegian", "danish", "finnish", "czech", "hungarian", "turkish", "korean", "hebrew", "greek",
    "croatian", "serbian", "slovak", "slovenian", "romanian", "bulgarian", "ukrainian", "persian", "arabic",
    "lithuanian", "estonian", "latvian", "icelandic", "catalan", "review", "letter", "comment", "editorial",
}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_NUMBER = re.compile(r"\d+")
_LETTERED_SUPPLEMENT = re.compile(r"\bsuppl(?:ement)?(?![a-z])[\s_.]*([a-z])(?![a-z0-9])")
# A thousands separator inside a number ("10 000", "10,000", "10\u202f000"): databases differ in writing it.
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})[ ,\u00a0\u2009\u202f](?=\d{3}(?![\d.,]))")

# Titles that say nothing about which work a record is.
_PLACEHOLDER_TITLES = {
    "", "unknown", "untitled", "no title", "na", "n a", "none", "book review", "book reviews", "editorial",
    "erratum", "errata", "corrigendum", "correction", "letter", "letters", "reply", "comment", "commentary",
    "introduction", "preface", "foreword", "abstract", "abstracts", "index", "contents", "news", "obituary",
    "in brief", "notes", "announcement", "announcements", "response", "author reply", "authors reply",
}

_ERRATUM = re.compile(r"^(?:erratum|errata|corrigendum|corrigenda|correction|corrections|publisher'?s note|"
                      r"author correction|notice of correction)\b|\b(?:erratum|corrigendum)\s*(?:to|for|:|\])|"
                      r"\(vol \d+, pg \d+|\([^()]*\(\d{4}\)\s*\d+\s*\(\d+[-\u2013]?\d*\)\)")
# The corrected article cited at the end of a correction notice's title: "(vol 360, pg 542, 2009)",
# "(New England Journal of Medicine (2009) 360 (542-544))". Kept for the kind, left out of the compared title.
_CITED_ARTICLE = re.compile(r"\s*\((?:vol \d+, pg \d+[^()]*|[^()]*\(\d{4}\)\s*\d+\s*\(\d+[-\u2013]?\d*\))\)\s*\.?\s*$")
# MEDLINE notes inside a title about *other* publications ("[Erratum appears in ...]", "[Comment in: ...]"),
# possibly cut off by a database's title length limit; removed before the title is compared.
_LINKED_NOTE = re.compile(r"\s*\[(?:erratum|comment|update|retraction|corrected and republished|summary for "
                          r"patients|republished|expression of concern)[^\]]*(?:\]|$)", re.IGNORECASE)
# The original-language title appended to a translated one: after "<ORIGINAL>", or after "TO:" following the
# bracketed translation (a bracket is how MEDLINE-style records mark a translated title).
_ORIGINAL_TITLE = re.compile(r"\s*<ORIGINAL>.*$|(?<=\])\s+TO:\s.*$", re.DOTALL)
_RETRACTION = re.compile(r"^(?:retraction|retracted|notice of retraction|withdrawn|expression of concern)\b")
# A title that answers another item. "response to" inside a title only with what it answers ("Response to the
# letter by …"): "Immune response to vaccination", "… in response to humanitarian events" are studies.
_COMMENT = re.compile(r"^(?:re:|re\s*-|reply\b|in reply\b|in response to\b|a reply\b|a response\b|authors?'?s? reply|"
                      r"response\b|responses\b|comment on\b|comments on\b|commentary on\b|letter to the editor|"
                      r"letter:|rebuttal)|"
                      r"\b(?:reply|response) to (?:the |a |an |this |our |my )?(?:letters?|comments?|commentary|"
                      r"critiques?|correspondence|editorial|criticisms?|rebuttal|quer(?:y|ies)|concerns?|remarks|"
                      r"authors?|reviewers?|readers?|(?:dr|prof|mr|ms|mrs)\b)|"
                      r"\bcomment on\b|\bcomments on\b|\(multiple letters\)|"
                      r"\[letter\]|\[comment\]|\bauthors? reply\b")
_CONFERENCE_VENUE = re.compile(r"\b(?:conference|congress|meeting|symposium|abstracts?|"
                               r"workshop|colloquium|annual scientific|summit)\b")
_PROTOCOL = re.compile(r"\b(?:study protocol|trial protocol|review protocol|protocol for|protocol of a|"
                       r"a protocol|research protocol|statistical analysis plan|rationale and design|"
                       r"design and rationale)\b|\(protocol\)|\bprotocol\s*:|:\s*protocol\b")
_PREPRINT_VENUE = re.compile(r"\b(?:medrxiv|biorxiv|arxiv|chemrxiv|psyarxiv|socarxiv|ssrn|research square|"
                             r"preprints?|authorea|osf preprints|scielo preprints|zenodo)\b")
_PREPRINT_DOI = re.compile(r"^10\.(?:1101|21203|2139|48550|20944|31234|31219|22541|31222|31235|5281)/")
_REGISTRY_VENUE = re.compile(r"\b(?:clinicaltrials gov|clinicaltrials\.gov|isrctn|anzctr|chictr|eudract|ictrp|"
                             r"ctri|drks|trial regist(?:er|ry|ration)s?)\b")
_THESIS = re.compile(r"\b(?:dissertations? abstracts|proquest dissertations|thesis|dissertation)\b")
_COCHRANE_DOI = re.compile(r"^10\.1002/14651858\.(cd\d{6})(?:\.pub(\d+))?")
_COCHRANE_PAGES = re.compile(r"^(cd\d{6})$")
_PART = re.compile(r"\bpart\s+(\d+|[ivx]{1,5}|one|two|three|four|five|six)\b")
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}
_ROMAN = {"i": 1, "v": 5, "x": 10}

# What an export writes where it has no author ("Anonymous", "[Anonymous]", "Anon.", "N/A", "N.A."), letters only.
_NO_AUTHOR = {"unknown", "anonymous", "anon", "na", "n a"}
_NAME_PARTICLES = {"van", "von", "der", "den", "del", "della", "des", "dos", "jr", "sr", "the", "and", "group",
                   "study", "inc"}
_JOURNAL_STOPWORDS = {"the", "of", "and", "for", "in", "on", "de", "la", "le", "des", "du", "et", "und",
                      "fur", "der", "die", "y", "e", "del", "di", "a", "an"}
_JOURNAL_NOTE = re.compile(r"\[[^\]]*\]|\((?:print|online|electronic[^)]*|london[^)]*|[a-z ]*england)\)")
# Embase appends the meeting to the journal of a conference abstract: "Blood.Conference: 52nd ASH Meeting".
_JOURNAL_MEETING = re.compile(r"[.:;,]\s*(?:conference|congress|meeting|symposium)\b.*$")
_JOURNAL_MEETING_NAME = re.compile(r"[.:;,]\s*conference\s*:\s*(.+)$")
# Titles a venue prints again and again, one per issue or year: columns, editorials, notices, meeting reports.
# Such a title names no single work, so two records of one need their issue, pages or date to agree.
_SERIAL_HEADINGS = {
    "editorial", "editorials", "guest editorial", "editorial comment", "editorial note", "editorial notes",
    "editor s comments", "editor s comment", "editors comments", "editor s note", "editors note", "editor s notes",
    "from the editor", "from the editors", "from the editor in chief", "letter from the editor",
    "letter from the editors", "message from the editor", "message from the editors", "note from the editor",
    "in this issue", "this issue", "inside this issue", "in the issue", "letters", "letter", "letters to the editor",
    "letter to the editor", "correspondence", "meeting report", "meeting reports", "conference report",
    "conference reports", "congress report", "workshop report", "news", "news in brief", "in brief", "briefs",
    "book review", "book reviews", "books", "books received", "reviewer acknowledgement",
    "reviewer acknowledgements", "reviewer acknowledgment", "reviewer acknowledgments",
    "acknowledgement to reviewers", "acknowledgment to reviewers", "acknowledgement of reviewers",
    "acknowledgment of reviewers", "thank you to our reviewers", "reviewers", "list of reviewers",
    "issue information", "table of contents", "contents", "masthead", "editorial board", "front matter",
    "back matter", "cover", "cover image", "highlights", "research highlights", "announcements", "announcement",
    "calendar", "calendar of events", "upcoming events", "events", "obituary", "obituaries", "in memoriam",
    "president s message", "president s column", "president s page", "message from the president",
    "message from the chair", "chair s message", "abstracts", "errata", "erratum", "corrigendum", "corrigenda",
    "preface", "foreword", "introduction", "commentary", "comment", "reply", "response", "author s reply",
    "authors reply", "index", "author index", "subject index", "call for papers", "current awareness",
    "new products", "noteworthy", "research news", "notes", "notices", "short communications", "miscellany",
    "introduction to the special issue", "introduction to the special section", "special issue editorial",
    "editorial statement", "year in review", "annual report", "corrections", "correction", "retraction",
    "retraction notice", "expression of concern", "acknowledgements", "acknowledgments", "acknowledgement",
    "reviewers of the year", "best paper award", "guest editorial introduction",
}
_SERIAL_PREFIX = re.compile(
    r"^(?:introduction to the (?:mini ?)?track\b|(?:guest )?editor(?: s|s)? (?:comments?|notes?|introduction|letter|"
    r"message|foreword|preface|corner|column|remarks|perspective|page|desk)\b|from the (?:guest )?editors?\b|"
    r"(?:letter|message|note) from the (?:guest )?(?:editors?|president|chair)\b|"
    r"report (?:of|on|from) the \w+(?: \w+)* (?:meeting|conference|congress|symposium|workshop)\b)")
# Words that only date or number an issue ("Editorial, volume 12 issue 3", "Letters: June 2019").
_ISSUE_WORDS = {"vol", "volume", "issue", "no", "number", "nr", "part", "january", "february", "march", "april",
                "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb",
                "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "spring", "summer",
                "autumn", "fall", "winter", "special", "s", "the"}
# Where a title's first clause ends: "Infrastructure in the Wild: …", "… - a randomised trial", "Title. Subtitle".
_CLAUSE_END = re.compile(r"\s*(?::|;|\?|!|\s[-\u2013\u2014]\s|\.\s)\s*")
MIN_CLAUSE_WORDS = 3
# "Meeting Abstracts" (Embase also writes "MeetingAbstracts" and, for FASEB J 2011, "Meeting Astracts") names the
# issue an abstract book is printed in, as "Suppl" does.
# "10 (11) (no pagination)", "38 (Supplement 1)": a volume that names its issue in brackets after its number.
_VOLUME_ISSUE = re.compile(r"^\s*[a-z]*\s*\d+\s*\(([^()]*\d[^()]*)\)")
_SUPPLEMENT = re.compile(r"suppl|^s\d*$|\bs\d+\b|supplement|meeting\s*ab?stracts?\b")
# A page range longer than this is a typo in its end ("1-99999999999"), not an article.
MAX_PAGE_SPAN = 5000
_PAGE_START = re.compile(r"^([a-z]*)(\d+)([a-z]*)$")
_FIRST_RANGE_END = re.compile(r"[,;]")
_ONLINE_PAGE = re.compile(r"^(\d+)\.e(\d+)$")  # Elsevier's "379.e9": online page 9 after printed page 379
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S{3,}$")


@dataclass(slots=True)
class Keys:
    """Normalised comparison fields of one record (empty string / None when unknown)."""

    title: str = ""              # normalised title
    title_informative: bool = False
    title_numbers: frozenset = frozenset()
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    trial_id: str = ""       # a registration's number in its register ("NCT01234567"), for registrations only
    trial_register: str = ""  # the register that number belongs to ("NCT"): numbers compare within one register
    trial_refs: frozenset = frozenset()  # every registration number the record states (trial_refs.py)
    listed_pmids: frozenset = frozenset()  # a registration's list of its trial's publications (PMIDs)
    first_author: str = ""       # family name of the first author, letters only
    first_author_tokens: frozenset = frozenset()  # name words (≥ 3 letters) of the first author
    # those of them in the family-name part (before the comma; every word when no comma tells the order)
    first_family_tokens: frozenset = frozenset()
    author_tokens: frozenset = frozenset()  # every name token (≥ 2 letters) of the first ten authors
    year: int | None = None
    journal: tuple = ()          # journal tokens without stop words
    meeting: tuple = ()          # the meeting Embase appends to a journal (".Conference: 23rd Congress …")
    volume: str = ""
    issue: str = ""              # first number of the issue
    issue_numbers: frozenset = frozenset()  # every number of the issue ("3-4" → {"3", "4"})
    article_number: str = ""     # an article number / e-locator ("e0123456", a Scopus "Art. No.")
    serial: bool = False         # a title a venue repeats from issue to issue ("Editor's Comments")
    recurring: bool = False      # a title this input shows one venue printing in two issues or volumes
    title_clause: str = ""       # the normalised first clause of a title with a subtitle ("X: Y" → "x")
    first_page: str = ""         # digits of the first page ("c37" → "37")
    page_prefix: str = ""        # letters before the first page ("e" of e-locators, "s" of supplements)
    last_page: str = ""          # digits of the last page, written out in full ("575-86" → "586")
    abstract_like: bool = False  # one page or a supplement: how a conference abstract is printed
    supplement: bool = False     # the volume, issue or pages name a supplement ("Suppl 2", "S12")
    kinds: frozenset = frozenset()  # erratum, retraction, comment, conference, protocol, preprint,
    #                                 registration (trial register record), thesis
    preprint_doi: bool = False   # the DOI has a preprint server's prefix (SSRN, medRxiv, arXiv…)
    cochrane_id: str = ""
    cochrane_version: int | None = None
    part: str = ""               # number of the part in a series ("part II" → "2")
    problems: list = field(default_factory=list)  # what was unusable (absurd year, ...) for the summary


def fold(text: str) -> str:
    """Lower case ASCII: Greek letters spelled out, diacritics removed, ß → ss."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    text = _GREEK_RE.sub(lambda m: _GREEK[m.group(0)], text)
    text = text.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("œ", "oe").replace("ł", "l")
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=262144)
def american(word: str) -> str:
    """One folded, lower-case word with a British spelling replaced by the American one (cached: a corpus
    has far fewer distinct words than words)."""
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


def comparison_words(text: str) -> list[str]:
    """The alphanumeric words of folded ``text``, in American spelling, numbers without thousands separators."""
    text = _THOUSANDS.sub(r"\1", text)
    return [american(w) for w in _NON_ALNUM.split(text) if w]


def title_text(raw: str) -> str:
    """The title without markup, without the original-language title some databases append to a translated
    one (``[Translated title] TO: Título original``, ``Translated title <ORIGINAL> TITRE ORIGINAL``) and
    without MEDLINE's trailing bracketed notes, still readable."""
    if "<" in raw or "TO:" in raw:
        raw = _ORIGINAL_TITLE.sub("", raw) or raw
    text = strip_markup(raw) if ("<" in raw or "&" in raw) else " ".join(raw.split())
    if "[" in text:
        text = _LINKED_NOTE.sub(" ", text).strip()
    while text.rstrip(" .").endswith(("]", ")")):
        match = _TRAILING_NOTE.search(text)
        if not match or match.start() == 0:
            break
        note = match.group(0).strip(" .[]()").lower()
        if not (note in _LANGUAGES or note.isdigit() or "refs" in note or note.startswith(("article in",
                                                                                           "english abstract"))):
            break
        text = text[: match.start()]
    return text


def normalise_title(raw: str) -> str:
    """The comparison form of a title: folded, American spelling, alphanumeric words separated by spaces."""
    return " ".join(comparison_words(fold(title_text(raw))))


@lru_cache(maxsize=65536)
def normalise_journal(raw: str) -> tuple:
    """Journal title as a tuple of significant words (``"The Journal of Pediatrics."`` → ``("pediatrics",)``)."""
    text = fold(strip_markup(raw))
    text = _JOURNAL_NOTE.sub(" ", _JOURNAL_MEETING.sub("", text).replace("&", " and "))
    return tuple(t for t in comparison_words(text) if t not in _JOURNAL_STOPWORDS)


def normalise_meeting(raw: str) -> tuple:
    """The meeting named after a journal (``"Blood.Conference: 52nd ASH Meeting"`` → ``("52nd", "ash",
    "meeting")``), in the form of :func:`normalise_journal`; ``()`` when there is none. Other databases give
    the meeting alone as the venue of the same abstract."""
    match = _JOURNAL_MEETING_NAME.search(fold(strip_markup(raw)))
    return normalise_journal(match.group(1)) if match else ()


def family_name(author: str) -> str:
    """The family name of one author string, letters only (``"van Hamont, D"`` → ``"vanhamont"``)."""
    text = fold(author).strip()
    if "," in text:
        family = text.split(",", 1)[0]
    else:
        tokens = [t for t in re.split(r"[\s.]+", text) if t]
        words = [t for t in tokens if len(re.sub(r"[^a-z]", "", t)) > 1 or t.isdigit()]
        if not words:
            return re.sub(r"[^a-z]", "", text)
        # "B. Abrahao" (given first, initials) vs "Li Z. M." (family first): the family name is the first
        # token unless every other token is an initial and it is the last one written.
        family = words[0]
        if len(tokens) > 1 and tokens[-1] == words[-1] and all(len(t.strip(".")) <= 2 for t in tokens[:-1]):
            family = tokens[-1]
    return re.sub(r"[^a-z]", "", family)


@lru_cache(maxsize=262144)
def _name_tokens(author: str) -> tuple:
    """The words (≥ 2 letters) of one author string, folded."""
    return tuple(t for t in _NOT_LETTERS.split(fold(author)) if len(t) > 1)


def _author_keys(authors: list) -> tuple[str, frozenset, frozenset, frozenset]:
    """The first author's family name, name words and family-name words, and the name words of the first ten
    authors."""
    names = [a for a in (str(x).strip() for x in authors or []) if a]
    if not names or " ".join(_NOT_LETTERS.split(fold(names[0]))).strip() in _NO_AUTHOR:
        return "", frozenset(), frozenset(), frozenset()
    tokens = set()
    for a in names[:10]:
        tokens.update(_name_tokens(a))
    first = frozenset(t for t in _name_tokens(names[0]) if len(t) > 2 and t not in _NAME_PARTICLES)
    family_part = names[0].split(",", 1)[0]
    family = first & frozenset(_name_tokens(family_part)) if "," in names[0] else first
    return family_name(names[0]), first, family, frozenset(tokens)


def _first_range(pages: str) -> str:
    """The article's own pages: the part before a comma or semicolon (``575-86, 590``; MEDLINE's ``12-3;
    discussion 13-4`` and ``1405; author reply 1405-6`` add the items printed with it)."""
    return _FIRST_RANGE_END.split(fold(pages or ""), maxsplit=1)[0].strip()


def _page_keys(pages: str) -> tuple[str, str, str]:
    """Prefix letters, digits of the first page and digits of the last page (``""`` when unusable).

    Elsevier's online pages hang off a printed page: ``379.e9-379.e13`` are online pages 9 to 13 after page
    379, read as prefix ``379e`` (so they compare with other online pages of page 379 only) and pages 9-13;
    ``379.e9-e13`` and ``379.e9-13`` are the same range; ``1759-1764.e6`` is printed pages 1759-1764 followed
    by six online pages, read as 1759-1764.
    """
    text = _first_range(pages)
    if not text:
        return "", "", ""
    parts = [p.strip().replace(" ", "") for p in expand_pages(text).split("-")]
    online = _ONLINE_PAGE.match(parts[0])
    if online and len(parts) <= 2:
        anchor, start = online.groups()
        short_end = re.fullmatch(r"e?(\d+)", parts[-1])  # "e13" or "13", not a printed page after the anchor
        if short_end and (parts[-1][0] == "e" or int(short_end.group(1)) < int(anchor)):
            parts[-1] = f"{anchor}.e{short_end.group(1)}"
        end = _ONLINE_PAGE.match(parts[-1])
        same_anchor = len(parts) == 2 and end and end.group(1) == anchor and int(end.group(2)) >= int(start)
        return f"{anchor.lstrip('0')}e", start.lstrip("0") or "0", end.group(2).lstrip("0") if same_anchor else ""
    if len(parts) == 2:
        printed_end = _ONLINE_PAGE.match(parts[1])
        parts[1] = printed_end.group(1) if printed_end else parts[1]
    match = _PAGE_START.match(parts[0])
    if not match:
        return "", "", ""
    digits = match.group(2).lstrip("0")
    if not digits or (len(digits) > 7 and not match.group(1)):
        return "", "", ""
    last = _PAGE_START.match(parts[-1]) if len(parts) == 2 else None
    last_digits = last.group(2).lstrip("0") if last else ""
    if last_digits and int(last_digits) - int(digits) > MAX_PAGE_SPAN:
        last_digits = ""  # "1-99999999999": the end of the range says nothing (a backward "2297-2108" keeps
        #                   its end: the typo is more often in the first page)
    return match.group(1), digits, last_digits


def is_serial_title(title: str) -> bool:
    """True when the normalised ``title`` is a heading a venue repeats in every issue or year (an editorial,
    "Editor's Comments", "In this issue", "Letters", a meeting report, "Introduction to the minitrack on …"),
    once numbers and dating words are set aside."""
    if title in _SERIAL_HEADINGS or _SERIAL_PREFIX.match(title):
        return True
    words = [w for w in title.split() if not w.isdigit() and w not in _ISSUE_WORDS]
    return " ".join(words) in _SERIAL_HEADINGS


def first_clause(raw_title: str) -> str:
    """The normalised first clause of a title that has more than one (``""`` otherwise or when it is shorter
    than three words): the form a database that cuts titles at the subtitle keeps."""
    parts = _CLAUSE_END.split(raw_title.strip().rstrip(" .?!"), maxsplit=1)
    if len(parts) < 2 or not parts[1].strip():
        return ""
    clause = " ".join(comparison_words(fold(parts[0])))
    return clause if len(clause.split()) >= MIN_CLAUSE_WORDS else ""


def _issue_numbers(value: str) -> frozenset:
    """Every number an issue field names: ``"3-4"`` → {3, 4}, ``"Suppl 2"`` → {2}, ``"Jan"`` → {}; a supplement
    named by a letter (``"Supplement H"``, ``"Suppl_H"``, as some journals letter theirs) → {suppl-h}, which
    locates an item as a number does."""
    numbers = {n.lstrip("0") or "0" for n in _NUMBER.findall(str(value or ""))}
    match = re.fullmatch(r"\s*(\d{1,3})\s*[-/\u2013]\s*(\d{1,3})\s*", str(value or ""))
    if match and 0 < int(match.group(2)) - int(match.group(1)) < 12:
        numbers |= {str(n) for n in range(int(match.group(1)), int(match.group(2)) + 1)}
    numbers |= {f"suppl-{letter}" for letter in _LETTERED_SUPPLEMENT.findall(fold(str(value or "")))}
    return frozenset(numbers)


def _article_number(record: Record, page_prefix: str, last_page: str, first_page: str) -> str:
    """The article number: a stated one (RIS ``C7``, a Scopus "Art. No.") or an e-locator in the page field."""
    stated = str((record.extra or {}).get("article_number") or "")
    if re.search(r"\d", stated):
        # as the pages give it: a letter prefix, then the number without leading zeros ("e0123456" → "e123456")
        letters, number = re.match(r"([a-z]*)(.*)", re.sub(r"[^0-9a-z]", "", fold(stated))).groups()
        return letters + number.lstrip("0")
    if page_prefix and page_prefix != "s" and first_page and not last_page:
        return page_prefix + first_page
    return ""


def _issue_in_volume(volume: str, issue: str) -> tuple[str, str]:
    """``(issue, article number)`` of a record whose volume names its issue in brackets, as Embase's source
    line does: ``"10 (11) (no pagination)"`` is volume 10, issue 11, of an article without page numbers, and a
    tool that split that line put the article number in the issue field (``"e0143396"``). Otherwise the issue
    as given and no article number. An issue that differs from the bracketed one without "(no pagination)"
    stays as given: two issues stated are evidence, not something to explain away."""
    match = _VOLUME_ISSUE.match(fold(str(volume or "")))
    if not match:
        return issue, ""
    bracketed = match.group(1).strip()
    if not str(issue or "").strip():
        return bracketed, ""
    if "no pagination" in fold(str(volume)) and _first_number(issue) != _first_number(bracketed):
        number = re.sub(r"[^0-9a-z]", "", fold(str(issue)))
        letters, digits = re.match(r"([a-z]*)(.*)", number).groups()
        return bracketed, letters + digits.lstrip("0")
    return issue, ""


def _unbalanced(text: str) -> bool:
    """True when ``text`` closes a bracket it never opened (or opens one it never closes)."""
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return True
    return depth != 0


def _first_number(value: str) -> str:
    match = _NUMBER.search(str(value or ""))
    return match.group(0).lstrip("0") or "0" if match else ""


def _part_number(title_lower: str) -> str:
    match = _PART.search(title_lower)
    if not match:
        return ""
    value = match.group(1)
    if value.isdigit():
        return value
    if value in _WORD_NUMBERS:
        return _WORD_NUMBERS[value]
    total, prev = 0, 0
    for ch in reversed(value):
        n = _ROMAN[ch]
        total = total - n if n < prev else total + n
        prev = max(prev, n)
    return str(total)


def _is_registration(types: str, journal_text: str) -> bool:
    return bool(_REGISTRY_VENUE.search(journal_text)) or "trial registration" in types or "trial registry" in types


def is_trial_registration(record: Record) -> bool:
    """Whether ``record`` is a trial register entry (a register as its venue, or typed as a registration): the
    rule dedup uses to keep registrations apart from articles, also used where a registration's lack of a DOI
    is expected rather than a gap."""
    types = " ".join(str(t) for t in record.publication_types or []).lower()
    return _is_registration(types, fold(" ".join((record.journal or "", record.journal_abbrev or ""))))


def _kinds(title_lower: str, record: Record, journal_text: str) -> set:
    kinds = set()
    types = " ".join(str(t) for t in record.publication_types or []).lower()
    extra = record.extra or {}
    entry_type = str(extra.get("ENTRYTYPE", extra.get("entry_type", ""))).lower()
    if _ERRATUM.search(title_lower) or "erratum" in types:
        kinds.add("erratum")
    if _RETRACTION.search(title_lower) or "retraction" in types:
        kinds.add("retraction")
    if _COMMENT.search(title_lower) or "comment" in types or "letter" in types:
        kinds.add("comment")
    venue = " ".join((journal_text, fold(str(extra.get("booktitle", "") or ""))))
    if (_CONFERENCE_VENUE.search(venue) or "conference" in types or "congress" in types
            or "meeting abstract" in types or entry_type in {"inproceedings", "conference", "proceedings"}):
        kinds.add("conference")
    if _PROTOCOL.search(title_lower) or "protocol" in types:
        kinds.add("protocol")
    if _PREPRINT_VENUE.search(journal_text) or "preprint" in types:
        kinds.add("preprint")  # a preprint server's DOI alone does not make a record a preprint (see compare)
    if _is_registration(types, journal_text):
        kinds.add("registration")
    if (_THESIS.search(journal_text) or "thesis" in types or "dissertation" in types
            or entry_type in {"phdthesis", "mastersthesis", "thesis"}):
        kinds.add("thesis")
    return kinds


# Registration numbers of the primary registers the WHO ICTRP gathers, as source_id carries them for records
# read from a register's export (ClinicalTrials.gov, the ICTRP). EU CTR numbers one trial per country
# ("EUCTR2015-001234-12-DE"): the country is not part of the trial's number.
_TRIAL_NUMBER = re.compile(r"^(NCT|ISRCTN|ACTRN|CHICTR|EUCTR|CTIS|DRKS|CTRI|JPRN|JRCT|UMIN|IRCT|KCT|TCTR|PACTR|RBR|"
                           r"SLCTR|NTR|NL|ITMCTR|RPCEC|LBCTR|PER|ANZCTR)[-/]?([0-9A-Z][0-9A-Z/-]*?)"
                           r"(?:-[A-Z]{2})?$")


def trial_number(source_id: str) -> tuple[str, str]:
    """``(register, number)`` when ``source_id`` is a trial registration number, else ``("", "")``."""
    match = _TRIAL_NUMBER.match(re.sub(r"\s+", "", str(source_id or "")).upper())
    if not match or not re.search(r"\d", match.group(2)):
        return "", ""
    return match.group(1), match.group(1) + match.group(2)


def record_keys(record: Record) -> Keys:
    """Compute the comparison keys of ``record``; never raises on odd values (they become unknown)."""
    keys = Keys()
    raw_title = title_text(record.title or "")
    title_lower = fold(raw_title)
    keys.title = " ".join(comparison_words(_CITED_ARTICLE.sub("", title_lower)))
    journal_text = fold(" ".join((record.journal or "", record.journal_abbrev or "")))
    keys.journal = normalise_journal(record.journal or record.journal_abbrev or "")
    keys.meeting = normalise_meeting(record.journal or "")
    keys.title_informative = (len(keys.title) >= 12 and keys.title not in _PLACEHOLDER_TITLES
                              and tuple(w for w in keys.title.split() if w not in _JOURNAL_STOPWORDS)
                              != keys.journal
                              and len(keys.title.split()) >= 2)
    keys.title_numbers = frozenset(_NUMBER.findall(keys.title))
    keys.serial = is_serial_title(keys.title)
    keys.title_clause = first_clause(raw_title)

    doi = normalise_doi(record.doi)
    if doi and _DOI_SHAPE.match(doi):
        keys.doi = doi
    elif doi:
        keys.problems.append(f"unusable DOI {record.doi!r}")
    keys.pmid = normalise_pmid(record.pmid)
    keys.pmcid = normalise_pmcid(record.pmcid) if record.pmcid else ""
    (keys.first_author, keys.first_author_tokens, keys.first_family_tokens,
     keys.author_tokens) = _author_keys(record.authors)

    year = record.year
    if isinstance(year, str):
        year = int(year) if year.strip().isdecimal() else None
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        keys.problems.append(f"absurd year {record.year!r} ignored")
        year = None
    keys.year = year

    issue, article_number = _issue_in_volume(record.volume, record.issue)
    keys.volume = _first_number(record.volume)
    if keys.volume and _unbalanced(str(record.volume)):
        # "1)": the tail of a source line a tool cut ("61 (10 SUPPL. 1)"), not the volume
        keys.problems.append(f"unusable volume {record.volume!r} ignored")
        keys.volume = ""
    elif keys.volume and keys.year is not None and keys.volume == str(keys.year):
        # a magazine's year written as its volume by one database ("2016", "May" for HBR's volume 94, issue
        # 5), or a publisher's own numbering by year: either way it places the item no better than its year
        keys.volume = ""
    keys.issue = _first_number(issue)
    keys.issue_numbers = _issue_numbers(issue)
    keys.page_prefix, keys.first_page, keys.last_page = _page_keys(record.pages)
    keys.article_number = _article_number(record, keys.page_prefix, keys.last_page, keys.first_page)
    if article_number and not keys.article_number:
        keys.article_number = article_number
    if record.pages and not keys.first_page:
        keys.problems.append(f"unusable pages {record.pages!r} ignored")
    elif "-" in expand_pages(_first_range(record.pages)) and keys.first_page and not keys.last_page:
        keys.problems.append(f"unusable last page in {record.pages!r} ignored")
    supplement = _SUPPLEMENT.search(fold(f"{record.volume} {record.issue}")) or keys.page_prefix == "s"
    keys.supplement = bool(supplement)
    keys.abstract_like = keys.supplement or bool(keys.first_page and keys.last_page in ("", keys.first_page))

    keys.kinds = frozenset(_kinds(title_lower, record, journal_text))
    if "registration" in keys.kinds:
        keys.trial_register, keys.trial_id = trial_number(record.source_id)
        if not keys.trial_id:  # a CENTRAL registry record: its register's number is in its source address
            own = own_numbers(record)
            if len(own) == 1:
                keys.trial_register, keys.trial_id = trial_number(own.pop())
        keys.listed_pmids = listed_pmids(record)
    keys.trial_refs = trial_refs(record, registration="registration" in keys.kinds)
    keys.preprint_doi = bool(_PREPRINT_DOI.match(keys.doi))
    cochrane = _COCHRANE_DOI.match(keys.doi)
    if cochrane:
        keys.cochrane_id = cochrane.group(1)
        keys.cochrane_version = int(cochrane.group(2) or 1)
    else:
        pages_match = _COCHRANE_PAGES.match(fold(record.pages or "").strip())
        if pages_match:
            keys.cochrane_id = pages_match.group(1)
    keys.part = _part_number(title_lower)
    return keys
