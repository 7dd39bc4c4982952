"""MEDLINE/NBIB text (PubMed "Send to → Citation manager", PMC and ERIC MEDLARS exports).

The format is one tag per line, padded to four characters, then ``- `` and the value; continuation lines
start with six spaces; records are separated by blank lines. Records are split and every line checked here
(so a damaged line is reported with its number); the tags of each record are then read by Biopython's
:func:`Bio.Medline.parse`. Field mapping, after the NLM's MEDLINE/PubMed data element descriptions:

``PMID`` → pmid and source_id · ``TI``/``BTI`` → title (a Bookshelf chapter's ``BTI``, its book, → journal) · ``AB``
→ abstract · ``FAU`` (else ``AU``) and ``CN`` → authors · ``DP`` → year · ``JT``/``TA`` → journal/abbreviation ·
``VI``/``IP``/``PG`` → volume/issue/pages · ``AID``/``LID`` marked ``[doi]`` → doi · ``PMC`` → pmcid · ``IS`` → issn
· ``LA`` · ``PT`` · ``MH``+``OT`` → keywords. ERIC's ``OID`` (the ERIC number) is the source_id where there is no
PMID.

Ovid's tagged outputs ("Reprint/Medlars", "Citavi"; records numbered ``<1. >``) share the grammar and are read here
too (also without the numbering, when the file has Ovid's ``VN`` lines): ``UI`` (the PMID in Ovid MEDLINE, else the
database's accession number) → source_id, ``DB`` → the database, ``YR``, ``JN``, ``VO``, ``DO`` (DOI URL), ``LG``
(language), ``PM`` (PMID). Ovid writes the paragraphs of an abstract after the first on lines of their own, not
indented (``Method(s): We searched …``); in Ovid output such a line continues the field above it, unless it has a
tag in the first four columns. Where Ovid gives no ``JN``/``VO``/``IP``/``PG`` (Embase, BIOSIS, Journals@Ovid),
journal, volume, issue, pages and, failing ``YR``, the year come from the ``SO`` citation; ``DI`` is the DOI and
``AN`` the accession number where there is no ``UI``; roles, markers and degrees after author names and the record
type after titles are dropped (:mod:`sysrev.formats.ovid`). Ovid's tags may be padded with one space instead of two
(``TI - …``).
"""

import re
from pathlib import Path

from Bio import Medline

from sysrev.errors import InputError
from sysrev.formats import ovid as ovid_fields
from sysrev.formats.decode import split_lines
from sysrev.formats.fields import as_list, build_record, database_dialect, doi_from, first, join_pages
from sysrev.formats.result import ParsedFile, Truncation
from sysrev.formats.truncation import MID_LINE, ends_mid_line
from sysrev.wording import counted

_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}-(.*)$")
_MAPPED = {"PMID", "TI", "BTI", "AB", "FAU", "AU", "CN", "DP", "JT", "TA", "VI", "IP", "PG", "AID", "LID",
           "PMC", "IS", "ISSN", "LA", "PT", "MH", "OT", "OID", "UI", "YR", "JN", "VO", "DO", "DI", "LG", "PM"}
# Ovid's "Reprint/Medlars" and "Citavi" outputs number each record with a line such as "<3001. >".
# PubMed's source line states the pages, or the electronic location when there are none ("Ann Psychiatry Clin
# Neurosci. 2021;4(1):1042. Epub …"), after the volume and issue; an ahead-of-print record's publisher item
# identifier ("2022 Oct 7:S1080-6032(22)00139-9.") has no volume before it and is no page.
_PUBMED_SOURCE_PAGES = re.compile(r"\b\d{4}\b[^;:]*;[^:;]*:\s*(?P<pages>[A-Za-z]{0,3}\d[\w-]*?)\.(?:\s|$)")
_OVID_RECORD_NUMBER = re.compile(r"^<\d+\.?\s*>\s*$")
# A tag line as Ovid writes it: the tag padded to four columns, the hyphen in the fifth; some Ovid outputs pad
# with one space only ("TI - …"), which must not be read as an abstract's next paragraph.
_OVID_TAG = re.compile(r"^(?:[A-Z][A-Z0-9 ]{3}|[A-Z][A-Z0-9]{1,3} )- ")


