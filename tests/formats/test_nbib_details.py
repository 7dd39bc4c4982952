"""MEDLINE text beyond the fields: identifiers, the database a record is from, joined and cut-off files."""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references


def _record(i):
    return f"PMID- {i}\nOWN - NLM\nSTAT- MEDLINE\nTI  - T{i}\nSO  - J. 2020;1:1.\n"


def test_a_record_without_any_identifier_is_named_by_its_line_and_a_whole_book_by_its_title(write_file):
    parsed = load_references(write_file("refs.nbib", "TI  - No identifier\nJT  - J\n\nPMID- 1\nBTI - A whole book\n"))
    assert [(r.source_id, r.title, r.source) for r in parsed.records] == [
        ("refs.nbib:1", "No identifier", "file"), ("1", "A whole book", "pubmed")]


@pytest.mark.parametrize("owner", ["NLM", "PIP", "KIE", "NASA", "PUBMED", "HMD", "NOTNLM", "nlm"])
def test_nlm_owners_mark_a_pubmed_record_without_a_pmid(write_file, owner):
    assert load_references(write_file("refs.nbib", f"OWN - {owner}\nTI  - T\n")).dialect == "pubmed"


def test_other_owners_do_not(write_file):
    assert load_references(write_file("refs.nbib", "OWN - XYZ\nTI  - T\n")).dialect == ""


def test_an_ovid_database_name_becomes_the_database_s_one_name(write_file):
    path = write_file("ovid.txt", "<1. >\nVN  - Ovid Technologies\nDB  - APA PsycInfo <1806 to 2024>\n"
                                  "UI  - 2020-1\nTI  - T\n")
    assert load_references(path).dialect == "psycinfo"  # one name for the database, its coverage dropped


def test_records_joined_without_blank_lines_are_split_and_the_lines_named(write_file):
    path = write_file("refs.nbib", "".join(_record(i) for i in range(1, 8)))
    parsed = load_references(path)
    assert [r.pmid for r in parsed.records] == [str(i) for i in range(1, 8)]
    assert parsed.warnings == [f"{path}, line 6, 11, 16, 21, 26, …: 6 'PMID' lines inside a record without the "
                               "blank line that separates MEDLINE records; each was read as the start of a new "
                               "record"]
    path = write_file("refs.nbib", _record(1) + _record(2))
    assert load_references(path).warnings == [f"{path}, line 6: 1 'PMID' line inside a record without the blank "
                                              "line that separates MEDLINE records; each was read as the start of a "
                                              "new record"]


def test_a_pubmed_file_whose_last_record_lacks_its_source_line_is_cut_off(write_file):
    path = write_file("refs.nbib", _record(1) + "\nPMID- 2\nOWN - NLM\nSTAT- MEDLINE\nTI  - B\n")
    with pytest.raises(InputError) as info:
        load_references(path)
    assert str(info.value) == (f"{path}, line 7: the last record does not end with the 'SO' (source) field, which "
                               "PubMed writes last in every record: the file looks cut off (an interrupted download "
                               "or copy?), so none of it was used. Export the file again, or use --allow-truncated "
                               "to keep its 1 complete record and drop the cut-off one")


def test_a_file_whose_records_all_end_alike_is_cut_off_when_its_last_does_not(write_file):
    records = "\n".join(f"OID - EJ00{i}\nTI  - T{i}\nAU  - Doe J\nDP  - 2020\n" for i in range(4))
    path = write_file("eric.txt", records + "\nOID - EJ009\nTI  - Cut\nAU  - Roe R\n")
    with pytest.raises(InputError) as info:
        load_references(path)
    assert str(info.value).startswith(f"{path}, line 21: the last record does not end with the 'DP' field that every "
                                      "other record of the file ends with: the file looks cut off")
    two = "\n".join(f"OID - EJ00{i}\nTI  - T{i}\nAU  - Doe J\nDP  - 2020\n" for i in range(2))
    path = write_file("eric2.txt", two + "\nOID - EJ009\nTI  - Last\nAU  - Roe R\n")
    assert len(load_references(path).records) == 3  # two others are too few to tell a rule (three are enough)
