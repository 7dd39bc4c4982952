"""`sysrev --help` lists every command without importing any command module, and lists them exactly as the
commands' own help says (the speed itself is measured by benchmarks/cli_help.py, not here)."""

import inspect
import subprocess
import sys

import click

from sysrev.cli.main import _COMMANDS, _SHORT_HELP, cli


def test_short_help_matches_each_command():
    ctx = click.Context(cli)
    assert set(_SHORT_HELP) == set(_COMMANDS)
    for name, text in _SHORT_HELP.items():
        command = cli.get_command(ctx, name)
        assert inspect.cleandoc(command.help).split("\n\n")[0].replace("\n", " ") == text, name


def _help_in_a_fresh_process(load_all: bool) -> tuple[str, str]:
    """``sysrev --help`` from a new interpreter: (its output, the sysrev.cli command modules it imported)."""
    load = "ctx = click.Context(cli)\nfor name in _COMMANDS:\n    cli.get_command(ctx, name)\n"
    probe = ("import sys, click\nfrom sysrev.cli.main import _COMMANDS, cli\n" + (load if load_all else "")
             + "try:\n    cli(['--help'], prog_name='sysrev')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('sysrev.cli.') and m not in "
             "('sysrev.cli.main', 'sysrev.cli.options')), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout, run.stderr.strip().splitlines()[-1]


def test_top_level_help_imports_no_command_module_and_reads_as_click_would():
    lazy, imported = _help_in_a_fresh_process(load_all=False)
    assert imported == "[]"
    loaded, imported = _help_in_a_fresh_process(load_all=True)
    assert imported != "[]"
    assert lazy == loaded  # the same text click writes from the commands' own help
    assert all(f"  {name} " in lazy for name in _COMMANDS)


# Libraries that cost a tenth of a second or more to import; no command's help may need them.
HEAVY = ("pandas", "scipy", "numpy", "matplotlib", "sklearn", "requests", "Bio", "rapidfuzz", "tqdm")


def _modules_after_help(name: str) -> list[str]:
    """The heavy libraries a fresh interpreter has imported after ``sysrev NAME --help`` and the help of
    every subcommand of NAME (loading a group's module to list its subcommands is what its help does)."""
    probe = (f"import sys, click\nfrom sysrev.cli.main import cli\nname = {name!r}\n"
             "def show(argv):\n    try:\n        cli([*argv, '--help'], prog_name='sysrev')\n"
             "    except SystemExit as exc:\n        assert not exc.code, (argv, exc.code)\n"
             "show([name])\ncommand = cli.get_command(click.Context(cli), name)\n"
             "for sub in getattr(command, 'commands', {}):\n    show([name, sub])\n"
             f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})), file=sys.stderr)")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return eval(run.stderr.strip().splitlines()[-1])  # the printed list of module names


def test_no_help_imports_a_heavy_library():
    """`sysrev --help`, each command's and each subcommand's help import none of the heavy libraries: those
    load inside the commands that compute (what keeps every help under 0.3 s, benchmarks/cli_help.py)."""
    offenders = {name: found for name in [*_COMMANDS] if (found := _modules_after_help(name))}
    assert offenders == {}
