"""Benchmark: vectorised REML random-effects meta-analysis against a loop over R's metafor::rma.

Two workloads (issue 2): 10,000 random-effects analyses (REML τ², k = 10 each) in one call, and
leave-one-out on one analysis of k = 500. With Rscript and metafor installed, the same data go through
``metafor::rma`` in a loop (timed inside R, so R's start-up is not counted), the estimates are compared and the
speed ratio is printed.

Run: ``.venv/bin/python benchmarks/meta_speed.py [--analyses 10000] [--k 10] [--loo-k 500] [--seed 1]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sysrev.meta.batch import leave_one_out, pool_inverse_variance

HERE = Path(__file__).resolve().parent


def simulate(rng, n, k, tau2=0.1):
    """n analyses of k studies: vi ~ U(0.01, 0.3), yi ~ N(0.3, vi + τ²)."""
    vi = rng.uniform(0.01, 0.3, size=(n, k))
    yi = rng.normal(0.3, np.sqrt(vi + tau2))
    return yi, vi


def best_time(fn, repeat=3):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def max_relative_difference(ours, theirs, floor=1e-6):
    """Largest |ours − theirs| / max(|theirs|, floor) over the analyses metafor could fit.

    The floor keeps a boundary τ² (sysrev 0, metafor ~1e-13 where its Fisher scoring stops) from counting as
    a 100 % difference."""
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    ok = np.isfinite(theirs)
    return float(np.max(np.abs(ours[ok] - theirs[ok]) / np.maximum(np.abs(theirs[ok]), floor))), int((~ok).sum())


def run_metafor(yi, vi, loo_yi, loo_vi):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        np.savetxt(folder / "batch_yi.csv", yi, delimiter=",", fmt="%.17g")
        np.savetxt(folder / "batch_vi.csv", vi, delimiter=",", fmt="%.17g")
        pd.DataFrame({"yi": loo_yi, "vi": loo_vi}).to_csv(folder / "loo.csv", index=False, float_format="%.17g")
        subprocess.run(["Rscript", str(HERE / "meta_speed.R"), str(folder)], check=True)
        return ({name: pd.read_csv(folder / f"r_{name}.csv") for name in ("batch", "batch_tight", "loo")},
                pd.read_csv(folder / "r_times.csv").iloc[0])


def metafor_available() -> bool:
    if not shutil.which("Rscript"):
        return False
    probe = subprocess.run(["Rscript", "-e", "quit(status = !requireNamespace('metafor', quietly = TRUE))"],
                           capture_output=True)
    return probe.returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--analyses", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--loo-k", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    yi, vi = simulate(rng, args.analyses, args.k)
    loo_yi, loo_vi = (a[0] for a in simulate(rng, 1, args.loo_k))

    t_batch, batch = best_time(lambda: pool_inverse_variance(yi, vi, "REML"))
    t_loo, loo = best_time(lambda: leave_one_out(loo_yi, loo_vi, "REML"))
    print(f"sysrev  {args.analyses} REML analyses (k = {args.k}) in one call: {t_batch:.3f} s")
    print(f"sysrev  leave-one-out, REML, k = {args.loo_k}: {t_loo:.3f} s")

    if not metafor_available():
        print("Rscript with metafor not found: no comparison run")
        return
    print("running the same analyses through metafor in R (several minutes) ...", flush=True)
    r, times = run_metafor(yi, vi, loo_yi, loo_vi)
    print(f"metafor {times['metafor']} loop over rma(): {times['batch']:.2f} s; leave1out(): {times['loo']:.2f} s")
    print(f"ratio (metafor / sysrev): batch {times['batch'] / t_batch:.0f}x, leave-one-out {times['loo'] / t_loo:.0f}x")
    for label, ours, theirs in [
        ("batch, metafor default threshold", batch, r["batch"]),
        ("batch, metafor threshold 1e-12 (first 1000)", {k: v[: len(r["batch_tight"])] for k, v in batch.items()},
         r["batch_tight"]),
        ("leave-one-out, metafor default threshold", loo, r["loo"]),
    ]:
        parts = []
        for field in ("estimate", "se"):
            diff, missing = max_relative_difference(ours[field], theirs[field])
            parts.append(f"{field} {diff:.1e}")
        fitted = np.isfinite(theirs["tau2"].to_numpy())
        tau2_gap = np.max(np.abs(np.asarray(ours["tau2"])[fitted] - theirs["tau2"].to_numpy()[fitted]))
        parts.append(f"tau2 (absolute) {tau2_gap:.1e}")
        failed = f"; metafor failed on {missing} analyses" if missing else ""
        print(f"max relative difference, {label}: " + ", ".join(parts) + failed)


if __name__ == "__main__":
    main()
