"""Fixtures shared by the reliability tests."""

import contextlib
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli


@pytest.fixture
def project(tmp_path):
    """The root of a project just made by ``sysrev init --no-input --no-git``."""
    root = tmp_path / "review"
    result = CliRunner().invoke(cli, ["init", str(root), "--no-input", "--no-git"])
    assert result.exit_code == 0, result.output
    return root


@contextlib.contextmanager
def _lock_held_by_another_process(root):
    """Another process holds ``root``'s project lock while the block runs (it is killed afterwards, if it has
    not been already); the block is given that process."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from sysrev.locking import project_lock
        with project_lock({str(root)!r}):
            print("held", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.communicate()


@pytest.fixture
def lock_held_by_another_process():
    """A context manager: ``with lock_held_by_another_process(root) as holder:`` (see above)."""
    return _lock_held_by_another_process
