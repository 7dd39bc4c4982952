"""The search clients in detail: date windows, the HTTP layer's retries, deadlines and messages, the requests
PubMed and Scopus are sent, and what a failure says. Expected values are worked out by hand from the APIs'
documented behaviour (E-utilities, Elsevier Search API), never pasted from a run; every server is local."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sysrev.errors import SysrevError
from sysrev.search.dates import DateWindow, parse_date

# --- date windows -------------------------------------------------------------------------------------------


class NewYear(datetime):
    """1 January 2026, 01:00 UTC: still 31 December 2025 on a clock eight hours behind (the clients' "today")."""

    @classmethod
    def now(cls, tz=None):
        moment = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
        return moment if tz is UTC else moment.astimezone(timezone(timedelta(hours=-8))).replace(tzinfo=None)


@pytest.mark.parametrize("text, end, expected", [
    ("2020", False, date(2020, 1, 1)),
    ("2020", True, date(2020, 12, 31)),
    ("2020-02", False, date(2020, 2, 1)),
    ("2020-02", True, date(2020, 2, 29)),  # a leap year's February
    ("2021-02", True, date(2021, 2, 28)),
    ("2021-11", True, date(2021, 11, 30)),
    ("2021-12", True, date(2021, 12, 31)),  # the following month is January of the next year
    ("2021-1", True, date(2021, 1, 31)),
    ("2019/3/5", False, date(2019, 3, 5)),
    (" 2019.03.05 ", True, date(2019, 3, 5)),  # a full date is that day, start or end
])
def test_parse_date_forms(text, end, expected):
    assert parse_date(text, end=end) == expected


def test_parse_date_names_what_is_wrong_and_where():
    with pytest.raises(SysrevError) as info:
        parse_date("20201")
    assert str(info.value) == "invalid date '20201': use YYYY, YYYY-MM or YYYY-MM-DD"
    with pytest.raises(SysrevError) as info:
        parse_date("2020-13", what="--mindate")
    assert str(info.value) == "invalid --mindate '2020-13': month must be in 1..12"
    with pytest.raises(SysrevError) as info:
        parse_date("2021-02-29", end=True, what="maxdate in s.toml")
    assert str(info.value) == "invalid maxdate in s.toml '2021-02-29': day is out of range for month"


def test_window_days_and_halves():
    assert DateWindow(date(2020, 3, 1), date(2020, 3, 1)).days() == 1
    assert DateWindow(date(2020, 1, 1), date(2020, 12, 31)).days() == 366
    # 11 days: the first half ends on the middle day (the 6th), the second starts the day after
    first, second = DateWindow(date(2020, 1, 1), date(2020, 1, 11), "edat").halves()
    assert first == DateWindow(date(2020, 1, 1), date(2020, 1, 6), "edat")
    assert second == DateWindow(date(2020, 1, 7), date(2020, 1, 11), "edat")
    # 2 days: one each
    first, second = DateWindow(date(2020, 1, 1), date(2020, 1, 2)).halves()
    assert (first.mindate, first.maxdate, second.mindate, second.maxdate) == (
        date(2020, 1, 1), date(2020, 1, 1), date(2020, 1, 2), date(2020, 1, 2))
    # 30 days (even): 15 and 15
    first, second = DateWindow(date(2020, 4, 1), date(2020, 4, 30)).halves()
    assert first.maxdate == date(2020, 4, 15) and second.mindate == date(2020, 4, 16)
    with pytest.raises(ValueError, match="^a single day cannot be split$"):
        DateWindow(date(2020, 1, 1), date(2020, 1, 1)).halves()


def test_window_round_trips_through_its_dict_with_its_field():
    window = DateWindow(date(2001, 2, 3), date(2004, 5, 6), "edat")
    assert window.to_dict() == {"field": "edat", "mindate": "2001-02-03", "maxdate": "2004-05-06"}
    assert DateWindow.from_dict(window.to_dict()) == window
    assert DateWindow.from_dict(window.to_dict()).field == "edat"
    assert window.key() == "edat:2001-02-03:2004-05-06"


# --- a scripted local server: each request gets the next scripted answer, and is recorded -------------------


class Scripted:
    """A loopback HTTP server answering request *i* with ``answers[i]`` (the last one repeated) and recording
    each request's method, path, query, form body and headers. An answer is a dict: ``status``, ``body``
    (bytes), ``headers``, ``length`` (a Content-Length other than the body's, with the connection closed after
    the body: a body cut off in transit), ``delay`` (seconds before answering), ``drip`` (seconds between the
    body's bytes)."""

    def __init__(self, answers):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlparse

        self.answers, self.requests = list(answers), []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, form):
                parsed = urlparse(self.path)
                server.requests.append({"method": self.command, "path": parsed.path,
                                        "query": {k: v[0] for k, v in parse_qs(parsed.query).items()},
                                        "form": {k: v[0] for k, v in parse_qs(form).items()},
                                        "headers": dict(self.headers)})
                n = len(server.requests) - 1
                answer = server.answers[min(n, len(server.answers) - 1)]
                if answer.get("delay"):
                    import time

                    time.sleep(answer["delay"])
                body = answer.get("body", b"")
                self.send_response(answer.get("status", 200))
                self.send_header("Content-Type", answer.get("type", "text/xml"))
                self.send_header("Content-Length", str(answer.get("length", len(body))))
                for name, value in answer.get("headers", {}).items():
                    self.send_header(name, value)
                if "length" in answer:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                try:
                    if answer.get("drip"):  # a byte at a time, ``drip`` seconds apart
                        import time

                        for i in range(len(body)):
                            self.wfile.write(body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(answer["drip"])
                    else:
                        self.wfile.write(body)
                        self.wfile.flush()
                except OSError:
                    pass

            def do_GET(self):
                self._answer("")

            def do_POST(self):
                self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _client(clock, **options):
    from sysrev.search.http import HttpClient
    from sysrev.search.ratelimit import RateLimiter

    options.setdefault("timeout", (1.0, 2.0))
    return HttpClient(RateLimiter(3, clock=clock, sleep=clock.sleep, margin=0.0), **options)


def _backoffs(clock):
    """The back-off sleeps (the rate limit's own spacing, 1/3 s, left out)."""
    return [round(s, 3) for s in clock.sleeps if abs(s - 1 / 3) > 1e-6]


# --- redaction ----------------------------------------------------------------------------------------------


def test_redact_masks_the_longest_secret_first_and_its_url_encoded_form():
    from sysrev.search.http import redact

    # "abc" is a prefix of "abcdef": masked first it would leave "***def" behind
    assert redact("key abcdef and abc", ["abc", "abcdef"]) == "key *** and ***"
    # "bc" inside "abcd", and sorting after it: by length, not by spelling
    assert redact("key abcd and bc", ["bc", "abcd"]) == "key *** and ***"
    assert redact("to=me%40example.org&x=1", ["me@example.org"]) == "to=***&x=1"
    # an empty secret (an unset setting) masks nothing
    assert redact("plain text", ["", None]) == "plain text"


@pytest.mark.parametrize("text, expected", [
    ("?term=a&api_key=K1&retmax=0", "?term=a&api_key=***&retmax=0"),
    ("?API-KEY=K1 next", "?API-KEY=*** next"),
    ("?apikey=K1", "?apikey=***"),
    ("email=me@x.org;", "email=***;"),
    ("insttoken: T9, more", "insttoken: ***, more"),
    ('{"X-ELS-APIKey": "K2"}', '{"X-ELS-APIKey": "***"}'),
    ("X-ELS-Insttoken=T3}", "X-ELS-Insttoken=***}"),
    ("term=email", "term=email"),  # the word alone is no parameter
])
def test_redact_masks_every_credential_parameter_form(text, expected):
    from sysrev.search.http import redact

    assert redact(text) == expected


# --- Retry-After --------------------------------------------------------------------------------------------


def test_retry_after_values():
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from sysrev.search.http import retry_after_seconds

    assert retry_after_seconds(" 12 ") == 12.0
    assert retry_after_seconds("2.5") == 2.5
    assert retry_after_seconds("-3") == 0.0  # never a negative wait
    assert retry_after_seconds("") is None
    future = datetime.now(UTC) + timedelta(seconds=120)
    assert 100 < retry_after_seconds(format_datetime(future, usegmt=True)) <= 120
    # a date with "-0000" (no time zone given) is read as UTC
    naive = format_datetime((future + timedelta(seconds=60)).replace(tzinfo=None))
    assert "-0000" in naive and 160 < retry_after_seconds(naive) <= 180


# --- the HTTP client ------------------------------------------------------------------------------------------


def test_get_sends_the_parameters_headers_and_user_agent(scripted, clock):
    from sysrev import __version__

    server = scripted({"body": b"<ok/>"})
    client = _client(clock)
    response = client.get(server.url + "esearch.fcgi", params={"term": "a b", "retmax": 0},
                          headers={"X-Test": "yes"})
    assert response.content == b"<ok/>" and response.status_code == 200
    [request] = server.requests
    assert request["method"] == "GET" and request["path"] == "/esearch.fcgi"
    assert request["query"] == {"term": "a b", "retmax": "0"}
    assert request["headers"]["User-Agent"] == f"sysrev/{__version__} (systematic review toolkit)"
    assert request["headers"]["X-Test"] == "yes"
    assert client.stats == {"requests": 1, "status_200": 1}


def test_post_sends_the_parameters_as_a_form(scripted, clock):
    server = scripted({"body": b"<ok/>"})
    _client(clock).get(server.url + "esearch.fcgi", params={"term": "x" * 20}, headers={"X-Test": "posted"},
                       post=True)
    [request] = server.requests
    assert request["method"] == "POST" and request["form"] == {"term": "x" * 20} and request["query"] == {}
    assert request["headers"]["X-Test"] == "posted"


def test_a_large_body_arrives_whole(scripted, clock):
    body = bytes(range(256)) * 1000  # 256,000 bytes: several pieces of the streamed read
    server = scripted({"body": body})
    assert _client(clock).get(server.url).content == body


def test_backoff_doubles_up_to_its_ceiling_and_each_retry_is_logged(scripted, clock, caplog):
    import logging

    server = scripted(*[{"status": 503, "body": b"busy"}] * 4, {"body": b"<ok/>"})
    client = _client(clock, backoff=1.0, max_backoff=3.0, max_attempts=5)
    with caplog.at_level(logging.WARNING, logger="sysrev.search"):
        assert client.get(server.url + "efetch.fcgi?db=pubmed").content == b"<ok/>"
    assert _backoffs(clock) == [1.0, 2.0, 3.0, 3.0]
    assert client.stats == {"requests": 5, "status_503": 4, "retries": 4, "status_200": 1}
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == f"{server.url}efetch.fcgi: HTTP 503: busy – retrying in 1.0 s (attempt 2 of 5)"
    assert messages[3] == f"{server.url}efetch.fcgi: HTTP 503: busy – retrying in 3.0 s (attempt 5 of 5)"


def test_retry_after_lengthens_the_wait_but_never_shortens_it(scripted, clock):
    server = scripted({"status": 429, "headers": {"Retry-After": "7"}},
                      {"status": 429, "headers": {"Retry-After": "0"}}, {"body": b"<ok/>"})
    client = _client(clock, backoff=1.0)
    client.get(server.url)
    assert _backoffs(clock) == [7.0, 2.0]
    assert client.stats["status_429"] == 2


def test_retry_after_beyond_the_limit_fails_at_once_and_at_the_limit_is_waited(scripted, clock):
    from sysrev.search.http import HttpError

    server = scripted({"status": 429, "body": b"slow down", "headers": {"Retry-After": "11"}})
    client = _client(clock, max_retry_after=10.0)
    with pytest.raises(HttpError) as info:
        client.get(server.url + "x")
    assert str(info.value) == f"{server.url}x: HTTP 429: slow down; the server asks to retry after 11 s"
    assert info.value.status == 429 and info.value.body == "slow down"
    assert info.value.headers["retry-after"] == "11"  # case-insensitive, as HTTP headers are
    assert len(server.requests) == 1 and clock.sleeps == []
    server = scripted({"status": 429, "headers": {"Retry-After": "10"}}, {"body": b"<ok/>"})
    _client(clock, max_retry_after=10.0).get(server.url)
    assert len(server.requests) == 2 and 10.0 in clock.sleeps


def test_an_error_that_retrying_cannot_mend_fails_at_once_quoting_the_server(scripted, clock):
    from sysrev.search.http import HttpError

    text = "Z" * 270 + " SEKRET api_key=SEKRET " + "Y" * 400  # the key alone, and as a parameter
    server = scripted({"status": 404, "body": text.encode(), "headers": {"X-Trace": "t404"}})
    client = _client(clock, secrets=["SEKRET"])
    with pytest.raises(HttpError) as info:
        client.get(server.url + "efetch.fcgi", params={"api_key": "SEKRET"})
    masked = text.replace("SEKRET", "***")
    assert str(info.value) == f"{server.url}efetch.fcgi: HTTP 404: {masked[:300]}"
    assert info.value.body == masked[:500 - 2 * (len("SEKRET") - 3)]  # the first 500 bytes, then masked
    assert info.value.status == 404 and len(server.requests) == 1 and info.value.headers["x-trace"] == "t404"
    assert "SEKRET" not in str(info.value) + info.value.body


def test_only_the_statuses_named_are_retried(scripted, clock):
    from sysrev.search.http import HttpError

    server = scripted({"status": 429, "body": b"quota"})
    with pytest.raises(HttpError, match="HTTP 429: quota$"):
        _client(clock).get(server.url, retry_statuses={500, 503})
    assert len(server.requests) == 1


@pytest.mark.parametrize("body, said", [(b"down for maintenance", "HTTP 502: down for maintenance"),
                                        (b"", "HTTP 502"), (b"x" * 300, "HTTP 502: " + "x" * 200)])
def test_giving_up_names_the_last_problem_and_the_attempts(scripted, clock, body, said):
    from sysrev.search.http import HttpError

    server = scripted({"status": 502, "body": body, "headers": {"X-Trace": "t1"}})
    with pytest.raises(HttpError) as info:
        _client(clock, max_attempts=3).get(server.url + "search?q=1")
    assert str(info.value) == f"{server.url}search: {said}; gave up after 3 attempts"
    assert info.value.status == 502 and info.value.body == body.decode()
    assert info.value.headers["X-Trace"] == "t1"
    assert len(server.requests) == 3


def test_a_body_the_check_rejects_is_retried_and_named(scripted, clock):
    from sysrev.search.http import BadBody, HttpError

    def check(response):
        if response.content != b"good":
            raise BadBody(f"cut off after {len(response.content)} bytes")

    server = scripted({"body": b"bad"}, {"body": b"good"})
    client = _client(clock)
    assert client.get(server.url, check=check).content == b"good"
    assert client.stats["bad_bodies"] == 1 and client.stats["retries"] == 1
    server = scripted({"body": b"bad"})
    client = _client(clock, max_attempts=2)
    with pytest.raises(HttpError) as info:
        client.get(server.url + "a", check=check)
    assert str(info.value) == f"{server.url}a: unusable response (cut off after 3 bytes); gave up after 2 attempts"
    assert client.stats["bad_bodies"] == 2


def test_a_check_that_refuses_for_good_is_not_retried(scripted, clock):
    def check(response):
        raise SysrevError("unsafe XML refused")

    server = scripted({"body": b"<x/>"})
    client = _client(clock)
    with pytest.raises(SysrevError, match="^unsafe XML refused$"):
        client.get(server.url, check=check)
    assert len(server.requests) == 1 and "retries" not in client.stats


def test_a_body_cut_off_in_transit_is_a_connection_failure(scripted, clock):
    from sysrev.search.http import HttpError

    server = scripted({"body": b"<PubmedArticleSet>", "length": 5000})
    client = _client(clock, max_attempts=1)
    with pytest.raises(HttpError) as info:
        client.get(server.url + "efetch.fcgi")
    assert str(info.value).startswith(f"{server.url}efetch.fcgi: connection failed (ConnectionError: ")
    assert str(info.value).endswith("; gave up after 1 attempts")
    assert "IncompleteRead(18 bytes read, 4982 more expected)" in str(info.value)  # what urllib3 saw, quoted
    assert info.value.status is None and client.stats["connection_errors"] == 1


@pytest.mark.parametrize("timeout", [(1.0, 0.3), 0.3])
def test_no_answer_within_the_read_timeout(scripted, clock, timeout):
    from sysrev.search.http import HttpError

    server = scripted({"body": b"late", "delay": 1.5})
    client = _client(clock, timeout=timeout, max_attempts=1)
    with pytest.raises(HttpError) as info:
        client.get(server.url + "efetch.fcgi")
    assert str(info.value) == f"{server.url}efetch.fcgi: no answer within 0.3 s; gave up after 1 attempts"
    assert client.stats["timeouts"] == 1 and info.value.status is None


def test_a_body_still_arriving_at_the_deadline_is_given_up(scripted, clock):
    import time

    from sysrev.search.http import HttpError

    server = scripted({"body": b"x" * 100, "drip": 0.1})
    client = _client(clock, max_attempts=1, request_deadline=0.8)
    started = time.monotonic()
    with pytest.raises(HttpError) as info:
        client.get(server.url + "efetch.fcgi")
    assert time.monotonic() - started < 2.0
    assert re.fullmatch(re.escape(f"{server.url}efetch.fcgi: the answer was still arriving when the deadline "
                                  "passed (") + r"\d+ bytes received\); gave up after 1 attempts",
                        str(info.value))
    assert client.stats["timeouts"] == 1


def test_the_read_timeout_is_shortened_to_the_deadline(scripted, clock):
    import time

    from sysrev.search.http import DeadlineExceeded

    server = scripted({"body": b"late", "delay": 3.0})
    client = _client(clock, timeout=(5.0, 5.0), request_deadline=0.5)
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded) as info:
        client.get(server.url + "efetch.fcgi")
    assert time.monotonic() - started < 2.0
    assert str(info.value) == (f"{server.url}efetch.fcgi: no usable answer within the request deadline of 0.5 s; "
                               "last problem: no answer within 5.0 s")


