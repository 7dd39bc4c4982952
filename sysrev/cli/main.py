"""Entry point of the `sysrev` command: the click group and the registration of every command group.

Each command group lives in its own module under ``sysrev/cli/`` and stays thin: it parses arguments,
calls the stage's library code and prints. Errors a user can fix (:class:`sysrev.errors.SysrevError`)
become a one-line message and exit code 2, and so do errors of the machine (:class:`OSError`: a full disk,
a read-only folder, a file name too long), which no stage can fix.
"""

import errno
import importlib
import sys

import click

from sysrev import __version__
from sysrev.errors import SysrevError


# Command name -> (module under sysrev.cli, attribute). Modules are imported only when their command runs,
# so `sysrev screen` does not pay for scipy and matplotlib, which other command groups need.
_COMMANDS = {
    "dedup": ("dedup", "dedup"),
    "extract": ("extract", "extract"),
    "fulltext": ("fulltext", "fulltext"),
    "grade": ("grade", "grade"),
    "import": ("importer", "import_command"),
    "meta": ("meta", "meta"),
    "prisma": ("prisma", "prisma"),
    "rob": ("rob", "rob"),
    "screen": ("screen", "screen"),
    "search": ("search", "search"),
    "serve": ("serve", "serve"),
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
        except OSError as exc:  # the machine, not sysrev: a full disk, a read-only folder, a name too long
            click.echo(f"error: {_os_error(exc)}", err=True)
            sys.exit(2)


def _os_error(exc: OSError) -> str:
    """An operating-system error as one line naming the file, and what it means for the project's files."""
    where = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason += " (free some space and run the command again; files are written whole or not at all, so " \
                  "nothing already saved was changed)"
    return f"{where}{reason}"


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sysrev")
def cli():
    """sysrev: run a systematic review and meta-analysis as code, and keep it living."""
