"""Compare sysrev's cumulative meta-analysis with metafor's ``cumul()`` (cumulative_reference.json).

Run ``.venv/bin/python validation/metafor/compare_cumulative.py`` for a summary (cases, numbers compared, worst
relative difference and where); tests/meta/test_meta_cumulative_metafor.py runs the same comparison case by
case. Numbers agree as in compare.py (relative 1e-6). Estimates and CI bounds are compared on the analysis
scale (log for ratio measures), as cumul() reports them without ``transf``.

The first step pools one study: sysrev reports τ², Q's p value, I² and H² as not applicable (None) where
metafor prints 0, 1, 0 and 1; the comparison checks that sysrev's are None there.

Where the (RE)ML maximum is on the boundary τ² = 0, sysrev reports exactly 0 and metafor stops a hair above
it (τ² < 1e-9, accepted by compare.py's rule); metafor's I² and H² then carry the same hair (I² ≈ 1e-9 %).
At such a step, and only when metafor's τ² is within 1e-9 of 0, I² and H² are compared with their values
at τ² = 0 (0 and 1), so the allowance never reaches a step where τ² is really positive.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "cumulative_reference.json"
FIELDS = ("estimate", "se", "z", "p", "ci_low", "ci_high", "Q", "Q_p", "I2", "H2", "tau2")
ON_ANALYSIS_SCALE = ("estimate", "ci_low", "ci_high")
ONE_STUDY_NOT_APPLICABLE = ("tau2", "Q_p", "I2", "H2")

_spec = importlib.util.spec_from_file_location("metafor_compare", HERE / "compare.py")
_compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_compare)
agrees, relative_difference = _compare.agrees, _compare.relative_difference


def load_reference(path=REFERENCE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def run_case(case: dict, reference: dict):
    """sysrev's cumulative analysis of the case (a CumulativeResult)."""
    from sysrev.meta.cumulative import cumulative

    rows = pd.DataFrame(reference["datasets"][case["dataset"]]["rows"])
    args = dict(case["args"])
    measure = args.pop("measure")
    return cumulative(rows, case["order_by"], measure, descending=case["descending"], **args)


def compare_case(case: dict, reference: dict):
    """Yield ``(where, got, expected)`` for every number metafor's cumul() gives for this case.

    Loops over metafor's rows, so a step sysrev failed to produce is reported, not skipped.
    """
    got = run_case(case, reference)
    ratio = got.result.settings.ratio
    expected = case["expected"]
    steps = got.steps
    yield "number of steps", len(steps), len(expected["study"])
    for i, study in enumerate(expected["study"]):
        step = steps[i] if i < len(steps) else {}
        yield f"step {i + 1} study", step.get("study"), study
        for name in FIELDS:
            if name not in expected:
                continue
            value = step.get(name)
            if i == 0 and name in ONE_STUDY_NOT_APPLICABLE:
                yield f"step 1 {name} (not applicable to one study)", value, None
                continue
            if ratio and name in ON_ANALYSIS_SCALE and value is not None:
                value = math.log(value)
            want = expected[name][i]
            if name in ("I2", "H2") and _on_boundary(step, expected, i):
                want = 0.0 if name == "I2" else 1.0
            yield f"step {i + 1} ({study}) {name}", value, want


def _on_boundary(step: dict, expected: dict, i: int) -> bool:
    """sysrev's τ² is exactly 0 and metafor's is within compare.py's absolute allowance of it."""
    tau2 = expected.get("tau2")
    return tau2 is not None and step.get("tau2") == 0 and tau2[i] is not None and 0 <= tau2[i] <= _compare.ATOL


def check(where, got, expected) -> bool:
    if isinstance(expected, str) or isinstance(got, str) or (isinstance(expected, int) and where.startswith("number")):
        return got == expected
    return agrees(got, expected)


def main() -> int:
    reference = load_reference()
    worst, worst_where, compared, failures = 0.0, None, 0, []
    for case in reference["cases"]:
        for where, got, expected in compare_case(case, reference):
            compared += 1
            if not check(where, got, expected):
                failures.append(f"{case['id']}: {where}: sysrev {got!r} vs metafor {expected!r}")
            if isinstance(expected, float) and isinstance(got, float) and got != 0 and expected != 0:
                diff = relative_difference(got, expected)
                if diff > worst:
                    worst, worst_where = diff, f"{case['id']}: {where}"
    print(f"metafor {reference['metafor_version']}: {len(reference['cases'])} cases, {compared} values compared, "
          f"worst relative difference of non-zero numbers {worst:.3g} ({worst_where})")
    for line in failures:
        print("DIFFERS", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
