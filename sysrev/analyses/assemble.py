"""From extraction rows to the per-study rows an analysis pools, and an exact list of what is missing.

The extraction holds one row per study × arm × outcome × item × time point. An analysis needs one row per
study comparison (group 1 arm beside group 2 arm) with every cell its measure needs: n, mean and SD for
MD/SMD; events and n for RR/OR/RD/Peto. A comparison with any of those cells empty is *not* pooled; each
gap becomes a :class:`MissingCells` entry that tells a reviewer which study, arm, time point and cells to
look up, and where ("Park 2013, full text (table not known), VNS 0-10 at 2 weeks, US arm: mean, SD").
Rows that belong to another analysis (a time point or item outside the analysis's subgroups, a third arm)
are listed as excluded with the reason, so nothing leaves an analysis without a trace.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.analyses.spec import AnalysisSpec
from sysrev.errors import InputError
from sysrev.extraction.table import OutcomeRow

CONTINUOUS_CELLS = (("n", "n"), ("mean", "mean"), ("sd", "SD"))
DICHOTOMOUS_CELLS = (("events", "events"), ("n", "n"))
_TABLE_REF = re.compile(r"\b(?:Table|Tab\.|Figure|Fig\.?|Supplement\w*|Appendix)\s*[A-Za-z0-9]", re.IGNORECASE)
UNKNOWN_PLACE = "full text (table not known)"


@dataclass(frozen=True)
class MissingCells:
    """Cells one comparison lacks: for one arm (``arm`` set) or for the row as a whole (``arm`` None)."""

    study: str
    label: str
    subgroup: str | None
    what: str       # the scale, or the item for dichotomous outcomes
    timepoint: str
    arm: str | None
    cells: tuple
    where: str
    source_url: str
    path: Path | None
    line: int | None

    def describe(self) -> str:
        """One line a reviewer can act on, e.g. 'Park 2013, Table 2, VNS at 2 weeks, US arm: mean, SD'."""
        at = f" at {self.timepoint}" if self.timepoint else ""
        whose = f", {self.arm} arm" if self.arm else ""
        return f"{self.study}, {self.where}, {self.what}{at}{whose}: {', '.join(self.cells)}"

    def to_dict(self, root: Path | None = None) -> dict:
        """JSON form; ``file`` relative to ``root`` (the project) when given, so results files are portable."""
        return {
            "study": self.study, "row": self.label, "subgroup": self.subgroup, "timepoint": self.timepoint,
            "what": self.what, "arm": self.arm, "cells": list(self.cells), "where": self.where,
            "source_url": self.source_url, "file": relative_path(self.path, root) if self.path else None,
            "line": self.line,
            "text": self.describe(),
        }


@dataclass(frozen=True)
class ExcludedRow:
    """An extraction row of the analysis's outcome that the analysis does not use, and why."""

    study: str
    item: str
    timepoint: str
    arm: str
    reason: str
    path: Path
    line: int

    def describe(self) -> str:
        parts = [p for p in (self.item, self.timepoint) if p]
        return f"{self.study}{' (' + ', '.join(parts) + ')' if parts else ''}, {self.arm} arm: {self.reason}"

    def to_dict(self, root: Path | None = None) -> dict:
        return {"study": self.study, "item": self.item, "timepoint": self.timepoint, "arm": self.arm,
                "reason": self.reason, "file": relative_path(self.path, root), "line": self.line,
                "text": self.describe()}


@dataclass
class AnalysisData:
    """What an analysis has to work with: complete comparisons (engine input rows) and every gap."""

    complete: list = field(default_factory=list)     # dicts in the engine's input columns (+ "subgroup")
    incomplete: list = field(default_factory=list)   # labels of comparisons that cannot be pooled yet
    missing: list = field(default_factory=list)      # MissingCells
    excluded: list = field(default_factory=list)     # ExcludedRow

    @property
    def missing_cell_count(self) -> int:
        return sum(len(m.cells) for m in self.missing)

    @property
    def studies_missing(self) -> list[str]:
        """Studies with at least one comparison that cannot be pooled yet, in order of appearance."""
        return list(dict.fromkeys(m.study for m in self.missing))

    @property
    def studies_complete(self) -> list[str]:
        return list(dict.fromkeys(row["_study"] for row in self.complete))


def relative_path(path: Path, root: Path | None) -> str:
    """``path`` relative to the project root when it lies inside it (results files stay portable)."""
    try:
        return str(Path(path).relative_to(root)) if root else str(path)
    except ValueError:
        return str(path)


def _where(rows: list[OutcomeRow]) -> str:
    """Where the missing cells are to be found: a table/figure the row's source names, else the full text."""
    for row in rows:
        if row.source and _TABLE_REF.search(row.source):
            return row.source
    return UNKNOWN_PLACE


def _pooled_sd(n1: float, sd1: float, n2: float, sd2: float) -> float:
    """The pooled within-study SD, sqrt(((n1−1)sd1² + (n2−1)sd2²) / (n1 + n2 − 2))."""
    return math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))


def _check_counts(row: OutcomeRow, cells) -> None:
    """Counts (n, events) are whole numbers; the engine would pool 75.5 participants without a word."""
    for attr, _ in cells:
        value = getattr(row, attr)
        if attr in ("n", "events") and not float(value).is_integer():
            raise InputError(f"{attr} = {value:g} is not a whole number (study '{row.study}', arm '{row.arm}')",
                             path=row.path, line=row.line, column=attr)


