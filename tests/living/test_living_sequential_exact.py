"""Trial sequential analysis, the parts a partial match let through: refusals word for word, the observed
variance with unequal arm SDs, each verdict at its edges, the heterogeneity adjustments at their limits, the
order of the looks, and the final boundary after the required information size is reached."""

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from sysrev.errors import SysrevError
from sysrev.living.boundaries import lan_demets_boundaries
from sysrev.living.sequential import (
    Design,
    _participants,
    _verdict,
    anticipated_rrr,
    diversity,
    information_size_continuous,
    information_size_dichotomous,
    required_information,
    trial_sequential_analysis,
)
from sysrev.meta import meta_analysis
from sysrev.meta.batch import pool_inverse_variance


def _binary(events1=(20, 22, 18), events2=(50, 48, 52), n=500):
    k = len(events1)
    return pd.DataFrame({"study": [f"T{i + 1}" for i in range(k)], "events1": list(events1), "n1": [n] * k,
                         "events2": list(events2), "n2": [n] * k, "year": list(range(2001, 2001 + k))})


GENERIC = pd.DataFrame({"study": ["A", "B"], "yi": [0.1, 0.2], "se": [0.1, 0.1], "year": [1, 2]})


def test_refusals_of_the_analysis_word_for_word():
    table = _binary()
    with pytest.raises(SysrevError) as hksj:
        trial_sequential_analysis(meta_analysis(table, "RR", method="IV", model="random", ci="hksj"),
                                  list(table.year), Design(rrr=0.2))
    assert str(hksj.value) == "trial sequential analysis monitors a Z statistic; use --ci z (not HKSJ)"
    generic = meta_analysis(GENERIC, "GEN", method="IV")
    with pytest.raises(SysrevError) as no_arms:
        trial_sequential_analysis(generic, [1, 2], Design(rrr=0.2))
    assert str(no_arms.value) == ("trial sequential analysis counts participants: it needs n1 and n2 (dichotomous "
                                  "or continuous data), not generic yi/se rows")
    with pytest.raises(SysrevError) as not_binary_or_continuous:
        required_information(generic, Design(rrr=0.2))
    assert str(not_binary_or_continuous.value) == ("trial sequential analysis needs dichotomous or continuous data "
                                                   "(participants per arm)")


def test_the_observed_variance_pools_unequal_arm_sds():
    # arm SDs 1.5 and 3 (n 11 and 21 per arm): ((10·2.25 + 10·9) + (20·2.25 + 20·9)) / (20 + 40) = 337.5 / 60
    table = pd.DataFrame({"study": ["A", "B"], "mean1": [5.0, 4.0], "sd1": [1.5, 1.5], "n1": [11, 21],
                          "mean2": [6.0, 5.5], "sd2": [3.0, 3.0], "n2": [11, 21]})
    info = required_information(meta_analysis(table, "MD", method="IV"), Design(difference=1.0, heterogeneity="none"))
    assert info["variance"] == pytest.approx(337.5 / 60, rel=1e-12)
    assert info["required"] == pytest.approx(information_size_continuous(1.0, 337.5 / 60), rel=1e-12)


@pytest.mark.parametrize("z, boundary, fraction, status, says", [
    (-2.5, 2.5, 0.5, "firm evidence", "(Z = -2.50, estimate below the null) has crossed the O'Brien–Fleming "
                                      "monitoring boundary (±2.50) at 50% of the required information size (1,000 "
                                      "participants)"),
    (2.5, 2.4, 0.5, "firm evidence", "(Z = 2.50, estimate above the null)"),
    (0.5, 2.4, 0.5, "not yet", "Z = 0.50 against a monitoring boundary of ±2.40"),
    (0.5, None, 0.01, "not yet", "not yet: 10 of 1,000 required participants (1%); Z = 0.50 against a monitoring "
                                 "boundary of not computable this early"),
    (1.5, 2.0, 1.0, "firm evidence of no such effect",
     "the required information size (1,000 participants) is reached and the Z curve (Z = 1.50) has not crossed "
     "the boundary (±2.00): an effect as large as anticipated is unlikely"),
    (0.9, 2.0, 1.5, "firm evidence of no such effect", "is reached"),
])
def test_each_verdict_at_its_edges(z, boundary, fraction, status, says):
    look = {"z": z, "boundary": boundary, "fraction": fraction, "participants": fraction * 1000}
    got_status, sentence = _verdict([{"z": 9.0, "boundary": 1.0, "fraction": 0.1, "participants": 100}, look],
                                    1000.0)
    assert got_status == status and says in sentence


