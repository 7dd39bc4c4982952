"""A hand-edited table a spreadsheet saved with semicolons or tabs (a locale whose decimal mark is a comma) is
refused with what to do, not read as one column named ``study;outcome;…`` (sysrev/hand_tables.py)."""

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.hand_tables import read_table

ADVICE = ("not commas (a spreadsheet saved the file in a locale whose decimal mark is a comma): save it as CSV "
          "UTF-8 (comma delimited), with a point as the decimal mark")


@pytest.mark.parametrize("separator, name", [(";", "semicolons"), ("\t", "tabs")])
@pytest.mark.parametrize("blank_lines", [0, 2])
def test_a_table_with_other_separators_is_refused_at_its_header(tmp_path, separator, name, blank_lines):
    path = tmp_path / "pain.csv"
    path.write_text("\n" * blank_lines + separator.join(["study", "arm", "mean"]) + "\r\n"
                    + separator.join(["Able 2020", "T", "1,5"]) + "\r\n", encoding="utf-8")
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


def test_extract_check_names_the_file_that_a_spreadsheet_resaved(tmp_path):
    root = tmp_path / "review"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root), "--no-input", "--no-git", "--outcome", "pain"]).exit_code == 0
    table = root / "analysis" / "extraction" / "pain.csv"
    header = table.read_text(encoding="utf-8").splitlines()[0]
    table.write_text(header.replace(",", ";") + "\nAble 2020;pain;;;intervention;10;1,5;0,5;;;;;;;\n",
                     encoding="utf-8")
    result = runner.invoke(cli, ["extract", "check", "--project", str(root)])
    assert result.exit_code == 2
    assert f"{table}, line 1: the cells are separated by semicolons, {ADVICE}" in result.output, result.output
