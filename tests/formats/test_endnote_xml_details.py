"""EndNote XML beyond the fields: the file's dialect, a type without its name, notes, empty and cut files."""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references


def test_a_file_from_one_database_has_its_dialect_and_a_type_number_stands_for_a_missing_name(write_file):
    xml = ('<?xml version="1.0" encoding="UTF-8"?><xml><records>'
           "<record><ref-type>17</ref-type><titles><title>A</title></titles>"
           "<remote-database-name>MEDLINE</remote-database-name><accession-num>31234567"
           "</accession-num><research-notes>PMCID: PMC7654321</research-notes></record>"
           "</records></xml>")
    parsed = load_references(write_file("library.xml", xml))
    assert (parsed.format, parsed.dialect, parsed.encoding) == ("endnote_xml", "pubmed", "utf-8")
    (record,) = parsed.records
    assert (record.pmid, record.pmcid, record.publication_types) == ("31234567", "PMC7654321", ["17"])
    assert record.extra["fields"] == {"research-notes": "PMCID: PMC7654321"}


@pytest.mark.parametrize("database, dialect", [
    ("-- Web of Science (Core) --", "web-of-science"),  # a known database under its one name
    ("Embase &lt;1974 to 2023 April 28&gt;", "embase"),
    ("-- Global Health (CABI) --", "global-health-cabi"),  # any other as a plain slug
])
def test_a_database_name_becomes_a_plain_dialect(write_file, database, dialect):
    xml = ("<xml><records><record><titles><title>A</title></titles>"
           f"<remote-database-name>{database}</remote-database-name></record></records></xml>")
    parsed = load_references(write_file("library.xml", xml))
    assert (parsed.dialect, parsed.records[0].source) == (dialect, dialect)


def test_a_file_without_records_is_refused_naming_the_file(write_file):
    path = write_file("library.xml", '<?xml version="1.0" encoding="UTF-8"?><xml><records></records></xml>')
    with pytest.raises(InputError) as info:
        load_references(path)
    assert str(info.value) == f"{path}: the EndNote XML file holds no <record> elements"


def test_a_file_cut_inside_its_first_record_keeps_nothing_and_says_so(write_file):
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>\n<record><titles><title>Cut he'
    path = write_file("library.xml", text)
    with pytest.raises(InputError) as info:
        load_references(path)
    assert str(info.value).startswith(f"{path}, line 3: ")
    parsed = load_references(path, allow_truncated=True)
    assert (parsed.format, parsed.encoding, parsed.records) == ("endnote_xml", "utf-8", [])
    assert parsed.warnings[0].startswith(f"{path}, line 3: ")


def test_a_windows_file_without_a_declaration_is_read_and_says_how(write_file):
    path = write_file("library.xml", "<xml><records><record><titles><title>Café</title></titles></record></records>"
                                     "</xml>", encoding="cp1252")
    parsed = load_references(path)
    assert (parsed.encoding, parsed.records[0].title) == ("cp1252", "Café")
    assert parsed.warnings == [f"{path} is not valid UTF-8 (byte 0xe9 on line 1); read it as cp1252 (Windows/Latin-1 "
                               "export) - check accented characters in the imported records"]
