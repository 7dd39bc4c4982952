"""Every importer on the real exports in ../shared/fixtures (record counts and spot-checked fields).

Record counts are established independently of the readers: by counting RIS ``ER`` lines, MEDLINE ``PMID-``
lines, BibTeX ``@type{`` openings, EndNote ``<record>`` elements, CSV rows (with the csv module) and
EndNote-tagged ``%T`` lines, and cross-checked against the counts the source projects' own tests assert
(the ``[expect N]`` notes of formats/SOURCES.md).
"""

import csv
import io
import re

import pytest

from sysrev.formats import load_references, read_references


def _text(path):
    return path.read_bytes().decode("utf-8-sig")


def _count_lines(path, pattern):
    return len(re.findall(pattern, _text(path), re.MULTILINE))


def _count_csv_rows(path, delimiter=","):
    rows = list(csv.reader(io.StringIO(_text(path), newline=""), delimiter=delimiter))
    return sum(1 for row in rows[1:] if any(cell.strip() for cell in row))


RIS_FILES = {  # file: count asserted by the source project's tests (None: none given)
    "formats/asreview_demo_data/_baseline.ris": 100,
    "formats/asreview_demo_data/baseline_zotero.ris": 100,
    "formats/asreview_demo_data/embase.ris": 6,
    "formats/asreview_demo_data/pubmed_zotero.ris": 6,
    "formats/asreview_demo_data/pubmed_endnote.txt": 6,
    "formats/asreview_demo_data/ovid_zotero.ris": 6,
    "formats/asreview_demo_data/ovid_psycinfo.ris": None,
    "formats/asreview_demo_data/proquest.ris": 6,
    "formats/asreview_demo_data/web_of_science.txt": 10,
    "formats/asreview_demo_data/ris_issue_992.txt": None,
    "formats/asreview_demo_data/baseline_reference_types.ris": None,
    "formats/asreview_demo_data/baseline_tag-notes_labels.ris": None,
    "formats/asreview_demo_data/baseline_empty_values.ris": None,
    "formats/asreview_demo_data/faulty_year.ris": None,
    "formats/asreview_demo_data/ris_many_authors.ris": 1,
    "formats/asysd_other/ris_export.txt": 69,
    "formats/asysd_other/wos_test.ris": 50,
    "formats/colrev/ANON_ieee_ris.ris": None,
    "formats/colrev/ANON_jstor_ris.ris": None,
    "formats/colrev/ANON_psycinfo_ris.ris": None,
    "formats/colrev/ANON_trid_ris.ris": None,
    "formats/jabref/RisImporterTest5a.ris": None,
    "formats/jabref/RisImporterTestWithEmptyER.ris": None,
    "formats/litstudy/example.ris": None,
    "formats/rispy/example_full.ris": None,
    "formats/rispy/example_multiline.ris": None,
    "formats/rispy/example_empty_tag.ris": None,
    "formats/rispy/example_extraneous_data.ris": None,
    "formats/rispy/example_bom.ris": None,
    "formats/rispy/example_utf_chars.ris": None,
    "formats/rispy/example_multi_unknown_tags.ris": None,
    "formats/rispy/example_starting_newlines.ris": None,
    "formats/rispy/example_basic.ris": 1,
    "formats/rispy/example_custom_list_tags.ris": 1,
    "formats/rispy/example_full_without_whitespace.ris": 2,
    "formats/rispy/example_full_write.ris": 2,
    "formats/rispy/example_single_unknown_tag.ris": 1,
    "formats/rispy/example_urls.ris": 4,
    "scopus/export_ris/asreview_scopus.ris": 6,
    "scopus/export_ris/asreview_ris_issue_1099_scopus.txt": 7,
    "scopus/export_ris/asysd_scopus.ris": 10,
    "scopus/export_ris/jabref_RisImporterTestScopus.ris": 1,
}


@pytest.mark.parametrize("name", sorted(RIS_FILES))
def test_ris_exports_record_count(shared_fixtures, name):
    path = shared_fixtures / name
    parsed = load_references(path)
    assert parsed.format == "ris"
    er_lines = _count_lines(path, r"^\r?ER {1,2}-")
    assert len(parsed.records) == er_lines
    if RIS_FILES[name] is not None:
        assert len(parsed.records) == RIS_FILES[name]
    ids = [r.source_id for r in parsed.records]
    assert len(set(ids)) == len(ids) and all(ids)


