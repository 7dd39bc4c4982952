"""The checks of one extraction row, every finding in full: severity, file, line, column and message (the
label a reviewer reads, the value that is wrong, where the number is to be found)."""

from pathlib import Path

import pytest

from sysrev.extraction.check import ERROR, PENDING, WARNING, Finding, check_row
from sysrev.extraction.form import ExtractionForm, Scale
from sysrev.extraction.table import OutcomeRow

DATA = Path("analysis/extraction/data.csv")
FORM = ExtractionForm(scales={"VAS": Scale("VAS", "worse", 0.0, 10.0)})
LABEL = "Park 2013 / pain / at rest / 3 months / US"


def _row(**cells):
    values = dict(study="Park 2013", outcome="pain", item="at rest", timepoint="3 months", arm="US", n=20.0,
                  mean=3.1, sd=1.2, events=None, scale="VAS", source="Table 2", source_url="", raw="", method="",
                  note="", path=DATA, line=7)
    return OutcomeRow(**{**values, **cells})


def _found(row, kind="continuous", form=FORM):
    return [(f.severity, f.column, f.message.removeprefix(LABEL + ": ")) for f in check_row(row, kind, form)]


def test_a_complete_row_has_nothing_to_say():
    assert check_row(_row(), "continuous", FORM) == []
    assert check_row(_row(mean=None, sd=None, events=4.0), "dichotomous", FORM) == []


@pytest.mark.parametrize("cells, findings", [
    ({"n": 0.0}, [(ERROR, "n", "n = 0 must be a whole number > 0")]),
    ({"n": 1.0}, []),
    ({"n": 20.5}, [(ERROR, "n", "n = 20.5 must be a whole number > 0")]),
    ({"sd": 0.0}, [(ERROR, "sd", "SD = 0 must be > 0")]),
    ({"sd": 0.01}, []),
    ({"mean": 10.5}, [(ERROR, "mean", "mean 10.5 is outside the range of scale 'VAS' [0, 10]")]),
    ({"mean": 10.0}, []), ({"mean": 0.0}, []),
    ({"mean": -0.5}, [(ERROR, "mean", "mean -0.5 is outside the range of scale 'VAS' [0, 10]")]),
    ({"mean": 55.0, "scale": "ODI"}, []),  # a scale without a declared range
    ({"mean": None}, [(PENDING, "mean", "mean empty (see Table 2)")]),
    ({"mean": None, "sd": None, "source": "", "source_url": "https://doi.org/10.1/x"},
     [(PENDING, "mean", "mean, sd empty (see https://doi.org/10.1/x)")]),
    ({"n": None, "mean": None, "sd": None, "source": ""},
     [(PENDING, "n", "n, mean, sd empty (no source recorded yet)")]),
    ({"events": 3.0}, [(WARNING, "events", "'events' is filled but the outcome is continuous")]),
    ({"source": ""}, [(WARNING, "source", "values without a source (page, table or figure) or source_url")]),
    ({"source": "", "source_url": "https://doi.org/10.1/x"}, []),
    ({"note": "[DISAGREEMENT] mean: A=3.1, B=3.4"}, [(ERROR, "note", "unresolved double-extraction disagreement "
                                                     "(see the note); enter the agreed value and remove the "
                                                     "[DISAGREEMENT] marker")]),
    ({"method": "computed from SE"}, [(WARNING, "raw", "'method' says the value is derived but 'raw' (the "
                                                       "reported numbers) is empty")]),
    ({"method": "computed from SE", "raw": "SE 0.27"}, []),
    ({"method": "Change from baseline"}, []),  # the form's change marker: reported as is, nothing derived
])
def test_each_check_of_a_continuous_row(cells, findings):
    assert _found(_row(**cells)) == findings


@pytest.mark.parametrize("cells, findings", [
    ({"events": -1.0}, [(ERROR, "events", "events = -1 must be a whole number ≥ 0")]),
    ({"events": 2.5}, [(ERROR, "events", "events = 2.5 must be a whole number ≥ 0")]),
    ({"events": 0.0}, []), ({"events": 20.0}, []),
    ({"events": 21.0}, [(ERROR, "events", "events (21) > n (20)")]),
    ({"events": None}, [(PENDING, "events", "events empty (see Table 2)")]),
    ({"events": 2.0, "mean": 3.0, "sd": 1.0}, [(WARNING, "mean", "'mean' is filled but the outcome is dichotomous"),
                                              (WARNING, "sd", "'sd' is filled but the outcome is dichotomous")]),
])
def test_each_check_of_a_dichotomous_row(cells, findings):
    assert _found(_row(**{"mean": None, "sd": None, **cells}), "dichotomous") == findings


def test_a_row_of_an_outcome_of_unknown_type_is_pending_with_where_to_look():
    assert check_row(_row(n=None, mean=None, sd=None), None, FORM) == [Finding(
        PENDING, DATA, f"{LABEL}: no value yet and the outcome type is unknown (declare it in review.toml "
                       "[[outcomes]] type) (see Table 2)", 7, None)]


def test_the_label_leaves_out_empty_parts_and_the_finding_reads_in_full():
    [finding] = check_row(_row(item="", timepoint="", n=0.0), "continuous", FORM)
    assert str(finding) == ("error: analysis/extraction/data.csv, line 7, column 'n': Park 2013 / pain / US: "
                            "n = 0 must be a whole number > 0")
