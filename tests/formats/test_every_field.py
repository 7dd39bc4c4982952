"""Every field a reader maps, read into the record it belongs to — checked whole, one made-up record per format.

The other format tests follow one concern each (cut-off files, encodings, layouts); here each reader gets a
record that fills every tag it knows, and the whole Record is compared, so a tag read into the wrong field,
dropped, or kept twice is seen. The values are written to be told apart (no two fields share a value).
"""

from sysrev.formats import load_references
from sysrev.records import Record


def _read(path):
    parsed = load_references(path)
    return parsed, [r.to_dict() for r in parsed.records]


def _empty(**fields):
    """A record's dict with every field empty (a file's records have the source 'file') but those given."""
    return {**Record(source_id="", source="file").to_dict(), **fields}


ENW = """\
%0 Journal Article
%T Ultrasound-guided versus fluoroscopy-guided
caudal epidural injection
%A Park, Ki Deok
%A Kim, Tae Kyun
%E Editor, Ed
%J Pain Physician
%B Ignored Series
%D 2013
%V 16
%N 3
%P 213-221
%R 10.36076/ppj.2013/16/213
%U https://example.org/park2013
%X Background: a randomised trial.
Methods: sixty patients.
%K low back pain
%K epidural injection
%@ 1533-3159
%M 23703408
%G English
%2 PMC1234567
%F Park2013
%1 custom one
%1 custom two

%0 Book
%T Interventional pain
%A Smith, Ann
%B Book Series Title
%@ 978-3-16-148410-0
%8 2020

%0 Journal Article
%T A record whose PMID is in a note
%Z PMID: 31234567

%0 Journal Article
%T A record from PubMed
%M 32345678
%W NLM

%0 Journal Article
%T A record with a PubMed link
%M EMB-123
%U https://pubmed.ncbi.nlm.nih.gov/33456789/
"""


def test_endnote_tagged_every_tag(write_file):
    parsed, records = _read(write_file("refs.enw", ENW))
    assert parsed.format == "endnote_tagged" and parsed.warnings == []
    assert records[0] == _empty(
        # %M is a bare number, but nothing says the record came from PubMed: another database's accession
        source_id="23703408", title="Ultrasound-guided versus fluoroscopy-guided caudal epidural injection",
        abstract="Background: a randomised trial. Methods: sixty patients.",
        authors=["Park, Ki Deok", "Kim, Tae Kyun"], year=2013, journal="Pain Physician", volume="16", issue="3",
        pages="213-221", doi="10.36076/ppj.2013/16/213", pmcid="PMC1234567", issn="1533-3159",
        language="English", publication_types=["Journal Article"], keywords=["low back pain", "epidural injection"],
        url="https://example.org/park2013",
        extra={"type": "Journal Article", "editors": ["Editor, Ed"],
               "fields": {"%F": "Park2013", "%1": ["custom one", "custom two"]}})
    # a book: %B is its series and %@ its ISBN — neither a journal nor an ISSN, and neither lost
    assert records[1] == _empty(
        source_id="refs.enw:27", title="Interventional pain", authors=["Smith, Ann"], year=2020,
        publication_types=["Book"],
        extra={"type": "Book",
               "fields": {"%B": "Book Series Title", "%@": "978-3-16-148410-0", "%8": "2020"}})
    assert records[2] == _empty(
        source_id="refs.enw:34", title="A record whose PMID is in a note", pmid="31234567",
        publication_types=["Journal Article"],
        extra={"type": "Journal Article", "fields": {"%Z": "PMID: 31234567"}})
    assert records[3] == _empty(
        source_id="32345678", title="A record from PubMed", pmid="32345678", publication_types=["Journal Article"],
        extra={"type": "Journal Article", "fields": {"%W": "NLM"}})
    assert records[4] == _empty(
        source_id="EMB-123", title="A record with a PubMed link", pmid="33456789",
        url="https://pubmed.ncbi.nlm.nih.gov/33456789/", publication_types=["Journal Article"],
        extra={"type": "Journal Article"})


