"""Ranking model variants on the labelled sets, in one process: the comparisons behind sysrev's settings.

docs/screening.md ("How the settings were chosen") reports these figures. Every variant is simulated with the
same priors as ``benchmarks/screening_prioritisation.py`` (1 included + 1 excluded record per prior seed, drawn
with sysrev's ``draw_priors``) and scored with its measures (WSS@95, recall@10 %, priors left out):

* ``asreview-u4`` — ASReview LAB's default model rebuilt with scikit-learn (ELAS u4: TF-IDF of words and word
  pairs of title + abstract, sublinear tf, max_df 0.95; ``LinearSVC`` C = 0.11, squared hinge, relevant records
  weighted 9.8 : 1; retrained after every record). On the runs compared it gives ASReview's own orders, so it
  stands in for ASReview here at a fraction of the time (the same-run comparison with ASReview itself is
  ``screening_prioritisation.py``).
* ``sysrev`` — ``sysrev screen simulate``'s own code (:func:`sysrev.screening.simulate.simulate`).
* the others change one thing of ``sysrev`` (see ``VARIANTS``); their loop is checked to give exactly
  ``sysrev``'s order when nothing is changed.

Per set it prints each variant's mean WSS@95 / recall@10 %, then the means over the sets, the number of sets
where both means are at least the reference's, and a leave-one-set-out choice: for each set, the variant with
the best mean WSS@95 + recall@10 % on the other sets. Usage::

    .venv/bin/python benchmarks/screening_variants.py [--seeds 5] [--variants sysrev with-keywords ...]
"""

import argparse
import csv
import json
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from screening_prioritisation import DEFAULT_SETS, measures

from sysrev.screening.ranking import DEFAULT_SETTINGS, Ranker
from sysrev.screening.simulate import REFIT_FRACTION, LabelledSet, draw_priors, read_labelled_csv, simulate


@dataclass(frozen=True)
class Variant:
    """One change to sysrev's model or schedule (the defaults are sysrev's)."""

    keywords: bool = False  # keywords added to title and abstract (sysrev's model revision 2)
    ngram_max: int = 2
    tolerance: float = 0.1  # LIBLINEAR's stopping tolerance
    every_record: bool = False  # retrain after every record instead of sysrev's schedule
    refit_fraction: int = REFIT_FRACTION  # otherwise retrain once 1/refit_fraction of the labels are new ...
    relevant_refit: bool = True  # ... and after a relevant record once 1/refit_fraction of the relevant are new
    presumed_exclusions: int = 0  # random unscreened records added to each training set as excluded


VARIANTS = {
    "revision-2": Variant(keywords=True, refit_fraction=20),  # sysrev's model and schedule before revision 3
    "with-keywords": Variant(keywords=True),
    "words-only": Variant(ngram_max=1),
    "up-to-three-words": Variant(ngram_max=3),
    "tolerance-0.01": Variant(tolerance=0.01),
    "every-record": Variant(every_record=True),
    "presumed-exclusions-20": Variant(presumed_exclusions=20),
    "presumed-exclusions-100": Variant(presumed_exclusions=100),
    "no-relevant-refit": Variant(relevant_refit=False),
    "refit-20": Variant(refit_fraction=20),
}


