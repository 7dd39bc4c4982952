"""Conversions against worked examples from the Cochrane Handbook and Wan et al. 2014, and hand computations.

Provenance of each expected number:
* Handbook (v5.1 §7.7.3.2–7.7.3.3, the same text as v6 §6.5.2.2–6.5.2.3, read through a stored copy):
  "t value for a 95% CI from a sample size of 25 ... 2.0639", divisor "2 × 2.0639 = 4.128"; and the
  difference-in-means example MD 3.8, P = 0.008, n 25 and 22 → t = 2.78 (45 df), SE = 3.8 / 2.78 = 1.37.
* Wan et al. 2014, Table 1 (ξ(n), n = 2…50) and Table 2 (η(n), n = 4Q + 1, Q = 1…50), as printed in the
  paper and transcribed in the R package meta (internal settings "Wan2014.Table1" and "Wan2014.Table2").
  Three printed values are off by one in the third decimal from the exact expectation (ξ(12) = 3.2585 printed
  3.259; η(49) = 1.3105 printed 1.311; η(97) = 1.3295 printed 1.330), so the tables are compared to ±0.001.
* Everything else (Luo weights, η(n), change SD, Table 6.5.a) is checked against a hand computation
  written out in the test, or against an identity that must hold exactly (combining raw data).
* Quantiles and exact expectations printed by R 4.2.2 (independent of scipy): qt(0.975, 58) = 2.0017175,
  qt(0.975, 59) = 2.0009954, qt(0.975, 228) = 1.9704232, qnorm(0.975) = 1.959963985; and η(201), the expected
  IQR of 201 normal values, E[X(151)] − E[X(51)] = 1.3395626655, from R's integrate() over the order-statistic
  densities (rel.tol 1e-12): eo <- function(r) integrate(function(x) x * exp(lfactorial(n) − lfactorial(r − 1)
  − lfactorial(n − r) + (r − 1)·pnorm(x, log.p = TRUE) + (n − r)·pnorm(x, lower.tail = FALSE, log.p = TRUE)
  + dnorm(x, log = TRUE)), −Inf, Inf, rel.tol = 1e-12)$value with n = 201.
"""

import math
import statistics

import pytest

from sysrev.errors import SysrevError
from sysrev.extraction import conversions as cv


def test_sd_from_se():
    d = cv.sd_from_se(0.5, 25)
    assert d.values["sd"] == pytest.approx(2.5)
    assert d.raw == "SE=0.5; n=25" and "§6.5.2.2" in d.method


def test_sd_from_ci_small_group_uses_t_handbook_example():
    d = cv.sd_from_ci(5.4, 7.6, 25)
    assert "t(24)=2.0639" in d.method  # Handbook: tinv(0.05, 24) = 2.0639
    assert d.values["sd"] == pytest.approx(5 * 2.2 / 4.128, abs=1e-3)  # divisor 4.128
    assert d.values["mean"] == pytest.approx(6.5)


def test_sd_from_ci_large_group_uses_3_92():
    d = cv.sd_from_ci(10, 13.92, 100)
    assert d.values["sd"] == pytest.approx(10 * 3.92 / 3.92, rel=1e-3)
    assert "z=1.9600" in d.method


@pytest.mark.parametrize("level,divisor", [(90, 3.29), (99, 5.15)])
def test_sd_from_ci_other_levels_handbook_divisors(level, divisor):
    d = cv.sd_from_ci(0, divisor, 400, level=level, distribution="z")
    assert d.values["sd"] == pytest.approx(20.0, rel=2e-3)


def test_sd_from_p_handbook_example():
    d = cv.sd_from_p(3.8, 0.008, 25, 22)
    assert d.values["t"] == pytest.approx(2.78, abs=0.005)
    assert d.values["se_md"] == pytest.approx(1.37, abs=0.005)
    # hand computation: SD = SE / sqrt(1/25 + 1/22) = 1.3691 / 0.29233 = 4.683
    assert d.values["sd"] == pytest.approx(1.3691 / math.sqrt(1 / 25 + 1 / 22), abs=1e-3)
    assert "45 df" in d.method


