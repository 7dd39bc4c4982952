"""Scopus through the Elsevier Search API: cursor paging, or year slices under the 5,000-result ceiling.

With ``cursor=*`` (allowed for subscribers) the API pages through any number of results. Where the cursor
is refused (HTTP 403 "Use of the cursor parameter is restricted"), paging falls back to ``start``/``count``,
which the API stops at 5,000; a larger search is split into publication-year ranges (``date=2001-2010``)
until each holds at most 5,000 results, and the halves of every split are checked against their parent.

The API key (``X-ELS-APIKey``) and institution token (``X-ELS-Insttoken``) travel in headers. The quota
headers ``X-RateLimit-Remaining``/``X-RateLimit-Reset`` are read on every answer: when the quota is used up
the run waits for the reset if it is near, or stops cleanly, saying when the quota resets; the pages
fetched so far stay saved for ``--resume``.
"""

import json
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sysrev.errors import SysrevError
from sysrev.normalise import is_plain_number
from sysrev.search.config import SearchConfig, load_config
from sysrev.search.http import RETRY_STATUSES, BadBody, HttpClient, HttpError, client_for
from sysrev.search.partial import PartialRun
from sysrev.search.progress import Progress
from sysrev.search.pubmed import RunOutcome
from sysrev.search.scopus_json import ScopusJSONError, entry_to_record, parse_search_results
from sysrev.search.snapshot import write_snapshot_lines

MAX_RESULTS = 5000  # start + count may not pass this without a cursor
EARLIEST_YEAR = 1800
PAGE_SIZE = {"STANDARD": 200, "COMPLETE": 25}  # the most results per request each view allows
RATE = 6  # requests per second; Elsevier throttles the Search API at about 9/s per key
MAX_THROTTLE_RETRIES = 5


class CursorRefused(Exception):
    """The API key may not use ``cursor`` paging."""


class QuotaExhausted(SysrevError):
    """The weekly quota is used up and resets too late to wait for."""


@dataclass
class Page:
    total: int
    records: list
    next_cursor: str | None


