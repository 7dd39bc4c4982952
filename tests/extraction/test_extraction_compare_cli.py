"""Double extraction (`sysrev extract compare`) and `sysrev extract convert`."""

import csv

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.extraction.compare import MARKER, compare_paths
from sysrev.extraction.table import COLUMNS, read_outcome_rows

HEADER = ",".join(COLUMNS)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def extractor(tmp_path, name, rows):
    folder = tmp_path / "extractors" / name
    folder.mkdir(parents=True)
    (folder / "pain.csv").write_text(HEADER + "\n" + "".join(r + "\n" for r in rows))
    return folder


ANNA = [
    "Trial A,pain,,2 weeks,US,30,3.1,1.2,,VAS,Table 2,,,,",
    "Trial A,pain,,2 weeks,FL,29,3.4,1.5,,VAS,Table 2,,,,seen in table",
    "Trial B,pain,,2 weeks,US,20,5,2,,VAS,p. 4,,,,",
]
BEN = [
    "Trial A,pain,,2 weeks,US,30,3.10,1.2,,VAS,Table 2,,,,",
    "Trial A,pain,,2 weeks,FL,29,3.4,1.6,,VAS,Table 3,,,,",
]


def test_compare_cell_by_cell_and_consensus(tmp_path):
    a, b = extractor(tmp_path, "anna", ANNA), extractor(tmp_path, "ben", BEN)
    out, report = tmp_path / "consensus", tmp_path / "report.csv"
    ((name, c),) = compare_paths(a, b, out, report)
    assert name == "pain.csv" and (c.name_a, c.name_b) == ("anna", "ben")
    assert [(d.key[0], d.key[4], d.column, d.a, d.b) for d in c.discrepancies] == [
        ("Trial A", "FL", "sd", "1.5", "1.6"),
        ("Trial A", "FL", "source", "Table 2", "Table 3"),
        ("Trial B", "US", "(row)", "present", "missing"),
    ]
    assert (c.cells_compared, c.cells_agreed) == (8, 7)  # 3.1 == 3.10: numbers compared as numbers
    rows = {(r.study, r.arm): r for r in read_outcome_rows(out / "pain.csv")}
    agreed, disputed, single = rows[("Trial A", "US")], rows[("Trial A", "FL")], rows[("Trial B", "US")]
    assert (agreed.n, agreed.mean, agreed.sd, agreed.note) == (30, 3.1, 1.2, "")
    assert disputed.sd is None and disputed.mean == 3.4
    assert disputed.note.startswith(f"{MARKER} sd: anna=1.5, ben=1.6.") and disputed.note.endswith("seen in table")
    assert disputed.source == "anna: Table 2 | ben: Table 3"
    assert single.n is None and "row extracted by anna only (n=20, mean=5, sd=2, scale=VAS)" in single.note
    lines = list(csv.reader(report.read_text().splitlines()))
    assert lines[0] == ["study", "outcome", "item", "timepoint", "arm", "column", "anna", "ben"]
    assert ["Trial A", "pain", "", "2 weeks", "FL", "sd", "1.5", "1.6"] in lines


def test_compare_command_output(tmp_path):
    a, b = extractor(tmp_path, "anna", ANNA), extractor(tmp_path, "ben", BEN)
    result = run("extract", "compare", a / "pain.csv", b / "pain.csv", "--out", tmp_path / "c.csv")
    assert result.exit_code == 0, result.output
    assert "pain.csv: 7/8 value cells agree (88%), 3 discrepancy(ies)" in result.stdout
    assert "Trial A / pain / 2 weeks / FL: sd: anna=1.5  ben=1.6" in result.stdout
    assert (tmp_path / "c.csv").exists()


def test_convert_prints_a_row_with_raw_and_method(tmp_path):
    result = run("extract", "convert", "median-iqr", "--median", "4", "--q1", "2", "--q3", "8", "--n", "39",
                 "--study", "Trial C", "--outcome", "pain", "--arm", "US", "--timepoint", "1 month",
                 "--source", "Table 3")
    assert result.exit_code == 0, result.stderr
    (row,) = list(csv.DictReader(result.stdout.splitlines()))
    assert row["study"] == "Trial C" and row["n"] == "39" and row["source"] == "Table 3"
    assert float(row["mean"]) == 0.71 * 5 + 0.29 * 4
    assert row["raw"] == "median=4; q1=2; q3=8; n=39" and "Wan et al. 2014" in row["method"]


def test_convert_append_and_refuse_duplicate(tmp_path):
    target = tmp_path / "pain.csv"
    args = ["extract", "convert", "sd-from-se", "--se", "0.5", "--n", "25", "--mean", "3.2",
            "--study", "Trial C", "--outcome", "pain", "--arm", "US", "--append", target]
    assert run(*args).exit_code == 0
    (row,) = read_outcome_rows(target)
    assert (row.n, row.mean, row.sd) == (25, 3.2, 2.5) and row.raw == "SE=0.5; n=25; mean=3.2"
    again = run(*args)
    assert again.exit_code == 2 and "already holds this" in again.stderr


