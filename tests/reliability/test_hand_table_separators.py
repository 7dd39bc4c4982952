"""A hand-edited table a spreadsheet saved with semicolons or tabs (a locale whose decimal mark is a comma) is
refused with what to do, not read as one column named ``study;outcome;…`` (sysrev/hand_tables.py)."""

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.hand_tables import decimal_comma_hint, read_table

ADVICE = ("not commas (a spreadsheet saved the file in a locale whose decimal mark is a comma): save it as CSV "
          "UTF-8 (comma delimited), with a point as the decimal mark")


@pytest.mark.parametrize("separator, name", [(";", "semicolons"), ("\t", "tabs")])
@pytest.mark.parametrize("blank_lines, columns", [(0, ["study", "arm", "mean"]), (2, ["study", "arm", "mean"]),
                                                  (0, ["study", "mean"])])
def test_a_table_with_other_separators_is_refused_at_its_header(tmp_path, separator, name, blank_lines, columns):
    path = tmp_path / "pain.csv"
    path.write_text("\n" * blank_lines + separator.join(columns) + "\r\n"
                    + separator.join(["Able 2020", "T", "1,5"][-len(columns):]) + "\r\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_table(path)
    assert str(info.value) == f"{path}, line {blank_lines + 1}: the cells are separated by {name}, {ADVICE}"


@pytest.mark.parametrize("text", [
    "study,arm,note\nAble 2020,T,a; b\n",  # commas between cells, semicolons inside one
    'study,"arm;group"\nAble,T\n',
    "study\nAble 2020; Baker 2021\n",  # one column: nothing to say it was split otherwise
    "study;\nAble;\n",
    "",
])
def test_a_comma_table_or_a_single_column_is_read_as_it_is(tmp_path, text):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    assert read_table(path) == text


def new_review_with_a_pain_table(tmp_path):
    """A project from `sysrev init` with one outcome: (root, a CLI runner, its pain.csv, the table's header)."""
    root = tmp_path / "review"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root), "--no-input", "--no-git", "--outcome", "pain"]).exit_code == 0
    table = root / "analysis" / "extraction" / "pain.csv"
    return root, runner, table, table.read_text(encoding="utf-8").splitlines()[0]


def test_extract_check_names_the_file_that_a_spreadsheet_resaved(tmp_path):
    root, runner, table, header = new_review_with_a_pain_table(tmp_path)
    table.write_text(header.replace(",", ";") + "\nAble 2020;pain;;;intervention;10;1,5;0,5;;;;;;;\n",
                     encoding="utf-8")
    result = runner.invoke(cli, ["extract", "check", "--project", str(root)])
    assert result.exit_code == 2
    assert f"{table}, line 1: the cells are separated by semicolons, {ADVICE}" in result.output, result.output


@pytest.mark.parametrize("cell, hint", [
    ("12,5", "12.5"), (" -0,25 ", "-0.25"), ("+1,5", "+1.5"), (",5", ".5"),
    ("12.5", None), ("12,", None), ("1,2,3", None), ("a,5", None), ("12,5 mg", None), ("", None),
])
def test_a_decimal_comma_gets_a_hint_with_the_number_written_with_a_point(cell, hint):
    expected = f" (a decimal comma? write {hint}: the decimal mark is a point)" if hint else ""
    assert decimal_comma_hint(cell) == expected


def test_a_decimal_comma_in_an_extraction_table_is_named_with_the_fix(tmp_path):
    root, runner, table, header = new_review_with_a_pain_table(tmp_path)
    cells = dict.fromkeys(header.split(","), "")
    cells.update(study="Able 2020", outcome="pain", arm="intervention", n="10", mean='"1,5"', sd="0.5")
    table.write_text(header + "\n" + ",".join(cells.values()) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", "check", "--project", str(root)])
    assert result.exit_code == 2
    assert "'1,5' is not a number (a decimal comma? write 1.5: the decimal mark is a point)" in result.output, \
        result.output
