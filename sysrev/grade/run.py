"""`sysrev grade`: propose or refresh every analysis's GRADE file, keeping the team's final ratings.

Each analysis is computed afresh from the extraction files (as ``sysrev meta run`` does, without writing
its results), so the proposals always describe today's evidence — the living review's update flows straight
into them, and a final rating whose proposal has moved since it was decided is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sysrev.analyses.run import run_analysis
from sysrev.analyses.spec import select_analyses
from sysrev.extraction.table import load_extraction
from sysrev.grade.evidence import Evidence, gather
from sysrev.grade.files import GradeFile, grade_path, read_grade_file, refresh, write_grade_file


@dataclass
class Graded:
    """One analysis after `sysrev grade`: its evidence, its GRADE file and whether the file changed."""

    evidence: Evidence
    grade: GradeFile
    path: Path
    changed: bool = False
    new: bool = False
    notes: list[str] = field(default_factory=list)


def _units(rows, outcome: str) -> str:
    scales = {row.scale for row in rows if row.outcome == outcome and getattr(row, "scale", "")}
    return scales.pop() if len(scales) == 1 else ""


def evidence_for(project, names=()) -> list[Evidence]:
    """Every analysis's (or those named) evidence and proposals, computed from the extraction files."""
    specs = select_analyses(project, names)
    rows = load_extraction(project)
    out = []
    for spec in specs:
        outcome = run_analysis(spec, rows)
        out.append(gather(project, spec, outcome.status, outcome.result, outcome.data.complete,
                          units=_units(rows, spec.outcome), missing_cells=outcome.data.missing_cell_count))
    return out


def grade_project(project, names=(), *, write: bool = True) -> list[Graded]:
    """Propose or refresh ``analysis/grade/<name>.toml`` for every analysis (or those named)."""
    graded = []
    for ev in evidence_for(project, names):
        path = grade_path(project, ev.name)
        old = read_grade_file(path) if path.is_file() else None
        grade = refresh(old, ev.name, ev.spec.title, ev.design, ev.inputs, ev.proposals)
        grade.path = path
        changed = write_grade_file(path, grade) if write else False
        graded.append(Graded(evidence=ev, grade=grade, path=path, changed=changed, new=old is None))
    return graded
