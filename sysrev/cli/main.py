"""Entry point of the `sysrev` command: the click group and the registration of every command group.

Each command group lives in its own module under ``sysrev/cli/`` and stays thin: it parses arguments,
calls the stage's library code and prints. Errors a user can fix (:class:`sysrev.errors.SysrevError`)
become a one-line message and exit code 2, and so do errors of the machine (:class:`OSError`: a full disk,
a read-only folder, a file name too long), which no stage can fix.
"""

import contextlib
import errno
import importlib
import os
import sys
import warnings
from pathlib import Path

import click

import sysrev
from sysrev.errors import SysrevError

# Command name -> (module under sysrev.cli, attribute). Modules are imported only when their command runs,
# so `sysrev screen` does not pay for scipy and matplotlib, which other command groups need.
_COMMANDS = {
    "check": ("check", "check"),
    "dedup": ("dedup", "dedup"),
    "diff": ("diff", "diff"),
    "export": ("export", "export"),
    "extract": ("extract", "extract"),
    "fulltext": ("fulltext", "fulltext"),
    "grade": ("grade", "grade"),
    "import": ("importer", "import_command"),
    "init": ("init", "init"),
    "meta": ("meta", "meta"),
    "prisma": ("prisma", "prisma"),
    "refresh": ("refresh", "refresh"),
    "release": ("release", "release"),
    "rob": ("rob", "rob"),
    "screen": ("screen", "screen"),
    "search": ("search", "search"),
    "serve": ("serve", "serve"),
    "sof": ("grade", "sof"),
    "status": ("status", "status"),
}

