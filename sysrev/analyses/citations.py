"""Which trial report a study label stands for, so that a reviewer knows which full text holds a missing cell.

The extraction labels studies briefly ("Park 2013"); the full reference is the ``citation`` column of
``analysis/extraction/studies.csv``. `sysrev meta run` shows it once per study with missing cells. Reading is
lenient on purpose: the citations only help a reader, and ``sysrev extract check`` is where studies.csv is
validated, so a project without the file (or the column) simply shows no citations. A file cut off is still
refused (:func:`sysrev.hand_tables.read_table`): it would show a citation cut short.
"""

from __future__ import annotations

import csv
import io

from sysrev.extraction.table import STUDIES_FILE
from sysrev.hand_tables import read_table


def load_citations(project) -> dict[str, str]:
    """``{study label: citation}`` from the project's studies.csv; {} when there is none."""
    path = project.extraction_dir / STUDIES_FILE
    if not path.is_file():
        return {}
    reader = csv.DictReader(io.StringIO(read_table(path), newline=""))
    if not reader.fieldnames or not {"study", "citation"} <= set(reader.fieldnames):
        return {}
    citations = {}
    for row in reader:
        study, citation = (row.get("study") or "").strip(), (row.get("citation") or "").strip()
        if study and citation:
            citations[study] = citation
    return citations
