"""`sysrev export`: included studies, screening decisions, analysis data and metafor scripts, for leaving or
publishing. Each command writes into the project's exports/ folder unless --out names a file ('-': print)."""

from pathlib import Path

import click

from sysrev.cli.options import project_option
from sysrev.fileio import atomic_write_text
from sysrev.project import load_project
from sysrev.wording import counted

EXTENSIONS = {"ris": "ris", "bibtex": "bib", "csv": "csv"}


_out_option = click.option("--out", default=None, metavar="FILE",
                           help="Write here instead of the project's exports/ folder; '-' prints it.")


def _emit(text: str, out, default: Path, what: str) -> None:
    if out == "-":
        click.echo(text, nl=False)
        return
    path = atomic_write_text(Path(out) if out else default, text)
    click.echo(f"wrote {what} to {path}")


def _format_for(fmt: str | None, out: str | None) -> str:
    """The format asked for, else the one the --out file's extension names, else RIS; a format that
    contradicts the extension is a usage error (an "included.csv" holding RIS opens as garbage in Excel)."""
    by_extension = {ext: name for name, ext in EXTENSIONS.items()}
    named = by_extension.get(Path(out).suffix.lower().lstrip(".")) if out and out != "-" else None
    if fmt and named and fmt != named:
        raise click.UsageError(f"--format {fmt} does not match --out {out} (a .{EXTENSIONS[named]} file); "
                               f"give --format {named}, or an --out ending in .{EXTENSIONS[fmt]}")
    return fmt or named or "ris"


@click.group("export")
def export():
    """Export included studies, decisions, analysis data and R scripts."""


@export.command("included")
@click.option("--format", "fmt", type=click.Choice(list(EXTENSIONS)), default=None,
              help="Default: the --out file's extension (.ris, .bib, .csv), else ris.")
@_out_option
@project_option
def included(fmt, out, project_dir):
    """The studies included at full text (RIS, BibTeX or CSV)."""
    from sysrev.export.references import WRITERS
    from sysrev.export.screening import included_records

    fmt = _format_for(fmt, out)
    project = load_project(project_dir)
    records = included_records(project)
    _emit(WRITERS[fmt](records), out, project.root / "exports" / f"included.{EXTENSIONS[fmt]}",
          counted(len(records), "included record"))


@export.command("decisions")
@_out_option
@project_option
def decisions(out, project_dir):
    """Every screening decision with its reason, reviewer and time, and each stage's final decision (CSV)."""
    from sysrev.export.screening import decisions_csv

    project = load_project(project_dir)
    _emit(decisions_csv(project), out, project.root / "exports" / "decisions.csv", "the screening decisions")


@export.command("data")
@click.argument("name")
@_out_option
@project_option
def data(name, out, project_dir):
    """The comparisons analysis NAME pools, as the studies reported them (CSV)."""
    from sysrev.export.analysis import analysis_rows, analysis_spec, data_csv

    project = load_project(project_dir)
    rows = analysis_rows(project, analysis_spec(project, name))
    _emit(data_csv(rows), out, project.root / "exports" / f"{name}-data.csv", counted(len(rows), "comparison"))


@export.command("r")
@click.argument("name")
@_out_option
@project_option
def r(name, out, project_dir):
    """Analysis NAME as an R script that loads its data and reproduces the pooled result with metafor."""
    from sysrev.export.analysis import r_script

    project = load_project(project_dir)
    _emit(r_script(project, name), out, project.root / "exports" / f"{name}.R", f"the metafor script of {name!r}")
