"""``sysrev import FILE…``: turn database or reference-manager exports into one search-run snapshot.

Databases without an API (the Cochrane Library's CENTRAL, Embase via Ovid, Web of Science …) reach sysrev as
exported files, often split into several files by the database's limit on records per export file.
Importing them writes the same snapshot a search run writes (``manifest.json`` +
``records.jsonl``, contract 3), so dedup, screening and PRISMA counts treat it like any other search. The
manifest records each file's name, size and SHA-256, so a later re-import of a changed export is noticed.
"""

import json
import re
from collections import Counter
from pathlib import Path

import click

from sysrev.cli.options import project_option
from sysrev.errors import SysrevError
from sysrev.formats import FORMATS, load_references, make_source_ids_unique
from sysrev.project import load_project, load_toml
from sysrev.search.snapshot import list_snapshots, write_snapshot

_SHOWN_WARNINGS = 20
_LARGE_FILE_BYTES = 5_000_000


def snapshot_name(source: str | None, path: Path) -> str:
    """The search name for the snapshot folder: ``--source`` as given when it is file-name-safe (so it matches
    the strategy ``searches/<name>.toml``), else made safe (``Cochrane CENTRAL`` → ``cochrane-central``);
    the file's stem when there is no source."""
    text = (source or "").strip()
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text):
        return text
    name = re.sub(r"[^a-z0-9]+", "-", (text or path.stem).lower()).strip("-")
    return name or "import"


def _file_strategy(project, name: str) -> dict:
    """The project's ``searches/<name>.toml`` when it is a ``database = "file"`` strategy, else ``{}``."""
    path = project.searches_dir / f"{name}.toml"
    if not path.is_file():
        return {}
    strategy = load_toml(path)
    return strategy if strategy.get("database") == "file" else {}


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
@project_option
def import_command(files, source, out_dir, format_name, reported_count, dry_run, allow_truncated, project_dir):
    """Import reference files (RIS, NBIB/MEDLINE, BibTeX, EndNote XML or tagged, WoS, PubMed XML, CSL-JSON,
    CSV) as one search-run snapshot. Give all the files of one split export together. Without FILES, the
    file named by the project's strategy searches/<--source>.toml is imported."""
    project = _project_for(out_dir, project_dir, dry_run)
    files = files or _strategy_file(project, source)
    parsed_files = [_read(path, source, format_name, allow_truncated) for path in files]
    runs_dir = out_dir if out_dir is not None else (project.runs_dir if project is not None else None)
    dialects = {parsed.dialect for parsed in parsed_files}
    dialect = dialects.pop() if len(dialects) == 1 else ""
    name = snapshot_name(source or dialect or None, files[0])
    strategy = _file_strategy(project, name) if project is not None else {}
    records = [record for parsed in parsed_files for record in parsed.records]
    warnings = [w.replace(str(path), path.name) for path, parsed in zip(files, parsed_files, strict=True)
                for w in parsed.warnings]
    repeated = make_source_ids_unique(records)  # the same identifier in two of the files
    if repeated:
        warnings.append(f"{len(repeated)} record(s) have an identifier already used in another of the files "
                        f"({', '.join(sorted(set(repeated))[:5])}); kept as '<id>#2' …")
    described = [{"name": path.name, "size": parsed.size, "sha256": parsed.sha256, "format": parsed.format,
                  "dialect": parsed.dialect, "encoding": parsed.encoding, "records": len(parsed.records)}
                 for path, parsed in zip(files, parsed_files, strict=True)]
    # Paths as typed on this machine mean nothing in a shared repository: warnings name the file only.
    manifest_extra = {"source": source or dialect or "file", "files": described, "warnings": warnings}
    if len(described) == 1:
        one = described[0]
        manifest_extra.update(file={k: one[k] for k in ("name", "size", "sha256")}, format=one["format"],
                              dialect=one["dialect"], encoding=one["encoding"])
    if reported_count is not None and reported_count != len(records):
        warnings.append(f"the database reported {reported_count} records but the file(s) hold {len(records)}: "
                        "is an export file missing, or was the export limited?")
    earlier = _earlier_imports(runs_dir, {parsed.sha256 for parsed in parsed_files}) if runs_dir else []
    if dry_run:
        _print_summary(described, records, warnings, None, name if strategy else None)
        where = f" (the snapshot would be {runs_dir / ('<timestamp>-' + name)})" if runs_dir else ""
        click.echo(f"Dry run: nothing written{where}")
        return
    try:
        folder = write_snapshot(runs_dir, name, records, database="file", query=strategy.get("query"),
                                reported_count=reported_count, extra=manifest_extra)
    except (OSError, ValueError) as exc:
        raise SysrevError(f"could not write the snapshot under {runs_dir}: {exc}") from None
    _print_summary(described, records, warnings, folder, name if strategy else None)
    for run in earlier:
        click.echo(f"note: an identical file (same SHA-256) was imported before as {run.name}; both snapshots "
                   "are kept, delete one if the import was a mistake", err=True)