class ScopusAPI:
    """One Scopus search request at a time, with Elsevier's errors turned into clear messages."""

    def __init__(self, config: SearchConfig, http: HttpClient | None = None, *, view="STANDARD",
                 count=None, max_quota_wait=900.0, sleep=time.sleep, now=time.time):
        if not config.elsevier_api_key:
            raise SysrevError("Scopus needs an API key: set ELSEVIER_API_KEY or [elsevier] api_key in "
                              "~/.config/sysrev/config.toml (keys come from https://dev.elsevier.com)")
        # Quota is charged per request, so pages are as large as the view allows unless asked otherwise.
        self.config, self.view, self.count = config, view, count or PAGE_SIZE[view]
        self.http = http or client_for(config, "scopus", RATE)
        self.max_quota_wait, self._sleep, self._now = max_quota_wait, sleep, now
        self.quota_remaining = None
        self.quota_reset = None
        self.headers = {"X-ELS-APIKey": config.elsevier_api_key, "Accept": "application/json"}
        if config.elsevier_insttoken:
            self.headers["X-ELS-Insttoken"] = config.elsevier_insttoken

    def page(self, query: str, *, cursor=None, start=None, years=None) -> Page:
        """One page of results: by ``cursor`` (``"*"`` for the first) or by ``start`` offset."""
        params = {"query": query, "count": self.count, "view": self.view}
        if cursor is not None:
            params["cursor"] = cursor
        else:
            params["start"] = start or 0
        if years is not None:
            params["date"] = f"{years[0]}-{years[1]}"
        holder = {}

        def check(response):
            self._read_quota(response.headers)
            try:
                holder["page"] = parse_search_results(json.loads(response.content))
            except (ValueError, ScopusJSONError) as exc:
                raise BadBody(f"unusable Scopus answer ({exc})") from None

        for _ in range(MAX_THROTTLE_RETRIES + 1):
            self._wait_for_quota()
            try:
                self.http.get(self.config.scopus_url, params=params, headers=self.headers, check=check,
                              retry_statuses=RETRY_STATUSES - {429})
                break
            except HttpError as exc:
                self._read_quota(exc.headers)
                if exc.status == 429 and not self._quota_exceeded(exc.headers):
                    self.http.limiter.pause(2.0)  # throttled (too many per second): slow down, try again
                    continue
                if exc.status == 429:
                    self.quota_remaining = 0
                    continue
                raise self._explain(exc, cursor is not None) from None
        else:
            raise SysrevError("Scopus kept throttling the requests (HTTP 429); try again later")
        total, entries, next_cursor = holder["page"]
        return Page(total, [entry_to_record(e) for e in entries], next_cursor)

    def _read_quota(self, headers) -> None:
        remaining, reset = headers.get("X-RateLimit-Remaining"), headers.get("X-RateLimit-Reset")
        if remaining is not None and is_plain_number(remaining.strip()):
            self.quota_remaining = int(remaining)
        if reset is not None and is_plain_number(reset.strip()):
            self.quota_reset = int(reset)

    @staticmethod
    def _quota_exceeded(headers) -> bool:
        return ("QUOTA_EXCEEDED" in headers.get("X-ELS-Status", "").upper()
                or headers.get("X-RateLimit-Remaining", "").strip() == "0")

    def _wait_for_quota(self) -> None:
        """Before a request: if the quota is used up, wait for its reset or stop with the reset time."""
        if self.quota_remaining is None or self.quota_remaining > 0:
            return
        reset = self.quota_reset
        wait = None if reset is None else reset - self._now()
        when = (datetime.fromtimestamp(reset, UTC).strftime("%Y-%m-%d %H:%M UTC")
                if reset is not None else "an unknown time")
        if wait is None or wait > self.max_quota_wait:
            raise QuotaExhausted(f"the Scopus API quota of this key is used up; it resets at {when}. The pages "
                                 "fetched so far are saved: run the same command with --resume after that")
        self._sleep(max(0.0, wait) + 1.0)
        self.quota_remaining = None

    def _explain(self, exc: HttpError, used_cursor: bool) -> Exception:
        code, message = _elsevier_error(exc.body)
        if exc.status == 403 and used_cursor and "cursor" in (message or exc.body).lower():
            return CursorRefused(message)
        if code == "AUTHORIZATION_ERROR":  # a wrong key, or one used off the subscriber's network
            view = ("; the COMPLETE view also needs an entitlement many keys lack (view = \"STANDARD\" in the "
                    "strategy)" if self.view == "COMPLETE" else "")
            return SysrevError(f"Scopus refuses this request ({code}: {message}): check ELSEVIER_API_KEY; a valid "
                               "key works only on the subscribing institution's network (on site or VPN) or with "
                               f"ELSEVIER_INSTTOKEN{view}")
        if exc.status == 401 or code in ("APIKEY_INVALID", "AUTHENTICATION_ERROR"):
            return SysrevError(f"Scopus refused the API key ({code or exc.status}: {message}); check "
                               "ELSEVIER_API_KEY (and ELSEVIER_INSTTOKEN off campus)")
        if message:
            return SysrevError(f"Scopus answered HTTP {exc.status} ({code}: {message})")
        return exc


def _elsevier_error(body: str) -> tuple[str, str]:
    """``(code, message)`` from Elsevier's two error shapes (``error-response`` and ``service-error``)."""
    try:
        data = json.loads(body)
    except (ValueError, TypeError):
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    if isinstance(data.get("error-response"), dict):
        err = data["error-response"]
        return str(err.get("error-code", "")), str(err.get("error-message", ""))
    status = (data.get("service-error") or {}).get("status") if isinstance(data.get("service-error"), dict) else None
    if isinstance(status, dict):
        return str(status.get("statusCode", "")), str(status.get("statusText", ""))
    return "", ""


