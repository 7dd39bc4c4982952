"""A study whose extraction rows the analyses read while none of its reports is included at full text (excluded
there after extraction began, or never decided): `sysrev status`, `meta run` and the dashboard warn, naming
each report's standing, and `meta run --strict` refuses — a forest plot must not show a study the screening
does not include."""

import json

import pytest
from click.testing import CliRunner
from living_project import decide, make_project, record_ids, snapshot_and_dedup, write_extraction, write_studies

from sysrev.cli.main import cli
from sysrev.living.status import pending_report, pooled_not_included
from sysrev.living.studies import IncludedStudies, Study, StudyTable
from sysrev.project import load_project


@pytest.fixture
def review(tmp_path):
    """Records 1–4 included at title/abstract; at full text 1 included, 2 excluded, 3 marked maybe, 4 not yet
    decided. Studies: Able 2020 (report 1), Baker 2021 (2), Cole 2022 (3 and 4), Dunn 2023 (no record IDs)."""
    root = make_project(tmp_path / "review")
    project = snapshot_and_dedup(root, [1, 2, 3, 4])
    ids = record_ids(project)
    r = [ids[str(40000000 + i)] for i in range(1, 5)]
    decide(root, "title_abstract", "ann", {rid: "include" for rid in r})
    decide(root, "full_text", "ann", {r[0]: "include", r[1]: ("exclude", "wrong population"), r[2]: "maybe"})
    write_studies(root, [("Able 2020", "", r[0]), ("Baker 2021", "", r[1]), ("Cole 2022", "", f"{r[2]}; {r[3]}"),
                         ("Dunn 2023", "", "")])
    write_extraction(root, [(study, arm, 20, 3.0, 1.0) for study in ("Able 2020", "Baker 2021", "Cole 2022",
                                                                     "Dunn 2023") for arm in ("T", "C")])
    return root, r


def test_each_extracted_study_without_an_included_report_is_named_with_its_reports_standing(review):
    root, r = review
    report = pending_report(load_project(root))
    assert report.not_included == [
        f"Baker 2021 has extraction rows for pain, which the analyses read, but none of its reports is included at "
        f"full text ({r[1]} excluded (wrong population)): include a report, or take the study's rows out of the "
        "extraction",
        f"Cole 2022 has extraction rows for pain, which the analyses read, but none of its reports is included at "
        f"full text ({r[2]} marked maybe; {r[3]} awaiting its full-text decision): include a report, or take the "
        "study's rows out of the extraction"]
    assert report.studies == ["Able 2020", "Dunn 2023"]  # a row without record IDs counts as included


def test_a_report_that_never_reached_full_text_says_so(review):
    root, r = review
    decide(root, "title_abstract", "ann", {r[1]: ("exclude", "wrong population")}, timestamp="2026-12-02T10:00:00Z")
    [baker, _] = pending_report(load_project(root)).not_included
    assert f"({r[1]} not at full text)" in baker


def test_status_meta_run_and_strict_say_it(review):
    root, _ = review
    status = CliRunner().invoke(cli, ["status", "--project", str(root)])
    assert status.output.count("  warning: ") == 2 and "  warning: Baker 2021 has extraction rows" in status.output
    as_json = json.loads(CliRunner().invoke(cli, ["status", "--json", "--project", str(root)]).output)
    assert [w.split(" has ")[0] for w in as_json["studies"]["not_included"]] == ["Baker 2021", "Cole 2022"]
    run = CliRunner().invoke(cli, ["meta", "run", "--project", str(root)])
    assert run.exit_code == 0
    assert [line.split(" has ")[0] for line in run.stderr.splitlines() if line.startswith("warning: ")] == [
        "warning: Baker 2021", "warning: Cole 2022"]
    strict = CliRunner().invoke(cli, ["meta", "run", "--strict", "--project", str(root)])
    assert strict.exit_code == 2
    assert strict.stderr.splitlines()[-1] == ("error: --strict: 2 studies read by the analyses but not included at "
                                              "full text (above)")
    assert strict.stderr.splitlines()[-2].startswith("error: --strict: 2 pending items for included studies")


def test_no_warning_while_screening_cannot_be_read_or_every_extracted_study_is_included(review):
    root, r = review
    decide(root, "full_text", "ann", {r[1]: "include", r[2]: "include"}, timestamp="2026-12-02T10:00:00Z")
    assert pending_report(load_project(root)).not_included == []
    (root / "screening" / "full_text" / "ann.csv").write_text("not,a,log\n", encoding="utf-8")
    report = pending_report(load_project(root))
    assert report.not_included == [] and report.notes[0].startswith("screening could not be read")


def test_the_report_for_no_analyses_names_no_pooled_study_and_keeps_the_unlinked(review):
    root, _ = review
    report = pending_report(load_project(root), [])  # the specs given, not those of analyses.toml
    assert report.not_included == [] and report.unlinked == ["Dunn 2023"]
    assert [p.stage for p in report.pending] == []


def test_outcomes_are_listed_in_the_analyses_order():
    """Two analysed outcomes with rows, in the order of the analyses (not sorted)."""
    table = StudyTable(studies={"Baker 2021": Study("Baker 2021", ("R2",))}, by_record={"R2": "Baker 2021"})
    included = IncludedStudies([], [], [], [])
    extracted = {("Baker 2021", "pain"), ("Baker 2021", "ODI"), ("Baker 2021", "QoL")}
    [warning] = pooled_not_included(table, included, extracted, ["pain", "ODI"], {})
    assert warning.startswith("Baker 2021 has extraction rows for pain, ODI, which the analyses read, but none of "
                              "its reports is included at full text (R2 not at full text)")


def test_a_table_without_a_records_column_says_every_row_counts(review):
    root, _ = review
    (root / "analysis" / "extraction" / "studies.csv").write_text("study\nAble 2020\n", encoding="utf-8")
    report = pending_report(load_project(root))
    assert report.notes == [f"{root / 'analysis' / 'extraction' / 'studies.csv'} has no 'records' column: studies "
                            "cannot be matched to their reports, so every row counts as an included study"]
