"""Scopus connector against the local fake Search API: cursor, start/count with year slices, quota, errors."""

import json

import pytest
from search_fake_servers import SyntheticScopus

from sysrev.errors import SysrevError
from sysrev.search.scopus import QuotaExhausted, search_scopus
from sysrev.search.scopus_json import entry_to_record, parse_search_results
from sysrev.search.snapshot import read_snapshot


def _ids(outcome):
    manifest, records = read_snapshot(outcome.snapshot)
    ids = [r.source_id for r in records]
    assert len(ids) == len(set(ids)), "a record appears twice"
    return manifest, set(ids)


def test_cursor_paging_gets_everything(make_server, scopus_for, tmp_path):
    corpus = SyntheticScopus(130)
    server = make_server(scopus=corpus)
    outcome = search_scopus("TITLE-ABS-KEY(back pain)", out_dir=tmp_path, api=scopus_for(server))
    manifest, ids = _ids(outcome)
    assert ids == {e[0] for e in corpus.entries}
    assert manifest["paging"] == "cursor" and manifest["reported_count"] == 130 and manifest["gaps"] == []
    sent = server.requests("scopus")
    assert sent[0][2]["cursor"] == "*" and "start" not in sent[0][2]
    assert len(sent) == 7  # 6 pages of 25 with records, then none left


def test_refused_cursor_falls_back_to_year_slices_under_5000(make_server, scopus_for, tmp_path, monkeypatch):
    from sysrev.search import scopus

    monkeypatch.setattr(scopus, "MAX_RESULTS", 100)
    corpus = SyntheticScopus(260, cursor_allowed=False)
    server = make_server(scopus=corpus)
    outcome = search_scopus("ultrasound", out_dir=tmp_path, api=scopus_for(server), years=(2000, 2024))
    manifest, ids = _ids(outcome)
    assert ids == {e[0] for e in corpus.entries}
    assert manifest["paging"] == "start"
    assert all(s["count"] <= 100 for s in manifest["slices"]) and len(manifest["slices"]) >= 3
    assert all(c["ok"] for c in manifest["count_checks"])
    assert all(int(p.get("start", 0)) + 25 <= 100 for _, _, p, _ in server.requests("scopus") if "start" in p)


def test_single_year_over_the_ceiling_is_a_gap(make_server, scopus_for, tmp_path, monkeypatch):
    from sysrev.search import scopus

    monkeypatch.setattr(scopus, "MAX_RESULTS", 50)
    corpus = SyntheticScopus(80, first_year=2020, last_year=2020, cursor_allowed=False)
    server = make_server(scopus=corpus)
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server), years=(2019, 2020))
    manifest, ids = _ids(outcome)
    assert len(ids) == 50
    assert [g["kind"] for g in manifest["gaps"]] == ["over_limit"] and manifest["gaps"][0]["years"] == [2020, 2020]


def test_empty_result_quirk_gives_an_empty_snapshot(make_server, scopus_for, tmp_path):
    server = make_server(scopus=SyntheticScopus(10))
    outcome = search_scopus("nohits", out_dir=tmp_path, api=scopus_for(server))
    manifest, ids = _ids(outcome)
    assert ids == set() and manifest["reported_count"] == 0


def test_invalid_key_is_a_clear_error_without_the_key(make_server, scopus_for, tmp_path):
    server = make_server(scopus=SyntheticScopus(10))
    server.state.expected_key = "RIGHTKEY"
    with pytest.raises(SysrevError) as info:
        search_scopus("x", out_dir=tmp_path, api=scopus_for(server, key="WRONGKEY123"))
    message = str(info.value)
    assert "APIKEY_INVALID" in message and "The provided apiKey is invalid." in message
    assert "WRONGKEY123" not in message
    assert not (tmp_path / ".partial-scopus").exists()


def test_quota_exhausted_stops_cleanly_with_reset_time_then_resumes(make_server, scopus_for, tmp_path):
    corpus = SyntheticScopus(100)
    server = make_server(scopus=corpus)
    server.state.quota = 2  # two pages, then the third request meets an empty quota
    server.state.quota_reset = 1_800_604_800  # a week after "now"
    with pytest.raises(QuotaExhausted) as info:
        search_scopus("x", out_dir=tmp_path, api=scopus_for(server))
    assert "2027-01-22" in str(info.value) and "--resume" in str(info.value)
    assert (tmp_path / ".partial-scopus" / "records.jsonl").read_text().count("\n") == 50
    server.state.quota = None  # the quota has reset
    with pytest.raises(SysrevError, match="an interrupted run of 'scopus' is saved"):
        search_scopus("x", out_dir=tmp_path, api=scopus_for(server))  # taken up only when asked (--resume)
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server), resume=True)
    manifest, ids = _ids(outcome)
    assert ids == {e[0] for e in corpus.entries} and manifest["resumed"] is True


