"""CSL-JSON (Citation Style Language JSON): Zotero's and Mendeley's "CSL JSON" export, citeproc input.

The file is a JSON array of items (an object with an ``items`` array is accepted too). Mapping, after the
CSL 1.0 variable list: ``id`` → source_id, ``title``, ``abstract``, ``author`` (``family``/``given`` or
``literal``), ``issued`` (``date-parts`` or ``raw``) → year, ``container-title`` → journal,
``container-title-short``/``journalAbbreviation`` → abbreviation, ``volume``, ``issue``, ``page``, ``DOI``,
``PMID``, ``PMCID``, ``ISSN``, ``language``, ``keyword`` (comma-separated), ``URL``, ``type``. Other variables
are kept in ``extra["fields"]``.
"""

from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.fields import build_record, first
from sysrev.formats.result import ParsedFile
from sysrev.formats.truncation import parse_json_or_cut

_MAPPED = {"id", "title", "abstract", "author", "issued", "container-title", "container-title-short",
           "journalAbbreviation", "volume", "issue", "page", "DOI", "PMID", "PMCID", "ISSN", "language", "keyword",
           "URL", "type"}


def parse_csl_json(text: str, *, path="file", source="") -> ParsedFile:
    """Read CSL-JSON ``text`` into Records; malformed JSON is an InputError naming line and column."""
    data, truncated = parse_json_or_cut(text, path=path)
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError("not CSL-JSON: expected an array of items (objects with 'title', 'author', …)", path=path)
    if not items and truncated is None:
        raise InputError("the CSL-JSON file holds no items", path=path)
    name = Path(str(path)).name
    records = [_to_record(item, source=source, fallback_id=f"{name}:{number}")
               for number, item in enumerate(items, start=1)]
    return ParsedFile(records=records, format="csl_json", truncated=truncated)


def _text(value) -> str:
    """A CSL variable as text: numbers as digits, lists (ISSN, keywords) joined."""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return "" if value is None or isinstance(value, dict) else str(value)


def _author(person) -> str:
    if not isinstance(person, dict):
        return _text(person)
    if person.get("literal"):
        return _text(person["literal"])
    family = " ".join(p for p in (_text(person.get("non-dropping-particle")), _text(person.get("family"))) if p)
    given = _text(person.get("given"))
    return f"{family}, {given}" if family and given else family or given


def _year(issued) -> str:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return _text(parts[0][0])
        return _text(issued.get("raw") or issued.get("literal"))
    return _text(issued)


def _to_record(item: dict, *, source: str, fallback_id: str):
    keywords = item.get("keyword")
    keyword_list = keywords if isinstance(keywords, list) else [k for k in _text(keywords).split(",")]
    return build_record(
        source_id=_text(item.get("id")) or fallback_id,
        source=source,
        title=_text(item.get("title")),
        abstract=_text(item.get("abstract")),
        authors=[_author(p) for p in item.get("author") or [] if _author(p)],
        year=_year(item.get("issued")),
        journal=_text(item.get("container-title")),
        journal_abbrev=first(_text(item.get("container-title-short")), _text(item.get("journalAbbreviation"))),
        volume=_text(item.get("volume")),
        issue=_text(item.get("issue")),
        pages=_text(item.get("page")),
        doi=_text(item.get("DOI")),
        pmid=_text(item.get("PMID")),
        pmcid=_text(item.get("PMCID")),
        issn=_text(item.get("ISSN")),
        language=_text(item.get("language")),
        publication_types=[_text(item.get("type"))],
        keywords=keyword_list,
        url=_text(item.get("URL")),
        extra={"type": _text(item.get("type")),
               "fields": {k: v for k, v in item.items() if k not in _MAPPED and v not in (None, "", [], {})}},
    )
