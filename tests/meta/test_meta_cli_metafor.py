"""`sysrev meta pool --json` against metafor on data outside the validation set, field by field.

validation/metafor/cli_reference.json (make_cli_reference.R, metafor 3.8-1) pins six metadat datasets that
reference.json does not use. Each case goes through the command line, and every field of the contract —
overall, per study (including the per-study intervals), per subgroup and the test for subgroup
differences — must agree at relative tolerance 1e-6, as in compare.py (an exact 0 may meet a metafor value
within 1e-9 of it); fields that do not apply must be null. No quantity needs a looser tolerance. CI needs no R.
"""

import copy
import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).resolve()
spec = importlib.util.spec_from_file_location("metafor_compare_cli",
                                              HERE.parents[2] / "validation/metafor/compare_cli.py")
compare_cli = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_cli)

REFERENCE = compare_cli.load_reference()


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["id"])
def test_json_fields_match_metafor(case, tmp_path):
    got = compare_cli.run_case(case, REFERENCE, tmp_path)
    checked = 0
    for field, value, expected in compare_cli.compare_case(case, got):
        assert compare_cli.same(value, expected), f"{field}: sysrev {value!r} vs metafor {expected!r}"
        checked += 1
    assert checked >= len(compare_cli.NUMBERS) + 6 * len(case["expected"]["studies"])


def test_reference_holds_no_validation_dataset_and_covers_the_options():
    validation = set(compare_cli._compare.load_reference()["datasets"])
    assert not validation & set(REFERENCE["datasets"])
    args = [c["args"] for c in REFERENCE["cases"]]
    assert {a["measure"] for a in args} == {"MD", "SMD", "RR", "OR", "RD", "PETO", "GEN"}
    assert {a["method"] for a in args} == {"IV", "MH", "PETO"}
    assert {a["tau2"] for a in args if a["model"] == "random"} == {"DL", "REML", "PM", "ML", "HS", "SJ", "HE", "EB"}
    assert {a["ci"] for a in args} == {"z", "hksj"} and {a["level"] for a in args} > {95}
    assert {a["smd"] for a in args if a["measure"] == "SMD"} == {"revman", "exact"}
    assert any(a["subgroup"] for a in args)


def test_the_comparison_flags_a_wrong_field(tmp_path):
    case = next(c for c in REFERENCE["cases"] if c["expected"].get("subgroups"))
    got = compare_cli.run_case(case, REFERENCE, tmp_path)
    for path in (("p",), ("studies", 0, "ci_high"), ("subgroup_test", "Q")):
        wrong = copy.deepcopy(case)
        holder = wrong["expected"]
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] *= 1 + 1e-5
        assert not all(compare_cli.same(v, e) for _, v, e in compare_cli.compare_case(wrong, got)), path
    assert not compare_cli.same(0.0, None) and not compare_cli.same("REML", "DL")