def test_ris_scopus_fields_and_eid_source_id(shared_fixtures):
    records = read_references(shared_fixtures / "scopus/export_ris/asysd_scopus.ris")
    first = records[0]
    assert first.source_id == "2-s2.0-85214459603"
    assert first.source == "scopus"
    assert first.doi == "10.3390/ani15010003"
    assert (first.year, first.journal, first.volume, first.issue) == (2025, "Animals", "15", "1")
    assert first.authors[0] == "Furlanello, T." and first.authors[-1] == "Sanchez del Pulgar, J."
    assert first.issn == "2076-2615"
    assert first.title.startswith("Development and Validation of a Robust")


def test_ris_pubmed_via_endnote_takes_pmid_from_an_and_expands_pages(shared_fixtures):
    record = read_references(shared_fixtures / "formats/asreview_demo_data/pubmed_endnote.txt")[0]
    assert record.pmid == "21553931" and record.source == "pubmed"
    assert record.pages == "349-369"  # SP  - 349-69
    assert record.doi == "10.2165/11586800-000000000-00000"
    assert "Boswellia/*chemistry" in record.keywords  # KW continued on untagged lines


def test_ris_rayyan_keyword_continuation_lines_are_separate_keywords(shared_fixtures):
    record = read_references(shared_fixtures / "formats/asreview_demo_data/ris_issue_992.txt")[0]
    assert record.source_id == "rayyan-264552525"
    assert record.keywords[:3] == ["Health Facility Administration", "Joint Commission", "Standards"]
    assert record.keywords[-1] == "Patient Education"
    assert len(record.keywords) == 13


def test_ris_embase_uses_embase_id_and_doi(shared_fixtures):
    record = read_references(shared_fixtures / "formats/asreview_demo_data/embase.ris")[0]
    assert record.source_id == "L373791783" and record.source == "embase"
    assert record.doi == "10.4103/2303-9027.138783"
    assert record.pages == "152-160"
    assert record.authors == ["Liu, R.", "Adler, D.G."]


def test_ris_ovid_counters_and_trailing_tags(shared_fixtures):
    parsed = load_references(shared_fixtures / "formats/asreview_demo_data/ovid_psycinfo.ris")
    first = parsed.records[0]
    assert first.source_id == "2019-65183-001"
    assert first.doi == "10.1002/cpp.2398"
    assert first.pages == ""  # "SP  - No" / "EP  - Specified"
    assert first.journal_abbrev == "Clin Psychol Psychother"  # NL written after ER
    assert any("after a record's 'ER'" in w for w in parsed.warnings)


def test_ris_many_authors_kept(shared_fixtures):
    path = shared_fixtures / "formats/asreview_demo_data/ris_many_authors.ris"
    record = read_references(path)[0]
    assert len(record.authors) == _count_lines(path, r"^AU  - \S")


def test_ris_file_without_ty_is_read_without_a_type_and_a_warning(shared_fixtures):
    # JabRef's "corrupted" RIS: one complete record (JF … ER) whose TY line is missing, as in CiteSource's
    # exports, where no record has one. Read, not refused: nothing in it is lost, and the warning says why
    # the record has no type (a TY missing from some records only is still an error, naming the line).
    parsed = load_references(shared_fixtures / "formats/jabref/RisImporterCorrupted.ris")
    (record,) = parsed.records
    assert (record.title, record.journal, record.pages, record.publication_types) == (
        "Editorial: Open Source and Empirical Software Engineering", "Empirical Software Engineering", "193-194",
        [])
    (warning,) = [w for w in parsed.warnings if "no record has a 'TY' line" in w]
    assert "RisImporterCorrupted.ris" in warning and "1 record was read between" in warning


def test_ris_repeated_ty_lines_split_with_warnings(shared_fixtures):
    path = shared_fixtures / "formats/jabref/RisImporterTest1.ris"
    parsed = load_references(path)
    ty_lines = _count_lines(path, r"^TY  -")
    assert len(parsed.records) == ty_lines  # every TY opens a record; none is silently merged
    (warning,) = [w for w in parsed.warnings if "no 'ER' line before the next 'TY'" in w]
    assert f"{ty_lines - 1} records have" in warning and "line 2, 3, 4, 5, 6, …" in warning


