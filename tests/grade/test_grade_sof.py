"""The Summary of findings table for the Normand example (continuous) and the BCG example (dichotomous)."""

import csv
import io
import json
import statistics

import pytest
from click.testing import CliRunner
from grade_helpers import BCG, NORMAND, copy_example, set_domain

from sysrev.cli.main import cli


def _run(*args):
    return CliRunner().invoke(cli, list(args))


def test_normand_sof_shows_mean_differences_in_days(tmp_path):
    project = copy_example(NORMAND, tmp_path / "normand")
    result = _run("sof", "--project", str(project))
    assert result.exit_code == 0, result.output
    md = result.output
    # Normand 1999 Table IX: fixed effect -3.49 [-5.03, -1.96]; DerSimonian-Laird -14.10 [-24.45, -3.75]
    assert "the mean was 3.49 days lower (5.03 lower to 1.96 lower) | MD −3.49 days (−5.03 to −1.96)" in md
    assert "the mean was 14.10 days lower (24.45 lower to 3.75 lower)" in md
    assert "the mean was 15.12 days lower (32.67 lower to 2.43 higher)" in md
    # Table VIII: 9 trials; participants = sum of both arms' n
    with (project / "analysis" / "extraction" / "length_of_stay.csv").open() as fh:
        n = sum(int(row["n"]) for row in csv.DictReader(fh))
    assert f"{n:,} (9 studies)" in md
    # no mid and no RoB 2 forms: the certainty waits, and the footnotes say for what
    assert "| pending<sup>" in md
    assert "mid (the minimal important difference) is not set" in md
    assert "Indirectness: pending — not yet rated by the team." in md


def _bcg_counts(project):
    with (project / "analysis" / "extraction" / "tuberculosis.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    control = [r for r in rows if r["arm"] == "control"]
    return rows, statistics.median(int(r["events"]) / int(r["n"]) for r in control)


def test_bcg_sof_absolute_effects_by_hand(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    assert _run("meta", "run", "--project", str(project)).exit_code == 0
    pooled = json.loads((project / "analysis" / "results" / "tb.json").read_text())["result"]
    rows, acr = _bcg_counts(project)
    # median comparator risk of the 13 trials, e.g. 0.0159 -> 16 per 1,000
    rr, low, high = pooled["estimate"], pooled["ci_low"], pooled["ci_high"]
    risk = round(1000 * acr * rr)
    risk_low, risk_high = round(1000 * acr * low), round(1000 * acr * high)
    fewer = round(1000 * acr * (1 - rr))
    result = _run("sof", "--project", str(project))
    md = result.output
    assert f"| {round(1000 * acr)} per 1,000 | {risk} per 1,000 ({risk_low} to {risk_high}) |" in md
    assert f"{fewer} fewer per 1,000" in md
    assert f"RR {rr:.2f} ({low:.2f} to {high:.2f})" in md
    total = sum(int(r["n"]) for r in rows)
    assert f"{total:,} (13 studies)" in md


def _rated_bcg(tmp_path):
    """The BCG example with every domain rated by a (test) team."""
    project = copy_example(BCG, tmp_path / "bcg")
    assert _run("grade", "--project", str(project)).exit_code == 0
    path = project / "analysis" / "grade" / "tb.toml"
    set_domain(path, "risk_of_bias", final="serious",
               justification="test team: a rating typed in for this test")
    set_domain(path, "inconsistency", final="serious")
    set_domain(path, "indirectness", final="not serious")
    set_domain(path, "imprecision", final="not serious")
    set_domain(path, "publication_bias", final="undetected")
    return project


def test_rated_bcg_certainty_footnotes_and_statement(tmp_path):
    project = _rated_bcg(tmp_path)
    md = _run("sof", "--project", str(project)).output
    # randomised: HIGH, minus risk of bias (1) and inconsistency (1) = LOW
    assert "⊕⊕◯◯ LOW<sup>a,b</sup>" in md
    # Santesso 2020: low certainty + an important reduction (RR 0.49 below 0.75) -> "may reduce"
    assert "BCG may reduce tuberculosis." in md
    assert "a. Risk of bias: downgraded 1 level (serious). Test team: a rating typed in for this test." in md
    assert "b. Inconsistency: downgraded 1 level (serious). I² = 92.2%" in md
    assert "(proposed)" not in md


def test_unconfirmed_domains_make_the_certainty_proposed(tmp_path):
    project = _rated_bcg(tmp_path)
    path = project / "analysis" / "grade" / "tb.toml"
    set_domain(path, "imprecision", final="")
    md = _run("sof", "--project", str(project)).output
    assert "⊕⊕◯◯ LOW (proposed)" in md


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_sof_files(tmp_path, suffix):
    project = _rated_bcg(tmp_path)
    out = tmp_path / f"sof{suffix}"
    result = _run("sof", "--project", str(project), "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "BCG may reduce tuberculosis." in text
    if suffix == ".html":
        assert "<th class=\"group\" colspan=\"3\">Anticipated absolute effects (95% CI)</th>" in text
        assert "⊕⊕◯◯ LOW</span><sup>a,b</sup>" in text


def test_sof_docx(tmp_path):
    from docx import Document

    project = _rated_bcg(tmp_path)
    out = tmp_path / "sof.docx"
    assert _run("sof", "--project", str(project), "--out", str(out)).exit_code == 0
    doc = Document(io.BytesIO(out.read_bytes()))
    table = doc.tables[0]
    assert table.rows[0].cells[0].text == "Outcome"
    row = [c.text for c in table.rows[1].cells]
    assert row[0] == "Tuberculosis" and row[6].startswith("⊕⊕◯◯ LOW") and row[7] == "BCG may reduce tuberculosis."
    assert any(p.text.startswith("a. Risk of bias") for p in doc.paragraphs)


def test_sof_unknown_format_is_an_error(tmp_path):
    result = _run("sof", "--project", str(BCG), "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and "unknown table format" in result.output


def test_sof_does_not_write_grade_files(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    grade_dir = project / "analysis" / "grade"
    before = {p.name: p.read_bytes() for p in grade_dir.iterdir()}
    (grade_dir / "tb.toml").unlink()
    assert _run("sof", "--project", str(project)).exit_code == 0
    assert not (grade_dir / "tb.toml").exists() and before


def test_non_randomised_certainty_starts_low_and_rates_up(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    analyses = project / "analysis" / "analyses.toml"
    analyses.write_text(analyses.read_text() + '\n[analyses.tb.grade]\ndesign = "non-randomised"\n'
                                               'importance = "critical"\n')
    assert _run("grade", "--project", str(project)).exit_code == 0
    path = project / "analysis" / "grade" / "tb.toml"
    for domain in ("risk_of_bias", "inconsistency", "indirectness", "imprecision"):
        set_domain(path, domain, final="not serious", justification="test team")
    set_domain(path, "publication_bias", final="undetected")
    set_domain(path, "large_effect", final="large")
    md = _run("sof", "--project", str(project)).output
    # LOW (non-randomised start) + 1 for a large effect = MODERATE; the outcome shows its importance
    assert "| Tuberculosis (critical) |" in md
    assert "⊕⊕⊕◯ MODERATE<sup>a</sup>" in md and "a. Large effect: upgraded 1 level (large)." in md
    assert "BCG probably reduces tuberculosis." in md