def search_scopus(query: str, *, out_dir, name: str = "scopus", years: tuple | None = None,
                  since: date | None = None, resume: bool = False, config: SearchConfig | None = None,
                  api: ScopusAPI | None = None, progress: Progress | None = None, extra: dict | None = None,
                  today: date | None = None) -> RunOutcome:
    """Run a Scopus search and write its snapshot into ``out_dir``.

    ``years`` = (first, last) limits by publication year. ``since`` adds ``ORIG-LOAD-DATE AFT yyyymmdd``
    (records first loaded into Scopus after that day) for living updates.
    """
    today = today or datetime.now(UTC).date()
    api = api or ScopusAPI(config or load_config())
    term = f"({query}) AND ORIG-LOAD-DATE AFT {since:%Y%m%d}" if since else query
    params = {"database": "scopus", "query": query, "years": list(years) if years else None,
              "since": since.isoformat() if since else None, "view": api.view, "count": api.count}
    partial = PartialRun(out_dir, name)
    resumed = partial.start(params, resume=resume)
    progress = progress or Progress(f"Scopus {name}", enabled=False)
    partial.state["gaps"] = []
    if "mode" not in partial.state:
        _plan(api, term, years, today, partial)
    progress.set_total(sum(min(s["count"], MAX_RESULTS) if partial.state["mode"] == "start" else s["count"]
                           for s in partial.state["plan"]))
    progress.advance(partial.count)
    if partial.state["mode"] == "cursor":
        _fetch_by_cursor(api, term, years, partial, progress)
    else:
        for item in partial.state["plan"]:
            _fetch_by_start(api, term, item, partial, progress)
    progress.close()

    ids, lines = partial.kept()
    gaps = partial.state["plan_gaps"] + partial.state["gaps"]
    manifest_extra = {
        "date_window": {"field": "pubyear", "first": years[0], "last": years[1]} if years else None,
        "term_submitted": term if term != query else None,
        "since": since.isoformat() if since else None,
        "paging": partial.state["mode"],
        "slices": partial.state["plan"],
        "count_checks": partial.state["checks"],
        "view": api.view,
        "gaps": gaps,
        "resumed": resumed,
        **(extra or {}),
    }
    snapshot = write_snapshot_lines(out_dir, name, ids, lines, database="scopus", query=query,
                                    reported_count=partial.state["reported"], extra=manifest_extra)
    partial.remove()
    return RunOutcome(snapshot, partial.state["reported"], len(ids), gaps, dict(api.http.stats))


def _plan(api, term, years, today, partial):
    """Try the cursor; if refused, plan year slices of at most MAX_RESULTS (checking every split)."""
    checks, gaps = [], []
    try:
        first = api.page(term, cursor="*", years=years)
    except CursorRefused:
        first = None
    if first is not None:
        partial.state.update(mode="cursor", plan=[{"years": list(years) if years else None, "count": first.total}],
                             reported=first.total, checks=checks, plan_gaps=gaps, cursor="*", cursor_pages=0)
        _save_cursor_page(partial, first, "*")
        return
    root = api.page(term, start=0, years=years)
    span = years or (EARLIEST_YEAR, today.year + 1)
    plan = _slices(api, term, years, span, root.total, checks, gaps)
    partial.state.update(mode="start", plan=plan, reported=root.total, checks=checks, plan_gaps=gaps)
    partial.save()


