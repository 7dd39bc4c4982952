"""Per-study effect sizes and their sampling variances (vectorised over studies).

Conventions (DESIGN §4): RevMan 5 by default, metafor's formulas as options.

* MD: ``yi = m1 − m2``, ``vi = sd1²/n1 + sd2²/n2`` (RevMan and metafor's default agree).
* SMD, RevMan (Deeks & Higgins 2010, "Statistical algorithms in Review Manager 5"): Hedges' adjusted g with
  ``J = 1 − 3/(4N − 9)`` and ``vi = N/(n1·n2) + g²/(2(N − 3.94))``.
* SMD, exact (metafor ``escalc("SMD")``, vtype "LS"): ``J = Γ(m/2) / (√(m/2)·Γ((m−1)/2))`` with
  ``m = N − 2`` and ``vi = 1/n1 + 1/n2 + g²/(2N)``.
* Dichotomous (log RR, log OR, RD): from the 2×2 table a/b (group 1 events/non-events) and c/d (group 2),
  after the zero-cell rule of :func:`zero_cell_adjusted`.
* Peto: ``O − E`` and the hypergeometric variance ``V``; the study's log OR is ``(O − E)/V`` with
  variance ``1/V`` (Yusuf et al. 1985).
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

#: What is added to every cell of a 2×2 table with a zero cell (RevMan and metafor's default).
ZERO_CELL_INCREMENT = 0.5


def mean_difference(n1, m1, sd1, n2, m2, sd2):
    """Raw mean difference and its (unpooled) variance."""
    return m1 - m2, sd1**2 / n1 + sd2**2 / n2


def _cohens_d(n1, m1, sd1, n2, m2, sd2):
    pooled_sd = np.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))
    return (m1 - m2) / pooled_sd


def hedges_g_revman(n1, m1, sd1, n2, m2, sd2):
    """Hedges' adjusted g as RevMan 5 computes it: approximate J and RevMan's variance."""
    total = n1 + n2
    g = (1 - 3 / (4 * total - 9)) * _cohens_d(n1, m1, sd1, n2, m2, sd2)
    return g, total / (n1 * n2) + g**2 / (2 * (total - 3.94))


def exact_bias_correction(df):
    """The exact small-sample factor J(df) = Γ(df/2) / (√(df/2) Γ((df−1)/2)) of Hedges (1981)."""
    df = np.asarray(df, dtype=float)
    return np.exp(gammaln(df / 2) - 0.5 * np.log(df / 2) - gammaln((df - 1) / 2))


def hedges_g_exact(n1, m1, sd1, n2, m2, sd2):
    """Hedges' g with the exact correction and metafor's large-sample variance (vtype "LS")."""
    total = n1 + n2
    g = exact_bias_correction(total - 2) * _cohens_d(n1, m1, sd1, n2, m2, sd2)
    return g, 1 / n1 + 1 / n2 + g**2 / (2 * total)


def two_by_two(events1, n1, events2, n2):
    """The cells a, b, c, d of each study's 2×2 table (float arrays)."""
    a, c = np.asarray(events1, float), np.asarray(events2, float)
    return a, np.asarray(n1, float) - a, c, np.asarray(n2, float) - c


def double_zero(a, b, c, d):
    """Studies with no events in both arms, or only events in both arms (no contrast to estimate a ratio)."""
    return ((a == 0) & (c == 0)) | ((b == 0) & (d == 0))


def zero_cell_adjusted(a, b, c, d):
    """Add :data:`ZERO_CELL_INCREMENT` to all four cells of every table that has a zero cell.

    Returns the adjusted cells and the mask of adjusted studies. This is RevMan 5's rule and also metafor's
    ``escalc`` default (``add=1/2, to="only0"``).
    """
    zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    inc = np.where(zero, ZERO_CELL_INCREMENT, 0.0)
    return a + inc, b + inc, c + inc, d + inc, zero


def log_risk_ratio(a, b, c, d):
    n1, n2 = a + b, c + d
    return np.log(a / n1) - np.log(c / n2), 1 / a - 1 / n1 + 1 / c - 1 / n2


def log_odds_ratio(a, b, c, d):
    return np.log(a * d / (b * c)), 1 / a + 1 / b + 1 / c + 1 / d


def risk_difference(a, b, c, d):
    n1, n2 = a + b, c + d
    p1, p2 = a / n1, c / n2
    return p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2


BINARY_EFFECTS = {"RR": log_risk_ratio, "OR": log_odds_ratio, "RD": risk_difference}


def peto_terms(a, b, c, d):
    """Observed minus expected events in group 1 and the hypergeometric variance, per study."""
    n1, n2 = a + b, c + d
    total = n1 + n2
    events = a + c
    expected = events * n1 / total
    variance = events * (b + d) * (n1 / total) * (n2 / total) / (total - 1)
    return a - expected, variance


def peto_log_odds_ratio(a, b, c, d):
    """Per-study Peto log OR ``(O − E)/V`` and variance ``1/V`` (NaN where V = 0)."""
    o_minus_e, v = peto_terms(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(v > 0, o_minus_e / v, np.nan), np.where(v > 0, 1 / v, np.nan)
