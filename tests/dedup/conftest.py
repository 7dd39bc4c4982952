"""Fixtures shared by the dedup tests."""

import locale

import pytest


@pytest.fixture()
def ascii_locale():
    """The machine's locale set to plain C (ASCII), as on a minimal server or container: files sysrev writes
    and reads are UTF-8 whatever the locale."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    yield
    locale.setlocale(locale.LC_CTYPE, before)
