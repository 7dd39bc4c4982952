"""τ² estimators on edge cases, against metafor (validation/metafor/edge_reference.json).

The cases are built to reach branches the metadat datasets of reference.json do not (see
validation/metafor/make_edge_reference.R, which regenerates the file): an almost flat likelihood whose
maximum is at τ² = 0, where the check "ll(0) beats ll(τ̂²)" cannot tell 0 from a moderate τ² and the
estimate must come from the likelihood equation itself; and the Q-profile interval of τ² called directly
(one analysis, the default 95 % level, and stacks of analyses); and where the (RE)ML Fisher scoring stops.

sysrev's (RE)ML estimator first runs metafor's Fisher scoring from the HE value, with metafor's step halving
at the boundary, to metafor's stopping rule (|Δτ²| < 1e-5), so that it heads for the same maximum, and only
then solves the likelihood equation exactly next to that point. The first stage is checked against metafor
run with its default control, which stops at that very point (``fisher_scoring_default``).
"""

import json
from pathlib import Path

import numpy as np
import pytest

import sysrev.meta.heterogeneity as heterogeneity
from sysrev.meta.batch import pool_inverse_variance
from sysrev.meta.heterogeneity import TAU2_METHODS, estimate_tau2, q_profile_interval

REFERENCE = json.loads((Path(__file__).resolve().parents[2] / "validation/metafor/edge_reference.json")
                       .read_text(encoding="utf-8"))
CASES = [(case, method) for case in REFERENCE["cases"] for method in TAU2_METHODS]


def _agrees(got, expected):
    """As validation/metafor/compare.py: relative 1e-6, or an exact 0 against metafor's within 1e-9."""
    if abs(got - expected) <= 1e-6 * abs(expected):
        return True
    return min(abs(got), abs(expected)) == 0 and max(abs(got), abs(expected)) <= 1e-9


@pytest.mark.parametrize("case,method", CASES, ids=lambda v: v if isinstance(v, str) else v["dataset"])
def test_tau2_matches_metafor_on_edge_cases(case, method):
    expected = case["tau2"][method]
    got = float(estimate_tau2(case["yi"], case["vi"], method))
    assert _agrees(got, expected), f"{case['dataset']} {method}: sysrev {got!r}, metafor {expected!r}"
    pooled = pool_inverse_variance(case["yi"], case["vi"], method)
    assert _agrees(float(pooled["tau2"]), expected)


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["dataset"])
def test_tau2_estimator_is_dersimonian_laird_unless_named(case):
    assert _agrees(float(estimate_tau2(case["yi"], case["vi"])), case["tau2"]["DL"])


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["dataset"])
def test_q_profile_interval_of_one_analysis_at_the_default_level_matches_metafor(case):
    low, high = q_profile_interval(case["yi"], case["vi"])
    assert np.shape(low) == np.shape(high) == ()
    for got, expected in zip((low, high), case["tau2_ci_95"], strict=True):
        assert _agrees(float(got), expected), f"{case['dataset']}: sysrev {got!r}, metafor {expected!r}"


def test_q_profile_interval_works_along_the_last_axis_of_a_stack_of_stacks():
    """Each analysis of a (2, n, k) stack gets the bounds it gets alone (metafor's, at the level asked)."""
    case = next(c for c in REFERENCE["cases"] if c["dataset"] == "viechtbauer2005")
    yi, vi = np.array(case["yi"]), np.array(case["vi"])
    stack_y = np.stack([np.stack([yi, yi[::-1]]), np.stack([yi[::-1], yi])])
    stack_v = np.stack([np.stack([vi, vi[::-1]]), np.stack([vi[::-1], vi])])
    low, high = q_profile_interval(stack_y, stack_v, 80)
    assert low.shape == high.shape == (2, 2)
    for got, expected in ((low, case["tau2_ci_80"][0]), (high, case["tau2_ci_80"][1])):
        assert all(_agrees(float(value), expected) for value in got.ravel()), (got, expected)


SCORING = [(case, method) for case in REFERENCE["cases"] for method, value in case["fisher_scoring_default"].items()
           if value is not None]


@pytest.mark.parametrize("case,method", SCORING, ids=lambda v: v if isinstance(v, str) else v["dataset"])
def test_fisher_scoring_stops_where_metafor_stops_by_default(case, method, monkeypatch):
    stops = []

    def bracket_near(equation, x, step, scale):  # the scoring result is where the exact root search starts
        stops.append(x.copy())
        return real(equation, x, step, scale)

    real = heterogeneity._bracket_near
    monkeypatch.setattr(heterogeneity, "_bracket_near", bracket_near)
    estimate_tau2(case["yi"], case["vi"], method)
    assert len(stops) == 1
    assert stops[0][0] == pytest.approx(case["fisher_scoring_default"][method], rel=1e-9)


def test_edge_reference_covers_every_estimator():
    assert {m for case in REFERENCE["cases"] for m in case["tau2"]} == set(TAU2_METHODS)
    assert all(len(case["yi"]) == len(case["vi"]) > 1 for case in REFERENCE["cases"])
    assert len(SCORING) >= 4
    assert np.isfinite([v for case in REFERENCE["cases"] for v in case["tau2"].values()]).all()
