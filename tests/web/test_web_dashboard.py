"""The dashboard and the evidence page in detail: the last run of each search (from the snapshots when no
strategy file can be read), a problem named while the rest still shows, what each reviewer has left, and
pages that read without writing (only the evidence page's button runs the analyses)."""

import json
import re
import shutil

import pytest
from web_project import drop_study, include_studies, signed_in

from sysrev.screening.log import Decision, append_decisions, log_path


def _table(page, caption):
    """The rows of the table with ``caption``, as lists of cell texts (tags dropped)."""
    table = page[page.index(caption):]
    table = table[:table.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in table.split("<tbody>", 1)[1].split("</tr>") if "<t" in row]


def _run(project, folder, manifest):
    path = project.runs_dir / folder
    path.mkdir(parents=True)
    if manifest is not None:
        (path / "manifest.json").write_text(manifest if isinstance(manifest, str) else json.dumps(manifest),
                                            encoding="utf-8")


def test_without_strategy_files_the_newest_snapshot_of_each_search_is_listed(app, project):
    """The web project has snapshots but no strategy file (searches/*.toml): each search name is listed once,
    with its number of runs and its newest run (named by its manifest, whatever its folder); a run still being
    written (a dot folder), a folder without a readable manifest, are left out; a manifest without a name is
    named after its folder (after the time stamp, when there is one)."""
    client, _ = signed_in(app, "alice")
    _run(project, "20270101T000000Z-pubmed-again", {"name": "pubmed", "database": "pubmed", "retrieved_count": 12,
                                                    "created": "2027-01-01T00:00:00Z"})
    _run(project, ".tmp-20270102T000000Z-pubmed", {"name": "pubmed", "database": "pubmed", "retrieved_count": 99,
                                                   "created": "2027-01-02T00:00:00Z"})
    _run(project, "20270103T000000Z-broken", "{not json")
    _run(project, "20270103T000000Z-empty", None)
    _run(project, "20270104T000000Z-hand-search", {"retrieved_count": 3})
    _run(project, "handsearch", {"database": "by hand"})
    (project.runs_dir / "notes.txt").write_text("not a run", encoding="utf-8")
    rows = _table(client.get("/").data.decode(), "Last run of each search strategy")
    assert rows == [["hand-search", "", "1", "never run", "3"],
                    ["handsearch", "by hand", "1", "never run", ""],
                    ["pubmed", "pubmed", "2", "2027-01-01T00:00:00Z", "12"],
                    ["scopus", "scopus", "1", rows[3][3], "1"]]


def test_what_waits_for_whom_and_the_conflicts_to_settle(app, project):
    for reviewer, decisions in (("alice", {"R000001": "include", "R000002": "exclude", "R000003": "include"}),
                                ("bob", {"R000001": "include", "R000002": "include"})):
        append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                         [Decision(rid, d, "", reviewer, "2026-12-03T10:00:00Z") for rid, d in decisions.items()])
    alice, _ = signed_in(app, "alice")
    page = alice.get("/").data.decode()
    screening = _table(page, "Records per stage")
    # 10 records; R000001 included by both, R000002 a conflict, R000003 awaits bob; R000001 reaches full text.
    assert screening[0][0] == "Title/abstract" and screening[0][6] == "7"  # alice's own records left
    assert screening[1][0] == "Full text" and screening[1][6] == "1"
    assert '<a href="/conflicts/title_abstract">1</a>' in page  # a conflict she may settle: a link
    assert _table(page, "Records each reviewer has still to screen") == [
        ["alice (you)", "7 left", "1 left"], ["bob", "8 left", "1 left"],
        ["Reconciliation", "1 conflict", "0 conflicts"]]
    bob, _ = signed_in(app, "bob")
    assert _table(bob.get("/").data.decode(), "Records each reviewer has still to screen")[:2] == [
        ["alice", "7 left", "1 left"], ["bob (you)", "8 left", "1 left"]]


