"""How long one model update of prioritised screening takes at 2,000 and 50,000 records.

An update is what the screen runs in the background after every decision: retrain the classifier on the
reviewer's decisions so far and re-rank every undecided record. Two figures per row: the model alone
(:meth:`sysrev.screening.ranking.Ranker.order`) and the whole update the screen and the web app run
(the ranking function of :mod:`sysrev.screening.ordering`, from the reviewer's ``{record_id: decision}`` to
the ranked record IDs), which is what a reviewer waits for. The records are synthetic: titles of ~12 and
abstracts of ~200 words drawn from a 30,000-word vocabulary with Zipf-like frequencies (as words in real
abstracts are), a twentieth of them relevant with a topic vocabulary mixed in. The features (TF-IDF) are
built once per session; that time is printed separately.

Usage::

    nice -n 10 .venv/bin/python benchmarks/screening_model_update.py [--sizes 2000 50000] [--repeats 5]
"""

import argparse
import statistics
import time

import numpy as np

from sysrev.screening.ordering import RelevanceRanking


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
    print("| records | features built (s, once) | decisions learnt from | model: retrain + re-rank (s), "
          "median [min, max] | the screen's whole update (s), median [min, max] |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        texts, labels = synthetic_texts(size)
        eligible = [f"R{i:06d}" for i in range(size)]
        records = {rid: {"title": text} for rid, text in zip(eligible, texts)}
        rng = np.random.default_rng(1)
        screen_update = RelevanceRanking(eligible, records)
        built = None
        for decided in sorted({100, 1000, min(10_000, size // 2), size * 3 // 4}):
            rows = rng.choice(size, decided, replace=False)
            labelled = {int(r): int(labels[r]) for r in rows}
            labelled[int(np.flatnonzero(labels)[0])] = 1  # at least one relevant record
            decisions = {eligible[r]: "include" if y else "exclude" for r, y in labelled.items()}
            if built is None:  # the first update builds the features, as the screen's first one does
                started = time.perf_counter()
                screen_update(decisions)
                built = time.perf_counter() - started
            model, whole = [], []
            for _ in range(args.repeats):
                started = time.perf_counter()
                screen_update(decisions)
                whole.append(time.perf_counter() - started)
                started = time.perf_counter()
                screen_update.ranker.order(labelled)
                model.append(time.perf_counter() - started)
            print(f"| {size:,} | {built:.1f} | {len(labelled):,} | {_spread(model)} | {_spread(whole)} |",
                  flush=True)


def _spread(times) -> str:
    return f"{statistics.median(times):.3f} [{min(times):.3f}, {max(times):.3f}]"


if __name__ == "__main__":
    main()
