"""`sysrev meta pool` names every bad row of the CSV (up to 20, with the count), not only the first."""

from click.testing import CliRunner

from sysrev.cli.main import cli

HEADER = "study,n1,mean1,sd1,n2,mean2,sd2\n"


def test_every_bad_row_is_named(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(HEADER + "A,20,1.0,0,20,2.0,1.0\n" + "B,20,1.0,1.0,20,2.0,1.0\n" + "C,20,x,1.0,20,2.0,1.0\n"
                    + "D,1,1.0,1.0,20,2.0,1.0\n")
    result = CliRunner().invoke(cli, ["meta", "pool", str(data), "--measure", "MD"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines == [
        f"error: {data}, line 2, column 'sd1' (study 'A'): SD must be positive (got 0)",
        f"error: {data}, line 4, column 'mean1' (study 'C'): not a number: 'x'",
        f"error: {data}, line 5, column 'n1' (study 'D'): a group needs at least 2 participants (got 1)",
        "error: 3 bad rows; nothing was pooled",
    ]


def test_many_bad_rows_are_capped_with_a_count(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(HEADER + "".join(f"S{i},20,1.0,-1,20,2.0,1.0\n" for i in range(30)))
    result = CliRunner().invoke(cli, ["meta", "pool", str(data), "--measure", "MD"])
    assert result.exit_code == 2
    named = [line for line in result.stderr.splitlines() if "SD must be positive" in line]
    assert len(named) == 20 and "line 21," in named[-1]
    assert result.stderr.splitlines()[-1] == "error: 30 bad rows (20 listed); nothing was pooled"
