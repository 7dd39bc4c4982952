"""The adversarial dedup properties of tests/dedup/test_dedup_adversarial.py with many more examples.

    .venv/bin/python benchmarks/dedup_adversarial.py [--examples N] [--seed S]

For every veto field (issue, page range, article number, volume, year, DOI; for a recurring title: issue,
a year one apart, page range) it generates N pairs of records that differ only in that field and counts the
pairs sysrev merges (must be 0); then N copies of one record with realistic corruption (case, diacritics,
abbreviated journal, truncated or initial-only author lists, ``812-39`` pages, a missing DOI or issue) and
counts the copies it fails to merge (must be 0). The first failing example of each property is printed in
full. Unlike the test suite (derandomized), the examples here are drawn from ``--seed`` (default: random).
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "dedup"))

from adversarial import SERIAL_VETO_FIELDS, VETO_FIELDS, merged, near_duplicates, near_non_duplicates  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402


def run_property(strategy, must_merge: bool, examples: int, rng_seed: int) -> tuple[int, int, object]:
    """(examples run, failures, first failing example) of one property; no shrinking, every example counted."""
    counts = {"run": 0, "failed": 0, "first": None}

    @seed(rng_seed)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(case):
        a, b = case[0], case[1]
        counts["run"] += 1
        if merged(a, b) != must_merge:
            counts["failed"] += 1
            counts["first"] = counts["first"] or case

    check()
    return counts["run"], counts["failed"], counts["first"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property (default 2000)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    rng_seed = args.seed if args.seed is not None else random.randrange(2 ** 32)
    print(f"seed {rng_seed}, {args.examples} examples per property\n")
    print(f"{'property':<58} {'examples':>8} {'failures':>8} {'time':>7}")
    properties = [(f"differ only in {f}: never merged", near_non_duplicates(f), False) for f in VETO_FIELDS]
    properties += [(f"recurring title, differ only in {f}: never merged", near_non_duplicates(f, serial=True),
                    False) for f in SERIAL_VETO_FIELDS]
    properties.append(("one record with realistic corruption: always merged", near_duplicates(), True))
    total_fail = 0
    failures = []
    for name, strategy, must_merge in properties:
        started = time.perf_counter()
        run, failed, first = run_property(strategy, must_merge, args.examples, rng_seed)
        total_fail += failed
        print(f"{name:<58} {run:>8} {failed:>8} {time.perf_counter() - started:>6.1f}s", flush=True)
        if first is not None:
            failures.append((name, first))
    for name, case in failures:
        print(f"\nfirst failure of '{name}':")
        for record in case[:2]:
            print(f"  {record}")
        if len(case) > 2:
            print(f"  corruption: {case[2]}")
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main())