def test_sd_from_t_and_md_ci_agree_with_the_p_route():
    via_p = cv.sd_from_p(3.8, 0.008, 25, 22)
    via_t = cv.sd_from_t(3.8, via_p.values["t"], 25, 22)
    assert via_t.values["sd"] == pytest.approx(via_p.values["sd"])
    t45 = 2.0141  # t(0.975, 45), hand/table value
    se = via_p.values["se_md"]
    via_ci = cv.sd_from_md_ci(3.8 - t45 * se, 3.8 + t45 * se, 25, 22)
    assert via_ci.values["sd"] == pytest.approx(via_p.values["sd"], rel=1e-4)


WAN_TABLE_1 = [  # ξ(n) for n = 2, 3, …, 50
    1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.259, 3.336, 3.407, 3.472, 3.532,
    3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895, 3.931, 3.964, 3.997, 4.027, 4.057, 4.086, 4.113,
    4.139, 4.165, 4.189, 4.213, 4.236, 4.259, 4.280, 4.301, 4.322, 4.341, 4.361, 4.379, 4.398, 4.415, 4.433,
    4.450, 4.466, 4.482, 4.498,
]
WAN_TABLE_2 = [  # η(n) for n = 4Q + 1, Q = 1, 2, …, 50
    0.990, 1.144, 1.206, 1.239, 1.260, 1.274, 1.284, 1.292, 1.298, 1.303, 1.307, 1.311, 1.313, 1.316, 1.318,
    1.320, 1.322, 1.323, 1.324, 1.326, 1.327, 1.328, 1.329, 1.330, 1.330, 1.331, 1.332, 1.332, 1.333, 1.333,
    1.334, 1.334, 1.335, 1.335, 1.336, 1.336, 1.336, 1.337, 1.337, 1.337, 1.338, 1.338, 1.338, 1.338, 1.339,
    1.339, 1.339, 1.339, 1.339, 1.340,
]


@pytest.mark.parametrize("n,table", list(enumerate(WAN_TABLE_1, start=2)))
def test_xi_matches_wan_table_1(n, table):
    assert cv.xi(n) == pytest.approx(table, abs=1e-3)


@pytest.mark.parametrize("q,table", list(enumerate(WAN_TABLE_2, start=1)))
def test_eta_matches_wan_table_2(q, table):
    assert cv.eta(4 * q + 1) == pytest.approx(table, abs=1e-3)


def test_eta_between_table_sizes_uses_the_approximation():
    from scipy.stats import norm
    assert cv.eta(39) == pytest.approx(2 * norm.ppf((0.75 * 39 - 0.125) / 39.25))  # 39 is not 4Q + 1
    assert cv.eta(205) == pytest.approx(2 * norm.ppf((0.75 * 205 - 0.125) / 205.25))  # Q = 51 > 50


def test_xi_above_50_uses_the_approximation():
    # hand computation: 2 * Phi^-1((100 - 0.375) / (100 + 0.25)) = 2 * Phi^-1(0.993766)
    from scipy.stats import norm
    assert cv.xi(100) == pytest.approx(2 * norm.ppf(99.625 / 100.25))


def test_eta_tends_to_the_normal_iqr():
    assert cv.eta(10_000) == pytest.approx(1.349, abs=1e-3)  # IQR of N(0,1) = 1.349 (Handbook: IQR/1.35)


def test_median_range_hand_computation():
    d = cv.mean_sd_from_median_range(median=5, minimum=1, maximum=13, n=16)
    w = 4 / (4 + 16 ** 0.75)  # = 4 / 12 = 1/3
    assert w == pytest.approx(1 / 3)
    assert d.values["mean"] == pytest.approx(7 / 3 + 10 / 3)  # w*(1+13)/2 + (1-w)*5
    assert d.values["sd"] == pytest.approx(12 / 3.532, abs=1e-3)  # Wan Table 1: xi(16) = 3.532
    assert "Luo" in d.method and "Wan" in d.method


def test_median_iqr_hand_computation():
    d = cv.mean_sd_from_median_iqr(median=4, q1=2, q3=8, n=39)
    w = 0.7 + 0.39 / 39  # Luo et al. 2018 weight for the IQR case: 0.7 + 0.39/n = 0.71
    assert d.values["mean"] == pytest.approx(w * (2 + 8) / 2 + (1 - w) * 4)
    from scipy.stats import norm
    assert d.values["sd"] == pytest.approx(6 / (2 * norm.ppf((0.75 * 39 - 0.125) / 39.25)))