def _strategy_file(project, source) -> tuple:
    """The export named by ``file = …`` in the ``database = "file"`` strategy ``searches/<source>.toml``."""
    if project is None or not source:
        raise click.UsageError("give the file(s) to import, or --source NAME of a project strategy "
                               "searches/NAME.toml that names its export with file = \"…\"")
    strategy = _file_strategy(project, snapshot_name(source, Path(source)))
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


def _read(path: Path, source, format_name, allow_truncated=False):
    if path.is_file() and path.stat().st_size > _LARGE_FILE_BYTES:
        # Reading runs at roughly 400-1,000 records a second; say so before a long, silent wait.
        click.echo(f"Reading {path.name} ({path.stat().st_size / 1e6:.0f} MB) …", err=True)
    return load_references(path, source=source, format=format_name, allow_truncated=allow_truncated)


def _earlier_imports(runs_dir: Path, hashes: set) -> list[Path]:
    """Snapshots under ``runs_dir`` made from a file with one of these SHA-256s (a repeated import)."""
    found = []
    for run in list_snapshots(runs_dir):
        try:
            manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # an unreadable manifest is reported by whoever reads that snapshot
        if not isinstance(manifest, dict):
            continue
        listed = manifest.get("files") or [manifest.get("file") or {}]
        if any(isinstance(f, dict) and f.get("sha256") in hashes for f in listed):
            found.append(run)
    return found


def _print_summary(described, records, warnings, folder: Path, strategy_name) -> None:
    for file in described:
        dialect = f", {file['dialect']}" if file["dialect"] else ""
        click.echo(f"Imported {file['records']} records from {file['name']} ({file['format']}{dialect}, "
                   f"{file['encoding']})")
    if len(described) > 1:
        click.echo(f"Total: {len(records)} records from {len(described)} files")
    if folder is not None:
        click.echo(f"Snapshot: {folder}")
    types = Counter(r.extra.get("type") or (r.publication_types[0] if r.publication_types else "") or "(no type)"
                    for r in records)
    for type_name, count in types.most_common():
        click.echo(f"  {count:6d}  {type_name}")
    missing = {label: sum(1 for r in records if not getattr(r, attr))
               for label, attr in (("title", "title"), ("abstract", "abstract"), ("year", "year"), ("DOI", "doi"))}
    click.echo("Missing: " + ", ".join(f"{label} {n}" for label, n in missing.items()))
    if strategy_name:
        click.echo(f"Strategy: searches/{strategy_name}.toml (its query is stored in the manifest)")
    if warnings:
        click.echo(f"{len(warnings)} warning(s):", err=True)
        for warning in warnings[:_SHOWN_WARNINGS]:
            click.echo(f"  warning: {warning}", err=True)
        if len(warnings) > _SHOWN_WARNINGS:
            click.echo(f"  … and {len(warnings) - _SHOWN_WARNINGS} more (all are in manifest.json)", err=True)
