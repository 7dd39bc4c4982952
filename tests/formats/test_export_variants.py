"""Variants of real exports that once imported silently wrong: each test writes a small file of its own
reproducing one quirk (the comment names the tool that writes it) and checks the fields by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sysrev.errors import InputError
from sysrev.formats import load_references

# A family or given name for the property tests below.
_NAME = st.text(st.sampled_from("abcdefghijklmnop"), min_size=2, max_size=8).map(str.capitalize)


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


@pytest.mark.parametrize("name, text, titles", [
    ("pubmed.nbib", _PUBMED_TWO, ["First trial of a long title", "Second trial"]),
    ("refer.enw", "%0 Journal Article\n%T Title A\n%A Smith, J\n%D 2019\n\n%0 Journal Article\n%T Title B\n%D 2020\n",
     ["Title A", "Title B"]),
    ("cochrane.ris", "Record #1 of 2\nProvider: John Wiley & Sons, Ltd.\n\nTY  - JOUR\nTI  - Title A\n"
     "AU  - Smith, J\nPY  - 2019\nER  - \nTY  - JOUR\nTI  - Title B\nER  - \n",
     ["Title A", "Title B"]),
    ("mac.bib", "% Encoding: UTF-8\n\n@article{a,\n  title = {Title A},\n  author = {Smith, J},\n  year = 2019\n}\n",
     ["Title A"]),
])
def test_classic_mac_line_ends_cr_alone(tmp_path, name, text, titles):
    # Classic Mac OS (and some Mac reference managers, JabRef's own test exports) end lines with CR alone. With
    # a line above the first record, RIS was not recognised ("unrecognised reference format") and BibTeX was
    # read as a CSV.
    parsed = load_references(_write(tmp_path, name, text, newline="\r"))
    assert [r.title for r in parsed.records] == titles
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


def test_embase_ris_pubmed_id_in_c5(tmp_path):
    # Embase (embase.com) RIS writes the PubMed ID of a record that is also in MEDLINE, bare, in C5, and
    # names both databases (the shared recorded asreview embase.ris export does so).
    text = ("TY  - JOUR\nT1  - Endoscopic ultrasound-guided fine needle aspiration\nA1  - Eloubeidi M.A.\n"
            "Y1  - 2004//\nJF  - Cancer\nU2  - L39097156\nC5  - 15368318\nDB  - Embase\nDB  - Medline\n"
            "DO  - 10.1002/cncr.20369\nER  - \n")
    record = load_references(_write(tmp_path, "embase.ris", text)).records[0]
    assert (record.source_id, record.pmid, record.pmcid) == ("L39097156", "15368318", "")


@pytest.mark.parametrize("url, pmid", [
    ("https://pubmed.ncbi.nlm.nih.gov/31234567/", "31234567"),
    ("http://www.ncbi.nlm.nih.gov/pubmed/31234567?dopt=abstract", "31234567"),
    ("http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=Retrieve&db=PubMed&dopt=Citation&list_uids=9876543",
     "9876543"),
    ("https://europepmc.org/article/MED/31234567", "31234567"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/?term=31234567", "31234567"),  # EndNote's link: a search for one PMID
    # Not PubMed records, though "pubmed" is in them: a publisher's PDF store (a real EndNote export gave
    # PMID 1 here), a PubMed Central article id, a PubMed search.
    ("https://fjfsdata01prod.blob.core.windows.net/articles/files/30977/pubmed-zip/.versions/4/x.pdf?sv=1", ""),
    ("http://www.pubmedcentral.nih.gov/articlerender.fcgi?artid=2873234&tool=pmcentrez", ""),
    ("https://pubmed.ncbi.nlm.nih.gov/?term=smith+2019", ""),
    ("https://pubmed.ncbi.nlm.nih.gov/?term=2019", ""),
    ("https://pubmed.ncbi.nlm.nih.gov/?term=31234567+31234568", ""),
])
def test_pmid_only_from_pubmed_record_urls(tmp_path, url, pmid):
    ris = f"TY  - JOUR\nTI  - A title\nUR  - {url}\nER  - \n"
    assert load_references(_write(tmp_path, "refs.ris", ris)).records[0].pmid == pmid
    # Rayyan's CSV keeps the link of a PubMed record in its url column and has no PMID column.
    csv_text = f'key,title,authors,year,url\nrayyan-1,"A title","Smith, J and Doe, K",2019,{url}\n'
    assert load_references(_write(tmp_path, "rayyan.csv", csv_text)).records[0].pmid == pmid


def test_bibtex_pmid_in_note(tmp_path):
    # Zotero's BibTeX export writes the item's Extra field ("PMID: 31234567", from a PubMed import) as note.
    text = ("@article{smith_2020,\n\ttitle = {Zotero title},\n\tauthor = {Smith, John and Doe, Karen},\n"
            "\tmonth = feb,\n\tyear = {2020},\n\tnote = {PMID: 31234567},\n}\n")
    record = load_references(_write(tmp_path, "zotero.bib", text)).records[0]
    assert (record.pmid, record.year, record.authors) == ("31234567", 2020, ["Smith, John", "Doe, Karen"])


def test_pubmed_csv_volume_issue_pages_from_its_citation_cell(tmp_path):
    # PubMed's CSV export has no volume/issue/pages columns: they are only in the NLM citation (the shared
    # colrev pubmed-chatbot.csv has this layout). An article ahead of print and a Bookshelf book have none.
    header = '"PMID","Title","Authors","Citation","First Author","Journal/Book","Publication Year","Create Date",' \
             '"PMCID","NIHMS ID","DOI"'
    rows = ['"35227408","Chatbot psychotherapy","Lim SM, Shiau CWC.","Behav Ther. 2022 Mar;53(2):334-347. doi: '
            '10.1016/j.beth.2021.09.007. Epub 2021 Oct 12.","Lim SM","Behav Ther","2022","2022/03/01",,,'
            '"10.1016/j.beth.2021.09.007"',
            '"33000002","Digital health","Doe K.","Front Digit Health. 2021 Feb 2;3:617013. doi: 10.3389/x.",'
            '"Doe K","Front Digit Health","2021","2021/02/03",,,"10.3389/x"',
            '"36000003","Ahead of print","Lee M.","J Med Internet Res. 2023 Jan 5. doi: 10.2196/y. Online ahead of '
            'print.","Lee M","J Med Internet Res","2023","2023/01/05",,,"10.2196/y"',
            '"29000004","A chapter","Roe P.","In: StatPearls [Internet]. Treasure Island (FL): StatPearls Publishing; '
            '2024 Jan.","Roe P","StatPearls","2024","2018/01/01",,,""']
    records = load_references(_write(tmp_path, "csv-pubmed.csv", "\n".join([header, *rows]) + "\n")).records
    assert [(r.volume, r.issue, r.pages) for r in records] == [
        ("53", "2", "334-347"), ("3", "", "617013"), ("", "", ""), ("", "", "")]
    assert records[0].extra["fields"]["Citation"].startswith("Behav Ther.")  # the cell itself is kept


_PUBMED_ARTICLE_THEN_BOOK = """PMID- 31000003
OWN - NLM
STAT- MEDLINE
TI  - A made-up article.
DP  - 2021
LID - 1042 [pii]
SO  - Ann Made Up Neurosci. 2021;4(1):1042. Epub 2021 Dec 27.

