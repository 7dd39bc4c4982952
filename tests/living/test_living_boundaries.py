"""Lan–DeMets monitoring boundaries against published values and an independent implementation.

Published: Reboussin, DeMets, Kim & Lan (2000), Control Clin Trials 21:190, example reprinted in the
ldbounds 2.0.2 vignette (inst/doc/ldbounds.pdf, section 5.1 "summary(ldBounds(seq(0.2, 1, length = 5)))" and
section 5.5 "ldBounds(time, iuse = 3)"): five equally spaced looks, α = 0.05 two-sided symmetric. ldbounds
integrates on a grid of step 0.05 and prints 4 decimals; its boundaries differ from the exact ones by up to
about 1.2e-4 (look 2: 3.3569 printed, 3.35701 exact), so they are compared to 1.5e-4, and the cumulative exit
probabilities (the α spent) to their 5 printed significant digits.

Independent: validation/sequential/boundary_reference.json, made by make_boundary_reference.py with the
Jennison–Turnbull grid of gsDesign (PyPI gsdesign 0.1.5 gridpts/h1/hupdate) — other grid, other code — for
K = 2…10 equal looks, Pocock and power spending, α = 0.01, the one-function convention and unequal looks
with a very early first one; compared at relative 1e-6.
"""

import json
from pathlib import Path

import pytest

from sysrev.errors import SysrevError
from sysrev.living.boundaries import lan_demets_boundaries, power_spending

REFERENCE = json.loads((Path(__file__).resolve().parents[2] / "validation/sequential/boundary_reference.json")
                       .read_text(encoding="utf-8"))
FIVE_LOOKS = [0.2, 0.4, 0.6, 0.8, 1.0]


def test_obrien_fleming_five_looks_as_published_by_reboussin_2000():
    published_z = [4.8769, 3.3569, 2.6803, 2.2898, 2.0310]           # ldbounds vignette, "Upper" column
    published_exit = [1.0777e-06, 7.8830e-04, 7.6161e-03, 2.4424e-02, 5.0000e-02]  # "Exit pr." column
    got = lan_demets_boundaries(FIVE_LOOKS, 0.05, "obf")
    for z, want in zip(got.z, published_z, strict=True):
        assert abs(z - want) <= 1.5e-4, (z, want)
    for p, want in zip(got.exit, published_exit, strict=True):
        assert p == pytest.approx(want, rel=5e-5)


def test_power_family_rho_1_as_published_by_reboussin_2000():
    published_z = [2.5758, 2.4919, 2.4108, 2.3391, 2.2754]           # ldbounds vignette, ldBounds(time, iuse = 3)
    got = lan_demets_boundaries(FIVE_LOOKS, 0.05, power_spending(1.0))
    for z, want in zip(got.z, published_z, strict=True):
        assert abs(z - want) <= 1.5e-4, (z, want)


SPENDING = {"obf": "obf", "pocock": "pocock", "power1": power_spending(1.0)}


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: f"{c['spending']}-{len(c['t'])}-{c['alpha']}-"
                                                              f"{'split' if c['per_side'] else 'whole'}-{c['t'][0]}")
def test_boundaries_match_the_jennison_turnbull_grid(case):
    got = lan_demets_boundaries(case["t"], case["alpha"], SPENDING[case["spending"]], case["per_side"])
    assert len(got.z) == len(case["z"])
    for z, want in zip(got.z, case["z"], strict=True):
        assert z == pytest.approx(want, rel=1e-6)


def test_first_look_is_the_normal_quantile_and_the_final_spends_alpha():
    got = lan_demets_boundaries([0.5, 1.0], 0.05)
    # look 1 alone: P(|Z| ≥ c) = 2·f(0.5; 0.025), f(t; a) = 2 − 2Φ(z_{1−a/2}/√t)
    from scipy.stats import norm
    spent_1 = 2 * (2 * norm.sf(norm.isf(0.0125) / 0.5 ** 0.5))
    assert got.z[0] == pytest.approx(norm.isf(spent_1 / 2), rel=1e-12)
    assert got.exit[-1] == pytest.approx(0.05, rel=1e-7)


def test_bad_fractions_are_refused():
    for t in ([0.5, 0.4], [0.0, 1.0], [0.5, 1.2], []):
        with pytest.raises(SysrevError):
            lan_demets_boundaries(t)
