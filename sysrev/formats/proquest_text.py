"""ProQuest's "Text only" export (ProQuest Dissertations & Theses, ProQuest Central, and the databases it hosts:
APA PsycInfo, ERIC, ASSIA, Sociological Abstracts …).

The file opens with "Report Information from ProQuest" and a table of contents; each record is a section
``Document 1 of 100`` between rules of underscores: the title on a line of its own, then ``Label: value``
fields separated by blank lines (``Author``, ``Abstract``, ``Publication title``, ``Volume``, ``Issue``,
``Pages``, ``Publication year``, ``DOI``, ``ProQuest document ID`` …), and a bare line with the document's
URL. A paragraph without a label continues the field above it (an abstract's later paragraphs); inside an
abstract, only one of ProQuest's own labels starts the next field, so a structured abstract's headings
(``Methods: …``, ``Trial registration: …``) stay in it. A bibliography section and
the contact footer may follow the records; neither is a record.

The export states how many records it holds (``of 100``): a file that ends inside a record, or holds fewer
records than it says, is cut off.
"""

import re
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.decode import split_lines
from sysrev.formats.fields import build_record, doi_from, first, join_pages
from sysrev.formats.result import ParsedFile, Truncation

_RULE = re.compile(r"^_{20,}\s*$")
_DOCUMENT = re.compile(r"^Document (\d+) of (\d+)\s*$")
_FIELD = re.compile(r"^(e-ISSN|[A-Z][A-Za-z0-9 /()&.,'-]{0,60}?): (.*)$")  # e-ISSN: the one lower-case label
_URL = re.compile(r"^https?://\S+$")
# ProQuest's own field labels. Inside an abstract only one of these starts the next field: a paragraph
# opening with any other "Word: " is the abstract's own heading ("Methods: …", "Trial registration: …").
_PROQUEST_LABELS = {
    "Abstract", "Accession number", "Advisor", "Author", "Author affiliation", "Author e-mail address", "CODEN",
    "Classification", "Committee member", "Company / organization", "Conference title", "Contents", "Copyright",
    "Correspondence author", "Country of publication", "DOI", "Database", "Degree", "Degree date", "Department",
    "Dissertation/thesis number", "Document URL", "Document feature", "Document type", "e-ISSN", "First page",
    "First posting", "Grant", "ISBN", "ISSN", "Identifier / keyword", "Issue", "Language", "Language of publication",
    "Last updated", "Links", "Location", "MeSH subject", "Methodology", "Notes", "Number of pages",
    "Online publication date", "Pages", "Peer reviewed", "Place of publication", "Population", "ProQuest document ID",
    "Publication date", "Publication history", "Publication subject", "Publication title", "Publication year",
    "Publisher", "PubMed ID", "School code", "Scholarly", "Section", "Source", "Source type", "Subject",
    "Tests & measures", "Title", "University location", "University/institution", "Update", "Volume", "Year"}
_MAPPED = {"Title", "Author", "Abstract", "Publication title", "Publication year", "Volume", "Issue", "Pages",
           "First page", "DOI", "ISSN", "Language", "Language of publication", "Document type", "Subject",
           "MeSH subject", "Identifier / keyword", "ProQuest document ID", "Document URL", "PubMed ID",
           "Links"}


def is_proquest_text(head: str) -> bool:
    """Whether ``head`` (a file's start) is a ProQuest text export."""
    return bool(re.search(r"^Report Information from ProQuest\s*$", head[:2000], re.MULTILINE)
                or (re.search(r"^Document 1 of \d+\s*$", head, re.MULTILINE)
                    and re.search(r"^ProQuest document ID: ", head, re.MULTILINE)))


