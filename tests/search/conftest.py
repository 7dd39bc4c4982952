"""Fixtures of the search tests: the local fake E-utilities/Scopus server and a clock that never sleeps."""

import pytest
from search_fake_servers import FakeServer

from sysrev.search.config import SearchConfig
from sysrev.search.http import HttpClient
from sysrev.search.pubmed import EUtils
from sysrev.search.ratelimit import RateLimiter


class FakeClock:
    """A monotonic clock that ``sleep`` advances instantly; records every sleep."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def scripted():
    """Make servers that answer a script of responses (``test_client_details.Scripted``); all closed after."""
    from test_client_details import Scripted

    made = []

    def make(*answers):
        server = Scripted(answers)
        made.append(server)
        return server

    yield make
    for server in made:
        server.close()


@pytest.fixture
def make_server():
    """``make_server(pubmed=SyntheticPubmed(n) | None, scopus=…, enforce_rate=None)`` → a started FakeServer."""
    servers = []

    def make(pubmed=None, scopus=None, enforce_rate=None):
        server = FakeServer(pubmed=pubmed, scopus=scopus, enforce_rate=enforce_rate).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def eutils_for(clock):
    """``eutils_for(server, api_key="", email="", timeout=0.5)`` → an EUtils client that never really sleeps."""

    def make(server, api_key="", email="", timeout=0.5, max_attempts=4):
        config = SearchConfig(eutils_url=server.url, ncbi_api_key=api_key, ncbi_email=email)
        limiter = RateLimiter(10 if api_key else 3, clock=clock, sleep=clock.sleep)
        http = HttpClient(limiter, secrets=config.secrets(), timeout=(1.0, timeout), max_attempts=max_attempts)
        return EUtils(config, http=http)

    return make



@pytest.fixture
def scopus_for(clock):
    """``scopus_for(server, key="KEY", count=25, max_quota_wait=900, view="STANDARD")`` → a ScopusAPI that never
    really sleeps."""
    from sysrev.search.scopus import ScopusAPI

    def make(server, key="TESTKEY", count=25, max_quota_wait=900.0, now=1_800_000_000.0, insttoken="",
             view="STANDARD"):
        config = SearchConfig(scopus_url=server.scopus_url, elsevier_api_key=key, elsevier_insttoken=insttoken)
        http = HttpClient(RateLimiter(6, clock=clock, sleep=clock.sleep), secrets=config.secrets(),
                          timeout=(1.0, 0.5), max_attempts=4)
        return ScopusAPI(config, http=http, view=view, count=count, max_quota_wait=max_quota_wait,
                         sleep=clock.sleep, now=lambda: now)

    return make
