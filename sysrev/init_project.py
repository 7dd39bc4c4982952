"""``sysrev init``: the files of a new review project, complete, commented and valid from the start.

:class:`Answers` holds what the team said (question, PICO, databases, reviewers, outcomes, arms);
:func:`project_files` turns it into the text of every file — ``review.toml``, one strategy per database,
``analysis/analyses.toml``, the extraction forms, a ``.gitignore`` and a README for the team — and
:func:`create_project` writes them. Every file passes ``sysrev check`` and every command runs on the project
without another edit; what the team still has to refine (the queries, eligibility criteria) is marked in the
comments, never filled with invented content.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.errors import SysrevError
from sysrev.fileio import atomic_write_text
from sysrev.project import CONFIG_NAME

# Databases searched through an API; any other database is a "file" strategy (an export imported by hand).
API_DATABASES = {"pubmed": "PubMed", "scopus": "Scopus"}
OUTCOME_TYPES = ("continuous", "dichotomous")
DEFAULT_REASONS = (
    "wrong population", "wrong intervention", "wrong comparator", "wrong outcomes", "wrong study design",
    "duplicate publication", "full text not retrievable",
)
_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Outcome:
    """An outcome of the review: its name (used in extraction rows), data type and optional scale."""

    name: str
    type: str = "continuous"
    scale: str = ""

    @classmethod
    def parse(cls, text: str) -> Outcome:
        """``NAME[:TYPE[:SCALE]]``, e.g. ``pain:continuous:VAS 0-10`` or ``adverse events:dichotomous``."""
        parts = [p.strip() for p in text.split(":", 2)]
        name = parts[0]
        kind = parts[1].lower() if len(parts) > 1 and parts[1] else "continuous"
        if not name:
            raise SysrevError(f"outcome {text!r}: give a name, e.g. pain:continuous")
        if kind not in OUTCOME_TYPES:
            raise SysrevError(f"outcome {text!r}: type must be continuous or dichotomous, not {kind!r}")
        return cls(name, kind, parts[2] if len(parts) > 2 else "")

    @property
    def file_name(self) -> str:
        return _NAME.sub("_", self.name).strip("_").lower() or "outcome"

    @property
    def scale_name(self) -> str:
        return self.scale or ("patients with event" if self.type == "dichotomous" else "")


@dataclass
class Answers:
    """Everything ``sysrev init`` asks."""

    title: str
    question: str = ""
    population: str = ""
    intervention: str = ""
    comparator: str = ""
    databases: list[str] = field(default_factory=lambda: ["pubmed", "scopus"])
    reviewers: list[str] = field(default_factory=lambda: ["reviewer1", "reviewer2"])
    outcomes: list[Outcome] = field(default_factory=list)
    group1: str = "intervention"
    group2: str = "control"

    def check(self) -> None:
        """Refuse answers that would make an unusable project, naming the answer."""
        if not self.title.strip():
            raise SysrevError("the review needs a title (--title)")
        if not self.reviewers:
            raise SysrevError("name at least one reviewer (--reviewer NAME)")
        for name in self.reviewers:
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
                raise SysrevError(f"reviewer {name!r}: use letters, digits, '.', '_' or '-' (it names a log file)")
        for label, values in (("reviewer", self.reviewers), ("database", [database_key(d) for d in self.databases]),
                              ("outcome", [o.name for o in self.outcomes])):
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise SysrevError(f"{label} {repeated[0]!r} is given twice")
        if not self.databases:
            raise SysrevError("name at least one database (--database pubmed, --database scopus, or any other)")
        if not self.outcomes:
            raise SysrevError("name at least one outcome (--outcome NAME:continuous or NAME:dichotomous)")
        self._check_outcome_files()
        if not self.group1.strip() or not self.group2.strip() or self.group1 == self.group2:
            raise SysrevError("the two arms need two different labels (--group1, --group2)")

    def _check_outcome_files(self) -> None:
        """Each outcome's extraction table and analysis are named after it: two outcomes whose names give the
        same file (``pain score``, ``Pain_Score``) would write one analysis twice (analyses.toml no longer
        TOML) and share one table, and ``studies`` would replace the study-characteristics table."""
        from sysrev.extraction.table import STUDIES_FILE

        by_file: dict[str, str] = {}
        for outcome in self.outcomes:
            path = f"analysis/extraction/{outcome.file_name}.csv"
            if f"{outcome.file_name}.csv" == STUDIES_FILE:
                raise SysrevError(f"outcome {outcome.name!r}: its extraction table would be {path}, the table of "
                                  "study characteristics; name the outcome otherwise")
            first = by_file.setdefault(outcome.file_name, outcome.name)
            if first != outcome.name:
                raise SysrevError(f"outcomes {first!r} and {outcome.name!r} would share the extraction table {path} "
                                  f"and the analysis {outcome.file_name!r}; name them apart")


def database_key(name: str) -> str:
    """The strategy file name of a database: ``PubMed`` → ``pubmed``, ``Cochrane CENTRAL`` → ``cochrane-central``."""
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-") or "database"


def _q(text: str) -> str:
    """A TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


