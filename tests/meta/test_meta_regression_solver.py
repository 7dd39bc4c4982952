"""sysrev.meta.regression's τ² solvers where their numerical path decides the answer: effects on any scale,
a Paule–Mandel root far above the first bracket, likelihoods with more than one stationary point (Fisher
scoring's steps and the check against τ² = 0 decide), equal variances (closed forms by hand) and numbers given
as Decimal. Expected values are metafor 3.8-1's, R's uniroot on the estimating equation written out (R code in
the comments, `options(digits=15)`), or hand arithmetic."""

from decimal import Decimal

import numpy as np
import pytest

from sysrev.meta.regression import estimate_tau2, meta_regression

# four studies, an intercept and a yes/no moderator; the ML likelihood rises from τ² = 0 only after a dip
# (its equation is negative at 0, positive above, zero at the maximum τ² = 0.5078)
YI = np.array([-0.94, -0.06, -2.59, 0.11])
VI = np.array([0.205, 0.855, 0.0058, 0.0257])
X = np.column_stack([np.ones(4), [1, 1, 1, 0]])


@pytest.mark.parametrize("scale", [1.0, 0.003, 1e-4, 1e-6])
def test_ml_and_reml_scale_with_the_effects(scale):
    # Effects in other units (yi·s, vi·s²) give τ²·s². metafor:
    # yi <- c(-0.94, -0.06, -2.59, 0.11); vi <- c(0.205, 0.855, 0.0058, 0.0257); x <- c(1, 1, 1, 0)
    # rma(yi*s, vi*s^2, mods=~x, method="ML", control=list(threshold=1e-12*s^2))$tau2 / s^2: 0.50780702211958
    # for s = 1, 0.003, 1e-4 and 1e-6 (REML: 1.39194697932594). With its default threshold (1e-5, absolute) metafor
    # stops after one Fisher step for s = 0.003 at 0.563552819411179·s², where the likelihood equation is
    # negative; the root next to that point is the maximum above, not τ² = 0 (whose log-likelihood is lower:
    # logLik -8.44344149751012 at τ² = 0, -5.14174935722372 at the maximum, for s = 1).
    ml = estimate_tau2(YI * scale, VI * scale**2, X, "ML")
    reml = estimate_tau2(YI * scale, VI * scale**2, X, "REML")
    # to 1e-9 on every scale: the root's tolerance is relative to the variances, not an absolute 1e-15 (which
    # left τ² = 5e-13 only 6 digits)
    assert ml == pytest.approx(0.50780702211958 * scale**2, rel=1e-9, abs=0)
    assert reml == pytest.approx(1.39194697932594 * scale**2, rel=1e-9, abs=0)


def test_paule_mandel_root_far_above_the_first_bracket():
    # A regression through the origin on a ±1 moderator: the effects (all near 3) stay in the residuals, so
    # the PM τ² (about 10.7) lies far above the first upper bracket max(1, range²) = 1. The root of
    # Σ w(y − b·d)² = k − p, with w = 1/(vi + τ²) and b = Σwdy/Σwd², by R:
    # yi <- c(2.9, 3.1, 3.0, 2.8, 3.2, 3.0); vi <- c(0.04, 0.09, 0.05, 0.12, 0.08, 0.06); d <- c(-1, 1, -1, 1, -1, 1)
    # f <- function(t) {w <- 1/(vi+t); b <- sum(w*d*yi)/sum(w*d^2); sum(w*(yi-b*d)^2) - 5}
    # uniroot(f, c(0, 100), tol=1e-15)$root: 10.7453134900145; then b = -0.0377612548023041, se 1.3427943589942262
    yi = [2.9, 3.1, 3.0, 2.8, 3.2, 3.0]
    vi = [0.04, 0.09, 0.05, 0.12, 0.08, 0.06]
    d = [[-1.0], [1.0], [-1.0], [1.0], [-1.0], [1.0]]
    fit = meta_regression(yi, vi, d, "PM")
    assert fit.tau2 == pytest.approx(10.7453134900145, rel=1e-9)
    assert fit.beta[0] == pytest.approx(-0.0377612548023041, rel=1e-9)
    assert fit.se[0] == pytest.approx(1.3427943589942262, rel=1e-9)


