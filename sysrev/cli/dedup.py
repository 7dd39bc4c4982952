"""`sysrev dedup`: deduplicate a project's search runs or a set of reference files; review uncertain pairs.

* ``sysrev dedup [--project DIR]`` – every snapshot in ``searches/runs/`` → ``records/records.jsonl``,
  ``records/dedup_summary.json`` (PRISMA counts) and ``records/dedup_queue.csv`` (uncertain pairs).
* ``sysrev dedup FILE... --clusters OUT.csv [--id-column COL] [--allow-truncated]`` – reference files in any
  supported format → ``record_id,cluster_id`` (one row per input record; records sharing a cluster_id are
  duplicates). A file cut off mid-record is refused unless ``--allow-truncated``.
* ``sysrev dedup review [--project DIR]`` – show each uncertain pair side by side and record the decision in
  ``records/dedup_decisions.csv``, which later runs honour.

The engine (rapidfuzz, numpy) is imported inside the commands that run it, so ``sysrev dedup --help`` stays
fast (benchmarks/cli_help.py).
"""

import csv
import getpass
import io
import re
import shutil
import textwrap

import click

from sysrev.cli.options import project_option
from sysrev.dedup.decisions import write_queue
from sysrev.errors import InputError
from sysrev.fileio import atomic_write_text, spreadsheet_safe
from sysrev.project import load_project
from sysrev.screening.keys import single_keys
from sysrev.wording import clause, counted

_CHOICES = {"s": "same", "d": "different", "r": "related"}
_SHOWN_WARNINGS = 10


_VALUE_OPTIONS = {"--project", "--clusters", "--id-column", "--uncertain", "--reviewer"}


class _DedupGroup(click.Group):
    """Runs deduplication unless an argument names a subcommand (``review``), wherever options put it
    (``sysrev dedup --project DIR review`` works like ``sysrev dedup review --project DIR``)."""

    def parse_args(self, ctx, args):
        if args and args[0] in ("-h", "--help"):
            return super().parse_args(ctx, args)
        for i, arg in enumerate(args):
            if arg in self.commands and (i == 0 or args[i - 1] not in _VALUE_OPTIONS):
                return super().parse_args(ctx, [arg, *args[:i], *args[i + 1:]])
        return super().parse_args(ctx, ["run", *args])


@click.group(cls=_DedupGroup)
def dedup():
    """Find duplicate records: `sysrev dedup` (project), `sysrev dedup FILE... --clusters OUT.csv`
    (files), `sysrev dedup review` (decide uncertain pairs)."""


@dedup.command("run")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--clusters", "clusters_out", type=click.Path(dir_okay=False),
              help="With FILEs: write record_id,cluster_id here.")
@click.option("--id-column", default=None,
              help="CSV input: the column holding each record's own ID (default: ID, id or record_id).")
@click.option("--uncertain", "uncertain_out", type=click.Path(dir_okay=False),
              help="With FILEs: also write the uncertain pairs (record_a,record_b,reason,…) here.")
@click.option("--allow-truncated", is_flag=True,
              help="With FILEs: a file cut off mid-record (interrupted download) is an error; with this flag its "
                   "complete records are deduplicated and the cut-off one is dropped, with a warning saying so.")
