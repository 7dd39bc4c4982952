"""Search-run snapshots: one immutable folder per run of a search (contract 3, ../shared/DESIGN.md §3).

A snapshot is ``<runs_dir>/<UTC timestamp>-<name>/`` holding

* ``records.jsonl`` – one normalised :class:`~sysrev.records.Record` per line, in retrieval order;
* ``manifest.json`` – what was asked and what came back: database, query, the database's query translation,
  the date window, the count the database reported, the count retrieved, the SHA-256 of the sorted source
  identifiers, the sysrev version, any *gaps* (batches that failed after every retry) and the UTC time.

Both files are written into a hidden temporary folder beside the target, flushed to disk, and the folder is
then renamed into place, so a crash leaves either a complete snapshot or none (only a hidden leftover that
:func:`list_snapshots` ignores, and the next write removes). Writes take the project lock
(:mod:`sysrev.locking`), so a leftover ``.tmp-*`` folder found under the lock belongs to a killed writer.

A search name can be longer than a file name may be (255 bytes on most file systems): the folder then carries
a bounded form of it (:func:`folder_name`), and the manifest keeps the full name.

A snapshot is never edited afterwards; :func:`read_snapshot` checks the record count and the identifier hash
against the manifest so an edited file is noticed.
"""

import errno
import hashlib
import json
import os
import secrets
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sysrev import __version__
from sysrev.credentials import scrub, scrub_text
from sysrev.errors import InputError
from sysrev.fileio import bounded_file_name, remove_stale_tmp_folders
from sysrev.locking import lock_for_path
from sysrev.records import Record
from sysrev.wording import named

MANIFEST = "manifest.json"
RECORDS = "records.jsonl"
TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"

# Manifest keys computed here; ``extra`` may not override them (a caller cannot claim a count it did not write).
_COMPUTED_KEYS = ("name", "database", "query", "reported_count", "retrieved_count", "source_ids_sha256",
                  "tool", "tool_version", "created")
# Keys every manifest has, with their value when the caller gives none.
_DEFAULT_KEYS = {"query_translation": None, "date_window": None, "gaps": []}
_TMP_PREFIX = ".tmp-"
TMP_FOLDERS = f"{_TMP_PREFIX}*"  # a snapshot being written (or left by a killed write), under runs_dir
# Bytes of a search name kept in a folder name: with the timestamp and the partial-run prefix it stays well
# under the 255-byte limit of common file systems.
_NAME_BYTES = 120


def source_label(database: str, source_id: str, run: str) -> str:
    """The stable name of a source record: ``database:source_id``; for an imported file (database ``file``,
    whose IDs are only unique within that file) ``file/<search name>:source_id``. Deduplication names records
    so, and the PRISMA count of records identified counts each name once."""
    if database == "file":
        return f"file/{run.partition('-')[2]}:{source_id}"
    return f"{database}:{source_id}"


def source_ids_sha256(source_ids) -> str:
    """SHA-256 (hex) of the sorted identifiers joined by newlines: equal sets of records give equal hashes."""
    joined = "\n".join(sorted(str(s) for s in source_ids))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def write_snapshot(runs_dir, name, records, *, database, query=None, reported_count=None, extra=None,
                   now=None) -> Path:
    """Write a new snapshot of ``records`` under ``runs_dir`` atomically and return its folder.

    ``name`` is the search's name (e.g. the strategy file's stem); ``extra`` adds manifest keys such as
    ``query_translation``, ``date_window`` (``{"field", "mindate", "maxdate"}``) and ``gaps`` (a list of
    ``{"kind", "detail", …}`` dicts describing what could not be fetched). ``now`` (a timezone-aware
    datetime) is for tests. Raises :class:`ValueError` when two records share a ``source_id``: a snapshot
    holds each record exactly once.
    """
    records = [r if isinstance(r, Record) else Record.from_dict(r) for r in records]
    lines = [json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records]
    return write_snapshot_lines(runs_dir, name, [r.source_id for r in records], lines, database=database,
                                query=query, reported_count=reported_count, extra=extra, now=now)