def _split_records(lines, path):
    """Return ``[(first_line_number, lines)]``, one per blank-line-separated record, and warnings.

    Every line is checked: a tag line, or a continuation (six leading spaces). In Ovid output, whose records
    are numbered (``<1. >``), the numbers separate records and a blank line does not. A paragraph of other text
    standing alone between records is skipped with a warning; such text inside a record is an error. A
    second ``PMID`` line starts a new record even without a blank line before it (with a warning), so two
    records are never merged into one.
    """
    records, warnings, joined_at = [], [], []
    current, start, stray_at = [], None, None
    ovid = numbered = False

    def close():
        if current:
            records.append((start, current))
        elif stray_at:
            warnings.append(f"{path}, line {stray_at}: text outside any MEDLINE record ignored")

    for number, line in enumerate(lines, start=1):
        if _OVID_RECORD_NUMBER.match(line):
            ovid = numbered = True
            line = ""  # a record boundary, like a blank line
        elif not line.strip():
            if line.startswith("      ") and current:
                current.append("      \n")  # a blank continuation line inside a field
                continue
            if numbered:
                continue  # Ovid numbers its records: a blank line inside one (PsycINFO after TI) does not end it
        if not line.strip():
            close()
            current, start, stray_at = [], None, None
            continue
        match = _TAG.match(line)
        if match and match.group(1) == "VN" and "ovid" in line.lower():
            ovid = True
        if line.startswith("      ") and current:
            current.append(line + "\n")
        elif ovid and current and not _OVID_TAG.match(line):
            current.append("      " + line.strip() + "\n")  # an abstract's next paragraph
        elif match and stray_at is None:
            tag, value = match.group(1), match.group(2).strip()
            if tag == "PMID" and any(seen.startswith("PMID") for seen in current):
                # Every PubMed record has one PMID: a second one is the next record, its blank line lost
                # (files joined with `cat`, text copied from PubMed's "PubMed format" page).
                joined_at.append(number)
                close()
                current, start = [], None
            # Bio.Medline reads the tag from the first four columns and the value from column seven.
            current.append(f"{tag:<4}- {value}\n")
            start = start or number
        elif not current:
            stray_at = stray_at or number
        else:
            raise InputError(f"not a MEDLINE line: expected 'TAG - value' or a continuation indented by six "
                             f"spaces, got {line[:40]!r}", path=path, line=number)
        if stray_at and current:
            raise InputError("text that is not a MEDLINE line directly before a record", path=path,
                             line=stray_at)
    close()
    if joined_at:
        shown = ", ".join(str(n) for n in joined_at[:5]) + (", …" if len(joined_at) > 5 else "")
        pmid_lines = counted(len(joined_at), "'PMID' line")
        warnings.append(f"{path}, line {shown}: {pmid_lines} inside a record without the blank line that separates "
                        "MEDLINE records; each was read as the start of a new record")
    return records, warnings


def parse_nbib(text: str, *, path="file", source="") -> ParsedFile:
    """Read MEDLINE/NBIB ``text`` (from ``path``) into Records; raises InputError on a damaged line."""
    groups, warnings = _split_records(split_lines(text), path)
    if not groups:
        raise InputError("no MEDLINE records found (no 'PMID- ' or other 'TAG - ' lines)", path=path)
    truncated = _cut(groups, text)
    if truncated is not None:
        groups = groups[:-1]
    name = Path(str(path)).name
    records, dialects = [], set()
    for start, lines in groups:
        tags = next(Medline.parse(lines))
        dialect = medline_dialect(tags)
        dialects.add(dialect)
        records.append(record_from_tags(tags, source=source or dialect, fallback_id=f"{name}:{start}", dialect=dialect))
    return ParsedFile(records=records, format="nbib", dialect=dialects.pop() if len(dialects) == 1 else "",
                      warnings=warnings, truncated=truncated)


def _pages_in_source(tags) -> str:
    """The pages PubMed's ``SO`` line states, for a record without ``PG`` (some publishers send the article
    number only as the electronic location, ``LID - 1042 [pii]``, which a publisher item identifier shares)."""
    if not first(tags.get("PMID")):
        return ""
    found = _PUBMED_SOURCE_PAGES.search(first(tags.get("SO")))
    return join_pages(found.group("pages")) if found else ""


def _last_tag(lines) -> str:
    return next(line[:4].strip() for line in reversed(lines) if not line.startswith(" "))


def _starts_as_pubmed(lines) -> bool:
    """Whether the record opens as PubMed's do (``PMID``, ``OWN``, ``STAT``), as far as it goes (a record
    cut off after its ``PMID`` line still counts)."""
    tags = [line[:4].strip() for line in lines if not line.startswith(" ")][:3]
    return tags == ["PMID", "OWN", "STAT"][:len(tags)] and bool(tags)


def _pubmed_shaped(lines) -> bool:
    """A record as PubMed writes it: ``PMID``, ``OWN``, ``STAT`` first, the source ``SO`` last."""
    return _starts_as_pubmed(lines) and _last_tag(lines) == "SO"


