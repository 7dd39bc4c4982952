"""What a double-extraction comparison produces: the disagreement marker, each discrepancy, the comparison.

Shared by the comparison of outcome files (:mod:`sysrev.extraction.compare`) and of study characteristics
(:mod:`sysrev.extraction.compare_studies`), so both write the same marker and one discrepancy report.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sysrev.extraction.table import KEY_COLUMNS

# Written into a consensus row's note where the extractors disagree; `sysrev extract check` reports it.
MARKER = "[DISAGREEMENT]"


@dataclass(frozen=True)
class Discrepancy:
    """One cell (or a whole row, column "(row)") on which the extractors differ: their values a and b."""

    key: tuple
    column: str
    a: str
    b: str


@dataclass
class ExtractionComparison:
    """One file pair compared: the discrepancies, the agreement counts and the consensus rows (CSV cells)."""

    name_a: str
    name_b: str
    discrepancies: list[Discrepancy] = field(default_factory=list)
    cells_compared: int = 0
    cells_agreed: int = 0
    consensus: list[dict] = field(default_factory=list)

    @property
    def agreement(self) -> float | None:
        return self.cells_agreed / self.cells_compared if self.cells_compared else None

    def report_csv(self) -> str:
        """The discrepancies as CSV: key columns (study, outcome, item, timepoint, arm), column, A, B."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([*KEY_COLUMNS, "column", self.name_a, self.name_b])
        for d in self.discrepancies:
            writer.writerow([*d.key, d.column, d.a, d.b])
        return buf.getvalue()
