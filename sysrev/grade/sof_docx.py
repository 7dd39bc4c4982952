"""The Summary of findings table as a Word document (python-docx), for review manuscripts."""

from __future__ import annotations

import io

from sysrev.grade.sof import HEADERS, SofTable, footnote_label


def to_docx(table: SofTable) -> bytes:
    """A landscape .docx with the title, the setting, the table and its footnotes."""
    from docx import Document  # imported here: only `sysrev sof --out x.docx` needs it
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.styles["Normal"].font.size = Pt(9)
    doc.add_heading(f"Summary of findings: {table.title}", level=1)
    for label, value in (("Patient or population", table.population), ("Intervention", table.intervention),
                         ("Comparison", table.comparator)):
        if value:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    grid = doc.add_table(rows=1, cols=len(HEADERS))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, HEADERS):
        cell.text = ""
        cell.paragraphs[0].add_run(header).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        values = [row.outcome, row.comparator, row.intervention, row.difference, row.relative, row.participants,
                  row.certainty_text, row.statement]
        for cell, value in zip(cells, values):
            cell.text = value
        if row.notes:
            cells[6].paragraphs[0].add_run(" " + ",".join(row.notes)).font.superscript = True
    for i, note in enumerate(table.footnotes):
        doc.add_paragraph(f"{footnote_label(i)}. {note}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
