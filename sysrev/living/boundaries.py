"""Lan–DeMets α-spending monitoring boundaries by recursive numerical integration (group-sequential theory).

A meta-analysis updated again and again is a sequence of looks at accumulating data. Under the null
hypothesis the cumulative Z statistics at information fractions t_1 < … < t_K behave like a standardised
Brownian motion observed at those times: Z_k = S_k/√I_k with independent increments S_k − S_{k−1} ~
N(0, I_k − I_{k−1}). Lan & DeMets (1983, Biometrika 70:659) choose the boundary c_k at each look so that
the probability of first crossing ±c at look k equals the α "spent" between t_{k−1} and t_k by a spending
function; the O'Brien–Fleming-type function f(t; a) = 2 − 2Φ(z_{1−a/2}/√t) spends almost nothing early.

Two-sided symmetric boundaries at total α: by default each side spends f(t; α/2) (DeMets & Lan 1994, Stat
Med 13:1341; the convention of ldbounds, gsDesign and the published tables), so 2·f(t; α/2) in all;
``per_side=False`` spends f(t; α) for both sides together, as Lan & DeMets (1983) first wrote it. The two
differ only for the O'Brien–Fleming type (at K = 5 equal looks, α = 0.05: final |Z| 2.0310 against 2.0635).

The crossing probabilities are computed as in Jennison & Turnbull (2000, *Group Sequential Methods with
Applications to Clinical Trials*, ch. 19) and the ldbounds algorithm (Reboussin et al. 2000, Control Clin
Trials 21:190): the sub-density of Z_k on the continuation region (−c_k, c_k) is propagated look by look,

    g_1(z) = φ(z),
    g_k(z) = ∫_{−c_{k−1}}^{c_{k−1}} g_{k−1}(u) √(I_k/Δ_k) φ((z√I_k − u√I_{k−1})/√Δ_k) du,   Δ_k = I_k − I_{k−1},

by composite Simpson integration on a grid fine enough for the narrowest kernel, and c_k solves
``P(|Z_k| ≥ c_k, no earlier crossing) = α(t_k) − α(t_{k−1})`` by Brent's method. Nothing is tabulated:
the boundaries for any information fractions are computed. The tests compare them with the published
values of Reboussin et al. (2000), as printed in the ldbounds vignette.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from sysrev.errors import SysrevError

#: |Z| beyond which the null density underflows (φ(38) ≈ 1e-314): the integration range is capped here.
_Z_LIMIT = 38.0
#: Grid step in z: at most this, and at most the kernel's standard deviation divided by _STEPS_PER_SD.
_MAX_STEP = 0.025
_STEPS_PER_SD = 12
_MAX_POINTS = 20001


def obrien_fleming_spending(t, alpha: float):
    """Lan–DeMets O'Brien–Fleming-type spending f(t; α) = 2 − 2Φ(z_{1−α/2}/√t), f(0) = 0, f(1) = α."""
    t = np.asarray(t, dtype=float)
    return 2 * stats.norm.sf(stats.norm.isf(alpha / 2) / np.sqrt(np.maximum(t, 1e-300)))  # f(0) underflows to 0


def pocock_spending(t, alpha: float):
    """Lan–DeMets Pocock-type spending α(t) = α·ln(1 + (e − 1)t)."""
    return alpha * np.log1p((math.e - 1) * np.asarray(t, dtype=float))


def power_spending(rho: float):
    """The power family α(t) = α·t^ρ (Kim & DeMets 1987); ρ = 1 spends α in proportion to information."""
    def spend(t, alpha):
        return alpha * np.asarray(t, dtype=float) ** rho
    return spend


SPENDING = {"obf": obrien_fleming_spending, "pocock": pocock_spending}


@dataclass(frozen=True)
class Boundaries:
    """Two-sided symmetric boundaries at information fractions ``t``.

    ``z``: the critical |Z| at each look; ``spent``: cumulative α spent α(t_k); ``exit``: the cumulative
    probability under H0 of having crossed by look k (equals ``spent`` up to the integration error);
    ``nominal``: the two-sided nominal P value of each boundary, 2Φ(−c_k).
    """

    t: tuple[float, ...]
    z: tuple[float, ...]
    spent: tuple[float, ...]
    exit: tuple[float, ...]
    nominal: tuple[float, ...]


def _simpson_weights(n: int, h: float) -> np.ndarray:
    weights = np.ones(n)
    weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
    return weights * h / 3