NBIB_FILES = {
    "formats/nbib/pubmed-balloongui-set.nbib": 75,
    "formats/nbib/single.nbib": 1,
    "formats/nbib/pmc_medlars.txt": 5,
    "eutils/biopython_Tests_Medline/pubmed_result1.txt": 1,
    "eutils/biopython_Tests_Medline/pubmed_result2.txt": 4,
    "eutils/biopython_Tests_Medline/pubmed_result3.txt": 1,
    "eutils/jabref_medline/MedlinePlainImporterTestCompleteEntry.txt": 1,
    "eutils/jabref_medline/NbibImporterTest.nbib": 1,
}


@pytest.mark.parametrize("name", sorted(NBIB_FILES))
def test_nbib_exports_record_count(shared_fixtures, name):
    path = shared_fixtures / name
    parsed = load_references(path)
    assert parsed.format == "nbib"
    assert len(parsed.records) == _count_lines(path, r"^PMID- ") == NBIB_FILES[name]
    assert all(r.pmid == r.source_id for r in parsed.records)


def test_nbib_pmc_medlars_first_record(shared_fixtures):
    record = read_references(shared_fixtures / "formats/nbib/pmc_medlars.txt")[0]
    assert (record.pmid, record.pmcid) == ("30042925", "PMC6055010")
    assert len(record.authors) == 6 and record.authors[0] == "Takeuchi, Yuichi"
    assert record.doi == "10.1016/j.mex.2018.03.007"
    assert record.pages == "283-298"


def test_nbib_balloon_set_fields_and_line_separator_inside_value(shared_fixtures):
    records = read_references(shared_fixtures / "formats/nbib/pubmed-balloongui-set.nbib")
    first = records[0]
    assert first.pmid == "30776994"
    assert first.doi == "10.1161/strokeaha.118.021126"
    assert (first.year, first.pages, first.volume, first.issue) == (2019, "697-704", "50", "3")
    assert first.journal_abbrev == "Stroke"
    # DP "2018 Jul-Sep" style dates give the year
    assert all(r.year is None or 1990 < r.year < 2030 for r in records)


def test_nbib_stray_text_between_records_is_skipped_with_warning(shared_fixtures):
    path = shared_fixtures / "eutils/jabref_medline/MedlinePlainImporterTestMultipleEntries.txt"
    parsed = load_references(path)
    assert any("line 53" in w and "outside any MEDLINE record" in w for w in parsed.warnings)
    paragraphs = [p for p in re.split(r"\n\s*\n", _text(path)) if p.strip()]
    tagged = [p for p in paragraphs if re.match(r"[A-Z][A-Z0-9]{1,3} {0,3}-", p.lstrip())]
    assert len(paragraphs) - len(tagged) == 1  # the one "should be omitted" paragraph
    assert len(parsed.records) == len(tagged)


def test_nbib_eric_export(shared_fixtures):
    parsed = load_references(shared_fixtures / "formats/colrev/ANON_eric_nbib.nbib")
    [record] = parsed.records
    assert (parsed.format, parsed.dialect, record.source_id) == ("nbib", "eric", "EJ1131633")
    assert record.authors == ["Smith, Tom", "Hunter, Shawn"] and record.doi == "10.1000/123456789"


BIBTEX_FILES = ["formats/jabref/test.bib", "formats/colrev/ANON_web_of_science_bib.bib",
                "formats/colrev/ANON_wiley_bib.bib", "scopus/export_bib/colrev_scopus_bib_ANONYMIZED.bib"]


@pytest.mark.parametrize("name", BIBTEX_FILES)
def test_bibtex_exports_record_count(shared_fixtures, name):
    path = shared_fixtures / name
    parsed = load_references(path)
    assert parsed.format == "bibtex"
    openings = re.findall(r"^\s*@\s*(\w+)\s*[{(]", _text(path), re.MULTILINE)
    assert len(parsed.records) == sum(1 for t in openings if t.lower() not in ("string", "comment", "preamble"))


def test_bibtex_latex_accents_decoded(shared_fixtures):
    records = {r.source_id: r for r in read_references(shared_fixtures / "formats/jabref/test.bib")}
    assert records["1137631"].authors[:3] == ["Boström, Gustav", "Wäyrynen, Jaana", "Bodén, Marine"]
    assert records["1137631"].pages == "11-18"
    assert records["1102917"].doi == "10.1007/s00779-005-0347-6"


