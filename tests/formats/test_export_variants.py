"""Variants of real exports that once imported silently wrong: each test writes a small file of its own
reproducing one quirk (the comment names the tool that writes it) and checks the fields by hand."""

import pytest

from sysrev.formats import load_references


def _write(tmp_path, name, text, *, encoding="utf-8", newline="\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


# --- line ends ----------------------------------------------------------------------------------------------

_PUBMED_TWO = """PMID- 31000001
OWN - NLM
STAT- MEDLINE
TI  - First trial of a long
      title
DP  - 2019 Mar
AU  - Smith J
SO  - Spine 2019.

PMID- 31000002
OWN - NLM
STAT- MEDLINE
TI  - Second trial
DP  - 2020
SO  - Pain 2020.
"""


@pytest.mark.parametrize("name, text, titles", [
    ("pubmed.nbib", _PUBMED_TWO, ["First trial of a long title", "Second trial"]),
    ("refer.enw", "%0 Journal Article\n%T Title A\n%A Smith, J\n%D 2019\n\n%0 Journal Article\n%T Title B\n%D 2020\n",
     ["Title A", "Title B"]),
    ("wos.txt", "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\n   Doe, K\nTI Title A\nPY 2019\n"
     "UT WOS:000000000000001\nER\n\nEF\n", ["Title A"]),
])
def test_line_ends_doubled_to_cr_cr_lf_do_not_split_records(tmp_path, name, text, titles):
    # A Windows (CR LF) export copied once more in text mode (FTP, mail gateways) ends its lines with CR CR LF.
    # Read as written, every line is followed by an empty one and MEDLINE/EndNote tagged records, which end at
    # an empty line, fell apart into one record per field.
    parsed = load_references(_write(tmp_path, name, text, newline="\r\r\n"))
    assert [r.title for r in parsed.records] == titles
    assert any("CR CR LF" in w for w in parsed.warnings)
    if name == "wos.txt":
        assert parsed.records[0].authors == ["Smith, J", "Doe, K"]  # the continuation line is still read
    if name == "pubmed.nbib":
        assert parsed.records[0].authors == ["Smith, J"] and parsed.records[0].year == 2019


def test_medline_records_without_the_blank_line_between_them_are_not_merged(tmp_path):
    # PubMed files joined with `cat`, or text copied from PubMed's "PubMed format" page, can lose the blank
    # line between records; the second record's fields were read into the first (two titles run together).
    text = _PUBMED_TWO.replace("SO  - Spine 2019.\n\n", "SO  - Spine 2019.\n")
    parsed = load_references(_write(tmp_path, "joined.nbib", text))
    assert [(r.pmid, r.title, r.year) for r in parsed.records] == [
        ("31000001", "First trial of a long title", 2019), ("31000002", "Second trial", 2020)]
    assert any("line 9:" in w and "'PMID'" in w for w in parsed.warnings)


# --- identifiers --------------------------------------------------------------------------------------------

_EBSCO_RIS = """TY  - JOUR
ID  - 134567890
T1  - Exercise for chronic low back pain
AU  - Smith, John
Y1  - 2019/03//
N1  - Accession Number: 134567890. Language: English. Entry Date: 20190401. NLM UID: 8507389. PMID: NLM30512345.
JF  - Spine
SP  - 301
EP  - 9
U2  - PMID: NLM30512345.
DO  - 10.1097/BRS.0000000000002900
DB  - CINAHL Complete
ER  - 
"""


def test_ebsco_pmid_with_nlm_prefix(tmp_path):
    # EBSCOhost (CINAHL, MEDLINE) writes the PubMed ID in the notes as "PMID: NLM30512345"; the NLM UID
    # (the journal's catalogue number) beside it is not a PMID.
    record = load_references(_write(tmp_path, "cinahl.ris", _EBSCO_RIS)).records[0]
    assert record.pmid == "30512345"
    assert (record.source_id, record.year, record.pages) == ("134567890", 2019, "301-309")


_SCOPUS_RIS = """TY  - JOUR
AU  - Keller, J.
TI  - Gut feelings
PY  - 2019
T2  - Gut
DO  - 10.1136/gutjnl-2019-318308
UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-85068558935&doi=10.1136%2fgutjnl-2019-318308&partnerID=40
C2  - 31175206
DB  - Scopus
M3  - Article
ER  - 
"""


def test_scopus_ris_pubmed_id_in_c2(tmp_path):
    # Scopus RIS puts the PubMed ID, a bare number, in C2 (the shared recorded Scopus exports do too);
    # EndNote uses C2 for the PMCID ("PMC…"), which stays the PMCID.
    record = load_references(_write(tmp_path, "scopus.ris", _SCOPUS_RIS)).records[0]
    assert (record.source_id, record.pmid) == ("2-s2.0-85068558935", "31175206")
    endnote = _SCOPUS_RIS.replace("C2  - 31175206", "C2  - PMC6543210").replace("DB  - Scopus\n", "").replace(
        "eid=2-s2.0-85068558935&", "")
    record = load_references(_write(tmp_path, "endnote.ris", endnote)).records[0]
    assert (record.pmid, record.pmcid) == ("", "PMC6543210")


def test_bibtex_pmid_in_note(tmp_path):
    # Zotero's BibTeX export writes the item's Extra field ("PMID: 31234567", from a PubMed import) as note.
    text = ("@article{smith_2020,\n\ttitle = {Zotero title},\n\tauthor = {Smith, John and Doe, Karen},\n"
            "\tmonth = feb,\n\tyear = {2020},\n\tnote = {PMID: 31234567},\n}\n")
    record = load_references(_write(tmp_path, "zotero.bib", text)).records[0]
    assert (record.pmid, record.year, record.authors) == ("31234567", 2020, ["Smith, John", "Doe, Karen"])


# --- authors ------------------------------------------------------------------------------------------------

def test_author_line_holding_several_names_is_split(tmp_path):
    # Some RIS writers put the whole author list on one AU line, separated by semicolons; read as one name it
    # became a single author "Doe, Karen; Lee Min".
    text = _EBSCO_RIS.replace("AU  - Smith, John\n", "AU  - Smith, John\nAU  - Doe, Karen; Lee, Min\n")
    record = load_references(_write(tmp_path, "one_line.ris", text)).records[0]
    assert record.authors == ["Smith, John", "Doe, Karen", "Lee, Min"]


def test_author_placeholders_are_not_authors(tmp_path):
    # ERIC's MEDLINE-format export writes "AU  - And Others" for the authors it leaves out; "et al." occurs in
    # hand-made RIS. A name with an HTML entity (whose ';' is not a separator) stays whole.
    text = ("OWN - ERIC\nTI  - New Beginnings. A Manual.\nAU  - Burnside, Nancy\nAU  - And Others\nOID - ED189449\n"
            "DP  - 1980\n\nOWN - ERIC\nTI  - Second\nAU  - Smith &amp; Jones Group\nAU  - et al.\nOID - ED189450\n"
            "DP  - 1981\n")
    records = load_references(_write(tmp_path, "eric.nbib", text)).records
    assert [r.authors for r in records] == [["Burnside, Nancy"], ["Smith & Jones Group"]]