def _list(values) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _review_toml(a: Answers) -> str:
    lines = [
        "# The protocol of this review. Every sysrev stage reads it; `sysrev check` validates it",
        "# (reference: docs/reference/review-toml.md of sysrev).",
        "",
        "[review]",
        f"title = {_q(a.title)}",
        f"question = {_q(a.question)}",
        "",
        "[question]  # PICO",
        f"population = {_q(a.population)}",
        f"intervention = {_q(a.intervention)}",
        f"comparator = {_q(a.comparator)}",
        f"outcomes = {_list(o.name for o in a.outcomes)}",
        "",
        "[eligibility]",
        "# Write the protocol's criteria here, one per entry; screeners see them.",
        'study_designs = ["randomised controlled trial"]',
        "languages = []  # empty: no language restriction",
        "include = []",
        "exclude = []",
    ]
    for name in a.databases:
        key = database_key(name)
        lines += ["", "[[databases]]  # a PRISMA identification box",
                  f"name = {_q(API_DATABASES.get(key, name))}", f"strategy = {_q(f'searches/{key}.toml')}"]
    for outcome in a.outcomes:
        lines += ["", "[[outcomes]]", f"name = {_q(outcome.name)}", f"label = {_q(outcome.name)}",
                  f"type = {_q(outcome.type)}", 'direction = "lower is better"  # or "higher is better"',
                  "timepoints = []  # e.g. [\"1 month\", \"3 months\"]: the extraction rows' `timepoint`"]
    per_record = 2 if len(a.reviewers) >= 2 else 1
    lines += [
        "", "[arms]  # group 1 is the experimental arm; effects are group 1 vs group 2",
        f"group1 = {_q(a.group1)}", f"group2 = {_q(a.group2)}",
        f"group1_label = {_q(a.intervention or a.group1)}", f"group2_label = {_q(a.comparator or a.group2)}",
        "", "[screening]",
        f"reviewers = {_list(a.reviewers)}  # also the names of the decision logs",
        f"reviewers_per_record = {per_record}  # 2 = independent dual screening",
        "# The controlled list a full-text exclusion must use (the key pressed on the screen is its number).",
        f"exclusion_reasons = {_list(DEFAULT_REASONS)}",
        'not_retrieved_reason = "full text not retrievable"  # PRISMA: reports not retrieved',
        f"highlight_terms = {_list(_highlight_terms(a))}",
    ]
    return "\n".join(lines) + "\n"


def _highlight_terms(a: Answers) -> list[str]:
    """Words of the intervention and comparator worth highlighting on the screen (longer than 3 letters)."""
    words = []
    for text in (a.intervention, a.comparator):
        for word in re.findall(r"[A-Za-z][A-Za-z-]{3,}", text.lower()):
            if word not in words:
                words.append(word)
    return words


def _strategy_toml(name: str, a: Answers) -> tuple[str, str]:
    """``(file name, text)`` of the strategy of one database."""
    key = database_key(name)
    concepts = [c for c in (a.intervention, a.comparator) if c.strip()] or [a.title]
    head = [f"# Search strategy for {API_DATABASES.get(key, name)} (reference: docs/reference/search-strategy.md).",
            "# The query below is only a starting point built from the PICO words: write the real strategy",
            "# (subject headings, synonyms, a trial filter) before the first run, and keep it exactly as submitted.",
            f"name = {_q(key)}"]
    draft = ["draft = true  # delete this line once the query is the real strategy: a draft is never run"]
    if key == "pubmed":
        query = " AND ".join(f"({c})" for c in concepts)
        body = ['database = "pubmed"', f"query = {_q(query)}", *draft,
                'datetype = "pdat"  # publication date; "edat" = entry date', '# mindate = "2000"',
                '# maxdate = "2024-12-31"']
    elif key == "scopus":
        query = " AND ".join(f"TITLE-ABS-KEY({c})" for c in concepts)
        body = ['database = "scopus"', f"query = {_q(query)}", *draft, '# mindate = "2000"  # the year counts',
                '# maxdate = "2024"']
    else:
        body = ['database = "file"  # no API: search by hand, export as RIS, then:',
                f"#   sysrev import searches/exports/{key}.ris --source {key}",
                f"source = {_q(name)}", f"file = {_q(f'searches/exports/{key}.ris')}",
                '# query = """the search exactly as typed in the database"""']
    return f"{key}.toml", "\n".join(head + body) + "\n"