def test_bibtex_entry_with_unbalanced_braces_in_one_line_fields_is_read_by_line(shared_fixtures):
    # EBSCO put scraped page script into Keywords, with braces that close the value early; it writes one field
    # per line, so each line is read as one field (the file was refused before), with a warning naming the entry's
    # '@' line and the field's line
    path = shared_fixtures / "formats/colrev/ANON_ebsco_bib.bib"
    parsed = load_references(path)
    assert [(r.source_id, r.title, r.authors, r.journal) for r in parsed.records] == [
        ("11111111111111111", "Paper title.", ["Smith, Tom", "Steward, Hugo"], "MIS Quarterly"),
        ("13362467620181001", "When sharing fixes prices.", ["Cruise, Tom"], "Journal of Technology")]
    assert parsed.records[1].keywords[:3] == ["Price fixing", "Sharing economy", "Antitrust law"]
    assert "@type:Person}" in ", ".join(parsed.records[1].keywords)
    assert parsed.warnings == [
        f"{path}, line 15: the braces of entry '13362467620181001' do not balance in the field 'Keywords' (line 19); "
        "as the entry writes one field per line (as EBSCO does), each line was read as one field, its braces as text"]


ENDNOTE_XML_FILES = ["formats/jabref/EndnoteXmlImporterTestArticle.xml",
                     "formats/jabref/EndnoteXmlImporterTestArticle2.xml",
                     "formats/jabref/EndnoteXmlImporterTestLabelAndMultiTitle.xml",
                     "formats/jabref/EndnoteXmlImporterTestReport.xml"]


@pytest.mark.parametrize("name", ENDNOTE_XML_FILES)
def test_endnote_xml_record_count(shared_fixtures, name):
    path = shared_fixtures / name
    parsed = load_references(path)
    assert parsed.format == "endnote_xml"
    assert len(parsed.records) == _text(path).count("<record>")


def test_endnote_xml_article_fields(shared_fixtures):
    record = read_references(shared_fixtures / "formats/jabref/EndnoteXmlImporterTestArticle.xml")[0]
    assert record.title.startswith("Trends in the lifetime risk of developing cancer in Great Britain:")
    assert record.authors == ["Ahmad, AS", "Ormiston-Smith, N", "Sasieni, PD"]
    assert (record.doi, record.pmid, record.pages) == ("10.1038/bjc.2014.606", "25647015", "943-947")
    assert record.issn == "1532-1827"
    assert "Neoplasms/*epidemiology" in record.keywords


def test_endnote_xml_report_pages_url_not_taken_for_pages(shared_fixtures):
    record = read_references(shared_fixtures / "formats/jabref/EndnoteXmlImporterTestReport.xml")[0]
    assert record.pages == "" and record.publication_types == ["Report"] and record.year == 2005


CSV_FILES = {
    "scopus/export_csv/litstudy_scopus.csv": ("scopus", 58),
    "scopus/export_csv/litstudy_scopus_v2.csv": ("scopus", 88),
    "formats/asreview_demo_data/embase.csv": ("embase", 6),
    "formats/asreview_demo_data/generic_labels.csv": ("asreview", 6),
    "formats/asreview_demo_data/generic_labels_no_abs.csv": ("asreview", 6),
    "formats/asreview_demo_data/missing_values.csv": ("", None),
    "formats/colrev/pubmed-chatbot.csv": ("pubmed", None),
    "formats/colrev/ANON_ieee_csv.csv": ("", None),
    "formats/litstudy/ieee.csv": ("ieee", None),
    "formats/litstudy/springer.csv": ("springer", None),
}


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_csv_exports_record_count_and_dialect(shared_fixtures, name):
    path = shared_fixtures / name
    parsed = load_references(path)
    dialect, expected = CSV_FILES[name]
    assert parsed.format == "csv" and parsed.dialect == dialect
    assert len(parsed.records) == _count_csv_rows(path)
    if expected is not None:
        assert len(parsed.records) == expected


def test_csv_semicolon_separated(shared_fixtures):
    path = shared_fixtures / "formats/asreview_demo_data/duplicate_records.csv"
    assert len(read_references(path)) == _count_csv_rows(path, delimiter=";")


def test_csv_scopus_rows_with_surplus_funding_cells_stay_aligned(shared_fixtures):
    path = shared_fixtures / "scopus/export_csv/litstudy_scopus.csv"
    rows = list(csv.reader(io.StringIO(_text(path), newline="")))
    records = read_references(path)
    assert any(len(row) != len(rows[0]) for row in rows[1:])  # the quirk is really in this file
    assert [r.source_id for r in records] == [row[-1] for row in rows[1:]]  # EID is the last cell
    language_col = rows[0].index("Language of Original Document")
    assert [r.language for r in records] == [row[language_col - len(rows[0])] for row in rows[1:]]


