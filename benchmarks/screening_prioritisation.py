"""Prioritised screening: sysrev against ASReview LAB on the labelled sets, same priors, same seeds.

For every labelled set in ../shared/fixtures/screening/prioritisation/ and every prior seed, the priors
(1 included + 1 excluded record) are drawn once with sysrev's ``draw_priors`` and given to both tools by
row: ``sysrev screen simulate DATA --prior A --prior B --seed S`` and ``asreview simulate DATA --prior-idx A B
--seed S`` (ASReview's default model). Both run as separate processes, one after the other, timed by wall
clock. The measures are those of the folder's README (priors left out of every count):

* WSS@95 = (N − n95)/N − 0.05, n95 = records screened until ⌈0.95·R⌉ included records were found;
* recall@10% = included records among the first ⌈0.10·N⌉ screened, divided by R;
* n100 = records screened until the last included record was found.

For sysrev's stopping rule (recall 95 %, confidence 95 %) it reports the recall reached when the rule fires and
the share of records (N) it saved, and pooled over every run the share of runs that reached recall ≥ 0.95.

Usage::

    nice -n 10 .venv/bin/python benchmarks/screening_prioritisation.py --asreview /path/to/asreview [--seeds 5]

The ASReview executable comes from --asreview or $ASREVIEW_BIN (install it in a separate virtualenv:
``python3 -m venv asreview-venv && asreview-venv/bin/pip install asreview``). ``--sets DIR`` runs other
labelled sets, e.g. the six reviews that ``benchmarks/unseen_screening_sets.py`` extracts.
"""

import argparse
import json
import math
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from sysrev.screening.simulate import draw_priors, read_labelled_csv

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SETS = REPO.parent / "shared" / "fixtures" / "screening" / "prioritisation"


def measures(order, labels, n_priors):
    """WSS@95, recall@10% and n100 of a screening order (data rows, priors first) as the README defines them.

    An order that stops early (ASReview stops once the last included record is found) is read as if the
    unscreened records followed, which changes none of the three measures."""
    screened = [labels[row] for row in order[n_priors:]]
    n = len(labels) - n_priors
    relevant = sum(labels) - sum(labels[row] for row in order[:n_priors])
    found, n95, n100, at10 = 0, None, None, None
    need95, cut10 = math.ceil(0.95 * relevant), math.ceil(0.10 * n)
    for position, label in enumerate(screened, start=1):
        found += label
        if n95 is None and found >= need95:
            n95 = position
        if n100 is None and found >= relevant:
            n100 = position
        if position == cut10:
            at10 = found
    if at10 is None:  # the order ended before the first 10 %: all included records were already found
        at10 = found
    if n95 is None or n100 is None:
        raise ValueError("the order ends before every included record was found")
    return {"wss95": (n - n95) / n - 0.05, "recall10": at10 / relevant, "n100": n100}


