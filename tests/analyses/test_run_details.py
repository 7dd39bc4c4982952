"""`sysrev meta run` in detail: every setting reaches the engine, what the forest plot is told, the results
file's keys and paths, the extraction line an engine error points to, and stale plots removed."""

import json

import pandas as pd
import pytest
from analyses_helpers import REVIEW_TOML, continuous, make_project

import sysrev.meta.plots
from sysrev.analyses import run_project
from sysrev.analyses.run import run_analysis
from sysrev.analyses.spec import load_analyses
from sysrev.analyses.targets import consistency
from sysrev.errors import InputError
from sysrev.extraction.table import load_extraction
from sysrev.meta import meta_analysis
from sysrev.project import load_project

LABELLED = REVIEW_TOML.replace('group2 = "B"', 'group2 = "B"\ngroup1_label = "Ultrasound"\n'
                               'group2_label = "Fluoroscopy"')
THREE = [("Alpha 2001", 3.0, 4.0), ("Beta 2002", 2.0, 4.5), ("Gamma 2003", 3.5, 3.6)]


def rows_of(trials, timepoint=""):
    rows = []
    for study, mean1, mean2 in trials:
        rows += [continuous(study, "A", 20, mean1, 1.0, timepoint), continuous(study, "B", 22, mean2, 1.5, timepoint)]
    return rows


def project_of(tmp_path, analyses, rows, review=REVIEW_TOML):
    return load_project(make_project(tmp_path / "p", analyses, rows, review=review))


@pytest.fixture
def plotted(monkeypatch):
    """What run_project hands the forest plot: (path, keyword arguments) per call; nothing is drawn."""
    calls = []
    monkeypatch.setattr(sysrev.meta.plots, "forest_plot", lambda result, path, **kw: calls.append((path, kw)))
    return calls


@pytest.mark.parametrize("setting, engine", [
    ('ci = "hksj"', {"ci": "hksj"}), ("level = 90", {"level": 90.0}), ('tau2 = "REML"', {"tau2": "REML"}),
    ('smd = "exact"', {"smd": "exact"}),
])
def test_each_setting_reaches_the_engine(tmp_path, setting, engine):
    analyses = f'[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\nmodel = "random"\n{setting}\n'
    project = project_of(tmp_path, analyses, rows_of(THREE))
    (outcome,) = run_project(project, write=False)
    frame_rows = [{"study": s, "n1": 20, "mean1": m1, "sd1": 1.0, "n2": 22, "mean2": m2, "sd2": 1.5}
                  for s, m1, m2 in THREE]
    settings = {"method": "IV", "model": "random", "tau2": "DL", "ci": "z", "smd": "revman", "level": 95.0} | engine
    expected = meta_analysis(pd.DataFrame(frame_rows), "SMD", **settings).to_dict()
    default = meta_analysis(pd.DataFrame(frame_rows), "SMD", method="IV", model="random").to_dict()
    assert (outcome.result["ci_low"], outcome.result["ci_high"]) == (expected["ci_low"], expected["ci_high"])
    assert (expected["ci_low"], expected["ci_high"]) != (default["ci_low"], default["ci_high"])  # the setting shows


def test_the_plot_of_a_partial_analysis_says_so_and_favours_follow_the_direction(tmp_path, plotted):
    analyses = ('[analyses.pain]\ntitle = "Pain at rest"\noutcome = "pain"\nmeasure = "SMD"\n'
                'direction = "higher is better"\n')
    rows = rows_of(THREE[:2]) + [continuous("Gamma 2003", "A", 20, None, None), continuous("Gamma 2003", "B", 22,
                                                                                            3.6, 1.5)]
    project = project_of(tmp_path, analyses, rows, review=LABELLED)
    (outcome,) = run_project(project)
    assert outcome.status == "partial"
    assert [path for path, _ in plotted] == [project.results_dir / "pain.svg", project.results_dir / "pain.png"]
    _, kwargs = plotted[0]
    assert kwargs == {"label1": "Ultrasound", "label2": "Fluoroscopy", "favours": ("Fluoroscopy", "Ultrasound"),
                      "title": "Pain at rest — PARTIAL: 2 of 3 comparisons, not the reproduction", "rob": None}


