"""Study identity across stages: included reports → studies, pending items, `sysrev status`, `meta run --strict`."""

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from living_project import (
    decide,
    make_project,
    record,
    record_ids,
    snapshot_and_dedup,
    write_extraction,
    write_rob,
    write_studies,
)

from sysrev.cli.main import cli
from sysrev.dedup.project_run import run_project
from sysrev.living.status import pending_report
from sysrev.project import load_project
from sysrev.search.snapshot import write_snapshot


@pytest.fixture
def review(tmp_path):
    """Five records; 1 and 2 are two reports of study "Able 2020", 3 is "Baker 2021", 4 is included but
    listed under no study, 5 is excluded at title/abstract."""
    root = make_project(tmp_path / "review")
    project = snapshot_and_dedup(root, [1, 2, 3, 4, 5])
    ids = record_ids(project)
    r = [ids[str(40000000 + i)] for i in range(1, 6)]
    decide(root, "title_abstract", "ann", {r[0]: "include", r[1]: "include", r[2]: "include", r[3]: "include",
                                           r[4]: ("exclude", "wrong population")})
    decide(root, "full_text", "ann", {r[0]: "include", r[1]: "include", r[2]: "include", r[3]: "include"})
    write_studies(root, [("Able 2020", "Able A. 2020", f"{r[0]}; {r[1]}"), ("Baker 2021", "Baker B. 2021", r[2])])
    write_extraction(root, [("Able 2020", "T", 20, 3.0, 1.0), ("Able 2020", "C", 20, 4.0, 1.0)])
    write_rob(root, "Able 2020")
    return root, r


def _pending(project_root):
    from sysrev.project import load_project

    return [(p.study, p.stage, p.outcome) for p in pending_report(load_project(project_root)).pending]


def test_each_included_study_lacking_extraction_or_rob_is_pending(review):
    root, r = review
    # Able 2020 (two reports) has both; Baker 2021 has neither; the 4th included record belongs to no study.
    assert _pending(root) == [(r[3], "study", ""), ("Baker 2021", "extraction", "pain"),
                              ("Baker 2021", "rob2", "pain")]


def test_an_exemption_with_a_reason_settles_a_pending_item(review):
    root, r = review
    (root / "analysis" / "exemptions.csv").write_text(
        "study,stage,outcome,reason\nBaker 2021,extraction,pain,outcome not reported\n", encoding="utf-8")
    write_studies(root, [("Able 2020", "", f"{r[0]}; {r[1]}; {r[3]}"), ("Baker 2021", "", r[2])])
    # No extraction means no result to assess: the RoB 2 form is not pending either.
    assert _pending(root) == []
    result = CliRunner().invoke(cli, ["status", "--project", str(root), "--json"])
    state = json.loads(result.output)
    assert state["studies"]["exempted"] == [{"study": "Baker 2021", "stage": "extraction", "outcome": "pain",
                                             "why": "outcome not reported"}]
    assert state["studies"]["studies"] == ["Able 2020", "Baker 2021"]


def test_incomplete_rob_form_is_pending_and_named_as_such(review):
    root, r = review
    write_rob(root, "Baker 2021", q1_1="")  # an unanswered signalling question: no overall judgement
    write_extraction(root, [("Baker 2021", "T", 10, 3.0, 1.0), ("Baker 2021", "C", 10, 3.5, 1.0)])
    report = pending_report(__import__("sysrev.project", fromlist=["load_project"]).load_project(root))
    assert [str(p) for p in report.pending if p.study == "Baker 2021"] == [
        "Baker 2021: rob2 pain — RoB 2 form incomplete (no overall judgement)"]


def test_meta_run_prints_pending_and_strict_fails(review):
    root, _ = review
    runner = CliRunner()
    default = runner.invoke(cli, ["meta", "run", "--project", str(root)])
    assert default.exit_code == 0, default.output
    assert ("pending: 3 items" in default.output
            and "Baker 2021: extraction pain — no extraction row" in default.output)
    strict = runner.invoke(cli, ["meta", "run", "--project", str(root), "--strict"])
    assert strict.exit_code == 2
    assert "error: --strict: 3 pending items" in strict.output


