"""form.toml read into the extraction form: every setting as written, the defaults without a file, and the
refusals a schema cannot make (the study column, a bare type word, a range's order), each at its line."""

import pytest

from sysrev.config_schema import ConfigError
from sysrev.errors import InputError
from sysrev.extraction.form import DEFAULT_COLUMNS, DEFAULT_NEEDED, ExtractionForm, Scale, load_form

FORM = """# the review's form
[characteristics.columns]
study = "text"
n_randomised = "count"
age_mean = { type = "number", required = true }
[characteristics.columns.country]
required = true
description = "where the trial ran"
[characteristics.columns.study_id]
required = false

[outcome_data]
continuous = ["n", "mean"]
change_marker = "  Change From Baseline "

[scales.VAS]
higher = "worse"
range = [0, 10]

[scales.SF-36]
higher = "better"
"""


def _load(tmp_path, text):
    (tmp_path / "form.toml").write_text(text, encoding="utf-8")
    return load_form(tmp_path)


def test_every_setting_as_written(tmp_path):
    form = _load(tmp_path, FORM)
    assert form == ExtractionForm(
        columns={"study": "text", "n_randomised": "count", "age_mean": "number", "country": "text",
                 "study_id": "text"},
        required=("age_mean", "country"), needed={"continuous": ("n", "mean"), "dichotomous": ("events", "n")},
        change_marker="change from baseline",
        scales={"VAS": Scale("VAS", "worse", 0.0, 10.0), "SF-36": Scale("SF-36", "better", None, None)},
        path=tmp_path / "form.toml")


def test_without_a_form_the_defaults_apply(tmp_path):
    form = load_form(tmp_path)
    assert form == ExtractionForm() and form.columns == DEFAULT_COLUMNS and form.needed == DEFAULT_NEEDED
    assert form.path is None and form.required == () and form.change_marker == "change from baseline"


def test_study_is_never_a_required_characteristic_it_is_always_there(tmp_path):
    form = _load(tmp_path, '[characteristics.columns]\nstudy = { type = "text", required = true }\n')
    assert form.required == () and form.columns == {"study": "text"}


@pytest.mark.parametrize("text, line, message", [
    ('[characteristics.columns]\ncountry = "text"\n', 1,
     "[characteristics.columns] must include 'study' (the label every row is matched on)"),
    ('[characteristics.columns]\nstudy = "text"\ncountry = "txt"\n', 3,
     "column 'country' has type 'txt'; use one of text, count, number"),
    ('[scales.VAS]\nhigher = "worse"\nrange = [10, 0]\n', 3, "scale 'VAS': range must be [low, high] with low < high"),
    ('[scales.VAS]\nhigher = "worse"\nrange = [5, 5.0]\n', 3, "scale 'VAS': range must be [low, high] with low < high"),
])
def test_what_the_schema_cannot_see_is_refused_at_its_line(tmp_path, text, line, message):
    with pytest.raises(InputError) as info:
        _load(tmp_path, text)
    assert str(info.value) == f"{tmp_path / 'form.toml'}, line {line}: {message}"


def test_the_schema_refuses_the_rest_first(tmp_path):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, '[scales.VAS]\nhigher = "up"\n')
    assert "higher = 'up' is not one of 'worse', 'better'" in str(info.value)
