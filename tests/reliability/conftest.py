"""Fixtures shared by the reliability tests."""

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
