"""Weighted meta-regression ``yi = Xβ + u + e`` with the τ² estimators of metafor's ``rma.uni``.

Used by the small-study tests (Egger's regression on the standard error, and the side trim-and-fill
looks at). It is the general-X form of :mod:`sysrev.meta.heterogeneity`, which handles the intercept-only
model for many analyses at once; the tests check that the two agree when X is a column of ones.

With ``W = diag(1/(vi + τ²))`` and ``P = W − W X (XᵀWX)⁻¹ XᵀW`` (metafor's notation), and p columns in X:

* DL: ``(yᵀP₀y − (k−p)) / tr(P₀)`` (P₀: P at τ² = 0); HS: ``(yᵀP₀y − k)/Σw``;
* HE: ``(yᵀ(I − H)y − tr((I − H)V)) / (k − p)`` with the unweighted hat matrix H;
* SJ: ``τ₀² · yᵀP(τ₀²)y / (k − p)`` with ``τ₀²`` the variance of y (divisor k);
* PM/EB: the root of ``yᵀP(τ²)y = k − p``;
* ML/REML: Fisher scoring, steps ``(yᵀPPy − Σw)/Σw²`` and ``(yᵀPPy − tr P)/tr(PP)``, from the HE value
  to metafor's stopping point, then the root of the likelihood equation next to it.

All truncated at 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from sysrev.errors import SysrevError
from sysrev.meta.heterogeneity import _LL0_THRESHOLD, _LL0_TOL  # metafor's τ² = 0 check, shared

_MAX_ITER = 1000
_TESTS = ("z", "hksj", "lm")


@dataclass(frozen=True)
class RegressionFit:
    """Coefficients, their standard errors, test statistics (z or t) and p-values, τ² and the test's df."""

    beta: np.ndarray
    se: np.ndarray
    statistic: np.ndarray
    p: np.ndarray
    tau2: float
    df: int | None


def _projection(vi, X, tau2):
    w = 1 / (vi + tau2)
    xtwx_inv = np.linalg.inv(X.T @ (w[:, None] * X))
    wx = w[:, None] * X
    return np.diag(w) - wx @ xtwx_inv @ wx.T, w


def _rss(yi, vi, X, tau2):
    proj, _ = _projection(vi, X, tau2)
    return float(yi @ proj @ yi)


def _pm_root(yi, vi, X, target):
    if _rss(yi, vi, X, 0.0) <= target:
        return 0.0
    hi = max(1.0, float(np.ptp(yi)) ** 2)
    while _rss(yi, vi, X, hi) > target:
        hi *= 4
    return optimize.brentq(lambda t: _rss(yi, vi, X, t) - target, 0.0, hi, xtol=1e-15 * vi.min(),
                           rtol=4 * np.finfo(float).eps)


def _likelihood_equation(yi, vi, X, tau2, restricted):
    """g(τ²) = yᵀPPy − tr P (REML) or − Σw (ML), and the Fisher-scoring information tr(PP) or Σw²."""
    proj, w = _projection(vi, X, tau2)
    pp = proj @ proj
    if restricted:
        return yi @ pp @ yi - np.trace(proj), np.trace(pp)
    return yi @ pp @ yi - w.sum(), (w**2).sum()


def _log_likelihood(yi, vi, X, tau2, restricted):
    """The (RE)ML log-likelihood at ``tau2``, constants dropped (they cancel in the comparison below)."""
    ll = -0.5 * np.log(vi + tau2).sum() - 0.5 * _rss(yi, vi, X, tau2)
    if restricted:
        w = 1 / (vi + tau2)
        ll -= 0.5 * np.linalg.slogdet(X.T @ (w[:, None] * X))[1]
    return ll


def _maximum_likelihood(yi, vi, X, start, restricted):
    """(RE)ML τ²: metafor's Fisher scoring (step halving at 0) to |Δτ²| < 1e-5, then the root of the
    likelihood equation next to that point by Brent's method (τ² = 0 if g ≤ 0 all the way down to 0).

    The likelihood need not be unimodal: a root found away from 0 is kept only if it beats τ² = 0, as
    metafor's rma.uni checks (its ``tol`` and ``threshold``), so both agree on the global maximum.
    """
    tau2 = _likelihood_root(yi, vi, X, start, restricted)
    if tau2 > _LL0_THRESHOLD and (_log_likelihood(yi, vi, X, 0.0, restricted)
                                  - _log_likelihood(yi, vi, X, tau2, restricted) > _LL0_TOL):
        return 0.0
    return tau2


