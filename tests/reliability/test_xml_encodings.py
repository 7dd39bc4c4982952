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


JATS = ('<?xml version="1.0" encoding="{enc}"?>\n<article><front><article-meta><permissions><license '
        'license-type="open-access"/></permissions></article-meta></front><body><table-wrap id="t1"><label>Table 1'
        "</label><table><tr><th>{title}</th></tr><tr><td>12</td></tr></table></table-wrap></body></article>\n")


@pytest.mark.parametrize("encoding", ["Shift_JIS", "UTF-7"])
def test_a_full_text_in_a_declared_multibyte_encoding_is_read(encoding):
    """The full-text (JATS) reader too: expat's own reading of such a declaration raised ValueError."""
    from sysrev.fulltext.jats import is_full_text, licence_of, parse_tables

    data = JATS.format(enc=encoding, title=TITLE).encode(encoding)
    assert [t.label for t in parse_tables(data, path="paper.xml")] == ["Table 1"]
    assert TITLE in str(parse_tables(data, path="paper.xml")[0].header)
    assert is_full_text(data) and licence_of(data) == "open-access"


def test_a_full_text_in_an_unknown_encoding_is_a_clean_error_or_not_full_text():
    """An unknown encoding raised LookupError (a traceback) from every full-text check; now the table reader
    names the file and line, and the checks of a downloaded answer say 'not a full text'."""
    from sysrev.errors import InputError
    from sysrev.fulltext.jats import is_full_text, licence_of, parse_tables

    data = JATS.format(enc="x-made-up", title="Pain").encode()
    with pytest.raises(InputError, match="x-made-up") as caught:
        parse_tables(data, path="paper.xml")
    assert caught.value.line == 1 and "paper.xml" in str(caught.value)
    assert is_full_text(data) is False and licence_of(data) == ""
