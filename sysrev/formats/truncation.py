"""How each reader tells a file cut off in its last record (an interrupted download or copy) from a complete one.

A cut is recognised from the structure of the format, never from one example:

* a record terminator the format has and the last record lacks (RIS ``ER``, Web of Science ``ER``);
* a bracket or element that never closes (a BibTeX entry's braces, an XML element, a JSON array);
* for line formats whose records have no terminator (MEDLINE/NBIB, EndNote tagged, CSV): a last line with no
  line break (every exporter ends its lines; a copy cut mid-line does not), an open quotation mark, fewer
  cells than the header, or a record that lacks the closing field every record of its kind ends with. A CSV
  file ending, without a line break, on a quote that closes its last cell may be complete or cut between the
  two quotes of an escaped ``""``: a warning, not a cut (:func:`csv_unsure_end`).

This module holds what several readers share; each reader applies the rules of its format and reports the
cut as :class:`sysrev.formats.result.Truncation`.
"""

import json
from dataclasses import dataclass
from xml.parsers import expat

from sysrev.csv_quotes import AFTER_QUOTE, OPEN, dialect_quote_state, offset_of_line
from sysrev.errors import InputError
from sysrev.formats.result import Truncation
from sysrev.formats.safexml import UnsafeXMLRefused, as_expat_input, parse_xml, refuse_internal_subset
from sysrev.wording import counted

MID_LINE = ("the file ends in the middle of a line (no line break after its last line), inside this record; "
            "if the file is complete, end it with a line break")

UNSURE_END = ("the file ends right after a closing quote with no line break: its last value may have been cut "
              "off between the two quotes of an escaped \"\" (an interrupted copy or download?); check that "
              "value, then end the file with a line break")


def ends_mid_line(text: str) -> bool:
    """Whether ``text`` has content after its last line break (a file cut mid-line; exporters end every line)."""
    return bool(text) and not text.endswith(("\n", "\r"))


@dataclass(frozen=True)
class XMLCut:
    """An XML document that is a well-formed beginning of a document cut off before its end.

    ``line`` is where the cut-off record starts (or where the file ends, when the cut fell between records:
    ``in_record`` False); ``complete`` is the document up to the last complete record, with the elements
    still open there closed, ready to be parsed like the original."""

    line: int
    in_record: bool
    complete: bytes


class _NotAPrefix(Exception):
    pass


def xml_cut(data: bytes, record_tags) -> XMLCut | None:
    """``data`` as :class:`XMLCut` when it is the beginning of a well-formed document that stops before its
    end (every byte parses; only the end of the document is missing), else None (complete, or damaged
    somewhere other than at its end: the reader's own parse reports that).

    ``record_tags`` are the elements that hold one record each (``record``, ``PubmedArticle`` …).
    """
    try:
        data = as_expat_input(data)
    except InputError:  # an encoding the declaration names and the bytes break: the reader reports it
        return None
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    refuse_internal_subset(parser, _NotAPrefix)
    open_tags = []  # (tag, line) of the elements open now
    state = {"record_line": None, "last_end": None, "open_at_end": []}
    records = set(record_tags)

    def start(tag, _attrs):
        if tag in records and state["record_line"] is None:
            state["record_line"] = parser.CurrentLineNumber
        open_tags.append(tag)

    def end(tag):
        open_tags.pop()
        if tag in records and tag not in open_tags:
            state["record_line"] = None
            close = data.index(b">", parser.CurrentByteIndex) + 1
            state["last_end"], state["open_at_end"] = close, list(open_tags)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, False)
    except (expat.ExpatError, _NotAPrefix):
        return None  # damaged before the end: not a cut
    try:
        parser.Parse(b"", True)
        return None  # the document is complete
    except expat.ExpatError:
        pass
    if state["last_end"] is None:
        prefix, still_open = b"", []
    else:
        prefix, still_open = data[:state["last_end"]], state["open_at_end"]
    closing = "".join(f"</{tag}>" for tag in reversed(still_open)).encode("utf-8")
    in_record = state["record_line"] is not None
    line = state["record_line"] if in_record else data.count(b"\n") + 1
    return XMLCut(line=line, in_record=in_record, complete=prefix + closing)


