"""`sysrev release VERSION`: freeze this version of the review as plain files in releases/VERSION/."""

import click

from sysrev.cli.options import project_option
from sysrev.locking import project_lock
from sysrev.project import load_project


@click.command()
@click.argument("version")
@click.option("--note", default="", help="What this version is, e.g. \"January 2027 update\".")
@click.option("--tag", is_flag=True, help="Also commit the release folder and tag that commit VERSION (git).")
@project_option
def release(version, note, tag, project_dir):
    """Freeze the analysis results, PRISMA counts, included studies, each strategy's search date and the
    sysrev version into releases/VERSION/ (docs/living.md). From the second release on, the PRISMA 2020
    diagram is the updated-review one, derived from the previous release."""
    from sysrev.living.release import make_release

    project = load_project(project_dir)
    with project_lock(project.root):  # analysis/results/ is rewritten, and the release reads the whole project
        folder = make_release(project, version, note=note, tag=tag)
    click.echo((folder / "README.md").read_text(encoding="utf-8").rstrip())
    click.echo(f"\nwrote {folder}" + (f" and git tag {version}" if tag else ""))
