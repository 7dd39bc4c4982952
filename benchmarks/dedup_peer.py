"""Run the peer tool bib-dedupe (PyPI ``bib-dedupe``) on a CSV, in its own virtualenv, for the dedup benchmarks.

bib-dedupe is never a dependency of sysrev: it is installed apart (``python3 -m venv /work/peers/bibdedupe &&
/work/peers/bibdedupe/bin/pip install bib-dedupe``) and run as a subprocess, found through the environment
variable ``SYSREV_BIBDEDUPE_PYTHON`` or that default path.

Two roles in one file:

* ``python dedup_peer.py IN.csv`` (run by the *peer's* interpreter): deduplicate ``IN.csv`` (bib-dedupe's
  columns: ID, ENTRYTYPE, title, author, year, journal, booktitle, volume, number, pages, doi, abstract) and
  print JSON ``{"clusters": [[id, …], …], "seconds": s, "peak_rss_mb": m}``.
* :func:`run_peer` (imported by the benchmarks, sysrev's interpreter): write the CSV, start the subprocess,
  return its clusters, wall time and peak memory, or ``None`` when the peer is not installed.
"""

import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_PEER_PYTHON = "/work/peers/bibdedupe/bin/python"
PEER_COLUMNS = ["ID", "ENTRYTYPE", "title", "author", "year", "journal", "booktitle", "volume", "number", "pages",
                "doi", "abstract"]


def peer_python() -> str | None:
    """The peer's interpreter, or None when bib-dedupe is not installed there."""
    path = os.environ.get("SYSREV_BIBDEDUPE_PYTHON", DEFAULT_PEER_PYTHON)
    return path if Path(path).is_file() else None


def write_peer_csv(path, records, ids) -> None:
    """Write sysrev Records in bib-dedupe's column layout (authors joined by " and ")."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=PEER_COLUMNS)
        writer.writeheader()
        for rid, r in zip(ids, records):
            entry_type = str((r.extra or {}).get("ENTRYTYPE") or "article")
            writer.writerow({"ID": rid, "ENTRYTYPE": entry_type, "title": r.title,
                             "author": " and ".join(r.authors), "year": r.year or "",
                             "journal": r.journal if entry_type == "article" else "",
                             "booktitle": (r.extra or {}).get("booktitle", "") or (
                                 r.journal if entry_type != "article" else ""),
                             "volume": r.volume, "number": r.issue, "pages": r.pages, "doi": r.doi,
                             "abstract": r.abstract})


def run_peer(csv_path, timeout=1800) -> dict | None:
    """Run bib-dedupe on ``csv_path`` in a subprocess; its result dict, or None when not installed."""
    python = peer_python()
    if python is None:
        return None
    started = time.perf_counter()
    proc = subprocess.run([python, __file__, str(csv_path)], capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1], "seconds": wall}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    return result


def _main(path: str) -> None:
    import pandas as pd
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    started = time.perf_counter()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    matched = match(block(prep(df, verbosity_level=0), verbosity_level=0), verbosity_level=0)
    clusters = cluster(matched, verbosity_level=0)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"clusters": [sorted(map(str, c)) for c in clusters], "seconds": seconds,
                      "peak_rss_mb": max(peak, children)}))


if __name__ == "__main__":
    _main(sys.argv[1])