def test_deadlines_already_passed_name_which_one(scripted, clock):
    import time

    from sysrev.search.http import DeadlineExceeded

    server = scripted({"body": b"<ok/>"})
    with pytest.raises(DeadlineExceeded) as info:
        _client(clock, request_deadline=0).get(server.url + "a")
    assert str(info.value) == (f"{server.url}a: no usable answer within the request deadline of 0 s; "
                               "last problem: no attempt made")
    with pytest.raises(DeadlineExceeded) as info:  # the request's deadline comes first
        _client(clock, request_deadline=0, run_deadline=time.monotonic() + 100).get(server.url + "a")
    assert "request deadline of 0 s" in str(info.value)
    with pytest.raises(DeadlineExceeded) as info:  # the run's deadline comes first
        _client(clock, run_deadline=time.monotonic() - 1).get(server.url + "a")
    assert str(info.value) == (f"{server.url}a: the search run reached its overall deadline (SYSREV_RUN_DEADLINE); "
                               "last problem: no attempt made")
    assert server.requests == []


def test_no_back_off_that_would_end_past_the_deadline(scripted, clock):
    from sysrev.search.http import DeadlineExceeded

    server = scripted({"status": 503, "body": b"busy"}, {"body": b"<ok/>"})
    with pytest.raises(DeadlineExceeded) as info:
        _client(clock, backoff=10.0, request_deadline=5.0).get(server.url + "a")
    assert str(info.value) == (f"{server.url}a: no usable answer within the request deadline of 5 s; "
                               "last problem: HTTP 503: busy")
    assert len(server.requests) == 1 and clock.sleeps == []
    client = _client(clock, backoff=10.0, request_deadline=30.0)  # a back-off that ends in time is waited
    assert client.get(server.url + "a").content == b"<ok/>"


def test_a_long_wait_says_it_is_still_waiting_and_stops_saying_so(scripted, clock, caplog):
    import logging
    import time

    server = scripted({"body": b"<ok/>", "delay": 0.9})
    client = _client(clock, notice_every=0.25)
    with caplog.at_level(logging.WARNING, logger="sysrev.search"):
        client.get(server.url + "efetch.fcgi?api_key=K")
        said = [r.getMessage() for r in caplog.records]
        time.sleep(0.6)
        assert len(caplog.records) == len(said)  # nothing more once the answer came
    assert len(said) >= 2
    assert said[0] == f"{server.url}efetch.fcgi: still waiting for an answer (0 s) …"
    assert all(re.fullmatch(re.escape(f"{server.url}efetch.fcgi: still waiting for an answer (") + r"[01] s\) …",
                            m) for m in said)


def test_client_for_takes_the_services_shared_limiter_secrets_and_deadlines(tmp_path, monkeypatch):
    import time

    from sysrev.search import ratelimit
    from sysrev.search.config import SearchConfig
    from sysrev.search.http import client_for

    monkeypatch.setattr(ratelimit, "_registry", {})
    monkeypatch.setenv("SYSREV_CACHE_DIR", str(tmp_path))
    config = SearchConfig(ncbi_api_key="KEY1", ncbi_email="a@b.org", request_deadline=12.0, run_deadline=34.0)
    before = time.monotonic()
    client = client_for(config, "eutils", 10)
    assert client.limiter is ratelimit.shared_limiter("eutils", 10) and client.limiter.rate == 10
    assert client.limiter.path == tmp_path / "ratelimit" / "eutils.next"
    assert client.secrets == ["KEY1", "a@b.org"] and client.request_deadline == 12.0
    assert before + 34.0 <= client.run_deadline <= time.monotonic() + 34.0


@pytest.mark.parametrize("body, said", [
    (b"<!DOCTYPE html><html><head><title>\n  Sign   in </title></head></html>",
     "; a web page titled 'Sign in' came back instead: a proxy, a network login page or the service's "
     "maintenance page? Open the address in a browser on this machine"),
    (b"  <!-- banner -->\n<HTML><body>down</body></HTML>",
     "; a web page came back instead: a proxy, a network login page or the service's maintenance page? Open the "
     "address in a browser on this machine"),
    (b"<?xml version='1.0'?><html/>", ""),  # XML first: an answer, not a web page
    (b"<eSearchResult/>", ""),
])
def test_a_web_page_is_named_with_its_title(body, said):
    from sysrev.search.http import _html_page

    assert _html_page(body) == said


def test_a_long_title_is_cut_to_80_characters():
    from sysrev.search.http import _html_page

    said = _html_page(b"<html><title>" + b"T" * 100 + b"</title>")
    assert f"titled '{'T' * 80}' came back" in said


def test_an_empty_user_agent_is_replaced(scripted, clock):
    import requests

    from sysrev import __version__

    session = requests.Session()
    session.headers["User-Agent"] = ""
    server = scripted({"body": b"<ok/>"})
    _client(clock, session=session).get(server.url)
    assert server.requests[0]["headers"]["User-Agent"] == f"sysrev/{__version__} (systematic review toolkit)"


def test_a_callers_session_keeps_its_own_user_agent(scripted, clock):
    import requests

    session = requests.Session()
    session.headers["User-Agent"] = "my-proxy-tool/2"
    server = scripted({"body": b"<ok/>"})
    _client(clock, session=session).get(server.url)
    assert server.requests[0]["headers"]["User-Agent"] == "my-proxy-tool/2"


# --- Scopus: the requests sent, throttling, quota and Elsevier's errors -------------------------------------

_NOW = 1_800_000_000.0  # 2027-01-15 08:00 UTC, the Scopus tests' "now"


def _scopus_page(total, eids, next_cursor=None):
    import json

    entries = [{"eid": eid, "dc:identifier": f"SCOPUS_ID:{eid[7:]}", "dc:title": f"Title {eid}",
                "prism:coverDate": "2020-01-01"} for eid in eids]
    results = {"opensearch:totalResults": str(total),
               "entry": entries or [{"@_fa": "true", "error": "Result set was empty"}]}
    if next_cursor:
        results["cursor"] = {"@current": "x", "@next": next_cursor}
    return {"body": json.dumps({"search-results": results}).encode(), "type": "application/json"}


def _scopus_api(server, clock, key="KEY1", insttoken="", view="STANDARD", count=None, max_quota_wait=900.0,
                max_attempts=2):
    from sysrev.search.config import SearchConfig
    from sysrev.search.scopus import ScopusAPI

    config = SearchConfig(scopus_url=server.url + "content/search/scopus", elsevier_api_key=key,
                          elsevier_insttoken=insttoken)
    http = _client(clock, secrets=config.secrets(), max_attempts=max_attempts)
    return ScopusAPI(config, http=http, view=view, count=count, max_quota_wait=max_quota_wait, sleep=clock.sleep,
                     now=lambda: _NOW)


def test_scopus_without_a_key_says_where_to_set_one():
    from sysrev.search.config import SearchConfig
    from sysrev.search.scopus import ScopusAPI

    with pytest.raises(SysrevError) as info:
        ScopusAPI(SearchConfig())
    assert str(info.value) == ("Scopus needs an API key: set ELSEVIER_API_KEY or [elsevier] api_key in "
                               "~/.config/sysrev/config.toml (keys come from https://dev.elsevier.com)")