PMID- 31000004
STAT- Publisher
DRDT- 20230101
CTDT- 20230101
PB  - Made-up Publishing
DP  - 2023
TI  - A made-up chapter
BTI - StatPearls
LA  - eng
PT  - Review
PT  - Book Chapter
AID - NBK999999 [bookaccession]
"""


def test_pubmed_bookshelf_record_last_is_not_a_cut_file(tmp_path):
    # PubMed's Bookshelf records (StatPearls, GeneReviews) open "PMID, STAT, DRDT" and have no SO line; one that
    # came last in a search export was refused as "the file looks cut off" (the last record must end with SO).
    # The article's pages, given only as its electronic location (LID [pii]), are read from the SO line.
    article, chapter = load_references(_write(tmp_path, "pubmed.nbib", _PUBMED_ARTICLE_THEN_BOOK)).records
    assert article.pages == "1042"
    assert (chapter.title, chapter.year) == ("A made-up chapter", 2023)
    cut = _PUBMED_ARTICLE_THEN_BOOK.replace("SO  - Ann Made Up Neurosci. 2021;4(1):1042. Epub 2021 Dec 27.\n", "")
    cut = cut.split("PMID- 31000004")[0].rstrip() + "\n"
    with pytest.raises(InputError, match="'SO' \\(source\\) field"):
        load_references(_write(tmp_path, "cut.nbib", "\n\n".join([_PUBMED_ARTICLE_THEN_BOOK.strip(), cut])))


@pytest.mark.parametrize("elocation, pages", [("e42692", "e42692"), ("1042", "1042"),
                                              ("S0140-6736(19)32971-X", ""), ("EWLS", "")])
def test_pubmed_xml_electronic_location_as_pages(tmp_path, elocation, pages):
    # An article without Pagination: PubMed's citation line gives its electronic location as the pages, and so
    # does the MEDLINE export; the XML (the search stage's format) gave none. A publisher item id is no page.
    text = ('<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>31000006</PMID>'
            "<Article><Journal><JournalIssue><Volume>8</Volume><PubDate><Year>2019</Year></PubDate></JournalIssue>"
            "<Title>Made-up Journal</Title></Journal><ArticleTitle>A made-up article.</ArticleTitle>"
            f'<ELocationID EIdType="pii" ValidYN="Y">{elocation}</ELocationID></Article></MedlineCitation>'
            "</PubmedArticle></PubmedArticleSet>\n")
    assert load_references(_write(tmp_path, "pubmed.xml", text)).records[0].pages == pages


def test_pubmed_ahead_of_print_publisher_id_is_no_page(tmp_path):
    text = ("PMID- 31000005\nOWN - NLM\nSTAT- Publisher\nTI  - A made-up article.\nDP  - 2022 Oct 7\n"
            "LID - S1080-6032(22)00139-9 [pii]\nSO  - Made Up Med. 2022 Oct 7:S1080-6032(22)00139-9. doi: x.\n")
    assert load_references(_write(tmp_path, "aop.nbib", text)).records[0].pages == ""


# --- pages --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, end, pages", [
    # PubMed-derived records (a RIS written from PubMed data, shown in scipamato issue #118): "pii: E1392" is an
    # electronic article number, and it lost its "p" to the rule that drops "p."/"pp" ("ii: E1392").
    ("pii: E1392", "", "E1392"),
    ("pii: S0140-6736(19)32971-X", "", ""),  # a publisher item identifier is no page
    ("Pages 10-20", "", "10-20"),  # was "ages 10-20"
    ("pp. 37", "64", "37-64"),
])
def test_page_prefixes(tmp_path, start, end, pages):
    text = f"TY  - JOUR\nTI  - A title\nSP  - {start}\n" + (f"EP  - {end}\n" if end else "") + "ER  - \n"
    assert load_references(_write(tmp_path, "refs.ris", text)).records[0].pages == pages
    nbib = f"PMID- 29144419\nTI  - A title\nPG  - {start}{'-' + end if end else ''}\nSO  - J.\n"
    assert load_references(_write(tmp_path, "refs.nbib", nbib)).records[0].pages == pages


# --- authors ------------------------------------------------------------------------------------------------

def test_author_line_holding_several_names_is_split(tmp_path):
    # Some RIS writers put the whole author list on one AU line, separated by semicolons; read as one name it
    # became a single author "Doe, Karen; Lee Min".
    text = _EBSCO_RIS.replace("AU  - Smith, John\n", "AU  - Smith, John\nAU  - Doe, Karen; Lee, Min\n")
    record = load_references(_write(tmp_path, "one_line.ris", text)).records[0]
    assert record.authors == ["Smith, John", "Doe, Karen", "Lee, Min"]


def test_scopus_placeholders_for_missing_values_are_not_values(tmp_path):
    # Scopus writes "[No abstract available]" and "[No author name available]" where it has none (the shared
    # recorded litstudy Scopus CSVs hold both); kept, an editorial counted as having an abstract and an author
    # "available], [No author name". A real title in brackets (a translated title) stays.
    header = '"Authors","Author full names","Title","Year","Source title","Abstract","EID"'
    rows = ['"[No author name available]","[No author name available]","Editorial","2020","Lancet",'
            '"[No abstract available]","2-s2.0-85000000001"',
            '"Smith J.","Smith, John (57221302630)","[Treatment of back pain]","2019","Spine","Text.",'
            '"2-s2.0-85000000002"']
    first, second = load_references(_write(tmp_path, "scopus.csv", "\n".join([header, *rows]) + "\n")).records
    assert (first.authors, first.abstract, first.title) == ([], "", "Editorial")
    assert (second.authors, second.abstract, second.title) == (["Smith, John"], "Text.", "[Treatment of back pain]")
    ris = "TY  - JOUR\nAU  - [No author name available]\nTI  - Editorial\nAB  - [No abstract available]\nER  - \n"
    record = load_references(_write(tmp_path, "scopus.ris", ris)).records[0]
    assert (record.authors, record.abstract) == ([], "")


def test_author_placeholders_are_not_authors(tmp_path):
    # ERIC's MEDLINE-format export writes "AU  - And Others" for the authors it leaves out; "et al." occurs in
    # hand-made RIS. A name with an HTML entity (whose ';' is not a separator) stays whole.
    text = ("OWN - ERIC\nTI  - New Beginnings. A Manual.\nAU  - Burnside, Nancy\nAU  - And Others\nOID - ED189449\n"
            "DP  - 1980\n\nOWN - ERIC\nTI  - Second\nAU  - Smith &amp; Jones Group\nAU  - et al.\nOID - ED189450\n"
            "DP  - 1981\n")
    records = load_references(_write(tmp_path, "eric.nbib", text)).records
    assert [r.authors for r in records] == [["Burnside, Nancy"], ["Smith & Jones Group"]]


# --- RIS written by R tools and by tools that wrote a data frame ------------------------------------------

_R_RIS = """DB  - McK
C8  - 
TI  - Population structure and habitat use of baboons
SP  - 67-76
AB  - NA
TY  - JOUR
SO  - Koedoe
VL  - 49
AU  - Marais, A. J.
AU  - Brown, L. R.
ER  - 

