"""`sysrev import FILE`: a snapshot like a search run's, a summary, and clear errors (exit code 2)."""

import hashlib
import json

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.search.imports import snapshot_name
from sysrev.search.snapshot import list_snapshots, read_snapshot


def _project(tmp_path):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "review.toml").write_text('[review]\ntitle = "Test review"\n', encoding="utf-8")
    return tmp_path


def test_import_into_project_writes_snapshot(tmp_path, own_fixtures):
    project = _project(tmp_path / "proj")
    source = own_fixtures / "formats" / "bom_crlf_multiline.ris"
    result = CliRunner().invoke(cli, ["import", str(source), "--source", "Cochrane CENTRAL",
                                      "--project", str(project)])
    assert result.exit_code == 0, result.output
    (run,) = list_snapshots(project / "searches" / "runs")
    assert run.name.endswith("-cochrane-central")
    manifest, records = read_snapshot(run)
    assert manifest["database"] == "file" and manifest["source"] == "Cochrane CENTRAL"
    assert manifest["file"] == {"name": source.name, "size": source.stat().st_size,
                                "sha256": hashlib.sha256(source.read_bytes()).hexdigest()}
    assert manifest["format"] == "ris" and manifest["retrieved_count"] == 2
    assert [r.source_id for r in records] == ["31234567", "42"]
    assert {r.source for r in records} == {"Cochrane CENTRAL"}
    assert "Imported 2 records" in result.output and "Journal Article" in result.output
    assert "Book Section" in result.output


