"""One HTTP client for the search connectors: a shared session, timeouts, rate limiting and retries.

A request is retried (with exponential back-off, honouring ``Retry-After``) when the failure is
transient: HTTP 429 and 5xx, connection errors, timeouts, a body cut off in transit, or a body the caller's
``check`` rejects as truncated or unparsable. Other HTTP errors (400, 401, 403, 404) fail at once with the
server's message. Every message this module produces passes through :func:`redact`, so an API key or an
e-mail address in a URL, a header or a server's error body never reaches a log or the terminal.

Deadlines: a read timeout bounds each wait for the next bytes, not a whole answer, so a server that drips
a byte every few seconds, or accepts and never answers while retries follow each other, kept a search
waiting for tens of minutes without a word. :meth:`HttpClient.get` therefore has a total deadline over all
its attempts (``request_deadline``, default :data:`DEFAULT_REQUEST_DEADLINE`) and honours the run's
overall deadline (``run_deadline``, an absolute :func:`time.monotonic` time set by the search from
``SYSREV_RUN_DEADLINE``); the body is read in pieces with the clock checked between them, and a line
"still waiting …" is logged every :data:`NOTICE_EVERY` seconds while an answer is outstanding.
"""

import email.utils
import logging
import re
import threading
import time
from collections import Counter
from datetime import UTC, datetime

import requests

from sysrev import __version__
from sysrev.errors import SysrevError
from sysrev.search.ratelimit import RateLimiter, shared_limiter

log = logging.getLogger("sysrev.search")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = (10.0, 120.0)  # (connect, read) seconds
DEFAULT_REQUEST_DEADLINE = 300.0  # seconds for one request, all its attempts and back-off included
NOTICE_EVERY = 15.0  # seconds between "still waiting" lines
_CHUNK = 65536
_SECRET_PARAM = re.compile(r"(?i)\b(api[-_]?key|email|insttoken|X-ELS-APIKey|X-ELS-Insttoken)"
                           r"(\"?\s*[=:]\s*\"?)([^&\s\"',;}]+)")


_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _html_page(body: bytes) -> str:
    """What to say when an API answered with a web page: a proxy, a network's login page or the service's
    maintenance page answers so, with status 200, and retrying cannot help while it is in the way."""
    head = body[:4000]
    if not _HTML_START.match(head):
        return ""
    title = _HTML_TITLE.search(head)
    named = f" titled {' '.join(title.group(1).decode('utf-8', 'replace').split())[:80]!r}" if title else ""
    return (f"; a web page{named} came back instead: a proxy, a network login page or the service's maintenance "
            "page? Open the address in a browser on this machine")


class BadBody(Exception):
    """Raised by a ``check`` callback: the response arrived but its body is unusable (truncated, garbled)."""


class DeadlineExceeded(SysrevError):
    """The request's or the run's total deadline passed before a usable answer arrived."""


class HttpError(SysrevError):
    """A request failed for good; ``status`` is the last HTTP status (None for network errors)."""

    def __init__(self, message, *, status=None, body="", headers=None):
        super().__init__(message)
        self.status, self.body = status, body
        self.headers = requests.structures.CaseInsensitiveDict(headers or {})


def redact(text, secrets=()) -> str:
    """``text`` with every secret value and every ``api_key=…``/``email=…`` style parameter masked."""
    text = str(text)
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
        text = text.replace(requests.utils.quote(secret, safe=""), "***")
    return _SECRET_PARAM.sub(lambda m: m.group(1) + m.group(2) + "***", text)


