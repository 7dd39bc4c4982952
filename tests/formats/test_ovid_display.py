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
  Ultrasound-guided versus fluoroscopy-guided facet injections: a made-up trial.[Article]
Source
  Pain Medicine.  24(3):301-309, March 2023.
Abstract
  Lorem ipsum abstract
Author Keywords
  ultrasound;  fluoroscopy;  facet joint.
Language
  English.
ISSN
  1526-2375
DOI Number
  10.1093/pm/pnx000

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

OVID_MEDLINE = """Database: Ovid MEDLINE(R) ALL <1946 to March 01, 2024>
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

<2>
Unique Identifier
  31234568
Authors Full Name
  Lee, Min. Park, Ji Y.
Title
  A second made-up record.
Source
  Pain. 160(1):1-9, 2020.
"""


def _read(tmp_path, text, name="ovid.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_references(path)


def test_journals_at_ovid_record(tmp_path):
    parsed = _read(tmp_path, JOURNALS_AT_OVID)
    assert parsed.format == "ovid_display" and len(parsed.records) == 2
    record = parsed.records[0]
    assert record.source_id == "00012345-900000000-99999"
    assert record.title == "Ultrasound-guided versus fluoroscopy-guided facet injections: a made-up trial."
    # ";  " separates the authors, ";" an author's degrees; markers and degrees are dropped
    assert record.authors == ["Example, Anna B.", "Sample, Carl", "van Dijk, Eva"]
    assert (record.journal, record.volume, record.issue, record.pages, record.year) == (
        "Pain Medicine", "24", "3", "301-309", 2023)
    assert (record.doi, record.issn, record.language) == ("10.1093/pm/pnx000", "1526-2375", "English")
    assert record.keywords == ["ultrasound", "fluoroscopy", "facet joint"]
    assert record.abstract == "Lorem ipsum abstract"
    ahead_of_print = parsed.records[1]
    assert (ahead_of_print.title, ahead_of_print.journal, ahead_of_print.authors) == (
        "Ahead of print.", "Pain Medicine", ["Solo, Dana"])


def test_ovid_medline_record_with_the_export_header(tmp_path):
    parsed = _read(tmp_path, OVID_MEDLINE)
    first, second = parsed.records
    # the header names Ovid MEDLINE, so the unique identifier is the PMID
    assert (first.pmid, first.source_id, first.source) == ("31234567", "31234567", "pubmed")
    assert first.authors == ["Smith, JC", "Doe, K"]
    assert first.abstract == "BACKGROUND: First line of the abstract."
    assert (first.journal, first.volume, first.issue, first.pages, first.year) == ("Spine", "44", "3", "100-110", 2019)
    assert first.doi == "10.1097/brs.0000000000002900" and first.publication_types == ["Journal Article"]
    assert second.authors == ["Lee, Min", "Park, Ji Y"] and second.pmid == "31234568"


def test_a_header_naming_several_databases_names_none(tmp_path):
    text = OVID_MEDLINE.replace("Database: Ovid MEDLINE(R) ALL <1946 to March 01, 2024>",
                                "Database: Embase <1974 to 2024>, Ovid MEDLINE(R) ALL <1946 to 2024>")
    first = _read(tmp_path, text).records[0]
    assert first.pmid == "" and first.source_id == "31234567"


def test_a_file_ending_mid_line_is_cut_off(tmp_path):
    with pytest.raises(InputError, match="ends in the middle of a line"):
        _read(tmp_path, JOURNALS_AT_OVID.rstrip("\n"))
    path = tmp_path / "cut.txt"
    path.write_text(JOURNALS_AT_OVID.rstrip("\n"), encoding="utf-8")
    kept = load_references(path, allow_truncated=True)
    assert [r.source_id for r in kept.records] == ["00012345-900000000-99999"]


def test_a_value_before_any_field_name_is_an_error_naming_the_line(tmp_path):
    with pytest.raises(InputError, match=r"line 5: a value before any field name in an Ovid record: 'stray'"):
        _read(tmp_path, "<1>\nTitle\n  T\n<2>\n  stray\nTitle\n  U\n")
