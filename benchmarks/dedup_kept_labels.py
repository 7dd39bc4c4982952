"""sysrev dedup and the peer bib-dedupe on a set labelled record by record as the copy to keep or a copy to
remove, as ASySD's labelled test set is (no cluster IDs), side by side.

    .venv/bin/python benchmarks/dedup_kept_labels.py FILE.csv [--label-column source] [--kept unique]
        [--removed duplicate] [--no-peer]

FILE.csv: ASySD's ``tests/testthat/labelled_test_set.csv`` (github.com/camaradesuk/ASySD, GPL-3; read from a
clone, not copied here: ``git -C CLONE show HEAD:tests/testthat/labelled_test_set.csv > FILE.csv``), 1,845
records from Embase, PubMed and Web of Science searches, each labelled ``unique`` (the copy a reviewer kept) or
``duplicate`` (a copy removed). R wrote it: ``NA`` cells are read as empty; it is Windows-1252 text.

Scored as ASySD's own validation scores it (validation/calculate_performance_function.R: a tool keeps one
record per cluster, a labelled-kept one where it can): in a cluster holding k kept-labelled records and d
removed-labelled ones, k − 1 kept records are removed wrongly (FP: two different studies merged, as far as the
labels tell) and, when k = 0, one removed-labelled record is kept wrongly (FN: a duplicate not joined to its
kept copy). Sensitivity = removed-labelled records removed / all removed-labelled; specificity = kept-labelled
kept / all kept-labelled. Every FP cluster is printed in full, and the FN clusters with the labelled-kept record
whose title is closest, so each can be checked by eye.
"""

import argparse
import csv
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_accuracy import run_sysrev  # noqa: E402
from dedup_peer import run_peer, write_peer_csv  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from sysrev.dedup.evaluate import record_from_row  # noqa: E402


def load(path: Path, label_column: str):
    """(records, labels) of the labelled CSV: UTF-8 or else Windows-1252, R's ``NA`` cells empty."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    records, labels = [], []
    for n, row in enumerate(rows):
        row = {k: ("" if v == "NA" else v) for k, v in row.items()}
        row["ID"] = row.get("record_id") or str(n)
        records.append(record_from_row(row))
        labels.append(row[label_column])
    return records, labels


def score(clusters, ids, labels, kept, removed) -> dict:
    """ASySD's record-level counts for ``clusters`` (lists of record IDs; records in none are alone)."""
    label_of = dict(zip(ids, labels))
    placed = {i for c in clusters for i in c}
    clusters = [list(c) for c in clusters] + [[i] for i in ids if i not in placed]
    fp_clusters = [c for c in clusters if sum(label_of[i] == kept for i in c) > 1]
    fn_clusters = [c for c in clusters if not any(label_of[i] == kept for i in c)]
    fp = sum(sum(label_of[i] == kept for i in c) - 1 for c in fp_clusters)
    n_removed, n_kept = labels.count(removed), labels.count(kept)
    return {"clusters": len(clusters), "fp": fp, "fn": len(fn_clusters), "fp_clusters": fp_clusters,
            "fn_clusters": fn_clusters, "sensitivity": (n_removed - len(fn_clusters)) / n_removed,
            "specificity": (n_kept - fp) / n_kept}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--label-column", default="source")
    parser.add_argument("--kept", default="unique")
    parser.add_argument("--removed", default="duplicate")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args(argv)
    records, labels = load(args.file, args.label_column)
    ids = [r.source_id for r in records]
    print(f"{args.file}: {len(records)} records, {labels.count(args.kept)} labelled {args.kept!r}, "
          f"{labels.count(args.removed)} {args.removed!r}")
    results = {}
    clusters, seconds, queued, _ = run_sysrev(records)
    results["sysrev"] = (score(clusters, ids, labels, args.kept, args.removed), seconds, f"{queued} queued")
    if not args.no_peer:
        with tempfile.TemporaryDirectory() as tmp:
            peer_csv = Path(tmp) / "records.csv"
            write_peer_csv(peer_csv, records, ids)
            peer = run_peer(peer_csv)
        if peer is None:
            print("bib-dedupe not installed (see benchmarks/dedup_peer.py): peer not run")
        elif "error" in peer:
            print(f"bib-dedupe failed: {peer['error']}")
        else:
            results["bib-dedupe"] = (score(peer["clusters"], ids, labels, args.kept, args.removed),
                                     peer["wall_seconds"], "")
    print(f"\n{'tool':<11} {'clusters':>8} {'FP':>4} {'FN':>4} {'sensitivity':>11} {'specificity':>11} {'time':>7}")
    for tool, (s, secs, note) in results.items():
        print(f"{tool:<11} {s['clusters']:>8} {s['fp']:>4} {s['fn']:>4} {s['sensitivity']:>11.4f} "
              f"{s['specificity']:>11.4f} {secs:>6.2f}s {note}")
    by_id = dict(zip(ids, records))
    label_of = dict(zip(ids, labels))
    kept_ids = [i for i in ids if label_of[i] == args.kept]
    kept_titles = [by_id[i].title.lower() for i in kept_ids]
    for tool, (s, _, _) in results.items():
        print(f"\n== {tool}: {len(s['fp_clusters'])} clusters with more than one {args.kept!r} record")
        for c in s["fp_clusters"]:
            for i in c:
                print(f"  {_show(by_id[i])} [{label_of[i]}]")
            print()
        print(f"== {tool}: {len(s['fn_clusters'])} clusters without a {args.kept!r} record (the closest "
              f"{args.kept!r} title in the set beside each)")
        for c in s["fn_clusters"]:
            first = by_id[c[0]]
            print(f"  {_show(first)}" + (f" (+{len(c) - 1} more)" if len(c) > 1 else ""))
            match = process.extractOne(first.title.lower(), kept_titles, scorer=fuzz.ratio)
            if match:
                print(f"    closest {args.kept!r} ({match[1]:.0f}): {_show(by_id[kept_ids[match[2]]])}")


def _show(r) -> str:
    return (f"{r.source_id}: {r.title[:70]!r} | {'; '.join(r.authors)[:30]} | {r.year} | {r.journal[:35]} | "
            f"v{r.volume} i{r.issue} p{r.pages} | {r.doi}")


if __name__ == "__main__":
    main()
