"""Decisions made in other screening tools, read from their CSV (or Excel) exports and mapped onto record IDs.

Supported exports (the column layouts are the tools' own):

* **Rayyan** (``articles.csv``: ``key,title,authors,journal,…,url,abstract,notes,…``). Decisions sit in the
  ``notes`` cell as ``RAYYAN-INCLUSION: {"Alice"=>"Included", "Bob"=>"Excluded"}``, reasons as
  ``RAYYAN-EXCLUSION-REASONS: wrong population,…``, all separated by `` | ``. One reviewer's decisions are
  taken (``rayyan_name``; by default the sysrev reviewer's name, case-insensitive, or the only name in the
  file).
* **Covidence** (``Title,Authors,Abstract,Published Year,…,DOI,Ref,Covidence #,Study,Notes,Tags``). Covidence
  exports one list per file, so the decision is the list's: from ``decision`` or the file name
  (``…_included_…`` → include, ``…_excluded_…`` / ``…_irrelevant_…`` → exclude). A full-text exclusion reason
  is read from ``Notes`` (``Exclusion reason: <reason>;``).
* **ASReview LAB** (the dataset export): the label column ``asreview_label`` (v2) or ``included`` (v1; also
  ``label_included``, ``final_included``, ``label``, ``included_label``…), 1 relevant, 0 irrelevant, empty
  or -1 not screened; ``asreview_time`` and ``asreview_note`` are kept.

Rows map to records by DOI, then PMID, then normalised title (:class:`RecordMatcher`). A row that matches
nothing, or has a decision sysrev cannot place (an unknown exclusion reason at full text), is returned in
``unmatched`` with its line number, never dropped in silence.
"""

import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats.csv_export import excel_dialect
from sysrev.formats.truncation import csv_cut, csv_unsure_end
from sysrev.hand_tables import CutOffWarning
from sysrev.screening.labelled_csv import LABEL_NAMES
from sysrev.screening.log import Decision, now_timestamp, parse_timestamp
from sysrev.screening.records import RecordMatcher
from sysrev.wording import named

_RAYYAN_INCLUSION = re.compile(r"RAYYAN-INCLUSION:\s*\{(.*?)\}", re.DOTALL)
_RAYYAN_PAIR = re.compile(r'"([^"]*)"\s*=>\s*"([^"]*)"')
_RAYYAN_REASONS = re.compile(r"RAYYAN-EXCLUSION-REASONS:\s*([^|]*)")
_RAYYAN_DECISIONS = {"included": "include", "excluded": "exclude", "maybe": "maybe"}
_COVIDENCE_REASON = re.compile(r"Exclusion reason:\s*([^;\n]+)", re.IGNORECASE)
# The reviewer's own decisions (ASReview LAB v2's asreview_label) before the data set's label columns.
_ASREVIEW_LABELS = ("asreview_label", *(name for name in LABEL_NAMES if name != "asreview_label"))
# ASReview's labels as its exports and the tools that save them again write them (pandas: 1.0, nan; a
# spreadsheet: TRUE), compared case-insensitively; an unscreened record has no label or -1.
_ASREVIEW_UNSCREENED = frozenset({"", "-1", "-1.0", "nan"})
_ASREVIEW_DECISIONS = {"1": "include", "1.0": "include", "true": "include",
                       "0": "exclude", "0.0": "exclude", "false": "exclude"}
_DOI_COLUMNS = ("doi", "url")
_TITLE_COLUMNS = ("title", "primary_title")


@dataclass
class Unmatched:
    """An export row that was not turned into a decision, and why."""

    line: int
    title: str
    why: str


@dataclass
class ImportResult:
    """The outcome of reading one export."""

    format: str
    decisions: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)
    not_screened: int = 0  # rows the other tool has no decision for (not an error)
    warnings: list = field(default_factory=list)  # how the file was read (an encoding repaired …), one line each


