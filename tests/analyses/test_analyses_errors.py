"""Malformed analyses.toml and extraction files: errors that name the file and the line."""

import pytest
from analyses_helpers import continuous, dichotomous, make_project
from click.testing import CliRunner

from sysrev.analyses import load_analyses, run_project
from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.project import load_project

GOOD = """[analyses.pain]
outcome = "pain"
measure = "SMD"

[analyses.pain.target]
source = "test"
estimate = "0.10"
"""
ROWS = [continuous("Alpha 2001", "A", 20, 3.0, 1.0), continuous("Alpha 2001", "B", 20, 4.0, 1.0)]


def error_for(tmp_path, analyses, rows=ROWS):
    project = load_project(make_project(tmp_path / "p", analyses, rows))
    with pytest.raises(InputError) as info:
        run_project(project, write=False)
    return str(info.value), project


@pytest.mark.parametrize("broken, line, words", [
    (GOOD.replace('measure = "SMD"', 'measure = SMD'), 3, "invalid TOML"),
    (GOOD.replace('measure = "SMD"', 'measure = "HR"'), 3, "measure = 'HR' is not one of"),
    (GOOD.replace('measure = "SMD"', 'mesure = "SMD"'), 3, "unknown key 'mesure'"),
    (GOOD.replace('outcome = "pain"\n', ''), 1, "needs 'outcome'"),
    (GOOD.replace('estimate = "0.10"', 'estimate = 0.10'), 7, "in quotes"),
    (GOOD.replace('estimate = "0.10"', 'ci = ["0.5", "0.1"]'), 7, "lower limit is above"),
    (GOOD.replace('source = "test"\n', ''), 5, "[analyses.pain.target] needs 'source'"),
    (GOOD + '\n[analyses.pain.subgroups]\n"x" = ["a"]\n', 9, "needs subgroup"),
    (GOOD.replace('measure = "SMD"', 'measure = "SMD"\nsubgroup = "timepoint"'), 4,
     "needs a [analyses.pain.subgroups]"),
    (GOOD.replace('measure = "SMD"', 'measure = "SMD"\nmethod = "MH"'), 4, "inverse variance"),
    (GOOD.replace('measure = "SMD"', 'measure = "SMD"\npooled_sd = true'), 4, "only for measure"),
    ("title = 'x'\n" + GOOD, 1, "unknown top-level key"),
])
def test_analyses_toml_errors_name_file_and_line(tmp_path, broken, line, words):
    message, project = error_for(tmp_path, broken)
    assert str(project.analyses_path) in message
    assert f"line {line}" in message
    assert words in message


def test_missing_analyses_file_and_missing_arms(tmp_path):
    project = load_project(make_project(tmp_path / "p", GOOD, ROWS))
    project.analyses_path.unlink()
    with pytest.raises(InputError, match="no analyses file"):
        load_analyses(project)
    project = load_project(make_project(tmp_path / "q", GOOD, ROWS, review="[review]\ntitle = 'x'\n"))
    with pytest.raises(InputError, match=r"review.toml: missing \[arms\] table"):
        load_analyses(project)


def test_malformed_extraction_file_names_file_line_and_column(tmp_path):
    project = make_project(tmp_path / "p", GOOD, ROWS)
    csv_path = project / "analysis" / "extraction" / "data.csv"
    csv_path.write_text(csv_path.read_text().replace(",4.0,", ",four,"))
    result = CliRunner().invoke(cli, ["meta", "run", "--project", str(project)])
    assert result.exit_code == 2
    assert f"{csv_path}, line 3, column 'mean': 'four' is not a number" in result.output


def test_impossible_value_is_traced_back_to_the_extraction_line(tmp_path):
    rows = ROWS[:1] + [continuous("Alpha 2001", "B", 20, 4.0, 0)]
    message, project = error_for(tmp_path, GOOD, rows)
    csv_path = project.extraction_dir / "data.csv"
    assert message.startswith(f"{csv_path}, line 3, column 'sd': SD must be positive")
    assert "analysis 'pain'" in message and "Alpha 2001" in message


def test_run_exits_zero_whatever_the_status(tmp_path):
    rows = [continuous("Alpha 2001", "A", 20, None, None), continuous("Alpha 2001", "B", 20, None, None)]
    project = make_project(tmp_path / "p", GOOD, rows)
    result = CliRunner().invoke(cli, ["meta", "run", "--project", str(project)])
    assert result.exit_code == 0 and "status: INCOMPLETE" in result.output


def test_selected_analyses_and_an_unknown_name(tmp_path):
    two = GOOD + '\n[analyses.other]\noutcome = "pain"\nmeasure = "MD"\n'
    project = make_project(tmp_path / "p", two, ROWS)
    runner = CliRunner()
    only = runner.invoke(cli, ["meta", "run", "other", "--project", str(project)])
    assert only.exit_code == 0 and only.output.startswith("other:") and "pain:" not in only.output
    assert not (project / "analysis" / "results" / "pain.json").exists()
    wrong = runner.invoke(cli, ["meta", "run", "pian", "--project", str(project)])
    assert (wrong.exit_code == 2 and "no analysis named 'pian'" in wrong.output
            and "(defined: pain, other)" in wrong.output)


