"""sysrev.meta.batch.pool_inverse_variance called directly (the batch API other stages use, e.g. living
sequential analyses): what it refuses, one study, given τ² values, and batches under HKSJ. Expected values are
worked out by hand in the comments."""

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from sysrev.errors import SysrevError
from sysrev.meta.batch import leave_one_out, pool_inverse_variance


@pytest.mark.parametrize("yi,vi,message", [
    ([0.1, 0.2, 0.3], [0.1, 0.2], "yi and vi must be arrays of the same shape (k,) or (n, k); got (3,) and (2,)"),
    ([[[0.1, 0.2]]], [[[0.1, 0.2]]],
     "yi and vi must be arrays of the same shape (k,) or (n, k); got (1, 1, 2) and (1, 1, 2)"),
    ([0.1, float("nan")], [0.1, 0.2], "yi must be finite and vi finite and positive in every analysis"),
    ([0.1, 0.2], [0.1, float("inf")], "yi must be finite and vi finite and positive in every analysis"),
    ([0.1, 0.2], [0.1, 0.0], "yi must be finite and vi finite and positive in every analysis"),
    ([[0.1, 0.2], [0.3, 0.4]], [[0.1, 0.2], [0.3, -0.4]],
     "yi must be finite and vi finite and positive in every analysis"),
])
def test_malformed_input_is_refused_with_a_message(yi, vi, message):
    with pytest.raises(SysrevError) as info:
        pool_inverse_variance(yi, vi)
    assert str(info.value) == message


def test_unknown_estimator_and_hksj_with_one_study_are_refused():
    with pytest.raises(SysrevError) as info:
        pool_inverse_variance([0.1, 0.2], [0.1, 0.2], "GENQ")
    assert str(info.value) == "unknown tau2 estimator 'GENQ' (choose one of DL, REML, PM, ML, HS, SJ, HE, EB)"
    with pytest.raises(SysrevError) as info:
        pool_inverse_variance([0.1], [0.1], "DL", ci="hksj")
    assert str(info.value) == "Hartung–Knapp–Sidik–Jonkman intervals need at least 2 studies"


def test_two_studies_under_hksj():
    # y = 0, 1 with v = 1, 1; DL: Q = 0.5 < df = 1, τ² = 0; μ = 0.5, Σw(y − μ)² = 0.5, variance (0.5/1)·(1/2)
    out = pool_inverse_variance([0.0, 1.0], [1.0, 1.0], "DL", ci="hksj")
    assert out["estimate"] == pytest.approx(0.5) and out["se"] == pytest.approx(0.5) and out["Q"] == 0.5
    assert out["ci_high"] == pytest.approx(0.5 + stats.t.isf(0.025, 1) * 0.5)
    # Q = 0.5 on 1 df; the prediction interval of a random-effects model, μ ± t(1)·√(SE² + τ²) with τ² = 0
    assert out["Q_p"] == pytest.approx(stats.chi2.sf(0.5, 1))
    assert out["pi_low"] == pytest.approx(0.5 - stats.t.isf(0.025, 1) * 0.5)


def test_one_study_is_its_own_estimate_without_heterogeneity_and_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for tau2 in (None, "REML"):
            out = pool_inverse_variance([0.4], [0.04], tau2)
            assert out["estimate"] == pytest.approx(0.4) and out["se"] == pytest.approx(0.2)
            assert (out["Q"], out["Q_df"]) == (0.0, 0) and math.isnan(out["Q_p"])
            assert math.isnan(out["pi_low"]) and math.isnan(out["pi_high"]) and math.isnan(out["H2"])  # Q/df = 0/0
            assert out["I2_revman"] == 0.0  # Q = 0: no heterogeneity, not 0/0