def test_five_numbers_hand_computation_and_symmetry():
    d = cv.mean_sd_from_five_numbers(median=10, q1=8, q3=12, minimum=4, maximum=16, n=30)
    assert d.values["mean"] == pytest.approx(10)  # symmetric summary → mean = median
    assert d.values["sd"] == pytest.approx(12 / (2 * 4.086) + 4 / (2 * cv.eta(30)), abs=1e-3)  # xi(30) = 4.086
    skewed = cv.mean_sd_from_five_numbers(median=10, q1=8, q3=14, minimum=5, maximum=30, n=30)
    w1, w2 = 2.2 / (2.2 + 30 ** 0.75), 0.7 - 0.72 / 30 ** 0.55
    assert skewed.values["mean"] == pytest.approx(w1 * 17.5 + w2 * 11 + (1 - w1 - w2) * 10)


def test_combine_groups_is_exact_for_raw_data():
    g1 = [3.0, 5.0, 4.5, 6.0, 2.5, 7.0]
    g2 = [8.0, 6.5, 9.0, 7.5]
    d = cv.combine_groups(len(g1), statistics.mean(g1), statistics.stdev(g1),
                          len(g2), statistics.mean(g2), statistics.stdev(g2))
    assert d.values["n"] == 10
    assert d.values["mean"] == pytest.approx(statistics.mean(g1 + g2))
    assert d.values["sd"] == pytest.approx(statistics.stdev(g1 + g2))
    assert "Table 6.5.a" in d.method


def test_combine_events():
    d = cv.combine_events(2, 30, 3, 31)
    assert d.values == {"events": 5.0, "n": 61.0}
    with pytest.raises(SysrevError):
        cv.combine_events(32, 30, 3, 31)


def test_change_sd_hand_computation():
    d = cv.change_sd(4.0, 3.0, 0.5)
    assert d.values["sd"] == pytest.approx(math.sqrt(16 + 9 - 12))
    assert "r = 0.5" in d.method


@pytest.mark.parametrize("call", [
    lambda: cv.sd_from_se(-1, 10),
    lambda: cv.sd_from_ci(5, 4, 10),
    lambda: cv.sd_from_ci(4, 5, 10, level=120),
    lambda: cv.sd_from_p(1, 1.5, 10, 10),
    lambda: cv.mean_sd_from_median_iqr(5, 6, 8, 20),
    lambda: cv.change_sd(1, 1, 2),
])
def test_bad_inputs_raise_clear_errors(call):
    with pytest.raises(SysrevError):
        call()


def test_sd_from_ci_switches_from_t_to_z_at_60():
    # Handbook §6.5.2.2: t for groups of "less than 60", so n = 59 uses t(58) and n = 60 the normal 1.96.
    # n = 60: SD = √60 × 3.92 / (2 × 1.959963985) = 7.745967 × 1.0000184 = 7.746109
    at_60 = cv.sd_from_ci(10, 13.92, 60)
    assert at_60.values["sd"] == pytest.approx(7.746109, abs=1e-5)
    assert "z=1.9600" in at_60.method
    # n = 59: SD = √59 × 3.92 / (2 × 2.0017175) = 7.681146 × 0.979160 = 7.521070
    at_59 = cv.sd_from_ci(10, 13.92, 59)
    assert at_59.values["sd"] == pytest.approx(7.681146 * 3.92 / (2 * 2.0017175), abs=1e-5)
    assert "t(58)=2.0017" in at_59.method