def test_negative_sd_is_an_error_even_when_sds_are_pooled(tmp_path):
    """pooled_sd squares the SDs; a negative one must still reach the engine's check, not vanish."""
    md_pooled = GOOD.replace('measure = "SMD"', 'measure = "MD"\npooled_sd = true')
    rows = ROWS[:1] + [continuous("Alpha 2001", "B", 20, 4.0, -1.0)]
    message, project = error_for(tmp_path, md_pooled, rows)
    assert message.startswith(f"{project.extraction_dir / 'data.csv'}, line 3, column 'sd': SD must be positive")


@pytest.mark.parametrize("rows, line, column", [
    ([continuous("Alpha 2001", "A", 20.5, 3.0, 1.0), continuous("Alpha 2001", "B", 20, 4.0, 1.0)], 2, "n"),
    ([dichotomous("Alpha 2001", "A", 1.5, 20), dichotomous("Alpha 2001", "B", 2, 20)], 2, "events"),
])
def test_a_count_that_is_not_a_whole_number_is_an_error(tmp_path, rows, line, column):
    analyses = GOOD if column == "n" else '[analyses.harm]\noutcome = "harm"\nmeasure = "RR"\n'
    message, project = error_for(tmp_path, analyses, rows)
    assert message.startswith(f"{project.extraction_dir / 'data.csv'}, line {line}, column '{column}': ")
    assert "not a whole number" in message and "Alpha 2001" in message


@pytest.mark.parametrize("grade, message", [
    ('control_risk_source = "  "', "grade control_risk_source = '  ': expected a non-empty string"),
    ("ois_alpha = 0.9", "grade ois_alpha = 0.9: expected a number above 0.0 and below 0.5"),
    ("ois_delta = 0", "grade ois_delta = 0: expected a number above 0.0"),
])
def test_grade_choices_out_of_range_are_named_with_the_range(tmp_path, grade, message):
    text = GOOD.replace("[analyses.pain.target]", f"[analyses.pain.grade]\n{grade}\n\n[analyses.pain.target]")
    error, project = error_for(tmp_path, text)
    assert error == f"{project.analyses_path}, line 6: {message}"


def test_grade_choices_in_range_are_read():
    from pathlib import Path

    from sysrev.analyses.spec import _parse_grade
    from sysrev.toml_lines import Locator

    assert _parse_grade({"design": "non-randomised", "importance": "critical", "control_risk": 0.2,
                         "control_risk_source": " cohort data ", "ois_delta": 1.5}, "pain", Locator(Path("none"))) == {
        "design": "non-randomised", "importance": "critical", "control_risk": 0.2,
        "control_risk_source": "cohort data", "ois_delta": 1.5}


@pytest.mark.parametrize("change, line, message", [
    (('estimate = "0.10"', 'estimate = "0.10"\nci = ["a", "0.2"]'), 8,
     "target ci: 'a' is not a printed number (e.g. \"-0.01\", \"0.10\", \"<0.001\", \"0%\")"),
    (('estimate = "0.10"\n', ''), 5, "target has no published figures (estimate, ci, p, I2, tau2)"),
    (('source = "test"', 'source = " "'), 6,
     "target source must say where the figures are printed (paper, table, page)"),
    (('estimate = "0.10"', 'estimate = "abc"'), 7,
     "target estimate: 'abc' is not a printed number (e.g. \"-0.01\", \"0.10\", \"<0.001\", \"0%\")"),
    (('measure = "SMD"', 'measure = "OR"\nmid = -0.5'), 4,
     "mid (minimal important difference) must be a number on the reporting scale (a ratio > 0)"),
    (('measure = "SMD"', 'measure = "SMD"\nmid = -0.5\nsubgroup = "timepoint"'), None, None),  # a difference may be < 0
])
def test_target_and_mid_errors_in_full_with_their_line(tmp_path, change, line, message):
    text = GOOD.replace(*change)
    if message is None:
        subgroups = '\n[analyses.pain.subgroups]\n"early" = ["2 weeks"]\n'
        project = load_project(make_project(tmp_path / "p", text + subgroups, ROWS))
        assert [spec.mid for spec in load_analyses(project)] == [-0.5]
        return
    error, project = error_for(tmp_path, text)
    assert error == f"{project.analyses_path}, line {line}: {message}"


def test_a_subgroup_without_values_is_named_at_its_line(tmp_path):
    error, project = error_for(tmp_path, GOOD.replace('measure = "SMD"', 'measure = "SMD"\nsubgroup = "timepoint"')
                               + '\n[analyses.pain.subgroups]\n"early" = []\n')
    assert error == (f"{project.analyses_path}, line 11: subgroup 'early' must list the extraction values it takes, "
                     "e.g. [\"12 weeks\"]")
