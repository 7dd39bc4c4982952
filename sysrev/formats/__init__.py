"""Read reference files exported from databases and reference managers into normalised Records.

``read_references(path, source=None)`` is the contract other stages use (contract 4): it detects the format
from the content (:mod:`sysrev.formats.detect`), decodes the bytes (:mod:`sysrev.formats.decode`), reads the
file with the matching reader and returns one :class:`~sysrev.records.Record` per reference, every field
normalised by :mod:`sysrev.normalise`. ``load_references`` returns the same records with what the command
line reports: the format, the exporting database when recognisable, the encoding, and warnings.

Every record leaves with a non-empty, unique ``source_id``: the identifier the file gives (RIS ``AN``/``ID``,
PMID, BibTeX key, EID, a CSV id column …) or ``<file>:<line>``; a second record with an identifier already
used gets ``#2`` (``#3`` …) appended and a warning, because a snapshot holds each record exactly once and
two records in one export are not necessarily the same (dedup decides that later).
"""

import hashlib
import importlib
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.decode import decode_bytes
from sysrev.formats.detect import FORMATS, detect_format
from sysrev.formats.result import ParsedFile, Truncation
from sysrev.formats.workbook import workbook_as_csv, workbook_kind
from sysrev.wording import clause, counted

__all__ = ["FORMATS", "ParsedFile", "detect_format", "load_references", "make_source_ids_unique", "read_references"]


def read_references(path, *, source=None) -> list:
    """The records of the reference file at ``path`` (format detected from its content).

    ``source`` names where the file came from (e.g. ``cochrane-central``) and is stored in each record's
    ``source``; by default the exporting database when the file reveals it, else ``file``. Raises
    :class:`~sysrev.errors.InputError` naming the file (and line) when it cannot be read.
    """
    return load_references(path, source=source).records


def load_references(path, *, source=None, format=None, allow_truncated=False) -> ParsedFile:
    """Read ``path`` like :func:`read_references`, returning records plus format, encoding and warnings.

    ``format`` (one of :data:`FORMATS`) skips detection for a file whose content is ambiguous. A file cut off
    mid-record is an :class:`~sysrev.errors.InputError` naming the line where the cut-off record starts;
    with ``allow_truncated`` the complete records are kept, the cut-off ones dropped with a warning.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a reference file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=path) from None
    source = (source or "").strip()
    workbook = workbook_kind(data)
    if workbook:  # Embase's and Web of Science's "Excel" exports: the sheet is read as their CSV
        if format not in (None, "csv"):
            raise InputError(f"this is an Excel workbook ({workbook}), not {format}", path=path)
        parsed = _reader("csv")(workbook_as_csv(data, workbook, path=path), path=path, source=source)
        parsed.format, parsed.encoding = workbook, ""  # a workbook's text has no encoding to report
        return _finished(parsed, data, path, source, allow_truncated)
    refuse_binary(data, path)
    decoded = decode_bytes(data, name=str(path))
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}", path=path)
    kind = format or detect_format(decoded.text, path=path)
    if kind in ("endnote_xml", "pubmed_xml", "ictrp_xml"):
        parsed = _read_xml(kind, data, path, source)  # XML readers honour the file's declared encoding
    else:
        parsed = _reader(kind)(decoded.text, path=path, source=source)
        parsed.encoding = decoded.encoding
        parsed.warnings = decoded.warnings + parsed.warnings
        if decoded.cut_mid_character and parsed.truncated is None and parsed.records:
            parsed.records.pop()  # the cut character belongs to the last record
            parsed.truncated = Truncation(line=decoded.text.count("\n") + 1, what="the file ends in the middle of "
                                          "a character (its last bytes are an incomplete UTF-8 sequence)")
    return _finished(parsed, data, path, source, allow_truncated)


def _finished(parsed: ParsedFile, data: bytes, path, source, allow_truncated) -> ParsedFile:
    """``parsed`` checked for a cut-off end, its identifiers made unique, with the file's hash and size."""
    _refuse_truncated(parsed, path, allow_truncated)
    _finish(parsed, path, source)
    parsed.sha256, parsed.size = hashlib.sha256(data).hexdigest(), len(data)
    return parsed


