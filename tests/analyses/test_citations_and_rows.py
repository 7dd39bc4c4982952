"""The citations `sysrev meta run` shows beside missing cells (read leniently from studies.csv), and the rows
cumulative and sequential analysis take from a project analysis (refused in full when there are none)."""

import pytest
from analyses_helpers import continuous, make_project

from sysrev.analyses.citations import load_citations
from sysrev.analyses.study_order import analysis_rows
from sysrev.errors import SysrevError
from sysrev.project import load_project

ANALYSES = '[analyses.pain]\noutcome = "pain"\nmeasure = "SMD"\n\n[analyses.odi]\noutcome = "odi"\nmeasure = "MD"\n'


@pytest.fixture
def project(tmp_path):
    rows = [continuous("Alpha 2001", "A", 20, 3.0, 1.0), continuous("Alpha 2001", "B", 20, 4.0, 1.0),
            continuous("Beta 2002", "A", 20, None, 1.0, outcome="odi"),
            continuous("Beta 2002", "B", 20, 4.0, 1.0, outcome="odi")]
    return load_project(make_project(tmp_path / "p", ANALYSES, rows))


def _studies(project, text):
    (project.extraction_dir / "studies.csv").write_text(text, encoding="utf-8")


def test_citations_of_studies_with_both_a_label_and_a_citation(project):
    _studies(project, 'study,citation,year\n Alpha 2001 ,"Alpha A, Beta B. J Test 2001;1:1-9 "\n'
                      ",Orphan O. J Test 2003\nGamma 2003,\nDelta 2004,  \nEpsilon 2005\n")
    assert load_citations(project) == {"Alpha 2001": "Alpha A, Beta B. J Test 2001;1:1-9"}


@pytest.mark.parametrize("text", ["", "study,year\nAlpha 2001,2001\n", "citation\nAlpha A. J Test 2001\n",
                                  "study,citation\n"])
def test_no_citations_without_the_file_an_empty_file_or_either_column(project, text):
    assert load_citations(project) == {}  # no studies.csv at all
    _studies(project, text)
    assert load_citations(project) == {}


def test_the_rows_an_analysis_pools_now(project):
    spec, frame = analysis_rows(project, "pain")
    assert spec.name == "pain" and list(frame["_study"]) == ["Alpha 2001"]
    assert (frame.loc[0, "mean1"], frame.loc[0, "mean2"]) == (3.0, 4.0)


def test_an_unknown_analysis_and_one_with_nothing_to_pool_are_refused_in_full(project):
    with pytest.raises(SysrevError) as unknown:
        analysis_rows(project, "pian")
    assert str(unknown.value) == f"no analysis named 'pian' in {project.analyses_path} (defined: pain, odi)"
    with pytest.raises(SysrevError) as empty:
        analysis_rows(project, "odi")
    assert str(empty.value) == ("analysis 'odi' has no complete comparison to pool yet (`sysrev meta run odi` lists "
                                "the missing cells)")