WOS = """\
FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Park, KD
   Kim, TK
AF Park, Ki Deok
   Kim, Tae Kyun (tkkim@example.edu)
CA Spine Trial Group
TI Ultrasound-guided versus fluoroscopy-guided caudal
   epidural injection
SO PAIN PHYSICIAN
LA English
DT Article; Clinical Trial
DE low back pain; epidural injection
ID RANDOMIZED-TRIAL; STEROIDS
AB Background: a randomised trial.
   Methods: sixty patients.
C1 [Park, Ki Deok] Univ X, Seoul, South Korea.
SN 1533-3159
EI 2150-1149
J9 PAIN PHYSICIAN
JI Pain Physician
PD MAY-JUN
PY 2013
VL 16
IS 3
BP 213
EP 221
DI 10.36076/ppj.2013/16/213
PM 23703408
UT WOS:000319100000005
ER

PT J
AU Lee, S
TI An early-access article
SO SPINE
J9 SPINE
EI 1528-1159
EA MAR 2024
AR e123
AN BCI:BCI202400001
ER

PT B
AU Roe, R
TI A book with a page span
PS 45-67
PY 2019
ER

EF
"""


def test_web_of_science_every_tag(write_file):
    parsed, records = _read(write_file("savedrecs.txt", WOS))
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("wos", "web-of-science", [])
    wos = {"source": "web-of-science"}
    # full names (AF, an e-mail after a name dropped) before the short ones (AU), the group author last
    assert records[0] == _empty(
        **wos, source_id="WOS:000319100000005",
        title="Ultrasound-guided versus fluoroscopy-guided caudal epidural injection",
        abstract="Background: a randomised trial. Methods: sixty patients.",
        authors=["Park, Ki Deok", "Kim, Tae Kyun", "Spine Trial Group"], year=2013, journal="PAIN PHYSICIAN",
        journal_abbrev="Pain Physician", volume="16", issue="3", pages="213-221", doi="10.36076/ppj.2013/16/213",
        pmid="23703408", issn="1533-3159", language="English", publication_types=["Article", "Clinical Trial"],
        keywords=["low back pain", "epidural injection", "RANDOMIZED-TRIAL", "STEROIDS"],
        extra={"type": "J", "fields": {"C1": "[Park, Ki Deok] Univ X, Seoul, South Korea.", "EI": "2150-1149",
                                       "J9": "PAIN PHYSICIAN", "PD": "MAY-JUN"}})
    # early access: no PY yet (the year of EA), no UT (AN), no page range (the article number), e-ISSN only
    assert records[1] == _empty(
        **wos, source_id="BCI:BCI202400001", title="An early-access article", authors=["Lee, S"], year=2024,
        journal="SPINE", journal_abbrev="SPINE", pages="e123", issn="1528-1159", extra={"type": "J"})
    assert records[2] == _empty(
        **wos, source_id="savedrecs.txt:45", title="A book with a page span", authors=["Roe, R"], year=2019,
        pages="45-67", extra={"type": "B"})


def test_web_of_science_keeps_the_source_it_is_given(write_file):
    path = write_file("savedrecs.txt", WOS)
    assert {r.source for r in load_references(path, source="wos-core").records} == {"wos-core"}


CSL = """\
[
{"id": "park2013", "type": "article-journal",
 "title": "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection",
 "abstract": "Background: a randomised trial.",
 "author": [{"family": "Park", "given": "Ki Deok"}, {"family": "Berg", "non-dropping-particle": "van den",
             "given": "Anna"}, {"literal": "Spine Trial Group"}, {"given": "Madonna"}, {}],
 "issued": {"date-parts": [[2013, 5]]}, "container-title": "Pain Physician", "journalAbbreviation": "Pain Phys",
 "volume": 16, "issue": "3", "page": "213-221", "DOI": "10.36076/ppj.2013/16/213", "PMID": "23703408",
 "PMCID": "PMC1234567", "ISSN": ["1533-3159", "2150-1149"], "language": "en",
 "keyword": "low back pain, epidural injection", "URL": "https://example.org/park2013", "publisher": "ASIPP",
 "note": "", "event": {}},
{"type": "chapter", "title": "A chapter", "issued": {"raw": "2019-03"}, "container-title-short": "Short",
 "journalAbbreviation": "Abbrev", "keyword": ["one", "two"]}
]
"""