def test_diversity_of_one_study_is_zero_and_dersimonian_laird_by_default():
    assert diversity([0.3], [0.04]) == 0.0
    yi, vi = [0.1, 0.5, -0.2, 0.4], [0.02, 0.05, 0.03, 0.04]
    v_fixed = pool_inverse_variance(yi, vi, None)["se"] ** 2
    v_dl = pool_inverse_variance(yi, vi, "DL")["se"] ** 2
    assert diversity(yi, vi) == pytest.approx((v_dl - v_fixed) / v_dl, rel=1e-12)
    assert v_dl > v_fixed  # heterogeneous studies: a diversity above zero
    assert diversity(yi, vi, "REML") != diversity(yi, vi)


def test_an_i2_adjustment_without_an_i2_and_a_given_adjustment_of_zero_leave_the_size_as_it_is():
    one = _binary((20,), (50,))
    result = meta_analysis(one, "RR", method="IV")
    assert result.overall.I2_revman is None  # one study
    info = required_information(result, Design(rrr=0.3, heterogeneity="I2"))
    assert (info["adjustment"], info["adjustment_value"], info["required"]) == ("I2", 0.0, info["unadjusted"])
    zero = required_information(result, Design(rrr=0.3, heterogeneity=0.0))
    assert (zero["adjustment"], zero["adjustment_value"], zero["required"]) == ("given", 0.0, zero["unadjusted"])


def test_a_risk_difference_mid_is_read_against_the_observed_control_rate():
    result = meta_analysis(_binary(), "RD", method="IV")  # observed control rate 150 / 1,500 = 0.1
    info = required_information(result, Design(difference=-0.03, heterogeneity="none"))
    assert info["rrr"] == pytest.approx(0.3) and info["mid"] == -0.03
    assert info["required"] == pytest.approx(information_size_dichotomous(0.1, 0.3))
    both = required_information(result, Design(rrr=0.2, difference=-0.03, heterogeneity="none"))
    assert (both["rrr"], both["mid"]) == (0.2, None)  # a given RRR wins; the mid is then not what was used


def test_looks_follow_the_order_asked_for_and_count_participants_in_that_order():
    table = _binary((20, 22, 18), (50, 48, 52))
    table["n1"] = table["n2"] = [300, 500, 700]
    result = meta_analysis(table, "RR", method="IV")
    newest_first = trial_sequential_analysis(result, list(table.year), Design(rrr=0.3, heterogeneity="none"),
                                             order_by="year", descending=True)
    assert [(look["study"], look["participants"]) for look in newest_first["looks"]] == [
        ("T3", 1400.0), ("T2", 2400.0), ("T1", 3000.0)]
    assert (newest_first["order_by"], newest_first["descending"]) == ("year", True)
    by_size = trial_sequential_analysis(result, [3, 1, 2], Design(rrr=0.3, heterogeneity="none"))
    assert [look["study"] for look in by_size["looks"]] == ["T2", "T3", "T1"] and by_size["order_by"] == "order"


def test_once_the_required_size_is_reached_every_later_look_has_the_final_boundary():
    events1, events2 = (20, 22, 18, 21, 19, 20), (50, 48, 52, 49, 51, 50)
    table = _binary(events1, events2, n=1000)
    result = meta_analysis(table, "RR", method="IV")
    design = Design(rrr=0.3, heterogeneity="none")
    tsa = trial_sequential_analysis(result, list(table.year), design, order_by="year")
    looks, required = tsa["looks"], tsa["information"]["required"]
    fractions = [look["fraction"] for look in looks]
    below = [f for f in fractions if f < 1]
    assert 2 <= len(below) < len(looks) - 1  # reached before the last two looks
    bounds = lan_demets_boundaries(below + [1.0], 0.05, "obf")
    assert [look["boundary"] for look in looks[:len(below)]] == pytest.approx(list(bounds.z[:-1]), rel=1e-12)
    assert all(look["boundary"] == pytest.approx(bounds.z[-1], rel=1e-12) for look in looks[len(below):])
    assert all(look["alpha_spent"] == pytest.approx(0.05, rel=1e-12) for look in looks[len(below):])
    assert [look["alpha_spent"] for look in looks[:len(below)]] == pytest.approx(list(bounds.spent[:-1]))
    assert required == pytest.approx(information_size_dichotomous(300 / 6000, 0.3))  # observed control rate


