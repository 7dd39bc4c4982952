"""The HTML screening report: PRISMA flow, progress and agreement, derived from the logs."""

import re
from html import unescape

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.report.screening_report import screening_report
from sysrev.screening.state import load_screening
from sysrev.screening.summary import stage_summary

H = "record_id,decision,reason,reviewer,timestamp\n"


def rows(reviewer, decisions):
    return H + "".join(f"r{i:02d},{d},{reason},{reviewer},2024-01-01T10:00:00Z\n"
                       for i, (d, reason) in decisions.items())


TA = {1: ("include", ""), 2: ("exclude", ""), 3: ("include", ""), 4: ("exclude", ""), 5: ("include", ""),
      6: ("exclude", ""), 7: ("include", ""), 8: ("exclude", "")}
FT = {1: ("include", ""), 3: ("include", ""), 5: ("exclude", "wrong comparator"), 7: ("exclude", "not randomised")}


def _text(html):
    """The report as a reader reads it: tags removed, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*</svg>", " ", html, flags=re.S))).split())


def test_report_of_a_finished_dual_screening(make_project, tmp_path):
    project = make_project({
        "title_abstract/alice.csv": rows("alice", TA),
        "title_abstract/bob.csv": rows("bob", {**TA, 8: ("include", "")}),   # one conflict (r08) ...
        "title_abstract/reconciliation/carol.csv": H + "r08,exclude,,carol,2024-01-02T10:00:00Z\n",  # settled
        "full_text/alice.csv": rows("alice", FT),
        "full_text/bob.csv": rows("bob", FT),
    })
    html = screening_report(project)
    text = _text(html)
    assert html.count("<svg") == 1 and "Records screened" in html  # the diagram, inline
    assert "Records identified 10 — PubMed 6 — Scopus 4 Duplicate records removed 2 Records screened 8" in text
    assert "— excluded: wrong comparator 1 — excluded: not randomised 1 Studies included 2" in text
    assert "Title and abstract screening Records Decided Conflicts" in text
    assert "8 (include 4, exclude 4, maybe 0) 0 0 0 1" in text  # r08 reconciled
    # alice × bob at title/abstract: 7 of 8 agree; the numbers are those of `sysrev screen status`
    pair = stage_summary(load_screening(project), "title_abstract")["agreement"][0]
    assert pair["n"] == 8 and pair["percent_agreement"] == 7 / 8 and pair["table"] == [[4, 0], [1, 3]]
    assert "alice ↓ / bob → include exclude include 4 0 exclude 1 3" in text
    assert (f"At title/abstract, alice and bob both screened 8 records and agreed on 87.5% (Cohen's κ = "
            f"{pair['kappa']:.2f}, 95% CI {pair['kappa_ci_low']:.2f} to {pair['kappa_ci_high']:.2f}; "
            f"PABAK = 0.75; Gwet's AC1 = {pair['ac1']:.2f}).") in text
    assert "At full text, alice and bob both screened 4 records and agreed on 100.0%" in text
    assert html == screening_report(project)  # no timestamp: the same files give the same page


def test_unfinished_screening_draws_the_diagram_so_far_and_says_what_is_awaited(make_project):
    # issue 13: the diagram is drawn while screening is in progress, marked as such
    project = make_project({"title_abstract/alice.csv": rows("alice", {1: ("include", "")})})
    html = screening_report(project)
    assert "<svg" in html and "IN PROGRESS" in html
    assert "In progress: screening is not finished" in html
    assert "title/abstract: 7 records not screened yet" in html
    assert "No two reviewers have screened the same record at this stage" in html


def test_bad_rows_are_listed_with_file_and_line(make_project):
    project = make_project({"title_abstract/alice.csv": rows("alice", TA) + "r99,include,,alice,2024-01-01\n"})
    text = _text(screening_report(project))
    assert "Rows not counted" in text and "alice.csv, line 10: unknown record_id 'r99'" in text
    assert "Not drawn: some log rows cannot be counted" in text


def test_cli_writes_the_report_and_the_updated_review_totals(make_project, tmp_path):
    project = make_project({"title_abstract/alice.csv": rows("alice", TA), "full_text/alice.csv": rows("alice", FT)})
    out = tmp_path / "out" / "screening.html"
    result = CliRunner().invoke(cli, ["screen", "report", "--project", str(project.root), "--out", str(out),
                                      "--previous", "3:4"])
    assert result.exit_code == 0, result.output
    text = _text(out.read_text(encoding="utf-8"))
    assert "Studies in the previous version 3 Total studies included 5" in text
    # without --out the report goes into the project's screening folder
    result = CliRunner().invoke(cli, ["screen", "report", "--project", str(project.root)])
    default = project.root / "screening" / "report.html"
    assert result.exit_code == 0 and result.output == f"wrote {default}\n"
    assert _text(default.read_text(encoding="utf-8")) == _text(screening_report(project))