def test_scopus_page_request_by_cursor(scripted, clock):
    server = scripted(_scopus_page(3, ["2-s2.0-1", "2-s2.0-2"], "NEXT1"))
    api = _scopus_api(server, clock, insttoken="TOK9", view="COMPLETE")
    page = api.page("TITLE(pain)", cursor="*", years=(2001, 2005))
    [request] = server.requests
    assert request["path"] == "/content/search/scopus"
    assert request["query"] == {"query": "TITLE(pain)", "count": "25", "view": "COMPLETE", "cursor": "*",
                                "date": "2001-2005"}
    assert request["headers"]["X-ELS-APIKey"] == "KEY1" and request["headers"]["X-ELS-Insttoken"] == "TOK9"
    assert request["headers"]["Accept"] == "application/json"
    assert (page.total, [r.source_id for r in page.records], page.next_cursor) == (
        3, ["2-s2.0-1", "2-s2.0-2"], "NEXT1")


def test_scopus_page_request_by_start(scripted, clock):
    server = scripted(_scopus_page(3, ["2-s2.0-1"]))
    api = _scopus_api(server, clock)
    api.page("q")
    api.page("q", start=400)
    assert [r["query"] for r in server.requests] == [{"query": "q", "count": "200", "view": "STANDARD", "start": "0"},
                                                     {"query": "q", "count": "200", "view": "STANDARD",
                                                      "start": "400"}]
    assert "X-ELS-Insttoken" not in server.requests[0]["headers"]
    assert _scopus_api(server, clock, count=50).count == 50


def test_scopus_unusable_answer_is_retried_then_named(scripted, clock):
    from sysrev.search.http import HttpError

    server = scripted({"body": b'{"search-results": ', "type": "application/json"})
    with pytest.raises(HttpError) as info:
        _scopus_api(server, clock).page("q")
    assert str(info.value).startswith(f"{server.url}content/search/scopus: unusable response (unusable Scopus "
                                      "answer (")
    assert len(server.requests) == 2


_THROTTLED = {"status": 429, "type": "application/json",
              "body": b'{"error-response":{"error-code":"TOO_MANY_REQUESTS","error-message":"Rate limit"}}'}


def test_scopus_throttling_slows_down_and_tries_again(scripted, clock):
    server = scripted(_THROTTLED, _scopus_page(1, ["2-s2.0-1"]))
    page = _scopus_api(server, clock).page("q")
    assert page.total == 1 and len(server.requests) == 2
    assert clock.sleeps == [2.0]  # the pause after the 429, not the HTTP client's back-off


def test_scopus_throttling_that_never_ends_is_an_error(scripted, clock):
    server = scripted(_THROTTLED)
    with pytest.raises(SysrevError) as info:
        _scopus_api(server, clock).page("q")
    assert str(info.value) == "Scopus kept throttling the requests (HTTP 429); try again later"
    assert len(server.requests) == 6  # the first try and five more


@pytest.mark.parametrize("headers", [{"X-ELS-Status": "quota_exceeded - Quota Exceeded"},
                                     {"X-RateLimit-Remaining": " 0 "}])
def test_scopus_quota_used_up_stops_with_the_reset_time(scripted, clock, headers):
    from sysrev.search.scopus import QuotaExhausted

    server = scripted({**_THROTTLED, "headers": {**headers, "X-RateLimit-Reset": "1800604800"}})
    with pytest.raises(QuotaExhausted) as info:
        _scopus_api(server, clock).page("q")
    assert str(info.value) == ("the Scopus API quota of this key is used up; it resets at 2027-01-22 08:00 UTC. The "
                               "pages fetched so far are saved: run the same command with --resume after that")
    assert len(server.requests) == 1 and clock.sleeps == []


def test_scopus_quota_with_no_reset_time_says_so(scripted, clock):
    from sysrev.search.scopus import QuotaExhausted

    server = scripted({**_THROTTLED, "headers": {"X-RateLimit-Remaining": "0"}})
    with pytest.raises(QuotaExhausted, match="it resets at an unknown time. The pages"):
        _scopus_api(server, clock).page("q")


@pytest.mark.parametrize("reset, slept", [(_NOW + 900, 901.0), (_NOW - 50, 1.0)])
def test_scopus_quota_reset_near_is_waited_for(scripted, clock, reset, slept):
    quota = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(reset))}
    server = scripted({**_THROTTLED, "headers": quota}, _scopus_page(1, ["2-s2.0-1"]))
    api = _scopus_api(server, clock, max_quota_wait=900.0)
    assert api.page("q").total == 1
    assert clock.sleeps == [slept] and api.quota_remaining is None
    assert api.page("q").total == 1  # the quota is no longer taken as used up
    assert len(server.requests) == 3


def test_scopus_quota_headers_are_read_from_every_answer(scripted, clock):
    page = _scopus_page(1, ["2-s2.0-1"])
    server = scripted({**page, "headers": {"X-RateLimit-Remaining": "41", "X-RateLimit-Reset": "1800000300"}})
    api = _scopus_api(server, clock)
    api.page("q")
    assert (api.quota_remaining, api.quota_reset) == (41, 1800000300)


def _elsevier(status, code, text, shape="service-error"):
    import json

    if shape == "service-error":
        body = {"service-error": {"status": {"statusCode": code, "statusText": text}}}
    else:
        body = {"error-response": {"error-code": code, "error-message": text}}
    return {"status": status, "body": json.dumps(body).encode(), "type": "application/json"}


@pytest.mark.parametrize("answer, said", [
    (_elsevier(400, "INVALID_INPUT", "Exceeds the maximum number allowed"),
     "Scopus answered HTTP 400 (INVALID_INPUT: Exceeds the maximum number allowed)"),
    (_elsevier(400, "AUTHENTICATION_ERROR", "Bad key", "error-response"),
     "Scopus refused the API key (AUTHENTICATION_ERROR: Bad key); check ELSEVIER_API_KEY (and ELSEVIER_INSTTOKEN "
     "off campus)"),
    (_elsevier(400, "APIKEY_INVALID", "Invalid", "error-response"),
     "Scopus refused the API key (APIKEY_INVALID: Invalid); check ELSEVIER_API_KEY (and ELSEVIER_INSTTOKEN off "
     "campus)"),
    ({"status": 401, "body": b"Unauthorized"},
     "Scopus refused the API key (401: ); check ELSEVIER_API_KEY (and ELSEVIER_INSTTOKEN off campus)"),
    (_elsevier(403, "AUTHORIZATION_ERROR", "Not entitled"),
     "Scopus refuses this request (AUTHORIZATION_ERROR: Not entitled): check ELSEVIER_API_KEY; a valid key works "
     "only on the subscribing institution's network (on site or VPN) or with ELSEVIER_INSTTOKEN"),
    ({**_elsevier(403, "AUTHORIZATION_ERROR", "Not entitled"), "view": "COMPLETE"},
     "Scopus refuses this request (AUTHORIZATION_ERROR: Not entitled): check ELSEVIER_API_KEY; a valid key works "
     "only on the subscribing institution's network (on site or VPN) or with ELSEVIER_INSTTOKEN; the COMPLETE view "
     "also needs an entitlement many keys lack (view = \"STANDARD\" in the strategy)"),
])
def test_scopus_errors_are_explained(scripted, clock, answer, said):
    server = scripted(answer)
    with pytest.raises(SysrevError) as info:
        _scopus_api(server, clock, key="KEY1", view=answer.get("view", "STANDARD")).page("q")
    assert str(info.value) == said
    assert len(server.requests) == 1


def test_scopus_error_without_an_elsevier_body_is_the_http_error(scripted, clock):
    from sysrev.search.http import HttpError

    server = scripted({"status": 404, "body": b"no such resource"})
    with pytest.raises(HttpError) as info:
        _scopus_api(server, clock).page("q")
    assert str(info.value) == f"{server.url}content/search/scopus: HTTP 404: no such resource"


def test_a_refused_cursor_is_told_apart_from_other_refusals(scripted, clock):
    from sysrev.search.scopus import CursorRefused

    refused = _elsevier(403, "FORBIDDEN", "Use of the cursor parameter is restricted")
    with pytest.raises(CursorRefused, match="^Use of the cursor parameter is restricted$"):
        _scopus_api(scripted(refused), clock).page("q", cursor="*")
    with pytest.raises(CursorRefused):  # a body that is no Elsevier JSON but names the cursor
        _scopus_api(scripted({"status": 403, "body": b"cursor not allowed"}), clock).page("q", cursor="*")
    with pytest.raises(SysrevError) as info:  # without a cursor asked for, the same words are another refusal
        _scopus_api(scripted(refused), clock).page("q", start=0)
    assert not isinstance(info.value, CursorRefused)
    assert str(info.value) == "Scopus answered HTTP 403 (FORBIDDEN: Use of the cursor parameter is restricted)"
    with pytest.raises(SysrevError) as info:  # a 403 with a cursor that does not name it
        _scopus_api(scripted(_elsevier(403, "FORBIDDEN", "Not today")), clock).page("q", cursor="*")
    assert not isinstance(info.value, CursorRefused)


@pytest.mark.parametrize("body, expected", [
    ('{"error-response": {"error-code": "X1", "error-message": "m1"}}', ("X1", "m1")),
    ('{"error-response": {}}', ("", "")),
    ('{"service-error": {"status": {"statusCode": "X2", "statusText": "m2"}}}', ("X2", "m2")),
    ('{"service-error": {"status": {}}}', ("", "")),
    ('{"service-error": {"status": "bad"}}', ("", "")),
    ('{"service-error": "bad"}', ("", "")),
    ('{"error-response": "bad"}', ("", "")),
    ("[1, 2]", ("", "")),
    ("not json", ("", "")),
    (None, ("", "")),
])
def test_elsevier_error_shapes(body, expected):
    from sysrev.search.scopus import _elsevier_error

    assert _elsevier_error(body) == expected


# --- Scopus: planning, paging and the gaps written to the manifest ------------------------------------------


def test_scopus_living_update_adds_the_load_date_and_says_so(make_server, scopus_for, tmp_path):
    from search_fake_servers import SyntheticScopus

    from sysrev.search.scopus import search_scopus
    from sysrev.search.snapshot import read_snapshot

    server = make_server(scopus=SyntheticScopus(4))
    outcome = search_scopus("pain", out_dir=tmp_path, api=scopus_for(server, count=25), since=date(2024, 1, 5),
                            years=(2000, 2024))
    manifest, _ = read_snapshot(outcome.snapshot)
    sent = server.requests("scopus")[0][2]
    assert sent["query"] == "(pain) AND ORIG-LOAD-DATE AFT 20240105" and sent["date"] == "2000-2024"
    assert manifest["term_submitted"] == "(pain) AND ORIG-LOAD-DATE AFT 20240105"
    assert manifest["since"] == "2024-01-05" and manifest["view"] == "STANDARD"
    assert manifest["date_window"] == {"field": "pubyear", "first": 2000, "last": 2024}
    assert manifest["slices"] == [{"years": [2000, 2024], "count": 4}]
    assert outcome.reported == 4 and outcome.retrieved == 4 and outcome.gaps == []


def test_scopus_year_slices_split_in_the_middle_and_record_their_checks(make_server, scopus_for, tmp_path,
                                                                        monkeypatch):
    from search_fake_servers import SyntheticScopus

    from sysrev.search import scopus
    from sysrev.search.scopus import search_scopus
    from sysrev.search.snapshot import read_snapshot

    monkeypatch.setattr(scopus, "MAX_RESULTS", 60)
    corpus = SyntheticScopus(100, first_year=2000, last_year=2024, cursor_allowed=False)
    server = make_server(scopus=corpus)
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server, count=25), today=date(2025, 6, 1))
    manifest, records = read_snapshot(outcome.snapshot)
    # no years given: 1800 to next year (2026), split at (1800 + 2026) // 2 = 1913, then 1914-2026 at 1970,
    # then 1971-2026 at 1998
    dates = [p.get("date") for _, _, p, _ in server.requests("scopus") if p.get("start") == "0"]
    assert dates[:6] == [None, "1800-1913", "1914-2026", "1914-1970", "1971-2026", "1971-1998"]
    assert manifest["count_checks"][:2] == [
        {"years": [1800, 2026], "count": 100, "parts": [0, 100], "ok": True},
        {"years": [1914, 2026], "count": 100, "parts": [0, 100], "ok": True}]
    assert all(s["count"] <= 60 for s in manifest["slices"]) and len(records) == 100
    assert manifest["paging"] == "start" and manifest["gaps"] == []


