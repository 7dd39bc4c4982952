"""The study table of a meta-analysis (sysrev.meta.inputs): every check names its row, column and study, in the
words docs/meta.md ("Exit codes and errors") promises, and the checked table keeps the cells as given."""

import math

import numpy as np
import pandas as pd
import pytest

from sysrev.errors import InputError, SysrevError
from sysrev.meta.inputs import StudyDataError, read_study_table, required_columns

CONTINUOUS = {"study": ["A", "B"], "n1": [10, 12], "mean1": [5.0, 4.5], "sd1": [1.0, 1.5], "n2": [11, 12],
              "mean2": [4.0, 4.2], "sd2": [1.2, 1.1]}
BINARY = {"study": ["A", "B"], "events1": [3, 5], "n1": [10, 12], "events2": [4, 6], "n2": [11, 12]}


def _error(data, measure, subgroup=None, **changes):
    """The StudyDataError of the table ``data`` with cells changed: ``changes`` maps column → {row: value}."""
    frame = pd.DataFrame(data).astype(object)
    for column, cells in changes.items():
        for row, value in cells.items():
            frame.loc[row, column] = value
    with pytest.raises(StudyDataError) as info:
        read_study_table(frame, measure, subgroup)
    return info.value


WHOLE = "; round an effective sample size (as RevMan requires), or pool the adjusted effects with --measure GEN"


@pytest.mark.parametrize("data,measure,changes,message", [
    (CONTINUOUS, "MD", {"sd1": {1: None}}, "row 2, column 'sd1' (study 'B'): missing value"),
    (CONTINUOUS, "MD", {"sd1": {1: float("nan")}}, "row 2, column 'sd1' (study 'B'): missing value"),
    (CONTINUOUS, "MD", {"mean2": {0: " "}}, "row 1, column 'mean2' (study 'A'): missing value"),
    (CONTINUOUS, "MD", {"mean1": {0: "inf"}}, "row 1, column 'mean1' (study 'A'): not a finite number: 'inf'"),
    (CONTINUOUS, "SMD", {"mean1": {1: " 4,5 "}},
     "row 2, column 'mean1' (study 'B'): not a number: '4,5' "
     "(a decimal comma? write 4.5: the decimal mark is a point)"),
    (CONTINUOUS, "MD", {"n1": {0: 10.5}},
     "row 1, column 'n1' (study 'A'): a count must be a whole number (got 10.5)" + WHOLE),
    (CONTINUOUS, "MD", {"n2": {1: 12.25}},
     "row 2, column 'n2' (study 'B'): a count must be a whole number (got 12.25)" + WHOLE),
    (BINARY, "RR", {"events1": {0: 2.5}},
     "row 1, column 'events1' (study 'A'): a count must be a whole number (got 2.5)" + WHOLE),
    (BINARY, "OR", {"events2": {1: 0.5}},
     "row 2, column 'events2' (study 'B'): a count must be a whole number (got 0.5)" + WHOLE),
    (CONTINUOUS, "MD", {"n2": {0: 1}}, "row 1, column 'n2' (study 'A'): a group needs at least 2 participants (got 1)"),
    (CONTINUOUS, "SMD", {"sd2": {1: 0}}, "row 2, column 'sd2' (study 'B'): SD must be positive (got 0)"),
    (CONTINUOUS, "MD", {"sd1": {0: -1.5}}, "row 1, column 'sd1' (study 'A'): SD must be positive (got -1.5)"),
    (BINARY, "RD", {"events2": {0: -1}}, "row 1, column 'events2' (study 'A'): events cannot be negative (got -1)"),
    (BINARY, "PETO", {"events1": {1: -2}}, "row 2, column 'events1' (study 'B'): events cannot be negative (got -2)"),
    (BINARY, "RR", {"events2": {1: 13}}, "row 2, column 'events2' (study 'B'): events (13) exceed n2 (12)"),
    (BINARY, "RR", {"study": {1: "  "}}, "row 2, column 'study': missing study name"),
    (BINARY, "RR", {"study": {1: "A"}}, "row 2, column 'study' (study 'A'): duplicate study name (also on row 1)"),
])
def test_a_bad_cell_is_named_by_row_column_and_study(data, measure, changes, message):
    error = _error(data, measure, **changes)
    assert str(error) == message
    assert error.problem == message.split(": ", 1)[1].split(" (also")[0]


@pytest.mark.parametrize("column,value,message", [
    ("se", 0, "row 2, column 'se' (study 'B'): se must be positive (got 0)"),
    ("vi", -0.25, "row 2, column 'vi' (study 'B'): vi must be positive (got -0.25)"),
])
def test_generic_variance_or_standard_error_must_be_positive(column, value, message):
    data = {"study": ["A", "B"], "yi": [0.1, 0.2], column: [0.04, value]}
    assert str(_error(data, "GEN")) == message


def test_a_subgroup_needs_a_label_and_names_the_subgroup_of_a_duplicate():
    data = dict(BINARY, study=["A", "A"], time=["6 m", None])
    assert str(_error(data, "RR", "time")) == "row 2, column 'time' (study 'A'): missing subgroup"
    data = dict(BINARY, study=["A", "A"], time=["6 m", " 6 m"])
    assert str(_error(data, "RR", "time")) == ("row 2, column 'study' (study 'A'): duplicate study name within "
                                               "subgroup '6 m' (also on row 1)")


def test_boundary_values_are_accepted():
    # 2 participants per group, events equal to n, events 0
    table = read_study_table(pd.DataFrame({"study": ["A"], "events1": [2], "n1": [2], "events2": [0], "n2": [2]}),
                             "RR")
    assert table.data == ({"events1": 2, "n1": 2, "events2": 0, "n2": 2},)
    assert table.subgroups == (None,)  # no subgroup column: no subgroup (null in the JSON), not an empty label


