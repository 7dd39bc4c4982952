"""Pairwise accuracy of `sysrev dedup` and of the peer bib-dedupe on every labelled dedup set, side by side,
scored two ways.

    .venv/bin/python benchmarks/dedup_accuracy.py [--fixtures DIR] [--set DIR ...] [--no-peer]

Sets: every bib-dedupe style folder (``records_pre_merged.csv`` + ``merged_record_ids.csv``) and every CoLRev
style folder (``records.bib`` + ``records_expected.bib``) under ``DIR/dedup`` (default ../shared/fixtures or
$SYSREV_SHARED_FIXTURES), bib-dedupe's hand-curated pairs (``bibdedupe_test_cases.json``: each pair
deduplicated on its own; FP/FN counted over the pairs), the project's own hard and stress cases
(tests/fixtures/dedup/hard_cases.csv, stress_cases.csv), and any ``--set``.

Scoring is pairwise (see sysrev.dedup.evaluate): FP = pairs of different records put in one cluster, FN = true
duplicate pairs not joined, sensitivity = found true pairs / true pairs. Every set is scored (a) against the
labels as published and (b) with the labelled pairs of related kinds removed (erratum, reply, a conference
abstract beside the paper, a one-page notice in another issue, different trial registrations), classified
from the records alone by sysrev.dedup.related_kinds, with an issue field that is a record counter read as
not stated, as deduplication reads it (sysrev.dedup.record_counters); removed pairs are neither true pairs nor
false positives under (b). Both tools are scored on the same (a) and (b) labels. The output lists every
removed pair with its classification and evidence, and every false merge (either tool) in full. ``rel/q``
splits sysrev's FN under (a): pairs it linked as related publications / pairs it queued for a human. Time is
wall-clock for the whole deduplication (sysrev in this process; bib-dedupe in its own subprocess, including
its start-up).
"""

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_peer import peer_python, run_peer, write_peer_csv  # noqa: E402

from sysrev.dedup.engine import deduplicate  # noqa: E402
from sysrev.dedup.evaluate import cluster_pairs, load_colrev_set, load_labelled_set, pairwise_score, record_from_row  # noqa: E402
from sysrev.dedup.record_counters import counter_issue_origins  # noqa: E402
from sysrev.dedup.related_kinds import related_pairs  # noqa: E402

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


def without_counter_issues(records) -> list:
    """``records`` with the issue blanked where their origin's issue field is a record counter: the (b)
    classification must not read two running numbers as two issues."""
    blanked = {i for stated, _numbers in counter_issue_origins(records, [r.source for r in records]).values()
               for i in stated}
    return [replace(r, issue=None) if i in blanked else r for i, r in enumerate(records)]


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


def score_both_ways(n_records, clusters, truth, related) -> dict:
    """FP, FN and sensitivity under (a) and (b), and the false-positive pairs of (a) and (b)."""
    score, fp, fn = pairwise_score(n_records, clusters, truth)
    true_b = cluster_pairs(truth) - set(related)
    fp_b, fn_b = fp - set(related), fn & true_b
    sens_b = (len(true_b) - len(fn_b)) / len(true_b) if true_b else 1.0
    return {"a": (len(fp), len(fn), score.sensitivity), "b": (len(fp_b), len(fn_b), sens_b),
            "fp": fp, "fn": fn, "fn_b": fn_b, "pairs_a": score.true_pairs, "pairs_b": len(true_b)}


def _cells(s) -> str:
    return (f"{s['a'][0]:>3} {s['a'][1]:>4} {s['a'][2]:>6.4f} | {s['b'][0]:>3} {s['b'][1]:>4} "
            f"{s['b'][2]:>6.4f}")