def _likelihood_root(yi, vi, X, start, restricted):
    """The root of the likelihood equation that Fisher scoring from ``start`` leads to (0 at the boundary)."""

    def g(t):
        return _likelihood_equation(yi, vi, X, t, restricted)[0]

    tau2, step = start, 0.0
    for _ in range(_MAX_ITER):
        value, information = _likelihood_equation(yi, vi, X, tau2, restricted)
        step = value / information
        while tau2 + step < 0:  # τ² stays ≥ 0: halve the step, or stay at 0 when already there
            step = step / 2 if tau2 > 0 else 0.0
        tau2 += step
        if abs(step) < 1e-5:
            break
    value = g(tau2)
    if value == 0:
        return tau2
    # Walk away from tau2 in doubling steps until g changes sign, from a first step small against τ² and the
    # variances (so on any scale): a first step as long as Fisher's last one can jump over a root and the
    # sign change below it to τ² = 0 (then 0 would be returned while a better maximum lies in between).
    delta = 1e-8 * (tau2 + vi.min())
    edge = tau2
    for _ in range(200):
        other = max(tau2 - delta, 0.0) if value < 0 else tau2 + delta
        if (g(other) > 0) == (value < 0):
            lo, hi = (other, edge) if value < 0 else (edge, other)
            return optimize.brentq(g, lo, hi, xtol=1e-15 * vi.min(), rtol=4 * np.finfo(float).eps)
        if other == 0.0:
            return 0.0
        edge, delta = other, 2 * delta
    raise ArithmeticError("no root of the likelihood equation found")


def estimate_tau2(yi, vi, X, method):
    """τ² of the meta-regression of ``yi`` on ``X`` by ``method`` (DL, HE, HS, SJ, PM, EB, ML, REML)."""
    k, p = X.shape
    if method == "SJ":
        tau2_0 = float(np.var(yi))
        return tau2_0 * _rss(yi, vi, X, tau2_0) / (k - p)
    if method in ("PM", "EB"):
        return _pm_root(yi, vi, X, k - p)
    proj0, w0 = _projection(vi, X, 0.0)
    if method == "DL":
        return max(0.0, (yi @ proj0 @ yi - (k - p)) / np.trace(proj0))
    if method == "HS":
        return max(0.0, (yi @ proj0 @ yi - k) / w0.sum())
    resid_maker = np.eye(k) - X @ np.linalg.inv(X.T @ X) @ X.T
    he = (yi @ resid_maker @ yi - np.trace(resid_maker * vi)) / (k - p)
    if method == "HE":
        return max(0.0, he)
    return _maximum_likelihood(yi, vi, X, max(0.0, he), restricted=method == "REML")


def meta_regression(yi, vi, X, tau2=None, test="z") -> RegressionFit:
    """Fit ``yi ~ X`` with weights ``1/(vi + τ²)``; ``tau2`` None is the fixed-effect (τ² = 0) model.

    ``test="z"`` gives normal-theory tests; ``"hksj"`` scales the covariance by the weighted residual
    variance and uses t with k − p df (Knapp & Hartung 2003); ``"lm"`` is ordinary weighted least squares
    with weights 1/vi and a residual variance estimated from the data (the classical Egger test).
    """
    if test not in _TESTS:
        raise SysrevError(f"unknown meta-regression test '{test}' (choose one of {', '.join(_TESTS)})")
    yi, vi, X = np.asarray(yi, float), np.asarray(vi, float), np.asarray(X, float)
    k, p = X.shape
    t2 = 0.0 if tau2 is None else float(estimate_tau2(yi, vi, X, tau2))
    w = 1 / (vi + t2)
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    beta = cov @ (X.T @ (w * yi))
    df = None
    if test in ("hksj", "lm"):
        df = k - p
        cov = cov * float((w * (yi - X @ beta) ** 2).sum()) / df
    se = np.sqrt(np.diag(cov))
    statistic = beta / se
    p_values = 2 * (stats.t.sf(np.abs(statistic), df) if df else stats.norm.sf(np.abs(statistic)))
    return RegressionFit(beta, se, statistic, p_values, t2, df)
