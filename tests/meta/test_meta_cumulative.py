"""Cumulative meta-analysis: ordering, steps, errors, the command line and the plot."""

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.meta import meta_analysis
from sysrev.meta.cumulative import cumulative, stable_order


def _table():
    # three trials; hand check of the fixed-effect MD: step 2 pools A (MD 1, var 2/10) and C (MD 3, var 2/10)
    return pd.DataFrame({
        "study": ["A", "B", "C"],
        "n1": [10, 10, 10], "mean1": [1, 2, 3], "sd1": [1, 1, 1],
        "n2": [10, 10, 10], "mean2": [0, 0, 0], "sd2": [1, 1, 1],
        "year": ["2001", "2010", "2005"],
    })


def test_steps_follow_the_order_column_and_pool_the_studies_so_far():
    result = cumulative(_table(), "year", "MD")
    assert [s["study"] for s in result.steps] == ["A", "C", "B"]
    assert [s["k"] for s in result.steps] == [1, 2, 3]
    assert result.steps[0]["estimate"] == pytest.approx(1.0)
    # equal variances (1/10 + 1/10 = 0.2): the fixed-effect mean of 1 and 3 is 2 with variance 0.2/2
    assert result.steps[1]["estimate"] == pytest.approx(2.0)
    assert result.steps[1]["se"] == pytest.approx(math.sqrt(0.1))
    # the last step is the full analysis
    full = meta_analysis(_table(), "MD").to_dict()
    for name in ("estimate", "ci_low", "ci_high", "Q", "I2"):
        assert result.steps[-1][name] == pytest.approx(full[name])


def test_descending_and_ties_keep_table_order():
    assert stable_order([2, 1, 2, 1]) == [1, 3, 0, 2]
    assert stable_order([2, 1, 2, 1], descending=True) == [0, 2, 1, 3]


def test_dates_order_and_mixing_is_an_error():
    table = _table()
    table["entered"] = ["2024-03-01", "2023-12-31", "2024-01-15"]
    assert [s["study"] for s in cumulative(table, "entered", "MD").steps] == ["B", "C", "A"]
    table["entered"] = ["2024-03-01", "2023", "2024-01-15"]
    with pytest.raises(InputError, match="mix numbers and dates"):
        cumulative(table, "entered", "MD")


def test_missing_order_value_names_the_study():
    table = _table()
    table.loc[1, "year"] = ""
    with pytest.raises(InputError, match=r"row 2, column 'year' \(study 'B'\): no order value"):
        cumulative(table, "year", "MD")


def test_double_zero_study_gets_no_step():
    table = pd.DataFrame({"study": ["A", "B", "C"], "events1": [3, 0, 5], "n1": [20, 20, 20],
                          "events2": [6, 0, 9], "n2": [20, 20, 20], "year": [1990, 1991, 1992]})
    result = cumulative(table, "year", "RR", method="IV")
    assert [s["study"] for s in result.steps] == ["A", "C"]
    assert result.not_estimable == ["B"]


def test_cli_table_json_and_plot(tmp_path, write_file):
    path = write_file("data.csv", "study,n1,mean1,sd1,n2,mean2,sd2,year\nA,10,1,1,10,0,1,2001\nB,10,2,1,10,0,1,2010\n"
                                  "C,10,3,1,10,0,1,2005\n")
    runner = CliRunner()
    out = runner.invoke(cli, ["meta", "cumulative", str(path), "--measure", "MD", "--json",
                              "--plot", str(tmp_path / "cum.svg")])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert [s["study"] for s in summary["steps"]] == ["A", "C", "B"]
    assert summary["steps"][1]["estimate"] == pytest.approx(2.0)
    svg = (tmp_path / "cum.svg").read_text(encoding="utf-8")
    assert "+ C (2005)" in svg and "Cumulative Mean Difference" in svg
    table = runner.invoke(cli, ["meta", "cumulative", str(path), "--measure", "MD"])
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[4].startswith("C ") and "2.00 [" in lines[4]


def test_cli_errors(tmp_path, write_file):
    path = write_file("data.csv", "study,n1,mean1,sd1,n2,mean2,sd2,year\nA,10,1,1,10,0,1,2001\nB,10,2,1,10,0,1,\n")
    runner = CliRunner()
    out = runner.invoke(cli, ["meta", "cumulative", str(path), "--measure", "MD"])
    assert out.exit_code == 2
    assert "line 3, column 'year' (study 'B'): no order value" in out.output
    out = runner.invoke(cli, ["meta", "cumulative", str(path), "--measure", "MD", "--order-by", "entered"])
    assert out.exit_code == 2 and "no column 'entered'" in out.output
    out = runner.invoke(cli, ["meta", "cumulative", str(path)])
    assert out.exit_code == 2 and "--measure is required" in out.output
    out = runner.invoke(cli, ["meta", "cumulative", str(path), "--measure", "MD", "--plot", str(tmp_path / "x.pdf")])
    assert out.exit_code == 2 and not (tmp_path / "x.pdf").exists()
