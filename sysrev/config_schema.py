"""The one declared schema of every TOML file of a review project, and its strict checker.

Each file kind (``review.toml``, ``searches/*.toml``, ``analysis/analyses.toml``, the extraction
``form.toml``, RoB 2 forms) is a :class:`FileKind`: a list of :class:`Table` declarations, each listing its
:class:`Key` entries with type, whether required, allowed values and meaning. Three things are built from
this module alone, so they cannot disagree:

* the checks every loader runs before reading a file (:func:`ensure_valid`): an unknown key is an error with
  the file, line and a "did you mean …?"; so are wrong types, values outside the allowed list and missing
  required keys — every problem of the file at once, not just the first;
* ``sysrev check``, which runs the same checks over the whole project;
* the reference pages ``docs/reference/*.md`` (:func:`reference_page`; a test fails when they drift).

Semantic rules that involve several keys (a subgroups table needs ``subgroup``; an override needs a
justification) stay in each stage's loader, next to the code they protect.

Table paths are dotted; ``<name>`` stands for a name the user chooses (an analysis, a scale, a column).
A table with ``entries`` holds user-named entries of that type (subgroup labels → values), not fixed keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sysrev.did_you_mean import closest
from sysrev.errors import InputError
from sysrev.toml_lines import key_lines, line_of

NAME = "<name>"


@dataclass(frozen=True)
class Key:
    """One key of a table."""

    name: str
    type: str  # a key of TYPES
    description: str
    required: bool = False
    choices: tuple = ()
    default: str = ""  # as documented (the loader applies it)
    noun: str = ""  # what a valid value is called in errors ("'moderate' is not a judgement")
    hint: str = ""  # added to a wrong-type error
    loose: bool = False  # choices match in any case, '_'/'-' for spaces, "… risk" ("Some_concerns", "High risk")


@dataclass(frozen=True)
class Table:
    """A table (``[path]``), an array of tables (``[[path]]``) or a table of user-named entries."""

    path: str
    description: str
    keys: tuple[Key, ...] = ()
    required: bool = False
    array: bool = False
    entries: str | None = None  # type of each user-named entry (a table with no fixed keys)
    shorthand: str | None = None  # a value of this type may stand for the whole table (``col = "text"``)


@dataclass(frozen=True)
class FileKind:
    """A kind of TOML file in a project: where it lives, what it is for and its tables."""

    name: str
    pattern: str  # glob relative to the project root
    page: str  # docs/reference/<page>.md
    description: str
    tables: tuple[Table, ...]

    def table(self, path: tuple) -> Table | None:
        """The declared table matching a concrete path (array indices dropped, names matching ``<name>``)."""
        concrete = tuple(p for p in path if not isinstance(p, int))
        for table in self.tables:
            declared = tuple(table.path.split(".")) if table.path else ()
            if len(declared) == len(concrete) and all(d in (c, NAME) for d, c in zip(declared, concrete)):
                return table
        return None

    def children(self, table: Table) -> list[Table]:
        """Tables declared directly below ``table``."""
        depth = len(table.path.split(".")) if table.path else 0
        prefix = f"{table.path}." if table.path else ""
        return [t for t in self.tables
                if t.path.startswith(prefix) and t.path and len(t.path.split(".")) == depth + 1]


def _is_str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


TYPES = {
    "string": ("a string", lambda v: isinstance(v, str)),
    "integer": ("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "number": ("a number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)),
    "boolean": ("true or false", lambda v: isinstance(v, bool)),
    "list of strings": ("a list of strings", _is_str_list),
    "string or list of strings": ("a string or a list of strings", lambda v: isinstance(v, str) or _is_str_list(v)),
    "pair of numbers": ("a list of two numbers, [low, high]", lambda v: isinstance(v, list) and len(v) == 2 and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)),
    "pair of strings": ("a list of two strings", lambda v: _is_str_list(v) and len(v) == 2),
    "value": ("a string, number, true/false or list", lambda v: not isinstance(v, dict)),
}

# ------------------------------------------------------------------------------------------ review.toml

_REVIEW = FileKind("review.toml", "review.toml", "review-toml", (
    "The protocol of the review: question, eligibility, databases, outcomes, arms and screening settings. "
    "Its presence marks the project folder."), (
    Table("", "The top level holds only tables."),
    Table("review", "What the review is.", required=True, keys=(
        Key("title", "string", "Title of the review (reports, PRISMA diagram).", required=True),
        Key("question", "string", "The review question in one sentence."),
        Key("reproduces", "string", "The published review this project reproduces, if any (citation)."),
        Key("registration", "string", "Protocol registration, e.g. a PROSPERO number."),
    )),
    Table("question", "PICO of the review question.", keys=(
        Key("population", "string", "Population (P)."),
        Key("intervention", "string", "Intervention (I), the experimental arm."),
        Key("comparator", "string", "Comparator (C), the control arm."),
        Key("outcomes", "list of strings", "Outcomes (O) in words; the analysable ones are [[outcomes]]."),
    )),
    Table("eligibility", "Eligibility criteria, as screened against.", keys=(
        Key("study_designs", "list of strings", "Study designs included, e.g. [\"randomised controlled trial\"]."),
        Key("published_before", "string", "Latest publication date included, YYYY-MM-DD."),
        Key("languages", "list of strings", "Languages included (empty: no restriction)."),
        Key("include", "list of strings", "Inclusion criteria, one per entry."),
        Key("exclude", "list of strings", "Exclusion criteria, one per entry."),
    )),
    Table("databases", "One entry per database searched (PRISMA identification boxes).", array=True, keys=(
        Key("name", "string", "Name shown in the PRISMA diagram, e.g. \"PubMed\".", required=True),
        Key("strategy", "string", "The strategy file searched, e.g. \"searches/pubmed.toml\"."),
    )),
    Table("outcomes", "One entry per outcome that extraction and analyses refer to.", array=True, keys=(
        Key("name", "string", "Outcome name used in extraction rows and analyses.", required=True),
        Key("label", "string", "Human-readable label."),
        Key("type", "string", "Kind of data extracted.", required=True, choices=("continuous", "dichotomous")),
        Key("direction", "string", "What a lower value means.", choices=("lower is better", "higher is better")),
        Key("timepoints", "list of strings", "Time points extracted (the `timepoint` column)."),
        Key("items", "list of strings", "Items of a composite outcome (the `item` column), e.g. adverse events."),
    )),
    Table("arms", "The two arms compared; group 1 is the experimental arm.", keys=(
        Key("group1", "string", "Arm label of group 1 in extraction rows.", required=True),
        Key("group2", "string", "Arm label of group 2 in extraction rows.", required=True),
        Key("group1_label", "string", "Display name of group 1 (plots).", default="group1"),
        Key("group2_label", "string", "Display name of group 2 (plots).", default="group2"),
    )),
    Table("screening", "Who screens and how.", keys=(
        Key("reviewers", "list of strings", "Reviewer names; also the decision log file names.", required=True),
        Key("exclusion_reasons", "list of strings", "The controlled list of exclusion reasons.", required=True),
        Key("highlight_terms", "list of strings", "Words highlighted on the screening screen.", required=True),
        Key("reviewers_per_record", "integer", "Reviewers who must screen each record (2: dual screening).",
            default="1"),
        Key("not_retrieved_reason", "string",
            "The exclusion reason meaning 'full text not retrieved' (PRISMA: not retrieved).",
            default="the first reason mentioning retrieval"),
    )),
))

# ----------------------------------------------------------------------------------- searches/*.toml

_STRATEGY = FileKind("search strategy", "searches/*.toml", "search-strategy", (
    "One search: the database and the query exactly as submitted. `sysrev search run` runs the PubMed and "
    "Scopus ones; a `file` strategy documents an export imported with `sysrev import`."), (
    Table("", "A strategy file has keys only.", keys=(
        Key("name", "string", "Name of the search (snapshot folder suffix).", default="the file name"),
        Key("database", "string", "Where the search runs.", required=True, choices=("pubmed", "scopus", "file")),
        Key("query", "string", "The query exactly as submitted (required for pubmed and scopus)."),
        Key("datetype", "string", "PubMed date field: publication or entry date.", choices=("pdat", "edat"),
            default="pdat"),
        Key("mindate", "string", "Earliest date, YYYY, YYYY-MM or YYYY-MM-DD (Scopus: the year counts)."),
        Key("maxdate", "string", "Latest date, YYYY, YYYY-MM or YYYY-MM-DD (Scopus: the year counts)."),
        Key("file", "string", "database = \"file\": the export file, relative to the project."),
        Key("description", "string", "What the search covers (for people)."),
        Key("source", "string", "Where the records come from (for people), e.g. \"Cochrane Library (CENTRAL)\"."),
        Key("reconstruction", "boolean", "true when the strategy was reconstructed, not the one published."),
        Key("draft", "boolean", "true while the query is still the starting point `sysrev init` built from the "
            "PICO words: `sysrev search run` and `sysrev refresh` send no draft to a database (a run would put "
            "its records in the review's history). Delete the line once the query is the real strategy.",
            default="false"),
    )),
))

# ------------------------------------------------------------------------------ analysis/analyses.toml

_PRINTED = "write it in quotes exactly as printed, e.g. \"0.10\", so its decimals are kept"

_ANALYSES = FileKind("analysis/analyses.toml", "analysis/analyses.toml", "analyses-toml", (
    "The analyses `sysrev meta run` computes, one [analyses.NAME] table each, with the published figures "
    "each must reproduce."), (
    Table("", "The top level holds only the analyses table."),
    Table("analyses", "One table per analysis, named by the analysis (its results file name).", required=True),
    Table("analyses.<name>", "One analysis.", keys=(
        Key("title", "string", "Title (plots, reports).", default="the analysis name"),
        Key("outcome", "string", "The extraction rows' `outcome`.", required=True),
        Key("measure", "string", "Effect measure.", required=True,
            choices=("MD", "SMD", "RR", "OR", "RD", "PETO")),
        Key("method", "string", "Pooling method.", choices=("IV", "MH", "PETO"),
            default="IV for MD/SMD, MH for RR/OR/RD, PETO for PETO"),
        Key("model", "string", "Fixed or random effects.", choices=("fixed", "random"), default="fixed"),
        Key("tau2", "string", "Between-study variance estimator.",
            choices=("DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB"), default="DL"),
        Key("ci", "string", "Confidence interval of the pooled estimate (z or Hartung-Knapp).",
            choices=("z", "hksj"), default="z"),
        Key("smd", "string", "SMD formula: RevMan's Hedges' g or metafor's exact correction.",
            choices=("revman", "exact"), default="revman"),
        Key("level", "number", "Confidence level in percent.", default="95"),
        Key("subgroup", "string", "Extraction column whose values form subgroups.", choices=("timepoint", "item")),
        Key("direction", "string", "What a lower value means (plot labels).",
            choices=("lower is better", "higher is better"), default="lower is better"),
        Key("group1", "string", "Arm label of group 1, when not review.toml [arms] group1."),
        Key("group2", "string", "Arm label of group 2, when not review.toml [arms] group2."),
        Key("pooled_sd", "boolean", "MD only: each study's variance from the pooled within-study SD.",
            default="false"),
        Key("note", "string", "Assumptions and remarks, kept in the results file."),
        Key("mid", "number", "Minimal important difference, one point on the reporting scale: the thresholds "
                             "are ±|mid| for differences and mid and 1/mid for RR/OR/PETO (a ratio > 0, e.g. 0.75: "
                             "RR 0.75 and 1.33). Used by `sysrev diff`, GRADE and `sysrev meta tsa` (which "
                             "anticipates the relative risk reduction 1 − 0.75 = 25%)."),
    )),
    Table("analyses.<name>.grade", "The team's choices GRADE's proposal rules need (`sysrev grade`).", keys=(
        Key("design", "string", "Study design of the body of evidence (randomised starts high, non-randomised low).",
            choices=("randomised", "non-randomised"), default="randomised"),
        Key("importance", "string", "Importance of the outcome.", choices=("critical", "important", "not important")),
        Key("control_risk", "number", "Assumed control-group risk (0-1) for the absolute effects."),
        Key("control_risk_source", "string", "Where the control risk comes from."),
        Key("absolute_mid", "number", "RR/OR/Peto/RD: the smallest important absolute difference, per 1,000."),
        Key("ois_rrr", "number", "Optimal information size: relative risk reduction (0-1)."),
        Key("ois_alpha", "number", "Optimal information size: type I error (0-0.5)."),
        Key("ois_power", "number", "Optimal information size: power (0.5-1)."),
        Key("ois_delta", "number", "Optimal information size: difference in means to detect (continuous)."),
        Key("ois_sd", "number", "Optimal information size: SD of the outcome (continuous)."),
    )),
    Table("analyses.<name>.subgroups", "Subgroup label = the extraction values it takes (display order).",
          entries="string or list of strings"),
    Table("analyses.<name>.target", "The published figures, quoted exactly as printed (decimals count).", keys=(
        Key("source", "string", "Where the figures are printed (paper, table, page).", required=True),
        Key("estimate", "string", "Pooled estimate as printed, e.g. \"-0.01\".", hint=_PRINTED),
        Key("ci", "pair of strings", "Confidence interval as printed, e.g. [\"-0.11\", \"0.10\"].", hint=_PRINTED),
        Key("p", "string", "p value as printed.", hint=_PRINTED),
        Key("I2", "string", "I² as printed, e.g. \"0%\".", hint=_PRINTED),
        Key("tau2", "string", "τ² as printed.", hint=_PRINTED),
    )),
))

# ------------------------------------------------------------------------- analysis/extraction/form.toml

_FORM = FileKind("extraction form", "analysis/extraction/form.toml", "extraction-form", (
    "What is extracted: the study-characteristics columns of studies.csv, the outcome cells each outcome "
    "type needs, and each scale's direction and range. Without it the defaults apply."), (
    Table("", "The top level holds only tables."),
    Table("characteristics", "Study characteristics (studies.csv).", keys=()),
    Table("characteristics.columns", "One entry per column of studies.csv; must include `study`."),
    Table("characteristics.columns.<name>", "A column: its type, or an inline table.", shorthand="string", keys=(
        Key("type", "string", "Cell type.", choices=("text", "count", "number"), default="text"),
        Key("required", "boolean", "Every study must report it (an empty cell is pending).", default="false"),
        Key("description", "string", "What goes in the column."),
    )),
    Table("outcome_data", "Outcome cells needed per outcome type; empty ones are pending.", keys=(
        Key("continuous", "list of strings", "Cells a continuous row needs.", choices=("n", "mean", "sd", "events"),
            default="[\"n\", \"mean\", \"sd\"]"),
        Key("dichotomous", "list of strings", "Cells a dichotomous row needs.",
            choices=("n", "mean", "sd", "events"), default="[\"events\", \"n\"]"),
        Key("change_marker", "string", "Text in a row's `method` marking change-from-baseline values.",
            default="change from baseline"),
    )),
    Table("scales", "One table per scale named in extraction rows' `scale` column."),
    Table("scales.<name>", "A scale.", keys=(
        Key("higher", "string", "What a higher value means.", required=True, choices=("worse", "better")),
        Key("range", "pair of numbers", "Possible range [low, high]; a mean outside it is an error."),
        Key("description", "string", "What the scale measures."),
    )),
))

# ------------------------------------------------------------------------------- RoB 2 assessment forms

_DOMAIN_KEYS = (
    Key("judgement", "string", "Judgement typed by the assessor; checked against the algorithm, never used.",
        choices=("low", "some concerns", "high"), noun="judgement", loose=True),
    Key("override", "string", "Replaces the algorithm's judgement; needs a justification.",
        choices=("low", "some concerns", "high"), noun="judgement", loose=True),
    Key("justification", "string", "Why the override."),
    Key("direction", "string", "Predicted direction of bias.", choices=(
        "NA", "favours experimental", "favours comparator", "towards null", "away from null", "unpredictable"),
        loose=True),
)
_ROB_DOMAINS = []
for _d in ("D1", "D2", "D3", "D4", "D5"):
    _ROB_DOMAINS += [
        Table(_d, f"Domain {_d[1]}: the assessor's answers and optional override.", keys=_DOMAIN_KEYS),
        Table(f"{_d}.answers", "Signalling question id = Y, PY, PN, N, NI, NA (or empty).", entries="string"),
        Table(f"{_d}.support", "Signalling question id = quote or note supporting the answer.", entries="string"),
    ]

_ROB = FileKind("RoB 2 form", "analysis/rob2/*--*.toml", "rob2-form", (
    "One RoB 2 assessment of one study's result for one outcome (`<study>--<outcome>.toml`). Judgements are "
    "computed from the answers by the official algorithm."), (
    Table("", "Who and what is assessed.", keys=(
        Key("study", "string", "Study label, as in extraction.", required=True),
        Key("outcome", "string", "Outcome name, as in review.toml [[outcomes]].", required=True),
        Key("assessor", "string", "Who answered."),
        Key("result", "string", "The numerical result assessed."),
        Key("sources", "list of strings", "Sources used (article, registry, protocol)."),
        Key("effect", "string", "Effect of interest.", choices=("assignment",), default="assignment"),
        Key("date", "string", "Date of the assessment."),
        Key("notes", "string", "Free-text notes."),
    )),
    *_ROB_DOMAINS,
    Table("overall", "Overall judgement.", keys=(
        Key("several_concerns_high", "boolean",
            "With 2+ domains at some concerns: do they together lower confidence substantially (→ high)?"),
        *_DOMAIN_KEYS,
    )),
))

# ------------------------------------------------------------------------------ analysis/grade/*.toml

_GRADE_DOMAIN_KEYS = (
    Key("proposed", "string", "sysrev's proposed rating (refreshed at every `sysrev grade`)."),
    Key("reasons", "list of strings", "Why, in words, with the thresholds used."),
    Key("pending", "list of strings", "Inputs still missing (then proposed = \"pending\")."),
    Key("final", "string", "The team's rating; never changed by sysrev."),
    Key("justification", "string", "Required when final differs from the proposal it was decided against."),
    Key("decided_against", "string", "Written by sysrev once: the proposal the final rating was made against."),
    Key("flag", "string", "Written by sysrev: the proposal has changed since the final rating was decided."),
)
_GRADE_DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias",
                  "large_effect", "dose_response", "confounding")

_GRADE = FileKind("GRADE file", "analysis/grade/*.toml", "grade-file", (
    "sysrev's proposed GRADE ratings of one analysis beside the team's final ones, one table per domain "
    "(written by `sysrev grade`; the team edits `final` and `justification`)."), (
    Table("", "The analysis rated.", keys=(
        Key("analysis", "string", "Name of the analysis in analyses.toml.", default="the file name"),
        Key("title", "string", "Its title."),
        Key("design", "string", "Study design.", choices=("randomised", "non-randomised"), default="randomised"),
    )),
    Table("inputs", "The thresholds and assumptions the proposals used (set in analyses.toml).", entries="value"),
    *(Table(domain, f"GRADE domain: {domain.replace('_', ' ')}.", keys=_GRADE_DOMAIN_KEYS)
      for domain in _GRADE_DOMAINS),
))

FILE_KINDS: tuple[FileKind, ...] = (_REVIEW, _STRATEGY, _ANALYSES, _FORM, _ROB, _GRADE)
KIND_BY_NAME = {kind.name: kind for kind in FILE_KINDS}

# ------------------------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Problem:
    """One problem of one file: where and what."""

    path: Path
    line: int | None
    message: str
    key: str = ""  # dotted key path, e.g. "screening.reviewers"

    def __str__(self):
        where = f"{self.path}, line {self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ConfigError(InputError):
    """Every problem of one configuration file; printed one per line, each with the ``error:`` prefix."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, column=first.key or None)
        self.args = ("\nerror: ".join(str(p) for p in problems),)

    def __str__(self):
        return self.args[0]


