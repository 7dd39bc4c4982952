"""A paper's tables as a reviewer reads them: aligned text for the terminal, CSV files for a spreadsheet.

Body rows are numbered from 1 and columns too, so ``sysrev extract from-table`` can name a cell by those
numbers when a row label or a header repeats.
"""

from __future__ import annotations

import csv
import io
import shutil
import textwrap

from sysrev.fulltext.jats import Table

MAX_CELL = 28  # characters of a cell shown on one line before it is cut with "…"


def format_table(table: Table, width: int | None = None) -> str:
    """``table`` as aligned text: label and caption, the header path per column, numbered rows, footnotes."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    names = table.column_names()
    rows = [["#", *[_cut(n) for n in names]]]
    rows.append(["", *[str(i) for i in range(1, len(names) + 1)]])
    for number, row in enumerate(table.body, start=1):
        rows.append([str(number), *[_cut(row[c] if c < len(row) else "") for c in range(len(names))]])
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = [textwrap.fill(f"{table.label}. {table.caption}".strip(), width=width)]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if index == 1:
            lines.append("  ".join("-" * w for w in widths))
    for note in table.footnotes:
        lines.append(textwrap.fill(note, width=width, initial_indent="  ", subsequent_indent="  "))
    return "\n".join(lines)


def table_csv(table: Table) -> str:
    """``table`` as CSV: header rows first (spans repeated), then the body rows; footnotes are not cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    width = table.width
    for row in table.header + table.body:
        writer.writerow([_neutralise(c) for c in row] + [""] * (width - len(row)))
    return buffer.getvalue()


def csv_name(table: Table) -> str:
    """A file name for the table: its label folded to letters and digits (``Table 2`` → ``table-2.csv``)."""
    stem = "-".join("".join(ch if ch.isalnum() else " " for ch in table.label.lower()).split())
    return f"{stem or 'table'}-{table.number:02d}.csv" if not stem.startswith("table") else f"{stem}.csv"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` then a non-number) is quoted."""
    if cell[:1] in ("=", "+", "-", "@") and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(text: str) -> bool:
    try:
        float(text.replace("−", "-"))
    except ValueError:
        return False
    return True
