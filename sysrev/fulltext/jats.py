"""Tables of a JATS article (PubMed Central / Europe PMC full-text XML) as plain grids of text.

JATS (ANSI/NISO Z39.96, the Journal Article Tag Suite) keeps each table in a ``<table-wrap>`` with its
``<label>`` ("Table 2"), ``<caption>``, an XHTML-style ``<table>`` (``<thead>``/``<tbody>``, ``<tr>``,
``<th>``/``<td>`` with ``rowspan``/``colspan``) and footnotes in ``<table-wrap-foot>``. A spanning cell is
copied into every grid position it covers, so each body cell can be named by its row label and the full
path of its column headers ("Ultrasound / Mean"), the way a reviewer reads the printed table.

Parsing goes through defusedxml: a document that declares entities is refused, never expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sysrev.errors import InputError
from sysrev.formats.safexml import as_expat_input

# A cell that holds one number (a footnote marker "[c]" set apart by the reader allowed).
_NUMBER_CELL = re.compile(r"^\s*[-+−]?\d+(?:\.\d+)?\s*%?\s*(?:\[[^\]]*\])?\s*$")
# Longest span honoured: a colspan of 10,000 in a damaged file must not build a 10,000-column grid.
MAX_SPAN = 200


@dataclass
class Table:
    """One table of a paper: its number as printed, caption, header rows, body rows and footnotes."""

    number: int  # position among the paper's tables, from 1
    label: str  # as printed, e.g. "Table 2"; "Table N" (by position) when the paper gives none, "Table N
    # (unlabelled)" when the paper prints a "Table N" of its own
    caption: str
    header: list[list[str]]  # header rows, spans expanded
    body: list[list[str]]  # body rows, spans expanded
    footnotes: list[str] = field(default_factory=list)
    table_id: str = ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.header + self.body), default=0)

    def column_names(self) -> list[str]:
        """Each column's header path, top to bottom, repeated span texts given once ("US / Mean")."""
        names = []
        for col in range(self.width):
            parts = []
            for row in self.header:
                text = row[col] if col < len(row) else ""
                if text and (not parts or parts[-1] != text):
                    parts.append(text)
            names.append(" / ".join(parts))
        return names

    def stub_width(self) -> int:
        """How many leading columns name the rows (no number in any body cell), at least one."""
        width = 0
        for col in range(self.width):
            if any(_NUMBER_CELL.match(row[col]) for row in self.body if col < len(row) and row[col]):
                break
            width += 1
        return max(1, width)

    def row_label(self, index: int) -> str:
        """How the paper names body row ``index`` (0-based): its stub cells, top to bottom, where a blank
        stub cell reads as the one above it (the way grouped rows are printed: "Goats / Sex / Male")."""
        parts = []
        for col in range(min(self.stub_width(), self.width)):
            text = ""
            for row in reversed(self.body[: index + 1]):
                text = row[col] if col < len(row) else ""
                if text or col == self.stub_width() - 1:
                    break
            if text:
                parts.append(text)
        return " / ".join(parts)


def parse_tables(data: bytes, *, path=None) -> list[Table]:
    """Every table of the JATS document ``data``, in document order."""
    root = _parse(data, path)
    tables, unlabelled = [], []
    for wrap in root.iter("table-wrap"):
        table_element = next(wrap.iter("table"), None)
        if table_element is None:  # a table given only as an image: nothing to read
            continue
        number = len(tables) + 1
        label = _text(wrap.find("label"))
        if not label:
            label = f"Table {number}"
            unlabelled.append(number - 1)
        caption = _blocks_text(wrap.find("caption"))
        header, body = _grid(table_element)
        foot = wrap.find("table-wrap-foot")
        footnotes = []
        if foot is not None:
            items = list(foot.iter("fn")) or list(foot.iter("p"))
            footnotes = [t for t in (_footnote_text(item) for item in items) if t]
        tables.append(Table(number, label, caption, header, body, footnotes, wrap.get("id", "")))
    # An unlabelled table (an inline one, say) named by its position must not take a printed table's name:
    # "Table 1" would find it instead of the paper's Table 1, and its CSV would overwrite that table's.
    printed = {_fold(t.label) for i, t in enumerate(tables) if i not in unlabelled}
    for i in unlabelled:
        if _fold(tables[i].label) in printed:
            tables[i].label = f"Table {tables[i].number} (unlabelled)"
    return tables


def read_tables(path) -> list[Table]:
    """The tables of the JATS file at ``path``."""
    path = Path(path)
    return parse_tables(path.read_bytes(), path=path)


def tree(data: bytes, path="full text") -> Element:
    """defusedxml's element tree of ``data``, read in the encoding the document declares: one expat cannot
    read itself (Shift_JIS, UTF-7 …) is decoded first, an unknown one is an :class:`InputError` (expat would
    raise ``LookupError`` or ``ValueError``, a traceback)."""
    return fromstring(as_expat_input(data, path=path))


