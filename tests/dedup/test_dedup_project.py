"""`sysrev dedup` in a project: records.jsonl + PRISMA summary, stable IDs on refresh, reviewer decisions."""

import json

import pytest
from click.testing import CliRunner
from project_snapshots import snapshot

from sysrev.cli.main import cli
from sysrev.dedup import load_records
from sysrev.dedup.decisions import append_decisions, read_decisions
from sysrev.errors import InputError, SysrevError

TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-86")
OTHER = dict(title="Radiofrequency denervation of the sacroiliac joint: a cohort study", authors=["Lee, Kim"],
             year=2018, journal="Spine", volume="43", issue="1", pages="10-19")
# Same title, authors and year as TRIAL but another journal and no volume or pages: a reviewer must decide.
DOUBT = dict(TRIAL, journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
             authors=["Smith, J.", "Doe, Joan"])




def run(project, *args, input=None):
    result = CliRunner().invoke(cli, ["dedup", "--project", str(project.root), *args], input=input)
    return result


def by_source(records):
    return {f"{s['source']}:{s['source_id']}": r["record_id"] for r in records for s in r["sources"]}


def test_project_run_writes_records_summary_and_merges_across_databases(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111", pmid="111"),
                                                dict(OTHER, source_id="222", pmid="222")])
    snapshot(project, "scopus-main", "scopus", [dict(TRIAL, source_id="2-s2.0-1", pages="575-586",
                                                     title=TRIAL["title"].upper(), journal="Pain Phys")], hours=1)
    result = run(project)
    assert result.exit_code == 0, result.output
    assert "records: 2 (1 duplicate removed, 2 new record IDs)" in result.output
    assert "identified: PubMed 2, Scopus 1 (3 source records)" in result.output  # named as in the PRISMA diagram
    summary = json.loads((project.records_dir / "dedup_summary.json").read_text())
    assert summary == {"identified": {"pubmed": 2, "scopus": 1}, "duplicates_removed": 1, "records": 2,
                       "last_record_id": "R000002"}
    records = load_records(project)
    trial = next(r for r in records if len(r["sources"]) == 2)
    assert {s["source"] for s in trial["sources"]} == {"pubmed", "scopus"}
    assert all(s["run"].endswith(("-pubmed-main", "-scopus-main")) for s in trial["sources"])
    assert trial["pmid"] == "111" and trial["pages"] == "575-586"  # the most complete values are kept
    assert trial["title"] == TRIAL["title"]


def test_refresh_keeps_ids_and_attaches_new_duplicates(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(OTHER, source_id="222")])
    assert run(project).exit_code == 0
    first = by_source(load_records(project))
    # a later refresh: the same PubMed records again, a new database with a duplicate, and a new study
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(OTHER, source_id="222"),
                                                dict(title="A new trial of something else entirely", year=2025,
                                                     authors=["New, Author"], source_id="333")], hours=5)
    snapshot(project, "central", "central", [dict(OTHER, source_id="CN-1", journal="Spine (Phila Pa 1976)")],
             hours=6)
    result = run(project)
    assert result.exit_code == 0, result.output
    second = by_source(load_records(project))
    assert second["pubmed:111"] == first["pubmed:111"]
    assert second["pubmed:222"] == first["pubmed:222"] == second["central:CN-1"]
    assert second["pubmed:333"] not in first.values()
    summary = json.loads((project.records_dir / "dedup_summary.json").read_text())
    assert summary["identified"] == {"central": 1, "pubmed": 3}  # a record seen in two runs counts once
    assert summary["records"] == 3


def test_uncertain_pairs_are_queued_and_review_decisions_are_honoured(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112")])
    assert run(project).exit_code == 0
    queue = (project.records_dir / "dedup_queue.csv").read_text()
    assert "pubmed:111" in queue and "pubmed:112" in queue
    assert len(load_records(project)) == 2

    result = run(project, "review", "--reviewer", "anna", input="s\n")
    assert result.exit_code == 0, result.output
    assert "Journal of Interventional Pain Studies" in result.output and "Doe, Joan" in result.output
    assert read_decisions(project.records_dir / "dedup_decisions.csv") == {
        frozenset(("pubmed:111", "pubmed:112")): "same"}
    assert run(project).exit_code == 0
    records = load_records(project)
    assert len(records) == 1 and len(records[0]["sources"]) == 2
    assert "pubmed:111" not in (project.records_dir / "dedup_queue.csv").read_text()

    # the reviewer changes their mind: a later row wins, the record splits again, the old ID stays with one
    old_id = records[0]["record_id"]
    append_decisions(project.records_dir / "dedup_decisions.csv",
                     [{"record_a": "pubmed:112", "record_b": "pubmed:111", "decision": "different",
                       "reviewer": "anna"}])
    assert run(project).exit_code == 0
    ids = by_source(load_records(project))
    assert ids["pubmed:111"] != ids["pubmed:112"] and old_id in ids.values()


def test_review_with_nothing_queued_says_so(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    assert run(project).exit_code == 0
    result = run(project, "review", input="q\n")
    assert result.exit_code == 0 and "no uncertain pairs" in result.output


def test_review_quit_records_nothing(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112")])
    assert run(project).exit_code == 0
    result = run(project, "review", input="q\n")
    assert result.exit_code == 0
    assert read_decisions(project.records_dir / "dedup_decisions.csv") == {}


def test_bad_input_gives_clear_errors(project):
    result = run(project)
    assert result.exit_code == 2 and "no search-run snapshots" in result.output
    with pytest.raises(SysrevError, match="run `sysrev dedup` first"):
        load_records(project)
    project.records_dir.mkdir()
    (project.records_dir / "dedup_decisions.csv").write_text(
        "record_a,record_b,decision\npubmed:1,pubmed:2,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2.*decision"):
        read_decisions(project.records_dir / "dedup_decisions.csv")
    (project.records_dir / "records.jsonl").write_text('{"record_id": "R000001"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        load_records(project)


def test_records_without_title_or_with_absurd_years_are_kept_apart_with_a_warning(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"),
                                                dict(TRIAL, source_id="112", title="", authors=[]),
                                                dict(source_id="113"),
                                                dict(TRIAL, source_id="114", year=20015, pages="575-9999999999")])
    result = run(project)
    assert result.exit_code == 0, result.output
    assert "absurd year" in result.output and "no title" in result.output
    ids = by_source(load_records(project))
    assert len({ids["pubmed:111"], ids["pubmed:112"], ids["pubmed:113"]}) == 3


def test_two_imported_files_with_the_same_ids_are_not_collapsed(project):
    snapshot(project, "central", "file", [dict(TRIAL, source_id="1")])
    snapshot(project, "embase", "file", [dict(OTHER, source_id="1")], hours=1)
    result = run(project)
    assert result.exit_code == 0
    # both records counted, in dedup's summary and in the PRISMA diagram (which counted embase's as central's)
    assert "identified: central 1, Embase 1 (2 source records)" in result.output
    from sysrev.report.prisma import identified_per_database

    assert identified_per_database(project)[0] == {"central": 1, "Embase": 1}
    records = load_records(project)
    assert len(records) == 2
    assert {s["run"].split("-", 1)[1] for r in records for s in r["sources"]} == {"central", "embase"}
    # and a refresh of one of them keeps both IDs
    first = {r["record_id"] for r in records}
    snapshot(project, "central", "file", [dict(TRIAL, source_id="1")], hours=2)
    assert run(project).exit_code == 0
    assert {r["record_id"] for r in load_records(project)} == first
