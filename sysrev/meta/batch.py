"""Inverse-variance meta-analysis of many analyses at once, and leave-one-out built on it.

``yi`` and ``vi`` have shape ``(n_analyses, k)`` (or ``(k,)`` for one analysis); every statistic is computed
along the last axis with numpy, so 10,000 random-effects analyses with REML τ² take a fraction of a second
(see benchmarks/meta_speed.py). :func:`sysrev.meta.meta_analysis` uses the same code for a single analysis,
so the batch results are the single-analysis results, not an approximation of them.

Conventions (metafor ``rma.uni``): Q is computed with fixed-effect weights; I² and H² are
``max(0, (Q − df)/Q)`` and ``Q/df`` for the fixed-effect model and ``τ²/(τ² + s²)``, ``τ²/s² + 1`` (s² the
typical within-study variance) for random effects; under HKSJ the variance is multiplied by
``Σw(y − μ̂)²/(k − 1)`` and intervals, tests and prediction intervals use t with k − 1 df; prediction
intervals are ``μ̂ ± crit·√(SE² + τ²)``.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from sysrev.errors import SysrevError
from sysrev.meta.heterogeneity import (
    TAU2_METHODS,
    estimate_tau2,
    generalised_q,
    q_profile_interval,
    typical_variance,
    weighted_mean,
)


def _as_2d(yi, vi):
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    if yi.shape != vi.shape or yi.ndim not in (1, 2):
        raise SysrevError(f"yi and vi must be arrays of the same shape (k,) or (n, k); got {yi.shape} and {vi.shape}")
    if not (np.all(np.isfinite(yi)) and np.all(np.isfinite(vi)) and np.all(vi > 0)):
        raise SysrevError("yi must be finite and vi finite and positive in every analysis")
    return np.atleast_2d(yi), np.atleast_2d(vi), yi.ndim == 1


def pool_inverse_variance(yi, vi, tau2=None, *, ci="z", level=95.0, tau2_interval=False) -> dict:
    """Inverse-variance pooling of each row of ``yi``/``vi``.

    ``tau2``: None for the fixed-effect model, an estimator name (:data:`TAU2_METHODS`), or given τ² values
    (one per analysis). Returns a dict of arrays (scalars for 1-D input) on the analysis scale: ``estimate,
    se, z, p, ci_low, ci_high, tau2, Q, Q_df, Q_p, I2, H2, I2_revman, pi_low, pi_high``, the raw study
    ``weights`` and, with ``tau2_interval=True``, the Q-profile ``tau2_ci_low``/``tau2_ci_high`` and the
    matching ``I2_ci_*``/``H2_ci_*`` (metafor's τ²-based I² and H² at the τ² bounds). Fields
    that do not apply (τ² and prediction interval of a fixed-effect model) are NaN.
    """
    y, v, single = _as_2d(yi, vi)
    n, k = y.shape
    if k < 2 and (ci == "hksj"):
        raise SysrevError("Hartung–Knapp–Sidik–Jonkman intervals need at least 2 studies")
    q = generalised_q(y, v) if k > 1 else np.zeros(n)
    random = tau2 is not None
    if isinstance(tau2, str):
        if tau2 not in TAU2_METHODS:
            raise SysrevError(f"unknown tau2 estimator '{tau2}' (choose one of {', '.join(TAU2_METHODS)})")
        t2 = estimate_tau2(y, v, tau2)
    elif random:
        t2 = np.broadcast_to(np.asarray(tau2, dtype=float), (n,)).copy()
    else:
        t2 = np.zeros(n)
    wi = 1 / (v + t2[:, None])
    mu, sw = weighted_mean(y, wi)
    rss = (wi * (y - mu[:, None]) ** 2).sum(axis=1)
    s2 = typical_variance(v) if k > 1 else None
    out = summarise(mu, sw, rss, q, t2 if random else None, s2, k, ci=ci, level=level)
    out["weights"] = wi
    if tau2_interval:
        if random and k > 1:
            out.update(tau2_interval_fields(*q_profile_interval(y, v, level), s2))
        else:
            out.update(dict.fromkeys(TAU2_INTERVAL_FIELDS, np.full(n, np.nan)))
    if single:
        return {key: (value[0] if key != "Q_df" else int(value[0])) for key, value in out.items()}
    return out


def summarise(mu, sw, rss, q, tau2, typical, k, *, ci="z", level=95.0) -> dict:
    """The statistics of analyses of k studies each from their pooled estimates ``mu``, sums of weights ``sw``,
    Σw(y − μ̂)² ``rss`` (for HKSJ), fixed-effect Q ``q``, ``tau2`` (None for the fixed-effect model) and
    typical within-study variances ``typical`` (None for k = 1): the dict of :func:`pool_inverse_variance`
    without weights and τ² intervals. Leave-one-out (:mod:`sysrev.meta.leave_one_out`) uses it too."""
    n, df, alpha = len(mu), k - 1, 1 - level / 100
    random = tau2 is not None
    variance = 1 / sw
    if ci == "hksj":
        variance = np.where(rss > np.finfo(float).eps, rss / df * variance, 0.0)
        crit = stats.t.isf(alpha / 2, df)
    else:
        crit = stats.norm.isf(alpha / 2)
    se = np.sqrt(variance)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, mu / se, np.nan)  # SE 0 (HKSJ with identical estimates): no test statistic
        i2_revman = np.where(q > 0, np.maximum(0.0, (q - df) / q) * 100, 0.0)
    p = 2 * (stats.t.sf(np.abs(z), df) if ci == "hksj" else stats.norm.sf(np.abs(z)))
    out = {
        "estimate": mu, "se": se, "z": z, "p": p, "ci_low": mu - crit * se, "ci_high": mu + crit * se,
        "tau2": tau2 if random else np.full(n, np.nan), "Q": q, "Q_df": np.full(n, df),
        "Q_p": stats.chi2.sf(q, df) if k > 1 else np.full(n, np.nan), "I2_revman": i2_revman,
    }
    if random and k > 1:
        out["I2"], out["H2"] = 100 * tau2 / (typical + tau2), tau2 / typical + 1
        half = crit * np.sqrt(variance + tau2)
        out["pi_low"], out["pi_high"] = mu - half, mu + half
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            out["I2"], out["H2"] = i2_revman, q / df
        out["pi_low"] = out["pi_high"] = np.full(n, np.nan)
    return out


TAU2_INTERVAL_FIELDS = ("tau2_ci_low", "tau2_ci_high", "I2_ci_low", "I2_ci_high", "H2_ci_low", "H2_ci_high")


def tau2_interval_fields(low, high, typical) -> dict:
    """The Q-profile interval of τ² and the matching I² and H² intervals (metafor: I² and H² are increasing
    functions of τ², so their intervals are the images of τ²'s)."""
    return {"tau2_ci_low": low, "tau2_ci_high": high,
            "I2_ci_low": 100 * low / (typical + low), "I2_ci_high": 100 * high / (typical + high),
            "H2_ci_low": low / typical + 1, "H2_ci_high": high / typical + 1}


def leave_one_out(yi, vi, tau2=None, *, ci="z", level=95.0) -> dict:
    """Each study left out in turn (metafor's ``leave1out``): a dict of arrays of length k, row i without study i.

    From three studies on, :func:`sysrev.meta.leave_one_out.without_each` computes all k analyses at once
    (k = 10,000 in seconds); two studies leave one each, pooled directly.
    """
    from sysrev.meta.leave_one_out import without_each

    y, v, single = _as_2d(yi, vi)
    if not single:
        raise SysrevError("leave_one_out takes one analysis: 1-D yi and vi")
    k = y.shape[1]
    if k < 3 and (tau2 is not None or ci == "hksj"):
        raise SysrevError("leave-one-out needs at least 3 studies for a random-effects model")
    if k < 2:
        raise SysrevError("leave-one-out needs at least 2 studies")
    if tau2 is not None and not isinstance(tau2, str):
        raise SysrevError("leave-one-out re-estimates τ²: give an estimator name, not values")
    if tau2 is not None and tau2 not in TAU2_METHODS:
        raise SysrevError(f"unknown tau2 estimator '{tau2}' (choose one of {', '.join(TAU2_METHODS)})")
    if k == 2:
        out = pool_inverse_variance(y[0][::-1, None], v[0][::-1, None], ci=ci, level=level)
        out.pop("weights")
        return out
    return without_each(y[0], v[0], tau2, ci=ci, level=level)
