"""Data extraction: consensus outcome tables, study characteristics, conversions, double extraction, checks.

The analysis reads :func:`sysrev.extraction.table.load_extraction`; see docs/extraction.md.
"""

from sysrev.extraction.table import OutcomeRow, load_extraction, read_outcome_rows

__all__ = ["OutcomeRow", "load_extraction", "read_outcome_rows"]
