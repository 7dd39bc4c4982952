"""The evidence: every analysis with its status against its target, pooled result, forest and funnel plots.

The forest plots are the files ``sysrev meta run`` writes (``analysis/results/<name>.svg``); the page's
"Run the analyses" button calls the same function as that command. The funnel plot is drawn from the
analysis's current result. Where a release exists (``releases/<VERSION>/``, `sysrev release`), each analysis
also shows what changed since the latest one, as `sysrev diff` computes it (:mod:`sysrev.living.diff`): the
flags in words, the numbers before → after, and the studies added, removed or changed.
"""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, g, redirect, render_template, send_file, url_for

from sysrev.analyses.run import run_project
from sysrev.analyses.summary import format_result

blueprint = Blueprint("evidence", __name__)


@blueprint.route("/evidence")
def index():
    analyses = []
    changes = None
    if g.project.analyses_path.is_file():
        outcomes = run_project(g.project, write=False)
        changes = _since_last_release(g.project, outcomes)
        for outcome in outcomes:
            name = outcome.spec.name
            forest = g.project.results_dir / f"{name}.svg"
            analyses.append({
                "name": name, "title": outcome.spec.title, "status": outcome.status,
                "summary": format_result(outcome.spec, outcome.result) if outcome.result else "",
                "target": outcome.spec.target.to_dict() if outcome.spec.target else None,
                "missing": outcome.to_dict(g.project.root)["counts"],
                "forest": forest.is_file() and outcome.result is not None,
                "funnel": outcome.result is not None and len(outcome.result.get("studies") or []) >= 3,
                "notes": outcome.notes, "changed": (changes or {}).get("analyses", {}).get(name)})
    return render_template("evidence.html", analyses=analyses, changes=changes)


def _since_last_release(project, outcomes) -> dict | None:
    """What changed between the latest release and the working state (None without a release): the diff of
    `sysrev diff`, with each analysis's rows formatted as that command prints them."""
    from sysrev.living.diff import WORKING, diff_versions, load_version, study_lines, table_rows
    from sysrev.living.release import list_releases

    releases = list_releases(project)
    if not releases:
        return None
    diff = diff_versions(load_version(project, releases[-1]), load_version(project, WORKING, outcomes))
    by_name = {a["name"]: {**a, "rows": table_rows(a), "study_lines": study_lines(a, "")}
               for a in diff["analyses"]}
    return {"release": releases[-1], "studies_added": diff["studies_added"],
            "studies_removed": diff["studies_removed"], "analyses": by_name,
            "gone": [a for name, a in by_name.items() if name not in {o.spec.name for o in outcomes}]}


@blueprint.route("/evidence/run", methods=["POST"])
def run():
    run_project(g.project, write=True)
    return redirect(url_for("evidence.index"))


@blueprint.route("/evidence/<name>/forest.svg")
def forest(name):
    path = g.project.results_dir / f"{name}.svg"
    known = {outcome.spec.name for outcome in run_project(g.project, write=False)}
    if name not in known or not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/svg+xml")


@blueprint.route("/evidence/<name>/funnel.svg")
def funnel(name):
    from sysrev.meta.plots.funnel import funnel_figure

    outcome = next((o for o in run_project(g.project, write=False) if o.spec.name == name), None)
    if outcome is None or outcome.result is None:
        abort(404)
    buffer = io.BytesIO()
    funnel_figure(outcome.result, title=outcome.spec.title).savefig(buffer, format="svg", bbox_inches="tight")
    return Response(buffer.getvalue(), mimetype="image/svg+xml")
