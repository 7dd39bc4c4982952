"""``sysrev check``: every problem of a whole project, listed at once.

First every TOML file is checked against the schema (:mod:`sysrev.config_schema`); then the data files every
stage reads (each search-run snapshot against its manifest, ``records/records.jsonl``); then the rules each stage
applies when it reads its files — screening settings, search strategies, analyses, the extraction tables, RoB 2
forms and the decision logs — run over the files whose schema check passed, so one mistake is reported once;
last the files later stages added: the ``records`` column of studies.csv (each record ID a deduplicated record,
under one study), ``analysis/exemptions.csv`` (every row, against the analyses and the study table), the
full-text manifest, the web accounts (``.sysrev/web-users.json``) and the refresh inbox folders. Whatever
else was wrong, the temporary files of interrupted writes are listed as warnings
(:mod:`sysrev.interrupted_writes`). Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sysrev.config_schema import FILE_KINDS, check_file
from sysrev.errors import SysrevError
from sysrev.interrupted_writes import find_leftovers

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Issue:
    """One problem found by :func:`check_project`."""

    severity: str
    text: str  # "file, line N: message"

    def __str__(self):
        return f"{self.severity}: {self.text}"


def check_project(project) -> tuple[list[Issue], int]:
    """Every issue of ``project`` and the number of configuration files checked."""
    issues: list[Issue] = []
    invalid: set[Path] = set()
    checked = 0
    for kind in FILE_KINDS:
        for path in sorted(project.root.glob(kind.pattern)):
            checked += 1
            _, problems = check_file(kind, path)
            if problems:
                invalid.add(path.resolve())
            issues += [Issue(ERROR, str(p)) for p in problems]
    leftovers = [Issue(WARNING, leftover.describe()) for leftover in find_leftovers(project.root)]
    if project.config_path.resolve() in invalid:
        return issues + leftovers, checked  # every stage reads review.toml: fix it first
    data, records = _data_files(project)
    issues += data
    issues += [issue for issue in _screening(project, records) if issue not in data]  # an unreadable records file once
    issues += _strategies(project, invalid)
    issues += _analyses(project, invalid)
    issues += _extraction(project, invalid)
    issues += _rob(project, invalid)
    issues += _studies_and_exemptions(project, invalid, records)
    issues += _fulltext_web_and_inbox(project, invalid)
    return issues + leftovers, checked


def _data_files(project) -> tuple[list[Issue], list | None]:
    """Each search-run snapshot (readable, and still holding the records its manifest counts and hashes) and the
    deduplicated records file: every later stage reads them, and a damaged one would otherwise pass as valid.
    Returns the issues and the records (None when the file is absent or unreadable), which the later checks
    use rather than read the file again."""
    from sysrev.dedup.project_run import RECORDS_FILE, load_records
    from sysrev.search.snapshot import list_snapshots, read_snapshot

    issues, records = [], None
    for folder in list_snapshots(project.runs_dir):
        try:
            read_snapshot(folder)
        except SysrevError as exc:
            issues.append(Issue(ERROR, str(exc)))
    if (Path(project.records_dir) / RECORDS_FILE).is_file():
        try:
            records = load_records(project)
        except SysrevError as exc:
            issues.append(Issue(ERROR, str(exc)))
    return issues, records


def _screening(project, records) -> list[Issue]:
    if "screening" not in project.config or not any(project.screening_dir.glob("*/**/*.csv")):
        return []  # no decision logs yet: nothing to check against the records
    from sysrev.screening.log import grouped
    from sysrev.screening.state import load_screening

    try:
        screening = load_screening(project, strict=False, records=records)
    except SysrevError as exc:
        return [Issue(ERROR, str(exc))]
    return [Issue(ERROR, line) for line in grouped(screening.problems)] + [Issue(WARNING, str(n))
                                                                            for n in screening.notices]


def _strategies(project, invalid) -> list[Issue]:
    from sysrev.search.strategies import load_strategy

    issues = []
    for path in sorted(project.searches_dir.glob("*.toml")):
        if path.resolve() in invalid:
            continue
        try:
            strategy = load_strategy(path)
        except SysrevError as exc:
            issues.append(Issue(ERROR, str(exc)))
            continue
        if strategy.draft:
            issues.append(Issue(WARNING, strategy.draft_message() + " (search run and refresh leave it out)"))
        issues.extend(Issue(WARNING, warning) for warning in strategy.query_warnings())
    return issues


def _analyses(project, invalid) -> list[Issue]:
    if not project.analyses_path.is_file() or project.analyses_path.resolve() in invalid:
        return []
    from sysrev.analyses import load_analyses

    try:
        specs = load_analyses(project)
    except SysrevError as exc:
        return [Issue(ERROR, str(exc))]
    from sysrev.grade.files import orphan_grade_files

    return [Issue(WARNING, warning) for warning in orphan_grade_files(project, specs)]


def _extraction(project, invalid) -> list[Issue]:
    if not project.extraction_dir.is_dir():
        return []
    from sysrev.extraction.check import ERROR as EXTRACTION_ERROR
    from sysrev.extraction.check import WARNING as EXTRACTION_WARNING
    from sysrev.extraction.check import check_project as check_extraction

    issues = []
    for finding in check_extraction(project):
        if finding.path is not None and Path(finding.path).resolve() in invalid:
            continue  # already reported by the schema check
        if finding.severity in (EXTRACTION_ERROR, EXTRACTION_WARNING):
            where = ", ".join(part for part in (
                str(finding.path) if finding.path else "", f"line {finding.line}" if finding.line else "",
                f"column '{finding.column}'" if finding.column else "") if part)
            issues.append(Issue(finding.severity, f"{where}: {finding.message}" if where else finding.message))
    return issues


def _studies_and_exemptions(project, invalid, records) -> list[Issue]:
    """studies.csv's record IDs (checked against ``records``, unless there are none to check against yet) and
    every row of analysis/exemptions.csv, all problems listed."""
    from sysrev.living.studies import exemptions_path, read_exemptions, read_study_table

    problems: list = []
    known = None if records is None else {record["record_id"] for record in records}
    table = read_study_table(project, known, problems) if _readable_studies(project) else None
    outcomes = _analysed_outcomes(project, invalid)
    try:
        read_exemptions(project, outcomes or (), problems)
    except SysrevError as exc:  # a wrong header: no row can be read; the rest of the project is still checked
        problems.append(exc)
    else:
        if table is not None and table.studies and exemptions_path(project).is_file():
            problems += _exempted_unknown_studies(exemptions_path(project), table)
    return [Issue(ERROR, str(p)) for p in problems]


def _readable_studies(project) -> bool:
    """Whether studies.csv is there and readable (its own errors come from the extraction check)."""
    from sysrev.living.studies import read_study_table, studies_path

    if not studies_path(project).is_file():
        return False
    try:
        read_study_table(project, None, [])
    except SysrevError:
        return False
    return True


def _analysed_outcomes(project, invalid) -> set | None:
    if not project.analyses_path.is_file() or project.analyses_path.resolve() in invalid:
        return None
    from sysrev.analyses import load_analyses

    try:
        return {spec.outcome for spec in load_analyses(project)}
    except SysrevError:
        return None  # reported by the analyses check


def _exempted_unknown_studies(path, table) -> list:
    """Exemption rows naming a study studies.csv does not have (a typo exempts nothing)."""

    from sysrev.errors import InputError
    from sysrev.extraction.study_labels import renamed_study_hint
    from sysrev.hand_tables import read_table, table_rows

    try:
        text = read_table(path)
    except InputError:
        return []  # cut off or not UTF-8: read_exemptions has reported it
    problems = []
    rows = table_rows(text)
    next(rows, None)
    for line, cells in rows:
        study = cells[0].strip() if cells else ""
        if study and study not in table.studies:
            problems.append(InputError(f"study {study!r} is not in analysis/extraction/studies.csv, so this "
                                       "exemption applies to nothing"
                                       f"{renamed_study_hint(study, table.studies)}",
                                       path=path, line=line, column="study"))
    return problems


def _fulltext_web_and_inbox(project, invalid) -> list[Issue]:
    """The full-text manifest's rows, the web accounts file, and that each inbox folder names a file strategy."""
    from sysrev.fulltext.manifest import read_manifest
    from sysrev.living.refresh import inbox_batches, inbox_dir
    from sysrev.search.strategies import load_strategies
    from sysrev.web.access import load_users, users_path

    issues = []
    problems: list = []
    try:
        read_manifest(project, problems)
    except SysrevError as exc:  # e.g. a header without record_id or status
        problems.append(exc)
    issues += [Issue(ERROR, str(p)) for p in problems]
    try:
        users = load_users(project)
    except SysrevError as exc:
        issues.append(Issue(ERROR, str(exc)))
        users = {}
    reviewers = project.config.get("screening", {}).get("reviewers", [])
    for name in sorted(set(users) - set(reviewers)):
        issues.append(Issue(WARNING, f"{users_path(project)}: account {name!r} is not a reviewer in review.toml "
                                     "[screening] reviewers, so it cannot screen"))
    if inbox_dir(project).is_dir() and not any(p.resolve() in invalid for p in project.searches_dir.glob("*.toml")):
        try:
            inbox_batches(project, load_strategies(project.searches_dir))
        except SysrevError as exc:
            issues.append(Issue(ERROR, str(exc)))
    return issues


def _rob(project, invalid) -> list[Issue]:
    from sysrev.living.studies import read_study_table
    from sysrev.rob.check import ERROR as ROB_ERROR
    from sysrev.rob.check import check_folder, form_outcomes

    # with a study table, a form naming a study it lacks is said (`sysrev rob check` says it too)
    known = set(read_study_table(project, None, []).studies) if _readable_studies(project) else None
    _, problems = check_folder(project.rob_dir, known, form_outcomes(project))
    issues = []
    for problem in problems:
        if Path(problem.path).resolve() in invalid:
            continue
        severity = ERROR if problem.severity == ROB_ERROR else WARNING
        where = f"{problem.path}" + (f", line {problem.line}" if problem.line else "")
        key = f" [{problem.key}]" if problem.key else ""
        issues.append(Issue(severity, f"{where}{key}: {problem.message}"))
    return issues
