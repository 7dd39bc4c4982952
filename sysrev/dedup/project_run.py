"""``sysrev dedup`` in a project: every search-run snapshot → ``records/records.jsonl`` with stable IDs.

Files (contract 5 of the project, DESIGN §3):

* ``records/records.jsonl`` – one merged record per line: the Record fields, ``record_id`` (stable) and
  ``sources`` (``[{run, source, source_id}, …]``: every snapshot record the merged record stands for).
  Related publications (erratum, reply, protocol, preprint, Cochrane update, …) are listed in
  ``extra.dedup_related`` as ``[{record_id, reason}]``.
* ``records/dedup_summary.json`` – ``{"identified": {database: n}, "duplicates_removed": n, "records": n}``
  for the PRISMA diagram. ``identified`` counts distinct source records per database: a record that a later
  run of the same search returns again is identified once.
* ``records/dedup_queue.csv`` and ``records/dedup_decisions.csv`` – see :mod:`sysrev.dedup.decisions`.

Stable IDs: a source record is named ``database:source_id`` (``file/<search name>:source_id`` for an imported
file, whose IDs are unique only within it; runs of one search share the name). A run starts from the clusters of the
previous
``records.jsonl``: every source record keeps the ``record_id`` it had, new source records that are
duplicates of an existing record join it, and only genuinely new publications get new IDs
(``R`` + six digits, numbered after the highest ID ever written).
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sysrev.credentials import scrub_text
from sysrev.dedup.decisions import read_decisions, write_queue
from sysrev.dedup.engine import deduplicate
from sysrev.dedup.merge import merge_records
from sysrev.dedup.merged_records import RECORDS_FILE, merged_ids
from sysrev.errors import InputError, SysrevError
from sysrev.fileio import atomic_write_json, atomic_write_text
from sysrev.locking import project_lock
from sysrev.records import Record
from sysrev.search.snapshot import list_snapshots, read_snapshot, source_label
from sysrev.wording import clause, counted, verb

SUMMARY_FILE = "dedup_summary.json"
QUEUE_FILE = "dedup_queue.csv"
DECISIONS_FILE = "dedup_decisions.csv"
GONE_FILE = "gone_records.jsonl"
_ID = re.compile(r"^R(\d+)$")


@dataclass
class SourceRecord:
    """One record of a database (the latest version seen) and every run that returned it."""

    record: Record
    database: str
    runs: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return source_label(self.database, self.record.source_id, self.runs[0])


@dataclass
class ProjectDedup:
    """What a project run produced (for the command's summary)."""

    identified: dict
    records: int
    duplicates_removed: int
    uncertain: int
    related: int
    problems: list
    new_ids: int
    gone_ids: list = field(default_factory=list)  # IDs of the last run's records that no snapshot holds now
    merged_away: dict = field(default_factory=dict)  # {ID merged away in this run: ID of the record it joined}


def collect_sources(project) -> list[SourceRecord]:
    """Every distinct source record of every snapshot in ``searches/runs/``, oldest run first."""
    by_label = {}
    for path in list_snapshots(project.runs_dir):
        manifest, records = read_snapshot(path)
        database = str(manifest.get("database") or "").strip()
        if not database:
            raise InputError("manifest has no 'database'", path=path / "manifest.json")
        for record in records:
            label = source_label(database, record.source_id, path.name)
            if label in by_label:
                by_label[label].record = record  # a later run's version of the same record
                by_label[label].runs.append(path.name)
            else:
                by_label[label] = SourceRecord(record, database, [path.name])
    return list(by_label.values())


def load_records(project) -> list[dict]:
    """The deduplicated records of ``project`` (one dict per line of ``records/records.jsonl``)."""
    path = Path(project.records_dir) / RECORDS_FILE
    if not path.is_file():
        raise SysrevError(f"{path}: no deduplicated records yet; run `sysrev dedup` first")
    return _read_records(path)


def load_gone_records(project) -> list[dict]:
    """The records that left records.jsonl because no snapshot holds their sources any more (a search run
    deleted), as they last were (``records/gone_records.jsonl``; none when the file does not exist)."""
    path = Path(project.records_dir) / GONE_FILE
    return _read_records(path) if path.is_file() else []


def gone_record_ids(project) -> set:
    """The IDs of :func:`load_gone_records` and the IDs merged into them, for the stages that meet them in a log
    or table; empty when the file is absent or unreadable (the dedup run that reads it names its problem)."""
    try:
        gone = load_gone_records(project)
    except SysrevError:
        return set()
    return {str(record["record_id"]) for record in gone} | set(merged_ids(gone))


def gone_note(record_id: str) -> str:
    """What to add where a stage meets ``record_id``, a record that left the review (:func:`gone_record_ids`)."""
    return (f"; {record_id} left the review when the search runs holding it were deleted (records/{GONE_FILE}): "
            "restore them and run `sysrev dedup` again, or remove what names it")


def _read_records(path: Path) -> list[dict]:
    out, lines = [], {}
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg.removesuffix(' at')} at character {exc.pos + 1}", path=path,
                                 line=line_no) from None
            if not isinstance(data, dict) or not data.get("record_id"):
                raise InputError("a record needs a 'record_id'", path=path, line=line_no)
            lines.setdefault(str(data["record_id"]), []).append((line_no, data))
            out.append(data)
    _refuse_repeated_ids(path, {rid: seen for rid, seen in lines.items() if len(seen) > 1})
    return out


