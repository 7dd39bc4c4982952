"""Fixtures shared by the dedup tests."""

import locale

import pytest

from sysrev.project import Project


@pytest.fixture()
def ascii_locale():
    """The machine's locale set to plain C (ASCII), as on a minimal server or container: files sysrev writes
    and reads are UTF-8 whatever the locale."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    yield
    locale.setlocale(locale.LC_CTYPE, before)


@pytest.fixture()
def project(tmp_path):
    """An empty review project (a minimal review.toml) in a temporary folder."""
    (tmp_path / "review.toml").write_text('[review]\ntitle = "t"\nquestion = "q"\n', encoding="utf-8")
    return Project(root=tmp_path)