def _describe(path: tuple) -> str:
    """``("analyses", "pain", "target")`` → ``[analyses.pain.target]``; top level → ``the top level``."""
    if not path:
        return "the top level"
    if any(isinstance(p, int) for p in path):
        index = max(i for i, p in enumerate(path) if isinstance(p, int))
        rest = ".".join(path[index + 1:])
        return f"[[{'.'.join(path[:index])}]] #{path[index] + 1}" + (f" {rest}" if rest else "")
    return f"[{'.'.join(path)}]"


def _suggest(word: str, candidates) -> str:
    meant = closest(word, candidates)
    return f"; did you mean '{meant}'?" if meant else ""


def _check_value(key: Key, value) -> str | None:
    """What is wrong with ``value`` for ``key``, or None."""
    what, test = TYPES[key.type]
    if not test(value):
        hint = f"; {key.hint}" if key.hint else ""
        return f"{key.name} must be {what}, not {type(value).__name__} {value!r}{hint}"
    if key.choices:
        for item in value if isinstance(value, list) else [value]:
            if item not in key.choices and not (key.loose and _loose_match(item, key.choices)):
                allowed = ", ".join(map(repr, key.choices))
                verdict = f"is not a {key.noun}; use one of {allowed}" if key.noun else f"is not one of {allowed}"
                return f"{key.name} = {item!r} {verdict}{_suggest(str(item), key.choices)}"
    return None


