"""The Cochrane Library's plain-text export ("Plain text" in its Export selected citations dialog).

Each record opens with a line ``Record #N of M``; its fields follow one to a line, a tag of two or three
capital letters, a colon and a space, then the value (``ID: CN-01234567``, ``AU: Smith J``, ``TI: …``,
``DOI: 10.…``); blank lines between records are ignored. A field that holds several values repeats its tag
(``AU``, one author a line); keywords (``KY``) are one line separated by ``;``. No line continues the one
above it. There is no file header and no record terminator.

The layout is the one the published readers of this export parse: bibliometrix's ``cochrane2df``
(github.com/massimoaria/bibliometrix, R/cochrane2df.R: records start at ``Record #``, the tag is the text
before the colon, ``DOI`` the one longer tag, repeated ``AU`` lines joined as a list, ``KY`` split at ``;``,
``ID``/``YR``/``NO``/``US``/``SO`` read as accession number, year, issue, link and source) and Helge Knüttel's
``extract_accession_numbers`` (github.com/knh11545/commandline4expertsearchers, bin/: the accession number
of the Cochrane Library's plain-text exports of reviews, protocols and trials is the ``ID:`` line).

``ID`` → source_id (CENTRAL ids ``CN-…`` name the source ``cochrane-central``, as a ``US`` link into
``cochranelibrary.com/central`` does), ``TI``, ``AU``, ``AB``, ``SO`` (journal), ``YR``, ``VL``, ``NO``
(issue), ``PG``, ``DOI``, ``PT`` (publication type), ``KY`` (keywords), ``US`` (URL); the PMID is the
``PUBMED 12345678`` entry of ``PM`` or ``XR`` (as the RIS export's ``C3  - PUBMED …,EMBASE …``); ``XR``,
``PM`` and ``EM`` are also kept in the record's extra fields.

A tag no source names (``CC``, the Cochrane group, say) is kept in the record's extra fields, with a warning
naming its first line: refusing a real export for one field sysrev does not map would lose every record.
Malformed input is an error naming the line: a line inside a record that is not a ``TAG: value`` line, a
record without a title, record numbers that contradict each other (``of 12``
in one record, ``of 13`` in another; a number above its total or used twice). A file cut off shows as a
last line without a line break, a last record that does not end with the field every other record ends
with (two at least), or records numbered from 1 that stop before the total ``of M`` says.
"""

import re
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.decode import split_lines
from sysrev.formats.fields import build_record, doi_from, first, join_pages
from sysrev.formats.result import ParsedFile, Truncation
from sysrev.formats.truncation import MID_LINE, ends_mid_line
from sysrev.wording import counted

