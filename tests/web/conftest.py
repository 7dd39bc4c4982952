"""Fixtures of the web tests: the small real project of :mod:`web_project` and the app over it."""

import pytest
from web_project import build_project


@pytest.fixture
def project(tmp_path):
    return build_project(tmp_path / "review")


@pytest.fixture
def app(project):
    from sysrev.web.app import create_app

    app = create_app(project, token="TESTTOKEN", secret_key="test-secret")
    app.testing = True
    return app
