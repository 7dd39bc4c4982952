"""The screening pages in detail: unknown stages, skipping and the order chosen, going back without
JavaScript, what a decision row keeps (a reason only for a full-text exclusion, the note on one line), where
the paper is, and the highlighting of the review's terms."""

import csv
import re

import pytest
from web_project import edit_records, signed_in

from sysrev.fulltext.manifest import Entry, sha256, write_manifest
from sysrev.screening.log import Decision, append_decisions, log_path

JSON = {"Accept": "application/json"}


def shown(page) -> str:
    """The record a screening page shows."""
    return re.search(r'name="record_id" value="([^"]+)"', page.data.decode()).group(1)


def rows(project, stage="title_abstract", reviewer="alice"):
    with open(log_path(project.screening_dir, stage, reviewer), newline="", encoding="utf-8") as fh:
        return [(r["record_id"], r["decision"], r["reason"], r["note"]) for r in csv.DictReader(fh)]


@pytest.fixture
def alice(app):
    """alice, in file order (R000001, R000002, …)."""
    client, csrf = signed_in(app, "alice")
    client.post("/screen/title_abstract/order", data={"csrf_token": csrf, "order": "file"})
    return client, csrf


def _forward(project, *record_ids):
    """Both reviewers include ``record_ids`` at title/abstract: they reach full text."""
    for reviewer in ("alice", "bob"):
        append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                         [Decision(rid, "include", "", reviewer, "2026-12-03T10:00:00Z") for rid in record_ids])


@pytest.mark.parametrize("method, url", [("get", "/screen/abstracts"), ("get", "/screen/abstracts/next?after=R000001"),
                                         ("get", "/conflicts/abstracts"), ("post", "/screen/abstracts/decide"),
                                         ("post", "/screen/abstracts/order"), ("post", "/conflicts/abstracts/resolve")])
def test_an_unknown_stage_is_not_found(alice, project, method, url):
    client, csrf = alice
    answer = getattr(client, method)(url, data={"csrf_token": csrf, "record_id": "R000001", "decision": "include",
                                                "order": "file"})
    assert answer.status_code == 404
    assert not (project.screening_dir / "abstracts").exists()


def test_skipped_records_come_after_the_others_then_round_again(alice):
    client, csrf = alice
    assert shown(client.get("/screen/title_abstract?skip=R000001")) == "R000002"
    assert shown(client.get("/screen/title_abstract?skip=R000099")) == "R000002"  # not in the queue: ignored
    ahead = client.get("/screen/title_abstract/next?after=R000002", headers=JSON).get_json()
    assert ahead["record_id"] == "R000003"  # the record fetched ahead leaves the skipped one out too
    for n in range(2, 10):
        assert shown(client.get(f"/screen/title_abstract?skip=R{n:06d}")) == f"R{n + 1:06d}"
    # Every undecided record skipped: they come round again, in order, and can be skipped anew.
    assert shown(client.get("/screen/title_abstract?skip=R000010")) == "R000001"
    assert shown(client.get("/screen/title_abstract?skip=R000001")) == "R000002"


def test_a_decided_record_cannot_be_skipped(alice):
    client, csrf = alice
    client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": "R000001",
                                                       "decision": "include"})
    client.get("/screen/title_abstract?skip=R000001")
    for n in range(2, 11):
        client.get(f"/screen/title_abstract?skip=R{n:06d}")
    assert shown(client.get("/screen/title_abstract")) == "R000002"  # round again: R000001 is not undecided


def test_the_order_must_be_one_the_screen_knows(alice):
    client, csrf = alice
    refused = client.post("/screen/title_abstract/order", data={"csrf_token": csrf, "order": "newest"})
    assert refused.status_code == 400 and "order must be one of relevance, random, file" in refused.data.decode()
    assert shown(client.get("/screen/title_abstract")) == "R000001"  # file order kept
    assert client.post("/screen/title_abstract/order", data={"csrf_token": csrf, "order": "random"}
                       ).headers["Location"] == "/screen/title_abstract"
    page = client.get("/screen/title_abstract").data.decode()
    assert "<option selected>random</option>" in page and "<option >file</option>" in page


def test_the_relevance_order_says_it_is_file_order_until_an_include_and_an_exclude(app):
    """The default order at title/abstract: a reviewer who has decided nothing sees records in file order, and the
    page must not claim a model put them there."""
    client, _ = signed_in(app, "alice")
    page = client.get("/screen/title_abstract").data.decode()
    assert "<option selected>relevance</option>" in page
    assert shown(client.get("/screen/title_abstract")) == "R000001"
    assert ("puts likely includes first, once you have made one include and one exclude (file order until then)"
            in page)


