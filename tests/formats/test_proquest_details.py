"""ProQuest text beyond the whole-record test: label variants, lines and links, and an export with fewer
documents than it says."""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references

PROQUEST = """\
____________________________________________________________

Report Information from ProQuest
____________________________________________________________

Document 1 of 3

A title written
over two lines

Links: https://resolver.example.org/?id=1

https://resolver.example.org/?id=2

Publication date: 2019

Language of publication: French

Document type: Journal Article; Review

https://www.proquest.com/docview/1

____________________________________________________________

Document 2 of 3

Second

ProQuest document ID: 22

____________________________________________________________
"""


def test_label_variants_and_a_short_export(write_file):
    path = write_file("ProQuestDocuments.txt", PROQUEST)
    with pytest.raises(InputError) as info:
        load_references(path)
    assert str(info.value).startswith(f"{path}, line 25: the export says it holds 3 records but ends after document "
                                      "2: the file looks cut off")
    parsed = load_references(path, allow_truncated=True)
    assert parsed.warnings == [f"{path}, line 25: the export says it holds 3 records but ends after document 2; the "
                               "file is cut off there, so 0 incomplete records were dropped and 2 kept "
                               "(--allow-truncated)"]
    first, second = parsed.records
    # a title over two lines is one title; the resolver links after 'Links:' are not the document's URL (the
    # bare link line after the fields is); the publication date is the year when there is no publication year
    assert (first.title, first.url, first.year, first.language, first.publication_types) == (
        "A title written over two lines", "https://www.proquest.com/docview/1", 2019, "French",
        ["Journal Article", "Review"])
    assert first.extra == {"type": "Journal Article; Review", "fields": {"Publication date": "2019"}}
    assert (second.source_id, second.title, second.year) == ("22", "Second", None)
