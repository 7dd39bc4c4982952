"""Every element and key the search readers map, read into the record it belongs to — checked whole.

As tests/formats/test_every_field.py does for the file readers: a made-up PubMed EFetch document and made-up
Scopus Search API entries fill every element (key) the reader knows, and the whole Record is compared, so a
value read into the wrong field, dropped, or kept twice is seen. The values are written to be told apart. The
expected values follow NLM's PubMed XML element descriptions and Elsevier's Scopus Search views, not the
reader's output.
"""

import json

import pytest

from sysrev.formats import load_references
from sysrev.search.pubmed_xml import records_from_xml
from sysrev.search.scopus_json import ScopusJSONError, entry_to_record, parse_search_results


def _empty(**fields):
    """A record's dict with every field empty but those given."""
    base = {"source_id": "", "source": "", "title": "", "abstract": "", "authors": [], "year": None,
            "journal": "", "journal_abbrev": "", "volume": "", "issue": "", "pages": "", "doi": "", "pmid": "",
            "pmcid": "", "issn": "", "language": "", "publication_types": [], "keywords": [], "url": "",
            "extra": {}}
    return {**base, **fields}


PUBMED = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" \
"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">91000001</PMID>
    <DateCompleted><Year>2013</Year><Month>12</Month><Day>10</Day></DateCompleted>
    <Article PubModel="Print-Electronic">
      <Journal>
        <ISSN IssnType="Print">1533-3159</ISSN>
        <JournalIssue CitedMedium="Internet">
          <Volume>16</Volume>
          <Issue>3</Issue>
          <PubDate><Year>2013</Year><Month>May</Month></PubDate>
        </JournalIssue>
        <Title>Pain physician</Title>
        <ISOAbbreviation>Pain Phys</ISOAbbreviation>
      </Journal>
      <ArticleTitle>Ultrasound- versus <i>fluoroscopy</i>-guided injection of CO<sub>2</sub>.</ArticleTitle>
      <Pagination><StartPage>213</StartPage><EndPage>221</EndPage><MedlinePgn>213-21</MedlinePgn></Pagination>
      <ELocationID EIdType="doi" ValidYN="Y">10.36076/ppj.2013/16/213</ELocationID>
      <Abstract>
        <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">A randomised trial.</AbstractText>
        <AbstractText Label="METHODS" NlmCategory="METHODS">Sixty <i>patients</i> (p &lt; 0.05).</AbstractText>
        <AbstractText>An unlabelled last section.</AbstractText>
        <CopyrightInformation>Copyright 2013 ASIPP.</CopyrightInformation>
      </Abstract>
      <AuthorList CompleteYN="Y">
        <Author ValidYN="Y"><LastName>Park</LastName><ForeName>Ki Deok</ForeName><Initials>KD</Initials>
          <Identifier Source="ORCID">0000-0002-1825-0097</Identifier>
          <AffiliationInfo><Affiliation>Univ X, Seoul.</Affiliation></AffiliationInfo></Author>
        <Author ValidYN="N"><LastName>Kimm</LastName><ForeName>Tae Kyun</ForeName><Initials>TK</Initials></Author>
        <Author ValidYN="Y"><LastName>Kim</LastName><Initials>TK</Initials><Suffix>Jr</Suffix></Author>
        <Author ValidYN="Y"><LastName>Madonna</LastName></Author>
        <Author ValidYN="Y"><CollectiveName>Spine <i>Trial</i> Group</CollectiveName></Author>
      </AuthorList>
      <Language>eng</Language>
      <Language>kor</Language>
      <DataBankList CompleteYN="Y">
        <DataBank><DataBankName>ClinicalTrials.gov</DataBankName>
          <AccessionNumberList><AccessionNumber>NCT01234567</AccessionNumber></AccessionNumberList></DataBank>
      </DataBankList>
      <PublicationTypeList>
        <PublicationType UI="D016449">Randomized Controlled Trial</PublicationType>
        <PublicationType UI="D016428">Journal Article</PublicationType>
      </PublicationTypeList>
      <VernacularTitle>Uljjeonpa yudo</VernacularTitle>
      <ArticleDate DateType="Electronic"><Year>2012</Year><Month>11</Month><Day>02</Day></ArticleDate>
    </Article>
    <MedlineJournalInfo>
      <Country>United States</Country><MedlineTA>Pain Physician</MedlineTA><NlmUniqueID>100954394</NlmUniqueID>
      <ISSNLinking>2150-1149</ISSNLinking>
    </MedlineJournalInfo>
    <MeshHeadingList>
      <MeshHeading><DescriptorName UI="D006801" MajorTopicYN="N">Humans</DescriptorName></MeshHeading>
      <MeshHeading><DescriptorName UI="D004824" MajorTopicYN="Y">Injections, Epidural</DescriptorName>
        <QualifierName UI="Q000379" MajorTopicYN="N">methods</QualifierName></MeshHeading>
    </MeshHeadingList>
    <KeywordList Owner="NOTNLM">
      <Keyword MajorTopicYN="N">low back pain</Keyword><Keyword MajorTopicYN="N">Humans</Keyword>
    </KeywordList>
  </MedlineCitation>
  <PubmedData>
    <History><PubMedPubDate PubStatus="pubmed"><Year>2013</Year><Month>5</Month><Day>25</Day></PubMedPubDate>
    </History>
    <PublicationStatus>ppublish</PublicationStatus>
    <ArticleIdList>
      <ArticleId IdType="pubmed">91000001</ArticleId>
      <ArticleId IdType="pii">S1533-3159(13)00001-2</ArticleId>
      <ArticleId IdType="doi">10.36076/PPJ.2013/16/213</ArticleId>
      <ArticleId IdType="pmc">PMC1234567</ArticleId>
    </ArticleIdList>
  </PubmedData>
