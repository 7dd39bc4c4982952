"""Options shared by several command groups."""

import click

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Review project folder (default: the nearest folder upward that holds review.toml).",
)


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
