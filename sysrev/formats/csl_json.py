"""CSL-JSON (Citation Style Language JSON): Zotero's and Mendeley's "CSL JSON" export, citeproc input.

The file is a JSON array of items (an object with an ``items`` array is accepted too). Mapping, after the
CSL 1.0 variable list: ``id`` → source_id, ``title``, ``abstract``, ``author`` (``family``/``given`` or
``literal``), ``issued`` (``date-parts`` or ``raw``) → year, ``container-title`` → journal,
``container-title-short``/``journalAbbreviation`` → abbreviation, ``volume``, ``issue``, ``page``, ``DOI``,
``PMID``, ``PMCID``, ``ISSN``, ``language``, ``keyword`` (comma-separated), ``URL``, ``type``. Other variables
are kept in ``extra["fields"]``.
"""

import json
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.fields import build_record, first
from sysrev.formats.result import ParsedFile, Truncation

_MAPPED = {"id", "title", "abstract", "author", "issued", "container-title", "container-title-short",
           "journalAbbreviation", "volume", "issue", "page", "DOI", "PMID", "PMCID", "ISSN", "language", "keyword",
           "URL", "type"}


def parse_csl_json(text: str, *, path="file", source="") -> ParsedFile:
    """Read CSL-JSON ``text`` into Records; malformed JSON is an InputError naming line and column."""
    truncated = None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if not ends_early(text, exc):
            raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", path=path,
                             line=exc.lineno) from None
        data, truncated = complete_items(text)
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InputError("not CSL-JSON: expected an array of items (objects with 'title', 'author', …)", path=path)
    if not items and truncated is None:
        raise InputError("the CSL-JSON file holds no items", path=path)
    name = Path(str(path)).name
    records = [_to_record(item, source=source, fallback_id=f"{name}:{number}")
               for number, item in enumerate(items, start=1)]
    return ParsedFile(records=records, format="csl_json", truncated=truncated)


def ends_early(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the JSON error is the document stopping before its end (a cut), not a mistake inside it: a
    string still open at the end, or the parser wanting more exactly where the text runs out."""
    if exc.msg.startswith("Unterminated string"):
        return True
    rest = text[exc.pos:]
    return not rest.strip() or ("escape" in exc.msg and "\n" not in rest and len(rest) <= 6)


def complete_items(text: str) -> tuple[list, Truncation]:
    """The items of a cut-off array that are complete, and the cut at the item after them."""
    decoder, items = json.JSONDecoder(), []
    start = len(text) - len(text.lstrip())
    if not text.startswith("[", start):  # an {"items": […]} object cut off: no item can be trusted
        return [], Truncation(line=1, what="the JSON document ends before it is complete")
    pos = start + 1
    while True:
        pos = len(text) - len(text[pos:].lstrip())
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            line = text.count("\n", 0, pos) + 1
            if not text[pos:].strip():  # the cut fell after a complete item
                return items, Truncation(line=line, what="the JSON array ends before its closing ']', after a "
                                                         "complete item", records=0)
            return items, Truncation(line=line, what="the last item of the JSON array is cut off (the document "
                                                     "ends before its closing ']')")
        items.append(item)
        after = text[end:].lstrip()
        pos = len(text) - len(after) + (1 if after.startswith(",") else 0)


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
