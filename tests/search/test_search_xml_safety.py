"""PubMed XML parsing never reaches the network or expands without bound, and normalises records."""

import socket
from pathlib import Path

import pytest

from sysrev.search import pubmed_xml
from sysrev.search.pubmed_xml import PubmedXMLError, UnsafeXMLError, records_from_xml

ARTICLE = ('<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">123</PMID>'
           '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate>'
           '<MedlineDate>1998 Dec-1999 Jan'
           '</MedlineDate></PubDate></JournalIssue><Title>J</Title></Journal><ArticleTitle>{title}</ArticleTitle>'
           '<Pagination><MedlinePgn>R12-5</MedlinePgn></Pagination><AuthorList><Author><LastName>Doe</LastName>'
           '<ForeName>Jo</ForeName></Author></AuthorList></Article></MedlineCitation><PubmedData><ArticleIdList>'
           '<ArticleId IdType="doi">https://doi.org/10.1000/ABC</ArticleId></ArticleIdList></PubmedData></PubmedArticle>')


def _doc(doctype, title="A title"):
    return (f'<?xml version="1.0"?>\n{doctype}\n<PubmedArticleSet>{ARTICLE.format(title=title)}'
            '</PubmedArticleSet>').encode()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError("the parser tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_bundled_dtd_parses_and_normalises():
    doc = _doc('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
               '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">', title="A <i>bold</i> title")
    [record] = records_from_xml(doc)
    assert record.pmid == "123" and record.year == 1998 and record.pages == "R12-R15"
    assert record.title == "A bold title" and record.doi == "10.1000/abc" and record.authors == ["Doe, Jo"]


def test_remote_dtd_that_biopython_does_not_bundle_is_refused():
    doc = _doc('<!DOCTYPE PubmedArticleSet SYSTEM "http://attacker.example/evil.dtd">')
    with pytest.raises(UnsafeXMLError, match="evil.dtd.*does not bundle"):
        records_from_xml(doc)


def test_unknown_dated_pubmed_dtd_is_read_with_the_newest_bundled_one():
    doc = _doc('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2099//EN" '
               '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_990101.dtd">')
    [record] = records_from_xml(doc)
    assert record.pmid == "123"
    assert pubmed_xml.newest_pubmed_dtd() in pubmed_xml.bundled_dtds()


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    doc = _doc(f'<!DOCTYPE PubmedArticleSet [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>', title="&xxe;")
    with pytest.raises(UnsafeXMLError) as caught:
        records_from_xml(doc)
    assert str(caught.value) == ("the document declares its own DTD subset (entity declarations); sysrev refuses it "
                                 "because entities can reach files or the network or expand without bound")


def test_entity_expansion_bomb_is_refused():
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">'
                                               for i in range(1, 10))
    doc = _doc(f"<!DOCTYPE PubmedArticleSet [ {entities} ]>", title="&a9;")
    with pytest.raises(UnsafeXMLError):
        records_from_xml(doc)


def test_external_entity_reached_some_other_way_is_refused_by_the_handler():
    handler = pubmed_xml._OfflineHandler(validate=True, escape=False, ignore_errors=False)
    with pytest.raises(UnsafeXMLError) as caught:
        handler.externalEntityRefHandler(None, None, "file:///etc/passwd", None)
    assert str(caught.value) == ("refusing external entity 'file:///etc/passwd': only the DTDs bundled with Biopython "
                                 "are read, nothing is fetched")


