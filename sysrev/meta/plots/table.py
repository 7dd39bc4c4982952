"""The forest plot as a table: its columns and rows, built from a result dict without drawing anything.

A RevMan 5 forest plot is a table with a graph column. This module decides what each row says (study rows,
subgroup headers, subtotals with their heterogeneity and overall-effect lines, the total, the test for
subgroup differences) and what each row draws in the graph (a square or a diamond); :mod:`.forest` only
places and draws it. ``result`` is ``MetaResult.to_dict()`` of :mod:`sysrev.meta` (contract 1).
"""

from dataclasses import dataclass, field

from sysrev.errors import SysrevError
from sysrev.meta.inputs import RATIO_MEASURES
from sysrev.meta.plots import text as t


@dataclass(frozen=True)
class Column:
    """A text column: ``key`` into :attr:`Row.cells`, its heading, and the arm (group) it belongs to."""

    key: str
    heading: str
    group: str = ""
    align: str = "right"


@dataclass(frozen=True)
class Mark:
    """What a row draws in the graph: a ``square`` (study, sized by weight) or a ``diamond`` (pooled)."""

    shape: str
    estimate: float
    low: float
    high: float
    weight: float = 0.0


@dataclass
class Row:
    """One line of the forest plot. ``kind`` is study, header, subtotal, total, events, note or blank."""

    kind: str
    cells: dict = field(default_factory=dict)
    mark: Mark | None = None
    study: str | None = None

    @property
    def bold(self) -> bool:
        return self.kind in {"header", "subtotal", "total"}

    @property
    def spans(self) -> bool:
        """A note or header runs across the numeric columns instead of sitting in the first one."""
        return self.kind in {"header", "note"}


@dataclass
class ForestTable:
    """Columns, rows and headings of one forest plot."""

    columns: list[Column]
    rows: list[Row]
    heading: tuple[str, str]
    ratio: bool


def _arm_columns(measure: str, label1: str, label2: str) -> list[Column]:
    if measure in t.CONTINUOUS_MEASURES:
        fields = [("mean", "Mean"), ("sd", "SD"), ("n", "Total")]
    elif measure in t.DICHOTOMOUS_MEASURES:
        fields = [("events", "Events"), ("n", "Total")]
    else:
        return [Column("yi", "Estimate"), Column("se", "SE")]
    return [Column(f"{key}{arm}", heading, group=label) for arm, label in ((1, label1), (2, label2))
            for key, heading in fields]


def _study_cells(measure: str, data: dict) -> dict:
    """The per-arm input values of one study (``data`` in the result's study entry), formatted later by
    :func:`_format_data_columns` so each column has one number of decimals."""
    if measure == "GEN":
        se = data.get("se")
        if t.is_missing(se) and not t.is_missing(data.get("vi")):
            se = float(data["vi"]) ** 0.5
        return {"yi": data.get("yi"), "se": se}
    return dict(data)


def _format_data_columns(rows: list["Row"], columns: list[Column]) -> None:
    """Turn the study rows' raw input values into text, one number of decimals per column."""
    studies = [row for row in rows if row.kind == "study"]
    for col in columns:
        if col.key in {"study", "weight", "effect"}:
            continue
        for row, text in zip(studies, t.data_column([row.cells.get(col.key) for row in studies])):
            row.cells[col.key] = text
    for row in studies:
        for key, value in row.cells.items():
            if not isinstance(value, str):
                row.cells[key] = t.data_cell(value)


def _sum_cells(measure: str, studies: list[dict]) -> dict:
    """Total participants per arm (continuous and dichotomous), as RevMan's subtotal and total rows show."""
    if measure == "GEN":
        return {}
    cells = {}
    for arm in (1, 2):
        values = [s.get("data", {}).get(f"n{arm}") for s in studies]
        if values and not any(t.is_missing(v) for v in values):
            cells[f"n{arm}"] = t.data_cell(sum(float(v) for v in values))
    return cells


def _events_row(studies: list[dict]) -> Row:
    """``Total events`` under a dichotomous subtotal or total: events per arm summed."""
    cells = {"study": "Total events"}
    for arm in (1, 2):
        values = [s.get("data", {}).get(f"events{arm}") for s in studies]
        if values and not any(t.is_missing(v) for v in values):
            cells[f"events{arm}"] = t.data_cell(sum(float(v) for v in values))
    return Row("events", cells)