def _loose_match(value, choices) -> bool:
    """``value`` is one of ``choices`` up to case, '_'/'-' for spaces and a trailing "risk (of bias)"."""
    return loose_choice(value, choices) is not None


def loose_choice(value, choices) -> str | None:
    """The one of ``choices`` that ``value`` spells loosely ("High risk" → "high", "na" → "NA"), or None.

    Loaders of a ``loose`` key use it to read the value the schema check has just accepted."""
    if not isinstance(value, str):
        return None

    def norm(text):
        return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())

    by_norm = {norm(c): c for c in choices}
    word = norm(value)
    return by_norm.get(word) or by_norm.get(word.removesuffix(" risk of bias").removesuffix(" risk"))


def check_data(kind: FileKind, data: dict, text: str, path) -> list[Problem]:
    """Every schema problem of one parsed file (``text`` is its source, for line numbers)."""
    path = Path(path)
    lines = key_lines(text)
    problems: list[Problem] = []

    def report(where: tuple, message: str):
        problems.append(Problem(path, line_of(lines, where), message, ".".join(map(str, where[:-1]))))

    def walk(table: Table, value: dict, where: tuple):
        children = {c.path.split(".")[-1]: c for c in kind.children(table)}
        keys = {k.name: k for k in table.keys}
        for name, item in value.items():
            child = children.get(name) or children.get(NAME)
            here = where + (name,)
            if table.entries:
                if not TYPES[table.entries][1](item):
                    report(here, f"'{name}' in {_describe(where)} must be {TYPES[table.entries][0]}")
            elif child is not None and name not in keys:
                if child.array and isinstance(item, list) and all(isinstance(i, dict) for i in item):
                    for index, element in enumerate(item):
                        walk(child, element, here + (index,))
                elif isinstance(item, dict) and not child.array:
                    walk(child, item, here)
                elif child.shorthand and TYPES[child.shorthand][1](item):
                    continue
                else:
                    shape = f"[[{'.'.join(map(str, here))}]] tables" if child.array else f"a table [{name}]"
                    report(here, f"'{name}' in {_describe(where)} must be {shape}")
            elif name in keys:
                wrong = _check_value(keys[name], item)
                if wrong:
                    report(here, f"{wrong} (key '{name}' in {_describe(where)})")
            else:
                known = list(keys) + [c for c in children if c != NAME]
                allowed = f" (allowed: {', '.join(known)})" if known else ""
                tables_only = not where and not keys
                what = f"top-level key or table '{name}'" if tables_only else f"key '{name}' in {_describe(where)}"
                report(here, f"unknown {what}{_suggest(name, known) or allowed}")
        for key in table.keys:
            if key.required and key.name not in value:
                report(where, f"{_describe(where)} needs '{key.name}' (required: {key.description.rstrip('.')})")
        for name, child in children.items():
            if child.required and name != NAME and name not in value:
                report(where, f"missing required table [{child.path}]")

    walk(kind.table(()), data, ())
    return problems


