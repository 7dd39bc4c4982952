"""PRISMA 2020 flow-diagram counts, derived from the review's files, never typed.

* Identification: records identified per database = distinct records retrieved by the search-run
  snapshots (``searches/runs/*/``, contract 3; a record re-found by a later run counts once), labelled with
  the ``[[databases]] name`` of review.toml whose strategy file the run came from (an imported file: the
  ``source`` of its ``searches/<name>.toml``); duplicates removed from ``records/dedup_summary.json`` (contract 5).
* Screening: records screened = the deduplicated records; excluded = the title/abstract stage's decisions
  (after reconciliation); reports sought = those included or marked maybe; reports not retrieved =
  full-text exclusions with the review's *not retrieved* reason; reports assessed = the rest; reports
  excluded, per reason; included = full-text inclusions.
* Updated reviews: studies (and reports) of the previous version are added to give the totals. Given an
  :class:`UpdateScope` (what the previous release covered: its search runs and record IDs, built by
  :mod:`sysrev.living.release`), every box counts *this update only*: records identified by runs made since
  that release and not found by an earlier run, the new records screened, their reports, and the new studies
  (a study is new when the previous release did not include it; its reports are grouped by
  ``studies.csv``). The previous version's studies are never counted again as new, and a report this update
  included of a study the previous version already included (a trial's second paper) is counted among the
  *reports of studies included in the previous version*, not among the new studies or their reports
  (``previous_reports_added``; the caller, :mod:`sysrev.living.release`, knows the studies).
* Work in progress: records not yet decided at a stage (unscreened, awaiting a second reviewer, in conflict,
  or still *maybe* at full text) are counted as *awaiting*; the boxes they would change are drawn with the
  counts so far and marked "in progress", and the arithmetic still holds with the awaiting counts included.

Without a scope, sysrev counts reports: "new studies" and "reports of new studies" are the same number
unless a caller passes ``new_studies``.

Every count is checked before anything is drawn: search runs against the dedup summary, the dedup summary
against records.jsonl, no full-text decision on a record that title/abstract screening did not send there.
A failed check is a :class:`PrismaError` that says where.

Databases are labelled with the ``[[databases]] name`` of review.toml whose strategy the run came from; without
one, with the strategy file's ``source`` (or the database's own name: PubMed, Scopus), never "file pubmed".
"""

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sysrev.errors import InputError, SysrevError
from sysrev.formats.fields import database_dialect
from sysrev.project import load_toml
from sysrev.screening.state import load_screening
from sysrev.search.snapshot import list_snapshots, read_snapshot, source_label
from sysrev.wording import counted


@dataclass(frozen=True)
class UpdateScope:
    """What the previous version of the review covered: its search runs (snapshot folder names), the record
    IDs it screened, and the studies and reports it included."""

    runs: frozenset
    records: frozenset
    studies: int
    reports: int


class PrismaError(SysrevError):
    """The review's files do not give a consistent PRISMA flow; the message says which count and where."""


@dataclass
class PrismaCounts:
    """The numbers of a PRISMA 2020 flow diagram."""

    identified: dict  # database or register label -> records
    duplicates_removed: int
    records_screened: int
    records_excluded: int
    reports_sought: int
    reports_not_retrieved: int
    reports_assessed: int
    reports_excluded: dict  # reason -> reports
    studies_included: int
    reports_included: int
    previous_studies: int | None = None
    previous_reports: int | None = None
    # Of previous_reports: reports included by this update that belong to a study of the previous version.
    previous_reports_added: int = 0
    # True when studies_included counts studies formed from the reports (studies.csv), not the reports.
    grouped: bool = False
    records_awaiting: int = 0  # title/abstract: records without a final decision yet
    reports_awaiting: int = 0  # full text: reports without a final decision yet (maybe included)
    awaiting_detail: list = field(default_factory=list)  # why, per stage, for the reviewer
    registers: list = field(default_factory=list)  # the labels of `identified` that are trial registers

    @property
    def from_databases(self) -> dict:
        """The ``identified`` counts of the bibliographic databases (PRISMA 2020's "Databases")."""
        return {label: k for label, k in self.identified.items() if label not in self.registers}

    @property
    def from_registers(self) -> dict:
        """The ``identified`` counts of the trial registers (PRISMA 2020's "Registers")."""
        return {label: k for label, k in self.identified.items() if label in self.registers}

    @property
    def in_progress(self) -> bool:
        """Screening is not finished: some boxes hold the counts so far, not final ones."""
        return bool(self.records_awaiting or self.reports_awaiting)

    @property
    def identified_total(self) -> int:
        return sum(self.identified.values())

    @property
    def total_studies(self) -> int:
        return self.studies_included + (self.previous_studies or 0)

    @property
    def total_reports(self) -> int:
        return self.reports_included + (self.previous_reports or 0)

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["grouped"]
        data.update(identified_total=self.identified_total, databases_total=sum(self.from_databases.values()),
                    registers_total=sum(self.from_registers.values()), total_studies=self.total_studies,
                    total_reports=self.total_reports, updated_review=self.previous_studies is not None,
                    in_progress=self.in_progress)
        return data


