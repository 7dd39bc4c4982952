"""`sysrev meta run`: compute every analysis of a project and say where each stands against its target."""

import json
import sys

import click

from sysrev.cli.options import project_option
from sysrev.locking import project_lock
from sysrev.project import load_project
from sysrev.wording import counted


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@project_option
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list, one object per analysis (name, status, target, result, missing, …).")
@click.option("--max-missing", type=click.IntRange(min=0), default=None,
              help="List at most this many missing cells per analysis in the summary (default: all).")
@click.option("--strict", is_flag=True,
              help="Fail (exit code 2) while an included study lacks extraction or a RoB 2 form for an analysed "
                   "outcome and is not exempted in analysis/exemptions.csv.")
def run(names, project_dir, as_json, max_missing, strict):
    """Run the project's analyses (analysis/analyses.toml), or only those NAMEd, on its extraction files.

    Writes analysis/results/<name>.json and, when anything could be pooled, forest plots (SVG, PNG). Each
    analysis is reported as reproduced, differs, partial (pooled on the complete studies only) or incomplete
    (nothing to pool yet), with every missing cell and where to find it. Exit code 0 whatever the status.

    Then every included study still pending for an analysed outcome is listed (docs/living.md), so a new
    study cannot silently stay out of the pooled result; with --strict that is an error (exit code 2).
    """
    # Imported here: pandas/scipy/matplotlib would otherwise slow down every `sysrev` command's start.
    from sysrev.analyses import run_project
    from sysrev.analyses.spec import load_analyses
    from sysrev.analyses.summary import format_summary
    from sysrev.living.status import format_pending, pending_report

    project = load_project(project_dir)
    with project_lock(project.root):  # analysis/results/ is rewritten from the extraction files
        outcomes = run_project(project, names)
    if as_json:
        click.echo(json.dumps([o.to_dict(project.root) for o in outcomes], indent=2, ensure_ascii=False))
    else:
        click.echo(format_summary(outcomes, project.root, max_missing))
    analysed = {o.spec.outcome for o in outcomes}
    report = pending_report(project, [o.spec for o in outcomes], all_specs=load_analyses(project))
    report.pending = [p for p in report.pending if p.stage == "study" or p.outcome in analysed]
    # --json keeps stdout pure JSON: pending items then go to stderr, and only under --strict.
    if report.pending and (strict or not as_json) or (report.studies and not as_json):
        click.echo(format_pending(report, limit=None if strict else 12), err=as_json or strict)
    for warning in report.not_included:  # pooled, yet not included: the forest plot would show it
        click.echo(f"warning: {warning}", err=True)
    if strict and report.pending:
        click.echo(f"error: --strict: {counted(len(report.pending), 'pending item')} for included studies (above); "
                   "extract them, add RoB 2 forms, or exempt them with a reason in analysis/exemptions.csv",
                   err=True)
    if strict and report.not_included:
        click.echo(f"error: --strict: {counted(len(report.not_included), 'study', 'studies')} read by the analyses "
                   "but not included at full text (above)", err=True)
    if strict and (report.pending or report.not_included):
        sys.exit(2)
