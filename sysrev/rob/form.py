"""RoB 2 assessment files ``analysis/rob2/<study>--<outcome>.toml``: reading, validating and writing them.

A form holds what the assessor decided — the answer to each signalling question, optional free-text support,
and optionally an override of a domain or the overall judgement (which then needs a written justification).
Judgements are never stored as truth: they are computed from the answers on load
(:mod:`sysrev.rob.algorithm`). A ``judgement`` key the assessor typed in is kept only to be *checked*
against the algorithm by ``sysrev rob check``.

Layout (see docs/rob.md)::

    study = "Park 2013"
    outcome = "pain"
    assessor = "AB"
    [D1]
    override = "high"                 # optional
    justification = "…"               # required with an override
    [D1.answers]
    "1.1" = "PY"
    [D1.support]
    "1.1" = "'computer-generated list' (Methods, p. 3)"
    [overall]
    several_concerns_high = false     # the assessor's confirmation when 2+ domains have some concerns

Structural errors raise :class:`InputError` naming the file, key and line: TOML syntax, unknown keys, wrong
types and bad judgement or direction words (the schema check, :mod:`sysrev.config_schema`), and here a
question a domain does not have, an answer outside the question's options, an override without
justification.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.config_schema import ensure_valid, loose_choice
from sysrev.errors import InputError
from sysrev.fileio import atomic_write_text, bounded_file_name
from sysrev.project import load_toml
from sysrev.rob.algorithm import JUDGEMENTS, domain_judgement, overall_judgement
from sysrev.rob.questions import DOMAIN_BY_KEY, DOMAIN_KEYS, DOMAINS, NA

FILE_SEPARATOR = "--"
# Optional predicted direction of bias (RoB 2 guidance, "risk-of-bias judgement" box of each domain).
DIRECTIONS = ("NA", "favours experimental", "favours comparator", "towards null", "away from null",
              "unpredictable")


@dataclass
class DomainForm:
    """One domain of a form as the assessor wrote it."""

    key: str
    answers: dict[str, str] = field(default_factory=dict)
    support: dict[str, str] = field(default_factory=dict)
    judgement: str | None = None  # typed in by the assessor; checked, never used
    override: str | None = None
    justification: str = ""
    direction: str = ""


@dataclass
class OverallForm:
    several_concerns_high: bool | None = None
    judgement: str | None = None
    override: str | None = None
    justification: str = ""
    direction: str = ""


@dataclass
class Assessment:
    """A loaded RoB 2 form with its computed judgements."""

    study: str
    outcome: str
    assessor: str = ""
    result: str = ""
    sources: list[str] = field(default_factory=list)
    notes: str = ""
    domains: dict[str, DomainForm] = field(default_factory=lambda: {k: DomainForm(k) for k in DOMAIN_KEYS})
    overall: OverallForm = field(default_factory=OverallForm)
    path: Path | None = None
    text: str = ""

    def algorithm(self, key: str) -> str | None:
        """The algorithm's judgement for domain ``key`` (None while answers are missing)."""
        return domain_judgement(key, self.domains[key].answers)

    def domain(self, key: str) -> str | None:
        """The final judgement of a domain: the override when there is one, else the algorithm's."""
        return self.domains[key].override or self.algorithm(key)

    def overall_algorithm(self) -> str | None:
        """The overall judgement from the final domain judgements and the assessor's confirmation."""
        return overall_judgement({k: self.domain(k) for k in DOMAIN_KEYS}, self.overall.several_concerns_high)

    def overall_final(self) -> str | None:
        return self.overall.override or self.overall_algorithm()

    def judgements(self) -> dict[str, str | None]:
        """``{"D1": …, …, "D5": …, "overall": …}`` (final judgements; None where incomplete)."""
        out = {k: self.domain(k) for k in DOMAIN_KEYS}
        out["overall"] = self.overall_final()
        return out

    def line_of(self, table: str | None, key: str | None = None) -> int | None:
        """Line number of ``key`` in ``[table]`` (or of the table header) in the file text, if found."""
        return locate(self.text, table, key)


def slug(text: str) -> str:
    """A file-name-safe form of a study or outcome label ("Park 2013" → "Park_2013")."""
    return re.sub(r"[^\w.-]+", "_", text.strip()).strip("_") or "_"


def form_path(rob_dir, study: str, outcome: str) -> Path:
    """Where the form for ``study`` × ``outcome`` lives: ``<rob_dir>/<study>--<outcome>.toml``.

    Each part is bounded (:func:`~sysrev.fileio.bounded_file_name`) so a long label, or one in a script of
    three UTF-8 bytes a character, still makes a valid file name; the form keeps the full labels inside.
    """
    study_part, outcome_part = bounded_file_name(slug(study), 120), bounded_file_name(slug(outcome), 100)
    return Path(rob_dir) / f"{study_part}{FILE_SEPARATOR}{outcome_part}.toml"


