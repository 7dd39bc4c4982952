"""The field rules every reader shares (sysrev.formats.fields), each with its exact result."""

import pytest

from sysrev.formats.fields import build_record, doi_from, join_pages, pmid_in_url, single_names


@pytest.mark.parametrize("value, urls_only, doi", [
    ("HTTPS://DX.DOI.ORG/10.1000/ABC", True, "10.1000/abc"),  # a resolver URL in any case
    ("DOI: 10.1000/x", True, "10.1000/x"),
    ("10.1000/y", True, "10.1000/y"),
    ("https://sfx.example.org/?id=doi:10.1000/x&sid=y", True, ""),  # a link resolver merely mentioning a DOI
    ("https://sfx.example.org/?id=doi:10.1000/x&sid=y", False, "10.1000/x&sid=y"),
])
def test_doi_from(value, urls_only, doi):
    assert doi_from(value, urls_only=urls_only) == doi


@pytest.mark.parametrize("start, end, pages", [
    ("12", "15", "12-15"), ("575-86", "590", "575-586"),  # a range already in the start page is kept
    ("Available: http://x.org/1", "", ""), ("1" * 31, "", ""), ("No", "Specified", ""),
    ("pii: S0140-6736(19)30001-1", "", ""), ("pii: E1392", "", "E1392"), ("pp 37-64", "", "37-64"),
])
def test_join_pages(start, end, pages):
    assert join_pages(start, end) == pages


def test_a_start_page_of_exactly_the_longest_length_is_kept():
    assert join_pages("1" * 30) == "1" * 30


def test_pmid_in_url_is_empty_without_a_pubmed_link():
    assert pmid_in_url("https://example.org/31234567") == ""
    assert pmid_in_url("https://example.org/x", "https://pubmed.ncbi.nlm.nih.gov/31234567/") == "31234567"


def test_single_names_drop_markup_placeholders_and_missing_values():
    names = single_names(["<i>Smith</i>, J; Lee, K", "Jones &amp; Co", "et al.", "[No author name available]"])
    assert [n.strip() for n in names] == ["Smith, J", "Lee, K", "Jones & Co"]


@pytest.mark.parametrize("year", [2019, 2019.0, " 2019 ", "2019///"])
def test_a_year_in_any_form_is_read(year):
    record = build_record(source_id="x", year=year)
    assert (record.year, record.source, record.issn) == (2019, "", "")
