"""From extraction rows to an analysis's rows, in detail: the JSON a results file holds for every missing cell
and every excluded row (the trace back to the extraction file and line), labels, and when SDs are pooled."""

import math
from pathlib import Path

import pytest

from sysrev.analyses.assemble import ExcludedRow, MissingCells, assemble, relative_path
from sysrev.analyses.spec import AnalysisSpec
from sysrev.extraction.table import OutcomeRow

ROOT = Path("/project")
FILE = ROOT / "analysis" / "extraction" / "pain.csv"


def _row(study, arm, line, *, n=None, mean=None, sd=None, events=None, item="", timepoint="", outcome="pain",
         source="", scale="VAS 0-10"):
    return OutcomeRow(study=study, outcome=outcome, item=item, timepoint=timepoint, arm=arm, n=n, mean=mean, sd=sd,
                      events=events, scale=scale, source=source, source_url=f"https://example.org/{study}", raw="",
                      method="", note="", path=FILE, line=line)


def _spec(**fields):
    values = dict(name="pain", title="Pain", outcome="pain", measure="MD", method="IV", model="random", tau2="DL",
                  ci="z", smd="revman", level=95.0, subgroup=None, group1="US", group2="FL")
    return AnalysisSpec(**{**values, **fields})


def test_a_missing_cell_in_the_results_file_says_what_where_and_from_which_line():
    data = assemble(_spec(), [_row("Park 2013", "US", 4, n=20, mean=3.1, source="Table 2"),
                              _row("Park 2013", "FL", 5, n=21, mean=3.4, sd=1.2, source="Table 2")])
    (missing,) = data.missing
    assert missing.to_dict(ROOT) == {
        "study": "Park 2013", "row": "Park 2013", "subgroup": None, "timepoint": "", "what": "VAS 0-10",
        "arm": "US", "cells": ["SD"], "where": "Table 2", "source_url": "https://example.org/Park 2013",
        "file": "analysis/extraction/pain.csv", "line": 4, "text": "Park 2013, Table 2, VAS 0-10, US arm: SD"}
    assert missing.to_dict()["file"] == str(FILE)  # without a root: the path as read
    assert (data.incomplete, data.missing_cell_count, data.studies_missing) == (["Park 2013"], 1, ["Park 2013"])


def test_a_missing_cell_without_a_file_has_none():
    gap = MissingCells("A", "A", None, "VAS", "", None, ("time point",), "full text (table not known)", "", None,
                       None)
    assert gap.to_dict(ROOT)["file"] is None and gap.to_dict(ROOT)["line"] is None


def test_an_excluded_row_in_the_results_file():
    data = assemble(_spec(), [_row("Lee 2020", "sham", 9, n=10, mean=2.0, sd=1.0, item="night pain",
                                   timepoint="6 weeks")])
    (excluded,) = data.excluded
    assert excluded.to_dict(ROOT) == {
        "study": "Lee 2020", "item": "night pain", "timepoint": "6 weeks", "arm": "sham",
        "reason": "arm 'sham' is neither group 1 (US) nor group 2 (FL)", "file": "analysis/extraction/pain.csv",
        "line": 9, "text": "Lee 2020 (night pain, 6 weeks), sham arm: arm 'sham' is neither group 1 (US) nor "
                           "group 2 (FL)"}
    bare = ExcludedRow("Lee 2020", "", "", "sham", "why", FILE, 9)
    assert bare.describe() == "Lee 2020, sham arm: why"


def test_rows_of_another_outcome_are_not_this_analysis_and_later_rows_are_still_read():
    data = assemble(_spec(), [_row("A", "US", 2, n=10, mean=1.0, sd=1.0, outcome="function"),
                              _row("B", "third", 3, n=10, mean=1.0, sd=1.0),
                              _row("C", "US", 4, n=10, mean=1.0, sd=1.0), _row("C", "FL", 5, n=12, mean=2.0, sd=1.5)])
    assert [e.study for e in data.excluded] == ["B"] and data.studies_complete == ["C"]


def test_a_path_outside_the_project_stays_as_it_is():
    assert relative_path(Path("/elsewhere/x.csv"), ROOT) == "/elsewhere/x.csv"
    assert relative_path(FILE, None) == str(FILE)


@pytest.mark.parametrize("sd1, sd2, n1, n2, pooled", [
    (1.0, 2.0, 10, 20, True),
    (0.0, 2.0, 10, 20, False),   # a zero SD is not pooled (the engine names it)
    (1.0, 0.0, 10, 20, False),
    (1.0, 2.0, 1, 1, False),     # n1 + n2 = 2: no degrees of freedom to pool with
    (1.0, 2.0, 2, 1, True),      # n1 + n2 = 3: one
    (1.0, 0.5, 2, 2, True),      # an SD below 1 is an SD like any other
])
def test_sds_are_pooled_only_when_both_are_positive_and_there_are_degrees_of_freedom(sd1, sd2, n1, n2, pooled):
    data = assemble(_spec(pooled_sd=True), [_row("A", "US", 2, n=n1, mean=1.0, sd=sd1),
                                            _row("A", "FL", 3, n=n2, mean=2.0, sd=sd2)])
    (row,) = data.complete
    if pooled:
        expected = math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))
        assert row["sd1"] == row["sd2"] == pytest.approx(expected, rel=1e-12)
    else:
        assert (row["sd1"], row["sd2"]) == (sd1, sd2)
    assert row["_reported"] == {"sd1": sd1, "sd2": sd2}


def test_labels_name_each_row_of_a_study_by_item_and_time_point():
    rows = []
    for line, timepoint in ((2, "2 weeks"), (4, "3 months")):
        rows += [_row("A", "US", line, n=10, mean=1.0, sd=1.0, item="rest", timepoint=timepoint),
                 _row("A", "FL", line + 1, n=10, mean=2.0, sd=1.0, item="rest", timepoint=timepoint)]
    data = assemble(_spec(), rows)
    assert [row["study"] for row in data.complete] == ["A (rest, 2 weeks)", "A (rest, 3 months)"]
