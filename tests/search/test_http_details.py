"""The HTTP layer of the search clients in finer detail: secrets with characters URL encoding changes, an error
body that is not valid UTF-8, deadlines reached to the tick (a fake monotonic clock in ``sysrev.search.http``),
the read timeout of a POST and of a request near its deadline, the exact byte count of a body cut off by the
deadline, a compressed body, the returned response read again, and the thread that says "still waiting".
Every server is local; no test sleeps for more than a fraction of a second."""

import gzip
import logging
import threading
import time

import pytest
import requests
from test_client_details import _client, _elsevier, _scopus_api

from sysrev import __version__
from sysrev.search import http
from sysrev.search.http import BadBody, DeadlineExceeded, HttpError, redact

_SYSREV_AGENT = f"sysrev/{__version__} (systematic review toolkit)"


class _FakeTime:
    """Stands in for the ``time`` module inside ``sysrev.search.http``: ``monotonic`` reads ``now``, which only
    moves when a test moves it (the rate limiter keeps its own fake clock)."""

    def __init__(self, now=5000.0):
        self.now = now

    def monotonic(self):
        return self.now


@pytest.fixture
def frozen(monkeypatch):
    fake = _FakeTime()
    monkeypatch.setattr(http, "time", fake)
    return fake


class _LateSession(requests.Session):
    """A real session whose body reads move ``fake`` an hour on once ``after`` bytes have been read: the deadline
    passes exactly then, however the bytes were split into pieces."""

    def __init__(self, fake, after):
        super().__init__()
        self.fake, self.after = fake, after

    def get(self, *args, **kwargs):
        response = super().get(*args, **kwargs)
        read1, got = response.raw.read1, [0]

        def late_read1(*a, **k):
            piece = read1(*a, **k)
            got[0] += len(piece)
            if got[0] >= self.after:
                self.fake.now += 3600.0
            return piece

        response.raw.read1 = late_read1
        return response


# --- redaction of secrets URL encoding changes ----------------------------------------------------------------


def test_a_secret_with_a_slash_is_masked_in_its_url_encoded_form():
    # URL encoding turns "/" into %2F in a query parameter; the encoded form is masked as well as the plain one
    assert redact("q=s%2Fk%2B1%40x&n=2", ["s/k+1@x"]) == "q=***&n=2"
    assert redact("q=s/k+1@x", ["s/k+1@x"]) == "q=***"


def test_a_server_echoing_an_encoded_secret_with_a_slash_is_quoted_masked(scripted, clock):
    server = scripted({"status": 400, "body": b"unknown term q=Ab%2Fcd%3D%3D in the query"})
    with pytest.raises(HttpError) as info:
        _client(clock, secrets=["Ab/cd=="]).get(server.url + "x", params={"q": "Ab/cd=="})
    assert str(info.value) == f"{server.url}x: HTTP 400: unknown term q=*** in the query"
    assert info.value.body == "unknown term q=*** in the query"
    assert server.requests[0]["query"] == {"q": "Ab/cd=="}


# --- the caller's User-Agent ---------------------------------------------------------------------------------


def test_a_session_with_plain_dict_headers_keeps_its_user_agent(scripted, clock):
    # ``session.headers = {...}`` is a common way to set headers: a plain dict, spelled as the caller spelled it
    session = requests.Session()
    session.headers = {"User-Agent": "my-harvester/3", "Accept": "*/*"}
    server = scripted({"body": b"<ok/>"})
    _client(clock, session=session).get(server.url)
    assert server.requests[0]["headers"]["User-Agent"] == "my-harvester/3"
    bare = requests.Session()
    bare.headers = {"Accept": "*/*"}  # no User-Agent at all: sysrev names itself
    _client(clock, session=bare).get(server.url)
    assert server.requests[1]["headers"]["User-Agent"] == _SYSREV_AGENT


# --- error bodies that are not valid UTF-8 --------------------------------------------------------------------


def test_an_error_body_that_is_not_utf8_is_quoted_with_replacement_characters(scripted, clock):
    server = scripted({"status": 404, "body": b"no such \xff\xfe record"})
    with pytest.raises(HttpError) as info:
        _client(clock).get(server.url + "efetch.fcgi")
    assert str(info.value) == f"{server.url}efetch.fcgi: HTTP 404: no such \ufffd\ufffd record"
    assert info.value.body == "no such \ufffd\ufffd record" and info.value.status == 404


