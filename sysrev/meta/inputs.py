"""The per-study input table of a meta-analysis: which columns each measure needs, and checking them.

A meta-analysis starts from one row per study (``study`` plus the arm summaries of the measure, and an
optional subgroup column). Every cell is checked here, before any arithmetic, so that a reviewer learns
exactly which row, study and column is wrong (negative SD, events above n, a missing cell, a duplicated
study name) instead of meeting a NaN in the pooled estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sysrev.errors import InputError, SysrevError
from sysrev.hand_tables import decimal_comma_hint

#: Measures, the columns each needs (besides ``study``) and the scale their effects are pooled on.
CONTINUOUS_MEASURES = ("MD", "SMD")
BINARY_MEASURES = ("RR", "OR", "RD", "PETO")
RATIO_MEASURES = ("RR", "OR", "PETO")
MEASURES = CONTINUOUS_MEASURES + BINARY_MEASURES + ("GEN",)

CONTINUOUS_COLUMNS = ("n1", "mean1", "sd1", "n2", "mean2", "sd2")
BINARY_COLUMNS = ("events1", "n1", "events2", "n2")


MAX_LISTED = 20  # bad rows listed in one error; the count says how many there are in all


class StudyDataError(InputError):
    """A bad cell in the study table, named by data row (1-based), column and study.

    ``others`` are the problems of the table's other bad rows: the message lists every bad row (up to
    :data:`MAX_LISTED`, then a count), one per line, so a reviewer fixes them all in one pass. ``row``,
    ``column`` and ``problem`` describe the first. ``located(path, lines)`` gives the same error naming a file
    and its line numbers instead (``lines[i]`` is the line of data row i + 1), which the CLI uses once it knows
    where each row came from.
    """

    def __init__(self, problem: str, *, row: int, column: str | None, study: str | None = None,
                 other_row: int | None = None, path=None, lines=None, others=()):
        self.problem, self.row, self.study, self.other_row = problem, row, study, other_row
        self.path, self.column, self.others = path, column, list(others)
        self.line = lines[row - 1] if lines else None
        where = f"{path}, line {self.line}" if lines else f"row {row}"
        if column:
            where += f", column '{column}'"
        if study:
            where += f" (study '{study}')"
        message = f"{where}: {problem}"
        if other_row is not None:
            message += f" (also on {f'line {lines[other_row - 1]}' if lines else f'row {other_row}'})"
        self.own_message = message
        if self.others:
            listed = [message] + [other.own_message for other in self.others[:MAX_LISTED - 1]]
            total = 1 + len(self.others)
            more = f" ({MAX_LISTED} listed)" if total > MAX_LISTED else ""
            message = "\nerror: ".join(listed) + f"\nerror: {total} bad rows{more}; nothing was pooled"
        SysrevError.__init__(self, message)

    def located(self, path, lines) -> StudyDataError:
        return StudyDataError(self.problem, row=self.row, column=self.column, study=self.study,
                              other_row=self.other_row, path=path, lines=lines,
                              others=[other.located(path, lines) for other in self.others])


@dataclass(frozen=True)
class StudyTable:
    """The checked input: study names, subgroups, numeric columns, and each row's cells as given."""

    measure: str
    studies: tuple[str, ...]
    subgroups: tuple[str | None, ...]
    columns: dict[str, np.ndarray]
    data: tuple[dict, ...]

    def __len__(self) -> int:
        return len(self.studies)

    def select(self, mask: np.ndarray) -> StudyTable:
        """The rows where ``mask`` is true (used for subgroups)."""
        idx = np.flatnonzero(mask)
        return StudyTable(
            self.measure,
            tuple(self.studies[i] for i in idx),
            tuple(self.subgroups[i] for i in idx),
            {name: values[idx] for name, values in self.columns.items()},
            tuple(self.data[i] for i in idx),
        )


def required_columns(measure: str, columns=()) -> tuple[str, ...]:
    """The numeric columns ``measure`` needs; for GEN whichever of ``se``/``vi`` the table has."""
    if measure in CONTINUOUS_MEASURES:
        return CONTINUOUS_COLUMNS
    if measure in BINARY_MEASURES:
        return BINARY_COLUMNS
    if measure == "GEN":
        has_se, has_vi = "se" in columns, "vi" in columns
        if has_se and has_vi:
            raise InputError("measure GEN takes either an 'se' or a 'vi' column, not both", column="vi")
        return ("yi", "vi") if has_vi else ("yi", "se")
    raise SysrevError(f"unknown measure '{measure}' (choose one of {', '.join(MEASURES)})")