def prisma_counts(project, *, previous_studies=None, previous_reports=None, update: UpdateScope | None = None,
                  new_studies: int | None = None, reports_of_previous: int = 0, screening=None) -> PrismaCounts:
    """Derive and check the PRISMA 2020 counts of ``project``; with ``update``, of this update only (see the
    module docstring). ``new_studies`` is the number of studies the included reports form, when known;
    ``reports_of_previous`` (with ``update``) how many of the reports included in this update belong to
    studies of the previous version. ``screening``: the project's, when the caller has read it and it has no
    rows that cannot be counted (else it is read here, and such rows stop the counts)."""
    identified, by_database = identified_per_database(project)
    summary = _dedup_summary(project)
    screening = load_screening(project) if screening is None else screening
    problems = []
    if update is not None:
        previous_studies, previous_reports = update.studies, update.reports + reports_of_previous
    elif reports_of_previous:
        raise SysrevError("reports of the previous version's studies are counted only for an update (UpdateScope)")

    total = sum(identified.values())
    dedup_identified = summary.get("identified")
    if isinstance(dedup_identified, dict) and dedup_identified != by_database:
        problems.append(f"the search runs in {project.runs_dir} hold {_per_db(by_database)} but "
                        f"records/dedup_summary.json says dedup read {_per_db(dedup_identified)}: "
                        "re-run `sysrev dedup` after the last search run")
    duplicates = _int(summary, "duplicates_removed", project)
    n_records = len(screening.records)
    if total - duplicates != n_records:
        problems.append(f"identified ({total}) − duplicates removed ({duplicates}) = {total - duplicates}, "
                        f"but records/records.jsonl holds {n_records} records")
    if "records" in summary and summary["records"] != n_records:
        problems.append(f"records/dedup_summary.json says {summary['records']} records but "
                        f"records/records.jsonl holds {n_records}")

    ta, ft = screening.stages["title_abstract"], screening.stages["full_text"]
    in_scope = (lambda rid: True) if update is None else (lambda rid: rid not in update.records)
    ta_ids = [rid for rid in ta.eligible if in_scope(rid)]
    ft_ids = [rid for rid in ft.eligible if in_scope(rid)]
    awaiting_detail = _undecided(ta, "title/abstract")
    ta_final = [ta.final(rid) for rid in ta_ids]
    excluded = sum(1 for d in ta_final if d and d.decision == "exclude")
    records_awaiting = sum(1 for d in ta_final if d is None)
    sought = len(ft_ids)
    awaiting_detail += _undecided(ft, "full text")
    ft_final = [ft.final(rid) for rid in ft_ids]
    maybe = [rid for rid, d in zip(ft_ids, ft_final) if d and d.decision == "maybe"]
    if maybe:
        awaiting_detail.append(f"full text: {counted(len(maybe), 'record')} still 'maybe' — decide include or exclude: "
                               f"{_ids(maybe)}")
    reports_awaiting = sum(1 for d in ft_final if d is None or d.decision == "maybe")
    ft_final = [d for d in ft_final if d is not None]
    for rid, decisions in ft.outside.items():
        where = ", ".join(f"{d.path}, line {d.line}" for d in decisions)
        problems.append(f"full text: record {rid} has decisions ({where}) but was not included at "
                        "title/abstract")
    if problems:
        raise PrismaError("the PRISMA counts do not add up:\n  " + "\n  ".join(problems))

    not_retrieved_reason = screening.config.not_retrieved_reason
    not_retrieved = sum(1 for d in ft_final if d.decision == "exclude" and d.reason == not_retrieved_reason)
    reasons = {}
    for reason in screening.config.exclusion_reasons:
        n = sum(1 for d in ft_final if d.decision == "exclude" and d.reason == reason)
        if n and reason != not_retrieved_reason:
            reasons[reason] = n
    included = sum(1 for d in ft_final if d.decision == "include")
    if update is not None:
        identified = identified_per_database(project, since_runs=update.runs)[0]
        n_records = len(ta_ids)
        duplicates = sum(identified.values()) - n_records
        if duplicates < 0:
            raise PrismaError(f"this update screened {n_records} new records but its search runs identified only "
                              f"{sum(identified.values())}: re-run `sysrev dedup` after the last search run")
    if reports_of_previous > included:
        raise PrismaError(f"{reports_of_previous} reports of previous studies, but this update included only "
                          f"{included} reports at full text")
    new_reports = included - reports_of_previous
    counts = PrismaCounts(identified, duplicates, n_records, excluded, sought, not_retrieved,
                          sought - not_retrieved, reasons, new_reports if new_studies is None else new_studies,
                          new_reports, previous_studies,
                          previous_reports if previous_reports is not None else previous_studies,
                          previous_reports_added=reports_of_previous,
                          grouped=new_studies is not None, records_awaiting=records_awaiting,
                          reports_awaiting=reports_awaiting, awaiting_detail=awaiting_detail,
                          registers=[label for label in identified if label in register_labels(project)])
    _check_sums(counts)
    return counts


