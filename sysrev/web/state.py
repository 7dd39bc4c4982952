"""What the pages read: the project's screening state for one reviewer, kept fast between requests.

The deduplicated records (thousands of lines of JSON) are read once and kept until ``records.jsonl``
changes. The screening state is rebuilt only when a decision log, ``review.toml`` or the records changed
(checked with a few ``stat`` calls per request), and then only the logs that changed are read again (each
log's rows are kept with its inode, size and modification time), so a decision written from the terminal
shows on the next page at once while an unchanged project costs next to nothing. Nothing here writes: pages
write through the stage functions the CLI uses.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from sysrev.dedup import load_records
from sysrev.project import load_toml
from sysrev.screening.log import parse_timestamp, read_log, read_log_text
from sysrev.screening.state import load_screening

# Gaps between two decisions longer than this are breaks, not screening time.
_BREAK_SECONDS = 600


class RecordCache:
    """The project's records, re-read only when ``records/records.jsonl`` changes (size or mtime)."""

    def __init__(self, project):
        self.project = project
        self._key = None
        self._records = None
        self._by_id = None
        self._screening = None
        self._screening_key = None
        self._config_key = None
        self._logs = LogCache()
        self._queues = {}  # (stage, reviewer) -> Queue of the current screening state
        self._stopping = {}  # reviewer -> StoppingStatus at title/abstract, of the current screening state
        self._lock = threading.Lock()

    def records(self) -> list[dict]:
        path = Path(self.project.records_dir) / "records.jsonl"
        stat = path.stat() if path.exists() else None
        key = (stat.st_mtime_ns, stat.st_size) if stat else None
        with self._lock:
            if self._records is None or key != self._key:
                self._records = load_records(self.project)
                self._by_id = {r["record_id"]: r for r in self._records}
                self._key = key
            return self._records

    def record(self, record_id: str) -> dict:
        """One record by its ID (the records are read first if they changed)."""
        self.records()
        return self._by_id[record_id]

    def config(self) -> dict:
        """``review.toml`` as it is now, also kept on the project: read again (and checked) when the file changed
        since the last request, so that a reviewer added or removed, or new exclusion reasons, count at once (in
        the access check too), as they do in the terminal. A file that cannot be read is refused until fixed."""
        from sysrev.config_schema import ensure_valid

        path = Path(self.project.config_path)
        signature = _files_signature(path)
        with self._lock:
            if signature == self._config_key:
                return self.project.config
        config = load_toml(path)
        ensure_valid("review.toml", path, config)
        with self._lock:
            self.project.config, self._config_key = config, signature
        return config

    def screening(self):
        """The screening state, re-read when a decision log, review.toml or the records changed since the last
        request (a decision from the terminal shows at once; an unchanged project costs a few stat calls)."""
        self.config()
        records = self.records()
        signature = (self._key, _files_signature(Path(self.project.screening_dir)),
                     _files_signature(Path(self.project.config_path)))
        with self._lock:
            if self._screening is not None and self._screening_key == signature:
                return self._screening
            if self._screening_key is None or self._screening_key[::2] != signature[::2]:
                self._logs.clear()  # other records or settings: every row is checked again
        screening = load_screening(self.project, records=records, read=self._logs.read)
        with self._lock:
            self._screening, self._screening_key = screening, signature
            self._queues, self._stopping = {}, {}
        return screening

    def queue(self, screening, stage: str, reviewer: str) -> Queue:
        """:func:`reviewer_queue`, kept while ``screening`` is the current state (the page that fetched the next
        record ahead and the decision posted after it share one). Read-only: callers never change it."""
        with self._lock:
            held = self._queues.get((stage, reviewer)) if screening is self._screening else None
        if held is not None:
            return held
        queue = reviewer_queue(screening, stage, reviewer)
        with self._lock:
            if screening is self._screening:
                self._queues[(stage, reviewer)] = queue
        return queue

    def stopping(self, screening, reviewer: str):
        """``reviewer``'s :class:`~sysrev.screening.stopping.StoppingStatus` at title/abstract (as `sysrev screen
        status` computes it), kept while ``screening`` is the current state: it reads the reviewer's log again,
        which a dashboard reload at 12,000 decisions would otherwise pay each time."""
        from sysrev.screening.prioritisation import reviewer_stopping

        with self._lock:
            held = self._stopping.get(reviewer) if screening is self._screening else None
        if held is not None:
            return held
        status = reviewer_stopping(self.project, screening, reviewer, "title_abstract")
        with self._lock:
            if screening is self._screening:
                self._stopping[reviewer] = status
        return status


