"""Readers on the project's own small fixtures (tests/fixtures/formats/): one quirk per file."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sysrev.errors import InputError
from sysrev.formats import detect_format, load_references, read_references
from sysrev.formats.decode import decode_bytes, split_lines
from sysrev.formats.safexml import parse_xml


@pytest.fixture
def fx(own_fixtures):
    return own_fixtures / "formats"


def test_ris_bom_crlf_multiline_empty_and_unknown_tags(fx):
    path = fx / "bom_crlf_multiline.ris"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the quirks are really there
    parsed = load_references(path)
    assert parsed.encoding == "utf-8-sig" and parsed.warnings == []
    first, chapter = parsed.records
    assert first.source_id == "31234567"
    assert first.title == "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection: a randomised trial"
    assert first.abstract == ("BACKGROUND: First line of the abstract continues here without indentation. "
                              "RESULTS: Third line.")
    assert first.authors == ["Park, Yongbum", "Lee, Jae-Hyun"]
    assert (first.year, first.volume, first.issue, first.pages) == (2013, "29", "4", "575-586")
    assert (first.journal, first.journal_abbrev) == ("The Clinical Journal of Pain", "Clin J Pain")
    assert first.doi == "10.1097/ajp.0b013e318261e5d5" and first.issn == "0749-8047"
    assert first.extra["fields"]["ZZ"] == "an unknown tag"
    assert "N1" not in first.extra["fields"]  # an empty tag adds nothing
    assert chapter.source_id == "42" and chapter.authors == ["Smith, JA"]
    assert chapter.publication_types == ["Book Section"] and chapter.journal == "Interventional Pain Medicine"


def test_ris_cp1252_decoded_with_warning(fx):
    parsed = load_references(fx / "latin1_endnote.ris")
    assert parsed.encoding == "cp1252"
    assert parsed.records[0].title == "Étude de la douleur lombaire – essai contrôlé"
    assert parsed.records[0].authors == ["Müller, Jörg"]
    assert len(parsed.warnings) == 1 and "not valid UTF-8" in parsed.warnings[0] and "line 3" in parsed.warnings[0]


def test_ris_record_without_ty_is_an_error_with_line(fx):
    # the second record lost its TY line while the first has one: a damaged file
    with pytest.raises(InputError) as err:
        read_references(fx / "missing_ty.ris")
    assert err.value.line == 5 and "missing_ty.ris" in str(err.value) and "'T1'" in str(err.value)


def test_ris_file_without_any_ty_line_is_read_without_types_and_a_warning(fx):
    # no record has TY (as CiteSource writes RIS): each record runs from its first tag to ER
    parsed = load_references(fx / "tags_before_ty.ris")
    assert [(r.title, r.journal, r.publication_types) for r in parsed.records] == [
        ("No type line at all", "Some Journal", [])]
    assert any("no record has a 'TY' line" in w for w in parsed.warnings)


def test_ris_last_record_without_er_is_an_error_unless_allowed(fx):
    with pytest.raises(InputError) as err:
        load_references(fx / "missing_er.ris")
    assert err.value.line == 5 and "no closing 'ER'" in str(err.value) and "--allow-truncated" in str(err.value)
    parsed = load_references(fx / "missing_er.ris", allow_truncated=True)
    assert [r.title for r in parsed.records] == ["Complete record"]
    assert any("line 5" in w and "1 incomplete record was dropped and 1 kept" in w for w in parsed.warnings)


def test_ris_ovid_headers_counters_and_embase_ids(fx):
    parsed = load_references(fx / "ovid_counters.ris")
    assert [r.source_id for r in parsed.records] == ["L2012345678", "L2012345679"]
    assert parsed.dialect == "embase" and parsed.records[0].source == "embase"
    assert parsed.records[0].abstract == "An abstract in N2."
    assert parsed.records[0].journal_abbrev == "Pain Physician"


def test_nbib_fields_continuations_and_line_separator(fx):
    first, second = read_references(fx / "pubmed_small.nbib")
    assert first.title == "Ultrasound versus fluoroscopy for lumbar transforaminal injections: a randomized trial."
    assert "\u2028" not in first.abstract and first.abstract.endswith("inside the abstract.")
    assert first.authors == ["van der Berg, Anna", "Ng, Wei", "SPINE Trial Group"]
    assert (first.year, first.pages, first.doi, first.pmcid) == (2018, "1105-1112", "10.1093/pm/pnx001",
                                                                 "PMC6012345")
    assert first.publication_types == ["Randomized Controlled Trial", "Journal Article"]
    assert second.authors == ["Solo, H"] and second.pmid == "23456790"


def test_nbib_damaged_line_is_an_error_with_line(fx):
    with pytest.raises(InputError) as err:
        read_references(fx / "damaged.nbib")
    assert err.value.line == 7 and "damaged.nbib" in str(err.value)


def test_bibtex_strings_accents_braces_and_others(fx):
    first, second = read_references(fx / "small.bib")
    assert first.source_id == "Mueller2015"
    assert first.authors == ["Müller, Jörg", "García, María", "The SPINE Trial Group"]
    assert first.title == "Ultrasound versus fluoroscopy guidance: a RCT"
    assert first.journal == "Pain Medicine"  # @string macro expanded
    assert (first.pages, first.doi, first.pmid) == ("575-586", "10.1111/pme.12345", "25555555")
    assert first.keywords == ["epidural", "ultrasound"]
    assert second.authors == ["Smith, John"] and second.title == "Imaging in pain & spine"
    assert second.journal == "Proceedings of the Spine Meeting"


def test_bibtex_unparsable_entry_is_an_error_with_line(fx):
    with pytest.raises(InputError) as err:
        read_references(fx / "broken.bib")
    assert err.value.line == 6 and "broken2" in str(err.value)  # the '@' line, not the blank line above it


def test_endnote_xml_style_runs_and_pubmed_accession(fx):
    article, book = read_references(fx / "endnote_small.xml")
    assert article.title == "Ultrasound guidance for sacroiliac joint injection"
    assert article.authors == ["Chen, Li", "Okafor, Chidi"]
    assert (article.pmid, article.pmcid, article.doi) == ("25400000", "PMC4300000", "10.1097/aap.0000000000000194")
    assert (article.journal, article.journal_abbrev) == ("Regional Anesthesia & Pain Medicine", "Reg Anesth Pain Med")
    assert article.pages == "33-39" and article.source == "pubmed"
    assert book.source_id == "18" and book.issn == ""  # an ISBN is not an ISSN


def test_endnote_xml_from_mendeley_reads_its_issue_element(tmp_path):
    """Mendeley Desktop's EndNote XML export writes the issue as <issue>, not EndNote's <number> (layout as in
    the Mendeley export in ASySD's test data, github.com/camaradesuk/ASySD tests/testthat)."""
    path = tmp_path / "mendeley.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><xml><records><record>'
                    '<database name="library.enl" path="library.enl">library.enl</database>'
                    '<ref-type name="Journal Article">0</ref-type><contributors><authors><author>Rotter, Carina'
                    '</author></authors></contributors><titles><title>Myoclonus in older spaniels.</title>'
                    '<secondary-title>J Vet Intern Med</secondary-title></titles><pages>1032-1038</pages>'
                    '<volume>36</volume><issue>3</issue><dates><year>2022</year></dates></record>'
                    '<record><titles><title>Both fields</title></titles><number>7</number><issue>8</issue></record>'
                    '</records></xml>', encoding="utf-8")
    mendeley, both = read_references(path)
    assert (mendeley.volume, mendeley.issue, mendeley.pages) == ("36", "3", "1032-1038")
    assert "issue" not in mendeley.extra["fields"]
    assert both.issue == "7"  # EndNote's own field first