def test_sd_from_md_ci_uses_t_when_the_smaller_group_is_below_60():
    # n1 = 30, n2 = 200: the smaller group (30) is below 60, so t with 30 + 200 − 2 = 228 df (Handbook §6.5.2.3).
    # SE = (3 − (−1)) / (2 × 1.9704232) = 1.0150101; √(1/30 + 1/200) = √0.0383333 = 0.1957890;
    # SD = 1.0150101 / 0.1957890 = 5.184205 (with z it would be 5.211870).
    d = cv.sd_from_md_ci(-1, 3, 30, 200)
    assert d.values["se_md"] == pytest.approx(4 / (2 * 1.9704232), abs=1e-6)
    assert d.values["sd"] == pytest.approx(5.184205, abs=1e-5)
    assert "t(228)" in d.method
    # both groups from 60 up: z. SE = 4 / 3.91992797 = 1.0204269, SD = 1.0204269 / √(1/60 + 1/200) = 6.929656
    large = cv.sd_from_md_ci(-1, 3, 60, 200)
    assert large.values["sd"] == pytest.approx(4 / 3.91992797 / math.sqrt(1 / 60 + 1 / 200), abs=1e-5)
    assert "z=1.9600" in large.method


def test_eta_uses_the_exact_expected_iqr_up_to_q_50():
    # n = 201 = 4·50 + 1 is the last size of Wan's Table 2: the exact expectation (R, see the module docstring)
    # 1.3395626655, not the approximation 2Φ⁻¹((0.75·201 − 0.125)/201.25) = 1.3392226585.
    assert cv.eta(201) == pytest.approx(1.3395626655, abs=1e-8)


@pytest.mark.parametrize("median, minimum, maximum", [(5, 6, 13), (14, 1, 13), (5, 13, 1)])
def test_median_range_must_be_in_order(median, minimum, maximum):
    with pytest.raises(SysrevError, match=r"increasing order \(min ≤ q1 ≤ median ≤ q3 ≤ max\)"):
        cv.mean_sd_from_median_range(median=median, minimum=minimum, maximum=maximum, n=16)


def test_median_range_needs_two_values_and_reports_what_it_used():
    # n = 2 is the smallest sample with a range: ξ(2) = E|X1 − X2| = √2·√(2/π) = 2/√π = 1.128379 (Wan Table 1:
    # 1.128)
    d = cv.mean_sd_from_median_range(median=5, minimum=1, maximum=9, n=2)
    assert d.values["sd"] == pytest.approx(8 / (2 / math.sqrt(math.pi)), abs=1e-6)
    assert d.values["n"] == 2
    assert d.raw == "median=5; min=1; max=9; n=2"
    with pytest.raises(SysrevError, match="^n must be at least 2 to estimate an SD from a range$"):
        cv.mean_sd_from_median_range(median=5, minimum=1, maximum=9, n=1)


@pytest.mark.parametrize("values", [
    dict(minimum=9, q1=8, median=10, q3=12, maximum=16),    # min above q1
    dict(minimum=4, q1=11, median=10, q3=12, maximum=16),   # q1 above the median
    dict(minimum=4, q1=8, median=13, q3=12, maximum=16),    # median above q3
    dict(minimum=4, q1=8, median=10, q3=17, maximum=16),    # q3 above max
])
def test_five_numbers_must_be_in_order(values):
    with pytest.raises(SysrevError, match="increasing order"):
        cv.mean_sd_from_five_numbers(n=30, **values)


def test_five_numbers_need_two_values_and_report_what_they_used():
    d = cv.mean_sd_from_five_numbers(median=10, q1=8, q3=12, minimum=4, maximum=16, n=30)
    assert d.values["n"] == 30
    assert d.raw == "median=10; q1=8; q3=12; min=4; max=16; n=30"
    assert "w1 = 2.2/(2.2+n^0.75)" in d.method and "Luo" in d.method and "Wan" in d.method
    # n = 2: SD = 12/(2ξ(2)) + 4/(2η(2)), ξ(2) = 2/√π, η(2) by Wan's eq. 16: 2Φ⁻¹((1.5 − 0.125)/2.25) = 2Φ⁻¹(0.61111)
    from scipy.stats import norm
    two = cv.mean_sd_from_five_numbers(median=10, q1=8, q3=12, minimum=4, maximum=16, n=2)
    assert two.values["sd"] == pytest.approx(12 / (4 / math.sqrt(math.pi)) + 4 / (4 * norm.ppf(1.375 / 2.25)),
                                         abs=1e-6)
    with pytest.raises(SysrevError, match="^n must be at least 2 to estimate an SD from a range$"):
        cv.mean_sd_from_five_numbers(median=10, q1=8, q3=12, minimum=4, maximum=16, n=1)