def test_an_error_body_cut_at_500_bytes_inside_a_character_is_quoted(scripted, clock):
    # "é" is two bytes in UTF-8; the 500-byte cut leaves its first byte alone
    server = scripted({"status": 503, "body": ("a" * 499 + "é" * 10).encode()})
    with pytest.raises(HttpError) as info:
        _client(clock, max_attempts=2).get(server.url + "x")
    assert info.value.body == "a" * 499 + "\ufffd"
    assert str(info.value) == f"{server.url}x: HTTP 503: {'a' * 200}; gave up after 2 attempts"
    assert len(server.requests) == 2


# --- what a failure without any answer carries ----------------------------------------------------------------


def test_a_failure_without_any_answer_carries_no_body(scripted, clock):
    server = scripted({"body": b"<PubmedArticleSet>", "length": 5000})  # every answer cut off in transit
    client = _client(clock, max_attempts=2)
    with pytest.raises(HttpError) as info:
        client.get(server.url + "efetch.fcgi")
    assert info.value.status is None and info.value.body == "" and dict(info.value.headers) == {}
    assert client.stats["connection_errors"] == 2


def test_no_attempt_at_all_carries_no_status_body_or_headers(scripted, clock):
    server = scripted({"body": b"<ok/>"})
    with pytest.raises(HttpError) as info:
        _client(clock, max_attempts=0).get(server.url + "a?x=1")
    assert str(info.value) == f"{server.url}a: no attempt made; gave up after 0 attempts"
    assert (info.value.status, info.value.body, dict(info.value.headers)) == (None, "", {})
    assert server.requests == []


def test_the_last_attempt_alone_gives_the_failure_its_status_and_body(scripted, clock):
    # an earlier attempt's error body is not passed off as the body of a later failure without one
    server = scripted({"status": 503, "body": b"busy"}, {"body": b"late", "delay": 1.0})
    with pytest.raises(HttpError) as info:
        _client(clock, timeout=(1.0, 0.3), max_attempts=2).get(server.url + "a")
    assert str(info.value) == f"{server.url}a: no answer within 0.3 s; gave up after 2 attempts"
    assert (info.value.status, info.value.body, dict(info.value.headers)) == (None, "", {})

    def check(response):
        raise BadBody("cut off")

    server = scripted({"status": 503, "body": b"busy"}, {"body": b"<x", "headers": {"X-Trace": "t2"}})
    with pytest.raises(HttpError) as info:
        _client(clock, max_attempts=2).get(server.url + "b", check=check)
    assert str(info.value) == f"{server.url}b: unusable response (cut off); gave up after 2 attempts"
    assert (info.value.status, info.value.body, info.value.headers["x-trace"]) == (200, "", "t2")


def test_scopus_names_the_last_problem_not_an_earlier_attempts_error(scripted, clock):
    # a 500 with Elsevier's error body, then an answer cut short: the failure is the unusable answer (once read
    # as "Scopus answered HTTP 200 (GENERAL_SYSTEM_ERROR: Backend down)", from the first attempt's body)
    server = scripted(_elsevier(500, "GENERAL_SYSTEM_ERROR", "Backend down"),
                      {"body": b'{"search-results": ', "type": "application/json"})
    with pytest.raises(HttpError) as info:
        _scopus_api(server, clock).page("q")
    assert str(info.value).startswith(f"{server.url}content/search/scopus: unusable response (unusable Scopus "
                                      "answer (")
    assert str(info.value).endswith("; gave up after 2 attempts")
    assert info.value.status == 200 and info.value.body == "" and len(server.requests) == 2


def test_an_http_error_made_without_a_body_has_an_empty_one():
    error = HttpError("the answer declares XML entities; refused", status=200)
    assert (str(error), error.status, error.body, dict(error.headers)) == (
        "the answer declares XML entities; refused", 200, "", {})


# --- deadlines reached to the tick ----------------------------------------------------------------------------


