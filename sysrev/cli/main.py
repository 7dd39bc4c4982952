"""Entry point of the `sysrev` command: the click group and the registration of every command group.

Each command group lives in its own module under ``sysrev/cli/`` and stays thin: it parses arguments,
calls the stage's library code and prints. Errors a user can fix (:class:`sysrev.errors.SysrevError`)
become a one-line message and exit code 2.
"""

import importlib
import sys

import click

from sysrev import __version__
from sysrev.errors import SysrevError


# Command name -> (module under sysrev.cli, attribute). Modules are imported only when their command runs,
# so `sysrev screen` does not pay for scipy and matplotlib, which other command groups need.
_COMMANDS = {
    "check": ("check", "check"),
    "dedup": ("dedup", "dedup"),
    "export": ("export", "export"),
    "extract": ("extract", "extract"),
    "fulltext": ("fulltext", "fulltext"),
    "grade": ("grade", "grade"),
    "import": ("importer", "import_command"),
    "init": ("init", "init"),
    "meta": ("meta", "meta"),
    "prisma": ("prisma", "prisma"),
    "rob": ("rob", "rob"),
    "screen": ("screen", "screen"),
    "search": ("search", "search"),
    "sof": ("grade", "sof"),
}


class _Group(click.Group):
    """The top-level group: loads command modules on demand and reports :class:`SysrevError` as
    ``error: …`` with exit code 2, not a traceback."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(_COMMANDS))

    def get_command(self, ctx, name):
        if name not in self.commands and name in _COMMANDS:
            module_name, attribute = _COMMANDS[name]
            module = importlib.import_module(f"sysrev.cli.{module_name}")
            self.add_command(getattr(module, attribute), name)
        return super().get_command(ctx, name)

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
