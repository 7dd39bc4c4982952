"""GRADE: proposed certainty ratings with their reasons, the team's final ratings, and the Summary of findings
table (docs/grade.md)."""

from sysrev.grade.run import evidence_for, grade_project

__all__ = ["evidence_for", "grade_project"]