def test_csl_json_every_variable(write_file):
    parsed, records = _read(write_file("zotero.json", CSL))
    assert parsed.format == "csl_json" and parsed.warnings == []
    # authors: family with its particle, a literal name, a given name alone; an empty name object left out
    assert records[0] == _empty(
        source_id="park2013", title="Ultrasound-guided versus fluoroscopy-guided caudal epidural injection",
        abstract="Background: a randomised trial.",
        authors=["Park, Ki Deok", "van den Berg, Anna", "Spine Trial Group", "Madonna"], year=2013,
        journal="Pain Physician", journal_abbrev="Pain Phys", volume="16", issue="3", pages="213-221",
        doi="10.36076/ppj.2013/16/213", pmid="23703408", pmcid="PMC1234567", issn="1533-3159", language="en",
        publication_types=["article-journal"], keywords=["low back pain", "epidural injection"],
        url="https://example.org/park2013",
        extra={"type": "article-journal", "fields": {"publisher": "ASIPP"}})  # empty variables not kept
    # no id: the item's place; a raw date; the short container title before Zotero's abbreviation
    assert records[1] == _empty(
        source_id="zotero.json:2", title="A chapter", year=2019, journal_abbrev="Short", keywords=["one", "two"],
        publication_types=["chapter"], extra={"type": "chapter"})
    assert {r.source for r in load_references(write_file("zotero.json", CSL), source="zotero").records} == {"zotero"}


ENDNOTE_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<xml><records>
<record><database name="My.enl">My.enl</database><rec-number>12</rec-number>
<ref-type name="Journal Article">17</ref-type>
<contributors><authors><author><style face="normal">Park, Ki Deok</style></author><author>Kim, Tae Kyun</author>
</authors><secondary-authors><author>Editor, Ed</author></secondary-authors></contributors>
<titles><title><style face="normal">US versus </style><style face="italic">fluoroscopy</style><style>-guided</style>
</title>
<secondary-title>Pain Physician (secondary)</secondary-title><alt-title>Pain Phys (alt)</alt-title></titles>
<periodical><full-title>Pain Physician</full-title><abbr-1>Pain Physician</abbr-1></periodical>
<pages>213-21</pages><volume>16</volume><number>3</number>
<keywords><keyword>low back pain&#xD;epidural injection</keyword><keyword>ultrasound</keyword></keywords>
<dates><year>2013</year></dates><isbn>1533-3159 (Print)</isbn>
<accession-num>23703408</accession-num><electronic-resource-num>S1234-5678(13)00001-2</electronic-resource-num>
<electronic-resource-num>10.36076/ppj.2013/16/213</electronic-resource-num>
<abstract>Background: a randomised trial.</abstract><notes>PMCID: PMC1234567</notes>
<urls><related-urls><url>https://example.org/park2013</url></related-urls>
<web-urls><url>https://example.org/web</url></web-urls></urls>
<remote-database-provider>NLM</remote-database-provider><language>eng</language><label>trial</label></record>
<record><rec-number>13</rec-number><ref-type name="Book">6</ref-type>
<titles><title>Interventional pain</title><secondary-title>Series</secondary-title></titles>
<alt-periodical><full-title>Alt Journal</full-title><abbr-1>Alt J</abbr-1></alt-periodical>
<dates><pub-dates><date>2020</date></pub-dates></dates><isbn>978-3-16-148410-0</isbn><issue>7</issue>
<urls><web-urls><url>https://doi.org/10.1000/book.1</url></web-urls></urls></record>
<record><ref-type name="Journal Article">17</ref-type><titles><title>From Embase</title>
<secondary-title>Spine</secondary-title><alt-title>Spine (Phila)</alt-title></titles>
<accession-num>620000001</accession-num><remote-database-name>Embase</remote-database-name>
<urls><related-urls><url>https://pubmed.ncbi.nlm.nih.gov/34567890/</url></related-urls></urls></record>
</records></xml>
"""


def test_endnote_xml_every_element(write_file):
    parsed, records = _read(write_file("library.xml", ENDNOTE_XML))
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("endnote_xml", "", [])  # three databases
    # styled runs joined; the DOI among two electronic resource numbers; a PubMed record by its provider (NLM)
    assert records[0] == _empty(
        source="pubmed", source_id="23703408", title="US versus fluoroscopy-guided",
        abstract="Background: a randomised trial.", authors=["Park, Ki Deok", "Kim, Tae Kyun"], year=2013,
        journal="Pain Physician", journal_abbrev="Pain Physician", volume="16", issue="3", pages="213-221",
        doi="10.36076/ppj.2013/16/213", pmid="23703408", pmcid="PMC1234567", issn="1533-3159", language="eng",
        publication_types=["Journal Article"], keywords=["low back pain", "epidural injection", "ultrasound"],
        url="https://example.org/park2013",
        extra={"type": "Journal Article", "editors": ["Editor, Ed"], "notes": "PMCID: PMC1234567",
               "fields": {"database": "My.enl", "remote-database-provider": "NLM", "label": "trial"}})
    # a book: its secondary title is the series and its ISBN no ISSN (both kept); the DOI from a doi.org link
    assert records[1] == _empty(
        source_id="13", title="Interventional pain", year=2020, journal="Alt Journal", journal_abbrev="Alt J",
        issue="7", doi="10.1000/book.1", publication_types=["Book"], url="https://doi.org/10.1000/book.1",
        extra={"type": "Book", "fields": {"isbn": "978-3-16-148410-0", "secondary-title": "Series"}})
    # another database's accession number is no PMID; a PubMed link is
    assert records[2] == _empty(
        source="embase", source_id="620000001", title="From Embase", journal="Spine", journal_abbrev="Spine (Phila)",
        pmid="34567890", publication_types=["Journal Article"], url="https://pubmed.ncbi.nlm.nih.gov/34567890/",
        extra={"type": "Journal Article"})


NBIB = """\
PMID- 23703408
OWN - NLM
STAT- MEDLINE
DCOM- 20131210
IS  - 2150-1149 (Electronic)
IS  - 1533-3159 (Linking)
VI  - 16
IP  - 3
DP  - 2013 May-Jun
TI  - Ultrasound-guided versus fluoroscopy-guided caudal epidural steroid
      injection for unilateral lower lumbar radicular pain.
