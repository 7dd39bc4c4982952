"""`sysrev dedup FILE... --clusters OUT.csv`: any import format in, one row per input record out."""

import csv

from click.testing import CliRunner

from sysrev.cli.main import cli


def clusters(path):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["record_id"]: r["cluster_id"] for r in rows}, rows


def test_latin1_ris_and_csv_are_clustered_with_their_own_ids(own_fixtures, tmp_path):
    out = tmp_path / "clusters.csv"
    queue = tmp_path / "uncertain.csv"
    result = CliRunner().invoke(cli, ["dedup", str(own_fixtures / "dedup" / "latin1_endnote.ris"),
                                      str(own_fixtures / "dedup" / "more_refs.csv"), "--clusters", str(out),
                                      "--uncertain", str(queue)])
    assert result.exit_code == 0, result.output
    assert "cp1252" in result.output or "Latin-1" in result.output  # the encoding is reported, not guessed silently
    assert "records: 6" in result.output and "uncertain pairs:" in result.output
    ids, rows = clusters(out)
    assert len(rows) == 6 and list(rows[0]) == ["record_id", "cluster_id"]
    # the Latin-1 record (Müller, anæmia, "Bêta") is the same paper as the plain-ASCII CSV row
    assert ids["ris1"] == ids["c1"]
    # no title, and absurd years (1, 99999): never merged on that little evidence
    assert len({ids["ris2"], ids["c1"], ids["c2"], ids["c3"], ids["c4"]}) == 5
    assert queue.read_text(encoding="utf-8").startswith("record_a,record_b,reason")


def test_id_column_option_and_its_errors(own_fixtures, tmp_path):
    out = tmp_path / "clusters.csv"
    refs = str(own_fixtures / "dedup" / "more_refs.csv")
    result = CliRunner().invoke(cli, ["dedup", refs, "--clusters", str(out), "--id-column", "accession"])
    assert result.exit_code == 0, result.output
    assert set(clusters(out)[0]) == {"A-1", "A-2", "A-3", "A-4"}
    result = CliRunner().invoke(cli, ["dedup", refs, "--clusters", str(out), "--id-column", "nope"])
    assert result.exit_code == 2 and "column 'nope'" in result.output


def test_files_need_clusters_and_clusters_need_files(own_fixtures, tmp_path):
    refs = str(own_fixtures / "dedup" / "more_refs.csv")
    result = CliRunner().invoke(cli, ["dedup", refs])
    assert result.exit_code == 2 and "--clusters" in result.output
    result = CliRunner().invoke(cli, ["dedup", "--project", str(tmp_path), "--clusters", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "need input FILEs" in result.output


def test_unreadable_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.ris"
    bad.write_text("this is not a reference file\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["dedup", str(bad), "--clusters", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "bad.ris" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.csv").exists()


# Two copies of one trial (title, first author and year agree), then a third record cut off mid-field: the
# download stopped there.
# The cut-off record starts on line 15 (lines 1–6 the first record, 7 blank, 8–13 the second, 14 blank).
CUT_RIS = """TY  - JOUR
ID  - pubmed-1
TI  - Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial
AU  - Smith, John
PY  - 2015
ER  - 

TY  - JOUR
ID  - embase-7
TI  - ULTRASOUND-GUIDED VERSUS FLUOROSCOPY-GUIDED FACET JOINT INJECTIONS: A RANDOMISED TRIAL
AU  - Smith, J.
PY  - 2015
ER  - 

TY  - JOUR
ID  - embase-8
TI  - Radiofrequency denervation of the sacro"""


def test_a_cut_off_file_is_refused_naming_the_line_and_nothing_is_written(tmp_path):
    export = tmp_path / "cut.ris"
    export.write_text(CUT_RIS, encoding="utf-8")
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(cli, ["dedup", str(export), "--clusters", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {export}, line 15: ") and "--allow-truncated" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    # an OUT.csv from an earlier run is left as it was
    out.write_text("record_id,cluster_id\nold,1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["dedup", str(export), "--clusters", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "record_id,cluster_id\nold,1\n"


def test_allow_truncated_clusters_the_complete_records_and_says_what_was_dropped(tmp_path):
    export = tmp_path / "cut.ris"
    export.write_text(CUT_RIS, encoding="utf-8")
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(cli, ["dedup", str(export), "--clusters", str(out), "--allow-truncated"])
    assert result.exit_code == 0, result.output
    assert f"warning: {export}, line 15: " in result.stderr
    assert "1 incomplete record was dropped and 2 kept (--allow-truncated)" in result.stderr
    ids, rows = clusters(out)
    assert len(rows) == 2 and "embase-8" not in ids  # the cut-off record is not clustered
    assert ids["pubmed-1"] == ids["embase-7"]  # the two copies of the trial are one cluster
    assert "records: 2; clusters: 1" in result.output


def test_allow_truncated_without_files_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["dedup", "--project", str(tmp_path), "--allow-truncated"])
    assert result.exit_code == 2 and "need input FILEs" in result.output


def test_the_cut_off_warning_is_shown_even_after_many_other_warnings(tmp_path):
    # Twelve stray 'ER' lines (a warning each, more than the command shows per file) before the records: the
    # warning that records were dropped must not be among the ones folded into "… and N more".
    export = tmp_path / "cut.ris"
    export.write_text("ER  - \n" * 12 + CUT_RIS, encoding="utf-8")
    out = tmp_path / "clusters.csv"
    result = CliRunner().invoke(cli, ["dedup", str(export), "--clusters", str(out), "--allow-truncated"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("'ER' without a record before it") < 12  # the cap did fold some warnings
    assert f"more warnings about {export}" in result.stderr
    assert f"warning: {export}, line 27: " in result.stderr  # 12 stray lines + the record's line 15
    assert "1 incomplete record was dropped and 2 kept (--allow-truncated)" in result.stderr


def test_ids_shared_across_input_files_are_warned_about_in_english(tmp_path):
    """Two exports numbering their records from 1 give rows of the clusters file that cannot be told apart."""
    first, second, out = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "clusters.csv"
    first.write_text("ID,title,year\n1,Ultrasound-guided injection for back pain,2019\n"
                     "2,Fluoroscopy for facet joints,2020\n", encoding="utf-8")
    second.write_text("ID,title,year\n1,Ketamine for depression,2018\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["dedup", str(first), str(second), "--clusters", str(out)])
    assert result.exit_code == 0, result.output
    assert (f"warning: 1 record ID occurs more than once across the inputs (e.g. '1'); their rows in {out} "
            "cannot be told apart") in result.output
    second.write_text("ID,title,year\n1,Ketamine for depression,2018\n2,Yoga for back pain,2017\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["dedup", str(first), str(second), "--clusters", str(out)])
    assert "warning: 2 record IDs occur more than once across the inputs (e.g. '1')" in result.output