@pytest.mark.parametrize("name, words", [
    ("xxe.xml", "external entity"),
    ("billion_laughs.xml", "declares an entity"),
    ("external_dtd.xml", "external DTD"),
])
def test_endnote_xml_unsafe_documents_are_refused(fx, name, words):
    with pytest.raises(InputError) as err:
        read_references(fx / name)
    message = str(err.value)
    assert "unsafe XML refused" in message and words in message and name in message
    assert "root:" not in message  # nothing from /etc/passwd was read


def test_xml_refusal_happens_before_any_expansion():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "' + b"x" * 10 + b'">]><x>&a;</x>'
    with pytest.raises(InputError, match="declares an entity"):
        parse_xml(bomb, path="bomb.xml")


def test_endnote_xml_malformed_names_line(fx):
    with pytest.raises(InputError) as err:
        read_references(fx / "truncated.xml")
    assert err.value.line == 4 and "mismatched tag" in str(err.value)


def test_csv_rayyan_layout(fx):
    first, second = read_references(fx / "rayyan.csv")
    assert first.source_id == "rayyan-1001" and first.title == "Ultrasound-guided caudal epidural, a trial"
    assert first.authors == ["Park, Y", "Lee, J"] and first.abstract == "An abstract over two lines"
    assert (first.pages, first.doi, first.keywords) == ("575-586", "10.1097/ajp.0b013e318261e5d5",
                                                        ["epidural", "caudal"])
    assert "RAYYAN-INCLUSION" in first.extra["fields"]["notes"]
    assert second.authors == ["Smith, J."]


def test_csv_semicolon_and_tab_delimiters(fx):
    (semi,) = read_references(fx / "semicolon.csv")
    assert semi.authors == ["Müller, J", "Doe, J"] and semi.year == 2020 and semi.doi == "10.1234/abc"
    tab = read_references(fx / "tab_generic.tsv")
    assert [(r.source_id, r.title, r.year) for r in tab] == [("7", "A tab-separated title", 1999),
                                                             ("8", "Another", 2000)]


def test_csv_without_title_abstract_or_doi_column_is_refused(fx, tmp_path):
    with pytest.raises(InputError, match="unrecognised reference format"):
        read_references(fx / "no_title_column.csv")
    with pytest.raises(InputError, match="no title, abstract or DOI column"):
        load_references(fx / "no_title_column.csv", format="csv")


def test_wos_tagged_continuations(fx):
    (record,) = read_references(fx / "wos_small.txt")
    assert record.title == "Ultrasound-guided injection of the lumbar facet joints: a comparison"
    assert record.authors == ["Kim, Sunghoon", "Lee, Kyunghee"]
    assert (record.pages, record.pmid, record.source_id) == ("101-108", "26815250", "WOS:000370000000001")
    assert record.keywords == ["ultrasound", "facet joint"]


def test_endnote_tagged_continuation_and_fallback_id(fx):
    first, book = read_references(fx / "refer.enw")
    assert first.title == "Ultrasound guidance for epidural injection in the elderly"
    assert (first.source_id, first.pages, first.doi) == ("28000000", "100-109", "10.1093/pm/pnw001")
    assert book.source_id == "refer.enw:14" and book.journal == ""


def test_source_given_overrides_detected_database(fx):
    records = read_references(fx / "ovid_counters.ris", source="embase-ovid")
    assert {r.source for r in records} == {"embase-ovid"}


def test_duplicate_identifiers_made_unique_with_warning(tmp_path):
    path = tmp_path / "dupes.ris"
    path.write_text("TY  - JOUR\nID  - 5\nTI  - One\nER  - \n\nTY  - JOUR\nID  - 5\nTI  - Two\nER  - \n"
                    "\nTY  - JOUR\nID  - 5#2\nTI  - Three\nER  - \n", encoding="utf-8")
    parsed = load_references(path)
    ids = [r.source_id for r in parsed.records]
    assert len(set(ids)) == 3 and ids[0] == "5" and ids[2] == "5#2" and ids[1].startswith("5#")
    assert any("1 record reuses an identifier" in w for w in parsed.warnings)


def test_missing_file_and_folder_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_references(tmp_path / "nope.ris")
    with pytest.raises(InputError, match="is a folder"):
        read_references(tmp_path)


