"""Trial sequential analysis in detail (sysrev/living/sequential.py): every figure of the required information
size and where it comes from, each monitoring look, the verdict sentences and every refusal; by hand."""

import pandas as pd
import pytest

from sysrev.errors import SysrevError
from sysrev.living.sequential import (
    Design,
    anticipated_rrr,
    information_size_continuous,
    information_size_dichotomous,
    required_information,
    trial_sequential_analysis,
)
from sysrev.meta import meta_analysis

Z975, Z80 = 1.959963984540054, 0.8416212335729143


def _binary(events1=(20, 22, 18), events2=(50, 48, 52), n=500):
    k = len(events1)
    return pd.DataFrame({"study": [f"T{i + 1}" for i in range(k)], "events1": list(events1), "n1": [n] * k,
                         "events2": list(events2), "n2": [n] * k, "year": list(range(2001, 2001 + k))})


def _continuous():
    # arm SDs 2 and 4 (n 10 and 30 per arm): pooled variance ((9·4 + 9·16) + (29·4 + 29·16)) / (18 + 58)
    # = 760 / 76 = 10
    return pd.DataFrame({"study": ["A", "B"], "mean1": [5.0, 4.0], "sd1": [2.0, 2.0], "n1": [10, 30],
                         "mean2": [6.0, 5.5], "sd2": [4.0, 4.0], "n2": [10, 30], "year": [2010, 2012]})


def test_required_information_of_a_dichotomous_outcome_in_full():
    result = meta_analysis(_binary(), "RR", method="IV")
    info = required_information(result, Design(rrr=0.3, heterogeneity="none"))
    # observed control rate 150 / 1,500 = 0.1
    assert info == {"alpha": 0.05, "beta": 0.2, "control_rate": pytest.approx(0.1), "control_rate_observed": True,
                    "rrr": 0.3, "mid": None, "unadjusted": pytest.approx(information_size_dichotomous(0.1, 0.3)),
                    "adjustment": "none", "adjustment_value": 0.0,
                    "required": pytest.approx(information_size_dichotomous(0.1, 0.3))}
    given = required_information(result, Design(control_rate=0.2, difference=0.8, heterogeneity=0.25))
    # a mid of RR 0.8 is a 20 % relative risk reduction; the given adjustment divides by 1 − 0.25
    assert (given["control_rate"], given["control_rate_observed"], given["rrr"], given["mid"]) == (
        0.2, False, pytest.approx(0.2), 0.8)
    assert (given["adjustment"], given["adjustment_value"]) == ("given", 0.25)
    assert given["required"] == pytest.approx(information_size_dichotomous(0.2, 0.2) / 0.75)


def test_required_information_of_a_continuous_outcome_in_full():
    result = meta_analysis(_continuous(), "MD", method="IV")
    info = required_information(result, Design(difference=1.5, heterogeneity="none"))
    expected = 4 * (Z975 + Z80) ** 2 * 10.0 / 1.5**2  # both arms: 2 × 2 (z sum)² σ² / δ²
    assert info == {"alpha": 0.05, "beta": 0.2, "difference": 1.5, "variance": pytest.approx(10.0),
                    "variance_observed": True, "unadjusted": pytest.approx(expected), "adjustment": "none",
                    "adjustment_value": 0.0, "required": pytest.approx(expected)}
    given = required_information(result, Design(difference=1.5, variance=9.0, alpha=0.01, beta=0.1,
                                                heterogeneity="NONE"))
    assert (given["variance"], given["variance_observed"], given["alpha"], given["beta"]) == (9.0, False, 0.01, 0.1)
    smd = required_information(meta_analysis(_continuous(), "SMD", method="IV"),
                               Design(difference=0.5, heterogeneity="none"))
    assert (smd["variance"], smd["variance_observed"]) == (1.0, False)
    assert smd["required"] == pytest.approx(4 * (Z975 + Z80) ** 2 / 0.25)


def test_heterogeneity_adjustments_by_name():
    result = meta_analysis(_binary((10, 30, 18), (50, 40, 60)), "RR", method="IV", model="random")
    i2 = required_information(result, Design(rrr=0.3, heterogeneity="i2"))
    assert i2["adjustment"] == "I2" and i2["adjustment_value"] == pytest.approx(result.overall.I2_revman / 100)
    assert i2["required"] == pytest.approx(i2["unadjusted"] / (1 - i2["adjustment_value"]))
    d2 = required_information(result, Design(rrr=0.3))
    assert d2["adjustment"] == "D2" and 0 < d2["adjustment_value"] < 1


