"""The contracts of the τ² solvers' building blocks (sysrev.meta.heterogeneity), each stated in its docstring:
the bracketed Newton iteration finds the root of any decreasing equation to full precision, the bracket searches
stop where they say they stop, and the (RE)ML boundary check is metafor's, strict inequalities included.

Every equation here has a root known by hand (√a, r where arctan(r − τ) = 0, …), so no expected value comes
from running sysrev.
"""

import math
import re

import numpy as np
import pytest
from scipy import stats

from sysrev.errors import SysrevError
from sysrev.meta.batch import pool_inverse_variance
from sysrev.meta.heterogeneity import (
    _bracket_near,
    _upper_bracket,
    decreasing_root,
    estimate_tau2,
    maximise_likelihood,
    q_profile_interval,
    typical_variance,
)


def _ulps(value, exact):
    return abs(value - exact) / math.ulp(exact)


def _squares(a):
    """f(τ) = a − τ² (decreasing for τ ≥ 0, root √a), row-wise."""
    a = np.asarray(a, float)
    return lambda rows, t: (a[rows] - t**2, -2 * t)


A = np.arange(2.0, 200.0)


@pytest.mark.parametrize("how", ["bracket", "start"])
def test_square_roots_are_found_to_full_precision(how):
    # f = a − τ² is concave: Newton from below overshoots, so the iteration alternates bisection and Newton steps
    # and ends with a step below the resolution of x, from the bracket's lower end onto itself — that is
    # convergence (the bracket is closed), not a reason to bisect again (which ended hundreds of ulps off)
    if how == "bracket":
        roots = decreasing_root(_squares(A), A.copy(), first_hi=np.ones(len(A)))
    else:
        roots = decreasing_root(_squares(A), A.copy(), start=np.zeros(len(A)))
    assert max(_ulps(r, math.sqrt(a)) for r, a in zip(roots, A)) <= 2


def _arctan(r, scale):
    """f(τ) = scale·arctan(r − τ): decreasing, root r, and flat far from it, so Newton steps from a distance leave
    any bracket and the iteration must bisect — with a lower end that moves up as points with f > 0 are seen."""
    r = np.asarray(r, float)
    return lambda rows, t: (scale * np.arctan(r[rows] - t), -scale / (1 + (r[rows] - t) ** 2))


@pytest.mark.parametrize("scale", [1.0, 1e-3])  # 1e-3: f stays below 1 everywhere
@pytest.mark.parametrize("how", ["bracket", "start"])
def test_a_root_far_from_the_start_is_found_when_newton_steps_overshoot(how, scale):
    roots = np.array([3.0, 10.0, 50.0, 0.7, 1234.5])
    equation = _arctan(roots, scale)
    at_zero = equation(np.arange(len(roots)), np.zeros(len(roots)))[0]
    if how == "bracket":
        found = decreasing_root(equation, at_zero, first_hi=np.ones(len(roots)))
    else:
        found = decreasing_root(equation, at_zero, start=np.zeros(len(roots)))
    assert max(_ulps(f, r) for f, r in zip(found, roots)) <= 2


def test_a_root_started_on_below_one_is_returned_as_it_is():
    # f(τ) = (0.5 − τ)³ has a triple root at 0.5 (f = f' = 0 there); started on it the iteration stops at once
    # ("given start, the iteration starts there"); started elsewhere, Newton creeps up on a triple root linearly
    def flat(rows, t):
        return (0.5 - t) ** 3, -3 * (0.5 - t) ** 2

    assert list(decreasing_root(flat, np.array([0.125]), start=np.array([0.5]))) == [0.5]


def test_the_root_is_exactly_zero_where_the_equation_is_zero_at_zero():
    # f(τ) = −τ(1 + τ): f(0) = 0, negative above. The root is τ = 0 exactly (not a Newton iterate creeping down on it
    # from the start given), whatever the start
    def equation(rows, t):
        return -t * (1 + t), -1 - 2 * t

    at_zero = np.zeros(3)
    assert list(decreasing_root(equation, at_zero, start=np.array([0.5, 2.0, 1e-3]))) == [0.0, 0.0, 0.0]
    assert list(decreasing_root(equation, at_zero, first_hi=np.ones(3))) == [0.0, 0.0, 0.0]


