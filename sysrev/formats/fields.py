"""Build a normalised :class:`~sysrev.records.Record` from the raw values a reader pulled out of a file.

Every format reader (RIS, NBIB, BibTeX, EndNote XML, CSV, …) only knows *where* its format keeps a title or
a DOI; *how* a value is cleaned is decided here, once, with the shared normalisers of :mod:`sysrev.normalise`.
So a DOI from a BibTeX ``doi`` field and one from a RIS ``DO`` tag end up identical, and dedup compares like
with like.
"""

import ast
import re

from sysrev.normalise import (
    clean_text,
    expand_pages,
    normalise_doi,
    normalise_issn,
    normalise_pmcid,
    normalise_pmid,
    parse_author,
    parse_year,
    strip_markup,
)
from sysrev.records import Record

# EBSCO (CINAHL, MEDLINE via EBSCOhost) writes the PMID with NLM's prefix: "PMID: NLM30512345".
_PMID_IN_TEXT = re.compile(r"\bPMID\s*[:=]?\s*(?:NLM)?(\d{1,9})\b", re.IGNORECASE)
_PMCID_IN_TEXT = re.compile(r"\bPMC\s?\d{3,9}\b", re.IGNORECASE)
# The type every reader of a trial register's export gives its records (first publication type and the type the
# import summary counts), so dedup's rule for registrations and the summary see them alike.
TRIAL_REGISTRATION = "Trial registration"
# EndNote's reference types (tagged %0, XML ref-type name) whose secondary title is a series and whose ISBN field an
# ISBN, not a journal and an ISSN.
ENDNOTE_BOOK_TYPES = ("book", "edited book")
_MAX_PAGES_LENGTH = 30
_EID = re.compile(r"\beid=(2-s2\.0-\d+)")


def first(*values) -> str:
    """The first value that is not empty after cleaning (lists are searched item by item)."""
    for value in values:
        for item in value if isinstance(value, (list, tuple)) else [value]:
            text = clean_text(item)
            if text:
                return text
    return ""


