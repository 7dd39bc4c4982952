"""The duplicates page in detail: the pairs in turn (skipping wraps round), each field side by side (long
author lists cut, empty fields blank, differences marked), and a pair that is stale or not queued refused."""

import re

import pytest
from web_project import signed_in

from sysrev.dedup.decisions import write_queue
from sysrev.records import Record
from sysrev.search.snapshot import write_snapshot

AUTHORS = [f"Author{n}, A" for n in range(1, 8)]


@pytest.fixture
def two_pairs(project):
    """The web project's queued pair, and a second one from another search run."""
    records = [Record(source_id="E1", source="embase", title="Stroke unit trial", authors=AUTHORS, year=1995,
                      journal="Stroke"),
               Record(source_id="E2", source="embase", title="Stroke unit trial", authors=AUTHORS[:6], year=None,
                      journal="Stroke", issue="3")]
    write_snapshot(project.runs_dir, "embase", records, database="embase", query="stroke unit")
    write_queue(project.records_dir / "dedup_queue.csv", [
        {"record_a": "pubmed:40000002", "record_b": "pubmed:40000003", "reason": "similar titles (test)",
         "score": "0.9", "title_a": "", "title_b": ""},
        {"record_a": "embase:E1", "record_b": "embase:E2", "reason": "same title (test)", "score": "0.8",
         "title_a": "", "title_b": ""}])
    return project


def _fields(page):
    """{field: (a, b, marked as differing)} of the pair shown."""
    rows = re.findall(r'<tr class="(differs)?"><th scope="row">(\w+)(?: <span class="flag">differs</span>)?</th>'
                      r"<td>(.*?)</td><td>(.*?)</td></tr>", page)
    return {name: (a, b, bool(mark)) for mark, name, a, b in rows}


@pytest.mark.parametrize("skip, shown", [("", 1), ("0", 1), ("1", 2), ("2", 1), ("-1", 2), ("two", 1)])
def test_the_pairs_come_in_turn_and_skipping_wraps_round(app, two_pairs, skip, shown):
    client, _ = signed_in(app, "alice")
    page = client.get(f"/duplicates?skip={skip}")
    assert page.status_code == 200
    text = page.data.decode()
    assert f"Pair {shown} of 2 · " in text and f'href="/duplicates?skip={shown}"' in text
    assert ("embase:E1" in text) is (shown == 2)


def test_each_field_side_by_side_with_the_differences_marked(app, two_pairs):
    client, _ = signed_in(app, "alice")
    fields = _fields(client.get("/duplicates?skip=1").data.decode())
    six = "; ".join(AUTHORS[:6])
    assert fields["authors"] == (f"{six}; et al.", six, True)  # seven authors: six shown, then "et al."
    assert fields["issue"] == ("", "3", True)
    assert fields["volume"] == ("", "", False)  # empty on both sides: not a difference
    assert fields["title"] == ("Stroke unit trial", "Stroke unit trial", False)
    assert fields["year"] == ("1995", "", True)  # no year: blank, not "None"
    first = _fields(client.get("/duplicates").data.decode())
    assert first["authors"] == ("Indredavik, B; Bakke, F", "Indredavik, B; Bakke, F", False)
    assert first["pmid"] == ("40000002", "40000003", True)


def test_a_pair_no_longer_in_the_runs_or_not_queued_is_refused(app, project):
    client, csrf = signed_in(app, "alice")
    write_queue(project.records_dir / "dedup_queue.csv", [
        {"record_a": "pubmed:40000002", "record_b": "pubmed:49999999", "reason": "gone", "score": "0.9",
         "title_a": "", "title_b": ""}])
    stale = client.get("/duplicates")
    assert stale.status_code == 400 and ("pubmed:40000002 / pubmed:49999999 is no longer in the search runs; run "
                                         "`sysrev dedup` to refresh the queue") in stale.data.decode()
    refused = client.post("/duplicates/decide", data={"csrf_token": csrf, "record_a": "pubmed:40000002",
                                                      "record_b": "pubmed:40000003", "decision": "same"})
    assert refused.status_code == 400 and "is not an undecided pair" in refused.data.decode()
    assert not (project.records_dir / "dedup_decisions.csv").exists()


def test_decisions_made_here_are_said_to_wait_for_dedup_until_it_runs(app, project):
    """A `same` decided on this page merges the records only when `sysrev dedup` runs; until then the page says
    so (screening still shows two records). A `different` on two records apart changes nothing to wait for."""
    from sysrev.dedup.project_run import run_project

    client, csrf = signed_in(app, "alice")
    assert "waits for" not in client.get("/duplicates").data.decode()
    client.post("/duplicates/decide", data={"csrf_token": csrf, "record_a": "pubmed:40000002",
                                            "record_b": "pubmed:40000003", "decision": "same"})
    assert ("<p class=\"note\" role=\"status\">1 decision on pairs waits for <code>sysrev dedup</code> (or "
            "<code>sysrev refresh</code>), which merges or splits the records: until it runs, screening sees them "
            "as they were.</p>") in client.get("/duplicates").data.decode()
    run_project(project, progress=False)
    assert "waits for" not in client.get("/duplicates").data.decode()


def test_a_pair_still_to_decide_is_shown_with_its_choices_and_the_decisions_waiting(app, two_pairs):
    client, csrf = signed_in(app, "alice")
    client.post("/duplicates/decide", data={"csrf_token": csrf, "record_a": "pubmed:40000002",
                                            "record_b": "pubmed:40000003", "decision": "same"})
    page = client.get("/duplicates").data.decode()
    assert "embase:E1" in page and "1 decision on pairs waits for <code>sysrev dedup</code>" in page
    assert [label in page for label in ("Same record", "Different records", "Related (link, keep both)")] == [
        True, True, True]