def test_scopus_slice_gaps_in_full(make_server, scopus_for, tmp_path, monkeypatch):
    from search_fake_servers import SyntheticScopus

    from sysrev.search import scopus
    from sysrev.search.scopus import search_scopus
    from sysrev.search.snapshot import read_snapshot

    monkeypatch.setattr(scopus, "MAX_RESULTS", 50)
    corpus = SyntheticScopus(80, first_year=2020, last_year=2020, cursor_allowed=False)
    hidden = corpus.entries.pop()  # counted for the whole window only
    original = corpus.search
    corpus.search = lambda query, date_param=None: original(query, date_param) + (
        [hidden] if date_param == "2019-2020" else [])
    server = make_server(scopus=corpus)
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server, count=25), years=(2019, 2020))
    manifest, records = read_snapshot(outcome.snapshot)
    assert manifest["gaps"] == [
        {"kind": "count_mismatch", "years": [2019, 2020], "count": 80,
         "detail": "the year slices hold 79 results but 2019-2020 reports 80"},
        {"kind": "over_limit", "years": [2020, 2020], "count": 79,
         "detail": "79 results in 2020 exceed the 50 that start/count paging reaches; only 50 were fetched (a "
                   "cursor-enabled key gets all)"}]
    assert manifest["slices"] == [{"years": [2019, 2019], "count": 0}, {"years": [2020, 2020], "count": 79}]
    assert len(records) == 50


def test_scopus_failed_and_short_pages_are_gaps_in_full(make_server, scopus_for, tmp_path):
    import json

    from search_fake_servers import SyntheticScopus

    from sysrev.search.scopus import search_scopus
    from sysrev.search.snapshot import read_snapshot

    corpus = SyntheticScopus(80, cursor_allowed=False)
    server = make_server(scopus=corpus)
    bad = b'{"service-error":{"status":{"statusCode":"INVALID_INPUT","statusText":"Bad page"}}}'
    server.fault("scopus", "body", status=400, body=bad, type="application/json", match={"start": "25"})
    short = {"search-results": {"opensearch:totalResults": "80",
                                "entry": [corpus.entry(*e) for e in corpus.entries[50:60]]}}
    server.fault("scopus", "body", body=json.dumps(short).encode(), type="application/json", match={"start": "50"})
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server, count=25), years=(2000, 2024))
    manifest, records = read_snapshot(outcome.snapshot)
    assert manifest["gaps"] == [
        {"kind": "page", "years": [2000, 2024], "start": 25, "count": 25,
         "detail": "Scopus answered HTTP 400 (INVALID_INPUT: Bad page)"},
        {"kind": "short_page", "years": [2000, 2024], "start": 50, "count": 25,
         "detail": "Scopus returned 10 of the 25 results asked for at start=50; the rest were not delivered"}]
    assert len(records) == 25 + 10 + 5  # start 75: the last 5 of 80, as expected


def test_scopus_cursor_gaps_in_full(make_server, scopus_for, tmp_path):
    from search_fake_servers import SyntheticScopus

    from sysrev.search.scopus import search_scopus
    from sysrev.search.snapshot import read_snapshot

    server = make_server(scopus=SyntheticScopus(130))
    bad = b'{"service-error":{"status":{"statusCode":"INVALID_INPUT","statusText":"Cursor expired"}}}'
    # the page after the first two fails; paging restarts from "*" once, and fails there again
    server.fault("scopus", "body", times=2, status=400, body=bad, type="application/json", match={"cursor": "c50"})
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server, count=25), years=(2000, 2024))
    manifest, records = read_snapshot(outcome.snapshot)
    cursors = [p["cursor"] for _, _, p, _ in server.requests("scopus")]
    assert cursors == ["*", "c25", "c50", "*", "c25", "c50"]
    assert {p["date"] for _, _, p, _ in server.requests("scopus")} == {"2000-2024"}  # every page keeps the years
    # the pages are counted from the restart: two were fetched again, the third and later were not
    assert manifest["gaps"] == [{"kind": "cursor_pages", "years": [2000, 2024], "after_page": 2,
                                 "detail": "pages from 3 on were not fetched: Scopus answered HTTP 400 "
                                           "(INVALID_INPUT: Cursor expired)"}]
    assert len(records) == 50


def test_scopus_cursor_that_does_not_move_ends_the_paging(scripted, clock, tmp_path):
    from sysrev.search.scopus import search_scopus

    server = scripted(_scopus_page(5, ["2-s2.0-1", "2-s2.0-2"], "c1"), _scopus_page(5, ["2-s2.0-3"], "c1"))
    outcome = search_scopus("x", out_dir=tmp_path, api=_scopus_api(server, clock, count=2))
    assert [r["query"]["cursor"] for r in server.requests] == ["*", "c1"]
    assert outcome.retrieved == 3
    assert outcome.gaps == [{"kind": "cursor_short", "years": None, "count": 5,
                             "detail": "the cursor ran out after 3 of the 5 results Scopus reported; the rest were "
                                       "not delivered"}]


# --- PubMed: the E-utilities requests and answers -----------------------------------------------------------


def _esearch_answer(count, webenv="W1", query_key="1", extra=""):
    body = (f'<?xml version="1.0" ?>\n<eSearchResult><Count>{count}</Count><RetMax>0</RetMax><QueryKey>{query_key}'
            f"</QueryKey><WebEnv>{webenv}</WebEnv><QueryTranslation>back pain[All Fields]</QueryTranslation>{extra}"
            "</eSearchResult>")
    return {"body": body.encode()}


def _eutils(server, clock, api_key="", email="", url=None):
    from sysrev.search.config import SearchConfig
    from sysrev.search.pubmed import EUtils

    config = SearchConfig(eutils_url=url or server.url, ncbi_api_key=api_key, ncbi_email=email)
    return EUtils(config, http=_client(clock, secrets=config.secrets(), max_attempts=2))


def test_esearch_request_names_the_tool_the_user_and_the_window(scripted, clock):
    server = scripted(_esearch_answer(12, "NCID_1", "3"))
    eutils = _eutils(server, clock, api_key="KEY7", email="me@example.org", url=server.url.rstrip("/"))
    result = eutils.esearch("back pain", DateWindow(date(2001, 2, 3), date(2004, 5, 6), "edat"))
    [request] = server.requests
    assert request["method"] == "GET" and request["path"] == "/esearch.fcgi"
    assert request["query"] == {"db": "pubmed", "term": "back pain", "usehistory": "y", "retmax": "0",
                                "datetype": "edat", "mindate": "2001/02/03", "maxdate": "2004/05/06",
                                "tool": "sysrev", "email": "me@example.org", "api_key": "KEY7"}
    assert (result.count, result.webenv, result.query_key, result.translation, result.warnings) == (
        12, "NCID_1", "3", "back pain[All Fields]", [])


def test_esearch_without_key_email_or_window_sends_none_of_them(scripted, clock):
    server = scripted(_esearch_answer(0))
    _eutils(server, clock).esearch("x", None)
    assert server.requests[0]["query"] == {"db": "pubmed", "term": "x", "usehistory": "y", "retmax": "0",
                                           "tool": "sysrev"}


def test_a_long_query_is_posted_from_1501_characters(scripted, clock):
    server = scripted(_esearch_answer(0))
    eutils = _eutils(server, clock)
    eutils.esearch("a" * 1500, None)
    eutils.esearch("a" * 1501, None)
    assert [r["method"] for r in server.requests] == ["GET", "POST"]
    assert server.requests[1]["form"]["term"] == "a" * 1501 and server.requests[1]["query"] == {}


def test_efetch_request_uses_the_history_entry(scripted, clock):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import ESearchResult

    corpus = SyntheticPubmed(2)
    server = scripted({"body": corpus.efetch_xml(list(corpus.by_pmid))})
    data = _eutils(server, clock, email="me@example.org").efetch(ESearchResult(40, "W9", "4"), 20, 10)
    assert data == corpus.efetch_xml(list(corpus.by_pmid))
    assert server.requests[0]["path"] == "/efetch.fcgi"
    assert server.requests[0]["query"] == {"db": "pubmed", "WebEnv": "W9", "query_key": "4", "retstart": "20",
                                           "retmax": "10", "retmode": "xml", "tool": "sysrev",
                                           "email": "me@example.org"}


@pytest.mark.parametrize("api_key, rate", [("", 3), ("K", 10)])
def test_eutils_rate_is_three_a_second_or_ten_with_a_key(tmp_path, monkeypatch, api_key, rate):
    from sysrev.search import ratelimit
    from sysrev.search.config import SearchConfig
    from sysrev.search.pubmed import EUtils

    monkeypatch.setattr(ratelimit, "_registry", {})
    monkeypatch.setenv("SYSREV_CACHE_DIR", str(tmp_path))
    eutils = EUtils(SearchConfig(eutils_url="http://127.0.0.1:9/eutils/X//", ncbi_api_key=api_key))
    assert eutils.http.limiter.rate == rate and eutils.base == "http://127.0.0.1:9/eutils/X/"  # one slash
    assert eutils.http.limiter is ratelimit.shared_limiter("eutils", rate)


def test_esearch_answer_read_in_full():
    from sysrev.search.pubmed import _parse_esearch

    data = (b'<?xml version="1.0" ?><eSearchResult><Count>0</Count><WebEnv> W2 </WebEnv><QueryKey>5</QueryKey>'
            b"<QueryTranslation>back\n  pain</QueryTranslation><ErrorList><PhraseNotFound>xyzzy</PhraseNotFound>"
            b"<FieldNotFound></FieldNotFound></ErrorList><WarningList><OutputMessage>No <b>items</b> found."
            b"</OutputMessage><QuotedPhraseNotFound>q</QuotedPhraseNotFound></WarningList></eSearchResult>")
    result = _parse_esearch(data)
    assert (result.count, result.webenv, result.query_key, result.translation) == (0, "W2", "5", "back pain")
    assert result.warnings == ["PhraseNotFound: xyzzy", "OutputMessage: No items found.",
                               "QuotedPhraseNotFound: q"]


@pytest.mark.parametrize("data, said", [
    (b"<eSearchResult><ERROR>Search Backend failed</ERROR><ERROR></ERROR><ERROR>again</ERROR></eSearchResult>",
     "ESearch reported an error: Search Backend failed; again"),
    (b"<eFetchResult><Count>1</Count></eFetchResult>", "not an ESearch result (root element <eFetchResult>)"),
    (b"<eSearchResult><RetMax>0</RetMax></eSearchResult>", "not an ESearch result (root element <eSearchResult>)"),
])
def test_esearch_answers_that_are_retried(data, said):
    from sysrev.search.http import BadBody
    from sysrev.search.pubmed import _parse_esearch

    with pytest.raises(BadBody) as info:
        _parse_esearch(data)
    assert str(info.value) == said


def test_esearch_answer_broken_or_unsafe():
    from sysrev.search.http import BadBody
    from sysrev.search.pubmed import _parse_esearch

    with pytest.raises(BadBody) as info:
        _parse_esearch(b"<eSearchResult><Count>1</Count>")
    assert str(info.value).startswith("ESearch answer is not well-formed XML (ESearch answer, line 1: ")
    with pytest.raises(SysrevError, match="^ESearch answer refused: ") as info:
        _parse_esearch(b'<!DOCTYPE e [<!ENTITY a "aaaa">]><eSearchResult><Count>&a;</Count></eSearchResult>')
    assert not isinstance(info.value, BadBody)


def _efetch_response(data):
    from types import SimpleNamespace

    return SimpleNamespace(content=data)


@pytest.mark.parametrize("data, said", [
    (b" \n ", "EFetch returned an empty body"),
    (b"<eFetchResult><ERROR>Search Backend failed</ERROR></eFetchResult>",
     "EFetch reported an error: Search Backend failed"),
    (b'<?xml version="1.0"?><PubmedArticleSet/>',
     "EFetch answered without any PubmedArticle (an empty set or another page, e.g. a proxy's or a maintenance "
     "notice)"),
])
def test_efetch_answers_that_are_retried(data, said):
    from sysrev.search.http import BadBody
    from sysrev.search.pubmed import _check_efetch

    with pytest.raises(BadBody) as info:
        _check_efetch(_efetch_response(data))
    assert str(info.value) == said


