"""The extraction form (``analysis/extraction/form.toml``) and the study-characteristics table (``studies.csv``).

The form says which study characteristics are collected, which outcome cells each outcome type needs, how
change-from-baseline rows are marked, and for each scale which direction is worse and its possible range.
Without a form.toml the defaults below apply, so a new review can start extracting at once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.config_schema import ensure_valid
from sysrev.errors import InputError, InputErrors
from sysrev.extraction.table import parse_number
from sysrev.hand_tables import read_table
from sysrev.project import load_toml
from sysrev.toml_lines import Locator

FORM_FILE = "form.toml"
STUDIES_FILE = "studies.csv"
DEFAULT_COLUMNS = {
    "study": "text", "citation": "text", "design": "text", "country": "text", "setting": "text",
    "n_randomised": "count", "n_randomised_group1": "count", "n_randomised_group2": "count",
    "n_analysed": "count", "population": "text", "intervention": "text", "comparator": "text",
    "follow_up": "text", "outcomes": "text", "source_url": "text", "note": "text",
    "records": "text",  # record IDs of the study's reports, ";"-separated (sysrev.living.studies)
}
COLUMN_TYPES = ("text", "count", "number")
DEFAULT_NEEDED = {"continuous": ("n", "mean", "sd"), "dichotomous": ("events", "n")}


@dataclass(frozen=True)
class Scale:
    name: str
    higher: str  # "worse" or "better"
    low: float | None = None
    high: float | None = None


@dataclass
class ExtractionForm:
    columns: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))
    # Characteristics every study must report (form.toml `required = true`): an empty cell is pending.
    required: tuple[str, ...] = ()
    needed: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_NEEDED))
    change_marker: str = "change from baseline"
    scales: dict[str, Scale] = field(default_factory=dict)
    path: Path | None = None


def load_form(extraction_dir) -> ExtractionForm:
    """Read ``form.toml`` from the extraction folder; defaults when it does not exist."""
    path = Path(extraction_dir) / FORM_FILE
    if not path.is_file():
        return ExtractionForm()
    data = load_toml(path)
    # The schema refuses unknown keys, wrong types and words outside a key's choices; what is left here is
    # what it cannot say: the study column, a type written as a bare word, a range's order.
    ensure_valid("extraction form", path, data)
    loc = Locator(path)
    form = ExtractionForm(path=path)
    columns = data.get("characteristics", {}).get("columns")
    if columns is not None:
        if "study" not in columns:
            raise loc.error("[characteristics.columns] must include 'study' (the label every row is matched on)",
                            "characteristics", "columns")
        form.columns = {}
        for name, spec in columns.items():
            kind = spec.get("type", "text") if isinstance(spec, dict) else spec
            if kind not in COLUMN_TYPES:  # a column written as `name = "type"`
                raise loc.error(f"column '{name}' has type {kind!r}; use one of {', '.join(COLUMN_TYPES)}",
                                "characteristics", "columns", key=name)
            form.columns[name] = kind
        form.required = tuple(name for name, spec in columns.items()
                              if isinstance(spec, dict) and spec.get("required") and name != "study")
    outcome_data = data.get("outcome_data", {})
    for kind in ("continuous", "dichotomous"):
        if kind in outcome_data:
            form.needed[kind] = tuple(outcome_data[kind])
    form.change_marker = outcome_data.get("change_marker", form.change_marker).strip().lower()
    for name, spec in data.get("scales", {}).items():
        low = high = None
        if "range" in spec:
            low, high = (float(b) for b in spec["range"])
            if low >= high:
                raise loc.error(f"scale {name!r}: range must be [low, high] with low < high", "scales", name,
                                key="range")
        form.scales[name] = Scale(name, spec["higher"], low, high)
    return form


def read_study_csv(path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and ``(line, {column: cell})`` rows of a ``studies.csv``, cells stripped, blank lines skipped.

    Shared by the typed reader below and the double-extraction comparison, so both refuse the same files:
    a missing file or ``study`` column, a row not as wide as the header, an empty or repeated study label, a
    file cut off (:func:`sysrev.hand_tables.read_table`) — each an error naming the file and line.
    """
    path = Path(path)
    text = read_table(path)
    reader = csv.reader(text.splitlines(keepends=True))
    header = [h.strip() for h in next(reader, [])]
    if "study" not in header:
        raise InputError("the header has no 'study' column", path=path, line=1)
    rows, seen = [], set()
    previous_end = reader.line_num
    for cells in reader:
        line, previous_end = previous_end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise InputError(f"{len(cells)} cells but the header has {len(header)} columns", path=path, line=line)
        row = {name: cell.strip() for name, cell in zip(header, cells)}
        if not row["study"]:
            raise InputError("empty study label", path=path, line=line, column="study")
        if row["study"] in seen:
            raise InputError(f"study {row['study']!r} appears twice", path=path, line=line, column="study")
        seen.add(row["study"])
        rows.append((line, row))
    return header, rows


def read_studies(path, form: ExtractionForm) -> dict[str, dict]:
    """Read ``studies.csv``: {study: {column: value}}, counts as int (None when empty).

    Errors name file, line and column: unknown or missing ``study`` column, a count that is not a
    non-negative whole number, an empty or repeated study label. The cells' problems are all found in one
    reading and, when there are several, raised together (:class:`InputErrors`).
    """
    header, raw_rows = read_study_csv(path)
    for name in header:
        if name not in form.columns:
            raise InputError(f"unknown column '{name}'; the form defines {', '.join(form.columns)}",
                             path=path, line=1, column=name)
    studies: dict[str, dict] = {}
    problems: list[InputError] = []
    for line, cells in raw_rows:
        row: dict = {}
        for name, cell in cells.items():
            kind = form.columns[name]
            if kind == "text" or cell == "":
                row[name] = cell if kind == "text" else None
                continue
            try:
                row[name] = _study_number(cell, kind, path=path, line=line, column=name)
            except InputError as exc:
                problems.append(exc)
        row["_line"] = line
        studies[row["study"]] = row
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputErrors(problems, path=path)
    return studies


def _study_number(cell: str, kind: str, *, path, line: int, column: str) -> int | float:
    """A ``number`` or ``count`` cell of studies.csv (not empty) as its value, read as an outcome sheet's
    numbers are (:func:`sysrev.extraction.table.parse_number`); InputError when it is not one."""
    value = parse_number(cell, path=path, line=line, column=column)
    if kind == "count" and (value < 0 or not value.is_integer()):
        raise InputError(f"'{cell}' is not a whole number ≥ 0", path=path, line=line, column=column)
    return int(value) if kind == "count" else value
