"""`sysrev rob …` commands end to end on a copy of the fixture project."""

import json
import shutil

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.rob.summary import load_weights, weights_by_study


@pytest.fixture
def project(own_fixtures, tmp_path):
    target = tmp_path / "project"
    shutil.copytree(own_fixtures / "rob" / "project", target)
    return target


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_new_writes_a_template_and_refuses_to_overwrite(project):
    result = run("rob", "new", "Trial Epsilon 2023", "pain", "--assessor", "CD", "--project", project)
    assert result.exit_code == 0, result.output
    path = project / "analysis" / "rob2" / "Trial_Epsilon_2023--pain.toml"
    assert 'assessor = "CD"' in path.read_text()
    again = run("rob", "new", "Trial Epsilon 2023", "pain", "--project", project)
    assert again.exit_code == 2 and "already exists" in again.output


def test_new_refuses_an_empty_label_and_warns_about_an_unknown_study(project):
    empty = run("rob", "new", " ", "pain", "--project", project)
    assert empty.exit_code == 2 and "must not be empty" in empty.output
    assert not list((project / "analysis" / "rob2").glob("_--*"))
    extraction = project / "analysis" / "extraction"
    extraction.mkdir(parents=True)
    (extraction / "studies.csv").write_text("study\nTrial Alpha 2019\n")
    known = run("rob", "new", "Trial Alpha 2019", "mobility", "--project", project)
    assert known.exit_code == 0 and "warning" not in known.output
    unknown = run("rob", "new", "Trial Alfa 2019", "pain", "--project", project)
    assert unknown.exit_code == 0
    assert "study 'Trial Alfa 2019' is not in the extraction's studies.csv" in unknown.output


def test_check_clean_project_exits_0_and_lists_judgements(project):
    result = run("rob", "check", "--project", project)
    assert result.exit_code == 0, result.output
    assert "Trial Delta 2022 × pain: D1=some concerns" in result.output
    assert "5 forms" in result.output and "0 errors" in result.output


def test_check_with_an_empty_template_exits_2(project):
    run("rob", "new", "Trial Epsilon 2023", "pain", "--project", project)
    result = run("rob", "check", "--project", project)
    assert result.exit_code == 2
    assert "Trial_Epsilon_2023--pain.toml:18 [D1.answers.1.1]: missing answer" in result.output
    assert "error: 12 errors in the RoB 2 forms" in result.output


def test_table_json_is_the_forest_shape(project):
    result = run("rob", "table", "--outcome", "pain", "--json", "--project", project)
    data = json.loads(result.output)
    assert set(data) == {"Trial Alpha 2019", "Trial Beta 2020", "Trial Delta 2022", "Trial Gamma 2021"}
    assert set(data["Trial Beta 2020"]) == {"D1", "D2", "D3", "D4", "D5", "overall"}


def test_plot_writes_png_and_svg(project, tmp_path):
    result = run("rob", "plot", "--traffic-light", tmp_path / "tl", "--summary", tmp_path / "summary.svg",
                 "--outcome", "pain", "--project", project)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tl.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "tl.svg").read_text()
    assert "<svg" in svg and "Trial Gamma 2021" in svg
    assert "Overall risk of bias" in (tmp_path / "summary.svg").read_text()
    assert not (tmp_path / "summary.png").exists()


def test_plot_writes_a_reproducible_pdf_and_refuses_other_suffixes(project, tmp_path):
    for name in ("a.pdf", "b.pdf"):
        result = run("rob", "plot", "--traffic-light", tmp_path / name, "--outcome", "pain", "--project", project)
        assert result.exit_code == 0, result.output
    first = (tmp_path / "a.pdf").read_bytes()
    assert first.startswith(b"%PDF") and first == (tmp_path / "b.pdf").read_bytes()  # no creation date
    refused = run("rob", "plot", "--traffic-light", tmp_path / "tl.eps", "--outcome", "pain", "--project", project)
    assert refused.exit_code == 2 and ".png, .svg or .pdf" in refused.output
    assert not (tmp_path / "tl.eps").exists()


def test_weighted_summary(project, tmp_path):
    weights = tmp_path / "w.csv"
    weights.write_text("study,weight\nTrial Alpha 2019,10\nTrial Beta 2020,20\nTrial Delta 2022,30\n")
    result = run("rob", "plot", "--summary", tmp_path / "s.png", "--outcome", "pain", "--weights", weights,
                 "--project", project)
    assert result.exit_code == 2 and "no weight given for Trial Gamma 2021" in result.output
    weights.write_text(weights.read_text() + "Trial Gamma 2021,40\n")
    result = run("rob", "plot", "--summary", tmp_path / "s.png", "--outcome", "pain", "--weights", weights,
                 "--project", project)
    assert result.exit_code == 0 and (tmp_path / "s.png").exists()