def check_file(kind: FileKind, path) -> tuple[dict, list[Problem]]:
    """Parse and check one file: its data (empty when unreadable) and its problems."""
    from sysrev.project import load_toml  # project imports this module to check review.toml

    path = Path(path)
    try:
        data = load_toml(path)
    except InputError as exc:
        return {}, [Problem(path, None, str(exc).removeprefix(f"{path}: "))]
    text = path.read_text(encoding="utf-8")
    return data, check_data(kind, data, text, path)


def ensure_valid(kind_name: str, path, data: dict) -> None:
    """Raise :class:`ConfigError` listing every schema problem of an already parsed file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    problems = check_data(KIND_BY_NAME[kind_name], data, text, path)
    if problems:
        raise ConfigError(problems)


# --------------------------------------------------------------------------------------- documentation

def reference_page(kind: FileKind) -> str:
    """The Markdown reference page of one file kind (docs/reference/<page>.md), generated from the schema."""
    out = [f"# `{kind.pattern}`", "",
           "<!-- Generated from sysrev/config_schema.py by `python -m sysrev.config_schema`; do not edit. -->",
           "", kind.description, "",
           "Every key is checked: an unknown key, a wrong type, a value outside the allowed list or a missing "
           "required key is an error naming the file and line (with a \"did you mean …?\" for a misspelt key). "
           "`sysrev check` lists every problem of every file of the project.", ""]
    for table in kind.tables:
        if table.path:
            header = f"[[{table.path}]]" if table.array else f"[{table.path}]"
            out.append(f"## `{header}`" + (" (required)" if table.required else ""))
        else:
            out.append("## Top level")
        out += ["", table.description, ""]
        if table.entries:
            out += [f"Each entry: {TYPES[table.entries][0]}.", ""]
        if table.shorthand:
            out += [f"May be written as {TYPES[table.shorthand][0]} (the `type`) instead of a table.", ""]
        if table.keys:
            out += ["| key | type | required | allowed values | default | meaning |",
                    "|---|---|---|---|---|---|"]
            for key in table.keys:
                choices = ", ".join(f"`{c}`" for c in key.choices)
                cells = [f"`{key.name}`", key.type, "yes" if key.required else "no", choices, key.default,
                         key.description]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def reference_pages() -> dict[str, str]:
    """``{file name under docs/reference: text}`` for every file kind plus the index page."""
    pages = {f"{kind.page}.md": reference_page(kind) for kind in FILE_KINDS}
    index = ["# Configuration reference", "",
             "<!-- Generated from sysrev/config_schema.py by `python -m sysrev.config_schema`; do not edit. -->", "",
             "Every TOML file of a review project, checked against one schema (`sysrev check`).", "",
             "| file | what it holds |", "|---|---|"]
    for kind in FILE_KINDS:
        index.append(f"| [`{kind.pattern}`]({kind.page}.md) | {kind.description.split('. ')[0].rstrip('.')}. |")
    index += ["", "`sysrev check` also reads the project's other files that hold the team's settings or decisions, "
              "with the rules the stages apply (sysrev/project_check.py):", "",
              "| file | checked |", "|---|---|"]
    index += [f"| `{name}` | {rule} |" for name, rule in OTHER_CHECKED_FILES]
    pages["README.md"] = "\n".join(index) + "\n"
    return pages


# Files that are not TOML but that `sysrev check` validates (listed on the reference index page).
OTHER_CHECKED_FILES = (
    ("analysis/extraction/*.csv", "extraction rows: columns, numbers, scales, arms, outcomes (docs/extraction.md)"),
    ("analysis/extraction/studies.csv", "the study-characteristics columns of form.toml; the `records` column: "
                                        "each record ID a deduplicated record, under one study only"),
    ("analysis/exemptions.csv", "header `study,stage,outcome,reason`; stage `extraction` or `rob2`; an outcome "
                                "some analysis uses (or `*`); a reason; a study of studies.csv"),
    ("screening/<stage>/*.csv", "decision logs: reviewers, record IDs, decisions, reasons (docs/screening.md)"),
    ("fulltext/manifest.csv", "`record_id` and `status` columns; status retrieved, needs_library_access or failed"),
    (".sysrev/web-users.json", "`{name: password hash}`; every account a reviewer of review.toml (a warning)"),
    ("searches/inbox/<strategy>/", "each folder named after a `database = \"file\"` strategy"),
)


def write_reference(folder) -> list[Path]:
    """Regenerate docs/reference/ (run ``python -m sysrev.config_schema [FOLDER]``)."""
    from sysrev.fileio import atomic_write_text

    folder = Path(folder)
    return [atomic_write_text(folder / name, text) for name, text in reference_pages().items()]


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "reference"
    for written in write_reference(target):
        print(written)
