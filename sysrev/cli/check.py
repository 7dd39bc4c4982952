"""`sysrev check`: validate the whole project (configuration, logs, extraction, RoB forms); list every problem.

``--remove-leftovers`` first deletes the temporary files of interrupted writes (:mod:`sysrev.interrupted_writes`),
which the check lists as warnings otherwise, and the hidden ``.tmp-…`` folders of killed snapshot and release writes.
"""

import click

from sysrev.cli.options import project_option
from sysrev.errors import SysrevError
from sysrev.project import find_project_root, project_at
from sysrev.project_check import ERROR, check_project
from sysrev.wording import counted


@click.command("check")
@project_option
@click.option("--remove-leftovers", is_flag=True,
              help="First delete the temporary files (.NAME.sysrev-XXXXXXXX.tmp) that writes killed before they "
                   "finished left behind, and the .tmp-… folders of killed search-run snapshots and releases; "
                   "files of writes still running and all other files are kept.")
def check(project_dir, remove_leftovers):
    """Check every file of the project against the schema and the stages' rules; exit 2 on any error."""
    project = project_at(project_dir or find_project_root())
    if remove_leftovers:
        from sysrev.interrupted_writes import remove_interrupted_folders
        from sysrev.interrupted_writes import remove_leftovers as remove

        removed = remove(project.root)
        for leftover in removed:
            click.echo(f"removed {leftover.path} (temporary file of an interrupted write of {leftover.target.name})")
        folders = remove_interrupted_folders(project)
        for folder in folders:
            click.echo(f"removed {folder}/ (temporary folder of an interrupted search-run snapshot or release)")
        if not removed and not folders:
            click.echo("no temporary files of interrupted writes to remove")
    issues, checked = check_project(project)
    for issue in issues:
        click.echo(str(issue), err=issue.severity == ERROR)
    errors = sum(issue.severity == ERROR for issue in issues)
    warnings = len(issues) - errors
    if errors:
        raise SysrevError(f"{counted(errors, 'error')}, {counted(warnings, 'warning')} in {project.root}")
    click.echo(f"{project.root}: {counted(checked, 'configuration file')} valid, {counted(warnings, 'warning')}")
