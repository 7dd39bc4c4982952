"""PubMed's client at its edges, run against the local fake E-utilities server: a search holding exactly as many
records as ESearch and EFetch give for one search is fetched whole, not split into date slices; a configuration
given is the one used."""

from datetime import date

from search_fake_servers import SyntheticPubmed

from sysrev.search import pubmed
from sysrev.search.pubmed import search_pubmed
from sysrev.search.snapshot import read_snapshot


def test_a_search_of_exactly_the_limit_is_one_slice(make_server, eutils_for, tmp_path, monkeypatch):
    """LIMIT records fit in one search: splitting it would cost ESearch requests and write count checks for
    slices that were never needed."""
    monkeypatch.setattr(pubmed, "LIMIT", 20)
    server = make_server(pubmed=SyntheticPubmed(20))
    outcome = search_pubmed("q", out_dir=tmp_path, batch_size=10, eutils=eutils_for(server), today=date(2025, 6, 1))
    manifest, records = read_snapshot(outcome.snapshot)
    assert len(server.requests("esearch")) == 1
    assert manifest["slices"] == [{"window": None, "count": 20}]
    assert manifest["count_checks"] == [] and manifest["gaps"] == []
    assert len(records) == 20


def test_a_search_given_a_configuration_uses_it_not_the_users(make_server, tmp_path, monkeypatch):
    """search_pubmed(config=…) without a client builds its client from that configuration (its server, its
    rate): the user's configuration file is read only when none is given."""
    from sysrev.search import ratelimit
    from sysrev.search.config import SearchConfig

    def users_configuration():
        raise AssertionError("the user's configuration was read although one was given")

    monkeypatch.setattr(pubmed, "load_config", users_configuration)
    monkeypatch.setattr(ratelimit, "_registry", {})
    monkeypatch.setenv("SYSREV_CACHE_DIR", str(tmp_path / "cache"))
    server = make_server(pubmed=SyntheticPubmed(3))
    outcome = search_pubmed("q", out_dir=tmp_path / "out", config=SearchConfig(eutils_url=server.url))
    assert outcome.retrieved == 3 and outcome.stats["requests"] == 2  # one ESearch, one EFetch
    assert ratelimit.shared_limiter("eutils", 100).rate == 3  # no API key: three requests a second
