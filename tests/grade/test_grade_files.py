"""`sysrev grade`: files proposed for every analysis, the team's final ratings kept, stale ones flagged."""

import csv

from click.testing import CliRunner
from grade_helpers import BCG, copy_example, set_domain

from sysrev.cli.main import cli
from sysrev.grade.files import read_grade_file


def _grade(project, *args):
    return CliRunner().invoke(cli, ["grade", "--project", str(project), *args])


def test_grade_writes_one_file_per_analysis_with_pending_inputs(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    result = _grade(project)
    assert result.exit_code == 0, result.output
    grade = read_grade_file(project / "analysis" / "grade" / "tb.toml")
    assert set(grade.domains) == {"risk_of_bias", "inconsistency", "indirectness", "imprecision",
                                  "publication_bias"}
    # no RoB 2 forms in the example: pending, naming the studies, never guessed
    assert grade.domains["risk_of_bias"].proposed == "pending"
    assert "Aronson 1948" in grade.domains["risk_of_bias"].pending[0]
    assert grade.domains["indirectness"].proposed.startswith("none")
    # 13 trials: Egger's test is run and reported
    assert "13 studies" in grade.domains["publication_bias"].reasons[0]
    assert "certainty pending" in result.output


def test_rerun_changes_nothing(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    _grade(project)
    path = project / "analysis" / "grade" / "tb.toml"
    before = path.read_bytes()
    result = _grade(project)
    assert "unchanged" in result.output and path.read_bytes() == before


def test_final_rating_is_kept_and_its_basis_recorded(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    _grade(project)
    path = project / "analysis" / "grade" / "tb.toml"
    set_domain(path, "inconsistency", final="serious")
    set_domain(path, "indirectness", final="not serious")
    assert _grade(project).exit_code == 0
    grade = read_grade_file(path)
    assert grade.domains["inconsistency"].final == "serious"
    assert grade.domains["inconsistency"].decided_against == "serious"
    assert grade.domains["indirectness"].final == "not serious"
    assert not grade.flags()


def _shrink_to_consistent_trials(project):
    """A 'living update' that leaves three similar trials: the heterogeneity that drove the proposal goes."""
    path = project / "analysis" / "extraction" / "tuberculosis.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    keep = {"Frimodt-Moller et al 1973", "TPT Madras 1980", "Comstock et al 1976"}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["study"] in keep)


def test_update_that_changes_the_proposal_flags_the_final_rating(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    _grade(project)
    path = project / "analysis" / "grade" / "tb.toml"
    set_domain(path, "inconsistency", final="serious")
    _grade(project)
    _shrink_to_consistent_trials(project)
    result = _grade(project)
    assert result.exit_code == 0
    grade = read_grade_file(path)
    record = grade.domains["inconsistency"]
    assert record.proposed == "not serious"
    assert record.final == "serious"  # never overwritten
    assert "changed from 'serious' to 'not serious'" in record.flag
    assert "FLAG" in result.output and "1 final rating flagged" in result.output
    assert result.exit_code == 0 and _grade(project, "--strict").exit_code == 1


def test_a_final_rating_made_while_pending_is_flagged_when_a_proposal_appears(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    analyses = project / "analysis" / "analyses.toml"
    original = analyses.read_text()
    analyses.write_text(original.replace('measure = "RR"', 'measure = "RD"'))  # RD without mid: pending
    _grade(project)
    path = project / "analysis" / "grade" / "tb.toml"
    assert read_grade_file(path).domains["imprecision"].proposed == "pending"
    set_domain(path, "imprecision", final="serious", justification="few events in most trials")
    _grade(project)
    assert read_grade_file(path).domains["imprecision"].decided_against == "pending"
    analyses.write_text(original)  # back to RR: GRADE 6's default thresholds give a proposal
    result = _grade(project, "--strict")
    record = read_grade_file(path).domains["imprecision"]
    assert record.final == "serious" and "changed from 'pending' to 'not serious'" in record.flag
    assert result.exit_code == 1


def test_final_differing_from_proposal_needs_a_justification(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    _grade(project)
    path = project / "analysis" / "grade" / "tb.toml"
    set_domain(path, "imprecision", final="serious")
    result = _grade(project)
    assert result.exit_code == 2
    assert "tb.toml, line" in result.output and "write a justification" in result.output
    set_domain(path, "imprecision", justification="few events in the largest trials")
    assert _grade(project).exit_code == 0
    assert read_grade_file(path).domains["imprecision"].final == "serious"


def test_unknown_rating_word_is_an_error_with_line(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    _grade(project)
    path = project / "analysis" / "grade" / "tb.toml"
    set_domain(path, "inconsistency", final="bad")
    result = _grade(project)
    assert result.exit_code == 2 and "inconsistency.final = 'bad' is not a rating" in result.output


def test_bad_grade_key_in_analyses_toml(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    analyses = project / "analysis" / "analyses.toml"
    analyses.write_text(analyses.read_text() + "\n[analyses.tb.grade]\ncontrol_risk = 1.5\n")
    result = _grade(project)
    assert result.exit_code == 2 and "analyses.toml, line" in result.output and "control_risk" in result.output


def test_control_risk_and_mid_from_analyses_toml_are_used_and_shown(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    analyses = project / "analysis" / "analyses.toml"
    text = analyses.read_text().replace('direction = "lower is better"',
                                        'direction = "lower is better"\nmid = 0.5')
    analyses.write_text(text + '\n[analyses.tb.grade]\ncontrol_risk = 0.05\n'
                               'control_risk_source = "a cohort study"\n')
    assert _grade(project).exit_code == 0
    grade = read_grade_file(project / "analysis" / "grade" / "tb.toml")
    assert grade.inputs["control_risk"] == 0.05 and grade.inputs["mid"] == 0.5
    reasons = " ".join(grade.domains["imprecision"].reasons)
    # mid RR 0.5 and its inverse 1 / 0.5 = 2 are the thresholds: the CI 0.34-0.70 crosses 0.5
    assert "thresholds 0.5 and 2 either side" in reasons and "mid = 0.5" in reasons
    assert grade.domains["imprecision"].proposed == "serious"
    assert "comparator risk of 50 per 1,000" in reasons


def test_seed_review_files_are_pending(tmp_path):
    from grade_helpers import REPO

    from sysrev.grade.files import grade_path
    from sysrev.project import load_project

    project = load_project(REPO)
    for name in ("pain", "ODI", "complications"):
        grade = read_grade_file(grade_path(project, name))
        for domain in ("risk_of_bias", "inconsistency", "imprecision", "publication_bias"):
            assert grade.domains[domain].proposed == "pending"
            assert "nothing pooled yet" in grade.domains[domain].pending[0]


def test_committed_grade_files_are_current():
    """The GRADE files in the repository are what `sysrev grade` writes today (re-run it after a change)."""
    from grade_helpers import NORMAND, REPO

    from sysrev.grade import grade_project
    from sysrev.grade.files import render
    from sysrev.project import load_project

    for root in (REPO, NORMAND, BCG):
        for item in grade_project(load_project(root), write=False):
            assert item.path.read_text(encoding="utf-8") == render(item.grade), item.path


def test_mid_of_a_ratio_must_be_a_ratio(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    analyses = project / "analysis" / "analyses.toml"
    analyses.write_text(analyses.read_text().replace('measure = "RR"', 'measure = "RR"\nmid = -0.2'))
    result = _grade(project)
    assert result.exit_code == 2 and "on the reporting scale (a ratio > 0)" in result.output


def test_non_randomised_design_adds_the_upgrading_domains(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    analyses = project / "analysis" / "analyses.toml"
    analyses.write_text(analyses.read_text() + '\n[analyses.tb.grade]\ndesign = "non-randomised"\n'
                                               'importance = "critical"\n')
    assert _grade(project).exit_code == 0
    grade = read_grade_file(project / "analysis" / "grade" / "tb.toml")
    assert grade.design == "non-randomised" and grade.inputs["importance"] == "critical"
    # RR 0.49: 1 / 0.49 = 2.04-fold, at least two-fold (GRADE 9) -> large
    assert grade.domains["large_effect"].proposed == "large"
    assert grade.domains["dose_response"].proposed.startswith("none")


def test_grade_names_an_unknown_analysis_and_writes_nothing(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    grade_dir = project / "analysis" / "grade"
    before = {p.name: p.read_bytes() for p in grade_dir.glob("*.toml")} if grade_dir.exists() else {}
    result = _grade(project, "tb", "nope")
    assert result.exit_code == 2
    assert "no analysis named 'nope'" in result.output and "(defined: tb" in result.output
    after = {p.name: p.read_bytes() for p in grade_dir.glob("*.toml")} if grade_dir.exists() else {}
    assert after == before


def test_grade_project_reports_new_changed_and_dry_runs(tmp_path):
    from sysrev.grade.run import grade_project
    from sysrev.project import load_project

    project = load_project(copy_example(BCG, tmp_path / "bcg"))
    (project.analysis_dir / "grade" / "tb.toml").unlink()  # the example ships its GRADE file: start without it
    dry = grade_project(project, write=False)
    assert [(g.path.name, g.new, g.changed) for g in dry] == [("tb.toml", True, False)]
    assert not dry[0].path.exists() and dry[0].grade.path == dry[0].path
    first = grade_project(project)
    assert [(g.new, g.changed) for g in first] == [(True, True)] and first[0].path.is_file()
    again = grade_project(project, ["tb"])
    assert [(g.new, g.changed) for g in again] == [(False, False)]
    assert again[0].evidence.name == "tb" and again[0].grade.domains == first[0].grade.domains
