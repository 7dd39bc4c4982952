"""Ovid's display layout: the text export whose records are numbered ``<1>`` and whose field names stand on
lines of their own, each value indented below its name.

    <3>
    Accession Number
      00012097-900000000-99899.
    Author
      Shapiro, Edward S. 1;  Dennis, Minyi Shih 1
    Title
      Comparing Computer Adaptive and Curriculum-Based Measures of Math.[Article]
    Source
      School Psychology Quarterly.  30(2):103-106, June 2015.

This is what Ovid writes when a search is exported as text (or Word) with its display fields, the choice a
team makes when it does not pick a citation-manager format. The field names are Ovid's display names, which
name the same fields as its tagged "Reprint/Medlars" output; each is read as that tag and the record is then
built by the MEDLINE reader's Ovid rules (:func:`sysrev.formats.nbib.record_from_tags`: the ``Source``
citation for journal, volume, issue, pages and year; roles, markers and degrees dropped from author names,
the record type from titles). Authors are separated by ``;`` (Journals@Ovid) or by two spaces (Ovid MEDLINE);
keywords by ``;``. Names not listed in :data:`_TAGS` are kept in the record's extra fields under their own
name. A ``Database: …`` line above the first record (Ovid's export header) names the database when it names
one, so that Ovid MEDLINE's ``Unique Identifier`` is read as the PMID.

The layout has no record terminator: as for MEDLINE text, a file whose last line has no line break is read
as cut off inside its last record.
"""

import re
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats import ovid as ovid_fields
from sysrev.formats.decode import split_lines
from sysrev.formats.result import ParsedFile, Truncation
from sysrev.formats.truncation import MID_LINE, ends_mid_line

_RECORD = re.compile(r"^<(\d+)>\s*$")
# Ovid's display names (lower case, without a trailing colon) → the tag its tagged output gives the field.
_TAGS = {
    "unique identifier": "UI", "accession number": "AN", "author": "AU", "authors": "AU",
    "authors full name": "FAU", "author's full name": "FAU", "corporate author": "CN", "title": "TI",
    "source": "SO", "abstract": "AB", "doi number": "DI", "digital object identifier": "DI", "doi": "DI",
    "publication type": "PT", "year of publication": "YR", "date of publication": "DP", "language": "LG",
    "issn": "IS", "issn print": "IS", "issn electronic": "IS", "journal name": "JN", "volume": "VO",
    "issue": "IP", "issue/part": "IP", "page": "PG", "pages": "PG", "mesh subject heading": "MH",
    "mesh subject headings": "MH", "subject headings": "MH", "author keywords": "OT", "keyword heading": "OT",
    "keywords": "OT", "pubmed id": "PM", "medline pmid": "PM", "database": "DB",
}
_LISTS = {"AU", "FAU", "MH", "OT"}  # fields holding several values on a line
# Names as Ovid MEDLINE gives them: a surname, the initials, a full stop ("Smith JC. Doe K.").
_INITIALS_NAME = re.compile(r"[^\s.][^.]*?\s[A-Z]{1,4}\.(?=\s|$)")
_INITIALS_NAMES = re.compile(rf"(?:{_INITIALS_NAME.pattern}\s*)+")
_HEADER_DATABASE = re.compile(r"^Database:\s*(.+?)\s*$")
_DATE_RANGE = re.compile(r"\s*<[^<>]*>")  # "Embase <1974 to 2024 March 01>"


def is_ovid_display(head: str) -> bool:
    """Whether ``head`` (a file's start) holds a record in Ovid's display layout."""
    return bool(re.search(r"^<\d+>[ \t]*\r?\n(?:[ \t]*\r?\n)?[A-Z][A-Za-z /()&,.-]{2,60}\r?\n[ \t]+\S", head,
                          re.MULTILINE))


def parse_ovid_display(text: str, *, path, source) -> ParsedFile:
    """Read Ovid's display layout into Records, one per ``<N>`` section."""
    from sysrev.formats.nbib import medline_dialect, record_from_tags  # Biopython: not loaded for detection

    lines = split_lines(text)
    database, sections, current = "", [], None
    for number, line in enumerate(lines, start=1):
        if _RECORD.match(line):
            current = (number, [])
            sections.append(current)
        elif current is None:
            found = _HEADER_DATABASE.match(line)
            database = database or (_DATE_RANGE.sub("", found.group(1)) if found else "")
        elif line.strip():
            current[1].append((number, line))
    if not sections:
        raise InputError("no Ovid records found (no line '<1>' opening a record)", path=path)
    truncated = None
    if ends_mid_line(text):
        truncated = Truncation(line=sections[-1][0], what=MID_LINE)
        sections = sections[:-1]
    one_database = database if database and "," not in database else ""
    name = Path(str(path)).name
    records, dialects = [], set()
    for start, fields in sections:
        tags = _tags(fields, path)
        if one_database and "DB" not in tags:
            tags["DB"] = [one_database]
        dialect = medline_dialect(tags)
        dialects.add(dialect)
        records.append(record_from_tags(tags, source=source or dialect, fallback_id=f"{name}:{start}",
                                        dialect=dialect))
    return ParsedFile(records=records, format="ovid_display", dialect=dialects.pop() if len(dialects) == 1 else "",
                      truncated=truncated)


def _tags(fields, path) -> dict:
    """The record's fields as the tags of Ovid's tagged output (``{"TI": ["…"], …}``)."""
    named: list[tuple[str, list[str]]] = []
    for number, line in fields:
        if not line[0].isspace():
            named.append((line.strip(), []))
        elif not named:
            raise InputError(f"a value before any field name in an Ovid record: {line.strip()[:40]!r}", path=path,
                             line=number)
        else:
            named[-1][1].append(line.strip())
    tags = {"VN": ["Ovid Technologies (display layout)"]}
    for label, values in named:
        tag = _TAGS.get(label.lower(), label)
        if tag in _LISTS:
            found = [v for value in values for v in _split_list(value, tag)]
        elif tag in _TAGS.values():  # a field Ovid wraps over lines: one value
            found = [" ".join(values)] if values else []
        else:  # a field kept as it stands (an institution per line)
            found = values
        if tag in ("LG", "PT"):  # "English.", "Journal Article."
            found = [v.rstrip(".") for v in found]
        if found:
            tags.setdefault(tag, []).extend(found)
    return tags


def _split_list(value: str, tag: str) -> list[str]:
    """Names or keywords written on one line: ``;`` between them; for names also two spaces, or a full stop
    closing each name as Ovid MEDLINE writes them (``Smith JC. Doe K.``, full names ``Smith, John C. Doe,
    Kim.``)."""
    if ";" in value:
        parts = value.split(";")
    elif tag == "AU" and re.search(r"\s{2,}", value):
        parts = re.split(r"\s{2,}", value)
    elif tag == "AU" and _INITIALS_NAMES.fullmatch(value):
        parts = _INITIALS_NAME.findall(value)
    elif tag == "FAU":
        parts = re.split(r"\s{2,}|(?<=\.)\s+(?=[^\s,.][^,.]*,)", value)
    else:
        parts = [value]
    if tag == "AU" and ";" in value:
        parts = [p for p in parts if not ovid_fields.degrees_only(p)]
    cleaned = [p.strip() for p in parts]
    if tag in ("MH", "OT"):
        return [p.rstrip(".") for p in cleaned if p]
    # the full stop closing a name goes; an initial's stays ("Smith JC." → "Smith JC", "Smith, John C.")
    return [p.rstrip(".") if _INITIALS_NAMES.fullmatch(p) else re.sub(r"(?<=[a-z]{2})\.$", "", p)
            for p in cleaned if p]
