"""``sysrev rob check``: every problem in a project's RoB 2 forms, each with file, key and line.

Errors: missing answers to questions that apply; answers to questions whose condition is not met;
"NA" given to a question that applies; a typed-in judgement that disagrees with the algorithm (and no
override); an overall confirmation that contradicts the domains; a form whose study/outcome does not
match its file name; malformed files. Warnings: an override equal to the algorithm's own judgement, and
two or more domains with some concerns that still wait for the assessor's overall confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sysrev.errors import InputError, SysrevError
from sysrev.extraction.study_labels import renamed_study_hint
from sysrev.rob.algorithm import HIGH, SOME_CONCERNS, effective_answers
from sysrev.rob.form import Assessment, form_path, list_forms, load_assessment
from sysrev.rob.questions import DOMAIN_KEYS, DOMAINS, NA

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str
    path: Path
    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}" + (f":{self.line}" if self.line else "") + (f" [{self.key}]" if self.key else "")
        return f"{self.severity}: {where}: {self.message}"


def assessment_problems(a: Assessment) -> list[Problem]:
    """All problems of one loaded form."""
    problems: list[Problem] = []

    def add(severity, table, key, message):
        line = a.line_of(table, key) if key else a.line_of(table)
        label = f"{table}.{key}" if table and key else (table or key or "")
        problems.append(Problem(severity, a.path, label, message, line))

    expected = form_path(a.path.parent, a.study, a.outcome).name if a.path else None
    if a.path and a.path.name != expected:
        add(ERROR, None, "study", f"study/outcome ({a.study!r}, {a.outcome!r}) do not match the file name; "
                                  f"expected {expected}")
    for domain in DOMAINS:
        form = a.domains[domain.key]
        effective = effective_answers(domain.key, form.answers)
        for question in domain.questions:
            given = form.answers.get(question.id, "")
            status = effective[question.id]
            table = f"{domain.key}.answers"
            if status == NA and given not in ("", NA):
                cond = question.condition.text if question.condition else ""
                add(ERROR, table, question.id, f"answered {given!r} but the question does not apply ({cond}); "
                                               "answer NA or leave it empty")
            elif status is None and given == NA:
                add(ERROR, table, question.id, f"answered NA but the question applies; answer one of "
                                               f"{'/'.join(question.allowed)}")
            elif status is None and effective_depends_on_missing(domain, question.id, effective):
                continue  # reported at the earlier question it depends on
            elif status is None:
                add(ERROR, table, question.id, "missing answer")
        algorithm = a.algorithm(domain.key)
        if form.override and form.override == algorithm:
            add(WARNING, domain.key, "override", f"override {form.override!r} equals the algorithm's judgement; "
                                                 "it can be removed")
        if form.judgement and not form.override and algorithm and form.judgement != algorithm:
            add(ERROR, domain.key, "judgement", f"stated judgement {form.judgement!r} disagrees with the algorithm "
                                                f"({algorithm!r}); correct it, or make it an override with a "
                                                "justification")
    finals = [a.domain(k) for k in DOMAIN_KEYS]
    complete = all(f is not None for f in finals)
    concerns = finals.count(SOME_CONCERNS)
    confirm = a.overall.several_concerns_high
    if complete and HIGH not in finals and concerns >= 2 and confirm is None and not a.overall.override:
        add(WARNING, "overall", None, f"{concerns} domains have some concerns: set overall.several_concerns_high "
                                      "to true (together they substantially lower confidence → high) or false")
    if confirm and complete and (HIGH in finals or concerns < 2):
        add(ERROR, "overall", "several_concerns_high",
            "is true but it only applies when two or more domains have some concerns and none is high")
    overall = a.overall_algorithm()
    if a.overall.override and a.overall.override == overall:
        add(WARNING, "overall", "override", f"override {a.overall.override!r} equals the computed judgement")
    if a.overall.judgement and not a.overall.override and overall and a.overall.judgement != overall:
        add(ERROR, "overall", "judgement", f"stated judgement {a.overall.judgement!r} disagrees with the computed "
                                           f"overall judgement ({overall!r})")
    return problems


def effective_depends_on_missing(domain, qid: str, effective: dict) -> bool:
    """True when ``qid`` is undetermined only because a question its condition names is itself unanswered."""
    cond = domain.question(qid).condition
    return cond is not None and any(effective.get(q) is None for q in cond.questions)


def unknown_outcome(outcome: str, known_outcomes) -> str:
    """The warning for a form whose outcome is neither one of review.toml's nor an analysed one."""
    return (f"outcome {outcome!r} is not among review.toml's [[outcomes]] or the analysed outcomes "
            f"({', '.join(sorted(known_outcomes))}; labels must match)")


def _bare(exc: InputError) -> str:
    """The error's message without the "file, line N, column 'c': " prefix (Problem prints its own)."""
    where = ", ".join(filter(None, [str(exc.path) if exc.path is not None else None,
                                    f"line {exc.line}" if exc.line else None,
                                    f"column '{exc.column}'" if exc.column else None]))
    text = str(exc)
    return text[len(where) + 2:] if where and text.startswith(where + ": ") else text


def form_outcomes(project) -> set[str]:
    """The outcome names a form can be for: review.toml's [[outcomes]] and the analyses' outcomes (the first
    alone while analyses.toml does not read: `sysrev check` reports that)."""
    from sysrev.analyses import load_analyses

    names = {o["name"] for o in project.config.get("outcomes", []) or [] if isinstance(o, dict) and o.get("name")}
    try:
        names |= {spec.outcome for spec in load_analyses(project)}
    except SysrevError:
        pass
    return names


def check_folder(rob_dir, known_studies=None, known_outcomes=None) -> tuple[list[Assessment], list[Problem]]:
    """Load every form in ``rob_dir``; return the loadable ones and the problems of all (malformed files
    become one error each instead of stopping the check). With ``known_studies`` (the labels of
    studies.csv), a form for any other study gets a warning: its label must match the extraction's; with
    ``known_outcomes`` (:func:`form_outcomes`), so does a form for any other outcome (an outcome renamed in
    review.toml leaves its forms under the old name, and the renamed outcome's forms count as missing)."""
    assessments, problems = [], []
    seen: dict[tuple[str, str], Path] = {}
    for path in list_forms(rob_dir):
        try:
            a = load_assessment(path)
        except InputError as exc:
            problems.append(Problem(ERROR, path, exc.column or "", _bare(exc), exc.line))
            continue
        if (a.study, a.outcome) in seen:
            problems.append(Problem(ERROR, path, "study", f"a second form for {a.study!r} × {a.outcome!r} "
                                                          f"(also {seen[(a.study, a.outcome)].name})"))
        seen[(a.study, a.outcome)] = path
        if known_studies is not None and a.study not in known_studies:
            problems.append(Problem(WARNING, path, "study", f"study {a.study!r} is not in the extraction's "
                                                            "studies.csv (labels must match)"
                                                            f"{renamed_study_hint(a.study, known_studies)}",
                                    a.line_of(None, "study")))
        if known_outcomes and a.outcome not in known_outcomes:
            problems.append(Problem(WARNING, path, "outcome", unknown_outcome(a.outcome, known_outcomes),
                                    a.line_of(None, "outcome")))
        assessments.append(a)
        problems.extend(assessment_problems(a))
    return assessments, problems