def test_numbers_given_as_decimal_give_float_results():
    # A database driver returns NUMERIC columns as Decimal, which does not mix with floats: every input is
    # converted. metafor (as tests/meta/test_meta_regression_edges.py):
    # yi <- c(0.1, 0.6, 0.35, 0.9, -0.2, 0.5); vi <- c(0.02, 0.03, 0.05, 0.04, 0.01, 0.06); g <- c(0,0,1,1,0,1)
    # rma(yi, vi, mods=~g, method="REML", control=list(threshold=1e-12, tol=1e-12)): tau2 0.0997440123047717,
    # estimates 0.144500389032426 0.448097663141119, se 0.199320488826477 0.299156657442017
    yi = [Decimal(t) for t in ("0.1", "0.6", "0.35", "0.9", "-0.2", "0.5")]
    vi = [Decimal(t) for t in ("0.02", "0.03", "0.05", "0.04", "0.01", "0.06")]
    x = [[Decimal(1), Decimal(g)] for g in (0, 0, 1, 1, 0, 1)]
    fit = meta_regression(yi, vi, x, "REML")
    assert fit.tau2 == pytest.approx(0.0997440123047717, rel=1e-6)
    assert fit.beta == pytest.approx([0.144500389032426, 0.448097663141119], rel=1e-6)
    assert fit.se == pytest.approx([0.199320488826477, 0.299156657442017], rel=1e-6)
    assert fit.p.dtype == float and np.isfinite(fit.p).all()


def test_ml_follows_fisher_scoring_to_the_maximum_metafor_finds():
    # three precise null studies and three imprecise large effects: the ML equation is negative just above the
    # Hedges start, so the answer depends on Fisher scoring's steps (g/Σw² for ML) carrying τ² up to 7.08.
    # yi <- c(-0.058, -0.088, -0.231, 6.297, 6.164, 4.77); vi <- c(0.0163, 0.0077, 0.0153, 3.1439, 2.5909, 3.2816)
    # rma(yi, vi, method="ML", control=list(threshold=1e-12)): tau2 7.08198498213235, logLik -15.0113945012081
    # (-18.8888011615367 at τ² = 0); with the default threshold 7.08198537728231
    yi = [-0.058, -0.088, -0.231, 6.297, 6.164, 4.77]
    vi = [0.0163, 0.0077, 0.0153, 3.1439, 2.5909, 3.2816]
    fit = meta_regression(yi, vi, np.ones((6, 1)), "ML")
    assert fit.tau2 == pytest.approx(7.08198498213235, rel=1e-6)


def test_a_reml_maximum_below_the_likelihood_at_zero_gives_zero():
    # two precise null studies, two imprecise large effects: the REML equation has a root at τ² = 3.923, but
    # the restricted likelihood is higher at τ² = 0, and metafor (ll0check) reports 0:
    # yi <- c(-0.059, -0.016, 4.404, 4.235); vi <- c(0.0119, 0.012, 4.1422, 3.5684)
    # rma(yi, vi, method="REML")$tau2: 0 (warning "Setting tau^2 = 0"); with ll0check=FALSE and
    # threshold=1e-12: 3.92330361920966, logLik -6.97163123660895 against -6.50748134476568 at τ² = 0
    yi = [-0.059, -0.016, 4.404, 4.235]
    vi = [0.0119, 0.012, 4.1422, 3.5684]
    assert meta_regression(yi, vi, np.ones((4, 1)), "REML").tau2 == 0.0


