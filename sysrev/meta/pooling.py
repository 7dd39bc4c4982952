"""Pooled estimates on the counts: Mantel–Haenszel and Peto (inverse variance: :mod:`sysrev.meta.batch`).

Each function returns the pooled estimate on the analysis scale (log for ratios), its variance and the
per-study weights, and touches nothing else; heterogeneity, intervals and tests are built on top in
:mod:`sysrev.meta.analysis`.

Mantel–Haenszel formulas follow Deeks & Higgins (2010, "Statistical algorithms in Review Manager 5"):
Robins–Breslow–Greenland variance for the OR, Greenland–Robins variances for the RR and the RD. metafor's
``rma.mh`` uses the same OR and RR variances but Sato, Greenland & Robins (1989) for the RD; that variant is
:func:`mh_risk_difference_sato`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sysrev.errors import SysrevError


@dataclass(frozen=True)
class Pooled:
    """A pooled estimate (analysis scale), its variance and the raw (unnormalised) study weights."""

    estimate: float
    variance: float
    weights: np.ndarray


def _not_estimable(what: str):
    raise SysrevError(f"the Mantel–Haenszel {what} cannot be estimated: {_EMPTY_ARM}")


_EMPTY_ARM = "one group has no events (or no non-events) in any study; use --method IV or check the data"


def mh_odds_ratio(a, b, c, d) -> Pooled:
    """MH log odds ratio with the Robins–Breslow–Greenland variance; weights ``b·c/N``."""
    n = a + b + c + d
    r, s = a * d / n, b * c / n
    sr, ss = r.sum(), s.sum()
    if sr == 0 or ss == 0:
        _not_estimable("odds ratio")
    p, q = (a + d) / n, (b + c) / n
    var = (p * r).sum() / (2 * sr**2) + (p * s + q * r).sum() / (2 * sr * ss) + (q * s).sum() / (2 * ss**2)
    return Pooled(float(np.log(sr / ss)), float(var), s)


def mh_risk_ratio(a, b, c, d) -> Pooled:
    """MH log risk ratio with the Greenland–Robins variance; weights ``c·n1/N``."""
    n1, n2 = a + b, c + d
    n = n1 + n2
    r, s = a * n2 / n, c * n1 / n
    sr, ss = r.sum(), s.sum()
    if sr == 0 or ss == 0:
        _not_estimable("risk ratio")
    p = (n1 * n2 * (a + c) - a * c * n) / n**2
    return Pooled(float(np.log(sr / ss)), float(p.sum() / (sr * ss)), s)


def mh_risk_difference(a, b, c, d) -> Pooled:
    """MH risk difference with the Greenland–Robins variance; weights ``n1·n2/N``."""
    n1, n2 = a + b, c + d
    n = n1 + n2
    w = n1 * n2 / n
    rd = ((a * n2 - c * n1) / n).sum() / w.sum()
    j = (a * b * n2**3 + c * d * n1**3) / (n1 * n2 * n**2)
    return Pooled(float(rd), float(j.sum() / w.sum() ** 2), w)


def mh_risk_difference_sato(a, b, c, d) -> Pooled:
    """MH risk difference with the Sato–Greenland–Robins (1989) variance, as metafor's ``rma.mh``."""
    n1, n2 = a + b, c + d
    n = n1 + n2
    w = n1 * n2 / n
    rd = ((a * n2 - c * n1) / n).sum() / w.sum()
    p = (c * (n1 / n) ** 2 - a * (n2 / n) ** 2 + (n1 / n) * (n2 / n) * (n2 - n1) / 2).sum()
    q = (a * (n2 - c) / n + c * (n1 - a) / n).sum() / 2
    return Pooled(float(rd), float((rd * p + q) / w.sum() ** 2), w)


def peto(o_minus_e, v) -> Pooled:
    """Peto's one-step log odds ratio ``Σ(O − E)/ΣV`` with variance ``1/ΣV``; weights V."""
    sv = v.sum()
    if sv == 0:
        raise SysrevError("the Peto odds ratio cannot be estimated: no study has events in one arm and "
                          "non-events in the other")
    return Pooled(float(o_minus_e.sum() / sv), float(1 / sv), v)


def peto_q(o_minus_e, v) -> float:
    """Peto's heterogeneity statistic ``Σ (O−E)²/V − (Σ(O−E))²/ΣV`` over studies with V > 0."""
    keep = v > 0
    return float(max(0.0, (o_minus_e[keep] ** 2 / v[keep]).sum() - o_minus_e[keep].sum() ** 2 / v[keep].sum()))


MANTEL_HAENSZEL = {"OR": mh_odds_ratio, "RR": mh_risk_ratio, "RD": mh_risk_difference}
