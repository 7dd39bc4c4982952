"""One meta-analysis of a set of studies, and the subgroup analysis around it (RevMan's layout).

:func:`meta_analysis` is the public entry point (contract 1 of the team's shared notes): it checks the
table, computes per-study effects, pools them with the chosen method and model, and, with ``subgroup=``,
repeats the analysis inside each subgroup, pools *every* row for the overall estimate (as RevMan does) and
tests for subgroup differences.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from sysrev.errors import SysrevError
from sysrev.meta import pooling
from sysrev.meta.batch import pool_inverse_variance
from sysrev.meta.effects import peto_terms
from sysrev.meta.inputs import read_study_table
from sysrev.meta.result import GroupResult, MetaResult, StudyRow, SubgroupTest
from sysrev.meta.settings import Settings
from sysrev.meta.study_effects import StudyEffects, study_effects


def _mh_or_peto(eff: StudyEffects, settings: Settings, y, v):
    """Mantel–Haenszel or Peto fixed-effect estimate (weights over all rows) and its Q statistic."""
    rows = eff.pooled_rows
    cells = tuple(cell[rows] for cell in eff.cells)
    if settings.method == "PETO":
        o_minus_e, var = peto_terms(*cells)
        pooled, q = pooling.peto(o_minus_e, var), pooling.peto_q(o_minus_e, var)
    else:
        mh = pooling.MANTEL_HAENSZEL[settings.measure]
        if settings.measure == "RD" and settings.zero == "metafor":
            mh = pooling.mh_risk_difference_sato
        pooled = mh(*cells)
        q = float(((y - pooled.estimate) ** 2 / v).sum())
    return pooled.estimate, pooled.variance, _scatter(rows, pooled.weights), q


def _percent(weights):
    """Weights in percent; every pooled group has a positive total (an empty one is reported without pooling,
    and Mantel–Haenszel or Peto sums of zero are refused by :mod:`sysrev.meta.pooling`)."""
    return weights / weights.sum() * 100


def _scatter(mask, values):
    out = np.zeros(len(mask))
    out[mask] = values
    return out


def _study_rows(eff: StudyEffects, settings: Settings, weights: np.ndarray) -> list[StudyRow]:
    crit = stats.norm.isf((1 - settings.level / 100) / 2)
    out = []
    for i, study in enumerate(eff.table.studies):
        y, v = eff.yi[i], eff.vi[i]
        estimable = bool(np.isfinite(y) and np.isfinite(v))
        low = high = None
        if estimable:
            low, high = y - crit * math.sqrt(v), y + crit * math.sqrt(v)
        out.append(StudyRow(study, eff.table.subgroups[i], y if estimable else None, v if estimable else None,
                            y if estimable else None, low, high, float(weights[i]), eff.table.data[i]))
    return out


def _heterogeneity_from_q(q, df):
    """Q-based I² (RevMan) and H² with the Q test; what a fixed-effect or MH-random analysis reports."""
    i2 = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    return {"Q": q, "Q_p": float(stats.chi2.sf(q, df)), "I2": i2, "I2_revman": i2, "H2": q / df}


def analyse_group(eff: StudyEffects, settings: Settings, *, study_rows: bool = True,
                  overall: bool = False) -> GroupResult:
    """Pool one set of studies (the whole table, or one subgroup); ``study_rows=False`` skips the per-study
    rows (leave-one-out reads only the pooled statistics). A part of the table without an estimable study is
    reported empty ("not estimable", as RevMan); for the ``overall`` analysis Peto or Mantel–Haenszel then says
    why it cannot pool."""
    estimable = eff.estimable
    y, v = eff.yi[estimable], eff.vi[estimable]
    k = int(estimable.sum())
    # metafor's MH pools the counts of studies without an estimate of their own; Peto's studies without one
    # (no events, or only events, in both arms) have no weight (V = 0): with none left there is nothing to pool
    counted = settings.method == "MH" or (settings.method == "PETO" and overall)
    pooled_on_counts = counted and eff.pooled_rows is not None and eff.pooled_rows.any()
    if k == 0 and not (pooled_on_counts and settings.model == "fixed"):
        return GroupResult.empty(_study_rows(eff, settings, np.zeros(len(estimable))), len(estimable))
    df = k - 1
    ci_method = settings.ci if k > 1 else "z"  # one study: no t distribution with 0 df, its own z interval

    if settings.method != "IV":
        try:
            estimate, variance, weights, q = _mh_or_peto(eff, settings, y, v)
        except SysrevError:
            if overall or k > 0:
                raise
            # a subgroup of double-zero studies whose raw counts MH cannot pool either (OR, RR): not estimable,
            # as under RevMan's rule, and the other subgroups are analysed
            return GroupResult.empty(_study_rows(eff, settings, np.zeros(len(estimable))), len(estimable))
    if settings.method != "IV" and settings.model == "fixed":
        se = math.sqrt(variance)
        crit = stats.norm.isf((1 - settings.level / 100) / 2)
        z = estimate / se if se > 0 else math.nan
        stats_ = {"estimate": estimate, "se": se, "z": z, "p": float(2 * stats.norm.sf(abs(z))),
                  "ci_low": estimate - crit * se, "ci_high": estimate + crit * se, "Q_df": df}
        if k > 1:
            stats_.update(_heterogeneity_from_q(q, df))
        elif k == 1:
            stats_["Q"] = q
        else:  # metafor's MH on raw counts pools studies that have no per-study estimate (no Q then)
            stats_["Q_df"] = None
    else:
        tau2 = None
        if settings.model == "random":
            tau2 = settings.tau2
            if settings.method == "MH":  # RevMan: DL τ² from the MH-based Q, then inverse-variance pooling
                wi = 1 / v
                tau2 = max(0.0, (q - df) / (wi.sum() - (wi**2).sum() / wi.sum())) if k > 1 else 0.0
        stats_ = pool_inverse_variance(y, v, tau2, ci=ci_method, level=settings.level,
                                       tau2_interval=settings.model == "random")
        weights = _scatter(estimable, stats_.pop("weights"))
        if settings.method == "MH" and k > 1:
            stats_.update(_heterogeneity_from_q(q, df))
        if k == 1:  # no between-study variance to estimate from one study: τ² does not apply (RevMan)
            stats_.update(Q_p=None, I2=None, I2_revman=None, H2=None, pi_low=None, pi_high=None,
                          tau2=None, tau2_ci_low=None, tau2_ci_high=None)
    return GroupResult(k=k, k_total=len(estimable), ci=ci_method,
                       studies=_study_rows(eff, settings, _percent(weights)) if study_rows else [],
                       **{name: stats_.get(name) for name in STATISTICS})


STATISTICS = ("estimate", "ci_low", "ci_high", "se", "z", "p", "tau2", "tau2_ci_low", "tau2_ci_high", "I2",
               "I2_revman", "H2", "Q", "Q_df", "Q_p", "pi_low", "pi_high", "I2_ci_low", "I2_ci_high", "H2_ci_low",
               "H2_ci_high")


def subgroup_difference_test(groups: dict[str, GroupResult]) -> SubgroupTest | None:
    """RevMan's test for subgroup differences: Q over the subgroup estimates weighted by 1/SE².

    For inverse-variance fixed-effect analyses this equals Q(total) − ΣQ(subgroups); for random effects it
    uses each subgroup's own τ². Subgroups without an estimate are left out; fewer than two → None.
    """
    usable = [g for g in groups.values() if g.k > 0 and g.se and g.se > 0]
    if len(usable) < 2:
        return None
    est = np.array([g.estimate for g in usable])
    w = 1 / np.array([g.se for g in usable]) ** 2
    mean = (w * est).sum() / w.sum()
    q = float((w * (est - mean) ** 2).sum())
    df = len(usable) - 1
    return SubgroupTest(Q=q, df=df, p=float(stats.chi2.sf(q, df)), I2=max(0.0, (q - df) / q) * 100 if q > 0 else 0.0)


_MUST_BE_FINITE = ("estimate", "ci_low", "ci_high", "se", "z", "tau2", "tau2_ci_low", "tau2_ci_high", "H2", "Q",
                   "pi_low", "pi_high")


def _check_finite(group: GroupResult, effects: StudyEffects, label: str) -> None:
    """Refuse a result that overflowed: finite inputs whose pooled statistics came out infinite.

    Weights are inverse variances; a study whose variance is many orders of magnitude below the others'
    (an absurd sample size such as n = 1e18) leaves nothing of the others after rounding, and τ² divides by
    a difference of such sums. The result would print as ``Tau² = inf`` outside its own interval, and JSON
    cannot hold it, so the analysis stops and names the study that caused it.
    """
    bad = [name for name in _MUST_BE_FINITE if (value := getattr(group, name)) is not None and np.isinf(value)]
    if not bad:
        return
    vi = np.where(effects.estimable, effects.vi, np.nan)
    smallest = int(np.nanargmin(vi))
    others = np.delete(vi, smallest)
    typical = float(np.nanmedian(others)) if np.isfinite(others).any() else float("nan")
    raise SysrevError(
        f"numerical overflow in the {label} analysis: {', '.join(bad)} came out infinite. Study "
        f"{effects.table.studies[smallest]!r} has a within-study variance of {vi[smallest]:.3g} (the others' "
        f"median is {typical:.3g}), too small for the pooled sums to be computed in double precision; check "
        "its sample sizes and standard deviations")


def meta_analysis(data, measure, method=None, model="fixed", tau2="DL", ci="z", smd="revman", subgroup=None,
                  level=95, zero="revman") -> MetaResult:
    """Meta-analyse the studies in ``data`` (a pandas DataFrame, one row per study).

    Parameters follow ``sysrev meta pool`` (docs/meta.md): ``measure`` MD, SMD, RR, OR, RD, PETO or GEN;
    ``method`` IV, MH or PETO (default MH for RR/OR/RD, PETO for PETO, IV otherwise); ``model`` fixed or
    random; ``tau2`` the τ² estimator (DL, REML, PM, ML, HS, SJ, HE, EB); ``ci`` z or hksj; ``smd`` revman
    or exact; ``subgroup`` the name of a column to analyse by; ``level`` the confidence level in percent;
    ``zero`` revman or metafor (zero-cell and MH conventions, see :mod:`sysrev.meta.study_effects`).

    Bad data raise :class:`sysrev.errors.InputError` naming row, column and study; impossible option
    combinations raise :class:`sysrev.errors.SysrevError`.
    """
    settings = Settings.resolve(measure, method, model, tau2, ci, smd, level, zero)
    table = read_study_table(data, settings.measure, subgroup)
    effects = study_effects(table, settings)
    overall = analyse_group(effects, settings, overall=True)
    if overall.estimate is None:
        raise SysrevError("no study has an estimable effect (every study has no events, or only events, in "
                          "both arms)")
    groups = None
    test = None
    if subgroup:
        groups = {}
        for label in dict.fromkeys(table.subgroups):
            # compared as Python strings: numpy would turn the label into its own string type first, which drops
            # a trailing NUL ("a\x00" would select the studies of "a")
            groups[label] = analyse_group(effects.select([g == label for g in table.subgroups]), settings)
        test = subgroup_difference_test(groups)
    for label, group in [("overall", overall), *((f"subgroup {k!r}", g) for k, g in (groups or {}).items())]:
        _check_finite(group, effects, label)
    return MetaResult(settings=settings, overall=overall, subgroups=groups, subgroup_test=test,
                      subgroup_column=subgroup, effects=effects)