</PubmedArticle>
<PubmedArticle>
  <MedlineCitation Status="PubMed-not-MEDLINE" Owner="NLM">
    <PMID Version="1">91000002</PMID>
    <Article PubModel="Electronic">
      <Journal>
        <JournalIssue CitedMedium="Internet">
          <Volume>8</Volume>
          <PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate>
        </JournalIssue>
        <Title>eLife</Title>
      </Journal>
      <ArticleTitle>[Not Available].</ArticleTitle>
      <ELocationID EIdType="pii" ValidYN="Y">e42692</ELocationID>
      <ELocationID EIdType="doi" ValidYN="Y">https://doi.org/10.7554/eLife.42692</ELocationID>
      <AuthorList CompleteYN="N">
        <Author ValidYN="Y"><LastName>Roe</LastName><ForeName>Rita</ForeName><Initials>R</Initials></Author>
      </AuthorList>
      <Language>ger</Language>
      <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
      <VernacularTitle>Ein <i>deutscher</i> Titel.</VernacularTitle>
    </Article>
    <MedlineJournalInfo><MedlineTA>Elife</MedlineTA><ISSNLinking>2050-084X</ISSNLinking></MedlineJournalInfo>
  </MedlineCitation>
  <PubmedData>
    <PublicationStatus>epublish</PublicationStatus>
    <ArticleIdList><ArticleId IdType="pubmed">91000002</ArticleId></ArticleIdList>
  </PubmedData>
</PubmedArticle>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">91000003</PMID>
    <ArticleIdList>
      <ArticleId IdType="bookaccession">NBK500001</ArticleId>
      <ArticleId IdType="doi">10.1007/978-3-319-16104-4_8</ArticleId>
    </ArticleIdList>
    <Book>
      <Publisher><PublisherName>Example University Press</PublisherName>
        <PublisherLocation>Oxford</PublisherLocation></Publisher>
      <BookTitle book="backpain">Back Pain: <i>A Handbook</i></BookTitle>
      <PubDate><Year>2020</Year><Month>03</Month></PubDate>
      <AuthorList Type="editors">
        <Author><LastName>Editorson</LastName><ForeName>Eve</ForeName><Initials>E</Initials></Author>
      </AuthorList>
      <CollectionTitle book="series">Example Series</CollectionTitle>
      <Isbn>9783319161037</Isbn>
      <Isbn>9783319161044</Isbn>
    </Book>
    <LocationLabel Type="chapter">8</LocationLabel>
    <ArticleTitle book="backpain" part="ch8">Image guidance for <i>spinal</i> injections</ArticleTitle>
    <Pagination><MedlinePgn>101-19</MedlinePgn></Pagination>
    <Language>eng</Language>
    <AuthorList Type="authors">
      <Author><LastName>Doe</LastName><ForeName>Jane</ForeName><Initials>J</Initials></Author>
    </AuthorList>
    <PublicationType UI="D016454">Review</PublicationType>
    <Abstract><AbstractText Label="PURPOSE">Chapter abstract.</AbstractText></Abstract>
    <KeywordList Owner="NOTNLM"><Keyword>fluoroscopy</Keyword></KeywordList>
    <ContributionDate><Year>2019</Year><Month>11</Month></ContributionDate>
  </BookDocument>
  <PubmedBookData>
    <History><PubMedPubDate PubStatus="pubmed"><Year>2020</Year><Month>3</Month><Day>1</Day></PubMedPubDate>
    </History>
    <PublicationStatus>ppublish</PublicationStatus>
    <ArticleIdList><ArticleId IdType="pubmed">91000003</ArticleId></ArticleIdList>
  </PubmedBookData>
