"""Cumulative meta-analysis: the pooled result recomputed each time one more study is added, in a given order.

Ordered by publication year (or by the date each study entered a living review), the sequence shows how the
evidence built up and when it settled (Lau et al. 1992, N Engl J Med 327:248). The result of step i is the
analysis of the first i studies with the *same* settings as the full analysis, computed by the same engine
(:func:`sysrev.meta.analysis.analyse_group`), so every method the engine has (inverse variance with a fixed
effect or any τ² estimator, HKSJ, Mantel–Haenszel, Peto) is available. This is metafor's ``cumul()``:

* the order is stable — studies with the same year keep their order in the table (R's ``order()``);
* a study without an estimate (no events in both arms, for RR/OR) gets no step, as metafor's default
  ``na.action = "na.omit"``, and is listed in ``not_estimable``;
* for the first step (one study) heterogeneity does not apply: τ², Q's p value, I² and H² are None where
  metafor prints 0, 1, 0 and 1 (the convention of :func:`sysrev.meta.meta_analysis` for one study).

Order values are numbers (a year) or ISO dates (``2024-03-01``), all of one kind; a missing value is an
error naming the row, because silently putting a study first or last would change every later step.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from sysrev.errors import InputError
from sysrev.meta.analysis import analyse_group
from sysrev.meta.inputs import StudyDataError
from sysrev.meta.result import MetaResult

#: Per-step statistics (the fields of one pooled result) kept in each cumulative row.
STEP_FIELDS = ("k", "estimate", "ci_low", "ci_high", "se", "z", "p", "ci", "tau2", "tau", "I2", "I2_revman",
               "H2", "Q", "Q_df", "Q_p", "pi_low", "pi_high")


@dataclass(frozen=True)
class CumulativeResult:
    """The steps of a cumulative meta-analysis (reporting scale, as ``MetaResult.to_dict()``)."""

    result: MetaResult
    order_by: str
    descending: bool
    steps: list[dict]
    not_estimable: list[str]

    def to_dict(self) -> dict:
        """The ``sysrev meta cumulative --json`` object: the analysis header, the order and one row per step."""
        full = self.result.to_dict()
        header = {key: full[key] for key in ("measure", "method", "model", "tau2_method", "ci_method", "level",
                                             "smd", "zero", "scale")}
        return {**header, "order_by": self.order_by, "descending": self.descending,
                "k_total": len(self.steps) + len(self.not_estimable), "steps": self.steps,
                "not_estimable": self.not_estimable}


def parse_order_values(values, column: str, studies) -> list:
    """Order values as numbers or dates (all of one kind); an empty or unreadable cell is a StudyDataError."""
    parsed, kinds = [], set()
    for row, (value, study) in enumerate(zip(values, studies), start=1):
        text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()
        if not text:
            raise StudyDataError("no order value: every study needs one to be placed in the sequence", row=row,
                                 column=column, study=study)
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is not None and math.isfinite(number):
            parsed.append(number)
            kinds.add("number")
            continue
        try:
            parsed.append(dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text))
        except ValueError:
            raise StudyDataError(f"order value '{text}' is neither a number (a year) nor a date (YYYY-MM-DD)",
                                 row=row, column=column, study=study) from None
        kinds.add("date")
    if len(kinds) > 1:
        raise InputError("order values mix numbers and dates; use one kind for every study", column=column)
    return parsed


def stable_order(values, descending: bool = False) -> list[int]:
    """Indices that sort ``values`` (stable: ties keep their input order, also when descending)."""
    indexed = list(range(len(values)))
    if descending:
        return sorted(indexed, key=lambda i: values[i], reverse=True)  # Python's sort is stable either way
    return sorted(indexed, key=lambda i: values[i])


def _label(value) -> str | float:
    return value.isoformat() if isinstance(value, dt.date) else (int(value) if float(value).is_integer() else value)


def cumulative_analysis(result: MetaResult, order_values, *, order_by: str = "order",
                        descending: bool = False) -> CumulativeResult:
    """Cumulative meta-analysis of ``result``'s studies in the order of ``order_values`` (one per table row).

    ``order_values`` are numbers or dates (see :func:`parse_order_values`); each step pools the first i
    estimable studies with ``result``'s settings. Subgroups are ignored: the sequence is of the whole table.
    """
    effects, settings = result.effects, result.settings
    studies = effects.table.studies
    values = parse_order_values(order_values, order_by, studies)
    order = stable_order(values, descending)
    estimable = effects.estimable
    not_estimable = [studies[i] for i in order if not estimable[i]]
    # Mantel–Haenszel/Peto on raw counts (metafor's zero rule) pool rows that have no per-study estimate; a
    # step is only taken at a study that has one, the others join the pool when their turn comes.
    steps, included = [], np.zeros(len(studies), bool)
    for i in order:
        included[i] = True
        if not estimable[i]:
            continue
        group = analyse_group(effects.select(included), settings).to_dict(result.report)
        step = {"study": studies[i], "order": _label(values[i]), "subgroup": effects.table.subgroups[i],
                "yi": float(effects.yi[i]), "vi": float(effects.vi[i])}
        step.update({name: group[name] for name in STEP_FIELDS})
        steps.append(step)
    return CumulativeResult(result, order_by, descending, steps, not_estimable)


def cumulative(data, order_by: str, measure: str, *, descending: bool = False, **options) -> CumulativeResult:
    """Cumulative meta-analysis of a study table (pandas DataFrame) ordered by its column ``order_by``.

    ``options`` are those of :func:`sysrev.meta.meta_analysis` except ``subgroup`` (a cumulative sequence is of
    the whole table). A missing ``order_by`` column or cell raises :class:`sysrev.errors.InputError`.
    """
    from sysrev.meta import meta_analysis

    if order_by not in data.columns:
        raise InputError(f"no column '{order_by}' to order the studies by "
                         f"(columns: {', '.join(map(str, data.columns))})",
                         column=order_by)
    result = meta_analysis(data, measure, **options)
    return cumulative_analysis(result, list(data[order_by]), order_by=order_by, descending=descending)


def format_cumulative_table(summary: dict) -> str:
    """The readable table of ``sysrev meta cumulative``: one line per added study (reporting scale)."""
    from sysrev.meta.plots import text as t
    from sysrev.meta.table import METHOD_NAMES, format_p

    model = "Fixed" if summary["model"] == "fixed" else f"Random ({summary['tau2_method']})"
    steps = summary["steps"]
    values = [abs(v) for s in steps for v in (s["ci_low"], s["ci_high"]) if v is not None]
    decimals = 2 if max(values, default=1) < 100 else 1
    level = t.level_text(summary["level"])
    title = (f"Cumulative meta-analysis: {t.MEASURE_NAMES[summary['measure']]} "
             f"({METHOD_NAMES[summary['method']]}, {model}, {level}% CI), studies added in "
             f"{'descending' if summary['descending'] else 'ascending'} order of '{summary['order_by']}'")
    lines = [title, ""]
    rows = [("Study added", summary["order_by"], "k", f"Estimate [{level}% CI]", "P", "Tau²", "I²")]
    for s in steps:
        rows.append((s["study"], str(s["order"]), str(s["k"]),
                     t.effect_with_ci(s["estimate"], s["ci_low"], s["ci_high"], decimals),
                     format_p(s["p"]).removeprefix("P ").removeprefix("= "),
                     "" if s["tau2"] is None else f"{s['tau2']:.4f}",
                     "" if s["I2"] is None else f"{s['I2']:.0f}%"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        lines.append("  ".join(cell.ljust(w) if i in (0, 1, 3) else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(r, widths))).rstrip())
    if summary["not_estimable"]:
        lines.append("")
        lines.append(f"Not estimable (no step): {', '.join(summary['not_estimable'])}")
    return "\n".join(lines) + "\n"
