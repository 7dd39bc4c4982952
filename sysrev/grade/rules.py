"""GRADE proposal rules: from the numbers of one analysis to a proposed rating of each domain, with reasons.

Each rule is a plain function of plain numbers, so it can be tested at its thresholds, and each cites the
GRADE guidance it follows (docs/grade.md explains them with their sources):

* risk of bias — Guyatt et al., GRADE guidelines 4 (J Clin Epidemiol 2011;64:407-15) and the Cochrane
  Handbook 5.1 table 12.2.d: judge the body of evidence by where *most of the information* (the weight) comes
  from, not by averaging studies;
* inconsistency — GRADE guidelines 7 (2011;64:1294-302): similarity of point estimates, overlap of CIs, the
  test of heterogeneity (p < 0.10, low power) and I² (Cochrane Handbook 10.10.2: 50–90% substantial,
  75–100% considerable);
* imprecision — GRADE guidelines 6 (2011;64:1283-93) and GRADE guidance 34 (Zeng et al. 2022;150:216-24):
  the CI against the thresholds of interest (no effect, the minimal important difference; for ratios without
  a MID, RR 0.75 and 1.25), then the optimal information size;
* publication bias — GRADE guidelines 5 (2011;64:1277-82) with the Cochrane Handbook 13.3.5.4: funnel-plot
  asymmetry tests only with at least 10 studies; Egger et al. (BMJ 1997) read at p < 0.10;
* large effect (rating up non-randomised evidence) — GRADE guidelines 9 (2011;64:1311-6): RR beyond 2 (or
  0.5) one level, beyond 5 (or 0.2) two levels.

Indirectness, dose-response and plausible confounding have no rule: they are the team's judgements alone.
A rule whose input is missing returns a *pending* proposal naming what is missing, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Ratings of a downgrading domain and the levels each removes.
DOWN = {"not serious": 0, "serious": -1, "very serious": -2}
#: Publication bias has its own words (GRADEpro's).
PUBLICATION = {"undetected": 0, "strongly suspected": -1}
#: Ratings of an upgrading domain (non-randomised evidence).
UP_LARGE = {"no": 0, "large": 1, "very large": 2}
UP_YES_NO = {"no": 0, "yes": 1}

#: Cochrane Handbook 10.10.2: I² of 50–90% "may represent substantial heterogeneity", 75–100% "considerable".
I2_SUBSTANTIAL = 50.0
I2_CONSIDERABLE = 75.0
#: GRADE 7 / Cochrane Handbook 10.10.2: the χ² test has low power, so p < 0.10 counts as heterogeneity.
Q_P_THRESHOLD = 0.10
#: Cochrane Handbook 13.3.5.4: tests for funnel plot asymmetry only when there are at least 10 studies.
MIN_STUDIES_FUNNEL = 10
#: Egger et al. 1997 (BMJ 315:629) read their test at p < 0.10, as the Cochrane Handbook repeats.
EGGER_P_THRESHOLD = 0.10
#: GRADE 6: "an RR of under 0.75 or over 1.25 as a rough guide" to appreciable benefit or harm.
DEFAULT_RATIO_THRESHOLD = 0.25
#: GRADE 9: at least a two-fold change rates up once, at least five-fold twice.
LARGE_RATIO, VERY_LARGE_RATIO = 2.0, 5.0


@dataclass
class Proposal:
    """A proposed rating of one domain. ``rating`` is None while ``pending`` names inputs still missing."""

    domain: str
    rating: str | None
    reasons: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def _pct(x: float) -> str:
    return f"{x:.0f}%" if abs(x - round(x)) < 0.05 else f"{x:.1f}%"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def _num(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"


def risk_of_bias(weights: dict[str, float], judgements: dict[str, str | None]) -> Proposal:
    """Risk of bias from the share of the weight in studies at high risk or with some concerns (RoB 2 overall).

    ``weights``: each study's weight in the pooled result (percent, summing to 100); ``judgements``: its RoB 2
    overall judgement for this outcome ("low", "some concerns", "high") or None when not assessed.

    GRADE 4 / Handbook 5.1 table 12.2.d: not serious when *most information* — here more than half the
    weight — is from studies at low risk; serious when it is not; very serious when most of the weight is
    in studies at high risk (a crucial limitation of most of the evidence).
    """
    missing = sorted(s for s, w in weights.items() if w > 0 and judgements.get(s) is None)
    if missing:
        return Proposal("risk_of_bias", None, pending=[
            f"no complete RoB 2 assessment for this outcome of {', '.join(missing)} (analysis/rob2/; "
            "`sysrev rob new STUDY OUTCOME`)"])
    total = sum(weights.values()) or 1.0
    share = {j: 100.0 * sum(w for s, w in weights.items() if judgements.get(s) == j) / total
             for j in ("low", "some concerns", "high")}
    reasons = [f"weight in studies at low risk {_pct(share['low'])}, some concerns {_pct(share['some concerns'])}, "
               f"high risk {_pct(share['high'])} (RoB 2 overall judgements)"]
    if share["high"] > 50.0:
        reasons.append("most of the information (> 50% of the weight) is from studies at high risk of bias")
        return Proposal("risk_of_bias", "very serious", reasons)
    if share["low"] > 50.0:
        reasons.append("most of the information (> 50% of the weight) is from studies at low risk of bias")
        return Proposal("risk_of_bias", "not serious", reasons)
    reasons.append("half or more of the weight is from studies at high risk or with some concerns")
    return Proposal("risk_of_bias", "serious", reasons)


def _overlap(cis: list[tuple[float, float]]) -> bool:
    """True when every study CI shares at least one value with every other (they all overlap pairwise)."""
    return max(lo for lo, _ in cis) <= min(hi for _, hi in cis)


def inconsistency(k: int, i2: float | None, q_p: float | None, study_cis: list[tuple[float, float]],
                  null: float, pooled_ci: tuple[float, float] | None = None,
                  prediction: tuple[float, float] | None = None) -> Proposal:
    """Inconsistency from I², the heterogeneity test, the overlap of study CIs and opposite-direction results.

    GRADE 7 rates down when inconsistency is large and unexplained, "particularly if some studies suggest
    substantial benefit, and others no effect or harm". Proposed: very serious when I² ≥ 75% and some study
    CIs lie wholly on opposite sides of no effect (benefit in some, harm in others); serious when I² ≥ 50%
    together with the test of heterogeneity at p < 0.10 or study CIs that do not all overlap; not serious
    otherwise. The prediction interval is reported (it shows where a new study's effect may lie).
    """
    if k < 2:
        return Proposal("inconsistency", "not serious",
                        ["a single study: there is no between-study inconsistency to assess (the team may "
                         "still judge a single trial's results inconsistent across settings)"])
    if i2 is None:
        return Proposal("inconsistency", None, pending=[
            f"I² is not available for these {k} studies: judge inconsistency from their results (the forest "
            "plot) and set this domain's `final`, with a justification"])
    reasons = [f"I² = {_pct(i2)}" + (f", test of heterogeneity {_p(q_p)}" if q_p is not None else "")]
    overlapping = _overlap(study_cis)
    reasons.append("all study CIs overlap" if overlapping else "some study CIs do not overlap")
    benefit = [ci for ci in study_cis if ci[1] < null]
    harm = [ci for ci in study_cis if ci[0] > null]
    opposite = bool(benefit and harm)
    if opposite:
        reasons.append(f"{len(benefit)} studies show an effect below and {len(harm)} above no effect, "
                       "each with a CI that excludes it")
    if prediction is not None and prediction[0] is not None and pooled_ci is not None:
        crosses = prediction[0] < null < prediction[1]
        pooled_excludes = not (pooled_ci[0] < null < pooled_ci[1])
        reasons.append(f"prediction interval {_num(prediction[0])} to {_num(prediction[1])}"
                       + (" includes no effect although the CI excludes it" if crosses and pooled_excludes else ""))
    if i2 >= I2_CONSIDERABLE and opposite:
        reasons.append(f"I² ≥ {I2_CONSIDERABLE:.0f}% (considerable) with studies on opposite sides of no effect")
        return Proposal("inconsistency", "very serious", reasons)
    signal = (q_p is not None and q_p < Q_P_THRESHOLD) or not overlapping
    if i2 >= I2_SUBSTANTIAL and signal:
        reasons.append(f"I² ≥ {I2_SUBSTANTIAL:.0f}% (substantial) with a heterogeneity test at p < "
                       f"{Q_P_THRESHOLD:.2f} or non-overlapping CIs")
        return Proposal("inconsistency", "serious", reasons)
    reasons.append(f"I² below {I2_SUBSTANTIAL:.0f}%" if i2 < I2_SUBSTANTIAL else
                   f"I² ≥ {I2_SUBSTANTIAL:.0f}% but heterogeneity test p ≥ {Q_P_THRESHOLD:.2f} and overlapping CIs")
    return Proposal("inconsistency", "not serious", reasons)


def thresholds_for(measure: str, mid: float | None) -> tuple[list[float], str] | None:
    """The thresholds of interest on the reporting scale: the minimal important difference either side of no
    effect (``mid`` is one point on the reporting scale: ±|mid| for differences, mid and 1/mid for ratios);
    for ratios without a MID, GRADE 6's RR 0.75 and 1.25. None when a difference measure has no usable MID
    (the team must set ``mid``)."""
    if measure in ("RR", "OR", "PETO"):
        if mid is None or mid == 1:
            return [1 - DEFAULT_RATIO_THRESHOLD, 1.0, 1 + DEFAULT_RATIO_THRESHOLD], \
                "no mid set: GRADE 6's rough guide RR 0.75 / 1.25"
        low = min(mid, 1 / mid)
        return [low, 1.0, 1 / low], f"mid = {mid:g} (analyses.toml), and its inverse"
    if mid is None or mid == 0:
        return None
    return [-abs(mid), 0.0, abs(mid)], f"mid = {mid:g} (analyses.toml), either side of no effect"


def _against(low: float, high: float, lo_mid: float, hi_mid: float) -> tuple[str, str]:
    """The rating and its reason for a CI against two thresholds either side of no effect."""
    crossed = [t for t in (lo_mid, hi_mid) if low < t < high]
    if len(crossed) == 2:
        return "very serious", "the CI crosses both thresholds: it includes important benefit and important harm"
    if crossed:
        return "serious", (f"the CI crosses the threshold {_num(crossed[0])}: it includes an important and an "
                           "unimportant effect")
    if lo_mid <= low and high <= hi_mid:
        return "not serious", "the whole CI lies between the two thresholds: little or no difference"
    return "not serious", "the whole CI lies beyond one threshold: an important effect"


def imprecision(measure: str, estimate: float, ci: tuple[float, float], mid: float | None,
                total_n: int, ois: int | None, ois_text: str = "", absolute_text: str = "",
                absolute: tuple[float, float] | None = None, absolute_mid: float | None = None) -> Proposal:
    """Imprecision from the CI against the thresholds of interest, then the optimal information size.

    GRADE guidance 34 (minimally contextualised approach): the thresholds of interest are the MID either side
    of no effect. A CI wholly between the two MIDs is precise evidence of little or no difference, whether
    or not it includes no effect (not serious); a CI that crosses one MID includes both an important and an
    unimportant effect (serious); one that crosses both includes important benefit and important harm (very
    serious). A CI limit exactly on a threshold does not cross it. A CI that crosses no MID is still rated
    serious when the total sample size is below the optimal information size (GRADE 6: "if the total number
    of patients ... is less than the number generated by a conventional sample size calculation for a
    single adequately powered trial"). For ratio measures with ``absolute_mid`` (the team's threshold per
    1,000), the CI of the absolute effect is judged the same way and the worse of the two ratings counts.
    """
    found = thresholds_for(measure, mid)
    if found is None:
        return Proposal("imprecision", None, pending=[
            "mid (the minimal important difference) is not set for this analysis in analyses.toml"])
    thresholds, source = found
    low, high = ci
    lo_mid, null, hi_mid = thresholds
    reasons = [f"CI {_num(low)} to {_num(high)}; thresholds {_num(lo_mid)} and {_num(hi_mid)} either side of "
               f"no effect ({_num(null)}), from {source}"]
    if absolute_text:
        reasons.append(absolute_text)
    rating, why = _against(low, high, lo_mid, hi_mid)
    reasons.append(why)
    if absolute is not None and absolute_mid is not None:
        # GRADE 6: "in general, the CIs to consider are those around the absolute, rather than the relative
        # effect" — with the team's absolute threshold the worse of the two judgements counts.
        abs_rating, abs_why = _against(absolute[0], absolute[1], -absolute_mid, absolute_mid)
        reasons.append(f"absolute effect per 1,000 against ±{absolute_mid:g} (absolute_mid, analyses.toml): "
                       f"{abs_why}")
        if DOWN[abs_rating] < DOWN[rating]:
            rating = abs_rating
    if ois is None:
        reasons.append(f"optimal information size not computed ({ois_text or 'its inputs are not set'})")
    else:
        met = total_n >= ois
        reasons.append(f"{total_n} participants against an optimal information size of {ois} ({ois_text}): "
                       + ("met" if met else "not met"))
        if rating == "not serious" and not met:
            rating = "serious"
    return Proposal("imprecision", rating, reasons)


def publication_bias(k: int, egger_p: float | None) -> Proposal:
    """Publication bias from Egger's test of funnel-plot asymmetry, only with at least 10 studies.

    GRADE 5: suspect publication bias when the evidence is a number of small (often commercially funded)
    studies or the funnel plot is asymmetric; the Cochrane Handbook (13.3.5.4) advises asymmetry tests only
    with 10 or more studies. With fewer, nothing is detected statistically and the team judges the rest.
    """
    if k < MIN_STUDIES_FUNNEL:
        return Proposal("publication_bias", "undetected", [
            f"{k} studies: too few for a funnel-plot asymmetry test (needs ≥ {MIN_STUDIES_FUNNEL}, Cochrane "
            "Handbook 13.3.5.4); consider the other signs of GRADE 5 (only small, commercially funded studies)"])
    if egger_p is None:
        return Proposal("publication_bias", None, pending=["Egger's test could not be computed"])
    reasons = [f"Egger's test of funnel-plot asymmetry over {k} studies: {_p(egger_p)}"]
    if egger_p < EGGER_P_THRESHOLD:
        reasons.append(f"p < {EGGER_P_THRESHOLD:.2f}: small-study effects, possibly publication bias")
        return Proposal("publication_bias", "strongly suspected", reasons)
    reasons.append(f"p ≥ {EGGER_P_THRESHOLD:.2f}: no evidence of funnel-plot asymmetry")
    return Proposal("publication_bias", "undetected", reasons)


def large_effect(measure: str, estimate: float | None) -> Proposal:
    """Rating up non-randomised evidence for a large relative effect (GRADE 9): RR ≥ 2 or ≤ 0.5 one level,
    ≥ 5 or ≤ 0.2 two levels. Only ratio measures have this rule; for others it is the team's judgement."""
    if measure not in ("RR", "OR", "PETO"):
        return Proposal("large_effect", None, pending=[
            "no rule for a difference measure: the team judges whether the effect is large"])
    if estimate is None:
        return Proposal("large_effect", None, pending=["no pooled estimate"])
    fold = max(estimate, 1 / estimate)
    reason = f"{measure} {_num(estimate)}: a {fold:.2g}-fold change"
    if fold >= VERY_LARGE_RATIO:
        return Proposal("large_effect", "very large", [reason + f" (≥ {VERY_LARGE_RATIO:g}-fold: GRADE 9)"])
    if fold >= LARGE_RATIO:
        return Proposal("large_effect", "large", [reason + f" (≥ {LARGE_RATIO:g}-fold: GRADE 9)"])
    return Proposal("large_effect", "no", [reason + f" (< {LARGE_RATIO:g}-fold)"])
