"""Scopus' client at its edges, run against a local scripted server answering as the Elsevier Search API does:
the gaps a year-limited cursor run writes name the years searched."""

from test_client_details import _scopus_api, _scopus_page

from sysrev.search.scopus import search_scopus


def test_a_year_limited_cursor_that_runs_dry_names_its_years(scripted, clock, tmp_path):
    """The cursor stops moving after 3 of the 5 results reported: the gap says which years' results are missing,
    so a later run can fetch them again."""
    server = scripted(_scopus_page(5, ["2-s2.0-1", "2-s2.0-2"], "c1"), _scopus_page(5, ["2-s2.0-3"], "c1"))
    outcome = search_scopus("x", out_dir=tmp_path, api=_scopus_api(server, clock, count=2), years=(2019, 2021))
    assert [(r["query"]["cursor"], r["query"]["date"]) for r in server.requests] == [("*", "2019-2021"),
                                                                                      ("c1", "2019-2021")]
    assert outcome.retrieved == 3
    assert outcome.gaps == [{"kind": "cursor_short", "years": [2019, 2021], "count": 5,
                             "detail": "the cursor ran out after 3 of the 5 results Scopus reported; the rest were "
                                       "not delivered"}]


def test_a_first_page_whose_next_cursor_is_the_first_one_ends_the_paging(scripted, clock, tmp_path):
    """A next cursor equal to the one just used (``*`` on the first page) would only fetch the same page again:
    the run stops after one request and says what is missing."""
    server = scripted(_scopus_page(4, ["2-s2.0-1", "2-s2.0-2"], "*"))
    outcome = search_scopus("x", out_dir=tmp_path, api=_scopus_api(server, clock, count=2))
    assert [r["query"]["cursor"] for r in server.requests] == ["*"]
    assert outcome.retrieved == 2
    assert outcome.gaps == [{"kind": "cursor_short", "years": None, "count": 4,
                             "detail": "the cursor ran out after 2 of the 4 results Scopus reported; the rest were "
                                       "not delivered"}]
