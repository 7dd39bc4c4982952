"""``sysrev fulltext``: find open-access copies of the papers, and read their tables.

The HTTP clients (requests) are imported when ``fetch`` runs, so ``sysrev fulltext --help`` stays fast
(benchmarks/cli_help.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from sysrev.cli.options import project_option
from sysrev.errors import InputError
from sysrev.fileio import atomic_write_text
from sysrev.fulltext.jats import find_table
from sysrev.fulltext.manifest import manifest_path
from sysrev.fulltext.paper import paper_tables
from sysrev.fulltext.render import csv_name, format_table, table_csv
from sysrev.project import load_project
from sysrev.screening.config import STAGES


@click.group()
def fulltext():
    """Open-access full texts: fetch them (PMC, Europe PMC, Unpaywall) and read their tables."""


@fulltext.command("fetch")
@click.option("--stage", type=click.Choice(STAGES), default="full_text", show_default=True,
              help="Fetch for the records this stage screens.")
@click.option("--record", "record_ids", multiple=True, metavar="ID", help="Only this record (repeatable).")
@click.option("--recheck", is_flag=True, help="Ask again for records listed as needing library access.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@project_option
def fetch(stage, record_ids, recheck, as_json, project_dir):
    """Look for a legal open copy of each record; store it and list the rest as needing library access.

    Documents go to fulltext/files/ (left out of git by .gitignore); fulltext/manifest.csv (committed) says
    for each record where its copy came from, under which licence, when, and its checksum. Safe to run
    again: it carries on where it stopped and asks again only for what is not settled.
    """
    from sysrev.fulltext.fetch import fetch_fulltexts, records_to_fetch
    from sysrev.fulltext.services import OpenAccessFinder, load_fulltext_config
    from sysrev.search.progress import Progress

    project = load_project(project_dir)
    records = records_to_fetch(project, stage=stage, record_ids=record_ids)
    finder = OpenAccessFinder(load_fulltext_config())
    with Progress("full texts") as progress:
        summary = fetch_fulltexts(project, records, finder, recheck=recheck, progress=progress)
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
        return
    for entry in summary.retrieved:
        click.echo(f"{entry.record_id}: {entry.format.upper()} from {entry.source} "
                   f"(licence: {entry.licence or 'not stated'})")
    for entry in summary.needs_library_access:
        click.echo(f"{entry.record_id}: needs library access — {entry.doi_link or 'no DOI'}")
    for entry in summary.failed:
        click.echo(f"{entry.record_id}: not settled — {entry.note}", err=True)
    click.echo(f"{len(summary.retrieved)} retrieved, {len(summary.needs_library_access)} need library access, "
               f"{len(summary.failed)} failed (asked again next run), {summary.already} settled earlier; "
               f"manifest: {manifest_path(project)}")


@fulltext.command("show")
@click.argument("record_id")
@click.option("--table", "wanted", default=None, help="Only this table (its label, e.g. 'Table 2', or number).")
@project_option
def show(record_id, wanted, project_dir):
    """Print the paper's tables, numbered as in the paper, rows and columns numbered for picking."""
    project = load_project(project_dir)
    entry, tables = paper_tables(project, record_id)
    if wanted:
        tables = [find_table(tables, wanted)]
    click.echo(f"{record_id}: {entry.file} ({entry.source}; licence: {entry.licence or 'not stated'})")
    if not tables:
        click.echo("no tables in this paper's XML")
    for table in tables:
        click.echo("")
        click.echo(format_table(table))


@fulltext.command("tables")
@click.argument("record_id")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Folder for the CSVs.")
@project_option
def tables(record_id, out_dir, project_dir):
    """Write each of the paper's tables as a CSV file (header rows first, spanning cells repeated)."""
    project = load_project(project_dir)
    _, found = paper_tables(project, record_id)
    if not found:
        raise InputError(f"{record_id}: no tables in this paper's XML")
    out = Path(out_dir)
    for table in found:
        path = atomic_write_text(out / csv_name(table), table_csv(table))
        click.echo(f"{table.label}: {path}")
