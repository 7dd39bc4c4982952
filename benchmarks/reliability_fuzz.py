"""Benchmark for issue 17 (reliability): thousands of fuzzed imports, and the slow paths that were fixed.

1. Fuzz: ``--cases`` seeded mutations of each import format (the machinery of tests/reliability/fuzzing.py,
   cases after the ones the test suite runs), each with a time limit. Printed per format: cases, how many
   imported, how many ended in ``error:`` (exit 2), anything else (crash, hang, partial snapshot — target 0),
   and the slowest case.
2. Slow paths, each timed here:
   * a CSV row with 250,000 trailing commas (was 32 s);
   * BibTeX garbage of 1.6 MB and 12.5 MB (was 29 s and 73 s), and, as the peer in the same run, bibtexparser
     alone on a 200 KB slice of the same garbage (what sysrev handed it before);
   * leave-one-out at k = 10,000 (fixed effect, DerSimonian–Laird, REML); the old per-study re-analysis is
     timed at k = 1,000 as the peer (it is quadratic: k = 10,000 did not finish in 300 s);
   * a forest plot of 10,000 studies (refused at once; was 3 GB of memory).

    nice -n 10 .venv/bin/python benchmarks/reliability_fuzz.py [--cases 500] [--quick]
"""

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "reliability"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from fuzzing import SEEDS, fuzz  # noqa: E402

from sysrev.errors import SysrevError  # noqa: E402
from sysrev.formats.bibtex import parse_bibtex  # noqa: E402
from sysrev.formats.csv_export import parse_csv  # noqa: E402
from sysrev.meta import meta_analysis  # noqa: E402
from sysrev.meta.analysis import analyse_group  # noqa: E402
from sysrev.meta.plots import forest_figure  # noqa: E402
from sysrev.meta.sensitivity import leave_one_out  # noqa: E402

TEST_CASES = 200  # the suite's cases per format; the benchmark runs the ones after them


def timed(function, *args):
    started = time.perf_counter()
    try:
        outcome = function(*args)
    except SysrevError as exc:
        outcome = f"error: {str(exc)[:70]}"
    return time.perf_counter() - started, outcome


def fuzz_table(cases: int) -> None:
    print(f"\n1. Fuzzed imports: {cases} cases per format (seed 17, cases {TEST_CASES}+), 20 s limit per case")
    print(f"{'format':15s} {'cases':>6s} {'imported':>9s} {'error:':>7s} {'other':>6s} {'slowest':>9s}")
    total = Counter()
    with tempfile.TemporaryDirectory() as folder:
        for fmt in sorted(SEEDS):
            kinds, slowest = Counter(), 0.0
            started = time.perf_counter()
            for outcome in fuzz(fmt, cases, Path(folder), limit=20.0, first=TEST_CASES):
                slowest = max(slowest, time.perf_counter() - started)
                started = time.perf_counter()
                kinds[outcome.kind] += 1
                if outcome.kind not in ("ok", "error"):
                    print(f"  {fmt} case {outcome.case}: {outcome.kind}: {outcome.detail[-300:]}")
            other = cases - kinds["ok"] - kinds["error"]
            total.update(kinds)
            print(f"{fmt:15s} {cases:6d} {kinds['ok']:9d} {kinds['error']:7d} {other:6d} {slowest:8.2f}s")
    print(f"{'total':15s} {sum(total.values()):6d} {total['ok']:9d} {total['error']:7d} "
          f"{sum(total.values()) - total['ok'] - total['error']:6d}")


def garbage(size: int, seed: int) -> str:
    rng = random.Random(seed)
    good = "@article{k1,\n  title = {A trial},\n  author = {Smith, J and Doe, A},\n  year = {2020}\n}\n"
    return good + "".join(rng.choice("abc {}@=,\"\n\\") for _ in range(size))


def slow_paths(quick: bool) -> None:
    print("\n2. Slow paths")
    csv_text = "title,doi\nA trial of something,10.1/x" + "," * 250_000 + "\n"
    seconds, _ = timed(parse_csv, csv_text)
    print(f"CSV row with 250,000 trailing commas: {seconds:.2f} s (was 32 s)")
    for size in (1_600_000, 12_500_000):
        seconds, outcome = timed(parse_bibtex, garbage(size, size))
        said = outcome if isinstance(outcome, str) else "read"
        print(f"BibTeX garbage {size / 1e6:.1f} MB: {seconds:.2f} s → {said}")
    import bibtexparser
    from bibtexparser.bparser import BibTexParser
    slice_ = garbage(200_000, 3)
    seconds_peer, _ = timed(lambda text: bibtexparser.loads(text, parser=BibTexParser(common_strings=True)), slice_)
    seconds_ours, _ = timed(parse_bibtex, slice_)
    print(f"peer: bibtexparser alone on 200 KB of it: {seconds_peer:.2f} s; sysrev: {seconds_ours:.3f} s "
          f"(ratio {seconds_peer / max(seconds_ours, 1e-6):.0f}x)")

    rng = np.random.default_rng(1)
    k = 10_000
    n1, n2 = rng.integers(10, 200, k), rng.integers(10, 200, k)
    data = pd.DataFrame({"study": [f"S{i}" for i in range(k)], "n1": n1, "mean1": rng.normal(5, 1, k),
                         "sd1": rng.uniform(1, 3, k), "n2": n2, "mean2": rng.normal(4.5, 1.5, k),
                         "sd2": rng.uniform(1, 3, k)})
    models = [dict(model="fixed"), dict(model="random")] + ([] if quick else [dict(model="random", tau2="REML")])
    for options in models:
        result = meta_analysis(data, "MD", **options)
        seconds, rows = timed(leave_one_out, result)
        print(f"leave-one-out k = 10,000 {options}: {seconds:.1f} s ({len(rows)} rows)")
    small = meta_analysis(data.iloc[:1000], "MD", model="random")

    def per_study_reanalysis(result):
        for i in range(1000):
            keep = np.ones(1000, bool)
            keep[i] = False
            analyse_group(result.effects.select(keep), result.settings)

    seconds_peer, _ = timed(per_study_reanalysis, small)
    seconds_ours, _ = timed(leave_one_out, small)
    print(f"peer: the old per-study re-analysis at k = 1,000 (DL): {seconds_peer:.1f} s; now {seconds_ours:.2f} s "
          f"(ratio {seconds_peer / seconds_ours:.0f}x)")
    frame = {"measure": "GEN", "studies": [{}] * k}
    seconds, outcome = timed(forest_figure, frame)
    print(f"forest plot of 10,000 studies: {seconds:.3f} s → {outcome if isinstance(outcome, str) else 'drawn'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500, help="fuzz cases per format (default 500)")
    parser.add_argument("--quick", action="store_true", help="skip the REML leave-one-out")
    args = parser.parse_args()
    fuzz_table(args.cases)
    slow_paths(args.quick)


if __name__ == "__main__":
    main()