def _engine_row(spec: AnalysisSpec, label: str, arm1: OutcomeRow, arm2: OutcomeRow) -> dict:
    if spec.is_continuous:
        sd1, sd2 = arm1.sd, arm2.sd
        # Pool only valid SDs: squaring would hide a negative SD, which the engine must see and name.
        if spec.pooled_sd and sd1 > 0 and sd2 > 0 and arm1.n + arm2.n > 2:
            sd1 = sd2 = _pooled_sd(arm1.n, arm1.sd, arm2.n, arm2.sd)
        # "_reported": the SDs as the study reported them, for the forest plot and the exports
        return {"study": label, "n1": arm1.n, "mean1": arm1.mean, "sd1": sd1,
                "n2": arm2.n, "mean2": arm2.mean, "sd2": sd2, "_reported": {"sd1": arm1.sd, "sd2": arm2.sd}}
    return {"study": label, "events1": arm1.events, "n1": arm1.n, "events2": arm2.events, "n2": arm2.n}


def _labels(placed: list[tuple[tuple[str, str, str], str | None]]) -> dict:
    """Row labels, unique within each subgroup (the engine's rule) and no longer than needed.

    A study with one row in its subgroup is labelled by its name, plus the trial's own time point or item in
    brackets when that differs from the subgroup label (``Park 2013 (12 weeks)`` in "3 months"). A study with
    several rows in one subgroup (or in an analysis without subgroups) gets its item and time point.
    """
    count: dict[tuple, int] = {}
    for (study, _, _), subgroup in placed:
        count[(study, subgroup)] = count.get((study, subgroup), 0) + 1
    labels = {}
    for key, subgroup in placed:
        study, item, timepoint = key
        parts = [p for p in (item, timepoint) if p]
        if count[(study, subgroup)] == 1:
            parts = [p for p in parts if subgroup is not None and p != subgroup]
        labels[key] = f"{study} ({', '.join(parts)})" if parts else study
    return labels


def assemble(spec: AnalysisSpec, rows: list[OutcomeRow]) -> AnalysisData:
    """Pair the arms of ``spec.outcome``'s extraction rows, place them in subgroups and sort complete from missing."""
    data = AnalysisData()
    groups: dict[tuple[str, str, str], dict[str, OutcomeRow]] = {}
    for row in rows:
        if row.outcome != spec.outcome:
            continue
        if row.arm not in (spec.group1, spec.group2):
            data.excluded.append(ExcludedRow(row.study, row.item, row.timepoint, row.arm,
                                             f"arm '{row.arm}' is neither group 1 ({spec.group1}) nor group 2 "
                                             f"({spec.group2})", row.path, row.line))
            continue
        groups.setdefault((row.study, row.item, row.timepoint), {})[row.arm] = row

    placed: list[tuple[tuple, str | None]] = []
    for key, arms in groups.items():
        study, item, timepoint = key
        if spec.subgroup is None:
            placed.append((key, None))
            continue
        value = timepoint if spec.subgroup == "timepoint" else item
        label = spec.subgroup_of(value) if value else None
        if value and label is None:
            for row in arms.values():
                data.excluded.append(ExcludedRow(study, item, timepoint, row.arm,
                                                 f"{'time point' if spec.subgroup == 'timepoint' else 'item'} "
                                                 f"'{value}' is not in any subgroup of this analysis",
                                                 row.path, row.line))
            continue
        placed.append((key, label))

    order = list(spec.subgroups)
    placed.sort(key=lambda kl: order.index(kl[1]) if kl[1] in order else len(order))  # stable: file order kept
    labels = _labels(placed)
    cells = CONTINUOUS_CELLS if spec.is_continuous else DICHOTOMOUS_CELLS
    for key, subgroup in placed:
        study, item, timepoint = key
        arms = groups[key]
        present = list(arms.values())
        first = present[0]
        what = item or (first.scale if spec.is_continuous and first.scale else spec.outcome)
        if spec.is_continuous and item:
            what = f"{first.scale or spec.outcome}, {item}"
        common = dict(study=study, label=labels[key], subgroup=subgroup, what=what, timepoint=timepoint,
                      where=_where(present), source_url=first.source_url)
        gaps = []
        if spec.subgroup is not None and subgroup is None:
            column = "time point" if spec.subgroup == "timepoint" else "item"
            gaps.append(MissingCells(arm=None, cells=(column,), path=first.path, line=first.line, **common))
        for arm in (spec.group1, spec.group2):
            row = arms.get(arm)
            lacking = tuple(name for attr, name in cells if row is None or getattr(row, attr) is None)
            if lacking:
                at = row or first
                gaps.append(MissingCells(arm=arm, cells=lacking, path=at.path, line=at.line, **common))
        if gaps:
            data.missing.extend(gaps)
            data.incomplete.append(labels[key])
            continue
        for arm in (spec.group1, spec.group2):
            _check_counts(arms[arm], cells)
        engine_row = _engine_row(spec, labels[key], arms[spec.group1], arms[spec.group2])
        if spec.subgroup is not None:
            engine_row["subgroup"] = subgroup
        engine_row["_study"] = study
        engine_row["_rows"] = [(arms[a].path, arms[a].line) for a in (spec.group1, spec.group2)]
        data.complete.append(engine_row)
    return data
