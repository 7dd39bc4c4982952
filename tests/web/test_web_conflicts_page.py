"""The conflicts page shows each record as the screen does — authors, source, identifiers and the abstract, with
the review's terms highlighted — beside the two decisions (it showed the title alone, and a title/abstract
conflict is settled by reading the abstract), a page of conflicts at a time (1,178 conflicts made a 1.4 MB
page of forms), and settling one returns to the page it was on."""

import pytest
from web_project import signed_in

import sysrev.web.pages_screening as pages_screening
from sysrev.screening.log import Decision, append_decisions, log_path


def _conflicts(project, record_ids):
    for reviewer, decision in (("alice", "include"), ("bob", "exclude")):
        append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                         [Decision(rid, decision, "", reviewer, "2026-12-03T10:00:00Z") for rid in record_ids])


def test_each_conflict_shows_the_record_as_the_screen_does(app, project):
    _conflicts(project, ["R000002"])
    client, _ = signed_in(app, "alice")
    page = client.get("/conflicts/title_abstract").data.decode()
    section = page[page.index('<section class="conflict"'):page.index("</section>")]
    assert ('<div class="abstract">Patients were <mark>randomised</mark> to a <mark>stroke unit</mark> or a general '
            "ward (2).</div>") in section
    assert '<p class="source">Stroke · 1992 · doi:10.1000/su.2 · PMID 40000002</p>' in section
    assert '<th scope="row">bob</th><td>exclude</td>' in section
    assert '<nav class="pages"' not in page  # one page: no page links


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(pages_screening, "CONFLICTS_PER_PAGE", 2)


def _shown(page: str) -> list:
    return [line.split('id="c-')[1].split('"')[0] for line in page.split("\n") if '<h2 id="c-' in line]


def test_conflicts_come_a_page_at_a_time(app, project, two_per_page):
    _conflicts(project, ["R000001", "R000002", "R000003", "R000004", "R000005"])
    client, _ = signed_in(app, "alice")
    first = client.get("/conflicts/title_abstract").data.decode()
    assert _shown(first) == ["R000001", "R000002"]
    assert ('Conflicts 1–2 of 5 · <a href="/conflicts/title_abstract?from=2">next 2</a></p>') in first
    second = client.get("/conflicts/title_abstract?from=2").data.decode()
    assert _shown(second) == ["R000003", "R000004"]
    assert ('Conflicts 3–4 of 5 · <a href="/conflicts/title_abstract">previous 2</a> · '
            '<a href="/conflicts/title_abstract?from=4">next 2</a>') in second
    last = client.get("/conflicts/title_abstract?from=4").data.decode()
    assert _shown(last) == ["R000005"] and 'href="/conflicts/title_abstract?from=2">previous 2</a></p>' in last
    # A link made before the list shrank, or typed by hand, lands on a page that exists.
    for start, expected in (("99", ["R000005"]), ("3", ["R000003", "R000004"]), ("-2", ["R000001", "R000002"]),
                            ("x", ["R000001", "R000002"])):
        assert _shown(client.get(f"/conflicts/title_abstract?from={start}").data.decode()) == expected, start


def test_settling_a_conflict_returns_to_its_page(app, project, two_per_page):
    _conflicts(project, ["R000001", "R000002", "R000003", "R000004", "R000005"])
    client, csrf = signed_in(app, "alice")
    page = client.get("/conflicts/title_abstract?from=2").data.decode()
    assert page.count('<input type="hidden" name="from" value="2">') == 2  # in each of the page's forms
    settled = client.post("/conflicts/title_abstract/resolve",
                          data={"csrf_token": csrf, "record_id": "R000003", "decision": "include", "from": "2"})
    assert settled.headers["Location"] == "/conflicts/title_abstract?from=2"
    assert _shown(client.get(settled.headers["Location"]).data.decode()) == ["R000004", "R000005"]
    first_page = client.get("/conflicts/title_abstract").data.decode()
    assert 'name="from"' not in first_page
    settled = client.post("/conflicts/title_abstract/resolve",
                          data={"csrf_token": csrf, "record_id": "R000001", "decision": "include"})
    assert settled.headers["Location"] == "/conflicts/title_abstract"


def test_a_record_without_a_journal_shows_no_stray_separator(app, project):
    """The screen's source line too: a record without a journal showed "· 2005"."""
    records = project.records_dir / "records.jsonl"
    records.write_text(records.read_text(encoding="utf-8").replace('"journal": "Stroke"', '"journal": ""', 1),
                       encoding="utf-8")
    _conflicts(project, ["R000001"])
    client, _ = signed_in(app, "alice")
    assert '<p class="source">1991 · doi:10.1000/su.1 · PMID 40000001</p>' in client.get(
        "/conflicts/title_abstract").data.decode()
    assert '<p class="source">1991</p>' in client.get("/screen/title_abstract?at=R000001").data.decode()


def test_the_title_is_highlighted_and_a_missing_title_or_abstract_is_said(app, project):
    records = project.records_dir / "records.jsonl"
    lines = records.read_text(encoding="utf-8").splitlines(keepends=True)
    title = '"title": "Stroke unit care trial 3: a randomised comparison with general wards"'
    lines[2] = lines[2].replace(title, '"title": ""').replace('"abstract": "Patients were randomised',
                                                               '"abstract": "", "x": "')
    records.write_text("".join(lines), encoding="utf-8")
    _conflicts(project, ["R000002", "R000003"])
    client, _ = signed_in(app, "alice")
    page = client.get("/conflicts/title_abstract").data.decode()
    assert ('<h2 id="c-R000002"><mark>Stroke unit</mark> care trial 2: a <mark>randomised</mark> comparison with '
            "general wards <small>R000002</small></h2>") in page
    assert '<h2 id="c-R000003">(no title) <small>R000003</small></h2>' in page
    assert '<div class="abstract">(no abstract)</div>' in page
    assert 'name="reason"' not in page  # no exclusion reasons at title/abstract


def test_when_nothing_is_left_the_page_says_how_many_were_decided(app, project):
    _conflicts(project, [f"R00000{i}" for i in range(1, 10)] + ["R000010"])
    client, _ = signed_in(app, "alice")
    page = client.get("/screen/title_abstract").data.decode()
    assert "<p role=\"status\">You have decided 10 of 10 records at this stage.</p>" in page
    assert '<a href="/conflicts/title_abstract">Conflicts at this stage</a>' in page