def parse_xml_or_cut(data: bytes, *, path, record: str, document_end: str):
    """``(root, record lines, truncation)`` of an XML export whose records are ``<record>`` elements: the whole
    document, or for a file cut off before its end the records complete before the cut (root None when there
    are none) and where the cut is; ``document_end`` names the closing tags the cut file lacks."""
    try:
        return (*parse_xml(data, path=path, line_of=(record,)), None)
    except UnsafeXMLRefused:
        raise
    except InputError:
        cut = xml_cut(data, (record,))
        if cut is None:
            raise
    what = (f"the last <{record}> is never closed (the file ends inside it)" if cut.in_record else
            f"the file ends before its closing {document_end} tags, after a complete record")
    truncated = Truncation(line=cut.line, what=what, records=1 if cut.in_record else 0)
    if not cut.complete:
        return None, {}, truncated
    return (*parse_xml(cut.complete, path=path, line_of=(record,)), truncated)


def parse_json_or_cut(text: str, *, path):
    """``(data, truncation)`` of a JSON export: the whole document, or for an array cut off before its end the
    items complete before the cut and where the cut is; JSON broken anywhere else is an InputError naming the
    line and column."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        if not _ends_early(text, exc):
            raise InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", path=path,
                             line=exc.lineno) from None
        return _complete_items(text)


def _ends_early(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the JSON error is the document stopping before its end (a cut), not a mistake inside it: a
    string still open at the end, or the parser wanting more exactly where the text runs out."""
    if exc.msg.startswith("Unterminated string"):
        return True
    rest = text[exc.pos:]
    return not rest.strip() or ("escape" in exc.msg and "\n" not in rest and len(rest) <= 6)


def _complete_items(text: str) -> tuple[list, Truncation]:
    """The items of a cut-off array that are complete, and the cut at the item after them."""
    decoder, items = json.JSONDecoder(), []
    start = len(text) - len(text.lstrip())
    if not text.startswith("[", start):  # an {"items": […]} object cut off: no item can be trusted
        return [], Truncation(line=1, what="the JSON document ends before it is complete")
    pos = start + 1
    while True:
        pos = len(text) - len(text[pos:].lstrip())
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            line = text.count("\n", 0, pos) + 1
            if not text[pos:].strip():  # the cut fell after a complete item
                return items, Truncation(line=line, what="the JSON array ends before its closing ']', after a "
                                                         "complete item", records=0)
            return items, Truncation(line=line, what="the last item of the JSON array is cut off (the document "
                                                     "ends before its closing ']')")
        items.append(item)
        after = text[end:].lstrip()
        pos = len(text) - len(after) + (1 if after.startswith(",") else 0)


def csv_cut(text: str, dialect, columns: int, last_row: tuple[int, int], short_rows: int) -> Truncation | None:
    """The last row of a CSV ``text`` read with ``dialect`` as cut off, or None. ``columns`` is the header's
    length, ``last_row`` the (line, cell count) of the last non-empty row, ``short_rows`` how many rows have
    fewer cells than the header.

    CSV has no record terminator; a row cut off shows as a quoted cell still open at the end of the file (the
    quote state read exactly, :mod:`sysrev.csv_quotes`: ``"He said ""`` is open), as fewer cells than the
    header where every other row has them all, or as a last line with no line break (exporters end every row
    with a line break). One end cannot be told apart: a last line ending with a quote that closes its cell is
    a complete quoted cell or one cut between the two quotes of an escaped ``""``; that is not a cut here but
    :func:`csv_unsure_end` (a warning, as for hand-edited tables)."""
    row_line, cells = last_row
    state = dialect_quote_state(text[offset_of_line(text, row_line):], dialect)
    if state == OPEN:
        return Truncation(line=row_line, what="a quoted cell of the last row is never closed (the file ends "
                                              "inside it)")
    if cells < columns and short_rows == 1:
        return Truncation(line=row_line, what=f"the last row has {counted(cells, 'cell')} where the header and "
                                              f"every other row have {columns}")
    if ends_mid_line(text) and state != AFTER_QUOTE:
        return Truncation(line=row_line, what=MID_LINE)
    return None


def csv_unsure_end(text: str, dialect, row_line: int) -> str | None:
    """A warning (without the file and line) when the CSV ``text`` ends, with no line break, on a quote that
    closes the last cell of the row starting at ``row_line``: a file cut between the two quotes of an escaped
    ``""`` in that cell ends the same way, so the last value may be incomplete; else None."""
    if not ends_mid_line(text):
        return None
    if dialect_quote_state(text[offset_of_line(text, row_line):], dialect) != AFTER_QUOTE:
        return None
    return UNSURE_END
