"""What `sysrev dedup` writes in a project (docs/dedup.md "Files" and "Stable record IDs"): related
publications linked both ways, the review queue's rows, record IDs numbered after the highest ever used, a
reviewer's `same` keeping the lower ID and listing the other as replaced, which part of a split record keeps
its ID, every run that returned a source record, and clear errors for a bad records file or manifest.
"""

import json

import pytest
from project_snapshots import snapshot

from sysrev.dedup import load_records
from sysrev.dedup.decisions import append_decisions, read_queue
from sysrev.dedup.project_run import run_project
from sysrev.errors import InputError
from sysrev.search.snapshot import source_label

TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Müller, Jürgen", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-86")
ERRATUM = dict(TRIAL, title="Erratum: " + TRIAL["title"], issue="5", pages="E780")
OTHER = dict(title="Radiofrequency denervation of the sacroiliac joint: a cohort study", authors=["Lee, Kim"],
             year=2018, journal="Spine", volume="43", issue="1", pages="10-19")
# Same title, authors and year as TRIAL but another journal and no volume or pages: a reviewer must decide.
DOUBT = dict(TRIAL, journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
             authors=["Müller, J.", "Doe, Joan"])




def by_label(project):
    return {f"{s['source']}:{s['source_id']}": r for r in load_records(project) for s in r["sources"]}


def decide(project, a, b, decision):
    append_decisions(project.records_dir / "dedup_decisions.csv",
                     [{"record_a": a, "record_b": b, "decision": decision, "reviewer": "anna"}])


def test_related_publications_are_linked_both_ways_with_the_reason(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(ERRATUM, source_id="113")])
    summary = run_project(project, progress=False)
    assert (summary.records, summary.related, summary.uncertain, summary.new_ids) == (2, 1, 0, 2)
    records = by_label(project)
    article, erratum = records["pubmed:111"], records["pubmed:113"]
    (link,) = article["extra"]["dedup_related"]
    assert link["record_id"] == erratum["record_id"] and "erratum" in link["reason"]
    assert erratum["extra"]["dedup_related"] == [{"record_id": article["record_id"], "reason": link["reason"]}]


def test_the_queue_lists_each_undecided_pair_with_its_reason_score_and_titles(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112")])
    assert run_project(project, progress=False).uncertain == 1
    (row,) = read_queue(project.records_dir / "dedup_queue.csv")
    assert {row["record_a"], row["record_b"]} == {"pubmed:111", "pubmed:112"}
    assert row["reason"] and len(row["score"].split(".")[1]) == 2 and float(row["score"]) > 0
    assert row["title_a"] == row["title_b"] == TRIAL["title"]


def test_ids_count_from_one_and_new_ones_follow_the_highest_ever_used(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112")])
    assert run_project(project, progress=False).new_ids == 2
    first = {label: r["record_id"] for label, r in by_label(project).items()}
    assert sorted(first.values()) == ["R000001", "R000002"]
    # a reviewer's "same" merges two existing records: the lower ID stays, the other is listed as replaced
    decide(project, "pubmed:111", "pubmed:112", "same")
    assert run_project(project, progress=False).new_ids == 0
    (merged,) = load_records(project)
    assert merged["record_id"] == "R000001" and merged["extra"]["dedup_replaces"] == ["R000002"]
    # R000002 is gone but was used: a new study gets R000003
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112"),
                                                dict(OTHER, source_id="222")], hours=1)
    assert run_project(project, progress=False).new_ids == 1
    assert by_label(project)["pubmed:222"]["record_id"] == "R000003"


def test_when_a_record_splits_its_first_source_keeps_the_id(project):
    # one record from three databases; the reviewer declares the Embase copy a different record. It leaves
    # (its label sorts first, yet the first source, Scopus, and the PubMed copy that stays with it keep R000001)
    snapshot(project, "scopus-main", "scopus", [dict(TRIAL, source_id="2-s2.0-1")])
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")], hours=1)
    snapshot(project, "embase-main", "embase", [dict(TRIAL, source_id="L1")], hours=2)
    run_project(project, progress=False)
    assert {r["record_id"] for r in by_label(project).values()} == {"R000001"}
    decide(project, "scopus:2-s2.0-1", "embase:L1", "different")
    assert run_project(project, progress=False).new_ids == 1
    ids = {label: r["record_id"] for label, r in by_label(project).items()}
    assert ids == {"scopus:2-s2.0-1": "R000001", "pubmed:111": "R000001", "embase:L1": "R000002"}


def test_every_run_that_returned_a_source_record_is_listed_and_text_is_written_as_is(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")], hours=5)
    run_project(project, progress=False)
    (record,) = load_records(project)
    assert [s["run"] for s in record["sources"]] == ["20260101T000000Z-pubmed-main", "20260101T050000Z-pubmed-main"]
    assert "Müller, Jürgen" in (project.records_dir / "records.jsonl").read_text(encoding="utf-8")


def test_an_imported_files_records_are_named_by_the_search_whatever_its_dashes():
    assert source_label("file", "7", "20260101T000000Z-embase-update-2") == "file/embase-update-2:7"
    assert source_label("pubmed", "111", "20260101T000000Z-pubmed-main") == "pubmed:111"


def test_a_snapshot_without_database_is_an_error_naming_its_manifest(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    (manifest_path,) = project.runs_dir.glob("*/manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["database"] = " "
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError) as error:
        run_project(project, progress=False)
    assert str(error.value) == f"{manifest_path}: manifest has no 'database'"


@pytest.mark.parametrize(("text", "message"), [
    ('{"record_id": "R000001"}\n\n{"record_id": "R000002"\n', "line 3: invalid JSON: Expecting ',' delimiter at "
                                                              "character 25"),
    ('{"record_id": "R000001", "title": "cut\n', "line 1: invalid JSON: Invalid control character at character 39"),
    ('{"record_id": "R000001"}\n{"title": "no id"}\n', "line 2: a record needs a 'record_id'"),
    ('{"record_id": "R000001"}\n["R000002"]\n', "line 2: a record needs a 'record_id'"),
])
def test_a_bad_records_file_is_an_error_naming_file_and_line(project, text, message):
    project.records_dir.mkdir()
    path = project.records_dir / "records.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_records(project)
    assert str(error.value) == f"{path}, {message}"


def test_blank_lines_in_the_records_file_are_skipped(project):
    project.records_dir.mkdir()
    (project.records_dir / "records.jsonl").write_text('{"record_id": "R000001"}\n\n{"record_id": "R000002"}\n',
                                                       encoding="utf-8")
    assert [r["record_id"] for r in load_records(project)] == ["R000001", "R000002"]


def test_an_id_merged_away_is_never_given_to_another_record_on_later_runs(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112")])
    run_project(project, progress=False)
    decide(project, "pubmed:111", "pubmed:112", "same")
    run_project(project, progress=False)
    run_project(project, progress=False)  # a refresh with nothing new: R000002 is still listed as replaced
    (merged,) = load_records(project)
    assert merged["extra"]["dedup_replaces"] == ["R000002"]
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112"),
                                                dict(OTHER, source_id="222")], hours=1)
    run_project(project, progress=False)
    assert by_label(project)["pubmed:222"]["record_id"] == "R000003"
