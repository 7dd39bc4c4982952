"""`sysrev search`: run PubMed and Scopus searches and save each run as a snapshot.

Thin layer: parses options, calls :mod:`sysrev.search`, prints a one-line summary per run and every gap.
The connectors (Biopython, requests) and the progress bar are imported when a search runs, so
``sysrev search --help`` stays fast (benchmarks/cli_help.py).
"""

import logging
import sys
from datetime import UTC, datetime

import click

from sysrev.cli.options import project_option
from sysrev.errors import SysrevError
from sysrev.project import load_project
from sysrev.search.config import load_config
from sysrev.search.dates import EARLIEST, DateWindow, default_maxdate, parse_date
from sysrev.search.defaults import DEFAULT_BATCH, DEFAULT_OVERLAP_DAYS
from sysrev.search.strategies import load_strategies
from sysrev.wording import counted

EXIT_GAPS = 1


class _TqdmHandler(logging.Handler):
    """Log warnings (retries, history re-runs) to stderr without breaking a progress bar."""

    def emit(self, record):
        from tqdm import tqdm

        tqdm.write(f"warning: {self.format(record)}", file=sys.stderr)


def _setup_logging():
    logger = logging.getLogger("sysrev.search")
    if not any(isinstance(h, _TqdmHandler) for h in logger.handlers):
        logger.addHandler(_TqdmHandler())
        logger.setLevel(logging.WARNING)
        logger.propagate = False


@click.group("search")
def search():
    """Search PubMed and Scopus; every run is saved as a snapshot (manifest.json + records.jsonl)."""
    _setup_logging()


_OUT_HELP = "Folder for the snapshot (default: the project's searches/runs/)."
_MINDATE_HELP = "Earliest date: YYYY, YYYY-MM or YYYY-MM-DD"
_MAXDATE_HELP = "Latest date: YYYY, YYYY-MM or YYYY-MM-DD"


def _runs_dir(out_dir, project_dir) -> str:
    """``--out`` when given, else the runs folder of the project (``--project`` or the one around here)."""
    if out_dir:
        return out_dir
    return str(load_project(project_dir).runs_dir)


def _window(mindate, maxdate, datetype, today) -> DateWindow | None:
    """The date window of ``--mindate``/``--maxdate`` (None when neither is given)."""
    if not (mindate or maxdate):
        return None
    lo = parse_date(mindate, what="--mindate") if mindate else EARLIEST
    hi = parse_date(maxdate, end=True, what="--maxdate") if maxdate else default_maxdate(today)
    if lo > hi:
        raise SysrevError(f"--mindate {mindate} is after --maxdate {maxdate}")
    return DateWindow(lo, hi, datetype)