def _show_record(r) -> str:
    return (f"      {r.source_id}: {r.title!r} | {'; '.join(r.authors[:4])}{' …' if len(r.authors) > 4 else ''} | "
            f"{r.year} | {r.journal} | vol {r.volume} issue {r.issue} pp {r.pages} | doi {r.doi}")


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

    header = (f"{'set':<18} {'recs':>5} {'pairs a/b':>9} || sysrev (a) {'FP':>3} {'FN':>4} {'sens':>6} | "
              f"(b) {'FP':>3} {'FN':>4} {'sens':>6} {'rel/q':>6} {'time':>6} || bib-dedupe (a) FP   FN   sens | "
              f"(b) FP   FN   sens   time")
    print(header)
    print("-" * len(header))
    details = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, loader in discover_sets(fixtures, args.set):
            records, truth, raw = loader()
            related = related_pairs(without_counter_issues(records), truth)
            clusters, seconds, queued, result = run_sysrev(records)
            ours = score_both_ways(len(records), clusters, truth, related)
            rel, q = linked_misses(result, [r.source_id for r in records], ours["fn"])
            pairs = f"{ours['pairs_a']}/{ours['pairs_b']}"
            line = (f"{name[:18]:<18} {len(records):>5} {pairs:>9} || "
                    f"{'':>10} {_cells(ours)} {f'{rel}/{q}':>6} {seconds:>5.2f}s || ")
            peer = None
            if use_peer:
                peer_clusters, info = run_bibdedupe(records, tmp, raw)
                if peer_clusters is None:
                    line += f"peer failed: {info.get('error') if info else ''}"
                else:
                    peer = score_both_ways(len(records), peer_clusters, truth, related)
                    line += f"{'':>14} {_cells(peer)} {info['wall_seconds']:>5.1f}s"
            else:
                line += "peer not run"
            print(line, flush=True)
            details.append((name, records, related, ours, peer))
        cases = fixtures / "dedup" / "bibdedupe_test_cases.json"
        if cases.is_file():
            print(_case_pairs_line(load_case_pairs(cases), tmp, use_peer), flush=True)
    _print_details(details)


def _print_details(details) -> None:
    """Every removed (related-kind) pair with its classification, every false merge in full, sysrev's
    misses under (b)."""
    for name, records, related, ours, peer in details:
        by_id = {r.source_id: r for r in records}
        print(f"\n== {name}: {len(related)} labelled pairs removed for (b) (related kinds)")
        for (a, b), (kind, evidence) in sorted(related.items()):
            print(f"  {a} ~ {b}: {kind}: {evidence}")
        for tool, score in (("sysrev", ours), ("bib-dedupe", peer)):
            if score is None:
                continue
            print(f"  {tool} false merges (a): {len(score['fp'])}"
                  + (f" ({len(score['fp'] - set(related))} under (b))" if score["fp"] else ""))
            for a, b in sorted(score["fp"]):
                print(f"    {a} + {b}{' [related kind: ' + related[(a, b)][0] + ']' if (a, b) in related else ''}")
                print(_show_record(by_id[a]))
                print(_show_record(by_id[b]))
        print(f"  sysrev misses under (b): {len(ours['fn_b'])}")
        for a, b in sorted(ours["fn_b"]):
            found_by_peer = peer is not None and (a, b) not in peer["fn"]
            print(f"    {a} ~ {b}{'  (bib-dedupe found it)' if found_by_peer else ''}")
            print(_show_record(by_id[a]))
            print(_show_record(by_id[b]))


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
    line = (f"{'curated pairs':<18} {2 * len(pairs):>5} {true:>9} || {'':>10} {fp:>3} {fn:>4} "
            f"{(true - fn) / true:>6.4f} | (no related-kind pairs: scored once) {seconds:>5.2f}s || ")
    if not use_peer:
        return line + "peer not run"
    fp, fn, seconds, _ = tallies["peer"]
    return line + f"{'':>14} {fp:>3} {fn:>4} {(true - fn) / true:>6.4f} {seconds:>5.1f}s"


def _tally(tally, clusters, ids, dup, seconds, queued):
    joined = any(ids[0] in c and ids[1] in c for c in clusters)
    tally[0] += int(joined and not dup)
    tally[1] += int(dup and not joined)
    tally[2] += seconds
    tally[3] += queued


if __name__ == "__main__":
    main()
