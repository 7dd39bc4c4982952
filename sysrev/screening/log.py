"""Decision logs: ``screening/<stage>/<reviewer>.csv``, append-only (contract 6, ../shared/DESIGN.md §3).

Each row is one decision: ``record_id,decision,reason,reviewer,timestamp`` plus optional trailing columns:
``note``, then ``rank`` and ``model`` (written by the prioritised screen: the record's place in the order it
was shown in, 1 = first, and the model that made that order, e.g. ``tfidf-svm.3/42``, or ``random`` /
``file``). Files with five or six columns stay valid; a row that needs a later column upgrades the file, and
the old rows get empty cells. A changed mind is a new row; the history stays, and the *last* row for a record in a file
is the one that counts (file order, not timestamp order, because imports may carry older times).

Writing: every append takes the project lock (:mod:`sysrev.locking`: a file lock inside the project, so
processes with different temp folders, working folders or user accounts share it), so concurrent appends from
several processes serialise and nothing is lost. An ordinary append reads only the header line and adds the
new rows at the end of the file in one write, then fsyncs: its cost does not grow with the log (a reviewer's
10,000th decision costs what the first did). A new file, or a row that needs more columns than the header
has, writes the whole file atomically instead (temp file + fsync + rename). A crash in the middle of an
append can at worst leave a last row without its end of line. Reading reports such a row (and a quoted note
still open at the end of the file) with its file and line instead of counting it: a cut timestamp, rank or
model can still read as a valid one (see :func:`_cut_last_row` for why this is an error, not a warning as
for hand-edited tables). The file is never rewritten for it; the next append starts on a new line (the
commands that append read the logs first, and refuse while the row is reported).

Reading never drops a row silently: a malformed or foreign row (wrong column count, unknown record_id,
unknown decision, reason or reviewer, a row of another reviewer, a bad timestamp) becomes a
:class:`LogProblem` with the file and line, and the callers refuse to count until it is fixed.
"""

import codecs
import csv
import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sysrev.csv_quotes import OPEN, offset_of_line, quote_state_at_end
from sysrev.did_you_mean import closest
from sysrev.errors import SysrevError
from sysrev.fileio import append_whole, atomic_write_text
from sysrev.locking import lock_for_path
from sysrev.merge_conflicts import is_marker
from sysrev.normalise import is_plain_number
from sysrev.screening.config import DECISIONS, STAGES
from sysrev.wording import counted

HEADER = ("record_id", "decision", "reason", "reviewer", "timestamp")
HEADER_WITH_NOTE = HEADER + ("note",)
HEADER_WITH_RANK = HEADER_WITH_NOTE + ("rank", "model")
HEADERS = (HEADER, HEADER_WITH_NOTE, HEADER_WITH_RANK)
RECONCILIATION_DIR = "reconciliation"
_MAX_LISTED = 25


@dataclass(frozen=True)
class Decision:
    """One row of a decision log; ``path``/``line`` say where it was read from (None for new rows)."""

    record_id: str
    decision: str
    reason: str
    reviewer: str
    timestamp: str
    note: str = ""
    rank: str = ""  # place in the order the record was shown in (1 = first); empty if not recorded
    model: str = ""  # what made that order (model version, "random" or "file"); empty if not recorded
    path: Path | None = None
    line: int | None = None

    def cells(self) -> list:
        return [self.record_id, self.decision, self.reason, self.reviewer, self.timestamp, self.note,
                self.rank, self.model]

    def columns_needed(self) -> int:
        """How many columns of :data:`HEADER_WITH_RANK` this row needs (5, 6 or 8)."""
        if self.rank or self.model:
            return len(HEADER_WITH_RANK)
        return len(HEADER_WITH_NOTE) if self.note else len(HEADER)


@dataclass(frozen=True)
class LogProblem:
    """A row (or file) that cannot be counted, and why."""

    path: Path
    line: int | None
    message: str

    def __str__(self):
        where = f"{self.path}, line {self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


def grouped(problems) -> list[str]:
    """``problems`` as lines to show, the rows of one file with the same problem on one line that names them
    all ("…, lines 2–12001 (12000 rows): unknown reviewer …"). A reviewer renamed in review.toml and in the
    log's file name, but not in its rows, gives a problem per row: a list of thousands of identical lines
    would bury every other problem. Lines keep the order in which each problem first appears."""
    groups = {}
    for problem in problems:
        groups.setdefault((problem.path, problem.message), []).append(problem)
    lines = []
    for (path, message), same in groups.items():
        rows = sorted(p.line for p in same if p.line is not None)
        if len(rows) < 2 or len(rows) < len(same):
            lines.extend(str(p) for p in same)
        else:
            lines.append(f"{path}, {_line_ranges(rows)} ({len(rows)} rows): {message}")
    return lines


