"""`sysrev grade` and `sysrev sof`: GRADE proposals with the team's final ratings, and the Summary of findings."""

from pathlib import Path

import click

from sysrev.cli.options import project_option
from sysrev.errors import SysrevError
from sysrev.project import load_project
from sysrev.wording import counted


def _summary(graded, root) -> str:
    from sysrev.grade.certainty import certainty
    from sysrev.grade.files import TITLES

    lines = []
    for item in graded:
        cert = certainty(item.grade)
        state = "new" if item.new else "updated" if item.changed else "unchanged"
        where = item.path.relative_to(root)  # analysis/grade/<name>.toml, always inside the project
        status = cert.label + ("" if cert.level is None or cert.confirmed else " (proposed, not confirmed)")
        lines.append(f"{item.evidence.name}: certainty {status}  [{where}: {state}]")
        for domain, record in item.grade.domains.items():
            final = f"final {record.final}" if record.final else "no final rating yet"
            proposed = "" if record.team_only else f"proposed {record.proposed}; "
            lines.append(f"  {TITLES[domain]}: {proposed}{final}")
            for missing in record.pending:
                lines.append(f"    pending: {missing}")
            if record.flag:
                lines.append(f"    FLAG: {record.flag}")
        if cert.missing:
            lines.append(f"  certainty waits for: {', '.join(cert.missing)}")
    flags = sum(bool(r.flag) for item in graded for r in item.grade.domains.values())
    lines.append(f"{counted(len(graded), 'analysis', 'analyses')}; {counted(flags, 'final rating')} flagged for "
                 "re-check")
    return "\n".join(lines)


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@project_option
@click.option("--strict", is_flag=True,
              help="Exit with code 1 when any final rating is flagged (for a living review's scheduled job).")
def grade(names, project_dir, strict):
    """Propose or refresh analysis/grade/<name>.toml for every analysis (or those NAMEd).

    Each domain gets sysrev's proposed rating with its reasons; the team's final ratings and justifications
    are never changed. A final rating whose proposal has changed since it was decided is flagged.
    """
    from sysrev.analyses import load_analyses
    from sysrev.grade import grade_project
    from sysrev.grade.files import orphan_grade_files

    project = load_project(project_dir)
    graded = grade_project(project, names)
    click.echo(_summary(graded, project.root))
    for warning in orphan_grade_files(project, load_analyses(project)):
        click.echo(f"warning: {warning}", err=True)
    if strict and any(item.grade.flags() for item in graded):
        raise SystemExit(1)


FORMATS = (".md", ".html", ".htm", ".docx")


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the table to FILE.html, FILE.md or FILE.docx (default: Markdown on stdout).")
@project_option
def sof(names, out, project_dir):
    """The Summary of findings table of every analysis (or those NAMEd), in the Cochrane/GRADEpro layout.

    Certainty uses the team's final ratings in analysis/grade/ and, where a domain has none yet, sysrev's
    proposal (marked "proposed"); it is pending while any domain has neither.
    """
    from sysrev.fileio import atomic_write_bytes, atomic_write_text
    from sysrev.grade import grade_project
    from sysrev.grade.sof import build_table, to_html, to_markdown

    if out is not None and out.suffix.lower() not in FORMATS:
        raise SysrevError(f"{out}: unknown table format '{out.suffix}' (use .html, .md or .docx)")
    project = load_project(project_dir)
    graded = grade_project(project, names, write=False)
    table = build_table(project, [g.evidence for g in graded], {g.evidence.name: g.grade for g in graded})
    if out is None:
        click.echo(to_markdown(table), nl=False)
        return
    suffix = out.suffix.lower()
    if suffix == ".docx":
        from sysrev.grade.sof_docx import to_docx

        atomic_write_bytes(out, to_docx(table))
    else:
        atomic_write_text(out, to_html(table) if suffix in (".html", ".htm") else to_markdown(table))
    click.echo(f"wrote {out}")