def test_given_tau2_values_are_used_as_they_are():
    # y = 0, 1, v = 0.1, 0.3 with τ² = 0.1: w = 5, 2.5; μ = 2.5/7.5 = 1/3, SE = √(1/7.5)
    out = pool_inverse_variance([0.0, 1.0], [0.1, 0.3], 0.1)
    assert out["estimate"] == pytest.approx(1 / 3) and out["se"] == pytest.approx(math.sqrt(1 / 7.5))
    assert out["tau2"] == pytest.approx(0.1)
    assert out["weights"].tolist() == pytest.approx([5.0, 2.5])
    # one τ² per analysis, integers accepted
    batch = pool_inverse_variance([[0.0, 1.0], [0.0, 1.0]], [[0.1, 0.3], [0.1, 0.3]], [0, 1])
    assert batch["estimate"].tolist() == pytest.approx([(1 / 0.3) / (1 / 0.1 + 1 / 0.3),
                                                        (1 / 1.3) / (1 / 1.1 + 1 / 1.3)])


def test_each_analysis_of_a_batch_under_hksj_is_its_own():
    # two analyses of two studies: the HKSJ factor Σw(y − μ)²/(k − 1) is each analysis's own
    yi = np.array([[0.0, 1.0], [0.0, 3.0]])
    vi = np.ones((2, 2))
    batch = pool_inverse_variance(yi, vi, "DL", ci="hksj")
    for row in range(2):
        single = pool_inverse_variance(yi[row], vi[row], "DL", ci="hksj")
        assert batch["se"][row] == pytest.approx(single["se"], rel=1e-12)
    # analysis 2 by hand: Q = 4.5, C = 1, τ² = 3.5, w = 1/4.5 each, μ = 1.5, Σw(y − μ)² = 1, SE² = 1·(4.5/2)
    assert batch["tau2"][1] == pytest.approx(3.5) and batch["se"][1] == pytest.approx(math.sqrt(2.25))


def test_leave_one_out_refuses_what_it_cannot_do():
    for args, kwargs, message in [
        (([0.1, 0.2], [0.1, 0.2], "DL"), {}, "leave-one-out needs at least 3 studies for a random-effects model"),
        (([0.1, 0.2], [0.1, 0.2]), {"ci": "hksj"}, "leave-one-out needs at least 3 studies for a random-effects model"),
        (([0.1], [0.1]), {}, "leave-one-out needs at least 2 studies"),
        (([0.1, 0.2, 0.3], [0.1, 0.2, 0.3], 0.5), {},
         "leave-one-out re-estimates τ²: give an estimator name, not values"),
        (([0.1, 0.2, 0.3], [0.1, 0.2, 0.3], "GENQ"), {},
         "unknown tau2 estimator 'GENQ' (choose one of DL, REML, PM, ML, HS, SJ, HE, EB)"),
        (([[0.1, 0.2, 0.3]], [[0.1, 0.2, 0.3]]), {}, "leave_one_out takes one analysis: 1-D yi and vi"),
    ]:
        with pytest.raises(SysrevError) as info:
            leave_one_out(*args, **kwargs)
        assert str(info.value) == message


def test_leave_one_out_of_two_studies_gives_each_the_other():
    out = leave_one_out([0.1, 0.5], [0.04, 0.09])
    assert out["estimate"].tolist() == pytest.approx([0.5, 0.1])
    assert out["se"].tolist() == pytest.approx([0.3, 0.2]) and "weights" not in out