def _line_ranges(rows: list[int], shown: int = 6) -> str:
    """``lines 2–5, 9, 12–14`` for rows 2, 3, 4, 5, 9, 12, 13, 14 (sorted); after ``shown`` ranges, "…"."""
    ranges = []
    for row in rows:
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    text = ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in ranges[:shown])
    return f"lines {text}{', …' if len(ranges) > shown else ''}"


class ScreeningLogError(SysrevError):
    """Decision logs hold rows that cannot be counted; the message lists each with its file and line (the rows
    of one file with the same problem on one line, :func:`grouped`)."""

    def __init__(self, problems):
        self.problems = list(problems)
        shown = grouped(self.problems)
        listed = "\n  ".join(shown[:_MAX_LISTED])
        more = len(shown) - _MAX_LISTED
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"{counted(len(self.problems), 'problem')} in the screening logs (fix or remove the rows; "
                         f"nothing was counted):\n  {listed}{tail}")


def now_timestamp() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``, the timestamp format sysrev writes."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 date or date-time as an aware datetime (no zone given: UTC). Raises ValueError."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def log_path(screening_dir, stage: str, reviewer: str) -> Path:
    """``screening/<stage>/<reviewer>.csv``."""
    _check_stage(stage)
    return Path(screening_dir) / stage / f"{reviewer}.csv"


def reconciliation_path(screening_dir, stage: str, reviewer: str) -> Path:
    """``screening/<stage>/reconciliation/<reviewer>.csv``: decisions that settle disagreements."""
    _check_stage(stage)
    return Path(screening_dir) / stage / RECONCILIATION_DIR / f"{reviewer}.csv"


def append_decisions(path, decisions) -> int:
    """Append ``decisions`` to the log at ``path`` under a file lock, atomically; return how many were added.

    An existing file must start with the contract header; a new row that needs more columns (a note, or a
    rank and model) upgrades the file to the wider form, and the old rows get empty cells.
    """
    decisions = list(decisions)
    if not decisions:
        return 0
    path = Path(path)
    with lock_for_path(path):
        header = _existing_header(path)
        width = max([len(header or HEADER)] + [d.columns_needed() for d in decisions])
        if header is not None and len(header) == width:
            _append_rows(path, _format_rows([d.cells()[:width] for d in decisions]))
            return len(decisions)
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        header, rows = _split_existing(path, existing)
        old = [row + [""] * (width - len(row)) for row in rows]
        atomic_write_text(path, _format_rows([list(HEADER_WITH_RANK[:width])] + old
                                             + [d.cells()[:width] for d in decisions]))
    return len(decisions)


