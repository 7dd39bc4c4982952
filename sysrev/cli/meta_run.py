"""`sysrev meta run`: compute every analysis of a project and say where each stands against its target."""

import json

import click

from sysrev.cli.options import project_option
from sysrev.locking import project_lock
from sysrev.project import load_project


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@project_option
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list, one object per analysis (name, status, target, result, missing, …).")
@click.option("--max-missing", type=click.IntRange(min=0), default=None,
              help="List at most this many missing cells per analysis in the summary (default: all).")
def run(names, project_dir, as_json, max_missing):
    """Run the project's analyses (analysis/analyses.toml), or only those NAMEd, on its extraction files.

    Writes analysis/results/<name>.json and, when anything could be pooled, forest plots (SVG, PNG). Each
    analysis is reported as reproduced, differs, partial (pooled on the complete studies only) or incomplete
    (nothing to pool yet), with every missing cell and where to find it. Exit code 0 whatever the status.
    """
    # Imported here: pandas/scipy/matplotlib would otherwise slow down every `sysrev` command's start.
    from sysrev.analyses import run_project
    from sysrev.analyses.summary import format_summary

    project = load_project(project_dir)
    with project_lock(project.root):  # analysis/results/ is rewritten from the extraction files
        outcomes = run_project(project, names)
    if as_json:
        click.echo(json.dumps([o.to_dict(project.root) for o in outcomes], indent=2, ensure_ascii=False))
    else:
        click.echo(format_summary(outcomes, project.root, max_missing))
