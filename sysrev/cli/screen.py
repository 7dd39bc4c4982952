"""`sysrev screen`: screen records in the terminal, import decisions from other tools, follow progress and
agreement, list and reconcile conflicts. See docs/screening.md.

The screening model, the record matcher and the agreement statistics (numpy, scikit-learn, rapidfuzz) are
imported by the commands that use them, so ``sysrev screen --help`` stays fast (benchmarks/cli_help.py).
"""

import json
import shutil
import sys
import time
from pathlib import Path

import click

from sysrev.cli.options import project_option
from sysrev.cli.prisma import previous_counts
from sysrev.fileio import atomic_write_text
from sysrev.locking import project_lock
from sysrev.project import load_project
from sysrev.screening.config import DECISIONS, IMPORT_FORMATS, ORDERS, STAGE_LABEL, STAGES
from sysrev.screening.keys import TerminalKeys
from sysrev.screening.log import append_decisions, log_path, parse_timestamp
from sysrev.wording import counted

stage_option = click.option("--stage", type=click.Choice(STAGES), default="title_abstract", show_default=True,
                            help="Screening stage.")


@click.group(invoke_without_command=True)
@click.option("--reviewer", help="Your reviewer name, as listed in review.toml [screening] reviewers.")
@stage_option
@click.option("--order", type=click.Choice(ORDERS), default=None,
              help="Order of the records: relevance (learnt from your own decisions; the default at "
                   "title/abstract, in file order until you have made one include and one exclude), random "
                   "(draws for the stopping rule's sample) or file (default at full text).")
@project_option
@click.pass_context
def screen(ctx, reviewer, stage, order, project_dir):
    """Screen records one at a time (with --reviewer), or use a subcommand.

    \b
    Keys: i include, e exclude, m maybe, s skip, b back, q quit, space: next page of a long abstract
    (at full text, e asks for the exclusion reason from a numbered menu).
    Decisions go to screening/<stage>/<reviewer>.csv (with the rank each record was shown at and the
    model that ranked it); the screen resumes where you stopped, and b goes back into earlier sessions too.
    """
    if ctx.invoked_subcommand is not None:
        return
    if reviewer is None:
        raise click.UsageError("give --reviewer NAME to screen, or a subcommand (status, conflicts, reconcile, "
                               "import)")
    from sysrev.screening.session import ScreenSession

    _run_interactive(ScreenSession, project_dir, reviewer, stage, order=order)


def _run_interactive(session_class, project_dir, reviewer, stage, **options):
    from sysrev.screening.config import screening_config

    reviewers = screening_config(load_project(project_dir)).reviewers  # a typo is named before the terminal
    if reviewer not in reviewers:
        raise click.UsageError(f"unknown reviewer {reviewer!r}; review.toml lists {', '.join(reviewers)}")
    if not sys.stdin.isatty():
        raise click.UsageError("the interactive screen needs a terminal (stdin is not one); to load decisions "
                               "made elsewhere use `sysrev screen import`")
    with TerminalKeys() as getkey:  # cbreak from the start: keys typed while the project loads are kept
        session = session_class(load_project(project_dir), reviewer, stage, getkey=getkey, echo=click.echo,
                                clock=time.monotonic, clear=click.clear, color=sys.stdout.isatty(),
                                height=shutil.get_terminal_size().lines, **options)
        session.run()


recall_option = click.option("--recall", "recall_target", type=click.FloatRange(0, 1, min_open=True, max_open=True),
                             default=0.95, show_default=True, help="Recall target of the stopping rule.")
confidence_option = click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True),
                                 default=0.95, show_default=True, help="Confidence of the stopping rule.")


