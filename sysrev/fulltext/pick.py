"""Pick the cells of one outcome row out of a paper's table, keeping where each number came from.

A reviewer names the table, the row (its label as printed, or its number in ``sysrev fulltext show``) and,
for each value, the column (its header path or number). Nothing is read by guessing: a label matching two
rows, a header matching two columns, or a cell that is not the number it is said to be ("5.2 (4.1–6.3)"
given as mean (SD)) is an error that shows the choices. The values still go to a person for confirmation
before they are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sysrev.errors import InputError
from sysrev.fulltext.jats import Table
from sysrev.normalise import is_plain_number

# A number as tables print it: unicode minus, a leading sign, decimals with a point.
_NUMBER = r"[-+−]?\d+(?:\.\d+)?"
_MEAN_SD = re.compile(rf"^\s*({_NUMBER})\s*(?:±|\+/-|\+-)\s*({_NUMBER})\s*$"
                      rf"|^\s*({_NUMBER})\s*\(\s*({_NUMBER})\s*\)\s*$")
# A count alone, with its percentage in brackets ("12 (40%)", "12 (40)%") or its denominator ("12/30"); a
# percentage alone ("40%") is no count.
_COUNT = re.compile(rf"^\s*(\d+)\s*(?:\(\s*{_NUMBER}\s*%?\s*\)\s*%?|/\s*\d+)?\s*$")
_PLAIN = re.compile(rf"^\s*({_NUMBER})\s*$")
FIELDS = ("n", "mean", "sd", "events")
# A footnote marker the table reader set apart ("39.1 [c]"): not part of the number.
_MARKER = re.compile(r"\s*\[[^\]]*\]\s*$")


@dataclass(frozen=True)
class PickedCell:
    """One chosen cell: which value it gives, the row and column it sits in, and its text as printed."""

    field: str
    row_label: str
    column: str
    text: str


def find_row(table: Table, wanted: str) -> int:
    """0-based body row of ``wanted``: a number as shown by ``fulltext show``, or the row's label."""
    text = wanted.strip()
    if is_plain_number(text):
        index = int(text) - 1
        if 0 <= index < len(table.body):
            return index
        raise InputError(f"{table.label} has rows 1–{len(table.body)}; there is no row {text}")
    labels = [table.row_label(i) for i in range(len(table.body))]
    matches = [i for i, label in enumerate(labels) if _fold(label) == _fold(text)]
    if not matches:  # the lowest part of a grouped label ("Male" for "Goats / Sex / Male")
        matches = [i for i, label in enumerate(labels) if _fold(label.split(" / ")[-1]) == _fold(text)]
    if len(matches) == 1:
        return matches[0]
    listing = ", ".join(f"{i + 1}: {label!r}" for i, label in enumerate(labels))
    if matches:
        raise InputError(f"{len(matches)} rows of {table.label} are labelled {wanted!r} "
                         f"(rows {', '.join(str(i + 1) for i in matches)}); give the row number")
    raise InputError(f"no row labelled {wanted!r} in {table.label} (rows: {listing})")


def find_column(table: Table, wanted: str) -> int:
    """0-based column of ``wanted``: a number as shown by ``fulltext show``, the full header path, or the
    lowest header of exactly one column."""
    text = wanted.strip()
    names = table.column_names()
    if is_plain_number(text):
        index = int(text) - 1
        if 0 <= index < len(names):
            return index
        raise InputError(f"{table.label} has columns 1–{len(names)}; there is no column {text}")
    full = [i for i, name in enumerate(names) if _fold(name) == _fold(text)]
    if len(full) == 1:
        return full[0]
    lowest = [i for i, name in enumerate(names) if _fold(name.split(" / ")[-1]) == _fold(text)]
    if len(full) > 1 or len(lowest) > 1:
        hits = full if len(full) > 1 else lowest
        choices = ", ".join(f"{i + 1}: {names[i]!r}" for i in hits)
        raise InputError(f"column {wanted!r} of {table.label} is ambiguous ({choices}); give the full header "
                         "path or the column number")
    if len(lowest) == 1:
        return lowest[0]
    listing = ", ".join(f"{i + 1}: {name!r}" for i, name in enumerate(names))
    raise InputError(f"no column {wanted!r} in {table.label} (columns: {listing})")


def pick_values(table: Table, row: str, columns: dict[str, str]) -> tuple[dict[str, float], list[PickedCell]]:
    """Values for the fields of ``columns`` (``n``, ``mean``, ``sd``, ``events``, or ``mean_sd`` for a
    "mean ± SD" / "mean (SD)" cell) from row ``row``; returns the values and the cells they came from."""
    if not columns:
        raise InputError("choose at least one column (--n, --mean, --sd, --events or --mean-sd)")
    both = [name for name in ("mean", "sd") if name in columns and "mean_sd" in columns]
    if both:
        raise InputError(f"{both[0]} is chosen twice (--mean-sd already gives the mean and the SD)")
    index = find_row(table, row)
    label = table.row_label(index)
    names = table.column_names()
    values: dict[str, float] = {}
    cells: list[PickedCell] = []
    for field_name, wanted in columns.items():
        col = find_column(table, wanted)
        text = table.body[index][col] if col < len(table.body[index]) else ""
        number_text = _MARKER.sub("", text)
        where = f"{table.label}, row {label!r}, column {names[col]!r}"
        cells.append(PickedCell(field_name, label, names[col], text))
        if field_name == "mean_sd":
            mean, sd = _mean_sd(number_text, where)
            _put(values, "mean", mean, where)
            _put(values, "sd", sd, where)
        elif field_name in ("n", "events"):
            _put(values, field_name, _count(number_text, where), where)
        elif field_name in ("mean", "sd"):
            _put(values, field_name, _plain(number_text, where), where)
        else:
            raise InputError(f"unknown field {field_name!r}; choose from {', '.join(FIELDS)} or mean_sd")
    return values, cells


def provenance(record_id: str, table: Table, cells: list[PickedCell]) -> str:
    """The ``source`` text of an extraction row: paper, table label, row and each column used."""
    columns = "; ".join(f"{c.field} = column {c.column!r} ({c.text!r})" for c in cells)
    return f"full text {record_id}, {table.label}, row {cells[0].row_label!r}: {columns}"


def _put(values, name, value, where):
    if name in values:
        raise InputError(f"{name} is chosen twice ({where})")
    values[name] = value


def _mean_sd(text, where):
    match = _MEAN_SD.match(text)
    if not match:
        raise InputError(f"{where}: {text!r} is not 'mean ± SD' or 'mean (SD)'; pick --mean and --sd "
                         "separately or convert the reported statistic with `sysrev extract convert`")
    groups = [g for g in match.groups() if g is not None]
    return _float(groups[0]), _float(groups[1])


def _count(text, where):
    match = _COUNT.match(text)
    if not match:
        raise InputError(f"{where}: {text!r} is not a whole count (e.g. '12', '12 (40%)', '12/30')")
    return float(match.group(1))


def _plain(text, where):
    match = _PLAIN.match(text)
    if not match:
        raise InputError(f"{where}: {text!r} is not a single number")
    return _float(match.group(1))


def _float(text: str) -> float:
    return float(text.replace("−", "-"))


def _fold(text: str) -> str:
    return " ".join(str(text).lower().split())
