"""`sysrev meta`: the meta-analysis engine on the command line."""

import click


@click.group()
def meta():
    """Meta-analysis: pool effect sizes from a CSV (`pool`) or run a project's analyses (`run`)."""
