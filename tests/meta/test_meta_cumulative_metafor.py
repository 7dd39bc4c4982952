"""Cumulative meta-analysis against metafor's cumul(): every pinned number of cumulative_reference.json.

The reference is produced by validation/metafor/make_cumulative_reference.R (metafor 3.8-1, iterative τ²
estimators to 1e-12): inverse variance with a fixed effect and each of the eight τ² estimators, HKSJ, a 90%
level, descending order, Mantel–Haenszel (OR, RR) and Peto, on four metadat datasets. Each test loops over
metafor's rows (not over what sysrev produced), so a missing step fails; numbers agree to relative 1e-6.
"""

import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
_spec = importlib.util.spec_from_file_location("compare_cumulative",
                                               HERE.parents[2] / "validation/metafor/compare_cumulative.py")
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)

REFERENCE = compare.load_reference()


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["id"])
def test_cumulative_case_matches_metafor(case):
    checked = 0
    for where, got, expected in compare.compare_case(case, REFERENCE):
        assert compare.check(where, got, expected), (
            f"{where}: sysrev {got!r} vs metafor {expected!r}")
        checked += 1
    # every step has its study name and at least estimate, se, z, p and the CI compared
    assert checked >= 1 + len(case["expected"]["study"]) * 7


def test_reference_covers_every_estimator_and_method():
    args = [c["args"] for c in REFERENCE["cases"]]
    assert {a["tau2"] for a in args if a["model"] == "random"} == {"DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB"}
    assert {a["method"] for a in args} == {"IV", "MH", "PETO"}
    assert any(a.get("ci") == "hksj" for a in args)
    assert any(c["descending"] for c in REFERENCE["cases"])
    # dat.bcg has two trials of 1973: their order in the table decides the steps, as R's stable order()
    bcg = next(c for c in REFERENCE["cases"] if c["id"] == "bcg-RR-IV-fixed")
    studies = bcg["expected"]["study"]
    assert studies.index("Frimodt-Moller et al 1973") + 1 == studies.index("Vandiviere et al 1973")


def test_the_comparison_flags_a_wrong_number():
    case = dict(REFERENCE["cases"][0])
    expected = dict(case["expected"])
    expected["estimate"] = [x * (1 + 1e-5) for x in expected["estimate"]]
    case["expected"] = expected
    bad = [where for where, got, want in compare.compare_case(case, REFERENCE) if not compare.check(where, got, want)]
    assert len(bad) == len(expected["study"])
