"""``sysrev import FILE…``: turn database or reference-manager exports into one search-run snapshot.

Databases without an API (the Cochrane Library's CENTRAL, Embase via Ovid, Web of Science …) reach sysrev as
exported files, often split into several files by the database's limit on records per export file.
Importing them writes the same snapshot a search run writes (``manifest.json`` +
``records.jsonl``, contract 3), so dedup, screening and PRISMA counts treat it like any other search. The
manifest records each file's name, size and SHA-256, so a later re-import of a changed export is noticed.
The snapshot writer is imported when the command runs, so ``sysrev import --help`` stays fast.
"""

from collections import Counter
from pathlib import Path

import click

from sysrev.cli.options import project_option
from sysrev.errors import SysrevError
from sysrev.formats import FORMATS, load_references
from sysrev.project import load_project
from sysrev.wording import counted

_SHOWN_WARNINGS = 20
_LARGE_FILE_BYTES = 5_000_000


@click.command("import")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", default=None, metavar="NAME",
              help="Where the export came from, e.g. cochrane-central (default: the database the file names, "
                   "else 'file'); also names the snapshot folder.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the snapshot under DIR instead of the project's searches/runs/.")
@click.option("--format", "format_name", type=click.Choice(FORMATS), default=None,
              help="Skip format detection (for an ambiguous file).")
@click.option("--reported-count", type=click.IntRange(min=0), default=None, metavar="N",
              help="The number of records the database said the search found; stored in the manifest, and a "
                   "warning is given when the files hold a different number (a missing export file?).")
@click.option("--dry-run", is_flag=True, help="Read and check the files and print the summary; write nothing.")
@click.option("--allow-truncated", is_flag=True,
              help="A file cut off mid-record (interrupted download) is an error; with this flag its complete "
                   "records are imported and the cut-off one is dropped, with a warning saying so.")
@click.option("--again", is_flag=True,
              help="Import files already imported (same SHA-256) as another search; without it they are refused, "
                   "since PRISMA would count their records twice.")
@project_option
def import_command(files, source, out_dir, format_name, reported_count, dry_run, allow_truncated, again,
                   project_dir):
    """Import reference files (RIS, NBIB/MEDLINE, BibTeX, EndNote XML or tagged, WoS, PubMed XML, ProQuest,
    Ovid or Cochrane Library text, CSL-JSON, CSV or Excel, ClinicalTrials.gov JSON, ICTRP XML, OpenAlex JSON) as
    one search-run snapshot. Give all the files of one split export together. Without FILES, the file named by
    the project's strategy searches/<--source>.toml is imported."""
    from sysrev.search.imports import earlier_imports, prepare_import, write_import

    project = _project_for(out_dir, project_dir, dry_run)
    files = files or _strategy_file(project, source)
    prepared = prepare_import(files, source, project=project, format_name=format_name,
                              reported_count=reported_count,
                              read=lambda path: _read(path, source, format_name, allow_truncated))
    runs_dir = out_dir if out_dir is not None else (project.runs_dir if project is not None else None)
    name = prepared.name
    strategy_name = name if prepared.strategy else None
    earlier = earlier_imports(runs_dir, prepared.hashes) if runs_dir else []
    repeated = {h for h in prepared.hashes if earlier_imports(runs_dir, {h})} if earlier else set()
    if repeated == prepared.hashes and not again:
        files_named = ", ".join(f["name"] for f in prepared.described)
        raise SysrevError(f"{files_named}: imported before as {', '.join(run.name for run in earlier)} (the same "
                          "file, by its SHA-256); importing it again would make PRISMA count its records twice, "
                          "so nothing was imported (give --again if it really is another search that returned "
                          "the same file)")
    if dry_run:
        _print_summary(prepared.described, prepared.records, prepared.warnings, None, strategy_name)
        where = f" (the snapshot would be {runs_dir / ('<timestamp>-' + name)})" if runs_dir else ""
        click.echo(f"Dry run: nothing written{where}")
        return
    folder = write_import(prepared, runs_dir, reported_count)
    _print_summary(prepared.described, prepared.records, prepared.warnings, folder, strategy_name)
    for run in earlier:
        click.echo(f"note: an identical file (same SHA-256) was imported before as {run.name}; both snapshots "
                   "are kept, delete the new one if the import was a mistake", err=True)


