"""Judgements in the shapes other stages use (docs/rob.md "plot" and "table"): which forms an outcome selects,
the row labels of the figures, and the weights file of the weighted summary plot with its errors."""

import json

import pytest

from sysrev.errors import InputError
from sysrev.rob.form import Assessment
from sysrev.rob.summary import load_weights, plot_rows, select


def assessment(study, outcome):
    return Assessment(study=study, outcome=outcome)


def test_an_outcome_is_selected_by_its_exact_name_first_then_in_any_case():
    forms = [assessment("A", "Pain"), assessment("B", "pain"), assessment("C", "function")]
    assert [a.study for a in select(forms, "pain")] == ["B"]
    assert [a.study for a in select(forms, "Pain")] == ["A"]
    assert [a.study for a in select(forms[::2], "PAIN")] == ["A"]  # no exact match: case-insensitive
    assert [a.study for a in select(forms[::2], "Function")] == ["C"]
    assert select(forms, "sleep") == []
    assert [a.study for a in select(forms, None)] == ["A", "B", "C"]


def test_figure_rows_name_the_outcome_only_when_several_are_shown():
    one = plot_rows([assessment("Park 2013", "pain"), assessment("Jee 2014", "pain")])
    assert [label for label, _ in one] == ["Jee 2014", "Park 2013"]  # alphabetical
    two = plot_rows([assessment("Park 2013", "pain"), assessment("Park 2013", "function")])
    assert [label for label, _ in two] == ["Park 2013 (function)", "Park 2013 (pain)"]
    assert two[0][1] == {"D1": None, "D2": None, "D3": None, "D4": None, "D5": None, "overall": None}


def test_a_weights_csv_saved_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("\ufeffstudy,weight\nPark 2013 , 2.5\nJee 2014,7\n".encode("utf-8"))
    assert load_weights(path) == {"Park 2013": 2.5, "Jee 2014": 7.0}


@pytest.mark.parametrize("header", ["study,w", "name,weight", ""])
def test_a_weights_csv_without_study_and_weight_columns_is_an_error_on_line_1(tmp_path, header):
    path = tmp_path / "w.csv"
    path.write_text(f"{header}\nPark 2013,2.5\n" if header else "", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_weights(path)
    assert (err.value.path, err.value.line) == (path, 1)
    assert str(err.value).endswith(": expected a CSV header with the columns study,weight")


def test_a_weight_that_is_not_a_number_names_file_line_and_column(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("study,weight\nPark 2013,2.5\nJee 2014,n/a\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_weights(path)
    assert (err.value.path, err.value.line, err.value.column) == (path, 3, "weight")
    assert "weight 'n/a' is not a number" in str(err.value)


def test_a_missing_weights_file_is_named(tmp_path):
    with pytest.raises(InputError) as err:
        load_weights(tmp_path / "nowhere.csv")
    assert err.value.path == tmp_path / "nowhere.csv"
    assert str(err.value).endswith("file not found")


def test_json_rows_with_the_same_label_are_added_up(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"studies": [{"study": "Park 2013", "weight": 10}, {"study": "Jee 2014", "weight": 5},
                                            {"study": "Park 2013", "weight": 2.5}]}), encoding="utf-8")
    assert load_weights(path) == {"Park 2013": 12.5, "Jee 2014": 5.0}


@pytest.mark.parametrize("content, problem", [
    ('{"studies": [{"study": "A"}]}', "KeyError"),
    ('{"studies": [{"study": "A", "weight": "heavy"}]}', "ValueError"),
    ('{"studies": 5}', "TypeError"),
    ("[1, 2]", "AttributeError"),
    ("not json", "JSONDecodeError"),
])
def test_a_json_weights_file_of_another_shape_is_explained(tmp_path, content, problem):
    path = tmp_path / "w.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_weights(path)
    assert err.value.path == path
    assert "expected a JSON object with studies[{study, weight}] (or result.studies[…], as `sysrev meta run` " \
           f"writes) ({problem}: " in str(err.value)


def test_two_forms_for_one_study_and_outcome_still_give_figure_rows():
    # `rob check` reports the second form as an error; the figures must not fail on it meanwhile
    second = assessment("Park 2013", "pain")
    second.domains["D1"].answers.update({"1.1": "Y", "1.2": "N", "1.3": "N"})  # 1.2 N: not concealed → high
    rows = plot_rows([assessment("Park 2013", "pain"), assessment("Jee 2014", "pain"), second])
    assert [(label, judgements["D1"]) for label, judgements in rows] == [
        ("Jee 2014", None), ("Park 2013", None), ("Park 2013", "high")]
