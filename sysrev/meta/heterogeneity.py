"""Between-study variance τ² and heterogeneity statistics for the random-effects model, vectorised.

The public functions take ``yi`` and ``vi`` of shape ``(..., k)`` — one analysis of k studies, or a stack of
analyses (the batch API and leave-one-out) — and work along the last axis, so thousands of analyses cost
a handful of numpy operations. The formulas are those of metafor's ``rma.uni`` for the intercept-only
model (Viechtbauer 2005, 2010); see docs/meta.md.

With ``w = 1/vi`` and ``P = W − w wᵀ/Σw``:

* DL  (DerSimonian & Laird 1986): ``max(0, (Q − (k−1)) / (Σw − Σw²/Σw))``
* HE  (Hedges, method of moments, unweighted): ``max(0, Σ(y−ȳ)²/(k−1) − mean(vi))``
* HS  (Hunter–Schmidt): ``max(0, (Q − k) / Σw)``
* SJ  (Sidik–Jonkman): ``τ₀² Q(τ₀²)/(k−1)`` with ``τ₀² = Σ(y−ȳ)²/k``
* PM  (Paule–Mandel) and EB (empirical Bayes, Morris): the root of ``Q(τ²) = k − 1`` (0 when
  ``Q(0) < k − 1``); for a model without moderators the two estimating equations are identical.
* ML, REML: Fisher scoring from the HE value, with step halving to stay ≥ 0, as metafor does, then a
  bracketed Newton solution of the likelihood equation, so results are the exact maximisers rather than
  metafor's default stopping point (|Δτ²| < 1e-5).

``Q(τ²) = Σ (y − μ̂(τ²))² / (vi + τ²)`` is the generalised Q statistic; Q = Q(0).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from sysrev.errors import SysrevError

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


def q_terms(yi, wi):
    """Q(τ²) and its derivative −Σw²(y − μ̂)² for the weights ``wi`` = 1/(vi + τ²) (μ̂ minimises Q, so its own
    derivative drops out). A study given weight 0 is left out (leave-one-out passes such weights)."""
    mu, _ = weighted_mean(yi, wi)
    resid2 = (yi - mu[..., None]) ** 2
    return (wi * resid2).sum(axis=-1), -(wi**2 * resid2).sum(axis=-1)


def _q_and_slope(yi, vi, tau2):
    """Q(τ²) and its derivative at ``tau2`` (one value per analysis)."""
    return q_terms(yi, 1 / (vi + tau2[..., None]))


def _root_in_bracket(equation, lo, hi, x, active, scale=1.0):
    """Vectorised safeguarded Newton for a decreasing f with f(lo) > 0 ≥ f(hi) on the ``active`` rows
    (hi may be infinite: an upper end not found yet, or the root itself), to a step below 1e-13 of
    ``scale`` + |x| (``scale``: the size of each row's variances, so a τ² of 1e-12 is found to as many digits
    as one of 1).

    ``equation(rows, x)`` returns f and f' of the analyses ``rows`` at ``x``. A Newton step that leaves the
    bracket is replaced by bisection, so every active row converges; only unconverged rows are evaluated
    again, and inactive rows keep ``x``.
    """
    lo, hi, x = lo.copy(), hi.copy(), x.copy()
    scale = np.broadcast_to(scale, x.shape)
    rows = np.flatnonzero(active)
    for _ in range(_MAX_ITER):
        if rows.size == 0:
            break
        f, slope = equation(rows, x[rows])
        lo[rows] = np.where(f > 0, x[rows], lo[rows])
        hi[rows] = np.where(f < 0, x[rows], hi[rows])
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x[rows] - f / slope
        # closed bracket: a step below the resolution of x lands on x itself, which is a bracket end by now
        inside = (newton >= lo[rows]) & (newton <= hi[rows]) & np.isfinite(newton)
        # bisect; while no upper end is known yet (a search started from a guess), double instead
        fallback = np.where(np.isinf(hi[rows]), 2 * x[rows] + 1, (lo[rows] + hi[rows]) / 2)
        nxt = np.where(f != 0, np.where(inside, newton, fallback), x[rows])
        done = np.abs(nxt - x[rows]) <= _SCORING_TOL * (scale[rows] + np.abs(x[rows]))
        x[rows] = nxt
        rows = rows[~done]
    return x


def _upper_bracket(equation, lo, hi, active):
    """Widen ``hi`` (×4) until f(hi) ≤ 0 on every active row (f(hi) = 0: hi is the root); ``lo`` follows."""
    lo, hi = lo.copy(), hi.copy()
    rows = np.flatnonzero(active)
    for _ in range(200):
        if rows.size == 0:
            break
        grow = equation(rows, hi[rows])[0] > 0
        rows = rows[grow]
        lo[rows] = hi[rows]
        hi[rows] *= 4
    return lo, hi


def solve_q_equation(yi, vi, target):
    """The τ² ≥ 0 where Q(τ²) = ``target`` for each row of 2-D ``yi``/``vi`` whose Q(0) exceeds it, else 0.

    Q(τ²) decreases monotonically, so a bracketed Newton iteration converges for every analysis.
    """
    target = np.broadcast_to(np.asarray(target, dtype=float), yi.shape[:-1])

    def equation(rows, tau2):
        q, slope = _q_and_slope(yi[rows], vi[rows], tau2)
        return q - target[rows], slope

    at_zero = equation(np.arange(yi.shape[0]), np.zeros(yi.shape[0]))[0]
    return decreasing_root(equation, at_zero, first_hi=np.maximum(1.0, np.ptp(yi, axis=-1) ** 2),
                           scale=vi.min(axis=-1))


def decreasing_root(equation, at_zero, *, first_hi=None, start=None, scale=1.0):
    """The root τ² ≥ 0 of each row's decreasing ``equation`` (``equation(rows, tau2)`` → f, f'), 0 where
    ``at_zero`` (f(0)) ≤ 0, to a precision relative to ``scale`` (the size of each row's variances).

    Given ``first_hi``, the bracket [0, first_hi] is widened until f(hi) < 0 and the bracketed Newton
    iteration starts at its lower end. Given ``start`` instead (a guess, such as the root of a similar
    equation), the iteration starts there and finds the upper end on the way. The root is unique either way.
    """
    lo = np.zeros(len(at_zero))
    active = at_zero > 0
    if start is None:
        lo, hi = _upper_bracket(equation, lo, np.where(active, first_hi, 0.0), active)
        start = lo
    else:
        hi = np.full(len(at_zero), np.inf)
    return np.where(active, _root_in_bracket(equation, lo, hi, np.maximum(start, 0.0), active, scale), 0.0)


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


def _dot(a, b):
    """Σ a·b along the last axis, without the temporary array of the products."""
    return np.einsum("...j,...j->...", a, b)


def log_likelihood_terms(yi, wi, log_variance_sum, restricted):
    """The (restricted) log-likelihood, up to a constant, for the weights ``wi`` = 1/(vi + τ²) and Σ log(vi + τ²)
    (a study given weight 0 is left out; its log-variance must be left out of the sum too)."""
    mu, sw = weighted_mean(yi, wi)
    rss = (wi * (yi - mu[..., None]) ** 2).sum(axis=-1)
    ll = -0.5 * log_variance_sum - 0.5 * rss
    return ll - 0.5 * np.log(sw) if restricted else ll


def _log_likelihood(yi, vi, tau2, restricted):
    return log_likelihood_terms(yi, 1 / (vi + tau2[..., None]), np.log(vi + tau2[..., None]).sum(axis=-1),
                                restricted)


def likelihood_terms(yi, wi, restricted):
    """The (RE)ML estimating equation g(τ²) = yᵀPPy − tr P (REML) or − Σw (ML) for the weights ``wi`` = 1/(vi + τ²).

    Returns g, g' = −2 yᵀPPPy + tr(PP) (REML) or + Σw² (ML), and the expected information tr(PP) or Σw²
    (the Fisher-scoring denominator); with Py = w(y − μ̂) every term is a sum over studies, so a study given
    weight 0 is left out (leave-one-out passes such weights).
    """
    mu, sw = weighted_mean(yi, wi)
    py = wi * (yi - mu[:, None])
    wpy = wi * py
    sw2 = _dot(wi, wi)
    yppy = _dot(py, py)
    ypppy = _dot(wpy, py) - wpy.sum(axis=-1) ** 2 / sw
    if restricted:
        tr_p = sw - sw2 / sw
        tr_pp = sw2 - 2 * _dot(wi * wi, wi) / sw + sw2**2 / sw**2
        return yppy - tr_p, -2 * ypppy + tr_pp, tr_pp
    return yppy - sw, -2 * ypppy + sw2, sw2


def _bracket_near(equation, x, step, scale=1.0):
    """Brackets [lo, hi] with f(lo) > 0 > f(hi) next to ``x``, found by walking away from x in doubling steps.

    Rows with f(x) < 0 walk down (towards 0), rows with f(x) > 0 walk up, so the root nearest to x is
    bracketed. The first step is 4·|step| (the last step of the iteration that produced x), but at most a
    thousandth of x: the iteration stops at an absolute step below 1e-5, which on a small scale (τ² ≈ 1e-8) is
    far longer than τ² itself, and so long a first step jumps over the maximum and the sign change below it to
    τ² = 0; at least 1e-10 of ``scale`` + x (``scale``: the size of the variances). ``found`` is False where f
    stays ≤ 0 all the way down to 0 (the maximum is on the boundary τ² = 0).
    """
    everything = np.arange(len(x))
    f = equation(everything, x)[0]
    lo, hi = x.copy(), x.copy()
    found = f == 0
    delta = np.maximum(4 * np.abs(step), 1e-10 * (scale + x))
    delta = np.where(x > 0, np.minimum(delta, 1e-3 * x), delta)
    for direction in (-1, 1):
        rows = np.flatnonzero(f < 0) if direction < 0 else np.flatnonzero(f > 0)
        for _ in range(200):
            if rows.size == 0:
                break
            candidate = np.maximum(x[rows] + direction * delta[rows], 0.0)
            f_candidate = equation(rows, candidate)[0]
            crossed = f_candidate > 0 if direction < 0 else f_candidate < 0
            if direction < 0:
                lo[rows] = np.where(crossed, candidate, lo[rows])
                hi[rows] = np.where(crossed, hi[rows], candidate)
                stop = crossed | (candidate == 0)
            else:
                hi[rows] = np.where(crossed, candidate, hi[rows])
                lo[rows] = np.where(crossed, lo[rows], candidate)
                stop = crossed
            found[rows] |= crossed
            delta[rows] *= 2
            rows = rows[~stop]
    return lo, hi, found


def _likelihood_equation(yi, vi, restricted):
    """The (RE)ML estimating equation of the analyses ``rows`` of ``yi``/``vi`` (see :func:`likelihood_terms`)."""

    def equation(rows, tau2):
        return likelihood_terms(yi[rows], 1 / (vi[rows] + tau2[:, None]), restricted)

    return equation


def _maximum_likelihood(yi, vi, restricted):
    """(RE)ML τ² of each row of ``yi``/``vi`` (see :func:`maximise_likelihood`)."""
    return maximise_likelihood(_likelihood_equation(yi, vi, restricted),
                               lambda tau2: _log_likelihood(yi, vi, tau2, restricted), _hedges(yi, vi),
                               scale=vi.min(axis=-1))


def maximise_likelihood(equation, log_likelihood, start, scale=1.0):
    """(RE)ML τ²: metafor's Fisher scoring from ``start`` (the HE value; with its step halving, so that the same
    maximum is found) to |Δτ²| < 1e-5, then the root of the likelihood equation next to that point, bracketed
    and solved to full precision relative to ``scale`` (the size of each analysis' variances, so that effects
    in any units give the same digits), τ² = 0 when the likelihood decreases from 0 up to it.

    ``equation(rows, tau2)`` gives g, g' and the information of the analyses ``rows`` (:func:`likelihood_terms`)
    and ``log_likelihood(tau2)`` that of every analysis, so one analysis, a stack of them and the k
    leave-one-out fits of :mod:`sysrev.meta.leave_one_out` all run this same algorithm.
    """
    tau2 = np.array(start, dtype=float)
    last_step = np.zeros_like(tau2)
    rows = np.arange(len(tau2))
    for _ in range(_MAX_ITER):  # Fisher scoring: step g / tr(PP) (or g / Σw² for ML), rows not yet converged
        if rows.size == 0:
            break
        current = tau2[rows]
        g, _, information = equation(rows, current)
        adj = g / information
        negative = current + adj < 0
        # halve a step that would make τ² negative until it does not; at τ² = 0 it vanishes (metafor's rule)
        ratio = np.divide(-adj, current, out=np.ones_like(current), where=negative & (current > 0))
        halved = adj * 0.5 ** np.minimum(np.ceil(np.log2(np.maximum(ratio, 1.0))), 1000)
        adj = np.where(negative, np.where(current > 0, halved, 0.0), adj)
        tau2[rows] = np.maximum(current + adj, 0.0)
        last_step[rows] = adj
        rows = rows[np.abs(adj) >= 1e-5]

    def root_equation(rows, x):
        g, slope, _ = equation(rows, x)
        return g, slope

    scale = np.broadcast_to(np.asarray(scale, dtype=float), tau2.shape)
    lo, hi, found = _bracket_near(root_equation, tau2, last_step, scale)
    tau2 = np.where(found, _root_in_bracket(root_equation, lo, hi, (lo + hi) / 2, found, scale), 0.0)
    ll_zero, ll_hat = log_likelihood(np.zeros_like(tau2)), log_likelihood(tau2)
    return np.where((ll_zero - ll_hat > _LL0_TOL) & (tau2 > _LL0_THRESHOLD), 0.0, tau2)


_ESTIMATORS = {
    "DL": _dersimonian_laird,
    "HE": _hedges,
    "HS": _hunter_schmidt,
    "SJ": _sidik_jonkman,
    "PM": _paule_mandel,
    "EB": _paule_mandel,
    "ML": lambda yi, vi: _maximum_likelihood(yi, vi, restricted=False),
    "REML": lambda yi, vi: _maximum_likelihood(yi, vi, restricted=True),
}


def estimate_tau2(yi, vi, method="DL"):
    """τ² by ``method`` (one of :data:`TAU2_METHODS`) along the last axis; k = 1 gives 0 (as metafor)."""
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    shape, k = yi.shape[:-1], yi.shape[-1]
    if k < 2:
        return np.zeros(shape)
    return _ESTIMATORS[method](yi.reshape(-1, k), vi.reshape(-1, k)).reshape(shape)


def typical_variance(vi):
    """metafor's "typical" within-study variance ``(k−1)/tr(P)`` used in its I² = τ²/(τ² + s²)."""
    k = vi.shape[-1]
    wi = 1 / vi
    sw = wi.sum(axis=-1)
    return (k - 1) / (sw - (wi**2).sum(axis=-1) / sw)


def q_profile_interval(yi, vi, level=95.0):
    """Q-profile confidence interval for τ² (Viechtbauer 2007), as metafor's ``confint(type="QP")``.

    The bounds solve Q(τ²) = χ²_{k−1} quantiles; a bound whose equation has no positive root is 0. ``level`` must
    lie strictly between 0 and 100: at 100 the upper bound's equation Q(τ²) = 0 has no root at all.
    """
    yi, vi = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    shape, k = yi.shape[:-1], yi.shape[-1]
    yi, vi = yi.reshape(-1, k), vi.reshape(-1, k)
    if not 0 < level < 100:
        raise SysrevError(f"confidence level must be a percentage in (0, 100), got {level:g}")
    alpha = 1 - level / 100
    upper = solve_q_equation(yi, vi, stats.chi2.ppf(alpha / 2, k - 1))
    lower = solve_q_equation(yi, vi, stats.chi2.isf(alpha / 2, k - 1))
    return lower.reshape(shape), upper.reshape(shape)