def locate(text: str, table: str | None, key: str | None = None) -> int | None:
    """Find the line of ``key`` inside ``[table]`` (dotted, e.g. "D1.answers"), or the table header itself.

    A small scanner for forms written in the documented layout; it returns None rather than guess.
    """
    current = None
    header_re = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
    for number, line in enumerate(text.splitlines(), start=1):
        match = header_re.match(line)
        if match:
            current = match.group(1).replace('"', "").replace(" ", "")
            if key is None and current == table:
                return number
            continue
        if key is not None and current == table:
            k = re.match(r'^\s*"?([^"=]+?)"?\s*=', line)
            if k and k.group(1).strip() == key:
                return number
    return None


def _text(value) -> str:
    """A free-text entry (its type was checked by the schema), stripped; "" when absent."""
    return (value or "").strip()


def _choice(value, choices) -> str | None:
    """The canonical spelling of a loosely written choice ("High risk" → "high", "na" → "NA"); None when
    absent. The schema check has already rejected any value that is not one of ``choices``."""
    return None if value is None else loose_choice(value, choices)


def _require_justification(form, table: str, *, path, text) -> None:
    if form.override and not form.justification:
        raise InputError(f"{table}.override = {form.override!r} needs a written justification "
                         f"({table}.justification)", path=path, line=locate(text, table, "override"),
                         column=f"{table}.justification")


# The answers as the RoB 2 guidance spells them, read as their codes (any case, spaces between words free).
_SPELLED_ANSWERS = {"YES": "Y", "PROBABLY YES": "PY", "PROBABLY NO": "PN", "NO": "N", "NO INFORMATION": "NI",
                    "NOT APPLICABLE": "NA", "N/A": "NA"}


def _answer_code(value: str) -> str:
    """An answer as its code: ``py`` → ``PY``, ``Probably yes`` → ``PY``; anything else upper-cased as typed
    (checked against the question's answers by the caller)."""
    words = " ".join(value.split()).upper()
    return _SPELLED_ANSWERS.get(words, words)


def _read_domain(key: str, data: dict, *, path, text) -> DomainForm:
    """One domain table; its keys and value types were checked by the schema, the question ids and answer
    words are checked here (they depend on the domain)."""
    domain = DOMAIN_BY_KEY[key]
    form = DomainForm(key)
    for part, target in (("answers", form.answers), ("support", form.support)):
        for qid, value in data.get(part, {}).items():
            question = domain.question(qid)
            where = dict(path=path, line=locate(text, f"{key}.{part}", qid), column=f"{key}.{part}.{qid}")
            if question is None:
                known = ", ".join(q.id for q in domain.questions)
                raise InputError(f"{key} has no signalling question '{qid}' (its questions: {known})", **where)
            target[qid] = value.strip()
            if part == "answers":
                target[qid] = _answer_code(value)
                allowed = question.allowed + (NA,)
                if target[qid] and target[qid] not in allowed:
                    raise InputError(f"answer {value.strip()!r} is not allowed for {qid}; use one of "
                                     f"{', '.join(allowed)} (or leave it empty)", **where)
    form.judgement = _choice(data.get("judgement"), JUDGEMENTS)
    form.override = _choice(data.get("override"), JUDGEMENTS)
    form.justification = _text(data.get("justification"))
    form.direction = _choice(data.get("direction"), DIRECTIONS) or ""
    _require_justification(form, key, path=path, text=text)
    return form


def _read_overall(data: dict, *, path, text) -> OverallForm:
    """The [overall] table (keys and types checked by the schema)."""
    form = OverallForm(several_concerns_high=data.get("several_concerns_high"),
                       judgement=_choice(data.get("judgement"), JUDGEMENTS),
                       override=_choice(data.get("override"), JUDGEMENTS),
                       justification=_text(data.get("justification")),
                       direction=_choice(data.get("direction"), DIRECTIONS) or "")
    _require_justification(form, "overall", path=path, text=text)
    return form


def load_assessment(path) -> Assessment:
    """Read and validate one form; judgements are computed on access (see :class:`Assessment`).

    The schema check (:func:`~sysrev.config_schema.ensure_valid`: unknown keys, types, allowed words) runs
    first; what it cannot know — a label that is only spaces, a question a domain does not have, an answer
    word a question does not allow, an override without justification — is checked while reading."""
    path = Path(path)
    data = load_toml(path)
    text = path.read_text(encoding="utf-8")
    ensure_valid("RoB 2 form", path, data)
    for key in ("study", "outcome"):
        if not data[key].strip():
            raise InputError(f"'{key}' is empty", path=path, line=locate(text, None, key), column=key)
    assessment = Assessment(
        study=data["study"].strip(), outcome=data["outcome"].strip(), assessor=_text(data.get("assessor")),
        result=_text(data.get("result")), notes=_text(data.get("notes")), sources=list(data.get("sources", [])),
        path=path, text=text,
    )
    for key in DOMAIN_KEYS:
        if key in data:
            assessment.domains[key] = _read_domain(key, data[key], path=path, text=text)
    if "overall" in data:
        assessment.overall = _read_overall(data["overall"], path=path, text=text)
    return assessment


