"""Date windows of a search: parsing the user's dates, splitting a window in two, formatting for the APIs.

A window is inclusive at both ends and has day resolution, which is what PubMed's ``mindate``/``maxdate``
accept; Scopus filters by publication *year*, so its windows are split on whole years.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sysrev.errors import SysrevError

# PubMed's oldest citations are from the late 18th century; a window with no lower bound starts here.
EARLIEST = date(1780, 1, 1)
_DATE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2}))?(?:[-/.](\d{1,2}))?\s*$")


@dataclass(frozen=True)
class DateWindow:
    """``mindate``–``maxdate`` inclusive, on PubMed date field ``field`` (``pdat`` or ``edat``)."""

    mindate: date
    maxdate: date
    field: str = "pdat"

    def days(self) -> int:
        return (self.maxdate - self.mindate).days + 1

    def halves(self) -> tuple["DateWindow", "DateWindow"]:
        """Two windows that cover this one exactly, the first ending on the middle day."""
        if self.mindate >= self.maxdate:
            raise ValueError("a single day cannot be split")
        middle = self.mindate + timedelta(days=(self.days() - 1) // 2)
        return (DateWindow(self.mindate, middle, self.field),
                DateWindow(middle + timedelta(days=1), self.maxdate, self.field))

    def to_dict(self) -> dict:
        return {"field": self.field, "mindate": self.mindate.isoformat(), "maxdate": self.maxdate.isoformat()}

    @classmethod
    def from_dict(cls, data: dict) -> "DateWindow":
        return cls(date.fromisoformat(data["mindate"]), date.fromisoformat(data["maxdate"]), data["field"])

    def key(self) -> str:
        return f"{self.field}:{self.mindate.isoformat()}:{self.maxdate.isoformat()}"


def parse_date(text, *, end=False, what="date") -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``/`` also accepted) as a date; the period's last day if ``end``."""
    match = _DATE.match(str(text))
    if not match:
        raise SysrevError(f"invalid {what} {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            first = date(year, month, 1)  # checks the month: month 13 must not become January of next year
            if not end:
                return first
            following = date(year + month // 12, month % 12 + 1, 1)
            return following - timedelta(days=1)
        return date(year, month, day)
    except ValueError as exc:
        raise SysrevError(f"invalid {what} {text!r}: {exc}") from None


def default_maxdate(today: date) -> date:
    """The end of a window with no upper bound: two years ahead, since issues are dated in the future."""
    return date(today.year + 2, 12, 31)


def eutils_date(day: date) -> str:
    """A date as E-utilities writes it: ``YYYY/MM/DD``."""
    return day.strftime("%Y/%m/%d")
