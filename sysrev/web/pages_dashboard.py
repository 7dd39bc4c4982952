"""The dashboard: the whole pipeline at a glance, and what waits for whom.

Every figure comes from the functions behind `sysrev status` (:mod:`sysrev.living.status`) and `sysrev meta
run`, so the page and the terminal never disagree: records per screening stage, how many each reviewer has
left, conflicts to settle, where the signed-in reviewer stands against the stopping rule at title/abstract,
the last run of each search strategy, the included studies still missing an extraction row or a RoB 2 form for
an analysed outcome (exemptions honoured), and each analysis's status.
"""

from __future__ import annotations

import json

from flask import Blueprint, g, render_template

from sysrev.errors import SysrevError
from sysrev.screening.config import STAGES
from sysrev.screening.summary import stage_summary
from sysrev.web.state import reviewer_queue, visible_conflicts

blueprint = Blueprint("dashboard", __name__)


@blueprint.route("/")
def index():
    project = g.project
    problems = []
    stages = []
    try:
        screening = g.cache.screening()
    except SysrevError as exc:
        screening = None
        problems.append(str(exc))
    if screening is not None:
        for stage in STAGES:
            summary = stage_summary(screening, stage)
            queue = reviewer_queue(screening, stage, g.reviewer)
            summary["mine_left"] = queue.left
            summary["my_conflicts"] = len(visible_conflicts(screening, stage, g.reviewer))
            # Who the stage waits for: how many records each reviewer has left (counts only, never decisions).
            summary["left_by_reviewer"] = {r: reviewer_queue(screening, stage, r).left
                                           for r in screening.config.reviewers}
            stages.append(summary)
    studies, studies_problem = _studies(project, screening)
    if studies_problem:
        problems.append(studies_problem)
    return render_template("dashboard.html", stages=stages, runs=_searches(project), analyses=_analyses(project),
                           studies=studies, problems=problems,
                           stopping=None if screening is None else _my_stopping(screening, g.reviewer))


def _my_stopping(screening, reviewer) -> str | None:
    """Where ``reviewer`` stands against the stopping rule at title/abstract, in the words of `sysrev screen
    status`; None before their first decision there. Only the signed-in reviewer's own: a co-reviewer's figures
    are computed from that reviewer's decisions, which screening keeps blind. (The app reads the logs strictly:
    with a row that cannot be counted there is no screening state, and so no claim on part of a log.)"""
    if not screening.stages["title_abstract"].latest.get(reviewer):
        return None
    return g.cache.stopping(screening, reviewer).sentence()


def _studies(project, screening):
    """``(pending report as a dict, problem)``: the included studies and what each still lacks, as `sysrev
    status` lists them (extraction and RoB 2 per outcome of analyses.toml; exemptions.csv honoured), from the
    app's screening state (None when it cannot be read: the report reads the logs itself and says why)."""
    if not project.analyses_path.is_file():
        return None, None
    from sysrev.living.status import pending_report

    try:
        report = pending_report(project, screening=screening)
    except SysrevError as exc:
        return None, str(exc)
    return {"included": report.studies, "pending": report.pending, "exempted": report.exempted,
            "notes": report.notes + report.not_included}, None


def _searches(project) -> list[dict]:
    """The last run of each search strategy and of each name imported with `sysrev import` (as `sysrev
    status` lists them); when the strategy files cannot be read, the newest snapshot of each search name."""
    from sysrev.living.status import search_status

    strategies, imports = search_status(project)
    if any("error" in s for s in strategies):
        return _latest_snapshots(project)
    imports = [dict(s, database="imported export" if s["database"] == "file" else s["database"]) for s in imports]
    return [{"name": s["name"], "database": s["database"], "runs": s["runs"], "when": s["last_run_date"] or "",
             "retrieved": s["last_run_records"], "draft": s.get("draft", False)} for s in strategies + imports]


def _latest_snapshots(project) -> list[dict]:
    """The newest snapshot of each search (folder name ``<UTC stamp>-<name>``), with its counts."""
    latest = {}
    runs_dir = project.runs_dir
    if not runs_dir.is_dir():
        return []
    for folder in sorted(p for p in runs_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        manifest = folder / "manifest.json"
        if not manifest.is_file():
            continue
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            continue
        name = data.get("name") or folder.name.split("-", 1)[-1]
        runs = latest.get(name, {}).get("runs", 0) + 1
        latest[name] = {"name": name, "database": data.get("database", ""), "runs": runs,
                        "retrieved": data.get("retrieved_count"), "when": data.get("created", "")}
    return sorted(latest.values(), key=lambda r: r["name"])


def _analyses(project) -> list[dict]:
    """Each analysis with its status and what it still lacks, as `sysrev meta run` computes them."""
    if not project.analyses_path.is_file():
        return []
    from sysrev.analyses.run import run_project

    try:
        outcomes = run_project(project, write=False)
    except SysrevError as exc:
        return [{"name": "(analyses)", "status": "error", "detail": str(exc)}]
    rows = []
    for outcome in outcomes:
        counts = outcome.to_dict(project.root)["counts"]
        rows.append({"name": outcome.spec.name, "status": outcome.status,
                     "detail": f"{counts['comparisons_complete']} of {counts['comparisons']} comparisons complete; "
                               f"{counts['cells_missing']} cells missing",
                     "studies_missing": counts["studies_missing"]})
    return rows