def read_export(path, *, reviewer, stage, config, records, fmt=None, rayyan_name=None, decision=None):
    """Read a Rayyan, Covidence or ASReview CSV (or Excel) export; return an :class:`ImportResult`."""
    path = Path(path)
    header, rows, read_warnings = _read_csv(path)
    fmt = fmt or detect_format(path, header, rows)
    lower = {h.lower().strip(): h for h in header}
    matcher = RecordMatcher(records)
    result = ImportResult(fmt, warnings=read_warnings)
    note = f"imported from {fmt} export {path.name}"
    if fmt == "covidence":
        decision = decision or _covidence_decision(path)
    if fmt == "rayyan":
        rayyan_name = rayyan_name_for(path, rows, lower, reviewer, rayyan_name)
    for line, row in rows:
        title = _cell(row, lower, _TITLE_COLUMNS)
        if fmt == "rayyan":
            found = _rayyan_row(row, lower, rayyan_name)
        elif fmt == "covidence":
            found = (decision, _covidence_reasons(_cell(row, lower, ("notes",))), None, "")
        else:
            found = _asreview_row(row, lower)
        if found is None:
            result.not_screened += 1
            continue
        if isinstance(found, str):
            result.unmatched.append(Unmatched(line, title, found))
            continue
        value, raw_reasons, timestamp, extra_note = found
        reason, why = _reason(value, raw_reasons, stage, config)
        if why:
            result.unmatched.append(Unmatched(line, title, why))
            continue
        record_id, how = matcher.match(doi=_cell(row, lower, _DOI_COLUMNS),
                                       pmid=_pmid(row, lower), title=title)
        if record_id is None:
            result.unmatched.append(Unmatched(line, title, f"no record matches ({how})"))
            continue
        full_note = note if not extra_note else f"{note}; {extra_note}"
        result.decisions.append(Decision(record_id, value, reason, reviewer, timestamp or now_timestamp(),
                                         full_note, path=path, line=line))
    return result


def detect_format(path, header, rows) -> str:
    """Which tool wrote this CSV, from its columns (and Rayyan's notes); an error says what was expected."""
    lower = {h.lower().strip() for h in header}
    if "covidence #" in lower:
        return "covidence"
    if any(name in lower for name in _ASREVIEW_LABELS) and not _has_rayyan_notes(header, rows):
        return "asreview"
    if _has_rayyan_notes(header, rows):
        return "rayyan"
    raise InputError("cannot tell which tool exported this file: expected a Rayyan export (notes with "
                     "RAYYAN-INCLUSION), a Covidence export (a 'Covidence #' column) or an ASReview export "
                     f"(an asreview_label or included column); found columns {', '.join(header)}", path=path)


def _has_rayyan_notes(header, rows):
    notes = next((h for h in header if h.lower().strip() == "notes"), None)
    return notes is not None and any("RAYYAN-INCLUSION" in (row.get(notes) or "") for _, row in rows)


def _read_csv(path):
    """Header, ``(line, row-dict)`` pairs and warnings of a CSV (comma, semicolon or tab separated; decoded as reference
    imports are, with a warning for each repair) or of an Excel workbook's first sheet (ASReview LAB also
    exports .xlsx)."""
    from sysrev.formats import refuse_binary
    from sysrev.formats.decode import decode_bytes
    from sysrev.formats.workbook import workbook_as_csv, workbook_kind

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    kind, read_warnings = workbook_kind(data), []
    if kind:
        text = workbook_as_csv(data, kind, path=path)
    else:
        refuse_binary(data, path, needs="a screening tool's CSV export (Rayyan, Covidence or ASReview)")
        decoded = decode_bytes(data, name=str(path))
        read_warnings, text = decoded.warnings, decoded.text
    dialect = excel_dialect(text, ",;\t")
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError("empty file", path=path) from None
    rows, counts = [], []
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        counts.append((start, len(cells)))
        rows.append((start, dict(zip(header, cells))))
    short = sum(1 for _, count in counts if count < len(header))
    cut = csv_cut(text, dialect, len(header), counts[-1], short) if counts else None
    if cut is not None:  # a decision read from half a row would be a wrong decision
        raise InputError(f"{cut.what}: the file looks cut off (an interrupted download or copy?); nothing was "
                         "imported. Export it again", path=path, line=cut.line)
    if counts and (unsure := csv_unsure_end(text, dialect, counts[-1][0])):
        warnings.warn(f"{path}, line {counts[-1][0]}: {unsure}", CutOffWarning, stacklevel=2)
    for start, count in counts:
        if count != len(header):
            raise InputError(f"expected {len(header)} columns, found {count}", path=path, line=start)
    return header, rows, read_warnings