def _analyses_toml(a: Answers) -> str:
    lines = ["# The analyses `sysrev meta run` computes (reference: docs/reference/analyses-toml.md).",
             "# One table per analysis. Add a [analyses.NAME.target] table with the published figures (quoted",
             "# as printed) when the review reproduces a paper."]
    for outcome in a.outcomes:
        continuous = outcome.type == "continuous"
        lines += ["", f"[analyses.{_q(outcome.file_name)}]", f"title = {_q(outcome.name)}",
                  f"outcome = {_q(outcome.name)}",
                  f"measure = {_q('SMD' if continuous else 'RR')}  # MD, SMD, RR, OR, RD, PETO",
                  f"method = {_q('IV' if continuous else 'MH')}", 'model = "random"', 'tau2 = "DL"',
                  'direction = "lower is better"']
    return "\n".join(lines) + "\n"


def _form_toml(a: Answers) -> str:
    lines = [
        "# The extraction form (reference: docs/reference/extraction-form.md), read by `sysrev extract check`.",
        "#   studies.csv      one row per study: the [characteristics.columns] below;",
        "#   <outcome>.csv    one row per study x arm x outcome x item x time point.",
        "# An unknown value is an EMPTY cell (reported as pending), never a guess.",
        "",
        "[characteristics.columns]",
        'study = { type = "text", required = true, description = "Study label used in every file, '
        'e.g. \'Smith 2020\'" }',
        'citation = { type = "text", description = "Journal, year, volume, pages; DOI or PMID" }',
        'design = { type = "text", description = "e.g. parallel-group RCT" }',
        'country = { type = "text" }',
        'n_randomised = { type = "count", description = "Participants randomised, both arms" }',
        'n_randomised_group1 = { type = "count", description = "Randomised to group 1 (the experimental arm)" }',
        'n_randomised_group2 = { type = "count", description = "Randomised to group 2 (the control arm)" }',
        'population = { type = "text" }',
        'intervention = { type = "text" }',
        'comparator = { type = "text" }',
        'follow_up = { type = "text" }',
        'note = { type = "text" }',
        "",
        "[outcome_data]",
        'continuous = ["n", "mean", "sd"]',
        'dichotomous = ["events", "n"]',
        'change_marker = "change from baseline"',
        "",
        "# Scales named in the rows' `scale` column: which direction is worse and the possible range.",
    ]
    scales = []
    for outcome in a.outcomes:
        if outcome.scale_name and outcome.scale_name not in scales:
            scales.append(outcome.scale_name)
    for scale in scales:
        lines += ["", f"[scales.{_q(scale)}]", 'higher = "worse"', "# range = [0, 10]"]
    if not scales:
        lines += ['# [scales."VAS 0-10"]', '# higher = "worse"', "# range = [0, 10]"]
    return "\n".join(lines) + "\n"


def _extraction_csvs(a: Answers) -> dict[str, str]:
    from sysrev.extraction.table import COLUMNS

    files = {"analysis/extraction/studies.csv": "study,citation,design,country,n_randomised,n_randomised_group1,"
                                                 "n_randomised_group2,population,intervention,comparator,"
                                                 "follow_up,note\n"}
    for outcome in a.outcomes:
        files[f"analysis/extraction/{outcome.file_name}.csv"] = ",".join(COLUMNS) + "\n"
    return files


_GITIGNORE = """.venv/
__pycache__/
*.pyc
.DS_Store
# temporary files of sysrev writes killed mid-way (`sysrev check` lists them, `--remove-leftovers` deletes them)
.*.sysrev-*.tmp
# folders of search-run snapshots and releases killed mid-write (the next one, or `--remove-leftovers`, deletes them)
/searches/runs/.tmp-*/
/releases/.tmp-*-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]/
# exports of databases without an API can be large; keep them if your team wants them versioned
# searches/exports/
"""


_API_KEYS = {"pubmed": "`NCBI_API_KEY`, `NCBI_EMAIL`", "scopus": "`ELSEVIER_API_KEY`"}


def _wrapped(item: str) -> str:
    """A numbered step of the README wrapped at 115 characters, its continuation lines indented under its text."""
    return textwrap.fill(item, width=115, subsequent_indent="   ", break_on_hyphens=False, break_long_words=False)


