"""Benchmark: leave-one-out at k = 1,000 and 10,000 for every τ² estimator, with metafor's leave1out() beside.

Issue 17, item 15: leave-one-out at k = 10,000 must finish within a minute for every estimator. For each
k and each model (fixed effect and the eight τ² estimators), this times what ``meta run --leave-one-out``
computes (:func:`sysrev.meta.leave_one_out.without_each`, with the Q-profile interval of τ² for random
effects) and prints wall-clock and CPU seconds (the machine is shared, so wall time includes waiting for a
core) and the peak memory numpy allocated (tracemalloc).

The peer, with Rscript and metafor installed, runs in the same run on the same studies, timed inside R (its
start-up not counted): ``leave1out(rma(yi, vi, method = ...))`` for every omission where k ≤ ``--peer-full``
(default 100). Above it, metafor's leave1out() would take hours to days here (it refits each omission with
``rma()``, which builds k × k matrices: one fit at k = 10,000 took over a minute on this machine), so the
first ``--peer-fits`` omissions (default 1) are fitted with ``rma()`` as leave1out() fits them, and the column
shows their time times k / fits, marked "≈".
Each peer run is stopped after ``--peer-limit`` seconds. The last column is the largest relative difference
of our estimates and τ² values from metafor's over the omissions it fitted (metafor stops its REML, ML, PM
and EB iterations at |Δτ²| < 1e-5, so those differ at about that level). Without Rscript the peer is
skipped with a message.

    nice -n 10 .venv/bin/python benchmarks/leave_one_out.py [--k 100 1000 10000] [--peer-fits 1]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from sysrev.meta.heterogeneity import TAU2_METHODS
from sysrev.meta.leave_one_out import without_each

HERE = Path(__file__).resolve().parent
MODELS = ("FE", *TAU2_METHODS)


def simulate(k: int, seed: int = 1):
    """k studies: vi ~ U(0.01, 0.3), yi ~ N(0.3, vi + 0.1) (τ² = 0.1)."""
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.01, 0.3, k)
    return rng.normal(0.3, np.sqrt(vi + 0.1)), vi


def ours(yi, vi, model):
    """Seconds (wall, CPU), peak MB and the result of sysrev's leave-one-out."""
    tau2 = None if model == "FE" else model
    tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    out = without_each(yi, vi, tau2, tau2_interval=tau2 is not None)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return wall, cpu, peak, out


def metafor(folder: Path, data: Path, model: str, fits: int, limit: float):
    """metafor on the studies in ``data`` (``fits`` = 0: leave1out(), else the first ``fits`` omissions):
    (seconds, results) or (None, why not)."""
    out = folder / f"r_{data.stem}_{model}.csv"
    try:
        subprocess.run(["Rscript", str(HERE / "leave_one_out.R"), str(data), model, str(fits), str(out)],
                       check=True, timeout=limit, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return None, f"not done in {limit:.0f} s"
    except subprocess.CalledProcessError as exc:
        return None, "failed: " + exc.stderr.strip().splitlines()[-1][:60]
    result = pd.read_csv(out)
    return float(result["seconds"].iloc[0]), result


def largest_difference(ours_out, peer) -> float:
    """The largest relative difference of the estimates and τ² values over the omissions metafor fitted
    (τ² relative to the largest τ²)."""
    rows = peer["row"].to_numpy() - 1
    estimate = ours_out["estimate"][rows]
    worst = float((np.abs(estimate - peer["estimate"]) / np.maximum(np.abs(peer["estimate"]), 1e-12)).max())
    if peer["tau2"].notna().all():
        scale = max(float(peer["tau2"].abs().max()), 1e-12)
        worst = max(worst, float((np.abs(ours_out["tau2"][rows] - peer["tau2"]) / scale).max()))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, nargs="+", default=[100, 1000, 10000], help="numbers of studies")
    parser.add_argument("--peer-full", type=int, default=100, help="largest k for metafor's full leave1out()")
    parser.add_argument("--peer-fits", type=int, default=1, help="omissions metafor fits above --peer-full")
    parser.add_argument("--peer-limit", type=float, default=600, help="seconds before a metafor run is stopped")
    args = parser.parse_args()
    peer = shutil.which("Rscript") is not None
    if not peer:
        print("Rscript not found: metafor (the peer) is skipped")
    print(f"{'k':>6s} {'model':5s} {'wall s':>7s} {'CPU s':>7s} {'peak MB':>8s} {'metafor s':>18s} "
          f"{'ratio':>8s} {'max rel diff':>12s}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for k in args.k:
            yi, vi = simulate(k)
            data = folder / f"k{k}.csv"
            pd.DataFrame({"yi": yi, "vi": vi}).to_csv(data, index=False, float_format="%.17g")
            for model in MODELS:
                wall, cpu, peak, out = ours(yi, vi, model)
                peer_text, ratio, diff = "-", "", ""
                if peer:
                    fits = 0 if k <= args.peer_full else min(args.peer_fits, k)
                    seconds, result = metafor(folder, data, model, fits, args.peer_limit)
                    if seconds is None:
                        peer_text = result
                    else:
                        if fits:
                            seconds *= k / fits
                        peer_text = f"{'≈ ' if fits else ''}{seconds:.2f}"
                        ratio = f"{seconds / wall:.0f}x"
                        diff = f"{largest_difference(out, result):.1e}"
                print(f"{k:6d} {model:5s} {wall:7.2f} {cpu:7.2f} {peak:8.1f} {peer_text:>18s} {ratio:>8s} "
                      f"{diff:>12s}", flush=True)


if __name__ == "__main__":
    main()