def _existing_header(path: Path):
    """The header of the log at ``path`` (checked as a decision log's), or None for a missing or blank file."""
    if not path.exists():
        return None
    with open(path, encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
        if not first.strip():
            first += fh.read()  # a blank first line: the whole file decides (blank, or not a log)
    return _split_existing(path, first)[0]


def _append_rows(path: Path, text: str) -> None:
    """Add ``text`` (whole CSV rows) at the end of ``path``, on a new line: all the rows or, when the write
    fails (a full disk), none of them (:func:`sysrev.fileio.append_whole`)."""
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        ends_a_line = fh.read(1) == b"\n"
    append_whole(path, (b"" if ends_a_line else b"\n") + text.encode("utf-8"))


def read_log(path, *, stage, config, known_ids=None, owner=None, gone_ids=frozenset()):
    """Read one log; return ``(decisions, problems)``.

    ``owner`` is the reviewer the file belongs to (its name without ``.csv``); a row naming another
    reviewer is foreign. ``known_ids`` (a set) flags rows of unknown records; ``None`` skips that check.
    """
    path = Path(path)
    data = path.read_bytes()
    mark = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # Excel's "CSV UTF-8" writes one
    try:
        text = data[mark:].decode("utf-8")
    except UnicodeDecodeError as exc:  # counted in the file's own bytes, the mark included
        at = mark + exc.start
        return [], [LogProblem(path, data.count(b"\n", 0, at) + 1,
                               f"not valid UTF-8 ({exc.reason} at byte {at}: 0x{data[at]:02x})")]
    return read_log_text(path, text, stage=stage, config=config, known_ids=known_ids, owner=owner, gone_ids=gone_ids)


def read_log_text(path, text: str, *, stage, config, known_ids=None, owner=None, line_offset: int = 0,
                  gone_ids=frozenset()):
    """:func:`read_log` of ``text``, the log at ``path`` or its header line followed by rows appended to it
    since an earlier read (then ``line_offset`` is the number of data rows before them, so every decision and
    problem keeps its line number in the file)."""
    path = Path(path)
    owner = owner if owner is not None else path.stem
    problems = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = tuple(h.strip() for h in next(reader))
    except StopIteration:
        return [], []  # an empty file holds no decisions
    if header not in HEADERS:
        return [], [LogProblem(path, 1, f"header must be {','.join(HEADER)} (optionally ,note or "
                                        f",note,rank,model); found {','.join(header)}{_resaved(header)}")]
    decisions = []
    line = reader.line_num + 1
    last = None  # start line of the last row that is not blank, when no blank row follows it
    for row in reader:
        start, line = line, reader.line_num + 1
        if not row or all(not c.strip() for c in row):
            last = None
            continue
        last = start
        issue = _row_problem(row, header, stage, config, known_ids, owner, gone_ids)
        if issue:
            problems.append(LogProblem(path, start + line_offset, issue))
            continue
        cells = [c.strip() for c in row] + [""] * (len(HEADER_WITH_RANK) - len(row))
        # "Include" or "Wrong population" typed by hand, read as the words sysrev writes
        cells[1], cells[2] = cells[1].lower(), _listed(cells[2], config) or ""
        decisions.append(Decision(*cells[:8], path=path, line=start + line_offset))
    cut = None if last is None else _cut_last_row(text, last)
    if cut:  # the row is reported instead of counted (or reported for what it lacks); the file is left as it is
        where = last + line_offset
        decisions = [d for d in decisions if d.line != where]
        problems = [p for p in problems if p.line != where] + [LogProblem(path, where, cut)]
    if owner not in config.reviewers:  # one problem for the file, not one per row the owner wrote
        problems = [_unknown_owner(path, owner, config, decisions)] + problems
        decisions = []
    return decisions, problems


def _unknown_owner(path, owner: str, config, decisions) -> LogProblem:
    """The problem of a log whose owner (its file name) is not a listed reviewer: none of its rows is counted.
    The usual cause is a reviewer taken off the list when they left the team, so the advice keeps their
    decisions; a name that differs from a listed one only in case or spelling is pointed at."""
    meant = closest(owner, config.reviewers)
    hint = f" (did you mean '{meant}'?)" if meant else ""
    rows = "its one decision row is" if len(decisions) == 1 else f"its {len(decisions)} decision rows are"
    return LogProblem(path, None, f"log of unknown reviewer {owner!r}{hint}: not in [screening] reviewers of "
                                  f"review.toml, so {rows} not counted; a reviewer who has stopped "
                                  "screening stays in the list, so that their decisions keep counting")


def _cut_last_row(text: str, start: int) -> str | None:
    """Why the last row of a log's ``text`` (starting on physical line ``start``) looks cut off, or None.

    Every row sysrev writes ends with a line break, in one write (:func:`append_decisions`), so a last row
    without one is the mark of an append that crashed or a copy or sync that stopped mid-row, and every last
    cell can be cut to a value that still reads: a timestamp ``2024-05-01T09:30:00Z`` to ``2024-05-01``, a
    rank ``12`` to ``1``, a model or note to its first letters. Unlike a hand-edited table, where a complete
    file saved without a final line break is common and only warns (:mod:`sysrev.hand_tables`), here it is
    an error: a decision is counted only when the row is known to be whole. A quoted cell (a note) still open
    at the end of the file is a cut even after a line break inside it."""
    tail = text[offset_of_line(text, start):]
    if quote_state_at_end(tail) == OPEN:
        why = "a quoted cell of the last row is never closed (the file ends inside it)"
    elif not text.endswith(("\n", "\r")):
        why = "the last row has no line break after it"
    else:
        return None
    return (f"{why}: sysrev ends every row it writes with one, so the row looks cut off (an append that "
            "crashed, or a copy or sync that stopped mid-row) and its last value may be incomplete; check the "
            "row, then end the file with a line break (or delete the row and screen the record again)")


def _row_problem(row, header, stage, config, known_ids, owner, gone_ids=frozenset()):
    """Why ``row`` cannot be counted, or None."""
    if len(row) == 1 and is_marker(row[0]):
        return ("a git merge-conflict marker: the log was changed on two machines; keep the rows of both sides "
                "(a log only grows), delete the marker lines, then commit")
    if tuple(c.strip() for c in row) in HEADERS:
        return "a second header row (two logs joined into one?): delete this line"
    if len(row) != len(header):
        return f"expected {len(header)} columns ({','.join(header)}), found {len(row)}"
    record_id, decision, reason, reviewer, timestamp = (c.strip() for c in row[:5])
    if not record_id:
        return "empty record_id"
    if known_ids is not None and record_id not in known_ids:
        return f"unknown record_id {record_id!r}: not in records/records.jsonl{_gone(record_id, gone_ids)}"
    if decision.lower() not in DECISIONS:
        return f"decision {decision!r} is not one of {', '.join(DECISIONS)}"
    if reason and _listed(reason, config) is None:
        meant = closest(reason, config.exclusion_reasons)
        hint = (f" (did you mean '{meant}'? If the reason was renamed in review.toml, keep the old name in the list "
                "too, or change it in the log)") if meant else ""
        return f"reason {reason!r} is not in [screening] exclusion_reasons of review.toml{hint}"
    if stage == "full_text" and decision.lower() == "exclude" and not reason:
        return "a full-text exclusion needs a reason from [screening] exclusion_reasons"
    if reviewer not in config.reviewers and reviewer != owner:  # the owner's own rows: one problem per file
        renamed = (f" (if {reviewer!r} is now {owner!r}, whose log this is, change the name in the log's rows "
                   "too)") if owner in config.reviewers else ""
        return f"unknown reviewer {reviewer!r}: not in [screening] reviewers of review.toml{renamed}"
    if reviewer != owner:
        return f"row of reviewer {reviewer!r} in the log of {owner!r}"
    try:
        parse_timestamp(timestamp)
    except ValueError:
        return f"timestamp {timestamp!r} is not an ISO 8601 date/time (e.g. 2024-05-01T09:30:00Z)"
    rank = row[6].strip() if len(row) > 6 else ""
    if rank and not (is_plain_number(rank) and int(rank) >= 1):
        return f"rank {rank!r} is not a whole number from 1 (the place the record was shown at)"
    return None


def _gone(record_id: str, gone_ids) -> str:
    """What to add about an unknown ``record_id`` that left the review when its search runs were deleted."""
    if record_id not in gone_ids:
        return ""
    from sysrev.dedup.project_run import gone_note  # the dedup engine loads only for such a row

    return gone_note(record_id)


def _listed(reason: str, config) -> str | None:
    """The reason of ``[screening] exclusion_reasons`` that ``reason`` is, ignoring case; None when none is."""
    return next((listed for listed in config.exclusion_reasons if listed.casefold() == reason.casefold()), None)


def _resaved(header: tuple) -> str:
    """Advice when ``header`` is a log's header with other separators than commas: the file was opened and saved
    again in a spreadsheet program (Excel writes semicolons where the decimal mark is a comma), which also
    rewrites the timestamps; else ``""``."""
    cells = ",".join(header)
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if tuple(h.strip() for h in cells.split(separator)) in HEADERS:
            return (f" — the cells are separated by {name}: the log was saved again by a spreadsheet program, "
                    "which may also have rewritten its timestamps; restore it from git (`git checkout -- "
                    "FILE`) or save it as CSV with commas, and leave decision logs to sysrev")
    return ""


def _split_existing(path, text):
    """Header and data rows of an existing log's text (``(None, [])`` when empty)."""
    if not text.strip():
        return None, []
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = tuple(h.strip() for h in rows[0])
    if header not in HEADERS:
        raise SysrevError(f"{path}, line 1: not a decision log (header must be {','.join(HEADER)}){_resaved(header)}; "
                          "nothing was written")
    return header, [r for r in rows[1:] if r]


def _format_rows(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def rows_naming(screening_dir, record_ids) -> int:
    """How many rows of the decision logs (every stage, reconciliations too) name one of ``record_ids``; read
    as plain CSV, so a log with problems of its own is still counted."""
    wanted = set(record_ids)
    return sum(1 for cell in _first_cells(screening_dir) if cell in wanted)


def logged_record_ids(screening_dir) -> set:
    """Every record ID a row of the decision logs names (read as :func:`rows_naming` reads them)."""
    return {cell for cell in _first_cells(screening_dir) if cell and cell != HEADER[0]}


def _first_cells(screening_dir):
    """The first cell of every row of every decision log under ``screening_dir``, stripped."""
    for path in sorted(Path(screening_dir).glob("*/**/*.csv")):
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            yield from (row[0].strip() for row in csv.reader(fh) if row)


def _check_stage(stage):
    if stage not in STAGES:
        raise SysrevError(f"unknown screening stage {stage!r}; use one of {', '.join(STAGES)}")
