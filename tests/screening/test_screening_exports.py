"""What `sysrev export included` and `sysrev export decisions` take from the screening logs."""

import csv
import io
import json

from sysrev.export.screening import decisions_csv, included_records

H = "record_id,decision,reason,reviewer,timestamp\n"


def rows(reviewer, decisions, day="01"):
    return H + "".join(f"r{i:02d},{d},{reason},{reviewer},2024-01-{day}T10:00:00Z\n"
                       for i, (d, reason) in decisions.items())


TA = {1: ("include", ""), 2: ("exclude", ""), 3: ("include", ""), 4: ("include", ""), 5: ("include", "")}
FT = {1: ("include", ""), 3: ("exclude", "wrong comparator"), 4: ("include", "")}


def test_included_are_the_final_full_text_includes_in_record_order(make_project):
    """r01 and r04 included by both; r03 excluded; r05 eligible but undecided; r02 excluded at title/abstract
    (a full-text 'include' row for it, screened by mistake, does not make it eligible)."""
    project = make_project({"title_abstract/alice.csv": rows("alice", TA),
                            "title_abstract/bob.csv": rows("bob", TA),
                            "full_text/alice.csv": rows("alice", {**FT, 2: ("include", "")}),
                            "full_text/bob.csv": rows("bob", {**FT, 2: ("include", "")})})
    assert [r["record_id"] for r in included_records(project)] == ["r01", "r04"]


def test_a_full_text_conflict_is_no_inclusion_until_it_is_reconciled(make_project):
    logs = {"title_abstract/alice.csv": rows("alice", TA), "title_abstract/bob.csv": rows("bob", TA),
            "full_text/alice.csv": rows("alice", FT),
            "full_text/bob.csv": rows("bob", {**FT, 4: ("exclude", "wrong population")})}
    assert [r["record_id"] for r in included_records(make_project(logs))] == ["r01"]
    logs["full_text/reconciliation/carol.csv"] = H + "r04,include,,carol,2024-01-03T10:00:00Z\n"
    assert [r["record_id"] for r in included_records(make_project(logs))] == ["r01", "r04"]


def test_decisions_list_every_reviewer_with_the_final_decision(make_project):
    project = make_project({"title_abstract/alice.csv": rows("alice", {1: ("include", ""), 2: ("exclude", "")}),
                            "title_abstract/bob.csv": rows("bob", {1: ("exclude", "")}, day="02"),
                            "title_abstract/reconciliation/carol.csv":
                                H + "r01,include,,carol,2024-01-03T10:00:00Z\n"})
    table = list(csv.DictReader(io.StringIO(decisions_csv(project))))
    assert [(r["record_id"], r["stage"], r["reviewer"], r["decision"], r["timestamp"], r["final_decision"])
            for r in table] == [
        ("r01", "title_abstract", "alice", "include", "2024-01-01T10:00:00Z", "include"),
        ("r01", "title_abstract", "bob", "exclude", "2024-01-02T10:00:00Z", "include"),
        ("r01", "title_abstract", "carol", "include", "2024-01-03T10:00:00Z", "include"),
        ("r02", "title_abstract", "alice", "exclude", "2024-01-01T10:00:00Z", "exclude")]  # one reviewer a record
    assert table[0]["title"] and list(table[0])[:5] == ["record_id", "title", "year", "doi", "pmid"]


def test_a_decision_row_in_full_with_its_record_note_rank_and_model(make_project):
    header = "record_id,decision,reason,reviewer,timestamp,note,rank,model\n"
    project = make_project({
        "full_text/alice.csv": header + "r01,exclude,wrong comparator,alice,2024-01-05T10:00:00Z,see table 2,3,"
                                        "tfidf-svm.3\n",
        "title_abstract/alice.csv": rows("alice", {1: ("include", "")})})
    table = list(csv.DictReader(io.StringIO(decisions_csv(project))))
    assert table[-1] == {
        "record_id": "r01", "title": "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection: a "
                                     "randomized trial",
        "year": "2011", "doi": "10.1000/test.1", "pmid": "30000001", "stage": "full_text", "reviewer": "alice",
        "decision": "exclude", "reason": "wrong comparator", "timestamp": "2024-01-05T10:00:00Z",
        "note": "see table 2", "rank": "3", "model": "tfidf-svm.3", "final_decision": "exclude",
        "final_reason": "wrong comparator"}


def test_an_undecided_record_and_a_record_without_its_fields_leave_those_cells_empty(make_project):
    """A conflict not yet reconciled has no final decision; a record that holds no title, year, DOI or PMID
    leaves those cells empty (not 'None')."""
    project = make_project({"title_abstract/alice.csv": rows("alice", {3: ("include", "")}),
                            "title_abstract/bob.csv": rows("bob", {3: ("exclude", "")})})
    records = project.root / "records" / "records.jsonl"
    lines = records.read_text(encoding="utf-8").splitlines()
    lines[2] = json.dumps({"record_id": "r03", "source_id": "x", "authors": []})
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(decisions_csv(project))))
    assert [{k: row[k] for k in ("record_id", "title", "year", "doi", "pmid", "reviewer", "final_decision",
                                 "final_reason")} for row in table] == [
        {"record_id": "r03", "title": "", "year": "", "doi": "", "pmid": "", "reviewer": reviewer,
         "final_decision": "", "final_reason": ""} for reviewer in ("alice", "bob")]
