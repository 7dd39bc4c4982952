"""``sysrev check``: every problem of a whole project, listed at once.

First every TOML file is checked against the schema (:mod:`sysrev.config_schema`); then the rules each stage
applies when it reads its files — screening settings, search strategies, analyses, the extraction tables, RoB 2
forms and the decision logs — run over the files whose schema check passed, so one mistake is reported once.
Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sysrev.config_schema import FILE_KINDS, check_file
from sysrev.errors import SysrevError

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
    if project.config_path.resolve() in invalid:
        return issues, checked  # every stage reads review.toml: fix it first
    issues += _screening(project)
    issues += _strategies(project, invalid)
    issues += _analyses(project, invalid)
    issues += _extraction(project, invalid)
    issues += _rob(project, invalid)
    return issues, checked


def _screening(project) -> list[Issue]:
    if "screening" not in project.config or not any(project.screening_dir.glob("*/**/*.csv")):
        return []  # no decision logs yet: nothing to check against the records
    from sysrev.screening.state import load_screening

    try:
        screening = load_screening(project, strict=False)
    except SysrevError as exc:
        return [Issue(ERROR, str(exc))]
    return [Issue(ERROR, str(p)) for p in screening.problems]


def _strategies(project, invalid) -> list[Issue]:
    from sysrev.search.strategies import load_strategy

    issues = []
    for path in sorted(project.searches_dir.glob("*.toml")):
        if path.resolve() in invalid:
            continue
        try:
            load_strategy(path)
        except SysrevError as exc:
            issues.append(Issue(ERROR, str(exc)))
    return issues


def _analyses(project, invalid) -> list[Issue]:
    if not project.analyses_path.is_file() or project.analyses_path.resolve() in invalid:
        return []
    from sysrev.analyses import load_analyses

    try:
        load_analyses(project)
    except SysrevError as exc:
        return [Issue(ERROR, str(exc))]
    return []


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


def _rob(project, invalid) -> list[Issue]:
    from sysrev.rob.check import ERROR as ROB_ERROR
    from sysrev.rob.check import check_folder

    _, problems = check_folder(project.rob_dir)
    issues = []
    for problem in problems:
        if Path(problem.path).resolve() in invalid:
            continue
        severity = ERROR if problem.severity == ROB_ERROR else WARNING
        where = f"{problem.path}" + (f", line {problem.line}" if problem.line else "")
        key = f" [{problem.key}]" if problem.key else ""
        issues.append(Issue(severity, f"{where}{key}: {problem.message}"))
    return issues
