"""The equations the iterative τ² estimators solve, checked against their matrix definitions.

sysrev.meta.heterogeneity writes the (RE)ML likelihood equation, its derivative and the Fisher information
as sums over studies (``Py = w(y − μ̂)``), vectorised over a stack of analyses. Here each term is rebuilt
from metafor's matrix notation (Viechtbauer 2005): ``W = diag(1/(vi + τ²))``, ``P = W − W11ᵀW/1ᵀW1``;

* REML: g = yᵀPPy − tr P, g' = −2 yᵀPPPy + tr(PP), information tr(PP);
* ML:   g = yᵀPPy − Σw,  g' = −2 yᵀPPPy + Σw²,   information Σw²;
* Q(τ²) = yᵀPy with derivative −yᵀPPy.

The derivative is also checked against a central difference of g, so the test does not rest on the
algebra alone. A wrong derivative or information does not move the converged τ² (the solver is bracketed),
but it breaks the Newton and Fisher-scoring steps the estimators rely on to converge in a few iterations.
"""

import numpy as np
import pytest

from sysrev.meta.heterogeneity import (
    _bracket_near,
    _likelihood_equation,
    _q_and_slope,
    generalised_q,
    weighted_mean,
)

# Viechtbauer (2005) example 1 and Lipsey & Wilson (2001) Exhibit 7.3 (meta_oracles.md rows 10 and 13),
# stacked as two analyses of ten studies each.
YI = np.array([[-0.581, 0.530, 0.771, 1.031, 0.553, 0.295, 0.078, 0.573, -0.176, -0.232],
               [-0.33, 0.32, 0.39, 0.31, 0.17, 0.64, -0.33, 0.15, -0.02, 0.00]])
VI = np.array([[0.023, 0.052, 0.060, 0.115, 0.095, 0.203, 0.200, 0.211, 0.051, 0.040],
               [0.084, 0.035, 0.017, 0.034, 0.072, 0.117, 0.102, 0.093, 0.012, 0.067]])
TAU2 = np.array([0.2, 0.03])


def _matrices(y, v, tau2):
    w = 1 / (v + tau2)
    W = np.diag(w)
    P = W - np.outer(w, w) / w.sum()
    return w, P


def _matrix_terms(y, v, tau2, restricted):
    w, P = _matrices(y, v, tau2)
    g = y @ P @ P @ y - (np.trace(P) if restricted else w.sum())
    information = np.trace(P @ P) if restricted else (w**2).sum()
    slope = -2 * y @ P @ P @ P @ y + information
    return g, slope, information


@pytest.mark.parametrize("restricted", [True, False])
def test_likelihood_equation_derivative_and_information_match_the_matrix_definitions(restricted):
    g, slope, information = _likelihood_equation(YI, VI, restricted)(np.arange(2), TAU2.copy())
    for row in range(2):
        want = _matrix_terms(YI[row], VI[row], TAU2[row], restricted)
        assert g[row] == pytest.approx(want[0], rel=1e-10)
        assert slope[row] == pytest.approx(want[1], rel=1e-10)
        assert information[row] == pytest.approx(want[2], rel=1e-10)


@pytest.mark.parametrize("restricted", [True, False])
def test_likelihood_equation_derivative_is_the_slope_of_g(restricted):
    equation = _likelihood_equation(YI, VI, restricted)
    h = 1e-6
    up = equation(np.arange(2), TAU2 + h)[0]
    down = equation(np.arange(2), TAU2 - h)[0]
    slope = equation(np.arange(2), TAU2.copy())[1]
    assert slope == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_likelihood_equation_evaluates_only_the_rows_asked_for():
    """``rows`` selects analyses of the stack (the solver re-evaluates only unconverged ones)."""
    g_second = _likelihood_equation(YI, VI, True)(np.array([1]), TAU2[1:])[0]
    assert g_second == pytest.approx([_matrix_terms(YI[1], VI[1], TAU2[1], True)[0]], rel=1e-10)


def test_generalised_q_and_its_slope_match_the_matrix_definition():
    q, slope = _q_and_slope(YI, VI, TAU2)
    for row in range(2):
        _, P = _matrices(YI[row], VI[row], TAU2[row])
        assert q[row] == pytest.approx(YI[row] @ P @ YI[row], rel=1e-12)
        assert slope[row] == pytest.approx(-YI[row] @ P @ P @ YI[row], rel=1e-10)
    assert generalised_q(YI, VI, TAU2) == pytest.approx(q, rel=1e-12)


