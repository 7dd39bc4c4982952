"""Run a project's analyses: pool what is complete, judge it against the published target, save the results.

Status of an analysis (issue 3):

* ``reproduced`` — every comparison complete, and every printed target figure agrees with the computed one
  at the printed precision;
* ``differs`` — every comparison complete, and at least one printed figure disagrees (both are shown);
* ``partial`` — some comparisons complete: pooled on those alone and labelled so; never compared with the
  target, because a partial pool is not the reproduction;
* ``incomplete`` — no comparison complete: nothing to pool;
* ``computed`` — every comparison complete and the analysis has no published target (a review of one's own).

Results go to ``analysis/results/<name>.json`` (and forest plots ``<name>.svg``/``.png`` when something was
pooled), written atomically and without timestamps so that re-running an unchanged project changes no file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sysrev.analyses.assemble import AnalysisData, assemble, relative_path
from sysrev.analyses.citations import load_citations
from sysrev.analyses.spec import AnalysisSpec, select_analyses
from sysrev.analyses.targets import compare, consistency
from sysrev.errors import InputError
from sysrev.extraction.table import load_extraction
from sysrev.fileio import atomic_write_json
from sysrev.meta import meta_analysis
from sysrev.meta.inputs import StudyDataError
from sysrev.rob import rob_for_forest

#: Every status an analysis can have (see the module docstring).
STATUSES = ("reproduced", "differs", "partial", "incomplete", "computed")


@dataclass
class AnalysisOutcome:
    """Everything one run of one analysis produced."""

    spec: AnalysisSpec
    data: AnalysisData
    status: str
    result: dict | None = None
    comparison: list = field(default_factory=list)
    consistency: dict | None = None
    files: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # things the reader should know (e.g. a plot without RoB columns)
    citations: dict = field(default_factory=dict)  # study label -> full reference (studies.csv), for `missing`

    @property
    def comparisons_total(self) -> int:
        return len(self.data.complete) + len(self.data.incomplete)

    def to_dict(self, root: Path | None = None) -> dict:
        """The JSON object of ``sysrev meta run --json`` and of the results file."""
        spec = self.spec
        return {
            "name": spec.name,
            "status": self.status,
            "analysis": spec.describe(),
            "target": spec.target.to_dict() if spec.target else None,
            "result": self.result,
            "missing": [m.to_dict(root) | {"citation": self.citations.get(m.study)} for m in self.data.missing],
            "counts": {
                "comparisons": self.comparisons_total,
                "comparisons_complete": len(self.data.complete),
                "studies_complete": self.data.studies_complete,
                "studies_missing": self.data.studies_missing,
                "cells_missing": self.data.missing_cell_count,
            },
            "comparison": self.comparison,
            "target_consistency": self.consistency,
            "excluded": [e.to_dict(root) for e in self.data.excluded],
            "files": [relative_path(p, root) for p in self.files],
            "notes": self.notes,
        }


def decide_status(spec: AnalysisSpec, data: AnalysisData, comparison: list) -> str:
    """The status of an analysis from its data and its target comparison (see the module docstring)."""
    if not data.complete:
        return "incomplete"
    if data.missing:
        return "partial"
    if spec.target is None:
        return "computed"
    return "reproduced" if all(row["agrees"] for row in comparison) else "differs"


def pool(spec: AnalysisSpec, data: AnalysisData) -> dict:
    """Pool the complete comparisons with the meta-analysis engine; returns ``MetaResult.to_dict()``."""
    frame = pd.DataFrame([{k: v for k, v in row.items() if not k.startswith("_")} for row in data.complete])
    try:
        result = meta_analysis(
            frame, spec.measure, method=spec.method, model=spec.model, tau2=spec.tau2, ci=spec.ci, smd=spec.smd,
            subgroup="subgroup" if spec.subgroup else None, level=spec.level,
        )
    except StudyDataError as exc:
        # The engine names its input rows and columns (e.g. sd2); point the reviewer at the extraction lines.
        located = [_extraction_error(spec, data, problem) for problem in [exc, *exc.others]]
        if len(located) == 1:
            raise located[0] from None
        message = "\nerror: ".join(str(e) for e in located) + f"\nerror: {len(located)} bad rows"
        raise InputError(message) from None
    return _with_reported_values(result.to_dict(), data)


def _with_reported_values(result: dict, data: AnalysisData) -> dict:
    """Each study's input cells as the study reported them: with ``pooled_sd`` the engine pooled a study's two
    SDs into one, but the results file and the forest plot's SD columns show the SDs that were reported."""
    reported = {(row["study"], row.get("subgroup")): row["_reported"] for row in data.complete if "_reported" in row}
    groups = [result] + list((result.get("subgroups") or {}).values())
    for group in groups:
        for study in group.get("studies") or []:
            values = reported.get((study["study"], study.get("subgroup")))
            if values and isinstance(study.get("data"), dict):
                study["data"].update(values)
    return result