def _grid(limit: float, sd: float) -> tuple[np.ndarray, np.ndarray]:
    """Points and Simpson weights on [−limit, limit] (an odd number of points)."""
    step = min(_MAX_STEP, sd / _STEPS_PER_SD)
    n = math.ceil(2 * limit / step) // 2 * 2 + 1
    n = max(n, 201)
    if n > _MAX_POINTS:
        raise SysrevError("two looks are too close together for the boundary integration (information fractions "
                          f"differ by less than about {(_MAX_POINTS / (2 * limit * _STEPS_PER_SD)) ** -2:.1e}); "
                          "combine them into one look")
    points = np.linspace(-limit, limit, n)
    return points, _simpson_weights(n, points[1] - points[0])


def lan_demets_boundaries(t, alpha: float = 0.05, spending="obf", per_side: bool = True) -> Boundaries:
    """Two-sided symmetric Lan–DeMets boundaries at increasing information fractions ``t`` (0 < t_k ≤ 1).

    ``spending`` is ``"obf"`` (O'Brien–Fleming type, the TSA default), ``"pocock"``, or a function
    ``f(t, a)`` with f(1, a) = a (e.g. :func:`power_spending`); ``per_side`` spends f(t; α/2) on each side
    (see the module docstring), otherwise f(t; α) on both together.
    """
    t = np.asarray(t, dtype=float)
    if t.ndim != 1 or t.size == 0 or np.any(t <= 0) or np.any(t > 1 + 1e-12) or np.any(np.diff(t) <= 0):
        raise SysrevError("information fractions must increase strictly and lie in (0, 1]")
    if not 0 < alpha < 1:
        raise SysrevError(f"alpha must lie in (0, 1), got {alpha}")
    spend = SPENDING[spending] if isinstance(spending, str) else spending
    spent = 2 * np.asarray(spend(t, alpha / 2), dtype=float) if per_side else np.asarray(spend(t, alpha), float)
    increments = np.diff(np.concatenate([[0.0], spent]))
    if np.any(increments < 0):
        raise SysrevError("the spending function must not decrease")

    z_bounds, exits = [], []
    density = points = weights = None  # the previous look's sub-density, set from the first look on
    exited = 0.0
    for k, (tk, spend_k) in enumerate(zip(t, increments)):
        if k == 0:
            c = float(stats.norm.isf(spend_k / 2))  # inf when nothing is spent
            crossing = 2 * stats.norm.sf(c)
        else:
            previous = t[k - 1]
            scale, shift_sd = math.sqrt(tk), math.sqrt(tk - previous)
            mean_factor = math.sqrt(previous)
            # Z_k = (u√I_{k−1} + increment)/√I_k: given u, Z_k ~ N(u√(t_{k−1}/t_k), (t_k − t_{k−1})/t_k)
            mu = points * mean_factor / scale
            sd = shift_sd / scale
            mass = density * weights

            def crossed(c, mu=mu, sd=sd, mass=mass):
                return float((mass * (stats.norm.sf((c - mu) / sd) + stats.norm.cdf((-c - mu) / sd))).sum())

            if spend_k <= 0:
                c = math.inf
            else:
                hi = 1.0
                while crossed(hi) > spend_k:
                    hi *= 2
                    if hi > 1e3:
                        break
                c = float(optimize.brentq(lambda x, target=spend_k: crossed(x) - target, 1e-9, hi, xtol=1e-12,
                                          rtol=1e-14))
            crossing = crossed(c)  # 0 at an infinite boundary
        exited += crossing
        z_bounds.append(c)
        exits.append(exited)
        if k + 1 < len(t):
            limit = min(c, _Z_LIMIT)
            next_sd = math.sqrt((t[k + 1] - tk) / t[k + 1]) / math.sqrt(tk / t[k + 1])  # kernel sd in u
            new_points, new_weights = _grid(limit, min(next_sd, 1.0))
            if k == 0:
                new_density = stats.norm.pdf(new_points)
            else:
                new_density = _propagate(points, density * weights, new_points, t[k - 1], tk)
            points, weights, density = new_points, new_weights, new_density
    nominal = [float(2 * stats.norm.sf(c)) for c in z_bounds]
    return Boundaries(tuple(float(x) for x in t), tuple(z_bounds), tuple(float(s) for s in spent), tuple(exits),
                      tuple(nominal))


def _propagate(points, mass, new_points, t_prev, t_now) -> np.ndarray:
    """g_k on ``new_points`` from g_{k−1}·weights (``mass``) on ``points`` (fractions t_prev → t_now)."""
    scale = math.sqrt(t_now)
    sd = math.sqrt(t_now - t_prev)
    out = np.empty(len(new_points))
    chunk = max(1, 4_000_000 // max(len(points), 1))
    for start in range(0, len(new_points), chunk):
        z = new_points[start:start + chunk, None]
        kernel = stats.norm.pdf((z * scale - points[None, :] * math.sqrt(t_prev)) / sd) * (scale / sd)
        out[start:start + chunk] = kernel @ mass
    return out
