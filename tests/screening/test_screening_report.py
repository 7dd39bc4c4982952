"""The HTML screening report: PRISMA flow, progress and agreement, derived from the logs."""

import re
from html import unescape

import pytest
from click.testing import CliRunner
from pytest import approx

from sysrev.cli.main import cli
from sysrev.project import load_project
from sysrev.report.prisma import PrismaError, prisma_counts
from sysrev.report.screening_report import screening_report
from sysrev.screening.prioritisation import methods_sentences
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
    lines = _read(html)  # finished: nothing said about progress between the heading and the diagram's table
    assert lines[:4] == ["Screening report: Test review", "Screening report: Test review", "PRISMA 2020 flow",
                         "Box | n"]


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


# What a reader sees, element by element: the page title, each heading, paragraph, list item, preformatted
# block and table row (cells joined by " | "), in page order; the diagram is read apart (its own text).
_ELEMENTS = re.compile(r"<(title|h1|h2|h3|p|li|pre|tr)\b[^>]*>(.*?)</\1>", re.S | re.I)


def _read(html):
    page = re.sub(r"<svg.*</svg>", "", html, flags=re.S)
    lines = [" ".join(unescape(re.sub(r"<[^>]+>", "", re.sub(r"</t[hd]>\s*<t[hd]>", " | ", inner, flags=re.I)))
                      .split()) for _, inner in _ELEMENTS.findall(page)]
    rest = _ELEMENTS.sub("", re.sub(r"<style>.*</style>", "", page, flags=re.S))
    assert not re.sub(r"<[^>]+>", "", rest).strip(), rest  # nothing is written outside those elements
    return lines


def _svg_words(html):
    lines = re.findall(r"<text [^>]*>([^<]*)</text>", html[html.index("<svg"):html.index("</svg>")])
    return " ".join(" ".join(lines).replace("\u00a0", " ").split())


def _ranked(reviewer, decisions):
    """Log rows that record the order each record was shown in (rank, model)."""
    return (H.replace("timestamp", "timestamp,note,rank,model")
            + "".join(f"r{i:02d},{d},{reason},{reviewer},2024-01-01T10:{i:02d}:00Z,,{i},{model}\n"
                      for i, (d, reason, model) in decisions.items()))


def test_an_update_in_progress_at_both_stages_reads_box_by_box(make_project):
    """r08 not screened yet; r07 settled by carol; at full text r03 awaits a decision and the one record both
    reviewers decided (r01) was included by both, so Cohen's kappa is undefined there."""
    ta = {i: decision for i, decision in TA.items() if i != 8}
    full_text = {1: ("include", ""), 5: ("exclude", "wrong comparator")}
    project = make_project({
        "title_abstract/alice.csv": rows("alice", ta),
        "title_abstract/bob.csv": rows("bob", {**ta, 7: ("exclude", "")}),
        "title_abstract/reconciliation/carol.csv": H + "r07,exclude,,carol,2024-01-02T10:00:00Z\n",
        "full_text/alice.csv": rows("alice", full_text),
        "full_text/bob.csv": rows("bob", {1: ("include", "")}),
    })
    html = screening_report(project, previous_studies=3, previous_reports=4)
    pair = stage_summary(load_screening(project), "title_abstract")["agreement"][0]
    assert (pair["n"], pair["table"], pair["kappa"], pair["pabak"]) == (7, [[3, 1], [0, 3]], approx(0.72),
                                                                      approx(5 / 7))
    ci = f"{pair['kappa_ci_low']:.3f} to {pair['kappa_ci_high']:.3f}"
    assert _read(html) == [
        "Screening report: Test review", "Screening report: Test review", "PRISMA 2020 flow",
        "In progress: screening is not finished; the boxes show the counts so far.",
        "title/abstract: 1 record not screened yet: r08",
        "full text: 1 record not screened yet: r03",
        "Box | n", "Records identified | 10", "— PubMed | 6", "— Scopus | 4", "Duplicate records removed | 2",
        "Records screened | 8", "Records excluded | 4", "Reports sought for retrieval | 3",
        "Reports not retrieved | 0", "Reports assessed for eligibility | 3", "— excluded: wrong comparator | 1",
        "Studies included | 1", "Reports of included studies | 1", "Records awaiting a decision | 1",
        "Reports awaiting a decision | 1", "Studies in the previous version | 3", "Total studies included | 4",
        "Title and abstract screening",
        "Records | Decided | Conflicts | Awaiting another reviewer | Unscreened | Reconciled",
        "8 | 7 (include 3, exclude 4, maybe 0) | 0 | 0 | 1 | 1",
        "Decisions count once 1 reviewer agrees (review.toml [screening] reviewers_per_record).",
        "Reviewer | Screened | Left | include | exclude | maybe", "alice | 7 | 1 | 4 | 3 | 0",
        "bob | 7 | 1 | 3 | 4 | 0",
        "Agreement: alice × bob", "alice ↓ / bob → | include | exclude", "include | 3 | 1", "exclude | 0 | 3",
        "Records both screened | Percent agreement | Cohen's kappa | PABAK | Gwet's AC1",
        f"7 | 85.7% | 0.720 (95% CI {ci}) | 0.714 | {pair['ac1']:.3f}",
        f"At title/abstract, alice and bob both screened 7 records and agreed on 85.7% (Cohen's κ = 0.72, 95% CI "
        f"{pair['kappa_ci_low']:.2f} to {pair['kappa_ci_high']:.2f}; PABAK = 0.71; Gwet's AC1 = {pair['ac1']:.2f}).",
        "Full-text screening",
        "Records | Decided | Conflicts | Awaiting another reviewer | Unscreened | Reconciled",
        "3 | 2 (include 1, exclude 1, maybe 0) | 0 | 0 | 1 | 0",
        "Decisions count once 1 reviewer agrees (review.toml [screening] reviewers_per_record).",
        "Reviewer | Screened | Left | include | exclude | maybe", "alice | 2 | 1 | 1 | 1 | 0",
        "bob | 1 | 2 | 1 | 0 | 0",
        "Agreement: alice × bob", "alice ↓ / bob → | include | exclude", "include | 1 | 0", "exclude | 0 | 0",
        "Records both screened | Percent agreement | Cohen's kappa | PABAK | Gwet's AC1",
        "1 | 100.0% | undefined | 1.000 | 1.000",
        "At full text, alice and bob both screened 1 record and agreed on 100.0% (Cohen's kappa undefined: both "
        "used a single category).",
    ]
    # the diagram inline, without its XML prolog: the updated review's, with the previous reports as given
    assert '<div class="diagram"><svg' in html and "<?xml" not in html and "<!DOCTYPE svg" not in html
    words = _svg_words(html)
    assert "Reports of studies included in previous version of review (n = 4)" in words
    assert "Reports of total included studies (n = 5)" in words and "IN PROGRESS" in words


