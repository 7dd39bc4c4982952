"""Benchmark: 25,000 synthetic PubMed records from a local server that enforces 3 requests/s.

The fake E-utilities server (tests/search/search_fake_servers.py) runs in its own process and answers HTTP 429
with NCBI's JSON body to any request beyond 3 in the last second. sysrev's PubMed connector fetches the whole
corpus (more than 9,999 records, so it has to split the date range) without an API key, i.e. at its
process-wide limit of 3 requests/s.

Printed: requests made, wall time, 429s received, and the ratio of the wall time to the floor the rate limit
sets for the minimum number of requests this plan needs (requests without retries ÷ 3 per second).
Target: every record exactly once, zero 429s, ratio ≤ 1.15.

Peer, in the same run (skip with --no-peer): Biopython's own E-utilities client (Bio.Entrez: ESearch with
usehistory, EFetch in batches of the same size, its built-in 0.37 s spacing), pointed at the same server.
It shows what a client without date slicing gets from a search of more than 9,999 records.

    .venv/bin/python benchmarks/search_pubmed_rate.py [--records 25000] [--batch-size 500] [--no-peer]
"""

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "search"))

from search_fake_servers import FakeServer, SyntheticPubmed  # noqa: E402

from sysrev.search.config import SearchConfig  # noqa: E402
from sysrev.search.dates import DateWindow  # noqa: E402
from sysrev.search.pubmed import EUtils, search_pubmed  # noqa: E402
from sysrev.search.snapshot import read_snapshot  # noqa: E402

RATE = 3


def _serve(n_records, ready):
    server = FakeServer(pubmed=SyntheticPubmed(n_records), enforce_rate=RATE).start()
    ready.put(server.url)
    while True:
        time.sleep(3600)


def _stats(url) -> dict:
    with urllib.request.urlopen(url + "stats") as response:
        return json.loads(response.read())


def run_peer(url, batch_size) -> dict:
    """Bio.Entrez against the local server (its fixed NCBI URLs rewritten to ``url``)."""
    from urllib.request import Request

    from Bio import Entrez

    real_urlopen = Entrez.urlopen

    def local(request):
        target = request.full_url.replace("https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", url)
        return real_urlopen(Request(target, data=request.data, headers=dict(request.header_items())))

    Entrez.urlopen, Entrez.email, Entrez.tool = local, "benchmark@example.org", "sysrev-benchmark-peer"
    before = _stats(url)
    started = time.perf_counter()
    ids, error = [], None
    try:
        search = Entrez.read(Entrez.esearch(db="pubmed", term="benchmark", usehistory="y", retmax=0,
                                            datetype="pdat", mindate="2000/01/01", maxdate="2024/12/31"))
        count = int(search["Count"])
        for start in range(0, count, batch_size):
            handle = Entrez.efetch(db="pubmed", retmode="xml", retstart=start, retmax=batch_size,
                                   webenv=search["WebEnv"], query_key=search["QueryKey"])
            ids += [str(a["MedlineCitation"]["PMID"]) for a in Entrez.read(handle)["PubmedArticle"]]
    except Exception as exc:  # the peer's failure is a result to report, not a crash of the benchmark
        error = f"{type(exc).__name__}: {exc}"
    finally:
        Entrez.urlopen = real_urlopen
    wall = time.perf_counter() - started
    after = _stats(url)
    return {"ids": ids, "wall": wall, "error": error, "requests": after["requests"] - before["requests"],
            "429": after["statuses"].get("429", 0) - before["statuses"].get("429", 0)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=25000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--timeline", action="store_true", help="print the gap between successive requests")
    parser.add_argument("--no-peer", action="store_true", help="skip the Bio.Entrez peer")
    args = parser.parse_args()

    ready = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve, args=(args.records, ready), daemon=True)
    process.start()
    url = ready.get(timeout=120)
    try:
        eutils = EUtils(SearchConfig(eutils_url=url))  # no API key: the shared limiter allows 3/s
        window = DateWindow(date(2000, 1, 1), date(2024, 12, 31), "pdat")
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            outcome = search_pubmed("benchmark", out_dir=out, window=window, batch_size=args.batch_size,
                                    eutils=eutils)
            wall = time.perf_counter() - started
            manifest, records = read_snapshot(outcome.snapshot)
        server_stats = _stats(url)
        peer = None if args.no_peer else run_peer(url, args.batch_size)
    finally:
        process.terminate()

    ids = [r.source_id for r in records]
    expected = {str(30000000 + i) for i in range(args.records)}
    exactly_once = len(ids) == len(set(ids)) and set(ids) == expected
    stats = outcome.stats
    minimum = stats["requests"] - stats.get("retries", 0)
    floor = minimum / RATE
    too_many = server_stats["statuses"].get("429", 0)
    print(f"records requested      {args.records}")
    print(f"records retrieved      {len(ids)} (unique {len(set(ids))}); every record exactly once: {exactly_once}")
    print(f"date slices            {len(manifest['slices'])} (counts add up: "
          f"{all(c['ok'] for c in manifest['count_checks'])}); gaps: {len(manifest['gaps'])}")
    print(f"requests made          {stats['requests']} (client) / {server_stats['requests']} (server); "
          f"retries {stats.get('retries', 0)}")
    print(f"HTTP 429 received      {too_many}")
    log = server_stats["log"]
    span = log[-1][0] - log[0][0]
    print(f"wall time              {wall:.1f} s (first to last request {span:.1f} s; the rest is parsing "
          f"the last batches, writing the snapshot and start-up)")
    print(f"rate-limit floor       {floor:.1f} s ({minimum} requests at {RATE}/s)")
    print(f"wall time / floor      {wall / floor:.3f}  (target <= 1.15)")
    if peer is not None:
        unique = len(set(peer["ids"]))
        print(f"peer (Bio.Entrez)      {len(peer['ids'])} records retrieved ({unique} unique) of {args.records}; "
              f"{peer['requests']} requests, {peer['429']} HTTP 429, wall time {peer['wall']:.1f} s"
              + (f"; stopped by {peer['error']}" if peer["error"] else ""))
    ok = exactly_once and too_many == 0 and wall / floor <= 1.15
    if args.timeline:
        log = server_stats["log"]
        for (t0, endpoint, status), (t1, _, _) in zip(log, log[1:] + [[log[-1][0], "", 0]]):
            print(f"  {endpoint:8s} {status}  +{t1 - t0:.3f} s to the next request")
    print("RESULT                 " + ("target met" if ok else "target NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