def _refuse_repeated_ids(path: Path, repeated: dict) -> None:
    """Refuse a records file that gives one ID to two lines, since every decision names a record by its ID.

    The usual cause is two copies of a project (two machines, two branches) that each ran dedup on new search
    runs and were then merged: each gave the next free IDs to its own new records, and keeping both sides of
    the merge conflict puts two records under each such ID. Which one a decision means depends on the copy it
    was made in, which no file records, so nothing is guessed: the error names the records and the way out.
    """
    if not repeated:
        return
    first = min(repeated, key=lambda rid: repeated[rid][1][0])
    (line_a, a), (line_b, b) = repeated[first][:2]
    if len(repeated) == 1 and a == b:
        raise InputError(f"record {first} is written twice (lines {line_a} and {line_b}): delete one of them",
                         path=path, line=line_b)
    listed = "; ".join(f"{rid} (lines {', '.join(str(n) for n, _ in seen)}: "
                       f"{' / '.join(_described(record) for _, record in seen)})"
                       for rid, seen in list(repeated.items())[:5])
    more = f"; … ({len(repeated)} IDs in all)" if len(repeated) > 5 else ""
    raise InputError(f"{counted(len(repeated), 'record ID')} {verb(len(repeated), 'is', 'are')} given to two records: "
                     f"{listed}{more}. Two copies of the project (two machines or branches) each gave the ID to a new "
                     "record of their own and the files were merged, so a decision naming it may mean either. "
                     "Keep one copy's lines for these IDs and delete the other's, run `sysrev dedup`, which gives "
                     "the other copy's records new IDs, and change those IDs in the decisions made in the other "
                     "copy (run import and dedup in one copy only, and pull before screening)",
                     path=path, line=line_b)


def _described(record: dict) -> str:
    """A record as the ID-clash error shows it: the start of its title and the search runs it came from."""
    title = str(record.get("title") or "no title")
    runs = sorted({str(source.get("run")) for source in record.get("sources") or [] if source.get("run")})
    return (f"'{title[:50]}{'…' if len(title) > 50 else ''}'"
            + (f" from {', '.join(runs)}" if runs else ""))


def _previous_ids(project, records: list) -> tuple[dict, int, dict]:
    """``{label: record_id}`` of the previous ``records`` (records.jsonl's and the gone ones), the highest ID
    number used so far (also by a record merged away, listed in ``extra.dedup_replaces``, or by a record whose
    line is lost, which the summary's ``last_record_id`` remembers), and ``{record_id: IDs it replaces}``."""
    highest = _last_id_number(Path(project.records_dir) / SUMMARY_FILE)
    ids, replaces = {}, {}
    for record in records:
        rid = str(record["record_id"])
        replaces[rid] = [str(old) for old in (record.get("extra") or {}).get("dedup_replaces") or []]
        for used in (rid, *replaces[rid]):
            match = _ID.match(used)
            if match:
                highest = max(highest, int(match.group(1)))
        for source in record.get("sources") or []:
            ids[source_label(str(source.get("source")), str(source.get("source_id")), str(source.get("run")))] = rid
    return ids, highest, replaces


