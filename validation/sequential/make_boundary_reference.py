"""Pinned Lan–DeMets boundaries from an independent implementation: Jennison & Turnbull's grid (gsDesign's).

Usage (from the repository root, in a virtualenv with the PyPI package ``gsdesign``, a port of the R package
gsDesign's numerical-integration routines ``gridpts``/``h1``/``hupdate``; it is not a sysrev dependency):

    python3 -m venv /tmp/gsd && /tmp/gsd/bin/pip install gsdesign==0.1.5 scipy
    /tmp/gsd/bin/python validation/sequential/make_boundary_reference.py

Writes ``validation/sequential/boundary_reference.json``: for each design (information fractions, α,
spending function) the two-sided symmetric boundaries, solved here with gsDesign's canonical
Jennison–Turnbull grid (r = 80 points per unit, Simpson weights) and scipy's brentq — a different grid and
different propagation code from sysrev/living/boundaries.py. tests/living/test_living_boundaries.py
compares sysrev with these values at 1e-6 and with the published ldbounds table at its printed decimals.
"""

import json
import math
from pathlib import Path

import numpy as np
from gsdesign import h1, hupdate
from scipy import optimize, stats

R = 80  # gsDesign's default is 18; a finer grid makes the pinned values exact to ~1e-9
OUT = Path(__file__).resolve().parent / "boundary_reference.json"


def obf(t, a):
    return 2 * stats.norm.sf(stats.norm.isf(a / 2) / np.sqrt(t))  # sf, not 1 - cdf: tiny early spending


def pocock(t, a):
    return a * np.log(1 + (math.e - 1) * t)


def power1(t, a):
    return a * t


SPENDING = {"obf": obf, "pocock": pocock, "power1": power1}


def boundaries(t, alpha, spending, per_side=True):
    f = SPENDING[spending]
    t = np.asarray(t, float)
    spent = 2 * f(t, alpha / 2) if per_side else f(t, alpha)
    inc = np.diff(np.concatenate([[0.0], spent]))
    bounds, grid = [], None
    for k, tk in enumerate(t):
        if k == 0:
            c = stats.norm.isf(inc[0] / 2)
            grid = h1(r=R, theta=0.0, info=tk, a=-c, b=c)
        else:
            z_prev, _, h_prev = grid
            prev = t[k - 1]
            # z_prev is on the Z scale: Z_k = (z√I_{k−1} + N(0, Δ))/√I_k
            def cross(c, z_prev=z_prev, h_prev=h_prev, prev=prev, tk=tk):
                m = z_prev * math.sqrt(prev)
                sd = math.sqrt(tk - prev)
                return float((h_prev * (stats.norm.sf((c * math.sqrt(tk) - m) / sd)
                                        + stats.norm.cdf((-c * math.sqrt(tk) - m) / sd))).sum())
            c = optimize.brentq(lambda x, cross=cross, target=inc[k]: cross(x) - target, 1e-6, 60, xtol=1e-13,
                                rtol=1e-15)
            grid = hupdate(r=R, theta=0.0, info=tk, a=-c, b=c, theta_prev=0.0, info_prev=prev, gm1=grid)
        bounds.append(float(c))
    return bounds


DESIGNS = [
    {"t": [k / K for k in range(1, K + 1)], "alpha": 0.05, "spending": "obf"} for K in (2, 3, 4, 5, 10)
] + [
    {"t": [0.2, 0.4, 0.6, 0.8, 1.0], "alpha": 0.05, "spending": "pocock"},
    {"t": [0.2, 0.4, 0.6, 0.8, 1.0], "alpha": 0.05, "spending": "power1"},
    {"t": [0.2, 0.4, 0.6, 0.8, 1.0], "alpha": 0.05, "spending": "obf", "per_side": False},
    {"t": [0.2, 0.4, 0.6, 0.8, 1.0], "alpha": 0.01, "spending": "obf"},
    # unequal looks as a meta-analysis has them (trial sizes), including a very early first look
    {"t": [0.03, 0.11, 0.12, 0.35, 0.52, 0.9, 1.0], "alpha": 0.05, "spending": "obf"},
    {"t": [0.05, 0.3, 0.31, 0.6, 0.75], "alpha": 0.05, "spending": "obf"},
]


def main():
    cases = []
    for design in DESIGNS:
        z = boundaries(design["t"], design["alpha"], design["spending"], design.get("per_side", True))
        cases.append({**design, "per_side": design.get("per_side", True), "z": z})
    OUT.write_text(json.dumps({"generated_by": "validation/sequential/make_boundary_reference.py",
                               "grid": f"gsdesign 0.1.5 gridpts/h1/hupdate, r = {R}", "cases": cases},
                              indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} designs to {OUT}")


if __name__ == "__main__":
    main()
