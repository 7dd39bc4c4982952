"""A small review project and the local stand-in services for the full-text tests."""

import json
import textwrap

import pytest
from fulltext_fake_services import FakeServices

from sysrev.fulltext.services import FulltextConfig, OpenAccessFinder
from sysrev.project import load_project
from sysrev.search import ratelimit

REVIEW_TOML = textwrap.dedent("""
    [review]
    title = "Full-text test review"

    [screening]
    reviewers = ["alice"]
    reviewers_per_record = 1
    exclusion_reasons = ["wrong population"]
    highlight_terms = []
    """)

# r1: PMCID known; r2: PMID only (the ID converter finds its PMCID); r3: DOI only, open in Europe PMC;
# r4: DOI only, open PDF through Unpaywall; r5: DOI whose "PDF" link is a paywall page; r6: no identifier.
RECORDS = [
    {"record_id": "r1", "title": "Trial one", "pmcid": "PMC1001", "pmid": "111", "doi": "10.1000/one"},
    {"record_id": "r2", "title": "Trial two", "pmid": "222", "doi": ""},
    {"record_id": "r3", "title": "Trial three", "doi": "10.1000/three"},
    {"record_id": "r4", "title": "Trial four", "doi": "10.1000/four"},
    {"record_id": "r5", "title": "Trial five", "doi": "10.1000/five"},
    {"record_id": "r6", "title": "Trial six"},
]


@pytest.fixture(autouse=True)
def fresh_rate_limiters(monkeypatch):
    """Each test's finder builds its own rate limiters: none inherited from an earlier test (a pace lowered to
    NCBI's 3/s by a finder without an API key) or from a process that forked the test run (mutmut's runner:
    an inherited file lock refuses to work, so every test using a finder failed whatever the mutant)."""
    monkeypatch.setattr(ratelimit, "_registry", {})


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "review"
    (root / "records").mkdir(parents=True)
    (root / "review.toml").write_text(REVIEW_TOML, encoding="utf-8")
    lines = []
    for record in RECORDS:
        full = {"source_id": record["record_id"], "abstract": "", "authors": [], "year": 2020, "journal": "J",
                "pmid": "", "pmcid": "", "doi": "", **record}
        lines.append(json.dumps(full) + "\n")
    (root / "records" / "records.jsonl").write_text("".join(lines), encoding="utf-8")
    return load_project(root)


@pytest.fixture
def services():
    fake = FakeServices()
    yield fake
    fake.close()


@pytest.fixture
def config(services):
    return FulltextConfig(idconv_url=f"{services.url}/idconv/", eutils_url=f"{services.url}/eutils/",
                          europepmc_url=f"{services.url}/epmc/", unpaywall_url=f"{services.url}/unpaywall/",
                          ncbi_email="secret.sentinel@example.org", ncbi_api_key="SENTINELKEY123",
                          unpaywall_email="secret.sentinel@example.org")


@pytest.fixture
def finder(config):
    return OpenAccessFinder(config, timeout=(2.0, 2.0), max_attempts=3, backoff=0.01)
