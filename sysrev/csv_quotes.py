"""Where the end of a CSV text leaves its quotes: inside a quoted cell, just after a quote, or outside quotes.

Shared by the two places that ask whether a CSV file was cut off (an interrupted copy or download): the import
of exports (:func:`sysrev.formats.truncation.csv_cut`) and the hand-edited tables (:mod:`sysrev.hand_tables`).

The state is read exactly, by the csv grammar the csv module reads (``"`` opens a quoted cell only at the start
of a cell; inside one, ``""`` is a quote and ``"`` then the delimiter or a line break closes it), from the start
of the last row to the end of the text. Three ends can be told apart:

* :data:`OPEN`: the text ends inside a quoted cell (after an odd number of quotes since the cell's opening
  quote, or inside it after an escaped ``""``). No complete file ends there: a cut.
* :data:`AFTER_QUOTE`: the text ends with a quote that would close the cell. That is how a complete quoted
  last cell ends, and also how a quoted cell cut between the two quotes of an escaped ``""`` ends
  (``"He said ""yes""."`` cut to ``"He said "``): the two cannot be told apart from the bytes.
* :data:`OUTSIDE`: anything else (an unquoted cell, or a quoted cell closed and followed by more text).
"""

import csv
import re

OPEN = "open"
AFTER_QUOTE = "after quote"
OUTSIDE = "outside"

_LINE_END = re.compile(r"\r\n|\r|\n")
_START, _UNQUOTED, _QUOTED, _QUOTE_IN_QUOTED, _CLOSED, _ESCAPED_QUOTED, _ESCAPED_UNQUOTED = range(7)


def quote_state_at_end(row_text: str, *, delimiter: str = ",", quotechar: str | None = '"',
                       doublequote: bool = True, escapechar: str | None = None) -> str:
    """:data:`OPEN`, :data:`AFTER_QUOTE` or :data:`OUTSIDE` for ``row_text``, which starts where a row starts
    (the start of the last row is enough: a row always starts outside quotes). ``quotechar`` None reads no
    quotes (``csv.QUOTE_NONE``); the other parameters are those of a :class:`csv.Dialect`. A text ending on a
    dangling ``escapechar`` counts as :data:`OPEN` (the character it escapes is missing)."""
    state = _START
    for char in row_text:
        if state == _ESCAPED_QUOTED:
            state = _QUOTED
        elif state == _ESCAPED_UNQUOTED:
            state = _UNQUOTED
        elif state == _QUOTED:
            if char == escapechar:
                state = _ESCAPED_QUOTED
            elif char == quotechar:
                state = _QUOTE_IN_QUOTED if doublequote else _CLOSED
        elif state == _QUOTE_IN_QUOTED and char == quotechar:
            state = _QUOTED  # the second quote of an escaped pair
        elif char in (delimiter, "\n", "\r"):
            state = _START
        elif char == escapechar:
            state = _ESCAPED_UNQUOTED
        elif state == _START and char == quotechar:
            state = _QUOTED
        else:
            state = _UNQUOTED  # as the csv module reads a stray character after a closed cell: part of the cell
    if state in (_QUOTED, _ESCAPED_QUOTED, _ESCAPED_UNQUOTED):
        return OPEN
    return AFTER_QUOTE if state in (_QUOTE_IN_QUOTED, _CLOSED) else OUTSIDE


def dialect_quote_state(row_text: str, dialect) -> str:
    """:func:`quote_state_at_end` of ``row_text`` read with a :class:`csv.Dialect` (or a sniffed one)."""
    quotechar = None if dialect.quoting == csv.QUOTE_NONE else dialect.quotechar
    return quote_state_at_end(row_text, delimiter=dialect.delimiter, quotechar=quotechar,
                              doublequote=dialect.doublequote, escapechar=dialect.escapechar)


def offset_of_line(text: str, line: int) -> int:
    """Where physical line ``line`` (1-based, as the csv module counts: CR LF, CR or LF end a line) starts."""
    if line <= 1:
        return 0
    for number, match in enumerate(_LINE_END.finditer(text), start=2):
        if number == line:
            return match.end()
    return len(text)