PG  - 213-21
LID - 10.5555/pii.2013.1 [pii]
LID - 10.36076/ppj.2013/16/213 [doi]
AB  - BACKGROUND: A randomised trial.
FAU - Park, Ki Deok
AU  - Park KD
FAU - Kim, Tae Kyun
AU  - Kim TK
CN  - Spine Trial Group
LA  - eng
PT  - Comparative Study
PT  - Journal Article
PL  - United States
TA  - Pain Physician
JT  - Pain physician
MH  - Humans
MH  - *Injections, Epidural
OT  - ultrasound
PMC - PMC1234567
EDAT- 2013/05/25 06:00
SO  - Pain Physician. 2013 May-Jun;16(3):213-21.

PMID- 28613625
STAT- Publisher
DRDT- 20230101
DP  - 2023 Jan
BTI - StatPearls
AU  - Doe J
LA  - eng
PT  - Review
PT  - Book Chapter
TI  - Low Back Pain
"""

OVID_UNNUMBERED = """\
VN  - Ovid Technologies
DB  - Embase
AN  - 620000001
TI  - Caudal epidural injection under ultrasound
AU  - Roe R.
YR  - 2019
JN  - Spine Journal
VO  - 19
ISSN- 1529-9430
LG  - English
PM  - 31234567
DO  - https://dx.doi.org/10.1016/j.spinee.2019.01.001
SO  - Spine Journal. 19 (5) (pp 800-806), 2019.
"""


def test_medline_every_tag(write_file):
    parsed, records = _read(write_file("pubmed.nbib", NBIB))
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("nbib", "pubmed", [])
    # full names before the short ones, the group author last; the DOI is the id marked [doi], not the
    # publisher id before it; the first ISSN; subject headings then author keywords
    assert records[0] == _empty(
        source="pubmed", source_id="23703408",
        title="Ultrasound-guided versus fluoroscopy-guided caudal epidural steroid injection for unilateral lower "
              "lumbar radicular pain.",
        abstract="BACKGROUND: A randomised trial.", authors=["Park, Ki Deok", "Kim, Tae Kyun", "Spine Trial Group"],
        year=2013, journal="Pain physician", journal_abbrev="Pain Physician", volume="16", issue="3",
        pages="213-221", doi="10.36076/ppj.2013/16/213", pmid="23703408", pmcid="PMC1234567", issn="2150-1149",
        language="eng", publication_types=["Comparative Study", "Journal Article"],
        keywords=["Humans", "*Injections, Epidural", "ultrasound"],
        extra={"type": "Comparative Study",
               "fields": {"OWN": "NLM", "STAT": "MEDLINE", "DCOM": "20131210", "PL": "United States",
                          "EDAT": "2013/05/25 06:00", "SO": "Pain Physician. 2013 May-Jun;16(3):213-21."}})
    # a Bookshelf chapter: its title, and the book it is in where a journal would be
    assert records[1] == _empty(
        source="pubmed", source_id="28613625", title="Low Back Pain", authors=["Doe, J"], year=2023,
        journal="StatPearls", pmid="28613625", language="eng", publication_types=["Review", "Book Chapter"],
        extra={"type": "Review", "fields": {"STAT": "Publisher", "DRDT": "20230101"}})


def test_ovid_medline_layout_every_tag_without_record_numbers(write_file):
    parsed, records = _read(write_file("ovid.txt", OVID_UNNUMBERED))
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("nbib", "embase", [])
    # the issue and pages only in the SO citation; the PMID from PM; the DOI from its resolver URL
    assert records == [_empty(
        source="embase", source_id="620000001", title="Caudal epidural injection under ultrasound",
        authors=["Roe, R."], year=2019, journal="Spine Journal", volume="19", issue="5", pages="800-806",
        doi="10.1016/j.spinee.2019.01.001", pmid="31234567", issn="1529-9430", language="English",
        extra={"fields": {"VN": "Ovid Technologies", "DB": "Embase", "AN": "620000001",
                          "SO": "Spine Journal. 19 (5) (pp 800-806), 2019."}})]


RIS = """\
TY  - JOUR
ID  - 12
AN  - 23703408
DP  - NLM
TI  - Ultrasound-guided versus fluoroscopy-guided caudal injection
AU  - Park, Ki Deok
AU  - Kim, Tae Kyun
PY  - 2013///
JF  - Pain Physician
JA  - Pain Phys
VL  - 16
IS  - 3
SP  - 213
EP  - 21
DO  - 10.36076/ppj.2013/16/213
SN  - 1533-3159
LA  - eng
KW  - low back pain
KW  - epidural injection
UR  - https://example.org/park2013
L2  - https://example.org/fulltext
AB  - Background: a randomised trial.
N2  - A different second abstract.
N1  - PMCID: PMC1234567
ER  - 

