"""Item 17: CSV files written for spreadsheets never hold a cell a spreadsheet would run as a formula."""

import csv

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.fileio import spreadsheet_safe

IDS = ["=1+1", "+SUM(A1:A9)", "@cmd", "-2+3", "plain-id"]


def test_dedup_clusters_and_uncertain_pairs_neutralise_formula_cells(tmp_path):
    ris = tmp_path / "refs.ris"
    ris.write_text("".join(f"TY  - JOUR\nID  - {rid}\nTI  - =HYPERLINK(\"http://x\") study number {n} of pain\n"
                           f"PY  - 2020\nER  - \n" for n, rid in enumerate(IDS)), encoding="utf-8")
    out, uncertain = tmp_path / "clusters.csv", tmp_path / "uncertain.csv"
    result = CliRunner().invoke(cli, ["dedup", "run", str(ris), "--clusters", str(out),
                                      "--uncertain", str(uncertain)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        written = [row["record_id"] for row in csv.DictReader(fh)]
    assert written == ["'=1+1", "'+SUM(A1:A9)", "'@cmd", "'-2+3", "plain-id"]
    with uncertain.open(encoding="utf-8", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_numbers_and_ordinary_text_are_left_alone():
    assert [spreadsheet_safe(v) for v in ("-0.5", "+3", "1e-3", "Smith 2020", "", None)] == \
        ["-0.5", "+3", "1e-3", "Smith 2020", "", ""]
    assert spreadsheet_safe("\t=1") == "'\t=1"