</PubmedBookArticle>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">91000004</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK500002</ArticleId></ArticleIdList>
    <Book>
      <Publisher><PublisherName>NIHR Journals Library</PublisherName></Publisher>
      <BookTitle book="hta1">A whole report on caudal injections</BookTitle>
      <PubDate><Year>2018</Year></PubDate>
      <AuthorList Type="editors">
        <Author><LastName>Series</LastName><ForeName>Ed</ForeName></Author>
      </AuthorList>
      <Isbn>9780000000002</Isbn>
      <ELocationID EIdType="doi" ValidYN="Y">10.3310/hta22400</ELocationID>
    </Book>
    <Language>eng</Language>
  </BookDocument>
  <PubmedBookData>
    <PublicationStatus>ppublish</PublicationStatus>
    <ArticleIdList><ArticleId IdType="pubmed">91000004</ArticleId></ArticleIdList>
  </PubmedBookData>
</PubmedBookArticle>
</PubmedArticleSet>
"""


def test_pubmed_xml_every_element():
    records = [r.to_dict() for r in records_from_xml(PUBMED.encode("utf-8"))]
    pubmed = {"source": "pubmed"}
    # inline markup dropped from the title, the abstract and a group's name; structured sections keep their
    # labels; an author NLM marks invalid (a misspelling an erratum corrected) is no author; the issue's date
    # (PubDate), not the electronic one (ArticleDate); the journal's own ISSN before the linking ISSN and its
    # ISO abbreviation before MedlineTA; MedlinePgn expanded; the DOI from the ArticleIdList, in lower case;
    # author keywords, then MeSH descriptors (without qualifiers), each once
    assert records[0] == _empty(
        **pubmed, source_id="91000001", title="Ultrasound- versus fluoroscopy-guided injection of CO2.",
        abstract="BACKGROUND: A randomised trial. METHODS: Sixty patients (p < 0.05). An unlabelled last section.",
        authors=["Park, Ki Deok", "Kim, TK Jr", "Madonna", "Spine Trial Group"], year=2013,
        journal="Pain physician", journal_abbrev="Pain Phys", volume="16", issue="3", pages="213-221",
        doi="10.36076/ppj.2013/16/213", pmid="91000001", pmcid="PMC1234567", issn="1533-3159",
        language="eng, kor", publication_types=["Randomized Controlled Trial", "Journal Article"],
        keywords=["low back pain", "Humans", "Injections, Epidural"], url="https://pubmed.ncbi.nlm.nih.gov/91000001/",
        extra={"pii": "S1533-3159(13)00001-2", "vernacular_title": "Uljjeonpa yudo",
               "databanks": ["ClinicalTrials.gov/NCT01234567"]})
    # "[Not Available]." gives way to the original-language title (also kept as such); the first year of a
    # MedlineDate; no printed pages, so the article number (ELocationID pii); the DOI from its ELocationID; no
    # Journal ISSN or ISO abbreviation, so the linking ISSN and MedlineTA
    assert records[1] == _empty(
        **pubmed, source_id="91000002", title="Ein deutscher Titel.", authors=["Roe, Rita"], year=1998,
        journal="eLife", journal_abbrev="Elife", volume="8", pages="e42692", doi="10.7554/elife.42692",
        pmid="91000002", issn="2050-084X", language="ger", publication_types=["Journal Article"],
        url="https://pubmed.ncbi.nlm.nih.gov/91000002/", extra={"vernacular_title": "Ein deutscher Titel."})
    # a chapter: the book is its container; the chapter's authors, the book's editors kept as editors; the DOI
    # and Bookshelf accession from the document's ArticleIdList (PubmedBookData's holds only the PMID)
    assert records[2] == _empty(
        **pubmed, source_id="91000003", title="Image guidance for spinal injections",
        abstract="PURPOSE: Chapter abstract.", authors=["Doe, Jane"], year=2020, journal="Back Pain: A Handbook",
        pages="101-119", doi="10.1007/978-3-319-16104-4_8", pmid="91000003", language="eng",
        publication_types=["Review"], keywords=["fluoroscopy"], url="https://pubmed.ncbi.nlm.nih.gov/91000003/",
        extra={"publisher": "Example University Press", "isbn": ["9783319161037", "9783319161044"],
               "editors": ["Editorson, Eve"], "series": "Example Series", "bookaccession": "NBK500001"})
    # a whole book: its title, no container; an editors' list is no author list; the DOI from the Book's
    # ELocationID
    assert records[3] == _empty(
        **pubmed, source_id="91000004", title="A whole report on caudal injections", year=2018,
        doi="10.3310/hta22400", pmid="91000004", language="eng", publication_types=["Book"],
        url="https://pubmed.ncbi.nlm.nih.gov/91000004/",
        extra={"publisher": "NIHR Journals Library", "isbn": ["9780000000002"], "editors": ["Series, Ed"],
               "bookaccession": "NBK500002"})
    assert len(records) == 4


def test_a_pubmed_xml_file_is_imported_as_efetch_reads_it(tmp_path):
    """The file importer reuses the search reader (formats._read_xml): the same document saved as a file gives
    the same records."""
    path = tmp_path / "pubmed.xml"
    path.write_text(PUBMED, encoding="utf-8")
    parsed = load_references(path)
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("pubmed_xml", "pubmed", [])
    assert [r.to_dict() for r in parsed.records] == [r.to_dict() for r in records_from_xml(PUBMED.encode("utf-8"))]


_LINKS = [
    {"@_fa": "true", "@ref": "self", "@href": "https://api.elsevier.com/content/abstract/scopus_id/85000000001"},
    {"@_fa": "true", "@ref": "author-affiliation",
     "@href": "https://api.elsevier.com/content/abstract/scopus_id/85000000001?field=author,affiliation"},
    {"@_fa": "true", "@ref": "scopus",
     "@href": "https://www.scopus.com/inward/record.uri?partnerID=HzOxMe3b&scp=85000000001&origin=inward"},
    {"@_fa": "true", "@ref": "scopus-citedby",
     "@href": "https://www.scopus.com/inward/citedby.uri?partnerID=HzOxMe3b&scp=85000000001&origin=inward"},
]

# A COMPLETE-view entry: every key of the STANDARD view, and the full author list, abstract and author keywords
COMPLETE = {
    "@_fa": "true", "link": _LINKS,
    "prism:url": "https://api.elsevier.com/content/abstract/scopus_id/85000000001",
    "dc:identifier": "SCOPUS_ID:85000000001", "eid": "2-s2.0-85000000001",
    "dc:title": "Ultrasound-guided injection: CO<inf>2</inf> and <sup>18</sup>F findings",
    "dc:creator": "Park K.D.", "prism:publicationName": "Pain Physician", "prism:issn": "15333159",
    "prism:eIssn": "21501149", "prism:volume": "16", "prism:issueIdentifier": "3", "prism:pageRange": "213-21",
    "prism:coverDate": "2013-05-01", "prism:coverDisplayDate": "May-June 2013",
    "prism:doi": "10.36076/PPJ.2013/16/213", "pii": "S1533315913000012",
    "dc:description": "Background: a randomised trial. Methods: sixty patients.", "citedby-count": "42",
    "affiliation": [{"@_fa": "true", "affilname": "Univ X", "affiliation-city": "Seoul",
                     "affiliation-country": "South Korea", "afid": "60000001"}],
    "pubmed-id": "23703408", "prism:aggregationType": "Journal", "subtype": "ar", "subtypeDescription": "Article",
    "author-count": {"@limit": "100", "@total": "3", "$": "3"},
    "author": [
        {"@_fa": "true", "@seq": "1", "authid": "57000000001", "authname": "Park K.D.", "surname": "Park",
         "given-name": "Ki Deok", "initials": "K.D.", "afid": [{"@_fa": "true", "$": "60000001"}]},
        {"@_fa": "true", "@seq": "2", "authid": "57000000002", "authname": "Kim T.", "surname": "Kim",
         "initials": "T."},
        {"@_fa": "true", "@seq": "3", "authid": "57000000003", "authname": "Roe R."},
    ],
    "authkeywords": "low back pain | epidural injection | ultrasound", "article-number": "7467408",
    "source-id": "21100374601", "fund-acr": "NRF", "fund-no": "2013R1A1",
    "fund-sponsor": "National Research Foundation of Korea", "openaccess": "1", "openaccessFlag": True,
}

# A STANDARD-view entry for a conference paper: first author only, an ISBN, an e-ISSN alone, an article number
# where the page range would be, no scopus link
STANDARD = {
    "@_fa": "true", "link": _LINKS[:1],
    "prism:url": "https://api.elsevier.com/content/abstract/scopus_id/85000000002",
    "dc:identifier": "SCOPUS_ID:85000000002", "eid": "2-s2.0-85000000002", "dc:title": "A conference paper",
    "dc:creator": "Lee S.", "prism:publicationName": "Proceedings of the Spine Meeting",
    "prism:isbn": [{"@_fa": "true", "$": "9781538619964"}], "prism:eIssn": "1366588X",
    "prism:coverDate": "2019-04-01", "prism:aggregationType": "Conference Proceeding", "subtype": "cp",
    "subtypeDescription": "Conference Paper", "article-number": "e0163477", "source-id": "21100900001",
    "openaccess": "0", "openaccessFlag": False,
}

MINIMUM = {"@_fa": "true", "eid": "2-s2.0-85000000003", "dc:title": "A record with nothing else"}


def test_scopus_json_every_key():
    page = {"search-results": {
        "opensearch:totalResults": "3", "opensearch:startIndex": "0", "opensearch:itemsPerPage": "4",
        "cursor": {"@current": "*", "@next": "AoJ4next"},
        "entry": [COMPLETE, STANDARD, MINIMUM, {"@_fa": "true", "error": "Result set was empty"}]}}
    total, entries, cursor = parse_search_results(json.loads(json.dumps(page)))
    assert (total, cursor) == (3, "AoJ4next") and entries == [COMPLETE, STANDARD, MINIMUM]
    records = [entry_to_record(e).to_dict() for e in entries]
    scopus = {"source": "scopus"}
    # the author list (given name, else initials, else the indexed name), not dc:creator; the print ISSN before
    # the e-ISSN; the page range before the article number (kept); Scopus's sub/superscript tags dropped
    assert records[0] == _empty(
        **scopus, source_id="2-s2.0-85000000001", title="Ultrasound-guided injection: CO2 and 18F findings",
        abstract="Background: a randomised trial. Methods: sixty patients.",
        authors=["Park, Ki Deok", "Kim, T.", "Roe, R."], year=2013, journal="Pain Physician", volume="16",
        issue="3", pages="213-221", doi="10.36076/ppj.2013/16/213", pmid="23703408", issn="1533-3159",
        publication_types=["Article"], keywords=["low back pain", "epidural injection", "ultrasound"],
        url="https://www.scopus.com/inward/record.uri?partnerID=HzOxMe3b&scp=85000000001&origin=inward",
        extra={"citedby-count": "42", "article-number": "7467408", "source-id": "21100374601",
               "prism:aggregationType": "Journal", "pii": "S1533315913000012", "scopus_id": "85000000001"})
    # the first author only, said so; the article number as the pages; the e-ISSN; the ISBN kept; the API's
    # own URL when there is no link to Scopus's page
    assert records[1] == _empty(
        **scopus, source_id="2-s2.0-85000000002", title="A conference paper", authors=["Lee, S."], year=2019,
        journal="Proceedings of the Spine Meeting", pages="e0163477", issn="1366-588X",
        publication_types=["Conference Paper"],
        url="https://api.elsevier.com/content/abstract/scopus_id/85000000002",
        extra={"article-number": "e0163477", "source-id": "21100900001",
               "prism:aggregationType": "Conference Proceeding", "first_author_only": True,
               "scopus_id": "85000000002", "isbn": ["9781538619964"]})
    assert records[2] == _empty(**scopus, source_id="2-s2.0-85000000003", title="A record with nothing else")


# Entries with what the two views above never hold: no EID, no identifier and no page range; a surname alone, an
# indexed name alone and an author with neither; an ISBN given as one text, or as a list with an empty object; a
# scopus link without its address; an article number without a digit; a keyword with a capital X
ODD = {
    "dc:title": "An entry without an EID",
    "author": [{"@seq": "1", "surname": "Madonna"}, {"@seq": "2", "authname": "Roe R."}, {"@seq": "3"}],
    "prism:isbn": "9780000000002", "link": [{"@ref": "scopus"}], "article-number": "n/a",
    "authkeywords": "X-ray | MRI",
}
ISBN_LIST = {"eid": "2-s2.0-85000000004", "prism:isbn": [{"@_fa": "true"}, "9780000000019", None, {"$": ""}]}


def test_scopus_json_odd_entries():
    assert entry_to_record(ODD).to_dict() == _empty(
        source="scopus", title="An entry without an EID", authors=["Madonna", "Roe, R."], keywords=["X-ray", "MRI"],
        extra={"article-number": "n/a", "isbn": ["9780000000002"]})
    assert entry_to_record(ISBN_LIST).to_dict() == _empty(
        source="scopus", source_id="2-s2.0-85000000004", extra={"isbn": ["9780000000019"]})


@pytest.mark.parametrize("data", [
    [], {}, {"search-results": None}, {"search-results": []}, {"search-results": {"entry": []}},
])
def test_a_document_that_is_not_scopus_search_results_is_refused(data):
    with pytest.raises(ScopusJSONError) as caught:
        parse_search_results(data)
    assert str(caught.value) == "not a Scopus search-results document"


def test_scopus_total_and_cursor_as_given_or_missing():
    def page(total, **more):
        return {"search-results": {"opensearch:totalResults": total, **more}}

    assert parse_search_results(page("0")) == (0, [], None)
    assert parse_search_results(page(None, entry=None, cursor=None)) == (0, [], None)
    assert parse_search_results(page("", cursor="AoJ4not-an-object")) == (0, [], None)
    assert parse_search_results(page("7", cursor={"@current": "*"}, entry=["odd", MINIMUM])) == (7, [MINIMUM], None)
    for odd in ("many", [1]):
        with pytest.raises(ScopusJSONError) as caught:
            parse_search_results(page(odd))
        assert str(caught.value) == f"odd opensearch:totalResults {odd!r}"


# What the document above never holds: an issue date without a year (the electronic date's year instead), printed
# pages as first and last page only, a databank without accession numbers, an article without PubmedData or
# without a PMID; a chapter whose PubMed data lists its PMCID and whose document lists its own editors; a whole
# book by authors, without a publication date; a book document without its Book, a book without a PMID. Of two ids of a
# kind, the first counts
PUBMED_ODD = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" \
"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">91000005</PMID>
    <Article PubModel="Electronic-Print">
      <Journal>
        <JournalIssue CitedMedium="Internet"><PubDate><MedlineDate>Winter</MedlineDate></PubDate></JournalIssue>
        <Title>Spine</Title>
      </Journal>
      <ArticleTitle>Pages as first and last.</ArticleTitle>
      <Pagination><StartPage>1042</StartPage><EndPage>1049</EndPage></Pagination>
      <ELocationID EIdType="doi" ValidYN="Y">10.1000/SPINE.1042</ELocationID>
      <AuthorList><Author ValidYN="Y"><LastName>Solo</LastName></Author></AuthorList>
      <Language>eng</Language>
      <DataBankList CompleteYN="Y">
        <DataBank><DataBankName>PDB</DataBankName></DataBank>
        <DataBank><DataBankName>ISRCTN</DataBankName>
          <AccessionNumberList><AccessionNumber>ISRCTN12345678</AccessionNumber></AccessionNumberList></DataBank>
      </DataBankList>
      <ArticleDate DateType="Electronic"><Year>2012</Year><Month>11</Month><Day>02</Day></ArticleDate>
    </Article>
  </MedlineCitation>
</PubmedArticle>
<PubmedArticle>
  <MedlineCitation Status="In-Data-Review" Owner="NLM">
    <Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate><Year>2001</Year></PubDate>
      </JournalIssue></Journal><ArticleTitle>Without a PMID</ArticleTitle></Article>
  </MedlineCitation>
</PubmedArticle>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">91000006</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK500003</ArticleId></ArticleIdList>
    <Book>
      <Publisher><PublisherName>Example Press</PublisherName></Publisher>
      <BookTitle book="ex">An Example Book</BookTitle>
      <PubDate><Year>2021</Year></PubDate>
    </Book>
    <ArticleTitle book="ex" part="ch1">A chapter with its own editors</ArticleTitle>
    <Language>eng</Language>
    <Language>fre</Language>
    <AuthorList Type="authors"><Author><LastName>Writer</LastName><ForeName>Wes</ForeName></Author></AuthorList>
    <AuthorList Type="editors"><Author><LastName>Chapman</LastName><ForeName>Cleo</ForeName></Author></AuthorList>
  </BookDocument>
  <PubmedBookData>
    <PublicationStatus>ppublish</PublicationStatus>
    <ArticleIdList><ArticleId IdType="pubmed">91000006</ArticleId><ArticleId IdType="pmc">PMC7654321</ArticleId>
      <ArticleId IdType="pmc">PMC1111111</ArticleId></ArticleIdList>
  </PubmedBookData>
</PubmedBookArticle>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">91000007</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK500004</ArticleId></ArticleIdList>
    <Book>
      <Publisher><PublisherName>Example Press</PublisherName></Publisher>
      <BookTitle book="whole">A whole book by its authors</BookTitle>
      <AuthorList Type="authors"><Author><LastName>Author</LastName><ForeName>Ann</ForeName></Author></AuthorList>
    </Book>
  </BookDocument>
</PubmedBookArticle>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">91000008</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK500005</ArticleId></ArticleIdList>
    <ArticleTitle>A document without its book</ArticleTitle>
  </BookDocument>
</PubmedBookArticle>
<PubmedBookArticle>
  <BookDocument>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK500006</ArticleId></ArticleIdList>
    <Book><BookTitle>A book without a PMID</BookTitle></Book>
  </BookDocument>
</PubmedBookArticle>
</PubmedArticleSet>
"""


