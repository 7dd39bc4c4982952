"""Benchmark: how fast `sysrev import` reads large exports, side by side with the parsers it builds on.

A search exported from Scopus or PubMed can hold tens of thousands of records. This reads RIS and MEDLINE
(`.nbib`) files of ``--records`` records, made by repeating a real export from ../shared/fixtures/formats
(asreview_demo_data/_baseline.ris, 100 records; nbib/pubmed-balloongui-set.nbib, 75 records) or, without the
shared fixtures, a small synthetic record (the table says which). Rows, each measured in this run on the same
file:

* sysrev: ``sysrev.formats.load_references`` — decoding, format detection, tag parsing, field mapping and
  normalisation (authors, DOI, PMID, pages, markup), the checks for cut-off files: what ``sysrev import`` does
  before writing the snapshot;
* the peer: the bare tag parser sysrev uses inside (rispy for RIS, Biopython's ``Bio.Medline`` for MEDLINE),
  which splits records into tags and does nothing else. The ratio says what sysrev's mapping and checks cost
  over parsing alone; it is not a race between equals.

Printed per row: records, CPU seconds, records per CPU second, and the peak memory of that step (tracemalloc,
measured in a second pass so that the timing runs without it).

    .venv/bin/python benchmarks/import_speed.py [--records 20000]
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import shared_fixtures_dir  # noqa: E402

from sysrev.formats import load_references  # noqa: E402

SYNTHETIC = {
    "ris": "TY  - JOUR\nTI  - Ultrasound-guided injection for low back pain: a trial {i}\nAU  - Smith, John\n"
           "AU  - Doe, Jane\nPY  - 2021\nJO  - Pain Medicine\nVL  - 22\nIS  - 3\nSP  - 575\nEP  - 586\n"
           "DO  - 10.1093/pm/pnab{i}\nAB  - Background. Injections guided by ultrasound were compared with "
           "fluoroscopy in 120 adults.\nER  - \n\n",
    "nbib": "PMID- {pmid}\nTI  - Ultrasound-guided injection for low back pain: a trial {i}.\nFAU - Smith, John\n"
            "AU  - Smith J\nDP  - 2021 Mar\nJT  - Pain medicine\nVI  - 22\nIP  - 3\nPG  - 575-86\n"
            "LID - 10.1093/pm/pnab{i} [doi]\nAB  - Background. Injections guided by ultrasound were compared "
            "with fluoroscopy in 120 adults.\n\n",
}
REAL = {"ris": ("asreview_demo_data", "_baseline.ris"), "nbib": ("nbib", "pubmed-balloongui-set.nbib")}


def export_text(kind: str, records: int) -> tuple[str, int, str]:
    """(text, records in it, where it came from): a real export repeated, or synthetic records."""
    path = shared_fixtures_dir() / "formats" / REAL[kind][0] / REAL[kind][1]
    if path.is_file():
        text = path.read_text(encoding="utf-8-sig").rstrip("\n") + "\n\n"
        per_copy = len(load_references(path).records)
        copies = -(-records // per_copy)
        return text * copies, per_copy * copies, f"{path.name} ({per_copy} records) × {copies}"
    return ("".join(SYNTHETIC[kind].format(i=i, pmid=10_000_000 + i) for i in range(records)), records,
            "synthetic records (shared fixtures not found)")


def sysrev_read(path: Path) -> int:
    """Records ``sysrev import`` reads from ``path``."""
    return len(load_references(path).records)


def peer_parse(kind: str, path: Path) -> int:
    """Records found by the bare tag parser sysrev uses for ``kind``."""
    with path.open(encoding="utf-8") as handle:
        if kind == "ris":
            import rispy

            return len(rispy.load(handle))
        from Bio import Medline

        return len(list(Medline.parse(handle)))  # kept, as sysrev keeps its records


def measure(function, *args) -> tuple[int, float, float]:
    """(records, CPU seconds, peak MB) of ``function(*args)``: timed once, then run again under tracemalloc
    for the memory."""
    cpu = time.process_time()
    n = function(*args)
    seconds = time.process_time() - cpu
    tracemalloc.start()
    function(*args)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return n, seconds, peak


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=20_000, help="records per file (rounded up to whole copies)")
    args = parser.parse_args(argv)
    print("| format | file | reader | records | CPU s | records / CPU s | peak MB | CPU time vs peer |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("ris", "nbib"):
            text, expected, origin = export_text(kind, args.records)
            path = Path(tmp) / f"export.{kind}"
            path.write_text(text, encoding="utf-8")
            ours = measure(sysrev_read, path)
            peer = measure(peer_parse, kind, path)
            if ours[0] != expected or peer[0] != expected:
                sys.exit(f"{kind}: sysrev read {ours[0]} records and the peer {peer[0]}, expected {expected}")
            peer_name = "rispy (tags only)" if kind == "ris" else "Bio.Medline (tags only)"
            for name, (n, seconds, peak) in (("sysrev", ours), (peer_name, peer)):
                ratio = f"{seconds / peer[1]:.1f}×" if name == "sysrev" else "1×"
                print(f"| {kind} | {origin} | {name} | {n} | {seconds:.2f} | {n / seconds:,.0f} | {peak:,.0f} | "
                      f"{ratio} |")


if __name__ == "__main__":
    main()