def unapplied_decisions(project, records: list) -> int:
    """How many of the reviewers' pair decisions ``records`` (records.jsonl) does not show yet, because they were
    made since the last dedup run (in ``sysrev dedup review`` or the web app): a ``same`` pair still in two
    records, a ``different`` pair still in one. Pairs whose sources are not both in the records are left out;
    0 when the decisions file cannot be read (the dedup run names its problem)."""
    try:
        decisions = read_decisions(Path(project.records_dir) / DECISIONS_FILE)
    except SysrevError:
        return 0
    owner = {source_label(str(source.get("source")), str(source.get("source_id")), str(source.get("run"))):
             record["record_id"] for record in records for source in record.get("sources") or []}
    waiting = 0
    for pair, decision in decisions.items():
        a, b = sorted(pair)
        if decision in ("same", "different") and a in owner and b in owner:
            waiting += (owner[a] == owner[b]) != (decision == "same")
    return waiting


def gone_warning(project, gone_ids: list) -> str:
    """What to tell a team whose records left records.jsonl in this run (``ProjectDedup.gone_ids``): usually a
    search run deleted by mistake, which puts screened records and their decisions out of the review."""
    from sysrev.screening.log import rows_naming

    shown = ", ".join(gone_ids[:10]) + (f", … ({len(gone_ids)} in all)" if len(gone_ids) > 10 else "")
    rows = rows_naming(project.screening_dir, gone_ids)
    decisions = (f"; {rows} screening decision{'s name them and are' if rows != 1 else ' names them and is'} no "
                 "longer counted" if rows else "")
    runs = project.runs_dir.relative_to(project.root).as_posix()  # searches/runs, always inside the project
    return (f"{len(gone_ids)} record{'s' if len(gone_ids) != 1 else ''} of the last dedup left the review, "
            f"because no search run in {runs}/ holds their sources any more (a run deleted?): "
            f"{shown}{decisions}. They are kept in records/{GONE_FILE}, their IDs are never given to other "
            "records, and they come back with their IDs if the runs are restored (e.g. from git) and dedup is "
            "run again")


def merged_note(project, merged_away: dict) -> str:
    """What to tell a team when this run merged away records its screening decisions name (a reviewer's
    ``same`` decision on two records screened already); empty when no decision names them."""
    from sysrev.screening.log import rows_naming

    rows = rows_naming(project.screening_dir, merged_away)
    if not rows:
        return ""
    pairs = sorted(merged_away.items())
    shown = ", ".join(f"{old} into {new}" for old, new in pairs[:10]) + (f", … ({len(pairs)} in all)"
                                                                        if len(pairs) > 10 else "")
    return (f"merged {shown} (a `same` decision in records/{DECISIONS_FILE}); "
            f"{clause(rows, 'screening decision', 'names', 'name')} the records merged away and "
            f"{verb(rows, 'counts', 'count')} for the records they joined now. A record whose copies a reviewer "
            "decided differently comes back to that reviewer's screen (`sysrev screen status` lists them)")


def _refuse_lost_records(project) -> None:
    """Refuse to build records.jsonl anew while the decision logs name record IDs: the file was lost (deleted,
    never committed), and the records would get new IDs, which the decisions do not mean. Decisions are only
    ever made on records of an earlier run, so a first run never meets a log naming one."""
    from sysrev.screening.log import logged_record_ids

    if (Path(project.records_dir) / RECORDS_FILE).is_file():
        return
    named = logged_record_ids(project.screening_dir)
    if named:
        raise SysrevError(f"{Path(project.records_dir) / RECORDS_FILE} is missing, but the screening logs name "
                          f"{counted(len(named), 'record ID')} ({', '.join(sorted(named)[:5])}"
                          f"{', …' if len(named) > 5 else ''}): built anew, the records would get IDs those "
                          "decisions do not mean. Restore the file (e.g. `git checkout -- records/records.jsonl`); "
                          "to start the review's screening over instead, move the screening/ folder away first")


