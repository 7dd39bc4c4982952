"""The body of evidence of one analysis, as GRADE needs it, and the proposals computed from it.

Everything comes from the stages before: the pooled result of ``sysrev meta run`` (estimate, CI, I², the
prediction interval, each study's CI and weight), the RoB 2 forms of the analysis's outcome, and the team's
choices in analyses.toml (``mid`` and ``[analyses.NAME.grade]``). An analysis that could not be pooled, or
only partly, gets *pending* proposals that say why — nothing is proposed from a partial pool.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from sysrev.analyses.spec import AnalysisSpec
from sysrev.errors import SysrevError
from sysrev.grade import rules
from sysrev.grade.absolute import AbsoluteEffect, absolute_effect, median_control_risk, ois_binary, ois_continuous
from sysrev.meta.bias import egger_test
from sysrev.rob import rob_for_forest

RATIO = ("RR", "OR", "PETO")
DEFAULT_RRR, DEFAULT_ALPHA, DEFAULT_POWER = 0.25, 0.05, 0.80


@dataclass
class Evidence:
    """One analysis's inputs to GRADE and the SoF table, with every proposal."""

    spec: AnalysisSpec
    status: str
    estimate: float | None = None
    ci: tuple[float, float] | None = None
    participants: int = 0
    studies: int = 0
    control_risk: float | None = None
    control_risk_source: str = ""
    absolute: AbsoluteEffect | None = None
    comparator_means: tuple[float, float] | None = None
    units: str = ""
    design: str = "randomised"
    inputs: dict = field(default_factory=dict)      # the team's thresholds and assumptions, shown in the file
    proposals: dict = field(default_factory=dict)   # domain -> rules.Proposal
    problem: str = ""                               # why nothing could be proposed from data, if so

    @property
    def name(self) -> str:
        return self.spec.name


def _per_study(rows: list[dict], weights: dict[str, float]) -> tuple[dict, dict]:
    """Weight (summed over a study's rows) and participants (its largest row) per study."""
    weight: dict[str, float] = {}
    size: dict[str, int] = {}
    for row in rows:
        study = row["_study"]
        weight[study] = weight.get(study, 0.0) + (weights.get(row["study"]) or 0.0)
        size[study] = max(size.get(study, 0), int(row["n1"]) + int(row["n2"]))
    return weight, size


def _study_cis(result: dict) -> list[tuple[float, float]]:
    return [(s["ci_low"], s["ci_high"]) for s in result["studies"] if s["ci_low"] is not None]


def _egger_p(result: dict) -> float | None:
    rows = [(s["yi"], s["vi"]) for s in result["studies"] if s["yi"] is not None and s["vi"]]
    if len(rows) < rules.MIN_STUDIES_FUNNEL:
        return None
    try:
        return egger_test([y for y, _ in rows], [v for _, v in rows], model="lm").p
    except SysrevError:
        return None


def _rob(project, spec: AnalysisSpec, study_weights: dict) -> rules.Proposal:
    try:
        judgements = {s: j["overall"] for s, j in rob_for_forest(project, spec.outcome).items()}
    except SysrevError as exc:
        return rules.Proposal("risk_of_bias", None, pending=[f"the RoB 2 forms could not be read: {exc}"])
    return rules.risk_of_bias(study_weights, judgements)


def _ois(spec: AnalysisSpec, ev: Evidence, rows: list[dict]) -> tuple[int | None, str]:
    """The optimal information size and the assumptions behind it (shown in the reasons and the file)."""
    g = spec.grade
    alpha, power = g.get("ois_alpha", DEFAULT_ALPHA), g.get("ois_power", DEFAULT_POWER)
    if spec.measure in RATIO or spec.measure == "RD":
        rrr = g.get("ois_rrr", DEFAULT_RRR)
        ev.inputs.update(ois_rrr=rrr, ois_alpha=alpha, ois_power=power)
        if ev.control_risk is None or ev.control_risk <= 0:
            return None, "no comparator risk above 0"
        text = (f"comparator risk {ev.control_risk:.3g}, relative risk reduction {rrr:.0%}, α {alpha:g}, "
                f"power {power:.0%}")
        return ois_binary(ev.control_risk, rrr, alpha, power), text
    delta = g.get("ois_delta", spec.mid)
    if spec.measure == "SMD":
        sd, sd_text = 1.0, "SD 1 (the SMD's unit)"
    else:
        sds = [row["sd2"] for row in rows if row.get("sd2")]
        sd = g.get("ois_sd", statistics.median(sds) if sds else None)
        sd_text = (f"SD {sd:.3g} " + ("(ois_sd, analyses.toml)" if "ois_sd" in g else
                                      "(median comparator-group SD)")) if sd else ""
    ev.inputs.update(ois_delta=delta, ois_alpha=alpha, ois_power=power)
    if delta is None or not sd:
        return None, "set ois_delta or mid (the difference to detect) in analyses.toml"
    text = (f"difference {delta:g} ({'ois_delta' if 'ois_delta' in g else 'mid'}), {sd_text}, α {alpha:g}, "
            f"power {power:.0%}")
    return ois_continuous(delta, sd, alpha, power), text


