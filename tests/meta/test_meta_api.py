"""`sysrev.meta.meta_analysis` as other stages call it (contract 1): errors, edge cases, JSON safety."""

import json

import pandas as pd
import pytest

from sysrev.errors import InputError, SysrevError
from sysrev.meta import MetaResult, meta_analysis


def test_bad_cell_raises_input_error_naming_row_column_and_study():
    frame = pd.DataFrame({"study": ["A", "B"], "n1": [10, 10], "mean1": [1.0, 2.0], "sd1": [1.0, "n/a"],
                          "n2": [10, 10], "mean2": [0.5, 1.0], "sd2": [1.0, 1.0]})
    with pytest.raises(InputError) as info:
        meta_analysis(frame, "MD")
    assert str(info.value) == "row 2, column 'sd1' (study 'B'): not a number: 'n/a'"
    assert info.value.column == "sd1"


def test_result_is_a_meta_result_and_its_dict_is_strict_json(bcg_frame):
    result = meta_analysis(bcg_frame, "RR", model="random", subgroup="alloc")
    assert isinstance(result, MetaResult)
    text = json.dumps(result.to_dict(), allow_nan=False)
    assert json.loads(text)["k"] == 13


def test_generic_inverse_variance_accepts_se_or_vi_but_not_both():
    se = pd.DataFrame({"study": ["A", "B", "C"], "yi": [0.1, 0.3, -0.2], "se": [0.1, 0.2, 0.3]})
    vi = se.assign(vi=se.se**2).drop(columns="se")
    assert (meta_analysis(se, "GEN").to_dict()["estimate"]
            == pytest.approx(meta_analysis(vi, "GEN").to_dict()["estimate"]))
    with pytest.raises(InputError, match="not both"):
        meta_analysis(se.assign(vi=se.se**2), "GEN")


def test_confidence_level_changes_the_interval(bcg_frame):
    r95 = meta_analysis(bcg_frame, "OR").to_dict()
    r90 = meta_analysis(bcg_frame, "OR", level=90).to_dict()
    assert r90["ci_low"] > r95["ci_low"] and r90["ci_high"] < r95["ci_high"]
    assert r90["estimate"] == r95["estimate"]


def test_single_study_subgroup_reports_its_own_interval_and_no_heterogeneity():
    frame = pd.DataFrame({"study": ["A", "B", "C"], "yi": [0.1, 0.3, -0.2], "se": [0.1, 0.2, 0.3],
                          "group": ["x", "x", "y"]})
    r = meta_analysis(frame, "GEN", model="random", tau2="REML", ci="hksj", subgroup="group").to_dict()
    single = r["subgroups"]["y"]
    assert single["k"] == 1 and single["ci"] == "z" and single["estimate"] == pytest.approx(-0.2)
    assert single["I2"] is None and single["Q_p"] is None and single["pi_low"] is None
    assert single["tau2"] is None and single["tau"] is None and single["tau2_ci_low"] is None
    assert r["ci"] == "hksj" and r["subgroup_test"]["df"] == 1 and r["tau2"] is not None  # k = 3 overall


@pytest.mark.parametrize("option,value", [("measure", "HR"), ("model", "mixed"), ("tau2", "GENQ"), ("ci", "t"),
                                          ("smd", "cohen"), ("zero", "none"), ("level", 100)])
def test_unknown_options_are_rejected(bcg_frame, option, value):
    kwargs = {"measure": "RR", option: value}
    with pytest.raises(SysrevError):
        meta_analysis(bcg_frame, **kwargs)


def test_all_studies_without_events_is_a_clear_error():
    frame = pd.DataFrame({"study": ["A", "B"], "events1": [0, 0], "n1": [10, 12], "events2": [0, 0], "n2": [11, 9]})
    with pytest.raises(SysrevError, match="no study has an estimable effect"):
        meta_analysis(frame, "OR", method="IV")


def test_hksj_with_identical_estimates_has_no_test_statistic_and_stays_valid_json():
    frame = pd.DataFrame({"study": ["A", "B", "C"], "yi": [0.2, 0.2, 0.2], "se": [0.1, 0.2, 0.3]})
    r = meta_analysis(frame, "GEN", model="random", ci="hksj").to_dict()
    assert r["estimate"] == pytest.approx(0.2) and r["se"] == 0.0 and r["z"] is None and r["p"] is None
    json.dumps(r, allow_nan=False)
