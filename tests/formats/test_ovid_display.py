"""Ovid's display layout (records numbered ``<1>``, field names on lines of their own): made-up records in the
layouts Journals@Ovid and Ovid MEDLINE write, read field by field."""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references

JOURNALS_AT_OVID = """<3>
Score
  *****
Accession Number
  00012345-900000000-99999.
Author
  Example, Anna B. MD; PhD 1;  Sample, Carl 2;  van Dijk, Eva RN; FAAN 1,2
Institution
  (1)Department of Anaesthesia, Example Hospital
  (2)Department of Radiology, Example Hospital
Title
  Ultrasound-guided versus fluoroscopy-guided facet injections:
  a made-up trial.[Article]
Source
  Pain Medicine.  24(3):301-309, March 2023.
Abstract
  Lorem ipsum abstract
Author Keywords
  ultrasound;  COVID-19.;  MS;  facet joint.
Language
  English.
ISSN
  1526-2375
DOI Number
  10.1093/pm/pnx000
Link to the Ovid Full Text or citation
 http://ovidsp.ovid.com/ovidweb.cgi?T=JS&AN=00012345-900000000-99999

<4>
Accession Number
  00012345-900000000-99998.
Author
  Solo, Dana
Title
  Ahead of print.[Review]
Source
  Pain Medicine.
"""

OVID_MEDLINE = """
Ovid Technologies, Inc. Email Service
Database: Ovid MEDLINE(R) ALL <1946 to March 01, 2024>
Search Strategy:
--------------------------------------------------------------------------------
1     exp Low Back Pain/ (12345)

***************************

<1>
Unique Identifier
  31234567
Authors
  Smith JC. Doe K.
Title
  Exercise for back pain: a made-up trial.
Source
  Spine. 44(3):100-110, 2019 Feb 01.
Abstract
  BACKGROUND: First line
  of the abstract.
Digital Object Identifier
  https://dx.doi.org/10.1097/BRS.0000000000002900
Year of Publication
  2019
Publication Type
  Journal Article.
MeSH Subject Headings
  Humans;  *Low Back Pain/dg [Diagnostic Imaging];  Ultrasonography.

<2>
Unique Identifier
  31234568
Authors Full Name
  Lee, Min. Park, Ji Y. Dupont, J.-P.
Accession Number
Title
  A second made-up record.
Source
  Pain. 160(1):1-9, 2020.

<3>
Unique Identifier
  31234569
Authors
  Kim S  Cho HJ
Title
  A third made-up record.

<4>
Database
  Embase
Accession Number
  2031234570
Title
  A record that names its own database.

<5>
Title
  A record without an identifier.
"""


