"""`sysrev prisma`: the PRISMA 2020 flow counts derived from the review's files, and the diagram.

The counting (which reads the deduplicated records through the dedup stage) is imported when the command
runs, so ``sysrev prisma --help`` stays fast (benchmarks/cli_help.py).
"""

import json

import click

from sysrev.cli.options import project_option
from sysrev.project import load_project


def previous_counts(value):
    """``STUDIES`` or ``STUDIES:REPORTS`` → (studies, reports)."""
    if value is None:
        return None, None
    studies, _, reports = value.partition(":")
    try:
        parsed = int(studies), int(reports or studies)
    except ValueError:
        raise click.BadParameter("use STUDIES or STUDIES:REPORTS, e.g. 8 or 8:11") from None
    if min(parsed) < 0:
        raise click.BadParameter("counts cannot be negative")
    return parsed


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--out", "outs", multiple=True, type=click.Path(dir_okay=False),
              help="Draw the diagram to FILE.svg, FILE.png or FILE.pdf (repeatable).")
@click.option("--previous", default=None, metavar="STUDIES[:REPORTS]",
              help="Updated review: studies (and reports) included in the previous version.")
@click.option("--update", "update", is_flag=True,
              help="Updated review since the last release (sysrev release): every box counts this update only, "
                   "the previous version's studies come from that release.")
@project_option
def prisma(as_json, outs, previous, update, project_dir):
    """PRISMA 2020 flow counts from the search runs, dedup and screening logs; optionally the diagram.

    Counts that do not add up are an error naming the stage, the records and the files involved.
    """
    from sysrev.report.prisma import prisma_counts

    project = load_project(project_dir)
    if update:
        if previous:
            raise click.UsageError("--update takes the previous version from the last release; drop --previous")
        from sysrev.living.release import current_state, list_releases, load_release, update_prisma

        releases = list_releases(project)
        if not releases:
            raise click.UsageError("--update needs a release to compare with; make one with `sysrev release`")
        counts = update_prisma(project, load_release(project, releases[-1]), current_state(project, []))
    else:
        studies, reports = previous_counts(previous)
        counts = prisma_counts(project, previous_studies=studies, previous_reports=reports)
    if as_json:
        click.echo(json.dumps(counts.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(_format(counts))
    if outs:
        from sysrev.report.prisma_diagram import draw_prisma  # matplotlib loads only when drawing

        for out in outs:
            click.echo(f"wrote {draw_prisma(counts, out)}", err=as_json)


def _format(c) -> str:
    lines = []
    if c.in_progress:
        lines += ["IN PROGRESS: screening is not finished; the counts below are the counts so far"]
        lines += [f"  {detail}" for detail in c.awaiting_detail]
    lines += [f"Records identified: {c.identified_total}"]
    if c.registers:  # PRISMA 2020's two sources, each with its total
        for heading, counts in (("Databases", c.from_databases), ("Registers", c.from_registers)):
            lines += [f"  {heading}: {sum(counts.values())}"] + [f"    {name}: {n}" for name, n in counts.items()]
    else:
        lines += [f"  {name}: {n}" for name, n in c.identified.items()]
    lines += [f"Duplicate records removed: {c.duplicates_removed}",
              f"Records screened: {c.records_screened}",
              f"Records excluded: {c.records_excluded}",
              *([f"Records awaiting a decision: {c.records_awaiting}"] if c.records_awaiting else []),
              f"Reports sought for retrieval: {c.reports_sought}",
              f"Reports not retrieved: {c.reports_not_retrieved}",
              f"Reports assessed for eligibility: {c.reports_assessed}",
              f"Reports excluded: {sum(c.reports_excluded.values())}",
              *([f"Reports awaiting a decision: {c.reports_awaiting}"] if c.reports_awaiting else [])]
    lines += [f"  {reason}: {n}" for reason, n in c.reports_excluded.items()]
    if c.previous_studies is None:
        lines += [f"Studies included: {c.studies_included} (reports: {c.reports_included})"]
    else:
        lines += [f"New studies included: {c.studies_included} (reports: {c.reports_included})"]
        added = f", {c.previous_reports_added} of them included by this update" if c.previous_reports_added else ""
        lines += [f"Studies in the previous version: {c.previous_studies} (reports: {c.previous_reports}{added})",
                  f"Total studies included: {c.total_studies} (reports: {c.total_reports})"]
    return "\n".join(lines)
