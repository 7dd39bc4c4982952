"""Read the CSV tables a review team edits by hand, and refuse one that was cut off.

The extraction tables (``analysis/extraction/*.csv``, ``studies.csv``), ``analysis/exemptions.csv``, the
DATA.csv of ``sysrev meta pool``/``cumulative``/``tsa`` and the weights CSV of ``sysrev rob plot`` are typed
in spreadsheets and text editors, then copied, synced and downloaded. A copy interrupted mid-row would
otherwise read as a complete, shorter table: the last row ``Smith 2020,12.5,3.1,40`` cut to
``Smith 2020,12.5,3.1,4`` pools n = 4 without a word.

CSV has no record terminator, so a cut can only be seen at the end of the file. The rules, each derived from
what a complete file can and cannot look like:

* bytes that stop inside a UTF-8 character: no text file ends there, an error;
* a quoted cell still open at the end of the file: no complete file ends inside quotes, an error (the quote
  state is read exactly from the start of the last row, :mod:`sysrev.csv_quotes`: ``"He said ""`` is open);
* a last row with no line break after it and fewer cells than the header: an error (a row typed short would
  be refused by every reader anyway; a cut is its likeliest cause, and the message says so);
* a last row with no line break after it but all its cells: a file cut inside its last value and a complete
  file saved without a final line break (Notepad, some editors' defaults, some web spreadsheets' downloads)
  look the same. Refusing it would stop a complete file, so this is a :class:`CutOffWarning` naming the
  line; ending the file with a line break (Excel, LibreOffice, R, pandas and sysrev always write one)
  silences it. A last cell ending in a quote is no proof either: a quoted cell cut between the two quotes
  of an escaped quote (``""``) reads as a closed cell, so it is the same warning (the import of exports
  decides this case the same way, :func:`sysrev.formats.truncation.csv_unsure_end`).

A file cut exactly after a line break is a complete table with fewer rows and cannot be told from one; it is
read as such (every value read is then a value of the file, unchanged).
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

from sysrev.csv_quotes import OPEN, quote_state_at_end
from sysrev.errors import InputError

_CUT = "the file looks cut off (an interrupted copy or download?)"


class CutOffWarning(UserWarning):
    """A hand-edited table whose last value may have been cut off; the message names the file and line."""


def read_table(path, *, delimiter: str = ",") -> str:
    """The text of the hand-edited CSV table at ``path``, once :func:`read_table_text` and
    :func:`check_table_end` (with ``delimiter``) found no sign that it was cut off."""
    text = read_table_text(path)
    if delimiter == ",":
        _refuse_other_separators(text, path)
    check_table_end(text, path, delimiter=delimiter)
    return text


def _refuse_other_separators(text: str, path) -> None:
    """Refuse a table whose header has no comma but semicolons or tabs between its names: a spreadsheet saved
    it in a locale whose decimal mark is a comma. Read with commas, every row would be one cell and the error
    would be about a column called ``study;outcome;…``; read with semicolons, its numbers would still have
    decimal commas, which sysrev does not guess at (``1,234``). So the message says how to save it."""
    line, header = next(((n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()), (1, ""))
    if "," in header:
        return
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if sum(1 for cell in header.split(separator) if cell.strip()) >= 2:
            raise InputError(f"the cells are separated by {name}, not commas (a spreadsheet saved the file in a "
                             "locale whose decimal mark is a comma): save it as CSV UTF-8 (comma delimited), "
                             "with a point as the decimal mark", path=path, line=line)


def decimal_comma_hint(text: str) -> str:
    """What to add to "'TEXT' is not a number" when the cell holds a decimal comma (``12,5``, as spreadsheets
    in many locales write it): sysrev reads the point only, and never guesses what a comma is (``1,234`` could
    be either)."""
    import re

    if re.fullmatch(r"[+-]?\d*,\d+", text.strip()):
        return f" (a decimal comma? write {text.strip().replace(',', '.')}: the decimal mark is a point)"
    return ""


# What hand-filled sheets write for a value a paper does not give (dashes of every width included).
_UNKNOWN_WORDS = {"NA", "N/A", "NR", "N.R.", "NOT REPORTED", "?", "-", "–", "—"}


def number_hint(text: str) -> str:
    """What to add to "'TEXT' is not a number": leave the cell empty for a word meaning "not given" (``NR``,
    ``n/a``, a dash), else :func:`decimal_comma_hint`."""
    if text.strip().upper() in _UNKNOWN_WORDS:
        return " (leave the cell empty when the value is unknown)"
    return decimal_comma_hint(text)


def table_rows(text: str, *, delimiter: str = ","):
    """``(line, cells)`` for each row of a table's ``text``, the header first, ``line`` the physical line the
    row starts on. A cell may hold a line break (Alt+Enter in Excel): ``str.splitlines`` would cut such a row
    in two and join the halves without the break, and count lines wrong after it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def read_table_text(path) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark dropped), or an :class:`InputError`: file not found, not
    UTF-8, or (the bytes stop inside a character) cut off, naming the line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The positions are those of exc.object: the bytes after the byte-order mark when the file has one
        # (Excel's CSV UTF-8 always writes it), so lines and bytes are counted there, not in ``data``.
        data = exc.object
        line = data.count(b"\n", 0, exc.start) + 1
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            raise InputError(f"the file ends in the middle of a UTF-8 character: {_CUT}; restore the file",
                             path=path, line=line) from None
        raise InputError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}: {exc.reason}); save the table as "
                         "UTF-8 (Excel: CSV UTF-8)", path=path, line=line) from None


