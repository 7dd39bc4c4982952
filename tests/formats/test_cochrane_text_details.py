"""The Cochrane Library's plain-text export beyond tests/formats/test_cochrane_text.py: which records name the
source CENTRAL, the fields a short record leaves empty, repeated lines, a record without an id, the cut shown by
a record that ends otherwise or has no field at all, and the whole text of each error (with its file and line).

Every input is a small hand-made text in the layout the module docstring describes (made-up ids and titles).
"""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references
from sysrev.formats.cochrane_text import parse_cochrane_text
from sysrev.formats.result import Truncation
from sysrev.formats.truncation import MID_LINE

CENTRAL = "https://www.cochranelibrary.com/central/doi/10.1002/central/{}/full"
CDSR = "https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.{}/full"


def _text(*records) -> str:
    """Records given as lists of lines, each followed by a blank line, as the export writes them."""
    return "".join("\n".join(lines) + "\n\n" for lines in records)


def _write(tmp_path, text, name="central.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path, **options) -> InputError:
    with pytest.raises(InputError) as err:
        load_references(path, **options)
    return err.value


# --- which records are CENTRAL's --------------------------------------------------------------------------


@pytest.mark.parametrize("ident, url, dialect", [
    ("CN-01234567", CDSR, "cochrane-central"),  # a CENTRAL id alone is enough (the link is a review's)
    ("CN-01234567", None, "cochrane-central"),  # … with no link at all
    ("cn-01234567", CDSR, "cochrane-central"),  # … in lower case
    ("CD012345", CENTRAL, "cochrane-central"),  # a link into CENTRAL alone is enough
    (None, CENTRAL, "cochrane-central"),  # … with no id at all
    ("CD012345", CDSR, ""),  # neither: a review names no source
    ("CD012345", None, ""),
])
def test_a_central_id_or_a_central_link_names_the_source(tmp_path, ident, url, dialect):
    record = ["Record #1 of 1", *([f"ID: {ident}"] if ident else []), "TI: A trial",
              *([f"US: {url.format(ident)}"] if url else [])]
    parsed = load_references(_write(tmp_path, _text(record)))
    assert parsed.dialect == dialect
    assert [r.source for r in parsed.records] == [dialect or "file"]


def test_a_file_mixing_central_and_review_records_names_no_dialect(tmp_path):
    text = _text(["Record #1 of 2", "ID: CN-01234567", "TI: A trial", f"US: {CENTRAL.format('CN-01234567')}"],
                 ["Record #2 of 2", "ID: CD012345", "TI: A review", f"US: {CDSR.format('CD012345')}"])
    parsed = load_references(_write(tmp_path, text))
    assert parsed.dialect == ""
    assert [r.source for r in parsed.records] == ["cochrane-central", "file"]


# --- the fields of a record -------------------------------------------------------------------------------


def test_the_fields_a_record_lacks_are_empty(tmp_path):
    # no SO, VL, NO, PG, DOI, YR, PM or US line: nothing is made up for them
    parsed = load_references(_write(tmp_path, _text(["Record #1 of 1", "ID: CD012345", "TI: A review"])))
    assert parsed.records[0].to_dict() == {
        "source_id": "CD012345", "source": "file", "title": "A review", "abstract": "", "authors": [],
        "year": None, "journal": "", "journal_abbrev": "", "volume": "", "issue": "", "pages": "", "doi": "",
        "pmid": "", "pmcid": "", "issn": "", "language": "", "publication_types": [], "keywords": [], "url": "",
        "extra": {}}


def test_abstract_lines_are_joined_with_a_space_and_empty_ones_skipped(tmp_path):
    text = _text(["Record #1 of 1", "ID: CN-1", "TI: A trial", "AB: Background: one.", "AB: ",
                  "AB: Results: two."])
    assert load_references(_write(tmp_path, text)).records[0].abstract == "Background: one. Results: two."


def test_a_field_with_nothing_but_white_space_after_its_colon_is_empty(tmp_path):
    # "NO:" then a tab (trailing white space is no value); the line is still a field line, not an error
    text = _text(["Record #1 of 1", "ID: CN-1", "TI: A trial  ", "NO:\t", "VL: 12\t"])
    record = load_references(_write(tmp_path, text)).records[0]
    assert (record.title, record.issue, record.volume) == ("A trial", "", "12")


def test_a_tag_repeated_in_a_record_keeps_every_value_in_the_extra_fields(tmp_path):
    text = _text(["Record #1 of 1", "ID: CN-1", "TI: A trial", "XR: EMBASE 2099999921", "XR: PUBMED 39999921",
                  "CC: HS-HANDSRCH", "CC: HS-EMBASE"])
    path = _write(tmp_path, text)
    parsed = load_references(path)
    record = parsed.records[0]
    assert record.pmid == "39999921"
    assert record.extra["fields"] == {"XR": ["EMBASE 2099999921", "PUBMED 39999921"],
                                      "CC": ["HS-HANDSRCH", "HS-EMBASE"]}
    assert parsed.warnings == [f"{path}, line 6: tag 'CC:' (2 lines) is not one sysrev reads as a field; kept in "
                               "the records' extra fields"]


def test_a_record_without_an_id_is_named_by_its_file_and_line(tmp_path):
    text = _text(["Record #1 of 2", "ID: CN-1", "TI: A trial"], ["Record #2 of 2", "TI: Another trial"])
    parsed = load_references(_write(tmp_path, text, "export.txt"))
    assert [r.source_id for r in parsed.records] == ["CN-1", "export.txt:5"]  # the line of 'Record #2 of 2'


def test_read_without_a_path_or_a_source(tmp_path):
    # the reader called on its own: records are named after "file", and a review's record has no source
    parsed = parse_cochrane_text(_text(["Record #1 of 1", "TI: A review", f"US: {CDSR.format('CD012345')}"]))
    assert [(r.source_id, r.source) for r in parsed.records] == [("file:1", "")]
    with pytest.raises(InputError) as err:
        parse_cochrane_text(_text(["Record #1 of 1", "ID: CD012345"]))
    assert str(err.value).startswith("file, line 1: record #1 has no title")


# --- where a file is cut off ------------------------------------------------------------------------------


def test_records_that_end_with_different_fields_show_no_cut(tmp_path):
    # the first record ends with US, the others with PM: no field ends every record, so none is missing
    text = _text(["Record #1 of 3", "ID: CN-1", "TI: A trial", f"US: {CENTRAL.format('CN-1')}"],
                 ["Record #2 of 3", "ID: CN-2", "TI: A trial", "PM: PUBMED 2"],
                 ["Record #3 of 3", "ID: CN-3", "TI: A trial", "PM: PUBMED 3"])
    parsed = load_references(_write(tmp_path, text))
    assert parsed.truncated is None
    assert [r.pmid for r in parsed.records] == ["", "2", "3"]


def test_a_last_record_with_no_field_is_cut_off():
    text = _text(["Record #1 of 2", "ID: CN-1", "TI: A trial", f"US: {CENTRAL.format('CN-1')}"]) + "Record #2 of 2\n"
    parsed = parse_cochrane_text(text, path="central.txt")
    # two records only: the closing field of the others is not known, so any field would have done
    assert parsed.truncated == Truncation(line=6, what="the last record (#2 of 2) does not end with a field")
    assert [r.source_id for r in parsed.records] == ["CN-1"]


@pytest.mark.parametrize("kept, dropped", [(2, 1), (3, 0)])
def test_a_count_short_of_the_total_drops_the_last_record_unless_its_end_is_known(kept, dropped):
    # numbered 1 … n of 5: with two records the end of a record is not known and the last one may be cut
    # (dropped); with three it ends as the others do, so it is kept and only later records are missing
    records = [[f"Record #{n} of 5", f"ID: CN-{n}", "TI: A trial", f"US: {CENTRAL.format(n)}"]
               for n in range(1, kept + 1)]
    parsed = parse_cochrane_text(_text(*records), path="central.txt")
    start = 1 + 5 * (kept - 1)
    assert parsed.truncated == Truncation(line=start, what=f"the export says it holds 5 records but ends after "
                                                          f"record #{kept}", records=dropped)
    assert len(parsed.records) == kept - dropped


def test_a_half_line_right_after_a_record_line_cuts_that_record_only(tmp_path):
    # the file stops inside the first field of record #3: records #1 and #2 are whole
    text = _text(["Record #1 of 3", "ID: CN-1", "TI: A trial"], ["Record #2 of 3", "ID: CN-2", "TI: A trial"])
    parsed = parse_cochrane_text(text + "Record #3 of 3\nID: CN-", path="central.txt")
    assert parsed.truncated == Truncation(line=9, what=MID_LINE)
    assert [r.source_id for r in parsed.records] == ["CN-1", "CN-2"]
    allowed = load_references(_write(tmp_path, text + "Record #3 of 3\nID: CN-"), allow_truncated=True)
    assert [r.source_id for r in allowed.records] == ["CN-1", "CN-2"]


# --- the whole text of each error -------------------------------------------------------------------------

_NOT_A_FIELD = ("inside record #3 (line 6) is not a 'TAG: value' line (the Cochrane Library's plain-text export "
                "writes every field on one line, e.g. 'TI: …')")


@pytest.mark.parametrize("line, shown", [
    ("Second paragraph.", "'Second paragraph.'"),
    # a long line is shown by its first 60 characters
    ("x" * 59 + "yz" + "z" * 20, repr("x" * 59 + "y")),
])
def test_a_line_that_is_no_field_is_named_with_its_record(tmp_path, line, shown):
    # record #3 of 18 (a selection's hit numbers) starts on line 6, after record #2
    text = _text(["Record #2 of 18", "ID: CN-2", "TI: A trial", "AB: First paragraph."],
                 ["Record #3 of 18", "ID: CN-3", "TI: A trial", "AB: First paragraph.", line])
    path = _write(tmp_path, text)
    assert str(_error(path)) == f"{path}, line 10: {shown} {_NOT_A_FIELD}"


def test_a_record_without_a_title_is_named(tmp_path):
    path = _write(tmp_path, _text(["Record #1 of 2", "ID: CN-1", "TI: A trial"], ["Record #2 of 2", "ID: CN-2"]))
    assert str(_error(path)) == (f"{path}, line 5: record #2 has no title ('TI:' line); every record of a Cochrane "
                                 "Library export has one, so the file is damaged (export it again)")


@pytest.mark.parametrize("second, message", [
    ("Record #2 of 3", "'Record #2 of 3' does not match the 'of 2' of the file's first record: two exports "
                       "joined into one file? Import them as separate files"),
    ("Record #3 of 2", "'Record #3 of 2': a record number outside 1–2"),
    ("Record #1 of 2", "'Record #1 of 2' again (first at line 1): a record repeated, or two exports joined into "
                       "one file"),
])
def test_record_lines_that_contradict_each_other(tmp_path, second, message):
    path = _write(tmp_path, _text(["Record #1 of 2", "ID: CN-1", "TI: A trial"], [second, "ID: CN-2", "TI: B"]))
    assert str(_error(path)) == f"{path}, line 5: {message}"


@pytest.mark.parametrize("first, shown", [
    ("Search Name: back pain", "'Search Name: back pain'"),
    ("Search strategy " + "s" * 43 + "!" + "t" * 20, repr("Search strategy " + "s" * 43 + "!")),
])
def test_text_before_the_first_record(tmp_path, first, shown):
    path = _write(tmp_path, first + "\n" + _text(["Record #1 of 1", "ID: CN-1", "TI: A trial"]))
    assert str(_error(path, format="cochrane_text")) == (
        f"{path}, line 1: text before the first 'Record #1 of …' line: {shown}; the Cochrane Library's plain-text "
        "export starts with its first record")


def test_a_file_without_any_record(tmp_path):
    path = _write(tmp_path, "\n\n")
    assert str(_error(path, format="cochrane_text")) == (
        f"{path}: no Cochrane Library records found (no line 'Record #1 of …')")