def _weight(value) -> str:
    return "" if t.is_missing(value) else t.percent(value, 1)


def _study_row(study: dict, measure: str, decimals: int) -> Row:
    cells = _study_cells(measure, study.get("data") or {})
    estimate, low, high = study.get("estimate"), study.get("ci_low"), study.get("ci_high")
    estimable = not any(t.is_missing(v) for v in (estimate, low, high))
    cells.update(study=str(study["study"]), effect=t.effect_with_ci(estimate, low, high, decimals),
                 weight=_weight(study.get("weight")) if estimable else "")
    mark = Mark("square", estimate, low, high, study.get("weight") or 0.0) if estimable else None
    return Row("study", cells, mark, study=str(study["study"]))


def _summary_rows(kind: str, label: str, summary: dict, studies: list[dict], result: dict,
                  decimals: int) -> list[Row]:
    """The subtotal/total row (diamond), its Total events row, heterogeneity and overall-effect lines."""
    measure = result["measure"]
    estimate, low, high = summary.get("estimate"), summary.get("ci_low"), summary.get("ci_high")
    estimable = not any(t.is_missing(v) for v in (estimate, low, high))
    weights = [s.get("weight") for s in studies if not t.is_missing(s.get("weight"))]
    cells = _sum_cells(measure, studies)
    cells.update(study=label, effect=t.effect_with_ci(estimate, low, high, decimals),
                 weight=t.percent(sum(weights), 1) if weights and estimable else "")
    rows = [Row(kind, cells, Mark("diamond", estimate, low, high) if estimable else None)]
    if measure in t.DICHOTOMOUS_MEASURES:
        rows.append(_events_row(studies))
    statistic = "t" if summary.get("ci", result.get("ci_method")) == "hksj" else "Z"
    rows.append(Row("note", {"study": t.heterogeneity_line(summary, result.get("model"))}))
    rows.append(Row("note", {"study": t.overall_effect_line(summary, statistic=statistic)}))
    return rows


def _check_result(result: dict) -> None:
    if not isinstance(result, dict):
        raise SysrevError(f"a forest plot needs a meta-analysis result dict (MetaResult.to_dict()), "
                          f"got {type(result).__name__}")
    for key in ("measure", "studies"):
        if key not in result:
            raise SysrevError(f"meta-analysis result has no '{key}' (expected MetaResult.to_dict())")
    if not result["studies"]:
        raise SysrevError("meta-analysis result has no studies to plot")
    for i, study in enumerate(result["studies"], start=1):
        if "study" not in study:
            raise SysrevError(f"meta-analysis result: study entry {i} has no 'study' name")


def forest_table(result: dict, *, label1: str, label2: str, decimals: int) -> ForestTable:
    """Lay out ``result`` as RevMan 5 does: per subgroup a header, its studies, a subtotal and its lines;
    then the total, its lines and the test for subgroup differences."""
    _check_result(result)
    measure = result["measure"]
    level = t.level_text(result.get("level", 95))
    studies = result["studies"]
    columns = [Column("study", "Study or Subgroup", align="left"),
               *_arm_columns(measure, label1, label2),
               Column("weight", "Weight"),
               Column("effect", "\n".join(t.effect_heading(result)), align="left")]
    names = list(dict.fromkeys(s.get("subgroup") for s in studies))
    grouped = bool(result.get("subgroups")) and names != [None]
    rows: list[Row] = []
    if grouped:
        for name in names:
            members = [s for s in studies if s.get("subgroup") == name]
            rows.append(Row("header", {"study": str(name)}))
            rows.extend(_study_row(s, measure, decimals) for s in members)
            summary = result["subgroups"].get(str(name)) or result["subgroups"].get(name) or {}
            rows.extend(_summary_rows("subtotal", f"Subtotal ({level}% CI)", summary, members, result,
                                      decimals))
            rows.append(Row("blank"))
    else:
        rows.extend(_study_row(s, measure, decimals) for s in studies)
        rows.append(Row("blank"))
    total = _summary_rows("total", f"Total ({level}% CI)", result, studies, result, decimals)
    rows.extend(total)
    if grouped and result.get("subgroup_test"):
        rows.append(Row("note", {"study": t.subgroup_test_line(result["subgroup_test"])}))
    _format_data_columns(rows, columns)
    return ForestTable(columns, rows, t.effect_heading(result), measure in RATIO_MEASURES)
