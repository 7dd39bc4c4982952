"""Edges of the small-study tests (sysrev.meta.bias): the fewest studies each accepts, studies without an
estimate, which side trim-and-fill fills, the exact Kendall p-value, whole fail-safe numbers, and the errors.

Expected values are metafor 3.8-1's (R code in the comments, `options(digits=15)`) or hand arithmetic.
"""

import math
import warnings

import numpy as np
import pytest

from sysrev.errors import SysrevError
from sysrev.meta.bias import egger_test, fail_safe_n, rank_correlation_test, trim_and_fill

# Three studies, the fewest Egger's test, the rank test and trim-and-fill accept; Egger's slope 0.569 lies in (0, 1).
YI3, VI3 = [0.10, 0.15, 0.22], [0.01, 0.04, 0.09]


def close(value, expected, rel=1e-9):
    return value == pytest.approx(expected, rel=rel, abs=1e-12)


def test_egger_with_three_studies_matches_metafor():
    # fe <- rma(yi, vi, method="FE"); regtest(fe); rma(yi, vi, mods=~sqrt(vi), method="FE")$se[1]
    test = egger_test(YI3, VI3)
    assert close(test.statistic, 0.41464554286359) and close(test.p, 0.678401403227572)
    assert test.df is None
    assert close(test.limit_estimate, 0.0423076923076925) and close(test.limit_se, 0.203809866146027)
    # regtest(fe, model="lm"): lm(yi ~ sqrt(vi), weights=1/vi), intercept SE 0.00799408065031788
    classic = egger_test(YI3, VI3, model="lm")
    assert close(classic.statistic, 10.5714285714286) and close(classic.p, 0.0600421262249967)
    assert classic.df == 1
    assert close(classic.limit_estimate, 0.0423076923076924) and close(classic.limit_se, 0.00799408065031788)


def test_rank_test_with_three_studies_matches_metafor():
    # ranktest(fe): the deviates rise with vi, tau = 1; exact p = P(|T| >= 1) = 2/3! = 1/3
    rank = rank_correlation_test(YI3, VI3)
    assert close(rank.tau, 1.0) and close(rank.p, 1 / 3)


def test_trim_and_fill_with_three_studies_matches_metafor():
    # trimfill(fe): Egger's slope 0.569 > 0, so the missing studies are on the left
    fill = trim_and_fill(YI3, VI3)
    assert fill.k0 == 2 and fill.side == "left"
    assert close(fill.estimate, 0.1) and close(fill.se, 0.0762000762001143)
    assert close(fill.z, 1.31233464566864) and close(fill.p, 0.189407247320276)
    assert close(fill.ci_low, -0.0493494049714318) and close(fill.ci_high, 0.249349404971432)
    # the fixed-effect model has no τ² (None, not 0)
    assert fill.tau2 is None
    # the two largest estimates mirrored about the trimmed centre 0.10 (hand arithmetic), with their variances
    assert np.allclose(sorted(fill.filled_yi), [2 * 0.10 - 0.22, 2 * 0.10 - 0.15])
    assert sorted(fill.filled_vi) == [0.04, 0.09]


def test_a_study_without_an_estimate_is_left_out():
    # None (or NaN) in yi or vi: the study has no estimate; the tests run on the other three, as metafor does
    yi, vi = [*YI3, None, 0.3, float("nan")], [*VI3, 0.05, None, 0.02]
    assert close(egger_test(yi, vi).statistic, 0.41464554286359)
    assert close(rank_correlation_test(yi, vi).p, 1 / 3)
    assert trim_and_fill(yi, vi).k0 == 2
    assert fail_safe_n(yi, vi).n == 0  # fsn(yi, vi) on the three: 0
    # an infinite variance is no estimate either: one study is left, z = 0.5/0.2 = 2.5, N = 1.31 -> 2
    assert fail_safe_n([0.1, float("nan"), 0.5], [float("inf"), 0.04, 0.04]).n == 2


@pytest.mark.parametrize("call,name", [(egger_test, "Egger's test"), (rank_correlation_test, "rank correlation test"),
                                       (trim_and_fill, "trim-and-fill")])
def test_two_studies_are_too_few_and_the_error_names_the_test(call, name):
    with pytest.raises(SysrevError, match=f"{name} needs at least 3 studies with an estimate \\(got 2\\)"):
        call(YI3[:2], VI3[:2])


def test_the_fail_safe_n_of_one_study():
    # k = 1, vi = 1: z = yi; N = (z / z_0.95)^2 - 1. yi = 2·z_0.95 + 1e-14 gives N = 3 + 1.2e-14, a whole number
    # up to rounding error: 3, not rounded up to 4 (metafor: fsn(3.28970725390295, 1)$fsnum = 3)
    result = fail_safe_n([3.28970725390295], [1.0])
    assert result.n == 3
    assert close(result.p, 0.000501458332820473)  # pnorm(-3.28970725390295)
    # yi = 2.5, vi = 1: N = (2.5 / 1.644853627)^2 - 1 = 1.31 -> rounded up to 2
    assert fail_safe_n([2.5], [1.0]).n == math.ceil((2.5 / 1.6448536269514722) ** 2 - 1) == 2
    with pytest.raises(SysrevError, match="the fail-safe N needs at least 1 studies with an estimate \\(got 0\\)"):
        fail_safe_n([float("nan")], [0.1])


