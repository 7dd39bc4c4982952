"""`sysrev status`, `sysrev check` and `sysrev screen report` read the records and the decision logs once, not
once per part of their report (each read costs seconds at tens of thousands of records; CPU on a 17,364-record
project with 24,000 decisions: status 3.6 s → 1.3 s, check 3.5 s → 1.4 s, screen report 4.5 s → 2.3 s), and
load no library that only an analysis run needs (scipy.stats and pandas cost a second to import)."""

import json
import subprocess
import sys

import pytest
from living_project import decide, make_project, record_ids, snapshot_and_dedup, write_extraction, write_studies

import sysrev.dedup.project_run
import sysrev.screening.state
from sysrev.errors import SysrevError
from sysrev.living.status import pending_report, pipeline_status
from sysrev.project import load_project
from sysrev.project_check import check_project
from sysrev.report.screening_report import screening_report


@pytest.fixture
def review(tmp_path):
    """Records 1–3 included at title/abstract, 1 included at full text and extracted as Able 2020."""
    root = make_project(tmp_path / "review")
    project = snapshot_and_dedup(root, [1, 2, 3])
    ids = record_ids(project)
    r = [ids[str(40000000 + i)] for i in range(1, 4)]
    decide(root, "title_abstract", "ann", {rid: "include" for rid in r})
    decide(root, "full_text", "ann", {r[0]: "include"})
    write_studies(root, [("Able 2020", "", r[0])])
    write_extraction(root, [("Able 2020", arm, 20, 3.0, 1.0) for arm in ("T", "C")])
    return root


def _counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_records_and_logs_are_read_once_and_every_part_is_still_reported(review, monkeypatch):
    reads = _counting(monkeypatch, sysrev.dedup.project_run, "_read_records")
    stages = _counting(monkeypatch, sysrev.screening.state, "_read_stage")
    status = pipeline_status(load_project(review))
    assert (len(reads), len(stages)) == (1, 2)  # each stage's logs once; before: records.jsonl 3 times, logs twice
    assert status["dedup"]["records"] == 3 and status["dedup"]["decisions_not_applied"] == 0
    assert status["screening"]["full_text"]["decisions"]["include"] == 1
    assert status["studies"]["studies"] == ["Able 2020"]
    assert (status["releases"], status["interrupted_writes"]) == ([], 0)


def test_an_unreadable_analyses_file_is_named_and_the_rest_still_reported(review):
    analyses = review / "analysis" / "analyses.toml"
    analyses.write_text("[[analysis]\n", encoding="utf-8")
    status = pipeline_status(load_project(review))
    assert (status["studies"], status["analyses"]) == (None, [])
    assert status["error"].startswith(f"{analyses}: invalid TOML")
    assert status["screening"]["full_text"]["decisions"]["include"] == 1


def test_a_part_that_cannot_be_read_still_says_why(review):
    log = review / "screening" / "full_text" / "ann.csv"
    log.write_text(log.read_text(encoding="utf-8") + "R999999,include,,ann,2026-12-01T10:00:00Z\n", encoding="utf-8")
    status = pipeline_status(load_project(review))
    assert status["dedup"]["records"] == 3  # the records were read; the logs were not
    assert "unknown record_id 'R999999'" in status["screening"]["error"]
    assert "unknown record_id 'R999999'" in status["studies"]["notes"][0]


def test_check_reads_the_records_and_logs_once_and_still_checks_against_them(review, monkeypatch):
    studies = review / "analysis" / "extraction" / "studies.csv"
    studies.write_text(studies.read_text(encoding="utf-8") + "Baker 2021,,R999998\n", encoding="utf-8")
    log = review / "screening" / "full_text" / "ann.csv"
    log.write_text(log.read_text(encoding="utf-8") + "R999999,include,,ann,2026-12-01T10:00:00Z\n", encoding="utf-8")
    reads = _counting(monkeypatch, sysrev.dedup.project_run, "_read_records")
    issues, _ = check_project(load_project(review))
    assert len(reads) == 1  # before: three times
    found = "\n".join(str(issue) for issue in issues)
    assert "unknown record_id 'R999999'" in found  # the logs, against the records read once
    assert "R999998" in found  # studies.csv, against the same records


def _heavy_modules_after(review, argv: list) -> tuple[str, str]:
    """``sysrev ARGV`` in a fresh interpreter: (its output, the names of scipy and pandas if it loaded them)."""
    probe = (f"import sys\nfrom sysrev.cli.main import cli\ntry:\n    cli({argv!r} + ['--project', {str(review)!r}])\n"
             "except SystemExit:\n    pass\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'pandas'}), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout, run.stderr.strip().splitlines()[-1]


def test_status_and_check_in_a_fresh_process_load_neither_scipy_nor_pandas(review):
    output, heavy = _heavy_modules_after(review, ["status", "--json"])
    assert json.loads(output)["studies"]["studies"] == ["Able 2020"]
    assert heavy == "[]"  # before: both, for 1 s of a 1.4 s status
    output, heavy = _heavy_modules_after(review, ["check"])
    assert "configuration files valid" in output and heavy == "[]"



def test_the_screening_report_reads_the_logs_once_and_still_draws_the_flow(review, monkeypatch):
    stages = _counting(monkeypatch, sysrev.screening.state, "_read_stage")
    html = screening_report(load_project(review))
    assert len(stages) == 2  # each stage's logs once; before: twice, once more for the PRISMA counts
    assert "<td>Records screened</td><td>3</td>" in html and "<td>Studies included</td><td>1</td>" in html


def test_the_screening_report_loads_no_scipy(review, tmp_path):
    out = tmp_path / "report.html"
    output, heavy = _heavy_modules_after(review, ["screen", "report", "--out", str(out)])
    assert output == f"wrote {out}\n" and "<svg" in out.read_text(encoding="utf-8")
    assert heavy == "[]"  # before: both, for the funnel plot beside the diagram's helpers, and the analyses


def test_an_exemption_for_an_analysis_not_reported_now_is_no_error(review):
    """`meta run NAME` reports on one analysis; an exemption for another analysis's outcome is checked against
    every analysis (``all_specs``), not reported as an outcome no analysis uses."""
    from sysrev.analyses.spec import load_analyses

    analyses = review / "analysis" / "analyses.toml"
    analyses.write_text(analyses.read_text(encoding="utf-8") + '\n[analyses.odi]\ntitle = "ODI"\noutcome = "odi"\n'
                        'measure = "MD"\nmodel = "random"\n', encoding="utf-8")
    (review / "analysis" / "exemptions.csv").write_text("study,stage,outcome,reason\nAble 2020,rob2,odi,not "
                                                        "reported\n", encoding="utf-8")
    project = load_project(review)
    specs = load_analyses(project)
    pain = [spec for spec in specs if spec.name == "pain"]
    report = pending_report(project, pain, all_specs=specs)
    assert [item.study for item in report.pending] == ["Able 2020"] and report.exempted == []
    with pytest.raises(SysrevError, match="exemptions.csv, line 2, column 'outcome'"):
        pending_report(project, pain)  # without the other analyses the outcome is unknown
