"""Item 3: no XML reader expands an entity the document declares, wherever its DOCTYPE hides the declaration.

The attacks are the two that passed the old text scan of the first 64 KB: a comment longer than that before
the DOCTYPE, and a ``>`` inside the DOCTYPE's SYSTEM identifier. Every XML reader is tried: ``sysrev import``
of PubMed XML and EndNote XML, the PubMed transport's well-formedness check, and the ESearch answer parser.
"""

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.formats.safexml import parse_xml
from sysrev.search import pubmed
from sysrev.search.pubmed_xml import UnsafeXMLError, check_well_formed, records_from_xml

ARTICLE = (b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&x;"
           b"</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>\n")
ENTITY = b'[<!ENTITY x "INJECTED">]'
SAFE_DTD = b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd"'
DOCTYPES = {
    "gt-in-system-id": b'<!DOCTYPE PubmedArticleSet SYSTEM "https://x/a>b/pubmed_250101.dtd" ' + ENTITY + b">",
    "after-long-comment": b"<!--" + b"c" * 70_000 + b"-->\n<!DOCTYPE PubmedArticleSet SYSTEM " + SAFE_DTD + b" "
                          + ENTITY + b">",
    "internal-only": b"<!DOCTYPE PubmedArticleSet " + ENTITY + b">",
}


def _pubmed(doctype: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + b"\n" + ARTICLE


@pytest.mark.parametrize("name", sorted(DOCTYPES))
def test_pubmed_xml_reader_refuses_declared_entities(name):
    with pytest.raises(UnsafeXMLError, match="declares its own DTD subset"):
        records_from_xml(_pubmed(DOCTYPES[name]))
    with pytest.raises(UnsafeXMLError, match="declares its own DTD subset"):
        check_well_formed(_pubmed(DOCTYPES[name]))


@pytest.mark.parametrize("name", sorted(DOCTYPES))
def test_import_refuses_them_with_a_clean_error(tmp_path, name):
    path = tmp_path / "export.xml"
    path.write_bytes(_pubmed(DOCTYPES[name]))
    result = CliRunner().invoke(cli, ["import", str(path), "--out", str(tmp_path / "runs")])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "INJECTED" not in result.output
    assert not (tmp_path / "runs").exists() or not any(p for p in (tmp_path / "runs").iterdir()
                                                       if not p.name.startswith("."))


@pytest.mark.parametrize("name", sorted(DOCTYPES))
def test_endnote_xml_reader_refuses_them(name):
    doctype = DOCTYPES[name].replace(b"PubmedArticleSet", b"xml")
    doc = (b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + b"\n<xml><records><record><titles><title>&x;"
           b"</title></titles></record></records></xml>")
    with pytest.raises(Exception, match="unsafe XML refused") as caught:
        parse_xml(doc, path="refs.xml")
    assert "INJECTED" not in str(caught.value)


def test_esearch_answer_parser_refuses_them_but_reads_a_real_doctype():
    answer = (b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch '
              b'20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
              b"<eSearchResult><Count>7</Count><WebEnv>W</WebEnv><QueryKey>1</QueryKey>"
              b"<QueryTranslation>q</QueryTranslation></eSearchResult>")
    assert pubmed._parse_esearch(answer).count == 7
    for system_id in (b"20060628/esearch.dtd", b"a>b/esearch.dtd"):
        attack = answer.replace(b'20060628/esearch.dtd">', system_id + b'" [<!ENTITY x "999">]>')
        with pytest.raises(pubmed.SysrevError, match="refused"):
            pubmed._parse_esearch(attack.replace(b"<Count>7", b"<Count>&x;"))
