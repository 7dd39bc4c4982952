"""Item 15 (leave-one-out): computing every omission at once (sysrev.meta.leave_one_out) gives what re-running
the whole analysis without each study gives, for every τ² estimator, at τ² = 0 and when iterations are cut
short."""

import math
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sysrev.meta import heterogeneity, meta_analysis
from sysrev.meta import leave_one_out as leave_one_out_module
from sysrev.meta.analysis import analyse_group
from sysrev.meta.batch import pool_inverse_variance
from sysrev.meta.heterogeneity import TAU2_METHODS
from sysrev.meta.leave_one_out import BLOCK_CELLS, others_sum, without_each
from sysrev.meta.sensitivity import leave_one_out

SETTINGS = [
    dict(measure="MD"), dict(measure="SMD"), dict(measure="MD", model="random"),
    dict(measure="MD", model="random", tau2="REML", ci="hksj"), dict(measure="SMD", model="random", tau2="PM"),
    dict(measure="RR", method="IV"), dict(measure="OR", method="IV", model="random", tau2="SJ"),
    dict(measure="RR"),  # Mantel–Haenszel: the per-omission path
]


def _data(measure, k, seed):
    rng = np.random.default_rng(seed)
    n1, n2 = rng.integers(10, 200, k), rng.integers(10, 200, k)
    if measure in ("RR", "OR"):
        return pd.DataFrame({"study": [f"S{i}" for i in range(k)], "events1": rng.binomial(n1, 0.3),
                             "n1": n1, "events2": rng.binomial(n2, 0.45), "n2": n2})
    return pd.DataFrame({"study": [f"S{i}" for i in range(k)], "n1": n1, "mean1": rng.normal(5, 1, k),
                         "sd1": rng.uniform(1, 3, k), "n2": n2, "mean2": rng.normal(4.5, 1.5, k),
                         "sd2": rng.uniform(1, 3, k)})


def _rerun(result):
    """The reference: the whole analysis of the other studies, one omission at a time."""
    rows = []
    for i in np.flatnonzero(result.effects.estimable):
        keep = np.ones(len(result.effects.yi), bool)
        keep[i] = False
        group = analyse_group(result.effects.select(keep), result.settings).to_dict(result.report)
        group.pop("studies")
        rows.append(group)
    return rows


@pytest.mark.parametrize("options", SETTINGS, ids=lambda o: "-".join(map(str, o.values())))
@pytest.mark.parametrize("k", [3, 4, 12])
def test_equals_the_full_reanalysis(options, k):
    result = meta_analysis(_data(options["measure"], k, seed=k), **options)
    fast, slow = leave_one_out(result), _rerun(result)
    assert [row["omitted"] for row in fast] == [f"S{i}" for i in range(k)]
    for got, want in zip(fast, slow, strict=True):
        for key, value in want.items():
            if isinstance(value, float) and not (value == 0 or math.isnan(value)):
                assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key
            else:
                assert got[key] == value, key


@pytest.mark.parametrize("model", ["fixed", "random"])
def test_inverse_variance_leave_one_out_does_not_rerun_the_analysis_per_study(monkeypatch, model):
    """k re-analyses of k − 1 studies, each building k per-study rows, made leave-one-out quadratic (k = 10,000
    did not finish in 300 s); the inverse-variance paths compute every omission at once."""
    from sysrev.meta import sensitivity

    result = meta_analysis(_data("MD", 50, seed=1), "MD", model=model)

    def per_study(*args, **kwargs):
        raise AssertionError("leave-one-out re-ran the analysis for one omitted study")

    monkeypatch.setattr(sensitivity, "analyse_group", per_study)
    assert len(leave_one_out(result)) == 50


# --- the all-omissions engine against the per-fit path (sysrev.meta.leave_one_out) ---

def _per_fit(y, v, tau2, ci, interval):
    """The reference: each analysis of k − 1 studies pooled on its own rows, as one analysis is pooled."""
    others = np.array([np.delete(np.arange(len(y)), i) for i in range(len(y))])
    out = pool_inverse_variance(y[others], v[others], tau2, ci=ci, tau2_interval=interval)
    out.pop("weights")
    return out