TY  - BOOK
A1  - Smith, Ann
BT  - Interventional pain
SN  - 978-3-16-148410-0
DA  - 2020/01/01
VO  - 2
ER  - 

TY  - JOUR
TI  - A Scopus record
UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000001&partnerID=40
M3  - Article
C2  - 31234567
C7  - e0123
JO  - Spine
DB  - Scopus
ER  - 

TY  - XYZ
CT  - A record with an unknown type and a DOI in M3
M3  - 10.1000/m3.doi
ID  - CN-01234567
ER  - 

TY  - JOUR
T1  - A Rayyan record with a DOI link
AN  - rayyan-123
L3  - https://doi.org/10.1000/l3.doi
ER  - 
"""


def test_ris_every_tag(write_file):
    parsed, records = _read(write_file("refs.ris", RIS))
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("ris", "", [])  # five databases, no one dialect
    # from PubMed (DP NLM): the bare AN is the PMID and the source_id, the reference manager's counter (ID 12)
    # is not; a second abstract that differs is kept; the first link is the URL
    assert records[0] == _empty(
        source="pubmed", source_id="23703408", title="Ultrasound-guided versus fluoroscopy-guided caudal injection",
        abstract="Background: a randomised trial.", authors=["Park, Ki Deok", "Kim, Tae Kyun"], year=2013,
        journal="Pain Physician", journal_abbrev="Pain Phys", volume="16", issue="3", pages="213-221",
        doi="10.36076/ppj.2013/16/213", pmid="23703408", pmcid="PMC1234567", issn="1533-3159", language="eng",
        publication_types=["Journal Article"], keywords=["low back pain", "epidural injection"],
        url="https://example.org/park2013",
        extra={"type": "Journal Article",
               "fields": {"DP": "NLM", "L2": "https://example.org/fulltext", "N1": "PMCID: PMC1234567",
                          "N2": "A different second abstract."}})
    # a book: BT is its title, SN its ISBN (kept, not an ISSN), A1 the authors, DA the date, VO the volume
    assert records[1] == _empty(
        source_id="refs.ris:27", title="Interventional pain", authors=["Smith, Ann"], year=2020, volume="2",
        publication_types=["Book"], extra={"type": "Book", "fields": {"SN": "978-3-16-148410-0"}})
    # Scopus: the EID from the link is the source_id, C2 the PMID, C7 the article number, M3 the document type
    assert records[2] == _empty(
        source="scopus", source_id="2-s2.0-85000000001", title="A Scopus record", journal="Spine",
        pages="e0123", pmid="31234567", publication_types=["Journal Article", "Article"],
        url="https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000001&partnerID=40",
        extra={"type": "Journal Article", "article_number": "e0123",
               "fields": {"M3": "Article", "C2": "31234567", "DB": "Scopus"}})
    # CENTRAL (a CN- ID); an unknown type kept as written; CT as the title; a DOI written in M3
    assert records[3] == _empty(
        source="cochrane-central", source_id="CN-01234567", title="A record with an unknown type and a DOI in M3",
        doi="10.1000/m3.doi", publication_types=["XYZ"], extra={"type": "XYZ", "fields": {"M3": "10.1000/m3.doi"}})
    # Rayyan (its AN); T1 as the title; the DOI from a resolver link in L3
    assert records[4] == _empty(
        source="rayyan", source_id="rayyan-123", title="A Rayyan record with a DOI link", doi="10.1000/l3.doi",
        publication_types=["Journal Article"],
        extra={"type": "Journal Article", "fields": {"L3": "https://doi.org/10.1000/l3.doi"}})


PROQUEST = """\
____________________________________________________________

