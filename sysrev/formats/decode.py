"""Turn the bytes of an export file into text, whatever encoding the exporting tool chose.

Reference managers write UTF-8 (with or without a byte-order mark), UTF-16 (EndNote and Excel on Windows,
with a BOM; some Windows scripts without one, recognised by its zero bytes) or a Windows code page
(EndNote's "ANSI" RIS output is cp1252, older tools Latin-1). UTF-8 is tried first because it almost never
decodes text that is really in another encoding; otherwise the file is read as cp1252 (a superset of
Latin-1's printable characters) with a warning, so a reviewer checks the accents rather than losing records
to a crash. Line ends doubled to CR CR LF are read as one.
"""

import codecs
import re
from dataclasses import dataclass, field

from sysrev.wording import counted, verb

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class DecodedText:
    """A file's text, the encoding it was read with, and any warning about that choice.

    ``cut_mid_character``: the bytes are UTF-8 but for an incomplete character at the very end, the mark of a
    file cut off mid-character (an interrupted download or copy); ``text`` then stops before that character.
    """

    text: str
    encoding: str
    warnings: list = field(default_factory=list)
    cut_mid_character: bool = False


def decode_bytes(data: bytes, *, name: str = "file") -> DecodedText:
    """Decode ``data``: a BOM decides; else UTF-8 (a few bytes that are not UTF-8 read as cp1252); else the
    encoding the file names (JabRef's ``% Encoding:`` line); else cp1252 (then Latin-1) with a warning.

    The BOM is removed, so readers never see U+FEFF before the first tag. A file whose lines end with CR
    alone (classic Mac OS, some Mac reference managers) gets LF line ends; line ends doubled to CR CR LF are
    made single (:func:`undouble_line_ends`); UTF-8 text encoded twice is repaired (:func:`undo_double_utf8`).
    """
    decoded = _decode(data, name)
    if "\r" in decoded.text and "\n" not in decoded.text:  # classic Mac OS line ends (CR alone)
        decoded.text = decoded.text.replace("\r", "\n")
    decoded.text, warning = undouble_line_ends(decoded.text, name)
    decoded.warnings += [warning] if warning else []
    if decoded.encoding.startswith("utf"):
        decoded.text, warning = undo_double_utf8(decoded.text, name)
        decoded.warnings += [warning] if warning else []
    return decoded


def _decode(data: bytes, name: str) -> DecodedText:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding).lstrip("\ufeff"), encoding)
            except UnicodeDecodeError:
                break  # a stray BOM-like prefix; fall through to the guesses below
    encoding = _utf16_without_bom(data)
    if encoding:
        try:
            return DecodedText(data.decode(encoding), encoding, [f"{name} is UTF-16 without a byte-order mark; "
                                                                  f"read it as {encoding}"])
        except UnicodeDecodeError:
            pass  # not UTF-16 after all (an odd byte count, a broken surrogate): the guesses below decide
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")  # a leading BOM was taken by the loop above
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:
                return DecodedText(data[:exc.start].decode("utf-8").lstrip("\ufeff"), "utf-8",
                                   cut_mid_character=True)
            except UnicodeDecodeError:
                pass  # other bytes are not UTF-8 either: an older encoding, not a cut
        line = data.count(b"\n", 0, exc.start) + 1
        first_bad = f"byte 0x{data[exc.start]:02x} on line {line}"
    declared = _declared_encoding(data)
    if declared:
        try:
            return DecodedText(data.decode(declared), declared)
        except UnicodeDecodeError:
            pass  # the file is not in the encoding it names: the guesses below decide, with their warning
    mixed = _mostly_utf8(data)
    if mixed:
        return DecodedText(mixed[0], "utf-8", [
            f"{name} is UTF-8 but for {counted(mixed[1], 'byte')} that {verb(mixed[1], 'is', 'are')} not "
            f"({first_bad}); those were read as cp1252 (a record pasted in from a Windows export?) - check the "
            "accented characters there"])
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warning = (f"{name} is not valid UTF-8 ({first_bad}); read it as {encoding} (Windows/Latin-1 "
                   "export) - check accented characters in the imported records")
        return DecodedText(text, encoding, [warning])
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


# JabRef's first line names the encoding it saved a BibTeX file in ("% Encoding: windows-1252").
_ENCODING_LINE = re.compile(rb"\A%[ \t]*Encoding:[ \t]*([A-Za-z0-9_.:-]{2,40})[ \t]*\r?\n")


def _declared_encoding(data: bytes) -> str:
    """The encoding a file that is not UTF-8 says it is in (JabRef's ``% Encoding:`` line), when Python knows
    it; else ``""``."""
    found = _ENCODING_LINE.match(data)
    if not found:
        return ""
    try:
        return codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return ""


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_for_bad_bytes(error: UnicodeDecodeError):
    """A codecs error handler: the bytes that are not UTF-8, read as cp1252 (Latin-1 where cp1252 has none)."""
    bad = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


codecs.register_error("sysrev-cp1252-bytes", _cp1252_for_bad_bytes)


