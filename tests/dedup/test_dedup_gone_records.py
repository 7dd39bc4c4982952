"""Records whose search runs were deleted: dedup keeps them aside, never gives their IDs to other records, gives
the IDs back when the runs return, and says so, with the screening decisions that name them.

Before, a record whose every snapshot was deleted vanished from records.jsonl without a word, and when it held
the highest ID, the next new publication was given that ID, so the decisions taken on the old record silently
became decisions on the new one.
"""

import json
import shutil

from click.testing import CliRunner
from project_snapshots import snapshot

from sysrev.cli.main import cli
from sysrev.dedup import load_records
from sysrev.dedup.decisions import append_decisions
from sysrev.dedup.project_run import GONE_FILE, gone_record_ids, gone_warning, load_gone_records, run_project
from sysrev.living.status import dedup_status
from sysrev.living.studies import read_study_table
from sysrev.project import load_project
from sysrev.screening.state import load_screening

A = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
         authors=["Smith, John"], year=2015, journal="Pain Physician", volume="18", issue="3", pages="575-86")
B = dict(title="Radiofrequency denervation of the sacroiliac joint: a cohort study", authors=["Lee, Kim"],
         year=2018, journal="Spine", volume="43", issue="1", pages="10-19")
C = dict(title="Caudal epidural steroid injections guided by ultrasound in older adults", authors=["Ngo, Lan"],
         year=2021, journal="Pain Medicine", volume="22", issue="5", pages="1101-1108")
D = dict(title="Pulsed radiofrequency of the dorsal root ganglion for chronic radicular pain", authors=["Ito, Ren"],
         year=2022, journal="Regional Anesthesia", volume="47", issue="2", pages="90-97")


def _ids(project) -> dict:
    return {r["source_id"]: r["record_id"] for r in load_records(project)}


def _two_runs(project):
    """Two runs, the later holding the records with the highest IDs (R000002 and R000003)."""
    first = snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1")])
    later = snapshot(project, "scopus-main", "scopus", [dict(B, source_id="CN-2"), dict(C, source_id="CN-3")],
                     hours=1)
    run_project(project)
    assert _ids(project) == {"1": "R000001", "CN-2": "R000002", "CN-3": "R000003"}
    return first, later


def test_a_deleted_runs_records_are_kept_aside_and_their_ids_never_reused(project):
    _, later = _two_runs(project)
    kept = {r["record_id"]: r for r in load_records(project)}
    shutil.rmtree(later)
    outcome = run_project(project)
    assert outcome.gone_ids == ["R000002", "R000003"]
    assert _ids(project) == {"1": "R000001"}
    assert load_gone_records(project) == [kept["R000002"], kept["R000003"]]  # as they were, every field
    summary = json.loads((project.records_dir / "dedup_summary.json").read_text(encoding="utf-8"))
    assert summary["last_record_id"] == "R000003" and summary["records"] == 1
    snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1"), dict(D, source_id="4")], hours=2)
    outcome = run_project(project)
    assert _ids(project) == {"1": "R000001", "4": "R000004"}  # not R000002: decisions may name that one
    assert outcome.gone_ids == []  # already reported: a record is "gone" once, in the run that lost it


def _later_run_deleted(project):
    """:func:`_two_runs`, then the later run deleted (kept aside first) and dedup run: (its folder, the copy)."""
    _, later = _two_runs(project)
    backup = later.parent.parent / "backup"
    shutil.copytree(later, backup)
    shutil.rmtree(later)
    run_project(project)
    return later, backup


def test_restored_runs_get_their_ids_back_and_the_file_of_gone_records_goes(project):
    later, backup = _later_run_deleted(project)
    snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1"), dict(D, source_id="4")], hours=2)
    run_project(project)
    shutil.copytree(backup, later)
    outcome = run_project(project)
    assert _ids(project) == {"1": "R000001", "CN-2": "R000002", "CN-3": "R000003", "4": "R000004"}
    assert outcome.gone_ids == [] and not (project.records_dir / GONE_FILE).exists()


def test_the_last_id_survives_a_lost_records_file(project):
    """records.jsonl deleted by hand (or never committed) before any screening: the summary still knows the last
    ID handed out."""
    _, later = _two_runs(project)
    shutil.rmtree(later)
    (project.records_dir / "records.jsonl").unlink()
    run_project(project)
    assert _ids(project) == {"1": "R000004"}  # a fresh ID, after the last one ever given


def test_a_lost_records_file_is_not_built_anew_while_decisions_name_its_records(project):
    """Built anew, the records would be numbered again, and decisions would name other records (or none)."""
    _two_runs(project)
    log = project.root / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True)
    log.write_text("record_id,decision,reason,reviewer,timestamp\n"
                   + "".join(f"R00000{n},include,,ann,2026-01-02T10:00:00Z\n" for n in range(1, 7)), encoding="utf-8")
    (project.records_dir / "records.jsonl").unlink()
    result = CliRunner().invoke(cli, ["dedup", "--project", str(project.root)])
    assert result.exit_code == 2 and not (project.records_dir / "records.jsonl").exists()
    assert result.stderr == (
        f"error: {project.records_dir / 'records.jsonl'} is missing, but the screening logs name 6 record IDs "
        "(R000001, R000002, R000003, R000004, R000005, …): built anew, the records would get IDs those decisions do "
        "not mean. Restore the file (e.g. `git checkout -- records/records.jsonl`); to start the review's screening "
        "over instead, move the screening/ folder away first\n")
    assert dedup_status(project) == {"records": None, "missing": True, "runs_not_deduplicated": []}
    status = CliRunner().invoke(cli, ["status", "--project", str(project.root)])
    assert "  records/records.jsonl is missing, but the screening logs name its records: restore it" in status.output


