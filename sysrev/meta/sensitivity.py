"""Sensitivity analyses of a finished meta-analysis: leave-one-out and small-study tests.

Both take a :class:`~sysrev.meta.result.MetaResult` and reuse its settings and per-study effects, so they
follow the same conventions (measure, method, model, τ² estimator, zero cells) as the analysis itself.
Estimates are reported on the reporting scale (ratios for RR/OR/PETO), like ``MetaResult.to_dict()``.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from sysrev.errors import SysrevError
from sysrev.meta import bias
from sysrev.meta.analysis import analyse_group
from sysrev.meta.batch import pool_inverse_variance
from sysrev.meta.result import GroupResult, MetaResult


def leave_one_out(result: MetaResult) -> list[dict]:
    """The overall analysis repeated without each estimable study in turn (one dict per omitted study).

    Inverse-variance analyses of three or more studies are computed for all omissions at once, in time
    linear in k for the fixed-effect model (:func:`_fixed_without_each`: totals minus each study's share) and
    with the batch engine, in blocks of rows, for random effects. Mantel–Haenszel and Peto analyses, and
    analyses of two studies, repeat the analysis per omitted study without building the per-study rows no one
    reads. Each way gives the numbers the full analysis of the remaining studies gives.
    """
    effects = result.effects
    if effects.estimable.sum() < 2:
        raise SysrevError("leave-one-out needs at least 2 studies with an estimate")
    omitted = np.flatnonzero(effects.estimable)
    settings = result.settings
    if settings.method == "IV" and len(omitted) >= 3:
        y, v = effects.yi[omitted], effects.vi[omitted]
        if settings.model == "fixed":
            stats_ = _fixed_without_each(y, v, settings)
        else:
            stats_ = _random_without_each(y, v, settings)
        stats_["Q_df"] = [int(df) for df in stats_["Q_df"]]
        k_total = len(effects.yi) - 1
        groups = [GroupResult(k=len(omitted) - 1, k_total=k_total, ci=settings.ci, studies=[],
                              **{name: (None if values is None else values[n]) for name, values in stats_.items()})
                  for n in range(len(omitted))]
    else:
        groups = []
        for i in omitted:
            keep = np.ones(len(effects.yi), bool)
            keep[i] = False
            groups.append(analyse_group(effects.select(keep), settings, study_rows=False))
    rows = []
    for i, group in zip(omitted, groups, strict=True):
        summary = group.to_dict(result.report)
        summary.pop("studies")
        rows.append({"omitted": effects.table.studies[i], "subgroup": effects.table.subgroups[i], **summary})
    return rows


# Rows of k − 1 studies pooled per block by the batch engine: bounds memory at about 8·k·block bytes an array.
_BLOCK_CELLS = 2_000_000
# Above this many studies the Q-profile interval of τ² is not computed per omission (left None): it is a
# root search over all studies for each of them, minutes at k = 10,000, and no one reads 10,000 of them.
TAU2_INTERVAL_MAX_K = 2_000


def _fixed_without_each(y, v, settings) -> dict:
    """Fixed-effect inverse-variance results without study i, for every i, from the totals in O(k).

    With w = 1/v, m the estimate of all k studies and S = Σ w(y − m)², omitting i leaves the weight
    W − wᵢ, the estimate (Σwy − wᵢyᵢ)/(W − wᵢ) and, since Σ_{j≠i} wⱼ(yⱼ − μ)² = Σ_{j≠i} wⱼ(yⱼ − m)² −
    (W − wᵢ)(μ − m)², the Q statistic S − wᵢ(yᵢ − m)² − (W − wᵢ)(μ − m)² (centred on m to avoid the
    cancellation of raw sums of squares).
    """
    k = len(y)
    w = 1 / v
    total_w = w.sum()
    m = (w * y).sum() / total_w
    spread = (w * (y - m) ** 2).sum()
    rest_w = total_w - w
    mu = ((w * y).sum() - w * y) / rest_w
    q = np.maximum(0.0, spread - w * (y - m) ** 2 - rest_w * (mu - m) ** 2)
    se = np.sqrt(1 / rest_w)
    crit = stats.norm.isf((1 - settings.level / 100) / 2)
    df = k - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, mu / se, np.nan)
        i2 = np.where(q > 0, np.maximum(0.0, (q - df) / q) * 100, 0.0)
    nan = np.full(k, np.nan)
    return {"estimate": mu, "se": se, "z": z, "p": 2 * stats.norm.sf(np.abs(z)), "ci_low": mu - crit * se,
            "ci_high": mu + crit * se, "tau2": nan, "Q": q, "Q_df": [df] * k, "Q_p": stats.chi2.sf(q, df),
            "I2_revman": i2, "I2": i2, "H2": q / df, "pi_low": nan, "pi_high": nan, "tau2_ci_low": None,
            "tau2_ci_high": None, "I2_ci_low": None, "I2_ci_high": None, "H2_ci_low": None, "H2_ci_high": None}


def _random_without_each(y, v, settings) -> dict:
    """Random-effects results without study i, for every i: τ² is re-estimated for each omission, so the
    batch engine pools blocks of rows of k − 1 studies (each block one vectorised fit). Beyond
    :data:`TAU2_INTERVAL_MAX_K` studies the τ² (and I², H²) intervals are left out."""
    k = len(y)
    with_interval = k <= TAU2_INTERVAL_MAX_K
    block = max(1, _BLOCK_CELLS // k)
    parts = []
    for first in range(0, k, block):
        rows = np.arange(first, min(k, first + block))
        keep = np.ones((len(rows), k), bool)
        keep[np.arange(len(rows)), rows] = False
        out = pool_inverse_variance(y[None, :].repeat(len(rows), 0)[keep].reshape(len(rows), k - 1),
                                    v[None, :].repeat(len(rows), 0)[keep].reshape(len(rows), k - 1),
                                    settings.tau2, ci=settings.ci, level=settings.level, tau2_interval=with_interval)
        out.pop("weights")
        parts.append(out)
    joined = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    if not with_interval:
        joined.update(dict.fromkeys(("tau2_ci_low", "tau2_ci_high", "I2_ci_low", "I2_ci_high", "H2_ci_low",
                                     "H2_ci_high")))
    return joined


def small_study_tests(result: MetaResult) -> dict:
    """Egger's regression (metafor's default and the classical form), Begg's rank test, Rosenthal's
    fail-safe N and trim-and-fill.

    They run on the per-study effects with inverse-variance weights: a fixed-effect model (also for
    Mantel–Haenszel and Peto analyses) or the analysis's random-effects τ² estimator. As in metafor, Egger's
    test uses the analysis's test (t with k − 2 df under HKSJ) and trim-and-fill re-pools with z intervals.
    """
    effects = result.effects
    yi, vi = effects.yi[effects.estimable], effects.vi[effects.estimable]
    tau2 = result.settings.tau2 if result.settings.model == "random" else None
    egger = bias.egger_test(yi, vi, tau2, ci=result.settings.ci)
    classic = bias.egger_test(yi, vi, model="lm")
    begg = bias.rank_correlation_test(yi, vi)
    fill = bias.trim_and_fill(yi, vi, tau2)
    fsn = bias.fail_safe_n(yi, vi)
    return {
        "k": int(len(yi)),
        "egger": {"statistic": egger.statistic, "test": "t" if egger.df else "z", "df": egger.df, "p": egger.p,
                  "limit_estimate": result.report(egger.limit_estimate),
                  "model": "fixed" if tau2 is None else f"random ({tau2})"},
        "egger_classic": {"t": classic.statistic, "df": classic.df, "p": classic.p,
                          "limit_estimate": result.report(classic.limit_estimate)},
        "begg": {"tau": begg.tau, "p": begg.p},
        "fail_safe_n": {"n": fsn.n, "p": fsn.p, "alpha": 0.05},
        "trim_and_fill": {"k0": fill.k0, "side": fill.side, "estimate": result.report(fill.estimate),
                          "ci_low": result.report(fill.ci_low), "ci_high": result.report(fill.ci_high),
                          "se": fill.se, "z": fill.z, "p": fill.p, "tau2": fill.tau2,
                          "filled_yi": [float(x) for x in fill.filled_yi],
                          "filled_vi": [float(x) for x in fill.filled_vi]},
    }
