"""Agreement between two reviewers on the records both screened: percent agreement, Cohen's kappa with its
95% CI, PABAK and Gwet's AC1.

Formulas (p_ij = share of records rater A put in category i and rater B in category j; p_i. and p_.j the
margins; n records; q categories):

* percent agreement p_o = Σ p_ii.
* Cohen's kappa (Cohen 1960): κ = (p_o − p_e)/(1 − p_e), p_e = Σ p_i. p_.i. Its standard error is the
  large-sample (non-null) one of Fleiss, Cohen & Everitt (1969, Psychol Bull 72:323–327), as in Fleiss,
  Levin & Paik (2003, §18.1) and SAS PROC FREQ (AGREE):
  var(κ) = [Σ_i p_ii (1 − (p_i. + p_.i)(1 − κ))² + (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)² − (κ − p_e(1 − κ))²]
           / (n (1 − p_e)²);
  the 95% CI is κ ± 1.959964·SE (Wald), truncated to kappa's range [−1, 1].
* PABAK, the prevalence- and bias-adjusted kappa (Byrt, Bishop & Carlin 1993, J Clin Epidemiol 46:423–429):
  2p_o − 1 for two categories; for q categories (q p_o − 1)/(q − 1), which is the Brennan–Prediger
  coefficient.
* Gwet's AC1 (Gwet 2008, Br J Math Stat Psychol 61:29–48): π_k = (p_k. + p_.k)/2,
  p_e = Σ π_k (1 − π_k)/(q − 1), AC1 = (p_o − p_e)/(1 − p_e); its variance is Gwet's (2008) equation for two
  raters without finite-population correction.

``q`` is the number of categories on the rating scale. Screening decisions use the categories either
reviewer actually used (at least two), so a stage screened only with include/exclude is a 2-category scale.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Agreement:
    """Agreement statistics of one pair of raters. Coefficients are None where undefined."""

    n: int
    categories: tuple
    percent_agreement: float | None
    kappa: float | None
    kappa_se: float | None
    kappa_ci_low: float | None
    kappa_ci_high: float | None
    pabak: float | None
    ac1: float | None
    ac1_se: float | None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["categories"] = list(self.categories)
        return data


def contingency_table(pairs, categories=None):
    """Count table of ``(rating_a, rating_b)`` pairs; returns ``(table, categories)``.

    ``categories`` fixes the scale and its order; by default it is the sorted set of ratings seen.
    """
    pairs = list(pairs)
    if categories is None:
        categories = sorted({a for a, _ in pairs} | {b for _, b in pairs})
    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for a, b in pairs:
        table[index[a], index[b]] += 1
    return table, tuple(categories)


def agreement(table, categories=None) -> Agreement:
    """All agreement statistics of a q×q count table (rows: rater A, columns: rater B)."""
    counts = np.asarray(table, dtype=float)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError("an agreement table must be square")
    q = counts.shape[0]
    categories = tuple(categories) if categories is not None else tuple(range(q))
    n = counts.sum()
    if n == 0:
        return Agreement(0, categories, None, None, None, None, None, None, None, None)
    p = counts / n
    po = float(np.trace(p))
    kappa, kappa_se = cohen_kappa(p, n)
    ci = ((max(kappa - Z95 * kappa_se, -1.0), min(kappa + Z95 * kappa_se, 1.0)) if kappa_se is not None
          else (None, None))
    ac1, ac1_se = gwet_ac1(p, n) if q >= 2 else (None, None)
    return Agreement(int(round(n)), categories, po, kappa, kappa_se, ci[0], ci[1],
                     pabak(po, q) if q >= 2 else None, ac1, ac1_se)


def cohen_kappa(p, n):
    """Cohen's kappa and its Fleiss–Cohen–Everitt (1969) large-sample SE from a proportion table.

    Returns ``(None, None)`` when chance agreement is 1 (both raters used a single, common category).
    """
    row, col = p.sum(axis=1), p.sum(axis=0)
    po, pe = float(np.trace(p)), float(row @ col)
    if math.isclose(pe, 1.0):
        return None, None
    kappa = (po - pe) / (1 - pe)
    diag = np.diag(p)
    a = float(np.sum(diag * (1 - (row + col) * (1 - kappa)) ** 2))
    off = p.copy()
    np.fill_diagonal(off, 0.0)
    weights = (col[:, None] + row[None, :]) ** 2  # (p_.i + p_j.)² for cell (i, j)
    b = (1 - kappa) ** 2 * float(np.sum(off * weights))
    c = (kappa - pe * (1 - kappa)) ** 2
    var = max(a + b - c, 0.0) / (n * (1 - pe) ** 2)
    return kappa, math.sqrt(var)


def pabak(po: float, q: int = 2) -> float:
    """Prevalence- and bias-adjusted kappa: (q·p_o − 1)/(q − 1); 2p_o − 1 for two categories."""
    return (q * po - 1) / (q - 1)


def gwet_ac1(p, n):
    """Gwet's AC1 and its standard error (Gwet 2008) from a q×q proportion table."""
    q = p.shape[0]
    row, col = p.sum(axis=1), p.sum(axis=0)
    pi = (row + col) / 2
    po = float(np.trace(p))
    pe = float(np.sum(pi * (1 - pi))) / (q - 1)
    ac1 = (po - pe) / (1 - pe)
    term2 = float(np.sum(np.diag(p) * (1 - pi))) / (q - 1) - po * pe
    weights = (1 - (pi[:, None] + pi[None, :]) / 2) ** 2
    term3 = float(np.sum(p * weights)) / (q - 1) ** 2 - pe ** 2
    var = (po * (1 - po) - 4 * (1 - ac1) * term2 + 4 * (1 - ac1) ** 2 * term3) / (n * (1 - pe) ** 2)
    return ac1, math.sqrt(max(var, 0.0))
