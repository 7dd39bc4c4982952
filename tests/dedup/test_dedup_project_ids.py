"""Stable record IDs in a project (docs/dedup.md "Stable record IDs"): a split record's ID stays with its first
source, two existing records are never merged by the rules alone, new IDs do not depend on the order a database
listed its records, and records.jsonl lists the records in record-ID order.

The records are built here: TRIAL and its copies merge by the rules (same title, authors, journal, volume,
pages and year); DOUBT has TRIAL's title and authors but another journal and no volume or pages, so the rules
queue it against TRIAL and only a reviewer decides.
"""

from project_snapshots import snapshot

from sysrev.dedup import load_records
from sysrev.dedup.decisions import append_decisions, read_queue
from sysrev.dedup.project_run import run_project

TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John", "Doe, Anna"], year=2015, journal="Pain Physician", volume="18", issue="3",
             pages="575-86")
DOUBT = dict(TRIAL, journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
             authors=["Smith, J.", "Doe, Joan"])
OTHER = dict(title="Radiofrequency denervation of the sacroiliac joint: a cohort study", authors=["Lee, Kim"],
             year=2018, journal="Spine", volume="43", issue="1", pages="10-19")


def ids_by_label(project):
    return {f"{s['source']}:{s['source_id']}": r["record_id"] for r in load_records(project) for s in r["sources"]}


def decide(project, a, b, decision):
    append_decisions(project.records_dir / "dedup_decisions.csv",
                     [{"record_a": a, "record_b": b, "decision": decision, "reviewer": "anna"}])


def test_a_split_leaves_the_id_with_the_first_source_whatever_the_names(project):
    # R000001 is created for the PubMed record; the Embase copy joins it on a later search. The reviewer then
    # declares the Embase copy different: "the first source keeps the ID, the other gets a new one" — even
    # though "embase:L5" sorts before "pubmed:900" as text.
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="900")])
    run_project(project, progress=False)
    snapshot(project, "embase-main", "embase", [dict(TRIAL, source_id="L5")], hours=1)
    run_project(project, progress=False)
    assert ids_by_label(project) == {"pubmed:900": "R000001", "embase:L5": "R000001"}
    decide(project, "pubmed:900", "embase:L5", "different")
    assert run_project(project, progress=False).new_ids == 1
    assert ids_by_label(project) == {"pubmed:900": "R000001", "embase:L5": "R000002"}


def test_a_source_split_off_and_declared_the_same_as_another_record_takes_no_id_with_it(project):
    # R000001 = the trial from PubMed and Scopus, R000002 = the doubtful PubMed record. The reviewer says the
    # Scopus copy is not the PubMed trial but the same as the doubtful record. The trial keeps R000001 (its first
    # source stays); the Scopus copy leaves R000001 behind and joins R000002 ("a same decision merges them,
    # keeping the lower ID" — of the IDs they still carry: the split-off copy carries none). No new ID is needed.
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(DOUBT, source_id="112")])
    snapshot(project, "scopus-main", "scopus", [dict(TRIAL, source_id="2-s2.0-1")], hours=1)
    run_project(project, progress=False)
    assert ids_by_label(project) == {"pubmed:111": "R000001", "scopus:2-s2.0-1": "R000001", "pubmed:112": "R000002"}
    decide(project, "pubmed:111", "scopus:2-s2.0-1", "different")
    decide(project, "scopus:2-s2.0-1", "pubmed:112", "same")
    assert run_project(project, progress=False).new_ids == 0
    assert ids_by_label(project) == {"pubmed:111": "R000001", "scopus:2-s2.0-1": "R000002", "pubmed:112": "R000002"}
    assert all("dedup_replaces" not in r["extra"] for r in load_records(project))


def test_a_split_part_larger_than_the_first_source_still_gets_a_new_id(project):
    # R000001 stands for three copies; the reviewer separates the first (PubMed) from both others, which stay
    # duplicates of each other. The first source keeps R000001, the two others share one new ID.
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    snapshot(project, "embase-main", "embase", [dict(TRIAL, source_id="L1")], hours=1)
    snapshot(project, "scopus-main", "scopus", [dict(TRIAL, source_id="2-s2.0-1")], hours=2)
    run_project(project, progress=False)
    decide(project, "pubmed:111", "embase:L1", "different")
    decide(project, "pubmed:111", "scopus:2-s2.0-1", "different")
    assert run_project(project, progress=False).new_ids == 1
    assert ids_by_label(project) == {"pubmed:111": "R000001", "embase:L1": "R000002", "scopus:2-s2.0-1": "R000002"}


