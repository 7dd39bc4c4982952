"""Run a project's search strategy, as a full search or as a living update since the last run.

A living update (``since``) asks only for what is new: PubMed records entered since the last run's day
(less an overlap, so nothing entered on the boundary day is missed), Scopus records first loaded since
then. The gaps the previous run recorded are fetched again in the same run (PubMed re-runs the gaps'
date windows; a Scopus strategy whose last run had gaps is run in full instead), so a failure is never
carried forward silently.
"""

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sysrev.errors import SysrevError
from sysrev.search.defaults import DEFAULT_OVERLAP_DAYS
from sysrev.search.pubmed import search_pubmed
from sysrev.search.scopus import search_scopus
from sysrev.search.snapshot import MANIFEST, list_snapshots, read_snapshot
from sysrev.search.strategies import Strategy


def query_sha256(query: str | None) -> str:
    """SHA-256 (hex) of a strategy's query as submitted (surrounding whitespace ignored)."""
    return hashlib.sha256((query or "").strip().encode("utf-8")).hexdigest()


def strategy_identity(strategy: Strategy) -> dict:
    """What ties a snapshot to its strategy: name, database and the hash of the query (manifest key
    ``strategy``). A run of an edited query is a different search, not an update of the old one."""
    return {"name": strategy.name, "database": strategy.database, "query_sha256": query_sha256(strategy.query)}


def strategy_runs(runs_dir, strategy: Strategy) -> list[Path]:
    """The snapshots of ``strategy``, oldest first: same name, same database, same query hash.

    An imported export whose folder happens to carry the strategy's name (an NBIB file detected as
    ``pubmed``) is not a run of the PubMed strategy. Snapshots written before manifests carried ``strategy``
    match on database and query text; an import (database ``file``) matches a ``file`` strategy by name.
    """
    identity = strategy_identity(strategy)
    out = []
    for path in list_snapshots(runs_dir, strategy.name):
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("database") != strategy.database:
            continue
        if strategy.database == "file":
            out.append(path)
        elif isinstance(manifest.get("strategy"), dict):
            if manifest["strategy"] == identity:
                out.append(path)
        elif query_sha256(manifest.get("query")) == identity["query_sha256"]:
            out.append(path)
    return out


def resolve_since(since: str | None, runs_dir, strategy: Strategy, overlap_days: int) -> tuple[date | None, list]:
    """``(since day or None, gaps of the previous run)`` for ``--since last`` or ``--since YYYY-MM-DD``;
    "the previous run" is the last run of the same strategy (:func:`strategy_runs`)."""
    if since is None:
        return None, []
    name = strategy.name
    runs = strategy_runs(runs_dir, strategy)
    previous = runs[-1] if runs else None
    gaps = read_snapshot(previous)[0].get("gaps", []) if previous else []
    if since == "last":
        if previous is None:
            raise SysrevError(f"--since last: search {name!r} has no earlier run of this query in {runs_dir}; "
                              "run it once in full")
        created = read_snapshot(previous)[0]["created"]
        day = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).date()
    else:
        try:
            day = date.fromisoformat(since)
        except ValueError:
            raise SysrevError(f"--since must be 'last' or a date YYYY-MM-DD (found {since!r})") from None
    return day - timedelta(days=overlap_days), gaps


def run_strategy(strategy: Strategy, runs_dir, *, since=None, overlap_days=DEFAULT_OVERLAP_DAYS, resume=False,
                 config=None, progress=None, today=None):
    """Run one pubmed/scopus strategy into ``runs_dir``; return the :class:`RunOutcome`. A draft strategy is
    an error before any request: its records would stay in the review's history."""
    if strategy.draft:
        raise SysrevError(strategy.draft_message())
    today = today or datetime.now(UTC).date()
    since_day, previous_gaps = resolve_since(since, runs_dir, strategy, overlap_days)
    extra = {"strategy_file": strategy.path.name, "strategy": strategy_identity(strategy)}
    if since_day is not None:
        extra["overlap_days"] = overlap_days
    if strategy.database == "pubmed":
        return search_pubmed(strategy.query, out_dir=runs_dir, name=strategy.name,
                             window=strategy.pubmed_window(today), since=since_day, retry_gaps=previous_gaps,
                             resume=resume, config=config, progress=progress, extra=extra, today=today)
    if strategy.database == "scopus":
        if previous_gaps and since_day is not None:
            extra["full_run_because"] = "the previous run had gaps"
            since_day = None
        return search_scopus(strategy.query, out_dir=runs_dir, name=strategy.name,
                             years=strategy.scopus_years(today), since=since_day, resume=resume, config=config,
                             progress=progress, extra=extra, today=today)
    raise SysrevError(f"{strategy.path}: database {strategy.database!r} is not searched by sysrev search")


def changes_since_previous(runs_dir, snapshot, strategy: Strategy | None = None) -> dict | None:
    """How ``snapshot`` differs from the run of the same search before it: ``{"previous", "new", "gone"}``
    (``gone`` is None for a living update, which asks for new records only); None for a first run.
    With ``strategy``, only that strategy's runs count as earlier runs (:func:`strategy_runs`)."""
    snapshot = Path(snapshot)
    name = snapshot.name.partition("-")[2]
    candidates = strategy_runs(runs_dir, strategy) if strategy is not None else list_snapshots(runs_dir, name)
    earlier = [p for p in candidates if p.name < snapshot.name]
    if not earlier:
        return None
    manifest, records = read_snapshot(snapshot)
    previous = {r.source_id for r in read_snapshot(earlier[-1])[1]}
    current = {r.source_id for r in records}
    gone = None if manifest.get("since") else len(previous - current)
    return {"previous": earlier[-1].name, "new": len(current - previous), "gone": gone}