def test_a_request_deadline_reached_exactly_sends_nothing(scripted, clock, frozen):
    server = scripted({"body": b"<ok/>"})
    with pytest.raises(DeadlineExceeded) as info:
        _client(clock, request_deadline=0).get(server.url + "a")  # the clock has not moved: now == deadline
    assert str(info.value) == (f"{server.url}a: no usable answer within the request deadline of 0 s; "
                               "last problem: no attempt made")
    with pytest.raises(DeadlineExceeded) as info:
        _client(clock, run_deadline=frozen.now).get(server.url + "a")
    assert str(info.value) == (f"{server.url}a: the search run reached its overall deadline (SYSREV_RUN_DEADLINE); "
                               "last problem: no attempt made")
    assert server.requests == []
    # a moment before the deadline an attempt is still made
    assert _client(clock, run_deadline=frozen.now + 0.5).get(server.url + "a").content == b"<ok/>"
    assert len(server.requests) == 1


def test_the_read_timeout_near_the_deadline_is_what_is_left(scripted, clock, frozen):
    # 0.3 s are left of the request's deadline: the answer, due after 0.8 s, is not waited for
    server = scripted({"body": b"late", "delay": 0.8})
    client = _client(clock, timeout=(5.0, 5.0), request_deadline=0.3, max_attempts=1)
    started = time.monotonic()
    with pytest.raises(HttpError) as info:
        client.get(server.url + "efetch.fcgi")
    assert time.monotonic() - started < 0.7
    assert str(info.value) == f"{server.url}efetch.fcgi: no answer within 5.0 s; gave up after 1 attempts"
    assert client.stats["timeouts"] == 1


def test_a_post_has_the_read_timeout_too(scripted, clock):
    server = scripted({"body": b"late", "delay": 1.0})
    client = _client(clock, timeout=(1.0, 0.3), max_attempts=1)
    started = time.monotonic()
    with pytest.raises(HttpError) as info:
        client.get(server.url + "esearch.fcgi", params={"term": "x" * 50}, post=True)
    assert time.monotonic() - started < 0.8
    assert str(info.value) == f"{server.url}esearch.fcgi: no answer within 0.3 s; gave up after 1 attempts"
    assert server.requests[0]["method"] == "POST" and client.stats["timeouts"] == 1


@pytest.mark.parametrize("size", [5, 100_000])  # one piece; more than one (a piece is at most 64 KiB)
def test_a_body_cut_off_by_the_deadline_counts_every_byte_received(scripted, clock, frozen, size):
    server = scripted({"body": b"x" * size})
    client = _client(clock, session=_LateSession(frozen, after=size), request_deadline=60.0, max_attempts=1)
    with pytest.raises(HttpError) as info:
        client.get(server.url + "efetch.fcgi")
    assert str(info.value) == (f"{server.url}efetch.fcgi: the answer was still arriving when the deadline passed "
                               f"({size} bytes received); gave up after 1 attempts")
    assert client.stats["timeouts"] == 1


# --- the body returned ------------------------------------------------------------------------------------------


def test_a_compressed_body_arrives_decompressed(scripted, clock):
    body = b"<eSearchResult><Count>3</Count></eSearchResult>" * 50
    server = scripted({"body": gzip.compress(body), "headers": {"Content-Encoding": "gzip"}})
    response = _client(clock).get(server.url + "esearch.fcgi")
    assert response.content == body and response.text == body.decode()


def test_the_returned_response_can_be_read_again_in_pieces(scripted, clock):
    body = b"line one\nline two\n" + b"z" * 1000
    server = scripted({"body": body})
    response = _client(clock).get(server.url)
    assert b"".join(response.iter_content(7)) == body
    assert list(response.iter_lines())[:2] == [b"line one", b"line two"]
    assert response.content == body


# --- the thread that says "still waiting" -----------------------------------------------------------------------


def test_still_waiting_is_said_from_a_named_daemon_thread(scripted, clock):
    """Named, so that a log format with %(threadName)s or a thread dump says what it is; a daemon, so that a
    process ending while a request is outstanding is not held open by it."""
    seen = []

    class Watch(logging.Handler):
        def emit(self, record):
            seen.append((record.getMessage(), record.threadName, threading.current_thread().daemon))

    server = scripted({"body": b"<ok/>", "delay": 0.45})
    logger = logging.getLogger("sysrev.search")
    handler, level = Watch(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        _client(clock, notice_every=0.1).get(server.url + "efetch.fcgi?api_key=K")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert seen
    assert {(name, daemon) for _, name, daemon in seen} == {("sysrev-still-waiting", True)}
    assert seen[0][0] == f"{server.url}efetch.fcgi: still waiting for an answer (0 s) …"