@screen.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@recall_option
@confidence_option
@project_option
def status(as_json, recall_target, confidence, project_dir):
    """Per stage and reviewer: screened, left, conflicts and agreement (kappa, PABAK, AC1), and at
    title/abstract where each reviewer stands against the stopping rule (Callaghan & Müller-Hansen 2020)."""
    from sysrev.screening.prioritisation import read_stops, reviewer_stopping
    from sysrev.screening.state import load_screening
    from sysrev.screening.summary import stage_summary

    project = load_project(project_dir)
    screening = load_screening(project, strict=False)
    summaries = [stage_summary(screening, stage) for stage in STAGES]
    for s in summaries:
        assessed = [name for name, r in s["reviewers"].items() if r["screened"] and s["stage"] == "title_abstract"]
        # a reviewer whose log has rows that cannot be counted gets no claim: the test would run on part of it
        s["stopping_withheld"] = {name: n for name in assessed
                                  if (n := _problems_in(screening, log_path(project.screening_dir, s["stage"], name)))}
        s["stopping"] = {name: reviewer_stopping(project, screening, name, s["stage"], recall_target=recall_target,
                                                 confidence=confidence).to_dict()
                         for name in assessed if name not in s["stopping_withheld"]}
        s["stops_recorded"] = read_stops(project, s["stage"])
    if as_json:
        click.echo(json.dumps({"stages": summaries, "problems": [str(p) for p in screening.problems],
                               "notices": [str(n) for n in screening.notices]}, indent=2))
    else:
        click.echo("\n\n".join(_format_status(s) for s in summaries))
    for notice in screening.notices:
        click.echo(f"warning: {notice}", err=True)
    if screening.problems:
        _warn_not_counted(screening.problems)
        sys.exit(1)


def _warn_not_counted(problems) -> None:
    """Each row that cannot be counted, on stderr; the rows of one log with the same problem on one line (a
    renamed reviewer would otherwise give thousands of identical lines)."""
    from sysrev.screening.log import grouped

    for line in grouped(problems):
        click.echo(f"warning: not counted: {line}", err=True)


def _problems_in(screening, path) -> int:
    """How many of ``screening``'s problems are in the log at ``path``."""
    return sum(1 for problem in screening.problems if Path(problem.path) == path)


def _format_status(s) -> str:
    from sysrev.screening.stopping import StoppingStatus

    lines = [f"{STAGE_LABEL[s['stage']]}: {counted(s['records'], 'record')} · {s['decided']} decided "
             f"({', '.join(f'{k} {v}' for k, v in s['decisions'].items())}) · {counted(s['conflicts'], 'conflict')} · "
             f"{s['awaiting_second_reviewer']} awaiting another reviewer · {s['unscreened']} unscreened · "
             f"{s['reconciled']} reconciled"]
    if s["reviewers"]:
        width = max(len("reviewer"), *(len(name) for name in s["reviewers"]))
        lines.append(f"  {'reviewer'.ljust(width)}  screened   left  include  exclude  maybe")
        for name, r in s["reviewers"].items():
            lines.append(f"  {name.ljust(width)}  {r['screened']:>8}  {r['left']:>5}  {r['include']:>7}  "
                         f"{r['exclude']:>7}  {r['maybe']:>5}")
    for a in s["agreement"]:
        kappa = ("kappa n/a (one category only)" if a["kappa"] is None else
                 f"kappa {a['kappa']:.3f} [95% CI {a['kappa_ci_low']:.3f}, {a['kappa_ci_high']:.3f}]")
        lines.append(f"  agreement {a['reviewers'][0]} × {a['reviewers'][1]} on {counted(a['n'], 'record')}: "
                     f"{100 * a['percent_agreement']:.1f}% · {kappa} · PABAK {a['pabak']:.3f} · "
                     f"AC1 {a['ac1']:.3f}")
    for name, figures in s["stopping"].items():
        lines.append(f"  stopping rule, {name}: {StoppingStatus.from_dict(figures).sentence()}")
    for name, problems in s["stopping_withheld"].items():
        lines.append(f"  stopping rule, {name}: not assessed ({name}'s log has rows that cannot be counted: "
                     f"{counted(problems, 'problem')}, listed below)")
    for stop in s["stops_recorded"]:
        lines.append(f"  stopped: {stop['reviewer']} on {stop['timestamp']} after "
                     f"{counted(stop['screened'], 'record')} ({stop['statement']})")
    if s["outside_stage"]:
        lines.append(f"  note: decisions on {counted(len(s['outside_stage']), 'record')} this stage does not screen: "
                     f"{', '.join(s['outside_stage'][:5])}")
    return "\n".join(lines)


