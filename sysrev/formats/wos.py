"""Web of Science / ISI tagged export ("Plain text file", ``FN Clarivate Analytics Web of Science`` …).

Two-character tags followed by one space, continuation lines indented by three spaces (a line that lost its
indent is read as a continuation too, with a warning), records from ``PT`` to ``ER``, the file closed by
``EF``. A last record without ``ER`` is a file cut off mid-record (:attr:`ParsedFile.truncated`); a file
without ``EF`` after a complete record gets a warning. Records are grouped here with their line numbers; the
tags are read by :class:`rispy.WokParser`'s line grammar with every tag kept as a list. Mapping (Clarivate's
field tags):
``UT`` (accession number, ``WOS:…``) → source_id, ``TI``, ``AB``, ``AF`` (full names, else ``AU``) plus
``CA`` (group authors), ``PY`` (early-access articles, which have none yet: ``EY``, else ``EA``),
``SO`` → journal, ``JI``/``J9`` → abbreviation, ``VL``, ``IS``, ``BP``-``EP`` (else the page span ``PS`` of CABI
and BIOSIS records, else ``AR``) → pages, ``DI``,
``PM``, ``SN`` (else ``EI``), ``LA``, ``DT``, ``DE`` + ``ID`` → keywords (split at ``;``). An ``EI`` beside ``SN`` and
a ``J9`` beside ``JI`` are kept in ``extra["fields"]`` with the tags not mapped.
"""

import re
from pathlib import Path

import rispy

from sysrev.errors import InputError
from sysrev.formats.decode import split_lines
from sysrev.formats.fields import as_list, build_record, first, join_pages, page_span
from sysrev.formats.result import ParsedFile, Truncation
from sysrev.formats.rispy_tags import keep_every_tag
from sysrev.wording import counted, verb

_MAPPED = {"PT", "UT", "AN", "TI", "AB", "AF", "AU", "CA", "PY", "EY", "EA", "SO", "JI", "J9", "VL", "IS", "BP",
           "EP", "PS", "AR", "DI", "PM", "SN", "EI", "LA", "DT", "DE", "ID"}
_OUTSIDE = {"FN", "VR", "EF"}
# BIOSIS records through Web of Science give the e-mail address after a name: "Medvedeff, Cassandra A. (x@y.edu)".
_EMAIL_AFTER_NAME = re.compile(r"\s*\([^()]*@[^()]*\)")


class _TagCollector(rispy.WokParser):
    """rispy's WoS parser with every tag kept under its own name, as a list."""

    def __init__(self):
        super().__init__(**keep_every_tag(), ignore=sorted(_OUTSIDE))


def _is_tag_line(line: str) -> bool:
    return len(line) >= 2 and line[:2].isalnum() and line[:2].isupper() and (len(line) == 2 or line[2] == " ")


def parse_wos(text: str, *, path="file", source="") -> ParsedFile:
    """Read a Web of Science tagged export into Records; a record not opened by ``PT`` is an error."""
    groups, current, start, warnings, closed, unindented = [], None, None, [], False, []
    for number, line in enumerate(split_lines(text), start=1):
        tag = line[:2] if _is_tag_line(line) else None
        closed = closed or (current is None and tag == "EF")
        if current is None:
            if tag == "PT":
                current, start = [line], number
            elif tag and tag not in _OUTSIDE and tag != "ER":
                raise InputError(f"Web of Science record starts with '{tag}'; records must start with 'PT'",
                                 path=path, line=number)
            continue
        if tag == "ER":
            groups.append((start, current + ["ER"]))
            current = None
        elif tag is None and line.strip() and not line.startswith(" "):
            # a continuation that lost its indent (text copied out of an export): read as one, never dropped
            unindented.append(number)
            current.append("   " + line.strip())
        else:
            current.append(line)
    if unindented:
        n = len(unindented)
        warnings.append(f"{path}, line {unindented[0]}: {counted(n, 'line')} inside records "
                        f"{verb(n, 'neither starts with a tag nor is', 'neither start with a tag nor are')} "
                        "indented; each was read as the continuation of the field above it")
    truncated = None
    if current is not None:  # a download or copy cut off mid-record: never read it as complete
        truncated = Truncation(line=start, what="the last record has no closing 'ER' line")
    elif groups and not closed:
        warnings.append(f"{path}: no closing 'EF' line after the last record; the file may be cut off after a "
                        "complete record (compare the number of records with the database's count)")
    if not groups and truncated is None:
        raise InputError("no Web of Science records found (no line starts with 'PT ')", path=path)
    name = Path(str(path)).name
    collector = _TagCollector()
    records = [_to_record(collector.parse_lines(iter(lines))[0], source=source or "web-of-science",
                          fallback_id=f"{name}:{first_line}") for first_line, lines in groups]
    return ParsedFile(records=records, format="wos", dialect="web-of-science", warnings=warnings,
                      truncated=truncated)


def _joined(tags, name) -> str:
    return " ".join(as_list(tags.get(name)))


def _semicolon_list(tags, name) -> list[str]:
    return [k.strip() for k in _joined(tags, name).split(";") if k.strip()]


def _to_record(tags, *, source, fallback_id):
    # the second of two ISSNs (electronic) and of two abbreviations (the 29-character one) are kept, not dropped
    unused = {"EI" if tags.get("SN") else "", "J9" if tags.get("JI") else ""}
    extra_fields = {t: (v[0] if len(v) == 1 else v) for t, v in ((t, as_list(v)) for t, v in tags.items())
                    if (t not in _MAPPED or t in unused) and v}
    return build_record(
        source_id=first(tags.get("UT"), tags.get("AN")) or fallback_id,
        source=source,
        title=_joined(tags, "TI"),
        abstract=_joined(tags, "AB"),
        authors=[_EMAIL_AFTER_NAME.sub("", name) for name in as_list(tags.get("AF")) or as_list(tags.get("AU"))],
        group_authors=as_list(tags.get("CA")),
        # An early-access article has no PY until it is in an issue; EY/EA give its early-access year.
        year=first(tags.get("PY"), tags.get("PD"), tags.get("EY"), tags.get("EA")),
        journal=_joined(tags, "SO"),
        journal_abbrev=first(tags.get("JI"), tags.get("J9")),
        volume=first(tags.get("VL")),
        issue=first(tags.get("IS")),
        pages=(join_pages(first(tags.get("BP")), first(tags.get("EP"))) or page_span(first(tags.get("PS")))
               or first(tags.get("AR"))),
        doi=first(tags.get("DI")),
        pmid=first(tags.get("PM")),
        issn=first(tags.get("SN"), tags.get("EI")),
        language=first(tags.get("LA")),
        publication_types=_semicolon_list(tags, "DT"),
        keywords=_semicolon_list(tags, "DE") + _semicolon_list(tags, "ID"),
        extra={"type": first(tags.get("PT")), "fields": extra_fields},
    )