# Binary files people try to import (or simulate on), by their first bytes, with what to do instead ({use}: the
# command's verb, "import" or "simulate on").
_BINARY_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (or an Office file that is not an Excel workbook): unzip it, or save the "
                     "sheet as CSV (UTF-8), and {use} that"),
    (b"\xd0\xcf\x11\xe0", "an Office file that is not an Excel workbook (a Word document?); what is needed is "
                           "{needs}"),
    (b"%PDF", "a PDF; what is needed is {needs}"),
    (b"SQLite format 3", "a database file (an EndNote .enl library?); what is needed is {needs}"),
    (b"\x1f\x8b", "a gzip archive: decompress it first"),
)
REFERENCE_EXPORTS = ("a reference export: RIS, NBIB, BibTeX, EndNote XML or CSV (from EndNote: File > Export, "
                     "as XML or RIS)")


def refuse_binary(data: bytes, path, use: str = "import", needs: str = REFERENCE_EXPORTS) -> None:
    """An :class:`InputError` saying what to do instead when ``data`` starts like a binary file (a workbook,
    archive, PDF or database) rather than text; ``use`` names the command's verb and ``needs`` the file it
    reads."""
    workbook = workbook_kind(data)
    if workbook:  # read by `sysrev import`; the other commands take the sheet saved as CSV
        raise InputError(f"this is an Excel workbook ({workbook}): save the sheet as CSV (UTF-8) and {use} that",
                         path=path)
    for signature, advice in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"this is {advice.format(use=use, needs=needs)}", path=path)


def _read_xml(kind, data, path, source) -> ParsedFile:
    if kind == "endnote_xml":
        from sysrev.formats.endnote_xml import parse_endnote_xml

        return parse_endnote_xml(data, path=path, source=source)
    if kind == "ictrp_xml":
        from sysrev.formats.ictrp_xml import parse_ictrp_xml

        return parse_ictrp_xml(data, path=path, source=source)
    # PubMed XML is the search stage's format; its parser (bundled DTDs only) is reused here.
    from sysrev.formats.truncation import xml_cut
    from sysrev.search.pubmed_xml import PubmedXMLError, UnsafeXMLError, records_from_xml

    truncated = None
    try:
        records = records_from_xml(data)
    except UnsafeXMLError as exc:
        raise InputError(str(exc), path=path, line=exc.line) from None
    except PubmedXMLError as exc:
        cut = xml_cut(data, _PUBMED_RECORDS)
        if cut is None:
            raise InputError(str(exc), path=path, line=exc.line) from None
        what = ("the last <PubmedArticle> is never closed (the file ends inside it)" if cut.in_record else
                "the file ends before its closing </PubmedArticleSet> tag, after a complete article")
        truncated = Truncation(line=cut.line, what=what, records=1 if cut.in_record else 0)
        try:
            records = records_from_xml(cut.complete) if cut.complete else []
        except (PubmedXMLError, UnsafeXMLError):
            # The part before the cut is no sound document either: the file is malformed, not (only) cut off,
            # and the first error found in it is the one to show.
            raise InputError(str(exc), path=path, line=exc.line) from None
    for record in records:
        record.source = source or "pubmed"
    return ParsedFile(records=records, format="pubmed_xml", dialect="pubmed", truncated=truncated)


_PUBMED_RECORDS = ("PubmedArticle", "PubmedBookArticle")


