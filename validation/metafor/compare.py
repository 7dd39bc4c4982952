"""Compare sysrev's meta-analysis engine with the pinned metafor values in reference.json.

Run ``.venv/bin/python validation/metafor/compare.py`` for a summary (cases, numbers compared, worst relative
difference and where); tests/meta/test_meta_metafor_reference.py runs the same comparisons case by case.

A number agrees when ``|got − expected| ≤ 1e-6·|expected|`` (relative tolerance 1e-6), however small it is
(a P value of 1e-26 included), or when one of them is 0 and the other within 1e-9 of it: where the (RE)ML
maximum is on the boundary τ² = 0, sysrev reports 0 and metafor, even at threshold 1e-12, stops its Fisher
scoring a hair above it (τ² ≈ 1e-13, I² ≈ 1e-10 %).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "reference.json"
RTOL, ATOL = 1e-6, 1e-9

SCALARS = ("k", "estimate", "ci_low", "ci_high", "se", "z", "p", "tau2", "tau2_ci_low", "tau2_ci_high", "I2",
           "I2_revman", "H2", "Q", "Q_df", "Q_p", "pi_low", "pi_high", "I2_ci_low", "I2_ci_high", "H2_ci_low",
           "H2_ci_high")
# metafor reports Q = 0, p = 1, I² = 0 and H² = 1 for a single study; sysrev reports "not applicable" (None).
SINGLE_STUDY_NOT_APPLICABLE = ("Q_p", "I2", "I2_revman", "H2")


def load_reference(path=REFERENCE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def agrees(got, expected) -> bool:
    """Both missing, ``|got − expected| ≤ RTOL·|expected|``, or one exactly 0 and the other within ATOL of it."""
    if expected is None or got is None:
        return expected is None and got is None
    if abs(got - expected) <= RTOL * abs(expected):
        return True
    return min(abs(got), abs(expected)) == 0 and max(abs(got), abs(expected)) <= ATOL


def relative_difference(got, expected) -> float:
    """0 when both are missing, inf when only one is, else |got − expected| / |expected| (inf if expected is 0
    and got is not)."""
    if expected is None or got is None:
        return 0.0 if (expected is None and got is None) else math.inf
    if expected == 0:
        return 0.0 if got == 0 else math.inf
    return abs(got - expected) / abs(expected)


def frame(reference: dict, dataset: str) -> pd.DataFrame:
    return pd.DataFrame(reference["datasets"][dataset]["rows"])


def call_args(args: dict) -> dict:
    """sysrev keyword arguments from a case's recorded arguments."""
    keys = ("measure", "method", "model", "tau2", "ci", "smd", "level", "zero")
    out = {key: args[key] for key in keys if key in args}
    out["subgroup"] = args.get("subgroup")
    return out


def _compare_group(got: dict, expected: dict, where: str):
    single = expected["k"] == 1
    for field in SCALARS:
        if single and field in SINGLE_STUDY_NOT_APPLICABLE:
            continue
        yield where + field, got[field], expected[field]
    studies = expected["studies"]
    # loop over the studies metafor has, so a study sysrev drops is a difference, not a skipped number
    yield where + "studies.count", len(got["studies"]), len(studies["yi"])
    for i in range(len(studies["yi"])):
        study = got["studies"][i] if i < len(got["studies"]) else {}
        for field in ("yi", "vi", "weight"):
            yield f"{where}studies[{i}].{field}", study.get(field), studies[field][i]


def compare_case(case: dict, reference: dict):
    """Yield ``(field, got, expected)`` for every number of one pooling case."""
    from sysrev.meta import meta_analysis

    got = meta_analysis(frame(reference, case["dataset"]), **call_args(case["args"])).to_dict()
    expected = case["expected"]
    yield from _compare_group(got, expected, "")
    if expected.get("subgroups"):
        for label, group in expected["subgroups"].items():
            yield from _compare_group(got["subgroups"][label], group, f"subgroups[{label}].")
        for field in ("Q", "df", "p", "I2"):
            yield f"subgroup_test.{field}", got["subgroup_test"][field], expected["subgroup_test"][field]


def _effects(reference: dict, dataset: str, args: dict):
    from sysrev.meta.inputs import read_study_table
    from sysrev.meta.settings import Settings
    from sysrev.meta.study_effects import study_effects

    settings = Settings.resolve(**{k: v for k, v in call_args(args).items() if k != "subgroup"})
    effects = study_effects(read_study_table(frame(reference, dataset), settings.measure), settings)
    return effects.yi, effects.vi


def compare_leave_one_out(spec: dict, reference: dict):
    from sysrev.meta.batch import leave_one_out

    args = spec["args"]
    yi, vi = _effects(reference, spec["dataset"], args)
    got = leave_one_out(yi, vi, args["tau2"] if args["model"] == "random" else None, ci=args["ci"])
    for field, values in spec["expected"].items():
        if values is None:  # a column metafor leaves NA throughout (τ² of a fixed-effect model)
            values = [None] * len(yi)
        yield f"{field}.count", len(got[field]), len(values)
        for i, value in enumerate(values[:len(got[field])]):
            number = float(got[field][i])
            yield f"{field}[{i}]", None if np.isnan(number) else number, value