def test_ml_stays_at_zero_when_fisher_scoring_stops_there():
    # one precise small effect, five imprecise larger ones: the ML equation is negative at τ² = 0 and Fisher
    # scoring stops there (a negative step at 0 is not taken); metafor:
    # yi <- c(0.088, 2.164, 2.831, 1.857, 2.294, 2.591); vi <- c(0.0078, 7.0254, 5.6623, 0.3298, 1.2931, 7.619)
    # rma(yi, vi, method="ML")$tau2: 0 (also with control=list(threshold=1e-12))
    yi = [0.088, 2.164, 2.831, 1.857, 2.294, 2.591]
    vi = [0.0078, 7.0254, 5.6623, 0.3298, 1.2931, 7.619]
    assert meta_regression(yi, vi, np.ones((6, 1)), "ML").tau2 == 0.0


def test_reml_with_a_moderator_follows_the_restricted_scoring_steps():
    # four precise null studies, four imprecise large effects, a yes/no moderator: REML's Fisher scoring (steps
    # (yᵀPPy − tr P)/tr(PP)) reaches the maximum at 0.8415 (ML's steps, from the same start, end at 0). metafor:
    # yi <- c(-0.032, 0.084, -0.091, -0.085, 2.452, 2.409, 2.484, 1.99); g <- c(1, 0, 1, 1, 0, 1, 0, 1)
    # vi <- c(0.0176, 0.0146, 0.0086, 0.0031, 0.9391, 7.7045, 1.3347, 0.5924)
    # rma(yi, vi, mods=~g, method="REML", control=list(threshold=1e-12))$tau2: 0.841544724255218
    # (0.84154245649274 with the default threshold)
    yi = [-0.032, 0.084, -0.091, -0.085, 2.452, 2.409, 2.484, 1.99]
    vi = [0.0176, 0.0146, 0.0086, 0.0031, 0.9391, 7.7045, 1.3347, 0.5924]
    x = np.column_stack([np.ones(8), [1, 0, 1, 1, 0, 1, 0, 1]])
    assert meta_regression(yi, vi, x, "REML").tau2 == pytest.approx(0.841544724255218, rel=1e-9)


@pytest.mark.parametrize("scale", [1.0, 1e-3, 1e-6, 1e-8])
def test_paule_mandel_scales_with_the_effects(scale):
    # (yi·s, vi·s²) gives τ²·s² to 1e-9 on every scale (an absolute tolerance of 1e-15 left τ² = 1e-13 with
    # 3 digits and was 75 times too large at s = 1e-8). metafor:
    # yi <- c(0.1, 0.6, 0.35, 0.9, -0.2, 0.5); vi <- c(0.02, 0.03, 0.05, 0.04, 0.01, 0.06); g <- c(0,0,1,1,0,1)
    # rma(yi, vi, mods=~g, method="PM", control=list(tol=1e-15))$tau2: 0.0940392487807551
    yi = np.array([0.1, 0.6, 0.35, 0.9, -0.2, 0.5]) * scale
    vi = np.array([0.02, 0.03, 0.05, 0.04, 0.01, 0.06]) * scale**2
    x = np.column_stack([np.ones(6), [0, 0, 1, 1, 0, 1]])
    assert estimate_tau2(yi, vi, x, "PM") == pytest.approx(0.0940392487807551 * scale**2, rel=1e-9, abs=0)


@pytest.mark.parametrize("v", [0.04, 0.2])
def test_equal_variances_give_the_closed_form_ml_and_reml(v):
    # With every vi = v, P = (I − H)/(v + τ²) and the (RE)ML equations solve by hand: τ² = RSS/k − v (ML) and
    # RSS/(k − p) − v (REML), truncated at 0, RSS the least-squares residual sum of squares. Two groups of three:
    # (0.2, 0.5, 0.9), mean 1.6/3, SS 0.74/3; (0.1, 0.7, 1.3), mean 0.7, SS 0.72; RSS = 2.9/3, k = 6, p = 2.
    # Fisher scoring is exact here: one step lands on the root (for v = 0.2, ML's lands below 0 from the Hedges
    # start 2.9/12 − 0.2, and is halved on the way to 0). metafor agrees: rma(yi, v, mods=~g, method="ML",
    # control=list(threshold=1e-12))$tau2 0.121111111111111 and 2.3e-13; REML 0.201666666666667, 0.0416666666666666.
    yi = [0.2, 0.5, 0.9, 0.1, 0.7, 1.3]
    x = np.column_stack([np.ones(6), [0, 0, 0, 1, 1, 1]])
    rss = 2.9 / 3
    assert estimate_tau2(np.array(yi), np.full(6, v), x, "ML") == pytest.approx(max(0.0, rss / 6 - v), abs=1e-12)
    assert estimate_tau2(np.array(yi), np.full(6, v), x, "REML") == pytest.approx(rss / 4 - v, rel=1e-12)