class LogCache:
    """:func:`read_log` with each file's rows kept until the file changes (inode, size, modification time):
    after a decision only the log it went to is read again, and of that log only the rows appended since the
    last read (decision logs are append-only), so the cost of a decision does not grow with the log. A log
    that shrank, was replaced, or does not end with a whole row is read in full. Valid for one set of records
    and settings (the owner clears it when either changes)."""

    def __init__(self):
        self._held = {}  # path -> _Held
        self._lock = threading.Lock()

    def read(self, path, *, stage, config, known_ids, gone_ids=frozenset()):
        path = Path(path)
        stat = path.stat()
        key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            held = self._held.get(path)
        if held is not None and held.key == key:
            return held.decisions, held.problems
        checks = {"stage": stage, "config": config, "known_ids": known_ids, "gone_ids": gone_ids}
        fresh = None
        if held is not None and held.header and held.key[0] == key[0] and key[1] > held.consumed:
            fresh = _read_tail(path, held, key, checks)
        if fresh is None:
            fresh = _read_whole(path, key, checks)
        with self._lock:
            self._held[path] = fresh
        return fresh.decisions, fresh.problems

    def clear(self):
        with self._lock:
            self._held.clear()


@dataclass
class _Held:
    """One log as last read: its stat key, the bytes read (whole rows), its header line and the rows."""

    key: tuple
    consumed: int
    lines: int
    header: str
    decisions: list
    problems: list


def _read_whole(path: Path, key: tuple, checks: dict) -> _Held:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _Held(key, len(data), 0, "", *read_log(path, **checks))  # read_log says where
    decisions, problems = read_log_text(path, text, **checks)
    whole_rows = text.endswith("\n") and not any(p.line == 1 for p in problems)
    header = text[:text.index("\n") + 1] if whole_rows else ""  # "": the next change reads it all again
    return _Held(key, len(data), data.count(b"\n"), header, decisions, problems)


def _read_tail(path: Path, held: _Held, key: tuple, checks: dict) -> _Held | None:
    """``held`` with the rows appended since, or None when they are not whole rows of UTF-8 text."""
    with open(path, "rb") as fh:
        fh.seek(held.consumed)
        tail = fh.read()
    if not tail.endswith(b"\n"):
        return None
    try:
        text = tail.decode("utf-8")
    except UnicodeDecodeError:
        return None
    decisions, problems = read_log_text(path, held.header + text, line_offset=held.lines - 1, **checks)
    problems = [p for p in problems if p.line is not None]  # file-level problems are held already
    return _Held(key, held.consumed + len(tail), held.lines + tail.count(b"\n"), held.header,
                 held.decisions + decisions, held.problems + problems)


