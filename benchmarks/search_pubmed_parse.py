"""Benchmark: PubMed EFetch XML parsed in process (records/s, MB/s), against the worker-process design it replaced.

Issue 17, item 6 moved the parsing of fetched batches from worker processes (which outlived a killed search)
to one thread of the search process. This measures what that costs, on batches of ``--batch-size`` real
records: the 163 recorded PubMed articles of ../shared/fixtures/eutils/metapub_pmid_xml (27.8 KB each on
average, three quarters of it reference lists), repeated to ``--records``; without the shared fixtures,
synthetic full articles (tests/search/search_fake_servers.py) are used and the table says so.

Rows, each measured in this run on the same batches:

* in process, as sysrev parses now (elements no record field takes are passed over);
* in process, every element built (Biopython's full parse: sysrev's parser before this benchmark);
* the old design: the full parse in a pool of worker processes (forkserver, max(2, min(4, cores + 1))
  workers, as sysrev had it before item 6), records serialised in the workers.

Printed per row: records/s and MB/s (wall clock), and the ratio of records/s to what the rate limit lets
EFetch deliver: NCBI allows 3 requests/s without an API key and 10 with one, i.e. 1,500 or 5,000 records/s
in batches of 500 (a ratio below 1: parsing, not the rate limit, sets the pace). Wall time on a shared
machine includes waiting for a core, so the CPU seconds and records per CPU second of the in-process rows
are printed too.

    nice -n 10 .venv/bin/python benchmarks/search_pubmed_parse.py [--records 20000] [--batch-size 500]
"""

import argparse
import multiprocessing
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "search"))
sys.path.insert(0, str(HERE.parent / "tests"))

from search_fake_servers import SyntheticPubmed  # noqa: E402

from sysrev.search import pubmed_xml  # noqa: E402
from sysrev.search.batches import parse_batch  # noqa: E402

PROLOG = (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
          b'2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n')
ARTICLE = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.S)


def recorded_articles() -> tuple[list[bytes], str]:
    """The recorded articles, or synthetic ones when the shared fixtures are absent."""
    from conftest import shared_fixtures_dir

    folder = shared_fixtures_dir() / "eutils" / "metapub_pmid_xml"
    articles = [a for path in sorted(folder.glob("*.xml")) for a in ARTICLE.findall(path.read_bytes())]
    if articles:
        return articles, f"{len(articles)} recorded PubMed articles ({folder})"
    synthetic = SyntheticPubmed(1000)
    return ([synthetic.article(pmid).encode() for pmid, _, _ in synthetic.records],
            "synthetic articles (shared fixtures not found)")


def batches(articles, records, batch_size) -> list[bytes]:
    out = []
    for first in range(0, records, batch_size):
        body = b"\n".join(articles[i % len(articles)] for i in range(first, min(records, first + batch_size)))
        out.append(PROLOG + body + b"\n</PubmedArticleSet>\n")
    return out


def full_parse(data: bytes):
    """Biopython's full parse (nothing passed over), serialised like parse_batch: the old workers' job."""
    pubmed_xml._UNREAD = frozenset()
    return parse_batch(data)


def in_process(documents, function):
    wall, cpu = time.perf_counter(), time.process_time()
    n = sum(len(function(data)) for data in documents)
    return n, time.perf_counter() - wall, time.process_time() - cpu


def worker_processes(documents):
    workers = max(2, min(4, (os.cpu_count() or 1) + 1))
    context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                          else "spawn")
    wall = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        n = sum(len(rows) for rows in pool.map(full_parse, documents))
    return n, time.perf_counter() - wall, workers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()
    articles, source = recorded_articles()
    documents = batches(articles, args.records, args.batch_size)
    megabytes = sum(map(len, documents)) / 1e6
    print(f"{args.records:,} records in {len(documents)} batches of {args.batch_size}, {megabytes:.1f} MB; "
          f"{source}; {os.cpu_count()} cores")
    parse_batch(documents[0])  # read the DTD once, as a search does before its first batch
    print(f"{'design':44s} {'records/s':>10s} {'MB/s':>7s} {'wall s':>7s} {'CPU s':>7s} {'rec/CPU s':>10s} "
          f"{'× 1,500/s':>10s} {'× 5,000/s':>10s}")

    def row(name, n, wall, cpu=None):
        rate = n / wall
        cpu_text, cpu_rate = ("-", "-") if cpu is None else (f"{cpu:.1f}", f"{n / cpu:,.0f}")
        print(f"{name:44s} {rate:10,.0f} {megabytes / wall:7.1f} {wall:7.1f} {cpu_text:>7s} {cpu_rate:>10s} "
              f"{rate / 1500:10.2f} {rate / 5000:10.2f}", flush=True)

    row("in process, unread elements passed over", *in_process(documents, parse_batch))
    saved = pubmed_xml._UNREAD
    pubmed_xml._UNREAD = frozenset()
    row("in process, every element built", *in_process(documents, parse_batch))
    pubmed_xml._UNREAD = saved
    n, wall, workers = worker_processes(documents)
    row(f"old design: {workers} worker processes, every element", n, wall)


if __name__ == "__main__":
    main()
