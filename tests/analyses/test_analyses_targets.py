"""Printed targets: precision, bounds, comparison, and the internal-consistency check."""

import math

import pytest

from sysrev.analyses.targets import PrintedValue, Target, compare, consistency


def target(**printed):
    values = {}
    for key, text in printed.items():
        if key == "ci":
            values["ci_low"], values["ci_high"] = (PrintedValue.parse(t) for t in text)
        else:
            values[key] = PrintedValue.parse(text)
    order = ("estimate", "ci_low", "ci_high", "p", "I2", "tau2")
    return Target(source="test", values={k: values[k] for k in order if k in values})


@pytest.mark.parametrize("text, value, decimals, bound", [
    ("-0.01", -0.01, 2, None), ("0.10", 0.10, 2, None), ("−0.00", 0.0, 2, None), ("0%", 0.0, 0, None),
    ("12.5 %", 12.5, 1, None), ("<0.001", 0.001, 3, "<"), ("≤ 0.05", 0.05, 2, "<="), ("685.20", 685.2, 2, None),
    (3, 3.0, 0, None),
])
def test_parse_keeps_printed_decimals_and_bounds(text, value, decimals, bound):
    pv = PrintedValue.parse(text)
    assert (pv.value, pv.decimals, pv.bound) == (pytest.approx(value), decimals, bound)


@pytest.mark.parametrize("bad", [0.1, "0.1.2", "abc", "", True, None, ["0.1"]])
def test_parse_rejects_what_is_not_a_printed_number(bad):
    with pytest.raises(ValueError):
        PrintedValue.parse(bad)


def test_float_is_refused_with_a_hint_to_quote_it():
    with pytest.raises(ValueError, match="in quotes"):
        PrintedValue.parse(0.10)


@pytest.mark.parametrize("printed, computed, agrees", [
    ("-0.01", -0.0051, True), ("-0.01", -0.0149, True), ("-0.01", -0.0151, False), ("-0.01", 0.0, False),
    ("0.10", 0.1049, True), ("0.10", 0.1051, False), ("-0.00", 0.004, True), ("-0.00", -0.0049, True),
    ("0%", 0.0, True), ("0%", 0.49, True), ("0%", 0.51, False),
    ("<0.001", 0.0009, True), ("<0.001", 0.0011, False), (">0.05", 0.2, True), (">0.05", 0.04, False),
    # a bound allows floating-point noise (1e-9 of the value) at the value printed, and nothing beyond it
    ("<0.001", 0.001, True), ("<0.001", 0.001 + 1e-8, False), (">0.05", 0.05, True), (">0.05", 0.05 - 1e-8, False),
    ("≤0.05", 0.05, True), ("≤0.05", 0.0501, False), ("≥0.05", 0.05, True), ("≥0.05", 0.0499, False),
    ("0.05", None, False), ("0.05", math.nan, False),
])
def test_agreement_is_half_a_unit_of_the_last_printed_digit(printed, computed, agrees):
    assert PrintedValue.parse(printed).agrees(computed) is agrees


def test_rounded_shows_computed_value_at_printed_precision():
    assert PrintedValue.parse("0.10").rounded(0.12345) == "0.12"
    assert PrintedValue.parse("685.20").rounded(685.1965) == "685.20"
    assert PrintedValue.parse("0.1").rounded(None) is None


def test_compare_lists_every_printed_field_with_the_computed_one():
    tgt = target(estimate="0.99", ci=["0.49", "1.99"], p="0.97", I2="0%")
    result = {"estimate": 0.9912, "ci_low": 0.4861, "ci_high": 2.02, "p": 0.973, "I2": 0.0}
    rows = {r["field"]: r for r in compare(tgt, result)}
    assert [r for r in rows] == ["estimate", "ci_low", "ci_high", "p", "I2"]
    assert rows["estimate"]["agrees"] and rows["ci_low"]["agrees"] and rows["p"]["agrees"]
    assert not rows["ci_high"]["agrees"]
    assert rows["ci_high"]["computed_rounded"] == "2.02" and rows["ci_high"]["printed"] == "1.99"


