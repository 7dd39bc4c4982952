"""Mutation fuzzing of ``sysrev import``, shared by the test (a few hundred cases per format) and by
benchmarks/reliability_fuzz.py (thousands).

A case is a small valid export of one format (the project's own fixtures) changed by a few seeded
mutations: bytes flipped, a span cut out or repeated, the file cut short, hostile text spliced in (a
DOCTYPE with entities, an unclosed brace or quote, a NUL, a huge line, an odd encoding declaration).
``sysrev import`` must then either succeed with a complete snapshot (manifest and records agree) or stop with
exit code 2 and an ``error:`` line, leaving no snapshot and no hidden leftover; never a traceback, and never
longer than the case's time limit.
"""

import random
import shutil
import signal
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.search.snapshot import list_snapshots, read_snapshot

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = {
    "ris": FIXTURES / "formats" / "bom_crlf_multiline.ris",
    "nbib": FIXTURES / "formats" / "pubmed_small.nbib",
    "bibtex": FIXTURES / "formats" / "small.bib",
    "endnote_xml": FIXTURES / "formats" / "endnote_small.xml",
    "pubmed_xml": FIXTURES / "search" / "pubmed_article_and_book.xml",
    "ictrp_xml": FIXTURES / "formats" / "ictrp_layout.xml",
    "xls": FIXTURES / "formats" / "wos_excel_layout.xls",
    "proquest_text": FIXTURES / "formats" / "proquest_layout.txt",
    "ovid_display": FIXTURES / "formats" / "complete" / "three_ovid.txt",
    "ctgov_json": FIXTURES / "formats" / "complete" / "three_ctgov.json",
    "wos": FIXTURES / "formats" / "wos_small.txt",
    "endnote_tagged": FIXTURES / "formats" / "refer.enw",
    "csl_json": FIXTURES / "formats" / "zotero_csl.json",
    "openalex_json": FIXTURES / "formats" / "complete" / "three_openalex.json",
    "cochrane_text": FIXTURES / "formats" / "cochrane_layout.txt",
    "csv": FIXTURES / "formats" / "zotero.csv",
}
SPLICES = [
    b'<!DOCTYPE x [<!ENTITY e "INJECTED">]>', b"&e;", b"<!--" + b"-" * 300 + b"-->", b"{", b"}", b'"', b"\x00",
    b"\xff\xfe", b"@article{", b"ER  - \n", b"TY  - JOUR\n", b"PMID- 1\n", b",,,,,,,,,,,,,,,,,,,,,,,,\n",
    b'<?xml version="1.0" encoding="Shift_JIS"?>', b'<?xml version="1.0" encoding="x-nope"?>', b"\r", b"\t",
    b"=1+1", b"\xe2\x80\xa8", b"A" * 5000, b"\n" * 50, b"]]>", b"<![CDATA[", b"%0 Journal Article\n",
    # digits that str.isdigit() accepts but int() refuses (superscript two) or reads unlike ASCII (Arabic-Indic
    # three, fullwidth one), spliced where a page, issue or year may be
    "²".encode(), "٣".encode(), "１".encode(), "12²".encode(),
]


@dataclass
class Outcome:
    fmt: str
    case: int
    kind: str  # "ok", "error", or what went wrong
    detail: str = ""


def mutate(data: bytes, rng: random.Random) -> bytes:
    """``data`` changed by one to four random mutations."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        at = rng.randrange(len(out) + 1)
        if kind == 0 and out:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif kind == 1:  # cut a span out
            del out[at:at + rng.randint(1, 200)]
        elif kind == 2:  # repeat a span
            out[at:at] = out[at:at + rng.randint(1, 400)] * rng.randint(2, 20)
        elif kind == 3:  # cut the file short
            del out[at:]
        else:  # splice hostile text in
            out[at:at] = rng.choice(SPLICES)
    return bytes(out)


class CaseTimeout(Exception):
    """A case ran past its time limit."""


@contextmanager
def time_limit(seconds: float):
    """Raise :class:`CaseTimeout` in the main thread after ``seconds`` (SIGALRM; POSIX)."""
    def expired(signum, frame):
        raise CaseTimeout(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_case(fmt: str, data: bytes, folder: Path, case: int, limit: float) -> Outcome:
    """Import ``data`` as a file of format ``fmt`` (detection left to sysrev) and judge the outcome."""
    source = folder / f"{fmt}-{case}{SEEDS[fmt].suffix}"
    source.write_bytes(data)
    runs = folder / f"runs-{fmt}-{case}"
    try:
        return _judge(fmt, case, source, runs, limit)
    finally:
        source.unlink(missing_ok=True)
        shutil.rmtree(runs, ignore_errors=True)


def _judge(fmt: str, case: int, source: Path, runs: Path, limit: float) -> Outcome:
    try:
        with time_limit(limit):
            result = CliRunner().invoke(cli, ["import", str(source), "--out", str(runs)])
    except CaseTimeout as exc:
        return Outcome(fmt, case, "timeout", str(exc))
    leftovers = [p.name for p in runs.iterdir() if p.name.startswith(".tmp-")] if runs.is_dir() else []
    snapshots = list_snapshots(runs)
    if leftovers:
        return Outcome(fmt, case, "partial snapshot left", ", ".join(leftovers))
    if result.exit_code == 0:
        if len(snapshots) != 1:
            return Outcome(fmt, case, "exit 0 without one snapshot", str(snapshots))
        try:
            read_snapshot(snapshots[0])
        except Exception as exc:  # an unreadable snapshot is as bad as a crash
            return Outcome(fmt, case, "unreadable snapshot", f"{type(exc).__name__}: {exc}")
        return Outcome(fmt, case, "ok")
    if result.exit_code == 2 and "error:" in result.output and result.exception is None or (
            result.exit_code == 2 and isinstance(result.exception, SystemExit) and "error:" in result.output):
        if snapshots:
            return Outcome(fmt, case, "error but a snapshot was written", str(snapshots))
        return Outcome(fmt, case, "error")
    detail = "".join(traceback.format_exception(result.exception)) if result.exception else result.output
    return Outcome(fmt, case, f"exit {result.exit_code}", detail[-3000:])


def fuzz(fmt: str, cases: int, folder: Path, *, seed: int = 17, limit: float = 10.0, first: int = 0):
    """Yield the outcome of ``cases`` mutated imports of format ``fmt``, reproducibly for one ``seed``."""
    original = SEEDS[fmt].read_bytes()
    rng = random.Random(f"{seed}-{fmt}")
    for case in range(first + cases):
        data = mutate(original, rng)
        if case >= first:
            yield run_case(fmt, data, folder, case, limit)
