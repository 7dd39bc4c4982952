"""How an export's bytes become text: each rule of sysrev.formats.decode with its exact result and warning."""

from sysrev.formats.decode import decode_bytes, undouble_line_ends

UTF8_BOM = b"\xef\xbb\xbf"


def test_a_utf8_file_with_a_bom_and_one_windows_byte_loses_the_bom_and_names_the_byte():
    data = UTF8_BOM + "TI  - Müller\n".encode() + b"AB  - caf\xe9\n"  # é written by a Windows export
    decoded = decode_bytes(data, name="mixed.ris")
    assert (decoded.text, decoded.encoding) == ("TI  - Müller\nAB  - café\n", "utf-8")
    assert decoded.warnings == ["mixed.ris is UTF-8 but for 1 byte that is not (byte 0xe9 on line 2); those were "
                                "read as cp1252 (a record pasted in from a Windows export?) - check the accented "
                                "characters there"]


def test_bytes_cp1252_leaves_undefined_are_read_as_latin1():
    data = "TI  - Müller, Ärzte, Übung, Öl, Ça\n".encode() + b"AB  - \x81\x8d and \x93q\x94\n"
    decoded = decode_bytes(data, name="x.ris")
    assert decoded.text == "TI  - Müller, Ärzte, Übung, Öl, Ça\nAB  - \x81\x8d and “q”\n"
    assert decoded.warnings[0].startswith("x.ris is UTF-8 but for 4 bytes that are not (byte 0x81 on line 2)")


def test_a_file_cut_inside_its_last_character_keeps_what_came_before_without_the_bom():
    decoded = decode_bytes(UTF8_BOM + "TI  - Ünder\nAB  - é".encode()[:-1], name="cut.ris")
    assert (decoded.text, decoded.encoding, decoded.cut_mid_character) == ("TI  - Ünder\nAB  - ", "utf-8", True)


def test_line_ends_doubled_everywhere_are_made_single_and_nowhere_else():
    assert undouble_line_ends("a\r\r\nb\r\r\n", "f") == ("a\r\nb\r\n", "f: every line ends with CR CR LF (a Windows "
                                                                     "file converted twice); each was read as one "
                                                                     "line end")
    assert undouble_line_ends("a\r\r\nb\r\n", "f") == ("a\r\r\nb\r\n", "")  # not every line: left as it is
    assert undouble_line_ends("one line, no line end", "f") == ("one line, no line end", "")
    assert undouble_line_ends("", "f") == ("", "")
