"""Trial sequential analysis (TSA): is the evidence firm, or could repeated updating have produced it by chance?

A living meta-analysis is tested again at every update; at the 5% level each time, the chance of a false
positive somewhere along the way grows well beyond 5%. TSA (Wetterslev et al. 2008, J Clin Epidemiol 61:64;
Thorlund et al. 2011, *User manual for Trial Sequential Analysis*) treats each update as an interim look of
one large trial whose sample size is the *required information size*, and monitors the cumulative Z curve
against Lan–DeMets O'Brien–Fleming α-spending boundaries (:mod:`sysrev.living.boundaries`).

Required information size (total participants), two-sided α, power 1 − β:

* dichotomous: ``4 (z_{1−α/2} + z_{1−β})² P̄(1 − P̄) / δ²`` with control event proportion Pc, anticipated
  relative risk reduction RRR, Pe = Pc(1 − RRR), P̄ = (Pc + Pe)/2, δ = Pc − Pe (Wetterslev et al. 2008).
  The RRR is given, or derived from the analysis's minimal important difference ``mid``, which has one meaning
  throughout sysrev (GRADE, ``sysrev diff``): one point on the reporting scale, the thresholds being mid and
  1/mid for a ratio and ±|mid| for a difference (:func:`anticipated_rrr`);
* continuous: ``4 (z_{1−α/2} + z_{1−β})² σ² / δ²`` with δ the anticipated (or minimal important)
  difference and σ² the variance (σ = 1 for an SMD);
* heterogeneity: divided by 1 − D² (diversity, Wetterslev et al. 2009, BMC Med Res Methodol 9:86:
  D² = (v_R − v_F)/v_R, the relative reduction in the pooled variance when going from the random- to the
  fixed-effect model), or by 1 − I² (Wetterslev 2008), or not at all.

At each look (a study added, in order) the information fraction is the participants so far divided by the
(adjusted) required information size; the boundary is computed at the looks below 1, and from the look at
which the required size is reached on, the final boundary (at fraction 1) applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sysrev.errors import SysrevError
from sysrev.living.boundaries import lan_demets_boundaries
from sysrev.meta.batch import pool_inverse_variance
from sysrev.meta.cumulative import cumulative_analysis, parse_order_values, stable_order
from sysrev.meta.result import MetaResult

HETEROGENEITY = ("D2", "I2", "none")


def information_size_dichotomous(control_rate: float, rrr: float, alpha: float = 0.05, beta: float = 0.2) -> float:
    """Participants needed to detect a relative risk reduction ``rrr`` at control event proportion ``control_rate``."""
    _check_levels(alpha, beta)
    if not 0 < control_rate < 1:
        raise SysrevError(f"the control event proportion must lie in (0, 1), got {control_rate}")
    if not -1 < rrr < 1 or rrr == 0:
        raise SysrevError(f"the relative risk reduction must be non-zero and lie in (−1, 1), got {rrr}")
    experimental = control_rate * (1 - rrr)
    if not 0 < experimental < 1:
        raise SysrevError(f"control proportion {control_rate} with RRR {rrr} gives an experimental proportion "
                          f"of {experimental:.4g}, outside (0, 1)")
    mean = (control_rate + experimental) / 2
    delta = control_rate - experimental
    return 4 * _z_sum(alpha, beta) ** 2 * mean * (1 - mean) / delta**2


def anticipated_rrr(measure: str, mid: float, control_rate: float | None = None) -> float:
    """The relative risk reduction a reporting-scale ``mid`` anticipates, for the dichotomous information size.

    RR, OR, Peto OR: the threshold below 1 of the pair (mid, 1/mid), so RRR = 1 − mid for mid < 1 and
    1 − 1/mid for mid > 1 (``mid = 0.75`` and ``mid = 1.33`` both anticipate RR 0.75, a 25% reduction); for the
    odds ratios this reads the ratio as a risk ratio, as the TSA software's RRR input does. RD: the risk falls
    by |mid| from the control event proportion, RRR = |mid| / Pc.
    """
    if measure in ("RR", "OR", "PETO"):
        if not mid > 0 or mid == 1:
            raise SysrevError(f"a ratio's minimal important difference must be a ratio > 0 other than 1 (the "
                              f"thresholds are mid and 1/mid), got {mid}")
        return 1 - min(mid, 1 / mid)
    if measure == "RD":
        if mid == 0 or not -1 < mid < 1:
            raise SysrevError(f"a risk difference's minimal important difference must lie in (−1, 1) and not be 0, "
                              f"got {mid}")
        if control_rate is None or not 0 < control_rate < 1:
            raise SysrevError(f"the control event proportion must lie in (0, 1), got {control_rate}")
        if abs(mid) >= control_rate:
            raise SysrevError(f"a risk difference of {abs(mid):g} cannot be a reduction from a control event "
                              f"proportion of {control_rate:.4g}: give --rrr or --control-rate")
        return abs(mid) / control_rate
    raise SysrevError(f"{measure} is not a dichotomous measure")


def information_size_continuous(difference: float, variance: float, alpha: float = 0.05, beta: float = 0.2) -> float:
    """Participants needed to detect a mean difference ``difference`` with outcome variance ``variance``."""
    _check_levels(alpha, beta)
    if difference == 0 or not math.isfinite(difference):
        raise SysrevError("the anticipated difference (or minimal important difference) must be non-zero")
    if not variance > 0:
        raise SysrevError(f"the outcome variance must be positive, got {variance}")
    return 4 * _z_sum(alpha, beta) ** 2 * variance / difference**2


def _z_sum(alpha, beta):
    return stats.norm.isf(alpha / 2) + stats.norm.isf(beta)


def _check_levels(alpha, beta):
    if not 0 < alpha < 1 or not 0 < beta < 1:
        raise SysrevError(f"alpha and beta must lie in (0, 1), got {alpha} and {beta}")


def diversity(yi, vi, tau2_method: str = "DL") -> float:
    """D² = (v_R − v_F)/v_R of the pooled estimate (Wetterslev et al. 2009); 0 for fewer than 2 studies."""
    if len(yi) < 2:
        return 0.0
    v_fixed = pool_inverse_variance(yi, vi, None)["se"] ** 2
    v_random = pool_inverse_variance(yi, vi, tau2_method)["se"] ** 2
    return float(max(0.0, (v_random - v_fixed) / v_random))


@dataclass(frozen=True)
class Design:
    """The assumptions of a TSA: α, β, the anticipated effect and the heterogeneity adjustment."""

    alpha: float = 0.05
    beta: float = 0.2
    rrr: float | None = None            # dichotomous: anticipated relative risk reduction
    control_rate: float | None = None   # dichotomous: control event proportion (default: observed)
    difference: float | None = None     # continuous: anticipated difference or MID (SMD units for SMD);
    #                                     dichotomous: a reporting-scale mid the RRR is derived from, if no rrr
    variance: float | None = None       # continuous: outcome variance (default: observed pooled; 1 for SMD)
    heterogeneity: str | float = "D2"   # D2, I2, none, or a given value in [0, 1)


def _participants(result: MetaResult) -> np.ndarray:
    columns = result.effects.table.columns
    if "n1" not in columns or "n2" not in columns:
        raise SysrevError("trial sequential analysis counts participants: it needs n1 and n2 (dichotomous or "
                          "continuous data), not generic yi/se rows")
    return columns["n1"] + columns["n2"]


def _observed_control_rate(result: MetaResult) -> float:
    columns = result.effects.table.columns
    return float(columns["events2"].sum() / columns["n2"].sum())


def _observed_variance(result: MetaResult) -> float:
    c = result.effects.table.columns
    pooled = ((c["n1"] - 1) * c["sd1"] ** 2 + (c["n2"] - 1) * c["sd2"] ** 2).sum() / (c["n1"] + c["n2"] - 2).sum()
    return float(pooled)


def required_information(result: MetaResult, design: Design) -> dict:
    """The required information size of ``result``'s outcome under ``design``, unadjusted and adjusted."""
    settings = result.settings
    measure = settings.measure
    if measure in ("RR", "OR", "RD", "PETO"):
        if design.rrr is None and design.difference is None:
            raise SysrevError("give the anticipated relative risk reduction (--rrr, e.g. 0.2 for 20%) or the "
                              "minimal important difference on the reporting scale (--mid, e.g. 0.8 for RR 0.8)")
        control = design.control_rate if design.control_rate is not None else _observed_control_rate(result)
        rrr = design.rrr if design.rrr is not None else anticipated_rrr(measure, design.difference, control)
        size = information_size_dichotomous(control, rrr, design.alpha, design.beta)
        assumptions = {"control_rate": control, "control_rate_observed": design.control_rate is None,
                       "rrr": rrr, "mid": design.difference if design.rrr is None else None}
    elif measure in ("MD", "SMD"):
        if design.difference is None:
            raise SysrevError("give the anticipated difference or minimal important difference (--mid)")
        variance = design.variance
        if variance is None:
            variance = 1.0 if measure == "SMD" else _observed_variance(result)
        size = information_size_continuous(design.difference, variance, design.alpha, design.beta)
        assumptions = {"difference": design.difference, "variance": variance,
                       "variance_observed": design.variance is None and measure == "MD"}
    else:
        raise SysrevError("trial sequential analysis needs dichotomous or continuous data (participants per arm)")
    effects = result.effects
    yi, vi = effects.yi[effects.estimable], effects.vi[effects.estimable]
    if isinstance(design.heterogeneity, str):
        kind = design.heterogeneity.upper() if design.heterogeneity.lower() != "none" else "none"
        if kind not in HETEROGENEITY:
            raise SysrevError(f"heterogeneity adjustment must be D2, I2, none or a value in [0, 1), got "
                              f"'{design.heterogeneity}'")
        if kind == "D2":
            value = diversity(yi, vi, settings.tau2)
        elif kind == "I2":
            value = (result.overall.I2_revman or 0.0) / 100
        else:
            value = 0.0
    else:
        kind, value = "given", float(design.heterogeneity)
        if not 0 <= value < 1:
            raise SysrevError(f"a given heterogeneity adjustment must lie in [0, 1), got {value}")
    size = float(size)
    return {"alpha": design.alpha, "beta": design.beta, **assumptions, "unadjusted": size,
            "adjustment": kind, "adjustment_value": value, "required": size / (1 - value)}