def list_forms(rob_dir) -> list[Path]:
    """The RoB 2 forms of a folder: ``*--*.toml``, sorted (templates and READMEs are skipped)."""
    folder = Path(rob_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"*{FILE_SEPARATOR}*.toml") if p.is_file())


def load_assessments(rob_dir) -> list[Assessment]:
    """Every form in ``rob_dir`` (raises on the first malformed one; ``sysrev rob check`` reports all)."""
    return [load_assessment(p) for p in list_forms(rob_dir)]


# ---------------------------------------------------------------------------------------------- writing

def _q(value: str) -> str:
    """A TOML basic string (JSON string escapes are a subset of TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def render_form(assessment: Assessment, comments: dict[tuple[str, str], str] | None = None) -> str:
    """The form as TOML text, with each question's topic and condition as a comment.

    ``comments`` maps (domain, question id or "judgement") to an extra comment line written above that
    entry (used by ``sysrev rob compare`` to mark disagreements for a human to resolve).
    """
    comments = comments or {}
    out = [
        "# RoB 2 assessment: individually randomized parallel-group trial, effect of assignment to intervention.",
        "# Answers: Y, PY (probably yes), PN (probably no), N, NI (no information); NA or empty where the",
        "# question's condition is not met. Judgements are computed by `sysrev rob check` from the answers;",
        "# an `override` replaces the algorithm's judgement and needs a `justification`. Exact question",
        "# wording: RoB 2 full guidance (riskofbias.info); the topics below are paraphrases.",
        f"study = {_q(assessment.study)}",
        f"outcome = {_q(assessment.outcome)}",
        f"assessor = {_q(assessment.assessor)}",
        f"result = {_q(assessment.result)}  # the numerical result assessed, "
        "e.g. \"MD -0.3 (95% CI -0.9 to 0.3), Table 2\"",
        "sources = [" + ", ".join(_q(s) for s in assessment.sources) + "]  "
        "# e.g. [\"journal article\", \"registry NCT…\"]",
    ]
    if assessment.notes:
        out.append(f"notes = {_q(assessment.notes)}")
    for domain in DOMAINS:
        form = assessment.domains[domain.key]
        out += ["", f"[{domain.key}]  # {domain.name}"]
        if (domain.key, "judgement") in comments:
            out.append(f"# {comments[(domain.key, 'judgement')]}")
        for name in ("judgement", "override"):
            value = getattr(form, name)
            out.append(f"{name} = {_q(value)}" if value else f"# {name} = \"\"")
        out.append(f"justification = {_q(form.justification)}" if form.justification else "# justification = \"\"")
        out.append(f"direction = {_q(form.direction)}" if form.direction else
                   "# direction = \"\"  # optional: " + " | ".join(DIRECTIONS))
        out.append(f"[{domain.key}.answers]")
        for question in domain.questions:
            if (domain.key, question.id) in comments:
                out.append(f"# {comments[(domain.key, question.id)]}")
            cond = f"[{question.condition.text}] " if question.condition else ""
            options = "/".join(question.allowed) + ("/NA" if question.condition else "")
            out.append(f"{_q(question.id)} = {_q(form.answers.get(question.id, ''))}  "
                       f"# {cond}{question.topic} ({options})")
        out.append(f"[{domain.key}.support]")
        for question in domain.questions:
            out.append(f"{_q(question.id)} = {_q(form.support.get(question.id, ''))}")
    overall = assessment.overall
    out += ["", "[overall]"]
    if ("overall", "judgement") in comments:
        out.append(f"# {comments[('overall', 'judgement')]}")
    out.append("# When two or more domains have some concerns (and none is high), confirm whether together they")
    out.append("# substantially lower confidence in the result (true → high, false → some concerns).")
    if overall.several_concerns_high is None:
        out.append("# several_concerns_high = false")
    else:
        out.append(f"several_concerns_high = {'true' if overall.several_concerns_high else 'false'}")
    for name in ("judgement", "override", "justification", "direction"):
        value = getattr(overall, name)
        out.append(f"{name} = {_q(value)}" if value else f"# {name} = \"\"")
    return "\n".join(out) + "\n"


def write_form(path, assessment: Assessment, comments=None) -> Path:
    """Write ``assessment`` to ``path`` atomically (see :func:`render_form`)."""
    return atomic_write_text(path, render_form(assessment, comments))
