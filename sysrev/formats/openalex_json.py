"""OpenAlex works as JSON: the API's answer (``https://api.openalex.org/works?filter=…``, saved from the browser
or a script), a JSON array of works, or one work.

OpenAlex is a free index of scholarly works that review teams search besides the bibliographic databases (and
for citation chasing). Its web interface exports CSV and RIS (read by those readers); its API answers JSON, one
object per work with an ``id`` ``https://openalex.org/W…``. A page of the API's answer holds the works under
``results``.

The fields, by their name in OpenAlex's Work object: the work's id (``W2741809807``) → source_id, ``title``
(else ``display_name``) → title, ``abstract_inverted_index`` written out in word order → abstract (OpenAlex
gives abstracts only as that index), ``authorships[].author.display_name`` (names in natural order) → authors,
``publication_year`` → year, ``primary_location.source`` ``display_name`` → journal and ``issn_l`` (else its
first ``issn``) → ISSN, ``biblio`` ``volume``, ``issue``, ``first_page``–``last_page`` → volume, issue, pages,
``doi`` and ``ids.pmid``/``ids.pmcid`` (URLs) → identifiers, ``language``, ``type`` → publication type,
``keywords[].display_name`` and ``mesh[].descriptor_name`` → keywords, ``primary_location.landing_page_url``
(else the DOI's URL) → URL. The publication date, Crossref's type, whether the work is retracted or paratext
(a journal's front matter), its open-access URL and citation count are kept in ``extra["fields"]``.

A file that ends inside its array (an interrupted download) is read as cut off, like CSL-JSON.
"""

import re

from sysrev.errors import InputError
from sysrev.formats.fields import build_record, inverted_index_text
from sysrev.formats.result import ParsedFile
from sysrev.formats.truncation import parse_json_or_cut
from sysrev.normalise import clean_text

_WORK_ID = re.compile(r"^(?:https?://openalex\.org/)?(W\d+)$", re.IGNORECASE)
_PMCID = re.compile(r"(?:PMC)?(\d{1,9})/?$", re.IGNORECASE)


def is_openalex_json(head: str) -> bool:
    """Whether ``head`` (a file's start) is OpenAlex works JSON: a JSON document naming a work by its OpenAlex id
    and holding a field only a Work object has."""
    return (head.startswith(("[", "{")) and re.search(r'"id"\s*:\s*"https://openalex\.org/W\d+"', head) is not None
            and re.search(r'"(?:authorships|abstract_inverted_index|publication_year)"\s*:', head) is not None)


def parse_openalex_json(text: str, *, path, source) -> ParsedFile:
    """Read OpenAlex works JSON into Records, one per work."""
    data, truncated = parse_json_or_cut(text, path=path)
    if isinstance(data, dict):
        works = data["results"] if isinstance(data.get("results"), list) else [data]
    else:
        works = data
    if not isinstance(works, list):
        raise InputError("not OpenAlex JSON: expected works (objects with an 'id' https://openalex.org/W…)",
                         path=path)
    for number, work in enumerate(works, start=1):
        if not isinstance(work, dict) or not _WORK_ID.match(str(work.get("id"))):
            raise InputError(f"not OpenAlex JSON: item {number} of {len(works)} is not a work (an object whose "
                             "'id' is https://openalex.org/W…)", path=path)
    records = [_to_record(work, source=source or "openalex") for work in works]
    return ParsedFile(records=records, format="openalex_json", dialect="openalex", truncated=truncated)


def _object(value) -> dict:
    """A JSON object, or nothing in place of a missing or malformed one."""
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    """A JSON list, or nothing in place of a missing or malformed one."""
    return value if isinstance(value, list) else []


def _text(value) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else clean_text(value)


def _names(items, key: str) -> list[str]:
    """Each object's ``key`` in a list of objects, as text (missing ones left out)."""
    return [name for name in (_text(_object(item).get(key)) for item in _list(items)) if name]


def _pmcid(value) -> str:
    """``PMC`` + the number OpenAlex's PMCID URL ends with (``…/pmc/articles/3310326``)."""
    found = _PMCID.search(_text(value))
    return f"PMC{found.group(1)}" if found else ""


def _to_record(work: dict, *, source):
    location = _object(work.get("primary_location"))
    venue = _object(location.get("source"))
    biblio = _object(work.get("biblio"))
    ids = _object(work.get("ids"))
    first, last = _text(biblio.get("first_page")), _text(biblio.get("last_page"))
    issns = [_text(i) for i in _list(venue.get("issn")) if _text(i)]
    doi = _text(work.get("doi")) or _text(ids.get("doi"))
    fields = {
        "publication_date": _text(work.get("publication_date")),
        "type_crossref": _text(work.get("type_crossref")),
        "is_retracted": work.get("is_retracted") is True,
        "is_paratext": work.get("is_paratext") is True,
        "oa_url": _text(_object(work.get("open_access")).get("oa_url")),
        "cited_by_count": work.get("cited_by_count") if isinstance(work.get("cited_by_count"), int) else None,
    }
    return build_record(
        source_id=_WORK_ID.match(str(work["id"])).group(1).upper(),
        source=source,
        title=_text(work.get("title")) or _text(work.get("display_name")),
        abstract=inverted_index_text(work.get("abstract_inverted_index")),
        authors=[_text(_object(a.get("author")).get("display_name")) for a in _list(work.get("authorships"))
                 if isinstance(a, dict)],
        year=_text(work.get("publication_year")),
        journal=_text(venue.get("display_name")),
        volume=_text(biblio.get("volume")),
        issue=_text(biblio.get("issue")),
        pages=f"{first}-{last}" if first and last else first,
        doi=doi,
        pmid=_text(ids.get("pmid")),
        pmcid=_pmcid(ids.get("pmcid")),
        issn=_text(venue.get("issn_l")) or (issns[0] if issns else ""),
        language=_text(work.get("language")),
        publication_types=[_text(work.get("type"))],
        keywords=_names(work.get("keywords"), "display_name") + _names(work.get("mesh"), "descriptor_name"),
        url=_text(location.get("landing_page_url")) or doi,
        extra={"type": _text(work.get("type")),
               "fields": {k: v for k, v in fields.items() if v not in ("", None, False)}},
    )
