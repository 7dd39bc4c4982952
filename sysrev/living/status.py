"""Where the whole review stands, stage by stage: what `sysrev status` prints and `sysrev refresh` ends with.

Searches (each strategy's last run, and the exports brought in with `sysrev import` under their names), dedup
(records, and whether it has read every run), screening (per stage and reviewer: what is left), studies (included,
and the reports no study claims), the pending items of every included study (extraction and RoB 2 per outcome of
``analysis/analyses.toml``, see :mod:`sysrev.living.studies`), the analyses (the status in their results file, and
whether their inputs changed since it was written), and how many temporary files interrupted writes left
(:mod:`sysrev.interrupted_writes`). Reading only: nothing is written, so it is safe to run at any moment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sysrev.errors import SysrevError
from sysrev.interrupted_writes import find_leftovers
from sysrev.living.studies import (
    find_pending,
    included_studies,
    read_exemptions,
    read_study_table,
    rob_pairs,
    same_trial_hints,
)
from sysrev.wording import counted


@dataclass
class PendingReport:
    """Included studies and what each still lacks (what `meta run` prints and `--strict` refuses)."""

    studies: list  # labels of included studies
    pending: list  # [Pending]
    exempted: list  # [Pending] with the reason as ``why``
    unlinked: list  # studies.csv rows not linked to any record
    notes: list = field(default_factory=list)
    not_included: list = field(default_factory=list)  # extracted (so pooled) studies none of whose reports is included

    def to_dict(self) -> dict:
        return {"studies": self.studies, "pending": [p.to_dict() for p in self.pending],
                "exempted": [p.to_dict() for p in self.exempted], "unlinked": self.unlinked, "notes": self.notes,
                "not_included": self.not_included}


def included_record_ids(project) -> tuple[list, list]:
    """``(record IDs included at full text, notes)``; no records or logs yet gives ``([], [why])``."""
    finals, notes = full_text_finals(project)
    return _included(finals), notes


def full_text_finals(project, screening=None) -> tuple[dict, list]:
    """``({record ID: its final full-text decision or None}, notes)`` for every record that reached full text;
    no records or logs yet gives ``({}, [why])``. ``screening``: the project's, when the caller has read it."""
    from sysrev.screening.state import load_screening

    try:
        screening = load_screening(project) if screening is None else screening
    except SysrevError as exc:
        return {}, [f"screening could not be read: {exc}"]
    stage = screening.stages["full_text"]
    return {rid: stage.final(rid) for rid in stage.eligible}, []


def _included(finals: dict) -> list:
    return [rid for rid, decision in finals.items() if decision and decision.decision == "include"]


def pending_report(project, specs=None, *, all_specs=None, screening=None) -> PendingReport:
    """The included studies of ``project`` and their pending items for the outcomes of its analyses (``specs``,
    default all). An exemption is checked against the outcomes of every analysis (``all_specs``, default
    ``specs``): one for an analysis not run now is not an error. ``screening``: the project's, when the
    caller has read it (else it is read here)."""
    from sysrev.analyses.spec import load_analyses
    from sysrev.extraction.table import load_extraction

    specs = load_analyses(project) if specs is None else specs
    outcomes = list(dict.fromkeys(spec.outcome for spec in specs))
    known = {spec.outcome for spec in (specs if all_specs is None else all_specs)}
    finals, notes = full_text_finals(project, screening)
    table = read_study_table(project)
    if table.studies and not table.has_records_column:
        notes.append(f"{table.path} has no 'records' column: studies cannot be matched to their reports, so "
                     "every row counts as an included study")
    included = included_studies(table, _included(finals))
    extracted = {(row.study, row.outcome) for row in load_extraction(project)}
    complete, started = rob_pairs(project)
    pending, exempted = find_pending(included, outcomes, extracted, complete, started,
                                     read_exemptions(project, known),
                                     _same_trial_hints(project, table, included.unassigned))
    not_included = [] if notes else pooled_not_included(table, included, extracted, outcomes, finals)
    return PendingReport([s.label for s in included.studies], pending, exempted, included.unlinked, notes,
                         not_included)


def pooled_not_included(table, included, extracted, outcomes, finals) -> list[str]:
    """A warning for each study of studies.csv that has extraction rows for an analysed outcome, which the
    analyses read and pool once complete, while none of its reports is included at full text (excluded there,
    or not decided yet): a forest plot would show a study the screening does not include. (A row without
    record IDs counts as included, as :func:`sysrev.living.studies.included_studies` says.)"""
    chosen = {study.label for study in included.studies}
    warnings = []
    for study in table.studies.values():
        pooled = [outcome for outcome in outcomes if (study.label, outcome) in extracted]
        if study.label in chosen or not pooled:
            continue
        states = "; ".join(f"{rid} {_full_text_state(finals.get(rid), rid in finals)}" for rid in study.records)
        warnings.append(f"{study.label} has extraction rows for {', '.join(pooled)}, which the analyses read, but "
                        f"none of its reports is included at full text ({states}): include a report, or take the "
                        "study's rows out of the extraction")
    return warnings


