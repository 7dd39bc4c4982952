"""RIS beyond the whole-record test: fallbacks between tags, the database a record is from, a file's dialect."""

import pytest

from sysrev.formats import load_references

RIS = """\
TY  - JOUR
ST  - Only a short title
JO  - J Pain
T2  - Journal of Pain
L2  - https://example.org/l2
M1  - PMID: 31234567
ER  - 

TY  - ECHAP
TI  - A chapter
SN  - 1234-5678
J2  - Abbrev J2
ER  - 

TY  - JOUR
TI  - Embase
DB  - Embase
M3  - Article
U2  - L2001234567
C5  - 32345678
JI  - JI Abbrev
ER  - 

TY  - JOUR
TI  - CENTRAL by link
UR  - https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01234567/full
AN  - 33456789
ER  - 

TY  - JOUR
TI  - CENTRAL source list
AN  - CN-02345678
C3  - PUBMED 34567890,EMBASE 1
AB  - Same
N2  - Same
ER  - 
"""


def test_fallbacks_and_databases(write_file):
    parsed = load_references(write_file("refs.ris", RIS))
    assert parsed.dialect == "" and parsed.warnings == []
    got = [(r.source_id, r.source, r.title, r.journal, r.journal_abbrev, r.url, r.pmid, r.issn, r.publication_types,
            r.extra.get("fields")) for r in parsed.records]
    assert got == [
        # the short title when there is no other; JO an abbreviation beside T2; the PMID in M1; L2 as the URL
        ("refs.ris:1", "file", "Only a short title", "Journal of Pain", "J Pain", "https://example.org/l2",
         "31234567", "", ["Journal Article"], {"L2": "https://example.org/l2", "M1": "PMID: 31234567"}),
        # an electronic book section's SN is an ISBN, kept; J2 the abbreviation
        ("refs.ris:9", "file", "A chapter", "Abbrev J2", "Abbrev J2", "", "", "", ["Electronic Book Section"],
         {"SN": "1234-5678"}),
        # Embase: U2 the accession number, C5 the PMID, M3 the document type, JI the abbreviation
        ("L2001234567", "embase", "Embase", "", "JI Abbrev", "", "32345678", "", ["Journal Article", "Article"],
         {"DB": "Embase", "M3": "Article", "U2": "L2001234567", "C5": "32345678"}),
        # CENTRAL by its link; a bare AN of another database is no PMID
        ("33456789", "cochrane-central", "CENTRAL by link", "", "", "https://www.cochranelibrary.com/central/doi/"
         "10.1002/central/CN-01234567/full", "", "", ["Journal Article"], None),
        # CENTRAL by its CN- number; the PMID from its source list; a second abstract equal to the first not kept
        ("CN-02345678", "cochrane-central", "CENTRAL source list", "", "", "", "34567890", "", ["Journal Article"],
         {"C3": "PUBMED 34567890,EMBASE 1"})]


def test_a_file_from_one_database_names_it(write_file):
    one = "TY  - JOUR\nTI  - A\nDB  - Web of Science Core Collection\nER  - \n"
    parsed = load_references(write_file("wos.ris", one * 2))
    assert parsed.dialect == "web-of-science"  # one name whatever the edition, as PRISMA counts it
    assert {r.source for r in parsed.records} == {"web-of-science"}
    for database, name in (("Embase Classic+Embase <1947 to 2023 April 28>", "embase"), ("APA PsycInfo", "psycinfo"),
                           ("CINAHL Complete", "cinahl"), ("Cochrane Central Register of Controlled Trials",
                                                           "cochrane-central"), ("GreenFILE", "greenfile")):
        record = f"TY  - JOUR\nTI  - A\nDB  - {database}\nER  - \n"
        assert load_references(write_file("db.ris", record)).dialect == name, database
    scopus = "TY  - JOUR\nTI  - A\nUR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-1&partnerID=40\nER  - \n"
    assert load_references(write_file("scopus.ris", scopus)).dialect == "scopus"
    pubmed = "TY  - JOUR\nTI  - A\nDB  - PubMed\nAN  - 31234567\nER  - \n"
    parsed = load_references(write_file("pubmed.ris", pubmed))
    assert (parsed.dialect, parsed.records[0].pmid) == ("pubmed", "31234567")


@pytest.mark.parametrize("segment, database", [
    ("psyc16", "psycinfo"), ("emed21", "embase"), ("emez", "embase"), ("medl", "pubmed"), ("prem", "pubmed"),
    ("cctr", "cochrane-central"), ("amed", ""), ("ovft", "")])
def test_an_ovid_export_is_named_by_the_database_its_links_name(write_file, segment, database):
    # Ovid's PsycINFO RIS names its database only in the record link's D= segment code
    link = f"http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D={segment}&NEWS=N&AN=2019-65183-001"
    record = f"TY  - JOUR\nTI  - A\nL2  - {link}\nER  - \n"
    parsed = load_references(write_file("ovid.ris", record * 2))
    assert parsed.dialect == database and {r.source for r in parsed.records} == {database or "file"}
    other = "TY  - JOUR\nTI  - A\nUR  - https://example.org/cgi?D=psyc16\nER  - \n"  # not Ovid's link
    assert load_references(write_file("other.ris", other)).dialect == ""


def test_records_ended_by_a_bare_er_line_are_read_with_a_warning(write_file):
    path = write_file("bare.ris", "TY  - JOUR\nTI  - First\nER\n\nTY  - JOUR\nTI  - Second\nER\n")
    parsed = load_references(path)
    assert [r.title for r in parsed.records] == ["First", "Second"]
    assert parsed.warnings == [f"{path}: records end with a bare 'ER' line, without ' - ' (line 3 …); read as the end "
                               "of each record"]


def test_a_line_er_in_a_file_with_standard_er_lines_stays_text(write_file):
    parsed = load_references(write_file("er.ris", "TY  - JOUR\nTI  - Admissions to the\nER\nER  - \n"))
    assert [r.title for r in parsed.records] == ["Admissions to the ER"] and parsed.warnings == []


def test_tags_a_field_did_not_take_are_kept_not_dropped(write_file):
    # Beside AU, Web of Science's RIS writes a group author or conference sponsor in A1 ('IEEE'): not an author of
    # the paper, but it was dropped; so were a full date in DA beside PY, a short title in ST, a second journal
    # name, and VO beside VL. Each is kept among the record's fields unless it repeats a value a field took.
    path = write_file("alternatives.ris", "TY  - CONF\nTI  - Surveys\nST  - Short\nA1  - IEEE\nAU  - Lin, TH\n"
                                          "AU  - Yu, HY\nPY  - 2019\nDA  - 2019/03/15\nT2  - Proc Oceans\n"
                                          "JF  - Proc Oceans\nJO  - Oceans 2019 Marseille\nJ2  - Oceans\nVL  - 3\n"
                                          "VO  - 3a\nER  - \n\nTY  - JOUR\nT1  - Old tags\nA1  - Smith, J\n"
                                          "A1  - Jones, K\nY1  - 2001\nER  - \n")
    conference, old = load_references(path).records
    assert (conference.authors, conference.year, conference.journal, conference.journal_abbrev,
            conference.volume) == (["Lin, TH", "Yu, HY"], 2019, "Proc Oceans", "Oceans", "3")
    assert conference.extra["fields"] == {"ST": "Short", "A1": "IEEE", "DA": "2019/03/15",
                                          "JO": "Oceans 2019 Marseille", "VO": "3a"}
    assert (old.title, old.authors, old.year, old.extra.get("fields")) == (
        "Old tags", ["Smith, J", "Jones, K"], 2001, None)