def _slices(api, term, years, span, total, checks, gaps) -> list:
    if total <= MAX_RESULTS:
        return [{"years": list(years) if years else None, "count": total}]
    first, last = span
    if first >= last:
        gaps.append({"kind": "over_limit", "years": [first, last], "count": total,
                     "detail": f"{total} results in {first} exceed the {MAX_RESULTS:,} that start/count paging "
                               f"reaches; only {MAX_RESULTS:,} were fetched (a cursor-enabled key gets all)"})
        return [{"years": [first, last], "count": total}]
    middle = (first + last) // 2
    halves = [(first, middle), (middle + 1, last)]
    counts = [api.page(term, start=0, years=h).total for h in halves]
    ok = sum(counts) == total
    checks.append({"years": [first, last], "count": total, "parts": counts, "ok": ok})
    if not ok:
        gaps.append({"kind": "count_mismatch", "years": [first, last], "count": total,
                     "detail": f"the year slices hold {sum(counts)} results but {first}-{last} reports {total}"})
    return [s for h, c in zip(halves, counts) for s in _slices(api, term, h, h, c, checks, gaps)]


def _fetch_by_cursor(api, term, years, partial, progress):
    """Page with the cursor from where the saved state left off.

    A saved cursor may have expired when a run is resumed much later; then paging restarts at ``*`` (the
    records already saved are deduplicated). A page that fails for good ends the run with a gap.
    """
    restarted = False
    while partial.state["cursor"]:
        cursor = partial.state["cursor"]
        try:
            page = api.page(term, cursor=cursor, years=years)
        except QuotaExhausted:
            raise
        except (SysrevError, CursorRefused) as exc:
            if cursor != "*" and not restarted:
                restarted = True
                partial.state["cursor"] = "*"
                partial.state["cursor_entries"] = 0  # every page is fetched again from the first …
                partial.state["cursor_pass_from"] = partial.state["cursor_pages"]  # … and counted again from 1
                continue
            # pages of results fetched in this pass (cursor_pages also counts those fetched before a restart)
            pages = partial.state["cursor_pages"] - partial.state.get("cursor_pass_from", 0)
            partial.add_gap({"kind": "cursor_pages", "years": list(years) if years else None, "after_page": pages,
                             "detail": f"pages from {pages + 1} on were not fetched: {exc}"})
            return
        _save_cursor_page(partial, page, cursor)
        progress.advance(len(page.records))
    fetched, total = partial.state.get("cursor_entries", 0), partial.state["plan"][0]["count"]
    if fetched < total:
        partial.add_gap({"kind": "cursor_short", "years": list(years) if years else None, "count": total,
                         "detail": f"the cursor ran out after {fetched} of the {total} results Scopus reported; "
                                   "the rest were not delivered"})


def _save_cursor_page(partial, page, cursor):
    n = partial.state["cursor_pages"]
    more = page.records and page.next_cursor and page.next_cursor != cursor
    partial.state["cursor"] = page.next_cursor if more else None
    partial.state["cursor_pages"] = n + 1
    partial.state["cursor_entries"] = partial.state.get("cursor_entries", 0) + len(page.records)
    partial.add_batch(f"cursor@{n}", page.records)


def _fetch_by_start(api, term, item, partial, progress):
    """Fetch the pages of one slice not yet done; a failed page, or one shorter than the slice's count
    says it should be, becomes a gap."""
    years = tuple(item["years"]) if item["years"] else None
    key = "all" if years is None else f"{years[0]}-{years[1]}"
    reachable = min(item["count"], MAX_RESULTS)
    for start in range(0, reachable, api.count):
        if partial.is_done(f"{key}@{start}"):
            continue
        try:
            page = api.page(term, start=start, years=years)
        except QuotaExhausted:
            raise
        except SysrevError as exc:
            partial.add_gap({"kind": "page", "years": item["years"], "start": start, "count": api.count,
                             "detail": str(exc)})
            continue
        expected = min(api.count, reachable - start)
        if len(page.records) < expected:
            partial.add_gap({"kind": "short_page", "years": item["years"], "start": start, "count": api.count,
                             "detail": f"Scopus returned {len(page.records)} of the {expected} results asked for "
                                       f"at start={start}; the rest were not delivered"})
        partial.add_batch(f"{key}@{start}", page.records)
        progress.advance(len(page.records))
