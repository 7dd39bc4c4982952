"""`sysrev fulltext show` and `tables` on a record with no full text: an ID that names no record is called a
typo, not told to be fetched (fetching it would fail too); a known record is told how to fetch its paper."""

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli


@pytest.mark.parametrize("command", [["show"], ["tables", "--out", "tables"]])
def test_an_unknown_record_id_is_named_as_such(project, tmp_path, command):
    result = CliRunner().invoke(cli, ["fulltext", command[0], "R999", *command[1:], "--project", str(project.root)])
    assert result.exit_code == 2
    assert result.stderr == ("error: R999: no such record ID in records/records.jsonl (a typo? the IDs are the "
                             "record_id column of `sysrev export decisions` and of the screening logs)\n")


def test_a_known_record_without_a_paper_is_told_how_to_fetch_it(project):
    result = CliRunner().invoke(cli, ["fulltext", "show", "r1", "--project", str(project.root)])
    assert result.exit_code == 2
    assert result.stderr == "error: r1: no full text yet; run `sysrev fulltext fetch --record r1`\n"
