"""Entry point of the `sysrev` command: the click group and the registration of every command group.

Each command group lives in its own module under ``sysrev/cli/`` and stays thin: it parses arguments,
calls the stage's library code and prints. Errors a user can fix (:class:`sysrev.errors.SysrevError`)
become a one-line message and exit code 2.
"""

import sys

import click

from sysrev import __version__
from sysrev.errors import SysrevError


class _Group(click.Group):
    """A click group that reports :class:`SysrevError` as ``error: …`` with exit code 2, not a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SysrevError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sysrev")
def cli():
    """sysrev: run a systematic review and meta-analysis as code, and keep it living."""


def _register():
    # Imported here so that each command module can import `cli` helpers without a cycle.
    from sysrev.cli import meta

    cli.add_command(meta.meta)
    from sysrev.cli import prisma, screen; cli.add_command(screen.screen); cli.add_command(prisma.prisma)  # noqa: E702
    from sysrev.cli import rob; cli.add_command(rob.rob)  # noqa: E702
    from sysrev.cli import extract; cli.add_command(extract.extract)  # noqa: E702
    from sysrev.cli import dedup; cli.add_command(dedup.dedup)  # noqa: E702
    from sysrev.cli import importer; cli.add_command(importer.import_command)  # noqa: E702
    from sysrev.cli import search; cli.add_command(search.search)  # noqa: E702


_register()
