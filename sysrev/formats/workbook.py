"""Excel exports read as the sheets they are: Embase's "Excel" (.xlsx) and Web of Science's "Excel" (.xls,
``savedrecs.xls``) hold the same columns as those databases' CSV exports, one record per row.

The first worksheet is turned into CSV text, one sheet row per line (a line break inside a cell, as in a long
abstract, becomes a space, so a warning's line number is the sheet's row number), and read by the CSV reader
(:mod:`sysrev.formats.csv_export`) with its column names and database layouts. Numbers Excel stored as numbers
come back as they were written (a year 2021, not 2021.0); dates as ``YYYY-MM-DD``. ``.xlsx`` is read with
openpyxl (which parses the workbook's XML with defusedxml), ``.xls`` with xlrd.
"""

import csv
import datetime
import io
import zipfile

from sysrev.errors import InputError

XLSX_SIGNATURE, XLS_SIGNATURE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


def workbook_kind(data: bytes) -> str | None:
    """``"xlsx"`` or ``"xls"`` when ``data`` is an Excel workbook, else None (a ZIP archive or Word file of
    the same container format is not one)."""
    if data.startswith(XLSX_SIGNATURE):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        return "xlsx" if "xl/workbook.xml" in names else None
    if data.startswith(XLS_SIGNATURE):
        import xlrd

        try:
            xlrd.open_workbook(file_contents=data, on_demand=True).release_resources()
        except Exception:  # a Word document, or a damaged file: not a workbook sysrev can read
            return None
        return "xls"
    return None


def workbook_as_csv(data: bytes, kind: str, *, path="file") -> str:
    """The first worksheet of the ``kind`` workbook ``data`` as CSV text; InputError when it cannot be read."""
    try:
        rows = _xlsx_rows(data) if kind == "xlsx" else _xls_rows(data)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in rows:
            cells = [_cell_text(value) for value in row]
            filled = len(cells)
            while filled and not cells[filled - 1]:
                filled -= 1
            # A row keeps the sheet's width (a record with its last cells empty is still a whole row); a line
            # above the header with one cell filled (Embase's search query) is written as that cell alone.
            writer.writerow(cells[:filled] if filled <= 1 else cells)
    except InputError:
        raise
    except Exception as exc:  # openpyxl and xlrd raise assorted errors on a damaged workbook
        raise InputError(f"this Excel workbook ({kind}) cannot be read: {exc}; open it in Excel and save the "
                         "sheet as CSV (UTF-8), or export from the database again", path=path) from None
    text = out.getvalue()
    if not text.strip():
        raise InputError(f"the first sheet of this Excel workbook ({kind}) is empty", path=path)
    return text


def _xlsx_rows(data: bytes):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def _xls_rows(data: bytes):
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True)
    sheet = book.sheet_by_index(0)
    for number in range(sheet.nrows):
        row = []
        for column, value in enumerate(sheet.row_values(number)):
            if sheet.cell_type(number, column) == xlrd.XL_CELL_DATE:
                value = xlrd.xldate_as_datetime(value, book.datemode)
            row.append(value)
        yield row


def _cell_text(value) -> str:
    """A cell's value as the text it shows: whole numbers without ``.0``, dates as ISO dates, one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).split("\n")).replace("\r", " ")
