"""Consensus extraction tables: the long-format CSV files the analysis reads (contract 2 of the team rules).

A review's extracted outcome data live in ``analysis/extraction/*.csv``, one row per
study × arm × outcome × item × time point, with the columns of :data:`COLUMNS`. Every value carries its
``source`` (page, table, figure) and, when it was derived, the ``raw`` reported numbers and the ``method``
of the derivation. An unknown value is an EMPTY cell, never a guess.

This module only *reads* the files and checks their syntax: the header, numbers that parse, the key
columns present, no key twice. Whether the numbers make sense (SD > 0, events ≤ n, …) is judged by
:mod:`sysrev.extraction.check`, which reports every problem at once instead of stopping at the first.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from sysrev.errors import InputError, InputErrors
from sysrev.fileio import atomic_write_text
from sysrev.hand_tables import number_hint, read_table
from sysrev.wording import named

COLUMNS = (
    "study", "outcome", "item", "timepoint", "arm", "n", "mean", "sd", "events",
    "scale", "source", "source_url", "raw", "method", "note",
)
NUMERIC_COLUMNS = ("n", "mean", "sd", "events")
# A row without these cannot be placed in any analysis.
REQUIRED_COLUMNS = ("study", "outcome", "arm")
KEY_COLUMNS = ("study", "outcome", "item", "timepoint", "arm")
STUDIES_FILE = "studies.csv"


@dataclass(frozen=True)
class OutcomeRow:
    """One extracted cell group: a study's arm at one outcome, item and time point.

    Numeric fields are ``None`` when the cell is empty (the value is unknown). ``path`` and ``line`` say
    where the row was read, so every later error can point a reviewer back to it.
    """

    study: str
    outcome: str
    item: str
    timepoint: str
    arm: str
    n: float | None
    mean: float | None
    sd: float | None
    events: float | None
    scale: str
    source: str
    source_url: str
    raw: str
    method: str
    note: str
    path: Path
    line: int

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """(study, outcome, item, timepoint, arm): what identifies the row within a review."""
        return (self.study, self.outcome, self.item, self.timepoint, self.arm)

    def to_dict(self) -> dict[str, str]:
        """The row as CSV cells (numbers in their shortest exact form, empty for unknown)."""
        return {col: format_number(getattr(self, col)) if col in NUMERIC_COLUMNS else getattr(self, col)
                for col in COLUMNS}


def format_number(value: float | None) -> str:
    """Format a number for a CSV cell: integers without ``.0``, others with repr precision, None as ''."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def parse_number(text: str, *, path, line: int, column: str) -> float | None:
    """Parse one numeric cell: empty means unknown (None); anything else must be a finite number."""
    text = text.strip()
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"'{text}' is not a number{number_hint(text)}", path=path, line=line,
                         column=column) from None
    if not math.isfinite(value):
        raise InputError(f"'{text}' is not a finite number", path=path, line=line, column=column)
    return value


def _check_header(header: list[str] | None, path: Path) -> list[str]:
    if not header:
        raise InputError(f"empty file; expected the header {','.join(COLUMNS)}", path=path, line=1)
    names = [h.strip() for h in header]
    for name in names:
        if name not in COLUMNS:
            raise InputError(f"unknown column '{name}' in the header; expected {','.join(COLUMNS)}",
                             path=path, line=1, column=name)
    seen = set()
    for name in names:
        if name in seen:
            raise InputError(f"column '{name}' appears twice in the header", path=path, line=1, column=name)
        seen.add(name)
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        raise InputError(f"missing {named('column', missing)} in the header; expected {','.join(COLUMNS)}",
                         path=path, line=1)
    return names


def read_outcome_rows(path) -> list[OutcomeRow]:
    """Read one extraction CSV into :class:`OutcomeRow` objects, in file order.

    Raises :class:`InputError` naming the file, line and column for an unknown or missing header column,
    a row with too many or too few cells, a non-numeric or non-finite number, an empty study/outcome/arm,
    or a (study, outcome, item, timepoint, arm) key that appears twice, and for a file that was cut off
    (:func:`sysrev.hand_tables.read_table`). The problems of the rows are all found in one reading and, when
    there are several, raised together as :class:`InputErrors`. Blank lines are skipped.
    """
    path = Path(path)
    text = read_table(path)  # refuses a file cut off mid-row (sysrev.hand_tables)
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        names = _check_header(next(reader, None), path)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, line=1) from None

    rows: list[OutcomeRow] = []
    problems: list[InputError] = []  # every row's problems, reported together (InputErrors)
    first_line: dict[tuple, int] = {}
    end_of_previous = reader.line_num
    while True:
        line = end_of_previous + 1  # a quoted cell may span lines: report where the row starts
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", path=path, line=line) from None
        end_of_previous = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        row = _outcome_row(cells, names, path, line, problems)
        if row is None:
            continue
        if row.key in first_line:
            problems.append(InputError(
                f"duplicate row for study={row.study!r} outcome={row.outcome!r} item={row.item!r} "
                f"timepoint={row.timepoint!r} arm={row.arm!r} (first at line {first_line[row.key]})",
                path=path, line=line))
            continue
        first_line[row.key] = line
        rows.append(row)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputErrors(problems, path=path)
    return rows


def _outcome_row(cells, names, path, line, problems) -> OutcomeRow | None:
    """The row of ``cells``, or None after adding its problems (every one of them) to ``problems``."""
    if len(cells) != len(names):
        problems.append(InputError(f"{len(cells)} cells but the header has {len(names)} columns", path=path,
                                   line=line))
        return None
    record = {name: cell.strip() for name, cell in zip(names, cells)}
    found = len(problems)
    for col in REQUIRED_COLUMNS:
        if not record[col]:
            problems.append(InputError(f"'{col}' is empty; every row needs study, outcome and arm",
                                       path=path, line=line, column=col))
    values = {}
    for col in NUMERIC_COLUMNS:
        try:
            values[col] = parse_number(record[col], path=path, line=line, column=col)
        except InputError as exc:
            problems.append(exc)
    if len(problems) > found:
        return None
    return OutcomeRow(**{**record, **values}, path=path, line=line)


def extraction_files(extraction_dir) -> list[Path]:
    """The consensus extraction files of a project: top-level ``*.csv`` except ``studies.csv``, sorted."""
    folder = Path(extraction_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.csv") if p.is_file() and p.name != STUDIES_FILE)


def load_extraction(project) -> list[OutcomeRow]:
    """All consensus outcome rows of a project (see :func:`extraction_files`); [] when there are none.

    A key that appears in two files is an error naming both, because the analysis could not know which to use.
    """
    rows: list[OutcomeRow] = []
    seen: dict[tuple, OutcomeRow] = {}
    for path in extraction_files(project.extraction_dir):
        for row in read_outcome_rows(path):
            if row.key in seen:
                other = seen[row.key]
                raise InputError(f"duplicate row for {row.key}; also in {other.path} line {other.line}",
                                 path=row.path, line=row.line)
            seen[row.key] = row
            rows.append(row)
    return rows


def write_outcome_rows(path, rows) -> Path:
    """Write rows (OutcomeRow objects or dicts of cells) as an extraction CSV, atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cells = row.to_dict() if isinstance(row, OutcomeRow) else {c: row.get(c, "") for c in COLUMNS}
        writer.writerow(cells)
    return atomic_write_text(path, buf.getvalue())
