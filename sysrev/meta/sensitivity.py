"""Sensitivity analyses of a finished meta-analysis: leave-one-out and small-study tests.

Both take a :class:`~sysrev.meta.result.MetaResult` and reuse its settings and per-study effects, so they
follow the same conventions (measure, method, model, τ² estimator, zero cells) as the analysis itself.
Estimates are reported on the reporting scale (ratios for RR/OR/PETO), like ``MetaResult.to_dict()``.
"""

from __future__ import annotations

import numpy as np

from sysrev.errors import SysrevError
from sysrev.meta import bias
from sysrev.meta.analysis import STATISTICS, analyse_group
from sysrev.meta.leave_one_out import without_each
from sysrev.meta.result import GroupResult, MetaResult


def leave_one_out(result: MetaResult) -> list[dict]:
    """The overall analysis repeated without each estimable study in turn (one dict per omitted study).

    Inverse-variance analyses of three or more studies compute all omissions together
    (:func:`sysrev.meta.leave_one_out.without_each`: k = 10,000 in seconds). Mantel–Haenszel and Peto
    analyses, and analyses of two studies, repeat the analysis per omitted study without building the
    per-study rows no one reads. Each way gives the numbers the full analysis of the remaining studies gives.
    """
    effects = result.effects
    if effects.estimable.sum() < 2:
        raise SysrevError("leave-one-out needs at least 2 studies with an estimate")
    omitted = np.flatnonzero(effects.estimable)
    settings = result.settings
    if settings.method == "IV" and len(omitted) >= 3:
        stats_ = without_each(effects.yi[omitted], effects.vi[omitted], settings.tau2_method, ci=settings.ci,
                              level=settings.level, tau2_interval=settings.model == "random")
        stats_["Q_df"] = [int(df) for df in stats_["Q_df"]]
        groups = [GroupResult(k=len(omitted) - 1, k_total=len(effects.yi) - 1, ci=settings.ci, studies=[],
                              **{name: _item(stats_.get(name), n) for name in STATISTICS})
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


def _item(values, n):
    return None if values is None else values[n]


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
