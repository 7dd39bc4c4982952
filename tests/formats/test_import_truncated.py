"""A file cut off in its last record: `sysrev import` refuses it naming the line and writes nothing;
`--allow-truncated` imports the complete records and says how many were dropped."""

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli

CUT = """TY  - JOUR
TI  - A complete record
PY  - 2019
ER  - 

TY  - CONF
TI  - A conference paper
PY  - 2019
JO  - 2019 15th International Confe"""


def test_truncated_ris_is_refused_then_allowed(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "review.toml").write_text('[review]\ntitle = "t"\n')
    export = tmp_path / "cut.ris"
    export.write_text(CUT, encoding="utf-8")
    refused = CliRunner().invoke(cli, ["import", str(export), "--project", str(project)])
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"error: {export}, line 6: the last record has no closing 'ER' line")
    assert not (project / "searches" / "runs").exists()
    allowed = CliRunner().invoke(cli, ["import", str(export), "--project", str(project), "--allow-truncated"])
    assert allowed.exit_code == 0, allowed.output
    assert "Imported 1 record from" in allowed.output
    assert "1 incomplete record was dropped and 1 kept" in allowed.stderr


@pytest.mark.parametrize("name, line", [("three_central.csv", 5), ("three.bib", 15), ("three.nbib", 20),
                                        ("three_endnote.xml", 5)])
def test_every_format_cut_off_is_refused_by_sysrev_import_then_allowed(tmp_path, own_fixtures, name, line):
    """The same through the command line for other formats (each format's own rules are tested in
    tests/formats/test_truncated_every_format.py)."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "review.toml").write_text('[review]\ntitle = "t"\n')
    data = (own_fixtures / "formats" / "complete" / name).read_bytes()
    export = tmp_path / name
    export.write_bytes(data[:data.index(b"Third rec") + len(b"Third rec")])
    refused = CliRunner().invoke(cli, ["import", str(export), "--project", str(project)])
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"error: {export}, line {line}: ") and "--allow-truncated" in refused.stderr
    assert not (project / "searches" / "runs").exists()
    allowed = CliRunner().invoke(cli, ["import", str(export), "--project", str(project), "--allow-truncated"])
    assert allowed.exit_code == 0, allowed.output
    assert "Imported 2 records" in allowed.output
    assert "1 incomplete record was dropped and 2 kept" in allowed.stderr
