"""Study identity across stages: which *study* each included report belongs to, and what each study still lacks.

Screening decides on records (reports); one trial can have several papers. The ``records`` column of
``analysis/extraction/studies.csv`` (the study-characteristics table, one row per study) names the record IDs
of a study's reports, separated by ``;``::

    study,citation,…,records
    Park 2013,"Park Y, … 2013",…,R000013
    Lee 2021,"Lee S, … 2021",…,R000031; R000044

Extraction rows (``study`` column) and RoB 2 forms (``study = "…"``) name the study by that label, so the
study is the unit that flows from screening to the pooled result.

An included study is *pending* for an outcome of ``analysis/analyses.toml`` when it has no extraction row for
that outcome, or no RoB 2 form for it (``analysis/rob2/<study>--<outcome>.toml`` with a complete overall
judgement). A pending item a review team has settled is listed in ``analysis/exemptions.csv`` with its reason::

    study,stage,outcome,reason
    Jee 2013,extraction,ODI,outcome not reported (the trial used the Neck Disability Index)
    Jee 2013,rob2,*,awaiting the trial's full text

``stage`` is ``extraction`` or ``rob2``; ``outcome`` an outcome name or ``*`` (every outcome). An outcome
exempted from extraction needs no RoB 2 form either: there is no result to assess. An included record that no
study lists is pending too ("not assigned to a study"), so nothing included can silently stay out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.dedup.merged_records import project_merged_ids
from sysrev.errors import InputError, SysrevError
from sysrev.extraction.form import read_study_csv
from sysrev.extraction.table import STUDIES_FILE
from sysrev.hand_tables import read_table, table_rows

RECORDS_COLUMN = "records"
EXEMPTIONS_FILE = "exemptions.csv"
EXEMPTION_COLUMNS = ("study", "stage", "outcome", "reason")
PENDING_STAGES = ("extraction", "rob2")
_SPLIT = re.compile(r"[;,\s]+")


@dataclass(frozen=True)
class Study:
    """One study of ``studies.csv`` and the record IDs of its reports (empty when not linked yet)."""

    label: str
    records: tuple[str, ...]
    line: int | None = None


@dataclass
class StudyTable:
    """The study table of a project: studies by label and the study each record ID belongs to."""

    studies: dict = field(default_factory=dict)  # label -> Study
    by_record: dict = field(default_factory=dict)  # record_id -> label
    path: Path | None = None
    has_records_column: bool = False


@dataclass(frozen=True)
class Pending:
    """Something an included study still needs: ``stage`` extraction/rob2/study, for ``outcome``."""

    study: str
    stage: str
    outcome: str
    why: str

    def to_dict(self) -> dict:
        return {"study": self.study, "stage": self.stage, "outcome": self.outcome, "why": self.why}

    def __str__(self) -> str:
        outcome = f" {self.outcome}" if self.outcome else ""
        return f"{self.study}: {self.stage}{outcome} — {self.why}"


def studies_path(project) -> Path:
    return project.extraction_dir / STUDIES_FILE


def exemptions_path(project) -> Path:
    return project.analysis_dir / EXEMPTIONS_FILE


def read_study_table(project, known_records=None, problems: list | None = None) -> StudyTable:
    """Read the study table (``studies.csv``); {} when the file does not exist yet.

    A record ID listed under two studies, or one that is not a deduplicated record (when ``known_records`` is
    given), is an :class:`InputError` naming the line; given a ``problems`` list, every such error is added
    to it instead (``sysrev check`` lists them all) and the record ID is left out.
    """
    report = _reporter(problems)
    gone = None  # the records that left the review: read once, at the first unknown record ID
    path = studies_path(project)
    table = StudyTable(path=path)
    if not path.is_file():
        return table
    header, rows = read_study_csv(path)
    table.has_records_column = RECORDS_COLUMN in header
    merged = project_merged_ids(project)
    for line, row in rows:
        # a report that dedup merged into another record is that record (the same publication)
        ids = tuple(dict.fromkeys(merged.get(r, (r,))[0] for r in _SPLIT.split(row.get(RECORDS_COLUMN, "")) if r))
        for rid in ids:
            if rid in table.by_record:
                report(InputError(f"record {rid} is listed under study {row['study']!r} and under study "
                                  f"{table.by_record[rid]!r}; a report belongs to one study",
                                  path=path, line=line, column=RECORDS_COLUMN))
            elif known_records is not None and rid not in known_records:
                from sysrev.dedup.project_run import gone_note, gone_record_ids  # the engine, only on this path

                gone = gone_record_ids(project) if gone is None else gone
                note = gone_note(rid) if rid in gone else ""
                report(InputError(f"record {rid} (study {row['study']!r}) is not in records/records.jsonl{note}",
                                  path=path, line=line, column=RECORDS_COLUMN))
            else:
                table.by_record[rid] = row["study"]
        table.studies[row["study"]] = Study(row["study"], ids, line)
    return table


@dataclass
class IncludedStudies:
    """The studies a review includes now, and the included reports no study claims."""

    studies: list  # [Study], in studies.csv order
    unassigned: list  # record IDs included at full text but listed under no study
    unlinked: list  # labels of studies.csv rows without record IDs (counted as included)
    included_records: list

    def reports_of(self, label: str) -> list:
        study = next((s for s in self.studies if s.label == label), None)
        included = set(self.included_records)
        return [r for r in (study.records if study else ()) if r in included]


def included_studies(table: StudyTable, included_records) -> IncludedStudies:
    """Included studies: those with a report included at full text, plus studies.csv rows not yet linked to
    any record (kept as included, flagged, so a table written before screening still counts)."""
    included = list(included_records)
    chosen = set(included)
    studies, unlinked = [], []
    for study in table.studies.values():
        if not study.records:
            studies.append(study)
            unlinked.append(study.label)
        elif chosen & set(study.records):
            studies.append(study)
    # Without a records column nothing can be matched: the note of the caller says so, once.
    unassigned = [rid for rid in included if rid not in table.by_record] if table.has_records_column else []
    return IncludedStudies(studies, unassigned, unlinked, included)


ENTERED_COLUMN = "entered"


def entered_dates(project, studies) -> list[str]:
    """The date (YYYY-MM-DD) each of ``studies`` entered the review, to order a cumulative meta-analysis or a
    TSA by (``--order-by entered``).

    A value typed in the ``entered`` column of studies.csv wins (a team re-enacting history, or a study
    entered before sysrev kept the logs); otherwise it is derived from the screening logs: the day the first of
    the study's reports (the ``records`` column) was included at full text — the later reviewer's vote when
    several must agree, or the reconciliation. A study with neither is an error naming it.
    """
    from sysrev.screening.state import load_screening

    table = read_study_table(project)
    typed = {}
    if table.path is not None and table.path.is_file():
        header, rows = read_study_csv(table.path)
        if ENTERED_COLUMN in header:
            typed = {row["study"]: row[ENTERED_COLUMN] for _, row in rows if row.get(ENTERED_COLUMN)}
    derived = {}
    if any(study not in typed for study in studies):
        try:
            full_text = load_screening(project).stages["full_text"]
        except SysrevError:  # no records or logs yet: nothing can be derived (the error below says what to do)
            full_text = None
        for rid, label in table.by_record.items() if full_text is not None else ():
            if full_text.status(rid) != "decided" or full_text.final(rid).decision != "include":
                continue
            decisions = ([full_text.reconciled[rid]] if rid in full_text.reconciled
                         else list(full_text.votes(rid).values()))
            day = max(d.timestamp for d in decisions)[:10]
            derived[label] = min(derived.get(label, day), day)
    values = []
    for study in studies:
        value = typed.get(study) or derived.get(study)
        if not value:
            raise SysrevError(f"study {study!r} has no '{ENTERED_COLUMN}' date in {studies_path(project)} and "
                              f"none of its reports (column '{RECORDS_COLUMN}') is included at full text in the "
                              "screening logs: link its reports, or type the date in an 'entered' column")
        values.append(value)
    return values


def read_exemptions(project, outcomes=(), problems: list | None = None) -> dict:
    """``{(study, stage, outcome or "*"): reason}`` from ``analysis/exemptions.csv``; {} when it is absent.

    Every row needs a reason; an unknown stage, or an outcome that no analysis uses (when ``outcomes`` is
    given), is an error naming the line; given a ``problems`` list, every such error is added to it instead
    and the row is left out (the whole file, when it was cut off: :func:`sysrev.hand_tables.read_table`).
    """
    report = _reporter(problems)
    path = exemptions_path(project)
    if not path.is_file():
        return {}
    try:
        text = read_table(path)
    except InputError as error:  # cut off, or not UTF-8: no row of it can be trusted
        report(error)
        return {}
    rows = table_rows(text)
    header = [h.strip() for h in next(rows, (1, []))[1]]
    if tuple(header) != EXEMPTION_COLUMNS:
        raise InputError(f"the header must be {','.join(EXEMPTION_COLUMNS)}", path=path, line=1)
    out = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            report(InputError(f"{len(cells)} cells but the header has {len(header)}", path=path, line=line))
            continue
        study, stage, outcome, reason = (c.strip() for c in cells)
        outcome = outcome or "*"
        if stage not in PENDING_STAGES:
            report(InputError(f"stage {stage!r} must be one of {', '.join(PENDING_STAGES)}", path=path,
                              line=line, column="stage"))
        elif not study or not reason:
            report(InputError("every exemption needs a study and a reason", path=path, line=line))
        elif outcomes and outcome != "*" and outcome not in outcomes:
            report(InputError(f"outcome {outcome!r} is not the outcome of any analysis in analysis/analyses.toml "
                              f"({', '.join(sorted(outcomes))})", path=path, line=line, column="outcome"))
        else:
            out[(study, stage, outcome)] = reason
    return out


def _reporter(problems: list | None):
    """Raise each problem, or (given a list) collect it there."""

    def report(error: InputError) -> None:
        if problems is None:
            raise error
        problems.append(error)

    return report


def _exempt(exemptions: dict, study: str, stage: str, outcome: str) -> str | None:
    return exemptions.get((study, stage, outcome)) or exemptions.get((study, stage, "*"))


def same_trial_hints(table: StudyTable, unassigned, records: dict) -> dict:
    """For included records no study lists, the study one of their trial's other records belongs to.

    ``records`` maps a record ID to its records.jsonl line; dedup's related links that say both records name
    one trial registration (:func:`sysrev.dedup.trial_refs.same_trial_links`) point at that record's study:
    ``{record_id: "it names the trial of study 'Park 2013' (R000013: both name trial NCT01234567)"}``.
    A hint only: assigning a report to a study stays the team's decision (studies.csv).
    """
    from sysrev.dedup.trial_refs import same_trial_links

    hints = {}
    for rid in unassigned:
        for other, why in same_trial_links(records.get(rid) or {}):
            if other in table.by_record:
                hints[rid] = f"it names the trial of study '{table.by_record[other]}' ({other}: {why})"
                break
    return hints


def find_pending(included: IncludedStudies, outcomes, extracted: set, rob_complete: set, rob_started: set,
                 exemptions: dict, hints: dict | None = None) -> tuple[list, list]:
    """``(pending, exempted)`` for the included studies.

    ``extracted`` holds ``(study, outcome)`` pairs with at least one extraction row; ``rob_complete`` pairs
    with a RoB 2 form whose overall judgement is known; ``rob_started`` pairs with a form at all. ``hints``
    (:func:`same_trial_hints`) add to an unassigned record's line the study its trial belongs to.
    """
    pending, exempted = [], []
    for rid in included.unassigned:
        hint = (hints or {}).get(rid)
        pending.append(Pending(rid, "study", "", f"included record {rid} is listed under no study in the "
                                                 f"'{RECORDS_COLUMN}' column of studies.csv"
                                                 + (f"; {hint}" if hint else "")))
    for study in included.studies:
        for outcome in outcomes:
            reason = _exempt(exemptions, study.label, "extraction", outcome)
            if reason:
                exempted.append(Pending(study.label, "extraction", outcome, reason))
                continue
            if (study.label, outcome) not in extracted:
                pending.append(Pending(study.label, "extraction", outcome, "no extraction row"))
            reason = _exempt(exemptions, study.label, "rob2", outcome)
            if reason:
                exempted.append(Pending(study.label, "rob2", outcome, reason))
            elif (study.label, outcome) not in rob_complete:
                why = "RoB 2 form incomplete (no overall judgement)" if (study.label, outcome) in rob_started \
                    else "no RoB 2 form"
                pending.append(Pending(study.label, "rob2", outcome, why))
    return pending, exempted


def rob_pairs(project) -> tuple[set, set]:
    """``(complete, started)`` sets of ``(study, outcome)`` among the project's RoB 2 forms."""
    from sysrev.rob.form import load_assessments

    try:
        assessments = load_assessments(project.rob_dir)
    except SysrevError as exc:
        raise SysrevError(f"cannot read the RoB 2 forms ({exc}); `sysrev rob check` lists every problem") from None
    started = {(a.study, a.outcome) for a in assessments}
    complete = {(a.study, a.outcome) for a in assessments if a.overall_final() is not None}
    return complete, started