def test_two_existing_records_stay_apart_when_the_decision_that_kept_them_apart_is_removed(project):
    # The rules would merge the two copies; a reviewer's "different" kept them apart as two records. The
    # decisions file is then edited by hand and the row removed: existing records are never merged
    # automatically, so both keep their IDs and the pair goes to the queue for a human.
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    snapshot(project, "scopus-main", "scopus", [dict(TRIAL, source_id="2-s2.0-1")], hours=1)
    decide(project, "pubmed:111", "scopus:2-s2.0-1", "different")
    run_project(project, progress=False)
    before = ids_by_label(project)
    assert before == {"pubmed:111": "R000001", "scopus:2-s2.0-1": "R000002"}
    (project.records_dir / "dedup_decisions.csv").unlink()
    outcome = run_project(project, progress=False)
    assert (outcome.records, outcome.new_ids, outcome.uncertain) == (2, 0, 1)
    assert ids_by_label(project) == before
    (row,) = read_queue(project.records_dir / "dedup_queue.csv")
    assert {row["record_a"], row["record_b"]} == {"pubmed:111", "scopus:2-s2.0-1"}


def test_new_ids_do_not_depend_on_the_order_the_database_listed_the_records(project, tmp_path_factory):
    # The same three PubMed results, listed in two orders (a relevance sort that changed): the same IDs,
    # given in the order of the record names compared as text ("pubmed:10" < "pubmed:222" < "pubmed:9").
    other = type(project)(root=tmp_path_factory.mktemp("reordered"))
    (other.root / "review.toml").write_text(project.config_path.read_text(encoding="utf-8"), encoding="utf-8")
    listed = [dict(TRIAL, source_id="9"), dict(OTHER, source_id="222"), dict(DOUBT, source_id="10")]
    snapshot(project, "pubmed-main", "pubmed", listed)
    snapshot(other, "pubmed-main", "pubmed", listed[::-1])
    run_project(project, progress=False)
    run_project(other, progress=False)
    expected = {"pubmed:10": "R000001", "pubmed:222": "R000002", "pubmed:9": "R000003"}
    assert ids_by_label(project) == ids_by_label(other) == expected


def test_records_are_listed_in_record_id_order_and_a_refresh_appends_new_records(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="9"), dict(OTHER, source_id="10")])
    run_project(project, progress=False)
    # "pubmed:10" sorts first as text: R000001 is OTHER although TRIAL was listed first
    assert [(r["record_id"], r["title"]) for r in load_records(project)] == [("R000001", OTHER["title"]),
                                                                             ("R000002", TRIAL["title"])]
    snapshot(project, "embase-main", "embase", [dict(DOUBT, title="A new trial of something else entirely",
                                                     source_id="A1")], hours=1)
    run_project(project, progress=False)
    assert [r["record_id"] for r in load_records(project)] == ["R000001", "R000002", "R000003"]


def test_numbering_starts_at_one_when_the_records_file_holds_no_id_of_the_form(project):
    # records.jsonl is there but no "R" + digits ID was ever used: one record carries an ID given by another
    # tool, which it keeps; the new publication is the first numbered one, R000001
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111"), dict(OTHER, source_id="222")])
    project.records_dir.mkdir()
    (project.records_dir / "records.jsonl").write_text(
        '{"record_id": "smith2015", "sources": [{"run": "20260101T000000Z-pubmed-main", "source": "pubmed", '
        '"source_id": "111"}]}\n', encoding="utf-8")
    assert run_project(project, progress=False).new_ids == 1
    assert ids_by_label(project) == {"pubmed:111": "smith2015", "pubmed:222": "R000001"}


def test_numbering_starts_at_one_after_an_emptied_records_file(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    project.records_dir.mkdir()
    (project.records_dir / "records.jsonl").write_text("", encoding="utf-8")
    run_project(project, progress=False)
    assert ids_by_label(project) == {"pubmed:111": "R000001"}
