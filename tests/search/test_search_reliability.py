"""Issue 17, items 5-7 and 16: searches end in bounded time, leave no process behind, share one rate limit
across processes, and retry a well-formed answer that holds no article."""

import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from search_fake_servers import SyntheticPubmed

from sysrev.search.http import DeadlineExceeded, HttpClient
from sysrev.search.pubmed import search_pubmed
from sysrev.search.ratelimit import RateLimiter


class _Stalling:
    """A loopback server that answers every request badly: ``drip`` sends headers and then one byte at a
    time; ``silent`` accepts the connection and never says anything."""

    def __init__(self, mode: str, gap: float = 0.3):
        self.mode, self.gap = mode, gap
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/efetch.fcgi"
        self.stopped = threading.Event()
        self.held = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.held.append(conn)
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        if self.mode == "silent":
            return
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n")
            while not self.stopped.is_set():
                conn.sendall(b"<")
                time.sleep(self.gap)
        except OSError:
            pass

    def close(self):
        self.stopped.set()
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.mark.parametrize("mode", ["drip", "silent"])
def test_a_request_has_a_total_deadline_and_says_it_is_waiting(clock, caplog, mode):
    server = _Stalling(mode)
    client = HttpClient(RateLimiter(3, clock=clock, sleep=clock.sleep), timeout=(1.0, 1.0), max_attempts=6,
                        backoff=0.1, request_deadline=2.5, notice_every=0.5)
    started = time.monotonic()
    try:
        with caplog.at_level(logging.WARNING, logger="sysrev.search"):
            with pytest.raises(DeadlineExceeded, match="request deadline of 2.5 s"):
                client.get(server.url)
    finally:
        server.close()
    assert time.monotonic() - started < 2.5 + 1.5  # the deadline, plus at most one read timeout
    assert any("still waiting for an answer" in r.getMessage() for r in caplog.records)


def test_the_run_deadline_stops_retries_and_names_its_setting(clock):
    server = _Stalling("silent")
    client = HttpClient(RateLimiter(3, clock=clock, sleep=clock.sleep), timeout=(1.0, 0.5), max_attempts=50,
                        backoff=0.1, request_deadline=60, run_deadline=time.monotonic() + 1.5)
    try:
        with pytest.raises(DeadlineExceeded, match="SYSREV_RUN_DEADLINE"):
            client.get(server.url)
    finally:
        server.close()


def test_a_killed_search_leaves_no_process_behind(make_server, tmp_path):
    """SIGKILL a search that parses batches in the background: nothing of its process group may survive."""
    server = make_server(pubmed=SyntheticPubmed(3000))
    out = tmp_path / "runs"
    env = {**os.environ, "SYSREV_EUTILS_URL": server.url, "SYSREV_CONFIG": str(tmp_path / "none.toml"),
           "NCBI_API_KEY": "", "NCBI_EMAIL": ""}
    script = "import sys; from sysrev.cli.main import cli; sys.exit(cli())"
    process = subprocess.Popen([sys.executable, "-c", script, "search", "pubmed", "--query", "back pain",
                                "--batch-size", "40", "--out", str(out)], env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    group = process.pid
    try:
        partial = out / ".partial-pubmed" / "records.jsonl"
        deadline = time.monotonic() + 120
        while not (partial.is_file() and partial.stat().st_size > 0):  # batches are being parsed by now
            assert process.poll() is None and time.monotonic() < deadline, "the search ended before the kill"
            time.sleep(0.1)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        time.sleep(1.0)
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)  # raises when no process of the group is left
    finally:
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass


LIMIT_SCRIPT = textwrap.dedent("""
    import time
    from sysrev.search.ratelimit import shared_limiter
    limiter = shared_limiter("eutils", 3)
    for _ in range(5):
        limiter.wait()
        print(repr(time.time()), flush=True)
""")


def test_three_processes_share_one_rate_limit(tmp_path):
    env = {**os.environ, "SYSREV_CACHE_DIR": str(tmp_path / "cache")}
    processes = [subprocess.Popen([sys.executable, "-c", LIMIT_SCRIPT], env=env, stdout=subprocess.PIPE,
                                  text=True) for _ in range(3)]
    starts = sorted(float(line) for p in processes for line in p.communicate(timeout=120)[0].split())
    assert all(p.returncode == 0 for p in processes) and len(starts) == 15
    # 3 requests/s for the user, not for each process: 15 starts span at least 14 intervals of 1/3 s (three
    # separate limiters would finish in under 1.5 s). The times are taken after each wait returns, so a
    # loaded machine adds jitter: a tenth of the span is allowed, and one extra start in a one-second window.
    assert starts[-1] - starts[0] >= 0.9 * 14 / 3, starts
    assert max(sum(1 for t in starts if first <= t < first + 1.0) for first in starts) <= 4, starts


@pytest.mark.parametrize("answer", [b'<?xml version="1.0"?>\n<PubmedArticleSet/>\n',
                                    b"<?xml version='1.0'?>\n<html><body><p>Service maintenance</p></body></html>"])
def test_a_well_formed_answer_without_articles_is_retried_not_a_gap(make_server, eutils_for, tmp_path, answer):
    server = make_server(pubmed=SyntheticPubmed(30))
    server.fault("efetch", "body", times=2, body=answer)
    outcome = search_pubmed("back pain", out_dir=tmp_path, batch_size=50, eutils=eutils_for(server))
    assert outcome.gaps == [] and outcome.retrieved == 30


_LOGIN_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Sign in to the hospital network</title></head>"
               b"<body><form>Password</form></body></html>")


def test_a_web_page_instead_of_an_answer_is_retried_then_named(make_server, eutils_for, scopus_for, tmp_path, clock):
    """A proxy or a network's login page answers an API request with a web page and status 200: retried like a
    garbled body while it lasts; when it never goes away, the error says a web page (and its title) came back,
    not only that the answer was unusable."""
    from search_fake_servers import SyntheticScopus

    from sysrev.errors import SysrevError
    from sysrev.search.scopus import search_scopus
    from sysrev.search.snapshot import read_snapshot

    server = make_server(pubmed=SyntheticPubmed(15))
    server.fault("esearch", "body", times=2, body=_LOGIN_PAGE, type="text/html")
    outcome = search_pubmed("back pain", out_dir=tmp_path / "a", eutils=eutils_for(server), batch_size=10)
    assert len(read_snapshot(outcome.snapshot)[1]) == 15
    server.fault("esearch", "body", times=99, body=_LOGIN_PAGE, type="text/html")
    with pytest.raises(SysrevError, match="a web page titled 'Sign in to the hospital network' came back instead"):
        search_pubmed("back pain", out_dir=tmp_path / "b", eutils=eutils_for(server), batch_size=10)
    scopus = make_server(scopus=SyntheticScopus(10))
    scopus.fault("scopus", "body", times=99, body=_LOGIN_PAGE, type="text/html")
    with pytest.raises(SysrevError, match="a proxy, a network login page or the service's maintenance page"):
        search_scopus("x", out_dir=tmp_path / "c", api=scopus_for(scopus))
