"""Time and peak memory of `sysrev dedup` on a synthetic 100,000-record set, against bib-dedupe on the same data.

    .venv/bin/python benchmarks/dedup_scale.py [--records 100000] [--seed 7] [--no-peer] [--peer-timeout 1800]

The set is made of distinct synthetic works (random titles from a biomedical vocabulary, 1–12 authors,
journals with their abbreviations, volume/issue/pages, a DOI for most) of which about a third are returned
again by other "databases" with the damage real exports show: typos, capitals, truncated titles, MEDLINE
abbreviated pages (575-86), abbreviated journals, initials-only or reordered co-authors, missing DOI, pages
or volume. The true clusters are known, so the run also reports pairwise FP/FN. Each tool runs in its own
subprocess so that its peak resident memory (ru_maxrss) is its own; the time is the deduplication only
(reading the CSV excluded for sysrev; the whole pipeline for bib-dedupe, which uses every core). sysrev's CPU
time is printed too, because wall time on a shared machine depends on the other load.
"""

import argparse
import csv
import json
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_peer import PEER_COLUMNS, peer_python, run_peer  # noqa: E402

WORDS = """acute adjuvant adolescents adults analgesia analysis anterior arthroplasty assessment associated back
bone cancer cardiac care cervical children chronic clinical cohort comparison complications controlled
cost cross-sectional cytology decompression diagnosis disease dose double-blind early effect effectiveness
efficacy elderly epidural evaluation evidence facet failure fluoroscopy follow-up function fusion guided
health hip imaging impact incidence infection injection injury intervention joint knee long-term lumbar
management meta-analysis minimally model mortality multicentre muscle nerve neuropathic observational
opioid outcomes pain patients pediatric performance pilot placebo population postoperative predictors
prevalence prospective quality radiofrequency randomised recovery rehabilitation related response
retrospective review risk sacroiliac safety screening sciatica selective spinal spine steroid stimulation
study surgery surgical survival systematic therapy thoracic treatment trial ultrasound versus women years
ablation acupuncture anxiety arthritis biomarkers blockade catheter chronicity denervation depression
disability education exercise frailty gabapentin genotype herniation hospital inflammatory ketamine
laminectomy lidocaine mobility morphine obesity osteoporosis physiotherapy pregabalin psychological
quantitative registry sensitivity sleep smoking stenosis tramadol validation vertebral walking""".split()
SYLLABLES = "ka ro mi ne to sa li ber gen hof man son ler ski van der ova chen wang li zhang mül sch ner dal".split()


def surname(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def make_journals(rng, n=800):
    journals = []
    for _ in range(n):
        words = [rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 3))]
        full = "Journal of " + " ".join(words) if rng.random() < 0.6 else " ".join(words) + " Research"
        abbrev = " ".join(w[:max(3, len(w) // 2)] for w in full.replace(" of ", " ").split())
        journals.append((full, abbrev))
    return journals


def make_work(rng, n, journals):
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(7, 16)))
    title = title[0].upper() + title[1:]
    authors = [(surname(rng), "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(1, 2))))
               for _ in range(rng.randint(1, 12))]
    start = rng.randint(1, 2999)
    journal = rng.choice(journals)
    return {"title": title, "authors": authors, "year": rng.randint(1985, 2025), "journal": journal,
            "volume": str(rng.randint(1, 400)), "number": str(rng.randint(1, 12)),
            "pages": f"{start}-{start + rng.randint(3, 20)}",
            "doi": f"10.{rng.randint(1000, 9999)}/syn.{n}" if rng.random() < 0.7 else ""}


def typo(rng, text):
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1:]
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1:]


def damaged_copy(rng, work):
    """One more database's version of ``work``."""
    w = dict(work, authors=list(work["authors"]))
    if rng.random() < 0.3:
        w["title"] = typo(rng, w["title"])
    if rng.random() < 0.15:
        w["title"] = w["title"].upper()
    if rng.random() < 0.1 and len(w["title"]) > 60:
        w["title"] = w["title"][: int(len(w["title"]) * rng.uniform(0.7, 0.9))]
    if rng.random() < 0.3:
        start, end = w["pages"].split("-")
        w["pages"] = f"{start}-{end[-2:]}" if len(end) > 2 else w["pages"]
    if rng.random() < 0.3:
        w["doi"] = ""
    for field in ("pages", "volume", "number"):
        if rng.random() < 0.1:
            w[field] = ""
    if rng.random() < 0.2 and len(w["authors"]) > 2:
        rest = w["authors"][1:]
        rng.shuffle(rest)
        w["authors"] = [w["authors"][0]] + rest
    if rng.random() < 0.2 and len(w["authors"]) > 3:
        w["authors"] = w["authors"][:3]
    w["abbrev"] = rng.random() < 0.4
    w["initials_only"] = rng.random() < 0.5
    return w


