"""``sysrev import FILE``: turn a database or reference-manager export into a search-run snapshot.

Databases without an API (the Cochrane Library's CENTRAL, Embase via Ovid, Web of Science …) reach sysrev as
exported files. Importing one writes the same snapshot a search run writes (``manifest.json`` +
``records.jsonl``, contract 3), so dedup, screening and PRISMA counts treat it like any other search. The
manifest records the file's name, size and SHA-256, so a later re-import of a changed export is noticed.
"""

import json
import re
from collections import Counter
from pathlib import Path

import click

from sysrev.cli.options import project_option
from sysrev.errors import SysrevError
from sysrev.formats import FORMATS, load_references
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
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", default=None, metavar="NAME",
              help="Where the export came from, e.g. cochrane-central (default: the database the file names, "
                   "else 'file'); also names the snapshot folder.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the snapshot under DIR instead of the project's searches/runs/.")
@click.option("--format", "format_name", type=click.Choice(FORMATS), default=None,
              help="Skip format detection (for an ambiguous file).")
@project_option
def import_command(file, source, out_dir, format_name, project_dir):
    """Import a reference file (RIS, NBIB/MEDLINE, BibTeX, EndNote XML or tagged, WoS, PubMed XML, CSV) as a
    search-run snapshot."""
    if file.is_file() and file.stat().st_size > _LARGE_FILE_BYTES:
        # Reading runs at roughly 1,000-2,000 records a second; say so before a long, silent wait.
        click.echo(f"Reading {file.name} ({file.stat().st_size / 1e6:.0f} MB) …", err=True)
    parsed = load_references(file, source=source, format=format_name)
    project = load_project(project_dir) if out_dir is None or project_dir is not None else None
    runs_dir = out_dir if out_dir is not None else project.runs_dir
    name = snapshot_name(source or parsed.dialect or None, file)
    strategy = _file_strategy(project, name) if project is not None else {}
    manifest_extra = {
        "source": source or parsed.dialect or "file",
        "file": {"name": file.name, "size": parsed.size, "sha256": parsed.sha256},
        "format": parsed.format,
        "dialect": parsed.dialect,
        "encoding": parsed.encoding,
        # Paths as typed on this machine mean nothing in a shared repository: warnings name the file only.
        "warnings": [w.replace(str(file), file.name) for w in parsed.warnings],
    }
    earlier = _earlier_imports(runs_dir, parsed.sha256)
    try:
        folder = write_snapshot(runs_dir, name, parsed.records, database="file", query=strategy.get("query"),
                                extra=manifest_extra)
    except (OSError, ValueError) as exc:
        raise SysrevError(f"could not write the snapshot under {runs_dir}: {exc}") from None
    _print_summary(file, parsed, folder, name if strategy else None)
    for run in earlier:
        click.echo(f"note: the same file (identical SHA-256) was imported before as {run.name}; both snapshots "
                   "are kept, delete one if the import was a mistake", err=True)


def _earlier_imports(runs_dir: Path, sha256: str) -> list[Path]:
    """Snapshots under ``runs_dir`` made from a file with the same SHA-256 (a repeated import)."""
    found = []
    for run in list_snapshots(runs_dir):
        try:
            manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # an unreadable manifest is reported by whoever reads that snapshot
        if isinstance(manifest, dict) and (manifest.get("file") or {}).get("sha256") == sha256:
            found.append(run)
    return found


def _print_summary(file: Path, parsed, folder: Path, strategy_name) -> None:
    dialect = f", {parsed.dialect}" if parsed.dialect else ""
    click.echo(f"Imported {len(parsed.records)} records from {file.name} ({parsed.format}{dialect}, "
               f"{parsed.encoding})")
    click.echo(f"Snapshot: {folder}")
    types = Counter(r.extra.get("type") or (r.publication_types[0] if r.publication_types else "") or "(no type)"
                    for r in parsed.records)
    for type_name, count in types.most_common():
        click.echo(f"  {count:6d}  {type_name}")
    missing = {label: sum(1 for r in parsed.records if not getattr(r, attr))
               for label, attr in (("title", "title"), ("abstract", "abstract"), ("year", "year"), ("DOI", "doi"))}
    click.echo("Missing: " + ", ".join(f"{label} {n}" for label, n in missing.items()))
    if strategy_name:
        click.echo(f"Strategy: searches/{strategy_name}.toml (its query is stored in the manifest)")
    if parsed.warnings:
        click.echo(f"{len(parsed.warnings)} warning(s):", err=True)
        for warning in parsed.warnings[:_SHOWN_WARNINGS]:
            click.echo(f"  warning: {warning}", err=True)
        if len(parsed.warnings) > _SHOWN_WARNINGS:
            click.echo(f"  … and {len(parsed.warnings) - _SHOWN_WARNINGS} more (all are in manifest.json)",
                       err=True)