def _full_text_state(decision, reached: bool) -> str:
    """How a record stands at full text, in a few words."""
    if not reached:
        return "not at full text"
    if decision is None:
        return "awaiting its full-text decision"
    done = {"exclude": "excluded", "maybe": "marked maybe"}[decision.decision]  # an include is an included study
    return done + (f" ({decision.reason})" if decision.reason else "")


def _same_trial_hints(project, table, unassigned) -> dict:
    """:func:`same_trial_hints` from the deduplicated records' related links (none while nothing is unassigned)."""
    from sysrev.dedup.project_run import load_records

    if not unassigned:
        return {}
    wanted = set(unassigned)
    try:
        records = load_records(project)
    except SysrevError:  # the included records' file is unreadable: `status` reports that elsewhere
        return {}
    return same_trial_hints(table, unassigned, {r["record_id"]: r for r in records if r["record_id"] in wanted})


def format_pending(report: PendingReport, limit: int | None = None) -> str:
    """The pending items as lines a reviewer can act on, grouped by study."""
    if not report.pending:
        return f"pending: none ({len(report.studies)} included studies complete for every analysed outcome)"
    lines = [f"pending: {counted(len(report.pending), 'item')} for included studies (mark one settled in "
             "analysis/exemptions.csv with a reason):"]
    shown = report.pending if limit is None else report.pending[:limit]
    lines += [f"  {p}" for p in shown]
    if len(shown) < len(report.pending):
        lines.append(f"  … and {len(report.pending) - len(shown)} more (`sysrev status` lists all)")
    return "\n".join(lines)


def stage_pending_lines(project, stage: str) -> list[str]:
    """For `extract check` / `rob check`: the included studies still lacking this ``stage`` (extraction or
    rob2) for an analysed outcome, and included records assigned to no study — so a new study cannot stay out
    unnoticed while every form present is valid. Empty when there is nothing pending or nothing to tell
    (no screening logs or analyses yet)."""
    try:
        report = pending_report(project)
    except SysrevError:
        return []
    items = [p for p in report.pending if p.stage in (stage, "study")]
    if not items:
        return []
    what = {"extraction": "extraction rows", "rob2": "RoB 2 forms"}[stage]
    head = (f"pending: {counted(len(items), 'included item')} still without {what} for an analysed outcome (`sysrev "
            "status` lists every stage; settle one in analysis/exemptions.csv with a reason):")
    return [head] + [f"  {p}" for p in items]


def search_status(project) -> tuple[list[dict], list[dict]]:
    """``(strategies, imports)``. Per strategy: database, runs, the last run's folder, date and record count
    (strategy-matched runs), and whether it is a draft. Per name of the snapshots no strategy ran (exports
    brought in with `sysrev import`, or runs of a query no strategy file holds now): how many, and the last
    one's folder, date, record count and database — without them a review built from exports reads "never
    run". Strategy files that cannot be read give ``[{"error": …}]`` and every snapshot is listed as an import."""
    from sysrev.search.runner import strategy_runs
    from sysrev.search.snapshot import list_snapshots
    from sysrev.search.strategies import load_strategies

    searches, ran = [], set()
    try:
        strategies = load_strategies(project.searches_dir)
    except SysrevError as exc:
        strategies, searches = [], [{"error": str(exc)}]
    for strategy in strategies:
        runs = strategy_runs(project.runs_dir, strategy)
        ran.update(path.name for path in runs)
        entry = {"name": strategy.name, "database": strategy.database, "runs": len(runs), "last_run": None,
                 "last_run_date": None, "last_run_records": None, "draft": strategy.draft}
        if runs:
            manifest = json.loads((runs[-1] / "manifest.json").read_text(encoding="utf-8"))
            entry.update(last_run=runs[-1].name, last_run_date=manifest.get("created"),
                         last_run_records=manifest.get("retrieved_count"))
        searches.append(entry)
    imports = {}
    for path in list_snapshots(project.runs_dir):
        if path.name in ran:
            continue
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # `sysrev check` names an unreadable manifest
        name = manifest.get("name") or path.name.partition("-")[2]
        entry = imports.setdefault(name, {"name": name, "runs": 0})
        entry.update(runs=entry["runs"] + 1, last_run=path.name, last_run_date=manifest.get("created"),
                     last_run_records=manifest.get("retrieved_count"), database=manifest.get("database", ""))
    return searches, sorted(imports.values(), key=lambda e: e["name"])


