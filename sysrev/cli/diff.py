"""`sysrev diff [OLD] [NEW]`: what changed in the evidence between two versions of the review."""

import json

import click

from sysrev.cli.options import project_option
from sysrev.fileio import atomic_write_text
from sysrev.project import load_project


@click.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the diff as one JSON object.")
@click.option("--markdown", "markdown_out", type=click.Path(dir_okay=False), help="Write a \"what's new\" page "
                                                                                  "(Markdown) to FILE.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False),
              help="Write the \"what's new\" page as HTML, with both versions' forest plots side by side.")
def diff(old, new, project_dir, as_json, markdown_out, html_out):
    """Compare two versions of the review: releases by VERSION, or `working` for the files as they are now
    (default: the last release against the working state). Per analysis: k, participants, estimate and CI,
    p, I², τ², prediction interval, studies added/removed/changed, and flags explained in words
    (docs/living.md)."""
    from sysrev.living.diff import (
        default_versions,
        diff_versions,
        forest_svgs,
        format_html,
        format_markdown,
        format_table,
        load_version,
    )

    project = load_project(project_dir)
    old_name, new_name = default_versions(project, old, new)
    old_version, new_version = load_version(project, old_name), load_version(project, new_name)
    result = diff_versions(old_version, new_version)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_table(result))
    if markdown_out:
        atomic_write_text(markdown_out, format_markdown(result))
        click.echo(f"wrote {markdown_out}", err=as_json)
    if html_out:
        atomic_write_text(html_out, format_html(result, forest_svgs(old_version, new_version)))
        click.echo(f"wrote {html_out}", err=as_json)