def test_pubmed_xml_odd_elements():
    records = [r.to_dict() for r in records_from_xml(PUBMED_ODD.encode("utf-8"))]
    pubmed = {"source": "pubmed"}
    assert records[0] == _empty(
        **pubmed, source_id="91000005", title="Pages as first and last.", authors=["Solo"], year=2012,
        journal="Spine", pages="1042-1049", doi="10.1000/spine.1042", pmid="91000005", language="eng",
        url="https://pubmed.ncbi.nlm.nih.gov/91000005/", extra={"databanks": ["ISRCTN/ISRCTN12345678"]})
    assert records[1] == _empty(**pubmed, title="Without a PMID", year=2001)
    assert records[2] == _empty(
        **pubmed, source_id="91000006", title="A chapter with its own editors", authors=["Writer, Wes"], year=2021,
        journal="An Example Book", pmid="91000006", pmcid="PMC7654321", language="eng, fre",
        publication_types=["Book"], url="https://pubmed.ncbi.nlm.nih.gov/91000006/",
        extra={"publisher": "Example Press", "isbn": [], "editors": ["Chapman, Cleo"], "bookaccession": "NBK500003"})
    assert records[3] == _empty(
        **pubmed, source_id="91000007", title="A whole book by its authors", authors=["Author, Ann"],
        pmid="91000007", publication_types=["Book"], url="https://pubmed.ncbi.nlm.nih.gov/91000007/",
        extra={"publisher": "Example Press", "isbn": [], "bookaccession": "NBK500004"})
    assert records[4] == _empty(
        **pubmed, source_id="91000008", title="A document without its book", pmid="91000008",
        publication_types=["Book"], url="https://pubmed.ncbi.nlm.nih.gov/91000008/",
        extra={"publisher": "", "isbn": [], "bookaccession": "NBK500005"})
    assert records[5] == _empty(**pubmed, title="A book without a PMID", publication_types=["Book"],
                                extra={"publisher": "", "isbn": [], "bookaccession": "NBK500006"})
    assert len(records) == 6