def test_import_with_out_dir_and_warnings_without_local_paths(tmp_path, own_fixtures):
    source = own_fixtures / "formats" / "latin1_endnote.ris"
    result = CliRunner().invoke(cli, ["import", str(source), "--out", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    (run,) = list_snapshots(tmp_path / "runs")
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encoding"] == "cp1252" and len(manifest["warnings"]) == 1
    assert str(own_fixtures) not in manifest["warnings"][0] and "latin1_endnote.ris" in manifest["warnings"][0]
    assert "warning:" in result.stderr


def test_import_of_damaged_file_fails_with_file_and_line(tmp_path, own_fixtures):
    result = CliRunner().invoke(cli, ["import", str(own_fixtures / "formats" / "damaged.nbib"),
                                      "--out", str(tmp_path / "runs")])
    assert result.exit_code == 2
    assert "damaged.nbib, line 7" in result.stderr
    assert not (tmp_path / "runs").exists() or list_snapshots(tmp_path / "runs") == []


def test_import_refuses_unsafe_xml(tmp_path, own_fixtures):
    result = CliRunner().invoke(cli, ["import", str(own_fixtures / "formats" / "xxe.xml"),
                                      "--out", str(tmp_path / "runs")])
    assert result.exit_code == 2 and "unsafe XML refused" in result.stderr


def test_import_outside_a_project_without_out_is_a_clear_error(tmp_path, own_fixtures, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["import", str(own_fixtures / "formats" / "refer.enw")])
    assert result.exit_code == 2 and "review.toml" in result.stderr


def test_forced_format(tmp_path, own_fixtures):
    result = CliRunner().invoke(cli, ["import", str(own_fixtures / "formats" / "tab_generic.tsv"), "--format",
                                      "csv", "--out", str(tmp_path)])
    assert result.exit_code == 0 and "Imported 2 records" in result.output


def test_snapshot_name():
    from pathlib import Path

    assert snapshot_name("Cochrane CENTRAL", Path("x.ris")) == "cochrane-central"
    assert snapshot_name("Embase_2023", Path("x.ris")) == "Embase_2023"  # safe names kept as the strategy's
    assert snapshot_name(None, Path("/a/Embase export (2023).ris")) == "embase-export-2023"
    # accents are dropped, not the letters that carry them (was "n-code", "lilacs-sa-de")
    assert snapshot_name("Ünïcode", Path("x.ris")) == "unicode"
    assert snapshot_name("LILACS Saúde", Path("x.ris")) == "lilacs-saude"
    assert snapshot_name("***", Path("x.ris")) == "import"


def test_import_named_after_a_file_strategy_stores_its_query(tmp_path, own_fixtures):
    project = _project(tmp_path / "proj")
    (project / "searches").mkdir()
    (project / "searches" / "central.toml").write_text(
        'name = "central"\ndatabase = "file"\nquery = "#1 ultrasound AND fluoroscopy"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(own_fixtures / "formats" / "central_layout.ris"),
                                      "--source", "central", "--project", str(project)])
    assert result.exit_code == 0, result.output
    (run,) = list_snapshots(project / "searches" / "runs", "central")
    manifest, records = read_snapshot(run)
    assert manifest["query"] == "#1 ultrasound AND fluoroscopy" and manifest["name"] == "central"
    assert "searches/central.toml" in result.output and len(records) == 2


def test_repeated_import_of_the_same_file_is_refused_unless_again(tmp_path, own_fixtures):
    # the same export imported twice would be counted twice by PRISMA (refresh skips it the same way)
    source = own_fixtures / "formats" / "refer.enw"
    runner = CliRunner()
    first = runner.invoke(cli, ["import", str(source), "--out", str(tmp_path)])
    assert first.exit_code == 0 and "imported before" not in first.stderr
    (run,) = list_snapshots(tmp_path)
    second = runner.invoke(cli, ["import", str(source), "--out", str(tmp_path)])
    assert second.exit_code == 2 and len(list_snapshots(tmp_path)) == 1
    assert (f"refer.enw: imported before as {run.name} (the same file, by its SHA-256); importing it again would "
            "make PRISMA count its records twice, so nothing was imported (give --again") in second.stderr
    dry = runner.invoke(cli, ["import", str(source), "--out", str(tmp_path), "--dry-run"])
    assert dry.exit_code == 2 and "imported before" in dry.stderr
    third = runner.invoke(cli, ["import", str(source), "--out", str(tmp_path), "--again"])
    assert third.exit_code == 0 and len(list_snapshots(tmp_path)) == 2
    assert f"note: an identical file (same SHA-256) was imported before as {run.name}" in third.stderr


def test_a_split_export_with_one_part_imported_before_is_imported_with_a_note(tmp_path, own_fixtures):
    part = own_fixtures / "formats" / "refer.enw"
    other = tmp_path / "other.enw"
    other.write_text(part.read_text(encoding="utf-8").replace("%T ", "%T Another ", 1), encoding="utf-8")
    runs = tmp_path / "runs"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(part), "--out", str(runs)]).exit_code == 0
    both = runner.invoke(cli, ["import", str(part), str(other), "--out", str(runs)])
    assert both.exit_code == 0 and len(list_snapshots(runs)) == 2 and "imported before" in both.stderr


