"""Record normalisation on the project's own hand-written fixtures (run without ../shared/fixtures)."""

import json

from sysrev.search.pubmed_xml import records_from_xml
from sysrev.search.scopus_json import entry_to_record, parse_search_results


def test_pubmed_article_fields(own_fixtures):
    article, book = records_from_xml((own_fixtures / "search" / "pubmed_article_and_book.xml").read_bytes())
    assert article.to_dict() == {
        "source_id": "90000001", "source": "pubmed",
        "title": "Ultrasound- versus fluoroscopy-guided caudal epidural injection: a randomised trial.",
        "abstract": ("BACKGROUND: Epidural injections relieve pain in H2-blocked patients. METHODS: Sixty patients "
                     "were randomised (p < 0.05 considered significant). CONCLUSIONS: Both guidance methods work."),
        "authors": ["Østergaard, Søren K", "Park, J Jr", "Spine Intervention Trial Group"],
        "year": 1998,  # from MedlineDate "1998 Dec-1999 Jan"
        "journal": "Pain physician", "journal_abbrev": "Pain Physician", "volume": "21", "issue": "3",
        "pages": "575-586",
        "doi": "10.36076/ppj.1999.575",  # lower case, resolver prefix removed
        "pmid": "90000001", "pmcid": "PMC9000001", "issn": "1533-3159", "language": "eng",
        "publication_types": ["Randomized Controlled Trial"], "keywords": ["epidural"],
        "url": "https://pubmed.ncbi.nlm.nih.gov/90000001/", "extra": {}}


def test_pubmed_book_article_fields(own_fixtures):
    _, book = records_from_xml((own_fixtures / "search" / "pubmed_article_and_book.xml").read_bytes())
    assert book.to_dict() == {
        "source_id": "90000002", "source": "pubmed", "title": "Image guidance for spinal injections",
        "abstract": "Chapter abstract.", "authors": ["Doe, Jane"], "year": 2020, "journal": "Back Pain: A Handbook",
        "journal_abbrev": "", "volume": "", "issue": "", "pages": "", "doi": "", "pmid": "90000002", "pmcid": "",
        "issn": "", "language": "eng", "publication_types": ["Review"], "keywords": [],
        "url": "https://pubmed.ncbi.nlm.nih.gov/90000002/",
        "extra": {"publisher": "Example University Press", "isbn": [], "bookaccession": "NBK0001"}}


def test_scopus_complete_view_fields(own_fixtures):
    data = json.loads((own_fixtures / "search" / "scopus_complete_view.json").read_text(encoding="utf-8"))
    total, entries, cursor = parse_search_results(data)
    assert total == 2 and cursor == "AoJ4hand-written"
    full, sparse = (entry_to_record(e).to_dict() for e in entries)
    empty = {"abstract": "", "journal": "", "journal_abbrev": "", "volume": "", "issue": "", "pages": "", "doi": "",
             "pmid": "", "pmcid": "", "issn": "", "language": "", "publication_types": [], "keywords": [], "url": ""}
    assert full == {
        **empty, "source_id": "2-s2.0-90000000001", "source": "scopus",
        "title": "Ultrasound-guided injection: CO2 and 18F findings",
        "abstract": "© 2020 The Authors. Background: a hand-written COMPLETE-view entry for sysrev's tests.",
        "authors": ["Østergaard, Søren K.", "Park, J."], "year": 2020, "journal": "Pain Physician", "volume": "23",
        "issue": "4", "pages": "E101-E109", "doi": "10.36076/ppj.2020.e101", "pmid": "90000001",
        "issn": "1533-3159", "publication_types": ["Article"], "keywords": ["ultrasound", "fluoroscopy", "epidural"],
        "url": "https://www.scopus.com/inward/record.uri?eid=2-s2.0-90000000001",
        "extra": {"scopus_id": "90000000001"}}  # no first_author_only: the COMPLETE view's author list
    assert sparse == {**empty, "source_id": "2-s2.0-90000000002", "source": "scopus",
                      "title": "A record with little metadata", "authors": ["Nguyen, T."], "year": 2019,
                      "extra": {"first_author_only": True}}
