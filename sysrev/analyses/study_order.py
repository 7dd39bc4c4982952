"""A project analysis as one table of pooled rows, with each row's study placed in time.

Cumulative meta-analysis and trial sequential analysis of a project analysis (``sysrev meta cumulative
--analysis NAME``, ``sysrev meta tsa --analysis NAME``) need the rows the analysis pools and, for each, a
value to order it by: a column of ``analysis/extraction/studies.csv`` (``year``, or any other), looked up by
the study label (``entered``, the date a study entered a living review, is resolved by the caller with
:func:`sysrev.living.studies.entered_dates`, which falls back to the screening logs). ``year`` may also come from the
label itself ("Park 2013") when studies.csv has no such column, since that is how reviews label studies.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from sysrev.analyses.assemble import assemble
from sysrev.analyses.spec import AnalysisSpec, load_analyses
from sysrev.errors import SysrevError
from sysrev.extraction.table import STUDIES_FILE, load_extraction
from sysrev.hand_tables import read_table

_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")


def analysis_rows(project, name: str) -> tuple[AnalysisSpec, pd.DataFrame]:
    """The analysis ``name`` and the engine input rows it can pool now (column ``_study``: the study label)."""
    specs = {spec.name: spec for spec in load_analyses(project)}
    if name not in specs:
        raise SysrevError(f"no analysis named '{name}' in {project.analyses_path} "
                          f"(defined: {', '.join(specs)})")  # load_analyses has refused a file with none
    spec = specs[name]
    data = assemble(spec, load_extraction(project))
    if not data.complete:
        raise SysrevError(f"analysis '{name}' has no complete comparison to pool yet (`sysrev meta run {name}` "
                          "lists the missing cells)")
    frame = pd.DataFrame([{k: v for k, v in row.items() if not k.startswith("_") or k == "_study"}
                          for row in data.complete])
    return spec, frame


def _studies_table(project) -> tuple[list[str], dict[str, dict]]:
    path = project.extraction_dir / STUDIES_FILE
    if not path.is_file():
        return [], {}
    reader = csv.DictReader(io.StringIO(read_table(path), newline=""))  # refuses a file cut off mid-row
    rows = {(row.get("study") or "").strip(): row for row in reader}
    return list(reader.fieldnames or []), rows


def order_values(project, studies, column: str) -> list:
    """One order value per study label, from studies.csv's ``column`` (or, for ``year``, from the label)."""
    columns, table = _studies_table(project)
    path = project.extraction_dir / STUDIES_FILE
    if column in columns:
        values = []
        for study in studies:
            value = (table.get(study) or {}).get(column, "").strip()
            if not value:
                raise SysrevError(f"{path}: study '{study}' has no value in column '{column}' to order it by")
            values.append(value)
        return values
    if column == "year":
        values = []
        for study in studies:
            found = _YEAR.findall(study)
            if not found:
                raise SysrevError(f"study '{study}' has no year in its label and {path} has no 'year' column; "
                                  "add a 'year' column to studies.csv")
            values.append(found[-1])
        return values
    raise SysrevError(f"{path} has no column '{column}' to order the studies by "
                      f"(columns: {', '.join(columns) or 'none, or the file is missing'})")