def _records_by_id(project) -> dict:
    """``{record_id: record}`` of the previous records.jsonl (empty before the first run)."""
    if not (Path(project.records_dir) / RECORDS_FILE).is_file():
        return {}
    return {r["record_id"]: r for r in load_records(project)}


def _write_gone(path: Path, gone: dict) -> None:
    """Keep the records that left records.jsonl, as they last were, so that nothing a team decided on is lost
    and a deleted search run put back gets its records' IDs back; no file while none is gone."""
    if gone:
        atomic_write_text(path, "".join(json.dumps(gone[rid], ensure_ascii=False) + "\n" for rid in sorted(gone)))
    elif path.exists():
        path.unlink()


def _last_id_number(summary_path: Path) -> int:
    """The number of the summary's ``last_record_id`` (0 when there is none). It outlives the record: when every
    snapshot holding a record's sources is deleted, the record leaves records.jsonl, but its ID may still be
    named by screening decisions, so it must never be given to another publication."""
    try:
        last = json.loads(summary_path.read_text(encoding="utf-8")).get("last_record_id", "")
    except (OSError, ValueError, AttributeError):  # no summary yet, or one the PRISMA stage reports as broken
        return 0
    match = _ID.match(str(last))
    return int(match.group(1)) if match else 0


def _assign_ids(clusters: list, labels: list, previous: dict, highest: int) -> tuple[list, dict, int, dict]:
    """A record ID per cluster (kept from the previous run where possible), the IDs each replaces, the number
    of new IDs and ``{earlier ID: index of its first source}``.

    An earlier ID stays with the cluster that holds its *first source* (the first-seen source record that
    carried it, which :func:`sysrev.dedup.clustering.build_clusters` keeps the ID with): a source a reviewer
    split off leaves the ID behind, whatever the sizes or names of the parts. A cluster holding the first
    sources of several earlier records (a reviewer's ``same``) keeps the lowest ID and replaces the others.
    Clusters without one get new IDs, numbered in the order of their lowest source name, so the numbering does
    not depend on the order a database listed its records. An ID merged away earlier is located by its own
    first source (``previous`` maps that source to it), so a record split off again gets its ID back.
    """
    cluster_of = {i: n for n, members in enumerate(clusters) for i in members}
    first_source = {}
    for i, label in enumerate(labels):
        if label in previous:
            first_source.setdefault(previous[label], i)
    kept = {}
    for rid, i in first_source.items():
        kept.setdefault(cluster_of[i], []).append(rid)
    ids = [""] * len(clusters)
    replaced = {}
    for n, old in kept.items():
        ids[n], *replaced[n] = sorted(old)
    new = 0
    for n in sorted((n for n in range(len(clusters)) if not ids[n]),
                    key=lambda n: min(labels[i] for i in clusters[n])):
        highest += 1
        new += 1
        ids[n] = f"R{highest:06d}"
    return ids, replaced, new, first_source


def run_project(project, progress=None) -> ProjectDedup:
    """Deduplicate all snapshots of ``project`` and write the records files (atomically).

    The whole read-compute-write runs under the project lock, so a dedup that was paused or slow can never
    overwrite the result of a newer import + dedup with one computed from older snapshots.
    """
    with project_lock(project.root):
        return _run_project(project, progress)