@pytest.mark.parametrize("events1, n1, events2, n2", [(0, 30, 0, 31), (30, 30, 31, 31), (0, 30, 31, 31)])
def test_combine_events_accepts_none_and_all(events1, n1, events2, n2):
    d = cv.combine_events(events1, n1, events2, n2)
    assert d.values == {"events": events1 + events2, "n": n1 + n2}


def test_combine_events_reports_what_it_used():
    d = cv.combine_events(2, 30, 3, 31)
    assert d.raw == "group 1: 2/30; group 2: 3/31"
    assert d.method == "two groups combined: events and totals added (Cochrane Handbook v6 §23.3.4)"


@pytest.mark.parametrize("args", [(-1, 30, 3, 31), (2, 30, -1, 31), (31, 30, 3, 31), (2, 30, 32, 31)])
def test_combine_events_outside_zero_to_n_is_refused(args):
    with pytest.raises(SysrevError, match="^events must be between 0 and n in each group$"):
        cv.combine_events(*args)


@pytest.mark.parametrize("n1, n2, name", [(0, 31, "n1"), (30, 0, "n2")])
def test_combine_events_needs_positive_group_sizes(n1, n2, name):
    with pytest.raises(SysrevError, match=f"^{name} must be a positive number"):
        cv.combine_events(0, n1, 0, n2)


@pytest.mark.parametrize("call, message", [
    (lambda: cv.sd_from_ci(5, 5, 10), r"^the CI upper limit \(5\) must be above the lower limit \(5\)$"),
    (lambda: cv.sd_from_md_ci(2, 2, 10, 10), r"^the CI upper limit \(2\) must be above the lower limit \(2\)$"),
    (lambda: cv.sd_from_t(1, 2, 0, 10), "^n1 must be a positive number, got 0$"),
    (lambda: cv.sd_from_t(1, 2, 10, 0), "^n2 must be a positive number, got 0$"),
    (lambda: cv.sd_from_t(0, 2, 10, 10), "^a t statistic or mean difference of 0 gives no SD$"),
    (lambda: cv.sd_from_t(1, 0, 10, 10), "^a t statistic or mean difference of 0 gives no SD$"),
    (lambda: cv.sd_from_p(1, 0, 10, 10), "^P must be between 0 and 1, got 0$"),
    (lambda: cv.sd_from_p(1, 1, 10, 10), "^P must be between 0 and 1, got 1$"),
    (lambda: cv.sd_from_p(1, 0.05, 0, 10), "^n1 must be a positive number, got 0$"),
    (lambda: cv.sd_from_p(1, 0.05, 10, 0), "^n2 must be a positive number, got 0$"),
])
def test_bad_inputs_name_what_is_wrong(call, message):
    with pytest.raises(SysrevError, match=message):
        call()


def test_sd_from_t_with_t_or_md_of_one_is_a_number():
    # SE = |MD/t|, SD = SE / √(1/10 + 1/10) = SE / 0.4472136
    assert cv.sd_from_t(3, 1, 10, 10).values["sd"] == pytest.approx(3 / math.sqrt(0.2))
    assert cv.sd_from_t(1, 2, 10, 10).values["sd"] == pytest.approx(0.5 / math.sqrt(0.2))


def test_t_and_p_routes_record_the_reported_numbers():
    via_t = cv.sd_from_t(3.8, 2.78, 25, 22)
    assert via_t.raw == "MD=3.8; t=2.78; n1=25; n2=22"
    assert via_t.method == ("SE = |MD/t|; SD = SE / √(1/n1 + 1/n2), same SD in both groups "
                            "(Cochrane Handbook v6 §6.5.2.3)")
    via_p = cv.sd_from_p(3.8, 0.008, 25, 22)
    assert via_p.raw == "MD=3.8; P=0.008; n1=25; n2=22"


