"""Parse fetched PubMed batches off the fetching thread, and commit them to the partial run in order.

Biopython's Entrez parser costs about a millisecond per record, as much as the rate limit leaves between
two requests for a batch of a few hundred records. Parsing in worker processes while the next batch is
being fetched keeps a large search at the speed the rate limit allows. Batches are committed (appended to
the partial run and marked done) in the order they were fetched; a batch whose body passed the transport's
well-formedness check but still cannot be parsed becomes a gap.
"""

import json
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor

from sysrev.search.pubmed_xml import PubmedXMLError, records_from_xml

# Below this many batches, starting worker processes costs more than it saves.
MIN_BATCHES_FOR_WORKERS = 8


def parse_batch(data: bytes) -> list[tuple[str, str]]:
    """A batch's records as ``(source_id, records.jsonl line)``: serialised where they are parsed, so only
    text crosses between processes."""
    return [(r.source_id, json.dumps(r.to_dict(), ensure_ascii=False) + "\n") for r in records_from_xml(data)]


def default_workers(n_batches: int) -> int:
    """Worker processes for ``n_batches``: none for small runs, else up to two (leave a core for fetching)."""
    if n_batches < MIN_BATCHES_FOR_WORKERS:
        return 0
    return max(2, min(4, (os.cpu_count() or 1) + 1))


class BatchSink:
    """Receives raw batches; parses them (in worker processes when ``workers``) and commits them in order."""

    def __init__(self, partial, progress, workers: int = 0):
        self.partial, self.progress = partial, progress
        self.pool = None
        if workers:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
        self.pending = deque()

    def submit(self, key: str, data: bytes, gap: dict, expected: int) -> None:
        """Queue batch ``key`` of ``expected`` records; ``gap`` describes it in the manifest should it fail
        to parse or come back short."""
        if self.pool is not None:
            future = self.pool.submit(parse_batch, data)
        else:
            future = Future()
            try:
                future.set_result(parse_batch(data))
            except PubmedXMLError as exc:
                future.set_exception(exc)
        self.pending.append((key, future, gap, expected))
        self._commit(wait=False)

    def close(self, commit=True) -> None:
        """Commit every queued batch (unless ``commit`` is False, e.g. after an interruption) and stop."""
        try:
            if commit:
                self._commit(wait=True)
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)

    def _commit(self, wait: bool) -> None:
        while self.pending and (wait or self.pending[0][1].done()):
            key, future, gap, expected = self.pending.popleft()
            try:
                rows = future.result()
            except PubmedXMLError as exc:
                self.partial.add_gap({**gap, "kind": "unparsable", "detail": str(exc)})
                continue
            if len(rows) < expected:
                self.partial.add_gap({**gap, "kind": "short_batch", "detail": f"EFetch returned {len(rows)} "
                                      f"of the {expected} records asked for; the rest were not delivered"})
            self.partial.add_lines(key, rows)
            self.progress.advance(len(rows))
