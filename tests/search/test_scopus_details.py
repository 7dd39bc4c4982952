"""Scopus' client at its edges, run against a local scripted server answering as the Elsevier Search API does:
the gaps a cursor run writes (the years searched, a cursor that does not move, a run saved by an older sysrev)."""

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


def test_a_run_saved_before_restarts_were_counted_resumes_and_names_its_gap(scripted, clock, tmp_path):
    """A cursor run saved mid-restart by a sysrev that did not yet record where the restart began (no
    ``cursor_pass_from``): resumed, its ``*`` page fails for good, and the gap counts the pages it saved."""
    import json

    body = b'{"service-error":{"status":{"statusCode":"INVALID_INPUT","statusText":"Cursor expired"}}}'
    server = scripted({"status": 400, "body": body, "type": "application/json"})
    api = _scopus_api(server, clock, count=2)
    folder = tmp_path / ".partial-scopus"
    folder.mkdir()
    params = {"database": "scopus", "query": "x", "years": None, "since": None, "view": "STANDARD", "count": 2}
    state = {"params": params, "done": ["cursor@0", "cursor@1"], "gaps": [], "mode": "cursor",
             "plan": [{"years": None, "count": 6}], "reported": 6, "checks": [], "plan_gaps": [], "cursor": "*",
             "cursor_pages": 2, "cursor_entries": 0}
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")
    outcome = search_scopus("x", out_dir=tmp_path, api=api, resume=True)
    assert [r["query"]["cursor"] for r in server.requests] == ["*"]
    assert outcome.gaps == [{"kind": "cursor_pages", "years": None, "after_page": 2,
                             "detail": "pages from 3 on were not fetched: Scopus answered HTTP 400 "
                                       "(INVALID_INPUT: Cursor expired)"}]