def test_quota_reset_soon_is_waited_for(make_server, scopus_for, tmp_path, clock):
    corpus = SyntheticScopus(60)
    server = make_server(scopus=corpus)
    server.state.quota = 1
    server.state.quota_reset = 1_800_000_120  # two minutes after "now"
    api = scopus_for(server)
    first = {"done": False}
    original = api._wait_for_quota

    def wait_then_reset():
        if api.quota_remaining == 0 and not first["done"]:
            first["done"] = True
            server.state.quota = 100
        original()

    api._wait_for_quota = wait_then_reset
    outcome = search_scopus("x", out_dir=tmp_path, api=api)
    _, ids = _ids(outcome)
    assert len(ids) == 60
    assert any(119 <= s <= 125 for s in clock.sleeps)


def test_transient_errors_are_retried(make_server, scopus_for, tmp_path):
    corpus = SyntheticScopus(30)
    server = make_server(scopus=corpus)
    server.fault("scopus", "503")
    server.fault("scopus", "truncate")
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server))
    _, ids = _ids(outcome)
    assert len(ids) == 30


def test_key_and_token_are_sent_in_headers_only(make_server, scopus_for, tmp_path):
    server = make_server(scopus=SyntheticScopus(3))
    search_scopus("x", out_dir=tmp_path, api=scopus_for(server, key="K123", insttoken="T456"))
    params = server.requests("scopus")[0][2]
    assert "K123" not in json.dumps(params) and "apiKey" not in params
    text = "".join(p.read_text() for p in tmp_path.rglob("*.json*"))
    assert "K123" not in text and "T456" not in text


def test_recorded_real_standard_view(shared_fixtures):
    data = json.loads((shared_fixtures / "scopus" / "api_json_recorded" / "search_blockchain_standard_view.json")
                      .read_text(encoding="utf-8"))
    total, entries, cursor = parse_search_results(data)
    assert total == 50833 and len(entries) == 25 and cursor is None
    # the whole record: the e-ISSN (no print ISSN), the first author only (said so), the link to Scopus's page
    assert entry_to_record(entries[0]).to_dict() == {
        "source_id": "2-s2.0-84979828304", "source": "scopus",
        "title": "Blockchains and Smart Contracts for the Internet of Things", "abstract": "",
        "authors": ["Christidis, K."], "year": 2016, "journal": "IEEE Access", "journal_abbrev": "", "volume": "4",
        "issue": "", "pages": "2292-2303", "doi": "10.1109/access.2016.2566339", "pmid": "", "pmcid": "",
        "issn": "2169-3536", "language": "", "publication_types": ["Review"], "keywords": [],
        "url": "https://www.scopus.com/inward/record.uri?partnerID=HzOxMe3b&scp=84979828304&origin=inward",
        "extra": {"citedby-count": "1839", "article-number": "7467408", "source-id": "21100374601",
                  "prism:aggregationType": "Journal", "first_author_only": True, "scopus_id": "84979828304"}}
    # a PLOS ONE article has no page range: its article number stands for the pages; a proceedings' ISBN is kept
    by_eid = {e["eid"]: entry_to_record(e) for e in entries}
    plos = next(r for r in by_eid.values() if r.pmid == "27695049")
    assert (plos.pages, plos.issn, plos.extra["article-number"]) == ("e0163477", "1932-6203", "e0163477")
    assert sum("isbn" in r.extra for r in by_eid.values()) == 11


def test_recorded_real_empty_and_error_bodies(make_server, scopus_for, tmp_path, shared_fixtures):
    base = shared_fixtures / "scopus" / "api_json_recorded"
    total, entries, _ = parse_search_results(json.loads((base / "search_zero_results.json").read_text()))
    assert total == 0 and entries == []
    server = make_server(scopus=SyntheticScopus(0))
    server.state.replay["scopus"] = [(401, {"Content-Type": "application/json"},
                                      (base / "error_401_apikey_invalid.json").read_bytes())]
    with pytest.raises(SysrevError, match="APIKEY_INVALID: The provided apiKey is invalid"):
        search_scopus("x", out_dir=tmp_path, api=scopus_for(server))


def test_scopus_markup_and_complete_view_authors():
    record = entry_to_record({
        "eid": "2-s2.0-1", "dc:title": "CO<inf>2</inf> and H<sup>+</sup> levels",
        "dc:description": "<p>Some abstract.</p>", "prism:pageRange": "575-86",
        "author": [{"surname": "Smith", "given-name": "Jane"}, {"authname": "Doe J."}],
        "authkeywords": "pain | ultrasound", "pubmed-id": "123", "prism:coverDate": "2019-02-01",
    })
    assert record.title == "CO2 and H+ levels" and record.abstract == "Some abstract."
    assert record.authors == ["Smith, Jane", "Doe, J."] and "first_author_only" not in record.extra
    assert record.keywords == ["pain", "ultrasound"] and record.pmid == "123" and record.pages == "575-586"


