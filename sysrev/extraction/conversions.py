"""Derive the numbers a meta-analysis needs (n, mean, SD, events) from what a trial report printed.

Every function returns a :class:`Derived` value that carries the result *and* its provenance: ``raw``
(the reported numbers, verbatim as given) and ``method`` (the formula and its source), which go into the
extraction row's ``raw`` and ``method`` cells, so a reader can redo each derivation by hand.

Sources (cited again at each function):

* Cochrane Handbook for Systematic Reviews of Interventions v6, chapter 6 (Higgins, Li, Deeks):
  §6.5.2.2 SDs from SEs and CIs of group means; §6.5.2.3 SDs from SEs, CIs, t statistics and P values of a
  difference in means; §6.5.2.8 imputing SDs of changes from baseline; Table 6.5.a combining two groups.
  (Handbook v5.1 §7.7.3.2, §7.7.3.3 and Table 7.7.a hold the same formulas and worked examples.)
* Wan X, Wang W, Liu J, Tong T. Estimating the sample mean and standard deviation from the sample size,
  median, range and/or interquartile range. BMC Med Res Methodol 2014;14:135 (the SD estimators).
* Luo D, Wan X, Liu J, Tong T. Optimally estimating the sample mean from the sample size, median, mid-range,
  and/or mid-quartile range. Stat Methods Med Res 2018;27(6):1785-1805 (the mean estimators).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from scipy import integrate, stats

from sysrev.errors import SysrevError

HANDBOOK = "Cochrane Handbook v6"
WAN = "Wan et al. 2014 BMC Med Res Methodol 14:135"
LUO = "Luo et al. 2018 Stat Methods Med Res 27:1785"
# Below this group size the Handbook says a 95% CI of a mean was probably computed from a t distribution
# ("say less than 60 in each group", §6.5.2.2); from 100 up it was a normal one; in between either.
T_BELOW = 60


@dataclass(frozen=True)
class Derived:
    """A derived value set (any of n, mean, sd, events) with the reported numbers and the method used."""

    values: dict
    raw: str
    method: str

    def __post_init__(self):
        object.__setattr__(self, "values", {k: float(v) for k, v in self.values.items()})


def _g(x: float) -> str:
    """A number as reported (no float noise): 3.8 → '3.8', 25.0 → '25'."""
    return f"{x:g}" if float(x).is_integer() or abs(x) >= 1e-4 else repr(x)


def _positive(**named):
    for name, value in named.items():
        if value is None or not math.isfinite(value) or value <= 0:
            raise SysrevError(f"{name} must be a positive number, got {value!r}")


def _level(level: float) -> float:
    if level > 1:
        level = level / 100
    if not 0 < level < 1:
        raise SysrevError(f"confidence level must be between 0 and 100 (%), got {level!r}")
    return level


def _critical(level: float, df: float | None) -> tuple[float, str]:
    """Two-sided critical value: t with ``df`` degrees of freedom, or the normal one when df is None."""
    q = (1 + level) / 2
    if df is None:
        return stats.norm.ppf(q), f"z={stats.norm.ppf(q):.4f}"
    return stats.t.ppf(q, df), f"t({_g(df)})={stats.t.ppf(q, df):.4f}"


def sd_from_se(se: float, n: float) -> Derived:
    """SD of a group from the SE of its mean: SD = SE × √n (Handbook v6 §6.5.2.2)."""
    _positive(se=se, n=n)
    return Derived({"sd": se * math.sqrt(n), "n": n}, f"SE={_g(se)}; n={_g(n)}",
                   f"SD = SE × √n ({HANDBOOK} §6.5.2.2)")


def sd_from_ci(lower: float, upper: float, n: float, level: float = 95, distribution: str = "auto") -> Derived:
    """SD of a group from the CI of its mean: SD = √n × (upper − lower) / (2 × critical value).

    Handbook v6 §6.5.2.2: 3.92 (= 2 × 1.96) for a 95% CI from a large group; for a small group ("say less
    than 60") the CI should have come from a t distribution with n − 1 degrees of freedom, e.g. n = 25 gives
    2 × 2.0639 = 4.128. ``distribution`` is "t", "z" or "auto" (t below 60 per group, z from 60 up).
    """
    _positive(n=n)
    if upper <= lower:
        raise SysrevError(f"the CI upper limit ({upper}) must be above the lower limit ({lower})")
    level = _level(level)
    use_t = distribution == "t" or (distribution == "auto" and n < T_BELOW)
    if distribution not in ("t", "z", "auto"):
        raise SysrevError(f"distribution must be t, z or auto, not {distribution!r}")
    crit, label = _critical(level, n - 1 if use_t else None)
    sd = math.sqrt(n) * (upper - lower) / (2 * crit)
    return Derived({"sd": sd, "n": n, "mean": (lower + upper) / 2},
                   f"{level:.0%} CI {_g(lower)} to {_g(upper)}; n={_g(n)}",
                   f"SD = √n × (upper − lower) / (2 × {label}); mean = CI midpoint ({HANDBOOK} §6.5.2.2)")


def _sd_from_se_of_difference(se: float, n1: float, n2: float) -> float:
    """Within-group SD from the SE of a difference in means, assuming equal SDs (Handbook v6 §6.5.2.3)."""
    return se / math.sqrt(1 / n1 + 1 / n2)


def sd_from_t(md: float, t: float, n1: float, n2: float) -> Derived:
    """SD (the same in both groups) from a two-sample t statistic of a difference in means:
    SE = MD / t, SD = SE / √(1/n1 + 1/n2) (Handbook v6 §6.5.2.3)."""
    _positive(n1=n1, n2=n2)
    if t == 0 or md == 0:
        raise SysrevError("a t statistic or mean difference of 0 gives no SD")
    se = abs(md / t)
    sd = _sd_from_se_of_difference(se, n1, n2)
    return Derived({"sd": sd, "se_md": se}, f"MD={_g(md)}; t={_g(t)}; n1={_g(n1)}; n2={_g(n2)}",
                   f"SE = |MD/t|; SD = SE / √(1/n1 + 1/n2), same SD in both groups ({HANDBOOK} §6.5.2.3)")


def sd_from_p(md: float, p: float, n1: float, n2: float) -> Derived:
    """SD (the same in both groups) from the two-sided P value of a t test of a difference in means:
    t = the t value for P with n1 + n2 − 2 df, SE = MD / t, SD = SE / √(1/n1 + 1/n2) (Handbook v6 §6.5.2.3;
    worked example: MD 3.8, P = 0.008, n 25 and 22 → t = 2.78, SE = 1.37). Use an exact P value; for
    "P < 0.05" the Handbook suggests the limit (0.05) as a conservative choice — say so in the note."""
    _positive(n1=n1, n2=n2)
    if not 0 < p < 1:
        raise SysrevError(f"P must be between 0 and 1, got {p}")
    df = n1 + n2 - 2
    t = stats.t.isf(p / 2, df)
    derived = sd_from_t(md, t, n1, n2)
    return Derived(derived.values | {"t": t}, f"MD={_g(md)}; P={_g(p)}; n1={_g(n1)}; n2={_g(n2)}",
                   f"t = t-value for two-sided P with {_g(df)} df ({t:.4f}); SE = |MD/t|; "
                   f"SD = SE / √(1/n1 + 1/n2), same SD in both groups ({HANDBOOK} §6.5.2.3)")


def sd_from_md_ci(lower: float, upper: float, n1: float, n2: float, level: float = 95,
                  distribution: str = "auto") -> Derived:
    """SD (the same in both groups) from the CI of a difference in means: SE = (upper − lower) / (2 × critical
    value), t with n1 + n2 − 2 df for small groups; SD = SE / √(1/n1 + 1/n2) (Handbook v6 §6.5.2.3)."""
    _positive(n1=n1, n2=n2)
    if upper <= lower:
        raise SysrevError(f"the CI upper limit ({upper}) must be above the lower limit ({lower})")
    level = _level(level)
    if distribution not in ("t", "z", "auto"):
        raise SysrevError(f"distribution must be t, z or auto, not {distribution!r}")
    use_t = distribution == "t" or (distribution == "auto" and min(n1, n2) < T_BELOW)
    crit, label = _critical(level, n1 + n2 - 2 if use_t else None)
    se = (upper - lower) / (2 * crit)
    return Derived({"sd": _sd_from_se_of_difference(se, n1, n2), "se_md": se},
                   f"MD {level:.0%} CI {_g(lower)} to {_g(upper)}; n1={_g(n1)}; n2={_g(n2)}",
                   f"SE = (upper − lower) / (2 × {label}); SD = SE / √(1/n1 + 1/n2), same SD in both groups "
                   f"({HANDBOOK} §6.5.2.3)")


@cache
def expected_range(n: int) -> float:
    """E[range] of n standard normal observations: ∫ 1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ dx (Wan 2014, Table 1 values)."""
    value, _ = integrate.quad(lambda x: 1 - stats.norm.cdf(x) ** n - stats.norm.sf(x) ** n,
                              -math.inf, math.inf, epsabs=1e-10)
    return value


def xi(n: float) -> float:
    """Wan 2014 ξ(n), the divisor of the range: the exact expected range of n normal values for n ≤ 50
    (their Table 1), and 2Φ⁻¹((n − 0.375)/(n + 0.25)) above 50 (their approximation)."""
    if n <= 50 and float(n).is_integer():
        return expected_range(int(n))
    return 2 * stats.norm.ppf((n - 0.375) / (n + 0.25))


def _expected_order_statistic(r: int, n: int) -> float:
    """E[X₍ᵣ₎], the r-th smallest of n standard normal observations:
    ∫ x · n!/((r−1)!(n−r)!) · Φ(x)^(r−1) · (1−Φ(x))^(n−r) · φ(x) dx."""
    log_c = math.lgamma(n + 1) - math.lgamma(r) - math.lgamma(n - r + 1)

    def integrand(x):  # plain math (not scipy.stats) per point: quad calls it hundreds of times
        cdf, sf = 0.5 * math.erfc(-x / math.sqrt(2)), 0.5 * math.erfc(x / math.sqrt(2))
        if cdf == 0 or sf == 0:
            return 0.0
        log_pdf = -x * x / 2 - 0.5 * math.log(2 * math.pi)
        return x * math.exp(log_c + math.log(cdf) * (r - 1) + math.log(sf) * (n - r) + log_pdf)

    value, _ = integrate.quad(integrand, -math.inf, math.inf, epsabs=1e-12)
    return value


@cache
def expected_iqr(q: int) -> float:
    """E[X₍₃Q₊₁₎ − X₍Q₊₁₎] of n = 4Q + 1 standard normal observations (Wan 2014, Table 2 values)."""
    n = 4 * q + 1
    return _expected_order_statistic(3 * q + 1, n) - _expected_order_statistic(q + 1, n)


def eta(n: float) -> float:
    """Wan 2014 η(n), the divisor of the interquartile range: for n = 4Q + 1 with Q ≤ 50 the exact expected
    IQR of n normal values (their eq. 15 and Table 2, which assume n = 4Q + 1), otherwise their
    approximation 2Φ⁻¹((0.75n − 0.125)/(n + 0.25)) (eq. 16)."""
    if float(n).is_integer() and (n - 1) % 4 == 0 and 1 <= (n - 1) // 4 <= 50:
        return expected_iqr(int(n - 1) // 4)
    return 2 * stats.norm.ppf((0.75 * n - 0.125) / (n + 0.25))


def _ordered(*values):
    if any(b < a for a, b in zip(values, values[1:])):
        raise SysrevError(f"summary values must be in increasing order (min ≤ q1 ≤ median ≤ q3 ≤ max), got "
                          f"{', '.join(_g(v) for v in values)}")


def mean_sd_from_median_range(median: float, minimum: float, maximum: float, n: float) -> Derived:
    """Scenario S1 (median, minimum, maximum, n).

    Mean (Luo 2018): w·(min + max)/2 + (1 − w)·median with w = 4 / (4 + n^0.75).
    SD (Wan 2014): (max − min) / ξ(n).
    """
    _positive(n=n)
    _ordered(minimum, median, maximum)
    if n < 2:
        raise SysrevError("n must be at least 2 to estimate an SD from a range")
    w = 4 / (4 + n ** 0.75)
    mean = w * (minimum + maximum) / 2 + (1 - w) * median
    sd = (maximum - minimum) / xi(n)
    return Derived({"mean": mean, "sd": sd, "n": n},
                   f"median={_g(median)}; min={_g(minimum)}; max={_g(maximum)}; n={_g(n)}",
                   f"mean = w(min+max)/2 + (1−w)median, w = 4/(4+n^0.75) ({LUO}); "
                   f"SD = (max−min)/ξ(n), ξ({_g(n)}) = {xi(n):.4f} ({WAN})")


def mean_sd_from_median_iqr(median: float, q1: float, q3: float, n: float) -> Derived:
    """Scenario S2 (median, first and third quartiles, n).

    Mean (Luo 2018): w·(q1 + q3)/2 + (1 − w)·median with w = 0.7 + 0.39/n.
    SD (Wan 2014): (q3 − q1) / η(n).
    """
    _positive(n=n)
    _ordered(q1, median, q3)
    w = 0.7 + 0.39 / n
    mean = w * (q1 + q3) / 2 + (1 - w) * median
    sd = (q3 - q1) / eta(n)
    return Derived({"mean": mean, "sd": sd, "n": n},
                   f"median={_g(median)}; q1={_g(q1)}; q3={_g(q3)}; n={_g(n)}",
                   f"mean = w(q1+q3)/2 + (1−w)median, w = 0.7 + 0.39/n ({LUO}); "
                   f"SD = (q3−q1)/η(n), η({_g(n)}) = {eta(n):.4f} ({WAN})")


def mean_sd_from_five_numbers(median: float, q1: float, q3: float, minimum: float, maximum: float,
                              n: float) -> Derived:
    """Scenario S3 (minimum, q1, median, q3, maximum, n).

    Mean (Luo 2018): w1·(min + max)/2 + w2·(q1 + q3)/2 + (1 − w1 − w2)·median with
    w1 = 2.2 / (2.2 + n^0.75) and w2 = 0.7 − 0.72 / n^0.55.
    SD (Wan 2014): (max − min) / (2ξ(n)) + (q3 − q1) / (2η(n)).
    """
    _positive(n=n)
    _ordered(minimum, q1, median, q3, maximum)
    if n < 2:
        raise SysrevError("n must be at least 2 to estimate an SD from a range")
    w1 = 2.2 / (2.2 + n ** 0.75)
    w2 = 0.7 - 0.72 / n ** 0.55
    mean = w1 * (minimum + maximum) / 2 + w2 * (q1 + q3) / 2 + (1 - w1 - w2) * median
    sd = (maximum - minimum) / (2 * xi(n)) + (q3 - q1) / (2 * eta(n))
    return Derived({"mean": mean, "sd": sd, "n": n},
                   f"median={_g(median)}; q1={_g(q1)}; q3={_g(q3)}; min={_g(minimum)}; max={_g(maximum)}; n={_g(n)}",
                   f"mean = w1(min+max)/2 + w2(q1+q3)/2 + (1−w1−w2)median, w1 = 2.2/(2.2+n^0.75), "
                   f"w2 = 0.7 − 0.72/n^0.55 ({LUO}); SD = (max−min)/(2ξ(n)) + (q3−q1)/(2η(n)) ({WAN})")


def combine_groups(n1: float, mean1: float, sd1: float, n2: float, mean2: float, sd2: float) -> Derived:
    """Two groups (e.g. two arms of a three-arm trial) combined into one (Handbook v6 Table 6.5.a):
    N = n1 + n2; mean = (n1·m1 + n2·m2)/N;
    SD = √{[(n1−1)SD1² + (n2−1)SD2² + n1·n2/N·(m1² + m2² − 2·m1·m2)] / (N − 1)}."""
    _positive(n1=n1, n2=n2)
    if sd1 < 0 or sd2 < 0:
        raise SysrevError("SDs must not be negative")
    total = n1 + n2
    mean = (n1 * mean1 + n2 * mean2) / total
    var = ((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2
           + n1 * n2 / total * (mean1 ** 2 + mean2 ** 2 - 2 * mean1 * mean2)) / (total - 1)
    return Derived({"n": total, "mean": mean, "sd": math.sqrt(var)},
                   f"group 1: n={_g(n1)}, mean={_g(mean1)}, SD={_g(sd1)}; "
                   f"group 2: n={_g(n2)}, mean={_g(mean2)}, SD={_g(sd2)}",
                   f"two groups combined ({HANDBOOK} Table 6.5.a)")


def combine_events(events1: float, n1: float, events2: float, n2: float) -> Derived:
    """Two groups of a dichotomous outcome combined: the numbers of events and the group sizes are added
    (Handbook v6 §23.3.4, combining groups of a multi-arm trial)."""
    _positive(n1=n1, n2=n2)
    if events1 < 0 or events2 < 0 or events1 > n1 or events2 > n2:
        raise SysrevError("events must be between 0 and n in each group")
    return Derived({"events": events1 + events2, "n": n1 + n2},
                   f"group 1: {_g(events1)}/{_g(n1)}; group 2: {_g(events2)}/{_g(n2)}",
                   f"two groups combined: events and totals added ({HANDBOOK} §23.3.4)")


def change_sd(sd_baseline: float, sd_final: float, correlation: float) -> Derived:
    """SD of the change from baseline from the baseline and final SDs and a correlation r (Handbook v6
    §6.5.2.8): SD_change = √(SD_b² + SD_f² − 2·r·SD_b·SD_f). r is an assumption unless the trial (or a
    similar one, per §6.5.2.8) gives it — the method cell records the value used."""
    _positive(sd_baseline=sd_baseline, sd_final=sd_final)
    if not -1 <= correlation <= 1:
        raise SysrevError(f"the correlation must be between −1 and 1, got {correlation}")
    sd = math.sqrt(sd_baseline ** 2 + sd_final ** 2 - 2 * correlation * sd_baseline * sd_final)
    return Derived({"sd": sd}, f"SD baseline={_g(sd_baseline)}; SD final={_g(sd_final)}; r={_g(correlation)}",
                   f"change-from-baseline SD = √(SDb² + SDf² − 2·r·SDb·SDf), r = {_g(correlation)} "
                   f"({HANDBOOK} §6.5.2.8)")