def _bad_rows(k):
    return pd.DataFrame({"study": [f"S{i}" for i in range(k)], "n1": [10] * k, "mean1": [1.0] * k,
                         "sd1": [-1.0] * k, "n2": [10] * k, "mean2": [0.0] * k, "sd2": [1.0] * k})


def test_every_bad_row_is_listed_up_to_twenty():
    with pytest.raises(StudyDataError) as info:
        read_study_table(_bad_rows(20), "MD")
    lines = str(info.value).split("\n")
    assert len(lines) == 21 and lines[-1] == "error: 20 bad rows; nothing was pooled"  # all 20 listed: no "(… listed)"
    assert lines[0] == "row 1, column 'sd1' (study 'S0'): SD must be positive (got -1)"
    assert lines[19] == "error: row 20, column 'sd1' (study 'S19'): SD must be positive (got -1)"
    with pytest.raises(StudyDataError) as info:
        read_study_table(_bad_rows(21), "MD")
    lines = str(info.value).split("\n")
    assert len(lines) == 21 and lines[-1] == "error: 21 bad rows (20 listed); nothing was pooled"
    error = info.value
    assert (error.row, error.column, error.study, len(error.others)) == (1, "sd1", "S0", 20)


def test_located_errors_name_the_file_and_its_lines():
    frame = pd.DataFrame(dict(BINARY, study=["A", "A"]))
    frame.loc[0, "events2"] = 12
    with pytest.raises(StudyDataError) as info:
        read_study_table(frame, "OR")
    located = info.value.located("data.csv", [2, 4])  # data row 2 is on line 4 (a blank line before it)
    assert str(located) == ("data.csv, line 2, column 'events2' (study 'A'): events (12) exceed n2 (11)\n"
                            "error: data.csv, line 4, column 'study' (study 'A'): duplicate study name (also on line 2)"
                            "\nerror: 2 bad rows; nothing was pooled")
    assert (located.line, located.path, located.others[0].line, located.others[0].other_row) == (2, "data.csv", 4, 1)
    assert isinstance(located, InputError)


def test_the_checked_table_keeps_the_cells_as_given_and_the_numbers_as_arrays():
    frame = pd.DataFrame({" study ": ["A", " B "], "yi": [0.5, -1], " se": ["0.25", 2], "group": ["x", "y"],
                          "note": ["ignored", None]})
    table = read_study_table(frame, "gen", "group")
    assert table.measure == "GEN" and len(table) == 2
    assert table.studies == ("A", "B") and table.subgroups == ("x", "y")
    assert table.data == ({"yi": 0.5, "se": 0.25}, {"yi": -1, "se": 2})
    assert isinstance(table.data[1]["yi"], int) and isinstance(table.data[0]["se"], float)
    assert sorted(table.columns) == ["se", "vi", "yi"]
    assert table.columns["vi"].tolist() == [0.0625, 4.0]  # vi = se²
    second = table.select(np.array([False, True]))
    assert (second.measure, second.studies, second.subgroups, second.data) == ("GEN", ("B",), ("y",),
                                                                               ({"yi": -1, "se": 2},))
    assert second.columns["vi"].tolist() == [4.0]


def test_generic_variances_are_taken_as_they_are():
    table = read_study_table(pd.DataFrame({"study": ["A"], "yi": [0.1], "vi": [0.09]}), "GEN")
    assert sorted(table.columns) == ["vi", "yi"] and math.isclose(table.columns["vi"][0], 0.09)


@pytest.mark.parametrize("frame,measure,subgroup,message", [
    (pd.DataFrame({"study": ["A"], "n1": [1], "mean1": [1], "sd1": [1], "n2": [1], "mean2": [1]}), "MD", None,
     "column 'sd2': missing column 'sd2' (needed by measure MD; the table has: study, n1, mean1, sd1, n2, mean2)"),
    (pd.DataFrame(BINARY), "RR", "time",
     "column 'time': missing column 'time' (needed by the subgroup column; the table has: study, events1, n1, "
     "events2, n2)"),
    (pd.DataFrame(), "OR", None,
     "column 'study': missing column 'study' (needed by measure OR; the table has: no columns)"),
    (pd.DataFrame({"study": [], "yi": [], "se": []}), "GEN", None, "the study table has no rows"),
    (pd.DataFrame({"study": ["A"], "yi": [0.1], "se": [0.2], "vi": [0.04]}), "GEN", None,
     "column 'vi': measure GEN takes either an 'se' or a 'vi' column, not both"),
])
def test_table_level_problems_are_input_errors(frame, measure, subgroup, message):
    with pytest.raises(InputError) as info:
        read_study_table(frame, measure, subgroup)
    assert str(info.value) == message
    assert not isinstance(info.value, StudyDataError)


def test_required_columns_of_each_measure():
    assert required_columns("SMD") == ("n1", "mean1", "sd1", "n2", "mean2", "sd2")
    assert required_columns("PETO") == ("events1", "n1", "events2", "n2")
    assert required_columns("GEN", ["study", "yi", "se"]) == ("yi", "se")
    assert required_columns("GEN", ["study", "yi", "vi"]) == ("yi", "vi")
    with pytest.raises(InputError) as info:
        required_columns("GEN", ["yi", "se", "vi"])
    assert info.value.column == "vi"
    with pytest.raises(SysrevError) as info:
        required_columns("HR")
    assert str(info.value) == "unknown measure 'HR' (choose one of MD, SMD, RR, OR, RD, PETO, GEN)"