def test_replayed_real_empty_result_gives_an_empty_snapshot(make_server, scopus_for, tmp_path, shared_fixtures):
    """The recorded answer to a search without hits, served as the API serves it, through a whole run."""
    body = (shared_fixtures / "scopus" / "api_json_recorded" / "search_zero_results.json").read_bytes()
    server = make_server(scopus=SyntheticScopus(0))
    server.state.replay["scopus"] = [(200, {"Content-Type": "application/json"}, body)]
    outcome = search_scopus("大笨狗", out_dir=tmp_path, api=scopus_for(server))
    manifest, ids = _ids(outcome)
    assert ids == set() and manifest["reported_count"] == 0 and manifest["gaps"] == []
    assert len(server.requests("scopus")) == 1  # the empty first page ends the run


def _page_body(total, entries, next_cursor=None):
    results = {"opensearch:totalResults": str(total), "entry": entries or [{"@_fa": "true",
                                                                              "error": "Result set was empty"}]}
    if next_cursor:
        results["cursor"] = {"@current": "x", "@next": next_cursor}
    return json.dumps({"search-results": results}).encode()


def test_cursor_that_runs_out_before_the_total_is_a_gap(make_server, scopus_for, tmp_path):
    corpus = SyntheticScopus(130)
    server = make_server(scopus=corpus)
    # The third page comes back empty although 130 results were reported (the cursor "runs dry").
    server.fault("scopus", "body", body=_page_body(130, [], "c50"), type="application/json",
                 match={"cursor": "c50"})
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server))
    manifest, ids = _ids(outcome)
    assert len(ids) == 50 and manifest["reported_count"] == 130
    [gap] = manifest["gaps"]
    assert gap["kind"] == "cursor_short" and "after 50 of the 130" in gap["detail"]


def test_short_page_in_start_paging_is_a_gap(make_server, scopus_for, tmp_path):
    corpus = SyntheticScopus(60, cursor_allowed=False)
    server = make_server(scopus=corpus)
    ten = [corpus.entry(eid, year) for eid, year in corpus.entries[25:35]]
    server.fault("scopus", "body", body=_page_body(60, ten), type="application/json", match={"start": "25"})
    outcome = search_scopus("x", out_dir=tmp_path, api=scopus_for(server))
    manifest, ids = _ids(outcome)
    assert len(ids) == 45  # 25 + 10 + 10
    [gap] = manifest["gaps"]
    assert (gap["kind"], gap["start"]) == ("short_page", 25) and "returned 10 of the 25" in gap["detail"]


def test_quota_headers_that_are_no_plain_number_are_ignored(scopus_for):
    """Latin-1 headers can carry '²', which str.isdigit() accepts and int() refuses: such a quota header is
    ignored like any other unreadable one, never a crash mid-search."""
    from types import SimpleNamespace

    api = scopus_for(SimpleNamespace(scopus_url="http://127.0.0.1:9/"))
    api._read_quota({"X-RateLimit-Remaining": "²", "X-RateLimit-Reset": "³"})
    assert (api.quota_remaining, api.quota_reset) == (None, None)
    api._read_quota({"X-RateLimit-Remaining": " 17 ", "X-RateLimit-Reset": "1800000100"})
    assert (api.quota_remaining, api.quota_reset) == (17, 1800000100)


@pytest.mark.parametrize("view, says_view", [("STANDARD", False), ("COMPLETE", True)])
def test_an_authorization_error_says_what_it_can_mean(make_server, scopus_for, tmp_path, view, says_view):
    """Elsevier answers AUTHORIZATION_ERROR for a wrong key and for a valid one used off the subscriber's network
    (or asking for a view it is not entitled to): the message names each, not only the key."""
    server = make_server(scopus=SyntheticScopus(10))
    body = (b'{"service-error":{"status":{"statusCode":"AUTHORIZATION_ERROR","statusText":"The requestor is not '
            b'authorized to access the requested view or fields of the resource"}}}')
    server.fault("scopus", "body", times=99, body=body, type="application/json", status=401)
    with pytest.raises(SysrevError) as info:
        search_scopus("x", out_dir=tmp_path, api=scopus_for(server, view=view))
    message = str(info.value)
    assert "check ELSEVIER_API_KEY" in message and "ELSEVIER_INSTTOKEN" in message
    assert ('view = "STANDARD"' in message) == says_view
