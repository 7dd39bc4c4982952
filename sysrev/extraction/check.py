"""``sysrev extract check``: every problem of a project's extraction files, each with file, row and column.

Three severities:

* ``error`` — impossible or contradictory values (SD ≤ 0, n ≤ 0 or fractional, negative or fractional
  events, events > n, a mean outside the scale's range, n analysed > n randomised from studies.csv, scales
  of opposite directions or change scores mixed with final values in one SMD analysis, malformed files);
* ``pending`` — a cell the analysis needs, or a study characteristic the form marks ``required``, is still
  empty (unknown, not an error: the row says where the value is to be found);
* ``warning`` — worth a look (a value without its source, an arm or study the protocol does not name, a
  scale whose direction the form does not give, …).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sysrev.errors import InputError, InputErrors
from sysrev.extraction.discrepancy import MARKER
from sysrev.extraction.form import STUDIES_FILE, ExtractionForm, load_form, read_studies
from sysrev.extraction.study_labels import renamed_study_hint
from sysrev.extraction.table import OutcomeRow, extraction_files, format_number, read_outcome_rows
from sysrev.project import load_toml

ERROR, PENDING, WARNING = "error", "pending", "warning"
_SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".ods", ".numbers"}  # extraction sheets saved in a program's own format


@dataclass(frozen=True)
class Finding:
    severity: str
    path: Path | None
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [str(self.path)] if self.path else []
        if self.line:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{self.severity}: {', '.join(where)}: {self.message}" if where else \
            f"{self.severity}: {self.message}"


def _from_input_error(exc: InputError) -> Finding:
    message = str(exc)
    prefix = ", ".join(filter(None, [str(exc.path) if exc.path else None,
                                     f"line {exc.line}" if exc.line else None,
                                     f"column '{exc.column}'" if exc.column else None]))
    if prefix and message.startswith(prefix + ": "):
        message = message[len(prefix) + 2:]
    return Finding(ERROR, exc.path, message, exc.line, exc.column)


def _findings(exc: InputError) -> list[Finding]:
    """One finding per problem of a file read with every problem named (:class:`InputErrors`), each with its
    own line and column; else the one."""
    return [_from_input_error(error) for error in exc.errors] if isinstance(exc, InputErrors) else [
        _from_input_error(exc)]


def _outcome_types(config: dict) -> dict[str, str]:
    outcomes = config.get("outcomes", [])
    if not isinstance(outcomes, list):
        return {}
    return {o["name"]: o.get("type", "") for o in outcomes if isinstance(o, dict) and "name" in o}


def _arm_groups(config: dict) -> dict[str, str]:
    arms = config.get("arms", {})
    if not isinstance(arms, dict):
        return {}
    return {arms[k]: k for k in ("group1", "group2") if isinstance(arms.get(k), str)}


def _kind(row: OutcomeRow, declared: str) -> str | None:
    if declared in ("continuous", "dichotomous"):
        return declared
    if row.events is not None:
        return "dichotomous"
    if row.mean is not None or row.sd is not None:
        return "continuous"
    return None


def _where_to_find(row: OutcomeRow) -> str:
    hints = [h for h in (row.source, row.source_url) if h]
    return f" (see {'; '.join(hints)})" if hints else " (no source recorded yet)"


def _label(row: OutcomeRow) -> str:
    parts = [row.study, row.outcome, row.item, row.timepoint, row.arm]
    return " / ".join(p for p in parts if p)


def check_row(row: OutcomeRow, kind: str | None, form: ExtractionForm) -> list[Finding]:
    """Value checks of one row (no cross-row or cross-file checks)."""
    found: list[Finding] = []

    def add(severity, message, column=None):
        found.append(Finding(severity, row.path, f"{_label(row)}: {message}", row.line, column))

    if row.n is not None and (row.n <= 0 or not float(row.n).is_integer()):
        add(ERROR, f"n = {format_number(row.n)} must be a whole number > 0", "n")
    if row.events is not None and (row.events < 0 or not float(row.events).is_integer()):
        add(ERROR, f"events = {format_number(row.events)} must be a whole number ≥ 0", "events")
    if row.events is not None and row.n is not None and row.events > row.n:
        add(ERROR, f"events ({format_number(row.events)}) > n ({format_number(row.n)})", "events")
    if row.sd is not None and row.sd <= 0:
        add(ERROR, f"SD = {format_number(row.sd)} must be > 0", "sd")
    scale = form.scales.get(row.scale)
    if scale and row.mean is not None and scale.low is not None and not scale.low <= row.mean <= scale.high:
        add(ERROR, f"mean {format_number(row.mean)} is outside the range of scale {row.scale!r} "
                   f"[{format_number(scale.low)}, {format_number(scale.high)}]", "mean")
    if kind is not None:
        missing = [c for c in form.needed[kind] if getattr(row, c) is None]
        if missing:
            add(PENDING, f"{', '.join(missing)} empty{_where_to_find(row)}", missing[0])
        unused = ["events"] if kind == "continuous" else ["mean", "sd"]
        for column in unused:
            if getattr(row, column) is not None:
                add(WARNING, f"'{column}' is filled but the outcome is {kind}", column)
    else:
        add(PENDING, f"no value yet and the outcome type is unknown (declare it in review.toml "
                     f"[[outcomes]] type){_where_to_find(row)}")
    if MARKER in row.note:
        add(ERROR, "unresolved double-extraction disagreement (see the note); enter the agreed value and "
                   f"remove the {MARKER} marker", "note")
    has_value = any(getattr(row, c) is not None for c in ("n", "mean", "sd", "events"))
    if has_value and not row.source and not row.source_url:
        add(WARNING, "values without a source (page, table or figure) or source_url", "source")
    if row.method and not row.raw and form.change_marker not in row.method.lower():
        add(WARNING, "'method' says the value is derived but 'raw' (the reported numbers) is empty", "raw")
    return found


def _analyses(path: Path) -> dict[str, dict]:
    """analysis/analyses.toml entries that name an outcome: {name: {"outcome":…, "measure":…}}."""
    if not path.is_file():
        return {}
    data = load_toml(path)
    entries = data.get("analyses", {})
    return {name: spec for name, spec in entries.items()
            if isinstance(spec, dict) and isinstance(spec.get("outcome"), str)}


def check_project(project) -> list[Finding]:
    """All findings for a project's ``analysis/extraction/`` (see the module docstring)."""
    findings: list[Finding] = []
    ext = project.extraction_dir
    try:
        form = load_form(ext)
    except InputError as exc:
        findings.append(_from_input_error(exc))
        form = ExtractionForm()
    studies: dict[str, dict] | None = None
    if (ext / STUDIES_FILE).is_file():
        try:
            studies = read_studies(ext / STUDIES_FILE, form)
        except InputError as exc:
            findings.extend(_findings(exc))
    types = _outcome_types(project.config)
    groups = _arm_groups(project.config)

    rows: list[OutcomeRow] = []
    first: dict[tuple, OutcomeRow] = {}
    for path in extraction_files(ext):
        try:
            file_rows = read_outcome_rows(path)
        except InputError as exc:
            findings.extend(_findings(exc))
            continue
        for row in file_rows:
            if row.key in first:
                other = first[row.key]
                findings.append(Finding(ERROR, row.path, f"{_label(row)}: the same row is also in {other.path.name} "
                                                         f"line {other.line}", row.line))
                continue
            first[row.key] = row
            rows.append(row)
    for sheet in sorted(q for q in ext.iterdir() if q.suffix.lower() in _SPREADSHEETS and q.is_file()):
        # A sheet kept in Excel's own format is never read: say so rather than report no rows
        findings.append(Finding(WARNING, sheet, "a spreadsheet in its own format, which sysrev does not read "
                                                "here: save it as CSV (UTF-8) in this folder"))
    if not rows and not findings:
        findings.append(Finding(WARNING, ext, "no extraction rows yet (in *.csv files other than studies.csv)"))

    unknown_outcomes, unknown_arms, unknown_studies = set(), set(), set()
    for row in rows:
        findings.extend(check_row(row, _kind(row, types.get(row.outcome, "")), form))
        if types and row.outcome not in types and row.outcome not in unknown_outcomes:
            unknown_outcomes.add(row.outcome)
            findings.append(Finding(WARNING, row.path, f"outcome {row.outcome!r} is not among review.toml "
                                                       f"[[outcomes]] ({', '.join(types)})", row.line, "outcome"))
        if groups and row.arm not in groups and row.arm not in unknown_arms:
            unknown_arms.add(row.arm)
            findings.append(Finding(WARNING, row.path, f"arm {row.arm!r} is neither review.toml [arms] group1 "
                                                       f"nor group2 ({', '.join(groups)})", row.line, "arm"))
        if studies is not None and row.study not in studies and row.study not in unknown_studies:
            unknown_studies.add(row.study)
            findings.append(Finding(WARNING, row.path, _unknown_study(row.study, studies, rows), row.line, "study"))
    if studies:
        findings.extend(_check_studies(studies, ext / STUDIES_FILE))
        findings.extend(_pending_characteristics(studies, form, ext / STUDIES_FILE))
        findings.extend(_check_against_randomised(rows, studies, groups))
    findings.extend(_check_analyses(rows, form, _analyses_or_error(project, findings)))
    return findings


