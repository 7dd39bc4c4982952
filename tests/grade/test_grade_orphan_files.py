"""An analysis renamed in analyses.toml leaves its GRADE file, with the team's final ratings, under the old name;
`sysrev grade` starts a new file without them. `grade` and `sysrev check` name the old file and the analysis it
most likely belongs to, so the ratings are moved rather than lost from the Summary of findings."""

from types import SimpleNamespace

from click.testing import CliRunner
from grade_helpers import BCG, copy_example, set_domain

from sysrev.analyses import load_analyses
from sysrev.cli.main import cli
from sysrev.grade.files import orphan_grade_files
from sysrev.project import load_project


def _renamed(tmp_path):
    """BCG's analysis 'tb' graded, a final rating set, then the analysis renamed 'tb_all'."""
    project = copy_example(BCG, tmp_path / "bcg")
    assert CliRunner().invoke(cli, ["grade", "--project", str(project)]).exit_code == 0
    set_domain(project / "analysis" / "grade" / "tb.toml", "indirectness", final="not serious")
    analyses = project / "analysis" / "analyses.toml"
    text = analyses.read_text(encoding="utf-8")
    assert "[analyses.tb]" in text
    renamed = text.replace("[analyses.tb]", "[analyses.tb_all]").replace("[analyses.tb.", "[analyses.tb_all.")
    analyses.write_text(renamed, encoding="utf-8")
    return project


def test_grade_and_check_name_the_file_left_under_the_old_name(tmp_path):
    project = _renamed(tmp_path)
    old = project / "analysis" / "grade" / "tb.toml"
    expected = (f"warning: {old}: no analysis 'tb' in analysis/analyses.toml, so no Summary of findings row reads "
                "this file; if the analysis was renamed to 'tb_all', rename the file to tb_all.toml to keep the "
                "team's final ratings")
    result = CliRunner().invoke(cli, ["grade", "--project", str(project)])
    assert result.exit_code == 0 and result.stderr.splitlines() == [expected]
    assert (project / "analysis" / "grade" / "tb_all.toml").is_file() and old.is_file()  # nothing moved by sysrev
    check = CliRunner().invoke(cli, ["check", "--project", str(project)])
    assert expected in check.output.splitlines()


def test_a_file_like_no_analysis_gets_no_guess_and_current_files_no_warning(tmp_path):
    project = copy_example(BCG, tmp_path / "bcg")
    CliRunner().invoke(cli, ["grade", "--project", str(project)])
    specs = load_analyses(load_project(project))
    assert orphan_grade_files(load_project(project), specs) == []
    (project / "analysis" / "grade" / "zzz.toml").write_text("", encoding="utf-8")
    assert orphan_grade_files(load_project(project), specs) == [
        f"{project / 'analysis' / 'grade' / 'zzz.toml'}: no analysis 'zzz' in analysis/analyses.toml, so no Summary "
        "of findings row reads this file"]


def test_the_analysis_meant_is_found_by_title_then_by_name(tmp_path):
    """A new name unlike the old ('tb' → 'bcg_vaccine') is still found by the title the file was written with;
    without one, a name holding the old one, then a similar name."""
    project = _renamed(tmp_path)
    analyses = project / "analysis" / "analyses.toml"
    analyses.write_text(analyses.read_text(encoding="utf-8").replace("tb_all", "bcg_vaccine"), encoding="utf-8")
    specs = load_analyses(load_project(project))
    [warning] = orphan_grade_files(load_project(project), specs)
    assert warning.endswith("if the analysis was renamed to 'bcg_vaccine', rename the file to bcg_vaccine.toml to "
                            "keep the team's final ratings")


def test_without_the_title_a_name_holding_the_old_one_then_a_similar_name(tmp_path):
    """The old file's title matches no analysis (or it has none): 'tb' is found in 'tb_all'; 'tab' (no title,
    a typo kept as a file name) holds no analysis name and is like 'tb' only."""
    project = _renamed(tmp_path)
    grade_dir = project / "analysis" / "grade"
    text = (grade_dir / "tb.toml").read_text(encoding="utf-8")
    (grade_dir / "tb.toml").write_text(text.replace('title = "', 'title = "Old: ', 1), encoding="utf-8")
    (grade_dir / "tab.toml").write_text("", encoding="utf-8")
    analyses = project / "analysis" / "analyses.toml"
    renamed = analyses.read_text(encoding="utf-8").replace("[analyses.tb_all]", "[analyses.tb_all]\n", 1)
    analyses.write_text(renamed + '\n[analyses.tb]\noutcome = "tb"\nmeasure = "RR"\n', encoding="utf-8")
    specs = load_analyses(load_project(project))
    assert [spec.name for spec in specs] == ["tb_all", "tb"]
    [tab] = orphan_grade_files(load_project(project), specs)
    assert tab.endswith("if the analysis was renamed to 'tb', rename the file to tb.toml to keep the team's final "
                        "ratings")
    specs = [spec for spec in specs if spec.name == "tb_all"]
    [tab, old] = orphan_grade_files(load_project(project), specs)
    assert old.endswith("renamed to 'tb_all', rename the file to tb_all.toml to keep the team's final ratings")
    assert tab.endswith("no Summary of findings row reads this file")  # like no analysis left


def test_a_title_no_analysis_has_points_at_none_by_title(tmp_path):
    """The old file is titled "Old: …": no analysis has that title, so the name decides ('tb' in 'tb_all'), not
    the first analysis listed."""
    project = _renamed(tmp_path)
    old = project / "analysis" / "grade" / "tb.toml"
    old.write_text(old.read_text(encoding="utf-8").replace('title = "', 'title = "Old: ', 1), encoding="utf-8")
    specs = [SimpleNamespace(name="aaa", title="Another outcome"), SimpleNamespace(name="tb_all", title="TB")]
    [warning] = orphan_grade_files(load_project(project), specs)
    assert warning.endswith("if the analysis was renamed to 'tb_all', rename the file to tb_all.toml to keep the "
                            "team's final ratings")