def test_weighted_mean_and_q_work_along_the_last_axis_of_any_stack():
    """One analysis (1-D) and a stack of stacks (3-D) give the same numbers as the 2-D stack."""
    w = 1 / VI
    mean, total = weighted_mean(YI[0], w[0])
    assert mean == pytest.approx((w[0] * YI[0]).sum() / w[0].sum()) and total == pytest.approx(w[0].sum())
    cube_y, cube_v = np.stack([YI, YI[::-1]]), np.stack([VI, VI[::-1]])
    q = generalised_q(cube_y, cube_v, np.array([[0.0, 0.1], [0.1, 0.0]]))
    assert q.shape == (2, 2)
    assert q[0, 0] == pytest.approx(generalised_q(YI[0], VI[0]), rel=1e-12)
    assert q[1, 1] == pytest.approx(generalised_q(YI[0], VI[0]), rel=1e-12)
    assert q[0, 1] == pytest.approx(generalised_q(YI[1], VI[1], 0.1), rel=1e-12)


def _linear(roots):
    """f(x) = root − x for each analysis (decreasing, like the likelihood equation near its root)."""
    roots = np.asarray(roots, dtype=float)
    return lambda rows, x: (roots[rows] - x, -np.ones_like(x))


def test_bracket_near_walks_away_from_x_in_doubling_steps_starting_at_four_last_steps():
    """Hand-traced brackets (docstring of _bracket_near: first step 4·|step|, then doubling, from x), far from
    τ² = 0 (every x and root shifted by C = 10,000, so the cap of a thousandth of x, about 10, never binds).

    row 0: f(C+1) = 3 > 0, steps 2, 4: x + 2 (f 1, lo), x + 4 (f −1, hi)              → [C+3, C+5]
    row 1: f(C+3) = −1.4 < 0, steps 1, 2: x − 1 (f −0.4, hi), x − 2 (f 0.6, lo)       → [C+1, C+2]
    row 2: f(C+1) = 0: x is the root, no walk                                         → [C+1, C+1]
    row 3: f(C+1) = 0.5, step 0.5: x + 2 (f −1.5) at once; lo stays x                 → [C+1, C+3]
    """
    c = 10_000.0
    equation = _linear(c + np.array([4.0, 1.6, 1.0, 1.5]))
    x = c + np.array([1.0, 3.0, 1.0, 1.0])
    step = np.array([0.5, -0.25, 0.3, 0.5])
    lo, hi, found = _bracket_near(equation, x, step)
    assert lo - c == pytest.approx([3.0, 1.0, 1.0, 1.0], abs=1e-11)
    assert hi - c == pytest.approx([5.0, 2.0, 1.0, 3.0], abs=1e-11)
    assert found.tolist() == [True, True, True, True]


def test_bracket_near_starts_at_most_a_thousandth_of_x_away():
    """Near τ² = 0 the first step is capped at x/1000 (here 4·|step| = 1 > 2/1000 = 0.002), so the walk from
    x = 2 visits 2 − 0.002·2ⁿ and cannot jump over a root close to x to the boundary:

    row 0: root 1.9: 2 − 0.064 = 1.936 (f −0.036, hi), 2 − 0.128 = 1.872 (f 0.028, lo)   → [1.872, 1.936]
           (a first step of 4·|step| = 1 would have bracketed [1, 2])
    row 1: root 0.5: 2 − 1.024 = 0.976 (f −0.476, hi), max(2 − 2.048, 0) = 0 (f 0.5, lo)  → [0, 0.976]
    row 2: root −1, below 0: the walk ends at 0 where f = −1 ≤ 0: not found, hi = 0
    """
    equation = _linear([1.9, 0.5, -1.0])
    lo, hi, found = _bracket_near(equation, np.full(3, 2.0), np.full(3, 0.25))
    assert lo[:2] == pytest.approx([1.872, 0.0], abs=1e-12)
    assert hi[:2] == pytest.approx([1.936, 0.976], abs=1e-12)
    assert found.tolist() == [True, True, False]
    assert hi[2] == 0.0


def test_bracket_near_without_a_last_step_starts_at_a_tiny_step_relative_to_x():
    """With no last step the first step is 1e-10·(1 + x): from x = 2, steps 3e-10, 6e-10, 1.2e-9.

    f(2) = 1e-9 (root at 2 + 1e-9): 2 + 3e-10 and 2 + 6e-10 stay below the root, 2 + 1.2e-9 passes it.
    """
    lo, hi, found = _bracket_near(_linear([2 + 1e-9]), np.array([2.0]), np.array([0.0]))
    assert found.tolist() == [True]
    assert lo[0] == pytest.approx(2 + 6e-10, abs=1e-14) and hi[0] == pytest.approx(2 + 1.2e-9, abs=1e-14)
