"""`sysrev refresh`: one command from "time to update the review" to "here is what waits for people".

1. **Searches.** Every ``pubmed``/``scopus`` strategy in ``searches/`` runs as a living update: only records
   added since that strategy's last run (:func:`sysrev.search.runner.strategy_runs`: same name, database and
   query hash), or in full when it has never run (or its query changed). A strategy already run today, whose
   run has no gaps, is not run again, so a second refresh the same day adds nothing.
2. **Inbox.** Export files of ``database = "file"`` strategies (CENTRAL, Embase …) are dropped by a reviewer
   in ``searches/inbox/<strategy name>/`` (all files of one split export together); each folder becomes one
   snapshot, and its files then move to ``searches/inbox/<strategy name>/imported/``. A file whose SHA-256 an
   existing snapshot already records is not imported again (a refresh killed between writing the snapshot
   and moving the file loses and repeats nothing), and the inbox is imported under the project lock, so of
   two refreshes started together the second waits and imports nothing twice.
3. **Dedup** against the whole history with stable record IDs (:func:`sysrev.dedup.project_run.run_project`):
   a new record that duplicates one already screened joins its record ID and is not screened again, so only
   genuinely new records reach the screening queue.
4. **To-do list** (:func:`sysrev.living.status.pipeline_status`): records to screen per stage and reviewer,
   full texts to assess, included studies without extraction rows or RoB 2 forms, analyses whose inputs
   changed.

Every step is resumable: an interrupted search continues from its partial state (``--resume`` semantics of
``sysrev search``), snapshots and records are written atomically, and dedup is recomputed from the snapshots.
Credentials come from the environment (or the user's own config file), never from the project.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sysrev.errors import SysrevError

INBOX = "inbox"
IMPORTED = "imported"


@dataclass
class RefreshOutcome:
    """What one refresh did (or, with ``dry_run``, would do), and the to-do list after it."""

    searches: list = field(default_factory=list)  # {name, database, action, since, snapshot, retrieved, new, gaps}
    imports: list = field(default_factory=list)  # {strategy, files, action, snapshot, records}
    failed: list = field(default_factory=list)  # {name, error}
    dedup: dict | None = None  # {records, new_ids, duplicates_removed, new_record_ids, problems, gone, merged}
    status: dict | None = None
    dry_run: bool = False

    def to_dict(self) -> dict:
        return {"dry_run": self.dry_run, "searches": self.searches, "imports": self.imports, "failed": self.failed,
                "dedup": self.dedup, "todo": self.status}


def _today():
    """Today's UTC date (one place, so a test can move the clock a month on)."""
    return datetime.now(UTC).date()


def inbox_dir(project) -> Path:
    return project.searches_dir / INBOX


def _ran_today_without_gaps(runs, today) -> bool:
    import json

    if not runs:
        return False
    manifest = json.loads((runs[-1] / "manifest.json").read_text(encoding="utf-8"))
    return str(manifest.get("created", "")).startswith(today.isoformat()) and not manifest.get("gaps")


def plan_searches(project, strategies, today) -> list:
    """``[(strategy, action, since)]``: action ``update`` (since the last run), ``full``, ``skip`` (run today
    already) or ``draft`` (the query is still `sysrev init`'s starting point: not sent)."""
    from sysrev.search.runner import strategy_runs

    plan = []
    for strategy in strategies:
        if strategy.database == "file":
            continue
        runs = strategy_runs(project.runs_dir, strategy)
        if strategy.draft:
            plan.append((strategy, "draft", None))
        elif _ran_today_without_gaps(runs, today):
            plan.append((strategy, "skip", None))
        else:
            plan.append((strategy, "update" if runs else "full", "last" if runs else None))
    return plan


