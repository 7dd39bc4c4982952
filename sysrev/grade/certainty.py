"""The overall certainty of an outcome's evidence, and the plain-language statement of its finding.

Certainty (GRADE Handbook 5; Balshem et al., GRADE guidelines 3, J Clin Epidemiol 2011;64:401-6): randomised
evidence starts HIGH, non-randomised LOW; each downgrading domain removes the levels of its rating (serious
1, very serious 2), each upgrading one adds its levels, and the result stays within VERY LOW … HIGH. The
rating of a domain is the team's final one, else sysrev's proposal; while any domain has neither (a pending
proposal, or indirectness not yet rated by the team) the certainty is pending too.

Statements follow Santesso et al., GRADE guidelines 26: informative statements to communicate the findings
of systematic reviews of interventions (J Clin Epidemiol 2020;119:126-35): the certainty gives the verb
("reduces", "probably reduces", "may reduce"; for very low certainty "the evidence is very uncertain about
the effect"), the size of the effect against the minimal important difference gives the object ("reduces"
vs "results in little or no difference"). Without a MID for a difference measure the size cannot be judged
and the statement is pending.
"""

from __future__ import annotations

from dataclasses import dataclass

from sysrev.grade.files import TITLES, GradeFile, domains_for
from sysrev.grade.rules import thresholds_for

LEVELS = ("very low", "low", "moderate", "high")
SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very low": "⊕◯◯◯"}


@dataclass(frozen=True)
class Certainty:
    """The certainty of one outcome: its level (None while pending), whether the team confirmed every domain,
    and what is still missing."""

    level: str | None
    confirmed: bool
    missing: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.level is None:
            return "pending"
        return f"{SYMBOLS[self.level]} {self.level.upper()}"


def certainty(grade: GradeFile) -> Certainty:
    """Combine the domains of a GRADE file (see the module docstring)."""
    level = 3 if grade.design == "randomised" else 1
    missing, confirmed = [], True
    for domain in domains_for(grade.design):
        record = grade.domains.get(domain)
        levels = record.levels if record else None
        if levels is None:
            if domain in ("dose_response", "confounding"):
                continue  # not rating up is the default; these are only ever the team's to claim
            missing.append(TITLES[domain])
            continue
        confirmed = confirmed and bool(record.final)
        level += levels
    if missing:
        return Certainty(None, False, tuple(missing))
    return Certainty(LEVELS[max(0, min(3, level))], confirmed)


VERBS = {
    "high": ("reduces", "increases", "results in little or no difference in"),
    "moderate": ("probably reduces", "probably increases", "probably results in little or no difference in"),
    "low": ("may reduce", "may increase", "may result in little or no difference in"),
}


def effect_size(measure: str, estimate: float, mid: float | None) -> str | None:
    """'reduction', 'increase' or 'little or no difference' of the point estimate against the MID (for
    ratios without a MID, GRADE 6's RR 0.75 / 1.25), or None when a difference measure has no MID."""
    found = thresholds_for(measure, mid)
    if found is None:
        return None
    low, _, high = found[0]
    if estimate <= low:
        return "reduction"
    if estimate >= high:
        return "increase"
    return "little or no difference"


def statement(level: str | None, size: str | None, intervention: str, outcome: str) -> str:
    """The Santesso et al. (2020) informative statement, or a sentence saying what it waits for."""
    if level is None:
        return "Statement pending: the certainty is not yet rated."
    if level == "very low":
        return f"The evidence is very uncertain about the effect of {intervention} on {outcome}."
    if size is None:
        return "Statement pending: set mid in analyses.toml to judge the size of the effect."
    reduces, increases, none = VERBS[level]
    verb = {"reduction": reduces, "increase": increases, "little or no difference": none}[size]
    return f"{intervention} {verb} {outcome}."