def test_compare_command(project, tmp_path):
    rob2 = project / "analysis" / "rob2"
    other = tmp_path / "other"
    shutil.copytree(rob2, other)
    form = other / "Trial_Beta_2020--pain.toml"
    form.write_text(form.read_text().replace('"5.1" = "NI"', '"5.1" = "Y"'))
    result = run("rob", "compare", rob2, other, "--out", tmp_path / "consensus")
    assert result.exit_code == 0, result.output
    assert "D5.answers.5.1: test=NI  test=Y" in result.output
    # 5.1 and the D5 judgement differ; both overall judgements stay "some concerns"
    assert "5 form pairs, 2 disagreements" in result.output
    assert (tmp_path / "consensus" / "Trial_Beta_2020--pain.toml").exists()


def test_check_warns_about_studies_missing_from_studies_csv(project):
    extraction = project / "analysis" / "extraction"
    extraction.mkdir(parents=True)
    (extraction / "studies.csv").write_text("study\nTrial Alpha 2019\nTrial Beta 2020\nTrial Delta 2022\n")
    result = run("rob", "check", "--project", project)
    assert result.exit_code == 0
    assert ("warning: " in result.output
            and "study 'Trial Gamma 2021' is not in the extraction's studies.csv" in result.output)
    assert "'Trial Alpha 2019' is not in" not in result.output


def test_weighted_summary_from_a_meta_run_results_file(project, tmp_path):
    # arms A/B (the fixture's review.toml); Trial Alpha has two time points, so two rows in the analysis
    header = "study,outcome,item,timepoint,arm,n,mean,sd,events,scale,source,source_url,raw,method,note\n"
    rows = ["Trial Alpha 2019,pain,,2 weeks,{arm},30,{m},1,,,T2,,,,",
            "Trial Alpha 2019,pain,,12 weeks,{arm},30,{m},1,,,T2,,,,",
            "Trial Beta 2020,pain,,2 weeks,{arm},20,{m},2,,,T3,,,,",
            "Trial Gamma 2021,pain,,2 weeks,{arm},25,{m},2,,,T1,,,,",
            "Trial Delta 2022,pain,,2 weeks,{arm},40,{m},3,,,T4,,,,"]
    lines = [r.format(arm=arm, m=m) for r in rows for arm, m in (("A", 3), ("B", 4))]
    (project / "analysis" / "extraction").mkdir(parents=True)
    (project / "analysis" / "extraction" / "pain.csv").write_text(header + "\n".join(lines) + "\n")
    (project / "review.toml").write_text((project / "review.toml").read_text()
                                         + '[[outcomes]]\nname = "pain"\ntype = "continuous"\n')
    (project / "analysis" / "analyses.toml").write_text('[analyses.pain]\noutcome = "pain"\nmeasure = "MD"\n')
    assert run("meta", "run", "--project", project).exit_code == 0
    results = project / "analysis" / "results" / "pain.json"
    rows_out = {s["study"]: s["weight"] for s in json.loads(results.read_text())["result"]["studies"]}
    alpha = rows_out["Trial Alpha 2019 (2 weeks)"] + rows_out["Trial Alpha 2019 (12 weeks)"]
    studies = ["Trial Alpha 2019", "Trial Beta 2020", "Trial Gamma 2021", "Trial Delta 2022"]
    by_study = weights_by_study(load_weights(results), studies)
    assert by_study["Trial Alpha 2019"] == pytest.approx(alpha)
    assert sum(by_study.values()) == pytest.approx(100)  # every row counted once
    result = run("rob", "plot", "--summary", tmp_path / "w.png", "--outcome", "pain", "--weights", results,
                 "--project", project)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "w.png").exists()


def test_new_warns_about_an_outcome_neither_listed_nor_analysed(project):
    toml = project / "review.toml"
    toml.write_text(toml.read_text() + '\n[[outcomes]]\nname = "pain"\ntype = "continuous"\n')
    listed = run("rob", "new", "Trial Zeta 2024", "pain", "--project", project)
    assert listed.exit_code == 0 and "warning" not in listed.output
    unknown = run("rob", "new", "Trial Zeta 2024", "Pain", "--project", project)
    assert unknown.exit_code == 0 and (project / "analysis" / "rob2" / "Trial_Zeta_2024--Pain.toml").is_file()
    assert unknown.stderr == ("warning: outcome 'Pain' is not among review.toml's [[outcomes]] or the analysed "
                              "outcomes (pain; labels must match)\n")