@screen.command("conflicts")
@stage_option
@click.option("--json", "as_json", is_flag=True, help="Print the conflicts as JSON.")
@project_option
def conflicts(stage, as_json, project_dir):
    """List the records on which reviewers disagree, with each reviewer's decision side by side."""
    from sysrev.screening.state import load_screening

    screening = load_screening(load_project(project_dir))
    state = screening.stages[stage]
    records = screening.records_by_id
    items = []
    for rid in state.conflicts():
        votes = {name: {"decision": d.decision, "reason": d.reason} for name, d in state.votes(rid).items()}
        items.append({"record_id": rid, "title": records[rid].get("title", ""), "votes": votes})
    if as_json:
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    if not items:
        click.echo(f"No conflicts at {STAGE_LABEL[stage]}.")
        return
    names = sorted({name for item in items for name in item["votes"]}, key=screening.config.reviewers.index)
    click.echo(f"{counted(len(items), 'conflict')} at {STAGE_LABEL[stage]}:")
    for item in items:
        cells = "  ".join(f"{name}: {_vote(item['votes'].get(name))}" for name in names)
        click.echo(f"  {item['record_id']}  {cells}\n      {item['title'][:100]}")
    click.echo("Settle them with: sysrev screen reconcile --reviewer NAME" +
               (" --stage full_text" if stage == "full_text" else ""))


def _vote(vote) -> str:
    if vote is None:
        return "—"
    return vote["decision"] + (f" ({vote['reason']})" if vote["reason"] else "")


@screen.command("reconcile")
@click.option("--reviewer", required=True, help="Who settles the conflicts: a third reviewer, or a name such as "
              "'consensus' (it must be listed in [screening] reviewers).")
@stage_option
@project_option
def reconcile(reviewer, stage, project_dir):
    """Settle each conflict: see every reviewer's decision side by side, press the final decision.

    Decisions go to screening/<stage>/reconciliation/<reviewer>.csv and override the reviewers' votes.
    """
    from sysrev.screening.session import ReconcileSession

    _run_interactive(ReconcileSession, project_dir, reviewer, stage)


@screen.command("import")
@click.option("--reviewer", required=True, help="Whose decisions these are (the log they go to).")
@stage_option
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), default=None,
              help="The tool that exported FILE (default: detected from its columns).")
@click.option("--rayyan-name", default=None, help="The reviewer's name in Rayyan's RAYYAN-INCLUSION notes "
              "(default: --reviewer, or the only name present).")
@click.option("--decision", type=click.Choice(DECISIONS), default=None,
              help="Covidence: the decision of the exported list (default: from the file name).")