def test_extract_check_and_rob_check_name_included_studies_they_lack(review):
    """The issue's complaint: with every form present valid, `extract check` and `rob check` said nothing of
    an included study without extraction rows or a RoB 2 form. They now list it (and the included record no
    study lists); the exit code stays 0 — nothing present is wrong, something is missing."""
    root, r = review
    runner = CliRunner()
    extract = runner.invoke(cli, ["extract", "check", "--project", str(root)])
    assert extract.exit_code == 0, extract.output
    assert "pending: 2 included items still without extraction rows" in extract.output
    assert "Baker 2021: extraction pain — no extraction row" in extract.output and r[3] in extract.output
    assert "rob2" not in extract.output
    rob = runner.invoke(cli, ["rob", "check", "--project", str(root)])
    assert rob.exit_code == 0, rob.output
    assert "pending: 2 included items still without RoB 2 forms" in rob.output
    assert "Baker 2021: rob2 pain — no RoB 2 form" in rob.output and "extraction pain" not in rob.output
    write_studies(root, [("Able 2020", "", f"{r[0]}; {r[1]}; {r[3]}"), ("Baker 2021", "", r[2])])
    write_extraction(root, [("Able 2020", "T", 20, 3.0, 1.0), ("Able 2020", "C", 20, 4.0, 1.0),
                            ("Baker 2021", "T", 10, 3.0, 1.0), ("Baker 2021", "C", 10, 3.5, 1.0)])
    write_rob(root, "Baker 2021")
    for command in (["extract", "check"], ["rob", "check"]):
        done = runner.invoke(cli, [*command, "--project", str(root)])
        assert done.exit_code == 0 and "pending" not in done.output.replace("pending (unknown) cells", ""), done.output


def test_status_shows_every_stage(review):
    root, _ = review
    result = CliRunner().invoke(cli, ["status", "--project", str(root)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "pubmed (pubmed): 1 run," in text
    assert "title_abstract: 5 records; 5 decided (4 include, 1 exclude), 0 unscreened" in text
    assert "full_text: 4 records; 4 decided (4 include), 0 unscreened" in text
    assert "Studies: 2 included" in text and "Pending (3;" in text
    assert "pain (pain): not run yet: run `sysrev meta run`" in text


def test_a_report_under_two_studies_or_an_unknown_exemption_is_an_error(review):
    root, r = review
    write_studies(root, [("Able 2020", "", r[0]), ("Baker 2021", "", f"{r[2]}; {r[0]}")])
    result = CliRunner().invoke(cli, ["status", "--project", str(root)])
    assert result.exit_code == 2
    assert "studies.csv, line 3, column 'records'" in result.output and "a report belongs to one study" in result.output
    write_studies(root, [("Able 2020", "", r[0])])
    (root / "analysis" / "exemptions.csv").write_text(
        "study,stage,outcome,reason\nAble 2020,rob2,function,not measured\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", "--project", str(root)])
    assert result.exit_code == 2 and "exemptions.csv, line 2, column 'outcome'" in result.output
    (root / "analysis" / "exemptions.csv").write_text(
        "study,stage,outcome,reason\nAble 2020,rob2,pain,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", "--project", str(root)])
    assert result.exit_code == 2 and "needs a study and a reason" in result.output


