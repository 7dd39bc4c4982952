"""sysrev against metafor: every pinned number in validation/metafor/reference.json, case by case.

The reference is produced by validation/metafor/make_reference.R (metafor 3.8-1, iterative estimators run to
1e-12). Every number must agree to a relative tolerance of 1e-6; no quantity needs a looser one.
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
        diff = compare.relative_difference(got, expected)
        assert diff <= compare.RTOL, f"{field}: sysrev {got!r} vs metafor {expected!r} (relative difference {diff:.3g})"
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["id"])
def test_pooling_case_matches_metafor(case):
    _assert_all_close(compare.compare_case(case, REFERENCE))


@pytest.mark.parametrize("spec", REFERENCE["leave_one_out"], ids=lambda s: f"{s['dataset']}-{s['args']['tau2']}-{s['args']['ci']}")
def test_leave_one_out_matches_metafor(spec):
    _assert_all_close(compare.compare_leave_one_out(spec, REFERENCE))


@pytest.mark.parametrize("spec", REFERENCE["bias"], ids=lambda s: f"{s['dataset']}-{s['args']['model']}-{s['args']['tau2']}")
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


def test_relative_difference_flags_a_wrong_number():
    # the comparison itself must be able to fail
    assert compare.relative_difference(1.0, 1.0 + 2e-6) > compare.RTOL
    assert compare.relative_difference(None, 0.5) == math.inf
    assert compare.relative_difference(0.0, 0.0) == 0.0