@click.option("--dry-run", is_flag=True, help="Report what would be imported; write nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@project_option
def import_(reviewer, stage, fmt, rayyan_name, decision, dry_run, file, project_dir):
    """Import decisions from a Rayyan, Covidence or ASReview CSV export, or any sheet with a decision column
    (include/exclude/maybe; reason, record_id, reviewer and stage columns are used when present), into the
    reviewer's log.

    Rows are matched to records by record_id, else DOI, then PMID, then title. Rows that match nothing are listed
    (with their line) and not imported; the exit code is then 1. A decision dated before the one the log holds
    for its record is listed and kept out: the later decision stands.
    """
    from sysrev.screening.imports import read_export
    from sysrev.screening.state import load_screening

    project = load_project(project_dir)
    with project_lock(project.root):  # the records and the log must not change between reading and writing
        screening = load_screening(project)
        if reviewer not in screening.config.reviewers:
            raise click.UsageError(f"unknown reviewer {reviewer!r}; review.toml lists "
                                   f"{', '.join(screening.config.reviewers)}")
        state = screening.stages[stage]
        result = read_export(file, reviewer=reviewer, stage=stage, config=screening.config,
                             records=screening.records, fmt=fmt, rayyan_name=rayyan_name, decision=decision)
        eligible = set(state.eligible)
        current = state.latest.get(reviewer, {})
        new, unchanged, outside, older = [], 0, [], []
        for d in result.decisions:
            held = current.get(d.record_id)
            if d.record_id not in eligible:
                outside.append(d)
            elif held is not None and (held.decision, held.reason) == (d.decision, d.reason):
                unchanged += 1
            elif held is not None and parse_timestamp(d.timestamp) < parse_timestamp(held.timestamp):
                older.append((d, held))  # the export is older than the log: the later decision stands
            else:
                new.append(d)
        path = log_path(project.screening_dir, stage, reviewer)
        if not dry_run:
            append_decisions(path, new)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    verb = "would add" if dry_run else "added"
    click.echo(f"{result.format} export {file}: {verb} {counted(len(new), 'decision')} to {path}; "
               f"{unchanged} unchanged; {counted(result.not_screened, 'row')} without a decision in the export"
               + (f"; {counted(result.passed_over, 'row')} of other reviewers or stages passed over"
                  if result.passed_over else "")
               + (f"; {counted(len(older), 'decision')} older than the log's, kept out" if older else ""))
    for d, held in older:
        click.echo(f"  line {d.line}: record {d.record_id}: {d.decision} of {d.timestamp} is older than the log's "
                   f"{held.decision} of {held.timestamp}, which stands; not imported", err=True)
    for d in outside:
        click.echo(f"  line {d.line}: record {d.record_id} is not screened at {STAGE_LABEL[stage]} "
                   "(not included at title/abstract); not imported", err=True)
    for row in result.unmatched:
        click.echo(f"  line {row.line}: {row.why} — {row.title[:80] or '(no title)'}", err=True)
    if result.unmatched or outside:
        click.echo(f"{counted(len(result.unmatched) + len(outside), 'row')} not imported (listed above): mend them "
                   "in the export and import it again (decisions already imported are not added twice).", err=True)
        sys.exit(1)


@screen.command("report")
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="The HTML file to write (default: screening/report.html in the project).")
@click.option("--previous", default=None, metavar="STUDIES[:REPORTS]",
              help="Updated review: studies (and reports) included in the previous version.")
@project_option
def report(out, previous, project_dir):
    """Write the screening report (HTML): PRISMA 2020 flow, progress per stage and reviewer, agreement
    (percent, kappa with 95% CI, PABAK, AC1) with a sentence for the methods section."""
    from sysrev.report.screening_report import screening_report
    from sysrev.screening.state import load_screening

    studies, reports = previous_counts(previous)
    project = load_project(project_dir)
    screening = load_screening(project, strict=False)
    html = screening_report(project, previous_studies=studies, previous_reports=reports, screening=screening)
    path = Path(out) if out else project.screening_dir / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, html)
    click.echo(f"wrote {path}")
    if screening.problems:  # the report's figures leave these rows out: as `screen status`, say so and exit 1
        click.echo(f"warning: {counted(len(screening.problems), 'problem')} in the screening logs: the rows they "
                   "name are left out of the report's figures and the PRISMA flow is not drawn (they are listed at "
                   "the report's end); fix them, then write the report again", err=True)
        _warn_not_counted(screening.problems)
        sys.exit(1)


@screen.command("simulate")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="ORDER.csv to write: one column 'row' (0-based data rows in the order screened, priors first).")
@click.option("--label-column", default=None,
              help="The 0/1 label column (its name in any case). Default: label_included, else the first label "
                   "column name ASReview LAB accepts (included, asreview_label, label, final_included, …).")
@click.option("--n-prior-included", type=click.IntRange(min=0), default=None,
              help="Included records drawn as priors (default 1).")
@click.option("--n-prior-excluded", type=click.IntRange(min=0), default=None,
              help="Excluded records drawn as priors (default 1).")
