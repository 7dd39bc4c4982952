"""PubMed connector against the local fake E-utilities: slicing, faults, gaps, resume, living updates."""

import json
import logging
from datetime import date

import pytest
from search_fake_servers import SyntheticPubmed

from sysrev.errors import SysrevError
from sysrev.search import pubmed
from sysrev.search.dates import DateWindow
from sysrev.search.partial import PartialRun
from sysrev.search.pubmed import search_pubmed
from sysrev.search.snapshot import read_snapshot, source_ids_sha256


def _run(server, eutils, tmp_path, query="back pain", **kwargs):
    kwargs.setdefault("batch_size", 10)
    return search_pubmed(query, out_dir=tmp_path, eutils=eutils, **kwargs)


def _assert_complete(outcome, corpus_ids):
    manifest, records = read_snapshot(outcome.snapshot)
    ids = [r.source_id for r in records]
    assert len(ids) == len(set(ids)), "a record appears twice"
    assert set(ids) == set(corpus_ids)
    assert manifest["source_ids_sha256"] == source_ids_sha256(corpus_ids)
    return manifest, records


def test_small_search_gets_every_record_once(make_server, eutils_for, tmp_path):
    corpus = SyntheticPubmed(35)
    server = make_server(pubmed=corpus)
    outcome = _run(server, eutils_for(server), tmp_path)
    manifest, records = _assert_complete(outcome, corpus.by_pmid)
    assert manifest["reported_count"] == 35 and manifest["retrieved_count"] == 35
    assert manifest["gaps"] == [] and manifest["query"] == "back pain"
    assert manifest["query_translation"] == "back pain[All Fields]"
    assert len(server.requests("efetch")) == 4  # 35 records in batches of 10
    assert not (tmp_path / ".partial-pubmed").exists()
    record = next(r for r in records if r.source_id == "30000003")  # i % 10 == 3 carries a MedlineDate
    assert (record.year == corpus.by_pmid["30000003"][1].year and record.pages == "575-586"
            and record.doi == "10.1000/syn.30000003")


def test_over_limit_is_split_by_date_and_counts_add_up(make_server, eutils_for, tmp_path, monkeypatch):
    monkeypatch.setattr(pubmed, "LIMIT", 40)
    corpus = SyntheticPubmed(150)
    server = make_server(pubmed=corpus)
    window = DateWindow(date(2000, 1, 1), date(2024, 12, 31), "pdat")
    outcome = _run(server, eutils_for(server), tmp_path, window=window)
    manifest, _ = _assert_complete(outcome, corpus.by_pmid)
    assert all(s["count"] <= 40 for s in manifest["slices"])
    assert sum(s["count"] for s in manifest["slices"]) == 150
    assert manifest["count_checks"] and all(c["ok"] for c in manifest["count_checks"])
    assert manifest["date_window"] == {"field": "pdat", "mindate": "2000-01-01", "maxdate": "2024-12-31"}


@pytest.mark.slow
def test_real_9999_limit_with_synthetic_corpus(make_server, eutils_for, tmp_path):
    corpus = SyntheticPubmed(10400, minimal=True)
    server = make_server(pubmed=corpus)
    window = DateWindow(date(2000, 1, 1), date(2025, 12, 31), "edat")
    outcome = _run(server, eutils_for(server), tmp_path, window=window, batch_size=5000)
    manifest, _ = _assert_complete(outcome, corpus.by_pmid)
    assert len(manifest["slices"]) == 2 and manifest["count_checks"][0]["ok"]


def test_single_day_over_limit_is_a_gap(make_server, eutils_for, tmp_path, monkeypatch):
    monkeypatch.setattr(pubmed, "LIMIT", 20)
    corpus = SyntheticPubmed(30, same_day=True)
    server = make_server(pubmed=corpus)
    outcome = _run(server, eutils_for(server), tmp_path, window=DateWindow(date(2000, 1, 1), date(2000, 1, 4)))
    manifest, records = read_snapshot(outcome.snapshot)
    assert len(records) == 20
    [gap] = manifest["gaps"]
    assert gap["kind"] == "over_limit" and gap["count"] == 30 and gap["window"]["mindate"] == "2000-01-01"


def test_slices_that_do_not_add_up_are_reported(make_server, eutils_for, tmp_path, monkeypatch):
    monkeypatch.setattr(pubmed, "LIMIT", 40)
    corpus = SyntheticPubmed(100)
    hidden = corpus.records[0][0]
    original = corpus.search

    def search(term, field=None, mindate=None, maxdate=None):
        found = original(term, field, mindate, maxdate)
        window_is_whole = (mindate, maxdate) == ("2000/01/01", "2024/12/31")
        return found if window_is_whole else [p for p in found if p != hidden]

    corpus.search = search
    server = make_server(pubmed=corpus)
    outcome = _run(server, eutils_for(server), tmp_path, window=DateWindow(date(2000, 1, 1), date(2024, 12, 31)))
    manifest, records = read_snapshot(outcome.snapshot)
    assert manifest["reported_count"] == 100 and len(records) == 99
    mismatch = [g for g in manifest["gaps"] if g["kind"] == "count_mismatch"]
    assert mismatch and mismatch[0]["count"] == 100 and "99" in mismatch[0]["detail"]