def _verdict(looks: list[dict], required: float) -> tuple[str, str]:
    last = looks[-1]
    z, c = last["z"], last["boundary"]
    fraction = last["fraction"]
    side = "below" if z < 0 else "above"
    crossed = c is not None and abs(z) >= c
    if crossed:
        return "firm evidence", (f"firm evidence: the cumulative Z curve (Z = {z:.2f}, estimate {side} the null) "
                                 f"has crossed the O'Brien–Fleming monitoring boundary (±{c:.2f}) at "
                                 f"{fraction:.0%} of the required information size ({required:,.0f} participants)")
    if fraction >= 1:
        return "firm evidence of no such effect", (
            f"the required information size ({required:,.0f} participants) is reached and the Z curve (Z = "
            f"{z:.2f}) has not crossed the boundary (±{c:.2f}): an effect as large as anticipated is unlikely")
    bound = "not computable this early" if c is None else f"±{c:.2f}"
    return "not yet", (f"not yet: {last['participants']:,.0f} of {required:,.0f} required participants "
                       f"({fraction:.0%}); Z = {z:.2f} against a monitoring boundary of {bound}")


def trial_sequential_analysis(result: MetaResult, order_values, design: Design, *,
                              order_by: str = "order", descending: bool = False) -> dict:
    """TSA of ``result``'s studies added in the order of ``order_values``; returns the ``--json`` object."""
    if result.settings.ci == "hksj":
        raise SysrevError("trial sequential analysis monitors a Z statistic; use --ci z (not HKSJ)")
    participants = _participants(result)
    information = required_information(result, design)
    required = information["required"]
    cumulative = cumulative_analysis(result, order_values, order_by=order_by, descending=descending)
    studies = list(result.effects.table.studies)
    index = {name: i for i, name in enumerate(studies)}
    # participants so far at each step, counting studies without an estimate that came before it
    so_far, totals = 0.0, {}
    values = parse_order_values(order_values, order_by, studies)
    for i in stable_order(values, descending):
        so_far += float(participants[i])
        totals[i] = so_far
    looks = []
    for step in cumulative.steps:  # study names are unique: meta_analysis refuses a name given twice
        n = totals[index[step["study"]]]
        looks.append({"study": step["study"], "order": step["order"], "k": step["k"], "participants": n,
                      "fraction": n / required, "z": step["z"], "estimate": step["estimate"],
                      "ci_low": step["ci_low"], "ci_high": step["ci_high"], "p": step["p"]})
    fractions = [look["fraction"] for look in looks]
    below = [f for f in fractions if f < 1]
    monitored = below + ([1.0] if len(below) < len(fractions) else [])
    bounds = lan_demets_boundaries(monitored, design.alpha, "obf")  # every analysis has a first look
    final = bounds.z[-1]
    conventional = float(stats.norm.isf(design.alpha / 2))
    for j, look in enumerate(looks):
        c = bounds.z[j] if j < len(below) else final
        look["boundary"] = c if c is not None and math.isfinite(c) else None
        look["alpha_spent"] = bounds.spent[min(j, len(monitored) - 1)]
        look["crossed"] = look["boundary"] is not None and abs(look["z"]) >= look["boundary"]
        look["conventional"] = abs(look["z"]) >= conventional
    status, verdict = _verdict(looks, required)
    first = next((look["study"] for look in looks if look["crossed"]), None)
    header = cumulative.to_dict()
    return {key: header[key] for key in ("measure", "method", "model", "tau2_method", "level", "scale")} | {
        "order_by": order_by, "descending": descending, "information": information,
        "conventional_boundary": conventional, "looks": looks, "first_crossed_at": first,
        "status": status, "verdict": verdict, "not_estimable": cumulative.not_estimable,
    }
