"""Small-study effects and publication bias: Egger's regression, Begg's rank correlation, trim-and-fill.

All three follow metafor (``regtest``, ``ranktest``, ``trimfill``) so their numbers can be checked against it:

* Egger's test (Egger et al. 1997) as a meta-regression of yi on its standard error with the analysis's own
  model (``model="rma"``, metafor's default: fixed effect or random effects with the same τ² estimator,
  z-test on the slope), or as the classical weighted least-squares regression (``model="lm"``, t with k − 2
  df). The intercept is the "limit estimate" for a study of infinite precision.
* Begg & Mazumdar (1994): Kendall's τ between standardised deviates ``(yi − θ̂)/√(vi − v̂θ)`` and vi, with
  an exact p-value when there are no ties (as R's ``cor.test(exact=TRUE)``), else the normal approximation.
* Rosenthal's (1979) fail-safe N: how many null studies would bring Stouffer's combined z below the one-sided
  1 − α quantile (metafor's ``fsn``; a number near a whole one is rounded, otherwise rounded up).
* Duval & Tweedie (2000) trim-and-fill with the L0 (default) or R0 estimator; the side with missing
  studies is chosen from the sign of Egger's slope (metafor's rule) unless given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from sysrev.errors import SysrevError
from sysrev.meta.batch import pool_inverse_variance
from sysrev.meta.regression import meta_regression
from sysrev.meta.settings import CI_METHODS


@dataclass(frozen=True)
class EggerTest:
    statistic: float  # z (model "rma") or t (model "lm")
    p: float
    df: int | None
    limit_estimate: float
    limit_se: float


@dataclass(frozen=True)
class RankTest:
    tau: float
    p: float


@dataclass(frozen=True)
class FailSafeN:
    n: int
    p: float


@dataclass(frozen=True)
class TrimAndFill:
    k0: int
    side: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p: float
    tau2: float | None
    filled_yi: np.ndarray
    filled_vi: np.ndarray


def _check(yi, vi, minimum, what):
    yi, vi = np.asarray(yi, float), np.asarray(vi, float)
    keep = np.isfinite(yi) & np.isfinite(vi)
    yi, vi = yi[keep], vi[keep]
    if len(yi) < minimum:
        raise SysrevError(f"{what} needs at least {minimum} studies with an estimate (got {len(yi)})")
    return yi, vi


def _check_ci(ci):
    """A misspelt interval method ("HKSJ", "t") must not quietly give z-based results."""
    if ci not in CI_METHODS:
        raise SysrevError(f"unknown confidence-interval method '{ci}' (choose one of {', '.join(CI_METHODS)})")


def _egger_design(vi, what):
    """The design matrix [1, SE] of Egger's regression; refused when every study has the same SE (metafor: "Model
    matrix no longer of full rank"), where the slope does not exist and the fit is rounding noise or a crash."""
    se = np.sqrt(vi)
    if np.ptp(se) <= _SAME_SE * se.max():
        raise SysrevError(f"{what} needs studies whose standard errors differ: all {len(se)} have SE {se.max():.4g}")
    return np.column_stack([np.ones(len(se)), se])


# SEs whose spread is below this fraction of the largest count as all equal (the slope is then rounding noise)
_SAME_SE = 1e-7


def egger_test(yi, vi, tau2=None, *, model="rma", ci="z") -> EggerTest:
    """Egger's regression test for funnel-plot asymmetry (slope of yi on √vi)."""
    yi, vi = _check(yi, vi, 3, "Egger's test")
    _check_ci(ci)
    X = _egger_design(vi, "Egger's test")
    if model == "lm":
        fit = meta_regression(yi, vi, X, None, test="lm")
    elif model == "rma":
        fit = meta_regression(yi, vi, X, tau2, test=ci)
    else:
        raise SysrevError(f"unknown Egger model '{model}' (rma or lm)")
    return EggerTest(float(fit.statistic[1]), float(fit.p[1]), fit.df, float(fit.beta[0]), float(fit.se[0]))


