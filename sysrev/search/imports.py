"""Exported files as a search run: the library side of ``sysrev import`` (and of ``sysrev refresh``'s inbox).

Databases without an API reach sysrev as exported files, often split into several files. Importing them
writes the same snapshot a search run writes, so dedup, screening and PRISMA treat it like any other
search. The manifest records each file's name, size and SHA-256, which is how a repeated import is noticed.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sysrev.dedup.keys import fold
from sysrev.did_you_mean import closest
from sysrev.errors import SysrevError
from sysrev.formats import load_references, make_source_ids_unique
from sysrev.project import load_toml
from sysrev.search.snapshot import list_snapshots, write_snapshot
from sysrev.wording import clause, verb


@dataclass
class PreparedImport:
    """Files read and checked, ready to become one snapshot named ``name``."""

    name: str
    records: list
    described: list  # one dict per file: name, size, sha256, format, dialect, encoding, records
    warnings: list
    manifest_extra: dict
    strategy: dict  # the project's database = "file" strategy of that name, or {}

    @property
    def hashes(self) -> set:
        return {file["sha256"] for file in self.described}


def snapshot_name(source: str | None, path: Path) -> str:
    """The search name for the snapshot folder: ``source`` as given when it is file-name-safe (so it matches
    the strategy ``searches/<name>.toml``), else made safe (``Cochrane CENTRAL`` → ``cochrane-central``);
    the file's stem when there is no source. Accents are dropped, not the letters (``Ünïcode`` → ``unicode``)."""
    text = (source or "").strip()
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text):
        return text
    name = re.sub(r"[^a-z0-9]+", "-", fold(text or path.stem)).strip("-")
    return name or "import"


def file_strategy(project, name: str) -> dict:
    """The project's ``searches/<name>.toml`` when it is a ``database = "file"`` strategy, else ``{}``."""
    if project is None:
        return {}
    path = project.searches_dir / f"{name}.toml"
    if not path.is_file():
        return {}
    strategy = load_toml(path)
    return strategy if strategy.get("database") == "file" else {}


def prepare_import(paths, source=None, *, project=None, format_name=None, reported_count=None, read=None,
                   allow_truncated=False) -> PreparedImport:
    """Read ``paths`` (one export, possibly split into several files) into a :class:`PreparedImport`.

    ``read`` is the reader (default :func:`sysrev.formats.load_references`, which refuses a file cut off
    mid-record unless ``allow_truncated``), so a command can announce a long read first.
    """
    paths = [Path(p) for p in paths]
    read = read or (lambda path: load_references(path, source=source, format=format_name,
                                                 allow_truncated=allow_truncated))
    parsed_files = [read(path) for path in paths]
    if source is None:
        _one_source(paths, parsed_files)
    dialects = {parsed.dialect for parsed in parsed_files} - {""}
    dialect = dialects.pop() if len(dialects) == 1 else ""  # parts of a split export that name no database share it
    name = snapshot_name(source or dialect or None, paths[0])
    records = [record for parsed in parsed_files for record in parsed.records]
    warnings = [w.replace(str(path), path.name) for path, parsed in zip(paths, parsed_files, strict=True)
                for w in parsed.warnings]
    repeated = make_source_ids_unique(records)  # the same identifier in two of the files
    if repeated:
        warnings.append(f"{clause(len(repeated), 'record', 'has', 'have')} an identifier already used in another "
                        f"of the files ({', '.join(sorted(set(repeated))[:5])}); kept as '<id>#2' …")
    described = [{"name": path.name, "size": parsed.size, "sha256": parsed.sha256, "format": parsed.format,
                  "dialect": parsed.dialect, "encoding": parsed.encoding, "records": len(parsed.records)}
                 for path, parsed in zip(paths, parsed_files, strict=True)]
    # Paths as typed on this machine mean nothing in a shared repository: warnings name the file only.
    manifest_extra = {"source": source or dialect or "file", "files": described, "warnings": warnings}
    if len(described) == 1:
        one = described[0]
        manifest_extra.update(file={k: one[k] for k in ("name", "size", "sha256")}, format=one["format"],
                              dialect=one["dialect"], encoding=one["encoding"])
    if reported_count is not None and reported_count != len(records):
        files = verb(len(paths), "file holds", "files hold")
        warnings.append(f"the database reported {reported_count} records but the {files} {len(records)}: "
                        "is an export file missing, or was the export limited?")
    strategy = file_strategy(project, name)
    if source and project is not None and not strategy:
        warnings += _unknown_source(project, name)
    return PreparedImport(name, records, described, warnings, manifest_extra, strategy)


def _unknown_source(project, name: str) -> list:
    """A warning when ``--source`` names no strategy of the project but is close to one (a typo): the import
    would otherwise stand in PRISMA as a source of its own, beside the one it belongs to."""
    strategies = sorted(path.stem for path in Path(project.searches_dir).glob("*.toml"))
    meant = closest(name, strategies, cutoff=0.8)
    if not meant:
        return []
    return [f"--source {name!r} names no strategy of this project; did you mean {meant!r} "
            f"(searches/{meant}.toml)? As given, PRISMA counts this import as a source of its own; import with "
            f"--source {meant} (and delete the snapshot written under this name)"]


def _one_source(paths, parsed_files) -> None:
    """Refuse files that name two or more sources (databases, or tools such as Rayyan): one snapshot is one
    search, and PRISMA counts each source's records, so an Embase and a PubMed export imported together would be
    counted as one source."""
    named = [(path.name, parsed.dialect) for path, parsed in zip(paths, parsed_files, strict=True) if parsed.dialect]
    if len({dialect for _, dialect in named}) > 1:
        listed = ", ".join(f"{name} ({dialect})" for name, dialect in named)
        raise SysrevError(f"these files come from different sources (databases or tools): {listed}; one import "
                          "is one search, and PRISMA counts the records of each source, so import each source's "
                          "files with their own `sysrev import` (or give --source NAME if they really are one "
                          "search); nothing was imported")


def write_import(prepared: PreparedImport, runs_dir, reported_count=None) -> Path:
    """Write the prepared import as a snapshot under ``runs_dir``; return its folder."""
    try:
        return write_snapshot(runs_dir, prepared.name, prepared.records, database="file",
                              query=prepared.strategy.get("query"), reported_count=reported_count,
                              extra=prepared.manifest_extra)
    except (OSError, ValueError) as exc:
        raise SysrevError(f"could not write the snapshot under {runs_dir}: {exc}") from None


def earlier_imports(runs_dir, hashes: set) -> list[Path]:
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
