"""EndNote tagged ("refer") text: ``%0 Journal Article``, ``%T …``, ``%A …`` (``.enw``, EndNote "Refer" output,
AIS eLibrary and many publisher "EndNote" download buttons).

Each line starts with ``%`` and a one-character tag, then a space and the value; a line without a leading
``%`` continues the previous field; records are separated by blank lines. Mapping (EndNote's tag list):
``%0`` type · ``%T`` title · ``%A`` authors · ``%E`` editors · ``%J`` journal (else ``%B``) · ``%D`` year ·
``%V`` volume · ``%N`` issue · ``%P`` pages · ``%R`` DOI · ``%U`` URL · ``%X`` abstract · ``%K`` keywords (one
per line) · ``%@`` ISSN · ``%M`` accession number (source_id) · ``%G`` language · ``%2`` PMCID. A book's ``%B``
(its series) and ``%@`` (its ISBN) stay among the other fields. The PMID is read where it is written as one
(``PMID: …`` in ``%Z`` or ``%M``, a PubMed link in ``%U``) and from a bare ``%M`` of a record from PubMed.

A second ``%0`` line after other fields also starts a new record, blank line or not: ``.enw`` files
downloaded one by one and joined (``cat *.enw``) often lack the blank line, and their records must not run
together. (A ``%0`` that is the record's first type line stays in the record, even after ``%T``: the AIS
eLibrary writes the title first.)

The format has no record terminator, so a file cut off at the end of a line cannot be told from a complete
one; a file that ends in the middle of a line is read as cut off there (:mod:`sysrev.formats.truncation`).
"""

import re
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.decode import split_lines
from sysrev.formats.fields import (
    ENDNOTE_BOOK_TYPES,
    PUBMED_HINTS,
    as_list,
    build_record,
    doi_from,
    first,
    pmid_in_text,
    pmid_in_url,
)
from sysrev.formats.result import ParsedFile, Truncation
from sysrev.formats.truncation import MID_LINE, ends_mid_line

_TAG = re.compile(r"^%(\S)(?: (.*))?$")
_MAPPED = set("0TAEJBDVNPRUXK@MG2")


def _records(lines, path):
    """``[(first_line, {tag: [values]})]`` for each record (ended by a blank line or a new ``%0`` type line)."""
    records, current, start, last = [], None, None, None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if current:
                records.append((start, current))
            current, last = None, None
            continue
        match = _TAG.match(line)
        if match:
            if match.group(1) == "0" and current and "0" in current and set(current) - {"0"}:
                records.append((start, current))
                current = None
            if current is None:
                current, start = {}, number
            last = match.group(1)
            current.setdefault(last, []).append((match.group(2) or "").strip())
        elif current is not None and last is not None:
            current[last].append(line.strip())  # a continuation line: kept as its own item
        else:
            raise InputError(f"not an EndNote tagged line: expected '%X value', got {line[:40]!r}",
                             path=path, line=number)
    if current:
        records.append((start, current))
    return records


def parse_endnote_tagged(text: str, *, path="file", source="") -> ParsedFile:
    """Read EndNote tagged ``text`` into Records; a stray untagged line before any record is an error."""
    lines = split_lines(text)
    groups = _records(lines, path)
    if not groups:
        raise InputError("no EndNote tagged records found (no line starts with '%0 ' or '%T ')", path=path)
    truncated = None
    if ends_mid_line(text) and (len(groups) == 1 or any(not line.strip() for line in lines)):
        # EndNote ends every line, and a record with a blank line; JabRef runs records together and leaves
        # the last line open, so only a file laid out as EndNote writes it is read as cut off mid-line.
        truncated = Truncation(line=groups[-1][0], what=MID_LINE)
        groups = groups[:-1]
    name = Path(str(path)).name
    return ParsedFile(records=[_to_record(tags, source=source, fallback_id=f"{name}:{line}")
                               for line, tags in groups], format="endnote_tagged", truncated=truncated)


def _to_record(tags, *, source, fallback_id):
    text = lambda tag: " ".join(as_list(tags.get(tag)))  # noqa: E731 - continuation lines joined
    type_name = first(tags.get("0"))
    book_like = type_name.lower() in ENDNOTE_BOOK_TYPES
    # a book's %B is its series and its %@ an ISBN: no journal or ISSN, so they are kept with the other fields
    mapped = _MAPPED - {"B", "@"} if book_like else _MAPPED
    extra_fields = {f"%{t}": (v[0] if len(v) == 1 else v) for t, v in ((t, as_list(v)) for t, v in tags.items())
                    if t not in mapped and v}
    return build_record(
        source_id=first(tags.get("M")) or fallback_id,
        source=source,
        title=text("T"),
        abstract=text("X"),
        authors=as_list(tags.get("A")),
        year=first(tags.get("D"), tags.get("8")),
        journal=first(tags.get("J"), [] if book_like else tags.get("B")),
        volume=first(tags.get("V")),
        issue=first(tags.get("N")),
        pages=first(tags.get("P")),
        doi=doi_from(tags.get("R")),
        pmid=_pmid(tags),
        pmcid=first(tags.get("2")),
        issn="" if book_like else first(tags.get("@")),
        language=first(tags.get("G")),
        publication_types=[type_name],
        keywords=as_list(tags.get("K")),
        url=first(tags.get("U")),
        extra={"type": type_name, "editors": as_list(tags.get("E")), "fields": extra_fields},
    )


def _pmid(tags) -> str:
    """The PMID: written as ``PMID: …`` in a note (``%Z``) or the accession number (``%M``); the bare accession
    number of a record from PubMed (``%~`` database or ``%W`` provider naming PubMed, NLM or MEDLINE, as
    EndNote writes them); or a PubMed link (``%U``). A bare ``%M`` from another database is its own number."""
    accession = first(tags.get("M"))
    from_pubmed = any(PUBMED_HINTS.search(value) for tag in "~W" for value in as_list(tags.get(tag)))
    if from_pubmed and re.fullmatch(r"\d{1,9}", accession):
        return accession
    return pmid_in_text(*as_list(tags.get("Z")), accession) or pmid_in_url(*as_list(tags.get("U")))
