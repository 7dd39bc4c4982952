"""Options shared by several command groups."""

import click

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Review project folder (default: the nearest folder upward that holds review.toml).",
)