def _extraction_error(spec: AnalysisSpec, data: AnalysisData, exc: StudyDataError) -> InputError:
    """The engine's problem with one input row, named by the extraction file and line it came from."""
    arm1, arm2 = data.complete[exc.row - 1]["_rows"]
    path, line = arm2 if exc.column and exc.column.endswith("2") else arm1
    return InputError(f"{exc.problem} (analysis '{spec.name}', study '{exc.study}')", path=path, line=line,
                      column=exc.column and exc.column.rstrip("12"))


def run_analysis(spec: AnalysisSpec, rows) -> AnalysisOutcome:
    """Assemble, pool (when anything is complete), compare and check one analysis. Writes nothing."""
    data = assemble(spec, rows)
    result = pool(spec, data) if data.complete else None
    comparison = compare(spec.target, result) if result and spec.target and not data.missing else []
    outcome = AnalysisOutcome(spec=spec, data=data, status=decide_status(spec, data, comparison), result=result,
                              comparison=comparison)
    if spec.target:
        outcome.consistency = consistency(spec.target, spec.measure, spec.level)
    if not data.complete and not data.incomplete and not data.excluded:
        known = ", ".join(sorted({row.outcome for row in rows})) or "none yet"
        outcome.notes.append(f"no extraction row has outcome '{spec.outcome}' (outcomes in the extraction files: "
                             f"{known}); check `outcome` in {spec.path}, line {spec.line}")
    return outcome


def _rob_columns(project, outcome: AnalysisOutcome) -> dict | None:
    """RoB 2 judgements per plotted row (``analysis/rob2`` forms of the analysis's outcome), or None.

    A plotted row is labelled by study and sometimes time point, so each label takes its study's judgements.
    A malformed RoB form is an error (raised before anything is written): a forest plot silently drawn
    without its risk-of-bias columns would look complete. ``sysrev rob check`` lists every problem.
    """
    judgements = rob_for_forest(project, outcome.spec.outcome)
    rows = {row["study"]: judgements[row["_study"]] for row in outcome.data.complete if row["_study"] in judgements}
    return rows or None


def _plot(project, outcome: AnalysisOutcome, rob: dict | None) -> list[Path]:
    """Forest plots (SVG and PNG) of a pooled analysis, labelled as partial when it is."""
    from sysrev.meta import plots  # matplotlib is loaded only when something is drawn

    if plots.forest_size_problem(outcome.result):
        return []  # too many studies to draw; the JSON result holds them all
    spec = outcome.spec
    title = spec.title
    if outcome.status == "partial":
        title += (f" — PARTIAL: {len(outcome.data.complete)} of {outcome.comparisons_total} comparisons, "
                  "not the reproduction")
    labels = (spec.group1_label, spec.group2_label)
    favours = labels[::-1] if spec.direction == "higher is better" else labels
    paths = []
    for suffix in (".svg", ".png"):
        path = project.results_dir / f"{spec.name}{suffix}"
        plots.forest_plot(outcome.result, path, label1=labels[0], label2=labels[1], favours=favours, title=title,
                          rob=rob)
        paths.append(path)
    return paths


def run_project(project, names=(), *, write: bool = True) -> list[AnalysisOutcome]:
    """Run the project's analyses (all, or those in ``names``); with ``write``, save results and forest plots."""
    specs = select_analyses(project, names)
    rows = load_extraction(project)
    outcomes = [run_analysis(spec, rows) for spec in specs]
    citations = load_citations(project)
    for outcome in outcomes:
        outcome.citations = {study: citations[study] for study in outcome.data.studies_missing if study in citations}
    if write:
        results_dir = project.results_dir
        rob = {o.spec.name: _rob_columns(project, o) for o in outcomes if o.result is not None}
        for outcome in outcomes:
            json_path = results_dir / f"{outcome.spec.name}.json"
            stale = [results_dir / f"{outcome.spec.name}{s}" for s in (".svg", ".png")]
            if outcome.result is not None:
                outcome.files.extend(_plot(project, outcome, rob[outcome.spec.name]))
            else:
                for path in stale:  # an old plot would contradict a status that has nothing to plot
                    path.unlink(missing_ok=True)
            outcome.files.insert(0, json_path)
            atomic_write_json(json_path, outcome.to_dict(project.root))
    return outcomes