@pytest.mark.parametrize("table, measure, design, message", [
    (_binary(), "RR", Design(), "give the anticipated relative risk reduction (--rrr, e.g. 0.2 for 20%) or the "
                                "minimal important difference on the reporting scale (--mid, e.g. 0.8 for RR 0.8)"),
    (_continuous(), "MD", Design(rrr=0.2), "give the anticipated difference or minimal important difference "
                                           "(--mid)"),
    (_binary(), "RR", Design(rrr=0.2, heterogeneity="tau"),
     "heterogeneity adjustment must be D2, I2, none or a value in [0, 1), got 'tau'"),
    (_binary(), "RR", Design(rrr=0.2, heterogeneity=1.0), "a given heterogeneity adjustment must lie in [0, 1), "
                                                          "got 1.0"),
    (_binary(), "RR", Design(rrr=0.2, heterogeneity=-0.1), "a given heterogeneity adjustment must lie in [0, 1)"),
])
def test_required_information_refusals(table, measure, design, message):
    with pytest.raises(SysrevError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace(".", r"\.")):
        required_information(meta_analysis(table, measure, method="IV"), design)


def test_each_look_in_full():
    table = _binary((20, 22, 18), (50, 48, 52))
    result = meta_analysis(table, "RR", method="IV")
    tsa = trial_sequential_analysis(result, list(table.year), Design(rrr=0.3, heterogeneity="none"),
                                    order_by="year")
    required = tsa["information"]["required"]
    looks = tsa["looks"]
    assert [(look["study"], look["k"], look["participants"]) for look in looks] == [
        ("T1", 1, 1000.0), ("T2", 2, 2000.0), ("T3", 3, 3000.0)]
    assert [look["fraction"] for look in looks] == pytest.approx([1000 / required, 2000 / required, 3000 / required])
    assert all(look["conventional"] == (abs(look["z"]) >= Z975) for look in looks)
    assert all(look["crossed"] == (look["boundary"] is not None and abs(look["z"]) >= look["boundary"])
               for look in looks)
    spent = [look["alpha_spent"] for look in looks if look["fraction"] < 1]
    assert spent == sorted(spent) and spent[-1] < 0.05
    assert tsa["conventional_boundary"] == pytest.approx(Z975)
    assert tsa["first_crossed_at"] == next((look["study"] for look in looks if look["crossed"]), None)
    assert (tsa["order_by"], tsa["descending"], tsa["measure"]) == ("year", False, "RR")


def test_verdict_sentences_in_full():
    small = _binary((10, 12), (14, 13), n=100)
    tsa = trial_sequential_analysis(meta_analysis(small, "RR", method="IV"), list(small.year),
                                    Design(rrr=0.2, heterogeneity="none"), order_by="year")
    last, required = tsa["looks"][-1], tsa["information"]["required"]
    bound = "not computable this early" if last["boundary"] is None else f"±{last['boundary']:.2f}"
    assert tsa["verdict"] == (f"not yet: 400 of {required:,.0f} required participants ({last['fraction']:.0%}); "
                              f"Z = {last['z']:.2f} against a monitoring boundary of {bound}")
    big = _binary((20, 22, 18, 21, 19, 20), (50, 48, 52, 49, 51, 50))
    tsa = trial_sequential_analysis(meta_analysis(big, "RR", method="IV"), list(big.year),
                                    Design(rrr=0.3, heterogeneity="none"), order_by="year")
    last, required = tsa["looks"][-1], tsa["information"]["required"]
    assert tsa["status"] == "firm evidence"
    assert tsa["verdict"] == (
        f"firm evidence: the cumulative Z curve (Z = {last['z']:.2f}, estimate below the null) has crossed the "
        f"O'Brien–Fleming monitoring boundary (±{last['boundary']:.2f}) at {last['fraction']:.0%} of the required "
        f"information size ({required:,.0f} participants)")
    null = _binary((50, 49, 51, 50, 50, 50) * 3, (50, 51, 49, 50, 50, 50) * 3, n=1000)
    tsa = trial_sequential_analysis(meta_analysis(null, "RR", method="IV"), list(null.year),
                                    Design(rrr=0.3, heterogeneity="none"), order_by="year")
    last, required = tsa["looks"][-1], tsa["information"]["required"]
    assert tsa["verdict"] == (
        f"the required information size ({required:,.0f} participants) is reached and the Z curve (Z = "
        f"{last['z']:.2f}) has not crossed the boundary (±{last['boundary']:.2f}): an effect as large as "
        "anticipated is unlikely")


def test_refusals_of_the_analysis():
    table = _binary()
    with pytest.raises(SysrevError, match="use --ci z"):
        trial_sequential_analysis(meta_analysis(table, "RR", method="IV", model="random", ci="hksj"),
                                  list(table.year), Design(rrr=0.2))
    generic = pd.DataFrame({"study": ["A", "B"], "yi": [0.1, 0.2], "se": [0.1, 0.1], "year": [1, 2]})
    with pytest.raises(SysrevError, match="needs n1 and n2"):
        trial_sequential_analysis(meta_analysis(generic, "GEN", method="IV"), [1, 2], Design(rrr=0.2))
    with pytest.raises(SysrevError, match=r"alpha and beta must lie in \(0, 1\), got 1\.0 and 0\.2"):
        required_information(meta_analysis(table, "RR", method="IV"), Design(rrr=0.2, alpha=1.0))