def compare_bias(spec: dict, reference: dict):
    from sysrev.meta import bias

    args = spec["args"]
    yi, vi = _effects(reference, spec["dataset"], args)
    tau2 = args["tau2"] if args["model"] == "random" else None
    expected = spec["expected"]
    egger = bias.egger_test(yi, vi, tau2, ci=args["ci"])
    yield "egger.z", egger.statistic, expected["egger"]["z"]
    yield "egger.p", egger.p, expected["egger"]["p"]
    yield "egger.df", egger.df, expected["egger"]["df"]
    yield "egger.limit_estimate", egger.limit_estimate, expected["egger"]["limit_estimate"]
    classic = bias.egger_test(yi, vi, tau2, model="lm")
    yield "egger_lm.t", classic.statistic, expected["egger_lm"]["t"]
    yield "egger_lm.p", classic.p, expected["egger_lm"]["p"]
    yield "egger_lm.df", classic.df, expected["egger_lm"]["df"]
    yield "egger_lm.limit_estimate", classic.limit_estimate, expected["egger_lm"]["limit_estimate"]
    begg = bias.rank_correlation_test(yi, vi)
    yield "begg.tau", begg.tau, expected["begg"]["tau"]
    yield "begg.p", begg.p, expected["begg"]["p"]
    fsn = bias.fail_safe_n(yi, vi)
    yield "fail_safe_n.n", fsn.n, expected["fail_safe_n"]["n"]
    yield "fail_safe_n.p", fsn.p, expected["fail_safe_n"]["p"]
    for estimator, key in (("L0", "trimfill"), ("R0", "trimfill_R0")):
        if key in expected:
            # metafor's trimfill refits the filled data with a z-test whatever the model's test, but returns the
            # model itself (with its own test, e.g. Knapp–Hartung) when it fills nothing
            ci = args["ci"] if expected[key]["k0"] == 0 else "z"
            fill = bias.trim_and_fill(yi, vi, tau2, estimator=estimator, ci=ci)
            yield from _compare_trim_and_fill(fill, expected[key], key, tau2)


def _compare_trim_and_fill(fill, tf: dict, key: str, tau2):
    yield f"{key}.k0", fill.k0, tf["k0"]
    yield f"{key}.side_is_left", float(fill.side == "left"), float(tf["side"] == "left")
    for field in ("estimate", "se", "ci_low", "ci_high"):
        yield f"{key}.{field}", getattr(fill, field), tf[field]
    if tau2 is not None:
        yield f"{key}.tau2", fill.tau2, tf["tau2"]
    filled_yi = np.atleast_1d(tf["filled_yi"]) if tf["k0"] else []
    filled_vi = np.atleast_1d(tf["filled_vi"]) if tf["k0"] else []
    yield f"{key}.filled_count", len(fill.filled_yi), len(filled_yi)
    for i, (y, v) in enumerate(zip(filled_yi, filled_vi)):
        yield f"{key}.filled_yi[{i}]", _item(fill.filled_yi, i), y
        yield f"{key}.filled_vi[{i}]", _item(fill.filled_vi, i), v


def _item(values, i):
    """``values[i]`` as a float, or None where sysrev has fewer values than metafor."""
    return float(values[i]) if i < len(values) else None


def all_comparisons(reference: dict):
    """Yield ``(case id, field, got, expected)`` over every pinned number."""
    for case in reference["cases"]:
        for field, got, expected in compare_case(case, reference):
            yield case["id"], field, got, expected
    for spec in reference["leave_one_out"]:
        label = f"leave1out-{spec['dataset']}-{spec['args']['tau2'] if spec['args']['model'] == 'random' else 'FE'}"
        for field, got, expected in compare_leave_one_out(spec, reference):
            yield label, field, got, expected
    for spec in reference["bias"]:
        label = f"bias-{spec['dataset']}-{spec['args']['tau2'] if spec['args']['model'] == 'random' else 'FE'}"
        for field, got, expected in compare_bias(spec, reference):
            yield label, field, got, expected


def main() -> int:
    reference = load_reference()
    numbers, failures = 0, []
    worst_rel, where_rel = 0.0, None  # over numbers with |expected| ≥ 1e-6
    worst_abs, where_abs = 0.0, None  # over numbers with |expected| < 1e-6 (zeros)
    for case_id, field, got, expected in all_comparisons(reference):
        numbers += 1
        if not agrees(got, expected):
            failures.append((case_id, field, got, expected))
        if got is None or expected is None:
            continue
        if abs(expected) >= 1e-6:
            diff = relative_difference(got, expected)
            if diff > worst_rel:
                worst_rel, where_rel = diff, (case_id, field, got, expected)
        elif abs(got - expected) > worst_abs:
            worst_abs, where_abs = abs(got - expected), (case_id, field, got, expected)
    cases = len(reference["cases"]) + len(reference["leave_one_out"]) + len(reference["bias"])
    print(f"metafor {reference['metafor']} reference: {cases} cases, {numbers} numbers compared")
    print(f"worst relative difference {worst_rel:.3g} at {where_rel}")
    print(f"worst absolute difference where metafor's value is below 1e-6: {worst_abs:.3g} at {where_abs}")
    for failure in failures[:30]:
        print("DIFFERS:", *failure)
    print(f"{len(failures)} numbers outside |got − expected| ≤ {RTOL:g}·|expected| "
          f"(or 0 against a value within {ATOL:g} of 0)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
