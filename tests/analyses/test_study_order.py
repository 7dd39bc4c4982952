"""Placing an analysis's studies in time for cumulative and sequential analysis: the order column of
studies.csv, the year in a study's label, and every refusal word for word."""

from types import SimpleNamespace

import pytest

from sysrev.analyses.study_order import order_values
from sysrev.errors import SysrevError


@pytest.fixture
def project(tmp_path):
    return SimpleNamespace(extraction_dir=tmp_path)


def _studies(project, text):
    (project.extraction_dir / "studies.csv").write_text(text, encoding="utf-8")
    return project.extraction_dir / "studies.csv"


def test_order_values_come_from_the_column_named(project):
    _studies(project, "study,year,entered\nPark 2013,2013, 2024-01-05 \nLee 2020,2020,2024-03-01\n")
    assert order_values(project, ["Lee 2020", "Park 2013"], "entered") == ["2024-03-01", "2024-01-05"]


@pytest.mark.parametrize("table", ["study,entered\nPark 2013,\n", "study,entered\nLee 2020,2024-03-01\n"])
def test_a_study_without_a_value_is_named(project, table):
    path = _studies(project, table)
    with pytest.raises(SysrevError) as refused:
        order_values(project, ["Park 2013"], "entered")
    assert str(refused.value) == f"{path}: study 'Park 2013' has no value in column 'entered' to order it by"


def test_without_a_year_column_the_year_is_read_from_the_label(project):
    path = _studies(project, "study,entered\nA,2024-01-01\n")
    assert order_values(project, ["Park 2013", "Lee et al. 2019 (2020)"], "year") == ["2013", "2020"]
    with pytest.raises(SysrevError) as refused:
        order_values(project, ["Park 2013", "The SPINE trial"], "year")
    assert str(refused.value) == (f"study 'The SPINE trial' has no year in its label and {path} has no 'year' "
                                  "column; add a 'year' column to studies.csv")


def test_an_unknown_column_is_refused_with_the_columns_there_are(project):
    path = project.extraction_dir / "studies.csv"
    with pytest.raises(SysrevError) as missing_file:
        order_values(project, ["A"], "entered")
    assert str(missing_file.value) == (f"{path} has no column 'entered' to order the studies by (columns: none, or "
                                       "the file is missing)")
    _studies(project, "study,year,country\nA,2020,NZ\n")
    with pytest.raises(SysrevError) as unknown:
        order_values(project, ["A"], "entered")
    assert str(unknown.value) == (f"{path} has no column 'entered' to order the studies by (columns: study, year, "
                                  "country)")
