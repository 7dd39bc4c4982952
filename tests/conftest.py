"""Shared test fixtures.

Real recorded data (NCBI and Elsevier responses, reference-manager exports, labelled dedup sets, metafor
oracles) live outside the repository in ../shared/fixtures/ (or where SYSREV_SHARED_FIXTURES points). Tests
that need them use the ``shared_fixtures`` fixture, which skips with a clear reason when the folder is absent,
so a fresh clone elsewhere still passes on the project's own small fixtures.
"""

import os
import time
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (a CI result never depends on luck); a search for new
# counterexamples with fresh randomness is a benchmark's job: HYPOTHESIS_PROFILE=explore.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO_ROOT = Path(__file__).resolve().parent.parent
OWN_FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_fixtures_dir() -> Path:
    """Where the shared recorded fixtures are expected (they may be absent)."""
    env = os.environ.get("SYSREV_SHARED_FIXTURES")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "fixtures"


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """Path to ../shared/fixtures; skips the test when it is not there."""
    path = shared_fixtures_dir()
    if not path.is_dir():
        pytest.skip(f"shared recorded fixtures not found at {path} (set SYSREV_SHARED_FIXTURES to use them)")
    return path


@pytest.fixture(scope="session")
def own_fixtures() -> Path:
    """Path to the project's own small fixtures under tests/fixtures/."""
    return OWN_FIXTURES


@pytest.fixture(autouse=True, scope="session")
def _private_user_cache(tmp_path_factory):
    """Point sysrev's per-user cache (the shared rate-limit schedule) at a folder of this test session, so
    tests neither read nor write the real user's ~/.cache, and subprocesses inherit the same folder."""
    previous = os.environ.get("SYSREV_CACHE_DIR")
    os.environ["SYSREV_CACHE_DIR"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if previous is None:
        os.environ.pop("SYSREV_CACHE_DIR", None)
    else:
        os.environ["SYSREV_CACHE_DIR"] = previous


@pytest.fixture()
def clock_east_of_utc(monkeypatch):
    """The machine's clock 13 hours east of UTC (a POSIX TZ string: needs no time-zone database), so that a
    date or time sysrev should write in UTC comes out wrong if it is written in local time."""
    monkeypatch.setenv("TZ", "XST-13")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture()
def write_file(tmp_path):
    """``write_file(name, text, encoding="utf-8")``: a test's input file written byte for byte into tmp_path (no
    line-end translation), returning its path."""
    def write(name, text, encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path
    return write
