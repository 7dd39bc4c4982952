"""``analysis/grade/<analysis>.toml``: sysrev's proposed GRADE ratings beside the team's final ones.

One file per analysis (= outcome of the Summary of findings table), one table per domain::

    [imprecision]
    proposed = "serious"              # written by `sysrev grade`, refreshed at every run
    reasons = ["CI -0.3 to 0.1; …"]   # why, in words, with the thresholds used
    pending = []                      # inputs still missing (then proposed = "pending")
    final = "serious"                 # the team's rating — never changed by sysrev
    justification = ""                # required when final differs from the proposal it was decided on
    decided_against = "serious"       # written by sysrev once: the proposal the final rating was made against
    flag = ""                         # written by sysrev: the proposal has changed since then

The living review needs the last two: when a refresh changes the evidence so that the proposal moves away
from the one the team decided against, the file says so (``flag``) and ``sysrev grade`` reports it. The team
re-confirms by editing ``final``/``justification`` and deleting ``decided_against`` (sysrev then records the
current proposal). Files are written atomically and carry no timestamps, so an unchanged project gives
unchanged files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sysrev.config_schema import ensure_valid
from sysrev.did_you_mean import closest
from sysrev.errors import InputError, SysrevError
from sysrev.fileio import atomic_write_text
from sysrev.grade import rules
from sysrev.locking import lock_for_path
from sysrev.project import load_toml
from sysrev.rob.form import locate

DOWN_DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
UP_DOMAINS = ("large_effect", "dose_response", "confounding")
TEAM_ONLY = ("indirectness", "dose_response", "confounding")
TITLES = {
    "risk_of_bias": "Risk of bias", "inconsistency": "Inconsistency", "indirectness": "Indirectness",
    "imprecision": "Imprecision", "publication_bias": "Publication bias", "large_effect": "Large effect",
    "dose_response": "Dose-response gradient", "confounding": "Plausible confounding would change the effect",
}
RATINGS = {
    "risk_of_bias": rules.DOWN, "inconsistency": rules.DOWN, "indirectness": rules.DOWN,
    "imprecision": rules.DOWN, "publication_bias": rules.PUBLICATION, "large_effect": rules.UP_LARGE,
    "dose_response": rules.UP_YES_NO, "confounding": rules.UP_YES_NO,
}
PENDING = "pending"
TEAM = "none: the team's judgement alone"


@dataclass
class DomainRecord:
    """One domain of a GRADE file: sysrev's proposal and the team's decision."""

    domain: str
    proposed: str = PENDING
    reasons: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    final: str = ""
    justification: str = ""
    decided_against: str = ""
    flag: str = ""

    @property
    def team_only(self) -> bool:
        return self.domain in TEAM_ONLY

    @property
    def rating(self) -> str | None:
        """The rating that counts: the team's final one, else the proposal (None while neither exists)."""
        if self.final:
            return self.final
        if self.team_only or self.proposed in (PENDING, TEAM):
            return None
        return self.proposed

    @property
    def levels(self) -> int | None:
        rating = self.rating
        return None if rating is None else RATINGS[self.domain][rating]


@dataclass
class GradeFile:
    """A loaded (or freshly proposed) GRADE file."""

    analysis: str
    title: str
    design: str
    inputs: dict
    domains: dict[str, DomainRecord]
    path: Path | None = None

    def flags(self) -> list[str]:
        return [f"{TITLES[d]}: {r.flag}" for d, r in self.domains.items() if r.flag]


def domains_for(design: str) -> tuple[str, ...]:
    """The domains a body of evidence is rated on: the five downgrading ones, and for non-randomised
    evidence the three upgrading ones (GRADE 9)."""
    return DOWN_DOMAINS + (UP_DOMAINS if design == "non-randomised" else ())