# Format → (module, function) of its reader, imported on first use: `sysrev --help` and the commands that
# read one format load no other reader's libraries (bibtexparser, Biopython …).
_READERS = {"ris": ("ris", "parse_ris"), "nbib": ("nbib", "parse_nbib"), "bibtex": ("bibtex", "parse_bibtex"),
            "wos": ("wos", "parse_wos"), "endnote_tagged": ("endnote_tagged", "parse_endnote_tagged"),
            "csl_json": ("csl_json", "parse_csl_json"), "proquest_text": ("proquest_text", "parse_proquest_text"),
            "ovid_display": ("ovid_display", "parse_ovid_display"), "ctgov_json": ("ctgov_json", "parse_ctgov_json"),
            "openalex_json": ("openalex_json", "parse_openalex_json"),
            "cochrane_text": ("cochrane_text", "parse_cochrane_text"), "csv": ("csv_export", "parse_csv")}


def _reader(kind: str):
    """The text reader of format ``kind`` (a key of :data:`_READERS`)."""
    module, function = _READERS[kind]
    return getattr(importlib.import_module(f"sysrev.formats.{module}"), function)


def make_source_ids_unique(records) -> list:
    """Give each repeated ``source_id`` a ``#2``, ``#3`` … suffix (not one already used); return the originals
    that were repeated. Both records are kept: two records of one export may still be different studies."""
    taken = {record.source_id for record in records}
    used, renamed = set(), []
    for record in records:
        if record.source_id in used:
            original, suffix = record.source_id, 2
            while f"{original}#{suffix}" in used or f"{original}#{suffix}" in taken:
                suffix += 1
            record.source_id = f"{original}#{suffix}"
            renamed.append(original)
        used.add(record.source_id)
    return renamed


def _refuse_truncated(parsed: ParsedFile, path: Path, allow: bool) -> None:
    """Refuse a file cut off before its end, or (``allow``) keep its complete records with a warning saying
    how many cut-off records were dropped (the reader has left them out already)."""
    cut = parsed.truncated
    if cut is None:
        return
    complete = len(parsed.records)
    dropped = "drop the cut-off one" if cut.records else "accept that later records may be missing"
    if not allow:
        raise InputError(f"{cut.what}: the file looks cut off (an interrupted download or copy?), so none of it was "
                         f"used. Export the file again, or use --allow-truncated to keep its "
                         f"{counted(complete, 'complete record')} and {dropped}", path=path, line=cut.line)
    # First, not last: commands show only the first warnings of a file, and this one says records were lost.
    parsed.warnings.insert(0, f"{path}, line {cut.line}: {cut.what}; the file is cut off there, so "
                              f"{clause(cut.records, 'incomplete record', 'was', 'were')} dropped and "
                              f"{complete} kept (--allow-truncated)")


def _finish(parsed: ParsedFile, path: Path, source: str) -> None:
    """Give every record a source and a unique source_id, and warn about records without a title."""
    for number, record in enumerate(parsed.records, start=1):
        record.source = source or record.source or "file"
        record.source_id = record.source_id or f"{path.name}:{number}"
    renamed = make_source_ids_unique(parsed.records)
    if renamed:
        shown = ", ".join(sorted(set(renamed))[:5])
        parsed.warnings.append(f"{path}: {clause(len(renamed), 'record', 'reuses', 'reuse')} an identifier "
                               f"already used in the file ({shown}{', …' if len(set(renamed)) > 5 else ''}); "
                               "kept as '<id>#2' …")
    odd_years = [r for r in parsed.records if r.extra.get("unreadable_year")]
    if odd_years:
        shown = "; ".join(f"{r.source_id}: {r.extra['unreadable_year']!r}" for r in odd_years[:5])
        parsed.warnings.append(f"{path}: {clause(len(odd_years), 'record', 'has', 'have')} a year that is not a "
                               f"plausible year (1500–2100), left empty and kept as 'unreadable_year' ({shown}"
                               f"{'; …' if len(odd_years) > 5 else ''})")
    untitled = sum(1 for r in parsed.records if not r.title)
    if untitled:
        parsed.warnings.append(f"{path}: {clause(untitled, 'record', 'has', 'have')} no title")