def write_snapshot_lines(runs_dir, name, source_ids, lines, *, database, query=None, reported_count=None,
                         extra=None, now=None) -> Path:
    """:func:`write_snapshot` for records already serialised as ``records.jsonl`` lines (one per id).

    A long search keeps its records as JSON lines while it runs; writing them as they are spares
    converting tens of thousands of records back and forth at the end.
    """
    check_name(name)
    ids = [scrub_text(str(i)) for i in source_ids]  # credentials never reach a project file (sysrev.credentials)
    lines = [scrub_text(line) for line in lines]
    if len(ids) != len(lines):
        raise ValueError(f"snapshot {name!r}: {len(ids)} source ids for {len(lines)} record lines")
    if len(set(ids)) != len(ids):
        seen, dupes = set(), []
        for source_id in ids:
            if source_id in seen:
                dupes.append(source_id)
            seen.add(source_id)
        raise ValueError(f"snapshot {name!r}: duplicate {named('source_id', sorted(set(dupes))[:5])}")
    extra = dict(extra or {})
    clash = sorted(set(extra) & set(_COMPUTED_KEYS))
    if clash:
        raise ValueError(f"extra may not set computed manifest keys: {', '.join(clash)}")

    created = (now or datetime.now(UTC)).astimezone(UTC)
    manifest = scrub({
        **_DEFAULT_KEYS,
        **extra,
        "name": name,
        "database": database,
        "query": query,
        "reported_count": reported_count,
        "retrieved_count": len(ids),
        "source_ids_sha256": source_ids_sha256(ids),
        "tool": "sysrev",
        "tool_version": __version__,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    runs_dir = Path(runs_dir)
    runs_dir.mkdir(parents=True, exist_ok=True)
    with lock_for_path(runs_dir):
        remove_stale_tmp_folders(runs_dir, TMP_FOLDERS)
        tmp = runs_dir / f"{_TMP_PREFIX}{secrets.token_hex(6)}"
        tmp.mkdir()  # unlike mkdtemp, keeps the user's umask (a snapshot is a project file, readable by all)
        try:
            _write_synced(tmp / RECORDS, "".join(lines))
            _write_synced(tmp / MANIFEST,
                          json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
            final = _rename_into_place(tmp, runs_dir, folder_name(name), created)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _fsync_dir(runs_dir)
    return final


def folder_name(name: str) -> str:
    """The ``<name>`` part of a snapshot folder for search ``name``: the name itself, or a bounded form of a
    name too long for a file name (its start and a hash of the whole, see :func:`bounded_file_name`)."""
    return bounded_file_name(name, _NAME_BYTES)


# What to do about a snapshot edited after it was written: a snapshot is the record of what a search returned.
_RESTORE = ("Restore its records.jsonl (git checkout, or a backup), or delete the run's folder and run the search "
            "or import again")


def read_snapshot(path) -> tuple[dict, list[Record]]:
    """Read a snapshot folder; return ``(manifest, records)``.

    Raises :class:`InputError` naming the file (and line) when a file is missing or malformed, or when the
    records no longer match the manifest's count or identifier hash (the snapshot was edited).
    """
    path = Path(path)
    manifest_path, records_path = path / MANIFEST, path / RECORDS
    if not manifest_path.is_file():
        raise InputError("not a search-run snapshot: manifest.json is missing", path=path)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"invalid JSON: {exc}", path=manifest_path) from None
    if not isinstance(manifest, dict):
        raise InputError("manifest must be a JSON object", path=manifest_path)
    if not records_path.is_file():
        raise InputError("records.jsonl is missing", path=path)
    records = []
    with records_path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                records.append(Record.from_dict(data))
            except (json.JSONDecodeError, ValueError, TypeError, AttributeError) as exc:
                raise InputError(f"not a valid record: {exc}", path=records_path, line=lineno) from None
    expected = manifest.get("retrieved_count")
    if expected is not None and expected != len(records):
        raise InputError(f"holds {len(records)} records but the manifest says {expected}; the snapshot was "
                         f"modified after it was written. {_RESTORE}", path=records_path)
    digest = manifest.get("source_ids_sha256")
    if digest is not None and digest != source_ids_sha256(r.source_id for r in records):
        raise InputError("record identifiers do not match the manifest's source_ids_sha256; the snapshot "
                         f"was modified after it was written. {_RESTORE}", path=records_path)
    return manifest, records


def list_snapshots(runs_dir, name=None) -> list[Path]:
    """Snapshot folders under ``runs_dir``, oldest first; only those of search ``name`` when given.

    Hidden folders (unfinished writes, resume state) and folders without a manifest are ignored.
    """
    runs_dir = Path(runs_dir)
    if not runs_dir.is_dir():
        return []
    found = []
    for child in runs_dir.iterdir():
        if child.name.startswith(".") or not (child / MANIFEST).is_file():
            continue
        _stamp, _, run_name = child.name.partition("-")
        if name is not None and run_name != folder_name(name):
            continue
        found.append(child)
    return sorted(found, key=lambda p: p.name)


def check_name(name: str) -> None:
    """Raise ValueError unless ``name`` can be the ``<name>`` part of a snapshot folder."""
    if not name or name.startswith(".") or "/" in name or "\\" in name or name != name.strip():
        raise ValueError(f"invalid snapshot name {name!r}: use a plain file-name-safe word such as 'pubmed'")


def _rename_into_place(tmp: Path, runs_dir: Path, name: str, created: datetime) -> Path:
    """Rename ``tmp`` to ``<timestamp>-<name>``; if that folder exists (two runs in one second), use the
    next free second so folder names stay in the ``<timestamp>-<name>`` form and sort in run order."""
    stamp = created.replace(microsecond=0)
    for _ in range(3600):
        final = runs_dir / f"{stamp.strftime(TIMESTAMP_FORMAT)}-{name}"
        if not final.exists():
            try:
                os.rename(tmp, final)
                return final
            except OSError as exc:  # created meanwhile by another process
                if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
        stamp += timedelta(seconds=1)
    raise FileExistsError(f"no free snapshot folder name for {name!r} near {created:%Y-%m-%d %H:%M:%S}")


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