def test_a_look_too_early_for_any_boundary_has_none():
    # the first trial holds a few thousandths of the required size: the O'Brien–Fleming spending there is
    # below what a double can hold, so there is no finite boundary
    table = _binary((1, 40, 45), (2, 60, 62), n=1000)
    table.loc[0, ["n1", "n2"]] = 5
    tsa = trial_sequential_analysis(meta_analysis(table, "RR", method="IV"), list(table.year),
                                    Design(rrr=0.1, heterogeneity="none"), order_by="year")
    first = tsa["looks"][0]
    assert first["fraction"] < 0.002 and first["boundary"] is None and first["crossed"] is False
    assert math.isfinite(tsa["looks"][1]["boundary"])


def test_both_arm_sizes_are_needed():
    for columns in ({"n1": [10, 20]}, {"n2": [10, 20]}, {}):
        result = SimpleNamespace(effects=SimpleNamespace(table=SimpleNamespace(columns=columns)))
        with pytest.raises(SysrevError, match="^trial sequential analysis counts participants"):
            _participants(result)


@pytest.mark.parametrize("call, message", [
    (lambda: information_size_dichotomous(0.2, 0.2, beta=0.0), "alpha and beta must lie in (0, 1), got 0.05 and 0.0"),
    (lambda: information_size_dichotomous(0.2, 1.0),
     "the relative risk reduction must be non-zero and lie in (−1, 1), got 1.0"),
    (lambda: information_size_dichotomous(0.2, 1.5),
     "the relative risk reduction must be non-zero and lie in (−1, 1), got 1.5"),
    (lambda: anticipated_rrr("RD", 1.0, 0.5),
     "a risk difference's minimal important difference must lie in (−1, 1) and not be 0, got 1.0"),
    (lambda: anticipated_rrr("RD", 1.5, 0.5),
     "a risk difference's minimal important difference must lie in (−1, 1) and not be 0, got 1.5"),
    (lambda: anticipated_rrr("RD", 0.05, 0.0), "the control event proportion must lie in (0, 1), got 0.0"),
    (lambda: required_information(meta_analysis(pd.DataFrame({
        "study": ["A", "B"], "mean1": [5.0, 4.0], "sd1": [1.5, 1.5], "n1": [11, 21], "mean2": [6.0, 5.5],
        "sd2": [3.0, 3.0], "n2": [11, 21]}), "MD", method="IV"), Design(rrr=0.2)),
     "give the anticipated difference or minimal important difference (--mid)"),
])
def test_limits_refused_word_for_word(call, message):
    with pytest.raises(SysrevError) as refused:
        call()
    assert str(refused.value) == message


def test_a_boundary_crossed_by_a_small_positive_z_is_above_the_null():
    look = {"z": 0.5, "boundary": 0.4, "fraction": 0.5, "participants": 500}
    assert "(Z = 0.50, estimate above the null)" in _verdict([look], 1000.0)[1]


def test_the_diversity_adjustment_uses_the_analysis_tau2_estimator():
    table = _binary((10, 30, 18, 25), (50, 40, 60, 45))
    result = meta_analysis(table, "RR", method="IV", model="random", tau2="REML")
    info = required_information(result, Design(rrr=0.3))
    yi, vi = result.effects.yi[result.effects.estimable], result.effects.vi[result.effects.estimable]
    assert info["adjustment_value"] == pytest.approx(diversity(yi, vi, "REML"), rel=1e-12)
    assert info["adjustment_value"] != pytest.approx(diversity(yi, vi, "DL"), rel=1e-6)


def test_a_missing_order_value_is_named_by_the_order_column():
    table = _binary()
    with pytest.raises(SysrevError) as refused:
        trial_sequential_analysis(meta_analysis(table, "RR", method="IV"), [2001, "", 2003], Design(rrr=0.3),
                                  order_by="year")
    assert str(refused.value) == ("row 2, column 'year' (study 'T2'): no order value: every study needs one to be "
                                  "placed in the sequence")