def identified_per_database(project, since_runs=None) -> tuple[dict, dict]:
    """Records identified by the project's search runs: ``(per label, per manifest database)``.

    As in dedup, a record is identified once per database however many runs returned it (a living review
    re-runs its searches); records of imported files are told apart by their search, as dedup tells them
    apart (:func:`~sysrev.search.snapshot.source_label`: two exports that both number their records 1, 2, 3 …
    are two sets of records). Labels are the review.toml ``[[databases]] name`` of the run's strategy file,
    else the manifest's database. With ``since_runs`` (the runs a previous version covered), only records
    first found by a later run count: what this update identified.
    """
    runs = list_snapshots(project.runs_dir)
    if not runs:
        raise PrismaError(f"no search runs in {project.runs_dir}: PRISMA's 'records identified' comes from "
                          "them (sysrev search run, or sysrev import for exported files)")
    labels = _database_labels(project)
    by_label, by_database, seen = {}, {}, set()
    for run in runs:
        manifest, records = read_snapshot(run)
        database = str(manifest.get("database") or "").strip() or run.name
        if since_runs is not None and run.name in since_runs:
            seen.update(source_label(database, record.source_id, run.name) for record in records)
            continue
        label = _run_label(project, manifest, labels, database)
        by_label.setdefault(label, 0)
        for record in records:
            name = source_label(database, record.source_id, run.name)  # as dedup names it
            if name not in seen:
                seen.add(name)
                by_label[label] += 1
                by_database[database] = by_database.get(database, 0) + 1
    return by_label, by_database


def _run_label(project, manifest, labels, database) -> str:
    """The label a search run is counted under: its strategy's, else the imported file's source, else the
    database's name."""
    return (labels.get(manifest.get("name")) or _file_label(project, manifest)
            or DATABASE_NAMES.get(database, database))


# Trial registers, by the layout their export was read as, or by name (a register searched through a strategy
# named after it): PRISMA 2020 counts records from registers apart from records from databases.
REGISTER_DIALECTS = {"clinicaltrials-gov", "ictrp"}
_REGISTER_NAME = re.compile(r"clinicaltrials|\bictrp\b|\bisrctn\b|\banzctr\b|\bchictr\b|\bctri\b|\bdrks\b|"
                            r"\beu ?ctr\b|clinicaltrialsregister|\bjprn\b|\bctis\b|trials? regist", re.IGNORECASE)


def register_labels(project) -> set:
    """The labels (as :func:`identified_per_database` gives them) of the runs that searched a trial register:
    records read from a register's export (ClinicalTrials.gov's CSV, the ICTRP's XML), or a label naming one."""
    labels, found = _database_labels(project), set()
    for run in list_snapshots(project.runs_dir):
        try:
            manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # read_snapshot reports it where the counts are made
        database = str(manifest.get("database") or "").strip() or run.name
        label = _run_label(project, manifest, labels, database)
        dialects = {manifest.get("dialect")} | {f.get("dialect") for f in manifest.get("files") or []
                                                if isinstance(f, dict)}
        if dialects & REGISTER_DIALECTS or _REGISTER_NAME.search(label):
            found.add(label)
    return found


def _file_label(project, manifest):
    """For an imported file without a strategy: the ``--source`` it was imported with, else the run name.

    A source the file named itself (equal to the snapshot's dialect) is read as today's one name for that
    database: imports before 5 December 2026 kept the platform's edition as a slug
    (``web-of-science-core-collection``, ``embase-classic-embase``), which would otherwise be a second source
    beside ``web-of-science`` in a living review's PRISMA diagram. A name the team gave is kept as given."""
    if manifest.get("database") != "file" or not manifest.get("name"):
        return None
    source = manifest.get("source")
    label = source.strip() if isinstance(source, str) and source.strip() and source != "file" else manifest["name"]
    if label == manifest.get("dialect"):
        label = database_dialect(label.replace("-", " "))
    return DATABASE_NAMES.get(label.lower(), label)