DB  - WoS
AB  - NA
TY  - JOUR
TI  - Second record
PY  - 2010
ER  - 
"""


def test_ris_tags_before_ty_as_r_tools_write_them(tmp_path):
    # synthesisr/CiteSource (R) write a record's tags in data-frame column order, TY among them, and R's
    # missing value as "NA" (CiteSource issue #27 shows such a file). Refused before ("record starts with
    # tag 'DB'"); the abstract "NA" is no abstract; SO is where those tools put the journal.
    parsed = load_references(_write(tmp_path, "citesource.ris", _R_RIS))
    first, second = parsed.records
    assert (first.title, first.abstract, first.journal, first.pages) == (
        "Population structure and habitat use of baboons", "", "Koedoe", "67-76")
    assert first.authors == ["Marais, A. J.", "Brown, L. R."] and first.source_id == "citesource.ris:1"
    assert (second.title, second.abstract, second.year, second.source_id) == ("Second record", "", 2010,
                                                                              "citesource.ris:13")
    assert any("line 6, 15" in w and "before their 'TY'" in w for w in parsed.warnings)


def test_r_s_missing_value_in_a_csv_is_no_value_in_any_field(tmp_path):
    # R's write.csv writes a missing cell as NA (ASySD's, revtools' and synthesisr's exports): an issue "NA"
    # would be a stated issue unlike every real one, so every field reads it as empty; "Na" is still a name
    text = ("title,author,journal,journal_abbrev,volume,number,pages,year,doi,language,url,abstract\n"
            "Coronary function in mice,Na Li,Eur Heart J,NA,38,NA,NA,2017,NA,NA,NA,NA\n"
            "NA,NA,NA,Eur Heart J,NA,NA,893,NA,NA,en,https://example.org/a,An abstract\n")
    first, second = load_references(_write(tmp_path, "r_export.csv", text)).records
    assert (first.title, first.journal, first.volume, first.issue, first.pages, first.doi, first.language,
            first.url, first.abstract, first.journal_abbrev) == (
        "Coronary function in mice", "Eur Heart J", "38", "", "", "", "", "", "", "")
    assert first.authors and first.authors[0].startswith(("Li", "Na"))
    assert (second.title, second.journal, second.volume, second.issue, second.pages, second.year,
            second.language, second.url) == ("", "", "", "", "893", None, "en", "https://example.org/a")


def test_ris_tags_after_er_still_belong_to_the_record_above(tmp_path):
    # Ovid writes NL after ER, then a blank line and the next record's counter: NL stays with the record above;
    # a title after ER that no TY follows is a record that lost its TY line (an error naming the line).
    ovid = ("TY  - JOUR\nTI  - First\nER  - \nNL  - Pain Physician\n\n2.\nTY  - JOUR\nTI  - Second\nER  - \n")
    first, second = load_references(_write(tmp_path, "ovid.ris", ovid)).records
    assert (first.title, first.journal_abbrev, second.title, second.journal_abbrev) == (
        "First", "Pain Physician", "Second", "")
    lost = "TY  - JOUR\nTI  - First\nER  - \n\nTI  - Lost its TY\nAU  - Doe, K\nER  - \n"
    with pytest.raises(InputError) as err:
        load_references(_write(tmp_path, "lost.ris", lost))
    assert err.value.line == 5 and "'TI'" in str(err.value)


_TYPELESS_RIS = """C1  - 1001
C2  - 1001, 1061, 1263
AU  - Isaac, Fadia
AU  - Toukhsati, Samia R
TI  - A systematic review of the impact of wildfires on sleep disturbances
PY  - 2021
VL  - 18
DB  - benchmark, search 1, search 2
DO  - 10.3390/ijerph181910152
JO  - International journal of environmental research and public health
C8  - 
ER  - 

C1  - 1002
AU  - Liu, Jia C
TI  - A systematic review of the physical health impacts from non-occupational exposure to wildfire smoke
PY  - 2015
ER  - 
"""


def test_ris_without_any_ty_line_as_citesource_exports_it(tmp_path):
    # CiteSource's RIS export ("citesource_benchmark_export.ris" in its vignettes) has no TY line at all: every
    # record runs from its first tag to ER. Refused before ("record starts with tag 'C1'"); now read without a
    # type, with one warning. A file where only some records lack TY stays an error (test above).
    parsed = load_references(_write(tmp_path, "citesource_export.ris", _TYPELESS_RIS))
    first, second = parsed.records
    assert (first.title, first.year, first.doi, first.authors) == (
        "A systematic review of the impact of wildfires on sleep disturbances", 2021, "10.3390/ijerph181910152",
        ["Isaac, Fadia", "Toukhsati, Samia R"])
    assert first.journal == "International journal of environmental research and public health"
    assert (second.year, second.source_id) == (2015, "citesource_export.ris:14")
    assert [w for w in parsed.warnings if "no record has a 'TY' line" in w and "2 records were read" in w]
    # cut off inside its last record (no ER): refused as a truncated file, never read as whole
    with pytest.raises(InputError, match="cut off"):
        load_references(_write(tmp_path, "cut.ris", _TYPELESS_RIS.rsplit("ER  - ", 1)[0]))


def test_a_one_space_tag_in_a_two_space_ris_file_is_a_tag_unless_it_continues_free_text(tmp_path):
    # CoLRev's loader sample (tests/2_loader/data/ris_data.ris) has "KW - keyword2" among two-space tags, right
    # after the authors: read as a continuation, the keywords became authors ("keyword2, KW -"). After a free-text
    # field such a line stays part of it, as a wrapped abstract line starting "CT - scans" must.
    text = ("TY  - JOUR\nTI  - Ultrasound versus fluoroscopy\nAU  - Author-One, A.\nAU  - Author-Two, B.\n"
            "KW - keyword1\nkeyword2\nAB  - Methods: patients had a\nCT - scan before injection.\nPY  - 2020\n"
            "ER  - \n")
    parsed = load_references(_write(tmp_path, "colrev.ris", text))
    record = parsed.records[0]
    assert record.authors == ["Author-One, A.", "Author-Two, B."]
    assert record.keywords == ["keyword1", "keyword2"]
    assert record.abstract == "Methods: patients had a CT - scan before injection."
    (warning,) = [w for w in parsed.warnings if "one space before the hyphen" in w]
    assert "1 line with one space" in warning and "'KW - keyword1'" in warning


def test_author_written_as_a_python_list(tmp_path):
    # Tools that wrote a data frame's list column into RIS (ASReview issue #1416 shows the list re-exported
    # one character per line by RefWorks) give "AU  - ['Mizdrak, Anja', 'Scarborough, Peter']".
    text = "TY  - JOUR\nTI  - Differential responses\nAU  - ['Mizdrak, Anja', 'Scarborough, Peter']\nER  - \n"
    record = load_references(_write(tmp_path, "asreview.ris", text)).records[0]
    assert record.authors == ["Mizdrak, Anja", "Scarborough, Peter"]


# --- EndNote XML --------------------------------------------------------------------------------------------

_STYLE = '<style face="normal" font="default" size="100%">{}</style>'


def _endnote_record(number, *, dois, keywords):
    resource = "".join(f"<electronic-resource-num>{_STYLE.format(d) if d else ''}</electronic-resource-num>"
                       for d in dois)
    words = "".join(f"<keyword>{_STYLE.format(k)}</keyword>" for k in keywords)
    return (f"<record><rec-number>{number}</rec-number><ref-type name=\"Journal Article\">17</ref-type>"
            f"<titles><title>{_STYLE.format('Title ' + str(number))}</title></titles>"
            f"<keywords>{words}</keywords><dates><year>{_STYLE.format('2020')}</year></dates>{resource}</record>")


def test_endnote_xml_every_electronic_resource_num_and_keyword_lines(tmp_path):
    # EndNote keeps identifiers it imported as lines of one field (PubMed: the PII, then the DOI) and may
    # write one <electronic-resource-num> per identifier, the first empty; a keyword list imported from RIS
    # or PubMed arrives as one <keyword> with &#xD; between the terms. Only the first element used to count.
    records = [_endnote_record(1, dois=["S0140-6736(19)32971-X [pii]&#xD;10.1016/S0140-6736(19)32971-X"],
                               keywords=["Pain&#xD;Exercise&#xD;Adult"]),
               _endnote_record(2, dois=["", "10.1000/second"], keywords=["Pain", "Exercise"])]
    text = '<?xml version="1.0" encoding="UTF-8" ?><xml><records>' + "".join(records) + "</records></xml>"
    first, second = load_references(_write(tmp_path, "endnote.xml", text)).records
    assert (first.doi, first.keywords) == ("10.1016/s0140-6736(19)32971-x", ["Pain", "Exercise", "Adult"])
    assert (second.doi, second.keywords) == ("10.1000/second", ["Pain", "Exercise"])


def test_zotero_endnote_xml_on_one_line_gets_one_identifier_per_record(tmp_path):
    # Zotero's "EndNote XML" export writes the whole file on one line and no <rec-number>: every record's
    # fallback identifier was "file:2", 1,232 of 1,233 renamed with a warning (ASySD's zotero_export.xml).
    record = ('<record><source-app name="Zotero">Zotero</source-app><ref-type name="Journal Article">17</ref-type>'
              '<titles><title>Title {}</title></titles></record>')
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>' + "".join(record.format(n) for n in (1, 2, 3))
            + "</records></xml>\n")
    parsed = load_references(_write(tmp_path, "zotero.xml", text))
    assert [r.source_id for r in parsed.records] == ["zotero.xml:2.1", "zotero.xml:2.2", "zotero.xml:2.3"]
    assert not [w for w in parsed.warnings if "reuse an identifier" in w]
    # records on lines of their own keep the line as their identifier
    lines = text.replace("<record>", "\n<record>")
    assert [r.source_id for r in load_references(_write(tmp_path, "lines.xml", lines)).records] == [
        "lines.xml:3", "lines.xml:4", "lines.xml:5"]


# --- BibTeX from databases ----------------------------------------------------------------------------------

def test_scopus_bibtex_author_keywords_abbreviation_and_type(tmp_path):
    # Scopus' BibTeX (2023 layout): a "Scopus / EXPORT DATE" header, author_keywords beside the indexers'
    # keywords, abbrev_source_title, type = {Article} (older exports: document_type), an en dash between
    # spaced page numbers.
    text = """Scopus