def test_a_complete_analysis_is_plotted_under_its_own_title_favouring_group_1_when_lower_is_better(tmp_path,
                                                                                                  plotted):
    project = project_of(tmp_path, '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n', rows_of(THREE),
                         review=LABELLED)
    run_project(project)
    assert plotted[1][1] == {"label1": "Ultrasound", "label2": "Fluoroscopy",
                             "favours": ("Ultrasound", "Fluoroscopy"), "title": "pain", "rob": None}


def test_the_results_file_in_full_apart_from_the_pooled_numbers(tmp_path, plotted):
    analyses = ('[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\nnote = "one SD imputed"\n\n'
                '[analyses.pain.target]\nsource = "Table 2"\nestimate = "-0.50"\nci = ["-1.00", "0.00"]\n')
    rows = rows_of(THREE[:2]) + [continuous("Gamma 2003", "A", 20, 3.5, None), continuous("Gamma 2003", "B", 22,
                                                                                           3.6, 1.5),
                                 dict(continuous("Delta 2004", "A", 20, 3.0, 1.0), arm="C")]  # neither arm
    project = project_of(tmp_path, analyses, rows)
    (outcome,) = run_project(project)
    saved = json.loads((project.results_dir / "pain.json").read_text())
    assert saved == outcome.to_dict(project.root)
    assert sorted(saved) == sorted(["name", "status", "analysis", "target", "result", "missing", "counts",
                                    "comparison", "target_consistency", "excluded", "files", "notes"])
    assert saved["analysis"] == outcome.spec.describe() and saved["analysis"]["note"] == "one SD imputed"
    assert saved["counts"] == {"comparisons": 3, "comparisons_complete": 2,
                               "studies_complete": ["Alpha 2001", "Beta 2002"],
                               "studies_missing": ["Gamma 2003"], "cells_missing": 1}
    assert saved["target_consistency"] == consistency(outcome.spec.target, "SMD")
    assert saved["comparison"] == []  # a partial pool is never compared with the target
    [missing] = saved["missing"]
    assert missing["study"] == "Gamma 2003" and missing["citation"] is None
    assert missing["file"] == "analysis/extraction/data.csv"  # relative to the project
    [excluded] = saved["excluded"]
    assert (excluded["study"], excluded["file"], excluded["line"]) == ("Delta 2004", "analysis/extraction/data.csv", 8)
    assert saved["notes"] == []
    assert saved["files"] == ["analysis/results/pain.json", "analysis/results/pain.svg", "analysis/results/pain.png"]


def test_both_stale_plots_go_when_nothing_can_be_pooled(tmp_path):
    rows = [continuous("Alpha 2001", "A", 20, None, None), continuous("Alpha 2001", "B", 20, None, None)]
    project = project_of(tmp_path, '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n', rows)
    project.results_dir.mkdir(parents=True)
    for suffix in (".svg", ".png", ".json.bak"):
        (project.results_dir / f"pain{suffix}").write_text("old")
    run_project(project)
    assert sorted(p.name for p in project.results_dir.iterdir()) == ["pain.json", "pain.json.bak"]


@pytest.mark.parametrize("bad_arm, line", [("A", 2), ("B", 3)])
def test_an_engine_error_points_at_the_arm_it_is_about(tmp_path, bad_arm, line):
    rows = [continuous("Alpha 2001", arm, 20, 3.0, -1.0 if arm == bad_arm else 1.0) for arm in ("A", "B")]
    project = project_of(tmp_path, '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n', rows)
    with pytest.raises(InputError) as info:
        run_project(project, write=False)
    assert str(info.value) == (f"{project.extraction_dir / 'data.csv'}, line {line}, column 'sd': SD must be "
                               "positive (got -1) (analysis 'pain', study 'Alpha 2001')")


