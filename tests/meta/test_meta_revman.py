"""RevMan 5 conventions that metafor does not implement, checked on hand-worked examples.

Formulas: Deeks & Higgins (2010), "Statistical algorithms in Review Manager 5". The expected numbers below
were worked out by hand from those formulas (the intermediate steps are in the comments).
"""

import math

import pandas as pd
import pytest

from sysrev.meta import meta_analysis

# Two 2×2 tables (a, b | c, d): 10/100 vs 20/100 and 5/50 vs 8/60.
TWO_TABLES = pd.DataFrame({"study": ["One", "Two"], "events1": [10, 5], "n1": [100, 50], "events2": [20, 8],
                           "n2": [100, 60]})


def test_smd_uses_revman_hedges_g_approximation_and_variance():
    # n1 = 20, mean 10, SD 2; n2 = 22, mean 9, SD 3; N = 42
    # pooled SD = √((19·4 + 21·9)/40) = √6.625 = 2.5739075; d = 1/2.5739075 = 0.3885143
    # J = 1 − 3/(4·42 − 9) = 1 − 3/159 = 0.9811321; g = 0.3811839
    # var = 42/(20·22) + g²/(2·(42 − 3.94)) = 0.0954545 + 0.1453012/76.12 = 0.0973634
    frame = pd.DataFrame({"study": ["A"], "n1": [20], "mean1": [10.0], "sd1": [2.0], "n2": [22], "mean2": [9.0],
                          "sd2": [3.0]})
    study = meta_analysis(frame, "SMD").to_dict()["studies"][0]
    assert study["yi"] == pytest.approx(0.3811839, abs=5e-8)
    assert study["vi"] == pytest.approx(0.0973634, abs=5e-8)
    exact = meta_analysis(frame, "SMD", smd="exact").to_dict()["studies"][0]
    assert exact["yi"] != pytest.approx(study["yi"], abs=1e-6)  # the option really changes the formula


def test_mh_risk_ratio_with_greenland_robins_variance():
    # R = Σ a·n2/N = 10·100/200 + 5·60/110 = 5 + 2.7272727 = 7.7272727
    # S = Σ c·n1/N = 20·100/200 + 8·50/110 = 10 + 3.6363636 = 13.6363636; RR = R/S = 0.5666667
    # P = Σ (n1·n2·(a+c) − a·c·N)/N² = (300000 − 40000)/40000 + (39000 − 4400)/12100 = 6.5 + 2.8595041
    # var(log RR) = P/(R·S) = 9.3595041/105.3719008 = 0.0888235
    r = meta_analysis(TWO_TABLES, "RR", method="MH").to_dict()
    assert r["estimate"] == pytest.approx(0.5666667, abs=5e-8)
    assert r["se"] ** 2 == pytest.approx(0.0888235, abs=5e-8)


def test_mh_odds_ratio_with_robins_breslow_greenland_variance():
    # R = Σ a·d/N = 10·80/200 + 5·52/110 = 4 + 2.3636364; S = Σ b·c/N = 90·20/200 + 45·8/110 = 9 + 3.2727273
    # OR = 6.3636364/12.2727273 = 0.5185185
    # var = ΣPR/(2R²) + Σ(PS + QR)/(2RS) + ΣQS/(2S²) with P = (a+d)/N, Q = (b+c)/N  → 0.1171750
    r = meta_analysis(TWO_TABLES, "OR", method="MH").to_dict()
    assert r["estimate"] == pytest.approx(0.5185185, abs=5e-8)
    assert r["se"] ** 2 == pytest.approx(0.1171750, abs=5e-8)


def test_mh_risk_difference_with_greenland_robins_variance():
    # RD = Σ (a·n2 − c·n1)/N / Σ n1·n2/N = (−5 − 0.9090909)/(50 + 27.2727273) = −0.0764706
    # var = Σ (a·b·n2³ + c·d·n1³)/(n1·n2·N²) / (Σ n1·n2/N)² = 0.0015108
    r = meta_analysis(TWO_TABLES, "RD", method="MH").to_dict()
    assert r["estimate"] == pytest.approx(-0.0764706, abs=5e-8)
    assert r["se"] ** 2 == pytest.approx(0.0015108, abs=5e-8)
    sato = meta_analysis(TWO_TABLES, "RD", method="MH", zero="metafor").to_dict()
    assert sato["estimate"] == pytest.approx(r["estimate"]) and sato["se"] != pytest.approx(r["se"], rel=1e-6)


def test_peto_observed_minus_expected_and_variance():
    # study One: E = (a+c)·n1/N = 30·100/200 = 15, O − E = −5; V = 30·170·100·100/(200²·199) = 6.4070352
    # log OR = (O − E)/V = −0.7803922 with variance 1/V = 0.1560784
    r = meta_analysis(TWO_TABLES.iloc[:1], "PETO").to_dict()
    assert r["studies"][0]["yi"] == pytest.approx(-0.7803922, abs=5e-8)
    assert r["studies"][0]["vi"] == pytest.approx(0.1560784, abs=5e-8)
    assert math.log(r["estimate"]) == pytest.approx(-0.7803922, abs=5e-8)


ZERO = pd.DataFrame({"study": ["Zero", "Both zero", "Ordinary"], "events1": [0, 0, 12], "n1": [30, 25, 80],
                     "events2": [4, 0, 20], "n2": [30, 20, 80]})


