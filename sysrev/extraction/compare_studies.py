"""Double extraction of study characteristics: two extractors' ``studies.csv`` compared cell by cell.

Rows are matched on ``study`` (a discrepancy's key is ``(study, "", "", "", "")``, so one report lists
characteristics and outcome rows alike). A cell that reads as a number in both files (n randomised, n analysed, …) is
compared as a number; when the two differ it is left EMPTY in the consensus and the row's ``note`` gets the
same ``[DISAGREEMENT]`` marker as outcome rows, so ``sysrev extract check`` reports it until a human enters
the agreed value. Differing text (country, population, …) is kept side by side, labelled with the extractor,
and listed as a discrepancy. A study only one extractor has is kept with that extractor's cells and a marker.
Column names and types are checked later, against the form, by ``sysrev extract check``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sysrev.extraction.discrepancy import MARKER, Discrepancy, ExtractionComparison
from sysrev.extraction.form import read_study_csv
from sysrev.fileio import atomic_write_text


def read_study_rows(path) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The header and ``{study: {column: cell}}`` of a studies.csv, without type checks (errors name the line);
    runs of whitespace inside a cell count as one space, so re-wrapped text is no discrepancy."""
    header, rows = read_study_csv(path)
    return header, {row["study"]: {name: " ".join(cell.split()) for name, cell in row.items()} for _, row in rows}


def _key(study: str) -> tuple:
    return (study, "", "", "", "")


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def compare_studies(path_a, path_b, name_a: str = "A", name_b: str = "B") -> tuple[ExtractionComparison, list[str]]:
    """Compare two studies.csv files; return the comparison (its ``consensus`` rows filled) and the header
    of the consensus file (both headers' columns, with ``note`` added for the markers)."""
    header_a, rows_a = read_study_rows(path_a) if path_a else ([], {})
    header_b, rows_b = read_study_rows(path_b) if path_b else ([], {})
    header = list(dict.fromkeys([*header_a, *header_b, "note"]))
    if "study" not in header:
        header.insert(0, "study")
    result = ExtractionComparison(name_a, name_b)
    for study in list(rows_a) + [s for s in rows_b if s not in rows_a]:
        a, b = rows_a.get(study), rows_b.get(study)
        out = {"study": study}
        markers = []
        if a is None or b is None:
            present, name = (a, name_a) if a is not None else (b, name_b)
            out |= present
            markers.append(f"study extracted by {name} only")
            result.discrepancies.append(Discrepancy(_key(study), "(row)", "present" if a else "missing",
                                                    "present" if b else "missing"))
        else:
            for column in header:
                if column in ("study", "note"):
                    continue
                va, vb = a.get(column, ""), b.get(column, "")
                if not va and not vb:
                    continue
                result.cells_compared += 1
                na, nb = _number(va), _number(vb)
                if (na is not None and nb is not None and na == nb) or va == vb:
                    result.cells_agreed += 1
                    out[column] = va
                elif na is not None or nb is not None:  # a count or number: a human decides
                    markers.append(f"{column}: {name_a}={va or '(empty)'}, {name_b}={vb or '(empty)'}")
                    result.discrepancies.append(Discrepancy(_key(study), column, va, vb))
                elif not va or not vb:
                    out[column] = va or vb
                    result.discrepancies.append(Discrepancy(_key(study), column, va, vb))
                else:
                    out[column] = f"{name_a}: {va} | {name_b}: {vb}"
                    result.discrepancies.append(Discrepancy(_key(study), column, va, vb))
            note_a, note_b = a.get("note", ""), b.get("note", "")
            out["note"] = note_a if note_a == note_b or not note_b else (
                note_b if not note_a else f"{name_a}: {note_a} | {name_b}: {note_b}")
        if markers:
            out["note"] = " ".join(filter(None, [f"{MARKER} " + "; ".join(markers) + ".", out.get("note", "")]))
        result.consensus.append({c: out.get(c, "") for c in header})
    return result, header


def write_studies(path, header: list[str], rows: list[dict]) -> Path:
    """Write a studies.csv atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return atomic_write_text(path, buf.getvalue())