@project_option
def run(files, clusters_out, id_column, uncertain_out, allow_truncated, project_dir):
    """Deduplicate the project's search runs, or the reference FILEs given."""
    from sysrev.dedup.project_run import QUEUE_FILE, gone_warning, merged_note, run_project

    if files:
        if not clusters_out:
            raise click.UsageError("--clusters OUT.csv is required when input FILEs are given")
        _dedup_files(files, clusters_out, id_column, uncertain_out, allow_truncated)
        return
    if clusters_out or id_column or uncertain_out or allow_truncated:
        raise click.UsageError("--clusters, --id-column, --uncertain and --allow-truncated need input FILEs")
    project = load_project(project_dir)
    outcome = run_project(project)
    _warn(outcome.problems)
    if outcome.gone_ids:
        click.echo(f"warning: {gone_warning(project, outcome.gone_ids)}", err=True)
    if note := merged_note(project, outcome.merged_away):
        click.echo(f"note: {note}", err=True)
    click.echo(f"identified: {_identified_by_source(project)} "
               f"({sum(outcome.identified.values())} source records)")
    click.echo(f"records: {outcome.records} ({counted(outcome.duplicates_removed, 'duplicate')} removed, "
               f"{counted(outcome.new_ids, 'new record ID')})")
    click.echo(f"uncertain pairs: {outcome.uncertain}; related publications linked: {outcome.related}")
    click.echo(f"written: {project.records_dir / 'records.jsonl'}, dedup_summary.json, {QUEUE_FILE}")
    if outcome.uncertain:
        click.echo("review the uncertain pairs with `sysrev dedup review`")


def _identified_by_source(project) -> str:
    """Records identified per source, named as the PRISMA diagram names them (an imported export by its
    ``--source`` or strategy, not as ``file``). Called after a dedup run, which needs search runs: every run
    gives a source, so the list is never empty."""
    from sysrev.report.prisma import identified_per_database

    return ", ".join(f"{name} {n}" for name, n in identified_per_database(project)[0].items())


def _dedup_files(files, clusters_out, id_column, uncertain_out, allow_truncated):
    from sysrev.dedup.engine import deduplicate
    from sysrev.formats import load_references

    records, ids, origins = [], [], []
    for path in files:
        parsed = load_references(path, allow_truncated=allow_truncated)
        _warn(parsed.warnings, f"warnings about {path}")  # e.g. Latin-1 read as such, records a cut lost
        for record in parsed.records:
            records.append(record)
            ids.append(_own_id(record, id_column, path))
            origins.append(path)
    if not records:
        raise InputError("no records in the input files", path=", ".join(files))
    seen, clashes = set(), set()
    for rid in ids:
        (clashes if rid in seen else seen).add(rid)
    if clashes:
        click.echo(f"warning: {clause(len(clashes), 'record ID', 'occurs', 'occur')} more than once across the inputs "
                   f"(e.g. {sorted(clashes)[0]!r}); their rows in {clusters_out} cannot be told apart", err=True)
    result = deduplicate(records, labels=ids, origins=origins)
    cluster_of = result.cluster_of()
    numbers = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["record_id", "cluster_id"])
    for i, rid in enumerate(ids):
        writer.writerow([spreadsheet_safe(rid), numbers.setdefault(cluster_of[i], len(numbers) + 1)])
    atomic_write_text(clusters_out, buffer.getvalue())
    if uncertain_out:
        write_queue(uncertain_out, [{"record_a": ids[p.a], "record_b": ids[p.b], "reason": p.reason,
                                     "score": f"{p.score:.2f}", "title_a": records[p.a].title,
                                     "title_b": records[p.b].title} for p in result.uncertain])
    _warn([f"{ids[i]}: {msg}" for i, msg in result.problems])
    click.echo(f"records: {len(records)}; clusters: {len(result.clusters)} "
               f"({result.duplicates_removed} duplicates); uncertain pairs: {len(result.uncertain)}; "
               f"related pairs: {len(result.related)}")
    click.echo(f"written: {clusters_out}")


def _own_id(record, id_column, path) -> str:
    """The identifier the input file gave ``record``: the reader's ID (RIS ``ID``, BibTeX key, CSV ``ID``/
    ``id``/``record_id`` column), or for CSV the ``--id-column`` named."""
    if not id_column:
        return record.source_id
    fields = (record.extra or {}).get("fields") or {}
    value = fields.get(id_column)
    key = re.sub(r"[^a-z0-9]", "", id_column.lower())
    if value in (None, "") and key in ("id", "recordid", "key"):
        value = record.source_id  # the column the reader took as the record's identifier
    if value in (None, "") and key in ("pmid", "doi", "pmcid"):
        value = getattr(record, key)
    if value in (None, ""):
        raise InputError(f"record {record.source_id!r} has no value in column {id_column!r}", path=path,
                         column=id_column)
    return str(value)