def test_append_refuses_a_table_whose_last_row_may_be_cut_off(tmp_path):
    """A reader only warns about a last row without a line break; --append would rewrite the file and end that
    row with one, so a value cut off by an interrupted copy (`25` of `250`) would pass for complete: refused,
    the file untouched, until the row is checked and the line break added."""
    target = tmp_path / "pain.csv"
    args = ["extract", "convert", "sd-from-se", "--se", "0.5", "--n", "25", "--mean", "3.2",
            "--study", "Trial C", "--outcome", "pain", "--arm", "US", "--append", target]
    assert run(*args).exit_code == 0
    complete = target.read_bytes()
    cut = complete.rstrip(b"\r\n")
    target.write_bytes(cut)
    refused = run(*[a if a != "Trial C" else "Trial D" for a in args])
    assert refused.exit_code == 2 and "line 2" in refused.stderr and "nothing was appended" in refused.stderr
    assert target.read_bytes() == cut
    target.write_bytes(cut + b"\n")  # the reviewer checked the row and ended the file
    assert run(*[a if a != "Trial C" else "Trial D" for a in args]).exit_code == 0
    assert [r.study for r in read_outcome_rows(target)] == ["Trial C", "Trial D"]


def test_convert_change_sd_carries_the_change_marker():
    result = run("extract", "convert", "change-sd", "--sd-baseline", "4", "--sd-final", "3", "--r", "0.5")
    (row,) = list(csv.DictReader(result.stdout.splitlines()))
    assert row["method"].startswith("change from baseline:") and float(row["sd"]) == round(13 ** 0.5, 6)


def test_convert_combine_arms_needs_a_complete_set():
    result = run("extract", "convert", "combine-arms", "--n1", "10", "--mean1", "2", "--n2", "12")
    assert result.exit_code == 2 and "give --mean1 --sd1 --mean2 --sd2" in result.stderr
    ok = run("extract", "convert", "combine-arms", "--n1", "10", "--events1", "2", "--n2", "12", "--events2", "3")
    (row,) = list(csv.DictReader(ok.stdout.splitlines()))
    assert (row["events"], row["n"]) == ("5", "22")


def test_study_characteristics_are_compared_too(tmp_path):
    a, b = extractor(tmp_path, "anna", ANNA), extractor(tmp_path, "ben", BEN)
    (a / "studies.csv").write_text("study,country,n_randomised,n_analysed,note\n"
                                   "Trial A,Korea,60,59,\nTrial B,Japan,40,,\n")
    (b / "studies.csv").write_text("study,country,n_randomised,n_analysed,note\n"
                                   "Trial A,South Korea,60.0,57,from CONSORT chart\n")
    out = tmp_path / "consensus"
    out.mkdir()
    results = dict(compare_paths(a, b, out, tmp_path / "report.csv"))
    studies = results["studies.csv"]
    assert [(d.key[0], d.column, d.a, d.b) for d in studies.discrepancies] == [
        ("Trial A", "country", "Korea", "South Korea"),
        ("Trial A", "n_analysed", "59", "57"),
        ("Trial B", "(row)", "present", "missing"),
    ]
    assert (studies.cells_compared, studies.cells_agreed) == (3, 1)  # 60 == 60.0
    rows = {r["study"]: r for r in csv.DictReader((out / "studies.csv").read_text().splitlines())}
    assert rows["Trial A"]["n_randomised"] == "60" and rows["Trial A"]["n_analysed"] == ""
    assert rows["Trial A"]["country"] == "anna: Korea | ben: South Korea"
    assert rows["Trial A"]["note"] == f"{MARKER} n_analysed: anna=59, ben=57. from CONSORT chart"
    assert rows["Trial B"]["note"].startswith(f"{MARKER} study extracted by anna only")
    report = list(csv.reader((tmp_path / "report.csv").read_text().splitlines()))
    assert ["Trial A", "", "", "", "", "n_analysed", "59", "57"] in report


def test_unresolved_characteristic_blocks_the_check(tmp_path):
    project = tmp_path / "p"
    ext = project / "analysis" / "extraction"
    ext.mkdir(parents=True)
    (project / "review.toml").write_text('[review]\ntitle = "t"\n')
    (ext / "pain.csv").write_text(HEADER + "\n" + ANNA[0] + "\n")
    (ext / "studies.csv").write_text(f'study,n_analysed,note\nTrial A,,"{MARKER} n_analysed: anna=59, ben=57."\n')
    result = CliRunner().invoke(cli, ["extract", "check", "--project", str(project)])
    assert result.exit_code == 2
    assert "studies.csv, line 2, column 'note': Trial A: unresolved double-extraction disagreement" in result.output


def test_studies_csv_is_compared_only_with_studies_csv(tmp_path):
    a, b = extractor(tmp_path, "anna", ANNA), extractor(tmp_path, "ben", BEN)
    (a / "studies.csv").write_text("study\nTrial A\n")
    result = CliRunner().invoke(cli, ["extract", "compare", str(a / "studies.csv"), str(b / "pain.csv")])
    assert result.exit_code == 2 and "compare studies.csv with studies.csv" in result.output