def _assert_same_fits(got, want, y, v):
    """Equal to 1e-10 relative; a value that should be 0 (τ² at its boundary, an estimate of 0) may differ
    from it by 1e-10 of the scale of its quantity in that analysis (the rounding of sums of that scale)."""
    others = np.array([np.delete(np.arange(len(y)), i) for i in range(len(y))])
    y, v, k = y[others], v[others], len(y) - 1
    location = np.abs(y).max(axis=1) + np.sqrt(v.max(axis=1))
    statistic = location * np.sqrt(k / v.min(axis=1))  # |z| ≤ |estimate| / SE and SE² ≥ min v / k
    variance = np.ptp(y, axis=1) ** 2 + v.max(axis=1)
    ratio = variance / v.min(axis=1)
    scale = {"estimate": location, "ci_low": location, "ci_high": location, "pi_low": location,
             "pi_high": location, "se": np.sqrt(v.max(axis=1)), "z": statistic, "p": statistic, "Q": k, "Q_p": 1,
             "Q_df": 1, "tau2": variance, "tau2_ci_low": variance, "tau2_ci_high": variance, "I2": 100,
             "I2_revman": 100, "I2_ci_low": 100, "I2_ci_high": 100, "H2": ratio, "H2_ci_low": ratio,
             "H2_ci_high": ratio}
    assert set(got) == set(want)
    for name, values in want.items():
        close = np.isclose(got[name], values, rtol=1e-10, atol=0) | (np.abs(got[name] - values) <= 1e-10 * scale[name])
        same_nan = np.isnan(got[name]) & np.isnan(values)
        assert np.all(close | same_nan), (name, np.flatnonzero(~(close | same_nan)), got[name], values)


@st.composite
def _studies(draw):
    """k = 3–20 studies: spread-out effects, homogeneous ones (τ² = 0 in every omission), ties, or one study
    so precise and far off that it holds the mean of all (the sums without each need their exact path)."""
    k = draw(st.integers(3, 20))
    v = np.array(draw(st.lists(st.floats(0.01, 4.0), min_size=k, max_size=k)))
    kind = draw(st.sampled_from(["spread", "homogeneous", "ties", "dominant"]))
    if kind == "homogeneous":
        noise = np.array(draw(st.lists(st.floats(-1, 1), min_size=k, max_size=k)))
        y = 0.7 + 1e-3 * np.sqrt(v) * noise
    elif kind == "ties":
        y = np.array(draw(st.lists(st.sampled_from([-1.0, 0.0, 0.5]), min_size=k, max_size=k)))
    else:
        y = np.array(draw(st.lists(st.floats(-5, 5), min_size=k, max_size=k)))
    if kind == "dominant":
        y[0], v[0] = 1e4, 1e-6
    return y, v


@settings(max_examples=150, deadline=None)
@given(_studies(), st.sampled_from([None, *TAU2_METHODS]), st.sampled_from(["z", "hksj"]),
       st.sampled_from([1, 40, BLOCK_CELLS]))
def test_all_omissions_at_once_equal_the_per_fit_path(data, tau2, ci, block):
    """Every estimator, both kinds of interval, blocks of one row, a few rows or the whole table."""
    y, v = data
    if tau2 is None and ci == "hksj":
        ci = "z"
    with patch.object(leave_one_out_module, "BLOCK_CELLS", block):
        got = without_each(y, v, tau2, ci=ci, tau2_interval=tau2 is not None)
    _assert_same_fits(got, _per_fit(y, v, tau2, ci, tau2 is not None), y, v)


@settings(max_examples=40, deadline=None)
@given(_studies(), st.sampled_from(["REML", "ML"]), st.integers(1, 4))
def test_iterations_cut_short_end_where_the_per_fit_path_ends(data, tau2, iterations):
    """(RE)ML runs the per-fit algorithm itself (Fisher scoring from each omission's HE value, then the root
    next to it), so a fit stopped by the iteration limit stops at the same τ² as one analysis would."""
    y, v = data
    with patch.object(heterogeneity, "_MAX_ITER", iterations):
        got, want = without_each(y, v, tau2), _per_fit(y, v, tau2, "z", False)
    _assert_same_fits(got, want, y, v)


def test_boundary_tau2_is_zero_in_every_omission():
    """Identical effects: Q = 0 < k − 2 for every omission, so every estimator gives τ² = 0 exactly (hand
    arithmetic: DL's numerator max(0, 0 − (k − 2)) is 0; PM's equation Q(τ²) = k − 2 has no positive root)."""
    y, v = np.full(6, 0.25), np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    for tau2 in TAU2_METHODS:
        out = without_each(y, v, tau2, tau2_interval=True)
        assert np.all(out["tau2"] == 0), tau2
        assert np.all(out["tau2_ci_low"] == 0) and np.all(out["tau2_ci_high"] >= 0), tau2
        np.testing.assert_allclose(out["estimate"], 0.25, rtol=1e-14)


def test_sums_without_each_keep_the_small_studies_beside_a_huge_one():
    """Σ_{j≠i} as a total minus study i's term gives 0 for the other studies when study i's weight is 1e20
    times theirs; the sums before and after i keep them (hand arithmetic: 1 + 2 = 3)."""
    values = np.array([1e20, 1.0, 2.0])
    assert others_sum(values)[0] == 3.0
    assert list(others_sum(np.array([1.0, 2.0, 4.0]))) == [6.0, 5.0, 3.0]
