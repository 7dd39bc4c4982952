"""`sysrev status` when the records file is there but cannot be read (a hand edit cut a line): the Dedup part
says so, with the file, line and character, and never "not run yet", which would send the team to run dedup
over a file it would then replace."""

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.living.status import dedup_status
from sysrev.project import load_project


def _project(tmp_path, records):
    root = tmp_path / "review"
    (root / "records").mkdir(parents=True)
    (root / "review.toml").write_text('[review]\ntitle = "T"\n', encoding="utf-8")
    if records is not None:
        (root / "records" / "records.jsonl").write_text(records, encoding="utf-8")
    return root


def test_an_unreadable_records_file_is_named_not_called_not_run(tmp_path):
    root = _project(tmp_path, '{"record_id": "R000001"}\n{"record_id": "R000002", "title": "cut\n')
    path = root / "records" / "records.jsonl"
    error = f"{path}, line 2: invalid JSON: Invalid control character at character 39"
    assert dedup_status(load_project(root)) == {"records": None, "error": error, "runs_not_deduplicated": []}
    result = CliRunner().invoke(cli, ["status", "--project", str(root)])
    assert f"Dedup:\n  the records file cannot be read: {error}\n" in result.output
    assert "not run yet (`sysrev dedup`)" not in result.output
    assert "  mend that line, or restore the file from git (`git checkout -- records/records.jsonl`)" in result.output


def test_without_a_records_file_dedup_has_not_run_yet(tmp_path):
    root = _project(tmp_path, None)
    assert dedup_status(load_project(root)) == {"records": None, "runs_not_deduplicated": []}
    assert "Dedup:\n  not run yet (`sysrev dedup`)\n" in CliRunner().invoke(cli, ["status", "--project",
                                                                                  str(root)]).output