def timed(command, **options):
    """Run ``command``; return (wall-clock seconds, CPU seconds of the process and its children). CPU time
    is the fairer comparison on a shared machine, where waiting for a core inflates wall-clock time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, **options)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_sysrev(data, priors, seed, workdir):
    out = workdir / "sysrev_order.csv"
    command = [str(Path(sys.executable).parent / "sysrev"), "screen", "simulate", str(data), "--out", str(out),
               "--seed", str(seed)]
    for row in priors:
        command += ["--prior", str(row)]
    done, wall, cpu = timed(command)
    order = [int(line) for line in out.read_text().split()[1:]]
    return order, wall, cpu, json.loads(done.stdout)


def run_asreview(asreview, data, priors, seed, workdir):
    project = workdir / "asreview_run.asreview"
    project.unlink(missing_ok=True)
    command = [asreview, "simulate", str(data), "--prior-idx", *map(str, priors), "--seed", str(seed),
               "-o", str(project)]
    _done, wall, cpu = timed(command, cwd=workdir)
    with zipfile.ZipFile(project) as archive:
        archive.extract("results.db", workdir)
    with sqlite3.connect(workdir / "results.db") as db:
        rows = dict(db.execute("SELECT record_id, dataset_row FROM record"))
        order = [rows[rid] for (rid,) in db.execute("SELECT record_id FROM results ORDER BY rowid")]
    (workdir / "results.db").unlink()
    return order, wall, cpu


def _mean_cpu(got):
    cpu = [g["cpu"] for g in got if "cpu" in g]
    return f"{statistics.mean(cpu):.1f}" if cpu else "n/a"


def _cpu_ratio(runs):
    runs = [r for r in runs if "cpu" in r["sysrev"]]
    if not runs:
        return "n/a"
    ratio = statistics.mean(r['sysrev']['cpu'] for r in runs) / statistics.mean(r['asreview']['cpu'] for r in runs)
    return f"{ratio:.3f}"


def summarise(values):
    return f"{statistics.mean(values):.3f} [{min(values):.3f}, {max(values):.3f}]"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--asreview", default=os.environ.get("ASREVIEW_BIN", shutil.which("asreview")),
                        help="the asreview executable (default: $ASREVIEW_BIN, then asreview on PATH)")
    parser.add_argument("--sets", type=Path, default=DEFAULT_SETS, help="folder of labelled CSV sets")
    parser.add_argument("--seeds", type=int, default=5, help="prior seeds per set (1..N)")
    parser.add_argument("--only", nargs="*", default=None, help="set names (file stems) to run")
    parser.add_argument("--json", type=Path, default=None, help="also write every run's figures here")
    parser.add_argument("--table", type=Path, default=None, help="only print the tables of a --json file")
    args = parser.parse_args(argv)
    if not args.table and (not args.asreview or not Path(args.asreview).exists() and not shutil.which(args.asreview)):
        parser.error("ASReview not found: give --asreview PATH or set ASREVIEW_BIN")
    if args.table:
        print_table(json.loads(args.table.read_text()))
        return
    # Every set with the first seed, then every set with the next one: an interrupted run has figures for
    # every set (see --json, --table).
    sets = sorted((p for p in args.sets.glob("*.csv") if args.only is None or p.stem in args.only),
                  key=lambda p: p.stat().st_size)
    if not sets:
        parser.error(f"no labelled sets (*.csv) in {args.sets}" + (" named " + ", ".join(args.only) if args.only
                                                                  else "") + "; give --sets DIR")
    labels_of = {data: read_labelled_csv(data).labels for data in sets}
    runs = []
    with tempfile.TemporaryDirectory(prefix="sysrev-bench-") as tmp:
        workdir = Path(tmp)
        for seed in range(1, args.seeds + 1):
            for data in sets:
                labels = labels_of[data]
                priors = draw_priors(labels, 1, 1, seed)
                order, t_sysrev, cpu_sysrev, summary = run_sysrev(data, priors, seed, workdir)
                a_order, t_asreview, cpu_asreview = run_asreview(args.asreview, data, priors, seed, workdir)
                run = {"set": data.stem, "records": len(labels), "included": sum(labels), "seed": seed,
                       "priors": priors,
                       "sysrev": {**measures(order, labels, 2), "seconds": t_sysrev, "cpu": cpu_sysrev},
                       "asreview": {**measures(a_order, labels, 2), "seconds": t_asreview, "cpu": cpu_asreview},
                       "stop": {"stopped_at": summary["stopped_at"], "recall": summary["recall_at_stop"],
                                "saved": 1 - summary["stopped_at"] / summary["screened"]
                                if summary["stopped_at"] is not None else 0.0}}
                runs.append(run)
                print(json.dumps(run), flush=True, file=sys.stderr)
                if args.json:
                    args.json.write_text(json.dumps(runs, indent=1))
    print_table(runs)


def paired_difference(runs, measure):
    """Mean over seeds of sysrev's minus ASReview's ``measure`` (same priors, so the runs pair up) and the
    half-width of its 95 % t interval (None with one seed). An interval wholly below zero is a shortfall the
    seed-to-seed variation does not explain."""
    from scipy.stats import t

    diffs = [r["sysrev"][measure] - r["asreview"][measure] for r in runs]
    if len(diffs) < 2:
        return statistics.mean(diffs), None
    return statistics.mean(diffs), t.ppf(0.975, len(diffs) - 1) * statistics.stdev(diffs) / math.sqrt(len(diffs))


def _difference(runs, measure):
    mean, half = paired_difference(runs, measure)
    if half is None:
        return f"{mean:+.3f}"
    verdict = " (below)" if mean + half < 0 else " (above)" if mean - half > 0 else ""
    return f"{mean:+.3f} [{mean - half:+.3f}, {mean + half:+.3f}]{verdict}"


def print_table(runs):
    runs = sorted(runs, key=lambda r: (r["records"], r["set"], r["seed"]))
    print("\n| set | records | incl. | tool | WSS@95 mean [range] | recall@10% mean [range] | n100 mean [range] | "
          "s per simulation (wall) | CPU s per simulation |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in dict.fromkeys(r["set"] for r in runs):
        mine = [r for r in runs if r["set"] == name]
        for tool in ("sysrev", "asreview"):
            got = [r[tool] for r in mine]
            n100 = [g["n100"] for g in got]
            print(f"| {name} | {mine[0]['records']} | {mine[0]['included']} | {tool} | "
                  f"{summarise([g['wss95'] for g in got])} | {summarise([g['recall10'] for g in got])} | "
                  f"{statistics.mean(n100):.0f} [{min(n100)}, {max(n100)}] | "
                  f"{statistics.mean(g['seconds'] for g in got):.1f} | {_mean_cpu(got)} |")
    print("\n| set | stopping rule: recall when it fires mean [range] | share of records saved mean [range] | "
          "runs with recall ≥ 0.95 | time ratio sysrev/ASReview (wall) | (CPU) |")
    print("|---|---|---|---|---|---|")
    for name in dict.fromkeys(r["set"] for r in runs):
        mine = [r for r in runs if r["set"] == name]
        recall = [r["stop"]["recall"] or 0.0 for r in mine]
        ratio = statistics.mean(r["sysrev"]["seconds"] for r in mine) / statistics.mean(
            r["asreview"]["seconds"] for r in mine)
        print(f"| {name} | {summarise(recall)} | {summarise([r['stop']['saved'] for r in mine])} | "
              f"{sum(x >= 0.95 for x in recall)}/{len(mine)} | {ratio:.3f} | {_cpu_ratio(mine)} |")
    print("\n| set | WSS@95 sysrev − ASReview, mean [95 % CI over seeds] | recall@10% sysrev − ASReview |")
    print("|---|---|---|")
    for name in dict.fromkeys(r["set"] for r in runs):
        mine = [r for r in runs if r["set"] == name]
        print(f"| {name} | {_difference(mine, 'wss95')} | {_difference(mine, 'recall10')} |")
    reached = sum((r["stop"]["recall"] or 0.0) >= 0.95 for r in runs)
    wins = [name for name in dict.fromkeys(r["set"] for r in runs)
            if all(statistics.mean(r["sysrev"][m] for r in runs if r["set"] == name)
                   >= statistics.mean(r["asreview"][m] for r in runs if r["set"] == name)
                   for m in ("wss95", "recall10"))]
    print(f"\nstopping rule, pooled: recall ≥ 0.95 in {reached} of {len(runs)} runs "
          f"({100 * reached / len(runs):.1f} %); mean share saved "
          f"{100 * statistics.mean(r['stop']['saved'] for r in runs):.1f} %")
    print(f"sets where sysrev's mean WSS@95 and recall@10% are both ≥ ASReview's: {len(wins)} of "
          f"{len({r['set'] for r in runs})}")


if __name__ == "__main__":
    main()
