"""What the CSL-JSON and EndNote tagged readers refuse, word for word with the file (and line)."""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references


@pytest.mark.parametrize("name, form, text, message", [
    ("empty.json", "csl_json", '{"items": []}', ": the CSL-JSON file holds no items"),
    ("numbers.json", "csl_json", '[{"title": "A"}, 2]',
     ": not CSL-JSON: expected an array of items (objects with 'title', 'author', …)"),
    ("stray.enw", "endnote_tagged", "a note before the records\n%0 Journal Article\n%T A\n",
     ", line 1: not an EndNote tagged line: expected '%X value', got 'a note before the records'"),
])
def test_refused_with_the_reason(write_file, name, form, text, message):
    path = write_file(name, text)
    with pytest.raises(InputError) as info:
        load_references(path, format=form)
    assert str(info.value) == f"{path}{message}"


def test_an_object_with_items_is_read_like_an_array(write_file):
    parsed = load_references(write_file("zotero.json", '{"items": [{"id": "k", "title": "A", "issued": {"literal": '
                                                       '"2019"}}]}'))
    assert [(r.source_id, r.title, r.year) for r in parsed.records] == [("k", "A", 2019)]