def test_upper_bracket_widens_by_four_until_the_equation_is_not_positive():
    # f = a − τ² from hi = 1: a = 16 stops at hi = 4 = √16 (f(hi) = 0: the root itself ends the search); a = 64
    # goes 1 → 4 (f = 48) → 16 (f = −192); a = 4 stops at once (f(1) = 3 > 0, f(4) = −12) after one widening;
    # a = 1024: 1 → 4 → 16 → 64 (f(16) = 768, f(64) < 0). The lower end follows: the last hi with f > 0.
    # An inactive row keeps its bracket.
    a = np.array([16.0, 64.0, 4.0, 1024.0, 9.0])
    active = np.array([True, True, True, True, False])
    lo, hi = _upper_bracket(_squares(a), np.zeros(5), np.array([1.0, 1.0, 1.0, 1.0, 0.0]), active)
    assert list(lo) == [1.0, 4.0, 1.0, 16.0, 0.0]
    assert list(hi) == [4.0, 16.0, 4.0, 64.0, 0.0]


def test_bracket_near_reports_no_root_when_the_equation_reaches_zero_only_at_zero():
    # g(τ) = −τ(1 + τ) < 0 above 0 and g(0) = 0: walking down from τ = 1 (first step 4·0.25 = 1) lands on 0 without
    # g ever turning positive, so there is no maximum inside (the maximum is on the boundary τ² = 0)
    def equation(rows, t):
        return -t * (1 + t), -1 - 2 * t

    _, _, found = _bracket_near(equation, np.array([1.0]), np.array([0.25]))
    assert list(found) == [False]


def test_bracket_near_walks_past_a_point_where_the_equation_only_touches_zero():
    # g(τ) = (τ − t)²(5 − τ) ≥ 0 below 5, touching 0 at τ = t (an inflection of the likelihood, not a maximum),
    # and < 0 above 5. Walking up from x = 1 (first step x/1000 = 0.001, the cap on 4·|step| = 0.5, then
    # doubling: points 1 + 0.001·2ⁿ) lands exactly on t = 1 + 0.001·2¹⁰ = 2.024 at n = 10, then 3.048 and
    # 5.096: the first sign change is between 3.048 and 5.096; the bracket must have g(lo) > 0 > g(hi) (the
    # docstring), around the maximum at 5
    touch = 1.0 + 0.001 * 2**10

    def g(t):
        return (t - touch) ** 2 * (5 - t)

    def equation(rows, t):
        return g(t), 2 * (t - touch) * (5 - t) - (t - touch) ** 2

    assert g(1.0 + 0.001 * 2**10) == 0.0  # the walk does land on the touching point
    lo, hi, found = _bracket_near(equation, np.array([1.0]), np.array([0.125]))
    assert list(found) == [True]
    assert g(lo[0]) > 0 > g(hi[0])
    assert (lo[0], hi[0]) == pytest.approx((3.048, 5.096), abs=1e-12)


def _fixed_point_equation(root):
    """g(τ) = root − τ with information 1: started on ``root``, Fisher scoring and the bracket stay on it exactly."""
    def equation(rows, t):
        return root - t, -np.ones_like(t), np.ones_like(t)

    return equation


def test_the_boundary_check_keeps_a_maximum_at_the_threshold_itself():
    # metafor (rma.uni): `if (ll0 - ll > con$tol && tau2 > con$threshold) tau2 <- 0`, threshold 1e-5. A maximum at
    # τ² = 1e-5 exactly is kept, even where the log-likelihood at 0 is higher (here by 1, far above tol): the check
    # itself, with the log-likelihood values given directly
    def log_likelihood(tau2):
        return np.where(tau2 == 0, 1.0, 0.0)

    assert list(maximise_likelihood(_fixed_point_equation(1e-5), log_likelihood, [1e-5])) == [1e-5]
    # just above the threshold the same likelihoods send τ² to 0
    assert list(maximise_likelihood(_fixed_point_equation(2e-5), log_likelihood, [2e-5])) == [0.0]


