"""The seed review's search strategies and its hand-made candidate file load with sysrev's own readers."""

import tomllib

from analyses_helpers import REPO

from sysrev.formats import read_references
from sysrev.project import load_project
from sysrev.search.strategies import load_strategies


def test_strategies_load_and_say_they_are_reconstructions():
    strategies = {s.name: s for s in load_strategies(REPO / "searches")}
    assert {s.database for s in strategies.values()} == {"pubmed", "scopus", "file"}
    assert strategies["pubmed"].maxdate == "2023-04-30" and strategies["pubmed"].datetype == "pdat"
    assert "[Mesh]" in strategies["pubmed"].query and "[tiab]" in strategies["pubmed"].query
    assert strategies["scopus"].query.startswith("TITLE-ABS-KEY(")
    assert strategies["cochrane"].database == "file" and strategies["cochrane"].query.startswith("#1 MeSH")
    for strategy in strategies.values():
        text = strategy.path.read_text(encoding="utf-8")
        assert tomllib.loads(text)["reconstruction"] is True
        assert "RECONSTRUCTION" in text or "reconstruction" in text.lower()
    databases = {d["name"] for d in load_project(REPO).config["databases"]}
    assert databases == {"PubMed", "Scopus", "Cochrane Library"}


def test_candidate_file_holds_the_eighteen_candidates_with_facts_as_seen():
    strategies = {s.name: s for s in load_strategies(REPO / "searches")}
    records = read_references(REPO / strategies["candidates"].file, source="candidates")
    assert len(records) == 18
    by_id = {r.source_id: r for r in records}
    jee = by_id["jee2014"]
    assert (jee.doi, jee.pmid, jee.year, jee.volume, jee.pages) == (
        "10.1016/j.apmr.2013.09.021", "24121083", 2014, "95", "330-337")
    # Fields that were not seen are absent, never guessed: Yang 2016's title was not verified.
    assert not by_id["yang2016"].title and by_id["yang2016"].doi == "10.1097/ajp.0000000000000237"