def _unknown_study(study: str, studies, rows) -> str:
    """The warning for an extraction row whose ``study`` label studies.csv lacks, reported once for all the rows
    that name it. A label close to one studies.csv has is pointed at: a study renamed there (a typo mended,
    ``Park 2013`` → ``Park 2013a``) keeps its old label in the rows until they are changed too."""
    named = sum(1 for row in rows if row.study == study)
    return (f"study {study!r} is not in {STUDIES_FILE} ({named} extraction row{'s' if named != 1 else ''})"
            f"{renamed_study_hint(study, studies)}")


def _analyses_or_error(project, findings) -> dict:
    try:
        return _analyses(project.analyses_path)
    except InputError as exc:
        findings.append(_from_input_error(exc))
        return {}


def _check_studies(studies: dict, path: Path) -> list[Finding]:
    """Counts within studies.csv that contradict each other."""
    found = []
    for name, study in studies.items():
        total, g1, g2 = (study.get(k) for k in ("n_randomised", "n_randomised_group1", "n_randomised_group2"))
        if total is not None and g1 is not None and g2 is not None and g1 + g2 != total:
            found.append(Finding(ERROR, path, f"{name}: n_randomised_group1 + n_randomised_group2 = {g1 + g2} "
                                              f"but n_randomised = {total}", study["_line"], "n_randomised"))
        if MARKER in (study.get("note") or ""):
            found.append(Finding(ERROR, path, f"{name}: unresolved double-extraction disagreement (see the note); "
                                              f"enter the agreed value and remove the {MARKER} marker",
                                 study["_line"], "note"))
        analysed = study.get("n_analysed")
        if analysed is not None and total is not None and analysed > total:
            found.append(Finding(ERROR, path, f"{name}: n_analysed ({analysed}) > n_randomised ({total})",
                                 study["_line"], "n_analysed"))
    return found