def test_sd_from_ci_distribution_can_be_forced_and_is_recorded():
    # n = 100 would use z; forced t uses t(99) = 1.9842 (R: qt(0.975, 99) = 1.984217)
    forced = cv.sd_from_ci(10, 13.92, 100, distribution="t")
    assert forced.values["sd"] == pytest.approx(10 * 3.92 / (2 * 1.984217), abs=1e-5)
    assert "t(99)=1.9842" in forced.method
    assert forced.values == pytest.approx({"sd": 10 * 3.92 / (2 * 1.984217), "n": 100, "mean": 11.96})
    assert forced.raw == "95% CI 10 to 13.92; n=100"
    with pytest.raises(SysrevError, match="^distribution must be t, z or auto, not 'normal'$"):
        cv.sd_from_ci(10, 13.92, 100, distribution="normal")


def test_change_sd_at_the_ends_of_the_correlation_range():
    # r = 1: √(16 + 9 − 24) = 1 = |4 − 3|; r = −1: √(16 + 9 + 24) = 7 = 4 + 3
    assert cv.change_sd(4.0, 3.0, 1).values["sd"] == pytest.approx(1.0)
    assert cv.change_sd(4.0, 3.0, -1).values["sd"] == pytest.approx(7.0)
    for r in (-1.5, 1.01):
        with pytest.raises(SysrevError, match=f"^the correlation must be between −1 and 1, got {r}$"):
            cv.change_sd(4.0, 3.0, r)
    with pytest.raises(SysrevError, match="^sd_baseline must be a positive number, got 0$"):
        cv.change_sd(0, 3.0, 0.5)
    with pytest.raises(SysrevError, match="^sd_final must be a positive number, got 0$"):
        cv.change_sd(4.0, 0, 0.5)


def test_sd_from_md_ci_distribution_can_be_forced_and_is_recorded():
    # n1 = n2 = 100 would use z; forced t uses t(198) (R: qt(0.975, 198) = 1.972017);
    # SD = SE / √(1/100 + 1/100) = SE / 0.1414214
    forced = cv.sd_from_md_ci(-1, 3, 100, 100, distribution="t")
    assert forced.values["sd"] == pytest.approx(4 / (2 * 1.972017) / math.sqrt(0.02), abs=1e-5)
    assert "t(198)=1.9720" in forced.method
    assert forced.raw == "MD 95% CI -1 to 3; n1=100; n2=100"
    # n1 = 30 would use t; forced z: SE = 4 / 3.919928 = 1.020427, SD = 1.020427 / √(1/30 + 1/30) = 3.952081
    z = cv.sd_from_md_ci(-1, 3, 30, 30, distribution="z")
    assert z.values["sd"] == pytest.approx(4 / 3.919928 / math.sqrt(2 / 30), abs=1e-5)
    with pytest.raises(SysrevError, match="^distribution must be t, z or auto, not 'normal'$"):
        cv.sd_from_md_ci(-1, 3, 30, 30, distribution="normal")
    for n1, n2, name in ((0, 30, "n1"), (30, 0, "n2")):
        with pytest.raises(SysrevError, match=f"^{name} must be a positive number, got 0$"):
            cv.sd_from_md_ci(-1, 3, n1, n2)


def test_change_sd_records_the_reported_numbers():
    assert cv.change_sd(4.0, 3.0, 0.5).raw == "SD baseline=4; SD final=3; r=0.5"


def test_exact_expectations_are_computed_afresh():
    # the tables are cached; clear them so the integrals themselves are checked (R values, module docstring;
    # E[range of 2 normals] = 2/√π, E[range of 3] = 3/√π = 1.692569 — Wan Table 1: 1.128, 1.693)
    cv.expected_iqr.cache_clear()
    cv.expected_range.cache_clear()
    assert cv.eta(201) == pytest.approx(1.3395626655, abs=1e-8)
    assert cv.xi(2) == pytest.approx(2 / math.sqrt(math.pi), abs=1e-9)
    assert cv.xi(3) == pytest.approx(3 / math.sqrt(math.pi), abs=1e-9)
    # n = 5 (Q = 1): E[X(4)] − E[X(2)] = 2 × 0.4950 (expected normal order statistics, Harter 1961: 0.49502)
    assert cv.eta(5) == pytest.approx(2 * 0.49502, abs=1e-4)


def test_derived_values_are_floats():
    d = cv.combine_events(2, 30, 3, 31)
    assert all(type(v) is float for v in d.values.values())


