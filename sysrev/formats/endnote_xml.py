"""EndNote XML (File → Export → XML in EndNote; also written by Bookends, Citavi and JabRef).

The document is ``<xml><records><record>…`` with one element per field; text may sit directly in the element
or be split over ``<style face=…>`` runs, which are joined. Parsed with :mod:`sysrev.formats.safexml`, so a
file that declares entities or points to an external DTD is refused, never expanded or fetched.

Mapping: ``titles/title`` → title; ``periodical/full-title`` or ``titles/secondary-title`` → journal (a book's
secondary title is its series: kept among the other fields); ``periodical/abbr-1``/``alt-periodical``/
``titles/alt-title`` → abbreviation; ``contributors/authors/author`` → authors; ``dates/year`` → year;
``pages``, ``volume``, ``number`` (issue; Mendeley's export names it
``issue``); ``electronic-resource-num`` (each of them, when there are several) → DOI; ``accession-num`` →
source_id (and PMID when the remote database or its provider is PubMed, MEDLINE or NLM), else
``rec-number``, else the record's line (``file:2.17`` for the 17th record on line 2: Zotero writes the whole
file on one line); ``isbn`` → ISSN when it is one (an ISBN stays among the other fields);
``keywords/keyword`` (split at line breaks inside one keyword); ``urls/related-urls/url`` → url; ``custom2``
or notes holding ``PMC…`` → PMCID. Other fields are kept in ``extra["fields"]``.
"""

import re
from collections import Counter
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.decode import decode_bytes
from sysrev.formats.fields import (
    ENDNOTE_BOOK_TYPES,
    PUBMED_HINTS,
    as_list,
    build_record,
    database_dialect,
    doi_from,
    first,
    join_pages,
    pmcid_in_text,
    pmid_in_text,
    pmid_in_url,
)
from sysrev.formats.result import ParsedFile
from sysrev.formats.truncation import parse_xml_or_cut
from sysrev.normalise import clean_text

_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']")
_MAPPED = {"titles", "periodical", "alt-periodical", "contributors", "dates", "pages", "volume", "number", "issue",
           "electronic-resource-num", "accession-num", "rec-number", "isbn", "keywords", "urls", "abstract",
           "language", "ref-type", "remote-database-name", "notes", "custom2"}


def _text(element) -> str:
    return clean_text("".join(element.itertext())) if element is not None else ""


def _texts(parent, path) -> list[str]:
    return [t for t in (_text(e) for e in parent.findall(path)) if t]


def _keywords(rec) -> list[str]:
    """The record's keywords, one per ``<keyword>`` or per line inside one: EndNote keeps a keyword list
    imported from RIS or PubMed as lines of one field, and some exports write that field as a single
    ``<keyword>`` with ``&#xD;`` between the terms."""
    lines = ("".join(e.itertext()) for e in rec.findall("keywords/keyword"))
    return [k for text in lines for k in (clean_text(t) for t in re.split(r"[\r\n]+", text)) if k]


