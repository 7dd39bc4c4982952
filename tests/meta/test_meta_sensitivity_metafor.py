"""Sensitivity analyses of a finished meta-analysis (sysrev.meta.sensitivity) against metafor 3.8-1.

The BCG trials (tests/fixtures/meta/bcg.csv, no zero cells, so RevMan's and metafor's zero rules agree). The
numbers were computed with metafor 3.8-1 (control threshold 1e-12, confint tol 1e-12):

    es <- escalc("RR", ai=events1, n1i=n1, ci=events2, n2i=n2, data=dat)
    res <- rma(yi, vi, data=es, method="REML", test="knha")
    regtest(res); regtest(res, model="lm"); ranktest(res); fsn(yi, vi, data=es)
    trimfill(rma(yi, vi, data=es, method="REML", control=TIGHT), control=TIGHT)   # TIGHT: tol 1e-12 too
    regtest(rma(yi, vi, data=es, method="FE")); trimfill(rma(yi, vi, data=es, method="FE"))
    leave1out(rma.mh(ai=events1, n1i=n1, ci=events2, n2i=n2, data=dat, measure="RR"))
    leave1out(rma(yi, vi, data=es, method="DL", level=90))   # and confint(), predict() per omission
    leave1out(rma(yi, vi, data=es, method="DL", test="knha"))

Estimates and intervals are on the ratio scale (exp of metafor's log values), as sysrev reports them.
"""

import math

import numpy as np
import pandas as pd
import pytest

from sysrev.errors import SysrevError
from sysrev.meta import meta_analysis, sensitivity
from sysrev.meta.sensitivity import leave_one_out, small_study_tests


def close(value, expected):
    return value == pytest.approx(expected, rel=1e-6)


def test_small_study_tests_of_a_random_effects_analysis_with_hksj(bcg_frame):
    result = meta_analysis(bcg_frame, "RR", method="IV", model="random", tau2="REML", ci="hksj")
    out = small_study_tests(result)
    assert out["k"] == 13
    egger = out["egger"]
    assert (egger["test"], egger["df"], egger["model"]) == ("t", 11, "random (REML)")
    assert close(egger["statistic"], -0.781154133601789) and close(egger["p"], 0.451196679953773)
    assert close(egger["limit_estimate"], 0.600236296315517)
    classic = out["egger_classic"]
    assert classic["df"] == 11 and close(classic["t"], -1.401282002289333)
    assert close(classic["p"], 0.188706995081979) and close(classic["limit_estimate"], 0.826191541126508)
    assert close(out["begg"]["tau"], 0.0256410256410256) and close(out["begg"]["p"], 0.9523619079608663)
    assert out["fail_safe_n"]["n"] == 598 and close(out["fail_safe_n"]["p"], 8.81395689626115e-30)
    assert out["fail_safe_n"]["alpha"] == 0.05
    fill = out["trim_and_fill"]
    assert (fill["k0"], fill["side"]) == (1, "right")
    for name, value in [("estimate", 0.518361303120918770), ("ci_low", 0.365316207411433003),
                        ("ci_high", 0.735522911718501038), ("se", 0.178528380131876663), ("z", -3.680550862570915349),
                        ("p", 0.000232730628763796), ("tau2", 0.331287633439506124)]:
        assert close(fill[name], value), name
    assert fill["filled_yi"] == [pytest.approx(0.310403024029067, rel=1e-6)]
    assert fill["filled_vi"] == [pytest.approx(0.223017247572315, rel=1e-6)]


def test_small_study_tests_of_mantel_haenszel_use_a_fixed_effect_model(bcg_frame):
    out = small_study_tests(meta_analysis(bcg_frame, "RR"))
    egger = out["egger"]
    assert (egger["test"], egger["df"], egger["model"]) == ("z", None, "fixed")
    assert close(egger["statistic"], -4.80194624502346) and close(egger["p"], 1.57130879602214e-06)
    assert close(egger["limit_estimate"], 0.826191541126507)
    fill = out["trim_and_fill"]
    assert (fill["k0"], fill["side"], fill["tau2"]) == (4, "right", None)
    for name, value in [("estimate", 0.747496248763592), ("ci_low", 0.693487321186384),
                        ("ci_high", 0.805711402134590), ("se", 0.0382641366041390), ("z", -7.60571171687886),
                        ("p", 2.83340244469104e-14)]:
        assert close(fill[name], value), name


