"""``sysrev rob``: RoB 2 forms — new, check, table, compare, plot.

The RoB 2 modules are imported by the commands that use them, so ``sysrev rob --help`` stays fast
(benchmarks/cli_help.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from sysrev.cli.options import files_project_option, named_project, project_option, writing_under
from sysrev.errors import SysrevError
from sysrev.extraction.study_labels import renamed_study_hint
from sysrev.project import load_project
from sysrev.wording import counted


@click.group()
def rob():
    """RoB 2 risk-of-bias assessments (analysis/rob2/<study>--<outcome>.toml)."""


def _folder(project_dir, folder):
    return Path(folder) if folder else load_project(project_dir).rob_dir


@rob.command("new")
@click.argument("study")
@click.argument("outcome")
@click.option("--assessor", default="", help="Initials or name of the assessor, written into the form.")
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=None,
              help="Write into this folder instead of the project's analysis/rob2/ (e.g. one per assessor).")
@click.option("--force", is_flag=True, help="Overwrite an existing form.")
@project_option
def new(study, outcome, assessor, folder, force, project_dir):
    """Write an empty RoB 2 form for STUDY and OUTCOME."""
    from sysrev.locking import lock_for_path
    from sysrev.rob.form import Assessment, form_path, write_form

    study, outcome = study.strip(), outcome.strip()
    if not study or not outcome:
        raise SysrevError("STUDY and OUTCOME must not be empty (e.g. sysrev rob new \"Park 2013\" pain)")
    target = form_path(_folder(project_dir, folder), study, outcome)
    with lock_for_path(target.parent):  # two assessors creating the same form: one wins, the other is told
        if target.exists() and not force:
            raise SysrevError(f"{target} already exists (use --force to overwrite it)")
        write_form(target, Assessment(study=study, outcome=outcome, assessor=assessor))
    click.echo(f"wrote {target}")
    known = _known_studies(project_dir, folder)
    if known is not None and study not in known:
        click.echo(f"warning: study {study!r} is not in the extraction's studies.csv (labels must match)"
                   f"{renamed_study_hint(study, known)}", err=True)
    outcomes = _known_outcomes(project_dir)
    if outcomes and outcome not in outcomes:
        from sysrev.rob.check import unknown_outcome

        click.echo(f"warning: {unknown_outcome(outcome, outcomes)}", err=True)


@rob.command("check")
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=None,
              help="Check this folder of forms instead of the project's analysis/rob2/.")
@project_option
def check(folder, project_dir):
    """Report missing or inapplicable answers, disagreeing judgements and malformed forms (exit 2 on errors)."""
    from sysrev.rob.check import ERROR, check_folder
    from sysrev.rob.questions import DOMAIN_KEYS

    rob_dir = _folder(project_dir, folder)
    assessments, problems = check_folder(rob_dir, _known_studies(project_dir, folder),
                                         None if folder else _known_outcomes(project_dir))
    for problem in problems:
        click.echo(str(problem))
    for a in sorted(assessments, key=lambda a: (a.outcome, a.study)):
        j = a.judgements()
        cells = "  ".join(f"{k}={j[k] or '?'}" for k in (*DOMAIN_KEYS, "overall"))
        click.echo(f"{a.study} × {a.outcome}: {cells}")
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{counted(len(assessments), 'form')} in {rob_dir}: {counted(errors, 'error')}, "
               f"{counted(warnings, 'warning')}")
    if folder is None:  # the project's own forms: say which included studies have none yet
        from sysrev.living.status import stage_pending_lines

        for line in stage_pending_lines(load_project(project_dir), "rob2"):
            click.echo(line)
    if errors:
        raise SysrevError(f"{counted(errors, 'error')} in the RoB 2 forms")


def _known_outcomes(project_dir) -> set[str]:
    """:func:`sysrev.rob.check.form_outcomes` of the project (none without a project)."""
    from sysrev.rob.check import form_outcomes

    try:
        project = load_project(project_dir)
    except SysrevError:
        return set()
    return form_outcomes(project)


def _known_studies(project_dir, folder) -> set[str] | None:
    """Study labels of the project's studies.csv (None when there is no project or no such file)."""
    from sysrev.extraction.form import STUDIES_FILE, load_form, read_studies

    try:
        project = load_project(project_dir)
    except SysrevError:
        if folder:
            return None
        raise
    path = project.extraction_dir / STUDIES_FILE
    return set(read_studies(path, load_form(project.extraction_dir))) if path.is_file() else None