def test_efetch_expired_history_unsafe_and_cut_off_answers():
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.http import BadBody
    from sysrev.search.pubmed import WebEnvExpired, _check_efetch

    for message in ("Unable to obtain query #1", "WebEnv parameter is wrong", "Invalid query_key"):
        with pytest.raises(WebEnvExpired, match=message):
            _check_efetch(_efetch_response(f"<eFetchResult><ERROR>{message}</ERROR></eFetchResult>".encode()))
    with pytest.raises(SysrevError, match="^EFetch answer refused: ") as info:
        _check_efetch(_efetch_response(b'<!DOCTYPE PubmedArticleSet [<!ENTITY a "x">]><PubmedArticleSet>'
                                       b"<PubmedArticle>&a;</PubmedArticle></PubmedArticleSet>"))
    assert not isinstance(info.value, BadBody)
    whole = SyntheticPubmed(2).efetch_xml(["30000000", "30000001"])
    assert _check_efetch(_efetch_response(whole)) is None
    with pytest.raises(BadBody) as info:
        _check_efetch(_efetch_response(whole[: len(whole) // 2]))
    assert str(info.value).startswith("malformed or truncated PubMed XML: ")  # the XML reader's own words


# --- PubMed: planning, living updates, slices and gaps ------------------------------------------------------


def test_living_update_terms_and_windows():
    from sysrev.search.pubmed import _living_terms

    today = date(2025, 6, 1)
    pdat = DateWindow(date(2001, 1, 1), date(2005, 12, 31), "pdat")
    edat = DateWindow(date(2024, 1, 1), date(2025, 3, 31), "edat")
    assert _living_terms("q", pdat, None, today) == ("q", pdat)
    assert _living_terms("q", None, date(2025, 1, 2), today) == (
        "q", DateWindow(date(2025, 1, 2), date(2027, 12, 31), "edat"))
    assert _living_terms("q", pdat, date(2025, 1, 2), today) == (
        '(q) AND ("2001/01/01"[PDAT] : "2005/12/31"[PDAT])', DateWindow(date(2025, 1, 2), date(2027, 12, 31), "edat"))
    # an entry-date window: the later of its start and the update's, up to its end
    assert _living_terms("q", edat, date(2025, 1, 2), today) == ("q", DateWindow(date(2025, 1, 2), date(2025, 3, 31),
                                                                                  "edat"))
    assert _living_terms("q", edat, date(2023, 1, 1), today) == ("q", edat)
    assert _living_terms("q", edat, date(2025, 3, 31), today)[1].days() == 1


def test_living_update_with_an_empty_window_says_why():
    from sysrev.search.pubmed import _living_terms

    edat = DateWindow(date(2024, 1, 1), date(2025, 3, 31), "edat")
    with pytest.raises(SysrevError) as info:
        _living_terms("q", edat, date(2025, 4, 1), date(2025, 6, 1))
    assert str(info.value) == ("the living-update window 2025-04-01 … 2025-03-31 (entry date) is empty: it starts "
                               "after it ends, so it could find nothing. The strategy's maxdate has passed; raise or "
                               "remove it to update the search")
    with pytest.raises(SysrevError) as info:
        _living_terms("q", None, date(2028, 1, 1), date(2025, 6, 1))
    assert str(info.value).endswith("so it could find nothing. Check --since")
    assert "2028-01-01 … 2027-12-31" in str(info.value)


@pytest.mark.parametrize("size", [0, 10001])
def test_batch_size_out_of_range_is_refused(tmp_path, size):
    from sysrev.search.pubmed import search_pubmed

    with pytest.raises(SysrevError) as info:
        search_pubmed("q", out_dir=tmp_path, batch_size=size, eutils=object())
    assert str(info.value) == "batch size must be between 1 and 10000"


def test_batch_sizes_at_the_bounds_are_taken(make_server, eutils_for, tmp_path):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(3))
    one = search_pubmed("q", out_dir=tmp_path / "a", batch_size=1, eutils=eutils_for(server))
    most = search_pubmed("q", out_dir=tmp_path / "b", batch_size=10000, eutils=eutils_for(server))
    assert one.retrieved == most.retrieved == 3
    assert [p["retmax"] for _, _, p, _ in server.requests("efetch")] == ["1", "1", "1", "10000"]


def test_an_unbounded_search_over_the_limit_is_sliced_from_the_earliest_date(make_server, eutils_for, tmp_path,
                                                                              monkeypatch):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search import pubmed
    from sysrev.search.pubmed import search_pubmed
    from sysrev.search.snapshot import read_snapshot

    monkeypatch.setattr(pubmed, "LIMIT", 20)
    corpus = SyntheticPubmed(30)
    server = make_server(pubmed=corpus)
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), today=date(2025, 6, 1))
    manifest, records = read_snapshot(outcome.snapshot)
    windows = [(p.get("datetype"), p.get("mindate"), p.get("maxdate")) for _, _, p, _ in server.requests("esearch")]
    # 1780-01-01 … 2027-12-31 is 248 years holding 60 leap days (1800 and 1900 are none): 90,580 days; the first
    # half ends 45,289 days after the start, on 1904-01-01
    assert windows[:3] == [(None, None, None), ("pdat", "1780/01/01", "1904/01/01"), ("pdat", "1904/01/02",
                                                                                       "2027/12/31")]
    assert manifest["count_checks"][0] == {"window": {"field": "pdat", "mindate": "1780-01-01",
                                                      "maxdate": "2027-12-31"},
                                           "count": 30, "parts": [0, 30], "ok": True}
    assert len(records) == 30 and manifest["gaps"] == [] and manifest["term_submitted"] is None


def test_pubmed_gaps_over_the_limit_and_mismatched_counts_in_full(make_server, eutils_for, tmp_path, monkeypatch):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search import pubmed
    from sysrev.search.pubmed import search_pubmed
    from sysrev.search.snapshot import read_snapshot

    monkeypatch.setattr(pubmed, "LIMIT", 20)
    corpus = SyntheticPubmed(30, same_day=True)
    original = corpus.search
    # the whole window counts one record more than its halves hold (asked twice: both times)
    corpus.search = lambda term, field=None, mindate=None, maxdate=None: original(term, field, mindate, maxdate) + (
        ["1"] if (mindate, maxdate) == ("2000/01/01", "2000/01/02") else [])
    server = make_server(pubmed=corpus)
    window = DateWindow(date(2000, 1, 1), date(2000, 1, 2))
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), window=window)
    manifest, records = read_snapshot(outcome.snapshot)
    whole = {"field": "pdat", "mindate": "2000-01-01", "maxdate": "2000-01-02"}
    day = {"field": "pdat", "mindate": "2000-01-01", "maxdate": "2000-01-01"}
    assert manifest["gaps"] == [
        {"kind": "count_mismatch", "window": whole, "count": 31,
         "detail": "the date slices hold 30 records but the whole window reports 31 (records without a usable pdat "
                   "date are not reached by slicing)"},
        {"kind": "over_limit", "window": day, "count": 30,
         "detail": "30 records on 2000-01-01 (pdat) exceed the 20-record limit; only 20 were fetched"}]
    assert manifest["count_checks"] == [{"window": whole, "count": 31, "parts": [30, 0], "ok": False}]
    # the halves did not add up, so the window and its halves were asked again before the split was kept
    asked = [(p.get("mindate"), p.get("maxdate")) for _, _, p, _ in server.requests("esearch")]
    assert asked[:6] == [("2000/01/01", "2000/01/02"), ("2000/01/01", "2000/01/01"), ("2000/01/02", "2000/01/02"),
                         ("2000/01/01", "2000/01/02"), ("2000/01/01", "2000/01/01"), ("2000/01/02", "2000/01/02")]
    assert len(records) == 20 and outcome.reported == 31


def _saved_plan(tmp_path, count, query="q", batch_size=10, since=None, window=None, done=()):
    """An interrupted run whose plan says the whole search held ``count`` records (resumed with --resume)."""
    from sysrev.search.partial import PartialRun

    partial = PartialRun(tmp_path, "pubmed")
    partial.start({"database": "pubmed", "query": query, "window": None, "since": since, "batch_size": batch_size,
                   "retry_gaps": []}, resume=False)
    partial.state.update(plan=[{"window": window, "count": count}], reported=count, translation="", checks=[],
                         plan_gaps=[], warnings=[], done=list(done))
    partial.save()


@pytest.mark.parametrize("planned", [15, 20])  # under the limit, or at it exactly
def test_a_slice_that_grew_past_the_limit_since_planning_is_a_gap(make_server, eutils_for, tmp_path, monkeypatch,
                                                                 caplog, planned):
    import logging

    from search_fake_servers import SyntheticPubmed

    from sysrev.search import pubmed
    from sysrev.search.pubmed import search_pubmed

    monkeypatch.setattr(pubmed, "LIMIT", 20)
    server = make_server(pubmed=SyntheticPubmed(25))
    _saved_plan(tmp_path, planned)
    with caplog.at_level(logging.WARNING, logger="sysrev.search"):
        outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), resume=True)
    assert f"slice all now reports 25 records instead of {planned}" in [r.getMessage() for r in caplog.records]
    assert outcome.retrieved == 20
    assert outcome.gaps == [{"kind": "over_limit", "window": None, "count": 25,
                             "detail": f"the slice grew from {planned} to 25 records between planning and fetching; "
                                       "only 20 were fetched"}]
    assert sorted(p["retstart"] for _, _, p, _ in server.requests("efetch")) == ["0", "10"]


def test_a_slice_that_shrank_since_planning_fetches_what_is_there(make_server, eutils_for, tmp_path):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(12))
    _saved_plan(tmp_path, 35)
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), resume=True)
    assert outcome.retrieved == 12 and outcome.gaps == []
    assert sorted(p["retstart"] for _, _, p, _ in server.requests("efetch")) == ["0", "10"]


def test_a_slice_whose_esearch_fails_is_a_gap(make_server, eutils_for, tmp_path):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(12))
    _saved_plan(tmp_path, 12)
    server.fault("esearch", "503", times=4)
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), resume=True)
    assert outcome.retrieved == 0 and server.requests("efetch") == []
    [gap] = outcome.gaps
    assert gap == {"kind": "esearch", "window": None, "count": 12,
                   "detail": f"{server.url}esearch.fcgi: HTTP 503: <html><body>Service unavailable</body></html>; "
                             "gave up after 4 attempts"}


def test_a_history_that_keeps_expiring_is_a_batch_gap(make_server, eutils_for, tmp_path, caplog):
    import logging

    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(15))
    server.fault("efetch", "expire", times=3, match={"retstart": "0"})
    window = DateWindow(date(2000, 1, 1), date(2030, 12, 31), "edat")
    with caplog.at_level(logging.WARNING, logger="sysrev.search"):
        outcome = search_pubmed("q", out_dir=tmp_path, batch_size=20, eutils=eutils_for(server), window=window)
    assert [r.getMessage() for r in caplog.records].count(
        "the search history expired; running the slice's ESearch again") == 2
    assert outcome.gaps == [{"kind": "batch", "window": window.to_dict(), "retstart": 0, "retmax": 20,
                             "detail": "EFetch kept answering that the search history expired, after 2 fresh "
                                       "ESearch runs"}]
    assert outcome.retrieved == 0
    searches = [p for _, _, p, _ in server.requests("esearch")]
    assert len(searches) == 3  # the plan's, then one fresh ESearch per expiry, for the same window
    assert all((p["datetype"], p["mindate"], p["maxdate"]) == ("edat", "2000/01/01", "2030/12/31") for p in searches)


def test_retry_gaps_are_planned_with_their_windows_once_each(make_server, eutils_for, tmp_path):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed
    from sysrev.search.snapshot import read_snapshot

    corpus = SyntheticPubmed(40)
    server = make_server(pubmed=corpus)
    gap = {"kind": "batch", "window": {"field": "pdat", "mindate": "2000-01-01", "maxdate": "2003-12-31"}}
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=50, eutils=eutils_for(server),
                            since=date(2024, 1, 1), today=date(2025, 6, 1), retry_gaps=[gap, dict(gap), {"kind": "x"}])
    manifest, _ = read_snapshot(outcome.snapshot)
    assert [s["window"] for s in manifest["slices"]] == [
        {"field": "edat", "mindate": "2024-01-01", "maxdate": "2027-12-31"}, gap["window"], None]
    in_gap = sum(1 for _, pdat, _ in corpus.records if date(2000, 1, 1) <= pdat <= date(2003, 12, 31))
    assert 0 < in_gap < 40 and manifest["slices"][1]["count"] == in_gap and manifest["slices"][2]["count"] == 40
    asked = [(p.get("datetype"), p.get("mindate"), p.get("maxdate")) for _, _, p, _ in server.requests("esearch")]
    assert ("pdat", "2000/01/01", "2003/12/31") in asked
    assert manifest["since"] == "2024-01-01" and manifest["batch_size"] == 50 and manifest["resumed"] is False


# --- the rate limiter -----------------------------------------------------------------------------------------


