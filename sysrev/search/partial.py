"""The on-disk state of a search run in progress, so an interrupted run resumes without losing or repeating.

While a search runs, ``<out>/.partial-<name>/`` holds

* ``state.json`` – the run's parameters, its plan (date slices and their counts), the batches finished and
  the gaps so far; rewritten atomically after every batch;
* ``records.jsonl`` – the records of finished batches, appended and flushed to disk batch by batch.

A crash can leave the last batch appended but not yet marked done, or a final line cut short; on resume the
cut line is dropped and that batch is fetched again, and only the first copy of every ``source_id`` is
kept, so the finished snapshot holds each record exactly once. The kept records are also held in memory
as JSON lines, ready to be written as the snapshot. When the snapshot is written, the partial folder is
removed.
"""

import json
import os
import shutil
from pathlib import Path

from sysrev.credentials import scrub, scrub_text
from sysrev.errors import SysrevError
from sysrev.fileio import atomic_write_json
from sysrev.search.snapshot import check_name, folder_name

STATE = "state.json"
RECORDS = "records.jsonl"


class PartialRun:
    """State of one unfinished run of search ``name`` writing into ``out_dir``."""

    def __init__(self, out_dir, name: str):
        try:
            check_name(name)  # refuse a bad name now, not after the whole search has been fetched
        except ValueError as exc:
            raise SysrevError(str(exc)) from None
        self.dir = Path(out_dir) / f".partial-{folder_name(name)}"
        self.name = name
        self.state: dict = {}
        self._ids: list[str] = []  # kept records, in the order fetched …
        self._lines: list[str] = []  # … and their records.jsonl lines
        self._seen: set[str] = set()

    @property
    def exists(self) -> bool:
        return (self.dir / STATE).is_file()

    def start(self, params: dict, *, resume: bool) -> bool:
        """Begin a run with ``params`` (what defines the search); return True when resuming saved state.

        Without ``resume``, an existing unfinished run is an error (its records would otherwise be thrown
        away silently); with ``resume``, its parameters must match.
        """
        if self.exists:
            saved = json.loads((self.dir / STATE).read_text(encoding="utf-8"))
            if not resume:
                raise SysrevError(f"an interrupted run of {self.name!r} is saved in {self.dir}; continue it "
                                  "with --resume, or delete that folder to start again")
            if saved.get("params") != params:
                raise SysrevError(f"cannot resume {self.name!r}: the saved run in {self.dir} was started with "
                                  f"different settings ({_diff(saved.get('params', {}), params)})")
            self.state = saved
            self._drop_cut_line()
            self._load_lines()
            return True
        self.state = {"params": params, "done": [], "gaps": []}
        return False

    def save(self) -> None:
        """Write the state (the first save creates the folder: a run that fails while planning leaves none)."""
        atomic_write_json(self.dir / STATE, scrub(self.state))

    def is_done(self, key: str) -> bool:
        return key in self.state["done"]

    def add_batch(self, key: str, records) -> None:
        """Append a finished batch's records (flushed to disk) and then mark the batch done."""
        self.add_lines(key, [(r.source_id, json.dumps(r.to_dict(), ensure_ascii=False) + "\n") for r in records])

    def add_lines(self, key: str, rows) -> None:
        """:meth:`add_batch` for records already serialised: ``rows`` of ``(source_id, records.jsonl line)``."""
        rows = [(scrub_text(source_id), scrub_text(line)) for source_id, line in rows]  # no credential on disk
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / RECORDS, "a", encoding="utf-8") as fh:
            fh.write("".join(line for _, line in rows))
            fh.flush()
            os.fsync(fh.fileno())
        for source_id, line in rows:
            self._keep(source_id, line)
        self.state["done"].append(key)
        self.save()

    def add_gap(self, gap: dict) -> None:
        self.state["gaps"].append(gap)
        self.save()

    @property
    def count(self) -> int:
        """Records kept so far."""
        return len(self._ids)

    def kept(self) -> tuple[list[str], list[str]]:
        """``(source_ids, records.jsonl lines)`` of the kept records, for the snapshot."""
        return list(self._ids), list(self._lines)

    def _keep(self, source_id: str, line: str) -> None:
        if source_id not in self._seen:
            self._seen.add(source_id)
            self._ids.append(source_id)
            self._lines.append(line)

    def _load_lines(self) -> None:
        path = self.dir / RECORDS
        if not path.is_file():
            return
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                self._keep(json.loads(line)["source_id"], line)

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def _drop_cut_line(self) -> None:
        path = self.dir / RECORDS
        if not path.is_file():
            return
        data = path.read_bytes()
        if data and not data.endswith(b"\n"):
            with open(path, "wb") as fh:
                fh.write(data[: data.rfind(b"\n") + 1])
                fh.flush()
                os.fsync(fh.fileno())


def _diff(saved: dict, new: dict) -> str:
    keys = sorted(k for k in set(saved) | set(new) if saved.get(k) != new.get(k))
    return "; ".join(f"{k}: saved {saved.get(k)!r}, now {new.get(k)!r}" for k in keys)