def test_empty_and_unknown_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "prose.txt").write_text("Dear reviewer, here are my references.\n", encoding="utf-8")
    (tmp_path / "other.xml").write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_references(tmp_path / "empty.txt")
    with pytest.raises(InputError, match="unrecognised reference format"):
        read_references(tmp_path / "prose.txt")
    with pytest.raises(InputError, match="root <html>"):
        read_references(tmp_path / "other.xml")


@pytest.mark.parametrize("text, expected", [
    ("TY  - JOUR\nER  - \n", "ris"),
    ("TY - JOUR\nTI - one space\nER - \n", "ris"),
    ("PMID- 1\nTI  - x\n", "nbib"),
    ("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nER\nEF\n", "wos"),
    ("@article{k,\n title={x}}\n", "bibtex"),
    ("<?xml version='1.0'?>\n<xml><records/></xml>", "endnote_xml"),
    ("<PubmedArticleSet></PubmedArticleSet>", "pubmed_xml"),
    ("%0 Journal Article\n%T x\n", "endnote_tagged"),
    ('[{"title": "x", "author": []}]', "csl_json"),
    ("Title,Abstract\nx,y\n", "csv"),
    ("AU  - Doe, J\nER  - \n", "ris"),  # a damaged RIS file is still RIS, so its reader can name the line
])
def test_detect_format_from_content(text, expected):
    assert detect_format(text) == expected


def test_ris_with_one_space_before_hyphen(tmp_path):
    path = tmp_path / "onespace.txt"
    path.write_text("TY - JOUR\nTI - A one-space exporter\nAU - Doe, Jane\nER - \n", encoding="utf-8")
    (record,) = read_references(path)
    assert record.title == "A one-space exporter" and record.authors == ["Doe, Jane"]


def test_decode_utf16_bom_and_split_lines():
    text = "TY  - JOUR\r\nTI  - x\u2028y\rER  - \n"
    decoded = decode_bytes(text.encode("utf-16"))
    assert decoded.encoding == "utf-16" and decoded.text == text
    assert split_lines(text) == ["TY  - JOUR", "TI  - x\u2028y", "ER  - "]


def test_ris_cochrane_central_layout(fx):
    """Hand-made in the layout of the Cochrane Library's RIS export (values invented)."""
    parsed = load_references(fx / "central_layout.ris")
    first, second = parsed.records
    assert parsed.dialect == "cochrane-central" and first.source == "cochrane-central"
    assert [first.source_id, second.source_id] == ["CN-09999901", "CN-09999902"]
    assert first.pmid == "39999901"  # from "C3  -  PUBMED 39999901,EMBASE 2099999901"
    assert (first.pages, first.doi, first.journal) == ("101-109", "10.9999/ejp.2020.101", "Example journal of pain")
    assert first.authors == ["Example, A", "Sample, BC"] and first.publication_types[0] == "Journal Article"
    assert second.authors == [] and second.year == 2021


def test_csv_cochrane_central_layout(fx):
    """Hand-made in the layout of the Cochrane Library's CSV export (values invented)."""
    parsed = load_references(fx / "central_layout.csv")
    (record,) = parsed.records
    assert parsed.dialect == "cochrane-central"
    assert (record.source_id, record.pmid, record.pages) == ("CN-09999901", "39999901", "101-109")
    assert record.authors == ["Example, A", "Sample, BC"] and record.journal == "Example journal of pain"


def test_ris_record_counter_id_yields_to_accession_number(tmp_path):
    path = tmp_path / "endnote.ris"
    path.write_text("TY  - JOUR\nID  - 369\nAN  - 21553931\nTI  - x\nER  - \n\n"
                    "TY  - JOUR\nID  - smith2020\nAN  - 123\nTI  - y\nER  - \n", encoding="utf-8")
    assert [r.source_id for r in read_references(path)] == ["21553931", "smith2020"]


def test_csv_web_of_science_tab_delimited(fx):
    parsed = load_references(fx / "wos_tab_delimited.txt")
    assert parsed.format == "csv" and parsed.dialect == "web-of-science"
    (record,) = parsed.records
    assert record.source_id == "WOS:000999999900001" and record.authors == ["Kim, Sunghoon", "Lee, Kyunghee"]
    assert (record.pages, record.pmid, record.doi, record.year) == ("101-108", "29999999", "10.9999/wos.2016.101", 2016)
    assert record.keywords == ["ultrasound", "facet"] and record.extra["fields"]["ID"] == "INJECTION; GUIDANCE"


def test_csv_header_below_a_preamble_line(fx):
    parsed = load_references(fx / "dimensions_preamble.csv")
    assert parsed.dialect == "dimensions"
    (record,) = parsed.records
    assert (record.source_id, record.pmid, record.pages, record.journal) == (
        "pub.1999999999", "39999998", "10-19", "Example Journal")


def test_csv_zotero_layout_with_pmid_in_extra(fx):
    (record,) = read_references(fx / "zotero.csv")
    assert (record.source_id, record.pmid, record.pages, record.year) == ("ABCD1234", "30999999", "33-39", 2019)
    assert record.authors == ["Doe, Jane", "Roe, Richard"] and record.keywords == ["epidural", "ultrasound"]


def test_csv_unclosed_quote_swallowing_rows_is_an_error(fx):
    with pytest.raises(InputError) as err:
        read_references(fx / "unclosed_quote.csv")
    assert err.value.line == 2 and "column 'abstract'" in str(err.value) and "unclosed quote" in str(err.value)


