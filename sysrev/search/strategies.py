"""Search strategies: the project's ``searches/<name>.toml`` files (contract, ../shared/DESIGN.md §3).

A strategy names its database and holds the query exactly as submitted::

    name = "pubmed"                 # optional; default: the file's stem
    database = "pubmed"             # pubmed | scopus | file
    query = '''(...)'''
    datetype = "pdat"               # PubMed only: pdat (publication) or edat (entry) date
    mindate = "2000"                # optional: YYYY, YYYY-MM or YYYY-MM-DD (Scopus: the year counts)
    maxdate = "2023-04-30"
    file = "searches/exports/central.ris"   # database = "file" only: an export imported by `sysrev import`
    draft = true                    # the query is still `sysrev init`'s starting point: never sent

``description``, ``source`` and ``reconstruction`` are kept for people and ignored here; any other key is an
error (the schema in :mod:`sysrev.config_schema`).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sysrev.config_schema import ensure_valid
from sysrev.errors import InputError, SysrevError
from sysrev.project import load_toml
from sysrev.search.dates import EARLIEST, DateWindow, default_maxdate, parse_date

DATABASES = ("pubmed", "scopus", "file")


@dataclass(frozen=True)
class Strategy:
    name: str
    database: str
    query: str
    path: Path
    datetype: str = "pdat"
    mindate: str | None = None
    maxdate: str | None = None
    file: str | None = None
    draft: bool = False  # the query is still the starting point `sysrev init` wrote: never sent to a database

    def draft_message(self) -> str:
        """Why a draft strategy is not run, and what to do."""
        return (f"{self.path}: the query is still the starting point `sysrev init` built (draft = true); write "
                "the real search strategy, then delete the 'draft' line")

    def query_warnings(self) -> list[str]:
        """What in the query the database will not read as written (curly quotes, open brackets …; see
        :mod:`sysrev.search.query_lint`), each naming this file; none for a draft or an imported file."""
        if self.draft or self.database not in ("pubmed", "scopus"):
            return []
        from sysrev.search.query_lint import query_warnings

        return [f"{self.path}: the query: {warning}" for warning in query_warnings(self.query, self.database)]

    def pubmed_window(self, today: date) -> DateWindow | None:
        """The PubMed date window, or None when the strategy sets no dates."""
        if not self.mindate and not self.maxdate:
            return None
        lo = parse_date(self.mindate, what=f"mindate in {self.path}") if self.mindate else EARLIEST
        hi = parse_date(self.maxdate, end=True, what=f"maxdate in {self.path}") if self.maxdate \
            else default_maxdate(today)
        if lo > hi:  # a date left out is named by the value it takes, not as None
            mindate = self.mindate or f"{lo.isoformat()} (the default)"
            maxdate = self.maxdate or f"{hi.isoformat()} (the default: two years ahead)"
            raise InputError(f"mindate {mindate} is after maxdate {maxdate}", path=self.path)
        return DateWindow(lo, hi, self.datetype)

    def scopus_years(self, today: date) -> tuple[int, int] | None:
        """The Scopus publication-year range, or None when the strategy sets no dates."""
        window = self.pubmed_window(today)
        return None if window is None else (window.mindate.year, window.maxdate.year)


def load_strategy(path) -> Strategy:
    """Read and check one strategy file; errors name the file and the key."""
    path = Path(path)
    data = load_toml(path)
    ensure_valid("search strategy", path, data)  # every key's type and allowed values (config_schema)
    name = data.get("name", path.stem)
    database = data["database"]
    query = data.get("query", "")
    if database != "file" and not query.strip():
        raise InputError("key 'query' is missing or empty", path=path)
    datetype = data.get("datetype", "pdat")
    strategy = Strategy(name=name, database=database, query=query.strip(), path=path, datetype=datetype,
                        mindate=data.get("mindate"), maxdate=data.get("maxdate"), file=data.get("file"),
                        draft=data.get("draft", False))
    if database != "file":
        strategy.pubmed_window(date.today())  # check the dates now, not halfway through a run
    return strategy


def load_strategies(searches_dir, names=()) -> list[Strategy]:
    """The strategies in ``searches_dir`` (all, or those called ``names``, in that order)."""
    searches_dir = Path(searches_dir)
    found = [load_strategy(p) for p in sorted(searches_dir.glob("*.toml"))]
    if not names:
        if not found:
            raise SysrevError(f"no search strategies (*.toml) in {searches_dir}")
        return found
    by_name = {s.name: s for s in found}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SysrevError(f"no search strategy named {', '.join(missing)} in {searches_dir} "
                          f"(available: {', '.join(sorted(by_name)) or 'none'})")
    return [by_name[n] for n in names]