def parse_endnote_xml(data: bytes, *, path="file", source="") -> ParsedFile:
    """Read EndNote XML ``data`` (bytes, so the XML declaration's encoding applies) into Records."""
    warnings = []
    declared = _DECLARED_ENCODING.match(data[:200])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if not declared:
        # A BOM (UTF-16 from EndNote on Windows) or no declaration: decode here, hand expat UTF-8, and make
        # the declaration say so.
        decoded = decode_bytes(data, name=str(path))
        warnings += decoded.warnings
        encoding = decoded.encoding
        text = re.sub(r"""^(\s*<\?xml[^>]*?encoding=)["'][^"']*["']""", r'\1"UTF-8"', decoded.text)
        data = text.encode("utf-8")
    root, lines, truncated = parse_xml_or_cut(data, path=path, record="record", document_end="</records></xml>")
    if root is None:  # cut off inside the first record: nothing complete to read
        return ParsedFile(records=[], format="endnote_xml", encoding=encoding, warnings=warnings,
                          truncated=truncated)
    if root.tag != "xml" or root.find("records") is None:
        raise InputError(f"not EndNote XML: the root is <{root.tag}>, expected <xml><records>", path=path, line=1)
    name = Path(str(path)).name
    records, dialects = [], set()
    elements = root.find("records").findall("record")
    sharing = Counter(lines.get(element, 0) for element in elements)
    on_line = Counter()
    for element in elements:
        database = _text(element.find("remote-database-name"))
        provider = _text(element.find("remote-database-provider"))
        dialect = "pubmed" if PUBMED_HINTS.search(f"{database} {provider}") else database_dialect(database)
        dialects.add(dialect)
        line = lines.get(element, 0)
        on_line[line] += 1  # Zotero writes the whole file on one line: then the record's place on it counts too
        fallback_id = f"{name}:{line}" if sharing[line] == 1 else f"{name}:{line}.{on_line[line]}"
        records.append(_to_record(element, dialect=dialect, source=source or dialect, fallback_id=fallback_id))
    if not records and truncated is None:
        raise InputError("the EndNote XML file holds no <record> elements", path=path)
    return ParsedFile(records=records, format="endnote_xml", dialect=dialects.pop() if len(dialects) == 1 else "",
                      encoding=encoding, warnings=warnings, truncated=truncated)


def _to_record(rec, *, dialect, source, fallback_id):
    ref_type = rec.find("ref-type")
    type_name = ref_type.get("name", _text(ref_type)) if ref_type is not None else ""
    accession = _text(rec.find("accession-num"))
    notes = _texts(rec, "notes") + _texts(rec, "custom2") + _texts(rec, "research-notes")
    urls = _texts(rec, "urls/related-urls/url") + _texts(rec, "urls/web-urls/url")
    pmid = accession if dialect == "pubmed" and re.fullmatch(r"\d{1,9}", accession) else ""
    pmid = pmid or pmid_in_text(*notes) or pmid_in_url(urls)
    isbn = _text(rec.find("isbn"))
    is_isbn = re.search(r"97[89]-?\d|\d{9}[\dX]", isbn)
    extra_fields = {}
    for child in rec:
        if (child.tag not in _MAPPED or child.tag == "isbn" and is_isbn) and _text(child):
            extra_fields[child.tag] = _text(child)  # an ISBN is no ISSN: kept here, not lost
    editors = _texts(rec, "contributors/secondary-authors/author")
    series = ""
    if type_name.lower() in ENDNOTE_BOOK_TYPES:  # a book's secondary title is its series, not a journal
        series = _text(rec.find("titles/secondary-title"))
        if series:
            extra_fields["secondary-title"] = series
    return build_record(
        source_id=accession or _text(rec.find("rec-number")) or fallback_id,
        source=source,
        title=_text(rec.find("titles/title")),
        abstract=_text(rec.find("abstract")),
        authors=_texts(rec, "contributors/authors/author"),
        year=_text(rec.find("dates/year")) or _text(rec.find("dates/pub-dates/date")),
        journal=first(_text(rec.find("periodical/full-title")),
                      "" if series else _text(rec.find("titles/secondary-title")),
                      _text(rec.find("alt-periodical/full-title"))),
        journal_abbrev=first(_text(rec.find("periodical/abbr-1")), _text(rec.find("alt-periodical/abbr-1")),
                             _text(rec.find("titles/alt-title"))),
        volume=_text(rec.find("volume")),
        issue=first(_text(rec.find("number")), _text(rec.find("issue"))),
        pages=join_pages(_text(rec.find("pages"))),
        # Every electronic-resource-num counts: EndNote may write one per identifier (a PII first, the DOI after).
        doi=doi_from(_texts(rec, "electronic-resource-num")) or doi_from(urls, urls_only=True),
        pmid=pmid,
        pmcid=pmcid_in_text(*notes),
        issn="" if is_isbn else isbn,
        language=_text(rec.find("language")),
        publication_types=[type_name],
        keywords=_keywords(rec),
        url=first(urls),
        extra={"type": type_name, "editors": editors, "notes": " ".join(as_list(_texts(rec, "notes"))),
               "fields": extra_fields},
    )