def test_trim_and_fill_fills_the_side_of_the_analysis_model():
    # Egger's slope is +1.24 with fixed effect but -3.32 with REML τ²: the REML analysis fills on the right
    yi, vi = [1.84, -0.08, 0.99, 0.04, -2.24, -0.57], [0.21, 0.17, 0.24, 0.22, 0.47, 0.07]
    # trimfill(rma(yi, vi, method="REML")): k0 = 0, side right, tau2 1.50089961884781, estimate 0.034489692059311
    fill = trim_and_fill(yi, vi, "REML")
    assert fill.side == "right" and fill.k0 == 0
    assert close(fill.tau2, 1.50089961884781, rel=1e-6) and close(fill.estimate, 0.034489692059311, rel=1e-6)
    # trimfill(rma(yi, vi, method="FE")): side left
    assert trim_and_fill(yi, vi).side == "left"


def test_rank_test_deviates_use_the_variance_of_the_fixed_effect_estimate():
    # (yi - θ̂)/sqrt(vi - 1/Σw): with 1/(2Σw) the ranks of the deviates change; ranktest(yi, vi): tau -0.2
    rank = rank_correlation_test([-0.66, -0.67, 0.38, -0.11, 1.48], [0.52, 0.53, 0.96, 0.38, 0.26])
    assert close(rank.tau, -0.2) and close(rank.p, 0.816666666666667)


def test_rank_test_p_with_tied_variances_is_the_normal_approximation():
    # ranktest(c(.10, .15, .22, .4), c(.01, .04, .04, .09)): tau 0.912870929175277 (tau-b), p 0.0709514924273057
    # ("Cannot compute exact p-value with ties"); the deviates have no ties, the variances do
    rank = rank_correlation_test([0.10, 0.15, 0.22, 0.4], [0.01, 0.04, 0.04, 0.09])
    assert close(rank.tau, 0.912870929175277) and close(rank.p, 0.0709514924273057)


def test_rank_test_p_is_exact_without_ties_even_for_many_studies():
    # i <- 1:40; ranktest(0.5*sin(i), 0.02 + 0.01*i): exact p 0.953858089406086 (normal approximation 0.944268)
    i = np.arange(1, 41)
    rank = rank_correlation_test(0.5 * np.sin(i), 0.02 + 0.01 * i)
    assert close(rank.tau, -0.00769230769230769) and close(rank.p, 0.953858089406086)


@pytest.mark.parametrize("estimator", ["L0", "R0"])
def test_identical_estimates_have_no_missing_studies(estimator):
    # Four trials with no difference between arms (yi = 0): every centred estimate is 0, no rank is positive,
    # so L0 = (4·0 − 4·5)/7 < 0 and R0 = γ* − 1 = −1 (γ*, the run of positive ranks, is empty): both 0.
    # metafor: trimfill(rma(rep(0, 4), c(.1, .2, .3, .4), method="FE")) gives k0 = 0 on the left (Egger's
    # slope is exactly 0, not negative); with estimator="R0" it stops with an error (max() over no rank).
    fill = trim_and_fill([0.0, 0.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4], estimator=estimator)
    assert fill.k0 == 0 and fill.side == "left" and fill.estimate == 0.0
    assert len(fill.filled_yi) == len(fill.filled_vi) == 0
    assert close(fill.se, 1 / math.sqrt(10 + 5 + 10 / 3 + 2.5))  # 1/sqrt(Σ 1/vi), the four studies only


@pytest.mark.parametrize("estimator", ["L0", "R0"])
@pytest.mark.parametrize("value", [0.3, 98.6])
def test_identical_estimates_are_not_given_signs_by_rounding_error(estimator, value):
    # Five estimates of 0.3: the pooled mean is 0.3 only up to rounding, and signs taken from that noise made
    # k0 flip-flop until "did not converge" (metafor 3.8-1 reports k0 = 3 here, from the same noise).
    # Estimates on the centre up to rounding count as on it: no missing study, the estimate stays the value.
    # The rounding error grows with the estimates' size (98.6, e.g. a mean in raw units), and so must the margin.
    fill = trim_and_fill([value] * 5, [0.05, 0.07, 0.11, 0.13, 0.2], estimator=estimator)
    assert fill.k0 == 0 and close(fill.estimate, value)


def test_unknown_choices_are_errors_naming_the_choice():
    with pytest.raises(SysrevError, match="unknown Egger model 'wls' \\(rma or lm\\)"):
        egger_test(YI3, VI3, model="wls")
    with pytest.raises(SysrevError, match="unknown trim-and-fill estimator 'Q0' \\(L0 or R0\\)"):
        trim_and_fill(YI3, VI3, estimator="Q0")