def test_csv_scopus_v2_full_author_names(shared_fixtures):
    record = read_references(shared_fixtures / "scopus/export_csv/litstudy_scopus_v2.csv")[0]
    assert record.authors == ["Hao, Jie", "High, Robin", "Siu, Ka-Chun"]
    assert (record.source_id, record.pmid, record.pages) == ("2-s2.0-85136453267", "35965444", "704-715")


def test_csv_embase_source_cell_split(shared_fixtures):
    record = read_references(shared_fixtures / "formats/asreview_demo_data/embase.csv")[0]
    assert (record.journal, record.year, record.volume, record.issue, record.pages) == (
        "Endoscopic Ultrasound", 2014, "3", "3", "152-160")
    assert "bronchogenic duplication cyst (diagnosis, surgery)" in record.keywords


def test_csv_pubmed_export(shared_fixtures):
    record = read_references(shared_fixtures / "formats/colrev/pubmed-chatbot.csv")[0]
    assert (record.source_id, record.pmid, record.doi) == ("35227408", "35227408", "10.1016/j.beth.2021.09.007")
    assert record.authors == ["Lim, SM", "Shiau, CWC", "Cheng, LJ", "Lau, Y."]


@pytest.mark.parametrize("name", ["formats/rispy/example_wos.ris", "formats/jabref/IsiImporterTestWOS.isi",
                                  "formats/jabref/IsiImporterTestInspec.isi"])
def test_wos_tagged_record_count(shared_fixtures, name):
    path = shared_fixtures / name
    parsed = load_references(path)
    assert parsed.format == "wos"
    assert len(parsed.records) == _count_lines(path, r"^ER\s*$")


def test_wos_tagged_fields(shared_fixtures):
    record = read_references(shared_fixtures / "formats/rispy/example_wos.ris")[0]
    assert record.source_id == "WOS:000221807500019" and record.pmid == "15170338"
    assert record.authors == ["Parkes-Loach, PS", "Majeed, AP", "Law, CJ", "Loach, PA"]
    assert record.title.endswith("photosynthetic bacteria and its subunit (B820)")


@pytest.mark.parametrize("name", ["formats/colrev/ais_enl.txt", "formats/colrev/enl_data.enl"])
def test_endnote_tagged_record_count(shared_fixtures, name):
    path = shared_fixtures / name
    parsed = load_references(path)
    assert parsed.format == "endnote_tagged"
    assert len(parsed.records) == _count_lines(path, r"^%T ")
    assert parsed.records[0].authors == ["Guo, Wenbo", "Straub, Detmar W.", "Zhang, Pengzhu", "Cai, Zhao"]


def test_endnote_tagged_records_without_blank_lines(shared_fixtures):
    """JabRef's tag-test file runs its records together; JabRef's own test expects 5 entries."""
    records = read_references(shared_fixtures / "formats/jabref/Endnote.entries.enw")
    assert len(records) == 5
    assert (records[0].title, records[0].authors) == ("testT", ["testA0", "testA1"])
    assert records[1].journal == "testJ"


@pytest.mark.parametrize("name, pmids", [
    ("MedlineImporterTestArticleID.xml", ["26711635"]),  # saved without DOCTYPE; has the pre-2018 DateCreated
    ("MedlineImporterTestBookArticleSet.xml", ["21413195", "21413195"]),  # a PubmedBookArticleSet root
    ("MedlineImporterTestPubmedBook.xml", ["21413195"]),  # one PubmedBookArticle saved on its own
    ("MedlineImporterTestMathML.xml", ["32759406"]),  # MathML without the mml: prefix in the abstract
    ("MedlineImporterTestNbib.xml", ["23633646", "21413195"]),  # VernacularTitle where the DTD has none
])
def test_pubmed_xml_older_and_book_set_layouts(shared_fixtures, name, pmids):
    parsed = load_references(shared_fixtures / "eutils/jabref_medline" / name)
    assert parsed.format == "pubmed_xml" and [r.pmid for r in parsed.records] == pmids
    assert parsed.records[0].title


def test_pubmed_xml_goes_through_the_search_stage_parser(shared_fixtures):
    parsed = load_references(shared_fixtures / "eutils/jabref_medline/MedlineImporterTestArticleItalics.xml")
    assert parsed.format == "pubmed_xml" and len(parsed.records) == 1
    assert parsed.records[0].pmid == parsed.records[0].source_id != ""
