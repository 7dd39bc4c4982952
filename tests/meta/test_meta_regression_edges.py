"""sysrev.meta.regression.meta_regression beyond Egger's test: a dummy moderator given as a table, and its
choices. Expected values are metafor 3.8-1's (R code in the comments, `options(digits=15)`)."""

import warnings

import pandas as pd
import pytest

from sysrev.errors import SysrevError
from sysrev.meta.bias import egger_test
from sysrev.meta.regression import meta_regression

YI = [0.1, 0.6, 0.35, 0.9, -0.2, 0.5]
VI = [0.02, 0.03, 0.05, 0.04, 0.01, 0.06]
# an intercept and a yes/no moderator, as a data frame (numpy reads a table of ints and bools as objects)
X = pd.DataFrame({"intercept": 1, "group": [False, False, True, True, False, True]})


def close(value, expected):
    return value == pytest.approx(expected, rel=1e-6)


def test_a_dummy_moderator_given_as_a_table_matches_metafor():
    # g <- c(F,F,T,T,F,T); rma(yi, vi, mods=~g, method="REML", control=list(threshold=1e-12, tol=1e-12))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warning (or deprecated call) on the way to the root
        fit = meta_regression(YI, VI, X, "REML")
        # rma(yi, vi, mods=~g, method="PM", control=list(tol=1e-15))$tau2: 0.0940392487807551
        assert close(meta_regression(YI, VI, X, "PM").tau2, 0.0940392487807551)
    assert close(fit.tau2, 0.0997440123047717) and fit.df is None
    assert all(map(close, fit.beta, [0.144500389032426, 0.448097663141119]))
    assert all(map(close, fit.se, [0.199320488826477, 0.299156657442017]))
    assert all(map(close, fit.statistic, [0.724965054436649, 1.49786960107337]))
    # the same with test="knha": t with k − p = 4 df
    fit = meta_regression(YI, VI, X, "REML", test="hksj")
    assert fit.df == 4
    assert all(map(close, fit.se, [0.194784900805213, 0.292349272210504]))
    assert all(map(close, fit.p, [0.499375440399659, 0.200108322910188]))


def test_an_unknown_test_is_an_error_naming_the_choices():
    # "Z" or "knha" must not quietly give the normal-theory test
    for test in ("Z", "knha"):
        with pytest.raises(SysrevError, match=f"unknown meta-regression test '{test}' \\(choose one of z, hksj, lm\\)"):
            meta_regression(YI, VI, X, "REML", test=test)


def test_ml_egger_regression_on_a_likelihood_with_several_stationary_points_matches_metafor():
    # precise small effects and imprecise large ones: Fisher scoring (step g/Σw² for ML) from the Hedges value ends
    # near τ² = 0.016, not on the stationary point near 0.79. metafor: rma(yi, vi, mods=~sqrt(vi), method="ML",
    # control=list(threshold=1e-10, maxiter=10000)): tau2 0.0160561347082238, z (slope) 5.75044399662413,
    # intercept -0.160588264113073
    yi = [0.137, -0.0817, 2.2396, 4.3156, 4.717, 3.4897, 5.0541, 3.9534]
    vi = [0.0066, 0.0116, 4.3303, 0.5965, 4.4849, 5.5965, 6.3422, 2.1173]
    test = egger_test(yi, vi, "ML")
    assert close(test.statistic, 5.75044399662413) and close(test.limit_estimate, -0.160588264113073)
    X = pd.DataFrame({"intercept": 1.0, "se": [v**0.5 for v in vi]})
    assert close(meta_regression(yi, vi, X, "ML").tau2, 0.0160561347082238)