def test_half_is_added_to_every_cell_of_a_study_with_a_zero_cell():
    # 0/30 vs 4/30 → 0.5/31 vs 4.5/31: log RR = log(0.5/4.5) = −2.1972246
    # var = 1/0.5 − 1/31 + 1/4.5 − 1/31 = 2.1577061
    study = meta_analysis(ZERO, "RR", method="IV").to_dict()["studies"][0]
    assert study["yi"] == pytest.approx(-2.1972246, abs=5e-8)
    assert study["vi"] == pytest.approx(2.1577061, abs=5e-8)


@pytest.mark.parametrize("measure", ["RR", "OR"])
@pytest.mark.parametrize("method", ["IV", "MH"])
def test_double_zero_study_is_not_estimable_for_ratios(measure, method):
    r = meta_analysis(ZERO, measure, method=method).to_dict()
    both = r["studies"][1]
    assert both["yi"] is None and both["estimate"] is None and both["weight"] == 0.0
    assert r["k"] == 2 and r["k_total"] == 3 and r["Q_df"] == 1


def test_double_zero_study_is_kept_for_the_risk_difference():
    r = meta_analysis(ZERO, "RD", method="MH").to_dict()
    assert r["k"] == 3 and r["studies"][1]["weight"] > 0


def test_mantel_haenszel_pools_the_corrected_counts_by_default_and_raw_counts_as_metafor():
    # RevMan: the zero-cell study enters the MH sums as 0.5/31 vs 4.5/31; metafor's rma.mh uses 0/30 vs 4/30.
    revman = meta_analysis(ZERO, "RR", method="MH").to_dict()
    r_sum = 0.5 * 31 / 62 + 12 * 80 / 160
    s_sum = 4.5 * 31 / 62 + 20 * 80 / 160
    assert revman["estimate"] == pytest.approx(r_sum / s_sum, rel=1e-12)
    metafor = meta_analysis(ZERO, "RR", method="MH", zero="metafor").to_dict()
    assert metafor["estimate"] == pytest.approx((12 * 80 / 160) / (4 * 30 / 60 + 20 * 80 / 160), rel=1e-12)


def test_mh_random_effects_takes_dl_tau2_from_the_mh_q():
    r = meta_analysis(TWO_TABLES, "RR", method="MH", model="random").to_dict()
    fixed = meta_analysis(TWO_TABLES, "RR", method="MH").to_dict()
    yi = [s["yi"] for s in fixed["studies"]]
    vi = [s["vi"] for s in fixed["studies"]]
    mh = math.log(fixed["estimate"])
    q = sum((y - mh) ** 2 / v for y, v in zip(yi, vi))
    w = [1 / v for v in vi]
    tau2 = max(0.0, (q - 1) / (sum(w) - sum(x * x for x in w) / sum(w)))
    assert r["Q"] == pytest.approx(q, rel=1e-12) and r["tau2"] == pytest.approx(tau2, rel=1e-12)
    wr = [1 / (v + tau2) for v in vi]
    pooled = sum(a * y for a, y in zip(wr, yi)) / sum(wr)
    assert math.log(r["estimate"]) == pytest.approx(pooled, rel=1e-12)
    assert r["I2"] == pytest.approx(max(0.0, (q - 1) / q) * 100)


def test_i2_revman_is_q_based_and_i2_is_metafor_for_other_estimators(bcg_frame):
    r = meta_analysis(bcg_frame, "RR", method="IV", model="random", tau2="REML").to_dict()
    assert r["I2_revman"] == pytest.approx(max(0.0, (r["Q"] - r["Q_df"]) / r["Q"]) * 100)
    assert r["I2"] != pytest.approx(r["I2_revman"], rel=1e-6)


def test_subgroup_test_equals_q_total_minus_subgroup_qs_for_inverse_variance_fixed_effect(bcg_frame):
    r = meta_analysis(bcg_frame, "RR", method="IV", subgroup="alloc").to_dict()
    within = sum(g["Q"] for g in r["subgroups"].values())
    assert r["subgroup_test"]["Q"] == pytest.approx(r["Q"] - within, rel=1e-9)
    assert r["subgroup_test"]["df"] == 2


def test_overall_pools_every_row_of_every_subgroup_with_weights_of_the_overall_analysis(bcg_frame):
    plain = meta_analysis(bcg_frame.drop(columns="alloc"), "RR", model="random").to_dict()
    grouped = meta_analysis(bcg_frame, "RR", model="random", subgroup="alloc").to_dict()
    assert grouped["estimate"] == pytest.approx(plain["estimate"], rel=1e-12)
    assert sum(g["weight"] for g in grouped["subgroups"].values()) == pytest.approx(100.0)
    assert [s["subgroup"] for s in grouped["studies"]] == list(bcg_frame["alloc"])


def test_same_trial_in_two_subgroups_is_allowed():
    frame = pd.DataFrame({"study": ["Trial A", "Trial A", "Trial B", "Trial B"], "time": ["6 m", "12 m", "6 m", "12 m"],
                          "events1": [3, 5, 4, 6], "n1": [40, 40, 50, 50],
                          "events2": [6, 8, 7, 9], "n2": [40, 40, 50, 50]})
    r = meta_analysis(frame, "RR", subgroup="time").to_dict()
    assert set(r["subgroups"]) == {"6 m", "12 m"} and r["k"] == 4