def _run_project(project, progress) -> ProjectDedup:
    sources = collect_sources(project)
    if not sources:
        raise SysrevError(f"{project.runs_dir}: no search-run snapshots to deduplicate; run a search or "
                          "import an export first")
    records_dir = Path(project.records_dir)
    _refuse_lost_records(project)
    decisions = read_decisions(records_dir / DECISIONS_FILE)
    were_gone = {r["record_id"]: r for r in load_gone_records(project)}
    were_kept = _records_by_id(project)
    previous, highest, previous_replaces = _previous_ids(project, [*were_gone.values(), *were_kept.values()])
    labels = [s.label for s in sources]
    result = deduplicate([s.record for s in sources], labels=labels, decisions=decisions,
                         previous_ids=[previous.get(label, "") for label in labels],
                         origins=[s.runs[-1] for s in sources], progress=progress)
    aliases = {old: entry for record in [*were_gone.values(), *were_kept.values()]
               for old, entry in ((record.get("extra") or {}).get("dedup_merged") or {}).items()}
    located = {**previous, **{entry["first_source"]: old for old, entry in aliases.items()
                              if isinstance(entry, dict) and entry.get("first_source")}}
    ids, replaced, new, first_source = _assign_ids(result.clusters, labels, located, highest)
    cluster_of = result.cluster_of()

    related = {}
    for note in result.related:
        ca, cb = cluster_of[note.a], cluster_of[note.b]
        related.setdefault(ca, {}).setdefault(ids[cb], note.reason)
        related.setdefault(cb, {}).setdefault(ids[ca], note.reason)

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    placed = set(ids).union(*replaced.values())  # IDs given or replaced in this run, wherever they were before
    lines, merged_away = [], {}
    for n, members in sorted(enumerate(result.clusters), key=lambda item: ids[item[0]]):
        merged = merge_records([sources[i].record for i in members])
        if n in related:
            merged.extra["dedup_related"] = [{"record_id": rid, "reason": why}
                                             for rid, why in sorted(related[n].items())]
        # the IDs this record stands for: those merged into it now or before (each located by its first source;
        # one merged before this was recorded stays, as does one whose source no run holds now)
        earlier = previous_replaces.get(ids[n], [])
        merging = set(replaced.get(n, [])) - set(earlier)
        merged_away.update(dict.fromkeys(merging, ids[n]))
        replaces = sorted(set(replaced.get(n, [])) | {old for old in earlier if old not in placed})
        if replaces:  # kept on every later run: an ID merged away is never given to another record
            merged.extra["dedup_replaces"] = replaces
            kept_entries = {**aliases, **{old: {"at": now, "first_source": labels[first_source[old]]}
                                          for old in merging}}
            entries = {old: kept_entries[old] for old in replaces if old in kept_entries}
            if entries:
                merged.extra["dedup_merged"] = entries
        data = {"record_id": ids[n], **merged.to_dict(),
                "sources": [{"run": run, "source": sources[i].database, "source_id": sources[i].record.source_id}
                            for i in members for run in sources[i].runs]}
        lines.append(scrub_text(json.dumps(data, ensure_ascii=False)) + "\n")  # older snapshots may hold keys

    identified = {}
    for s in sources:
        identified[s.database] = identified.get(s.database, 0) + 1
    summary = {"identified": dict(sorted(identified.items())), "duplicates_removed": result.duplicates_removed,
               "records": len(result.clusters)}
    highest = max([highest, *(int(match.group(1)) for match in map(_ID.match, ids) if match)])
    if highest:
        summary["last_record_id"] = f"R{highest:06d}"
    kept = set(ids).union(*replaced.values())  # IDs merged away in this run live on in their record's list
    gone = {rid: record for rid, record in {**were_gone, **were_kept}.items() if rid not in kept}
    queue = [{"record_a": labels[p.a], "record_b": labels[p.b], "reason": p.reason, "score": f"{p.score:.2f}",
              "title_a": sources[p.a].record.title, "title_b": sources[p.b].record.title}
             for p in result.uncertain if frozenset((labels[p.a], labels[p.b])) not in decisions]

    records_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(records_dir / RECORDS_FILE, "".join(lines))
    atomic_write_json(records_dir / SUMMARY_FILE, summary)
    write_queue(records_dir / QUEUE_FILE, queue)
    _write_gone(records_dir / GONE_FILE, gone)
    problems = [f"{labels[i]}: {msg}" for i, msg in result.problems]
    return ProjectDedup(identified=summary["identified"], records=len(result.clusters),
                        duplicates_removed=result.duplicates_removed, uncertain=len(queue),
                        related=len(result.related), problems=problems, new_ids=new,
                        gone_ids=sorted(set(gone) - set(were_gone)), merged_away=merged_away)