@search.command("pubmed")
@click.option("--query", required=True, help="PubMed query, exactly as you would type it in PubMed.")
@click.option("--mindate", help=_MINDATE_HELP + ".")
@click.option("--maxdate", help=_MAXDATE_HELP + ".")
@click.option("--datetype", type=click.Choice(["pdat", "edat"]), default="pdat", show_default=True,
              help="Date field of --mindate/--maxdate: publication (pdat) or entry (edat) date.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help=_OUT_HELP)
@click.option("--name", default="pubmed", show_default=True, help="Name of the run (snapshot folder suffix).")
@click.option("--batch-size", type=click.IntRange(1), default=DEFAULT_BATCH, show_default=True,
              help="Records per request (EFetch).")
@click.option("--resume", is_flag=True, help="Continue an interrupted run saved in the same folder.")
@project_option
def pubmed_command(query, mindate, maxdate, datetype, out_dir, name, batch_size, resume, project_dir):
    """Search PubMed (NCBI E-utilities) and save every record found."""
    from sysrev.search.pubmed import search_pubmed

    today = datetime.now(UTC).date()
    window = _window(mindate, maxdate, datetype, today)
    out_dir = _runs_dir(out_dir, project_dir)
    _interruptible(lambda progress: search_pubmed(
        query, out_dir=out_dir, name=name, window=window, batch_size=batch_size, resume=resume,
        progress=progress, today=today), f"PubMed {name}", out_dir)


@search.command("scopus")
@click.option("--query", required=True, help="Scopus advanced-search query, e.g. TITLE-ABS-KEY(...).")
@click.option("--mindate", help=_MINDATE_HELP + " (Scopus filters by publication year: the year counts).")
@click.option("--maxdate", help=_MAXDATE_HELP + " (the year counts).")
@click.option("--first-year", type=int, hidden=True, help="Deprecated alias of --mindate YYYY.")
@click.option("--last-year", type=int, hidden=True, help="Deprecated alias of --maxdate YYYY.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help=_OUT_HELP)
@click.option("--name", default="scopus", show_default=True, help="Name of the run (snapshot folder suffix).")
@click.option("--batch-size", type=click.IntRange(1), default=None,
              help="Records per request (at most 200 with the STANDARD view, 25 with COMPLETE; default: the most).")
@click.option("--view", type=click.Choice(["STANDARD", "COMPLETE"]), default="STANDARD", show_default=True,
              help="COMPLETE (subscribers) adds abstracts and all authors.")
@click.option("--resume", is_flag=True, help="Continue an interrupted run saved in the same folder.")
@project_option
def scopus_command(query, mindate, maxdate, first_year, last_year, out_dir, name, batch_size, view, resume,
                   project_dir):
    """Search Scopus (Elsevier Search API) and save every record found."""
    from sysrev.search.scopus import PAGE_SIZE, ScopusAPI, search_scopus

    today = datetime.now(UTC).date()
    mindate = _deprecated_year("--first-year", first_year, "--mindate", mindate)
    maxdate = _deprecated_year("--last-year", last_year, "--maxdate", maxdate)
    window = _window(mindate, maxdate, "pdat", today)
    years = None if window is None else (window.mindate.year, window.maxdate.year)
    limit = PAGE_SIZE[view]
    if batch_size is not None and batch_size > limit:
        raise SysrevError(f"--batch-size {batch_size}: the Scopus {view} view returns at most {limit} records "
                          "per request")
    out_dir = _runs_dir(out_dir, project_dir)
    api = ScopusAPI(load_config(), view=view, count=batch_size)
    _interruptible(lambda progress: search_scopus(
        query, out_dir=out_dir, name=name, years=years, resume=resume, api=api, progress=progress, today=today),
        f"Scopus {name}", out_dir)


@search.command("run")
@click.argument("names", nargs=-1)
@project_option
@click.option("--since", help="Living update: only records added since 'last' (the previous run) or a date "
                              "YYYY-MM-DD, less --overlap days; the previous run's gaps are fetched again.")
@click.option("--overlap", "overlap_days", default=DEFAULT_OVERLAP_DAYS, show_default=True,
              help="Days of overlap with --since.")
@click.option("--resume", is_flag=True, help="Continue interrupted runs.")
def run_command(names, project_dir, since, overlap_days, resume):
    """Run the project's search strategies (searches/*.toml; all, or those NAMES)."""
    from sysrev.search.runner import changes_since_previous, run_strategy

    project = load_project(project_dir)
    strategies = load_strategies(project.searches_dir, names)
    config = load_config()
    any_gaps, failed = False, []
    for strategy in strategies:
        if strategy.database == "file":
            where = f" {strategy.file}" if strategy.file else ""
            click.echo(f"{strategy.name}: skipped; database = \"file\" strategies come in by "
                       f"`sysrev import{where} --source {strategy.name}`")
            continue
        for warning in strategy.query_warnings():  # sent as written: the strategy is the record of the search
            click.echo(f"warning: {warning}", err=True)
        try:
            outcome = _interruptible(lambda progress, s=strategy: run_strategy(
                s, project.runs_dir, since=since, overlap_days=overlap_days, resume=resume, config=config,
                progress=progress), f"{strategy.database} {strategy.name}", project.runs_dir, exit_on_gaps=False)
        except SysrevError as exc:  # one failing database does not stop the others
            click.echo(f"error: {strategy.name}: {exc}", err=True)
            failed.append(strategy.name)
            continue
        any_gaps = any_gaps or bool(outcome.gaps)
        changes = changes_since_previous(project.runs_dir, outcome.snapshot, strategy)
        if changes:
            gone = "" if changes["gone"] is None else f", {changes['gone']} no longer found"
            click.echo(f"  compared with {changes['previous']}: {changes['new']} new{gone}")
    if failed:
        raise SysrevError(f"{counted(len(failed), 'search', 'searches')} failed: {', '.join(failed)} (see above)")
    if any_gaps:
        sys.exit(EXIT_GAPS)


def _deprecated_year(old: str, year, new: str, value):
    """A year given with a deprecated option, as the value of its replacement (saved scripts keep working)."""
    if year is None:
        return value
    if value:
        raise click.UsageError(f"give {new} only ({old} is its deprecated alias)")
    click.echo(f"warning: {old} is deprecated; use {new} {year} (the same option name as `search pubmed`)",
               err=True)
    return str(year)


def _interruptible(run, label, out_dir, exit_on_gaps=True):
    """Run with a progress bar; report the outcome; on Ctrl-C say how to resume."""
    from sysrev.search.progress import Progress

    progress = Progress(label)
    try:
        outcome = run(progress)
    except KeyboardInterrupt:
        progress.close()
        click.echo(f"\ninterrupted: the records fetched so far are saved in {out_dir}; run the same command "
                   "with --resume to continue", err=True)
        sys.exit(130)
    finally:
        progress.close()
    _report(label, outcome)
    if exit_on_gaps and outcome.gaps:
        sys.exit(EXIT_GAPS)
    return outcome


def _report(label, outcome):
    reported = "?" if outcome.reported is None else outcome.reported
    click.echo(f"{label}: {reported} reported, {outcome.retrieved} retrieved → {outcome.snapshot}")
    for warning in outcome.warnings:
        click.echo(f"  note: {warning}", err=True)
    for gap in outcome.gaps:
        click.echo(f"  gap ({gap['kind']}): {gap.get('detail', '')}", err=True)
    if outcome.gaps:
        click.echo(f"  {counted(len(outcome.gaps), 'gap')} recorded in the manifest; the next run fetches them again",
                   err=True)
