"""What the safe XML parser refuses and how it says so: each refusal word for word, with its line."""

import pytest

from sysrev.errors import InputError
from sysrev.formats.safexml import UnsafeXMLRefused, as_expat_input, parse_xml

LAUGHS = "which can read local files or expand without bound ('billion laughs')"


@pytest.mark.parametrize("data, line, message", [
    (b'<?xml version="1.0"?>\n<!DOCTYPE x [\n<!ENTITY a "b">\n]>\n<x>&a;</x>', 3,
     f"the file declares an entity ('a'); sysrev refuses XML entity declarations, {LAUGHS}"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE x [\n<!ENTITY a SYSTEM "file:///etc/passwd">\n]>\n<x>&a;</x>', 3,
     f"the file declares an external entity ('a'); sysrev refuses XML entity declarations, {LAUGHS}"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE x PUBLIC "-//X//DTD X//EN" "http://example.org/x.dtd">\n<x/>', 2,
     "the DOCTYPE refers to an external DTD (http://example.org/x.dtd); sysrev never loads external DTDs - "
     "remove the DOCTYPE line and import again"),
])
def test_unsafe_constructs_are_refused_at_their_line(data, line, message):
    with pytest.raises(UnsafeXMLRefused) as info:
        parse_xml(data, path="f.xml")
    assert (str(info.value), info.value.line) == (f"f.xml, line {line}: unsafe XML refused: {message}", line)


def test_an_external_dtd_is_accepted_when_allowed_and_never_read():
    root, _ = parse_xml(b'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "http://127.0.0.1:9/none.dtd">\n<x>ok</x>',
                        path="f.xml", allow_external_dtd=True)
    assert (root.tag, root.text) == ("x", "ok")


def test_a_document_that_is_not_well_formed_names_line_and_column():
    with pytest.raises(InputError) as info:
        parse_xml(b"<x>\n<y></x>", path="f.xml")
    assert str(info.value) == "f.xml, line 2: not well-formed XML: mismatched tag (column 6)"


def test_a_declared_encoding_expat_cannot_read_is_decoded_here_and_declared_utf8():
    data = '<?xml version="1.0" encoding="windows-1252"?>\n<x>café</x>'.encode("cp1252")
    assert as_expat_input(data, path="f.xml") == '<?xml version="1.0" encoding="UTF-8"?>\n<x>café</x>'.encode()
    root, lines = parse_xml(data, path="f.xml", line_of=("x",))
    assert root.text == "café" and list(lines.values()) == [2]


def test_a_declaration_unreadable_in_its_own_encoding_is_refused_at_line_1():
    with pytest.raises(InputError) as info:
        parse_xml(b'<?xml version="1.0" encoding="cp037"?><x/>', path="f.xml")
    assert (str(info.value), info.value.line) == (
        "f.xml, line 1: cannot read the XML declaration in the encoding it names ('cp037')", 1)