def test_limiter_refuses_a_rate_that_is_not_positive():
    from sysrev.search.ratelimit import RateLimiter

    for rate in (0, -1):
        with pytest.raises(ValueError, match="^rate must be positive$"):
            RateLimiter(rate)


def test_limiter_interval_includes_the_safety_margin(clock):
    from sysrev.search.ratelimit import RateLimiter

    assert RateLimiter(10).interval == pytest.approx(0.106)  # 1/10 s and 6 %
    limiter = RateLimiter(4, clock=clock, sleep=clock.sleep, margin=0.5)
    assert limiter.interval == pytest.approx(0.375)
    limiter.wait()
    limiter.wait()
    assert clock.sleeps == [pytest.approx(0.375)]
    clock.now += 5.0  # long after the reserved slot: no wait
    limiter.wait()
    assert len(clock.sleeps) == 1


def test_limiter_pause_never_brings_the_next_slot_forward(clock):
    from sysrev.search.ratelimit import RateLimiter

    limiter = RateLimiter(2, clock=clock, sleep=clock.sleep, margin=0.0)
    limiter.pause(3.0)  # before any request: the first waits the pause
    limiter.wait()
    assert clock.sleeps == [3.0]
    limiter.pause(0.1)  # shorter than the interval already reserved
    limiter.wait()
    assert clock.sleeps == [3.0, 0.5]


def test_cache_dir_precedence(monkeypatch, tmp_path):
    from pathlib import Path

    from sysrev.search.ratelimit import cache_dir

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SYSREV_CACHE_DIR", "~/mine")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("SYSREV_CACHE_DIR", "")
    assert cache_dir() == Path("/xdg/sysrev")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == tmp_path / ".cache" / "sysrev"


def _shared(folder, clock, service="eutils", rate=2):
    from sysrev.search.ratelimit import SharedRateLimiter

    return SharedRateLimiter(service, rate, folder=folder, clock=clock, sleep=clock.sleep, margin=0.0)


def test_shared_limiters_take_turns_from_one_schedule_file(tmp_path, clock):
    folder = tmp_path / "cache" / "rl"  # made with its parents
    first, second = _shared(folder, clock), _shared(folder, clock)  # as two processes would
    assert first.path == folder / "eutils.next" and folder.is_dir()
    first.wait()
    assert (folder / "eutils.lock").is_file()  # the lock beside the schedule, one per service
    assert float(first.path.read_text(encoding="ascii")) == 1000.5  # the next start: now + 1/2 s
    second.wait()
    assert clock.sleeps == [0.5] and float(first.path.read_text(encoding="ascii")) == 1001.0
    second.pause(10.0)  # the server asked us all to wait: the schedule moves, with no slot taken
    assert float(first.path.read_text(encoding="ascii")) == 1010.5
    first.wait()
    assert clock.sleeps == [0.5, 10.0]
    assert _shared(folder, clock, service="scopus").path.name == "scopus.next"


@pytest.mark.parametrize("saved, slept", [("garbage", []), (repr(1000.0 + 901), []), (repr(1000.0 + 900), [900.0]),
                                          (repr(990.0), [])])
def test_shared_schedule_unreadable_or_stale_starts_afresh(tmp_path, clock, saved, slept):
    limiter = _shared(tmp_path, clock)
    limiter.path.write_text(saved, encoding="ascii")
    limiter.wait()
    assert clock.sleeps == slept


def test_shared_limiter_without_a_usable_folder_limits_this_process(tmp_path, clock, caplog):
    import logging

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING, logger="sysrev.search"):
        limiter = _shared(blocker / "rl", clock)
        limiter.wait()
        limiter.pause(4.0)
        limiter.wait()
    assert clock.sleeps == [4.0]  # the process's own schedule still spaces requests and honours the pause
    [message] = [r.getMessage() for r in caplog.records]
    assert message.startswith(f"cannot use {blocker / 'rl'} for the shared rate limit (")
    assert message.endswith("); limiting this process only")


def test_shared_limiter_whose_file_breaks_falls_back_once(tmp_path, clock, caplog):
    import logging

    limiter = _shared(tmp_path, clock)
    limiter.path.mkdir()  # the schedule cannot be written
    with caplog.at_level(logging.WARNING, logger="sysrev.search"):
        limiter.wait()
        limiter.wait()
        limiter.pause(0.1)
    assert clock.sleeps == [0.5]
    [message] = [r.getMessage() for r in caplog.records]
    assert message.startswith(f"shared rate limit file {limiter.path} unusable (")
    assert message.endswith("); limiting this process only")


def test_shared_limiter_slows_to_the_strictest_rate_only(monkeypatch, tmp_path):
    from sysrev.search import ratelimit

    monkeypatch.setattr(ratelimit, "_registry", {})
    monkeypatch.setenv("SYSREV_CACHE_DIR", str(tmp_path))
    limiter = ratelimit.shared_limiter("svc", 10)
    assert isinstance(limiter, ratelimit.SharedRateLimiter) and limiter.path == tmp_path / "ratelimit" / "svc.next"
    assert ratelimit.shared_limiter("svc", 20) is limiter and limiter.rate == 10
    ratelimit.shared_limiter("svc", 4)
    assert limiter.rate == 4 and limiter.interval == pytest.approx(0.25 * 1.06)


# --- batches: parsed off the fetching thread, committed in order -------------------------------------------


class _Partial:
    def __init__(self):
        self.lines, self.gaps = [], []

    def add_lines(self, key, rows):
        self.lines.append((key, rows))

    def add_gap(self, gap):
        self.gaps.append(gap)


class _Progress:
    def __init__(self):
        self.advanced = []

    def advance(self, n):
        self.advanced.append(n)


def test_parsing_workers_only_for_eight_batches_or_more():
    from sysrev.search.batches import default_workers

    assert [default_workers(n) for n in (0, 1, 7, 8, 500)] == [0, 0, 0, 1, 1]


def test_parse_batch_gives_ids_and_records_lines_unescaped():
    import json

    from search_fake_servers import SyntheticPubmed

    from sysrev.search.batches import parse_batch

    rows = parse_batch(SyntheticPubmed(2).efetch_xml(["30000000", "30000001"]))
    assert [source_id for source_id, _ in rows] == ["30000000", "30000001"]
    assert all(line.endswith("}\n") and line.count("\n") == 1 for _, line in rows)
    assert "Müller" in rows[0][1]  # written as UTF-8, not \u00fc
    assert json.loads(rows[1][1])["source_id"] == "30000001"


@pytest.mark.parametrize("workers", [0, 1])
def test_batch_sink_commits_in_order_with_short_and_unparsable_batches_as_gaps(workers):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.batches import BatchSink

    corpus = SyntheticPubmed(5)
    partial, progress = _Partial(), _Progress()
    sink = BatchSink(partial, progress, workers)
    assert (sink.pool is None) == (workers == 0)
    sink.submit("a@0", corpus.efetch_xml(["30000000", "30000001"]), {"retstart": 0}, expected=2)
    sink.submit("a@2", corpus.efetch_xml(["30000002"]), {"retstart": 2}, expected=2)
    sink.submit("a@4", b"<PubmedArticleSet><PubmedArticle>", {"retstart": 4}, expected=1)
    sink.close()
    assert [(key, [source_id for source_id, _ in rows]) for key, rows in partial.lines] == [
        ("a@0", ["30000000", "30000001"]), ("a@2", ["30000002"])]
    assert partial.gaps[0] == {"retstart": 2, "kind": "short_batch",
                               "detail": "EFetch returned 1 of the 2 records asked for; the rest were not delivered"}
    assert partial.gaps[1]["retstart"] == 4 and partial.gaps[1]["kind"] == "unparsable" and partial.gaps[1]["detail"]
    assert len(partial.gaps) == 2 and progress.advanced == [2, 1]


def test_batch_sink_closed_without_commit_keeps_nothing_pending():
    import threading

    from search_fake_servers import SyntheticPubmed

    from sysrev.search import batches
    from sysrev.search.batches import BatchSink

    partial = _Partial()
    sink = BatchSink(partial, _Progress(), 1)
    release = threading.Event()
    original = batches.parse_batch
    try:
        batches.parse_batch = lambda data: (release.wait(5), original(data))[1]
        sink.submit("k@0", SyntheticPubmed(1).efetch_xml(["30000000"]), {}, expected=1)
        assert partial.lines == []  # still parsing: nothing committed out of turn
        release.set()
        sink.close(commit=False)
    finally:
        batches.parse_batch = original
    assert partial.lines == [] and partial.gaps == []


# --- the partial run: resumable state on disk ---------------------------------------------------------------


def test_partial_run_refuses_a_bad_name_at_once(tmp_path):
    from sysrev.search.partial import PartialRun

    with pytest.raises(SysrevError) as info:
        PartialRun(tmp_path, "../x")
    assert str(info.value) == "invalid snapshot name '../x': use a plain file-name-safe word such as 'pubmed'"


def test_partial_run_state_records_and_resume(tmp_path):
    import json

    from sysrev.records import Record
    from sysrev.search.partial import PartialRun

    run = PartialRun(tmp_path, "pubmed")
    assert run.dir == tmp_path / ".partial-pubmed" and not run.exists
    assert run.start({"query": "a"}, resume=False) is False
    assert run.state == {"params": {"query": "a"}, "done": [], "gaps": []} and not run.dir.exists()
    run.add_batch("all@0", [Record(source_id="1", title="Müller's trial"), Record(source_id="2", title="Two")])
    run.add_batch("all@2", [Record(source_id="2", title="Two again"), Record(source_id="3", title="Three")])
    run.add_gap({"kind": "batch", "detail": "see https://x/efetch.fcgi?db=pubmed&api_key=SECRET1"})
    assert run.count == 3 and run.is_done("all@0") and run.is_done("all@2") and not run.is_done("all@4")
    ids, lines = run.kept()
    assert ids == ["1", "2", "3"] and json.loads(lines[1])["title"] == "Two"  # the first copy is kept
    assert "Müller's trial" in (run.dir / "records.jsonl").read_text(encoding="utf-8")  # UTF-8, not \u00fc
    saved = json.loads((run.dir / "state.json").read_text(encoding="utf-8"))
    assert saved["done"] == ["all@0", "all@2"] and "SECRET1" not in json.dumps(saved)
    # a crash left half a line: it is dropped on resume, the rest read back
    with open(run.dir / "records.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"source_id": "4", "ti')
    again = PartialRun(tmp_path, "pubmed")
    with pytest.raises(SysrevError) as info:
        again.start({"query": "a"}, resume=False)
    assert str(info.value) == (f"an interrupted run of 'pubmed' is saved in {run.dir}; continue it with --resume, or "
                               "delete that folder to start again")
    with pytest.raises(SysrevError) as info:
        again.start({"query": "b", "batch_size": 10}, resume=True)
    assert str(info.value) == (f"cannot resume 'pubmed': the saved run in {run.dir} was started with different "
                               "settings (batch_size: saved None, now 10; query: saved 'a', now 'b')")
    assert again.start({"query": "a"}, resume=True) is True
    assert again.kept() == (ids, lines) and again.count == 3
    assert (run.dir / "records.jsonl").read_text(encoding="utf-8").endswith("}\n")
    assert again.state["gaps"][0]["kind"] == "batch"
    again.remove()
    assert not run.dir.exists()


def test_partial_run_keeps_no_credential_in_its_records(tmp_path):
    from sysrev.search.partial import PartialRun

    run = PartialRun(tmp_path, "pubmed")
    run.start({}, resume=False)
    run.add_lines("k", [("https://x/?api_key=SECRET2", '{"url": "https://x/?api_key=SECRET2&a=1"}\n')])
    assert "SECRET2" not in (run.dir / "records.jsonl").read_text(encoding="utf-8")
    assert "SECRET2" not in "".join(run.kept()[0] + run.kept()[1])


def test_resuming_with_no_records_file_yet(tmp_path):
    from sysrev.search.partial import PartialRun

    run = PartialRun(tmp_path, "scopus")
    run.start({"q": 1}, resume=False)
    run.save()
    again = PartialRun(tmp_path, "scopus")
    assert again.start({"q": 1}, resume=True) is True and again.count == 0


def test_a_living_update_resumes_its_own_saved_plan_and_slice_window(make_server, eutils_for, tmp_path):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(12))
    window = {"field": "edat", "mindate": "2000-01-01", "maxdate": "2030-12-31"}
    _saved_plan(tmp_path, 12, since="2000-01-01", window=window)
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), resume=True,
                            since=date(2000, 1, 1))
    assert outcome.retrieved == 12
    [search] = [p for _, _, p, _ in server.requests("esearch")]  # the slice's own window, asked afresh
    assert (search["datetype"], search["mindate"], search["maxdate"]) == ("edat", "2000/01/01", "2030/12/31")


