"""How long one model update of prioritised screening takes at 2,000 and 50,000 records.

An update is what the screen runs in the background after every decision: retrain the classifier on the
reviewer's decisions so far and re-rank every undecided record (:meth:`sysrev.screening.ranking.Ranker.order`).
The records are synthetic: titles of ~12 and abstracts of ~200 words drawn from a 30,000-word vocabulary with
Zipf-like frequencies (as words in real abstracts are), a twentieth of them relevant with a topic vocabulary
mixed in. The features (TF-IDF) are built once per session; that time is printed separately.

Usage::

    nice -n 10 .venv/bin/python benchmarks/screening_model_update.py [--sizes 2000 50000] [--repeats 5]
"""

import argparse
import statistics
import time

import numpy as np

from sysrev.screening.ranking import Ranker


def synthetic_texts(n, seed=0):
    """``n`` record texts and their 0/1 labels (about 5 % relevant)."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{i}" for i in range(30_000)])
    weights = 1 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    topic = vocabulary[rng.choice(len(vocabulary), 60, replace=False)]
    labels = (rng.random(n) < 0.05).astype(int)
    texts = []
    for label in labels:
        words = list(rng.choice(vocabulary, 212, p=weights))
        if label:
            words += list(rng.choice(topic, 15))
        texts.append(" ".join(words))
    return texts, labels


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 50_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print("| records | features built (s, once) | decisions learnt from | update: retrain + re-rank (s), "
          "median [min, max] |")
    print("|---|---|---|---|")
    for size in args.sizes:
        texts, labels = synthetic_texts(size)
        started = time.perf_counter()
        ranker = Ranker(texts)
        built = time.perf_counter() - started
        rng = np.random.default_rng(1)
        for decided in sorted({100, 1000, min(10_000, size // 2)}):
            rows = rng.choice(size, decided, replace=False)
            labelled = {int(r): int(labels[r]) for r in rows}
            labelled[int(np.flatnonzero(labels)[0])] = 1  # at least one relevant record
            times = []
            for _ in range(args.repeats):
                started = time.perf_counter()
                ranker.order(labelled)
                times.append(time.perf_counter() - started)
            print(f"| {size:,} | {built:.1f} | {len(labelled):,} | {statistics.median(times):.3f} "
                  f"[{min(times):.3f}, {max(times):.3f}] |", flush=True)


if __name__ == "__main__":
    main()