def dedup_status(project, records=None) -> dict:
    """Records after dedup, the snapshots dedup has not read yet (run `sysrev dedup`), and the records that left
    the review because their search runs were deleted. ``records``: the project's, when the caller has read
    them."""
    from sysrev.dedup.project_run import gone_record_ids, load_records, unapplied_decisions
    from sysrev.screening.log import logged_record_ids
    from sysrev.search.snapshot import list_snapshots

    runs = [p.name for p in list_snapshots(project.runs_dir)]
    try:
        records = load_records(project) if records is None else records
    except SysrevError as exc:
        if (project.records_dir / "records.jsonl").is_file():  # there, but unreadable: not "not run yet"
            return {"records": None, "error": str(exc), "runs_not_deduplicated": []}
        if logged_record_ids(project.screening_dir):  # decisions on records of a file now lost: not "not run yet"
            return {"records": None, "missing": True, "runs_not_deduplicated": []}
        return {"records": None, "runs_not_deduplicated": runs}
    read = {source.get("run") for record in records for source in record.get("sources") or []}
    return {"records": len(records), "runs_not_deduplicated": [run for run in runs if run not in read],
            "gone": sorted(gone_record_ids(project)), "decisions_not_applied": unapplied_decisions(project, records)}


def screening_status(project, screening=None) -> dict:
    """:func:`sysrev.screening.summary.stage_summary` of each stage, or why screening cannot be read.
    ``screening``: the project's, when the caller has read it."""
    from sysrev.screening.config import STAGES
    from sysrev.screening.state import load_screening
    from sysrev.screening.summary import stage_summary

    try:
        screening = load_screening(project) if screening is None else screening
    except SysrevError as exc:
        return {"error": str(exc)}
    return {stage: stage_summary(screening, stage) for stage in STAGES}


def analyses_status(project, specs, report: PendingReport) -> list[dict]:
    """Per analysis: its results file's status, and whether the studies extracted for its outcome differ from
    those in that file (the inputs changed: run `sysrev meta run`)."""
    from sysrev.extraction.table import load_extraction

    rows = load_extraction(project)
    out = []
    for spec in specs:
        path = project.results_dir / f"{spec.name}.json"
        now = sorted({row.study for row in rows if row.outcome == spec.outcome})
        entry = {"name": spec.name, "outcome": spec.outcome, "status": None, "inputs_changed": True,
                 "why": "no results file yet"}
        if path.is_file():
            saved = json.loads(path.read_text(encoding="utf-8"))
            counts = saved.get("counts") or {}
            before = sorted(set(counts.get("studies_complete", [])) | set(counts.get("studies_missing", []))
                            | {e.get("study") for e in saved.get("excluded") or [] if e.get("study")})
            entry["status"] = saved.get("status")
            added, removed = sorted(set(now) - set(before)), sorted(set(before) - set(now))
            entry["inputs_changed"] = bool(added or removed)
            entry["why"] = "; ".join(filter(None, [added and f"studies added: {', '.join(added)}",
                                                   removed and f"studies removed: {', '.join(removed)}"])) or ""
        waiting = sorted({p.study for p in report.pending if p.outcome == spec.outcome and p.stage == "extraction"})
        entry["studies_awaiting_extraction"] = waiting
        out.append(entry)
    return out


def _read_once(project) -> tuple:
    """``(records, screening)`` of ``project``, read once for all the parts of :func:`pipeline_status` (each read
    costs seconds at tens of thousands of records); None for what cannot be read, which the part that needs it
    then reads again, to say why."""
    from sysrev.dedup.project_run import load_records
    from sysrev.screening.state import load_screening

    try:
        records = load_records(project)
    except SysrevError:
        return None, None
    try:
        return records, load_screening(project, records=records)
    except SysrevError:
        return records, None


def pipeline_status(project) -> dict:
    """The whole review, stage by stage, as one JSON-ready dict (see the module docstring)."""
    from sysrev.analyses.spec import load_analyses
    from sysrev.living.release import list_releases

    records, screening = _read_once(project)
    searches, imports = search_status(project)
    status = {"searches": searches, "imports": imports, "dedup": dedup_status(project, records),
              "screening": screening_status(project, screening), "releases": list_releases(project),
              "interrupted_writes": len(find_leftovers(project.root))}
    try:
        specs = load_analyses(project)
    except SysrevError as exc:
        status.update(studies=None, analyses=[], error=str(exc))
        return status
    report = pending_report(project, specs, screening=screening)
    status["studies"] = report.to_dict()
    status["analyses"] = analyses_status(project, specs, report)
    return status
