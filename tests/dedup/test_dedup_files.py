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