@click.option("--prior-seed", type=int, default=None, help="Seed for drawing the priors.")
@click.option("--prior", "prior_rows", type=click.IntRange(min=0), multiple=True, metavar="ROW",
              help="A prior record by its 0-based data row (repeat the option for each; replaces the drawn "
                   "priors).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the model (it breaks ties).")
@click.option("--stop-recall", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
              show_default=True, help="Recall target of the stopping rule.")
@click.option("--stop-confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
              show_default=True, help="Confidence of the stopping rule.")
def simulate(data, out, label_column, n_prior_included, n_prior_excluded, prior_seed, prior_rows, seed,
             stop_recall, stop_confidence):
    """Replay a labelled screening (DATA.csv: title and/or abstract, label) in sysrev's prioritised order.

    Column names are matched in any case, with the names ASReview LAB accepts (primary_title, abstract note,
    included, …); a file not in UTF-8 is read as Windows-1252 with a warning on stderr; an Excel workbook is
    read from its first sheet.

    Writes the order to --out and prints JSON: priors, screened, stopped_at (records screened, priors
    excluded, when the stopping rule would have let the team stop; null if never) and recall_at_stop.
    """
    from tqdm import tqdm

    from sysrev.screening.simulate import draw_priors, read_labelled_csv
    from sysrev.screening.simulate import simulate as run_simulation

    if prior_rows and (n_prior_included is not None or n_prior_excluded is not None or prior_seed is not None):
        raise click.UsageError("give either --prior ROW … or --n-prior-included/--n-prior-excluded/--prior-seed")
    labelled = read_labelled_csv(data, label_column)
    for warning in labelled.warnings:
        click.echo(f"warning: {warning}", err=True)
    if prior_rows:
        priors = list(prior_rows)
        for row in priors:
            if row >= len(labelled.labels):
                raise click.UsageError(f"--prior {row}: {data} has data rows 0–{len(labelled.labels) - 1}")
    else:
        priors = draw_priors(labelled.labels, 1 if n_prior_included is None else n_prior_included,
                             1 if n_prior_excluded is None else n_prior_excluded, prior_seed)
    with tqdm(total=len(labelled.labels) - len(priors), desc="simulating", unit="record", file=sys.stderr,
              disable=not sys.stderr.isatty()) as bar:
        result = run_simulation(labelled, priors, seed=seed, recall_target=stop_recall,
                                confidence=stop_confidence, progress=bar.update)
    atomic_write_text(Path(out), "row\n" + "".join(f"{row}\n" for row in result.order))
    click.echo(json.dumps(result.summary()))


@screen.command("stop")
@click.option("--reviewer", required=True, help="The reviewer whose screening stops.")
@stage_option
@recall_option
@confidence_option
@click.option("--note", default="", help="Why the team stops (kept with the figures).")
@click.option("--force", is_flag=True, help="Record the decision even though the stopping rule is not met.")
@project_option
def stop(reviewer, stage, recall_target, confidence, note, force, project_dir):
    """Record the team's decision to stop screening, with the stopping test's figures.

    Nothing is excluded: the records not screened stay unscreened. The decision goes to
    screening/<stage>/stopping.jsonl and into the methods sentence of `sysrev screen report`.
    """
    from sysrev.screening.prioritisation import record_stop
    from sysrev.screening.state import load_screening

    project = load_project(project_dir)
    screening = load_screening(project)
    if reviewer not in screening.config.reviewers:
        raise click.UsageError(f"unknown reviewer {reviewer!r}; review.toml lists "
                               f"{', '.join(screening.config.reviewers)}")
    entry = record_stop(project, screening, reviewer, stage, recall_target=recall_target, confidence=confidence,
                        note=note, force=force)
    click.echo(f"recorded: {reviewer} stops at {STAGE_LABEL[stage]} after {entry['screened']} of "
               f"{entry['n_total']} records; {entry['statement']}. Nothing was excluded.")