@pytest.mark.parametrize("breakage, problem", [
    ("log", "1 problem in the screening logs"),
    ("studies", "studies.csv"),
    ("records", "no deduplicated records yet; run `sysrev dedup` first"),
])
def test_a_problem_is_named_and_the_rest_of_the_dashboard_still_shows(app, project, breakage, problem):
    if breakage == "log":
        path = log_path(project.screening_dir, "title_abstract", "alice")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("record_id,decision,reason,reviewer,timestamp\nR000001,perhaps,,alice,2026-12-03T10:00:00Z\n",
                        encoding="utf-8")
    elif breakage == "studies":
        (project.extraction_dir / "studies.csv").write_text("study,records\n,R000001\n", encoding="utf-8")
    else:
        (project.records_dir / "records.jsonl").unlink()
    client, _ = signed_in(app, "alice")
    page = client.get("/")
    text = page.data.decode()
    alert = re.search(r'role="alert" class="error">(.*?)</p>', text, re.S).group(1)
    assert page.status_code == 200 and problem in alert
    assert "Last run of each search strategy" in text and ">los_dl</a>" in text


def test_an_analyses_file_that_cannot_be_read_is_one_error_row(app, project):
    project.analyses_path.write_text("[[analysis]\n", encoding="utf-8")
    client, _ = signed_in(app, "alice")
    rows = _table(client.get("/").data.decode(), "Status of each analysis")
    assert len(rows) == 1 and rows[0][:2] == ["(analyses)", "error"] and "analyses.toml" in rows[0][2]


def test_the_analyses_rows_say_what_is_complete(app, project):
    client, _ = signed_in(app, "alice")
    rows = _table(client.get("/").data.decode(), "Status of each analysis")
    # The Normand 1999 example: nine trials, one comparison each, all with data.
    assert ["los_dl", "reproduced", "9 of 9 comparisons complete; 0 cells missing", ""] in rows
    path = project.extraction_dir / "length_of_stay.csv"  # Edinburgh's SD of the first arm left blank
    path.write_text(path.read_text(encoding="utf-8").replace("Edinburgh,los,,discharge,SU,155,55,47,",
                                                             "Edinburgh,los,,discharge,SU,155,55,,"), encoding="utf-8")
    rows = _table(client.get("/").data.decode(), "Status of each analysis")
    assert [r for r in rows if r[0] == "los_dl"][0][2:] == ["8 of 9 comparisons complete; 1 cells missing",
                                                            "Edinburgh"]


def test_the_pages_read_without_writing_and_the_button_runs_the_analyses(app, project):
    client, csrf = signed_in(app, "alice")
    shutil.rmtree(project.results_dir)
    for url in ("/", "/evidence", "/evidence/los_dl/funnel.svg"):
        assert client.get(url).status_code == 200
    assert not project.results_dir.exists()
    assert client.get("/evidence/los_dl/forest.svg").status_code == 404  # not drawn yet
    assert client.post("/evidence/run", data={"csrf_token": csrf}).headers["Location"] == "/evidence"
    assert (project.results_dir / "los_dl.svg").is_file()
    assert client.get("/evidence/los_dl/forest.svg").status_code == 200
    assert client.get("/evidence/nope/funnel.svg").status_code == 404


def test_a_study_table_without_records_is_noted(app, project):
    (project.extraction_dir / "studies.csv").write_text("study,citation\nEdinburgh,Garraway 1980\n", encoding="utf-8")
    client, _ = signed_in(app, "alice")
    notes = re.findall(r'<p class="note">(.*?)</p>', client.get("/").data.decode())
    assert any(note.endswith("studies.csv has no &#39;records&#39; column: studies cannot be matched to their "
                             "reports, so every row counts as an included study") for note in notes)