MH_OMITTING = [  # leave1out(rma.mh(...)): estimate, ci.lb, ci.ub (exp), se, z, p, Q, Qp, I2, H2
    (0.636749169165382, 0.589387913891680, 0.687916217615754, 0.0394350331703394, -11.4461541842439,
     2.45810944109134e-30, 151.915260738878, 6.05181927235005e-27, 92.7591211399706, 13.8104782489889),
    (0.643387898017985, 0.595401072198831, 0.695242260460299, 0.0395479490609616, -11.1512097149756,
     7.06394064421551e-29, 145.572706617720, 1.19389480933106e-25, 92.4436384707152, 13.2338824197927),
    (0.637975461218272, 0.590534043906023, 0.689228154272912, 0.0394254866524588, -11.4001245534232,
     4.17521317257195e-30, 150.512980713543, 1.17087698564951e-26, 92.6916602489355, 13.6829982466858),
]


def test_leave_one_out_of_mantel_haenszel_matches_metafor(bcg_frame):
    rows = leave_one_out(meta_analysis(bcg_frame, "RR"))
    assert [row["omitted"] for row in rows] == list(bcg_frame["study"])
    for row, expected in zip(rows, MH_OMITTING):
        names = ("estimate", "ci_low", "ci_high", "se", "z", "p", "Q", "Q_p", "I2", "H2")
        for name, value in zip(names, expected, strict=True):
            assert close(row[name], value), (row["omitted"], name)
        assert (row["k"], row["k_total"], row["Q_df"], row["ci"], row["tau2"]) == (12, 12, 11, "z", None)


DL_90_OMITTING = [  # leave1out(rma(method="DL", level=90)), then confint() and predict() of each omission
    {"estimate": 0.494046716516922, "ci_low": 0.364878962445978, "ci_high": 0.668940068413205,
     "tau2": 0.312171499040679, "I2": 92.7432291188567, "H2": 13.7802338861008,
     "tau2_ci_low": 0.155108962115451, "tau2_ci_high": 1.058528039883774, "I2_ci_low": 86.394793789657186,
     "I2_ci_high": 97.744491982909622, "H2_ci_low": 7.350127477228458, "H2_ci_high": 44.335909800489532,
     "pi_low": 0.187716146617346, "pi_high": 1.300272579101605},
    {"estimate": 0.519693598312345, "ci_low": 0.384902697109165, "ci_high": 0.701687564559292,
     "tau2": 0.299974590822110, "I2": 92.4303735959073, "H2": 13.2106916063826,
     "tau2_ci_low": 0.128311115520827, "tau2_ci_high": 0.896722093588289, "I2_ci_low": 83.930581599006644,
     "I2_ci_high": 97.333457634702583, "H2_ci_low": 6.223000578155234, "H2_ci_high": 37.501748069487917,
     "pi_low": 0.201066874968677, "pi_high": 1.343241825233056},
    {"estimate": 0.504170008819075, "ci_low": 0.373266869651720, "ci_high": 0.680980334605635,
     "tau2": 0.308527069801401, "I2": 92.6762873133103, "H2": 13.6542767689048,
     "tau2_ci_low": 0.146890362576481, "tau2_ci_high": 0.991145523612357, "I2_ci_low": 85.764570922665555,
     "I2_ci_high": 97.599152535914826, "H2_ci_low": 7.024726789529605, "H2_ci_high": 41.651958941966612,
     "pi_low": 0.192691288909353, "pi_high": 1.319143170567524},
]


def test_leave_one_out_random_effects_at_90_percent_with_tau2_intervals_matches_metafor(bcg_frame):
    rows = leave_one_out(meta_analysis(bcg_frame, "RR", method="IV", model="random", level=90,
                                       subgroup="alloc"))
    assert len(rows) == 13
    for row, expected in zip(rows, DL_90_OMITTING):
        for name, value in expected.items():
            assert close(row[name], value), (row["omitted"], name)
        assert close(row["tau"], math.sqrt(expected["tau2"]))
        assert (row["k"], row["k_total"], row["Q_df"], row["ci"]) == (12, 12, 11, "z")
    # each row names the omitted study's subgroup (the analysis itself is of all studies)
    assert [(row["omitted"], row["subgroup"]) for row in rows[3:5]] == [("Hart & Sutherland 1977", "random"),
                                                                       ("Frimodt-Moller 1973", "alternate")]