Report Information from ProQuest
December 04 2026 10:00
____________________________________________________________

Document 1 of 2

Ultrasound guidance: a made-up trial

Author: Park, Ki Deok; Kim, Tae Kyun

Abstract: Background: a trial.

Methods: sixty patients.

Subject: Back pain; Injections

MeSH subject: Humans

Identifier / keyword: ultrasound, fluoroscopy

Publication title: Pain Physician

Volume: 16

Issue: 3

First page: 213

Publication year: 2013

ISSN: 15333159

e-ISSN: 21501149

DOI: 10.36076/ppj.2013/16/213

PubMed ID: 23703408

Language: English

Document type: Journal Article, Randomized Controlled Trial

ProQuest document ID: 1234567890

Document URL: https://www.proquest.com/docview/1234567890

____________________________________________________________

Document 2 of 2

A made-up dissertation

Author: Roe, Rita

Degree date: 2018

ISBN: 9780000000002

Publication date: 2017

ProQuest document ID: 2234567890

https://www.proquest.com/docview/2234567890

____________________________________________________________
"""


def test_proquest_text_every_label(write_file):
    parsed, records = _read(write_file("ProQuestDocuments.txt", PROQUEST))
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("proquest_text", "proquest", [])
    # the title keeps its colon; "Methods:" inside the abstract is its heading, not a field; the e-ISSN is a
    # field of its own, not a continuation of the ISSN; Language, First page and PubMed ID are read
    assert records[0] == _empty(
        source="proquest", source_id="1234567890", title="Ultrasound guidance: a made-up trial",
        abstract="Background: a trial. Methods: sixty patients.", authors=["Park, Ki Deok", "Kim, Tae Kyun"],
        year=2013, journal="Pain Physician", volume="16", issue="3", pages="213", doi="10.36076/ppj.2013/16/213",
        pmid="23703408", issn="1533-3159", language="English",
        publication_types=["Journal Article", "Randomized Controlled Trial"],
        keywords=["Back pain", "Injections", "Humans", "ultrasound", "fluoroscopy"],
        url="https://www.proquest.com/docview/1234567890",
        extra={"type": "Journal Article, Randomized Controlled Trial", "fields": {"e-ISSN": "21501149"}})
    # a dissertation: the degree date is its year (before the publication date); the ISBN is kept; the bare
    # link line is the document's URL
    assert records[1] == _empty(
        source="proquest", source_id="2234567890", title="A made-up dissertation", authors=["Roe, Rita"],
        year=2018, url="https://www.proquest.com/docview/2234567890",
        extra={"fields": {"Degree date": "2018", "ISBN": "9780000000002", "Publication date": "2017"}})


BIBTEX = """\
@article{Park2013,
  title = {Ultrasound-guided versus {Fluoroscopy}-guided caudal injection},
  author = {Park, Ki Deok and Kim, Tae Kyun and {Spine Trial Group}},
  journal = {Pain Physician},
  shortjournal = {Pain Phys},
  year = {2013},
  volume = {16},
  number = {3},
  pages = {213--221},
  doi = {10.36076/ppj.2013/16/213},
  issn = {1533-3159},
  language = {English},
  keywords = {low back pain; epidural injection},
  url = {https://example.org/park2013},
  abstract = {Background: a randomised trial with $\\kappa$ = 0.8.},
  note = {PMID: 23703408},
  eprint = {PMC1234567},
  eprinttype = {pmcid},
  publisher = {ASIPP},
}

@inproceedings{conf1,
  title = {A conference paper},
  author = {M{\\"u}ller, J{\\"o}rg},
  booktitle = {Proceedings of the Spine Meeting},
  date = {2019-04-01},
  issue = {7},
  eid = {e45},
  langid = {german},
  pmid = {31234567},
  type = {Conference Abstract},
}

@article{scopus1,
  author = {Lee, S.},
  title = {A Scopus record},
  journal = {Spine},
  year = {2020},
  art_number = {e0123},
  abbrev_source_title = {Spine},
  document_type = {Article},
  author_keywords = {ultrasound; injection},
  url = {https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000002&partnerID=40},
  source = {Scopus},
}
"""


def test_bibtex_every_field(write_file):
    parsed, records = _read(write_file("refs.bib", BIBTEX))
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("bibtex", "", [])
    # braces and LaTeX undone; a braced group author kept whole; the PMID from the note, the PMCID from eprint
    assert records[0] == _empty(
        source_id="Park2013", title="Ultrasound-guided versus Fluoroscopy-guided caudal injection",
        abstract="Background: a randomised trial with κ = 0.8.",
        authors=["Park, Ki Deok", "Kim, Tae Kyun", "Spine Trial Group"], year=2013, journal="Pain Physician",
        journal_abbrev="Pain Phys", volume="16", issue="3", pages="213-221", doi="10.36076/ppj.2013/16/213",
        pmid="23703408", pmcid="PMC1234567", issn="1533-3159", language="English", publication_types=["article"],
        keywords=["low back pain", "epidural injection"], url="https://example.org/park2013",
        extra={"type": "article", "key": "Park2013", "fields": {"note": "PMID: 23703408", "publisher": "ASIPP"}})
    # BibLaTeX: booktitle as the container, date, issue, eid as the article number, langid, a pmid field
    assert records[1] == _empty(
        source_id="conf1", title="A conference paper", authors=["Müller, Jörg"], year=2019,
        journal="Proceedings of the Spine Meeting", issue="7", pages="e45", pmid="31234567", language="german",
        publication_types=["inproceedings", "Conference Abstract"],
        extra={"type": "inproceedings", "key": "conf1", "article_number": "e45",
               "fields": {"eid": "e45", "langid": "german"}})
    # Scopus: the EID from the link is the source_id; art_number the pages; its own abbreviation and keywords
    assert records[2] == _empty(
        source="scopus", source_id="2-s2.0-85000000002", title="A Scopus record", authors=["Lee, S."], year=2020,
        journal="Spine", journal_abbrev="Spine", pages="e0123", publication_types=["article", "Article"],
        keywords=["ultrasound", "injection"],
        url="https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000002&partnerID=40",
        extra={"type": "article", "key": "scopus1", "article_number": "e0123",
               "fields": {"art_number": "e0123", "source": "Scopus"}})


ICTRP = """\
<?xml version='1.0' encoding='UTF-8' ?>
<Trials_downloaded_from_ICTRP>
  <Trial>
    <TrialID>ISRCTN99999901</TrialID>
    <Public_title>Ultrasound or X-ray for spinal injections?</Public_title>
    <Scientific_title>A randomised trial of ultrasound- versus fluoroscopy-guided injections</Scientific_title>
    <Acronym>USFL</Acronym>
    <Date_registration>2021-03-04</Date_registration>
    <Date_registration3>20210304</Date_registration3>
    <web_address>https://www.isrctn.com/ISRCTN99999901</web_address>
    <Condition>low back pain
sciatica&lt;br&gt;Radiculopathy</Condition>
    <Intervention>Ultrasound-guided injection</Intervention>
    <Primary_outcome>Primary outcome: pain at 4 weeks;</Primary_outcome>
    <Secondary_outcome>Is function better?</Secondary_outcome>
    <Study_type>Interventional</Study_type>
    <Study_design>Randomised, parallel, </Study_design>
    <Phase>Phase 3</Phase>
    <Target_size>120</Target_size>
    <Exclusion_Criteria>Pregnancy!</Exclusion_Criteria>
    <Countries>United Kingdom</Countries>
    <Contact_Email>a@example.org</Contact_Email>
    <Contact_Tel>+44 0</Contact_Tel>
    <Primary_sponsor>Example Trust</Primary_sponsor>
  </Trial>
  <Trial>
    <Scientific_title>A registration without an ID</Scientific_title>
    <Date_registration3>19990101</Date_registration3>
  </Trial>
</Trials_downloaded_from_ICTRP>
"""


def test_ictrp_every_field(write_file):
    parsed, records = _read(write_file("ICTRP-Results.xml", ICTRP))
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("ictrp_xml", "ictrp", [])
    # the screening text: each field under its name, once, ending in a stop unless it ends in ? or !, a label
    # the registry repeated and a trailing list separator dropped; conditions split at line breaks and <br>;
    # the contact's e-mail and telephone not kept
    fields = {"Scientific_title": "A randomised trial of ultrasound- versus fluoroscopy-guided injections",
              "Acronym": "USFL", "Condition": "low back pain; sciatica; Radiculopathy",
              "Intervention": "Ultrasound-guided injection", "Primary_outcome": "Primary outcome: pain at 4 weeks;",
              "Secondary_outcome": "Is function better?", "Study_type": "Interventional",
              "Study_design": "Randomised, parallel,", "Phase": "Phase 3", "Target_size": "120",
              "Exclusion_Criteria": "Pregnancy!", "Countries": "United Kingdom", "Primary_sponsor": "Example Trust"}
    assert records[0] == _empty(
        source="ictrp", source_id="ISRCTN99999901", title="Ultrasound or X-ray for spinal injections?",
        abstract="Scientific title: A randomised trial of ultrasound- versus fluoroscopy-guided injections. "
                 "Acronym: USFL. Condition: low back pain; sciatica; Radiculopathy. Intervention: Ultrasound-guided "
                 "injection. Primary outcome: pain at 4 weeks. Secondary outcome: Is function better? Study type: "
                 "Interventional. Study design: Randomised, parallel. Phase: Phase 3. Target size: 120. Exclusion "
                 "criteria: Pregnancy! Countries: United Kingdom.",
        year=2021, url="https://www.isrctn.com/ISRCTN99999901", keywords=["low back pain", "sciatica", "Radiculopathy"],
        publication_types=["Trial registration", "Interventional"],
        extra={"type": "Trial registration", "fields": fields})
    # no ID: the line of its <Trial>; no public title: the scientific one (not repeated in the text); the
    # compact registration date
    assert records[1] == _empty(
        source="ictrp", source_id="ICTRP-Results.xml:26", title="A registration without an ID", year=1999,
        publication_types=["Trial registration"],
        extra={"type": "Trial registration", "fields": {"Scientific_title": "A registration without an ID"}})
