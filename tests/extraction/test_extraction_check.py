"""`sysrev extract check`: pending cells are not errors; impossible values and conflicts are, with file/row/column."""

import textwrap

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.extraction.check import ERROR, PENDING, WARNING, check_project
from sysrev.extraction.table import COLUMNS
from sysrev.project import load_project

HEADER = ",".join(COLUMNS)

REVIEW = textwrap.dedent("""
    [review]
    title = "test"
    [[outcomes]]
    name = "pain"
    type = "continuous"
    [[outcomes]]
    name = "ae"
    type = "dichotomous"
    [arms]
    group1 = "US"
    group2 = "FL"
""")

FORM = textwrap.dedent("""
    [scales."VAS 0-10"]
    higher = "worse"
    range = [0, 10]
    [scales."Relief 0-10"]
    higher = "better"
    [scales."events"]
    higher = "worse"
""")

STUDIES = "study,n_randomised,n_randomised_group1,n_randomised_group2\nTrial A,60,30,30\nTrial B,,,\n"


def make_project(tmp_path, pain_rows, ae_rows=(), analyses=None, studies=STUDIES):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "review.toml").write_text(REVIEW)
    ext = tmp_path / "analysis" / "extraction"
    ext.mkdir(parents=True)
    (ext / "form.toml").write_text(FORM)
    if studies is not None:
        (ext / "studies.csv").write_text(studies)
    (ext / "pain.csv").write_text(HEADER + "\n" + "".join(r + "\n" for r in pain_rows))
    if ae_rows:
        (ext / "ae.csv").write_text(HEADER + "\n" + "".join(r + "\n" for r in ae_rows))
    if analyses:
        (tmp_path / "analysis" / "analyses.toml").write_text(analyses)
    return load_project(tmp_path)


GOOD = [
    "Trial A,pain,,2 weeks,US,30,3.1,1.2,,VAS 0-10,Table 2,,,,",
    "Trial A,pain,,2 weeks,FL,29,3.4,1.5,,VAS 0-10,Table 2,,,,",
]


def findings(project):
    return [(f.severity, f.path.name if f.path else None, f.line, f.column, f.message) for f in check_project(project)]


def test_clean_project_has_no_findings(tmp_path):
    assert findings(make_project(tmp_path, GOOD)) == []


def test_a_sheet_saved_in_excel_format_is_named_not_ignored(tmp_path):
    """Only CSV files are read here; an extraction sheet kept as .xlsx was passed over in silence (the check
    said no more than "no extraction rows yet" when it was the only sheet)."""
    project = make_project(tmp_path, GOOD)
    (project.extraction_dir / "complications.xlsx").write_bytes(b"PK\x03\x04 not read")
    assert findings(project) == [(WARNING, "complications.xlsx", None, None, "a spreadsheet in its own format, "
                                  "which sysrev does not read here: save it as CSV (UTF-8) in this folder")]


def test_unknown_cells_are_pending_not_errors(tmp_path):
    project = make_project(tmp_path, GOOD + ["Trial B,pain,,2 weeks,US,,,,,VAS 0-10,,https://x.org/b,,,"])
    (got,) = findings(project)
    assert got[:4] == (PENDING, "pain.csv", 4, "n")
    assert "n, mean, sd empty (see https://x.org/b)" in got[4]
    result = CliRunner().invoke(cli, ["extract", "check", "--project", str(tmp_path)])
    assert result.exit_code == 0 and "1 row with pending" in result.output


@pytest.mark.parametrize("row,column,message", [
    ("Trial B,pain,,2 weeks,US,30,3,0,,VAS 0-10,T2,,,,", "sd", "SD = 0 must be > 0"),
    ("Trial B,pain,,2 weeks,US,-4,3,1,,VAS 0-10,T2,,,,", "n", "n = -4 must be a whole number > 0"),
    ("Trial B,pain,,2 weeks,US,30.5,3,1,,VAS 0-10,T2,,,,", "n", "whole number"),
    ("Trial B,pain,,2 weeks,US,30,11,1,,VAS 0-10,T2,,,,", "mean", "outside the range of scale 'VAS 0-10' [0, 10]"),
])
def test_impossible_continuous_values(tmp_path, row, column, message):
    project = make_project(tmp_path, GOOD + [row])
    errors = [f for f in findings(project) if f[0] == ERROR]
    assert len(errors) == 1
    assert errors[0][1:4] == ("pain.csv", 4, column) and message in errors[0][4]


def test_events_greater_than_n_and_negative_events(tmp_path):
    project = make_project(tmp_path, GOOD, ae_rows=[
        "Trial A,ae,headache,,US,10,,,12,events,T3,,,,",
        "Trial A,ae,headache,,FL,10,,,-1,events,T3,,,,",
    ])
    errors = {(f[2], f[3]): f[4] for f in findings(project) if f[0] == ERROR}
    assert "events (12) > n (10)" in errors[(2, "events")]
    assert "must be a whole number ≥ 0" in errors[(3, "events")]


def test_n_analysed_above_n_randomised(tmp_path):
    project = make_project(tmp_path, [
        "Trial A,pain,,2 weeks,US,31,3.1,1.2,,VAS 0-10,Table 2,,,,",
        "Trial A,pain,,2 weeks,FL,30,3.4,1.5,,VAS 0-10,Table 2,,,,",
    ])
    errors = [f for f in findings(project) if f[0] == ERROR]
    assert any(f[2] == 2 and "n analysed (31) > n randomised to US (30, studies.csv line 2)" in f[4] for f in errors)
    assert any("arms together analyse 61 > 60 randomised" in f[4] for f in errors)
    result = CliRunner().invoke(cli, ["extract", "check", "--project", str(tmp_path)])
    assert result.exit_code == 2 and "error: 2 errors in the extraction files" in result.output


