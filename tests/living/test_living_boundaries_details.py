"""Lan–DeMets boundaries beyond the published tables: the integration's own accuracy (against a much finer
grid), every field returned, the spending functions' values, looks that spend nothing, boundaries below 1,
and every refusal word for word."""

import math

import numpy as np
import pytest
from scipy import optimize, stats

from sysrev.errors import SysrevError
from sysrev.living import boundaries as module
from sysrev.living.boundaries import (
    lan_demets_boundaries,
    obrien_fleming_spending,
    pocock_spending,
    power_spending,
)

CASES = [([0.2, 0.4, 0.6, 0.8, 1.0], "obf"), ([0.1, 0.15, 0.5, 1.0], "pocock"),
         ([0.05, 0.3, 0.31, 0.9], "obf"), ([0.3, 0.7], power_spending(2.0))]


@pytest.mark.parametrize("t, spending", CASES)
def test_the_default_grid_agrees_with_a_grid_five_times_finer_to_1e_8(monkeypatch, t, spending):
    # The published tables and the gsDesign reference check 4 decimals and 1e-6; the integration itself is
    # good to about 1e-8, which this pins (a coarser grid or a wrong kernel width would lose it).
    default = lan_demets_boundaries(t, 0.05, spending)
    monkeypatch.setattr(module, "_MAX_STEP", 0.005)
    monkeypatch.setattr(module, "_STEPS_PER_SD", 60)
    monkeypatch.setattr(module, "_MAX_POINTS", 400001)
    fine = lan_demets_boundaries(t, 0.05, spending)
    np.testing.assert_allclose(default.z, fine.z, rtol=0, atol=3e-8)
    np.testing.assert_allclose(default.exit, fine.exit, rtol=0, atol=1e-12)


def test_every_field_of_the_boundaries():
    got = lan_demets_boundaries([0.25, 0.5, 1.0])  # α = 0.05, O'Brien–Fleming type, per side by default
    assert got == lan_demets_boundaries([0.25, 0.5, 1.0], 0.05, "obf", True)
    assert got.t == (0.25, 0.5, 1.0) and all(isinstance(x, float) for x in got.t)
    spent = 2 * obrien_fleming_spending([0.25, 0.5, 1.0], 0.025)
    np.testing.assert_allclose(got.spent, spent, rtol=1e-15)
    np.testing.assert_allclose(got.exit, spent, rtol=1e-9)  # what is spent is what crosses, look by look
    np.testing.assert_allclose(got.nominal, [2 * stats.norm.sf(z) for z in got.z], rtol=1e-15)
    whole = lan_demets_boundaries([0.25, 0.5, 1.0], per_side=False)
    np.testing.assert_allclose(whole.spent, obrien_fleming_spending([0.25, 0.5, 1.0], 0.05), rtol=1e-15)


def test_the_spending_functions_values():
    np.testing.assert_allclose(obrien_fleming_spending([0.0, 0.5, 1.0], 0.05),
                               [0.0, 2 * stats.norm.sf(stats.norm.isf(0.025) / math.sqrt(0.5)), 0.05], rtol=1e-12)
    np.testing.assert_allclose(pocock_spending([0, 0.5, 1], 0.05),
                               [0.0, 0.05 * math.log(1 + (math.e - 1) * 0.5), 0.05], rtol=1e-15)
    np.testing.assert_allclose(power_spending(2.0)([0, 0.5, 1], 0.05), [0.0, 0.0125, 0.05], rtol=1e-15)
    np.testing.assert_allclose(power_spending(0.5)([0.25], 0.04), [0.02], rtol=1e-15)


def test_looks_that_spend_nothing_have_no_boundary_and_the_last_look_is_then_a_single_test():
    def late(t, a):  # nothing spent before 60 % of the information
        return a * np.clip((np.asarray(t, dtype=float) - 0.6) / 0.4, 0, 1)

    got = lan_demets_boundaries([0.25, 0.5, 1.0], 0.05, late)
    assert got.z[:2] == (math.inf, math.inf) and got.nominal[:2] == (0.0, 0.0)
    assert got.z[2] == pytest.approx(stats.norm.isf(0.025), abs=1e-9)  # 1.959964: all α at the one real look
    assert got.exit == pytest.approx((0.0, 0.0, 0.05), abs=1e-12)


def test_a_large_alpha_gives_boundaries_below_one():
    got = lan_demets_boundaries([0.5, 1.0], 0.8, "pocock")
    assert got.z[1] < got.z[0] < 1
    assert got.exit[1] == pytest.approx(0.8, abs=1e-12)
    # Independently: with two looks, the second boundary leaves P(|Z1| < c1, |Z2| < c2) = 1 − α = 0.2 under H0,
    # Z1 and Z2 bivariate normal with correlation √(t1/t2); scipy integrates that rectangle by itself.
    rho = math.sqrt(0.5)
    pair = stats.multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]], abseps=1e-10, releps=1e-10)
    c1 = stats.norm.isf(float(pocock_spending(0.5, 0.8)) / 2)
    c2 = optimize.brentq(lambda c: pair.cdf([c1, c], lower_limit=[-c1, -c]) - 0.2, 1e-6, 5, xtol=1e-12)
    assert got.z[0] == pytest.approx(c1, abs=1e-12) and got.z[1] == pytest.approx(c2, abs=1e-8)


@pytest.mark.parametrize("t", [[0.5, 0.4], [0.5, 0.5, 1.0], [0.0, 1.0], [-0.1, 1.0], [0.5, 1.2], [], [[0.5, 1.0]]])
def test_fractions_out_of_order_or_range_are_refused_word_for_word(t):
    with pytest.raises(SysrevError) as refused:
        lan_demets_boundaries(t)
    assert str(refused.value) == "information fractions must increase strictly and lie in (0, 1]"


def test_a_last_fraction_of_one_within_rounding_is_accepted():
    assert lan_demets_boundaries([0.5, 1 + 1e-13]).t[-1] == 1 + 1e-13


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.05, 1.5])
def test_alpha_outside_zero_and_one_is_refused_word_for_word(alpha):
    with pytest.raises(SysrevError) as refused:
        lan_demets_boundaries([0.5, 1.0], alpha)
    assert str(refused.value) == f"alpha must lie in (0, 1), got {alpha}"


def test_a_decreasing_spending_function_is_refused_word_for_word():
    with pytest.raises(SysrevError) as refused:
        lan_demets_boundaries([0.5, 1.0], 0.05, lambda t, a: a * (1 - np.asarray(t)) + 0.01)
    assert str(refused.value) == "the spending function must not decrease"


def test_looks_too_close_to_integrate_are_refused_with_how_close_is_too_close():
    with pytest.raises(SysrevError) as refused:
        lan_demets_boundaries([0.5, 0.5000001, 1.0])
    assert str(refused.value) == ("two looks are too close together for the boundary integration (information "
                                  "fractions differ by less than about 1.3e-05); combine them into one look")
    assert len(lan_demets_boundaries([0.5, 0.52, 1.0]).z) == 3  # two percent apart is fine