def test_the_command_says_which_records_left_and_which_decisions_name_them(project):
    _, later = _two_runs(project)
    log = project.root / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True)
    log.write_text("record_id,decision,reason,reviewer,timestamp\n"
                   "R000001,include,,ann,2026-01-02T10:00:00Z\nR000002,exclude,,ann,2026-01-02T10:01:00Z\n"
                   "R000003,include,,ann,2026-01-02T10:02:00Z\n", encoding="utf-8")
    shutil.rmtree(later)
    result = CliRunner().invoke(cli, ["dedup", "--project", str(project.root)])
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: 2 records of the last dedup left the review, because no search run in searches/runs/ holds "
        "their sources any more (a run deleted?): R000002, R000003; 2 screening decisions name them and are no "
        "longer counted. They are kept in records/gone_records.jsonl, their IDs are never given to other records, "
        "and they come back with their IDs if the runs are restored (e.g. from git) and dedup is run again\n")
    again = CliRunner().invoke(cli, ["dedup", "--project", str(project.root)])
    assert again.exit_code == 0 and again.stderr == ""


def test_one_gone_record_and_no_decisions_read_in_the_singular(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1")])
    later = snapshot(project, "scopus-main", "scopus", [dict(B, source_id="CN-2")], hours=1)
    run_project(project)
    shutil.rmtree(later)
    result = CliRunner().invoke(cli, ["dedup", "--project", str(project.root)])
    assert result.stderr.startswith("warning: 1 record of the last dedup left the review, because no search run "
                                    "in searches/runs/ holds their sources any more (a run deleted?): R000002. "
                                    "They are kept in")


def test_the_stages_that_meet_a_gone_record_say_where_it_went(project):
    """A decision log or studies.csv naming a gone record says it left the review, not only that it is unknown;
    a record that never existed gets no such note."""
    _, later = _two_runs(project)
    (project.root / "review.toml").write_text('[review]\ntitle = "t"\nquestion = "q"\n\n[screening]\n'
                                              'reviewers = ["ann"]\nexclusion_reasons = ["wrong population"]\n'
                                              'highlight_terms = []\nreviewers_per_record = 1\n',
                                              encoding="utf-8")
    log = project.root / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True)
    log.write_text("record_id,decision,reason,reviewer,timestamp\nR000003,include,,ann,2026-01-02T10:00:00Z\n"
                   "R000099,include,,ann,2026-01-02T10:01:00Z\n", encoding="utf-8")
    shutil.rmtree(later)
    run_project(project)
    problems = [p.message for p in load_screening(load_project(project.root), strict=False).problems]
    assert problems == [
        "unknown record_id 'R000003': not in records/records.jsonl; R000003 left the review when the search runs "
        "holding it were deleted (records/gone_records.jsonl): restore them and run `sysrev dedup` again, or "
        "remove what names it",
        "unknown record_id 'R000099': not in records/records.jsonl"]
    studies = project.root / "analysis" / "extraction" / "studies.csv"
    studies.parent.mkdir(parents=True)
    studies.write_text("study,records\nNgo 2021,R000003\nLee 2018,R000099\n", encoding="utf-8")
    found = []
    read_study_table(project, {"R000001"}, found)
    assert [str(error).split(": ", 1)[1] for error in found] == [
        "record R000003 (study 'Ngo 2021') is not in records/records.jsonl; R000003 left the review when the "
        "search runs holding it were deleted (records/gone_records.jsonl): restore them and run `sysrev dedup` "
        "again, or remove what names it",
        "record R000099 (study 'Lee 2018') is not in records/records.jsonl"]


def test_status_lists_the_records_that_left_until_they_come_back(project):
    later, backup = _later_run_deleted(project)
    assert dedup_status(project)["gone"] == ["R000002", "R000003"]
    assert dedup_status(project)["runs_not_deduplicated"] == []
    shutil.copytree(backup, later)
    assert dedup_status(project)["runs_not_deduplicated"] == [later.name]  # back, not read by dedup yet
    run_project(project)
    assert dedup_status(project)["gone"] == []


def _summary_of_an_older_version(project):
    """dedup_summary.json as sysrev wrote it before it kept last_record_id."""
    path = project.records_dir / "dedup_summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    del summary["last_record_id"]
    path.write_text(json.dumps(summary), encoding="utf-8")


