"""Pairwise accuracy of `sysrev dedup` and of the peer bib-dedupe on every labelled dedup set, side by side.

    .venv/bin/python benchmarks/dedup_accuracy.py [--fixtures DIR] [--set DIR ...] [--no-peer] [--show N]

Sets: every bib-dedupe style folder (``records_pre_merged.csv`` + ``merged_record_ids.csv``) and every CoLRev
style folder (``records.bib`` + ``records_expected.bib``) under ``DIR/dedup`` (default ../shared/fixtures or
$SYSREV_SHARED_FIXTURES), bib-dedupe's hand-curated pairs (``bibdedupe_test_cases.json``: each pair
deduplicated on its own; FP/FN counted over the pairs), the project's own hard and stress cases
(tests/fixtures/dedup/hard_cases.csv, stress_cases.csv), and any ``--set``.

Scoring is pairwise (see sysrev.dedup.evaluate): FP = pairs of different records put in one cluster, FN = true
duplicate pairs not joined, sensitivity = found true pairs / true pairs. ``rel/q`` splits sysrev's FN: pairs it
linked as related publications (erratum, reply, abstract vs paper, review update…) / pairs it queued for a
human; both still count as missed. Time is wall-clock for the whole
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
    """(name, loader) pairs for every labelled set found; a loader returns (records, true clusters, the
    original bib-dedupe style CSV to give the peer unchanged or None)."""
    sets = []
    roots = [fixtures / "dedup"] if (fixtures / "dedup").is_dir() else []
    folders = sorted({p.parent for root in roots for p in root.rglob("records_pre_merged.csv")}
                     | {p.parent for root in roots for p in root.rglob("records_expected.bib")})
    folders += [Path(e) for e in extra]
    for folder in folders:
        if (folder / "records_pre_merged.csv").is_file():
            sets.append((folder.name, lambda f=folder: (*load_labelled_set(f), f / "records_pre_merged.csv")))
        elif (folder / "records_expected.bib").is_file():
            sets.append((f"colrev/{folder.name}", lambda f=folder: (*load_colrev_set(f), None)))
    for name, file in (("own hard cases", "hard_cases.csv"), ("own stress cases", "stress_cases.csv")):
        sets.append((name, lambda f=file: (*load_own_cases(REPO / "tests/fixtures/dedup" / f), None)))
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
    """bib-dedupe's curated pairs: ``[(records [a, b], raw rows [a, b], expected_duplicate), …]``."""
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    pairs = []
    for n, case in enumerate(cases):
        records, rows = [], []
        for side in ("record_a", "record_b"):
            row = {k: ("" if v is None else str(v)) for k, v in case[side].items()}
            row["ID"] = f"c{n:02d}{side[-1]}"
            records.append(record_from_row(row))
            rows.append(row)
        pairs.append((records, rows, case["expected_duplicate"]))
    return pairs


def run_sysrev(records):
    started = time.perf_counter()
    result = deduplicate(records, progress=False)
    seconds = time.perf_counter() - started
    ids = [r.source_id for r in records]
    return [[ids[i] for i in c] for c in result.clusters], seconds, len(result.uncertain), result


def linked_misses(result, ids, missed) -> tuple[int, int]:
    """How many missed pairs sysrev linked as related publications, and how many it queued for a human
    (a link or queue entry between the two records' clusters); the rest it judged distinct."""
    cluster_of = result.cluster_of()
    pos = {rid: i for i, rid in enumerate(ids)}

    def between(notes):
        return {frozenset((cluster_of[n.a], cluster_of[n.b])) for n in notes}

    related, queued = between(result.related), between(result.uncertain)
    pairs = [frozenset((cluster_of[pos[a]], cluster_of[pos[b]])) for a, b in missed]
    return sum(p in related for p in pairs), sum(p in queued and p not in related for p in pairs)


def run_bibdedupe(records, tmp: Path, raw=None):
    """Run the peer on the original rows when there are some (a CSV path or row dicts), else on ``records``
    written in its column layout."""
    path = tmp / "peer_input.csv"
    if isinstance(raw, Path):
        path = raw
    elif raw:
        columns = sorted({k for row in raw for k in row})
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(raw)
    else:
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

    header = (f"{'set':<22} {'records':>7} {'pairs':>6} | {'sysrev FP':>9} {'FN':>4} {'rel/q':>6} {'sens':>7} "
              f"{'time':>7} {'queue':>5} | {'bib-dedupe FP':>13} {'FN':>4} {'sens':>7} {'time':>7}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, loader in discover_sets(fixtures, args.set):
            records, truth, raw = loader()
            clusters, seconds, queued, result = run_sysrev(records)
            ours, _fp, fn = pairwise_score(len(records), clusters, truth)
            rel, q = linked_misses(result, [r.source_id for r in records], fn)
            line = (f"{name:<22} {len(records):>7} {ours.true_pairs:>6} | {ours.false_positives:>9} "
                    f"{ours.false_negatives:>4} {f'{rel}/{q}':>6} {ours.sensitivity:>7.4f} {seconds:>6.2f}s "
                    f"{queued:>5} | ")
            line += _peer_cells(records, raw, tmp, use_peer, lambda c: pairwise_score(len(records), c, truth)[0])
            print(line, flush=True)
        cases = fixtures / "dedup" / "bibdedupe_test_cases.json"
        if cases.is_file():
            print(_case_pairs_line(load_case_pairs(cases), tmp, use_peer), flush=True)


def _case_pairs_line(pairs, tmp, use_peer) -> str:
    """Each curated pair deduplicated on its own (two records), by each tool; FP/FN over the pairs."""
    true = sum(1 for *_, dup in pairs if dup)
    tallies = {"sysrev": [0, 0, 0.0, 0], "peer": [0, 0, 0.0, 0]}
    for records, raw, dup in pairs:
        ids = [r.source_id for r in records]
        clusters, seconds, queued, _result = run_sysrev(records)
        _tally(tallies["sysrev"], clusters, ids, dup, seconds, queued)
        if use_peer:
            peer_clusters, info = run_bibdedupe(records, tmp, raw)
            if peer_clusters is None:
                return f"curated pairs: peer failed: {info.get('error') if info else ''}"
            _tally(tallies["peer"], peer_clusters, ids, dup, info["wall_seconds"], 0)
    fp, fn, seconds, queued = tallies["sysrev"]
    line = (f"{'curated pairs':<22} {2 * len(pairs):>7} {true:>6} | {fp:>9} {fn:>4} {'':>6} "
            f"{(true - fn) / true:>7.4f} {seconds:>6.2f}s {queued:>5} | ")
    if not use_peer:
        return line + "peer not installed"
    fp, fn, seconds, _ = tallies["peer"]
    return line + f"{fp:>13} {fn:>4} {(true - fn) / true:>7.4f} {seconds:>6.2f}s"


def _tally(tally, clusters, ids, dup, seconds, queued):
    joined = any(ids[0] in c and ids[1] in c for c in clusters)
    tally[0] += int(joined and not dup)
    tally[1] += int(dup and not joined)
    tally[2] += seconds
    tally[3] += queued


def _peer_cells(records, raw, tmp, use_peer, score) -> str:
    if not use_peer:
        return "peer not installed"
    clusters, info = run_bibdedupe(records, tmp, raw)
    if clusters is None:
        return f"peer failed: {info.get('error') if info else ''}"
    s = score(clusters)
    return f"{s.false_positives:>13} {s.false_negatives:>4} {s.sensitivity:>7.4f} {info['wall_seconds']:>6.2f}s"


if __name__ == "__main__":
    main()