def parse_proquest_text(text: str, *, path="file", source="") -> ParsedFile:
    """Read a ProQuest text export into Records, one per ``Document N of M`` section."""
    sections, current, closed = [], None, False
    for number, line in enumerate(split_lines(text), start=1):
        if _RULE.match(line):
            closed = closed or current is not None
            current = None
            continue
        heading = _DOCUMENT.match(line)
        if heading and current is None:
            current, closed = (number, int(heading.group(1)), int(heading.group(2)), []), False
            sections.append(current)
        elif current is not None:
            current[3].append(line)
    if not sections:
        raise InputError("no ProQuest records found (no 'Document 1 of …' section)", path=path)
    truncated = _cut(sections, closed)
    if truncated is not None and truncated.records:
        sections = sections[:-1]
    name = Path(str(path)).name
    records = [_to_record(_fields(lines), source=source or "proquest", fallback_id=f"{name}:{start}")
               for start, _, _, lines in sections]
    return ParsedFile(records=records, format="proquest_text", dialect="proquest", truncated=truncated)


def _cut(sections, closed: bool) -> Truncation | None:
    """The cut, when the export ends inside its last record (no closing rule after it) or holds fewer records
    than its ``of N`` says."""
    start, number, total, _ = sections[-1]
    if not closed:
        return Truncation(line=start, what=f"the last record (document {number} of {total}) has no closing rule of "
                                           "underscores")
    if len(sections) < total and number < total:
        return Truncation(line=start, what=f"the export says it holds {total} records but ends after document "
                                           f"{number}", records=0)
    return None


def _fields(lines) -> dict:
    """``{label: [values]}`` of one record; the untitled first paragraph is ``Title``, bare URLs ``Document URL``."""
    fields, label, paragraphs, pending_break = {}, None, [], False

    def close():
        if label is not None:
            fields.setdefault(label, []).append("\n\n".join(p for p in paragraphs if p))

    for line in lines:
        if not line.strip():
            pending_break = True
            continue
        match = _FIELD.match(line)
        new_paragraph = pending_break or label is None
        pending_break = False
        if label is None:  # the first paragraph is the title, colon or not ("A trial: …")
            label, paragraphs = "Title", [line.strip()]
        elif new_paragraph and match and (label != "Abstract" or match.group(1) in _PROQUEST_LABELS):
            close()
            label, paragraphs = match.group(1), [match.group(2).strip()]
        elif new_paragraph and _URL.match(line.strip()) and label != "Links":
            close()
            label, paragraphs = "Document URL", [line.strip()]
        elif new_paragraph:
            paragraphs.append(line.strip())
        else:
            paragraphs[-1] = f"{paragraphs[-1]} {line.strip()}"
    close()
    return fields


def _joined(fields, *labels) -> list:
    return [value for label in labels for value in fields.get(label, [])]


def _split(values, separators=";") -> list:
    return [part.strip() for value in values for part in re.split(f"[{separators}]", value) if part.strip()]


def _to_record(fields: dict, *, source, fallback_id):
    one = {label: values[0] for label, values in fields.items()}
    year = first(one.get("Publication year"), one.get("Degree date"), one.get("Publication date"))
    return build_record(
        source_id=one.get("ProQuest document ID") or fallback_id,
        source=source,
        title=first(one.get("Title")),
        abstract=one.get("Abstract", ""),
        authors=_split(fields.get("Author", [])),
        year=year,
        journal=one.get("Publication title", ""),
        volume=one.get("Volume", ""),
        issue=one.get("Issue", ""),
        pages=join_pages(one.get("Pages") or one.get("First page") or ""),
        doi=doi_from(fields.get("DOI", [])),
        pmid=one.get("PubMed ID", ""),
        issn=one.get("ISSN", ""),
        language=first(one.get("Language of publication"), one.get("Language")),
        publication_types=_split(fields.get("Document type", []), ";,"),
        keywords=(_split(_joined(fields, "Subject", "MeSH subject"))
                  + _split(fields.get("Identifier / keyword", []), ",")),
        url=first(one.get("Document URL")),
        extra={"type": one.get("Document type", ""),
               "fields": {label: values[0] if len(values) == 1 else values for label, values in fields.items()
                          if label not in _MAPPED}},
    )
