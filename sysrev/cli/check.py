"""`sysrev check`: validate the whole project (configuration, logs, extraction, RoB forms); list every problem."""

import click

from sysrev.cli.options import project_option
from sysrev.errors import SysrevError
from sysrev.project import find_project_root, project_at
from sysrev.project_check import ERROR, check_project


@click.command("check")
@project_option
def check(project_dir):
    """Check every file of the project against the schema and the stages' rules; exit 2 on any error."""
    project = project_at(project_dir or find_project_root())
    issues, checked = check_project(project)
    for issue in issues:
        click.echo(str(issue), err=issue.severity == ERROR)
    errors = sum(issue.severity == ERROR for issue in issues)
    warnings = len(issues) - errors
    if errors:
        raise SysrevError(f"{errors} error(s), {warnings} warning(s) in {project.root}")
    click.echo(f"{project.root}: {checked} configuration file(s) valid, {warnings} warning(s)")
