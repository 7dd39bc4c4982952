"""Leave-one-out inverse-variance meta-analysis: the k analyses of k − 1 studies, computed together.

Row i of every result is the analysis without study i (metafor's ``leave1out``), with the numbers that
:func:`sysrev.meta.batch.pool_inverse_variance` gives for those k − 1 studies (the tests hold them equal to
1e-10 relative).

* What needs no τ² of its own per omission is O(k) from sums over the other studies: the fixed-effect
  estimate and Q, the sums of weights, the typical within-study variance and the closed-form τ² estimators
  (DL, HE, HS). Each sum over "all but i" is the sum of the terms before i plus the sum of those after it —
  never a total minus study i's term, which loses the other studies to rounding when study i dominates.
* What depends on an omission's own τ² — its pooled estimate and SE, SJ's second step, the iterative
  estimators (REML, ML, PM, EB) and the Q-profile interval of τ² — is evaluated on blocks of rows of the
  k × k weights 1/(vⱼ + τ²ᵢ), the weight of study i in row i set to 0, by the same estimating equations and
  the same iterations as one analysis (:mod:`sysrev.meta.heterogeneity`): every fit of a block advances in
  one numpy operation, and a row that has converged is not evaluated again. PM, EB and the Q-profile bounds
  (each the unique root of a decreasing function) start from the value of all k studies; REML and ML start,
  like one analysis, from each omission's HE value, because the root that Fisher scoring reaches from there
  is what defines the estimate when the likelihood has more than one maximum.

Memory is bounded by the block (:data:`BLOCK_CELLS` cells an array); time is about k² per evaluation, a few
seconds for all k = 10,000 fits (benchmarks/leave_one_out.py).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from sysrev.meta.batch import summarise, tau2_interval_fields
from sysrev.meta.heterogeneity import (
    decreasing_root,
    estimate_tau2,
    likelihood_terms,
    log_likelihood_terms,
    maximise_likelihood,
    q_profile_interval,
    q_terms,
    weighted_mean,
)

# Cells of one block of the k × k arrays (256 KB an array): its temporaries stay in the processor cache,
# three times as fast per cell as blocks of 2 MB on this machine.
BLOCK_CELLS = 1 << 15


def without_each(yi, vi, tau2=None, *, ci="z", level=95.0, tau2_interval=False) -> dict:
    """The inverse-variance analysis of the studies other than i, for each of k ≥ 3 studies.

    ``tau2`` is None (fixed effect) or an estimator name; returns the dict of arrays of
    :func:`~sysrev.meta.batch.pool_inverse_variance` (without weights), row i without study i, and with
    ``tau2_interval=True`` the Q-profile interval of τ² and the matching I² and H² intervals.
    """
    y, v = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float)
    k = len(y)
    fits = Omissions(y, v)
    sw0, mean0, q = spread_without_each(y, v)
    trace = sw0 - others_sum(1 / v**2) / sw0  # tr P of the fixed-effect model: Σw − Σw²/Σw
    typical = (k - 2) / trace
    if tau2 is None:
        return summarise(mean0, sw0, q, q, None, typical, k - 1, ci=ci, level=level)
    t2 = _tau2_without_each(fits, y, v, tau2, sw0, q, trace)
    sw, mu, rss = fits.evaluate(_pooled_terms, fits.all, t2)
    out = summarise(mu, sw, rss, q, t2, typical, k - 1, ci=ci, level=level)
    if tau2_interval:
        out.update(tau2_interval_fields(*_q_profile_without_each(fits, y, v, q, level), typical))
    return out


def _tau2_without_each(fits, y, v, method, sw0, q, trace):
    """τ² of each omission by ``method``, with the formulas of :mod:`sysrev.meta.heterogeneity` for k − 1 studies."""
    n = len(y) - 1  # studies in each analysis
    if method == "DL":
        return np.maximum(0.0, (q - (n - 1)) / trace)
    if method == "HS":
        return np.maximum(0.0, (q - n) / sw0)
    _, _, spread = spread_without_each(y, np.ones_like(v))  # Σ(y − ȳ)² of the others, unweighted
    hedges = np.maximum(0.0, spread / (n - 1) - others_sum(v) / n)
    if method == "HE":
        return hedges
    if method == "SJ":
        start = spread / n
        return start * fits.evaluate(_q_only, fits.all, start) / (n - 1)
    if method in ("PM", "EB"):
        return _q_root(fits, q, n - 1, estimate_tau2(y, v, method))
    restricted = method == "REML"

    def equation(rows, tau2):
        return fits.evaluate(lambda yi, wi: likelihood_terms(yi, wi, restricted), rows, tau2)

    return maximise_likelihood(equation, lambda tau2: fits.log_likelihood(tau2, restricted), hedges,
                               scale=v.min())


def _q_profile_without_each(fits, y, v, q, level):
    """The Q-profile interval of τ² of each omission, its bounds started from those of all k studies."""
    n, alpha = len(y) - 1, 1 - level / 100
    low_all, high_all = q_profile_interval(y, v, level)
    low = _q_root(fits, q, stats.chi2.isf(alpha / 2, n - 1), low_all)
    high = _q_root(fits, q, stats.chi2.ppf(alpha / 2, n - 1), high_all)
    return low, high


def _q_root(fits, q, target, start):
    """The τ² where the Q(τ²) of each omission equals ``target`` (0 where its Q = Q(0) is below it), as
    :func:`~sysrev.meta.heterogeneity.solve_q_equation` finds it, the Newton iteration started at ``start``."""

    def equation(rows, tau2):
        value, slope = fits.evaluate(q_terms, rows, tau2)
        return value - target, slope

    return decreasing_root(equation, q - target, start=np.full(len(q), float(start)), scale=fits.v.min())


class Omissions:
    """The k analyses of k − 1 studies, evaluated block by block: row i weighs study i 0."""

    def __init__(self, y, v):
        self.y, self.v = y, v
        self.all = np.arange(len(y))
        self.block = max(1, BLOCK_CELLS // len(y))

    def _weights(self, rows, tau2):
        weights = 1 / (self.v + tau2[:, None])
        weights[np.arange(len(rows)), rows] = 0.0
        return weights

    def evaluate(self, terms, rows, tau2):
        """``terms(y, w)`` (arrays along the last axis, as in :mod:`~sysrev.meta.heterogeneity`) for the
        analyses without each of ``rows``, each at its own τ² (``tau2``, aligned with ``rows``)."""
        parts = []
        for start in range(0, len(rows), self.block):
            part = slice(start, start + self.block)
            parts.append(terms(self.y[None, :], self._weights(rows[part], tau2[part])))
        if isinstance(parts[0], tuple):
            return tuple(np.concatenate(column) for column in zip(*parts, strict=True))
        return np.concatenate(parts)

    def log_likelihood(self, tau2, restricted):
        """The (restricted) log-likelihood of every omission at its τ² (``tau2``, one per row)."""
        parts = []
        for start in range(0, len(self.all), self.block):
            rows = self.all[start:start + self.block]
            log_variance = np.log(self.v + tau2[rows, None])
            log_variance[np.arange(len(rows)), rows] = 0.0
            parts.append(log_likelihood_terms(self.y[None, :], self._weights(rows, tau2[rows]),
                                              log_variance.sum(axis=-1), restricted))
        return np.concatenate(parts)


def _pooled_terms(yi, wi):
    """Σw, the weighted mean and Σw(y − mean)²."""
    mu, sw = weighted_mean(yi, wi)
    return sw, mu, (wi * (yi - mu[:, None]) ** 2).sum(axis=-1)


def _q_only(yi, wi):
    return q_terms(yi, wi)[0]


def others_sum(values):
    """Σ_{j≠i} values_j for each i: the terms before i plus the terms after i."""
    before = np.concatenate(([0.0], np.cumsum(values[:-1])))
    after = np.concatenate((np.cumsum(values[:0:-1])[::-1], [0.0]))
    return before + after


def spread_without_each(y, v):
    """Σw, the weighted mean and Σw(y − mean)² (w = 1/v) of the studies other than i, for each i, in O(k).

    Centred on the mean c of all studies, the spread is Σw(y − c)² − Σw·(mean − c)². Where the second term
    exceeds half the first (study i held the mean far from the others: a few rows at most, mostly when k is
    small) that difference would lose digits, and those rows are summed directly.
    """
    w = 1 / v
    centre = (w * y).sum() / w.sum()
    offset = y - centre
    sw, first, second = others_sum(w), others_sum(w * offset), others_sum(w * offset**2)
    shift = first / sw
    mean, spread = centre + shift, second - shift * first
    redo = np.flatnonzero(~(spread >= 0.5 * second))
    if redo.size:
        sw[redo], mean[redo], spread[redo] = Omissions(y, v).evaluate(_pooled_terms, redo, np.zeros(redo.size))
    return sw, mean, spread
