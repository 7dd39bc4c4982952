"""Every real PubMed article in ../shared/fixtures/eutils, checked against the fixtures' feature index.

FEATURES_generated.tsv lists, per article, what it contains (structured abstract with n sections, no
abstract, inline markup, collective author, book article, …); the records sysrev makes must show it.
"""

import re
from collections import defaultdict

import pytest

from sysrev.search.pubmed_xml import records_from_xml

_TAG = re.compile(r"</?(i|b|u|sup|sub|mml:\w+|math)\b[^>]*>")


@pytest.fixture(scope="module")
def articles(shared_fixtures):
    base = shared_fixtures / "eutils"
    features = defaultdict(dict)
    for line in (base / "FEATURES_generated.tsv").read_text(encoding="utf-8").splitlines():
        path, pmid, flags = line.split("\t")
        features[path][pmid] = flags.split()
    parsed = {}
    for path, expected in features.items():
        if not (base / path).is_file() or "jabref" in path:  # JabRef's files are hand-edited, not NCBI output
            continue
        records = {r.pmid: r for r in records_from_xml((base / path).read_bytes())}
        for pmid, flags in expected.items():
            parsed[(path, pmid)] = (records.get(pmid), flags)
    return parsed


def test_every_indexed_article_is_read(articles):
    assert len(articles) > 150
    missing = [key for key, (record, _) in articles.items() if record is None]
    assert missing == []
    flags = [f.split("(")[0] for _, fs in articles.values() for f in fs]
    for feature, at_least in (("STRUCTURED_ABS", 20), ("NO_ABSTRACT", 10), ("COLLECTIVE", 3),
                              ("BOOK_ARTICLE", 1), ("ABS_INLINE_MARKUP", 30), ("Season", 5)):
        assert flags.count(feature) >= at_least, feature


def test_fields_match_the_feature_index(articles):
    for (path, pmid), (record, flags) in articles.items():
        where = f"{path} PMID {pmid}"
        assert record.source_id == pmid and record.url.endswith(f"/{pmid}/"), where
        assert not _TAG.search(record.title) and not _TAG.search(record.abstract), where
        if "NO_ABSTRACT" in flags:
            assert record.abstract == "", where
        structured = [f for f in flags if f.startswith("STRUCTURED_ABS")]
        if structured and "BOOK_ARTICLE" not in flags:
            sections = int(structured[0].split("(")[1].rstrip(")"))
            labels = re.findall(r"(?:^|\. |\) )([A-Z][A-Za-z &/,-]+): ", record.abstract)
            assert len(labels) >= min(sections, 2), where
        ids = next((f.split("=")[1].split(",") for f in flags if f.startswith("ids=")), [])
        if "doi" in ids:
            assert record.doi and record.doi == record.doi.lower() and record.doi.startswith("10."), where
        if "pmc" in ids:
            assert record.pmcid.startswith("PMC"), where
        if "COLLECTIVE" in flags:
            assert any("," not in a or " Group" in a or "Consortium" in a for a in record.authors), where
        if "BOOK_ARTICLE" not in flags:
            assert record.year is not None and 1700 < record.year < 2100, where
        assert all(a.strip() for a in record.authors), where


def _outcome(data):
    """The records of a document, or the error it raises."""
    from sysrev.search.pubmed_xml import PubmedXMLError

    try:
        return [r.to_dict() for r in records_from_xml(data)]
    except PubmedXMLError as exc:
        return f"error: {exc}"


def test_passing_over_unread_elements_changes_no_record(shared_fixtures, monkeypatch):
    """The elements the parser passes over for speed (reference lists, histories, affiliations …) hold
    nothing a record takes: every recorded EFetch file gives the same records (or the same error) with and
    without the skipping."""
    from sysrev.search import pubmed_xml

    documents = {path.name: path.read_bytes() for path in sorted((shared_fixtures / "eutils").rglob("*.xml"))}
    documents = {name: data for name, data in documents.items() if b"<PubmedArticle" in data}
    skipped = {name: _outcome(data) for name, data in documents.items()}
    assert sum(isinstance(outcome, list) for outcome in skipped.values()) > 150
    assert any(b"<ReferenceList" in data for data in documents.values())
    monkeypatch.setattr(pubmed_xml, "_UNREAD", frozenset())
    for name, data in documents.items():
        assert _outcome(data) == skipped[name], name
