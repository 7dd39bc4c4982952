"""The numerical paths of the τ² solvers (sysrev.meta.heterogeneity): which root of the (RE)ML likelihood
equation a tricky data set ends on, the contract of the bracketed Newton solver, and no numpy warnings.

The likelihood of a data set with a cluster of precise small effects and a few imprecise large ones can have
several stationary points; metafor's Fisher scoring (from the Hedges estimate, halving steps that would make
τ² negative) picks one, and sysrev must pick the same. Expected τ² are metafor 3.8-1's, run with
``control=list(threshold=1e-10, maxiter=10000)`` so that its Fisher scoring converges fully (sysrev solves
the likelihood equation to full precision next to where the scoring stops).
"""

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from sysrev.meta.heterogeneity import (
    decreasing_root,
    estimate_tau2,
    likelihood_terms,
    log_likelihood_terms,
    maximise_likelihood,
    q_profile_interval,
    q_terms,
    typical_variance,
)

TRICKY = [
    # Hedges τ² is 0 and the likelihood equation g(0) < 0: the scoring stays at 0 (a step that would make τ²
    # negative vanishes there), although g has a root near τ² = 3. rma(yi, vi, method="REML"): 0
    ("REML", [3.6765, 3.5988, -0.0319, 2.7726, -0.0244, 2.8708], [0.6449, 8.1109, 0.0036, 11.306, 0.0081, 3.8285], 0.0),
    # Hedges τ² is 0 and g(0) > 0: the first scoring step leaves 0 and ends near 0.034 (not on the root near 1.86
    # that a search upwards from 0 would bracket first). rma(..., method="REML"): 0.0340564817939338
    ("REML", [0.2218, 3.9752, 3.4631, -0.0416, 2.8946, 2.6725, 0.0733, 3.2599, 3.9974],
     [0.0111, 11.149, 7.1434, 0.0029, 1.2166, 1.4503, 0.0117, 2.55, 3.5083], 0.0340564817939338),
    # the root next to the scoring's end point, solved inside its bracket. rma(..., method="REML"): 0.037541582785807
    ("REML", [0.2489, 1.7193, 3.2195, -0.0306, 3.5086, -0.0188], [0.0072, 10.3376, 0.7558, 0.0089, 10.0469, 0.0081],
     0.037541582785807),
    # ML; metafor's scoring needs more than its default 100 iterations here. rma(..., method="ML"): 0.786123682907857
    ("ML", [3.2323, 0.0983, -0.2259, 0.0117, 1.6559, 3.7434], [2.0022, 0.0054, 0.0069, 0.0085, 4.2977, 1.5973],
     0.786123682907857),
    # the scoring oscillates and never meets |Δτ²| < 1e-5 (metafor stops with "did not converge", whatever
    # maxiter); the root is then solved in a bracket next to where it stopped, whose bisection steps must stay
    # inside it. rma(..., method="REML", control=list(stepadj=0.5, threshold=1e-10, maxiter=10000)):
    # 0.575815334891623
    ("REML", [2.7546, 0.2589, 0.5437, 2.1167, -0.2176, 3.4091, 0.0567, 3.1464],
     [9.2499, 5.5257, 8.9837, 1.9603, 7.062, 9.3996, 0.0061, 10.1263], 0.575815334891623),
]


@pytest.mark.parametrize("method,yi,vi,expected", TRICKY, ids=["reml-stays-at-0", "reml-leaves-0", "reml-bracket",
                                                                "ml-slow", "reml-oscillating"])
def test_a_likelihood_with_several_stationary_points_ends_where_metafor_ends(method, yi, vi, expected):
    tau2 = float(estimate_tau2(yi, vi, method))
    assert tau2 == pytest.approx(expected, rel=1e-6, abs=1e-12)
    # the same data inside a stack of analyses (the batch and leave-one-out paths) give the same τ²
    stacked = estimate_tau2(np.array([yi, yi[::-1]]), np.array([vi, vi[::-1]]), method)
    assert stacked == pytest.approx([expected, expected], rel=1e-6, abs=1e-12)


def _cube(c):
    """f(τ) = c − τ³ (decreasing, root ∛c) and f'(τ) = −3τ², row-wise: f'(0) = 0, so Newton from 0 goes nowhere."""
    c = np.asarray(c, float)
    return lambda rows, t: (c[rows] - t**3, -3 * t**2)


def _exact(value, root):
    return abs(value - root) <= 4 * np.spacing(root)  # the root to full double precision, not to a tolerance


CUBES = [2.0, 0.5, 30.0, 7.0, 1e-6, 1e6]


def test_decreasing_root_from_a_flat_start_finds_the_root_to_full_precision():
    # Newton from τ = 0 has no step (f' = 0): the solver widens instead (no upper end known yet)
    c = CUBES
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the division by f' = 0 is expected and must not print a warning
        roots = decreasing_root(_cube(c), np.array(c), start=np.zeros(len(c)))
    assert all(_exact(r, math.cbrt(x)) for r, x in zip(roots, c))


def test_decreasing_root_in_a_widened_bracket_finds_the_root_to_full_precision():
    # for ∛30 the last Newton step (1e-16) is below the resolution of x and lands on x, the bracket's end: that
    # is convergence, not a reason to bisect (which ended 540 units in the last place away)
    c = CUBES
    roots = decreasing_root(_cube(c), np.array(c), first_hi=np.ones(len(c)))
    assert all(_exact(r, math.cbrt(x)) for r, x in zip(roots, c))


