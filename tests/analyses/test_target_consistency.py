"""A published target's own figures checked against each other (normal approximation), by hand: the SE its CI
implies, the p it implies and the range the printed rounding allows, the CI's centre, and each note."""

import math

import pytest
from scipy.stats import norm

from sysrev.analyses.targets import PrintedValue, Target, consistency

Z = norm.ppf(0.975)


def _target(**printed):
    values = {name: PrintedValue.parse(text) for name, text in printed.items() if name != "ci"}
    if "ci" in printed:
        values["ci_low"], values["ci_high"] = (PrintedValue.parse(t) for t in printed["ci"])
    return Target("the paper", values)


def _p(z):
    return 2 * norm.sf(abs(z))


def test_a_mean_difference_by_hand():
    # MD -0.50 [-1.00, 0.00], p = 0.05: SE = 1.00 / (2 z); each printed figure stands for ± 0.005 (± 0.0005 for p)
    got = consistency(_target(estimate="-0.50", ci=("-1.00", "0.00"), p="0.05"), "MD")
    se_min, se_max = 0.99 / (2 * Z), 1.01 / (2 * Z)
    assert got == {
        "scale": "identity", "se_from_ci": pytest.approx(1.0 / (2 * Z)), "se_range": [pytest.approx(se_min),
                                                                                      pytest.approx(se_max)],
        "p_implied": pytest.approx(0.05), "p_implied_range": [pytest.approx(_p(0.505 / se_min)),
                                                               pytest.approx(_p(0.495 / se_max))],
        "ci_centre": pytest.approx(-0.5), "estimate_at_centre": True, "p_consistent": True, "consistent": True,
        "notes": []}


def test_a_risk_ratio_is_checked_on_the_log_scale():
    got = consistency(_target(estimate="0.50", ci=("0.25", "1.00")), "RR")
    assert got["scale"] == "log" and got["ci_centre"] == pytest.approx(0.5)
    assert got["se_from_ci"] == pytest.approx(math.log(4) / (2 * Z))
    assert got["p_implied"] == pytest.approx(_p(math.log(0.5) / (math.log(4) / (2 * Z))))
    assert got["p_consistent"] is None and got["consistent"] is True


def test_an_estimate_off_the_centre_and_a_p_outside_the_range_are_named():
    got = consistency(_target(estimate="-0.20", ci=("-1.00", "0.00"), p="0.50"), "MD")
    assert got["estimate_at_centre"] is False and got["p_consistent"] is False and got["consistent"] is False
    lo, hi = got["p_implied_range"]
    assert got["notes"] == [
        "the estimate is not at the centre of the CI on the identity scale (centre -0.5, estimate -0.20): an "
        "asymmetric CI suggests a different scale, a t-based interval or a typo",
        f"the printed p = 0.50 is outside the range the estimate and CI imply ({lo:.3g} to {hi:.3g})"]


@pytest.mark.parametrize("p, fits", [("<0.001", True), ("<0.01", True), (">0.05", False), ("0.0001", False)])
def test_a_printed_bound_on_p_is_read_as_a_bound(p, fits):
    # MD -2.00 [-2.50, -1.50]: z ≈ 7.8, p far below 0.001
    got = consistency(_target(estimate="-2.00", ci=("-2.50", "-1.50"), p=p), "MD")
    assert got["p_consistent"] is fits


def test_an_interval_that_reaches_no_effect_allows_p_up_to_one():
    got = consistency(_target(estimate="0.00", ci=("-0.10", "0.10"), p=">0.99"), "MD")
    assert got["p_implied_range"][1] == pytest.approx(1.0) and got["p_consistent"] is True


def test_targets_that_cannot_be_checked():
    assert consistency(_target(estimate="0.50"), "RR") is None  # no CI
    assert consistency(_target(estimate="0", ci=("0.25", "1.00")), "RR") == {
        "scale": "log", "consistent": False, "notes": ["a ratio target must be positive"]}


def test_an_estimate_below_the_centre_is_named_too_on_the_reporting_scale_of_a_ratio():
    # OR 1.00 [2.00, 8.00]: the centre on the log scale is the geometric mean, 4.00
    got = consistency(_target(estimate="1.00", ci=("2.00", "8.00")), "OR")
    assert got["ci_centre"] == pytest.approx(4.0) and got["estimate_at_centre"] is False
    assert got["notes"] == [
        f"the estimate is not at the centre of the CI on the log scale (centre {got['ci_centre']}, estimate 1.00): "
        "an asymmetric CI suggests a different scale, a t-based interval or a typo"]
    md = consistency(_target(estimate="0.00", ci=("0.10", "0.30")), "MD")
    assert md["ci_centre"] == pytest.approx(0.2) and md["estimate_at_centre"] is False


def test_a_p_printed_smaller_than_the_estimate_and_ci_allow_is_named():
    # MD 0.05 [-0.45, 0.55]: z ≈ 0.2, p ≈ 0.84; a printed 0.01 cannot be
    got = consistency(_target(estimate="0.05", ci=("-0.45", "0.55"), p="0.01"), "MD")
    assert got["p_implied_range"][0] > 0.8 and got["p_consistent"] is False and got["consistent"] is False


@pytest.mark.parametrize("estimate, ci, p, fits", [
    # MD 0.05 [-0.45, 0.55]: the printed figures allow p from about 0.83 to 0.86
    ("0.05", ("-0.45", "0.55"), ">0.05", True), ("0.05", ("-0.45", "0.55"), "≥0.5", True),
    ("0.05", ("-0.45", "0.55"), ">0.95", False), ("0.05", ("-0.45", "0.55"), "≤0.001", False),
    ("0.05", ("-0.45", "0.55"), "0.84", True),
    # MD 1.00 [0.80, 1.20]: z ≈ 9.8, p far below 0.001
    ("1.00", ("0.80", "1.20"), "≤0.001", True), ("1.00", ("0.80", "1.20"), "≥0.001", False),
])
def test_each_bound_form_on_p(estimate, ci, p, fits):
    assert consistency(_target(estimate=estimate, ci=ci, p=p), "MD")["p_consistent"] is fits


def test_a_ci_printed_as_one_value_implies_no_p():
    got = consistency(_target(estimate="0.10", ci=("0.10", "0.10")), "MD")
    assert got["se_from_ci"] == 0 and got["p_implied"] is None and got["estimate_at_centre"] is True


def test_a_ratio_ci_printed_from_zero_is_read_as_a_tiny_positive_ratio():
    # "0.00" stands for any ratio below 0.005: the log of a tiny positive number, never log(0)
    got = consistency(_target(estimate="0.05", ci=("0.00", "2.00")), "RR")
    assert got["se_from_ci"] == pytest.approx((math.log(2.0) - math.log(1e-12)) / (2 * Z))
    assert consistency(_target(estimate="0.05", ci=("0.00", "0.00")), "RR") == {
        "scale": "log", "consistent": False, "notes": ["a ratio target must be positive"]}