def test_contradicting_counts_in_studies_csv(tmp_path):
    studies = "study,n_randomised,n_randomised_group1,n_randomised_group2,n_analysed\nTrial A,60,30,31,61\n"
    project = make_project(tmp_path, GOOD, studies=studies)
    errors = [(f[1], f[2], f[3]) for f in findings(project) if f[0] == ERROR]
    assert errors == [("studies.csv", 2, "n_randomised"), ("studies.csv", 2, "n_analysed")]


def test_scale_direction_conflict_within_an_analysis(tmp_path):
    analyses = '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n'
    project = make_project(tmp_path, GOOD + ["Trial B,pain,,2 weeks,US,20,6,2,,Relief 0-10,T1,,,,",
                                             "Trial B,pain,,2 weeks,FL,20,5,2,,Relief 0-10,T1,,,,"],
                           analyses=analyses)
    errors = [f for f in findings(project) if f[0] == ERROR]
    assert len(errors) == 1
    assert ("analysis 'pain' mixes scale directions "
            "(higher is better: Relief 0-10; higher is worse: VAS 0-10)" in errors[0][4])


def test_unknown_scale_direction_is_a_warning(tmp_path):
    project = make_project(tmp_path, ["Trial A,pain,,2 weeks,US,30,3.1,1.2,,NRS,T2,,,,"])
    assert [(f[0], f[3]) for f in findings(project)] == [(WARNING, "scale")]


def test_change_scores_mixed_with_final_values(tmp_path):
    rows = GOOD + ["Trial B,pain,,2 weeks,US,20,-2,1.5,,VAS 0-10,T4,,SD baseline 2,change from baseline: r = 0.5,",
                   "Trial B,pain,,2 weeks,FL,20,-1,1.5,,VAS 0-10,T4,,SD baseline 2,change from baseline: r = 0.5,"]
    smd = make_project(tmp_path / "smd", rows, analyses='[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n')
    assert [f[0] for f in findings(smd) if "change-from-baseline" in f[4]] == [ERROR]
    md = make_project(tmp_path / "md", rows, analyses='[analyses.pain]\noutcome = "pain"\nmeasure = "MD"\n')
    assert [f[0] for f in findings(md) if "change-from-baseline" in f[4]] == [WARNING]


def test_malformed_files_are_errors_naming_line_and_column(tmp_path):
    project = make_project(tmp_path, GOOD + ["Trial B,pain,,2 weeks,US,twenty,,,,VAS 0-10,,,,,"],
                           studies="study,n_randomised\nTrial A,sixty\n")
    errors = [f for f in findings(project) if f[0] == ERROR]
    assert [(f[1], f[2], f[3]) for f in errors] == [("studies.csv", 2, "n_randomised"), ("pain.csv", 4, "n")]
    assert "'twenty' is not a number" in errors[1][4]


def test_unresolved_disagreement_marker_is_an_error(tmp_path):
    project = make_project(tmp_path, GOOD + [
        'Trial B,pain,,2 weeks,US,20,,1,,VAS 0-10,T1,,,,"[DISAGREEMENT] mean: anna=3, ben=4."'])
    assert any(f[0] == ERROR and f[3] == "note" for f in findings(project))


def test_seed_review_extraction_passes_with_pending_only():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]  # the repository is the seed review; its files are tracked
    assert (root / "analysis" / "extraction" / "pain.csv").is_file()
    got = check_project(load_project(root))
    assert not [f for f in got if f.severity == ERROR], [str(f) for f in got if f.severity == ERROR]
    assert any(f.severity == PENDING for f in got)


def test_required_characteristics_left_empty_are_pending(tmp_path):
    project = make_project(tmp_path, GOOD)
    form = project.extraction_dir / "form.toml"
    form.write_text(FORM + textwrap.dedent("""
        [characteristics.columns]
        study = { type = "text", required = true }
        n_randomised = { type = "count", required = true }
        n_randomised_group1 = "count"
        n_randomised_group2 = "count"
        country = { type = "text", required = true, description = "where participants were recruited" }
        source_url = "text"
    """))
    (project.extraction_dir / "studies.csv").write_text(
        "study,n_randomised,n_randomised_group1,n_randomised_group2,country,source_url\n"
        "Trial A,60,30,30,Korea,\n"
        "Trial B,,,,,https://example.org/b\n")
    pending = [(f.line, f.column, f.message) for f in check_project(project)
               if f.severity == PENDING and f.path.name == "studies.csv"]
    assert pending == [(3, "n_randomised", "Trial B: n_randomised, country empty (see https://example.org/b)")]
    assert not [f for f in check_project(project) if f.severity == ERROR]


def test_form_column_with_an_unknown_key_is_an_error(tmp_path):
    project = make_project(tmp_path, GOOD)
    (project.extraction_dir / "form.toml").write_text(
        '[characteristics.columns]\nstudy = { type = "text", requird = true }\n')
    errors = [f for f in check_project(project) if f.severity == ERROR]
    assert [(e.path.name, e.column) for e in errors] == [("form.toml", "characteristics.columns.study")]
    assert "unknown key 'requird'" in errors[0].message and "did you mean 'required'?" in errors[0].message
