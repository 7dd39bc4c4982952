"""Item 8: an XML export declaring an encoding expat cannot read itself is read (or refused) without a crash."""

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.formats import load_references

TITLE = "日本の腰痛研究"  # "low back pain research in Japan"
ENDNOTE = ('<?xml version="1.0" encoding="{enc}"?>\n<xml><records><record><titles><title>{title}</title></titles>'
           "</record></records></xml>\n")
PUBMED = ('<?xml version="1.0" encoding="{enc}"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1'
          "</PMID><Article><ArticleTitle>{title}</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
          "</PubmedArticleSet>\n")


@pytest.mark.parametrize("template", [ENDNOTE, PUBMED], ids=["endnote", "pubmed"])
@pytest.mark.parametrize("encoding", ["Shift_JIS", "EUC-JP", "UTF-7", "ISO-2022-JP"])
def test_a_declared_multibyte_encoding_is_decoded(tmp_path, template, encoding):
    path = tmp_path / "export.xml"
    path.write_bytes(template.format(enc=encoding, title=TITLE).encode(encoding))
    assert [r.title for r in load_references(path).records] == [TITLE]


@pytest.mark.parametrize("template", [ENDNOTE, PUBMED], ids=["endnote", "pubmed"])
def test_an_unknown_or_violated_encoding_is_a_clean_error(tmp_path, template):
    runner = CliRunner()
    unknown = tmp_path / "unknown.xml"
    unknown.write_bytes(template.format(enc="x-made-up", title="Back pain").encode())
    result = runner.invoke(cli, ["import", str(unknown), "--dry-run", "--out", str(tmp_path / "runs")])
    assert result.exit_code == 2 and "error:" in result.output and "x-made-up" in result.output
    assert "Traceback" not in result.output
    broken = tmp_path / "broken.xml"
    broken.write_bytes(template.format(enc="Shift_JIS", title="Back pain").encode().replace(b"Back", b"\x81\x20"))
    result = runner.invoke(cli, ["import", str(broken), "--dry-run", "--out", str(tmp_path / "runs")])
    assert result.exit_code == 2 and "line 2" in result.output and "Shift_JIS" in result.output, result.output
