"""Absolute effects and optimal information sizes checked against arithmetic done by hand in each test."""

import pytest

from sysrev.grade.absolute import (
    absolute_effect,
    median_control_risk,
    ois_binary,
    ois_continuous,
    risk_with_intervention,
)


def test_risk_ratio_to_absolute_effect():
    # RR 0.80 (0.64 to 1.00), assumed comparator risk 200 per 1,000:
    #   intervention: 200 × 0.80 = 160; CI 200 × 0.64 = 128 to 200 × 1.00 = 200 per 1,000
    #   difference:   160 − 200 = −40; CI 128 − 200 = −72 to 200 − 200 = 0 per 1,000
    a = absolute_effect("RR", 0.20, 0.80, 0.64, 1.00)
    assert a.control_per_1000 == pytest.approx(200)
    assert (a.intervention_per_1000, a.intervention_low, a.intervention_high) == pytest.approx((160, 128, 200))
    assert (a.difference, a.difference_low, a.difference_high) == pytest.approx((-40, -72, 0))


def test_odds_ratio_to_absolute_effect():
    # OR 2.0 (1.5 to 3.0), comparator risk 0.10: risk = OR·p / (1 − p + OR·p)
    #   2.0 × 0.1 / (0.9 + 0.2) = 0.2 / 1.1 = 0.181818… → 181.8 per 1,000, difference +81.8
    #   1.5 × 0.1 / (0.9 + 0.15) = 0.15 / 1.05 = 0.142857… → 142.9, difference +42.9
    #   3.0 × 0.1 / (0.9 + 0.3) = 0.3 / 1.2 = 0.25 → 250, difference +150
    a = absolute_effect("OR", 0.10, 2.0, 1.5, 3.0)
    assert a.intervention_per_1000 == pytest.approx(1000 * 0.2 / 1.1)
    assert (a.intervention_low, a.intervention_high) == pytest.approx((1000 * 0.15 / 1.05, 250.0))
    assert (a.difference, a.difference_low, a.difference_high) == pytest.approx(
        (1000 * 0.2 / 1.1 - 100, 1000 * 0.15 / 1.05 - 100, 150.0))


def test_peto_odds_ratio_uses_the_odds_ratio_formula():
    # OR 0.5, p 0.4: 0.5 × 0.4 / (0.6 + 0.2) = 0.2 / 0.8 = 0.25
    assert risk_with_intervention("PETO", 0.4, 0.5) == pytest.approx(0.25)


def test_risk_difference_to_absolute_effect():
    # RD −0.05 (−0.08 to −0.02) on a comparator risk of 0.30: 300 − 50 = 250 (220 to 280) per 1,000
    a = absolute_effect("RD", 0.30, -0.05, -0.08, -0.02)
    assert (a.intervention_per_1000, a.intervention_low, a.intervention_high) == pytest.approx((250, 220, 280))
    assert (a.difference, a.difference_low, a.difference_high) == pytest.approx((-50, -80, -20))


def test_median_control_risk():
    # comparator risks 1/10, 3/10, 20/100 → 0.1, 0.3, 0.2 → median 0.2
    rows = [{"events2": 1, "n2": 10}, {"events2": 3, "n2": 10}, {"events2": 20, "n2": 100}]
    assert median_control_risk(rows) == pytest.approx(0.2)


def test_ois_binary_by_hand():
    # p0 = 0.20, RRR 25% → p1 = 0.15; (1.959964 + 0.841621)² = 2.801585² = 7.848879
    # per arm = 7.848879 × (0.2·0.8 + 0.15·0.85) / 0.05² = 7.848879 × 0.2875 / 0.0025 = 902.62 → 903
    # total 1,806 — "approximately 2 000" in GRADE 6's figure for these inputs
    assert ois_binary(0.20, 0.25) == 2 * 903


def test_ois_continuous_by_hand():
    # Δ = 0.2 SD: per arm 2 × 7.848879 × 1 / 0.04 = 392.44 → 393; total 786
    assert ois_continuous(0.2, 1.0) == 786
    # Δ = 5 days, SD 20: per arm 2 × 7.848879 × 400 / 25 = 251.16 → 252; total 504
    assert ois_continuous(5.0, 20.0) == 504


def test_an_absolute_risk_past_0_or_1_is_held_at_the_bound():
    # comparator risk 0.9, RD +0.2 (0.15 to 0.3): 1.1 → 1,000 per 1,000, so at most 100 more (not 200)
    a = absolute_effect("RD", 0.9, 0.2, 0.15, 0.3)
    assert (a.intervention_per_1000, a.intervention_low, a.intervention_high) == pytest.approx((1000, 1000, 1000))
    assert (a.difference, a.difference_low, a.difference_high) == pytest.approx((100, 100, 100))
    low = absolute_effect("RD", 0.05, -0.1, -0.2, 0.01)
    assert (low.intervention_per_1000, low.intervention_low, low.intervention_high) == pytest.approx((0, 0, 60))


def test_median_control_risk_leaves_out_rows_without_a_count():
    rows = [{"events2": 1, "n2": 10}, {"events2": None, "n2": 10}, {"events2": 5, "n2": 0}, {"events2": 3}]
    assert median_control_risk(rows) == pytest.approx(0.1)
    assert median_control_risk([{"events2": None, "n2": 10}]) is None


def test_no_absolute_effect_for_a_difference_measure():
    with pytest.raises(ValueError, match="no absolute effect for measure MD"):
        risk_with_intervention("MD", 0.2, 1.0)