def test_counts_that_do_not_add_up_are_shown_instead_of_the_diagram(make_project):
    """An empty title in [review]: the project folder names the report. Two reviewers per record; the logs record the
    order records were shown in, so each stage has its sentences for the methods section."""
    project = make_project({
        "title_abstract/alice.csv": _ranked("alice", {1: ("include", "", "file"), 2: ("exclude", "", "file"),
                                                      3: ("include", "", "tfidf-svm.3/2")}),
        "title_abstract/bob.csv": _ranked("bob", {1: ("include", "", "random"), 2: ("exclude", "", "random"),
                                                  3: ("exclude", "", "random")}),
        "full_text/alice.csv": rows("alice", {2: ("include", "")}),  # r02 was excluded at title/abstract
    })
    review = project.config_path.read_text(encoding="utf-8").replace('title = "Test review"', 'title = ""')
    project.config_path.write_text(review.replace("[screening]\n", "[screening]\nreviewers_per_record = 2\n"),
                                   encoding="utf-8")
    project = load_project(project.root)
    with pytest.raises(PrismaError) as error:
        prisma_counts(project)
    html = screening_report(project)
    assert "<svg" not in html
    lines = _read(html)
    assert lines[:4] == ["Screening report: review", "Screening report: review", "PRISMA 2020 flow",
                         "Not drawn yet: the counts do not add up."]
    assert lines[4] == " ".join(str(error.value).split())
    assert "Decisions count once 2 reviewers agree (review.toml [screening] reviewers_per_record)." in lines
    sentences = methods_sentences(project, load_screening(project, strict=False), "title_abstract")
    assert len(sentences) == 2 and lines.count("Prioritisation and stopping") == 1
    at = lines.index("Prioritisation and stopping")
    assert lines[at + 1] == " ".join(sentences) and lines[at + 2] == "Full-text screening"
    assert lines[-1] == "No two reviewers have screened the same record at this stage: no agreement to report."


def test_every_row_not_counted_is_listed_and_no_diagram_is_drawn(make_project):
    project = make_project({"title_abstract/alice.csv": rows("alice", TA) + "r99,include,,alice,2024-01-01\n"
                                                        + "r98,include,,alice,2024-01-01\n"})
    lines = _read(screening_report(project))
    assert lines[2:4] == ["PRISMA 2020 flow", "Not drawn: some log rows cannot be counted (listed at the end)."]
    assert lines[-3] == "Rows not counted"
    assert [line.split("alice.csv, ")[1][:32] for line in lines[-2:]] == ["line 10: unknown record_id 'r99'",
                                                                          "line 11: unknown record_id 'r98'"]