class HttpClient:
    """GET with rate limiting and retries; counts what it did in :attr:`stats` for reports and benchmarks."""

    def __init__(self, limiter: RateLimiter, *, secrets=(), timeout=DEFAULT_TIMEOUT, max_attempts=6,
                 backoff=1.0, max_backoff=60.0, max_retry_after=300.0, session=None,
                 request_deadline=DEFAULT_REQUEST_DEADLINE, run_deadline=None, notice_every=NOTICE_EVERY):
        self.limiter = limiter
        self.request_deadline, self.run_deadline, self.notice_every = request_deadline, run_deadline, notice_every
        self.secrets = [s for s in secrets if s]
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff, self.max_backoff, self.max_retry_after = backoff, max_backoff, max_retry_after
        self.session = session or requests.Session()
        # a new Session already carries requests' own User-Agent, so setdefault never named sysrev: replace that
        # default (a caller's session with a User-Agent of its own keeps it)
        if self.session.headers.get("User-Agent") in (None, "", requests.utils.default_user_agent()):
            self.session.headers["User-Agent"] = f"sysrev/{__version__} (systematic review toolkit)"
        self.stats = Counter()
        self._stats_lock = threading.Lock()  # several fetching threads may share one client

    def get(self, url, params=None, headers=None, check=None, retry_statuses=RETRY_STATUSES,
            post=False) -> requests.Response:
        """GET ``url`` (POST the parameters as a form when ``post``, for long queries); return the
        successful response or raise :class:`HttpError` after the last attempt.

        ``check(response)`` may raise :class:`BadBody` to have the request retried, or any
        :class:`SysrevError` to fail at once.
        """
        last = "no attempt made"
        status, body, resp_headers = None, "", {}
        deadline = time.monotonic() + self.request_deadline
        for attempt in range(1, self.max_attempts + 1):
            body = ""  # only this attempt's error body is quoted: an earlier one's would misname a later failure
            self.limiter.wait()
            self._count("requests")
            wait = self._backoff(attempt)
            until = self._deadline(url, deadline, last)
            try:
                with self._still_waiting(url):
                    response = self._send(url, params, headers, post, until)
            except requests.Timeout:
                self._count("timeouts")
                last, status, resp_headers = f"no answer within {self._read_timeout()} s", None, {}
            except _BodyTooSlow as exc:
                self._count("timeouts")
                last, status, resp_headers = str(exc), None, {}
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                self._count("connection_errors")
                last, status, resp_headers = f"connection failed ({type(exc).__name__}: {self._clean(exc)})", None, {}
            else:
                status, resp_headers = response.status_code, response.headers
                self._count(f"status_{status}")
                if status >= 400:  # only an error's body is quoted; a large result is not decoded here
                    body = self._clean(response.content[:500].decode("utf-8", "replace"))
                if status in retry_statuses:
                    last = f"HTTP {status}: {body[:200]}" if body else f"HTTP {status}"
                    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                    if retry_after is not None:
                        if retry_after > self.max_retry_after:
                            raise HttpError(self._message(url, f"{last}; the server asks to retry after "
                                                          f"{retry_after:.0f} s"), status=status, body=body,
                                            headers=response.headers)
                        wait = max(wait, retry_after)
                elif status >= 400:
                    raise HttpError(self._message(url, f"HTTP {status}: {body[:300]}"), status=status, body=body,
                                    headers=response.headers)
                else:
                    try:
                        if check is not None:
                            check(response)
                        return response
                    except BadBody as exc:
                        self._count("bad_bodies")
                        last = f"unusable response ({self._clean(exc)}){_html_page(response.content)}"
            if attempt < self.max_attempts:
                self._deadline(url, deadline - wait, last)  # no back-off that would end past the deadline
                self._count("retries")
                log.warning("%s – retrying in %.1f s (attempt %d of %d)", self._message(url, last), wait,
                            attempt + 1, self.max_attempts)
                self.limiter.pause(wait)
        raise HttpError(self._message(url, f"{last}; gave up after {self.max_attempts} attempts"),
                        status=status, body=body, headers=resp_headers)

    def _send(self, url, params, headers, post, until) -> requests.Response:
        """One attempt: headers within the read timeout (shortened to the deadline), then the body in pieces
        with the deadline checked between them (a server dripping bytes cannot hold the request open)."""
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout, self.timeout)
        left = max(0.05, until - time.monotonic())
        timeout = (min(connect, left), min(read, left))
        if post:
            response = self.session.post(url, data=params, headers=headers, timeout=timeout, stream=True)
        else:
            response = self.session.get(url, params=params, headers=headers, timeout=timeout, stream=True)
        try:
            pieces, received = [], 0
            while True:
                piece = response.raw.read1(_CHUNK, decode_content=True)
                if not piece:
                    break
                pieces.append(piece)
                received += len(piece)
                if time.monotonic() > until:
                    raise _BodyTooSlow(f"the answer was still arriving when the deadline passed ({received} "
                                       "bytes received)")
        except (requests.exceptions.RequestException, _BodyTooSlow):
            response.close()
            raise
        except Exception as exc:  # urllib3's own errors (protocol, read timeout, decoding) while streaming
            response.close()
            raise requests.ConnectionError(exc) from None
        response._content = b"".join(pieces)  # what .content returns; the body is whole and in memory
        response._content_consumed = True
        return response

    def _deadline(self, url, deadline: float, last: str) -> float:
        """The time the next attempt must end by; raises :class:`DeadlineExceeded` when none is left."""
        until = deadline if self.run_deadline is None else min(deadline, self.run_deadline)
        if time.monotonic() < until:
            return until
        if self.run_deadline is not None and until == self.run_deadline:
            raise DeadlineExceeded(self._message(url, f"the search run reached its overall deadline "
                                                 f"(SYSREV_RUN_DEADLINE); last problem: {last}"))
        raise DeadlineExceeded(self._message(url, f"no usable answer within the request deadline of "
                                             f"{self.request_deadline:g} s; last problem: {last}"))

    def _still_waiting(self, url):
        """A context that logs "still waiting" every ``notice_every`` seconds until the block ends."""
        return _Notifier(self.notice_every, lambda seconds: log.warning(
            "%s", self._message(url, f"still waiting for an answer ({seconds:.0f} s) …")))

    def _count(self, what: str) -> None:
        with self._stats_lock:
            self.stats[what] += 1

    def _backoff(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * 2 ** (attempt - 1))

    def _read_timeout(self):
        return self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout

    def _clean(self, text) -> str:
        return redact(text, self.secrets)

    def _message(self, url, what) -> str:
        return self._clean(f"{url.split('?')[0]}: {what}")


class _BodyTooSlow(Exception):
    """The deadline passed while the body was still arriving."""


class _Notifier:
    """Calls ``say(seconds waited)`` every ``every`` seconds from a daemon thread while the block runs."""

    def __init__(self, every: float, say):
        self.every, self.say = every, say
        self._done = threading.Event()

    def __enter__(self):
        started = time.monotonic()

        def run():
            while not self._done.wait(self.every):
                self.say(time.monotonic() - started)

        threading.Thread(target=run, name="sysrev-still-waiting", daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._done.set()


def client_for(config, service: str, rate: float) -> "HttpClient":
    """The client of one search run against ``service``: the user-wide rate limit, the config's secrets
    for redaction, its per-request deadline and a run deadline counted from now."""
    return HttpClient(shared_limiter(service, rate), secrets=config.secrets(), request_deadline=config.request_deadline,
                      run_deadline=time.monotonic() + config.run_deadline)


def retry_after_seconds(value) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (a number or an HTTP date); None when absent or odd."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
