"""PubMed through NCBI's E-utilities: ESearch on the history server, EFetch in batches, nothing lost silently.

The E-utilities return at most 9,999 records per search. A search with more hits is split into date
slices (halving the publication- or entry-date window recursively until every slice fits), and the
counts of the two halves of every split are checked against their parent: if they do not add up, the
run says so in the manifest as a gap. Each slice is fetched in batches through its WebEnv/query_key; an
expired WebEnv re-runs that slice's ESearch, and a batch that still fails after every retry is written to
the manifest as a gap, which the next run fetches again.

Requests go through :class:`~sysrev.search.http.HttpClient` (one session, retries with back-off) and a
process-wide limiter of 3 requests/s, or 10/s with an API key.
"""

import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sysrev.errors import InputError, SysrevError
from sysrev.formats.safexml import UnsafeXMLRefused, parse_xml
from sysrev.search.batches import BatchSink, default_workers
from sysrev.search.config import SearchConfig, load_config
from sysrev.search.dates import EARLIEST, DateWindow, default_maxdate, eutils_date
from sysrev.search.defaults import DEFAULT_BATCH
from sysrev.search.http import BadBody, HttpClient, HttpError, client_for
from sysrev.search.partial import PartialRun
from sysrev.search.progress import Progress
from sysrev.search.pubmed_xml import (
    PubmedXMLError,
    UnsafeXMLError,
    check_well_formed,
    error_messages,
    has_articles,
)
from sysrev.search.snapshot import write_snapshot_lines

log = logging.getLogger("sysrev.search")

LIMIT = 9999  # the most records ESearch/EFetch give for one search
MAX_ESEARCH_RERUNS = 2  # per batch, for an expired WebEnv
FETCH_THREADS = 3  # EFetch requests in flight: an answer often takes longer than the gap between two starts
_EXPIRED = re.compile(r"(?i)unable to obtain query|webenv|query_key|query key|history")
POST_ABOVE = 1500  # characters of query beyond which ESearch is sent as a POST form


class WebEnvExpired(Exception):
    """EFetch answered that the WebEnv/query_key is unknown (history entries expire after some hours)."""


@dataclass
class ESearchResult:
    count: int
    webenv: str = ""
    query_key: str = ""
    translation: str = ""
    warnings: list = field(default_factory=list)


class EUtils:
    """The two E-utilities a search needs, with NCBI's etiquette (tool, email, api_key) and safe parsing."""

    def __init__(self, config: SearchConfig, http: HttpClient | None = None):
        self.config = config
        self.base = config.eutils_url.rstrip("/") + "/"
        rate = 10 if config.ncbi_api_key else 3
        self.http = http or client_for(config, "eutils", rate)

    def _params(self, **params) -> dict:
        params = {k: v for k, v in params.items() if v is not None}
        params["tool"] = self.config.ncbi_tool
        if self.config.ncbi_email:
            params["email"] = self.config.ncbi_email
        if self.config.ncbi_api_key:
            params["api_key"] = self.config.ncbi_api_key
        return params

    def esearch(self, term: str, window: DateWindow | None) -> ESearchResult:
        """Run ESearch with ``usehistory=y`` for ``term`` limited to ``window``; return count and WebEnv."""
        dates = {}
        if window is not None:
            dates = {"datetype": window.field, "mindate": eutils_date(window.mindate),
                     "maxdate": eutils_date(window.maxdate)}
        params = self._params(db="pubmed", term=term, usehistory="y", retmax=0, **dates)
        holder = {}

        def check(response):
            holder["result"] = _parse_esearch(response.content)

        self.http.get(self.base + "esearch.fcgi", params=params, check=check, post=len(term) > POST_ABOVE)
        return holder["result"]

    def efetch(self, result: ESearchResult, retstart: int, retmax: int) -> bytes:
        """Fetch one batch of records from a search's history entry; return the checked PubMed XML."""
        params = self._params(db="pubmed", WebEnv=result.webenv, query_key=result.query_key,
                              retstart=retstart, retmax=retmax, retmode="xml")
        response = self.http.get(self.base + "efetch.fcgi", params=params, check=_check_efetch)
        return response.content


