"""Judgements of a project's RoB 2 forms in the shapes other stages use: the forest plot's RoB columns,
rows for the robvis-style figures, and study weights for the weighted summary plot."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sysrev.errors import InputError
from sysrev.hand_tables import check_table_end, read_table_text
from sysrev.rob.form import Assessment, load_assessments


def _rob_dir(project_or_dir) -> Path:
    return Path(getattr(project_or_dir, "rob_dir", project_or_dir))


def select(assessments: list[Assessment], outcome: str | None) -> list[Assessment]:
    """The assessments of one outcome (exact name first, else case-insensitive), or all when None."""
    if outcome is None:
        return list(assessments)
    exact = [a for a in assessments if a.outcome == outcome]
    return exact or [a for a in assessments if a.outcome.lower() == outcome.lower()]


def rob_for_forest(project_or_dir, outcome: str) -> dict[str, dict[str, str]]:
    """``{study: {"D1": …, …, "D5": …, "overall": …}}`` for one outcome, values "low" / "some concerns" /
    "high" — the shape ``forest_plot(..., rob=...)`` takes. Only complete assessments are included (an
    incomplete one has no overall judgement yet; ``sysrev rob check`` lists what is missing).

    ``project_or_dir`` is a :class:`sysrev.project.Project` or a folder of forms.
    """
    out: dict[str, dict[str, str]] = {}
    for a in select(load_assessments(_rob_dir(project_or_dir)), outcome):
        judgements = a.judgements()
        if all(v is not None for v in judgements.values()):
            out[a.study] = judgements
    return out


def plot_rows(assessments: list[Assessment]) -> list[tuple[str, dict]]:
    """(label, judgements) rows for the figures; the label adds the outcome when several are shown."""
    several = len({a.outcome for a in assessments}) > 1
    rows = [(f"{a.study} ({a.outcome})" if several else a.study, a.judgements()) for a in assessments]
    return sorted(rows, key=lambda row: row[0])


def load_weights(path) -> dict[str, float]:
    """Row weights from a CSV with columns ``study,weight``, or from a meta-analysis JSON: a ``sysrev meta
    run`` results file (``analysis/results/<name>.json``, rows under ``result.studies``) or any object whose
    ``studies`` entries carry ``study`` and ``weight``. A row the analysis could not estimate (weight null)
    weighs 0. Rows are keyed by their label; :func:`weights_by_study` sums them per study."""
    path = Path(path)
    text = read_table_text(path)
    weights: dict[str, float] = {}
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
            studies = data["studies"] if "studies" in data else (data.get("result") or {})["studies"]
            for entry in studies:
                label = str(entry["study"])
                weights[label] = weights.get(label, 0.0) + float(entry["weight"] or 0.0)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError("expected a JSON object with studies[{study, weight}] (or result.studies[…], as "
                             f"`sysrev meta run` writes) ({type(exc).__name__}: {exc})", path=path) from None
        return weights
    check_table_end(text, path)  # a weight cut short (59.5 -> 59) would be drawn without a word
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or not {"study", "weight"} <= set(reader.fieldnames):
        raise InputError("expected a CSV header with the columns study,weight", path=path, line=1)
    for line, row in enumerate(reader, start=2):
        try:
            weights[row["study"].strip()] = float(row["weight"])
        except (TypeError, ValueError):
            raise InputError(f"weight {row['weight']!r} is not a number", path=path, line=line,
                             column="weight") from None
    return weights


def weights_by_study(weights: dict[str, float], studies: list[str]) -> dict[str, float]:
    """Each study's weight: the sum over the analysis rows labelled by it — the study itself, or the study
    with a time point or item in brackets (``Park 2013 (12 weeks)``), as ``sysrev meta run`` labels rows.
    A study with no such row is left out (the summary plot then names it)."""
    out: dict[str, float] = {}
    for study in studies:
        rows = [w for label, w in weights.items() if label == study or label.startswith(f"{study} (")]
        if rows:
            out[study] = sum(rows)
    return out