def test_the_evidence_page_names_the_included_studies_and_analyses_changed_since_the_release(app, project):
    from sysrev.living.release import make_release

    client, _ = signed_in(app, "alice")
    include_studies(project)  # Edinburgh, Umea and Newstudy 2024, included at full text
    make_release(project, "v1")
    (project.extraction_dir / "studies.csv").write_text(  # since: Umea renamed, Newstudy 2024 gone
        "study,citation,records\nEdinburgh,Garraway 1980,R000001\nStrand 1985,Strand 1985,R000002\n",
        encoding="utf-8")
    text = project.analyses_path.read_text(encoding="utf-8")
    project.analyses_path.write_text(text[:text.index("[analyses.los_reml]")], encoding="utf-8")
    drop_study(project, "Orpington-Severe")
    page = client.get("/evidence").data.decode()
    since = page[page.index('id="since-release"'):]
    since = re.sub(r"\s+", " ", since[:since.index("</p>")])
    assert "included studies added: Strand 1985; removed: Newstudy 2024, Umea." in since
    assert ("Length of stay, random effects REML (MD with pooled SD, Normand 1999) was in v1 and is no longer "
            "defined.") in since
    panel = page[page.index('id="changed-los_dl"'):]
    assert "<li>studies removed: Orpington-Severe</li>" in panel[:panel.index("</div>")]


def test_with_strategy_files_each_strategy_and_each_other_search_name_is_listed(tmp_path):
    """A review made with `sysrev init` (draft strategies) with an export imported twice and a run of a query no
    strategy file holds any more: each with its database (an export as "imported export"), runs, last date
    and records."""
    from datetime import UTC, datetime

    from click.testing import CliRunner

    from sysrev.cli.main import cli
    from sysrev.project import load_project
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot
    from sysrev.web.app import create_app

    root, runner = tmp_path / "review", CliRunner()
    assert runner.invoke(cli, ["init", str(root), "--no-input", "--no-git"]).exit_code == 0
    for count in (3, 2):
        export = tmp_path / f"embase{count}.ris"
        export.write_text("".join(f"TY  - JOUR\nTI  - Trial {n}\nPY  - 2020\nER  - \n" for n in range(count)),
                          encoding="utf-8")
        assert runner.invoke(cli, ["import", "--project", str(root), "--source", "embase", str(export)]).exit_code == 0
    project = load_project(root)
    write_snapshot(project.runs_dir, "old-query", [Record(source_id="1", source="pubmed", title="A trial")],
                   database="pubmed", now=datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    client, _ = signed_in(create_app(project, token="TESTTOKEN", secret_key="k"), "reviewer1")
    rows = {row[0]: row[1:] for row in _table(client.get("/").data.decode(), "Last run of each search strategy")}
    assert rows["pubmed"] == ["pubmed", "0", "never run (draft query: not run until its draft line is deleted)", ""]
    assert rows["embase"][:2] == ["imported export", "2"] and rows["embase"][3] == "2"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rows["embase"][2])
    assert rows["old-query"] == ["pubmed", "1", "2025-03-01T12:00:00Z", "1"]


def test_a_search_named_in_any_script_is_listed_whatever_the_locale(project):
    """A manifest is UTF-8 (written with ensure_ascii=False): a search called "Müller-Suche" must be listed by a
    server started under a locale that is not UTF-8 (here a bare C locale with Python's UTF-8 mode and locale
    coercion off, in a subprocess); the same call runs here first, so a mutation tool tracing this process sees
    which test reaches it."""
    import os
    import subprocess
    import sys

    import sysrev
    from sysrev.web.pages_dashboard import _latest_snapshots

    _run(project, "20270101T000000Z-mueller",  # as write_snapshot writes a manifest: UTF-8, not escaped
         json.dumps({"name": "Müller-Suche", "database": "pubmed", "retrieved_count": 4}, ensure_ascii=False))
    assert [r["name"] for r in _latest_snapshots(project)] == ["Müller-Suche", "pubmed", "scopus"]
    script = ("import sys; from sysrev.project import load_project; from sysrev.web.pages_dashboard import "
              "_latest_snapshots; names = [r['name'] for r in _latest_snapshots(load_project(sys.argv[1]))]; "
              "print(names == ['M\\u00fcller-Suche', 'pubmed', 'scopus'], len(names))")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0",
           "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(sysrev.__file__)))}
    done = subprocess.run([sys.executable, "-c", script, str(project.root)], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "True 3\n", "")