# The names PRISMA shows for the databases sysrev searches or recognises in an export (``ParsedFile.dialect``).
DATABASE_NAMES = {
    "pubmed": "PubMed", "scopus": "Scopus", "web-of-science": "Web of Science", "embase": "Embase",
    "cochrane-central": "Cochrane CENTRAL", "clinicaltrials-gov": "ClinicalTrials.gov", "ictrp": "WHO ICTRP",
    "eric": "ERIC", "proquest": "ProQuest", "pmc": "PubMed Central", "lens": "Lens.org", "dimensions": "Dimensions",
    "openalex": "OpenAlex", "ieee": "IEEE Xplore", "springer": "SpringerLink", "ebsco": "EBSCOhost",
    "apa-psycinfo": "APA PsycInfo", "psycinfo": "PsycINFO", "cinahl": "CINAHL",
}


def _strategy_labels(project) -> dict:
    """Strategy stem -> its ``source`` (``file`` strategies) or the database's name, from ``searches/*.toml``."""
    labels = {}
    for path in sorted(project.searches_dir.glob("*.toml")):
        try:
            strategy = load_toml(path)
        except InputError:
            continue  # `sysrev check` reports a broken strategy; the run keeps its own name here
        source, database = strategy.get("source"), strategy.get("database")
        if isinstance(source, str) and source.strip():
            labels[path.stem] = source.strip()
        elif database in DATABASE_NAMES:
            labels[path.stem] = DATABASE_NAMES[database]
    return labels


def _database_labels(project) -> dict:
    """Snapshot name (a strategy file's stem) -> the ``[[databases]] name`` that uses that strategy, else the
    label the strategy itself gives (:func:`_strategy_labels`)."""
    labels = _strategy_labels(project)
    for entry in project.config.get("databases", []) or []:
        if isinstance(entry, dict) and entry.get("name") and entry.get("strategy"):
            labels[Path(entry["strategy"]).stem] = entry["name"]
    return labels


def _dedup_summary(project) -> dict:
    path = project.records_dir / "dedup_summary.json"
    if not path.is_file():
        raise PrismaError(f"{path} does not exist: run `sysrev dedup` (it counts the duplicates removed)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    if not isinstance(data, dict):
        raise InputError("must be a JSON object", path=path)
    return data


def _int(summary, key, project) -> int:
    value = summary.get(key)
    if not isinstance(value, int) or value < 0:
        raise InputError(f"'{key}' must be a whole number ≥ 0", path=project.records_dir / "dedup_summary.json")
    return value


def _undecided(state, label) -> list:
    """Problems for records of a stage that have no decision yet, grouped by why."""
    groups = {}
    for rid in state.eligible:
        status = state.status(rid)
        if status != "decided":
            groups.setdefault(status, []).append(rid)
    texts = {"unscreened": "not screened yet",
             "conflict": "on which reviewers disagree (settle with `sysrev screen reconcile`)",
             "awaiting": "screened by fewer reviewers than reviewers_per_record"}
    return [f"{label}: {counted(len(ids), 'record')} {texts[status]}: {_ids(ids)}" for status, ids in groups.items()]


def _per_db(counts) -> str:
    return ", ".join(f"{db} {n}" for db, n in sorted(counts.items())) or "no records"


def _ids(ids) -> str:
    return ", ".join(ids[:8]) + (f", … ({len(ids)} in all)" if len(ids) > 8 else "")


def _check_sums(c: PrismaCounts) -> None:
    """The arithmetic every PRISMA diagram must satisfy, box by box."""
    checks = [
        (c.records_screened == c.identified_total - c.duplicates_removed, "records screened",
         "identified − duplicates removed"),
        (c.reports_sought == c.records_screened - c.records_excluded - c.records_awaiting, "reports sought",
         "records screened − records excluded − records awaiting a decision"),
        (c.reports_assessed == c.reports_sought - c.reports_not_retrieved, "reports assessed",
         "reports sought − not retrieved"),
        (c.reports_included + c.previous_reports_added
         == c.reports_assessed - sum(c.reports_excluded.values()) - c.reports_awaiting,
         "reports included" + (" (of new studies + new reports of previous studies)" if c.previous_reports_added
                               else ""),
         "reports assessed − reports excluded − reports awaiting a decision"),
        # Reports grouped into studies: a study has at least one report; otherwise one study per report.
        (c.studies_included <= c.reports_included, "studies included", "a number ≤ reports included")
        if c.grouped else
        (c.studies_included
         == c.reports_assessed - sum(c.reports_excluded.values()) - c.reports_awaiting - c.previous_reports_added,
         "studies included", "reports assessed − reports excluded − reports awaiting a decision"
         + (" − new reports of previous studies" if c.previous_reports_added else "")),
    ]
    wrong = [f"{box} ≠ {rule}" for ok, box, rule in checks if not ok]
    if wrong:
        raise PrismaError("the PRISMA counts do not add up: " + "; ".join(wrong))
