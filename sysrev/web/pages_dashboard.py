"""The dashboard: the whole pipeline at a glance, and what waits for whom."""

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
            stages.append(summary)
    return render_template("dashboard.html", stages=stages, runs=_last_runs(project), analyses=_analyses(project),
                           problems=problems)


def _last_runs(project) -> list[dict]:
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
        latest[name] = {"name": name, "folder": folder.name, "database": data.get("database", ""),
                        "retrieved": data.get("retrieved_count"), "when": data.get("created", ""),
                        "gaps": len(data.get("gaps") or [])}
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
        rows.append({"name": outcome.spec.name, "title": outcome.spec.title, "status": outcome.status,
                     "detail": f"{counts['comparisons_complete']} of {counts['comparisons']} comparisons complete; "
                               f"{counts['cells_missing']} cells missing",
                     "studies_missing": counts["studies_missing"]})
    return rows