def test_only_the_reviewers_own_decisions_can_be_opened_again(alice):
    client, _ = alice
    refused = client.get("/screen/title_abstract?at=R000005")
    assert refused.status_code == 400 and "record &#39;R000005&#39; is not among your title/abstract decisions" \
        in refused.data.decode()


def test_a_changed_mind_without_javascript_goes_on_through_the_reviewers_decisions(alice):
    client, csrf = alice
    for n in (1, 2, 3):
        client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": f"R00000{n}",
                                                           "decision": "include"})
    for record_id, location in (("R000001", "/screen/title_abstract?at=R000002"),
                                ("R000002", "/screen/title_abstract?at=R000003"),
                                ("R000003", "/screen/title_abstract")):  # the last: on to the undecided
        answer = client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": record_id,
                                                                    "decision": "exclude"})
        assert answer.headers["Location"] == location


@pytest.mark.parametrize("stage, decision, reason, kept", [
    ("full_text", "exclude", " wrong comparator ", "wrong comparator"),
    ("full_text", "maybe", "wrong comparator", ""),  # a reason only for a full-text exclusion
    ("full_text", "include", "wrong comparator", ""),
    ("title_abstract", "exclude", "wrong comparator", ""),
])
def test_a_decision_row_keeps_a_reason_only_for_a_full_text_exclusion(alice, project, stage, decision, reason,
                                                                      kept):
    client, csrf = alice
    _forward(project, "R000001")
    answer = client.post(f"/screen/{stage}/decide", data={"csrf_token": csrf, "record_id": "R000001",
                                                          "decision": decision, "reason": reason,
                                                          "note": "  seen\n in   the  PDF "})
    assert answer.status_code == 302
    assert rows(project, stage)[-1] == ("R000001", decision, kept, "seen in the PDF")


def test_conflicts_are_settled_with_a_reason_at_full_text(alice, project):
    client, csrf = alice
    _forward(project, "R000001")
    for reviewer, decision in (("alice", "include"), ("bob", "exclude")):
        append_decisions(log_path(project.screening_dir, "full_text", reviewer),
                         [Decision("R000001", decision, "not randomised" if decision == "exclude" else "", reviewer,
                                   "2026-12-03T11:00:00Z")])
    page = client.get("/conflicts/full_text").data.decode()
    assert "R000001" in page and "<option>not randomised</option>" in page
    refused = client.post("/conflicts/full_text/resolve", data={"csrf_token": csrf, "record_id": "R000001",
                                                                "decision": "exclude"})
    assert refused.status_code == 400 and ('<p role="alert" class="error">choose one of the review&#39;s exclusion '
                                           'reasons; nothing saved</p>') in refused.data.decode()
    bad = client.post("/conflicts/full_text/resolve", data={"csrf_token": csrf, "record_id": "R000001",
                                                            "decision": "drop"})
    assert ('<p role="alert" class="error">decision must be one of include, exclude, maybe; nothing saved</p>'
            in bad.data.decode())
    settled = client.post("/conflicts/full_text/resolve", data={"csrf_token": csrf, "record_id": "R000001",
                                                                "decision": "exclude", "reason": "not randomised"})
    assert settled.headers["Location"] == "/conflicts/full_text"
    path = project.screening_dir / "full_text" / "reconciliation" / "alice.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["record_id"], row["decision"], row["reason"], row["reviewer"]) == ("R000001", "exclude",
                                                                                   "not randomised", "alice")


@pytest.mark.parametrize("entry, doi, text, opened", [
    (None, "10.1000/su.1", "not fetched (sysrev fulltext fetch)", "https://doi.org/10.1000/su.1"),
    (None, "", "not fetched (sysrev fulltext fetch)", None),
    (Entry("R000001", "needs_library_access", doi_link="https://doi.org/10.1000/library"), "10.1000/su.1",
     "needs library access", "https://doi.org/10.1000/library"),
    (Entry("R000001", "failed"), "10.1000/su.1", "not fetched (sysrev fulltext fetch)",
     "https://doi.org/10.1000/su.1"),
    ("stored", "", "files/R000001.pdf (unpaywall; licence: not stated)", "the file"),
    (Entry("R000001", "needs_library_access"), "", "needs library access", None),
])
def test_where_the_paper_is_and_where_opening_it_leads(alice, project, entry, doi, text, opened):
    client, _ = alice
    _forward(project, "R000001")
    if entry == "stored":
        data = b"%PDF-1.4 a stored paper"
        stored = project.root / "fulltext" / "files" / "R000001.pdf"
        stored.parent.mkdir(parents=True)
        stored.write_bytes(data)
        entry = Entry("R000001", "retrieved", source="unpaywall", format="pdf", file="files/R000001.pdf",
                      sha256=sha256(data))
    if entry is not None:
        write_manifest(project, {"R000001": entry})
    if not doi:
        edit_records(project, {"R000001": {"doi": None}})
    page = client.get("/screen/full_text").data.decode()
    assert f"Full text: {text}" in page and ("open paper [o]" in page) is (opened is not None)
    answer = client.get("/paper/R000001")
    if opened == "the file":
        assert (answer.status_code, answer.mimetype, answer.data) == (200, "application/pdf", data)
    else:
        assert (answer.status_code, answer.headers.get("Location")) == ((302, opened) if opened else (404, None))
    assert client.get("/paper/R000002").status_code == 404  # not at full text: nothing to open


