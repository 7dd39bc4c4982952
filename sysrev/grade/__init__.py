"""GRADE: proposed certainty ratings with their reasons, the team's final ratings, and the Summary of findings
table (docs/grade.md)."""

from sysrev.lazy_exports import lazy_exports

# Loaded on first use (PEP 562): `sysrev check` reads GRADE files (sysrev.grade.files) without loading the
# analysis engine that proposing ratings needs.
_EXPORTS = {"evidence_for": "run", "grade_project": "run"}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
