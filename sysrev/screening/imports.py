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
* **A decisions sheet**: any sheet with a ``decision`` column (include, exclude or maybe; empty: not
  screened) — the sheet a team screens in offline, another tool's table, or sysrev's own decisions export
  (``sysrev export decisions``). ``reason``, ``timestamp`` and ``note`` are kept. A ``reviewer`` column
  picks the reviewer's rows (case-insensitive) and a ``stage`` column the stage's; other rows are passed
  over and counted. A ``record_id`` column names the record outright; an ID that is not a known record is
  listed, never guessed from the other columns.

Rows map to records by their ``record_id`` (a decisions sheet), else by DOI, then PMID, then normalised title
(:class:`RecordMatcher`). A row that matches
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
from sysrev.screening.config import STAGE_LABEL
from sysrev.screening.labelled_csv import LABEL_NAMES
from sysrev.screening.log import Decision, now_timestamp, parse_timestamp
from sysrev.screening.records import RecordMatcher
from sysrev.wording import counted, named

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
# A decisions sheet's words, compared case-insensitively: sysrev's own, and the past participles of Rayyan and
# Covidence.
_SHEET_DECISIONS = {"include": "include", "included": "include", "exclude": "exclude", "excluded": "exclude",
                    "maybe": "maybe"}
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
    passed_over: int = 0  # rows of a decisions sheet for another reviewer or stage
    warnings: list = field(default_factory=list)  # how the file was read (an encoding repaired …), one line each


def read_export(path, *, reviewer, stage, config, records, fmt=None, rayyan_name=None, decision=None):
    """Read a Rayyan, Covidence or ASReview CSV (or Excel) export, or a decisions sheet; return an
    :class:`ImportResult`."""
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
    if fmt == "decisions":
        sheet_reviewer = sheet_reviewer_for(path, rows, lower, reviewer)
    known_ids = {record["record_id"] for record in records}
    unlisted = []  # lines of exclusions whose reason is not in the review's list
    for line, row in rows:
        title = _cell(row, lower, _TITLE_COLUMNS)
        if fmt == "rayyan":
            found = _rayyan_row(row, lower, rayyan_name)
        elif fmt == "covidence":
            found = (decision, _covidence_reasons(_cell(row, lower, ("notes",))), None, "")
        elif fmt == "decisions":
            if not _sheet_row_is_for(row, lower, sheet_reviewer, stage):
                result.passed_over += 1
                continue
            found = _sheet_row(row, lower)
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
        record_id = _cell(row, lower, ("record_id",)) if fmt == "decisions" else ""
        if record_id and record_id not in known_ids:
            result.unmatched.append(Unmatched(line, title, f"record_id {record_id!r} is not in "
                                                           "records/records.jsonl"))
            continue
        if not record_id:
            record_id, how = matcher.match(doi=_cell(row, lower, _DOI_COLUMNS), pmid=_pmid(row, lower), title=title)
        if record_id is None:
            result.unmatched.append(Unmatched(line, title, f"no record matches ({how})"))
            continue
        if value == "exclude" and raw_reasons and not reason:  # at title/abstract: kept, in the note
            unlisted.append(line)
            extra_note = "; ".join(filter(None, (extra_note, f"reason given: {', '.join(raw_reasons)} (not in "
                                                                   "[screening] exclusion_reasons)")))
        full_note = note if not extra_note else f"{note}; {extra_note}"
        result.decisions.append(Decision(record_id, value, reason, reviewer, timestamp or now_timestamp(),
                                         full_note, path=path, line=line))
    if unlisted:
        result.warnings.append(f"{path}: {counted(len(unlisted), 'exclusion')} with a reason not in [screening] "
                               f"exclusion_reasons of review.toml (lines {_lines(unlisted)}): imported without a "
                               "reason, the reason given kept in the note; add it to the list to use it")
    return result


def _lines(numbers, shown=10) -> str:
    """``2, 5, 9`` — the first ``shown`` line numbers, then how many more."""
    text = ", ".join(str(n) for n in numbers[:shown])
    return text + (f" and {len(numbers) - shown} more" if len(numbers) > shown else "")


def detect_format(path, header, rows) -> str:
    """Which tool wrote this CSV, from its columns (and Rayyan's notes); an error says what was expected."""
    lower = {h.lower().strip() for h in header}
    if "covidence #" in lower:
        return "covidence"
    if any(name in lower for name in _ASREVIEW_LABELS) and not _has_rayyan_notes(header, rows):
        return "asreview"
    if _has_rayyan_notes(header, rows):
        return "rayyan"
    if "decision" in lower:
        return "decisions"
    raise InputError("cannot tell which tool exported this file: expected a Rayyan export (notes with "
                     "RAYYAN-INCLUSION), a Covidence export (a 'Covidence #' column), an ASReview export "
                     "(an asreview_label or included column) or a decisions sheet (a 'decision' column); found "
                     f"columns {', '.join(header)}", path=path)


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
        refuse_binary(data, path, needs="a screening tool's CSV export (Rayyan, Covidence or ASReview) or a "
                                          "sheet with a decision column")
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


def sheet_reviewer_for(path, rows, lower, reviewer) -> str | None:
    """Whose rows of a decisions sheet to import: None when it has no ``reviewer`` column (every row is the
    reviewer's), else the name in it equal to ``reviewer`` ignoring case; an error listing the names when
    none is."""
    if "reviewer" not in lower:
        return None
    names = {(row.get(lower["reviewer"]) or "").strip() for _, row in rows} - {""}
    if not any(name.casefold() == reviewer.casefold() for name in names):
        raise InputError(f"no row of reviewer {reviewer!r} in the 'reviewer' column (names: "
                         f"{', '.join(sorted(names)) or 'none'})", path=path)
    return reviewer


def _sheet_row_is_for(row, lower, reviewer, stage) -> bool:
    """Whether a decisions sheet's row is ``reviewer``'s (when the sheet names reviewers) at ``stage`` (when
    it names stages: ``title_abstract`` / ``full_text``, or as the screen labels them)."""
    if reviewer is not None and _cell(row, lower, ("reviewer",)).casefold() != reviewer.casefold():
        return False
    named_stage = _cell(row, lower, ("stage",)).casefold()
    return not named_stage or named_stage in (stage, STAGE_LABEL[stage])


def _sheet_row(row, lower):
    """``(decision, reasons, timestamp, note)`` of a decisions sheet's row; None when its decision is empty; a
    problem text when it is not include, exclude or maybe."""
    value = _cell(row, lower, ("decision",))
    if not value:
        return None
    decision = _SHEET_DECISIONS.get(value.casefold())
    if decision is None:
        return f"decision {value!r} is not include, exclude or maybe"
    reason = _cell(row, lower, ("reason",))
    note = _cell(row, lower, ("note",))
    return decision, [reason] if reason else [], _timestamp(row, lower, "timestamp"), f"note: {note}" if note else ""


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
    note = _cell(row, lower, ("asreview_note",))
    return value, [], _timestamp(row, lower, "asreview_time"), f"asreview note: {note}" if note else ""


def _timestamp(row, lower, column) -> str | None:
    """The row's time of decision from ``column`` when it is an ISO 8601 date/time; None otherwise (the
    decision then takes the time of the import)."""
    timestamp = _cell(row, lower, (column,))
    try:
        parse_timestamp(timestamp)
    except ValueError:
        return None
    return timestamp


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
