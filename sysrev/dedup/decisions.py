"""The two plain files of human review: the decisions a reviewer made, and the queue of uncertain pairs.

``records/dedup_decisions.csv`` (``record_a,record_b,decision,reviewer,timestamp,note``) is append-only and
lives in git with the review; later runs of ``sysrev dedup`` honour it. ``record_a``/``record_b`` name
source records as ``database:source_id``, which survive refreshes. ``decision`` is ``same``, ``different`` or
``related``; when a pair is decided twice, the later row counts (a reviewer changes their mind by adding a
row, so the history stays visible).

``records/dedup_queue.csv`` (``record_a,record_b,reason,score,title_a,title_b``) is rewritten by every run:
the pairs the rules could not decide, strongest first, excluding pairs already decided.
"""

import codecs
import csv
import io
from pathlib import Path

from sysrev.errors import InputError
from sysrev.fileio import atomic_write_text, spreadsheet_safe
from sysrev.locking import lock_for_path
from sysrev.wording import named

DECISIONS_HEADER = ["record_a", "record_b", "decision", "reviewer", "timestamp", "note"]
QUEUE_HEADER = ["record_a", "record_b", "reason", "score", "title_a", "title_b"]
DECISION_VALUES = ("same", "different", "related")


def read_decisions(path) -> dict:
    """``{frozenset({label_a, label_b}): decision}`` from a decisions file; ``{}`` when it does not exist."""
    path = Path(path)
    if not path.is_file():
        return {}
    rows = _read_csv(path, DECISIONS_HEADER[:3])
    decisions = {}
    for line, row in rows:
        a, b = (row.get("record_a") or "").strip(), (row.get("record_b") or "").strip()
        decision = (row.get("decision") or "").strip().lower()
        if not a or not b or a == b:
            raise InputError("record_a and record_b must name two different records", path=path, line=line)
        if decision not in DECISION_VALUES:
            raise InputError(f"decision must be one of {', '.join(DECISION_VALUES)}, not {decision!r}",
                             path=path, line=line, column="decision")
        decisions[frozenset((a, b))] = decision
    return decisions


def append_decisions(path, rows: list[dict]) -> None:
    """Add decision rows (dicts with the header's keys) to the file, creating it with a header if needed."""
    path = Path(path)
    with lock_for_path(path):  # read-modify-write: another process may append at the same time
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=DECISIONS_HEADER, lineterminator="\n")
        if not old:
            writer.writeheader()
        elif not old.endswith("\n"):
            buffer.write("\n")
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in DECISIONS_HEADER})
        atomic_write_text(path, old + buffer.getvalue())


def write_queue(path, rows: list[dict]) -> None:
    """Rewrite the queue of uncertain pairs."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=QUEUE_HEADER, lineterminator="\n")
    writer.writeheader()
    for row in rows:  # a file people open in spreadsheets: no cell may run as a formula
        writer.writerow({k: spreadsheet_safe(row.get(k, "")) for k in QUEUE_HEADER})
    atomic_write_text(path, buffer.getvalue())


def read_queue(path) -> list[dict]:
    """The queued pairs (dicts with the queue header's keys); ``[]`` when there is no queue file."""
    path = Path(path)
    if not path.is_file():
        return []
    return [row for _line, row in _read_csv(path, QUEUE_HEADER[:2])]


def _read_csv(path: Path, required: list) -> list:
    data = path.read_bytes()
    mark = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # Excel's "CSV UTF-8" writes one
    try:
        text = data[mark:].decode("utf-8")
    except UnicodeDecodeError as exc:  # counted in the file's own bytes, the mark included
        at = mark + exc.start
        raise InputError(f"not valid UTF-8 ({exc.reason} at byte {at}: 0x{data[at]:02x})", path=path,
                         line=data.count(b"\n", 0, at) + 1) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"missing {named('column', missing)}", path=path, line=1)
    return [(reader.line_num, row) for row in reader]
