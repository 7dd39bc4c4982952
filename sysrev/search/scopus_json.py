"""Scopus Search API JSON (``search-results``) → :class:`~sysrev.records.Record`.

The STANDARD view gives the first author only (``dc:creator``) and no abstract; the COMPLETE view (for
subscribers) adds ``author`` and ``dc:description``. A record from the STANDARD view says so in
``extra["first_author_only"]`` so later stages know the author list is incomplete. Scopus marks chemical
formulas with ``<inf>``/``<sup>`` in titles; they are removed like any markup. An article without a page range
takes its ``article-number`` as its pages, as Scopus's CSV and RIS exports give it; a book's or proceedings'
``prism:isbn`` and a publisher item identifier (``pii``) are kept in ``extra``.
"""

import re

from sysrev.normalise import (
    clean_text,
    expand_pages,
    normalise_doi,
    normalise_issn,
    normalise_pmid,
    parse_author,
    parse_year,
    split_list,
    strip_markup,
)
from sysrev.records import Record

_SCOPUS_TAGS = re.compile(r"</?inf>", re.IGNORECASE)


class ScopusJSONError(ValueError):
    """The body is not a Scopus search result."""


def parse_search_results(data: dict) -> tuple[int, list[dict], str | None]:
    """``(total results, real entries, next cursor)`` from a decoded response.

    Scopus answers a search with no hits with one pseudo-entry ``{"error": "Result set was empty"}``; it is
    not a record and is dropped here.
    """
    results = data.get("search-results") if isinstance(data, dict) else None
    if not isinstance(results, dict) or "opensearch:totalResults" not in results:
        raise ScopusJSONError("not a Scopus search-results document")
    try:
        total = int(results["opensearch:totalResults"] or 0)
    except (TypeError, ValueError):
        raise ScopusJSONError(f"odd opensearch:totalResults {results['opensearch:totalResults']!r}") from None
    entries = [e for e in results.get("entry") or [] if isinstance(e, dict) and "error" not in e]
    cursor = results.get("cursor") or {}
    return total, entries, cursor.get("@next") if isinstance(cursor, dict) else None


def entry_to_record(entry: dict) -> Record:
    """One Scopus search entry as a normalised Record (``source_id`` is the EID)."""
    authors = _authors(entry.get("author"))
    first_author_only = not authors and bool(entry.get("dc:creator"))
    if first_author_only:
        authors = [parse_author(entry["dc:creator"])]
    extra = {k: entry[k] for k in ("citedby-count", "article-number", "source-id", "prism:aggregationType", "pii")
             if entry.get(k)}
    if first_author_only:
        extra["first_author_only"] = True
    identifier = clean_text(entry.get("dc:identifier"))
    if identifier:
        extra["scopus_id"] = identifier.removeprefix("SCOPUS_ID:")
    isbn = _values(entry.get("prism:isbn"))
    if isbn:
        extra["isbn"] = isbn
    article_number = clean_text(entry.get("article-number"))
    # no page range: the article number (e.g. PLOS ONE's "e0163477"), as Scopus's CSV and RIS exports give it
    pages = expand_pages(entry.get("prism:pageRange") or "") or (article_number if re.search(r"\d", article_number)
                                                                  else "")
    return Record(
        source_id=clean_text(entry.get("eid")),
        source="scopus",
        title=_text(entry.get("dc:title")),
        abstract=_text(entry.get("dc:description")),
        authors=[a for a in authors if a],
        year=parse_year(entry.get("prism:coverDate")),
        journal=clean_text(entry.get("prism:publicationName")),
        volume=clean_text(entry.get("prism:volume")),
        issue=clean_text(entry.get("prism:issueIdentifier")),
        pages=pages,
        doi=normalise_doi(entry.get("prism:doi")),
        pmid=normalise_pmid(entry.get("pubmed-id")),
        issn=normalise_issn(entry.get("prism:issn") or entry.get("prism:eIssn")),
        publication_types=[clean_text(entry["subtypeDescription"])] if entry.get("subtypeDescription") else [],
        keywords=split_list(entry.get("authkeywords"), separators="|"),
        url=_scopus_link(entry),
        extra=extra,
    )


def _text(value) -> str:
    return strip_markup(_SCOPUS_TAGS.sub("", value or ""))


def _values(value) -> list[str]:
    """The texts of a key the JSON gives as a list of ``{"$": text}`` objects (``prism:isbn``), or as one text."""
    items = value if isinstance(value, list) else [value]
    texts = [clean_text(item.get("$") if isinstance(item, dict) else item or "") for item in items]
    return [text for text in texts if text]


def _authors(authors) -> list[str]:
    names = []
    for author in authors or []:
        family = clean_text(author.get("surname"))
        given = clean_text(author.get("given-name") or author.get("initials"))
        if family:
            names.append(f"{family}, {given}" if given else family)
        elif author.get("authname"):
            names.append(parse_author(author["authname"]))
    return names


def _scopus_link(entry) -> str:
    for link in entry.get("link") or []:
        if isinstance(link, dict) and link.get("@ref") == "scopus":
            return link.get("@href", "")
    return clean_text(entry.get("prism:url"))
