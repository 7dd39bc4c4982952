"""Forest plots of `sysrev meta run` carry the RoB 2 judgements of the project's forms."""

import shutil

import pytest
from analyses_helpers import continuous, make_project

import sysrev.meta.plots
from sysrev.analyses import run_project
from sysrev.errors import InputError
from sysrev.project import load_project

ANALYSES = """[analyses.pain]
outcome = "pain"
measure = "SMD"
subgroup = "timepoint"
[analyses.pain.subgroups]
"2 weeks" = ["2 weeks"]
"3 months" = ["12 weeks"]
"""


@pytest.fixture
def project(tmp_path, own_fixtures):
    rows = []
    for study in ("Trial Alpha 2019", "Trial Beta 2020"):
        for tp in ("2 weeks", "12 weeks"):
            rows += [continuous(study, "A", 20, 3.0, 1.0, tp), continuous(study, "B", 20, 3.5, 1.2, tp)]
    root = make_project(tmp_path / "p", ANALYSES, rows)
    shutil.copytree(own_fixtures / "rob" / "project" / "analysis" / "rob2", root / "analysis" / "rob2")
    return load_project(root)


@pytest.fixture
def captured(monkeypatch):
    calls = []
    real = sysrev.meta.plots.forest_plot

    def spy(result, path, **kwargs):
        calls.append(kwargs)
        return real(result, path, **kwargs)

    monkeypatch.setattr(sysrev.meta.plots, "forest_plot", spy)
    return calls


def test_rob_judgements_follow_each_plotted_row(project, captured):
    (outcome,) = run_project(project)
    rob = captured[0]["rob"]
    assert set(rob) == {"Trial Alpha 2019", "Trial Alpha 2019 (12 weeks)", "Trial Beta 2020",
                        "Trial Beta 2020 (12 weeks)"}
    assert rob["Trial Beta 2020 (12 weeks)"]["overall"] == "some concerns"
    assert rob["Trial Alpha 2019"]["overall"] == "low"
    assert outcome.notes == [] and (project.results_dir / "pain.png").stat().st_size > 0


def test_a_broken_rob_form_is_an_error_and_nothing_is_written(project, captured):
    # issue 13: a forest plot silently drawn without its RoB columns would look complete
    form = project.rob_dir / "Trial_Beta_2020--pain.toml"
    form.write_text(form.read_text() + "\n[[[not toml\n")
    with pytest.raises(InputError, match="Trial_Beta_2020--pain.toml"):
        run_project(project)
    assert captured == [] and not (project.results_dir / "pain.json").exists()
