"""The import fuzz test (issue 17): a few hundred seeded mutations of each import format, each case with a
time limit; every case ends in a complete snapshot or a clean ``error:`` with exit 2 (see fuzzing.py).
benchmarks/reliability_fuzz.py runs thousands of cases with the same machinery."""

import pytest
from fuzzing import SEEDS, fuzz

CASES_PER_FORMAT = 200


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_mutated_exports_never_crash_hang_or_leave_a_partial_snapshot(tmp_path, fmt):
    outcomes = list(fuzz(fmt, CASES_PER_FORMAT, tmp_path, limit=20.0))
    bad = [o for o in outcomes if o.kind not in ("ok", "error")]
    assert not bad, "\n\n".join(f"{o.fmt} case {o.case}: {o.kind}\n{o.detail}" for o in bad[:3])
    assert len(outcomes) == CASES_PER_FORMAT