def test_today_is_the_utc_date(make_server, eutils_for, tmp_path, monkeypatch):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search import pubmed
    from sysrev.search.pubmed import search_pubmed

    monkeypatch.setattr(pubmed, "datetime", NewYear)
    server = make_server(pubmed=SyntheticPubmed(3))
    search_pubmed("q", out_dir=tmp_path, eutils=eutils_for(server), since=date(2025, 6, 1))
    # an update's entry-date window ends two years after this year: 2028, not 2027
    assert server.requests("esearch")[0][2]["maxdate"] == "2028/12/31"


def test_a_title_is_looked_for_in_the_first_4000_bytes_only():
    from sysrev.search.http import _html_page

    start = b"<html><title>T</title>"
    at_4000 = b"<html>" + b" " * (4000 - len(start)) + b"<title>T</title>"
    at_4001 = b"<html>" + b" " * (4001 - len(start)) + b"<title>T</title>"
    assert len(at_4000) == 4000 and "titled 'T'" in _html_page(at_4000)
    assert len(at_4001) == 4001 and "a web page came back" in _html_page(at_4001)


def test_a_title_that_is_not_utf8_is_still_named():
    from sysrev.search.http import _html_page

    assert "titled 'Caf\ufffd'" in _html_page(b"<html><title>Caf\xe9</title>")


# --- what a run saves to resume, and what it leaves alone -----------------------------------------------------


class _Terminal:
    """A stand-in for stderr on a terminal: collects what is written."""

    def __init__(self):
        self.written = []

    def isatty(self):
        return True

    def write(self, text):
        self.written.append(text)
        return len(text)

    def flush(self):
        pass


def test_scopus_interrupted_run_saves_its_settings_and_draws_no_bar_unasked(make_server, scopus_for, tmp_path,
                                                                             monkeypatch):
    import json
    import sys

    from search_fake_servers import SyntheticScopus

    from sysrev.search.scopus import QuotaExhausted, search_scopus

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    server = make_server(scopus=SyntheticScopus(60))
    server.state.quota, server.state.quota_reset = 1, 1_800_604_800
    with pytest.raises(QuotaExhausted):
        search_scopus("pain", out_dir=tmp_path, api=scopus_for(server, count=25), years=(2000, 2024),
                      since=date(2024, 1, 5))
    state = json.loads((tmp_path / ".partial-scopus" / "state.json").read_text(encoding="utf-8"))
    assert state["params"] == {"database": "scopus", "query": "pain", "years": [2000, 2024], "since": "2024-01-05",
                               "view": "STANDARD", "count": 25}
    assert terminal.written == []


def test_pubmed_interrupted_run_saves_its_settings_and_draws_no_bar_unasked(make_server, eutils_for, tmp_path,
                                                                            monkeypatch):
    import json
    import sys

    from search_fake_servers import SyntheticPubmed

    from sysrev.search.partial import PartialRun
    from sysrev.search.pubmed import search_pubmed

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    server = make_server(pubmed=SyntheticPubmed(30))

    def interrupted(self, key, rows):
        raise KeyboardInterrupt

    monkeypatch.setattr(PartialRun, "add_lines", interrupted)
    window = DateWindow(date(2001, 1, 1), date(2024, 12, 31), "pdat")
    gap = {"kind": "batch", "window": {"field": "edat", "mindate": "2010-01-01", "maxdate": "2010-12-31"}}
    with pytest.raises(KeyboardInterrupt):
        search_pubmed("pain", out_dir=tmp_path, eutils=eutils_for(server), window=window, since=date(2000, 1, 5),
                      batch_size=10, today=date(2025, 6, 1), retry_gaps=[gap])
    state = json.loads((tmp_path / ".partial-pubmed" / "state.json").read_text(encoding="utf-8"))
    assert state["params"] == {"database": "pubmed", "query": "pain", "window": window.to_dict(),
                               "since": "2000-01-05", "batch_size": 10, "retry_gaps": [gap["window"]]}
    assert terminal.written == []


def test_scopus_today_is_the_utc_date(make_server, scopus_for, tmp_path, monkeypatch):
    from search_fake_servers import SyntheticScopus

    from sysrev.search import scopus
    from sysrev.search.scopus import search_scopus

    monkeypatch.setattr(scopus, "datetime", NewYear)
    monkeypatch.setattr(scopus, "MAX_RESULTS", 50)
    server = make_server(scopus=SyntheticScopus(60, cursor_allowed=False))
    search_scopus("q", out_dir=tmp_path, api=scopus_for(server, count=25))
    # no years given: up to next year, 2027 (not 2026), split at (1800 + 2027) // 2 = 1913
    dates = [p.get("date") for _, _, p, _ in server.requests("scopus") if "start" in p]
    assert dates[1:3] == ["1800-1913", "1914-2027"]
    assert {p["query"] for _, _, p, _ in server.requests("scopus")} == {"q"}


def test_scopus_search_from_the_configuration(make_server, tmp_path, monkeypatch):
    from search_fake_servers import SyntheticScopus

    from sysrev.search import ratelimit
    from sysrev.search.config import SearchConfig
    from sysrev.search.scopus import search_scopus

    monkeypatch.setattr(ratelimit, "_registry", {})
    monkeypatch.setenv("SYSREV_CACHE_DIR", str(tmp_path / "cache"))
    server = make_server(scopus=SyntheticScopus(3))
    config = SearchConfig(scopus_url=server.scopus_url, elsevier_api_key="CONFKEY")
    outcome = search_scopus("q", out_dir=tmp_path, config=config)
    assert outcome.retrieved == 3 and outcome.stats["requests"] == 2  # a page of 3, then none left
    assert ratelimit.shared_limiter("scopus", 100).rate == 6  # the Scopus client's own rate


def test_client_defaults(scripted, clock):
    """The documented defaults: six attempts, back-off from 1 s doubling up to 60 s, a Retry-After of up to
    300 s waited, (10 s, 120 s) connect and read timeouts, a 300 s request deadline, a notice every 15 s."""
    from sysrev.search.http import HttpClient, HttpError
    from sysrev.search.ratelimit import RateLimiter

    def client(**options):
        return HttpClient(RateLimiter(3, clock=clock, sleep=clock.sleep, margin=0.0), **options)

    assert client().timeout == (10.0, 120.0)
    assert (client().request_deadline, client().notice_every, client().run_deadline) == (300.0, 15.0, None)
    server = scripted({"status": 503})
    with pytest.raises(HttpError, match="gave up after 6 attempts$"):
        client().get(server.url)
    assert _backoffs(clock) == [1.0, 2.0, 4.0, 8.0, 16.0]
    server = scripted(*[{"status": 503}] * 7, {"body": b"<ok/>"})
    many = client()
    many.max_attempts = 8
    clock.sleeps.clear()
    many.get(server.url)
    assert _backoffs(clock) == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0]
    server = scripted({"status": 429, "headers": {"Retry-After": "300"}}, {"body": b"<ok/>"})
    clock.sleeps.clear()
    client(request_deadline=1000.0).get(server.url)  # (the default deadline, 300 s, would end before the wait)
    assert _backoffs(clock) == [300.0]
    server = scripted({"status": 429, "headers": {"Retry-After": "301"}})
    with pytest.raises(HttpError, match="retry after 301 s$"):
        client(request_deadline=1000.0).get(server.url)


def test_a_search_without_hits_reports_pubmeds_warnings(make_server, eutils_for, tmp_path):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed
    from sysrev.search.snapshot import read_snapshot

    server = make_server(pubmed=SyntheticPubmed(3))
    outcome = search_pubmed("nohitsxyz", out_dir=tmp_path, eutils=eutils_for(server))
    assert outcome.warnings == ["PhraseNotFound: nohitsxyz", "OutputMessage: No items found."]
    assert (outcome.reported, outcome.retrieved, outcome.gaps) == (0, 0, [])
    assert outcome.stats == {"requests": 1, "status_200": 1}
    manifest, _ = read_snapshot(outcome.snapshot)
    assert manifest["database"] == "pubmed" and manifest["warnings"] == outcome.warnings


def test_no_more_than_three_efetch_requests_in_flight(make_server, eutils_for, tmp_path):
    import threading
    import time

    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(40))
    eutils = eutils_for(server)
    lock, state = threading.Lock(), {"now": 0, "most": 0}
    efetch = eutils.efetch

    def counted(*args):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        try:
            time.sleep(0.05)
            return efetch(*args)
        finally:
            with lock:
                state["now"] -= 1

    names = set()

    def counted_named(*args):
        names.add(threading.current_thread().name.rsplit("_", 1)[0])
        return counted(*args)

    eutils.efetch = counted_named
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=4, eutils=eutils)
    assert outcome.retrieved == 40 and state["most"] == 3
    assert names == {"efetch"}  # the fetching threads, named so in a stack dump of a search that hangs


@pytest.mark.parametrize("records, thread", [(14, "MainThread"), (15, "sysrev-parse")])  # 7 or 8 batches of 2
def test_batches_are_parsed_off_the_fetching_thread_from_eight(make_server, eutils_for, tmp_path, monkeypatch,
                                                                records, thread):
    import threading

    from search_fake_servers import SyntheticPubmed

    from sysrev.search import batches as batches_module
    from sysrev.search.pubmed import search_pubmed

    names = set()
    original = batches_module.parse_batch

    def parse(data):
        names.add(threading.current_thread().name.split("_")[0])
        return original(data)

    monkeypatch.setattr(batches_module, "parse_batch", parse)
    server = make_server(pubmed=SyntheticPubmed(records))
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=2, eutils=eutils_for(server))
    assert outcome.retrieved == records and names == {thread}



class _Recorder:
    """A progress display that records what it is told."""

    def __init__(self):
        self.totals, self.advanced, self.closed = [], [], False

    def set_total(self, total):
        self.totals.append(total)

    def advance(self, n):
        self.advanced.append(n)

    def close(self):
        self.closed = True


def test_scopus_cursor_run_resumes_where_it_stopped_and_shows_its_progress(make_server, scopus_for, tmp_path,
                                                                           monkeypatch):
    import json

    from search_fake_servers import SyntheticScopus

    from sysrev.search import scopus
    from sysrev.search.scopus import QuotaExhausted, search_scopus
    from sysrev.search.snapshot import read_snapshot

    monkeypatch.setattr(scopus, "MAX_RESULTS", 50)  # the start/count ceiling: no bound on cursor paging

    server = make_server(scopus=SyntheticScopus(60))
    server.state.quota, server.state.quota_reset = 1, 1_800_604_800
    with pytest.raises(QuotaExhausted):
        search_scopus("pain", out_dir=tmp_path, api=scopus_for(server, count=25))
    state = json.loads((tmp_path / ".partial-scopus" / "state.json").read_text(encoding="utf-8"))
    assert (state["mode"], state["done"], state["cursor"], state["cursor_pages"]) == ("cursor", ["cursor@0"], "c25", 1)
    server.state.quota = None
    before = len(server.requests("scopus"))
    shown = _Recorder()
    outcome = search_scopus("pain", out_dir=tmp_path, api=scopus_for(server, count=25), resume=True, progress=shown)
    resumed = server.requests("scopus")[before:]
    # the saved plan is kept: paging goes on from the saved cursor, with the same query, and is not planned again
    assert [p["cursor"] for _, _, p, _ in resumed] == ["c25", "c50", "c60"]
    assert {p["query"] for _, _, p, _ in server.requests("scopus")} == {"pain"}
    assert outcome.retrieved == 60 and outcome.gaps == []
    assert shown.totals == [60] and shown.advanced == [25, 25, 10, 0] and shown.closed
    manifest, _ = read_snapshot(outcome.snapshot)
    assert manifest["database"] == "scopus" and manifest["term_submitted"] is None and manifest["resumed"] is True
    assert manifest["query"] == "pain"