def _mostly_utf8(data: bytes):
    """``(text, bad byte count)`` when ``data`` is UTF-8 but for a minority of bytes, else None.

    An export joined from a UTF-8 file and a Windows ("ANSI") one, or a record pasted in from the latter, is
    UTF-8 with a few cp1252 bytes. Read wholly as cp1252, every correct accented letter in it would turn into
    two characters (``MÃ¼ller``); read byte by byte, both parts come out right. A file whose multi-byte UTF-8
    sequences do not outnumber its other non-ASCII bytes is an older encoding throughout (None).
    """
    sequences = _UTF8_SEQUENCE.findall(data)
    high = len(data) - len(re.sub(rb"[\x80-\xff]+", b"", data))
    bad = high - sum(len(sequence) for sequence in sequences)
    if len(sequences) <= bad:
        return None
    return data.decode("utf-8", errors="sysrev-cp1252-bytes").lstrip("\ufeff"), bad


def undouble_line_ends(text: str, name: str = "file") -> tuple[str, str]:
    """``text`` with CR CR LF line ends read as one line end, and a warning saying so (else ``""``).

    A Windows file (CR LF) copied once more in text mode, or saved by a tool that adds a CR before every LF
    (some FTP clients, e-mail gateways, older Windows scripts), ends its lines with CR CR LF. Read as written,
    every line is followed by an empty one, and MEDLINE and EndNote tagged files, whose records end at an
    empty line, fall apart into one record per field. Only a file whose every LF follows two CRs is changed.
    """
    doubled = text.count("\r\r\n")
    if not doubled or doubled != text.count("\n"):
        return text, ""
    return text.replace("\r\r\n", "\r\n"), (f"{name}: every line ends with CR CR LF (a Windows file converted "
                                               "twice); each was read as one line end")


# A UTF-8 lead byte followed by its continuation bytes, each read as cp1252: the trace of UTF-8 text decoded
# as cp1252 and saved as UTF-8 again ("MÃ¼ller" for "Müller", "â€“" for "–").
_CONTINUATION = "[" + re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")) + "]"
_MOJIBAKE_LEADS = re.compile("[\u00c2-\u00c5\u00ce-\u00d1\u00e2]")  # Â Ã Ä Å Î Ï Ð Ñ â: a quick first look
_DOUBLE_UTF8 = re.compile(f"[\u00c2-\u00df]{_CONTINUATION}|[\u00e0-\u00ef]{_CONTINUATION}{{2}}")


def undo_double_utf8(text: str, name: str = "file") -> tuple[str, str]:
    """``text`` repaired when it is UTF-8 that was read as cp1252 and saved as UTF-8 again, with a warning.

    This happens when an export is opened in Excel (which reads a CSV without BOM as the Windows code page)
    and saved as "CSV UTF-8": every accented letter becomes two or three characters (``MÃ¼ller``,
    ``â€“``), dedup no longer matches the names and titles, and screeners read garbage. The text is repaired
    only when the whole of it round-trips (encodes to cp1252 and those bytes decode as UTF-8), which text
    that merely contains such a pair of characters never does; otherwise a warning names the first line.
    """
    found = _DOUBLE_UTF8.search(text) if _MOJIBAKE_LEADS.search(text) else None
    if not found:
        return text, ""
    line = text.count("\n", 0, found.start()) + 1
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text, (f"{name}, line {line}: {found.group()!r} looks like UTF-8 text that was read with another "
                      "encoding and saved again (as when a file is opened and saved in Excel); check the accents")
    return repaired, (f"{name} holds UTF-8 text encoded twice (line {line}: {found.group()!r} for "
                      f"{found.group().encode('cp1252').decode('utf-8', errors='replace')!r}; a file opened and "
                      "saved in Excel?); repaired")


def _utf16_without_bom(data: bytes) -> str:
    """``utf-16-le``/``utf-16-be`` when ``data`` looks like UTF-16 text written without a BOM, else ``""``.

    Text in a Latin script stored as UTF-16 has a zero byte in every other position; UTF-8 would decode it
    without error (NUL is valid) into ``T\\x00Y\\x00…``, which no reader recognises. Some Windows tools
    (PowerShell's ``Out-File``, "Unicode" exports piped through scripts) write such files.
    """
    sample = data[:4000]
    pairs = len(sample) // 2
    if pairs < 8:
        return ""
    odd_zeros, even_zeros = sample[1::2].count(0), sample[0::2].count(0)
    if odd_zeros > 0.9 * pairs and even_zeros < 0.1 * pairs:
        return "utf-16-le"
    if even_zeros > 0.9 * pairs and odd_zeros < 0.1 * pairs:
        return "utf-16-be"
    return ""


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split ``text`` at CR LF, CR or LF only.

    ``str.splitlines`` would also break at U+2028, U+0085 and form feeds, which occur *inside* abstracts
    (PubMed's conflict-of-interest statements), and would turn half a value into a bogus line. A byte-order
    mark at the start of a line (left where exports were concatenated) is removed.
    """
    lines = [line.lstrip("\ufeff") for line in _LINE_BREAK.split(text)]
    if lines and lines[-1] == "":
        lines.pop()
    return lines
