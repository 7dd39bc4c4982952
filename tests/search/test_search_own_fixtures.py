"""Record normalisation on the project's own hand-written fixtures (run without ../shared/fixtures)."""

import json

from sysrev.search.pubmed_xml import records_from_xml
from sysrev.search.scopus_json import entry_to_record, parse_search_results


def test_pubmed_article_fields(own_fixtures):
    article, book = records_from_xml((own_fixtures / "search" / "pubmed_article_and_book.xml").read_bytes())
    assert article.source_id == article.pmid == "90000001" and article.source == "pubmed"
    assert article.title == ("Ultrasound- versus fluoroscopy-guided caudal epidural injection: a randomised "
                             "trial.")
    assert article.abstract == ("BACKGROUND: Epidural injections relieve pain in H2-blocked patients. "
                                "METHODS: Sixty patients were randomised (p < 0.05 considered significant). "
                                "CONCLUSIONS: Both guidance methods work.")
    assert article.authors == ["Østergaard, Søren K", "Park, J Jr", "Spine Intervention Trial Group"]
    assert article.year == 1998  # from MedlineDate "1998 Dec-1999 Jan"
    assert article.pages == "575-586"
    assert article.doi == "10.36076/ppj.1999.575"  # lower case, resolver prefix removed
    assert article.pmcid == "PMC9000001" and article.issn == "1533-3159"
    assert article.journal == "Pain physician" and article.journal_abbrev == "Pain Physician"
    assert (article.volume, article.issue, article.language) == ("21", "3", "eng")
    assert article.publication_types == ["Randomized Controlled Trial"] and article.keywords == ["epidural"]


def test_pubmed_book_article_fields(own_fixtures):
    _, book = records_from_xml((own_fixtures / "search" / "pubmed_article_and_book.xml").read_bytes())
    assert book.pmid == "90000002" and book.title == "Image guidance for spinal injections"
    assert book.journal == "Back Pain: A Handbook" and book.year == 2020
    assert book.authors == ["Doe, Jane"] and book.abstract == "Chapter abstract."
    assert book.extra["publisher"] == "Example University Press"


def test_scopus_complete_view_fields(own_fixtures):
    data = json.loads((own_fixtures / "search" / "scopus_complete_view.json").read_text(encoding="utf-8"))
    total, entries, cursor = parse_search_results(data)
    assert total == 2 and cursor == "AoJ4hand-written"
    full, sparse = (entry_to_record(e) for e in entries)
    assert full.source_id == "2-s2.0-90000000001" and full.source == "scopus"
    assert full.title == "Ultrasound-guided injection: CO2 and 18F findings"
    assert full.authors == ["Østergaard, Søren K.", "Park, J."] and "first_author_only" not in full.extra
    assert full.doi == "10.36076/ppj.2020.e101" and full.pmid == "90000001" and full.year == 2020
    assert full.pages == "E101-E109" and full.issn == "1533-3159"
    assert full.keywords == ["ultrasound", "fluoroscopy", "epidural"]
    assert full.url.endswith("eid=2-s2.0-90000000001") and full.extra["scopus_id"] == "90000000001"
    assert sparse.authors == ["Nguyen, T."] and sparse.extra["first_author_only"] is True and sparse.year == 2019