def test_several_files_of_a_split_export_make_one_snapshot(tmp_path, own_fixtures):
    part1, part2 = tmp_path / "wos_1.ris", tmp_path / "wos_2.ris"
    part1.write_text("TY  - JOUR\nAN  - WOS:1\nTI  - One\nER  - \n", encoding="utf-8")
    part2.write_text("TY  - JOUR\nAN  - WOS:2\nTI  - Two\nER  - \n\nTY  - JOUR\nAN  - WOS:1\nTI  - One again\n"
                     "ER  - \n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(part1), str(part2), "--source", "wos", "--out",
                                      str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    (run,) = list_snapshots(tmp_path / "runs")
    manifest, records = read_snapshot(run)
    assert [r.source_id for r in records] == ["WOS:1", "WOS:2", "WOS:1#2"]
    assert [f["name"] for f in manifest["files"]] == ["wos_1.ris", "wos_2.ris"]
    assert [f["records"] for f in manifest["files"]] == [1, 2] and "file" not in manifest
    assert any("another of the files" in w for w in manifest["warnings"])
    assert "Total: 3 records from 2 files" in result.output


def test_reported_count_is_stored_and_a_shortfall_warned(tmp_path, own_fixtures):
    source = own_fixtures / "formats" / "central_layout.ris"  # two records
    runner = CliRunner()
    ok = runner.invoke(cli, ["import", str(source), "--reported-count", "2", "--out", str(tmp_path / "a")])
    short = runner.invoke(cli, ["import", str(source), "--reported-count", "3", "--out", str(tmp_path / "b")])
    assert ok.exit_code == short.exit_code == 0
    manifest_ok, _ = read_snapshot(list_snapshots(tmp_path / "a")[0])
    manifest_short, _ = read_snapshot(list_snapshots(tmp_path / "b")[0])
    assert manifest_ok["reported_count"] == 2 and not any("reported" in w for w in manifest_ok["warnings"])
    assert manifest_short["reported_count"] == 3
    assert any("reported 3 records but the file holds 2" in w for w in manifest_short["warnings"])
    assert "reported 3 records" in short.stderr


def test_dry_run_writes_nothing(tmp_path, own_fixtures):
    result = CliRunner().invoke(cli, ["import", str(own_fixtures / "formats" / "refer.enw"), "--dry-run",
                                      "--out", str(tmp_path / "runs")])
    assert result.exit_code == 0 and "Imported 2 records" in result.output and "Dry run" in result.output
    assert not (tmp_path / "runs").exists()


def test_dry_run_needs_no_project(tmp_path, own_fixtures, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["import", str(own_fixtures / "formats" / "refer.enw"), "--dry-run"])
    assert result.exit_code == 0 and "Dry run: nothing written" in result.output


def test_without_files_the_strategy_file_is_imported(tmp_path, own_fixtures):
    project = _project(tmp_path / "proj")
    (project / "searches" / "exports").mkdir(parents=True)
    (project / "searches" / "exports" / "central.ris").write_bytes(
        (own_fixtures / "formats" / "central_layout.ris").read_bytes())
    (project / "searches" / "central.toml").write_text(
        'name = "central"\ndatabase = "file"\nfile = "searches/exports/central.ris"\nquery = "#1 x"\n',
        encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "--source", "central", "--project", str(project)])
    assert result.exit_code == 0, result.output
    (run,) = list_snapshots(project / "searches" / "runs", "central")
    manifest, records = read_snapshot(run)
    assert manifest["file"]["name"] == "central.ris" and len(records) == 2
    missing = runner.invoke(cli, ["import", "--source", "embase", "--project", str(project)])
    assert missing.exit_code == 2 and "searches/embase.toml" in missing.output
    no_source = runner.invoke(cli, ["import", "--project", str(project)])
    assert no_source.exit_code == 2 and "give the file(s) to import" in no_source.output


def test_registrations_are_not_counted_as_missing_a_doi(tmp_path, own_fixtures):
    """A trial registration never has a DOI: the summary's DOI count covers the other records only."""
    formats = own_fixtures / "formats"
    result = CliRunner().invoke(cli, ["import", str(formats / "clinicaltrials_layout.csv"),
                                      str(formats / "bom_crlf_multiline.ris"), "--dry-run"])
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("Missing: ")]
    assert line.endswith("DOI 1 (of 2; trial registrations have none)"), line
    plain = CliRunner().invoke(cli, ["import", str(formats / "bom_crlf_multiline.ris"), "--dry-run"])
    assert "Missing: title 0, abstract 1, year 0, DOI 1\n" in plain.output, plain.output
    only = CliRunner().invoke(cli, ["import", str(formats / "clinicaltrials_layout.csv"), "--dry-run"])
    assert "DOI - (trial registrations have none)" in only.output, only.output
    assert "2  Trial registration" in only.output, only.output  # typed as the JSON and ICTRP readers type them
