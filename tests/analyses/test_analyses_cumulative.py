"""`sysrev meta cumulative --analysis NAME`: a project analysis ordered by a studies.csv column or the label's year."""

import json

import pytest
from analyses_helpers import continuous, make_project
from click.testing import CliRunner

from sysrev.cli.main import cli

ANALYSES = """
[analyses.pain]
title = "Pain"
outcome = "pain"
measure = "MD"
method = "IV"
model = "fixed"
"""


def _project(tmp_path, studies_csv=None):
    rows = []
    # MD 1 (Lee 2019), 3 (Kim 2004), 2 (Ono 2011); every arm n = 10, SD 1, so each variance is 0.2
    for study, mean in (("Lee 2019", 1), ("Kim 2004", 3), ("Ono 2011", 2)):
        rows += [continuous(study, "A", 10, mean, 1), continuous(study, "B", 10, 0, 1)]
    root = make_project(tmp_path / "p", ANALYSES, rows)
    if studies_csv:
        (root / "analysis" / "extraction" / "studies.csv").write_text(studies_csv, encoding="utf-8")
    return root


def _run(root, *args):
    return CliRunner().invoke(cli, ["meta", "cumulative", "--analysis", "pain", "--project", str(root), *args])


def test_year_from_the_study_label(tmp_path):
    out = _run(_project(tmp_path), "--json")
    assert out.exit_code == 0, out.output
    steps = json.loads(out.output)["steps"]
    assert [s["study"] for s in steps] == ["Kim 2004", "Ono 2011", "Lee 2019"]
    assert [s["estimate"] for s in steps] == pytest.approx([3.0, 2.5, 2.0])  # equal weights: running means


def test_order_by_a_studies_csv_column(tmp_path):
    studies = "study,citation,entered\nLee 2019,x,2020-01-05\nKim 2004,y,2022-06-01\nOno 2011,z,2021-03-09\n"
    out = _run(_project(tmp_path, studies), "--order-by", "entered", "--json")
    assert out.exit_code == 0, out.output
    assert [s["study"] for s in json.loads(out.output)["steps"]] == ["Lee 2019", "Ono 2011", "Kim 2004"]
    bad = _run(_project(tmp_path / "b", "study,citation,entered\nLee 2019,x,2020-01-05\n"), "--order-by", "entered")
    assert bad.exit_code == 2 and "study 'Kim 2004' has no 'entered' date" in bad.output


def test_unknown_analysis_and_both_inputs(tmp_path):
    root = _project(tmp_path)
    out = CliRunner().invoke(cli, ["meta", "cumulative", "--analysis", "nope", "--project", str(root)])
    assert out.exit_code == 2 and "no analysis named 'nope'" in out.output


@pytest.mark.parametrize("mid", ["0.75", "1.3333333333333333"])
def test_tsa_of_an_analysis_takes_its_mid_as_the_anticipated_effect(tmp_path, mid):
    """mid is one point on the reporting scale (GRADE and `sysrev diff` read it so): RR 0.75 and its inverse
    1/0.75 = 1.333… set the same thresholds, and both anticipate a relative risk reduction of 1 − 0.75 = 25%."""
    from analyses_helpers import dichotomous

    analyses = ('[analyses.harm]\ntitle = "Harm"\noutcome = "harm"\nmeasure = "RR"\nmethod = "IV"\n'
                f'model = "fixed"\nmid = {mid}\n')
    rows = []
    for study, e1, e2 in (("Lee 2019", 10, 20), ("Kim 2004", 12, 18), ("Ono 2011", 9, 21)):
        rows += [dichotomous(study, "A", e1, 200), dichotomous(study, "B", e2, 200)]
    root = make_project(tmp_path / "p", analyses, rows)
    out = CliRunner().invoke(cli, ["meta", "tsa", "--analysis", "harm", "--project", str(root), "--json"])
    assert out.exit_code == 0, out.output
    tsa = json.loads(out.output)
    assert tsa["information"]["rrr"] == pytest.approx(0.25, rel=1e-12)
    assert tsa["information"]["mid"] == pytest.approx(float(mid))
    # control proportion observed: 59/600; the looks follow the years in the labels
    assert tsa["information"]["control_rate"] == pytest.approx(59 / 600)
    assert [look["study"] for look in tsa["looks"]] == ["Kim 2004", "Ono 2011", "Lee 2019"]
    # --rrr overrides the analysis's mid
    out = CliRunner().invoke(cli, ["meta", "tsa", "--analysis", "harm", "--project", str(root), "--json",
                                   "--rrr", "0.1"])
    assert json.loads(out.output)["information"]["rrr"] == 0.1 and json.loads(out.output)["information"]["mid"] is None