def inbox_batches(project, strategies) -> list:
    """``[(strategy name, [files])]`` waiting in the inbox; a file or folder that names no ``file`` strategy is
    an error (the reviewer has to say which search an export belongs to)."""
    folder = inbox_dir(project)
    if not folder.is_dir():
        return []
    names = {s.name for s in strategies if s.database == "file"}
    batches = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir() or entry.name not in names:
            raise SysrevError(f"{entry}: the inbox takes one folder per database = \"file\" strategy, named after "
                              f"it ({', '.join(sorted(names)) or 'the project has none'}); move the export into "
                              f"{folder}/<strategy>/")
        # hidden files, and the "~$name.xlsx" owner file Excel keeps beside a workbook it has open, are no exports
        files = sorted(p for p in entry.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
        if files:
            batches.append((entry.name, files))
    return batches


def _move_imported(files, strategy_name, project) -> None:
    done = inbox_dir(project) / strategy_name / IMPORTED
    done.mkdir(parents=True, exist_ok=True)
    for path in files:
        target = done / path.name
        if target.exists():
            target = done / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{path.name}"
        shutil.move(str(path), target)


def import_inbox(project, batches, outcome: RefreshOutcome, dry_run: bool, allow_truncated: bool = False) -> None:
    """Import each inbox batch as one snapshot (unless every file is already in a snapshot), then move it.

    Every batch is read before any is written, so a damaged or cut-off file (an error unless
    ``allow_truncated``) stops the refresh with nothing imported."""
    from sysrev.search.imports import earlier_imports, prepare_import, write_import

    prepared_batches = [(name, files, prepare_import(files, name, project=project, allow_truncated=allow_truncated))
                        for name, files in batches]
    for name, files, prepared in prepared_batches:
        entry = {"strategy": name, "files": [p.name for p in files], "records": len(prepared.records),
                 "snapshot": None, "warnings": prepared.warnings}
        already = {h for h in prepared.hashes if earlier_imports(project.runs_dir, {h})}
        if already == prepared.hashes:
            entry["action"] = "already imported"
        elif dry_run:
            entry["action"] = "would import"
        else:
            entry["action"] = "imported"
            entry["snapshot"] = write_import(prepared, project.runs_dir).name
        if not dry_run:
            _move_imported(files, name, project)
        outcome.imports.append(entry)


def run_searches(project, plan, outcome: RefreshOutcome, *, config, progress_for, today) -> None:
    """Run the planned searches; a failing one is recorded and the others go on."""
    from sysrev.search.runner import changes_since_previous, run_strategy

    for strategy, action, since in plan:
        entry = {"name": strategy.name, "database": strategy.database, "action": action, "snapshot": None,
                 "retrieved": None, "new": None, "gaps": [],
                 "why": strategy.draft_message() if action == "draft" else None}
        outcome.searches.append(entry)
        if action in ("skip", "draft") or outcome.dry_run:
            continue
        progress = progress_for(f"{strategy.database} {strategy.name}")
        try:
            result = run_strategy(strategy, project.runs_dir, since=since, resume=True, config=config,
                                  progress=progress, today=today)
        except SysrevError as exc:
            outcome.failed.append({"name": strategy.name, "error": str(exc)})
            entry["action"] = "failed"
            continue
        finally:
            progress.close()
        changes = changes_since_previous(project.runs_dir, result.snapshot, strategy)
        entry.update(snapshot=Path(result.snapshot).name, retrieved=result.retrieved, gaps=result.gaps,
                     new=changes["new"] if changes else result.retrieved)


def _record_ids(project) -> set:
    from sysrev.dedup.project_run import load_records

    try:
        return {r["record_id"] for r in load_records(project)}
    except SysrevError:
        return set()


def refresh(project, *, dry_run=False, config=None, progress_for=None, today=None,
            allow_truncated=False) -> RefreshOutcome:
    """Run steps 1–4 of the module docstring on ``project``; with ``dry_run`` write nothing and send no
    request, but say what would be done. ``allow_truncated`` imports the complete records of an inbox file
    cut off mid-record (otherwise an error before anything is written)."""
    from sysrev.dedup.project_run import gone_warning, merged_note, run_project
    from sysrev.living.status import pipeline_status
    from sysrev.locking import project_lock
    from sysrev.search.config import load_config
    from sysrev.search.progress import Progress
    from sysrev.search.snapshot import list_snapshots
    from sysrev.search.strategies import load_strategies

    today = today or _today()
    progress_for = progress_for or (lambda label: Progress(label, enabled=False))
    outcome = RefreshOutcome(dry_run=dry_run)
    strategies = load_strategies(project.searches_dir)
    if dry_run:
        import_inbox(project, inbox_batches(project, strategies), outcome, True, allow_truncated)
    else:
        # The inbox is listed, imported and emptied under the project lock: a second refresh started meanwhile
        # waits, then finds the files moved to imported/, instead of importing them a second time.
        with project_lock(project.root):
            import_inbox(project, inbox_batches(project, strategies), outcome, False, allow_truncated)
    plan = plan_searches(project, strategies, today)
    run_searches(project, plan, outcome, config=None if dry_run else (config or load_config()),
                 progress_for=progress_for, today=today)
    if not dry_run and list_snapshots(project.runs_dir):
        before = _record_ids(project)
        result = run_project(project)
        after = _record_ids(project)
        outcome.dedup = {"records": result.records, "new_ids": result.new_ids,
                         "duplicates_removed": result.duplicates_removed, "uncertain_pairs": result.uncertain,
                         "new_record_ids": sorted(after - before), "problems": result.problems,
                         "gone": gone_warning(project, result.gone_ids) if result.gone_ids else "",
                         "merged": merged_note(project, result.merged_away)}
    outcome.status = pipeline_status(project)
    return outcome