def test_decreasing_root_is_exactly_zero_where_the_equation_is_not_positive_at_zero():
    # f(0) = 0 (and f(0) < 0): the root is τ = 0 exactly, whatever the start
    def line(rows, t):
        return np.array([0.0, -1.0])[rows] - t, -np.ones_like(t)

    assert list(decreasing_root(line, np.array([0.0, -1.0]), start=np.array([0.5, 0.5]))) == [0.0, 0.0]


def test_decreasing_root_started_on_a_flat_root_returns_it_silently():
    # f(τ) = (1 − τ)³: started at its root τ = 1, where f = f' = 0 (0/0 in the Newton step)
    def flat(rows, t):
        return (1 - t) ** 3, -3 * (1 - t) ** 2

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(decreasing_root(flat, np.array([1.0]), start=np.array([1.0]))) == [1.0]


def test_reml_at_the_boundary_raises_no_numpy_warnings():
    # Hedges τ² = 0 in each: a homogeneous set (REML 0 by metafor), and the tricky sets above, where a step at
    # τ² = 0 is halved or dropped without dividing by τ² = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert estimate_tau2([0.1, 0.12, 0.09, 0.11], [0.04, 0.05, 0.03, 0.06], "REML") == 0
        for method, yi, vi, _ in TRICKY[:2]:
            estimate_tau2(yi, vi, method)


def test_maximise_likelihood_takes_a_start_given_as_whole_numbers():
    # leave-one-out and the batch pass float starts; a caller's start of 0 (an int) must not make τ² an int
    yi = np.array([[0.1, 0.6, 0.35, 0.9, -0.2, 0.5]])
    vi = np.array([[0.02, 0.03, 0.05, 0.04, 0.01, 0.06]])

    def equation(rows, tau2):
        return likelihood_terms(yi[rows], 1 / (vi[rows] + tau2[:, None]), True)

    def log_likelihood(tau2):
        return log_likelihood_terms(yi, 1 / (vi + tau2[:, None]), np.log(vi + tau2[:, None]).sum(axis=-1), True)

    # rma(yi, vi, method="REML", control=list(threshold=1e-12)): 0.135544432854332
    assert maximise_likelihood(equation, log_likelihood, [0]) == pytest.approx([0.135544432854332], rel=1e-9)


def _q(yi, vi, tau2):
    """Cochran's generalised Q(τ²) = Σ (y − μ̂)²/(v + τ²), written out independently of sysrev."""
    w = [1 / (v + tau2) for v in vi]
    mu = sum(wi * y for wi, y in zip(w, yi)) / sum(w)
    return sum(wi * (y - mu) ** 2 for wi, y in zip(w, yi))


@pytest.mark.parametrize("yi,vi", [([0.1, 0.6, 0.35, 0.9, -0.2, 0.5], [0.02, 0.03, 0.05, 0.04, 0.01, 0.06]),
                                   *((yi, vi) for _, yi, vi, _ in TRICKY[:2])])
def test_paule_mandel_and_q_profile_bounds_are_the_roots_to_full_precision(yi, vi):
    # Q(τ²) − target changes sign within 1e-14 of the reported τ² (its slope makes that a change of ~4e-14,
    # far above the rounding of Q): the root itself, not a point within a solver tolerance of it
    k = len(yi)
    low, high = (float(x) for x in q_profile_interval(yi, vi))
    for tau2, target in ((float(estimate_tau2(yi, vi, "PM")), k - 1), (low, stats.chi2.isf(0.025, k - 1)),
                         (high, stats.chi2.ppf(0.025, k - 1))):
        assert _q(yi, vi, tau2 * (1 - 1e-14)) > target > _q(yi, vi, tau2 * (1 + 1e-14))


def test_typical_variance_of_a_stack_is_each_analysis_own():
    # metafor's s² = (k − 1)·Σw / ((Σw)² − Σw²), w = 1/v, for each row of a stack of analyses (batch, leave-one-out)
    rows = [[0.02, 0.03, 0.05, 0.04], [0.5, 1.0, 2.0, 4.0]]
    expected = [3 * sum(1 / v for v in r) / (sum(1 / v for v in r) ** 2 - sum(1 / v**2 for v in r)) for r in rows]
    assert typical_variance(np.array(rows)) == pytest.approx(expected, rel=1e-12)


def test_q_and_likelihood_terms_of_one_analysis_given_as_a_flat_array():
    # the public terms work along the last axis, so one analysis may be 1-D. By hand for y = 0, 1, 3 with weights
    # w = 1, 1, 2: μ̂ = 7/4, Q = Σw(y − μ̂)² = 49/16 + 9/16 + 2·25/16 = 27/4, dQ/dτ² = −Σw²(y − μ̂)² = −(49 + 9 + 4·25)/16
    y, w = np.array([0.0, 1.0, 3.0]), np.array([1.0, 1.0, 2.0])
    q, slope = q_terms(y, w)
    assert q == pytest.approx(27 / 4, rel=1e-14) and slope == pytest.approx(-158 / 16, rel=1e-14)
    # ML log-likelihood −½Σlog(v + τ²) − ½Q with Σlog(v + τ²) = log 2 (v + τ² = 1, 1, 1/2); REML also −½ log Σw
    ml = log_likelihood_terms(y, w, np.log(0.5), False)
    reml = log_likelihood_terms(y, w, np.log(0.5), True)
    assert ml == pytest.approx(-0.5 * math.log(0.5) - 27 / 8, rel=1e-14)
    assert reml == pytest.approx(ml - 0.5 * math.log(4), rel=1e-14)
