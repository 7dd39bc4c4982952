"""Double extraction: two extractors' files compared cell by cell, a discrepancy report, a consensus file.

Outcome files are compared here; ``studies.csv`` (study characteristics) by
:mod:`sysrev.extraction.compare_studies`, with the same marker and report.

Rows are matched on (study, outcome, item, timepoint, arm). In the consensus, every cell both extractors
agree on is copied. A numeric cell (n, mean, sd, events) or the scale on which they disagree is left EMPTY
and the row's note gets a ``[DISAGREEMENT]`` marker naming both values, which ``sysrev extract check``
reports as an error until a human resolves it — nothing is chosen silently. Free-text provenance cells
(source, source_url, raw, method, note) that differ are kept side by side, labelled with the extractor.
"""

from __future__ import annotations

from pathlib import Path

from sysrev.errors import SysrevError
from sysrev.extraction.compare_studies import compare_studies, write_studies
from sysrev.extraction.discrepancy import MARKER, Discrepancy, ExtractionComparison
from sysrev.extraction.table import (
    COLUMNS,
    KEY_COLUMNS,
    NUMERIC_COLUMNS,
    STUDIES_FILE,
    OutcomeRow,
    extraction_files,
    format_number,
    read_outcome_rows,
    write_outcome_rows,
)
from sysrev.fileio import atomic_write_text

DECISIVE = (*NUMERIC_COLUMNS, "scale")
TEXT_COLUMNS = ("source", "source_url", "raw", "method", "note")


def _cell(row: OutcomeRow | None, column: str) -> str:
    if row is None:
        return ""
    value = getattr(row, column)
    return format_number(value) if column in NUMERIC_COLUMNS else " ".join(value.split())


def _same(column: str, a: str, b: str) -> bool:
    if column in NUMERIC_COLUMNS and a and b:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    return a == b


def compare_rows(rows_a: list[OutcomeRow], rows_b: list[OutcomeRow], name_a="A", name_b="B") -> ExtractionComparison:
    """Compare two extractors' rows; fill the comparison's consensus rows (dicts of CSV cells)."""
    result = ExtractionComparison(name_a, name_b)
    index_a = {r.key: r for r in rows_a}
    index_b = {r.key: r for r in rows_b}
    keys = list(index_a) + [k for k in index_b if k not in index_a]
    for key in keys:
        a, b = index_a.get(key), index_b.get(key)
        out = dict(zip(KEY_COLUMNS, key))
        markers = []
        if a is None or b is None:
            present, name = (a, name_a) if a is not None else (b, name_b)
            values = ", ".join(f"{c}={_cell(present, c)}" for c in DECISIVE if _cell(present, c))
            markers.append(f"row extracted by {name} only ({values or 'no values'})")
            result.discrepancies.append(Discrepancy(key, "(row)", "present" if a else "missing",
                                                    "present" if b else "missing"))
            for column in TEXT_COLUMNS:
                out[column] = _cell(present, column)
        else:
            for column in DECISIVE:
                va, vb = _cell(a, column), _cell(b, column)
                if not va and not vb:
                    out[column] = ""
                    continue
                result.cells_compared += 1
                if _same(column, va, vb):
                    result.cells_agreed += 1
                    out[column] = va
                else:
                    out[column] = ""
                    markers.append(f"{column}: {name_a}={va or '(empty)'}, {name_b}={vb or '(empty)'}")
                    result.discrepancies.append(Discrepancy(key, column, va, vb))
            for column in TEXT_COLUMNS:
                va, vb = _cell(a, column), _cell(b, column)
                if va == vb or not vb:
                    out[column] = va
                elif not va:
                    out[column] = vb
                else:
                    out[column] = f"{name_a}: {va} | {name_b}: {vb}"
                    if column != "note":
                        result.discrepancies.append(Discrepancy(key, column, va, vb))
        if markers:
            out["note"] = " ".join(filter(None, [f"{MARKER} " + "; ".join(markers) + ".", out.get("note", "")]))
        result.consensus.append({c: out.get(c, "") for c in COLUMNS})
    return result


def compare_paths(a, b, out=None, report=None) -> list[tuple[str, ExtractionComparison]]:
    """Compare two files, or two extractor folders paired by file name (outcome files and studies.csv);
    write consensus file(s) to ``out`` (a file, or a folder when comparing folders) and the discrepancy
    report CSV to ``report``."""
    a, b = Path(a), Path(b)
    if a.is_dir() != b.is_dir():
        raise SysrevError(f"compare two files or two folders, not a file and a folder ({a}, {b})")
    if a.is_dir():
        files_a = {p.name: p for p in [*extraction_files(a), a / STUDIES_FILE] if p.is_file()}
        files_b = {p.name: p for p in [*extraction_files(b), b / STUDIES_FILE] if p.is_file()}
        names = sorted(set(files_a) | set(files_b))
        if not names:
            raise SysrevError(f"no extraction files in {a} or {b}")
        pairs = [(n, files_a.get(n), files_b.get(n)) for n in names]
    else:
        if (a.name == STUDIES_FILE) != (b.name == STUDIES_FILE):
            raise SysrevError(f"compare {STUDIES_FILE} with {STUDIES_FILE} and outcome files with outcome files "
                              f"({a}, {b})")
        pairs = [(a.name, a, b)]
    name_a, name_b = _extractor_name(a), _extractor_name(b)
    if name_a == name_b:
        name_a, name_b = f"{name_a} (A)", f"{name_b} (B)"
    results, headers = [], {}
    for name, pa, pb in pairs:
        if name == STUDIES_FILE:
            comparison, headers[name] = compare_studies(pa, pb, name_a, name_b)
        else:
            rows_a = read_outcome_rows(pa) if pa else []
            rows_b = read_outcome_rows(pb) if pb else []
            comparison = compare_rows(rows_a, rows_b, name_a, name_b)
        results.append((name, comparison))
    if out is not None:
        out = Path(out)
        for name, comparison in results:
            target = out / name if (a.is_dir() or out.is_dir()) else out
            if name == STUDIES_FILE:
                write_studies(target, headers[name], comparison.consensus)
            else:
                write_outcome_rows(target, comparison.consensus)
    if report is not None:
        text = "".join(c.report_csv().split("\n", 1)[1] if i else c.report_csv() for i, (_, c) in enumerate(results))
        atomic_write_text(report, text)
    return results


def _extractor_name(path: Path) -> str:
    """The extractor's name: the folder under extractors/ (``extractors/<name>/pain.csv`` → name)."""
    folder = path if path.is_dir() else path.parent
    return folder.name or str(path)