def test_remote_xml_schema_is_refused():
    doc = (b'<?xml version="1.0"?>\n<PubmedArticleSet xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           b'xsi:noNamespaceSchemaLocation="https://www.ncbi.nlm.nih.gov/not-bundled.xsd"></PubmedArticleSet>')
    with pytest.raises(UnsafeXMLError, match="not-bundled.xsd"):
        records_from_xml(doc)


def test_truncated_document_is_a_parse_error():
    doc = _doc('<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_250101.dtd">')
    with pytest.raises(PubmedXMLError, match="malformed or truncated"):
        records_from_xml(doc[: len(doc) // 2])


def test_error_element_texts():
    assert pubmed_xml.error_messages(b"<x><ERROR>Unable to obtain query #1</ERROR><ERROR/></x>") == [
        "Unable to obtain query #1"]


def test_real_articles_structured_abstract_collective_and_book(shared_fixtures):
    base = shared_fixtures / "eutils"
    [art] = records_from_xml((base / "biopython_Tests_Entrez" / "pubmed4.xml").read_bytes())
    assert art.abstract.startswith("OBJECTIVE: Telomere shortening")
    assert " DESIGN: " in art.abstract and "<i>" not in art.abstract and "(TERT)" in art.abstract
    assert art.title == ("Leucocyte telomere length, genetic variants at the TERT gene region and risk of "
                         "pancreatic cancer.")
    assert art.doi == "10.1136/gutjnl-2016-312510" and art.pmcid == "PMC5442267" and art.year == 2017
    assert art.authors[0] == "Bao, Ying"
    [seasonal, _] = records_from_xml((base / "biopython_Tests_Entrez" / "pubmed1.xml").read_bytes())
    assert seasonal.pmid == "12091962" and seasonal.abstract == "" and seasonal.year == 1990
    collective = records_from_xml((base / "metapub_pmid_xml" / "38534005.xml").read_bytes())[0]
    assert ("Task and Finish Group for Urinalysis (TFG-U), European Federation of Clinical Chemistry and "
            "Laboratory Medicine (EFLM)") in collective.authors  # a collective name is kept whole
    [book] = records_from_xml((base / "metapub_tests_data" / "sample_article_20301577.xml").read_bytes())
    assert book.abstract.startswith("CLINICAL CHARACTERISTICS:")
    # a GeneReviews chapter: its authors, the book's editors (an AuthorList typed editors) kept apart, the book
    # as its container, the keywords once each (NLM lists "Timothy Syndrome" twice)
    assert {**book.to_dict(), "abstract": ""} == {
        "source_id": "20301577", "source": "pubmed", "title": "CACNA1C-Related Disorders", "abstract": "",
        "authors": ["Napolitano, Carlo", "Priori, Silvia G"], "year": 1993, "journal": "GeneReviews®",
        "journal_abbrev": "", "volume": "", "issue": "", "pages": "", "doi": "", "pmid": "20301577", "pmcid": "",
        "issn": "", "language": "eng", "publication_types": ["Review"],
        "keywords": ["Timothy Syndrome", "CACNA1C-Related Neurodevelopmental Syndrome",
                     "CACNA1C-Related Nonsyndromic Long QT Syndrome", "CACNA1C-Related Nonsyndromic Short QT Syndrome",
                     "CACNA1C-Related Brugada Syndrome with Short QT",
                     "Voltage-dependent L-type calcium channel subunit alpha-1C", "CACNA1C",
                     "CACNA1C-Related Disorders"],
        "url": "https://pubmed.ncbi.nlm.nih.gov/20301577/",
        "extra": {"publisher": "University of Washington, Seattle", "isbn": [],
                  "editors": ["Adam, Margaret P", "Feldman, Jerry", "Mirzaa, Ghayda M", "Pagon, Roberta A",
                              "Wallace, Stephanie E", "Amemiya, Anne"], "bookaccession": "NBK1403"}}


OLD_ARTICLE = ARTICLE.replace('<PMID Version="1">123</PMID>', '<PMID Version="1">123</PMID><DateCreated><Year>2015'
                              '</Year><Month>12</Month><Day>29</Day></DateCreated>')


def test_older_dated_pubmed_dtd_is_read_with_the_closest_earlier_bundled_one():
    """A 2016 export names pubmed_160101.dtd (not bundled) and has DateCreated, which the 2015 DTD declares."""
    assert "pubmed_160101.dtd" not in pubmed_xml.bundled_dtds()
    assert pubmed_xml.closest_pubmed_dtd("pubmed_160101.dtd") == "pubmed_150101.dtd"
    doc = (b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
           b'2016//EN" "http://www.ncbi.nlm.nih.gov/corehtml/query/DTD/pubmed_160101.dtd">\n<PubmedArticleSet>'
           + OLD_ARTICLE.format(title="Old").encode() + b"</PubmedArticleSet>")
    [record] = records_from_xml(doc)
    assert (record.pmid, record.title, record.doi) == ("123", "Old", "10.1000/abc")


def test_old_export_saved_without_its_doctype_is_still_read():
    """Without a DOCTYPE the newest DTD is assumed; elements it no longer declares are skipped, not fatal."""
    doc = f"<PubmedArticleSet>\n{OLD_ARTICLE.format(title='Saved by a reference manager')}\n</PubmedArticleSet>"
    [record] = records_from_xml(doc.encode())
    assert (record.pmid, record.title, record.year) == ("123", "Saved by a reference manager", 1998)


def test_book_article_set_root():
    doc = (b'<PubmedBookArticleSet><PubmedBookArticle><BookDocument><PMID Version="1">20301295</PMID>'
           b'<Book><BookTitle book="gene">GeneReviews</BookTitle><PubDate><Year>1993</Year></PubDate></Book>'
           b'<ArticleTitle>A chapter</ArticleTitle></BookDocument></PubmedBookArticle></PubmedBookArticleSet>')
    [record] = records_from_xml(doc)
    assert (record.pmid, record.title, record.journal, record.year) == ("20301295", "A chapter", "GeneReviews", 1993)


def test_single_article_saved_on_its_own_is_read():
    """A lone <PubmedArticle> (no set around it, no DOCTYPE) is read as a set of one."""
    [record] = records_from_xml(f"\n{ARTICLE.format(title='Alone')}\n".encode())
    assert (record.pmid, record.title) == ("123", "Alone")


def test_articles_the_parser_does_not_return_are_an_error_not_a_shorter_list(monkeypatch):
    """Should Biopython ever return fewer articles than the document holds, that is an error (a gap), not
    a silently shorter batch."""
    doc = _doc('<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_250101.dtd">')
    real_read = pubmed_xml._read

    def drop_articles(data, **kwargs):
        result = real_read(data, **kwargs)
        result["PubmedArticle"] = []
        return result

    monkeypatch.setattr(pubmed_xml, "_read", drop_articles)
    with pytest.raises(PubmedXMLError, match="read 0 of the 1 articles"):
        records_from_xml(doc)


def test_empty_set_read_with_an_older_dtd_is_empty():
    doc = (b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
           b'2016//EN" "pubmed_160101.dtd">\n<PubmedArticleSet>\n</PubmedArticleSet>\n')
    assert records_from_xml(doc) == []


def test_an_element_passed_over_unread_must_still_be_well_formed():
    """The parser passes over reference lists without building them, but expat still reads them: a broken tag
    inside one is an error with its line, not a record silently made from the rest."""
    from sysrev.search.pubmed_xml import PubmedXMLError, records_from_xml

    article = ('<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>T</ArticleTitle></Article>'
               '</MedlineCitation><PubmedData><ReferenceList><Reference><Citation>A cited trial.</Wrong>'
               '</Reference></ReferenceList></PubmedData></PubmedArticle>')
    document = f'<?xml version="1.0"?>\n<PubmedArticleSet>\n{article}\n</PubmedArticleSet>\n'.encode()
    with pytest.raises(PubmedXMLError) as caught:
        records_from_xml(document)
    assert caught.value.line == 3
    assert [r.title for r in records_from_xml(document.replace(b"</Wrong>", b"</Citation>"))] == ["T"]


def test_mathml_in_the_default_namespace_keeps_the_formula_text():
    """``<math xmlns="…/MathML">`` (MathML without the mml: prefix) stopped Biopython's parser ("Unknown
    prefix 'None'"), and with it the whole batch; the formula's text is kept, its tags are not."""
    title = ('Risk at <math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><msup><mi>x</mi><mn>2</mn></msup>'
             '</mrow><infinity/></math> and <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>y'
             '</mml:mi></mml:math> levels')
    [record] = records_from_xml(_doc('<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_250101.dtd">', title=title))
    assert record.title == "Risk at x2 and y levels"
    assert record.pmid == "123" and record.doi == "10.1000/abc"


def test_an_unknown_namespace_is_still_an_error_that_says_so():
    title = 'A <svg:g xmlns:svg="http://www.w3.org/2000/svg">shape</svg:g> title'
    with pytest.raises(PubmedXMLError, match="Unknown prefix 'svg'"):
        records_from_xml(_doc('<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_250101.dtd">', title=title))


def test_an_element_the_dtd_places_elsewhere_is_passed_over_not_fatal():
    """A DTD older than the record (or an edited file) can have an element where the DTD does not allow it:
    Biopython stopped at it ("Unexpected item … in dictionary"), losing every record of the batch."""
    article = ARTICLE.replace("<Title>J</Title>", "<Title>J</Title><VernacularTitle>Titre</VernacularTitle>")
    doc = (f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_250101.dtd">\n<PubmedArticleSet>'
           f'{article.format(title="Placed")}{ARTICLE.format(title="Second")}</PubmedArticleSet>').encode()
    records = records_from_xml(doc)
    assert [(r.pmid, r.title, r.journal) for r in records] == [("123", "Placed", "J"), ("123", "Second", "J")]


@pytest.mark.parametrize("article, missing, which", [
    ("<PubmedArticle></PubmedArticle>", "MedlineCitation", ""),
    ('<PubmedArticle><MedlineCitation><PMID Version="1">77</PMID></MedlineCitation></PubmedArticle>', "Article",
     " (PMID 77)"),
])
def test_an_article_without_its_citation_is_an_error_naming_it(article, missing, which):
    doc = f"<PubmedArticleSet>{ARTICLE.format(title='Fine')}{article}</PubmedArticleSet>".encode()
    with pytest.raises(PubmedXMLError) as caught:
        records_from_xml(doc)
    assert str(caught.value) == (f"article 2 of 2{which} has no {missing} element; every PubMed record has one, so the "
                                 "file was edited or is not PubMed's XML")


def test_a_dtd_read_afresh_is_the_bundled_copy(monkeypatch):
    """What a DTD declares is kept per process after its first read, so the tests that parse before this one
    leave it cached: with the cache emptied the DTD is opened again, from Biopython's bundled files only."""
    monkeypatch.setattr(pubmed_xml._OfflineHandler, "_declared", {})
    # an old export's plain-http address: never contacted, so not refused as an insecure URL either
    doc = _doc('<!DOCTYPE PubmedArticleSet SYSTEM "http://www.ncbi.nlm.nih.gov/corehtml/query/DTD/pubmed_250101.dtd">',
               title="Read afresh")
    for _ in range(2):  # read from the DTD, then from what it declared, kept
        [record] = records_from_xml(doc)
        assert (record.pmid, record.title, record.doi) == ("123", "Read afresh", "10.1000/abc")
        assert list(pubmed_xml._OfflineHandler._declared) == ["pubmed_250101.dtd"]
    handler = pubmed_xml._OfflineHandler(validate=True, escape=False, ignore_errors=False)
    bundled = Path(pubmed_xml.EntrezParser.DataHandler.global_dtd_dir) / "pubmed_250101.dtd"
    with handler.open_dtd_file("pubmed_250101.dtd") as opened:
        assert (opened.name, opened.read()) == (str(bundled), bundled.read_bytes())
    assert handler.open_dtd_file("evil.dtd") is None
    assert handler.open_xsd_file("evil.xsd") is None


def test_a_bundled_xml_schema_is_read_offline():
    """An NCBI document that names a schema Biopython bundles is read with the bundled copy (not refused, no
    download); it is no PubMed set, which is then the error."""
    doc = (b'<?xml version="1.0"?>\n<IPGReportSet xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           b'xsi:noNamespaceSchemaLocation="https://www.ncbi.nlm.nih.gov/data_specs/schema/other/product/'
           b'IPGReportSet.xsd"></IPGReportSet>')
    with pytest.raises(PubmedXMLError) as caught:
        records_from_xml(doc)
    assert (type(caught.value), str(caught.value)) == (PubmedXMLError, "not a PubmedArticleSet")


@pytest.mark.parametrize("location, named", [
    ('xsi:noNamespaceSchemaLocation="https://www.ncbi.nlm.nih.gov/not-bundled.xsd"',
     "'https://www.ncbi.nlm.nih.gov/not-bundled.xsd'"),
    ("", "''"),
])
def test_an_xml_schema_not_bundled_or_not_named_is_refused_in_full(location, named):
    doc = (b'<?xml version="1.0"?>\n<PubmedArticleSet xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           + location.encode() + b"></PubmedArticleSet>")
    with pytest.raises(UnsafeXMLError) as caught:
        records_from_xml(doc)
    assert str(caught.value) == (f"refusing XML schema {named}: only the schemas bundled with Biopython are read, "
                                 "nothing is fetched")


def test_a_link_inside_a_default_namespace_formula_keeps_the_formula():
    """Only the default namespace's end is read as MathML's mml: prefix; another prefix ending inside the formula
    (xlink, declared on one of its elements) stays itself, so the rest of the formula is still MathML."""
    title = ('Risk at <math xmlns="http://www.w3.org/1998/Math/MathML"><mi xmlns:xlink="http://www.w3.org/1999/xlink" '
             'xlink:href="#x">x</mi><mn>2</mn></math> levels')
    [record] = records_from_xml(_doc('<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_250101.dtd">', title=title))
    assert (record.pmid, record.title) == ("123", "Risk at x2 levels")


def test_closest_pubmed_dtd_at_and_before_the_bundled_ones():
    dtds = pubmed_xml._pubmed_dtds()
    assert dtds[0] == "pubmed_020114.dtd" and dtds[-1] == pubmed_xml.newest_pubmed_dtd() == "pubmed_250101.dtd"
    assert pubmed_xml.closest_pubmed_dtd("pubmed_250101.dtd") == "pubmed_250101.dtd"  # a bundled one is itself
    assert pubmed_xml.closest_pubmed_dtd("pubmed_990101.dtd") == "pubmed_250101.dtd"
    assert pubmed_xml.closest_pubmed_dtd("pubmed_020101.dtd") == "pubmed_020114.dtd"  # older than all: the oldest


def test_error_texts_with_a_byte_that_is_not_utf8():
    assert pubmed_xml.error_messages(b"<eSearchResult><ERROR>  Search\n backend \xff failed </ERROR><ERROR> </ERROR>"
                                     b"<ERROR>Second</ERROR></eSearchResult>") == ["Search backend \ufffd failed",
                                                                                   "Second"]


def test_the_quick_well_formedness_check():
    good = _doc('<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_250101.dtd">')
    assert pubmed_xml.check_well_formed(good) is None
    assert pubmed_xml.check_well_formed(f"\n{ARTICLE.format(title='Alone')}\n".encode()) is None
    with pytest.raises(PubmedXMLError) as caught:
        pubmed_xml.check_well_formed(good[:-20])
    assert (type(caught.value), str(caught.value)) == (
        PubmedXMLError, "malformed or truncated PubMed XML: unclosed token: line 3, column 607")  # at "</PubmedArticle"
    # a DOCTYPE past the prolog the reader looks at is still refused, by the parser
    late = (b'<?xml version="1.0"?>\n<!--' + b"x" * 70000 + b'-->\n<!DOCTYPE PubmedArticleSet [<!ENTITY a "b">]>\n'
            b"<PubmedArticleSet/>")
    with pytest.raises(UnsafeXMLError) as caught:
        pubmed_xml.check_well_formed(late)
    assert str(caught.value) == (
        "the DOCTYPE <!DOCTYPE PubmedArticleSet …> declares its own DTD subset (line 3); sysrev refuses it because "
        "entities declared there can reach files or the network or expand without bound")


def test_has_articles():
    assert pubmed_xml.has_articles(b"<PubmedArticleSet>\n<PubmedArticle>") is True
    assert pubmed_xml.has_articles(b'<PubmedBookArticleSet><PubmedBookArticle lang="en">') is True
    assert pubmed_xml.has_articles(b"<PubmedArticleSet></PubmedArticleSet>") is False
    assert pubmed_xml.has_articles(b"<PubmedArticles>") is False


OLDEST = ('<PubmedArticle><MedlineCitation Owner="NLM" Status="MEDLINE"><PMID>4</PMID><Article><Journal><JournalIssue>'
          '<PubDate><MedlineDate>n.d.</MedlineDate></PubDate></JournalIssue><Title>Pain &amp; Spine</Title></Journal>'
          '<ArticleTitle>An old export</ArticleTitle><AuthorList><Author><LastName>Doe</LastName></Author></AuthorList>'
          '<Language>eng</Language></Article></MedlineCitation></PubmedArticle>')


@pytest.mark.parametrize("dtd", ["pubmed_020114.dtd", "pubmed_150101.dtd"])
def test_an_export_that_names_an_old_bundled_dtd_is_read_with_it(dtd):
    """An old bundled DTD is read as named (not replaced): before 2016 Biopython returns the set as a plain list,
    and the 2002 DTD declares neither ELocationID nor ArticleDate, so the article has neither key."""
    doc = (f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "{dtd}">\n<PubmedArticleSet>{OLDEST}'
           "</PubmedArticleSet>")
    [record] = records_from_xml(doc.encode())
    assert (record.pmid, record.title, record.journal, record.authors, record.year, record.pages, record.doi,
            record.language) == ("4", "An old export", "Pain & Spine", ["Doe"], None, "", "", "eng")


def test_a_container_element_the_dtd_places_elsewhere_is_passed_over():
    """As a misplaced text element: an author list inside the journal is passed over, not fatal."""
    article = ARTICLE.replace("<Title>J</Title>", "<Title>J</Title><AuthorList><Author><LastName>Lost</LastName>"
                                                  "</Author></AuthorList>")
    doc = (f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_250101.dtd">\n<PubmedArticleSet>'
           f'{article.format(title="Placed")}</PubmedArticleSet>').encode()
    [record] = records_from_xml(doc)
    assert (record.title, record.journal, record.authors) == ("Placed", "J", ["Doe, Jo"])


def test_a_document_read_again_without_validation_keeps_its_line_numbers():
    """The undeclared DateCreated makes the reader read the document again; a truncation after it is still
    reported at the line of the file, not of the document with the declaration and DOCTYPE added."""
    doc = f"<PubmedArticleSet>\n{OLD_ARTICLE.format(title='Old')}\n{ARTICLE.format(title='Cut')}\n</PubmedArticleSet>"
    with pytest.raises(PubmedXMLError) as caught:
        records_from_xml(doc.encode()[:-40])
    assert (str(caught.value), caught.value.line) == (
        "malformed or truncated PubMed XML: unclosed token (column 572)", 3)  # at "</PubmedData"


@pytest.mark.parametrize("data, message", [
    (b"<PubmedArticleSet><Pub", "malformed or truncated PubMed XML: unclosed token (column 18)"),
    (b'<?xml version="1.0" encoding="x-unknown"?>\n<PubmedArticleSet/>',
     "the XML declaration names the encoding 'x-unknown', which is unknown; save the file as UTF-8 and import again"),
    (b'<?xml version="1.0" <PubmedArticleSet/>',
     "malformed PubMed XML: the XML declaration (<?xml … ?>) is not closed"),
    # a stray character before the root (not passed over as a BOM and white space there are)
    (b"X\n<PubmedArticleSet></PubmedArticleSet>",
     "malformed or truncated PubMed XML: syntax error (column 0)"),
])
def test_documents_broken_on_their_first_line_in_full(data, message):
    with pytest.raises(PubmedXMLError) as caught:
        records_from_xml(data)
    assert (type(caught.value), str(caught.value), caught.value.line) == (PubmedXMLError, message, 1)


def test_a_subset_past_the_prolog_is_refused_by_the_parser_of_the_full_read():
    late = (b'<?xml version="1.0"?>\n<!--' + b"x" * 70000 + b'-->\n<!DOCTYPE PubmedArticleSet [<!ENTITY a "b">]>\n'
            b"<PubmedArticleSet/>")
    with pytest.raises(UnsafeXMLError) as caught:
        records_from_xml(late)
    assert str(caught.value) == (
        "the DOCTYPE <!DOCTYPE PubmedArticleSet …> declares its own DTD subset (line 3); sysrev refuses it because "
        "entities declared there can reach files or the network or expand without bound")


def test_a_document_of_another_kind_is_not_made_a_pubmed_set():
    with pytest.raises(PubmedXMLError) as caught:
        records_from_xml(b"<eSearchResult><Count>0</Count></eSearchResult>")
    assert str(caught.value) == (
        "cannot read PubMed XML: As the XML data contained neither a Document Type Definition (DTD) nor an XML "
        "Schema, Bio.Entrez is unable to parse these data. We recommend using a generic XML parser from the Python "
        "standard library instead, for example ElementTree.")


@pytest.mark.parametrize("data", [
    # a byte order mark and a blank line before the declaration
    b'\xef\xbb\xbf\n<?xml version="1.0"?>\n<PubmedArticleSet>' + ARTICLE.format(title="Saved").encode()
    + b"</PubmedArticleSet>",
    # a lone article after a comment that spans lines and holds a tag
    b"<!-- exported by\n a <b>reference</b> manager -->\n" + ARTICLE.format(title="Saved").encode(),
    # a lone book article
    b'<PubmedBookArticle><BookDocument><PMID Version="1">123</PMID><Book><BookTitle>B</BookTitle></Book>'
    b"<ArticleTitle>Saved</ArticleTitle></BookDocument></PubmedBookArticle>",
    # the declaration straight before the root, a processing instruction after it
    b'<?xml version="1.0"?><PubmedArticleSet>' + ARTICLE.format(title="Saved").encode()
    + b"</PubmedArticleSet>\n<?manager saved?>",
])
def test_files_saved_by_other_programs_are_read(data):
    [record] = records_from_xml(data)
    assert (record.pmid, record.title) == ("123", "Saved")


def test_a_doctype_naming_a_dtd_in_letters_beyond_ascii_is_refused_by_its_name():
    doc = _doc('<!DOCTYPE PubmedArticleSet SYSTEM "https://example.org/pubmed_25ß.dtd">')
    with pytest.raises(UnsafeXMLError) as caught:
        records_from_xml(doc)
    assert str(caught.value) == ("the DOCTYPE names the DTD 'pubmed_25\ufffd\ufffd.dtd', which Biopython does not "
                                 "bundle; sysrev never downloads DTDs")


def test_a_closest_dtd_that_reads_too_few_articles_gives_way_to_the_newest():
    """A 2010 export naming pubmed_100201.dtd (not bundled) is read with pubmed_100101.dtd, which has no book
    articles; the book is then read with the newest DTD instead of being lost."""
    book = ('<PubmedBookArticle><BookDocument><PMID Version="1">5</PMID><Book><BookTitle>B</BookTitle></Book>'
            '<ArticleTitle>A chapter of 2010</ArticleTitle></BookDocument></PubmedBookArticle>')
    doc = (f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "pubmed_100201.dtd">\n<PubmedArticleSet>'
           f'{ARTICLE.format(title="An article of 2010")}{book}</PubmedArticleSet>')
    assert pubmed_xml.closest_pubmed_dtd("pubmed_100201.dtd") == "pubmed_100101.dtd"
    assert [(r.pmid, r.title) for r in records_from_xml(doc.encode())] == [("123", "An article of 2010"),
                                                                           ("5", "A chapter of 2010")]


def test_an_ncbi_error_response_is_reported_in_ncbi_words():
    """An E-utilities answer whose DTD declares ERROR (here ESearch's, bundled) stops the read with NCBI's own
    text, rather than passing for a document with no PubMed set."""
    doc = (b'<?xml version="1.0"?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
           b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
           b"<eSearchResult><ERROR>Invalid query syntax</ERROR></eSearchResult>")
    with pytest.raises(PubmedXMLError) as caught:
        records_from_xml(doc)
    assert (type(caught.value), str(caught.value)) == (PubmedXMLError, "cannot read PubMed XML: Invalid query syntax")


def test_a_list_of_other_ncbi_records_is_not_a_pubmed_set():
    """ESummary's document summaries come back from Biopython as a list of dictionaries, as a pre-2016 PubMed set
    does; without a MedlineCitation or BookDocument in them they are no articles."""
    doc = (b'<?xml version="1.0"?>\n<!DOCTYPE eSummaryResult PUBLIC "-//NLM//DTD esummary v1 20041029//EN" '
           b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20041029/esummary-v1.dtd">\n'
           b'<eSummaryResult><DocSum><Id>123</Id><Item Name="Title" Type="String">T</Item></DocSum></eSummaryResult>')
    with pytest.raises(PubmedXMLError) as caught:
        records_from_xml(doc)
    assert (type(caught.value), str(caught.value)) == (PubmedXMLError, "not a PubmedArticleSet")