def _cell_text(value) -> str | None:
    """A cell as stripped text, or None when empty/missing (pandas gives NaN or None for blanks)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip()
    return text or None


def _number(value, *, row: int, column: str, study: str | None) -> float:
    text = _cell_text(value)
    if text is None:
        raise StudyDataError("missing value", row=row, column=column, study=study)
    try:
        number = float(text)
    except ValueError:
        raise StudyDataError(f"not a number: '{text}'{decimal_comma_hint(text)}", row=row, column=column,
                             study=study) from None
    if not math.isfinite(number):
        raise StudyDataError(f"not a finite number: '{text}'", row=row, column=column, study=study)
    return number


def _as_given(number: float):
    """Whole numbers as int (so a study's ``data`` shows 12, not 12.0), others as float."""
    return int(number) if number.is_integer() else number


def _check_row(measure: str, cells: dict, *, row: int, study: str) -> None:
    """Range checks that make an effect size meaningless when they fail."""

    def bad(column, problem):
        raise StudyDataError(problem, row=row, column=column, study=study)

    for column in ("n1", "n2", "events1", "events2"):
        if column in cells and not cells[column].is_integer():
            bad(column, f"a count must be a whole number (got {cells[column]:g}); round an effective sample size "
                        "(as RevMan requires), or pool the adjusted effects with --measure GEN")
    for arm in ("1", "2"):
        n = cells.get("n" + arm)
        if n is not None and n < 2:
            bad("n" + arm, f"a group needs at least 2 participants (got {_as_given(n)})")
        if measure in CONTINUOUS_MEASURES and cells["sd" + arm] <= 0:
            bad("sd" + arm, f"SD must be positive (got {_as_given(cells['sd' + arm])})")
        if measure in BINARY_MEASURES:
            events = cells["events" + arm]
            if events < 0:
                bad("events" + arm, f"events cannot be negative (got {_as_given(events)})")
            if events > n:
                bad("events" + arm, f"events ({_as_given(events)}) exceed n{arm} ({_as_given(n)})")
    if measure == "GEN":
        for column in ("se", "vi"):
            if column in cells and cells[column] <= 0:
                bad(column, f"{column} must be positive (got {_as_given(cells[column])})")


def _read_row(record: dict, position: int, measure: str, needed, subgroup, seen: dict):
    """One row's study name, subgroup and numeric cells, checked; a :class:`StudyDataError` names its problem."""
    study = _cell_text(record["study"])
    if study is None:
        raise StudyDataError("missing study name", row=position, column="study")
    group = None
    if subgroup:
        group = _cell_text(record[subgroup])
        if group is None:
            raise StudyDataError("missing subgroup", row=position, column=subgroup, study=study)
    # the name is claimed before the cells are checked, so that a later row repeating the name of a row with a
    # bad cell is reported in the same pass
    key = (group, study)
    if key in seen:
        inside = f" within subgroup '{group}'" if subgroup else ""
        raise StudyDataError(f"duplicate study name{inside}", row=position, column="study", study=study,
                             other_row=seen[key])
    seen[key] = position
    cells = {column: _number(record[column], row=position, column=column, study=study) for column in needed}
    _check_row(measure, cells, row=position, study=study)
    return study, group, cells


def read_study_table(frame, measure: str, subgroup: str | None = None) -> StudyTable:
    """Check a DataFrame of studies for ``measure`` and return it as a :class:`StudyTable`.

    Raises :class:`StudyDataError` (an :class:`InputError`) naming the row, column and study of every bad row
    (the first problem of each); a missing column or an empty table raises :class:`InputError`.
    """
    measure = str(measure).upper()
    names = [str(c).strip() for c in frame.columns]
    needed = required_columns(measure, names)
    for column in ("study",) + needed + ((subgroup,) if subgroup else ()):
        if column not in names:
            what = "the subgroup column" if column == subgroup else f"measure {measure}"
            raise InputError(
                f"missing column '{column}' (needed by {what}; the table has: {', '.join(names) or 'no columns'})",
                column=column)
    if len(frame) == 0:
        raise InputError("the study table has no rows")
    frame = frame.set_axis(names, axis=1)

    studies, groups, data = [], [], []
    values = {column: [] for column in needed}
    seen: dict[tuple, int] = {}
    bad_rows: list[StudyDataError] = []
    for position, record in enumerate(frame.to_dict("records"), start=1):
        try:
            study, group, cells = _read_row(record, position, measure, needed, subgroup, seen)
        except StudyDataError as exc:
            bad_rows.append(exc)
            continue
        studies.append(study)
        groups.append(group)
        data.append({column: _as_given(number) for column, number in cells.items()})
        for column, number in cells.items():
            values[column].append(number)

    if bad_rows:
        first = bad_rows[0]
        raise StudyDataError(first.problem, row=first.row, column=first.column, study=first.study,
                             other_row=first.other_row, others=bad_rows[1:])
    columns = {column: np.asarray(numbers, dtype=float) for column, numbers in values.items()}
    if measure == "GEN" and "se" in columns:
        columns["vi"] = columns["se"] ** 2
    return StudyTable(measure, tuple(studies), tuple(groups), columns, tuple(data))