@pytest.mark.parametrize("call, message", [
    (lambda: information_size_dichotomous(0.0, 0.2), "the control event proportion must lie in (0, 1), got 0.0"),
    (lambda: information_size_dichotomous(1.0, 0.2), "the control event proportion must lie in (0, 1), got 1.0"),
    (lambda: information_size_dichotomous(0.2, 0.0),
     "the relative risk reduction must be non-zero and lie in (−1, 1), got 0.0"),
    (lambda: information_size_dichotomous(0.2, -1.0),
     "the relative risk reduction must be non-zero and lie in (−1, 1), got -1.0"),
    (lambda: information_size_dichotomous(0.8, -0.25),  # 0.8 × 1.25 = 1: no longer a proportion below 1
     "control proportion 0.8 with RRR -0.25 gives an experimental proportion of 1, outside (0, 1)"),
    (lambda: information_size_dichotomous(0.2, 0.2, alpha=0.0), "alpha and beta must lie in (0, 1), got 0.0 and 0.2"),
    (lambda: information_size_dichotomous(0.2, 0.2, beta=1.0), "alpha and beta must lie in (0, 1), got 0.05 and 1.0"),
    (lambda: information_size_continuous(0.0, 4.0),
     "the anticipated difference (or minimal important difference) must be non-zero"),
    (lambda: information_size_continuous(float("inf"), 4.0),
     "the anticipated difference (or minimal important difference) must be non-zero"),
    (lambda: information_size_continuous(1.0, 0.0), "the outcome variance must be positive, got 0.0"),
    (lambda: anticipated_rrr("RR", 0.0), "a ratio's minimal important difference must be a ratio > 0 other than 1 "
                                         "(the thresholds are mid and 1/mid), got 0.0"),
    (lambda: anticipated_rrr("PETO", 1.0), "a ratio's minimal important difference must be a ratio > 0 other than 1"),
    (lambda: anticipated_rrr("RD", 0.0), "a risk difference's minimal important difference must lie in (−1, 1) and "
                                         "not be 0, got 0.0"),
    (lambda: anticipated_rrr("RD", -1.0), "a risk difference's minimal important difference must lie in (−1, 1)"),
    (lambda: anticipated_rrr("RD", 0.05), "the control event proportion must lie in (0, 1), got None"),
    (lambda: anticipated_rrr("RD", 0.05, 1.0), "the control event proportion must lie in (0, 1), got 1.0"),
    (lambda: anticipated_rrr("RD", -0.1, 0.1), "a risk difference of 0.1 cannot be a reduction from a control "
                                                "event proportion of 0.1: give --rrr or --control-rate"),
    (lambda: anticipated_rrr("MD", 1.0), "MD is not a dichotomous measure"),
])
def test_information_size_refusals_in_full(call, message):
    with pytest.raises(SysrevError) as caught:
        call()
    assert str(caught.value).startswith(message)


def test_anticipated_rrr_of_each_dichotomous_measure():
    assert anticipated_rrr("OR", 1.25) == pytest.approx(0.2) and anticipated_rrr("PETO", 0.75) == pytest.approx(0.25)
    assert anticipated_rrr("RD", -0.05, 0.2) == pytest.approx(0.25)


@pytest.mark.parametrize("measure", ["OR", "PETO", "RD"])
def test_required_information_of_every_dichotomous_measure(measure):
    info = required_information(meta_analysis(_binary(), measure, method="IV" if measure != "PETO" else "PETO"),
                                Design(rrr=0.3, heterogeneity="none"))
    assert info["required"] == pytest.approx(information_size_dichotomous(0.1, 0.3))


def test_beta_reaches_the_continuous_information_size():
    result = meta_analysis(_continuous(), "MD", method="IV")
    low_power = required_information(result, Design(difference=1.5, beta=0.5, heterogeneity="none"))
    assert low_power["required"] == pytest.approx(4 * (Z975 + 0.0) ** 2 * 10.0 / 1.5**2)


def test_each_look_carries_its_cumulative_step():
    table = _binary((20, 22, 18), (50, 48, 52))
    result = meta_analysis(table, "RR", method="IV")
    tsa = trial_sequential_analysis(result, list(table.year), Design(rrr=0.3, heterogeneity="none"),
                                    order_by="year")
    assert set(tsa["looks"][0]) == {"study", "order", "k", "participants", "fraction", "z", "estimate", "ci_low",
                                    "ci_high", "p", "boundary", "alpha_spent", "crossed", "conventional"}
    assert [look["order"] for look in tsa["looks"]] == [2001, 2002, 2003]
    assert all(look["ci_low"] < look["estimate"] < look["ci_high"] and 0 <= look["p"] <= 1 for look in tsa["looks"])
    assert tsa["not_estimable"] == []