def is_full_text(data: bytes) -> bool:
    """Whether a JATS document carries the article's body (PMC answers metadata only for closed articles)."""
    try:
        root = tree(data)
    except (ParseError, DefusedXmlException, ValueError, InputError):
        return False
    return next(root.iter("body"), None) is not None


def licence_of(data: bytes) -> str:
    """The licence a JATS document states (``<license>`` URL, type, or its text), or ''."""
    try:
        root = tree(data)
    except (ParseError, DefusedXmlException, ValueError, InputError):
        return ""
    for element in root.iter("license"):
        for name, value in element.attrib.items():
            if name.endswith("href") and value:
                return value
        if element.get("license-type"):
            return element.get("license-type")
        text = _text(element)
        if text:
            return text[:200]
    return ""


def find_table(tables: list[Table], wanted: str) -> Table:
    """The table named ``wanted``: its printed label ("Table 2"), its number ("2"), or its XML id."""
    key = _fold(wanted)
    for table in tables:
        if key in (_fold(table.label), table.table_id.lower()):
            return table
    digits = re.fullmatch(r"(?:table\s*)?(\d+)", key)
    if digits:
        by_label = [t for t in tables if re.fullmatch(rf"table\s*{digits.group(1)}\.?", _fold(t.label))]
        if len(by_label) == 1:
            return by_label[0]
        if not by_label and 1 <= int(digits.group(1)) <= len(tables):
            return tables[int(digits.group(1)) - 1]
    names = ", ".join(repr(t.label) for t in tables) or "none"
    raise InputError(f"no table {wanted!r} in this paper (tables: {names})")


def _parse(data: bytes, path) -> Element:
    try:
        return tree(data, path)
    except DefusedXmlException as exc:
        raise InputError(f"refused: the XML declares entities or external references ({type(exc).__name__})",
                         path=path) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(f"not well-formed XML ({exc})", path=path, line=line) from None


def _grid(table: Element) -> tuple[list[list[str]], list[list[str]]]:
    """Header and body rows with row/column spans expanded into every grid position they cover."""
    sections = [child for child in table.iter() if child.tag == "tr"]
    head_rows = set()
    for thead in table.iter("thead"):
        head_rows.update(id(tr) for tr in thead.iter("tr"))
    occupied: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(sections):
        col = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, col) in occupied:
                col += 1
            text = _cell_text(cell)
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied[(r + dr, col + dc)] = text
            col += colspan
    width = max((c for (_, c) in occupied), default=-1) + 1
    grid = [[occupied.get((r, c), "") for c in range(width)] for r in range(len(sections))]
    if head_rows:
        is_head = [id(tr) in head_rows for tr in sections]
    else:  # no <thead>: leading rows made only of <th> cells are the header
        is_head, leading = [], True
        for tr in sections:
            cells = [c for c in tr if c.tag in ("td", "th")]
            leading = leading and bool(cells) and all(c.tag == "th" for c in cells)
            is_head.append(leading)
    header = [row for row, head in zip(grid, is_head) if head]
    body = [row for row, head in zip(grid, is_head) if not head and any(row)]
    return header, body


def _span(value) -> int:
    try:
        return min(MAX_SPAN, max(1, int(str(value).strip())))
    except (TypeError, ValueError):
        return 1


def _text(element) -> str:
    """All text inside ``element`` (inline markup such as <italic>, <sup> and <xref> included), one line."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _blocks_text(element) -> str:
    """Text of an element made of blocks (a caption's <title> and <p>s), one space between blocks."""
    if element is None:
        return ""
    blocks = [_text(child) for child in element]
    return " ".join(b for b in blocks if b) if blocks else _text(element)


def _footnote_text(note: Element) -> str:
    """A footnote as printed: its label ("a"), a space, then its paragraphs."""
    label = _text(note.find("label")) if note.tag == "fn" else ""
    parts = [_text(child) for child in note if child.tag != "label"] if note.tag == "fn" else [_text(note)]
    return " ".join(p for p in [label, *parts] if p)


def _cell_text(cell: Element) -> str:
    """A cell's text with its footnote markers (``<xref ref-type="table-fn">``) set apart in brackets, so
    "39.1<xref>c</xref>" reads "39.1 [c]" and the number stays a number."""
    markers: list[str] = []

    def walk(element: Element) -> str:
        parts = [element.text or ""]
        for child in element:
            if child.tag == "xref" and child.get("ref-type") == "table-fn":
                marker = "".join(child.itertext()).strip()
                if marker:
                    markers.append(marker)
            else:
                parts.append(walk(child))
            parts.append(child.tail or "")
        return "".join(parts)

    text = " ".join(walk(cell).split())
    return f"{text} [{','.join(markers)}]".strip() if markers else text


def _fold(text: str) -> str:
    return " ".join(str(text).lower().split())
