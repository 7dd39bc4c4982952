"""Options shared by several command groups."""

import click

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Review project folder (default: the nearest folder upward that holds review.toml).",
)

# The same option on commands that work on files named on the command line (`meta pool DATA.csv`, `extract
# compare A B` …): they need no project, and take their defaults from one only when it is named, so that a file
# pooled in some folder never picks up the settings of a review that happens to sit above it. Paths typed on
# the command line are relative to the current folder, as for every command (the shell completes them so).
files_project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Review project whose settings give the defaults (review.toml [arms], [[outcomes]]) and whose lock "
         "guards what is written; optional: without it the command works on the files alone.",
)


def named_project(project_dir):
    """The project named by ``--project`` (checked like any project), or None when none was named."""
    if project_dir is None:
        return None
    from sysrev.project import load_project

    return load_project(project_dir)


def writing_under(project):
    """The project's lock while a command writes (a no-op context without a project)."""
    from contextlib import nullcontext

    if project is None:
        return nullcontext()
    from sysrev.locking import project_lock

    return project_lock(project.root)


class AnyCaseChoice(click.Choice):
    """A choice typed in any case (``--measure smd``) that help and errors spell as documented (``SMD``).

    click 8.2+ shows a case-insensitive choice casefolded (``[md|smd]``, "is not one of 'md', …"), which
    contradicts the documented spelling scripts are written against; the value passed on is the choice as
    listed either way.
    """

    def __init__(self, choices):
        super().__init__(choices, case_sensitive=False)

    def get_metavar(self, param, ctx):
        return "[" + "|".join(self.choices) + "]"

    def get_invalid_choice_message(self, value, ctx):
        return f"{value!r} is not one of {', '.join(map(repr, self.choices))}."
