"""Pairwise accuracy of `sysrev dedup` and of the peer bib-dedupe on every labelled dedup set, side by side.

    .venv/bin/python benchmarks/dedup_accuracy.py [--fixtures DIR] [--set DIR ...] [--no-peer] [--show N]

Sets: every bib-dedupe style folder (``records_pre_merged.csv`` + ``merged_record_ids.csv``) and every CoLRev
style folder (``records.bib`` + ``records_expected.bib``) under ``DIR/dedup`` (default ../shared/fixtures or
$SYSREV_SHARED_FIXTURES), bib-dedupe's hand-curated pairs (``bibdedupe_test_cases.json``, scored on the 25
listed pairs only), the project's own hard cases (tests/fixtures/dedup/hard_cases.csv), and any ``--set``.

Scoring is pairwise (see sysrev.dedup.evaluate): FP = pairs of different records put in one cluster, FN = true
duplicate pairs not joined, sensitivity = found true pairs / true pairs. Time is wall-clock for the whole
deduplication (sysrev in this process; bib-dedupe in its own subprocess, including its start-up).
"""

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_peer import peer_python, run_peer, write_peer_csv  # noqa: E402

from sysrev.dedup.engine import deduplicate  # noqa: E402
from sysrev.dedup.evaluate import (load_colrev_set, load_labelled_set, pairwise_score,  # noqa: E402
                                   record_from_row)

REPO = Path(__file__).resolve().parent.parent


def discover_sets(fixtures: Path, extra: list) -> list:
    """(name, loader) pairs for every labelled set found."""
    sets = []
    roots = [fixtures / "dedup"] if (fixtures / "dedup").is_dir() else []
    folders = sorted({p.parent for root in roots for p in root.rglob("records_pre_merged.csv")}
                     | {p.parent for root in roots for p in root.rglob("records_expected.bib")})
    folders += [Path(e) for e in extra]
    for folder in folders:
        if (folder / "records_pre_merged.csv").is_file():
            sets.append((folder.name, lambda f=folder: load_labelled_set(f)))
        elif (folder / "records_expected.bib").is_file():
            sets.append((f"colrev/{folder.name}", lambda f=folder: load_colrev_set(f)))
    sets.append(("own hard cases", lambda: load_own_cases(REPO / "tests/fixtures/dedup/hard_cases.csv")))
    return sets


def load_own_cases(path: Path):
    """The project's hand-made hard cases: a ``cluster`` column names each record's true cluster."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    truth = {}
    for row in rows:
        truth.setdefault(row["cluster"], []).append(row["ID"])
    return [record_from_row(r) for r in rows], [c for c in truth.values() if len(c) > 1]


def load_case_pairs(path: Path):
    """bib-dedupe's curated pairs as one set of records (IDs prefixed by case) and the pairs to score."""
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    records, pairs = [], []
    for n, case in enumerate(cases):
        ids = []
        for side in ("record_a", "record_b"):
            row = {k: ("" if v is None else str(v)) for k, v in case[side].items()}
            row["ID"] = f"c{n:02d}{side[-1]}-{row.get('ID', '')}"
            records.append(record_from_row(row))
            ids.append(row["ID"])
        pairs.append((ids[0], ids[1], case["expected_duplicate"]))
    return records, pairs


def score_case_pairs(clusters, pairs):
    cluster_of = {rid: n for n, members in enumerate(clusters) for rid in members}
    fp = sum(1 for a, b, dup in pairs if not dup and a in cluster_of and cluster_of.get(a) == cluster_of.get(b))
    fn = sum(1 for a, b, dup in pairs if dup and not (a in cluster_of and cluster_of.get(a) == cluster_of.get(b)))
    return fp, fn, sum(1 for *_, dup in pairs if dup)


def run_sysrev(records):
    started = time.perf_counter()
    result = deduplicate(records, progress=False)
    ids = [r.source_id for r in records]
    return [[ids[i] for i in c] for c in result.clusters], time.perf_counter() - started, len(result.uncertain)


def run_bibdedupe(records, tmp: Path):
    path = tmp / "peer_input.csv"
    write_peer_csv(path, records, [r.source_id for r in records])
    result = run_peer(path)
    if result is None or "error" in result:
        return None, result
    return result["clusters"], result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_fixtures = os.environ.get("SYSREV_SHARED_FIXTURES", str(REPO.parent / "shared" / "fixtures"))
    parser.add_argument("--fixtures", default=default_fixtures)
    parser.add_argument("--set", action="append", default=[], help="another labelled set folder")
    parser.add_argument("--no-peer", action="store_true", help="do not run bib-dedupe")
    args = parser.parse_args(argv)
    fixtures = Path(args.fixtures)
    use_peer = not args.no_peer and peer_python() is not None
    if not args.no_peer and not use_peer:
        print("bib-dedupe: peer not installed (set SYSREV_BIBDEDUPE_PYTHON or install it in "
              "/work/peers/bibdedupe); showing sysrev only\n")

    header = (f"{'set':<22} {'records':>7} {'pairs':>6} | {'sysrev FP':>9} {'FN':>4} {'sens':>7} {'time':>7} "
              f"{'queue':>5} | {'bib-dedupe FP':>13} {'FN':>4} {'sens':>7} {'time':>7}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, loader in discover_sets(fixtures, args.set):
            records, truth = loader()
            clusters, seconds, queued = run_sysrev(records)
            ours, _fp, _fn = pairwise_score(len(records), clusters, truth)
            line = (f"{name:<22} {len(records):>7} {ours.true_pairs:>6} | {ours.false_positives:>9} "
                    f"{ours.false_negatives:>4} {ours.sensitivity:>7.4f} {seconds:>6.2f}s {queued:>5} | ")
            line += _peer_cells(records, truth, tmp, use_peer, lambda c: pairwise_score(len(records), c, truth)[0])
            print(line, flush=True)
        cases = fixtures / "dedup" / "bibdedupe_test_cases.json"
        if cases.is_file():
            records, pairs = load_case_pairs(cases)
            clusters, seconds, queued = run_sysrev(records)
            fp, fn, true = score_case_pairs(clusters, pairs)
            line = (f"{'curated pairs (25)':<22} {len(records):>7} {true:>6} | {fp:>9} {fn:>4} "
                    f"{(true - fn) / true:>7.4f} {seconds:>6.2f}s {queued:>5} | ")
            if use_peer:
                peer_clusters, info = run_bibdedupe(records, tmp)
                if peer_clusters is None:
                    line += f"peer failed: {info.get('error') if info else ''}"
                else:
                    pfp, pfn, _ = score_case_pairs(peer_clusters, pairs)
                    line += f"{pfp:>13} {pfn:>4} {(true - pfn) / true:>7.4f} {info['wall_seconds']:>6.2f}s"
            print(line, flush=True)


def _peer_cells(records, truth, tmp, use_peer, score) -> str:
    if not use_peer:
        return "peer not installed"
    clusters, info = run_bibdedupe(records, tmp)
    if clusters is None:
        return f"peer failed: {info.get('error') if info else ''}"
    s = score(clusters)
    return f"{s.false_positives:>13} {s.false_negatives:>4} {s.sensitivity:>7.4f} {info['wall_seconds']:>6.2f}s"


if __name__ == "__main__":
    main()