def check_table_end(text: str, path, *, delimiter: str = ",") -> None:
    """Raise :class:`InputError` when the end of the table ``text`` shows it was cut off; warn
    (:class:`CutOffWarning`) when a cut inside its last value cannot be ruled out. See the module's rules.

    The header is the first row that is not blank, the last row the last that is not blank (rows of empty or
    space-only cells are blank: the readers skip them)."""
    lines = io.StringIO(text, newline="").readlines()  # the physical lines the csv module counts
    found = _header_and_last_row(lines, delimiter)
    if found is None:
        return
    columns, start, end, cells = found
    if quote_state_at_end("".join(lines[start:]), delimiter=delimiter) == OPEN:
        raise InputError(f"a quoted cell of the last row is never closed (the file ends inside it): {_CUT}; "
                         "restore the file, or close the quote", path=path, line=start + 1)
    if cells is None or end < len(lines) or text.endswith(("\n", "\r")):
        return  # a header alone, or a last row followed by a line break
    if len(cells) < columns:
        raise InputError(f"the last row has {len(cells)} of the header's {columns} cells and no line break after "
                         f"it: {_CUT}; restore the file, or complete the row", path=path, line=start + 1)
    if len(cells) == columns:
        warnings.warn(f"{path}, line {start + 1}: the file does not end with a line break, so a last value cut "
                      "off by an interrupted copy or download cannot be ruled out; check this row, then end the "
                      "file with a line break", CutOffWarning, stacklevel=2)


def _header_and_last_row(lines: list[str], delimiter: str):
    """``(header cell count, first line index of the last row, line index after it, its cells)`` of a table's
    physical ``lines``, read as the readers read them (not strict); cells None when the header is the last row;
    None for a table without rows or one the csv module cannot read (the reader reports where)."""
    reader = csv.reader(lines, delimiter=delimiter)
    columns = last = None
    start = 0
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if columns is None:
                    columns, last = len(cells), (start, reader.line_num, None)
                else:
                    last = (start, reader.line_num, cells)
            start = reader.line_num
    except csv.Error:  # e.g. a cell over the csv module's size limit
        return None
    return None if last is None else (columns, *last)