def as_list(value) -> list:
    """``value`` as a flat list of cleaned, non-empty strings (a single string becomes a one-item list;
    nested lists, as in ``as_list([notes, links])``, are flattened)."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    flat = []
    for item in items:
        if isinstance(item, (list, tuple)):
            flat.extend(as_list(item))
        else:
            text = clean_text(item)
            if text:
                flat.append(text)
    return flat


_PAGE_PREFIX = re.compile(r"^(?:pages?|pp?)(?:\.\s*|\s+|(?=\d))", re.IGNORECASE)
_PII_PREFIX = re.compile(r"^pii\s*:?\s*", re.IGNORECASE)


def _page(value) -> str:
    """A start or end page without its ``p.``/``pp``/``Pages`` prefix; ``""`` for a publisher item id."""
    text = _PAGE_PREFIX.sub("", clean_text(value))
    if _PII_PREFIX.match(text):
        text = _PII_PREFIX.sub("", text)
        return "" if "(" in text else text
    return text


def join_pages(start, end="") -> str:
    """One page range from a start and an end page (``SP``/``EP``, ``Page start``/``Page end``), expanded.

    Values without a digit (Ovid's ``No``/``Specified`` for "no pagination specified") or holding a URL
    (EndNote reports' ``Available: http://…``) or too long to be pages (an affiliation in the pages column of
    some Covidence exports) give ``""``; a range already in ``start`` (``575-86``) is kept; ``pp 37-64`` and
    ``Pages 10-20`` lose their prefix. PubMed's ``pii: E1392`` (an electronic article number) keeps the number;
    a publisher item identifier (``pii: S0140-6736(19)32971-X``) is no page.
    """
    start, end = _page(start), _page(end)
    if not re.search(r"\d", start) or "://" in start or len(start) > _MAX_PAGES_LENGTH:
        start = ""
    if not re.search(r"\d", end) or "://" in end or len(end) > _MAX_PAGES_LENGTH:
        end = ""
    if start and end and not re.search(r"\d\s*[-\u2010-\u2015]\s*\S", start) and end != start:
        return expand_pages(f"{start}-{end}")
    return expand_pages(start or end)


# Zoological Record and BIOSIS page spans (Web of Science PS): a page count ("14pp.") is no page range, and a
# note on illustrations after the pages ("2-10,illust.", "1-42 figs.") or parentheses ("(36-45)") are no part
# of it.
_PAGE_COUNT = re.compile(r"^\d+\s*pp?\.*$", re.IGNORECASE)
_PAGE_NOTE = re.compile(r"[,;]?\s*\b(?:illus|illust|figs?|pls?|plates?|maps?|tabs?|tables?|photos?)\b.*$",
                        re.IGNORECASE)


def page_span(value) -> str:
    """The pages of a page-span field (Web of Science's ``PS``), without a page count or a note after them."""
    text = _PAGE_NOTE.sub("", clean_text(value)).strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return "" if _PAGE_COUNT.match(text) else join_pages(text)


def pmid_in_text(*values) -> str:
    """A PMID written as ``PMID: 123`` anywhere in ``values`` (EndNote notes, Scopus N1, Zotero's BibTeX
    ``note``; EBSCO's ``PMID: NLM123``), else ``""``."""
    for text in as_list(list(values)):
        match = _PMID_IN_TEXT.search(text)
        if match:
            return normalise_pmid(match.group(1))
    return ""


# A record's database or provider naming PubMed: its bare accession number is then the PMID.
PUBMED_HINTS = re.compile(r"\b(NLM|PubMed|MEDLINE)\b", re.IGNORECASE)
# One name per database, whatever the platform calls its edition ("Embase Classic+Embase", "Web of Science Core
# Collection", "APA PsycInfo"), so PRISMA counts one source under its usual name.
_DATABASE_WORDS = (("embase", "embase"), ("psycinfo", "psycinfo"), ("web of science", "web-of-science"),
                   ("cochrane central", "cochrane-central"), ("cinahl", "cinahl"))


def database_dialect(name: str) -> str:
    """The dialect of a database a record names (RIS or MEDLINE ``DB``): ``pubmed`` for PubMed and MEDLINE on
    any platform, a known database's one name, else the name as a slug. Ovid appends the coverage to the name
    (``ERIC <1992 to June 2024>``), which is dropped."""
    database = re.sub(r"<[^>]*>", "", str(name or "")).strip().lower()
    if not database:
        return ""
    if PUBMED_HINTS.search(database):
        return "pubmed"
    known = next((dialect for word, dialect in _DATABASE_WORDS if word in database), "")
    return known or re.sub(r"\W+", "-", database).strip("-")
_PUBMED_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/|[?&]list_uids=|"
                         r"europepmc\.org/(?:article|abstract)/MED/)(\d{1,9})(?!\d)"
                         # a PubMed search for one PMID (EndNote's links): a term of six or more digits alone
                         r"|pubmed[^?#\s]*\?(?:[^#\s]*&)?term=(\d{6,9})(?![\w+%])", re.IGNORECASE)


def pmid_in_url(*values) -> str:
    """The PMID of a PubMed record URL (``pubmed.ncbi.nlm.nih.gov/123/``, ``ncbi.nlm.nih.gov/pubmed/123``,
    Entrez's ``…&list_uids=123``, Europe PMC's ``…/article/MED/123``, a PubMed search for one PMID
    ``pubmed/?term=31234567``) among ``values``, else ``""``. Other NCBI URLs are not PubMed records: the
    number in ``pubmedcentral.nih.gov/articlerender.fcgi?artid=…`` is a PMC id, in ``pubmed/?term=2019`` a
    search term."""
    for text in as_list(list(values)):
        match = _PUBMED_URL.search(text)
        if match:
            return normalise_pmid(match.group(1) or match.group(2))
    return ""


def pmcid_in_text(*values) -> str:
    """A PMCID (``PMC1234567``) anywhere in ``values``, else ``""``."""
    for text in as_list(list(values)):
        match = _PMCID_IN_TEXT.search(text)
        if match:
            return normalise_pmcid(match.group(0))
    return ""


def scopus_eid(*values) -> str:
    """The Scopus EID (``2-s2.0-…``) inside a Scopus record URL, else ``""``."""
    for text in as_list(list(values)):
        match = _EID.search(text)
        if match:
            return match.group(1)
    return ""


def doi_from(*values, urls_only=False) -> str:
    """The first DOI among ``values``; with ``urls_only`` only from resolver URLs or ``doi:`` values.

    ``urls_only`` keeps DOIs out of link-resolver URLs that merely *mention* a DOI among other query
    parameters (an SFX/OpenURL link), where the end of the DOI cannot be told from the next parameter.
    """
    for text in as_list(list(values)):
        if urls_only and not re.match(r"^(https?://(dx\.)?doi\.org/|doi:\s*10\.|10\.\d)", text, re.IGNORECASE):
            continue
        doi = normalise_doi(text)
        if doi:
            return doi
    return ""


# What exporters write where the rest of a long author list was cut: ERIC's "And Others", "et al.".
_AUTHOR_PLACEHOLDER = re.compile(r"^\W*(?:and\s+others|others|et\.?\s*al\.?|\.\.\.|…)\W*$", re.IGNORECASE)
# What Scopus (CSV, RIS, BibTeX) writes where it has no value: "[No abstract available]", "[No author name
# available]", "[No title available]". Kept, they would count as an abstract, an author or a title.
_MISSING_VALUE = re.compile(r"^\s*\[\s*(?:no\s+(?:abstract|author\s+names?|authors?|title|keywords?)\s+available|"
                            r"not\s+available)\s*\]\.?\s*$", re.IGNORECASE)
# R's missing value, written out as text by R tools (synthesisr, revtools, CiteSource: "AB  - NA"). Not for
# names: "Na" is a family name.
_R_MISSING = "NA"


def _given(text: str) -> str:
    """``text`` cleaned of markup, or ``""`` when it is a database's placeholder for a missing value."""
    text = strip_markup(text)
    return "" if _MISSING_VALUE.match(text) or text == _R_MISSING else text


def _stated(text) -> str:
    """A short field (volume, issue, pages, language …) cleaned, or ``""`` when it is R's missing value: an
    issue "NA" from an R tool's CSV would otherwise be a stated issue that differs from every real one."""
    text = clean_text(text)
    return "" if text == _R_MISSING else text


def single_names(names) -> list[str]:
    """``names`` with each value holding several names split at ``;`` and placeholders dropped.

    A semicolon never occurs inside one person's name, but some exporters put a whole author list on one
    line (``AU  - Smith, J.; Doe, K.``); read as one name it would merge the authors. ERIC's ``AU  - And
    Others``, an ``et al.`` and Scopus' ``[No author name available]`` are not authors. A Python list written
    as text (``AU  - ['Mizdrak, Anja', 'Scarborough, Peter']``, from tools that wrote a data frame's list
    column into RIS) is read as the names it lists.
    """
    single = []
    for name in names:
        text = str(name or "")
        text = strip_markup(text) if "&" in text or "<" in text else text.strip()  # "&amp;" holds a semicolon
        for part in _listed_names(text) or text.split(";"):
            if part.strip() and not _AUTHOR_PLACEHOLDER.match(part) and not _MISSING_VALUE.match(part):
                single.append(part)
    return single


def _listed_names(text: str) -> list[str]:
    """The names in ``text`` when it is a Python/JSON list of strings (``['A, B', 'C, D']``), else ``[]``."""
    if not (text.startswith("[") and text.endswith("]") and len(text) > 2 and text[1] in "'\""):
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return []
    return [str(v) for v in value if isinstance(v, str)]  # "[…]" that evaluates is always a list


def build_record(*, source_id, source="", title="", abstract="", authors=(), year=None, journal="",
                 journal_abbrev="", volume="", issue="", pages="", doi="", pmid="", pmcid="", issn="",
                 language="", publication_types=(), keywords=(), url="", extra=None,
                 split_authors=None, group_authors=()) -> Record:
    """A Record with every field normalised (markup stripped, DOI/PMID/ISSN canonical, pages expanded …).

    ``authors`` is a list of names in any common order (see :func:`sysrev.normalise.parse_author`);
    ``split_authors`` optionally splits one string of several names first; :func:`single_names` then splits
    values holding several names and drops placeholders. ``group_authors`` (a collective author field such as
    MEDLINE's ``CN`` or Web of Science's ``CA``) are added after them as written: a consortium's name is not
    a person's, to be turned round at its last word. Duplicate keywords are dropped.
    """
    names = authors
    if isinstance(names, str):
        names = split_authors(names) if split_authors else [names]
    author_list = [a for a in (parse_author(n) for n in single_names(names)) if a]
    author_list += [g for g in (strip_markup(n) for n in as_list(list(group_authors))) if g]
    keyword_list = list(dict.fromkeys(strip_markup(k) for k in as_list(list(keywords)) if strip_markup(k)))
    extra = dict(extra or {})
    parsed_year = parse_year(year)
    raw_year = clean_text(year) if year is not None and not isinstance(year, (int, float)) else str(year or "")
    if parsed_year is None and re.search(r"\d", raw_year):
        # Kept, not dropped: the reader's _finish warns about it and the raw text stays in the snapshot.
        extra["unreadable_year"] = raw_year
    return Record(
        source_id=clean_text(source_id),
        source=clean_text(source),
        title=_given(title),
        abstract=_given(abstract),
        authors=author_list,
        year=parsed_year,
        journal=_given(journal),
        journal_abbrev=_given(journal_abbrev),
        volume=_stated(volume),
        issue=_stated(issue),
        pages=expand_pages(_stated(pages)),
        doi=normalise_doi(doi),
        pmid=normalise_pmid(pmid),
        pmcid=normalise_pmcid(pmcid),
        issn=normalise_issn(issn),
        language=_stated(language),
        publication_types=list(dict.fromkeys(as_list(list(publication_types)))),
        keywords=keyword_list,
        url=_stated(url),
        extra={k: v for k, v in (extra or {}).items() if v not in (None, "", [], {})},
    )


def inverted_index_text(index) -> str:
    """An abstract OpenAlex gives as an inverted index (``{"word": [positions], …}``: it may not hand out the
    plain text) written out in word order; ``""`` for anything else. Positions past 100,000 are ignored (no
    abstract is that long; a damaged index must not make a huge text)."""
    if not isinstance(index, dict):
        return ""
    placed = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and 0 <= position < 100000:
                placed[position] = word
    return clean_text(" ".join(placed[k] for k in sorted(placed)))