def test_order_by_entered_is_the_day_a_study_s_first_report_was_included(tmp_path):
    """`meta cumulative --order-by entered` without an `entered` column: each study's date is derived from the
    full-text log — the day the first of its reports was included — and a typed `entered` value wins."""
    root = make_project(tmp_path / "review")
    project = snapshot_and_dedup(root, [1, 2, 3])
    ids = record_ids(project)
    r = [ids[str(40000000 + i)] for i in range(1, 4)]
    decide(root, "title_abstract", "ann", {rid: "include" for rid in r}, timestamp="2026-01-05T09:00:00Z")
    # Baker's only report is included on 2 February; Able's two reports on 9 March and 1 April
    decide(root, "full_text", "ann", {r[2]: "include"}, timestamp="2026-02-02T09:00:00Z")
    decide(root, "full_text", "ann", {r[0]: "include"}, timestamp="2026-03-09T09:00:00Z")
    decide(root, "full_text", "ann", {r[1]: "include"}, timestamp="2026-04-01T09:00:00Z")
    write_studies(root, [("Able 2020", "", f"{r[0]}; {r[1]}"), ("Baker 2021", "", r[2])])
    write_extraction(root, [("Able 2020", "T", 20, 3.0, 1.0), ("Able 2020", "C", 20, 4.0, 1.0),
                            ("Baker 2021", "T", 30, 3.2, 1.2), ("Baker 2021", "C", 30, 4.0, 1.2)])
    runner = CliRunner()

    def steps(*args):
        out = runner.invoke(cli, ["meta", "cumulative", "--analysis", "pain", "--project", str(root), "--json",
                                  *args])
        assert out.exit_code == 0, out.output
        return [(s["study"], s["order"]) for s in json.loads(out.output)["steps"]]

    assert [study for study, _ in steps()] == ["Able 2020", "Baker 2021"]  # by the year in the label
    assert steps("--order-by", "entered") == [("Baker 2021", "2026-02-02"), ("Able 2020", "2026-03-09")]
    # a typed date wins over the logs (here: Able entered a previous version before sysrev kept them)
    (root / "analysis" / "extraction" / "studies.csv").write_text(
        f"study,citation,records,entered\nAble 2020,,{r[0]}; {r[1]},2025-11-30\nBaker 2021,,{r[2]},\n",
        encoding="utf-8")
    assert steps("--order-by", "entered") == [("Able 2020", "2025-11-30"), ("Baker 2021", "2026-02-02")]
    # a study with neither a typed date nor an included report cannot be placed: an error naming it
    (root / "analysis" / "extraction" / "studies.csv").write_text(
        f"study,citation,records\nAble 2020,,{r[0]}; {r[1]}\nBaker 2021,,\n", encoding="utf-8")
    bad = runner.invoke(cli, ["meta", "tsa", "--analysis", "pain", "--project", str(root), "--order-by", "entered"])
    assert bad.exit_code == 2 and "study 'Baker 2021' has no 'entered' date" in bad.output


def test_an_exemption_reason_typed_over_two_lines_keeps_its_line_break_and_later_lines_their_numbers(review):
    # A line break typed into a cell (Alt+Enter in Excel): the row spans two physical lines.
    root, r = review
    (root / "analysis" / "exemptions.csv").write_text(
        'study,stage,outcome,reason\nBaker 2021,extraction,pain,"outcome not reported;\nauthors contacted"\n'
        "Baker 2021,rob2,function,not measured\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", "--project", str(root)])
    assert result.exit_code == 2 and "exemptions.csv, line 4, column 'outcome'" in result.output
    (root / "analysis" / "exemptions.csv").write_text(
        'study,stage,outcome,reason\nBaker 2021,extraction,pain,"outcome not reported;\nauthors contacted"\n',
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", "--project", str(root), "--json"])
    exempted = json.loads(result.output)["studies"]["exempted"]
    assert exempted[0]["why"] == "outcome not reported;\nauthors contacted"


def test_an_unassigned_report_of_a_studys_trial_names_that_study(tmp_path):
    """A new report naming the trial registration of an included study's report is pointed at that study:
    dedup links the two records (both name NCT01234567) and the pending line says which study it may be."""
    root = make_project(tmp_path / "review")
    named = [replace(record(i), abstract=f"Results of cohort {i}. Trial registration: NCT01234567.")
             for i in (1, 2)]
    write_snapshot(root / "searches" / "runs", "pubmed", [*named, record(3)], database="pubmed", query="q")
    run_project(load_project(root))
    ids = record_ids(load_project(root))
    r = [ids[str(40000000 + i)] for i in (1, 2, 3)]
    for stage in ("title_abstract", "full_text"):
        decide(root, stage, "ann", {rid: "include" for rid in r})
    write_studies(root, [("Able 2020", "Able A. 2020", r[0])])
    pending = {p.study: p.why for p in pending_report(load_project(root)).pending if p.stage == "study"}
    assert pending[r[1]].endswith(f"; it names the trial of study 'Able 2020' ({r[0]}: both name trial NCT01234567)")
    assert pending[r[2]].endswith("column of studies.csv")  # no trial in common: no hint