def _read(tmp_path, text, name="ovid.txt", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_references(path, **options)


def test_journals_at_ovid_records(tmp_path):
    parsed = _read(tmp_path, JOURNALS_AT_OVID)
    assert (parsed.format, parsed.dialect, len(parsed.records)) == ("ovid_display", "", 2)
    assert parsed.records[0].to_dict() == {
        "source_id": "00012345-900000000-99999", "source": "file",
        # wrapped over two lines, the record type Ovid appends dropped
        "title": "Ultrasound-guided versus fluoroscopy-guided facet injections: a made-up trial.",
        "abstract": "Lorem ipsum abstract",
        # ";  " separates the authors, ";" an author's degrees; markers and degrees are dropped
        "authors": ["Example, Anna B.", "Sample, Carl", "van Dijk, Eva"],
        "year": 2023, "journal": "Pain Medicine", "journal_abbrev": "", "volume": "24", "issue": "3",
        "pages": "301-309", "doi": "10.1093/pm/pnx000", "pmid": "", "pmcid": "", "issn": "1526-2375",
        "language": "English", "publication_types": [],
        # a keyword's closing full stop goes ("COVID-19."), a keyword that reads like a degree stays ("MS")
        "keywords": ["ultrasound", "COVID-19", "MS", "facet joint"], "url": "",
        "extra": {"fields": {
            "VN": "Ovid Technologies (display layout)", "Score": "*****", "AN": "00012345-900000000-99999.",
            "Institution": ["(1)Department of Anaesthesia, Example Hospital",
                            "(2)Department of Radiology, Example Hospital"],
            "SO": "Pain Medicine. 24(3):301-309, March 2023.",
            # a value indented by one space is still the value
            "Link to the Ovid Full Text or citation":
                "http://ovidsp.ovid.com/ovidweb.cgi?T=JS&AN=00012345-900000000-99999"}},
    }
    ahead_of_print = parsed.records[1]
    assert (ahead_of_print.title, ahead_of_print.journal, ahead_of_print.authors) == (
        "Ahead of print.", "Pain Medicine", ["Solo, Dana"])
    assert "DB" not in ahead_of_print.extra["fields"]  # no header, no database named


def test_ovid_medline_records_with_the_export_header(tmp_path):
    parsed = _read(tmp_path, OVID_MEDLINE)
    first, second, third, own_database, anonymous = parsed.records
    # the header names Ovid MEDLINE (its date range dropped), so the unique identifier is the PMID
    assert (first.pmid, first.source_id, first.source) == ("31234567", "31234567", "pubmed")
    assert first.extra["fields"]["DB"] == "Ovid MEDLINE(R) ALL"
    assert first.authors == ["Smith, JC", "Doe, K"]
    assert first.abstract == "BACKGROUND: First line of the abstract."
    assert (first.journal, first.volume, first.issue, first.pages, first.year) == (
        "Spine", "44", "3", "100-110", 2019)
    assert first.doi == "10.1097/brs.0000000000002900" and first.publication_types == ["Journal Article"]
    assert first.keywords == ["Humans", "*Low Back Pain/dg [Diagnostic Imaging]", "Ultrasonography"]
    # a name's closing full stop goes, an initial's stays; a field without a value is left out
    assert second.authors == ["Lee, Min", "Park, Ji Y", "Dupont, J.-P."] and second.pmid == "31234568"
    assert "AN" not in second.extra["fields"]
    assert third.authors == ["Kim, S", "Cho, HJ"]  # names two spaces apart
    # a record naming its own database keeps it: its accession number is no PMID
    assert (own_database.source, own_database.pmid, own_database.source_id) == ("embase", "", "2031234570")
    # no identifier: the file and the line of its record number
    assert anonymous.source_id == f"ovid.txt:{OVID_MEDLINE.splitlines().index('<5>') + 1}"
    assert parsed.dialect == ""  # the records come from two databases
    assert _read(tmp_path, OVID_MEDLINE.split("<3>")[0], name="medline.txt").dialect == "pubmed"


def test_a_header_naming_several_databases_names_none(tmp_path):
    text = OVID_MEDLINE.replace("Database: Ovid MEDLINE(R) ALL <1946 to March 01, 2024>",
                                "Database: Embase <1974 to 2024>, Ovid MEDLINE(R) ALL <1946 to 2024>")
    first = _read(tmp_path, text).records[0]
    assert first.pmid == "" and first.source_id == "31234567" and "DB" not in first.extra["fields"]


def test_a_file_ending_mid_line_is_cut_off(tmp_path):
    with pytest.raises(InputError, match="ends in the middle of a line"):
        _read(tmp_path, JOURNALS_AT_OVID.rstrip("\n"))
    kept = _read(tmp_path, JOURNALS_AT_OVID.rstrip("\n"), name="cut.txt", allow_truncated=True)
    assert [r.source_id for r in kept.records] == ["00012345-900000000-99999"]


def test_a_value_before_any_field_name_is_an_error_naming_the_file_and_line(tmp_path):
    with pytest.raises(InputError) as err:
        _read(tmp_path, f"<1>\nTitle\n  T\n<2>\n  {'stray ' * 10}\nTitle\n  U\n")
    assert str(err.value) == (f"{tmp_path / 'ovid.txt'}, line 5: a value before any field name in an Ovid "
                              f"record: {('stray ' * 10)[:40]!r}")


def test_another_layout_read_as_ovid_display_says_it_has_no_record(tmp_path):
    with pytest.raises(InputError) as err:
        _read(tmp_path, "TY  - JOUR\nTI  - A RIS record\nER  - \n", name="refs.ris", format="ovid_display")
    assert str(err.value) == f"{tmp_path / 'refs.ris'}: no Ovid records found (no line '<1>' opening a record)"