def test_nearly_equal_variances_where_scoring_ends_next_to_the_root():
    # the same studies, one variance 0.041: Fisher scoring is nearly exact, so it stops within rounding of the
    # root and the first step of the walk already brackets it. metafor:
    # yi <- c(0.2, 0.5, 0.9, 0.1, 0.7, 1.3); g <- c(0,0,0,1,1,1); vi <- c(0.04, 0.04, 0.04, 0.04, 0.04, 0.041)
    # rma(yi, vi, mods=~g, method="ML", control=list(threshold=1e-12))$tau2: 0.120533870924842 (REML 0.201089348008923)
    yi = np.array([0.2, 0.5, 0.9, 0.1, 0.7, 1.3])
    vi = np.array([0.04, 0.04, 0.04, 0.04, 0.04, 0.041])
    x = np.column_stack([np.ones(6), [0, 0, 0, 1, 1, 1]])
    assert estimate_tau2(yi, vi, x, "ML") == pytest.approx(0.120533870924842, rel=1e-9)
    assert estimate_tau2(yi, vi, x, "REML") == pytest.approx(0.201089348008923, rel=1e-9)


@pytest.mark.parametrize(
    "yi, vi, group, expected",
    [
        # rma(yi, vi, method="REML")$tau2: 0 ("Setting tau^2 = 0"); with ll0check=FALSE, threshold=1e-12:
        # 1.35840743429492, logLik -9.57043247361898 against -9.09785069700824 at τ² = 0
        ([-0.008, -0.038, -0.194, 3.21, 2.159, 3.381], [0.0073, 0.0179, 0.0063, 1.4076, 2.6818, 2.9056], None, 0.0),
        # rma(yi, vi, mods=~g, method="REML", control=list(threshold=1e-12)): 2.15901052284259, logLik
        # -6.28521709079627 against -7.18274570319966 at τ² = 0, so the maximum is kept
        ([-0.049, 2.88, 2.954, 2.898, 1.85], [0.0082, 4.7309, 4.0172, 5.7591, 7.5079], [0, 0, 0, 0, 1],
         2.15901052284259),
    ],
)
def test_reml_compares_restricted_likelihoods_at_zero_and_at_the_root(yi, vi, group, expected):
    # the check against τ² = 0 compares the restricted log-likelihood (with −½ log det XᵀWX) at both points; the
    # unrestricted one at the root is higher by ½ log det XᵀWX, which flips both decisions here (metafor 3.8-1)
    x = np.ones((len(yi), 1)) if group is None else np.column_stack([np.ones(len(yi)), group])
    assert meta_regression(yi, vi, x, "REML").tau2 == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("v", [0.04, 0.25])
def test_equal_variances_give_the_closed_form_paule_mandel(v):
    # With every vi = v the PM equation RSS/(v + τ²) = k − p solves by hand: τ² = RSS/(k − p) − v, and 0 when
    # Q_E = RSS/v is already ≤ k − p (v = 0.25: Q_E = (2.9/3)/0.25 = 3.87 ≤ 4). Same studies as above.
    yi = np.array([0.2, 0.5, 0.9, 0.1, 0.7, 1.3])
    x = np.column_stack([np.ones(6), [0, 0, 0, 1, 1, 1]])
    assert estimate_tau2(yi, np.full(6, v), x, "PM") == pytest.approx(max(0.0, 2.9 / 3 / 4 - v), rel=1e-12)