def _files_signature(path: Path) -> tuple:
    """(name, inode, size, mtime) of ``path`` or of every CSV file below it: changes whenever one is written.
    Walked with ``os.scandir``, cheaper than ``rglob``: this runs on every request."""
    if path.is_file():
        stat = path.stat()
        return ((str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns),)
    found = []
    folders = [path]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir():
                folders.append(entry.path)
            elif entry.name.endswith(".csv"):
                stat = entry.stat()
                found.append((entry.path, stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


@dataclass
class Queue:
    """One reviewer's work at one stage: decided records (in the order first decided) and those still to do."""

    stage: str
    reviewer: str
    history: list[str]
    todo: list[str]
    mine: dict  # record_id -> Decision (this reviewer's latest)
    seconds_per_record: float | None

    @property
    def total(self) -> int:
        return len(self.history) + len(self.todo)

    @property
    def left(self) -> int:
        return len(self.todo)


def reviewer_queue(screening, stage: str, reviewer: str) -> Queue:
    """``reviewer``'s queue at ``stage``, built only from that reviewer's own log (screening is blind)."""
    state = screening.stages[stage]
    eligible = set(state.eligible)
    mine = {rid: d for rid, d in state.latest.get(reviewer, {}).items() if rid in eligible}
    # In the order first decided (the log's order of first rows, which the dict keeps): a changed mind keeps
    # its place, so going back and on through one's decisions, and "record n of N", stay put.
    history = list(mine)
    todo = [rid for rid in state.eligible if rid not in mine]
    return Queue(stage, reviewer, history, todo, mine, _pace(sorted(mine.values(), key=lambda d: d.line or 0)))


def _pace(decisions) -> float | None:
    """Mean seconds between consecutive decisions, breaks left out; None before two decisions."""
    times = []
    for decision in decisions:
        try:
            times.append(parse_timestamp(decision.timestamp).timestamp())
        except ValueError:
            continue
    gaps = [b - a for a, b in zip(times, times[1:]) if 0 < b - a < _BREAK_SECONDS]
    return sum(gaps) / len(gaps) if gaps else None


def visible_conflicts(screening, stage: str, reviewer: str) -> list[str]:
    """Conflicts ``reviewer`` may see: those on records they decided themselves. A reviewer who has yet to
    screen a record never sees another's decision on it (blinding, enforced here, not in the page)."""
    state = screening.stages[stage]
    own = state.latest.get(reviewer, {})
    return [rid for rid in state.conflicts() if rid in own]


class Orders:
    """The order each reviewer's records are shown in, per stage, kept between requests (the relevance model
    retrains in the background after each decision, as in the terminal screen). Each reviewer's model sees
    only that reviewer's decisions. Also remembers the rank and model each record was shown with, so the
    decision row records them — taken from the server, never from the page."""

    def __init__(self):
        self._orders = {}
        self._shown = {}
        self._lock = threading.Lock()

    def next(self, screening, queue: Queue, order: str, candidates: list[str], *, ahead_of: str | None = None) -> str:
        """The record to show next among ``candidates`` (the reviewer's undecided records, skips left out).

        ``ahead_of``: the record the reviewer is reading, when the next one is chosen before it is decided
        (the page fetches it ahead). It counts as decided for the rank, and the model must have learnt from
        every decision made so far, so the record shown after the decision is the one the terminal would show
        then (there the model may be one decision behind)."""
        from sysrev.screening.ordering import RecordOrder

        key = (queue.reviewer, queue.stage, order)
        eligible = screening.stages[queue.stage].eligible
        mine = {rid: d.decision for rid, d in queue.mine.items()}
        signature = tuple(eligible)  # the whole list: a record replaced in the middle needs a new order
        with self._lock:
            held = self._orders.get(key)
            if held is None or held[0] != signature:
                held = (signature, RecordOrder(order, eligible, {r["record_id"]: r for r in screening.records}, mine))
                self._orders[key] = held
        undecided = [rid for rid in queue.todo if rid != ahead_of]
        record_id, rank, model = held[1].next(candidates, undecided, lag=0 if ahead_of else 1)
        with self._lock:
            self._shown[(queue.reviewer, queue.stage, record_id)] = (rank, model)
        return record_id

    def decided(self, queue: Queue, record_id: str, decision: str) -> tuple[str, str]:
        """Tell every order of this reviewer and stage about a decision; return the (rank, model) the record
        was shown with (empty when it was opened directly, e.g. going back)."""
        mine = {rid: d.decision for rid, d in queue.mine.items()}
        mine[record_id] = decision
        with self._lock:
            shown = self._shown.pop((queue.reviewer, queue.stage, record_id), ("", ""))
            orders = [held[1] for key, held in self._orders.items() if key[:2] == (queue.reviewer, queue.stage)]
        for order in orders:
            order.update(mine)
        return shown