def test_several_engine_errors_are_listed_each_at_its_line(tmp_path):
    rows = rows_of(THREE)
    rows[1]["sd"], rows[4]["sd"] = 0, -2.0  # Alpha's arm B, Gamma's arm A
    project = project_of(tmp_path, '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n', rows)
    with pytest.raises(InputError) as info:
        run_project(project, write=False)
    data = project.extraction_dir / "data.csv"
    assert str(info.value) == (
        f"{data}, line 3, column 'sd': SD must be positive (got 0) (analysis 'pain', study 'Alpha 2001')\n"
        f"error: {data}, line 6, column 'sd': SD must be positive (got -2) (analysis 'pain', study 'Gamma 2003')\n"
        "error: 2 bad rows")


def test_reported_sds_are_shown_in_each_subgroup_too(tmp_path):
    analyses = ('[analyses.md]\noutcome = "pain"\nmeasure = "MD"\npooled_sd = true\nsubgroup = "timepoint"\n\n'
                '[analyses.md.subgroups]\n"early" = ["2 weeks"]\n"late" = ["12 weeks"]\n')
    rows = rows_of(THREE[:2], "2 weeks") + rows_of(THREE[:2], "12 weeks")
    project = project_of(tmp_path, analyses, rows)
    [spec] = load_analyses(project)
    result = run_analysis(spec, load_extraction(project)).result
    for label in ("early", "late"):
        for study in result["subgroups"][label]["studies"]:
            assert (study["data"]["sd1"], study["data"]["sd2"]) == (1.0, 1.5)  # as reported, not the pooled SD


def test_the_pooling_method_reaches_the_engine(tmp_path):
    from analyses_helpers import dichotomous

    rows = [dichotomous("Alpha 2001", "A", 2, 20), dichotomous("Alpha 2001", "B", 6, 22),
            dichotomous("Beta 2002", "A", 5, 40), dichotomous("Beta 2002", "B", 9, 41)]
    frame = pd.DataFrame([{"study": "Alpha 2001", "events1": 2, "n1": 20, "events2": 6, "n2": 22},
                          {"study": "Beta 2002", "events1": 5, "n1": 40, "events2": 9, "n2": 41}])
    for method in ("IV", "MH"):
        project = project_of(tmp_path / method, f'[analyses.harm]\noutcome = "harm"\nmeasure = "RR"\nmethod = '
                                                f'"{method}"\n', rows)
        (outcome,) = run_project(project, write=False)
        assert outcome.result["estimate"] == meta_analysis(frame, "RR", method=method).to_dict()["estimate"]
    assert (meta_analysis(frame, "RR", method="IV").to_dict()["estimate"]
            != meta_analysis(frame, "RR", method="MH").to_dict()["estimate"])


def test_the_target_is_saved_and_checked_at_the_analysis_confidence_level(tmp_path, plotted):
    analyses = ('[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\nlevel = 90\n\n[analyses.pain.target]\n'
                'source = "Table 2"\nestimate = "-0.50"\nci = ["-1.00", "0.00"]\np = "0.10"\n')
    project = project_of(tmp_path, analyses, rows_of(THREE))
    (outcome,) = run_project(project)
    saved = json.loads((project.results_dir / "pain.json").read_text())
    assert saved["target"] == {"source": "Table 2", "estimate": "-0.50", "ci_low": "-1.00", "ci_high": "0.00",
                               "p": "0.10"}
    assert saved["target_consistency"] == consistency(outcome.spec.target, "SMD", 90.0)
    assert saved["target_consistency"] != consistency(outcome.spec.target, "SMD", 95.0)


def test_a_project_without_extraction_rows_says_so(tmp_path):
    project = project_of(tmp_path, '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n', [])
    (outcome,) = run_project(project, write=False)
    assert outcome.notes == [f"no extraction row has outcome 'pain' (outcomes in the extraction files: none yet); "
                             f"check `outcome` in {project.analyses_path}, line 1"]
    several = project_of(tmp_path / "q", '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n',
                         [continuous("Alpha 2001", "A", 20, 3.0, 1.0, outcome=name) for name in ("odi", "harm")])
    (outcome,) = run_project(several, write=False)
    assert "(outcomes in the extraction files: harm, odi)" in outcome.notes[0]
