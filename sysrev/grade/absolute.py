"""Absolute effects for the Summary of findings table, and the optimal information size.

A relative effect (RR, OR) means little without the risk it applies to. GRADE (Schünemann et al., Cochrane
Handbook chapter 14, "Completing 'Summary of findings' tables and grading the certainty of the evidence",
section 14.1.5; GRADE Handbook section 5.2.4) turns it into an *anticipated absolute effect* for an assumed
comparator (control) risk ``acr``:

* risk ratio:   risk with intervention = acr × RR
* odds ratio:   risk with intervention = OR × acr / (1 − acr + OR × acr)
* risk difference: risk with intervention = acr + RD

each also at the limits of the relative effect's CI (the CI of the absolute effect then follows from the
CI of the relative one, with the comparator risk taken as known, as GRADEpro does), and the difference per
1,000 people = 1,000 × (risk with intervention − acr). The assumed comparator risk is the team's choice
(``control_risk`` in analyses.toml, e.g. from a cohort study of the population), else the *median*
comparator-group risk of the included studies, the default the Cochrane Handbook (14.1.4.3) and GRADEpro
use.

The optimal information size (Guyatt et al., GRADE guidelines 6, J Clin Epidemiol 2011;64:1283-93) is the
total sample size of one conventionally powered trial: two-sided α (0.05) and power 1 − β (0.80); for a
binary outcome, a comparator risk and a relative risk reduction (GRADE 6: 20–30%, 25% by default here, the
same as its "appreciable benefit" line RR 0.75); for a continuous outcome a difference Δ and an SD.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from scipy.stats import norm


def risk_with_intervention(measure: str, control_risk: float, effect: float) -> float:
    """The risk in the intervention group for an assumed ``control_risk`` and a relative ``effect``
    (RR or OR/Peto OR on the ratio scale, RD as a difference)."""
    if measure == "RR":
        return control_risk * effect
    if measure in ("OR", "PETO"):
        return effect * control_risk / (1 - control_risk + effect * control_risk)
    if measure == "RD":
        return control_risk + effect
    raise ValueError(f"no absolute effect for measure {measure}")


@dataclass(frozen=True)
class AbsoluteEffect:
    """Per 1,000 people: the assumed comparator risk, the risk with the intervention and the difference,
    each with the CI that follows from the relative effect's CI."""

    control_per_1000: float
    intervention_per_1000: float
    intervention_low: float
    intervention_high: float
    difference: float
    difference_low: float
    difference_high: float


def absolute_effect(measure: str, control_risk: float, estimate: float, ci_low: float,
                    ci_high: float) -> AbsoluteEffect:
    """Anticipated absolute effect per 1,000 (see the module docstring for the formulas)."""
    risks = [risk_with_intervention(measure, control_risk, x) for x in (estimate, ci_low, ci_high)]
    risks = [min(1.0, max(0.0, r)) for r in risks]  # a risk difference can point past 0 or 1
    low, high = sorted(risks[1:])
    per = 1000.0
    return AbsoluteEffect(
        control_per_1000=per * control_risk, intervention_per_1000=per * risks[0],
        intervention_low=per * low, intervention_high=per * high,
        difference=per * (risks[0] - control_risk),
        difference_low=per * (low - control_risk), difference_high=per * (high - control_risk),
    )


def median_control_risk(studies) -> float | None:
    """The median comparator-group risk (events2 / n2) over studies with n2 > 0, or None."""
    risks = [s["events2"] / s["n2"] for s in studies if s.get("n2") and s.get("events2") is not None]
    return statistics.median(risks) if risks else None


def _z_sum(alpha: float, power: float) -> float:
    """z(1 − α/2) + z(power): the familiar 1.96 + 0.84 for α = 0.05 and 80% power."""
    return norm.ppf(1 - alpha / 2) + norm.ppf(power)


def ois_binary(control_risk: float, rrr: float, alpha: float = 0.05, power: float = 0.80) -> int:
    """Optimal information size (total, both arms) to detect a relative risk reduction ``rrr`` from
    ``control_risk``: per arm (z₁₋α/₂ + z₁₋β)² [p₀(1 − p₀) + p₁(1 − p₁)] / (p₀ − p₁)², p₁ = p₀(1 − rrr),
    rounded up, times two."""
    p0, p1 = control_risk, control_risk * (1 - rrr)
    per_arm = _z_sum(alpha, power) ** 2 * (p0 * (1 - p0) + p1 * (1 - p1)) / (p0 - p1) ** 2
    return 2 * math.ceil(per_arm)


def ois_continuous(delta: float, sd: float, alpha: float = 0.05, power: float = 0.80) -> int:
    """Optimal information size (total, both arms) to detect a mean difference ``delta`` with outcome SD
    ``sd``: per arm 2 (z₁₋α/₂ + z₁₋β)² sd² / delta², rounded up, times two (sd = 1 for an SMD)."""
    per_arm = 2 * _z_sum(alpha, power) ** 2 * sd ** 2 / delta ** 2
    return 2 * math.ceil(per_arm)
