"""Parse fetched PubMed batches off the fetching thread, and commit them to the partial run in order.

Biopython's Entrez parser costs about a millisecond per record, as much as the rate limit leaves between
two requests for a batch of a few hundred records. Parsing in a worker *thread* while the next batch is
being fetched (the fetch waits on the network and the rate limit, releasing the interpreter) overlaps the
two. Worker processes did that on more cores, but a search killed with SIGKILL left them, their forkserver
and resource tracker alive for hours, holding the terminal's stdout open (``sysrev search … | tee`` never
ended); a thread dies with its process. Batches are committed (appended to the partial run and marked done)
in the order they were fetched; a batch whose body passed the transport's well-formedness check but still
cannot be parsed becomes a gap.
"""

import json
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from sysrev.search.pubmed_xml import PubmedXMLError, records_from_xml

# Below this many batches, parsing on the fetching thread is as fast.
MIN_BATCHES_FOR_WORKERS = 8


def parse_batch(data: bytes) -> list[tuple[str, str]]:
    """A batch's records as ``(source_id, records.jsonl line)``, serialised where they are parsed."""
    return [(r.source_id, json.dumps(r.to_dict(), ensure_ascii=False) + "\n") for r in records_from_xml(data)]


def default_workers(n_batches: int) -> int:
    """Parsing threads for ``n_batches``: none for small runs, else one (the interpreter runs one parse at a
    time; the thread's gain is the overlap with fetching)."""
    return 0 if n_batches < MIN_BATCHES_FOR_WORKERS else 1


class BatchSink:
    """Receives raw batches; parses them (in a worker thread when ``workers``) and commits them in order."""

    def __init__(self, partial, progress, workers: int = 0):
        self.partial, self.progress = partial, progress
        self.pool = None
        if workers:
            self.pool = ThreadPoolExecutor(workers, thread_name_prefix="sysrev-parse")
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