def _cut(groups, text) -> Truncation | None:
    """The last record as cut off, or None. MEDLINE records have no terminator line, so a cut shows as a last
    line without a line break, or as a last record that lacks the field every record of its kind ends with:
    ``SO`` in a file PubMed wrote (its article records start ``PMID``, ``OWN``, ``STAT`` and end with the source;
    its Bookshelf records have no source), else
    the field at least three other records of the file all end with (Ovid and ERIC write a fixed order)."""
    start, lines = groups[-1]
    if ends_mid_line(text):
        return Truncation(line=start, what=MID_LINE)
    last = _last_tag(lines)
    # PubMed's Bookshelf records (StatPearls, GeneReviews: "PMID", "STAT", "DRDT" …, no source line) may come
    # anywhere in a PubMed file; only its article records are held to ending with SO.
    articles = [other for _, other in groups[:-1] if _starts_as_pubmed(other)]
    if (all(other[0].startswith("PMID") for _, other in groups) and all(_pubmed_shaped(a) for a in articles)
            and (articles or _starts_as_pubmed(lines))):
        if _starts_as_pubmed(lines) and last != "SO":
            return Truncation(line=start, what="the last record does not end with the 'SO' (source) field, which "
                                               "PubMed writes last in every record")
        return None
    closing = {_last_tag(other) for _, other in groups[:-1]}
    if len(groups) > 3 and len(closing) == 1 and last not in closing:
        return Truncation(line=start, what=f"the last record does not end with the '{closing.pop()}' field that "
                                           "every other record of the file ends with")
    return None


def medline_dialect(tags) -> str:
    """The database a MEDLINE or Ovid record comes from ("pubmed", "embase", "eric" …; "" when not known)."""
    database = database_dialect(first(tags.get("DB")))  # Ovid: "Embase", "Ovid MEDLINE(R)", "APA PsycInfo"
    if database:
        return database
    owner = first(tags.get("OWN")).upper()
    if owner == "ERIC":
        return "eric"
    if tags.get("PMID") or owner in ("NLM", "PIP", "KIE", "NASA", "PUBMED", "HMD", "NOTNLM"):
        return "pubmed"
    if tags.get("PMC"):
        return "pmc"
    return ""


_ID_ITEM = re.compile(r"[^\s\[]\S*(?:\s*\[[^\]]*\])?")  # an identifier and its "[kind]" marker, if any


def record_from_tags(tags, *, source, fallback_id, dialect=""):
    """The Record of one MEDLINE or Ovid record given as ``{tag: value or [values]}`` (Biopython's Medline
    record; Ovid's display layout is read into the same tags by :mod:`sysrev.formats.ovid_display`)."""
    # Biopython joins repeated LID lines into one value ("S0140-… [pii] 10.1016/… [doi]"): split at the markers
    ids = [item.strip() for value in as_list(tags.get("AID")) + as_list(tags.get("LID"))
           for item in _ID_ITEM.findall(value)]
    ovid = "ovid" in first(tags.get("VN")).lower()
    doi = (doi_from([i for i in ids if i.endswith("[doi]")])
           or doi_from(ids + as_list(tags.get("DO")), urls_only=True) or doi_from(as_list(tags.get("DI"))))
    # Ovid's unique identifier UI is the PMID in Ovid MEDLINE, the database's own accession number elsewhere;
    # databases without UI (BIOSIS, PsycINFO, Journals@Ovid) give the accession number as AN.
    ovid_id = first(tags.get("UI")) or (first(tags.get("AN")).rstrip(".") if ovid else "")
    pmid = first(tags.get("PMID"), tags.get("PM")) or (ovid_id if dialect == "pubmed" else "")
    cited = ovid_fields.citation(first(tags.get("SO"))) if dialect != "pubmed" or ovid else {}
    authors = as_list(tags.get("FAU")) or as_list(tags.get("AU"))
    title = first(tags.get("TI"), tags.get("BTI"))
    book = first(tags.get("BTI")) if first(tags.get("TI")) else ""  # a Bookshelf chapter's book
    extra_fields = {}
    for tag, value in tags.items():
        values = as_list(value)
        if tag not in _MAPPED and values:
            extra_fields[tag] = values[0] if len(values) == 1 else values
    return build_record(
        source_id=first(tags.get("PMID"), tags.get("OID")) or ovid_id or fallback_id,
        source=source,
        title=ovid_fields.title(title) if ovid else title,
        abstract=first(tags.get("AB")),
        authors=[ovid_fields.author(name) for name in authors] if ovid else authors,
        group_authors=as_list(tags.get("CN")),
        year=first(tags.get("DP"), tags.get("YR"), cited.get("year")),
        journal=first(tags.get("JT"), tags.get("JN"), cited.get("journal"), book),
        journal_abbrev=first(tags.get("TA")),
        volume=first(tags.get("VI"), tags.get("VO"), cited.get("volume")),
        issue=first(tags.get("IP"), cited.get("issue")),
        pages=join_pages(first(tags.get("PG"))) or join_pages(cited.get("pages") or "") or _pages_in_source(tags),
        doi=doi,
        pmid=pmid,
        pmcid=first(tags.get("PMC")),
        issn=first(tags.get("IS"), tags.get("ISSN")),
        language=first(tags.get("LA"), tags.get("LG")),
        publication_types=as_list(tags.get("PT")),
        keywords=as_list(tags.get("MH")) + as_list(tags.get("OT")),
        extra={"type": first(tags.get("PT")), "fields": extra_fields},
    )
