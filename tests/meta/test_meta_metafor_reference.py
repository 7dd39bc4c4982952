"""sysrev against metafor: every pinned number in validation/metafor/reference.json, case by case.

The reference is produced by validation/metafor/make_reference.R (metafor 3.8-1, iterative estimators run to
1e-12). Every number must agree to a relative tolerance of 1e-6, however small the number (P values of 1e-26 included);
no quantity needs a looser one. The only
absolute allowance (1e-9) is for quantities that are zero: at a (RE)ML maximum on the boundary τ² = 0
metafor's iteration stops a hair above it (τ² ≈ 1e-13, I² ≈ 1e-10 %) where sysrev reports 0.
"""

import importlib.util
import math
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
spec = importlib.util.spec_from_file_location("metafor_compare", HERE.parents[2] / "validation/metafor/compare.py")
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)

REFERENCE = compare.load_reference()


def _assert_all_close(pairs):
    checked = 0
    for field, got, expected in pairs:
        assert compare.agrees(got, expected), (
            f"{field}: sysrev {got!r} vs metafor {expected!r} "
            f"(relative difference {compare.relative_difference(got, expected):.3g})")
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["id"])
def test_pooling_case_matches_metafor(case):
    _assert_all_close(compare.compare_case(case, REFERENCE))


@pytest.mark.parametrize("spec", REFERENCE["leave_one_out"],
                         ids=lambda s: f"{s['dataset']}-{s['args']['tau2']}-{s['args']['ci']}")
def test_leave_one_out_matches_metafor(spec):
    _assert_all_close(compare.compare_leave_one_out(spec, REFERENCE))


@pytest.mark.parametrize("spec", REFERENCE["bias"],
                         ids=lambda s: f"{s['dataset']}-{s['args']['model']}-{s['args']['tau2']}")
def test_bias_tests_match_metafor(spec):
    _assert_all_close(compare.compare_bias(spec, REFERENCE))


def test_reference_covers_every_measure_method_and_estimator():
    args = [c["args"] for c in REFERENCE["cases"]]
    assert {a["measure"] for a in args} == {"MD", "SMD", "RR", "OR", "RD", "PETO", "GEN"}
    assert {a["method"] for a in args} == {"IV", "MH", "PETO"}
    assert {a["tau2"] for a in args if a["model"] == "random"} == {"DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB"}
    assert {a["ci"] for a in args} == {"z", "hksj"}
    assert any(a["subgroup"] for a in args)
    assert {c["dataset"] for c in REFERENCE["cases"]} >= {"bcg", "normand1999", "hine1989", "egger2001",
                                                         "raudenbush1985", "lee2004", "yusuf1985", "collins1985a"}


def test_the_comparison_flags_a_wrong_number():
    # the comparison itself must be able to fail
    assert not compare.agrees(1.0, 1.0 + 2e-6) and compare.agrees(1.0, 1.0 + 5e-7)
    assert not compare.agrees(3e-5, 3e-5 * (1 + 1e-4))
    assert not compare.agrees(2e-26, 3e-26) and not compare.agrees(1e-10, 5e-10)  # tiny is not zero
    assert compare.agrees(0.0, 1e-13) and not compare.agrees(0.0, 2e-9)
    assert not compare.agrees(None, 0.5) and compare.agrees(None, None)
    assert compare.relative_difference(1.0 + 2e-6, 1.0) == pytest.approx(2e-6, rel=1e-6)
    assert compare.relative_difference(0.1, 0.0) == math.inf


def test_a_study_missing_from_sysrevs_result_is_a_difference():
    # the comparison loops over the studies metafor has: a study sysrev drops cannot pass unnoticed
    expected = next(c for c in REFERENCE["cases"] if c["dataset"] == "bcg")["expected"]
    studies = expected["studies"]
    got = {field: expected[field] for field in compare.SCALARS}
    got["studies"] = [{field: studies[field][i] for field in ("yi", "vi", "weight")}
                      for i in range(len(studies["yi"]))]
    assert all(compare.agrees(g, e) for _, g, e in compare._compare_group(got, expected, ""))
    got["studies"] = got["studies"][:-1]
    assert not all(compare.agrees(g, e) for _, g, e in compare._compare_group(got, expected, ""))


def test_reference_pins_the_reml_boundary_and_the_r0_estimator():
    # metafor reports τ² = 0 (REML) where Fisher scoring stops below the likelihood at 0, and k0 = 12 filled
    # studies with the R0 estimator on dat.egger2001 (fixed effect); both are compared in full above
    boundary = [c for c in REFERENCE["cases"] if c["dataset"] == "boundary" and c["args"]["tau2"] == "REML"]
    assert boundary and boundary[0]["expected"]["tau2"] == 0
    egger_fe = [s for s in REFERENCE["bias"] if s["dataset"] == "egger2001" and s["args"]["model"] == "fixed"]
    assert egger_fe[0]["expected"]["trimfill_R0"]["k0"] == 12
