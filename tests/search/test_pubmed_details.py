"""PubMed's client at its edges, run against the local fake E-utilities server: a search holding exactly as many
records as ESearch and EFetch give for one search is fetched whole, not split into date slices."""

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