def test_the_boundary_check_needs_the_likelihood_at_zero_higher_by_more_than_tol():
    # the same rule: ll(0) − ll(τ̂) must exceed tol = .Machine$double.eps^0.25; equal to it, τ̂ stays
    tol = np.finfo(float).eps ** 0.25

    def log_likelihood(tau2):
        return np.where(tau2 == 0, tol, 0.0)

    assert list(maximise_likelihood(_fixed_point_equation(0.5), log_likelihood, [0.5])) == [0.5]

    def higher(tau2):
        return np.where(tau2 == 0, 2 * tol, 0.0)

    assert list(maximise_likelihood(_fixed_point_equation(0.5), higher, [0.5])) == [0.0]


def test_typical_variance_of_one_analysis_given_as_a_flat_array():
    # metafor's s² = (k − 1)/(Σw − Σw²/Σw): v = 1, 2, 4 → w = 1, 1/2, 1/4, Σw = 7/4, Σw² = 21/16, Σw²/Σw = 3/4,
    # s² = 2/(7/4 − 3/4) = 2
    assert typical_variance(np.array([1.0, 2.0, 4.0])) == pytest.approx(2.0, rel=1e-15)
    # and a (2, 2, 3) stack: every analysis on its own
    stack = np.array([[[1.0, 2.0, 4.0], [2.0, 4.0, 8.0]], [[1.0, 1.0, 1.0], [4.0, 4.0, 4.0]]])
    # v doubled → s² doubled; equal v: Σw = 3/v, Σw²/Σw = (3/v²)/(3/v) = 1/v, s² = 2/(2/v) = v
    assert typical_variance(stack) == pytest.approx(np.array([[2.0, 4.0], [1.0, 4.0]]), rel=1e-15)


@pytest.mark.parametrize("level", [100.0, 0.0, 120.0, float("nan")])
def test_a_q_profile_interval_needs_a_level_strictly_between_0_and_100(level):
    # at 100 % the upper bound solves Q(τ²) = χ²-quantile 0, which has no root (Q > 0 for every finite τ²): it used to
    # come out as a finite number near 4²⁰⁰ (where the bracket search gave up); the batch API passed any level on
    yi, vi = [0.1, 0.6, 0.35, 0.9], [0.02, 0.03, 0.05, 0.04]
    message = f"confidence level must be a percentage in (0, 100), got {level:g}"
    with pytest.raises(SysrevError, match=f"^{re.escape(message)}$"):
        q_profile_interval(yi, vi, level)
    with pytest.raises(SysrevError, match="confidence level"):
        pool_inverse_variance(yi, vi, "REML", level=level, tau2_interval=True)


def _q(yi, vi, tau2):
    """Cochran's generalised Q(τ²) = Σ (y − μ̂)²/(v + τ²), written out independently of sysrev."""
    w = [1 / (v + tau2) for v in vi]
    mu = sum(wi * y for wi, y in zip(w, yi)) / sum(w)
    return sum(wi * (y - mu) ** 2 for wi, y in zip(w, yi))


SMALL_SCALE = [
    # effects and variances on a small scale (effects ~1e-4, variances ~1e-8), so τ² is ~1e-8 to 1e-7: a stopping
    # rule with an absolute floor of its own would leave τ² with an error of ~1e-20 (1e-12 relative)
    ([-0.000114499407, 3.6052644e-05, -0.000203376369, -0.000215730201, 0.000276412898],
     [2.731386e-09, 9.715059e-09, 1.3341202e-08, 1.7153203e-08, 1.634517e-08]),
    ([0.000249474011, -0.000274236969, -0.000206620505, -6.187626e-06, -0.00029069281],
     [3.852836e-09, 7.325365e-09, 1.2484811e-08, 9.150138e-09, 5.741707e-09]),
]


@pytest.mark.parametrize("yi,vi", SMALL_SCALE)
def test_paule_mandel_and_q_profile_bounds_of_a_small_scale_are_the_roots_to_full_precision(yi, vi):
    # Q(τ²) − target changes sign within 1e-14 (relative) of the reported τ², as on the usual scale
    k = len(yi)
    low, high = (float(x) for x in q_profile_interval(yi, vi))
    pm = float(estimate_tau2(yi, vi, "PM"))
    assert 1e-9 < pm < 1e-6
    for tau2, target in ((pm, k - 1), (low, stats.chi2.isf(0.025, k - 1)), (high, stats.chi2.ppf(0.025, k - 1))):
        assert _q(yi, vi, tau2 * (1 - 1e-14)) > target > _q(yi, vi, tau2 * (1 + 1e-14))