def _pending_characteristics(studies: dict, form: ExtractionForm, path: Path) -> list[Finding]:
    """Characteristics the form marks ``required`` that a study's row leaves empty (or has no column for)."""
    found = []
    for name, study in studies.items():
        empty = [c for c in form.required if study.get(c) in (None, "")]
        if empty:
            hint = f" (see {study['source_url']})" if study.get("source_url") else ""
            found.append(Finding(PENDING, path, f"{name}: {', '.join(empty)} empty{hint}", study["_line"], empty[0]))
    return found


def _check_against_randomised(rows, studies, groups) -> list[Finding]:
    """n analysed per arm ≤ n randomised to that arm; arms together ≤ n randomised (from studies.csv)."""
    found = []
    totals: dict[tuple, list[OutcomeRow]] = defaultdict(list)
    for row in rows:
        study = studies.get(row.study)
        if study is None or row.n is None:
            continue
        totals[(row.study, row.outcome, row.item, row.timepoint)].append(row)
        group = groups.get(row.arm)
        limit = study.get(f"n_randomised_{group}") if group else None
        if limit is not None and row.n > limit:
            found.append(Finding(ERROR, row.path, f"{_label(row)}: n analysed ({format_number(row.n)}) > n randomised "
                                                  f"to {row.arm} ({limit}, {STUDIES_FILE} line {study['_line']})",
                                 row.line, "n"))
    for (study_name, *_), group_rows in totals.items():
        limit = studies[study_name].get("n_randomised")
        total = sum(r.n for r in group_rows)
        if limit is not None and total > limit:
            row = group_rows[-1]
            found.append(Finding(ERROR, row.path, f"{_label(row)}: arms together analyse {format_number(total)} > "
                                                  f"{limit} randomised ({STUDIES_FILE} line "
                                                  f"{studies[study_name]['_line']})", row.line, "n"))
    return found


def _check_analyses(rows, form: ExtractionForm, analyses: dict) -> list[Finding]:
    """Within one analysis: scales of opposite directions, and change scores mixed with final values."""
    found = []
    groups = {name: (spec["outcome"], str(spec.get("measure", "")).upper()) for name, spec in analyses.items()}
    if not groups:  # no analysis specs: treat each outcome as one analysis
        groups = {outcome: (outcome, "") for outcome in sorted({r.outcome for r in rows})}
    for name, (outcome, measure) in groups.items():
        members = [r for r in rows if r.outcome == outcome]
        by_direction: dict[str, set[str]] = defaultdict(set)
        for scale_name in sorted({r.scale for r in members if r.scale}):
            scale = form.scales.get(scale_name)
            if scale is None:
                example = next(r for r in members if r.scale == scale_name)
                found.append(Finding(WARNING, example.path, f"analysis {name!r}: scale {scale_name!r} has no "
                                                            "direction in form.toml [scales]", example.line, "scale"))
            else:
                by_direction[scale.higher].add(scale_name)
        if len(by_direction) > 1:
            detail = "; ".join(f"higher is {d}: {', '.join(sorted(s))}" for d, s in sorted(by_direction.items()))
            found.append(Finding(ERROR, None, f"analysis {name!r} mixes scale directions ({detail}); reverse one "
                                              "set of values and record it in 'method'"))
        change = [r for r in members if form.change_marker in r.method.lower()]
        if change and len(change) < len(members):
            severity = ERROR if measure == "SMD" else WARNING
            found.append(Finding(severity, change[0].path, f"analysis {name!r} mixes change-from-baseline rows "
                                                           f"({len(change)}) with final values "
                                                           f"({len(members) - len(change)})"
                                 + ("; not allowed for an SMD" if severity == ERROR else ""), change[0].line, "method"))
    return found