def _cell(row, lower, names) -> str:
    for name in names:
        if name in lower:
            value = (row.get(lower[name]) or "").strip()
            if value:
                return value
    return ""


def _pmid(row, lower) -> str:
    """A PMID from a PMID column, a Covidence accession number that is all digits, or a PubMed URL."""
    value = _cell(row, lower, ("pmid", "pubmed_id", "pubmed id"))
    if value:
        return value
    accession = _cell(row, lower, ("accession number",))
    if re.fullmatch(r"\d{1,9}", accession):
        return accession
    url = _cell(row, lower, ("url",))
    match = re.search(r"(?:pubmed|/pmid?)[^0-9]{0,20}(\d{1,9})", url, re.IGNORECASE)
    return match.group(1) if match else ""


def rayyan_name_for(path, rows, lower, reviewer, rayyan_name) -> str:
    """Whose Rayyan decisions to import: ``rayyan_name``, else the reviewer's own name (case-insensitive),
    else the only name in the file; otherwise an error listing the names."""
    names = set()
    for _, row in rows:
        match = _RAYYAN_INCLUSION.search(_cell(row, lower, ("notes",)))
        if match:
            names.update(name for name, _ in _RAYYAN_PAIR.findall(match.group(1)))
    wanted = (rayyan_name or reviewer).casefold()
    chosen = next((name for name in sorted(names) if name.casefold() == wanted), None)
    if chosen is None and rayyan_name is None and len(names) == 1:
        chosen = next(iter(names))
    if chosen is None:
        raise InputError(f"no Rayyan reviewer named {rayyan_name or reviewer!r} in RAYYAN-INCLUSION notes "
                         f"(names: {', '.join(sorted(names)) or 'none'}); pass --rayyan-name", path=path)
    return chosen


def _rayyan_row(row, lower, name):
    """``(decision, reasons, None, note)``; None when ``name`` made no decision; a problem text otherwise."""
    notes = _cell(row, lower, ("notes",))
    match = _RAYYAN_INCLUSION.search(notes)
    votes = dict(_RAYYAN_PAIR.findall(match.group(1))) if match else {}
    if name not in votes:
        return None
    value = _RAYYAN_DECISIONS.get(votes[name].strip().casefold())
    if value is None:
        return f"Rayyan decision {votes[name]!r} is not Included, Excluded or Maybe"
    reasons = _RAYYAN_REASONS.search(notes)
    raw = [r.strip() for r in reasons.group(1).split(",")] if reasons else []
    return value, [r for r in raw if r], None, f"rayyan user {name}"


def _covidence_decision(path) -> str:
    name = path.name.lower()
    if "included" in name:
        return "include"
    if "excluded" in name or "irrelevant" in name:
        return "exclude"
    raise InputError("a Covidence export holds one list; its name does not say which (included, excluded, "
                     "irrelevant): pass --decision include|exclude|maybe", path=path)


def _covidence_reasons(notes) -> list:
    return [m.strip() for m in _COVIDENCE_REASON.findall(notes or "")]


def _asreview_row(row, lower):
    label_column = next((lower[name] for name in _ASREVIEW_LABELS if name in lower), None)
    label = (row.get(label_column) or "").strip()
    if label.casefold() in _ASREVIEW_UNSCREENED:
        return None
    value = _ASREVIEW_DECISIONS.get(label.casefold())
    if value is None:
        return f"label {label!r} in column {label_column!r} is not 1, 0 or empty"
    timestamp = _cell(row, lower, ("asreview_time",)) or None
    if timestamp:
        try:
            parse_timestamp(timestamp)
        except ValueError:
            timestamp = None
    note = _cell(row, lower, ("asreview_note",))
    return value, [], timestamp, f"asreview note: {note}" if note else ""


def _reason(value, raw_reasons, stage, config):
    """The controlled-list reason for an imported exclusion (case-insensitive), or a problem text."""
    if value != "exclude":
        return "", None
    by_fold = {r.casefold(): r for r in config.exclusion_reasons}
    for raw in raw_reasons:
        if raw.casefold() in by_fold:
            return by_fold[raw.casefold()], None
    if stage == "full_text":
        given = f"{named('reason', (repr(r) for r in raw_reasons))} not" if raw_reasons else "no reason"
        return "", (f"full-text exclusion with {given} in [screening] exclusion_reasons of review.toml")
    return "", None