def _parse_esearch(data: bytes) -> ESearchResult:
    try:
        root, _lines = parse_xml(data, path="ESearch answer", allow_external_dtd=True)
    except UnsafeXMLRefused as exc:
        raise SysrevError(f"ESearch answer refused: {exc}") from None
    except InputError as exc:
        raise BadBody(f"ESearch answer is not well-formed XML ({exc})") from None
    errors = [m for m in (_text(e) for e in root.iter("ERROR")) if m]
    if errors:
        raise BadBody(f"ESearch reported an error: {'; '.join(errors)}")
    if root.tag != "eSearchResult" or root.find("Count") is None:
        raise BadBody(f"not an ESearch result (root element <{root.tag}>)")
    warnings = []
    for group in ("ErrorList", "WarningList"):
        for node in root.findall(group):
            warnings += [f"{child.tag}: {_text(child)}" for child in node if _text(child)]
    return ESearchResult(
        count=int(_text(root.find("Count"))),
        webenv=_text(root.find("WebEnv")),
        query_key=_text(root.find("QueryKey")),
        translation=_text(root.find("QueryTranslation")),
        warnings=warnings,
    )


def _check_efetch(response) -> None:
    """Retry what is transient (empty, cut-off, ``<ERROR>``, a well-formed answer without articles); refuse
    what is unsafe; spot an expired WebEnv."""
    data = response.content
    if not data.strip():
        raise BadBody("EFetch returned an empty body")
    errors = error_messages(data)
    if errors:
        message = "; ".join(errors)
        if _EXPIRED.search(message):
            raise WebEnvExpired(message)
        raise BadBody(f"EFetch reported an error: {message}")
    try:
        check_well_formed(data)
    except UnsafeXMLError as exc:
        raise SysrevError(f"EFetch answer refused: {exc}") from None
    except PubmedXMLError as exc:
        raise BadBody(str(exc)) from None
    if not has_articles(data):  # every batch asked for lies within the count ESearch gave
        raise BadBody("EFetch answered without any PubmedArticle (an empty set or another page, e.g. a proxy's "
                      "or a maintenance notice)")


def _text(node) -> str:
    return "" if node is None else " ".join("".join(node.itertext()).split())


@dataclass
class RunOutcome:
    """What a run produced, for the command's summary."""

    snapshot: object
    reported: int | None
    retrieved: int
    gaps: list
    stats: dict
    warnings: list = field(default_factory=list)