def _warn(problems: list, more: str = "records with unusable fields (they are only merged on strong evidence)"):
    """Print the first warnings of ``problems`` and how many more there are (``more`` says of what)."""
    for message in problems[:_SHOWN_WARNINGS]:
        click.echo(f"warning: {message}", err=True)
    if len(problems) > _SHOWN_WARNINGS:
        click.echo(f"warning: … and {len(problems) - _SHOWN_WARNINGS} more {more}", err=True)


@dedup.command("review")
@project_option
@click.option("--reviewer", default=None, help="Name recorded with each decision (default: your login name).")
def review(project_dir, reviewer):
    """Decide the uncertain pairs one by one: same record, different records, or related publications."""
    from sysrev.dedup.project_run import collect_sources
    from sysrev.dedup.review import decisions_path, pending_pairs, record_pair_decision

    project = load_project(project_dir)
    pending = pending_pairs(project)
    if not pending:
        click.echo("no uncertain pairs to review (run `sysrev dedup` first if you have new search runs)")
        return
    reviewer = reviewer or getpass.getuser()
    sources = {s.label: s for s in collect_sources(project)}
    done = 0
    with single_keys() as getkey:  # one key per decision, no Enter, as on the screening screen
        for n, row in enumerate(pending, start=1):
            a, b = sources.get(row["record_a"]), sources.get(row["record_b"])
            if a is None or b is None:
                click.echo(f"skipped {row['record_a']} / {row['record_b']}: no longer in the search runs", err=True)
                continue
            click.echo(f"\npair {n} of {len(pending)} – {row.get('reason', '')}")
            click.echo(side_by_side(a, b))
            answer = _ask_key(getkey)
            if answer == "q":
                break
            if answer == "k":
                continue
            record_pair_decision(project, row, _CHOICES[answer], reviewer)
            done += 1
    click.echo(f"\n{counted(done, 'decision')} recorded in {decisions_path(project)}; run `sysrev dedup` to apply them")


def _ask_key(getkey) -> str:
    """The reviewer's key for one pair: s, d, r, k or q (Ctrl-D or the end of piped input quits)."""
    click.echo("[s]ame, [d]ifferent, [r]elated, s[k]ip, [q]uit: ", nl=False)
    while True:
        try:
            key = getkey().lower()
        except EOFError:
            key = "q"
        if key in ("s", "d", "r", "k", "q"):
            click.echo(key)
            return key
        click.echo(f"\n{key!r} is not a choice; press s, d, r, k or q: ", nl=False)


_SHOWN_FIELDS = ("source_id", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid")


def side_by_side(a, b) -> str:
    """Two source records as a two-column table, one field per row, long values wrapped; ``=`` marks a field
    both records fill with the same value."""
    width = max(40, shutil.get_terminal_size((120, 24)).columns - 12)
    col = width // 2 - 2
    lines = [f"{'':11}| {a.label[:col]:<{col}} | {b.label[:col]}"]
    for name in _SHOWN_FIELDS:
        values = []
        for src in (a, b):
            value = getattr(src.record, name)
            if name == "authors":
                value = "; ".join(value[:4]) + ("; et al." if len(value) > 4 else "")
            values.append(textwrap.wrap(str(value if value is not None else ""), col) or [""])
        marker = "=" if values[0] == values[1] and values[0] != [""] else " "
        for k in range(max(len(values[0]), len(values[1]))):
            left = values[0][k] if k < len(values[0]) else ""
            right = values[1][k] if k < len(values[1]) else ""
            label = f"{name:<10}{marker}" if k == 0 else " " * 11
            lines.append(f"{label}| {left:<{col}} | {right}")
    return "\n".join(lines)