EXPORT DATE: 17 February 2024

@ARTICLE{Adams2023100,
        author = {Adams, Harrison and van der Berg, Jan},
        title = {Vija Celmins: The Art of Enervation},
        year = {2023},
        journal = {Zeitschrift fur Kunstgeschichte},
        pages = {100 – 127},
        url = {https://www.scopus.com/inward/record.uri?eid=2-s2.0-85150702781&partnerID=40},
        author_keywords = {entropy; Jorge Luis Borges},
        keywords = {art history},
        abbrev_source_title = {Z. Kunstgesch.},
        type = {Article},
        source = {Scopus},
        note = {Cited by: 0}
}
"""
    record = load_references(_write(tmp_path, "scopus.bib", text)).records[0]
    assert record.source_id == "2-s2.0-85150702781" and record.pages == "100-127"
    assert record.keywords == ["entropy", "Jorge Luis Borges", "art history"]
    assert record.journal_abbrev == "Z. Kunstgesch."
    assert "Article" in record.publication_types
    assert record.authors == ["Adams, Harrison", "van der Berg, Jan"]


@pytest.mark.parametrize("space", [" ", "\u00a0"])
def test_scopus_bibtex_funding_text_field_names_with_a_space(tmp_path, space):
    # Scopus' BibTeX with "Funding details" ticked (2020 layout): numbered funding texts whose field names hold
    # a space, written as a no-break space by some exports ("funding_text 1={…}"), a repeated funding_details,
    # and the article number in art_number. bibtexparser drops such an entry, so the import stopped.
    text = f"""
@ARTICLE{{Li2020,
author={{Li, W. and Dou, Z.}},
title={{Soil fauna diversity at different stages of reed restoration}},
journal={{Ecosystem Health and Sustainability}},
year={{2020}},
volume={{6}},
number={{1}},
doi={{10.1080/20964129.2020.1722034}},
art_number={{1722034}},
funding_details={{University of Twente}},
funding_details={{Special Fund for Forest Scientific Research}},
funding_text{space}1={{The Special Fund for Forest Scientific Research [Grant 201404305] supported this work.}},
funding_text{space}2={{We thank the University of Twente, The Netherlands, for writing assistance.}},
correspondence_address1={{Cui, L.; Institute of Wetland Research}},
document_type={{Article}},
source={{Scopus}},
}}
"""
    record = load_references(_write(tmp_path, "scopus.bib", text)).records[0]
    assert record.title == "Soil fauna diversity at different stages of reed restoration"
    assert (record.volume, record.issue, record.pages) == ("6", "1", "1722034")
    assert record.extra["article_number"] == "1722034"
    assert record.extra["fields"]["funding_text_1"].startswith("The Special Fund")
    assert record.extra["fields"]["funding_text_2"].endswith("writing assistance.")


def test_biblatex_eid_is_an_article_number_unless_it_is_a_scopus_record_id(tmp_path):
    # BibLaTeX's eid is an article's number (e0212345); some tools put Scopus' record ID (2-s2.0-…) there,
    # which as pages or article number would keep the record from its duplicates (the article-number veto)
    text = "@article{a,\n title={X},\n eid={2-s2.0-85079532227},\n}\n@article{b,\n title={Y},\n eid={e0212345},\n}\n"
    scopus_id, number = load_references(_write(tmp_path, "refs.bib", text)).records
    assert (scopus_id.pages, scopus_id.extra.get("article_number")) == ("", None)
    assert scopus_id.extra["fields"]["eid"] == "2-s2.0-85079532227"  # kept, as every other field
    assert (number.pages, number.extra["article_number"]) == ("e0212345", "e0212345")


def test_a_bibtex_entry_that_does_not_read_is_named_with_the_line_where_it_stops(tmp_path):
    # a missing comma after a field: the error names the entry's '@' line (not the blank lines above it) and
    # the line and text where the fields stop reading, so the user can mend the file by hand
    text = "@article{ok,\n  title = {Fine},\n}\n\n\n@article{bad,\n  title = {Missing comma}\n  year = {2020},\n}\n"
    with pytest.raises(InputError) as err:
        load_references(_write(tmp_path, "refs.bib", text))
    assert err.value.line == 6
    assert "'bad' could not be parsed at line 8, near 'year = {2020},'" in str(err.value)


def test_bibtex_entries_without_a_key_are_read_and_named_by_their_line(tmp_path):
    # JabRef saves an entry whose key was never set as '@article{,'; bibtexparser dropped it and the import
    # stopped ("entry '' could not be parsed").
    path = _write(tmp_path, "keyless.bib", "% Encoding: UTF-8\n\n@article{,\n  title = {First},\n  year = 2019\n}\n\n"
                  "@Book{ , title = {Second}}\n@article{kept,\n  title = {Third}\n}\n@comment{,}\n")
    parsed = load_references(path)
    assert [(r.source_id, r.title) for r in parsed.records] == [
        ("keyless.bib:3", "First"), ("keyless.bib:8", "Second"), ("kept", "Third")]
    (warning,) = [w for w in parsed.warnings if "no key" in w]
    assert "2 entries have no key" in warning


def test_fields_after_an_entry_closed_early_are_refused_not_lost(tmp_path):
    # A closing brace too many ends its entry early; what follows was skipped as text between entries, and the
    # record kept its title alone. Comments between entries, even with an '=' in them, are still ignored. (A
    # value wraps onto a second line here, so the entry cannot be read line by line as EBSCO's can, below.)
    text = ("% a note: title = {not a field}\n@article{K1,\n  title = {A stray brace}},\n  author = {Smith, J and\n"
            "    Doe, K},\n  year = {2020}\n}\n\n@article{K2,\n  title = {Fine}\n}\n")
    with pytest.raises(InputError) as err:
        load_references(_write(tmp_path, "early.bib", text))
    assert err.value.line == 4
    assert "the field 'author' after entry 'K1' is outside every entry, so it would be lost" in str(err.value)
    # an opening line damaged in a copy ('@article' then a stray byte) loses the entry's fields the same way
    damaged = text.replace("@article{K2,", "@article\ufffdK2,").replace("{A stray brace}}", "{Whole}")
    with pytest.raises(InputError) as err:
        load_references(_write(tmp_path, "damaged.bib", damaged))
    assert err.value.line == 10 and str(err.value).endswith(
        "is outside every entry, so it would be lost: a closing brace too many ended the entry early, or the line "
        "opening its entry ('@article{key,') is damaged; mend the file there and import it again (nothing was "
        "imported)")


def test_an_escaped_brace_is_a_literal_brace_even_alone(tmp_path):
    # biber and JabRef do not count an escaped brace, and JabRef writes a lone one ('de Waa\\}' in a Citavi
    # abstract); classic BibTeX counted it, so the value ended there and the whole file was refused. A pair of
    # escaped braces, or \textbraceleft/\textbraceright, reads as before.
    text = ("@article{K1,\n  title = {A lone brace \\} and \\{a pair\\}},\n  author = {Smith, J},\n"
            "  year = {2020}\n}\n\n@article{K2,\n  title = {Open \\{ and \\textbraceright{}}\n}\n")
    parsed = load_references(_write(tmp_path, "lone.bib", text))
    assert [(r.title, r.authors, r.year) for r in parsed.records] == [
        ("A lone brace } and {a pair}", ["Smith, J"], 2020), ("Open { and }", [], None)]
    assert parsed.warnings == []


def test_a_bibtex_preamble_of_free_text_is_left_out(tmp_path):
    # A preamble should hold a quoted string of LaTeX, but hand-kept bibliographies put a note there
    # ("@preamble{BibTeX for papers by …}"); it holds no reference, and the whole file was refused. Lines are
    # still counted through it: the broken entry below is named at its own line.
    text = ("@preamble{BibTeX for papers by one lab; for the full list see\nhttps://example.org/papers.html}\n\n"
            "@Article{a,\n  title = {Kept},\n  year = 2020\n}\n")
    assert [r.title for r in load_references(_write(tmp_path, "papers.bib", text)).records] == ["Kept"]
    broken = text + "\n@Article{b,\n  title = {Missing comma}\n  year = 2021\n}\n"
    with pytest.raises(InputError) as err:
        load_references(_write(tmp_path, "broken.bib", broken))
    assert err.value.line == 9 and "line 11" in str(err.value)


def test_web_of_science_bibtex(tmp_path):
    # Web of Science's BibTeX: capitalised field names, a space before the key, Unique-ID, Keywords-Plus,
    # Journal-ISO, and an early-access article without Year (only EarlyAccessDate).
    text = """@article{ WOS:000444488888888,
Author = {M{\\"{u}}ller, J{\\"o}rg and Ca{\\~n}ete, Jos\\'e},
Title = {{Effect of 50{\\%} of {$\\beta$}-blockers} on pain \\& mood},
Journal = {JOURNAL OF PAIN},
Journal-ISO = {J. Pain},
EarlyAccessDate = {FEB 2022},
DOI = {10.1111/artjul.2021.0011},
Keywords = {beta blockers; pain},
Keywords-Plus = {MOOD},
Unique-ID = {WOS:000444488888888},
}
"""
    parsed = load_references(_write(tmp_path, "savedrecs.bib", text))
    record = parsed.records[0]
    assert parsed.dialect == "web-of-science" and record.source == "web-of-science"
    assert (record.source_id, record.year, record.journal_abbrev) == ("WOS:000444488888888", 2022, "J. Pain")
    assert record.title == "Effect of 50% of β-blockers on pain & mood"
    assert record.authors == ["Müller, Jörg", "Cañete, José"]
    assert record.keywords == ["beta blockers", "pain", "MOOD"]


def test_cochrane_library_bibtex_names_joined_by_commas(tmp_path):
    # The Cochrane Library's BibTeX export: a "Record #N of M" line before each entry, and every author but the
    # last joined by commas ("Huey, SL, Mehta, NH, and Mehta, S"). Split at " and " only, that read as two
    # authors, "Huey, SL Mehta NH" and "Mehta, S".
    text = """Record #1 of 2
@article{Huey25,
author = {Huey, SL, Mehta, NH, and Mehta, S},
title = {Precision nutrition for obesity &amp; overweight},
journal = {Cochrane Database of Systematic Reviews},
year = {2025},
DOI = {10.1002/14651858.CD015877},
keywords = {*Pediatric Obesity [diet therapy, therapy]; Child, Preschool; Humans}
}


Record #2 of 2
@article{Alkhawaja15,
author = {Alkhawaja, S, and Martin, C},
title = {Antenatal corticosteroids},
journal = {Cochrane Database of Systematic Reviews},
year = {2015}
}
"""
    first, second = load_references(_write(tmp_path, "citation-export.bib", text)).records
    assert first.authors == ["Huey, SL", "Mehta, NH", "Mehta, S"]
    assert first.title == "Precision nutrition for obesity & overweight"
    assert first.keywords == ["*Pediatric Obesity [diet therapy, therapy]", "Child, Preschool", "Humans"]
    assert second.authors == ["Alkhawaja, S", "Martin, C"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NAME, st.text(st.sampled_from("ABCDEFGHJKLMN"), min_size=1, max_size=3)), min_size=1,
                max_size=8))
def test_cochrane_bibtex_author_lists_of_any_length(tmp_path_factory, names):
    # "Last, I, Last, I, and Last, I" (the Cochrane Library's BibTeX) of any length: every name, in order
    listed = [f"{last}, {initials}" for last, initials in names]
    author = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + ", and " + listed[-1]
    text = "@article{a,\n  author = {" + author + "},\n  title = {T},\n  year = {2020}\n}\n"
    path = tmp_path_factory.mktemp("bib") / "citation-export.bib"
    path.write_text(text, encoding="utf-8")
    assert load_references(path).records[0].authors == listed


@pytest.mark.parametrize("author, names", [
    ("Ford, Jr., Henry and King, Jr, Martin Luther", ["Ford, Henry Jr.", "King, Martin Luther Jr"]),
    ("{Smith, Jones, Brown, and Co} and Doe, J", ["Smith, Jones Brown and Co", "Doe, J"]),
    ("Smith, J, Doe, A, Roe", ["Smith, J Doe A Roe"]),
    ("Smith, J, Doe, A, Roe, B and Poe, C", ["Smith, J", "Doe, A", "Roe, B", "Poe, C"]),
])
def test_bibtex_names_with_up_to_two_commas_are_one_name(tmp_path, author, names):
    # BibTeX's own "von Last, Jr, First" has two commas and stays one name (its suffix put last, as for every
    # format), as does a braced corporate name; an odd number of comma-separated parts cannot be read as
    # Last, First pairs and stays one name.
    text = "@article{a,\n  author = {" + author + "},\n  title = {T},\n  year = {2020}\n}\n"
    assert load_references(_write(tmp_path, "refs.bib", text)).records[0].authors == names


_ACCENTED = "áéíóúàèìòùâêîôûäëïöüÿñãõçşţğčšžřůőűąęėāēīōūńśźćýŕĺľďťňẽỹ"
_COMMANDS = {"\u0301": "'", "\u0300": "`", "\u0302": "^", "\u0308": '"', "\u0303": "~", "\u0327": "c",
             "\u0306": "u", "\u030c": "v", "\u030b": "H", "\u030a": "r", "\u0328": "k", "\u0307": ".",
             "\u0304": "="}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_ACCENTED), min_size=1, max_size=6), st.sampled_from(["{\\%s%s}", "\\%s{%s}",
                                                                                   "{\\%s{%s}}"]))
def test_every_accent_command_gives_its_letter(letters, form):
    # each accented letter written as LaTeX (an accent command on its base letter, in any of the usual bracings),
    # side by side as names run: read back as the letters themselves
    import unicodedata

    from sysrev.formats.bibtex import latex_text

    def latex(letter):
        base, mark = unicodedata.normalize("NFD", letter)
        return form % (_COMMANDS[mark] + (" " if form == "{\\%s%s}" and _COMMANDS[mark].isalpha() else ""), base)

    assert latex_text("".join(latex(letter) for letter in letters)) == "".join(letters)


@pytest.mark.parametrize("latex, text", [
    # Mendeley and JabRef write symbols in abstracts as LaTeX; bibtexparser's decoder read a longer macro by
    # its first letter's accent command: \kappa became "ąppa", \leq "łeq", \lambda "łambda", \infty "ınfty".
    (r"Agreement was good ($\kappa$ = 0.8, p $\leq$ 0.05)", "Agreement was good (κ = 0.8, p ≤ 0.05)"),
    (r"$\lambda$-phage and $\infty$", "λ-phage and ∞"),
    (r"CO$_2$ and $^{18}$F-FDG uptake, I$^2$ = 45{\%}", "CO2 and 18F-FDG uptake, I2 = 45%"),
    (r"pre\textendash post \textless{} 5\ldots", "pre–post < 5…"),
    (r"{\aa}ngstr{\"o}m, {\ss}, {\l}{\'o}d{\'z}, Dvo{\v{r}}{\'a}k", "ångström, ß, łódź, Dvořák"),
    (r"$\mathbf{x}$ \textasciitilde 5", "x ~5"),
    # runs of braced accents bibtexparser's decoder garbled: "odpowiedzialnoś\\", "ā\\̄", "\\ ́m", "Ba\\ŉka"
    (r"odpowiedzialno{\'s}{\'c}, {\=a}{\=e}, {\r{a}}{\r{u}}, almennings {\'i} m{\'o}tm{\ae}lum, Ba{\'n}ka",
     "odpowiedzialność, āē, åů, almennings í mótmælum, Bańka"),
    (r"{\'\i}, \'{\i}, \v s, \v{c}, \H{o}, \k{a}, \c{s}, \u{g}, \.{z}, \d{h}", "í, í, š, č, ő, ą, ş, ğ, ż, ḥ"),
    # not accents: a command starting with an accent letter; an inter-word space after a full stop
    (r"as in \cite{x}, et al.\ Smith", "as in x, et al. Smith"),
])
def test_bibtex_latex_symbols_in_abstracts(tmp_path, latex, text):
    entry = "@article{k1,\n  title = {T},\n  abstract = {" + latex + "},\n  year = {2020}\n}\n"
    assert load_references(_write(tmp_path, "mendeley.bib", entry)).records[0].abstract == text


# --- Ovid databases other than MEDLINE and Embase -----------------------------------------------------------

_OVID_BIOSIS = """<12. >
VN  - Ovid Technologies
DB  - BIOSIS Previews
AN  - PREV200900000001
AU  - Werner, S. M. [Author, Reprint Author; E-mail: someone@example.org]
AU  - Nordheim, E. V. [Author]
TI  - A made-up comparison of sampling methods
SO  - Forest Ecology & Management. 201(2-3):327-334, November 15, 2004.
PT  - Article
YR  - 2004

<13. >
VN  - Ovid Technologies
DB  - BIOSIS Previews
AN  - PREV200900000002
AU  - Walsdorf, Neill B. [Inventor, Reprint Author]
TI  - A made-up patent
SO  - Official Gazette of the United States Patent & Trademark Office Patents. 1288(3), Nov. 16, 2004.
PT  - Patent
"""

_OVID_JOURNALS = """<6. >
VN  - Ovid Technologies
DB  - Journals@Ovid
AN  - 01445365-201506000-00011.
AU  - Lefkowitz, Rafael Y. MD, MPH 1
AU  - Zhang, Weijia 1,2,+
AU  - Peterson, James A. Ph.D., FACSM
AU  - Tran, Van Do
TI  - "A made-up title of a research article".  [Article]
SO  - American Journal Of Industrial Medicine June 2015;58(6):688-696
IS  - 0271-3586
DI  - 10.9999/made.up.22459
"""

_OVID_PSYCINFO_ONE_SPACE = """<53. >
VN - Ovid Technologies
DB - PsycINFO
AN - Book: 2011-27892-001.
TI - A made-up book chapter on procrastination. [References].

DP - 2012
YR - 2012
AU - Neenan, Michael
SO - Neenan, Michael [Ed]. (2012). A made-up book. (pp. 11-31). New York, NY, US: Routledge
PG - 11-31
AB - A made-up abstract.

<54. >
VN - Ovid Technologies
DB - PsycINFO
AN - Peer Reviewed Journal: 2015-33942-012.
TI - A made-up journal article.
YR - 2015
AU - Kobori, Osamu
JN - Journal of Made-up Psychology
VO - 75
"""


def test_ovid_biosis_citations_and_annotated_authors(tmp_path):
    # BIOSIS Previews through Ovid: no JN/VO/IP/PG tags, the citation in SO as "Journal. volume(issue):pages,
    # date"; roles and e-mail addresses in brackets after each author (they split into authors of their own,
    # "someone@example.org], E-mail:"); "Nov. 16, 2004" is a date, not volume 16.
    first, second = load_references(_write(tmp_path, "biosis.txt", _OVID_BIOSIS)).records
    assert first.authors == ["Werner, S. M.", "Nordheim, E. V."]
    assert (first.journal, first.volume, first.issue, first.pages) == ("Forest Ecology & Management", "201", "2-3",
                                                                       "327-334")
    assert first.source_id == "PREV200900000001"
    assert second.authors == ["Walsdorf, Neill B."]
    assert (second.volume, second.issue, second.pages, second.year) == ("1288", "3", "", 2004)


def test_journals_at_ovid_citation_degrees_and_record_type(tmp_path):
    # Journals@Ovid: the date between journal and volume ("June 2015;58(6):688-696"), degrees and affiliation
    # markers after names, the record type after the title, the DOI in DI and the accession number in AN.
    record = load_references(_write(tmp_path, "jovid.txt", _OVID_JOURNALS)).records[0]
    assert record.authors == ["Lefkowitz, Rafael Y.", "Zhang, Weijia", "Peterson, James A.", "Tran, Van Do"]
    assert record.title == '"A made-up title of a research article".'
    assert (record.journal, record.year, record.volume, record.issue, record.pages) == (
        "American Journal Of Industrial Medicine", 2015, "58", "6", "688-696")
    assert record.doi == "10.9999/made.up.22459"
    assert record.source_id == "01445365-201506000-00011"


def test_ovid_psycinfo_with_one_space_tags_and_a_blank_line_inside_a_record(tmp_path):
    # "VN - " padded with one space: every line after the first was read as the first field's continuation, so
    # the records had no title, authors or year (only a "no title" warning); a blank line after TI split a
    # record in two. Ovid numbers its records, so the numbers separate them.
    chapter, article = load_references(_write(tmp_path, "psycinfo.txt", _OVID_PSYCINFO_ONE_SPACE)).records
    assert chapter.title == "A made-up book chapter on procrastination."
    assert (chapter.authors, chapter.year, chapter.pages) == (["Neenan, Michael"], 2012, "11-31")
    assert chapter.abstract == "A made-up abstract."
    assert (article.title, article.journal, article.volume) == ("A made-up journal article.",
                                                                "Journal of Made-up Psychology", "75")


@pytest.mark.parametrize("source, fields", [
    ("Journal of Pain. 19 (3) (pp 275-283), 2018.",  # Embase
     {"journal": "Journal of Pain", "volume": "19", "issue": "3", "pages": "pp 275-283", "year": "2018"}),
    ("Anesthesia & Analgesia 2019;128(3):500-510",  # a year before the volume is not the volume
     {"journal": "Anesthesia & Analgesia", "volume": "128", "issue": "3", "pages": "500-510", "year": "2019"}),
    ("Journal of Current Southeast Asian Affairs, 2013(1): 3-28.",  # a year-numbered volume with an issue
     {"journal": "Journal of Current Southeast Asian Affairs", "volume": "2013", "issue": "1", "pages": "3-28"}),
    ("Some Proceedings. 2005; 9pp..", {"journal": "Some Proceedings", "year": "2005"}),
    ("Hydrobiologia. 2007 15 June; 433-441.", {"journal": "Hydrobiologia", "year": "2007"}),
    ("Editor, A [Ed]. Methods in protein analysis.:371-397, 2004.", {"year": "2004"}),
    ("Dissertation Abstracts International. Vol.75(2-A(E)),2014, pp. No Pagination Specified.",
     {"journal": "Dissertation Abstracts International", "volume": "75", "issue": "2-A(E)", "year": "2014"}),
    # PsycINFO's pages after "pp." and IPSA's range after the date were not read (Zotero's Ovid test cases)
    ("Journal of Abnormal Psychology. Vol.128(5), Jul 2019, pp. 431-443.",
     {"journal": "Journal of Abnormal Psychology", "volume": "128", "issue": "5", "year": "2019", "pages": "431-443"}),
    ("Methods in Proteome and Protein Analysis. 2004. pp. 371-397.",
     {"journal": "Methods in Proteome and Protein Analysis", "year": "2004", "pages": "371-397"}),
    ("Journal of Political Studies 12, Winter 2007: 7-14.",
     {"journal": "Journal of Political Studies", "volume": "12", "year": "2007", "pages": "7-14"}),
    ("Lancet 2019: 393.", {"year": "2019"}),  # a lone number after the year may be a volume: no pages
    ("", {}),
])
def test_ovid_citations_of_each_layout(source, fields):
    from sysrev.formats.ovid import citation
    assert citation(source) == fields


_JOURNAL_WORDS = ["Journal", "of", "Pain", "Medicine", "Acta", "Chirurgica", "Belgica", "Health", "Fitness",
                  "American", "Industrial", "Forest", "Ecology", "&", "Management", "Spine", "BMJ", "Open"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_JOURNAL_WORDS), min_size=1, max_size=6).filter(lambda w: "&" not in (w[0], w[-1])),
       st.sampled_from(["", "January", "June", "November/December", "Spring", "Sep"]), st.integers(1950, 2030),
       st.integers(1, 999), st.one_of(st.none(), st.integers(1, 12)), st.integers(1, 2000), st.integers(0, 40),
       st.booleans())
def test_ovid_citations_read_back_what_they_were_written_from(words, month, year, volume, issue, first, span,
                                                             biosis):
    # BIOSIS' "Journal. 201(2-3):327-334, November 15, 2004." and Journals@Ovid's "Journal June 2015;58(6):688-696",
    # written from known parts, give those parts back
    from sysrev.formats.ovid import citation

    journal, pages = " ".join(words), f"{first}-{first + span}" if span else str(first)
    numbers, dated = f"{volume}({issue})" if issue else str(volume), f"{month} {year}".strip()
    source = f"{journal}. {numbers}:{pages}, {dated}." if biosis else f"{journal} {dated};{numbers}:{pages}"
    assert citation(source) == {"journal": journal, "volume": str(volume), "pages": pages, "year": str(year),
                                **({"issue": str(issue)} if issue else {})}


@settings(max_examples=200, deadline=None)
@given(_NAME, st.lists(_NAME, min_size=1, max_size=2),
       st.lists(st.sampled_from(["MD", "PhD", "Ph.D.", "MPH", "FACSM", "RN", "MSc"]), max_size=3),
       st.sampled_from(["", " 1", " 1,2,+", " *", " 2 +"]),
       st.sampled_from(["", " [Author]", " [Author, Reprint Author; E-mail: someone@example.org]"]))
def test_ovid_author_names_lose_only_what_ovid_appended(surname, given_names, degrees, marker, bracket):
    # degrees, affiliation markers and bracketed roles in any combination come off; the name itself stays
    from sysrev.formats.ovid import author

    name = f"{surname}, {' '.join(given_names)}"
    assert author(name + (" " + ", ".join(degrees) if degrees else "") + marker + bracket) == name


# --- Web of Science early access and group authors ----------------------------------------------------------

def test_web_of_science_tagged_early_access_year_and_group_author(tmp_path):
    # Clarivate's field tags: an early-access article has no PY until it is in an issue, only EY (early access
    # year) and EA (early access date); CA is the group author ("Grp" is WoS's abbreviation of Group).
    # A group author is kept as written, even without a word such as "Group" (WoS abbreviates "Care" to "Ca").
    text = ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nAF Smith, John\nCA COVID Trial Grp\n"
            "TI Early access title\nSO PAIN\nEA MAR 2021\nEY 2021\nUT WOS:000612345600002\nER\n\n"
            "PT J\nAU Doe, K\nCA Swiss Quality Indicator Primary Ca\nTI Date only\nSO PAIN\nEA APR 2022\n"
            "UT WOS:000612345600003\nER\n\nEF\n")
    first, second = load_references(_write(tmp_path, "savedrecs.txt", text)).records
    assert (first.year, first.authors) == (2021, ["Smith, John", "COVID Trial Grp"])
    assert (second.year, second.authors) == (2022, ["Doe, K", "Swiss Quality Indicator Primary Ca"])


def test_web_of_science_tab_delimited_early_access_year(tmp_path):
    # The tab-delimited export of the same records: PY empty, EY filled; a printed article keeps its PY.
    header = "PT\tAU\tAF\tTI\tSO\tPY\tEA\tEY\tDI\tUT"
    rows = ["J\tSmith, J\tSmith, John\tEarly access title\tPAIN\t\tMAR 2021\t2021\t10.1000/ea\tWOS:000612345600002\t",
            "J\tDoe, K\tDoe, Karen\tPrinted\tPAIN\t2020\tJAN 2019\t2019\t10.1000/p\tWOS:000612345600003\t"]
    records = load_references(_write(tmp_path, "savedrecs.txt", "\n".join([header, *rows]) + "\n")).records
    assert [(r.source_id, r.year) for r in records] == [("WOS:000612345600002", 2021), ("WOS:000612345600003", 2020)]
    # Elsewhere a second date column may mean something else (when a record was screened): an empty Year stays
    # empty rather than taking it.
    other = load_references(_write(tmp_path, "sheet.csv", "Title,Year,Date,DOI\nA,,2023-05-01,10.1/a\n")).records
    assert other[0].year is None


def test_web_of_science_lines_that_lost_their_indent_are_continuations(tmp_path):
    # Text copied out of a Web of Science export loses the three-space indent of its continuation lines; they
    # were dropped silently (a title cut after its first line, the second author lost). BIOSIS records put the
    # e-mail address after an author's name.
    text = ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nUT BCI:BCI201300000001\n"
            "TI A made-up title that runs on\nover two lines\n"
            "AU Medvedeff, C. A. (someone@example.edu)\nHershey, A. E.\n"
            "PY 2013\nPS 221-230\nER\n\nEF\n")
    parsed = load_references(_write(tmp_path, "savedrecs.txt", text))
    record = parsed.records[0]
    assert record.title == "A made-up title that runs on over two lines"
    assert record.authors == ["Medvedeff, C. A.", "Hershey, A. E."]
    assert record.pages == "221-230"  # CABI and BIOSIS records give the page span PS, not BP and EP
    assert "line 6: 2 lines inside records neither start with a tag nor are indented" in parsed.warnings[0]


@pytest.mark.parametrize("span, pages", [
    ("221-230", "221-230"), ("(36-45)", "36-45"), ("2-10,illust.", "2-10"), ("1-42 figs.", "1-42"),
    ("pp. 78-81", "78-81"), ("e0191645", "e0191645"), ("14pp.", ""), ("9 pp", ""), ("Unpaginated", ""),
])
def test_web_of_science_page_span_in_both_exports(tmp_path, span, pages):
    # Zoological Record and BIOSIS give only the page span PS, with page counts and notes on illustrations.
    tagged = f"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI A made-up title\nPY 2019\nPS {span}\nER\n\nEF\n"
    tab = f"PT\tAU\tTI\tSO\tPY\tPS\tBP\tEP\tUT\nJ\tDoe, J\tA made-up title\tJ Made Up\t2019\t{span}\t\t\tZOOREC:1\n"
    assert load_references(_write(tmp_path, "savedrecs.txt", tagged)).records[0].pages == pages
    assert load_references(_write(tmp_path, "savedrecs_tab.txt", tab)).records[0].pages == pages


def test_a_venue_column_names_the_journal(tmp_path):
    # Semantic Scholar's export and the tools built on it (Elicit) call the journal the venue.
    text = ('Title,Authors,DOI,Venue,Year,Abstract\n'
            '"A made-up trial","Smith, J; Doe, A",10.9999/x,Pain Medicine,2021,x\n')
    record = load_references(_write(tmp_path, "elicit.csv", text)).records[0]
    assert (record.journal, record.year) == ("Pain Medicine", 2021)


# --- encodings ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark(tmp_path, encoding):
    # Windows scripts (PowerShell's Out-File, "Unicode" exports piped on) write UTF-16 without a BOM; read as
    # UTF-8 it became "T\x00Y\x00…" and was refused as an unknown format.
    text = "TY  - JOUR\nTI  - Étude contrôlée\nAU  - Müller, Jörg\nPY  - 2018\nER  - \n"
    parsed = load_references(_write(tmp_path, "export.ris", text, encoding=encoding))
    assert parsed.encoding == encoding and any("without a byte-order mark" in w for w in parsed.warnings)
    assert [(r.title, r.authors, r.year) for r in parsed.records] == [("Étude contrôlée", ["Müller, Jörg"], 2018)]


def test_utf8_file_with_a_few_windows_bytes(tmp_path):
    # A UTF-8 export with a record pasted in from a Windows ("ANSI", cp1252) one: read wholly as cp1252, the
    # UTF-8 record's accents became "Ã‰tude contrÃ´lÃ©e"; read byte by byte both records are right.
    data = ("TY  - JOUR\nTI  - Étude contrôlée\nAU  - Müller, Jörg\nER  - \n\n".encode()
            + "TY  - JOUR\nTI  - Café au lait – a trial\nAU  - Nuñez, José\nER  - \n".encode("cp1252"))
    path = tmp_path / "joined.ris"
    path.write_bytes(data)
    parsed = load_references(path)
    assert [(r.title, r.authors) for r in parsed.records] == [
        ("Étude contrôlée", ["Müller, Jörg"]), ("Café au lait – a trial", ["Nuñez, José"])]
    assert parsed.encoding == "utf-8" and any("line 7" in w and "cp1252" in w for w in parsed.warnings)


def test_utf8_encoded_twice_is_repaired(tmp_path):
    # A UTF-8 export opened in Excel (which reads a CSV without BOM in the Windows code page) and saved as
    # "CSV UTF-8": every accented letter became two or three characters ("MÃ¼ller", "â€“").
    text = "Title,Authors,Year\n\"Étude contrôlée – essai\",\"Müller, Jörg; Núñez, José\",2018\n"
    mangled = text.encode("utf-8").decode("cp1252")
    assert "MÃ¼ller" in mangled  # the quirk is really in the file
    parsed = load_references(_write(tmp_path, "excel.csv", mangled))
    record = parsed.records[0]
    assert (record.title, record.authors) == ("Étude contrôlée – essai", ["Müller, Jörg", "Núñez, José"])
    assert any("encoded twice" in w and "line 2" in w for w in parsed.warnings)
    # Text that cannot be such a file (a character cp1252 lacks) is left alone, with a warning to check it.
    parsed = load_references(_write(tmp_path, "mixed.csv", mangled.replace("2018", "2018 ✓")))
    assert parsed.records[0].authors[0] == "MÃ¼ller, JÃ¶rg" and any("check the accents" in w for w in parsed.warnings)


def test_invisible_characters_do_not_split_identifiers_or_titles(tmp_path):
    # PubMed abstracts carry zero-width spaces (the shared balloon-guide NBIB export has four); after a DOI one
    # made the same DOI from two databases differ, and a soft hyphen from a publisher's HTML split a title word.
    text = ("TY  - JOUR\nTI  - Pharma\u00adcology of pain\nDO  - 10.1097/BRS.0000000000002900\u200b\n"
            "AB  - (MCA).\u200b METHODS: text.\nER  - \n")
    record = load_references(_write(tmp_path, "refs.ris", text)).records[0]
    assert (record.title, record.doi, record.abstract) == (
        "Pharmacology of pain", "10.1097/brs.0000000000002900", "(MCA). METHODS: text.")


# --- layouts refused with the export to choose instead ------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    # Scopus' plain-text export (its BibTeX starts with the same two lines, and is read).
    ("Scopus\nEXPORT DATE: 17 February 2024\n\nAdams H.\nVija Celmins: The Art of Enervation\n(2023) Zeitschrift "
     "fur Kunstgeschichte, 86 (1), pp. 100-127.\n\nDOI: 10.1515/ZKG-2023-1007\n", ["Scopus' plain-text", "CSV, RIS"]),
    # RefWorks' own tagged format (not RIS).
    ("RT Journal Article\nSR Electronic(1)\nID 123\nA1 Smith, John\nT1 A refworks title\n", ["RefWorks", "RIS"]),
    # PubMed's "Abstract (text)" and "Summary (text)" displays saved as a file.
    ("1. Lancet. 2020 Jan 4;395(10217):1-2. doi: 10.1016/S0140-6736(19)32971-X.\n\nA trial.\n\nSmith J(1).\n\n"
     "DOI: 10.1016/S0140-6736(19)32971-X\nPMID: 31912345\n", ["PubMed's 'Summary' or 'Abstract'", ".nbib"]),
    ("1. Smith J, Doe K. A trial. Lancet. 2020;395:1-2. doi: 10.1016/x. PMID: 31912345.\n\n2. Lee M. B. "
     "Spine. 2019. PMID: 30000001.\n", ["PubMed's 'Summary' or 'Abstract'"]),
    # PubMed's "PMID" export: identifiers only.
    ("30668574\n30235242\n30605475\n", ["list of identifiers", "Citation manager"]),
    ("10.1000/abc\n10.1016/j.x.2020.01.001\n", ["list of identifiers"]),
    # A results page saved from the browser.
    ("<!DOCTYPE html>\n<html><body>results</body></html>", ["root <html>", "web page"]),
])
def test_unsupported_layouts_are_refused_naming_what_to_export(tmp_path, text, words):
    with pytest.raises(InputError) as err:
        load_references(_write(tmp_path, "export.txt", text))
    message = str(err.value)
    assert "export.txt" in message and all(word in message for word in words), message


def test_openalex_flattened_csv_columns_and_inverted_index_abstract(tmp_path):
    # OpenAlex's CSV flattens its work objects into dotted column names (primary_location.source.display_name,
    # biblio.volume …) and gives the abstract as an inverted index; journal, volume, issue, pages, PMID and the
    # abstract were left in the extra fields.
    index = '"{""Made-up"": [0], ""abstract"": [1, 3], ""one"": [2], ""two."": [4]}"'
    text = ("id,doi,display_name,publication_year,authorships.author.display_name,"
            "primary_location.source.display_name,biblio.volume,biblio.issue,biblio.first_page,biblio.last_page,"
            "ids.pmid,abstract_inverted_index\n"
            "https://openalex.org/W1,https://doi.org/10.1000/X1,A made-up trial,2019,Anna Example|Carl Sample,"
            f"Pain Medicine,20,3,301,309,https://pubmed.ncbi.nlm.nih.gov/31234567,{index}\n")
    (record,) = load_references(_write(tmp_path, "works.csv", text)).records
    assert (record.title, record.authors, record.year) == ("A made-up trial", ["Example, Anna", "Sample, Carl"], 2019)
    assert (record.journal, record.volume, record.issue, record.pages) == ("Pain Medicine", "20", "3", "301-309")
    assert (record.doi, record.pmid) == ("10.1000/x1", "31234567")
    assert record.abstract == "Made-up abstract one abstract two."


def test_bibtex_in_the_encoding_its_jabref_header_names(tmp_path):
    # JabRef's first line names the encoding it saved the file in. Read as the cp1252 guess for files that are
    # not UTF-8, a Central European file turned "Łukasz" into "£ukasz", with a warning to check the accents.
    text = "% Encoding: ISO-8859-2\n\n@article{w1,\n  author = {Wójcik, Łukasz},\n  title = {Ból krzyża}\n}\n"
    parsed = load_references(_write(tmp_path, "latin2.bib", text, encoding="iso-8859-2"))
    assert (parsed.records[0].authors, parsed.records[0].title) == (["Wójcik, Łukasz"], "Ból krzyża")
    assert not [w for w in parsed.warnings if "UTF-8" in w]
    # a header that names the wrong encoding is not trusted: the usual guess, with its warning
    cp1252_text = text.replace("ISO-8859-2", "UTF-8").replace("Ł", "L").replace("ż", "z")
    wrong = load_references(_write(tmp_path, "wrong.bib", cp1252_text, encoding="cp1252"))
    assert wrong.records[0].authors == ["Wójcik, Lukasz"]
    assert any("not valid UTF-8" in w and "cp1252" in w for w in wrong.warnings)