@rob.command("table")
@click.option("--outcome", default=None, help="Only this outcome.")
@click.option("--json", "as_json", is_flag=True, help="Print {study: {D1…D5, overall}} as JSON (complete forms).")
@project_option
def table(outcome, as_json, project_dir):
    """Print the computed judgements (the forest plot's RoB columns with --json)."""
    from sysrev.rob.form import load_assessments
    from sysrev.rob.questions import DOMAIN_KEYS
    from sysrev.rob.summary import plot_rows, rob_for_forest, select

    project = load_project(project_dir)
    if as_json:
        if outcome is None:
            raise SysrevError("--json needs --outcome (the forest plot shows one outcome)")
        click.echo(json.dumps(rob_for_forest(project, outcome), indent=2, sort_keys=True))
        return
    for label, j in plot_rows(select(load_assessments(project.rob_dir), outcome)):
        click.echo(f"{label}: " + "  ".join(f"{k}={j[k] or '?'}" for k in (*DOMAIN_KEYS, "overall")))


@rob.command("compare")
@click.argument("a", type=click.Path(exists=True))
@click.argument("b", type=click.Path(exists=True))
@click.option("--out", type=click.Path(), default=None,
              help="Write the consensus form (or a folder of them when A and B are folders).")
@files_project_option
def compare(a, b, out, project_dir):
    """Compare two assessors' forms (files, or folders paired by file name) field by field."""
    from sysrev.rob.compare import compare_paths

    with writing_under(named_project(project_dir) if out else None):
        comparisons, notes = compare_paths(a, b, out)
    for comparison in comparisons:
        for line in comparison.report_lines():
            click.echo(line)
    for note in notes:
        click.echo(f"note: {note}")
    disagreements = sum(len(c.differences) for c in comparisons)
    click.echo(f"{counted(len(comparisons), 'form pair')}, {counted(disagreements, 'disagreement')}"
               + (f"; consensus written to {out} (disagreements left empty for a human)" if out else ""))


@rob.command("plot")
@click.option("--traffic-light", "traffic", type=click.Path(dir_okay=False), default=None,
              help="Traffic-light plot file (.png, .svg or .pdf; without a suffix both are written).")
@click.option("--summary", type=click.Path(dir_okay=False), default=None,
              help="Summary bar plot file (.png, .svg or .pdf; without a suffix both are written).")
@click.option("--outcome", default=None, help="Only this outcome (default: all forms).")
@click.option("--weights", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Weight the summary plot: CSV study,weight, or a `sysrev meta run` results JSON "
                   "(analysis/results/<name>.json; a study's rows are summed).")
@project_option
def plot(traffic, summary, outcome, weights, project_dir):
    """robvis-style figures of the computed judgements."""
    from sysrev.rob.form import load_assessments
    from sysrev.rob.plots import save_figure, summary_bars, traffic_light  # matplotlib only when drawing
    from sysrev.rob.summary import load_weights, plot_rows, select, weights_by_study

    if not traffic and not summary:
        raise SysrevError("nothing to draw: give --traffic-light FILE and/or --summary FILE")
    project = load_project(project_dir)
    assessments = select(load_assessments(project.rob_dir), outcome)
    if not assessments:
        raise SysrevError(f"no RoB 2 forms{' for outcome ' + repr(outcome) if outcome else ''} in {project.rob_dir}")
    rows = plot_rows(assessments)
    written = []
    if traffic:
        written += save_figure(traffic_light(rows), traffic)
    if summary:
        w = load_weights(weights) if weights else None
        if w is not None and len({a.outcome for a in assessments}) > 1:
            raise SysrevError("--weights needs --outcome: weights belong to one analysis")
        if w is not None:
            w = weights_by_study(w, [label for label, _ in rows])
        written += save_figure(summary_bars(rows, w), summary)
    for path in written:
        click.echo(f"wrote {path}")