def test_tau2_interval_of_two_studies_at_90_percent():
    # y = 0, 0.5, v = 0.1, 0.2. For two studies Q(τ²) = (y₁ − y₂)²/(v₁ + v₂ + 2τ²). Q(0) = 0.25/0.3 < χ²(0.95, 1):
    # lower bound 0; upper bound where Q(τ²) = χ²(0.05, 1): τ² = (0.25/χ² − 0.3)/2. DL: Q < df, τ² = 0,
    # μ = (0/0.1 + 0.5/0.2)/(10 + 5) = 1/6, SE = √(1/15); typical variance s² = 1/(15 − 125/15) = 0.15
    out = pool_inverse_variance([0.0, 0.5], [0.1, 0.2], "DL", level=90, tau2_interval=True)
    high = (0.25 / stats.chi2.ppf(0.05, 1) - 0.3) / 2
    assert out["tau2_ci_low"] == 0.0 and out["tau2_ci_high"] == pytest.approx(high, rel=1e-9)
    assert out["I2_ci_high"] == pytest.approx(100 * high / (0.15 + high), rel=1e-9)
    assert out["H2_ci_high"] == pytest.approx(high / 0.15 + 1, rel=1e-9)
    assert (out["I2_ci_low"], out["H2_ci_low"]) == (0.0, pytest.approx(1.0))
    assert out["estimate"] == pytest.approx(1 / 6)
    assert out["ci_low"] == pytest.approx(1 / 6 - stats.norm.isf(0.05) * math.sqrt(1 / 15))
    assert out["Q"] == pytest.approx(0.25 / 0.3)


@pytest.mark.parametrize("yi,vi,tau2", [([0.0, 0.5], [0.1, 0.2], None), ([0.4], [0.04], "DL")])
def test_tau2_interval_fields_are_nan_where_no_interval_applies(yi, vi, tau2):
    out = pool_inverse_variance(yi, vi, tau2, tau2_interval=True)
    fields = ("tau2_ci_low", "tau2_ci_high", "I2_ci_low", "I2_ci_high", "H2_ci_low", "H2_ci_high")
    assert all(math.isnan(out[name]) for name in fields)
    assert not set(fields) & set(pool_inverse_variance(yi, vi, tau2))  # asked for only


def test_numbers_given_as_text_are_read_as_numbers():
    out = pool_inverse_variance(["0.0", "0.5"], ["0.1", "0.2"])
    assert out["estimate"] == pytest.approx(1 / 6) and out["se"] == pytest.approx(math.sqrt(1 / 15))
    # given τ² values (one per analysis) too: τ² = 0.1 gives w = 5, 1/0.3, μ = (0.5/0.3)/(5 + 1/0.3) = 0.2
    out = pool_inverse_variance([["0.0", "0.5"]], [["0.1", "0.2"]], ["0.1"])
    assert out["estimate"].tolist() == [pytest.approx(0.2)] and out["tau2"].tolist() == [0.1]


def test_hksj_with_identical_estimates_has_no_spread_and_no_test_statistic_without_warnings():
    # Σw(y − μ̂)² = 0: the HKSJ variance is 0, so there is no z (μ̂/0) and no warning reaches the reviewer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = pool_inverse_variance([0.2, 0.2, 0.2], [0.01, 0.04, 0.09], "DL", ci="hksj")
        fixed = pool_inverse_variance([0.2, 0.2, 0.2], [0.01, 0.04, 0.09])
    assert out["se"] == 0.0 and math.isnan(out["z"]) and out["estimate"] == pytest.approx(0.2)
    assert out["Q"] == pytest.approx(0.0, abs=1e-20)  # 0 up to rounding
    assert (out["I2_revman"], fixed["I2_revman"], fixed["I2"]) == (0.0, 0.0, 0.0)


def test_batch_leave_one_out_of_three_and_of_two_studies_at_90_percent():
    # y = 0, 1, 3 with v = 1: without each, the mean of the other two, SE √(1/2)
    out = leave_one_out([0.0, 1.0, 3.0], [1.0, 1.0, 1.0], level=90)
    assert out["estimate"].tolist() == pytest.approx([2.0, 1.5, 0.5])
    assert out["ci_low"].tolist() == pytest.approx([m - stats.norm.isf(0.05) * math.sqrt(0.5) for m in (2, 1.5, 0.5)])
    two = leave_one_out([0.1, 0.5], [0.04, 0.09], level=90)
    assert two["ci_low"].tolist() == pytest.approx([0.5 - stats.norm.isf(0.05) * 0.3, 0.1 - stats.norm.isf(0.05) * 0.2])