# Command name -> the first paragraph of its help, so `sysrev --help` lists every command without importing
# a single command module (tests/test_cli_help.py checks each against the command's own help). A command
# missing here is imported to list it, which is correct, only slower.
_SHORT_HELP = {
    "check": "Check every file of the project against the schema and the stages' rules; exit 2 on any error.",
    "diff": "Compare two versions of the review: releases by VERSION, or `working` for the files as they are now "
            "(default: the last release against the working state). Per analysis: k, participants, estimate and "
            "CI, p, I², τ², prediction interval, studies added/removed/changed, and flags explained in words "
            "(docs/living.md).",
    "dedup": "Find duplicate records: `sysrev dedup` (project), `sysrev dedup FILE... --clusters OUT.csv` "
             "(files), `sysrev dedup review` (decide uncertain pairs).",
    "export": "Export included studies, decisions, analysis data and R scripts.",
    "extract": "Data extraction (analysis/extraction/*.csv): check, compare, convert.",
    "fulltext": "Open-access full texts: fetch them (PMC, Europe PMC, Unpaywall) and read their tables.",
    "grade": "Propose or refresh analysis/grade/<name>.toml for every analysis (or those NAMEd).",
    "import": "Import reference files (RIS, NBIB/MEDLINE, BibTeX, EndNote XML or tagged, WoS, PubMed XML, "
              "ProQuest, Ovid or Cochrane Library text, CSL-JSON, CSV or Excel, ClinicalTrials.gov JSON, "
              "ICTRP XML, OpenAlex JSON) as one search-run snapshot. Give all the files of one split export together. "
              "Without FILES, the file named by the project's strategy searches/<--source>.toml is imported.",
    "init": "Create a review project in DIRECTORY (default: here): review.toml, a search strategy per database, "
            "analyses, extraction forms, .gitignore and a README for the team; `git init` if not in a repository.",
    "meta": "Meta-analysis: pool effect sizes from a CSV (`pool`) or run a project's analyses (`run`).",
    "prisma": "PRISMA 2020 flow counts from the search runs, dedup and screening logs; optionally the diagram.",
    "refresh": "Update the review: every searches/*.toml strategy runs for what is new since its last run, exports "
               "dropped in searches/inbox/<strategy>/ are imported, everything is deduplicated against the history "
               "with stable record IDs, and the to-do list is printed (docs/living.md). Safe to re-run: a second "
               "refresh the same day adds nothing, and an interrupted one continues where it stopped. Exit code 2 "
               "when a search failed (the others still ran).",
    "release": "Freeze the analysis results, PRISMA counts, included studies, each strategy's search date and the "
               "sysrev version into releases/VERSION/ (docs/living.md). From the second release on, the PRISMA 2020 "
               "diagram is the updated-review one, derived from the previous release.",
    "rob": "RoB 2 risk-of-bias assessments (analysis/rob2/<study>--<outcome>.toml).",
    "screen": "Screen records one at a time (with --reviewer), or use a subcommand.",
    "search": "Search PubMed and Scopus; every run is saved as a snapshot (manifest.json + records.jsonl).",
    "serve": "Serve the project as a web app: dashboard, screening, conflicts, duplicates, RoB 2, evidence.",
    "status": "Show where the review stands: searches, dedup, screening, included studies, pending extraction and "
              "RoB 2 per analysed outcome, analyses whose inputs changed. Reads only; exit code 0.",
    "sof": "The Summary of findings table of every analysis (or those NAMEd), in the Cochrane/GRADEpro layout.",
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

    def format_commands(self, ctx, formatter):
        """The command list, as click writes it, from :data:`_SHORT_HELP` for commands not loaded yet."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands or name not in _SHORT_HELP:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                rows.append((name, command.get_short_help_str(limit)))
            else:
                rows.append((name, click.Command(name, help=_SHORT_HELP[name]).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.ClickException as exc:
            raise _OnePrefix(exc) from None

    def invoke(self, ctx):
        try:
            with _table_warnings_as_lines():
                return super().invoke(ctx)
        except click.ClickException as exc:  # a subcommand's usage error: click would print "Error: …"
            raise _OnePrefix(exc) from None
        except SysrevError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except BrokenPipeError:  # `sysrev status | head`: the reader has what it wanted; no "error: Broken pipe"
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
            sys.exit(1)
        except OSError as exc:  # the machine, not sysrev: a full disk, a read-only folder, a name too long
            click.echo(f"error: {_os_error(exc)}", err=True)
            sys.exit(2)


class _OnePrefix(click.ClickException):
    """A click error (bad option, missing argument …) printed with the one prefix every sysrev error has,
    ``error: …``, where click writes ``Error: …``; the usage lines and exit code stay click's."""

    def __init__(self, original: click.ClickException):
        super().__init__(original.format_message())
        self.original, self.exit_code = original, original.exit_code

    def show(self, file=None):
        ctx = getattr(self.original, "ctx", None)
        if isinstance(self.original, click.UsageError) and ctx is not None:
            click.echo(ctx.get_usage(), err=True)
            if ctx.command.get_help_option(ctx) is not None:
                click.echo(f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.\n", err=True)
        click.echo(f"error: {self.format_message()}", err=True)


@contextlib.contextmanager
def _table_warnings_as_lines():
    """Print each :class:`sysrev.hand_tables.CutOffWarning` once as ``warning: FILE, line N: …`` on stderr, the
    form of every sysrev warning (a hand-edited table read by several stages warns once, not per reader);
    other warnings keep Python's own display."""
    from sysrev.hand_tables import CutOffWarning

    with warnings.catch_warnings():
        python_display, printed = warnings.showwarning, set()

        def show(message, category, filename, lineno, file=None, line=None):
            if not issubclass(category, CutOffWarning):
                python_display(message, category, filename, lineno, file, line)
            elif str(message) not in printed:
                printed.add(str(message))
                click.echo(f"warning: {message}", err=True)

        warnings.showwarning = show
        warnings.filterwarnings("always", category=CutOffWarning)
        yield


def _os_error(exc: OSError) -> str:
    """An operating-system error as one line naming the file, and what it means for the project's files. A
    write that failed on its temporary file (a read-only folder, a full disk) names the file it was writing."""
    from sysrev.fileio import interrupted_write_target

    name = str(exc.filename) if exc.filename else ""
    target = interrupted_write_target(Path(name).name) if name else None
    where = f"{Path(name).with_name(target)}: " if target else f"{name}: " if name else ""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason += " (free some space and run the command again; files are written whole or not at all, so " \
                  "nothing already saved was changed)"
    return f"{where}{reason}"


def _print_version(ctx, _param, value):
    """``--version``: the version is read from the package metadata only when asked for."""
    if value and not ctx.resilient_parsing:
        click.echo(f"sysrev, version {sysrev.__version__}")
        ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
def cli():
    """sysrev: run a systematic review and meta-analysis as code, and keep it living."""