def read_grade_file(path: Path) -> GradeFile:
    """Load and validate a GRADE file; every problem names the file, line and key.

    The file's shape (known keys and tables, strings and lists where they belong) is checked against its
    schema (sysrev/config_schema.py); what is checked here is what the schema cannot say: a final rating that
    is not one of its domain's words, and a final rating that needs a justification."""
    data = load_toml(path)
    ensure_valid("GRADE file", path, data)
    text = path.read_text(encoding="utf-8")
    domains = {}
    for domain in (*DOWN_DOMAINS, *UP_DOMAINS):
        raw = data.get(domain)
        if raw is None:
            continue
        record = DomainRecord(domain, **{k: str(raw.get(k) or "").strip()
                                         for k in ("proposed", "final", "justification", "decided_against",
                                                   "flag")})
        record.proposed = record.proposed or PENDING
        record.reasons = [str(r) for r in raw.get("reasons", [])]
        record.pending = [str(r) for r in raw.get("pending", [])]
        allowed = RATINGS[domain]
        # "Serious" or "Very  serious" typed by hand is the rating it names (written back in sysrev's words)
        record.final = next((word for word in allowed if word == " ".join(record.final.lower().split())),
                            record.final)
        if record.final and record.final not in allowed:
            raise InputError(f"{domain}.final = {record.final!r} is not a rating; use one of {', '.join(allowed)}",
                             path=path, line=locate(text, domain, "final"))
        basis = record.decided_against or record.proposed
        # A team-only domain needs a reason for any rating that changes the certainty; any other domain for
        # a final rating that departs from the proposal it was decided against.
        needs_reason = record.final and (bool(record.levels) if record.team_only else record.final != basis)
        if needs_reason and not record.justification:
            what = ("rates this domain" if record.team_only else
                    f"differs from the proposal it was decided against ('{basis}')")
            raise InputError(f"{domain}.final = '{record.final}' {what}: write a justification", path=path,
                             line=locate(text, domain, "final"))
        domains[domain] = record
    return GradeFile(analysis=str(data.get("analysis", path.stem)), title=str(data.get("title", "")),
                     design=str(data.get("design", "randomised")), inputs=data.get("inputs", {}), domains=domains,
                     path=path)


def refresh(old: GradeFile | None, analysis: str, title: str, design: str, inputs: dict,
            proposals: dict[str, rules.Proposal]) -> GradeFile:
    """The new file: today's proposals, the team's final ratings carried over untouched, and a flag wherever
    the proposal has moved away from the one a final rating was decided against."""
    domains = {}
    for domain in domains_for(design):
        before = old.domains.get(domain) if old else None
        record = DomainRecord(domain)
        if domain in TEAM_ONLY:
            record.proposed = TEAM
        else:
            proposal = proposals.get(domain) or rules.Proposal(domain, None, pending=["not computed"])
            record.proposed = proposal.rating or PENDING
            record.reasons = list(proposal.reasons)
            record.pending = list(proposal.pending)
        if before is not None and before.final:
            record.final, record.justification = before.final, before.justification
            if not record.team_only:
                # The proposal the team saw when it decided: recorded the first time sysrev sees the final.
                record.decided_against = before.decided_against or before.proposed
                if record.decided_against != record.proposed:
                    record.flag = (f"the proposal has changed from '{record.decided_against}' to "
                                   f"'{record.proposed}' since the final rating '{record.final}' was decided; "
                                   "check that its reasons still hold, then delete decided_against to confirm")
        domains[domain] = record
    return GradeFile(analysis=analysis, title=title, design=design, inputs=inputs, domains=domains,
                     path=old.path if old else None)


def _toml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, int) else f"{value:.6g}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"    {_toml_value(v)},\n" for v in value) + "]"
    raise TypeError(f"cannot write {value!r} to TOML")


