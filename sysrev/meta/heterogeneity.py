"""Between-study variance τ² and heterogeneity statistics for the random-effects model, vectorised.

Every function takes ``yi`` and ``vi`` of shape ``(..., k)`` — one analysis of k studies, or a stack of
analyses (the batch API and leave-one-out) — and works along the last axis, so thousands of analyses cost
a handful of numpy operations. The formulas are those of metafor's ``rma.uni`` for the intercept-only
model (Viechtbauer 2005, 2010); see docs/meta.md.

With ``w = 1/vi`` and ``P = W − w wᵀ/Σw``:

* DL  (DerSimonian & Laird 1986): ``max(0, (Q − (k−1)) / (Σw − Σw²/Σw))``
* HE  (Hedges, method of moments, unweighted): ``max(0, Σ(y−ȳ)²/(k−1) − mean(vi))``
* HS  (Hunter–Schmidt): ``max(0, (Q − k) / Σw)``
* SJ  (Sidik–Jonkman): ``τ₀² Q(τ₀²)/(k−1)`` with ``τ₀² = Σ(y−ȳ)²/k``
* PM  (Paule–Mandel) and EB (empirical Bayes, Morris): the root of ``Q(τ²) = k − 1`` (0 when
  ``Q(0) < k − 1``); for a model without moderators the two estimating equations are identical.
* ML, REML: Fisher scoring from the HE value, with step halving to stay ≥ 0, as metafor does, but iterated
  to a far tighter tolerance than metafor's default (|Δτ²| < 1e-5), so results are the exact maximisers.

``Q(τ²) = Σ (y − μ̂(τ²))² / (vi + τ²)`` is the generalised Q statistic; Q = Q(0).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

TAU2_METHODS = ("DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB")

_SCORING_TOL = 1e-13
_MAX_ITER = 1000
# metafor's check that the (RE)ML optimum beats τ² = 0 uses these two constants (rma.uni `tol`, `threshold`).
_LL0_TOL = np.finfo(float).eps ** 0.25
_LL0_THRESHOLD = 1e-5


def weighted_mean(yi, wi):
    """Weighted mean along the last axis and the sum of weights."""
    sw = wi.sum(axis=-1)
    return (wi * yi).sum(axis=-1) / sw, sw


def generalised_q(yi, vi, tau2=0.0):
    """Q(τ²) along the last axis; ``tau2`` broadcasts against the leading axes."""
    wi = 1 / (vi + np.asarray(tau2, dtype=float)[..., None])
    mu, _ = weighted_mean(yi, wi)
    return (wi * (yi - mu[..., None]) ** 2).sum(axis=-1)


def _q_and_slope(yi, vi, tau2):
    """Q(τ²) and its derivative −Σw²(y − μ̂)² (μ̂ minimises Q, so its own derivative drops out)."""
    wi = 1 / (vi + tau2[..., None])
    mu, _ = weighted_mean(yi, wi)
    resid2 = (yi - mu[..., None]) ** 2
    return (wi * resid2).sum(axis=-1), -(wi**2 * resid2).sum(axis=-1)


def solve_q_equation(yi, vi, target):
    """The τ² ≥ 0 where Q(τ²) = ``target`` (vectorised), for analyses with Q(0) > target.

    Q(τ²) decreases monotonically, so a bracketed Newton iteration (bisection whenever a Newton step leaves
    the bracket) converges for every analysis. Entries with Q(0) ≤ target get 0.
    """
    target = np.broadcast_to(np.asarray(target, dtype=float), yi.shape[:-1]).copy()
    lo = np.zeros(yi.shape[:-1])
    q0, _ = _q_and_slope(yi, vi, lo)
    active = q0 > target
    hi = np.where(active, np.maximum(1.0, np.ptp(yi, axis=-1) ** 2), 0.0)
    for _ in range(200):  # widen until Q(hi) < target
        q_hi, _ = _q_and_slope(yi, vi, hi)
        grow = active & (q_hi > target)
        if not grow.any():
            break
        lo = np.where(grow, hi, lo)
        hi = np.where(grow, hi * 4, hi)
    x = np.where(active, lo, 0.0)
    for _ in range(_MAX_ITER):
        q, slope = _q_and_slope(yi, vi, x)
        f = q - target
        lo = np.where(active & (f > 0), x, lo)
        hi = np.where(active & (f < 0), x, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - f / slope
        inside = (newton > lo) & (newton < hi) & np.isfinite(newton)
        nxt = np.where(inside, newton, (lo + hi) / 2)
        nxt = np.where(active, nxt, x)
        done = np.abs(nxt - x) <= _SCORING_TOL * (1 + np.abs(x))
        x = nxt
        if done.all():
            break
    return np.where(active, x, 0.0)


def _centred_ss(yi):
    return ((yi - yi.mean(axis=-1, keepdims=True)) ** 2).sum(axis=-1)


def _hedges(yi, vi):
    k = yi.shape[-1]
    return np.maximum(0.0, _centred_ss(yi) / (k - 1) - vi.mean(axis=-1))


def _dersimonian_laird(yi, vi):
    k = yi.shape[-1]
    wi = 1 / vi
    sw = wi.sum(axis=-1)
    return np.maximum(0.0, (generalised_q(yi, vi) - (k - 1)) / (sw - (wi**2).sum(axis=-1) / sw))


def _hunter_schmidt(yi, vi):
    k = yi.shape[-1]
    return np.maximum(0.0, (generalised_q(yi, vi) - k) / (1 / vi).sum(axis=-1))


def _sidik_jonkman(yi, vi):
    k = yi.shape[-1]
    tau2_0 = _centred_ss(yi) / k
    return tau2_0 * generalised_q(yi, vi, tau2_0) / (k - 1)


def _paule_mandel(yi, vi):
    return solve_q_equation(yi, vi, yi.shape[-1] - 1)


def _log_likelihood(yi, vi, tau2, restricted):
    wi = 1 / (vi + tau2[..., None])
    mu, sw = weighted_mean(yi, wi)
    rss = (wi * (yi - mu[..., None]) ** 2).sum(axis=-1)
    ll = -0.5 * np.log(vi + tau2[..., None]).sum(axis=-1) - 0.5 * rss
    return ll - 0.5 * np.log(sw) if restricted else ll


def _fisher_scoring(yi, vi, restricted):
    """(RE)ML τ² by Fisher scoring from the HE value, step-halving to keep τ² ≥ 0 (metafor's scheme)."""
    tau2 = _hedges(yi, vi)
    for _ in range(_MAX_ITER):
        wi = 1 / (vi + tau2[..., None])
        mu, sw = weighted_mean(yi, wi)
        sw2 = (wi**2).sum(axis=-1)
        score = (wi**2 * (yi - mu[..., None]) ** 2).sum(axis=-1)
        if restricted:
            tr_p = sw - sw2 / sw
            tr_pp = sw2 - 2 * (wi**3).sum(axis=-1) / sw + sw2**2 / sw**2
            adj = (score - tr_p) / tr_pp
        else:
            adj = (score - sw) / sw2
        negative = tau2 + adj < 0
        if negative.any():
            # halve the step until τ² + step ≥ 0 (at τ² = 0 the step vanishes, as in metafor)
            ratio = np.divide(-adj, tau2, out=np.ones_like(tau2), where=negative & (tau2 > 0))
            halved = adj / 2.0 ** np.ceil(np.log2(np.maximum(ratio, 1.0)))
            adj = np.where(negative, np.where(tau2 > 0, halved, 0.0), adj)
            adj = np.where(negative & (tau2 + adj < 0), 0.0, adj)
        tau2 = tau2 + adj
        if np.all(np.abs(adj) <= _SCORING_TOL * (1 + tau2)):
            break
    tau2 = np.maximum(tau2, 0.0)
    ll_zero = _log_likelihood(yi, vi, np.zeros_like(tau2), restricted)
    ll_hat = _log_likelihood(yi, vi, tau2, restricted)
    return np.where((ll_zero - ll_hat > _LL0_TOL) & (tau2 > _LL0_THRESHOLD), 0.0, tau2)


_ESTIMATORS = {
    "DL": _dersimonian_laird,
    "HE": _hedges,
    "HS": _hunter_schmidt,
    "SJ": _sidik_jonkman,
    "PM": _paule_mandel,
    "EB": _paule_mandel,
    "ML": lambda yi, vi: _fisher_scoring(yi, vi, restricted=False),
    "REML": lambda yi, vi: _fisher_scoring(yi, vi, restricted=True),
}


def estimate_tau2(yi, vi, method="DL"):
    """τ² by ``method`` (one of :data:`TAU2_METHODS`) along the last axis; k = 1 gives 0 (as metafor)."""
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    if yi.shape[-1] < 2:
        return np.zeros(yi.shape[:-1])
    return _ESTIMATORS[method](yi, vi)


def typical_variance(vi):
    """metafor's "typical" within-study variance ``(k−1)/tr(P)`` used in its I² = τ²/(τ² + s²)."""
    k = vi.shape[-1]
    wi = 1 / vi
    sw = wi.sum(axis=-1)
    return (k - 1) / (sw - (wi**2).sum(axis=-1) / sw)


def q_profile_interval(yi, vi, level=95.0):
    """Q-profile confidence interval for τ² (Viechtbauer 2007), as metafor's ``confint(type="QP")``.

    The bounds solve Q(τ²) = χ²_{k−1} quantiles; a bound whose equation has no positive root is 0.
    """
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    df = yi.shape[-1] - 1
    alpha = 1 - level / 100
    upper = solve_q_equation(yi, vi, stats.chi2.ppf(alpha / 2, df))
    lower = solve_q_equation(yi, vi, stats.chi2.isf(alpha / 2, df))
    return lower, upper
