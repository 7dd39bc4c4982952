"""Sensitivity analyses of a finished meta-analysis: leave-one-out and small-study tests.

Both take a :class:`~sysrev.meta.result.MetaResult` and reuse its settings and per-study effects, so they
follow the same conventions (measure, method, model, τ² estimator, zero cells) as the analysis itself.
Estimates are reported on the reporting scale (ratios for RR/OR/PETO), like ``MetaResult.to_dict()``.
"""

from __future__ import annotations

import numpy as np

from sysrev.errors import SysrevError
from sysrev.meta import bias
from sysrev.meta.analysis import analyse_group
from sysrev.meta.result import MetaResult


def leave_one_out(result: MetaResult) -> list[dict]:
    """The overall analysis repeated without each estimable study in turn (one dict per omitted study)."""
    effects = result.effects
    if effects.estimable.sum() < 2:
        raise SysrevError("leave-one-out needs at least 2 studies with an estimate")
    rows = []
    for i in np.flatnonzero(effects.estimable):
        keep = np.ones(len(effects.yi), bool)
        keep[i] = False
        group = analyse_group(effects.select(keep), result.settings).to_dict(result.report)
        group.pop("studies")
        rows.append({"omitted": effects.table.studies[i], "subgroup": effects.table.subgroups[i], **group})
    return rows


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