def test_a_summary_of_an_older_version_numbers_new_records_after_the_highest_id_of_the_records(project):
    _two_runs(project)
    _summary_of_an_older_version(project)
    snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1"), dict(D, source_id="4")], hours=2)
    run_project(project)
    assert _ids(project)["4"] == "R000004"
    summary = json.loads((project.records_dir / "dedup_summary.json").read_text(encoding="utf-8"))
    assert summary["last_record_id"] == "R000004"  # written again from now on


def test_without_records_or_a_last_id_numbering_starts_at_one(project):
    _two_runs(project)
    _summary_of_an_older_version(project)
    (project.records_dir / "records.jsonl").unlink()
    run_project(project)
    assert _ids(project) == {"1": "R000001", "CN-2": "R000002", "CN-3": "R000003"}


def test_a_record_a_reviewer_merged_into_another_is_not_gone(project):
    """'same' merges two existing records: the higher ID is listed as replaced, not reported as gone."""
    doubt = dict(A, source_id="2", journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
                 authors=["Müller, J.", "Doe, Joan"])  # as test_dedup_project_files' DOUBT: left to a reviewer
    snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1"), doubt])
    run_project(project)
    assert sorted(_ids(project).values()) == ["R000001", "R000002"]
    append_decisions(project.records_dir / "dedup_decisions.csv",
                     [{"record_a": "pubmed:1", "record_b": "pubmed:2", "decision": "same", "reviewer": "ann"}])
    outcome = run_project(project)
    assert outcome.gone_ids == [] and not (project.records_dir / GONE_FILE).exists()


def test_the_warning_lists_ten_ids_then_the_count_and_agrees_in_number(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1")])
    titles = [f"Trial {word} of epidural steroid injection in lumbar stenosis" for word in (
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo")]
    later = snapshot(project, "scopus-main", "scopus",
                     [dict(B, title=title, source_id=f"S{n}", pages=f"{10 * n}-{10 * n + 5}")
                      for n, title in enumerate(titles, start=1)], hours=1)
    run_project(project)
    gone = sorted(set(_ids(project).values()) - {"R000001"})
    assert len(gone) == 11
    log = project.root / "screening" / "title_abstract" / "ann.csv"
    log.parent.mkdir(parents=True)
    log.write_text(f"record_id,decision,reason,reviewer,timestamp\n{gone[0]},include,,ann,2026-01-02T10:00:00Z\n",
                   encoding="utf-8")
    shutil.rmtree(later)
    warning = gone_warning(load_project(project.root), run_project(project).gone_ids)
    assert warning.startswith(f"11 records of the last dedup left the review, because no search run in "
                              f"searches/runs/ holds their sources any more (a run deleted?): {', '.join(gone[:10])}, "
                              "… (11 in all); 1 screening decision names them and is no longer counted. They are")
    ten = gone_warning(load_project(project.root), gone[:10])
    assert f": {', '.join(gone[:10])}; 1 screening decision" in ten


def test_gone_records_are_kept_as_written_accents_included(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1")])
    later = snapshot(project, "scopus-main", "scopus", [dict(B, source_id="CN-2", authors=["Müller, Jürgen"])],
                     hours=1)
    run_project(project)
    shutil.rmtree(later)
    run_project(project)
    text = (project.records_dir / GONE_FILE).read_text(encoding="utf-8")
    assert '"Müller, Jürgen"' in text and text.endswith("\n") and text.count("\n") == 1


def test_a_study_table_names_the_line_and_column_of_a_record_it_lacks(project):
    _two_runs(project)
    studies = project.root / "analysis" / "extraction" / "studies.csv"
    studies.parent.mkdir(parents=True)
    studies.write_text("study,records\nNgo 2021,R000003\nLee 2018,R000099\n", encoding="utf-8")
    found = []
    table = read_study_table(project, {"R000001", "R000003"}, found)
    [error] = found
    assert (error.path, error.line, error.column) == (studies, 3, "records")
    assert {label: (study.records, study.line) for label, study in table.studies.items()} == {
        "Ngo 2021": (("R000003",), 2), "Lee 2018": (("R000099",), 3)}
    studies.write_text("study\nNgo 2021\n", encoding="utf-8")  # no records column: no record ID, no error
    found = []
    assert read_study_table(project, {"R000001"}, found).studies["Ngo 2021"].records == () and found == []


def test_an_id_merged_into_a_record_that_left_the_review_left_with_it(project):
    """R000002 merged into R000001, then the run holding both deleted: a decision naming R000002 says it left the
    review, as one naming R000001 does."""
    doubt = dict(A, source_id="2", journal="Journal of Interventional Pain Studies", volume="", issue="", pages="",
                 authors=["Müller, J.", "Doe, Joan"])
    first = snapshot(project, "pubmed-main", "pubmed", [dict(A, source_id="1"), doubt])
    snapshot(project, "scopus-main", "scopus", [dict(B, source_id="CN-2")], hours=1)
    run_project(project)
    append_decisions(project.records_dir / "dedup_decisions.csv",
                     [{"record_a": "pubmed:1", "record_b": "pubmed:2", "decision": "same", "reviewer": "ann"}])
    run_project(project)
    shutil.rmtree(first)
    assert run_project(project).gone_ids == ["R000001"]
    assert gone_record_ids(project) == {"R000001", "R000002"}