@pytest.mark.parametrize("bad", [None, math.inf, math.nan, 0, -2.5])
def test_sizes_and_ses_must_be_positive_finite_numbers(bad):
    with pytest.raises(SysrevError, match=f"^se must be a positive number, got {bad!r}$".replace("(", r"\(")):
        cv.sd_from_se(bad, 10)
    with pytest.raises(SysrevError, match="^n must be a positive number"):
        cv.sd_from_se(0.5, bad)


@pytest.mark.parametrize("level", [0, 1, 100, 150])
def test_confidence_level_outside_0_to_100_is_refused(level):
    with pytest.raises(SysrevError, match="^confidence level must be between 0 and 100 \\(%\\), got "):
        cv.sd_from_ci(10, 13.92, 100, level=level)


def test_confidence_level_as_a_proportion_or_a_percent():
    # 0.5 and 50 are the same 50% CI: z = Φ⁻¹(0.75) = 0.6744898, SD = √100 × 1 / (2 × 0.6744898) = 7.413011
    for level in (0.5, 50):
        assert cv.sd_from_ci(10, 11, 100, level=level).values["sd"] == pytest.approx(7.413011, abs=1e-5)
    # 2 is 2%, not a proportion above 1: z = Φ⁻¹(0.51) = 0.02506891, SD = 10 / (2 × 0.02506891) = 199.4510
    assert cv.sd_from_ci(10, 11, 100, level=2).values["sd"] == pytest.approx(199.4510, abs=1e-3)


def test_ties_in_a_summary_are_in_order():
    d = cv.mean_sd_from_median_iqr(median=2, q1=2, q3=8, n=39)  # q1 = median is allowed
    assert d.values["n"] == 39
    assert d.raw == "median=2; q1=2; q3=8; n=39"
    assert "w = 0.7 + 0.39/n" in d.method and "η(39) = " in d.method
    with pytest.raises(SysrevError, match="^summary values must be in increasing order .*, got 2, 9, 8$"):
        cv.mean_sd_from_median_iqr(median=9, q1=2, q3=8, n=39)


def test_sd_from_se_keeps_n():
    d = cv.sd_from_se(0.5, 25)
    assert d.values == {"sd": 2.5, "n": 25.0}


def test_combine_groups_checks_its_inputs_and_records_them():
    d = cv.combine_groups(10, 5.0, 0.0, 10, 5.0, 0.0)  # SD 0 (all values equal) is allowed
    assert d.values == {"n": 20.0, "mean": 5.0, "sd": 0.0}
    assert d.raw == "group 1: n=10, mean=5, SD=0; group 2: n=10, mean=5, SD=0"
    for sds in ((-1, 2), (2, -1)):
        with pytest.raises(SysrevError, match="^SDs must not be negative$"):
            cv.combine_groups(10, 5.0, sds[0], 10, 6.0, sds[1])
    for n1, n2, name in ((0, 10, "n1"), (10, 0, "n2")):
        with pytest.raises(SysrevError, match=f"^{name} must be a positive number, got 0$"):
            cv.combine_groups(n1, 5.0, 1.0, n2, 6.0, 1.0)


def test_xi_above_50_is_wans_approximation_not_the_exact_range():
    # R: exact E[range of 51 normals] = 4.5135617253 (integrate), Wan's 2Φ⁻¹(50.625/51.25) = 4.5018513930;
    # Table 1 stops at 50, so n = 51 uses the approximation
    assert cv.xi(51) == pytest.approx(4.5018513930, abs=1e-9)


def test_reported_numbers_are_written_as_given():
    # _g: integers and values ≥ 1e-4 in %g (6 significant digits), smaller ones in full
    assert cv.sd_from_se(0.123456789, 4).raw == "SE=0.123457; n=4"
    assert cv.sd_from_se(1.23456789e-05, 4).raw == "SE=1.23456789e-05; n=4"


def test_sd_from_p_checks_group_sizes_itself():
    for n1, n2, name in ((None, 10, "n1"), (10, None, "n2")):
        with pytest.raises(SysrevError, match=f"^{name} must be a positive number, got None$"):
            cv.sd_from_p(1, 0.05, n1, n2)