def test_leave_one_out_with_hksj_uses_t_intervals(bcg_frame):
    rows = leave_one_out(meta_analysis(bcg_frame, "RR", method="IV", model="random", ci="hksj"))
    for row, (estimate, low, high, t, p) in zip(rows, [
            (0.494046716516922, 0.322801453547001, 0.756137109728388, -3.64660933324008, 0.00384343229200477),
            (0.519693598312345, 0.348491556205207, 0.775001377559336, -3.60482521247673, 0.00413484076337143)]):
        assert row["ci"] == "hksj"
        for name, value in [("estimate", estimate), ("ci_low", low), ("ci_high", high), ("z", t), ("p", p)]:
            assert close(row[name], value), (row["omitted"], name)


def _with_a_double_zero_study(frame):
    return pd.concat([frame.drop(columns="alloc"), pd.DataFrame({"study": ["No events 1990"], "events1": [0],
                                                                  "n1": [50], "events2": [0], "n2": [50]})],
                     ignore_index=True)


@pytest.mark.parametrize("method", ["IV", "MH"])
def test_a_study_without_an_estimate_is_never_omitted_but_counts_in_k_total(bcg_frame, method):
    # RR: the double-zero study has no estimate. 14 rows, 13 estimable: 13 omissions, each of 12 estimable
    # studies out of the 13 rows left.
    rows = leave_one_out(meta_analysis(_with_a_double_zero_study(bcg_frame), "RR", method=method))
    assert [row["omitted"] for row in rows] == list(bcg_frame["study"])
    assert all((row["k"], row["k_total"]) == (12, 13) for row in rows)
    if method == "MH":
        assert close(rows[0]["estimate"], MH_OMITTING[0][0])


def test_two_studies_leave_each_other_alone():
    # MD of A: 1 − 0 = 1, of B: 2 − 0 = 2, each with variance 1/10 + 1/10 = 0.2
    frame = pd.DataFrame({"study": ["A", "B"], "n1": [10, 10], "mean1": [1, 2], "sd1": [1, 1], "n2": [10, 10],
                          "mean2": [0, 0], "sd2": [1, 1]})
    rows = leave_one_out(meta_analysis(frame, "MD"))
    without_a, without_b = rows
    assert (without_a["omitted"], without_b["omitted"]) == ("A", "B")
    assert close(without_a["estimate"], 2.0) and close(without_b["estimate"], 1.0)
    assert close(without_a["ci_low"], 2.0 - 1.959963984540054 * math.sqrt(0.2))
    assert (without_a["k"], without_a["k_total"], without_a["Q_p"], without_a["I2"]) == (1, 1, None, None)


def test_leave_one_out_needs_two_studies_with_an_estimate():
    frame = pd.DataFrame({"study": ["A", "B"], "events1": [3, 0], "n1": [20, 20], "events2": [5, 0], "n2": [20, 20]})
    with pytest.raises(SysrevError) as info:
        leave_one_out(meta_analysis(frame, "RR", method="IV"))
    assert str(info.value) == "leave-one-out needs at least 2 studies with an estimate"


def test_inverse_variance_leave_one_out_of_three_studies_computes_the_omissions_together(monkeypatch):
    """From three studies on, inverse-variance leave-one-out computes all omissions at once (documented in
    sensitivity.leave_one_out); re-running the analysis per omitted study is the other path."""
    frame = pd.DataFrame({"study": ["A", "B", "C"], "yi": [0.1, 0.4, -0.2], "vi": [0.04, 0.09, 0.05]})
    result = meta_analysis(frame, "GEN", model="random")

    def per_study(*args, **kwargs):
        raise AssertionError("leave-one-out re-ran the analysis for one omitted study")

    monkeypatch.setattr(sensitivity, "analyse_group", per_study)
    rows = leave_one_out(result)
    # without A: B and C, DL τ² from Q = (0.4 − μ)²/0.09 + (−0.2 − μ)²/0.05 with μ the fixed-effect mean
    w = np.array([1 / 0.09, 1 / 0.05])
    y = np.array([0.4, -0.2])
    mu = (w * y).sum() / w.sum()
    q = (w * (y - mu) ** 2).sum()
    tau2 = max(0.0, (q - 1) / (w.sum() - (w**2).sum() / w.sum()))
    assert close(rows[0]["tau2"], tau2) and close(rows[0]["Q"], q)
    weights = 1 / (np.array([0.09, 0.05]) + tau2)
    assert close(rows[0]["estimate"], (weights * y).sum() / weights.sum())