def test_the_dashboard_reads_the_logs_again_only_when_they_change(app, project, monkeypatch):
    """Its included studies come from the app's screening state, which is kept between requests: the page
    re-read every decision log for them on each load (1.8 s of a 1.8 s page on a 17,364-record project)."""
    import sysrev.screening.state

    reads = []
    original = sysrev.screening.state._read_stage
    monkeypatch.setattr(sysrev.screening.state, "_read_stage", lambda *a: reads.append(a[1]) or original(*a))
    include_studies(project)
    client, _ = signed_in(app, "alice")
    assert "<p>3 included studies;" in client.get("/").data.decode()
    reads.clear()
    assert "<p>3 included studies;" in client.get("/").data.decode()
    assert reads == []  # before: both stages' logs again, for the included studies
    append_decisions(log_path(project.screening_dir, "full_text", "alice"),
                     [Decision("R000003", "exclude", "not randomised", "alice", "2026-12-04T10:00:00Z")])
    assert "<p>2 included studies;" in client.get("/").data.decode()  # a conflict now: read again, once
    assert reads == ["title_abstract", "full_text"]


def _decide(project, reviewer, decisions, model=""):
    append_decisions(log_path(project.screening_dir, "title_abstract", reviewer),
                     [Decision(rid, d, "", reviewer, f"2026-12-03T10:{n:02d}:00Z", model=model)
                      for n, (rid, d) in enumerate(decisions.items())])


def _stopping_line(page):
    found = re.search(r'<p id="stopping">(.*?)</p>', page, re.S)
    return found and re.sub(r"\s+", " ", found.group(1))


def test_the_dashboard_says_where_the_signed_in_reviewer_stands_against_the_stopping_rule(app, project):
    """alice sees her own stopping status at title/abstract, in the words of `sysrev screen status`, and never
    bob's (computed from his decisions, which she may not see); a reviewer who has decided nothing sees none."""
    from sysrev.project import load_project
    from sysrev.screening.prioritisation import reviewer_stopping
    from sysrev.screening.state import load_screening

    _decide(project, "alice", {"R000001": "include", **{f"R{n:06d}": "exclude" for n in range(2, 10)}})
    _decide(project, "bob", {"R000001": "include", "R000002": "include"})
    screening = load_screening(load_project(project.root))
    mine = reviewer_stopping(project, screening, "alice").sentence()
    bobs = reviewer_stopping(project, screening, "bob").sentence()
    assert mine != bobs
    alice, _ = signed_in(app, "alice")
    line = _stopping_line(alice.get("/").data.decode())
    assert line.startswith(f"Your title/abstract screening: {mine}. Stopping is the team's decision")
    assert bobs not in line and "<code>sysrev screen stop</code>" in line
    (project.screening_dir / "title_abstract" / "bob.csv").unlink()
    bob, _ = signed_in(app, "bob")
    assert _stopping_line(bob.get("/").data.decode()) is None


def test_a_log_with_rows_that_cannot_be_counted_gets_no_stopping_claim_on_the_dashboard(app, project):
    _decide(project, "alice", {"R000001": "include", "R000002": "exclude"})
    with log_path(project.screening_dir, "title_abstract", "alice").open("a", encoding="utf-8") as log:
        log.write("R000003,perhaps,,alice,2026-12-03T11:00:00Z,,,\n")
    alice, _ = signed_in(app, "alice")
    page = alice.get("/").data.decode()
    assert "1 problem in the screening logs" in page and _stopping_line(page) is None


def test_the_stopping_line_is_computed_once_per_screening_state_and_follows_a_new_decision(app, project, monkeypatch):
    """A reload with no new decision reuses the status (it reads the reviewer's log again, which at thousands of
    decisions costs a dashboard reload more than the rest of the page); a decision made since is counted."""
    import sysrev.screening.prioritisation as prioritisation

    calls = []
    real = prioritisation.reviewer_stopping
    monkeypatch.setattr(prioritisation, "reviewer_stopping", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    _decide(project, "alice", {"R000001": "include", "R000002": "exclude"})
    alice, _ = signed_in(app, "alice")
    before = _stopping_line(alice.get("/").data.decode())
    assert _stopping_line(alice.get("/").data.decode()) == before and calls == ["alice"]
    _decide(project, "alice", {f"R{n:06d}": "exclude" for n in range(3, 11)})
    after = _stopping_line(alice.get("/").data.decode())
    assert calls == ["alice", "alice"] and after != before and "now (every record screened)" in after