def test_the_reviews_terms_are_highlighted_in_escaped_text(alice, project):
    client, _ = alice
    edit_records(project, {"R000001": {"title": "Stroke units <b>versus</b> wards, RANDOMISED",
                                       "abstract": "Patients   were\nrandomised to a stroke unit."},
                           "R000002": {"title": None, "abstract": ""}})
    page = client.get("/screen/title_abstract").data.decode()
    assert ('<h1 class="title" tabindex="-1"><mark>Stroke units</mark> &lt;b&gt;versus&lt;/b&gt; wards, '
            '<mark>RANDOMISED</mark></h1>') in page
    assert '<div class="abstract">Patients were <mark>randomised</mark> to a <mark>stroke unit</mark>.</div>' in page
    assert "Reason for excluding" not in page and 'class="paper"' not in page  # reasons and paper: full text only
    second = client.get("/screen/title_abstract/next?after=R000001", headers=JSON).get_json()["html"]
    assert '<h1 class="title" tabindex="-1">(no title)</h1>' in second
    assert '<div class="abstract">(no abstract)</div>' in second
    config = project.config_path.read_text(encoding="utf-8")
    project.config_path.write_text(config.replace('highlight_terms = ["stroke unit", "randomi"]',
                                                  "highlight_terms = []"), encoding="utf-8")
    page = client.get("/screen/title_abstract").data.decode()
    assert ('<h1 class="title" tabindex="-1">Stroke units &lt;b&gt;versus&lt;/b&gt; wards, RANDOMISED</h1>'
            in page) and "<mark>" not in page
    assert '<div class="abstract">Patients were randomised to a stroke unit.</div>' in page


def test_a_reopened_decision_links_back_and_on_through_the_reviewers_own_decisions(alice):
    client, csrf = alice
    for n in (1, 2, 3):
        client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": f"R00000{n}",
                                                           "decision": "include"})
    links = {}
    for record_id in ("R000001", "R000002", "R000003"):
        page = client.get(f"/screen/title_abstract?at={record_id}").data.decode()
        links[record_id] = re.findall(r'data-key="([sb])" href="([^"]+)"', page)
    at = "/screen/title_abstract?at="
    assert links == {"R000001": [("s", f"{at}R000002")],
                     "R000002": [("s", f"{at}R000003"), ("b", f"{at}R000001")],
                     "R000003": [("s", "/screen/title_abstract"), ("b", f"{at}R000002")]}
    page = client.get("/screen/title_abstract").data.decode()  # the first undecided: skip, or back to the last
    assert re.findall(r'data-key="([sb])" href="([^"]+)"', page) == [
        ("s", "/screen/title_abstract?skip=R000004"), ("b", "/screen/title_abstract?at=R000003")]
    done = client.get("/screen/title_abstract/next?after=R000003", headers=JSON).get_json()
    assert done["record_id"] == "R000004" and done["url"] == "/screen/title_abstract"


def test_nothing_left_ahead_leads_to_the_done_page(alice):
    client, csrf = alice
    for n in range(1, 10):
        client.post("/screen/title_abstract/decide", data={"csrf_token": csrf, "record_id": f"R{n:06d}",
                                                           "decision": "exclude"})
    body = client.get("/screen/title_abstract/next?after=R000010", headers=JSON).get_json()
    assert body == {"record_id": None, "html": "", "url": "/screen/title_abstract"}


def test_the_records_of_the_same_trial_are_listed_with_their_titles(alice, project):
    client, _ = alice
    related = [{"record_id": "R000004", "reason": "both name trial NCT01234567 (registry)"}]
    edit_records(project, {"R000001": {"extra": {"dedup_related": related}},
                           "R000004": {"title": "The fourth report of the trial"}})
    same = client.get("/screen/title_abstract").data.decode().split('aria-label="Same trial"', 1)[1]
    assert "<li>R000004 The fourth report of the trial — both name trial NCT01234567; not decided by you</li>" \
        in same