def row(rid, w):
    full, abbrev = w["journal"]
    if w.get("initials_only"):
        author = " and ".join(f"{f} {g}" for f, g in w["authors"])
    else:
        author = " and ".join(f"{f}, {g}." for f, g in w["authors"])
    return {"ID": rid, "ENTRYTYPE": "article", "title": w["title"], "author": author, "year": w["year"],
            "journal": abbrev if w.get("abbrev") else full, "booktitle": "", "volume": w["volume"],
            "number": w["number"], "pages": w["pages"], "doi": w["doi"], "abstract": ""}


def make_dataset(n_records, seed):
    """Rows (bib-dedupe columns) and the true clusters of record IDs."""
    rng = random.Random(seed)
    journals = make_journals(rng)
    rows, clusters, n = [], [], 0
    while len(rows) < n_records:
        work = make_work(rng, n, journals)
        copies = [work] + [damaged_copy(rng, work) for _ in range(rng.choice((0, 0, 0, 0, 1, 1, 2, 3)))]
        ids = []
        for c in copies[: n_records - len(rows)]:
            rid = f"r{len(rows):06d}"
            rows.append(row(rid, c))
            ids.append(rid)
        if len(ids) > 1:
            clusters.append(ids)
        n += 1
    rng.shuffle(rows)
    return rows, clusters


def worker(csv_path: str) -> None:
    """Subprocess: read the CSV, deduplicate with sysrev, print clusters, seconds and peak memory."""
    from sysrev.dedup.engine import deduplicate
    from sysrev.dedup.evaluate import record_from_row

    with open(csv_path, encoding="utf-8", newline="") as fh:
        records = [record_from_row(r) for r in csv.DictReader(fh)]
    started, cpu_started = time.perf_counter(), time.process_time()
    result = deduplicate(records, progress=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    ids = [r.source_id for r in records]
    print(json.dumps({"clusters": [[ids[i] for i in c] for c in result.clusters if len(c) > 1],
                      "seconds": seconds, "cpu_seconds": cpu, "compared_pairs": result.compared_pairs,
                      "uncertain": len(result.uncertain),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--peer-timeout", type=int, default=1800)
    args = parser.parse_args(argv)

    from sysrev.dedup.evaluate import pairwise_score

    rows, truth = make_dataset(args.records, args.seed)
    print(f"synthetic set: {len(rows)} records, {len(truth)} duplicate clusters, "
          f"{sum(len(c) * (len(c) - 1) // 2 for c in truth)} true pairs (seed {args.seed})")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=PEER_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        proc = subprocess.run([sys.executable, __file__, "--worker", str(path)], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"sysrev worker failed: {proc.stderr[-2000:]}")
        ours = json.loads(proc.stdout.strip().splitlines()[-1])
        score = pairwise_score(len(rows), ours["clusters"], truth)[0]
        print(f"sysrev     : {ours['seconds']:7.1f} s wall ({ours['cpu_seconds']:.1f} s CPU), "
              f"peak RSS {ours['peak_rss_mb']:7.0f} MB, "
              f"FP {score.false_positives}, FN {score.false_negatives}, sensitivity {score.sensitivity:.4f}, "
              f"{ours['compared_pairs']} pairs compared, {ours['uncertain']} uncertain")
        if args.no_peer:
            return
        if peer_python() is None:
            print("bib-dedupe : peer not installed")
            return
        try:
            peer = run_peer(path, timeout=args.peer_timeout)
        except subprocess.TimeoutExpired:
            print(f"bib-dedupe : did not finish within {args.peer_timeout} s")
            return
        if "error" in peer:
            print(f"bib-dedupe : failed ({peer['error']})")
            return
        score = pairwise_score(len(rows), peer["clusters"], truth)[0]
        print(f"bib-dedupe : {peer['seconds']:7.1f} s, peak RSS {peer['peak_rss_mb']:7.0f} MB (largest process), "
              f"FP {score.false_positives}, FN {score.false_negatives}, sensitivity {score.sensitivity:.4f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        main()