def _strategy_file(project, source) -> tuple:
    """The export named by ``file = …`` in the ``database = "file"`` strategy ``searches/<source>.toml``."""
    from sysrev.search.imports import file_strategy, snapshot_name

    if project is None or not source:
        raise click.UsageError("give the file(s) to import, or --source NAME of a project strategy "
                               "searches/NAME.toml that names its export with file = \"…\"")
    strategy = file_strategy(project, snapshot_name(source, Path(source)))
    if not strategy.get("file"):
        raise click.UsageError(f"no file given, and the project has no database = \"file\" strategy "
                               f"searches/{snapshot_name(source, Path(source))}.toml with file = \"…\"")
    return (project.root / strategy["file"],)


def _project_for(out_dir, project_dir, dry_run):
    """The review project to import into (needed unless ``--out`` is given; optional for a dry run)."""
    if out_dir is not None and project_dir is None:
        return None
    try:
        return load_project(project_dir)
    except SysrevError:
        if dry_run and project_dir is None:
            return None
        raise


def _read(path: Path, source, format_name, allow_truncated):
    if path.is_file() and path.stat().st_size > _LARGE_FILE_BYTES:
        # Reading runs at roughly 400-1,000 records a second; say so before a long, silent wait.
        click.echo(f"Reading {path.name} ({path.stat().st_size / 1e6:.0f} MB) …", err=True)
    return load_references(path, source=source, format=format_name, allow_truncated=allow_truncated)


def _missing_fields(records) -> str:
    """How many records lack a title, abstract, year or DOI. Trial registrations have no DOI by nature, so
    they are left out of the DOI count (and the count says how many were left out)."""
    from sysrev.dedup.keys import is_trial_registration

    counts = [f"{label} {sum(1 for r in records if not getattr(r, attr))}"
              for label, attr in (("title", "title"), ("abstract", "abstract"), ("year", "year"))]
    others = [r for r in records if not is_trial_registration(r)]
    registrations = len(records) - len(others)
    doi = sum(1 for r in others if not r.doi)
    if records and not others:
        counts.append("DOI - (trial registrations have none)")
    else:
        counts.append(f"DOI {doi}" + (f" (of {len(others)}; trial registrations have none)"
                                      if registrations else ""))
    return ", ".join(counts)


def _print_summary(described, records, warnings, folder: Path, strategy_name) -> None:
    for file in described:
        dialect = f", {file['dialect']}" if file["dialect"] else ""
        encoding = f", {file['encoding']}" if file["encoding"] else ""
        click.echo(f"Imported {counted(file['records'], 'record')} from {file['name']} "
                   f"({file['format']}{dialect}{encoding})")
    if len(described) > 1:
        click.echo(f"Total: {len(records)} records from {len(described)} files")
    if folder is not None:
        click.echo(f"Snapshot: {folder}")
    types = Counter(r.extra.get("type") or (r.publication_types[0] if r.publication_types else "") or "(no type)"
                    for r in records)
    for type_name, count in types.most_common():
        click.echo(f"  {count:6d}  {type_name}")
    click.echo("Missing: " + _missing_fields(records))
    if strategy_name:
        click.echo(f"Strategy: searches/{strategy_name}.toml (its query is stored in the manifest)")
    if warnings:
        click.echo(f"{counted(len(warnings), 'warning')}:", err=True)
        for warning in warnings[:_SHOWN_WARNINGS]:
            click.echo(f"  warning: {warning}", err=True)
        if len(warnings) > _SHOWN_WARNINGS:
            click.echo(f"  … and {len(warnings) - _SHOWN_WARNINGS} more (all are in manifest.json)", err=True)