HEADER = """\
# GRADE certainty of the evidence for analysis '{analysis}' ({title}).
# Written by `sysrev grade` (docs/grade.md). At every run sysrev refreshes `proposed`, `reasons` and `pending`
# and never changes `final` or `justification`: those are the team's. For each domain set `final` to a rating
# and, when it differs from `proposed`, a `justification` (it becomes the footnote of the SoF table).
# Ratings: not serious | serious | very serious; publication_bias: undetected | strongly suspected;
# large_effect: no | large | very large; dose_response, confounding: no | yes.
# Indirectness has no proposal: whether the studies' population, intervention, comparator and outcome match
# the review question is the team's judgement alone.
"""


def render(grade: GradeFile) -> str:
    """The file's text (stable key order, no timestamps)."""
    out = [HEADER.format(analysis=grade.analysis, title=grade.title).rstrip("\n"), ""]
    out.append(f"analysis = {_toml_value(grade.analysis)}")
    out.append(f"title = {_toml_value(grade.title)}")
    out.append(f"design = {_toml_value(grade.design)}   # set in analyses.toml [analyses.{grade.analysis}.grade]: "
               "randomised starts HIGH, non-randomised LOW")
    out += ["", "[inputs]   # the team's thresholds and assumptions the proposals used (set them in analyses.toml)"]
    for key, value in grade.inputs.items():
        out.append(f"{key} = {_toml_value('not set' if value is None else value)}")
    for domain, record in grade.domains.items():
        out += ["", f"[{domain}]   # {TITLES[domain]}"]
        out.append(f"proposed = {_toml_value(record.proposed)}")
        if not record.team_only:
            out.append(f"reasons = {_toml_value(record.reasons)}")
            out.append(f"pending = {_toml_value(record.pending)}")
        out.append(f"final = {_toml_value(record.final)}")
        out.append(f"justification = {_toml_value(record.justification)}")
        if record.decided_against:
            out.append(f"decided_against = {_toml_value(record.decided_against)}")
        if record.flag:
            out.append(f"flag = {_toml_value(record.flag)}")
    return "\n".join(out) + "\n"


def grade_path(project, analysis: str) -> Path:
    return project.analysis_dir / "grade" / f"{analysis}.toml"


def orphan_grade_files(project, specs) -> list[str]:
    """A warning for each GRADE file whose analysis ``specs`` (the analyses of analyses.toml) lack. An analysis
    renamed in analyses.toml keeps its file, and the team's final ratings in it, under the old name, while
    `sysrev grade` starts a new file without them; the warning says which analysis it most likely was: the one
    with the file's title, else one whose name holds the old name (or is held in it), else a similar name."""
    specs = list(specs)
    warnings = []
    for path in sorted((project.analysis_dir / "grade").glob("*.toml")):
        if path.stem in {spec.name for spec in specs}:
            continue
        meant = _renamed_to(path, specs)
        hint = (f"; if the analysis was renamed to {meant!r}, rename the file to {meant}.toml to keep the team's "
                "final ratings") if meant else ""
        warnings.append(f"{path}: no analysis {path.stem!r} in analysis/analyses.toml, so no Summary of findings "
                        f"row reads this file{hint}")
    return warnings


def _renamed_to(path: Path, specs) -> str | None:
    """The analysis of ``specs`` that the GRADE file at ``path`` most likely belonged to before a rename."""
    try:
        title = str(load_toml(path).get("title") or "")
    except SysrevError:  # a broken file is reported by its own check; the name still says something
        title = ""
    old = path.stem.casefold()
    by_title = [spec.name for spec in specs if title and spec.title == title]
    by_name = [spec.name for spec in specs if old in spec.name.casefold() or spec.name.casefold() in old]
    return next(iter(by_title + by_name), None) or closest(old, [spec.name for spec in specs])


def write_grade_file(path: Path, grade: GradeFile) -> bool:
    """Write the file atomically; returns whether its content changed."""
    text = render(grade)
    with lock_for_path(path):  # two refreshes at once: the later one compares against the earlier's file
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return False
        atomic_write_text(path, text)
    return True
