"""Where a cut-off JSON or XML export is cut, and what it says: the line, the words and the records kept."""

import pytest

from sysrev.errors import InputError
from sysrev.formats import load_references

ITEMS = '[\n{"id": "a", "title": "A"},\n{"id": "b", "title": "B"}'
LOOKS_CUT = "the file looks cut off (an interrupted download or copy?), so none of it was used. Export the file again"


@pytest.mark.parametrize("name, text, line, what, kept, dropped", [
    ("escape.json", ITEMS + ',\n{"id": "c", "title": "C\\u00', 4,
     "the last item of the JSON array is cut off (the document ends before its closing ']')", 2, 1),
    ("key.json", '[\n{"id": "a", "title": "A"},\n{"id": "b", "ti', 3,
     "the last item of the JSON array is cut off (the document ends before its closing ']')", 1, 1),
    ("bracket.json", ITEMS + "\n", 4, "the JSON array ends before its closing ']', after a complete item", 2, 0),
    ("records.xml", '<?xml version="1.0"?>\n<xml><records>\n<record><titles><title>A</title></titles></record>\n'
                    "<record><titles><title>B</title></titles></record>\n</records>", 5,
     "the file ends before its closing </records></xml> tags, after a complete record", 2, 0),
])
def test_a_cut_is_named_at_its_line_and_the_complete_records_can_be_kept(write_file, name, text, line, what, kept,
                                                                        dropped):
    path = write_file(name, text)
    with pytest.raises(InputError) as info:
        load_references(path)
    assert str(info.value).startswith(f"{path}, line {line}: {what}: {LOOKS_CUT}")
    parsed = load_references(path, allow_truncated=True)
    assert len(parsed.records) == kept
    records = "record was" if dropped == 1 else "records were"
    assert parsed.warnings[0] == (f"{path}, line {line}: {what}; the file is cut off there, so {dropped} incomplete "
                                  f"{records} dropped and {kept} kept (--allow-truncated)")