_RECORD = re.compile(r"^Record #(\d+) of (\d+)\s*$")
_FIELD = re.compile(r"^([A-Z]{2,3}):(?: (.*))?$")
# The tags this export writes (see the module docstring for which source shows which).
TAGS = ("ID", "AU", "TI", "SO", "YR", "VL", "NO", "PG", "XR", "PM", "EM", "PT", "KY", "DOI", "AB", "US")
_MAPPED = {"ID", "AU", "TI", "SO", "YR", "VL", "NO", "PG", "PT", "KY", "DOI", "AB", "US"}
_PUBMED_ENTRY = re.compile(r"\b(?:PUBMED|MEDLINE)\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
_DETECT = re.compile(r"Record #\d+ of \d+[ \t]*\r?\n(?:[ \t]*\r?\n)*[A-Z]{2,3}: ")


def is_cochrane_text(head: str) -> bool:
    """Whether ``head`` (a file's start, leading blanks removed) is the Cochrane Library's plain-text export:
    a ``Record #1 of …`` line followed by a ``TAG: value`` line (its RIS and BibTeX exports put ``Provider:``
    lines or an ``@article{`` entry there)."""
    return bool(_DETECT.match(head))


def parse_cochrane_text(text: str, *, path="file", source="") -> ParsedFile:
    """Read the Cochrane Library's plain-text export into Records, one per ``Record #N of M`` section."""
    lines = split_lines(text)
    cut_mid_line = ends_mid_line(text)
    if cut_mid_line:
        lines = lines[:-1]  # the half line belongs to the cut-off record, whatever it says
    sections = []  # (line of "Record #", number, total, [(line, tag, value)])
    for number, line in enumerate(lines, start=1):
        heading = _RECORD.match(line)
        if heading:
            sections.append((number, int(heading.group(1)), int(heading.group(2)), []))
        elif not line.strip():
            continue
        elif not sections:
            raise InputError(f"text before the first 'Record #1 of …' line: {line.strip()[:60]!r}; the Cochrane "
                             "Library's plain-text export starts with its first record", path=path, line=number)
        else:
            sections[-1][3].append((number, *_field(line, number, sections[-1], path)))
    if not sections:
        raise InputError("no Cochrane Library records found (no line 'Record #1 of …')", path=path)
    _check_numbers(sections, path)
    truncated = _cut(sections, cut_mid_line)
    complete = sections[:-1] if truncated is not None and truncated.records else sections
    name = Path(str(path)).name
    records, dialects = [], set()
    other_tags = {}  # a tag no source names (e.g. CC, the Cochrane group): its first line, and how many lines
    for start, number, _, fields in complete:
        for line, tag, _ in fields:
            if tag not in TAGS:
                other_tags.setdefault(tag, [line, 0])[1] += 1
        tags = {}
        for _, tag, value in fields:
            tags.setdefault(tag, []).append(value)
        if not first(tags.get("TI")):
            raise InputError(f"record #{number} has no title ('TI:' line); every record of a Cochrane Library "
                             "export has one, so the file is damaged (export it again)", path=path, line=start)
        dialect = _dialect(tags)
        dialects.add(dialect)
        records.append(_to_record(tags, source=source or dialect, fallback_id=f"{name}:{start}"))
    warnings = [f"{path}, line {line}: tag '{tag}:' ({counted(count, 'line')}) is not one sysrev reads as a "
                "field; kept in the records' extra fields" for tag, (line, count) in other_tags.items()]
    return ParsedFile(records=records, format="cochrane_text", dialect=dialects.pop() if len(dialects) == 1 else "",
                      warnings=warnings, truncated=truncated)


def _field(line: str, number: int, section, path) -> tuple[str, str]:
    """``(tag, value)`` of a field line inside ``section``; an error naming the line for anything else."""
    match = _FIELD.match(line.rstrip())
    record = f"record #{section[1]} (line {section[0]})"
    if not match:
        raise InputError(f"{line.strip()[:60]!r} inside {record} is not a 'TAG: value' line (the Cochrane "
                         "Library's plain-text export writes every field on one line, e.g. 'TI: …')", path=path,
                         line=number)
    return match.group(1), (match.group(2) or "").strip()


def _check_numbers(sections, path) -> None:
    """An error naming the line when the ``Record #N of M`` headers contradict each other."""
    total, seen = sections[0][2], {}
    for start, number, of, _ in sections:
        if of != total:
            raise InputError(f"'Record #{number} of {of}' does not match the 'of {total}' of the file's first "
                             "record: two exports joined into one file? Import them as separate files", path=path,
                             line=start)
        if not 1 <= number <= total:
            raise InputError(f"'Record #{number} of {of}': a record number outside 1–{total}", path=path,
                             line=start)
        if number in seen:
            raise InputError(f"'Record #{number} of {of}' again (first at line {seen[number]}): a record "
                             "repeated, or two exports joined into one file", path=path, line=start)
        seen[number] = start


def _cut(sections, cut_mid_line: bool) -> Truncation | None:
    """The cut at the end of the file, or None. The export has no record terminator, so a cut shows as a half
    line at the end, as a last record that does not end with the field every other record ends with (at least
    two others), or as records numbered 1, 2 … that stop before the file's total."""
    start, number, total, fields = sections[-1]
    if cut_mid_line:
        return Truncation(line=start, what=MID_LINE)
    closing = {other[-1][1] for _, _, _, other in sections[:-1] if other}
    known_end = len(sections) >= 3 and len(closing) == 1 and all(other for *_, other in sections[:-1])
    last = fields[-1][1] if fields else ""
    if not fields or (known_end and last not in closing):
        ends = f"the '{next(iter(closing))}:' field that every other record ends with" if known_end else "a field"
        return Truncation(line=start, what=f"the last record (#{number} of {total}) does not end with {ends}")
    counted_from_one = [n for _, n, _, _ in sections] == list(range(1, len(sections) + 1))
    if counted_from_one and len(sections) < total:
        return Truncation(line=start, what=f"the export says it holds {total} records but ends after record "
                                           f"#{number}", records=0 if known_end else 1)
    return None


def _dialect(tags: dict) -> str:
    """``cochrane-central`` for a CENTRAL record (``CN-`` id, or a link into CENTRAL), else ``""``."""
    if first(tags.get("ID")).upper().startswith("CN-") or "cochranelibrary.com/central" in first(tags.get("US")):
        return "cochrane-central"
    return ""


def _pubmed_id(values) -> str:
    """The PMID in a ``PUBMED 12345678`` entry (``PM: PUBMED 12345678``, ``XR: PUBMED …, EMBASE …``)."""
    for value in values:
        match = _PUBMED_ENTRY.search(value)
        if match:
            return match.group(1)
    return ""


def _split(values, separator=";") -> list[str]:
    return [part.strip() for value in values for part in value.split(separator) if part.strip()]


def _to_record(tags: dict, *, source: str, fallback_id: str):
    one = {tag: first(values) for tag, values in tags.items()}
    return build_record(
        source_id=one.get("ID") or fallback_id,
        source=source,
        title=one.get("TI", ""),
        abstract=" ".join(v for v in tags.get("AB", []) if v),
        authors=[v for v in tags.get("AU", []) if v],
        year=one.get("YR", ""),
        journal=one.get("SO", ""),
        volume=one.get("VL", ""),
        issue=one.get("NO", ""),
        pages=join_pages(one.get("PG", "")),
        doi=doi_from(tags.get("DOI", [])),
        pmid=_pubmed_id(tags.get("PM", []) + tags.get("XR", [])),
        publication_types=_split(tags.get("PT", [])),
        keywords=_split(tags.get("KY", [])),
        url=one.get("US", ""),
        extra={"fields": {tag: values[0] if len(values) == 1 else values for tag, values in tags.items()
                          if tag not in _MAPPED and any(values)}},
    )