def test_no_hits_gives_an_empty_snapshot_with_the_warning(make_server, eutils_for, tmp_path):
    server = make_server(pubmed=SyntheticPubmed(5))
    outcome = _run(server, eutils_for(server), tmp_path, query="nohitsxyz")
    manifest, records = read_snapshot(outcome.snapshot)
    assert records == [] and manifest["reported_count"] == 0
    assert "PhraseNotFound: nohitsxyz" in manifest["warnings"]
    assert server.requests("efetch") == []


@pytest.mark.parametrize("kind", ["429", "500", "502", "503", "truncate", "cut", "error", "slow"])
def test_transient_faults_are_retried(make_server, eutils_for, tmp_path, clock, kind):
    corpus = SyntheticPubmed(25)
    server = make_server(pubmed=corpus)
    server.state.slow_seconds = 0.6
    server.fault("efetch", kind, times=2)
    eutils = eutils_for(server, timeout=0.3)
    outcome = _run(server, eutils, tmp_path)
    manifest, _ = _assert_complete(outcome, corpus.by_pmid)
    assert manifest["gaps"] == []
    assert eutils.http.stats["retries"] == 2
    assert clock.sleeps and max(clock.sleeps) >= 1.0  # backed off before retrying


def test_retry_after_is_honoured(make_server, eutils_for, tmp_path, clock):
    server = make_server(pubmed=SyntheticPubmed(5))
    server.fault("esearch", "429", retry_after=17)
    _run(server, eutils_for(server), tmp_path)
    assert any(s >= 17 for s in clock.sleeps)


def test_expired_webenv_reruns_the_esearch(make_server, eutils_for, tmp_path):
    corpus = SyntheticPubmed(30)
    server = make_server(pubmed=corpus)
    server.fault("efetch", "expire")  # the history is forgotten just before the first EFetch
    outcome = _run(server, eutils_for(server), tmp_path)
    _assert_complete(outcome, corpus.by_pmid)
    assert len(server.requests("esearch")) == 2


def test_batch_failing_for_good_is_a_gap_and_the_next_run_refetches_it(make_server, eutils_for, tmp_path):
    corpus = SyntheticPubmed(30)
    server = make_server(pubmed=corpus)
    server.fault("efetch", "503", times=4, match={"retstart": "0"})  # every attempt of the first batch
    outcome = _run(server, eutils_for(server, max_attempts=4), tmp_path)
    manifest, records = read_snapshot(outcome.snapshot)
    assert len(records) == 20
    [gap] = manifest["gaps"]
    assert gap["kind"] == "batch" and gap["retstart"] == 0 and "HTTP 503" in gap["detail"]
    # A living update retries the gap's window along with the new entries.
    follow_up = _run(server, eutils_for(server), tmp_path, since=date(2026, 1, 1), retry_gaps=manifest["gaps"])
    manifest2, records2 = read_snapshot(follow_up.snapshot)
    assert manifest2["gaps"] == []
    assert {r.source_id for r in records} | {r.source_id for r in records2} == set(corpus.by_pmid)


