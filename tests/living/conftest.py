"""Fixtures of the living-review tests: the local E-utilities stand-in of tests/search (loopback only)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "search"))

from search_fake_servers import FakeServer  # noqa: E402


@pytest.fixture
def eutils_server(monkeypatch):
    """``eutils_server(corpus)`` → a started fake E-utilities server that sysrev's searches are pointed at
    (``SYSREV_EUTILS_URL``); no credentials in the environment."""
    servers = []

    def start(corpus):
        server = FakeServer(pubmed=corpus).start()
        servers.append(server)
        monkeypatch.setenv("SYSREV_EUTILS_URL", server.url)
        monkeypatch.setenv("SYSREV_CONFIG", str(Path(server.url and "/nonexistent/sysrev-config.toml")))
        for name in ("NCBI_API_KEY", "NCBI_EMAIL", "ELSEVIER_API_KEY", "ELSEVIER_INSTTOKEN"):
            monkeypatch.delenv(name, raising=False)
        return server

    yield start
    for server in servers:
        server.stop()