def keyword_texts(path) -> list:
    """Title, abstract and keywords of every row, as sysrev's model revision 2 read them (the benchmark sets
    name their columns ``title``, ``abstract`` and, where they have keywords, ``keywords``)."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [" ".join(row.get(c) or "" for c in ("title", "abstract", "keywords")) for row in csv.DictReader(fh)]


def run_variant(texts, labels, priors, seed, variant: Variant) -> list:
    """The order screened under ``variant``: sysrev's simulation loop with the one change applied."""
    ranker = Ranker(texts, replace(DEFAULT_SETTINGS, ngram_max=variant.ngram_max), seed=seed)
    ranker.model.tolerance = variant.tolerance
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    n = len(labels)
    open_ = np.ones(n, dtype=bool)
    open_[priors] = False
    order, queue, since_fit, relevant_since_fit = list(priors), [], 0, 0
    left, final = labels.sum() - labels[priors].sum(), False  # as simulate(): one last ranking once all found
    known_relevant = labels[priors].sum()
    while len(order) < n:
        refit = variant.every_record or since_fit >= max(1, len(order) // variant.refit_fraction)
        relevant_refit = (variant.relevant_refit and labels[order[-1]] == 1
                          and relevant_since_fit >= max(1, known_relevant // variant.refit_fraction))
        if not final and (not queue or refit or relevant_refit):
            final = left == 0
            relevant_since_fit = 0
            rest = np.flatnonzero(open_)
            rows, y = np.asarray(order), labels[order]
            if variant.presumed_exclusions:
                extra = rng.choice(rest, min(variant.presumed_exclusions, len(rest)), replace=False)
                rows, y = np.concatenate([rows, extra]), np.concatenate([y, np.zeros(len(extra), dtype=int)])
            scores = ranker.model.scores(rows, y)
            queue = ranker.by_score(rest, scores[rest])[::-1].tolist()
            since_fit = 0
        row = queue.pop()
        open_[row] = False
        order.append(row)
        left -= labels[row]
        known_relevant += labels[row]
        since_fit += 1
        relevant_since_fit += labels[row]
    return order


def run_asreview_u4(texts, labels, priors) -> list:
    """ASReview's default model (ELAS u4) rebuilt with scikit-learn, retrained after every record."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    features = TfidfVectorizer(ngram_range=(1, 2), max_df=0.95, sublinear_tf=True).fit_transform(texts).tocsr()
    labels = np.asarray(labels)
    open_ = np.ones(len(labels), dtype=bool)
    open_[priors] = False
    order = list(priors)
    while open_.any() and labels[order].sum() < labels.sum():
        y = labels[order]
        weights = np.where(y == 1, 1.0, y.sum() / (9.8 * (len(y) - y.sum())))
        model = LinearSVC(C=0.11, loss="squared_hinge", dual=True, random_state=0, max_iter=1000)
        model.fit(features[order], y, sample_weight=weights * len(y) / weights.sum())
        rest = np.flatnonzero(open_)
        row = int(rest[np.argmax(model.decision_function(features[rest]))])
        open_[row] = False
        order.append(row)
    return order + np.flatnonzero(open_).tolist()


def _over_sets(means, name, sets, measure):
    """Mean over the sets of ``name``'s minus sysrev's per-set mean, with a 95 % t interval over the sets."""
    from scipy.stats import t

    def value(variant, s):
        got = means[variant][s]
        return got["wss95"] + got["recall10"] if measure == "both" else got[measure]

    diffs = [value(name, s) - value("sysrev", s) for s in sets]
    mean = statistics.mean(diffs)
    if len(diffs) < 2:
        return f"{mean:+.3f}"
    half = t.ppf(0.975, len(diffs) - 1) * statistics.stdev(diffs) / len(diffs) ** 0.5
    return f"{mean:+.3f} [{mean - half:+.3f}, {mean + half:+.3f}]"


def loso_choice(results, names, sets):
    """For each set, the variant with the best mean WSS@95 + recall@10 % over the other sets."""
    def combined(name, held):
        return statistics.mean(results[name][s]["wss95"] + results[name][s]["recall10"] for s in sets if s != held)
    return {held: max(names, key=lambda name: combined(name, held)) for held in sets}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", type=Path, default=DEFAULT_SETS, help="folder of labelled CSV sets")
    parser.add_argument("--seeds", type=int, default=5, help="prior seeds per set (1..N)")
    parser.add_argument("--only", nargs="*", default=None, help="set names (file stems) to run")
    parser.add_argument("--variants", nargs="*", default=["sysrev", *VARIANTS],
                        help=f"variants besides the reference (sysrev, {', '.join(VARIANTS)})")
    parser.add_argument("--reference", default="asreview-u4", help="what 'both ≥' compares against")
    parser.add_argument("--json", type=Path, default=None, help="also write every run's figures here")
    parser.add_argument("--table", type=Path, default=None, help="only print the tables of a --json file")
    args = parser.parse_args(argv)
    if args.table:
        runs = json.loads(args.table.read_text())
        keys = list(runs[args.reference])
        sets = list(dict.fromkeys(k.split("/")[0] for k in keys))
        print_tables(runs, list(runs), sets, len(keys) // len(sets), args.reference)
        return
    names = list(dict.fromkeys([args.reference, *args.variants]))
    unknown = [v for v in names if v not in VARIANTS and v not in ("sysrev", "asreview-u4")]
    if unknown:
        parser.error(f"unknown variant(s): {', '.join(unknown)}")
    sets = sorted((p for p in args.sets.glob("*.csv") if args.only is None or p.stem in args.only),
                  key=lambda p: p.stat().st_size)
    if not sets:
        parser.error(f"no labelled sets in {args.sets}")
    runs = {name: {} for name in names}
    for path in sets:
        data = read_labelled_csv(path)
        labels, texts = data.labels, {False: data.texts, True: keyword_texts(path)}
        for seed in range(1, args.seeds + 1):
            priors = draw_priors(labels, 1, 1, seed)
            for name in names:
                started = time.process_time()
                if name == "asreview-u4":
                    order = run_asreview_u4(texts[False], labels, priors)
                elif name == "sysrev":
                    order = simulate(LabelledSet(texts[False], labels), priors, seed=seed).order
                    if seed == 1 and run_variant(texts[False], labels, priors, seed, Variant()) != order:
                        sys.exit("the variants' loop does not reproduce sysrev's order: fix it before comparing")
                else:
                    v = VARIANTS[name]
                    order = run_variant(texts[v.keywords], labels, priors, seed, v)
                runs[name][f"{path.stem}/{seed}"] = {**measures(order, labels, 2), "cpu": time.process_time() - started}
            print(f"{path.stem} seed {seed} done", file=sys.stderr, flush=True)
        if args.json:
            args.json.write_text(json.dumps(runs, indent=1))
    print_tables(runs, names, [p.stem for p in sets], args.seeds, args.reference)


def print_tables(runs, names, sets, seeds, reference):
    means = {name: {s: {m: statistics.mean(runs[name][f"{s}/{k}"][m] for k in range(1, seeds + 1))
                        for m in ("wss95", "recall10")} for s in sets} for name in names}
    print(f"\nmean WSS@95 / recall@10 % over prior seeds 1–{seeds}\n")
    print("| set | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for s in sets:
        print(f"| {s} | " + " | ".join(f"{means[n][s]['wss95']:.3f} / {means[n][s]['recall10']:.3f}" for n in names)
              + " |")
    print("| mean over sets | " + " | ".join(
        f"{statistics.mean(means[n][s]['wss95'] for s in sets):.3f} / "
        f"{statistics.mean(means[n][s]['recall10'] for s in sets):.3f}" for n in names) + " |")
    print(f"| sets with both ≥ {reference} | " + " | ".join(
        str(sum(all(means[n][s][m] >= means[reference][s][m] for m in ("wss95", "recall10")) for s in sets))
        for n in names) + " |")
    print("| CPU s, all simulations | " + " | ".join(f"{sum(r['cpu'] for r in runs[n].values()):.1f}" for n in names)
          + " |")
    if "sysrev" in names:
        print("\nagainst sysrev: mean over the sets of (variant − sysrev), with a 95 % t interval over the sets")
        print("| variant | WSS@95 | recall@10 % | WSS@95 + recall@10 % |")
        print("|---|---|---|---|")
        for name in names:
            if name != "sysrev":
                cells = [_over_sets(means, name, sets, m) for m in ("wss95", "recall10", "both")]
                print(f"| {name} | " + " | ".join(cells) + " |")
    candidates = [n for n in names if n != "asreview-u4"]
    if len(candidates) > 1 and len(sets) > 1:  # a fold needs another set to choose on
        chosen = loso_choice(means, candidates, sets)
        print("\nleave-one-set-out choice (best mean WSS@95 + recall@10 % on the other sets):")
        for name in candidates:
            print(f"  {name}: chosen in {sum(c == name for c in chosen.values())} of {len(sets)} folds")


if __name__ == "__main__":
    main()