def test_interrupted_run_resumes_without_duplicates(make_server, eutils_for, tmp_path, monkeypatch):
    corpus = SyntheticPubmed(50)
    server = make_server(pubmed=corpus)
    real_add = PartialRun.add_lines
    calls = {"n": 0}

    def crash_after_two(self, key, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            # The crash hits after the batch's records reached the disk, before it was marked done.
            with open(self.dir / "records.jsonl", "a") as fh:
                fh.write("".join(line for _, line in rows) + '{"source_id": "cut')
            raise KeyboardInterrupt
        real_add(self, key, rows)

    monkeypatch.setattr(PartialRun, "add_lines", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        _run(server, eutils_for(server), tmp_path)
    monkeypatch.setattr(PartialRun, "add_lines", real_add)
    assert (tmp_path / ".partial-pubmed" / "state.json").is_file()
    with pytest.raises(SysrevError, match="--resume"):
        _run(server, eutils_for(server), tmp_path)
    with pytest.raises(SysrevError, match="different settings"):
        _run(server, eutils_for(server), tmp_path, query="other", resume=True)
    before = len(server.requests("efetch"))
    outcome = _run(server, eutils_for(server), tmp_path, resume=True)
    manifest, _ = _assert_complete(outcome, corpus.by_pmid)
    assert manifest["resumed"] is True
    assert len(server.requests("efetch")) - before == 3  # batches 3, 4 and 5 of 5
    assert not (tmp_path / ".partial-pubmed").exists()


def test_secrets_never_reach_messages_logs_or_manifest(make_server, eutils_for, tmp_path, caplog):
    key, email = "SECRETKEY0123456789", "reviewer@example.org"
    server = make_server(pubmed=SyntheticPubmed(12))
    server.fault("efetch", "429", times=4, match={"retstart": "0"})  # NCBI's 429 body echoes the api key
    caplog.set_level(logging.WARNING, logger="sysrev.search")
    eutils = eutils_for(server, api_key=key, email=email, max_attempts=4)
    outcome = _run(server, eutils, tmp_path)
    sent = server.requests("efetch")[0][2]
    assert sent["api_key"] == key and sent["email"] == email  # they are sent to NCBI…
    text = (outcome.snapshot / "manifest.json").read_text() + caplog.text + json.dumps(outcome.gaps)
    text += (outcome.snapshot / "records.jsonl").read_text()
    assert "API rate limit exceeded" in text  # …the failure is reported…
    assert key not in text and email not in text and "reviewer%40example.org" not in text  # …without them


def test_living_update_limits_entry_date_and_keeps_publication_window(make_server, eutils_for, tmp_path):
    corpus = SyntheticPubmed(40)
    server = make_server(pubmed=corpus)
    window = DateWindow(date(2000, 1, 1), date(2012, 12, 31), "pdat")
    outcome = _run(server, eutils_for(server), tmp_path, window=window, since=date(2010, 1, 1))
    manifest, records = read_snapshot(outcome.snapshot)
    params = server.requests("esearch")[0][2]
    assert params["datetype"] == "edat" and params["mindate"] == "2010/01/01"
    assert '"2000/01/01"[PDAT] : "2012/12/31"[PDAT]' in params["term"]
    expected = {p for p, pdat, edat in corpus.records if edat >= date(2010, 1, 1) and pdat <= date(2012, 12, 31)}
    assert {r.source_id for r in records} == expected and expected
    assert manifest["since"] == "2010-01-01" and manifest["term_submitted"] == params["term"]


def test_replays_real_recorded_esearch_and_efetch(make_server, eutils_for, tmp_path, shared_fixtures):
    base = shared_fixtures / "eutils"
    server = make_server(pubmed=SyntheticPubmed(0))
    server.state.replay["esearch"] = [
        (200, {}, (base / "biopython_Tests_Entrez_history" / "esearch9_usehistory_querykey19.xml").read_bytes())]
    server.state.replay["efetch"] = [(200, {}, (base / "biopython_Tests_Entrez" / "pubmed2.xml").read_bytes())]
    outcome = _run(server, eutils_for(server), tmp_path, query="#2", batch_size=500)
    manifest, records = read_snapshot(outcome.snapshot)
    assert manifest["reported_count"] == 2 and manifest["query_translation"] == "#2"
    assert sorted(r.pmid for r in records) == ["11700088", "11748933"]
    params = server.requests("efetch")[0][2]
    assert params["query_key"] == "19" and params["WebEnv"].startswith("NCID_1_214573425")


def test_replayed_real_no_hits_answer(make_server, eutils_for, tmp_path, shared_fixtures):
    server = make_server(pubmed=SyntheticPubmed(0))
    server.state.replay["esearch"] = [
        (200, {}, (shared_fixtures / "eutils" / "biopython_Tests_Entrez" / "esearch8.xml").read_bytes())]
    outcome = _run(server, eutils_for(server), tmp_path, query="abcXYZ")
    manifest, records = read_snapshot(outcome.snapshot)
    assert records == [] and manifest["reported_count"] == 0
    assert "PhraseNotFound: abcXYZ" in manifest["warnings"]


def test_replayed_real_error_element_is_retried_then_reported(make_server, eutils_for, tmp_path, shared_fixtures):
    server = make_server(pubmed=SyntheticPubmed(0))
    error_body = (shared_fixtures / "eutils" / "biopython_Tests_Entrez" / "esummary8.xml").read_bytes()
    server.state.replay["esearch"] = [(200, {}, error_body)]
    with pytest.raises(SysrevError, match="Neither query_key nor id specified") as info:
        _run(server, eutils_for(server, max_attempts=3), tmp_path)
    assert "gave up after 3 attempts" in str(info.value)


def test_short_batch_is_a_gap(make_server, eutils_for, tmp_path):
    corpus = SyntheticPubmed(15)
    server = make_server(pubmed=corpus)
    short = corpus.efetch_xml([r[0] for r in corpus.records[:3]])  # 3 records where 10 were asked for
    server.fault("efetch", "body", body=short, match={"retstart": "0"})
    outcome = _run(server, eutils_for(server), tmp_path)
    manifest, records = read_snapshot(outcome.snapshot)
    [gap] = manifest["gaps"]
    assert gap["kind"] == "short_batch" and gap["retstart"] == 0 and "returned 3 of the 10" in gap["detail"]


def test_long_query_is_posted(make_server, eutils_for, tmp_path):
    corpus = SyntheticPubmed(5)
    server = make_server(pubmed=corpus)
    query = " OR ".join(f"term{i}[tiab]" for i in range(200))  # longer than a URL should carry
    outcome = _run(server, eutils_for(server), tmp_path, query=query)
    _assert_complete(outcome, corpus.by_pmid)
    assert server.requests("esearch")[0][2]["term"] == query
    assert server.state.posted == ["/esearch.fcgi"]
