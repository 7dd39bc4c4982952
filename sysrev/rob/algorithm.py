"""The RoB 2 algorithms: signalling-question answers → domain judgement, and domains → overall judgement.

Each domain function follows the guidance's algorithm for a suggested judgement (the flowchart and mapping
table of that domain in the RoB 2 full guidance document of 22 August 2019, individually randomized
parallel-group trials, effect of assignment to intervention; restated in the Cochrane Handbook v6 chapter 8,
sections 8.4–8.8). Answers are grouped as the flowcharts group them: Y/PY, N/PN and NI. A function returns
``None`` when an answer the algorithm needs is missing, so an incomplete form never gets a judgement.

Where each rule comes from: the guidance's §1.2.1 (domain-level judgements: the algorithm *proposes* a
judgement, which the assessor may override with a justification — see :mod:`sysrev.rob.form`) and each
domain's flowchart; every rule below carries a comment naming its flowchart branch and the Handbook v6
section of that domain. The overall rule follows the guidance's §1.2.3 and Handbook v6 §8.2.4, Table 8.2.b.
Judgements are the strings :data:`LOW`, :data:`SOME_CONCERNS` and :data:`HIGH`.
"""

from __future__ import annotations

from sysrev.rob.questions import DOMAIN_BY_KEY, NA, NI, NO, YES, applies

LOW = "low"
SOME_CONCERNS = "some concerns"
HIGH = "high"
JUDGEMENTS = (LOW, SOME_CONCERNS, HIGH)
_SEVERITY = {LOW: 0, SOME_CONCERNS: 1, HIGH: 2}


class _Missing(Exception):
    """An answer the algorithm needs is missing (internal: turns into a ``None`` judgement)."""


def _get(answers: dict, qid: str) -> str:
    value = answers.get(qid)
    if not value or value == NA:
        raise _Missing(qid)
    return value


def worst(*judgements: str) -> str:
    """The least favourable of several judgements."""
    return max(judgements, key=_SEVERITY.__getitem__)


def domain1(a: dict) -> str:
    """Randomization process (guidance: algorithm for domain 1; Handbook 8.4)."""
    q12 = _get(a, "1.2")
    if q12 in NO:  # Handbook 8.4 / D1 flowchart: allocation not concealed → high
        return HIGH
    if q12 == NI:  # 8.4: no information on concealment → high if 1.3 Y/PY, else some concerns
        return HIGH if _get(a, "1.3") in YES else SOME_CONCERNS
    # 8.4: concealed (Y/PY): a non-random sequence (1.1 N/PN) → some concerns
    if _get(a, "1.1") in NO:
        return SOME_CONCERNS
    # 8.4: concealed, random or NI (1.1 Y/PY/NI): baseline problem (1.3 Y/PY) → some concerns, else low
    return SOME_CONCERNS if _get(a, "1.3") in YES else LOW


def domain2_part1(a: dict) -> str:
    """Deviations arising because of the trial context, questions 2.1–2.5 (guidance: domain 2, effect of
    assignment, first part of the algorithm; Handbook 8.5)."""
    if _get(a, "2.1") in NO and _get(a, "2.2") in NO:  # 8.5: nobody aware of the assignment → low
        return LOW
    q23 = _get(a, "2.3")
    if q23 in NO:  # 8.5: aware, but no deviations arising from the trial context → low
        return LOW
    if q23 == NI:  # 8.5: no information on such deviations → some concerns
        return SOME_CONCERNS
    if _get(a, "2.4") in NO:  # 8.5: deviations unlikely to have affected the outcome → some concerns
        return SOME_CONCERNS
    # 8.5: deviations that affected (or may have affected, NI) the outcome: balanced (2.5 Y/PY) → some
    # concerns; unbalanced (N/PN) or unknown (NI) → high
    return SOME_CONCERNS if _get(a, "2.5") in YES else HIGH


def domain2_part2(a: dict) -> str:
    """Analysis used to estimate the effect of assignment, questions 2.6–2.7 (guidance: domain 2, effect of
    assignment, second part of the algorithm; Handbook 8.5)."""
    if _get(a, "2.6") in YES:  # 8.5: appropriate analysis (e.g. intention to treat) → low
        return LOW
    # 8.5: inappropriate or unknown analysis: no potential for substantial impact (2.7 N/PN) → some
    # concerns; potential (Y/PY) or no information (NI) → high
    return SOME_CONCERNS if _get(a, "2.7") in NO else HIGH


def domain2(a: dict) -> str:
    """Deviations from intended interventions, effect of assignment: the worse of the two parts (guidance:
    domain 2 algorithm, "criteria for the domain judgement")."""
    return worst(domain2_part1(a), domain2_part2(a))