def test_scopus_start_paging_keys_its_pages_and_shows_its_progress(make_server, scopus_for, tmp_path, monkeypatch):
    import json

    from search_fake_servers import SyntheticScopus

    from sysrev.search import scopus
    from sysrev.search.partial import PartialRun
    from sysrev.search.scopus import search_scopus

    monkeypatch.setattr(scopus, "MAX_RESULTS", 50)
    server = make_server(scopus=SyntheticScopus(60, cursor_allowed=False))
    shown = _Recorder()
    real_add = PartialRun.add_lines
    calls = {"n": 0}

    def stop_after_two(self, key, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real_add(self, key, rows)

    monkeypatch.setattr(PartialRun, "add_lines", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        search_scopus("pain", out_dir=tmp_path, api=scopus_for(server, count=25), progress=shown,
                      today=date(2025, 6, 1))
    state = json.loads((tmp_path / ".partial-scopus" / "state.json").read_text(encoding="utf-8"))
    # 60 results over the ceiling of 50: split 1800-1913 (none) and 1914-2026 (60), and so on; each slice's
    # pages are keyed by its years and start
    first = next(s for s in state["plan"] if s["count"])
    years = f"{first['years'][0]}-{first['years'][1]}"
    assert state["mode"] == "start" and state["done"] == [f"{years}@0", f"{years}@25"]
    # the total shown: each slice's count, but no more than start paging reaches
    assert 25 < first["count"] <= 50  # two pages, the second short
    assert shown.totals == [sum(min(s["count"], 50) for s in state["plan"])]
    assert shown.advanced == [0, 25, first["count"] - 25]  # what was saved before (nothing), then each page
    unsplit = make_server(scopus=SyntheticScopus(70, cursor_allowed=False))
    shown = _Recorder()
    calls["n"] = 0
    monkeypatch.setattr(scopus, "MAX_RESULTS", 5000)
    with pytest.raises(KeyboardInterrupt):
        search_scopus("pain", out_dir=tmp_path / "b", api=scopus_for(unsplit, count=25), progress=shown)
    state = json.loads((tmp_path / "b" / ".partial-scopus" / "state.json").read_text(encoding="utf-8"))
    assert state["done"] == ["all@0", "all@25"]  # no years asked for: the one slice is "all"
    monkeypatch.setattr(PartialRun, "add_lines", real_add)
    search_scopus("pain", out_dir=tmp_path / "b", api=scopus_for(unsplit, count=25), progress=shown, resume=True)
    assert shown.totals == [70, 70] and shown.advanced == [0, 25, 25, 50, 20]


def test_pubmed_run_shows_its_progress(make_server, eutils_for, tmp_path):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(25))
    shown = _Recorder()
    search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), progress=shown)
    assert shown.totals == [25] and sorted(shown.advanced) == [0, 5, 10, 10] and shown.closed


def test_the_quota_reset_time_is_said_in_utc_whatever_the_local_zone(scripted, clock, monkeypatch):
    import time

    from sysrev.search.scopus import QuotaExhausted

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        server = scripted({**_THROTTLED, "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1800604800"}})
        with pytest.raises(QuotaExhausted, match="it resets at 2027-01-22 08:00 UTC"):
            _scopus_api(server, clock).page("q")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_failed_batch_mended_on_resume_leaves_no_gap(make_server, eutils_for, tmp_path, monkeypatch):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.partial import PartialRun
    from sysrev.search.pubmed import search_pubmed
    from sysrev.search.snapshot import read_snapshot

    server = make_server(pubmed=SyntheticPubmed(30))
    server.fault("efetch", "503", times=4, match={"retstart": "0"})  # the first batch fails for good …
    real_add = PartialRun.add_lines

    def interrupted(self, key, rows):
        if key.endswith("@20"):  # … and the run is interrupted before it ends
            raise KeyboardInterrupt
        real_add(self, key, rows)

    monkeypatch.setattr(PartialRun, "add_lines", interrupted)
    with pytest.raises(KeyboardInterrupt):
        search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server))
    monkeypatch.setattr(PartialRun, "add_lines", real_add)
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), resume=True)
    manifest, records = read_snapshot(outcome.snapshot)  # the batch is fetched again, and its old gap forgotten
    assert len(records) == 30 and manifest["gaps"] == [] and outcome.gaps == []


def test_an_interrupted_pubmed_run_sends_no_more_requests(make_server, eutils_for, tmp_path, monkeypatch):
    import threading
    import time

    from search_fake_servers import SyntheticPubmed

    from sysrev.search.partial import PartialRun
    from sysrev.search.pubmed import search_pubmed

    server = make_server(pubmed=SyntheticPubmed(40))
    eutils = eutils_for(server)
    efetch, calls, lock = eutils.efetch, [], threading.Lock()

    def slow(*args):
        with lock:
            calls.append(args[1])
        time.sleep(0.05)
        return efetch(*args)

    def interrupted(self, key, rows):
        raise KeyboardInterrupt

    eutils.efetch = slow
    monkeypatch.setattr(PartialRun, "add_lines", interrupted)
    with pytest.raises(KeyboardInterrupt):
        search_pubmed("q", out_dir=tmp_path, batch_size=2, eutils=eutils)  # 20 batches
    time.sleep(0.3)
    # the batches queued behind the three in flight are cancelled, not fetched after the run stopped
    assert len(calls) <= 9


def _blocking_parse(monkeypatch):
    """Make batches.parse_batch wait for the returned event; return (event, list of parsed inputs)."""
    import threading

    from sysrev.search import batches

    release, parsed = threading.Event(), []
    original = batches.parse_batch

    def parse(data):
        release.wait(5)
        parsed.append(data)
        return original(data)

    monkeypatch.setattr(batches, "parse_batch", parse)
    return release, parsed


def test_an_unparsable_batch_does_not_hold_back_the_ones_after_it(monkeypatch):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search.batches import BatchSink

    corpus = SyntheticPubmed(3)
    release, _ = _blocking_parse(monkeypatch)
    partial = _Partial()
    sink = BatchSink(partial, _Progress(), 1)
    sink.submit("a@0", corpus.efetch_xml(["30000000"]), {"retstart": 0}, expected=1)
    sink.submit("a@1", b"<PubmedArticleSet><PubmedArticle>", {"retstart": 1}, expected=1)
    sink.submit("a@2", corpus.efetch_xml(["30000002"]), {"retstart": 2}, expected=1)
    release.set()
    sink.close()
    assert [key for key, _ in partial.lines] == ["a@0", "a@2"]
    assert [g["kind"] for g in partial.gaps] == ["unparsable"]


def test_closing_without_commit_cancels_the_queued_parses(monkeypatch):
    import threading

    from search_fake_servers import SyntheticPubmed

    from sysrev.search.batches import BatchSink

    corpus = SyntheticPubmed(3)
    release, parsed = _blocking_parse(monkeypatch)
    sink = BatchSink(_Partial(), _Progress(), 1)
    for i in range(3):
        sink.submit(f"a@{i}", corpus.efetch_xml([f"3000000{i}"]), {}, expected=1)
    threading.Timer(0.2, release.set).start()  # the parse under way ends a little after close() began
    sink.close(commit=False)
    assert len(parsed) == 1  # the two queued behind it were cancelled


def test_partial_records_are_utf8_under_an_ascii_locale(tmp_path):
    """A run's records.jsonl is UTF-8 whatever the locale (under Windows' or a bare C locale's encoding a
    title such as 'Müller' or '中文' could not be written)."""
    import os
    import subprocess
    import sys

    script = ("import sys, locale; from sysrev.search.partial import PartialRun\n"
              "assert locale.getpreferredencoding(False).lower() in ('ansi_x3.4-1968', 'ascii'), "
              "locale.getpreferredencoding(False)\n"
              "run = PartialRun(sys.argv[1], 'pubmed'); run.start({}, resume=False)\n"
              "line = '{\"source_id\": \"1\", \"title\": \"M\\u00fcller \\u4e2d\\u6587\"}\\n'\n"
              "run.add_lines('k@0', [('1', line)])\n"
              "again = PartialRun(sys.argv[1], 'pubmed'); again.start({}, resume=True)\n"
              "assert again.kept() == (['1'], [line]), again.kept()\n")
    import sysrev
    from sysrev.search.partial import PartialRun

    # the same calls in this process first (so that a mutation tool tracing which tests reach add_lines and
    # _load_lines finds this one), then under the ASCII locale, where the encoding matters
    here = PartialRun(tmp_path / "here", "pubmed")
    here.start({}, resume=False)
    here.add_lines("k@0", [("1", '{"source_id": "1", "title": "Müller"}\n')])
    assert PartialRun(tmp_path / "here", "pubmed").start({}, resume=True) is True
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(sysrev.__file__)))  # the sysrev imported here
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
           "PYTHONPATH": package_root}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    written = (tmp_path / ".partial-pubmed" / "records.jsonl").read_bytes()
    assert written == '{"source_id": "1", "title": "Müller 中文"}\n'.encode()


def test_scopus_waits_up_to_fifteen_minutes_for_the_quota_by_default(scripted, clock):
    from sysrev.search.config import SearchConfig
    from sysrev.search.scopus import QuotaExhausted, ScopusAPI

    def api(server):
        config = SearchConfig(scopus_url=server.url, elsevier_api_key="K")
        return ScopusAPI(config, http=_client(clock), sleep=clock.sleep, now=lambda: _NOW)

    used_up = {**_THROTTLED, "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(_NOW) + 900)}}
    assert api(scripted(used_up, _scopus_page(1, ["2-s2.0-1"]))).page("q").total == 1
    assert 901.0 in clock.sleeps
    used_up["headers"]["X-RateLimit-Reset"] = str(int(_NOW) + 901)
    with pytest.raises(QuotaExhausted):
        api(scripted(used_up)).page("q")


def test_scopus_cursor_restarted_then_dry_counts_from_the_restart(make_server, scopus_for, tmp_path):
    from search_fake_servers import SyntheticScopus

    from sysrev.search.scopus import search_scopus

    corpus = SyntheticScopus(130)
    server = make_server(scopus=corpus)
    bad = b'{"service-error":{"status":{"statusCode":"INVALID_INPUT","statusText":"Cursor expired"}}}'
    server.fault("scopus", "body", status=400, body=bad, type="application/json", match={"cursor": "c50"})
    dry = b'{"search-results": {"opensearch:totalResults": "130", "entry": [{"error": "Result set was empty"}]}}'
    server.fault("scopus", "body", body=dry, type="application/json", match={"cursor": "c50"})
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server, count=25))
    assert outcome.retrieved == 50
    assert outcome.gaps == [{"kind": "cursor_short", "years": None, "count": 130,
                             "detail": "the cursor ran out after 50 of the 130 results Scopus reported; the rest were "
                                       "not delivered"}]


def test_a_retry_gap_without_a_window_over_the_limit_is_sliced_by_publication_date(make_server, eutils_for,
                                                                                   tmp_path, monkeypatch):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search import pubmed
    from sysrev.search.pubmed import search_pubmed

    monkeypatch.setattr(pubmed, "LIMIT", 20)
    server = make_server(pubmed=SyntheticPubmed(30))
    search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), since=date(2000, 1, 1),
                  today=date(2025, 6, 1), retry_gaps=[{"kind": "esearch", "window": None}])
    asked = [(p.get("datetype"), p.get("mindate")) for _, _, p, _ in server.requests("esearch")]
    assert ("pdat", "1780/01/01") in asked  # the whole search, split on publication date from the earliest day


def test_a_slice_that_changed_since_planning_skips_the_batches_already_done(make_server, eutils_for, tmp_path,
                                                                           monkeypatch):
    from search_fake_servers import SyntheticPubmed

    from sysrev.search import pubmed
    from sysrev.search.pubmed import search_pubmed

    monkeypatch.setattr(pubmed, "LIMIT", 20)
    server = make_server(pubmed=SyntheticPubmed(20))
    _saved_plan(tmp_path, 15, done=["all@0"])  # planned at 15 records, the first batch saved; now exactly 20
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), resume=True)
    assert sorted(p["retstart"] for _, _, p, _ in server.requests("efetch")) == ["10"]
    assert outcome.gaps == []  # 20 is the limit, not over it


def test_esearch_answer_without_history_or_translation():
    from sysrev.search.pubmed import _parse_esearch

    result = _parse_esearch(b"<eSearchResult><Count>0</Count></eSearchResult>")
    assert (result.count, result.webenv, result.query_key, result.translation, result.warnings) == (0, "", "", "", [])


def test_batch_sink_parses_on_the_calling_thread_unless_asked():
    from sysrev.search.batches import BatchSink

    assert BatchSink(_Partial(), _Progress()).pool is None


def test_resuming_with_other_settings_names_each_setting_that_differs(tmp_path):
    # a setting dropped since the saved run (now None) is named; one that is the same is not
    from sysrev.search.partial import PartialRun

    saved = PartialRun(tmp_path, "pubmed")
    saved.start({"query": "a", "mindate": "2020", "retmax": 500}, resume=False)
    saved.save()
    with pytest.raises(SysrevError) as info:
        PartialRun(tmp_path, "pubmed").start({"query": "a", "retmax": 200, "sort": "date"}, resume=True)
    assert str(info.value).endswith("was started with different settings (mindate: saved '2020', now None; "
                                    "retmax: saved 500, now 200; sort: saved None, now 'date')")