def _team_readme(a: Answers, strategies: list[str]) -> str:
    """The team's README: the steps, naming only the databases chosen (a review searching Embase and CENTRAL by
    hand is not told about PubMed's keys) and the question when there is one."""
    reviewers = ", ".join(a.reviewers)
    apis = [key for key in API_DATABASES if key in {database_key(d) for d in a.databases}]
    names = " and ".join(API_DATABASES[key] for key in apis)
    drafts = (f"; the {names} {'ones are drafts' if len(apis) > 1 else 'one is a draft'} (`draft = true`) that no "
              "command runs until you delete that line" if apis else "")
    others = [d for d in a.databases if database_key(d) not in API_DATABASES]
    searches = []
    if apis:
        keys = ", ".join(_API_KEYS[key] for key in apis)
        searches.append(f"`sysrev search run` ({names}; keys from the environment: {keys})")
    if others:
        searches.append(f"exports of {', '.join(others)}: `sysrev import FILE --source NAME`")
    question = f"\n{a.question}\n" if a.question.strip() else ""
    return f"""# {a.title}
{question}
A systematic review run with [sysrev](https://pypi.org/project/sysrev/): every file here is plain text in git,
so every decision is diffable and auditable. `sysrev check` validates the whole project at any time.

## Steps

{_wrapped(f"1. **Protocol**: finish `review.toml` (eligibility criteria, outcomes' time points) and write the real "
          f"search strategies in `searches/` ({', '.join(strategies)}){drafts}. Run `sysrev check`.")}
{_wrapped(f"2. **Search**: {'; '.join(searches)}.")}
3. **Deduplicate**: `sysrev dedup`; review uncertain pairs with `sysrev dedup review`.
4. **Screen** ({reviewers}): `sysrev screen --reviewer NAME`, then `sysrev screen conflicts`,
   `sysrev screen reconcile`; `sysrev screen status` and `sysrev prisma` show where you stand.
5. **Extract and assess**: fill `analysis/extraction/*.csv` (`sysrev extract check`), RoB 2 forms with
   `sysrev rob new STUDY OUTCOME`.
6. **Analyse**: `sysrev meta run` computes every analysis of `analysis/analyses.toml`.
7. **Export**: `sysrev export included`, `sysrev export decisions`, `sysrev export r NAME`.

Decision logs (`screening/<stage>/<reviewer>.csv`) are append-only and one per reviewer: commit them, never edit
them by hand.
"""


def project_files(a: Answers) -> dict[str, str]:
    """``{relative path: text}`` of every file of the new project."""
    a.check()
    strategies = dict(_strategy_toml(name, a) for name in a.databases)
    files = {CONFIG_NAME: _review_toml(a)}
    files.update({f"searches/{name}": text for name, text in strategies.items()})
    files["analysis/analyses.toml"] = _analyses_toml(a)
    files["analysis/extraction/form.toml"] = _form_toml(a)
    files.update(_extraction_csvs(a))
    files["analysis/rob2/README.md"] = ("# RoB 2 assessments\n\nOne form per study x outcome, "
                                        "`<study>--<outcome>.toml`, written by `sysrev rob new STUDY OUTCOME` and "
                                        "checked by `sysrev rob check`.\n")
    files["screening/README.md"] = ("# Screening\n\nDecision logs, one per reviewer and stage "
                                    "(`title_abstract/`, `full_text/`), written by `sysrev screen`.\n")
    files[".gitignore"] = _GITIGNORE
    files["README.md"] = _team_readme(a, sorted(strategies))
    return files


def create_project(root, answers: Answers, *, git: bool = True) -> list[Path]:
    """Write a new project into ``root`` (created if needed); refuse to overwrite anything.

    Returns the files written. With ``git``, runs ``git init`` when ``root`` is not inside a repository.
    """
    root = Path(root)
    files = project_files(answers)
    if (root / CONFIG_NAME).exists():
        raise SysrevError(f"{root / CONFIG_NAME} already exists: {root} is already a review project")
    clashes = [name for name in files if (root / name).exists()]
    if clashes:
        raise SysrevError(f"{root} already holds {', '.join(clashes)}; choose an empty folder (nothing written)")
    written = [atomic_write_text(root / name, text) for name, text in files.items()]
    for folder in ("searches/runs", "searches/exports", "records"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    if git:
        _git_init(root)
    return written


def _git_init(root: Path) -> None:
    """``git init`` unless ``root`` is already inside a repository (or git is not installed)."""
    if shutil.which("git") is None:
        return
    inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True)
    if inside.returncode == 0:
        return
    done = subprocess.run(["git", "init", "-q"], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:  # the files are written: say so, not a traceback of the failed git call
        reason = done.stderr.strip() or f"exit code {done.returncode}"
        raise SysrevError(f"the project's files are written, but `git init` failed in {root}: {reason}; run it "
                          "there yourself (`sysrev init --no-git` leaves git out)")