def test_csv_multiline_abstract_with_commas_is_not_mistaken_for_rows(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('title,abstract,year,doi,authors\nOne,"Para one, with, some, commas.\nPara two, also, with,'
                    ' commas.",2001,10.1234/a,Doe J\n', encoding="utf-8")
    parsed = load_references(path)
    assert len(parsed.records) == 1 and parsed.warnings == []


def test_ris_several_urls_on_one_line(tmp_path):
    path = tmp_path / "eppi.ris"
    path.write_text("TY  - JOUR\nT1  - x\nA1  - Brownstein C D\nUR  - https://www.embase.com/search/results?"
                    "id=L1&from=export http://dx.doi.org/10.9999/x.1\nER  - \n", encoding="utf-8")
    (record,) = read_references(path)
    assert record.url == "https://www.embase.com/search/results?id=L1&from=export"
    assert record.doi == "10.9999/x.1" and record.authors == ["Brownstein, C D"]


def test_csv_cinahl_layout_excel_guards_and_page_count(fx):
    """Hand-made in the layout of EBSCO's CINAHL CSV export (values invented)."""
    parsed = load_references(fx / "cinahl_layout.csv")
    (record,) = parsed.records
    assert parsed.dialect == "ebsco" and record.source_id == "163999999"
    assert (record.issn, record.year, record.pages) == ("0078-8562", 2023, "924-934")  # ="00788562", ="Jun2023"
    assert record.authors == ["Doe, Jane", "Roe, Richard P."] and record.publication_types == ["Article"]
    assert record.keywords == ["guidance", "injection", "NURSING", "ULTRASOUND"]


def test_csv_page_start_and_count_in_superscript_digits_do_not_crash(tmp_path):
    """str.isdigit() accepts '²' and int() refuses it: a CINAHL-style start page + page count holding one is
    read without a traceback: '²' is no page (the page reader drops it), '³' no page count."""
    path = tmp_path / "pages.csv"
    path.write_text("Title,Start Page,Page Count,Year\nA study,²,3,2020\nAnother,55,³,2021\nThird,55,6,2022\n",
                    encoding="utf-8")
    first, second, third = read_references(path)
    assert (first.pages, second.pages, third.pages) == ("", "55", "55-60")


def test_csv_covidence_layout(fx):
    """Hand-made in the layout of Covidence's CSV export (values invented)."""
    first, second = read_references(fx / "covidence_layout.csv")
    assert (first.source_id, first.year, first.journal, first.doi) == ("#1", 2024, "Example Journal", "10.9999/cov.1")
    assert first.authors == ["Doe, J.", "Roe, R.P."]
    assert second.pages == ""  # an affiliation in the Pages column is not taken for pages


def test_csv_embase_layout_with_query_preamble(fx):
    """Hand-made in the layout of Embase's CSV export (values invented)."""
    parsed = load_references(fx / "embase_layout.csv")
    (record,) = parsed.records
    assert parsed.dialect == "embase" and record.source_id == "L2099999999"  # PUI; Embase Accession ID empty
    assert (record.pmid, record.pages, record.journal, record.language) == ("38999999", "549-565", "Example Journal",
                                                                           "English")
    assert record.authors == ["Doe, J.", "Roe, R.P."] and record.issn == "1932-8494"


def test_csv_rayyan_layout_with_ris_debris_in_cells(fx):
    """Hand-made in the layout of Rayyan's CSV export, debris after URL and DOI included (values invented)."""
    parsed = load_references(fx / "rayyan_layout.csv")
    (record,) = parsed.records
    assert parsed.dialect == "rayyan"
    assert (record.source_id, record.doi, record.issn) == ("rayyan-99999999", "10.9999/ray.1", "1932-8494")
    assert record.url == "https://www.embase.com/search/results?subaction=viewrecord&id=L2099999999&from=export"
    assert (record.pmid, record.pmcid, record.pages) == ("38999998", "PMC9999999", "549-565")
    assert record.authors == ["Doe, J.D.", "Roe, R."] and record.keywords == ["keratin", "melanin"]


def test_tsv_citavi_layout(fx):
    """Hand-made in the layout of Citavi's tab-separated export (values invented)."""
    (record,) = read_references(fx / "citavi_layout.tsv")
    assert record.source_id == "100,doc:61b9999999999999999999"
    assert record.authors == ["van den Hoven", "Smits, Maarten L. J.", "Rosenbaum, Charlotte E."]
    assert (record.journal, record.journal_abbrev, record.year) == ("Example Journal of Radiology", "Ex.J.Radiol.",
                                                                    2019)
    assert (record.pages, record.issn, record.pmid, record.url) == ("1166-1181", "1432-1084", "31999999",
                                                                   "https://example.invalid/a")


def test_ovid_medlars_layout(fx):
    """Hand-made in the layout of Ovid's "Reprint/Medlars"/"Citavi" tagged output (values invented)."""
    parsed = load_references(fx / "ovid_medlars_layout.txt")
    embase, medline = parsed.records
    assert parsed.format == "nbib"
    assert (embase.source_id, embase.source, embase.pmid) == ("629999999", "embase", "")
    assert (embase.doi, embase.year, embase.language) == ("10.9999/ovid.1", 2018, "English")
    assert embase.authors == ["Doe, J.", "Roe, R.P."] and embase.keywords == ["*ultrasound", "human"]
    assert (medline.source_id, medline.pmid, medline.source) == ("30999999", "30999999", "pubmed")
    assert (medline.journal, medline.volume, medline.issue, medline.pages) == ("Example Journal", "7", "2", "33-39")


@pytest.mark.parametrize("start, words", [(b"PK\x03\x04rest", "Excel workbook"), (b"%PDF-1.7", "a PDF"),
                                          (b"SQLite format 3\x00", "EndNote .enl")])
def test_binary_files_get_advice_not_garbage(tmp_path, start, words):
    path = tmp_path / "refs.bin"
    path.write_bytes(start + bytes(range(256)))
    with pytest.raises(InputError, match=words):
        read_references(path)


def test_ris_capitalised_word_on_a_continuation_line_is_not_a_tag(tmp_path):
    path = tmp_path / "structured.ris"
    path.write_text("TY  - JOUR\nTI  - x\nAB  - BACKGROUND - first part.\nAIMS - To compare guidance.\n"
                    "PMID  - 12345678\nER  - \n", encoding="utf-8")
    (record,) = read_references(path)
    assert record.abstract == "BACKGROUND - first part. AIMS - To compare guidance."
    assert record.pmid == "12345678"


def test_ris_ovid_eric_layout(fx):
    """Hand-made in the layout of Ovid's RIS export from ERIC (values invented)."""
    parsed = load_references(fx / "ovid_eric_layout.ris")
    (record,) = parsed.records
    assert parsed.dialect == "eric" and record.source_id == "EJ9999999"  # coverage "<1992 to …>" dropped
    assert (record.doi, record.issn, record.year, record.pages) == ("10.9999/eric.1", "2196-7822", 2017, "76-99")
    assert record.publication_types == ["Journal Article", "Journal Articles, Reports - Research"]


def test_csv_api_style_column_names(fx):
    """camelCase column names as API-based exports (Europe PMC style) write them (values invented)."""
    (record,) = read_references(fx / "api_style_columns.csv")
    assert (record.source_id, record.journal, record.volume, record.pages) == ("MED/39999997", "Example Journal",
                                                                               "12", "101-109")
    assert record.authors == ["Doe, J", "Roe, RP."] and (record.pmid, record.pmcid) == ("39999997", "PMC9999997")


def test_csl_json(fx):
    """Hand-made in the shape of Zotero's CSL JSON export (values invented)."""
    parsed = load_references(fx / "zotero_csl.json")
    article, book = parsed.records
    assert parsed.format == "csl_json"
    assert (article.source_id, article.title, article.journal_abbrev) == (
        "http://zotero.org/users/0/items/ABCD1234", "A made-up CSL-JSON record", "Ex J")
    assert article.authors == ["van der Berg, Anna", "SPINE Trial Group"]
    assert (article.year, article.issue, article.pages, article.doi) == (2013, "4", "575-586", "10.9999/csl.1")
    assert article.keywords == ["epidural", "ultrasound"] and article.pmid == "39999996"
    assert (book.source_id, book.year) == ("zotero_csl.json:2", 2001)


def test_csl_json_syntax_error_names_line(fx):
    with pytest.raises(InputError) as err:
        read_references(fx / "broken.json")
    assert err.value.line == 3 and "not valid JSON" in str(err.value)


def test_pubmed_xml_with_external_entity_is_refused_through_import(tmp_path):
    path = tmp_path / "pubmed.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    "<PubmedArticleSet><PubmedArticle>&x;</PubmedArticle></PubmedArticleSet>\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_references(path)
    assert "pubmed.xml" in str(err.value) and "refuses" in str(err.value) and "root:" not in str(err.value)


@pytest.mark.parametrize("latex, text", [
    (r"$\beta$-blockers", "β-blockers"),
    (r"cost \$5 \& 50\,\%", "cost $5 & 50 %"),
    (r"10.1007/978-3-030-92127-9\_33", "10.1007/978-3-030-92127-9_33"),
    (r"Bostr\"{o}m \textit{et al.}", "Boström et al."),
    (r"the set \{A, B\} of {DNA} \textbackslash{} \textasciitilde{}", "the set {A, B} of DNA \\ ~"),
    (r"a \textbraceleft{}lone brace and \textbraceright", "a {lone brace and }"),
    (r"line\\{}break\\[2pt]and\\ end\\", "line break and  end "),  # LaTeX line breaks; no literal brace
])
def test_bibtex_latex_text(latex, text):
    from sysrev.formats.bibtex import latex_text

    assert latex_text(latex) == text


def test_csv_publish_or_perish_layout(fx):
    """Hand-made in the layout of Publish or Perish's Google Scholar CSV (values invented)."""
    (record,) = read_references(fx / "publish_or_perish_layout.csv")
    assert record.authors == ["Doe, A", "Roe, BC"] and record.journal == "Example Journal"
    assert (record.url, record.doi, record.year) == ("https://example.invalid/article", "10.9999/pop.1", 2019)
    assert record.publication_types == ["article"]


def test_endnote_xml_in_utf16_with_bom(fx, tmp_path):
    path = tmp_path / "utf16.xml"
    text = (fx / "endnote_small.xml").read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path.write_bytes(text.encode("utf-16"))
    parsed = load_references(path)
    assert [r.source_id for r in parsed.records] == ["25400000", "18"] and parsed.warnings == []
    assert parsed.encoding == "utf-16"


def test_csv_web_of_science_full_tab_layout(fx, tmp_path):
    """The 68-column export: SP is sponsors and PG a page count there, rows end with a tab, nothing is quoted."""
    parsed = load_references(fx / "wos_tab_full_layout.txt")
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("csv", "web-of-science", [])
    article, paper = parsed.records
    assert (article.source_id, article.pages, article.publication_types) == ("WOS:000999999900001", "101-108",
                                                                            ["Article"])
    assert article.issn == "1234-5678" and article.pmid == "29999999" and article.journal_abbrev == "Ex. Pain J."
    assert paper.title == '"Needle in a haystack": a made-up proceedings paper'
    assert paper.pages == "55-60"  # begin page plus the page count; the sponsor column is not a page
    assert paper.extra["fields"]["SP"] == "Example Sponsor Society"
    # The "Tab-delimited (Win)" variant of the same export is UTF-16 with a byte-order mark.
    utf16 = tmp_path / "savedrecs.txt"
    utf16.write_bytes((fx / "wos_tab_full_layout.txt").read_text(encoding="utf-8-sig").encode("utf-16"))
    again = load_references(utf16)
    assert again.encoding == "utf-16" and [r.to_dict() for r in again.records] == [r.to_dict() for r in parsed.records]


def test_csv_excel_sep_line_names_the_delimiter(tmp_path):
    """Excel writes ``sep=;`` above the header when asked to name the delimiter (here a cp1252 sheet)."""
    path = tmp_path / "saved_from_excel.csv"
    path.write_bytes("sep=;\r\nTitle;Authors;Year;DOI\r\nCaf\u00e9 trial, part 1;M\u00fcller J;2020;10.1000/abc\r\n"
                     "Second;Smith K;2021;\r\n".encode("cp1252"))
    parsed = load_references(path)
    first, second = parsed.records
    assert (first.title, first.authors, first.doi, first.source_id) == ("Caf\u00e9 trial, part 1", ["M\u00fcller, J"],
                                                                       "10.1000/abc", "saved_from_excel.csv:3")
    assert second.title == "Second" and second.year == 2021


def test_bibtex_zotero_biblatex_layout(fx):
    """Zotero's BibLaTeX export: journaltitle, date, langid, and the PMID as eprint with eprinttype pmid."""
    first, second = read_references(fx / "zotero_biblatex.bib")
    assert (first.source_id, first.journal, first.journal_abbrev, first.year) == (
        "kim_made-up_2016", "Example Pain Journal", "Ex Pain J", 2016)
    assert first.authors == ["Kim, Sunghoon", "Lee, Kyunghee", "SYNTH Trial Group"]
    assert (first.pages, first.pmid, first.doi, first.issue) == ("101-108", "29999999", "10.9999/made.2016.101", "2")
    assert (second.pmid, second.language, second.year, second.pages) == ("28888888", "english", 2019, "e12")
    assert "eprint" not in second.extra["fields"]


def test_endnote_tagged_files_joined_without_blank_lines(fx):
    """Google Scholar's one-record .enw downloads joined with ``cat``: each ``%0`` line starts a record."""
    article, paper, book = read_references(fx / "joined_scholar.enw")
    assert (article.title, article.authors, article.pages, article.year) == (
        "A made-up trial of ultrasound-guided facet injections", ["Kim, Sunghoon", "Lee, Kyunghee"], "101-108", 2016)
    assert (paper.title, paper.journal, paper.source_id) == ("A made-up proceedings paper",
                                                            "Proceedings of an Example Meeting",
                                                            "joined_scholar.enw:12")
    assert (book.title, book.authors, book.year) == ("A made-up book", ["Roe, Richard"], 2020)


def test_pubmed_xml_cut_off_names_the_line_of_the_file(tmp_path):
    """The line is counted in the file as saved, although the parser is given a declaration and DOCTYPE."""
    article = ('<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Journal><Title>J</Title></Journal>'
               '<ArticleTitle>T</ArticleTitle></Article></MedlineCitation></PubmedArticle>')
    path = tmp_path / "pubmed-saved.xml"
    path.write_text(f"\n<PubmedArticleSet>\n{article}\n{article[:60]}", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_references(path)
    assert err.value.line == 4 and "the last <PubmedArticle> is never closed" in str(err.value)
    assert str(err.value).startswith(f"{path}, line 4: ")
    assert [r.pmid for r in load_references(path, allow_truncated=True).records] == ["1"]


def test_pubmed_xml_cut_off_and_malformed_before_the_cut_is_an_error_not_a_crash(tmp_path):
    """Found by fuzzing: set and article openings repeated, never closed, and the file cut off. The part before
    the cut is no sound document either, so the import stops with the parser's error, file and line."""
    article = ('<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Journal><Title>J</Title></Journal>'
               '<ArticleTitle>T</ArticleTitle></Article></MedlineCitation></PubmedArticle>')
    path = tmp_path / "pubmed-nested.xml"
    book = "<PubmedBookArticle><BookDocument><PMID>2</PMID></BookDocument></PubmedBookArticle>"
    path.write_text("<PubmedArticleSet>\n<PubmedArticle>\n" * 3 + f"{book}\n{article[:60]}", encoding="utf-8")
    for allow in (False, True):
        with pytest.raises(InputError) as err:
            load_references(path, allow_truncated=allow)
        assert str(err.value).startswith(f"{path}") and "PubMed XML" in str(err.value)


def test_csv_clinicaltrials_gov_layout(fx):
    """Trial registries are searched too: ClinicalTrials.gov's CSV download (2023 layout)."""
    parsed = load_references(fx / "clinicaltrials_layout.csv")
    assert (parsed.format, parsed.dialect) == ("csv", "clinicaltrials-gov")
    first, second = parsed.records
    assert (first.source_id, first.source, first.year) == ("NCT09999901", "clinicaltrials-gov", 2019)
    assert first.title == "Made-up Trial of Ultrasound- Versus Fluoroscopy-guided Facet Injections"
    # the brief summary, then what a screener judges a registration by, as the JSON reader writes it
    assert first.abstract == (
        "A made-up summary, with a comma, for a parser fixture. Conditions: Low Back Pain; Facet Joint Syndrome. "
        "Interventions: procedure: Ultrasound guidance; procedure: Fluoroscopy guidance. Primary outcomes: Pain "
        "score (NRS), 4 weeks. Study type: interventional. Design: allocation: randomized; intervention model: "
        "parallel. Phases: not applicable. Enrollment: 60. Age: adult, older adult. Status: completed.")
    assert first.url == "https://clinicaltrials.gov/study/NCT09999901"
    assert first.publication_types == ["Trial registration", "INTERVENTIONAL"]  # dedup knows it as a registration
    assert first.extra["fields"]["Conditions"] == "Low Back Pain|Facet Joint Syndrome"
    assert (second.source_id, second.year) == ("NCT09999902", 2023)


def test_csv_clinicaltrials_gov_classic_layout(fx):
    """The classic ClinicalTrials.gov site's CSV download (before 2023; a living review's earlier exports):
    no brief summary, "Title", "Outcome Measures", "Study Designs", the address under "URL". Read as a
    registration (it was an ordinary record with a title only), its fields as the screening text."""
    parsed = load_references(fx / "clinicaltrials_classic_layout.csv")
    assert (parsed.format, parsed.dialect) == ("csv", "clinicaltrials-gov")
    (record,) = parsed.records
    assert (record.source_id, record.year, record.url) == ("NCT09999903", 2010,
                                                           "https://ClinicalTrials.gov/show/NCT09999903")
    assert record.title == "Made-up Trial of Image Guidance for Lumbar Facet Injections"
    assert record.publication_types == ["Trial registration", "Interventional"]
    assert record.abstract == (
        "Conditions: Low Back Pain; Facet Joint Syndrome. Interventions: procedure: Ultrasound guidance; "
        "procedure: Fluoroscopy guidance. Primary outcomes: Pain score (NRS) at 4 weeks; Oswestry Disability "
        "Index at 12 weeks. Study type: interventional. Design: allocation: randomized; intervention model: "
        "parallel assignment; masking: none (open label); primary purpose: treatment. Phases: not applicable. "
        "Enrollment: 60. Age: 18 years and older (adult, older adult). Status: completed.")


def test_web_of_science_excel_export(fx):
    """Web of Science's "Excel" export (savedrecs.xls; made-up records in its column layout, written with xlwt):
    refused before with "save the sheet as CSV". Read as the sheet: numbers as written (2021, not 2021.0), the
    UT as source_id, an early-access article's year from its Early Access Date, Keywords Plus as keywords."""
    parsed = load_references(fx / "wos_excel_layout.xls")
    assert (parsed.format, parsed.dialect) == ("xls", "web-of-science")
    first, second = parsed.records
    assert (first.source_id, first.year, first.volume, first.issue, first.pages, first.pmid) == (
        "WOS:000999999900001", 2021, "46", "5", "301-309", "33999901")
    assert first.authors == ["Müller, Jörg", "Ng, Wei"] and first.abstract == "A made-up abstract over two lines."
    assert first.keywords == ["ultrasound", "facet joint", "PAIN", "INJECTION"]
    assert (second.source_id, second.year, second.pages) == ("WOS:000999999900002", 2022, "e0212345")


def test_embase_excel_export_with_its_search_query_above_the_header(tmp_path):
    """Embase's "Excel" export (.xlsx): the same columns as its CSV, below the search query."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SEARCH QUERY: ('ultrasound'/exp AND 'facet joint'/exp)"])
    sheet.append([])
    sheet.append(["Title", "Author Names", "Source", "Publication Year", "Embase Accession ID", "PUI", "DOI",
                  "Emtree Medical Index Terms"])
    sheet.append(["A made-up Embase record", "Liu R., Adler D.G.", "Pain Medicine (2019) 20:3 (575-586). Date of "
                  "Publication: 2019", 2019, None, 627999999, "10.9999/made.up.3", "ultrasound, facet joint"])
    book.save(tmp_path / "records.xlsx")
    parsed = load_references(tmp_path / "records.xlsx")
    assert (parsed.format, parsed.dialect, parsed.encoding) == ("xlsx", "embase", "")
    (record,) = parsed.records
    assert (record.source_id, record.year, record.journal, record.pages) == ("627999999", 2019, "Pain Medicine",
                                                                             "575-586")
    assert record.authors == ["Liu, R.", "Adler, D.G."]
    with pytest.raises(InputError, match=r"an Excel workbook \(xlsx\), not ris"):
        load_references(tmp_path / "records.xlsx", format="ris")


def test_a_damaged_workbook_or_another_office_file_is_refused_with_advice(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "broken.xlsx", "w") as workbook:
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match=r"this Excel workbook \(xlsx\) cannot be read: .*save the sheet as CSV"):
        load_references(tmp_path / "broken.xlsx")
    word = tmp_path / "notes.doc"
    word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(InputError, match="not an Excel workbook"):
        load_references(word)


def test_proquest_text_export(fx, tmp_path):
    """ProQuest's "Text only" export (made-up records in its layout): was refused as an unrecognised format.
    A title with a colon is the title, not a field; a structured abstract's headings stay in the abstract; the
    bibliography section after the records is no record."""
    parsed = load_references(fx / "proquest_layout.txt")
    assert (parsed.format, parsed.dialect) == ("proquest_text", "proquest")
    article, thesis = parsed.records
    assert (article.source_id, article.title) == ("9999999901", "A made-up trial: ultrasound guidance for facet "
                                                                "injections")
    assert article.abstract == ("Background: Image guidance is used for facet joint injections. Methods: Sixty "
                                "made-up patients were randomised. Results: Pain fell in both groups.")
    assert article.authors == ["Müller, Jörg", "Ng, Wei"]
    assert (article.journal, article.volume, article.issue, article.pages, article.year, article.doi) == (
        "Pain Medicine", "20", "3", "575-586", 2019, "10.9999/made.up.20")
    assert article.keywords == ["Back pain", "Injections", "ultrasound", "fluoroscopy"]
    assert article.url == "https://www.proquest.com/docview/9999999901"
    assert (thesis.source_id, thesis.year, thesis.publication_types) == ("9999999902", 2021, ["Dissertation/Thesis"])
    fewer = (fx / "proquest_layout.txt").read_text(encoding="utf-8").replace("Document 2 of 2", "Document 2 of 3")
    (tmp_path / "fewer.txt").write_text(fewer, encoding="utf-8")
    with pytest.raises(InputError, match="says it holds 3 records but ends after document 2"):
        load_references(tmp_path / "fewer.txt")


def test_a_workbook_declaring_an_xml_entity_is_refused(tmp_path):
    """A workbook is XML in a ZIP: one whose sheet declares an external entity (to read a local file into a
    cell) is refused, as sysrev refuses it in EndNote and PubMed XML (openpyxl parses through defusedxml)."""
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Title", "Year"])
    book.active.append(["A made-up title", 2020])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    with zipfile.ZipFile(tmp_path / "evil.xlsx", "w") as evil:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data.replace(b"made-up", b"&e;")
            evil.writestr(name, data)
    with pytest.raises(InputError, match=r"this Excel workbook \(xlsx\) cannot be read"):
        load_references(tmp_path / "evil.xlsx")


_PQ_TEXT = st.text(st.sampled_from("abcdefghij KLMNOP:;,.-é"), min_size=1, max_size=40).map(str.strip).filter(
    lambda t: t and t[0].isalpha())
# An abstract's paragraphs, some under a structured abstract's heading, usual or not (they stay in the abstract).
_PQ_PARAGRAPH = st.tuples(st.sampled_from(["", "Methods: ", "Trial registration: ", "Level of evidence: ",
                                           "Funding: "]), _PQ_TEXT).map("".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_PQ_TEXT, st.lists(_PQ_PARAGRAPH, min_size=1, max_size=3), st.integers(1950, 2030)),
                min_size=1, max_size=4))
def test_proquest_text_reads_back_what_it_was_written_from(tmp_path_factory, documents):
    # records written in ProQuest's layout (titles and abstract paragraphs that may hold colons, abstract
    # paragraphs under headings such as "Trial registration:") read back whole
    lines = ["_" * 60, "", "Report Information from ProQuest", "_" * 60, ""]
    for number, (title, paragraphs, year) in enumerate(documents, start=1):
        lines += [f"Document {number} of {len(documents)}", "", title, "", "Author: Doe, Jane", "",
                  "Abstract: " + paragraphs[0], ""]
        lines += [line for paragraph in paragraphs[1:] for line in (paragraph, "")]
        lines += [f"Publication year: {year}", "", f"ProQuest document ID: {9000 + number}", "", "_" * 60, ""]
    path = tmp_path_factory.mktemp("pq") / "export.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    records = load_references(path, format="proquest_text").records
    assert [(r.source_id, r.year) for r in records] == [(str(9000 + n), y) for n, (_, _, y) in
                                                         enumerate(documents, start=1)]
    for record, (title, paragraphs, _) in zip(records, documents):
        assert record.title == " ".join(title.split())
        assert record.abstract == " ".join(" ".join(paragraphs).split())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"(NCT|ISRCTN|ChiCTR|ACTRN)[0-9]{8}", fullmatch=True), _PQ_TEXT,
                          st.lists(_PQ_TEXT.filter(lambda t: ";" not in t), min_size=1, max_size=3),
                          st.dates(min_value=date(1999, 1, 1), max_value=date(2030, 12, 31))),
                min_size=1, max_size=5, unique_by=lambda trial: trial[0]))
def test_ictrp_export_reads_back_what_it_was_written_from(tmp_path_factory, trials):
    # trials written as the ICTRP exports them (values escaped, padded with line breaks, conditions joined by ";")
    from xml.sax.saxutils import escape

    body = "".join(f"<Trial><TrialID>{number}\n</TrialID><Public_title>{escape(title)}\n</Public_title>"
                   f"<Date_registration>{day.isoformat()}\n</Date_registration>"
                   f"<Condition>{escape(';'.join(conditions))}\n</Condition></Trial>\n"
                   for number, title, conditions, day in trials)
    path = tmp_path_factory.mktemp("ictrp") / "ICTRP-Results.xml"
    path.write_text(f"<?xml version='1.0' encoding='UTF-8' ?>\n<Trials_downloaded_from_ICTRP>\n{body}"
                    "</Trials_downloaded_from_ICTRP>\n", encoding="utf-8")
    records = load_references(path).records
    assert [(r.source_id, r.title, r.year) for r in records] == [
        (number, " ".join(title.split()), day.year) for number, title, _, day in trials]
    assert [r.keywords for r in records] == [
        list(dict.fromkeys(" ".join(c.split()) for c in conditions)) for _, _, conditions, _ in trials]


def test_ictrp_xml_export(fx, tmp_path):
    """The WHO ICTRP's "Export results to XML" (made-up trials in its layout): was refused as "XML with root
    <Trials_downloaded_from_ICTRP> is not a supported reference format"."""
    parsed = load_references(fx / "ictrp_layout.xml")
    assert (parsed.format, parsed.dialect) == ("ictrp_xml", "ictrp")
    first, second = parsed.records
    assert (first.source_id, first.source, first.year) == ("ChiCTR2699999901", "ictrp", 2025)
    assert first.title == "A made-up trial of ultrasound-guided facet injections"
    assert first.url == "https://www.chictr.org.cn/showproj.html?proj=999901"
    assert first.publication_types == ["Trial registration", "Interventional study"]
    assert first.keywords == ["low back pain", "facet joint syndrome"]
    assert first.abstract.startswith("Scientific title: A made-up randomised trial of ultrasound- versus")
    assert "Inclusion criteria: 1. Chronic low back pain; 2. Age 18 to 80." in first.abstract  # label once
    assert "<br>" not in first.abstract and "\r" not in first.abstract
    fields = first.extra["fields"]
    assert fields["Source_Register"] == "ChiCTR" and "Contact_Email" not in fields and "Contact_Tel" not in fields
    assert (second.source_id, second.year) == ("NCT09999903", 2023)
    assert second.title == "A made-up second trial with only a scientific title" and second.abstract == ""
    cut = (fx / "ictrp_layout.xml").read_text(encoding="utf-8").split("<Trial><Export_date>")
    path = tmp_path / "cut.xml"
    path.write_text("<Trial><Export_date>".join(cut[:2]) + "<Trial><Export_date>12/04", encoding="utf-8")
    with pytest.raises(InputError, match="the last <Trial> is never closed"):
        load_references(path)
    assert [r.source_id for r in load_references(path, allow_truncated=True).records] == ["ChiCTR2699999901"]


def test_ovid_embase_endnote_output_with_unindented_abstract_paragraphs(fx):
    """Ovid's "EndNote" output (.cgi): the abstract's later paragraphs start at column 0, the SO citation holds
    the journal, volume, issue and pages."""
    parsed = load_references(fx / "ovid_embase_endnote.cgi")
    assert (parsed.format, parsed.dialect, parsed.warnings) == ("nbib", "embase", [])
    abstract, article = parsed.records
    assert abstract.source_id == "629999991" and abstract.abstract == (
        "Background: A made-up background sentence. Method(s): Made-up methods, with a comma. Result(s): Made-up "
        "results: 14 of 260 studies. Conclusion(s): A made-up conclusion.")
    assert (abstract.journal, abstract.volume, abstract.issue, abstract.pages) == (
        "Example Proceedings", "12", "Supplement 3", "")
    assert (article.journal, article.volume, article.issue, article.pages, article.year) == (
        "Journal of Example Pain", "19", "3", "275-283", 2018)
    assert article.doi == "" and abstract.doi == "10.9999/ovid.2018.1"