def search_pubmed(query: str, *, out_dir, name: str = "pubmed", window: DateWindow | None = None,
                  since: date | None = None, retry_gaps=(), batch_size: int = DEFAULT_BATCH,
                  resume: bool = False, config: SearchConfig | None = None, eutils: EUtils | None = None,
                  progress: Progress | None = None, extra: dict | None = None, today: date | None = None
                  ) -> RunOutcome:
    """Run a PubMed search and write its snapshot into ``out_dir``; see the module docstring.

    ``window`` limits the search by publication (``pdat``) or entry (``edat``) date. ``since`` makes it a
    living update: only records entered (``edat``) on or after that day, plus the windows of ``retry_gaps``
    (the gaps of the previous run). ``resume`` continues an interrupted run saved in ``out_dir``.
    """
    if not 1 <= batch_size <= 10000:
        raise SysrevError("batch size must be between 1 and 10000")
    today = today or datetime.now(UTC).date()
    eutils = eutils or EUtils(config or load_config())
    term, fetch_window = _living_terms(query, window, since, today)
    params = {"database": "pubmed", "query": query, "window": window.to_dict() if window else None,
              "since": since.isoformat() if since else None, "batch_size": batch_size,
              "retry_gaps": [g.get("window") for g in retry_gaps]}
    partial = PartialRun(out_dir, name)
    resumed = partial.start(params, resume=resume)
    progress = progress or Progress(f"PubMed {name}", enabled=False)
    planner = _Planner(eutils, term, today)
    if "plan" not in partial.state:
        partial.state.update(planner.plan(fetch_window, [_gap_window(g) for g in retry_gaps]))
        partial.save()
    partial.state["gaps"] = []  # batch gaps are found afresh by this attempt; failed batches are retried
    plan = partial.state["plan"]
    expected = sum(min(s["count"], LIMIT) for s in plan)
    progress.set_total(expected)
    progress.advance(partial.count)
    sink = BatchSink(partial, progress, default_workers(-(-expected // batch_size)))
    fetchers = ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="efetch")
    finished = False
    try:
        for item in plan:
            _fetch_slice(eutils, term, item, batch_size, partial, planner.results, sink, fetchers)
        finished = True
    finally:
        fetchers.shutdown(cancel_futures=True)
        sink.close(commit=finished)
        progress.close()

    ids, lines = partial.kept()
    gaps = partial.state["plan_gaps"] + partial.state["gaps"]
    manifest_extra = {
        "query_translation": partial.state.get("translation", ""),
        "date_window": window.to_dict() if window else None,
        "term_submitted": term if term != query else None,
        "since": since.isoformat() if since else None,
        "slices": plan,
        "count_checks": partial.state["checks"],
        "warnings": partial.state["warnings"],
        "batch_size": batch_size,
        "gaps": gaps,
        "resumed": resumed,
        **(extra or {}),
    }
    snapshot = write_snapshot_lines(out_dir, name, ids, lines, database="pubmed", query=query,
                                    reported_count=partial.state["reported"], extra=manifest_extra)
    partial.remove()
    return RunOutcome(snapshot, partial.state["reported"], len(ids), gaps, dict(eutils.http.stats),
                      partial.state["warnings"])


def _living_terms(query, window, since, today):
    """The term and date window actually searched: with ``since``, entry date ≥ since, and a
    publication-date window moved into the term (ESearch takes one date field per request)."""
    if since is None:
        return query, window
    start = since
    term = query
    if window is not None and window.field == "edat":
        start = max(start, window.mindate)
        end = window.maxdate
    else:
        end = default_maxdate(today)
        if window is not None:
            term = (f"({query}) AND (\"{eutils_date(window.mindate)}\"[PDAT] : "
                    f"\"{eutils_date(window.maxdate)}\"[PDAT])")
    if start > end:  # e.g. --since last on a strategy whose entry-date maxdate has passed: nothing can be new
        raise SysrevError(f"the living-update window {start.isoformat()} … {end.isoformat()} (entry date) is "
                          "empty: it starts after it ends, so it could find nothing. "
                          + ("The strategy's maxdate has passed; raise or remove it to update the search"
                             if window is not None and window.field == "edat" else "Check --since"))
    return term, DateWindow(start, end, "edat")


def _gap_window(gap: dict):
    return DateWindow.from_dict(gap["window"]) if gap.get("window") else None


class _Planner:
    """Turns a search into slices of at most :data:`LIMIT` records, checking every split's counts."""

    def __init__(self, eutils: EUtils, term: str, today: date):
        self.eutils, self.term, self.today = eutils, term, today
        self.results = {}  # slice key → ESearchResult from planning (its WebEnv is fresh)
        self.checks, self.gaps, self.warnings = [], [], []

    def plan(self, window, retry_windows) -> dict:
        root = self._esearch(window)
        plan = self._slices(window, root, "pdat" if window is None else window.field)
        for retry in retry_windows:
            plan += self._slices(retry, self._esearch(retry), retry.field if retry else "pdat")
        unique = list({_key(s["window"]): s for s in plan}.values())
        return {"plan": unique, "reported": root.count, "translation": root.translation,
                "checks": self.checks, "plan_gaps": self.gaps, "warnings": self.warnings}

    def _esearch(self, window):
        result = self.eutils.esearch(self.term, window)
        self.results[_key(window.to_dict() if window else None)] = result
        for warning in result.warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)
        return result

    def _slices(self, window, result, field_name) -> list:
        if result.count <= LIMIT:
            return [{"window": window.to_dict() if window else None, "count": result.count}]
        if window is None:
            window = DateWindow(EARLIEST, default_maxdate(self.today), field_name)
        if window.mindate >= window.maxdate:
            self.gaps.append({"kind": "over_limit", "window": window.to_dict(), "count": result.count,
                              "detail": f"{result.count} records on {window.mindate} ({window.field}) exceed "
                                        f"the {LIMIT:,}-record limit; only {LIMIT:,} were fetched"})
            return [{"window": window.to_dict(), "count": result.count}]
        halves = window.halves()
        parts = [self._esearch(h) for h in halves]
        if sum(p.count for p in parts) != result.count:  # the database may have changed meanwhile: ask again
            result = self._esearch(window)
            parts = [self._esearch(h) for h in halves]
        ok = sum(p.count for p in parts) == result.count
        self.checks.append({"window": window.to_dict(), "count": result.count,
                            "parts": [p.count for p in parts], "ok": ok})
        if not ok:
            self.gaps.append({"kind": "count_mismatch", "window": window.to_dict(), "count": result.count,
                              "detail": f"the date slices hold {sum(p.count for p in parts)} records but the "
                                        f"whole window reports {result.count} (records without a usable "
                                        f"{window.field} date are not reached by slicing)"})
        return [s for h, p in zip(halves, parts) for s in self._slices(h, p, field_name)]


def _key(window_dict) -> str:
    return "all" if window_dict is None else DateWindow.from_dict(window_dict).key()


def _fetch_slice(eutils, term, item, batch_size, partial, fresh_results, sink, fetchers):
    """Fetch every batch of one slice not yet done; a batch that fails for good becomes a gap.

    Batches are requested by ``fetchers`` (a few threads sharing the rate limiter, so request starts keep
    to the allowed rate however long each answer takes) and handed to ``sink`` in their order.
    """
    key = _key(item["window"])
    window = DateWindow.from_dict(item["window"]) if item["window"] else None
    expected = min(item["count"], LIMIT)
    starts = [s for s in range(0, expected, batch_size) if not partial.is_done(f"{key}@{s}")]
    if not starts:
        return
    try:
        result = fresh_results.pop(key, None) or eutils.esearch(term, window)
    except HttpError as exc:
        partial.add_gap({"kind": "esearch", "window": item["window"], "count": item["count"], "detail": str(exc)})
        return
    if result.count != item["count"]:
        log.warning("slice %s now reports %d records instead of %d", key, result.count, item["count"])
        starts = [s for s in range(0, min(result.count, LIMIT), batch_size)
                  if not partial.is_done(f"{key}@{s}")]
        if result.count > LIMIT >= item["count"]:
            partial.add_gap({"kind": "over_limit", "window": item["window"], "count": result.count,
                             "detail": f"the slice grew from {item['count']} to {result.count} records between "
                                       f"planning and fetching; only {LIMIT:,} were fetched"})
    history = _SliceHistory(eutils, term, window, result)
    futures = [(start, fetchers.submit(_fetch_batch, history, start, batch_size)) for start in starts]
    for start, future in futures:
        where = {"window": item["window"], "retstart": start, "retmax": batch_size}
        try:
            data = future.result()
        except HttpError as exc:
            partial.add_gap({"kind": "batch", **where, "detail": str(exc)})
            continue
        count = min(history.result.count, LIMIT)
        sink.submit(f"{key}@{start}", data, where, expected=min(batch_size, count - start))


class _SliceHistory:
    """A slice's current history entry (WebEnv/query_key), shared by the threads fetching its batches."""

    def __init__(self, eutils, term, window, result):
        self.eutils, self.term, self.window = eutils, term, window
        self.result = result
        self._lock = threading.Lock()

    def renew(self, expired: ESearchResult) -> ESearchResult:
        """Re-run the slice's ESearch, unless another thread already did since ``expired`` was handed out."""
        with self._lock:
            if self.result is expired:
                log.warning("the search history expired; running the slice's ESearch again")
                self.result = self.eutils.esearch(self.term, self.window)
            return self.result


def _fetch_batch(history: _SliceHistory, start: int, batch_size: int) -> bytes:
    """One EFetch; an expired WebEnv re-runs the slice's ESearch (up to MAX_ESEARCH_RERUNS times)."""
    result = history.result
    for rerun in range(MAX_ESEARCH_RERUNS + 1):
        try:
            return history.eutils.efetch(result, start, batch_size)
        except WebEnvExpired:
            if rerun == MAX_ESEARCH_RERUNS:
                break  # no fresh ESearch that no EFetch would use
            result = history.renew(result)
    raise HttpError(f"EFetch kept answering that the search history expired, after {MAX_ESEARCH_RERUNS} "
                    "fresh ESearch runs")