def test_consistency_of_the_seed_review_targets():
    # Viderman 2023 abstract; the SEs are those stated in ../shared/seed-review/README.md.
    pain = consistency(target(estimate="-0.01", ci=["-0.11", "0.10"], p="0.91"), "SMD")
    assert pain["se_from_ci"] == pytest.approx(0.21 / (2 * 1.959964), rel=1e-6)
    assert pain["consistent"] and pain["p_consistent"] and pain["estimate_at_centre"]
    odi = consistency(target(estimate="0.13", ci=["-0.00", "0.25"], p="0.05"), "SMD")
    assert odi["se_from_ci"] == pytest.approx(0.064, abs=5e-4)
    assert odi["p_implied"] == pytest.approx(0.0415, abs=5e-4) and odi["consistent"]
    rr = consistency(target(estimate="0.99", ci=["0.49", "1.99"], p="0.97"), "RR")
    assert rr["scale"] == "log"
    assert rr["se_from_ci"] == pytest.approx((math.log(1.99) - math.log(0.49)) / (2 * 1.959964), rel=1e-6)
    assert rr["p_implied"] == pytest.approx(0.978, abs=1e-3) and rr["consistent"]


def test_consistency_flags_a_p_value_the_ci_cannot_give():
    check = consistency(target(estimate="0.50", ci=["0.10", "0.90"], p="0.50"), "MD")
    assert check["p_consistent"] is False and not check["consistent"]
    assert "outside the range" in check["notes"][0]


def test_consistency_flags_an_estimate_off_the_centre_on_the_analysis_scale():
    # Symmetric on the ratio scale is asymmetric on the log scale: 1.00 is not the centre of [0.50, 1.50].
    check = consistency(target(estimate="1.00", ci=["0.50", "1.50"]), "RR")
    assert check["estimate_at_centre"] is False and not check["consistent"]
    assert check["p_consistent"] is None
    # ... whereas a geometric centre is fine.
    assert consistency(target(estimate="0.87", ci=["0.50", "1.50"]), "RR")["estimate_at_centre"]


def test_consistency_needs_estimate_and_ci():
    assert consistency(target(p="0.03"), "MD") is None


@pytest.mark.parametrize("printed, computed, agrees", [
    # half a unit plus floating-point noise of a billionth of the value (at least of 1) is still the printed figure
    ("0.10", 0.105 + 5e-10, True), ("0.10", 0.105 + 1.5e-9, False), ("0.10", 0.095 - 5e-10, True),
    ("250.0", 250.05 + 1e-7, True), ("250.0", 250.05 + 3e-7, False),
])
def test_the_noise_allowed_at_the_half_unit_scales_with_the_value(printed, computed, agrees):
    assert PrintedValue.parse(printed).agrees(computed) is agrees


@pytest.mark.parametrize("bad, message", [
    (True, 'expected the number as printed, in quotes (e.g. "0.10"), not True'),
    (["0.1"], "expected the number as printed, in quotes (e.g. \"0.10\"), not ['0.1']"),
    (0.1, 'write the number as printed, in quotes ("0.1"), so its decimals are kept'),
])
def test_what_is_not_text_is_refused_with_the_way_to_write_it(bad, message):
    with pytest.raises(ValueError) as info:
        PrintedValue.parse(bad)
    assert str(info.value) == message


def test_compare_rows_in_full():
    rows = compare(target(estimate="0.99", p="<0.001"), {"estimate": 0.9912, "p": None})
    assert rows == [
        {"field": "estimate", "printed": "0.99", "computed": 0.9912, "computed_rounded": "0.99", "agrees": True},
        {"field": "p", "printed": "<0.001", "computed": None, "computed_rounded": None, "agrees": False}]
