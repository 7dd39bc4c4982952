"""How often does the stopping rule claim recall ≥ target while recall is below it? A Monte Carlo check.

A review team runs `sysrev screen status` after every decision or so and stops when it says the claim can be
made; the claim is wrong when fewer than ``target`` of the relevant records have been found by then. This
script simulates that, for screenings in which a model orders the first part of the records and the rest are
drawn at random (``sysrev screen --order random``), and prints, per scenario, the share of runs in which the
rule's first firing came with recall below the target, for

* ``sysrev``: the rule as it is — the random draws at the end are the one sample tested;
* ``every tail``: the rule before 5 December 2026 — every tail of the sequence tested, as for ranked records,
  and the smallest p-value used (Callaghan & Müller-Hansen's ``buscar``);

with the share of records each saved (records never screened because the rule fired, over all records). The
model is deliberately generic: a record's score is ``signal`` × (1 if relevant) plus standard normal noise, so
``signal`` 1 is a weak model and 3 a strong one. ``switch`` is the share of records screened in the model's
order before the switch to random draws (0: random from the start; 1: never switched, the ranked rule alone).
A rate is a share of ``--runs`` runs: its standard error is about 0.011 at 400 runs and a rate of 0.05.

    .venv/bin/python benchmarks/stopping_validity.py [--runs 400] [--seed 1]
"""

import argparse
import time

import numpy as np

from sysrev.screening.stopping import first_firing

SCENARIOS = [  # (records, relevant, signal, switch)
    (500, 25, 1.0, 0.0), (500, 25, 2.0, 0.3),
    (1000, 50, 1.0, 0.0), (1000, 50, 2.0, 0.3), (1000, 100, 1.0, 0.2), (1000, 100, 2.0, 0.2),
    (2000, 50, 1.0, 0.0), (2000, 50, 1.0, 0.2), (2000, 50, 1.0, 0.5), (2000, 50, 2.0, 0.2), (2000, 50, 2.0, 0.4),
    (2000, 50, 3.0, 0.2), (2000, 50, 1.0, 1.0), (2000, 50, 2.0, 1.0), (1000, 100, 1.0, 1.0),
]


def one_run(rng, n_total, relevant, signal, switch, target, confidence):
    """(recall when each rule first fires, records it saved) for one simulated screening: sysrev's, every tail's."""
    labels = np.zeros(n_total, dtype=np.int64)
    labels[:relevant] = 1
    ranked = labels[np.argsort(-(signal * labels + rng.normal(size=n_total)))]
    at = int(switch * n_total)
    sequence = np.concatenate([ranked[:at], rng.permutation(ranked[at:])])
    out = []
    for random_from in (at if at < n_total else None, None):
        fired = first_firing(sequence, n_total, target, confidence, random_from=random_from) or n_total
        out.append((sequence[:fired].sum() / relevant, 1 - fired / n_total))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=400, help="simulated screenings per scenario")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--target", type=float, default=0.95, help="recall target")
    parser.add_argument("--confidence", type=float, default=0.95)
    args = parser.parse_args(argv)
    print(f"recall target {args.target}, confidence {args.confidence}, {args.runs} runs per scenario, seed {args.seed}")
    print("\n| records | relevant | signal | switch | claims with recall < target: sysrev | every tail "
          "| records saved: sysrev | every tail |")
    print("|---|---|---|---|---|---|---|---|")
    started = time.process_time()
    for n_total, relevant, signal, switch in SCENARIOS:
        rng = np.random.default_rng(args.seed)
        runs = [one_run(rng, n_total, relevant, signal, switch, args.target, args.confidence)
                for _ in range(args.runs)]
        wrong = [np.mean([r[i][0] < args.target for r in runs]) for i in (0, 1)]
        saved = [np.mean([r[i][1] for r in runs]) for i in (0, 1)]
        print(f"| {n_total} | {relevant} | {signal:g} | {switch:g} | {wrong[0]:.3f} | {wrong[1]:.3f} "
              f"| {saved[0]:.3f} | {saved[1]:.3f} |", flush=True)
    print(f"\nCPU {time.process_time() - started:.0f} s")


if __name__ == "__main__":
    main()