def rank_correlation_test(yi, vi) -> RankTest:
    """Begg and Mazumdar's rank correlation test."""
    yi, vi = _check(yi, vi, 3, "the rank correlation test")
    w = 1 / vi
    theta = (w * yi).sum() / w.sum()
    deviates = (yi - theta) / np.sqrt(vi - 1 / w.sum())
    ties = len(np.unique(deviates)) < len(deviates) or len(np.unique(vi)) < len(vi)
    result = stats.kendalltau(deviates, vi, method="asymptotic" if ties else "exact")
    return RankTest(float(result.statistic), float(result.pvalue))


def fail_safe_n(yi, vi, alpha=0.05) -> FailSafeN:
    """Rosenthal's fail-safe N with Stouffer's method, and the one-sided p of the combined z."""
    yi, vi = _check(yi, vi, 1, "the fail-safe N")
    k = len(yi)
    z_mean = abs((yi / np.sqrt(vi)).sum() / np.sqrt(k))
    n = max(0.0, k * (z_mean / stats.norm.isf(alpha)) ** 2 - k)
    whole = round(n) if abs(n - round(n)) < np.sqrt(np.finfo(float).eps) else int(np.ceil(n))
    return FailSafeN(int(whole), float(stats.norm.sf(z_mean)))


def _missing_count(centred, estimator):
    """Duval & Tweedie's L0 or R0 estimate of the number of missing studies (rounded, ≥ 0)."""
    k = len(centred)
    ranks = np.empty(k)
    ranks[np.argsort(np.abs(centred), kind="stable")] = np.arange(1, k + 1)
    signed = np.sign(centred) * ranks
    if estimator == "L0":
        k0 = (4 * signed[signed > 0].sum() - k * (k + 1)) / (2 * k - 1)
    else:  # γ* − 1, γ* the run of positive ranks above the largest negative one (none: every positive one)
        k0 = (signed > np.max(-signed[signed < 0], initial=0)).sum() - 1
    return max(0, int(np.round(k0)))


# An estimate this close to the centre (relative to the largest |yi|) lies on it: identical estimates must not
# get signs from the rounding error of the pooled mean (which made k0 flip-flop until "did not converge").
_ROUNDING = 1e-12


def trim_and_fill(yi, vi, tau2=None, *, side=None, estimator="L0", ci="z") -> TrimAndFill:
    """Trim-and-fill: estimate the missing studies on one side, impute their mirror images, re-pool.

    ``tau2`` is the τ² estimator of the analysis (None: fixed effect), used in every step as metafor does.
    Estimates equal to the centre up to rounding error count as on it (sign 0), so identical estimates have
    no missing studies (metafor stops there with "did not converge" or an error).
    """
    yi, vi = _check(yi, vi, 3, "trim-and-fill")
    if estimator not in ("L0", "R0"):
        raise SysrevError(f"unknown trim-and-fill estimator '{estimator}' (L0 or R0)")
    _check_ci(ci)
    if side is None:
        X = _egger_design(vi, "trim-and-fill (its side comes from Egger's slope; give side= otherwise)")
        side = "right" if meta_regression(yi, vi, X, tau2).beta[1] < 0 else "left"
    flip = -1.0 if side == "right" else 1.0
    order = np.argsort(flip * yi, kind="stable")
    y, v = flip * yi[order], vi[order]
    k = len(y)
    k0 = 0
    for _ in range(100):  # metafor's maxiter: at most 100 estimates of k0, each checked for convergence
        centre = float(pool_inverse_variance(y[: k - k0], v[: k - k0], tau2)["estimate"])
        centred = y - centre
        centred[np.abs(centred) <= _ROUNDING * np.abs(y).max()] = 0.0  # on the centre up to rounding error
        k0, previous = _missing_count(centred, estimator), k0  # at most k − 1, so one study is kept
        if k0 == previous:
            break
    else:
        raise SysrevError("trim-and-fill did not converge in 100 iterations")
    filled_yi, filled_vi = flip * (2 * centre - y[k - k0:]), v[k - k0:]
    pooled = pool_inverse_variance(np.concatenate([yi, filled_yi]), np.concatenate([vi, filled_vi]), tau2, ci=ci)
    return TrimAndFill(k0, side, float(pooled["estimate"]), float(pooled["se"]), float(pooled["ci_low"]),
                       float(pooled["ci_high"]), float(pooled["z"]), float(pooled["p"]),
                       None if tau2 is None else float(pooled["tau2"]), filled_yi, filled_vi)