def test_a_misspelt_interval_method_is_an_error():
    # a misspelt interval method must not quietly give z-based results
    for call in (egger_test, trim_and_fill):
        with pytest.raises(SysrevError, match="unknown confidence-interval method 'HKSJ' \\(choose one of z, hksj\\)"):
            call(YI3, VI3, "DL", ci="HKSJ")


def test_the_small_study_tests_raise_no_numpy_warnings():
    # a warning printed in the middle of `sysrev meta pool --bias` output (or an error under -W error, or in a
    # later numpy for a deprecated call) is a defect of its own
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        egger_test(YI3, VI3, "REML")
        egger_test(YI3, VI3, model="lm")
        rank_correlation_test(YI3, VI3)
        fail_safe_n(YI3, VI3)
        trim_and_fill(YI3, VI3, "REML")
        trim_and_fill([0.0] * 4, [0.1, 0.2, 0.3, 0.4], estimator="R0")


def test_equal_standard_errors_leave_no_egger_slope_and_say_so():
    # Every study with the same SE: the predictor of Egger's regression is constant, the slope does not exist
    # (metafor: "Model matrix no longer of full rank"); the fit was rounding noise, NaN or a LinAlgError traceback.
    yi, vi = [0.3, 0.5, 0.1, 0.9], [0.1] * 4
    for model in ("rma", "lm"):
        with pytest.raises(SysrevError, match="^Egger's test needs studies whose standard errors differ: "
                                              "all 4 have SE 0.3162"):
            egger_test(yi, vi, model=model)
    side_message = "^trim-and-fill \\(its side comes from Egger's slope; give side= otherwise\\) needs studies whose"
    with pytest.raises(SysrevError, match=side_message + " standard errors differ"):
        trim_and_fill(yi, vi)
    # equal is relative to their size: SEs of 100 that differ by 1e-7 (in the 10th digit) are equal too
    with pytest.raises(SysrevError, match="all 3 have SE 100"):
        egger_test([0.3, 0.5, 0.1], [1e4, 1e4, (100 + 1e-7) ** 2])
    # with the side given, trim-and-fill needs no slope: equal weights, centre = mean 0.45; the centred values
    # -0.35, -0.15, 0.05, 0.45 have signed ranks -3, -2, 1, 4: L0 = (4·5 − 20)/7 = 0, nothing to fill
    fill = trim_and_fill(yi, vi, side="left")
    assert fill.k0 == 0 and close(fill.estimate, 0.45) and close(fill.se, math.sqrt(0.1 / 4))


def test_tied_distances_from_the_centre_are_ranked_in_sorted_order():
    # metafor: rank(abs(yi - beta), ties.method="first") on the estimates sorted by size. Hand arithmetic:
    # sorted y -3, -2, -1, 2, 3, 5 with w = 1/v = 1, .5, 1, 1, 1, .5: centre 2.5/5 = 0.5; distances 3.5, 2.5, 1.5,
    # 1.5, 2.5, 4.5, the ties (-1 before 2, -2 before 3) ranked first come first: signed ranks -5, -3, -1, +2, +4,
    # +6, L0 = (4·12 − 42)/11 = 0.55 -> 1. Without 5: centre 0, signed ranks -4, -2, -1, +3, +5, +6, L0 = 14/11
    # -> 1 again. Filled: 2·0 − 5 = −5 (v 2); estimate (2.5 − 2.5)/5.5 = 0, SE 1/√5.5.
    # trimfill(rma(yi, vi, method="FE"), side="left"): k0 1, estimate 5.6e-17, SE 0.42640143271122088
    fill = trim_and_fill([3, 5, 2, -1, -3, -2], [1, 2, 1, 1, 1, 2], side="left")
    assert fill.k0 == 1 and abs(fill.estimate) < 1e-15 and close(fill.se, 1 / math.sqrt(5.5))
    assert list(fill.filled_yi) == [-5.0] and list(fill.filled_vi) == [2.0]


def test_tied_estimates_keep_their_order_when_trimmed():
    # The two estimates of 5 keep their input order when sorted (v = 2, then v = 1), so the first one trimmed is
    # the one with v = 1. Hand arithmetic (w = 1/v): centre 7.5/4 = 1.875, L0 = (4·13 − 42)/11 -> 1; centre
    # 2.5/3 -> L0 = 26/11 -> 2; centre 0 -> 30/11 -> 3; centre −1.5/2 = −0.75 -> 34/11 -> 3. Filled: the mirror
    # images −4.5, −6.5, −6.5 of 3, 5, 5 (v 2, 2, 1); estimate (7.5 − 12)/6 = −0.75, SE 1/√6.
    # trimfill(rma(yi, vi, method="FE"), side="left"): k0 3, estimate −0.75, SE 0.40824829046386313
    fill = trim_and_fill([5, 1, 5, -3, 3, 2], [2, 2, 1, 1, 2, 2], side="left")
    assert fill.k0 == 3 and close(fill.estimate, -0.75) and close(fill.se, 1 / math.sqrt(6))
    assert np.allclose(fill.filled_yi, [-4.5, -6.5, -6.5]) and list(fill.filled_vi) == [2.0, 2.0, 1.0]