def _absolute_text(ev: Evidence) -> str:
    a = ev.absolute
    if a is None:
        return ""
    return (f"absolute effect for a comparator risk of {a.control_per_1000:.0f} per 1,000: "
            f"{a.difference:+.0f} per 1,000 ({a.difference_low:+.0f} to {a.difference_high:+.0f})")


def _pending_all(ev: Evidence, why: str) -> Evidence:
    ev.problem = why
    for domain in ("risk_of_bias", "inconsistency", "imprecision", "publication_bias"):
        ev.proposals[domain] = rules.Proposal(domain, None, pending=[why])
    if ev.design == "non-randomised":
        ev.proposals["large_effect"] = rules.Proposal("large_effect", None, pending=[why])
    return ev


def gather(project, spec: AnalysisSpec, status: str, result: dict | None, complete_rows: list[dict],
           units: str = "", missing_cells: int = 0) -> Evidence:
    """Build the evidence of one analysis (see the module docstring) and compute every proposal."""
    ev = Evidence(spec=spec, status=status, units=units, design=spec.grade.get("design", "randomised"))
    ev.inputs["mid"] = spec.mid
    if "importance" in spec.grade:
        ev.inputs["importance"] = spec.grade["importance"]
    if status == "incomplete" or result is None or result.get("estimate") is None:
        return _pending_all(ev, f"nothing pooled yet: {missing_cells} cells missing "
                                "(`sysrev meta run` lists them)")
    if status == "partial":
        return _pending_all(ev, f"only partly pooled ({missing_cells} cells missing): GRADE waits for the "
                                "complete analysis (`sysrev meta run` lists the cells)")
    ev.estimate, ev.ci = result["estimate"], (result["ci_low"], result["ci_high"])
    weights = {s["study"]: s["weight"] for s in result["studies"]}
    study_weight, size = _per_study(complete_rows, weights)
    ev.participants, ev.studies = sum(size.values()), len(size)
    ratio = spec.measure in RATIO
    if spec.is_continuous:
        means = [row["mean2"] for row in complete_rows]
        ev.comparator_means = (min(means), max(means))
    else:
        chosen = spec.grade.get("control_risk")
        ev.control_risk = chosen if chosen is not None else median_control_risk(complete_rows)
        ev.control_risk_source = (spec.grade.get("control_risk_source", "control_risk in analyses.toml")
                                  if chosen is not None else "median comparator-group risk of the studies")
        ev.inputs.update(control_risk=ev.control_risk, control_risk_source=ev.control_risk_source)
        if ev.control_risk is not None:
            ev.absolute = absolute_effect(spec.measure, ev.control_risk, ev.estimate, *ev.ci)
    null = 1.0 if ratio else 0.0
    ev.proposals["risk_of_bias"] = _rob(project, spec, study_weight)
    pi = (result.get("pi_low"), result.get("pi_high")) if result.get("pi_low") is not None else None
    ev.proposals["inconsistency"] = rules.inconsistency(
        result["k"], result.get("I2"), result.get("Q_p"), _study_cis(result), null, ev.ci, pi)
    ois, ois_text = _ois(spec, ev, complete_rows)
    absolute_mid = spec.grade.get("absolute_mid")
    if absolute_mid is not None:
        ev.inputs["absolute_mid"] = absolute_mid
    absolute = (ev.absolute.difference_low, ev.absolute.difference_high) if ev.absolute else None
    ev.proposals["imprecision"] = rules.imprecision(spec.measure, ev.estimate, ev.ci, spec.mid, ev.participants,
                                                    ois, ois_text, _absolute_text(ev), absolute, absolute_mid)
    ev.proposals["publication_bias"] = rules.publication_bias(result["k"], _egger_p(result))
    if ev.design == "non-randomised":
        ev.proposals["large_effect"] = rules.large_effect(spec.measure, ev.estimate)
    return ev
