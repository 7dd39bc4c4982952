"""Properties every meta-analysis must have, checked on generated data (hypothesis).

* the order of the studies changes nothing;
* swapping the arms negates a difference and inverts a ratio (heterogeneity unchanged);
* duplicating every study halves the fixed-effect variance.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from sysrev.errors import SysrevError
from sysrev.meta import meta_analysis

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def binary_tables(draw, min_size=2, max_size=8):
    k = draw(st.integers(min_size, max_size))
    rows = []
    for i in range(k):
        n1, n2 = draw(st.integers(5, 300)), draw(st.integers(5, 300))
        rows.append({"study": f"S{i}", "events1": draw(st.integers(0, n1)), "n1": n1,
                     "events2": draw(st.integers(0, n2)), "n2": n2})
    return pd.DataFrame(rows)


@st.composite
def continuous_tables(draw, min_size=2, max_size=8):
    k = draw(st.integers(min_size, max_size))
    real = st.floats(-50, 50, allow_nan=False)
    sd = st.floats(0.5, 20, allow_nan=False)
    rows = [{"study": f"S{i}", "n1": draw(st.integers(3, 200)), "mean1": draw(real), "sd1": draw(sd),
             "n2": draw(st.integers(3, 200)), "mean2": draw(real), "sd2": draw(sd)} for i in range(k)]
    return pd.DataFrame(rows)


BINARY_ANALYSES = [("RR", "MH", "fixed", "DL"), ("OR", "MH", "fixed", "DL"), ("RD", "MH", "fixed", "DL"),
                   ("PETO", "PETO", "fixed", "DL"), ("OR", "IV", "random", "REML"), ("RR", "MH", "random", "DL"),
                   ("RD", "IV", "random", "PM")]
CONTINUOUS_ANALYSES = [("MD", "IV", "fixed", "DL"), ("SMD", "IV", "random", "DL"), ("MD", "IV", "random", "REML"),
                       ("SMD", "IV", "random", "SJ"), ("MD", "IV", "random", "EB")]


def _run(frame, analysis, **extra):
    measure, method, model, tau2 = analysis
    try:
        return meta_analysis(frame, measure, method=method, model=model, tau2=tau2, **extra).to_dict()
    except SysrevError:
        assume(False)  # e.g. no events at all in one arm: not estimable, nothing to compare


def _same(a, b, rel=1e-9, abs_=1e-12):
    if a is None or b is None:
        return a is None and b is None
    return a == pytest.approx(b, rel=rel, abs=abs_)


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("analysis", BINARY_ANALYSES + CONTINUOUS_ANALYSES)
def test_permuting_studies_changes_nothing(analysis, data):
    strategy = continuous_tables() if analysis[0] in ("MD", "SMD") else binary_tables()
    frame = data.draw(strategy)
    order = data.draw(st.permutations(range(len(frame))))
    before = _run(frame, analysis)
    after = _run(frame.iloc[list(order)].reset_index(drop=True), analysis)
    for field in ("estimate", "ci_low", "ci_high", "se", "Q", "tau2", "I2", "tau2_ci_high"):
        assert _same(after[field], before[field]), field
    weights = {s["study"]: s["weight"] for s in before["studies"]}
    assert all(_same(s["weight"], weights[s["study"]]) for s in after["studies"])


def _swap(frame):
    out = frame.copy()
    pairs = ([("events1", "events2"), ("n1", "n2")] if "events1" in frame
             else [("n1", "n2"), ("mean1", "mean2"), ("sd1", "sd2")])
    for one, two in pairs:
        out[one], out[two] = frame[two], frame[one]
    return out


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("analysis", BINARY_ANALYSES + CONTINUOUS_ANALYSES)
def test_swapping_arms_negates_or_inverts_the_effect(analysis, data):
    strategy = continuous_tables() if analysis[0] in ("MD", "SMD") else binary_tables()
    frame = data.draw(strategy)
    forward, backward = _run(frame, analysis), _run(_swap(frame), analysis)
    if analysis[0] in ("RR", "OR", "PETO"):
        assert backward["estimate"] == pytest.approx(1 / forward["estimate"], rel=1e-9)
        assert backward["ci_low"] == pytest.approx(1 / forward["ci_high"], rel=1e-9)
    else:
        assert backward["estimate"] == pytest.approx(-forward["estimate"], rel=1e-9, abs=1e-12)
        assert backward["ci_low"] == pytest.approx(-forward["ci_high"], rel=1e-9, abs=1e-12)
    assert _same(backward["Q"], forward["Q"]) and _same(backward["tau2"], forward["tau2"])
    assert _same(backward["se"], forward["se"])


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("analysis", [a for a in BINARY_ANALYSES + CONTINUOUS_ANALYSES if a[2] == "fixed"])
def test_duplicating_every_study_halves_the_fixed_effect_variance(analysis, data):
    strategy = continuous_tables() if analysis[0] in ("MD", "SMD") else binary_tables()
    frame = data.draw(strategy)
    twice = pd.concat([frame, frame.assign(study=frame.study + " (copy)")], ignore_index=True)
    once, doubled = _run(frame, analysis), _run(twice, analysis)
    assert doubled["se"] ** 2 == pytest.approx(once["se"] ** 2 / 2, rel=1e-9)
    assert doubled["estimate"] == pytest.approx(once["estimate"], rel=1e-9, abs=1e-12)


@settings(max_examples=10, deadline=None)
@given(k=st.integers(2, 12), seed=st.integers(0, 2**31 - 1))
@example(k=10, seed=190)  # REML where plain Fisher scoring oscillates (metafor at threshold 1e-12 fails too)
@example(k=5, seed=672)  # ML with a local maximum at τ² = 0.0666 below the likelihood at τ² = 0 (metafor: 0)
@pytest.mark.parametrize("tau2", ["DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB"])
def test_batch_rows_equal_single_analyses_and_meta_regression_with_intercept_only(tau2, k, seed):
    from sysrev.meta.batch import pool_inverse_variance
    from sysrev.meta.regression import estimate_tau2

    rng = np.random.default_rng(seed)
    yi = rng.normal(0, 0.6, size=(4, k))
    vi = rng.uniform(0.01, 0.5, size=(4, k))
    batch = pool_inverse_variance(yi, vi, tau2)
    for row in range(4):
        single = pool_inverse_variance(yi[row], vi[row], tau2)
        assert single["estimate"] == pytest.approx(batch["estimate"][row], rel=1e-12)
        general = estimate_tau2(yi[row], vi[row], np.ones((k, 1)), tau2)
        assert general == pytest.approx(single["tau2"], rel=1e-7, abs=1e-10)
        assert math.isfinite(single["se"])


def test_ml_meta_regression_takes_tau2_zero_when_it_beats_a_local_maximum():
    """Five studies whose ML log-likelihood has a local maximum at τ² ≈ 0.0666 (−0.35533) below its value at
    τ² = 0 (−0.34995). metafor 3.8.1, rma(yi, vi, method = "ML", control = list(threshold = 1e-12)), gives
    τ² = 0 ("Fisher scoring algorithm may have gotten stuck at a local maximum. Setting tau^2 = 0")."""
    from sysrev.meta.batch import pool_inverse_variance
    from sysrev.meta.regression import estimate_tau2

    yi = np.array([-0.941897, 0.530008, 0.758947, 1.238854, 0.403395])
    vi = np.array([0.306807, 0.059336, 0.190887, 0.283379, 0.228944])
    assert estimate_tau2(yi, vi, np.ones((5, 1)), "ML") == 0.0
    assert pool_inverse_variance(yi, vi, "ML")["tau2"] == 0.0