def domain3(a: dict) -> str:
    """Missing outcome data (guidance: algorithm for domain 3; Handbook 8.6)."""
    if _get(a, "3.1") in YES:  # 8.6: data for all or nearly all participants → low
        return LOW
    if _get(a, "3.2") in YES:  # 8.6: evidence that the result is not biased by the missing data → low
        return LOW
    if _get(a, "3.3") in NO:  # 8.6: missingness could not depend on the true value → low
        return LOW
    # 8.6: it could: likely that it did (3.4 Y/PY) or unknown (NI) → high; not likely (N/PN) → some concerns
    return SOME_CONCERNS if _get(a, "3.4") in NO else HIGH


def domain4(a: dict) -> str:
    """Measurement of the outcome (guidance: algorithm for domain 4; Handbook 8.7).

    An inappropriate method (4.1 Y/PY) or measurement that could differ between groups (4.2 Y/PY) is high
    risk. Otherwise the best reachable judgement is low when 4.2 is N/PN and some concerns when 4.2 is NI;
    awareness of assessors (4.3) that could (4.4) and likely did (4.5) influence the assessment lowers it.
    """
    if _get(a, "4.1") in YES:  # 8.7: inappropriate method of measurement → high
        return HIGH
    q42 = _get(a, "4.2")
    if q42 in YES:  # 8.7: measurement could have differed between groups → high
        return HIGH
    floor = LOW if q42 in NO else SOME_CONCERNS  # 8.7: the two branches of the flowchart (4.2 N/PN vs NI)
    if _get(a, "4.3") in NO:  # 8.7: assessors blinded → the branch's judgement
        return floor
    if _get(a, "4.4") in NO:  # 8.7: aware, but knowledge could not influence the assessment → likewise
        return floor
    # 8.7: could influence: likely that it did (4.5 Y/PY) or unknown (NI) → high; not likely → some concerns
    return SOME_CONCERNS if _get(a, "4.5") in NO else HIGH


def domain5(a: dict) -> str:
    """Selection of the reported result (guidance: algorithm for domain 5; Handbook 8.8)."""
    q52, q53 = _get(a, "5.2"), _get(a, "5.3")
    if q52 in YES or q53 in YES:  # 8.8: result likely selected from several measurements or analyses → high
        return HIGH
    if q52 == NI or q53 == NI:  # 8.8: no information on such selection → some concerns
        return SOME_CONCERNS
    # 8.8: no selection: analysed by a plan finalised before unblinded data (5.1 Y/PY) → low, else some concerns
    return LOW if _get(a, "5.1") in YES else SOME_CONCERNS


DOMAIN_ALGORITHMS = {"D1": domain1, "D2": domain2, "D3": domain3, "D4": domain4, "D5": domain5}


def effective_answers(domain_key: str, answers: dict[str, str]) -> dict[str, str | None]:
    """The answers the algorithm uses: "NA" for each question whose condition is not met, ``None`` for a
    question that applies but is unanswered or whose applicability still depends on a missing answer."""
    effective: dict[str, str | None] = {}
    for question in DOMAIN_BY_KEY[domain_key].questions:
        applicable = applies(question, effective)
        if applicable is False:
            effective[question.id] = NA
        elif applicable is None:
            effective[question.id] = None
        else:
            value = answers.get(question.id) or None
            effective[question.id] = None if value == NA else value
    return effective


def domain_judgement(domain_key: str, answers: dict[str, str]) -> str | None:
    """The algorithm's judgement for one domain, or ``None`` when an answer it needs is missing."""
    try:
        return DOMAIN_ALGORITHMS[domain_key](effective_answers(domain_key, answers))
    except _Missing:
        return None


def overall_judgement(domains: dict[str, str | None], several_concerns_high: bool | None = None) -> str | None:
    """Domains → overall (guidance §1.2.3; Sterne et al. BMJ 2019; Handbook v6 §8.2.4, Table 8.2.b,
    "Reaching an overall risk-of-bias judgement for a specific outcome"): low only if every domain is low; high if any
    domain is
    high; otherwise some concerns — except that "some concerns for multiple domains in a way that
    substantially lowers confidence in the result" is high. That last step is the assessor's call, so it is
    taken only when the assessor confirms it (``several_concerns_high=True``) and at least two domains have
    some concerns. ``None`` when any domain has no judgement yet.
    """
    values = list(domains.values())
    if any(v is None for v in values):
        return None
    if HIGH in values:
        return HIGH
    if all(v == LOW for v in values):
        return LOW
    if several_concerns_high and values.count(SOME_CONCERNS) >= 2:
        return HIGH
    return SOME_CONCERNS
