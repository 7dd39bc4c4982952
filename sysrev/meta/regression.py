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
from sysrev.meta.heterogeneity import maximise_likelihood

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


def _likelihood_terms(yi, vi, X, tau2, restricted):
    """g(τ²) = yᵀPPy − tr P (REML) or − Σw (ML), its derivative −2yᵀPPPy + tr(PP) (or + Σw²), and the
    Fisher-scoring information tr(PP) (or Σw²): the terms :func:`sysrev.meta.heterogeneity.likelihood_terms`
    gives for the intercept-only model (P is symmetric, so yᵀPPy = |Py|² and yᵀPPPy = (Py)ᵀP(Py))."""
    proj, w = _projection(vi, X, tau2)
    py = proj @ yi
    yppy, ypppy = py @ py, py @ proj @ py
    if restricted:
        tr_pp = float(np.sum(proj * proj))
        return yppy - np.trace(proj), -2 * ypppy + tr_pp, tr_pp
    sw2 = float((w**2).sum())
    return yppy - w.sum(), -2 * ypppy + sw2, sw2


def _log_likelihood(yi, vi, X, tau2, restricted):
    """The (RE)ML log-likelihood at ``tau2``, constants dropped (they cancel in the comparison with τ² = 0)."""
    ll = -0.5 * np.log(vi + tau2).sum() - 0.5 * _rss(yi, vi, X, tau2)
    if restricted:
        w = 1 / (vi + tau2)
        ll -= 0.5 * np.linalg.slogdet(X.T @ (w[:, None] * X))[1]
    return ll


def _maximum_likelihood(yi, vi, X, start, restricted):
    """(RE)ML τ² by the algorithm the intercept-only model and the leave-one-out fits use
    (:func:`sysrev.meta.heterogeneity.maximise_likelihood`: metafor's Fisher scoring from ``start``, the root
    of the likelihood equation next to where it stops, and metafor's check that it beats τ² = 0), run on this
    one regression."""

    def equation(rows, tau2):
        return tuple(np.array([value]) for value in _likelihood_terms(yi, vi, X, float(tau2[0]), restricted))

    def log_likelihood(tau2):
        return np.array([_log_likelihood(yi, vi, X, float(tau2[0]), restricted)])

    return float(maximise_likelihood(equation, log_likelihood, [start], scale=vi.min())[0])


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
