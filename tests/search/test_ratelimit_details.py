"""The rate limiter's edges: a rate below one request a second, the file lock's 60-second wait, and what the
warnings say when the shared schedule cannot be used (the operating system's reason, the file)."""

import logging
import os
import threading
import warnings

import pytest

from sysrev.search.ratelimit import SAFETY_MARGIN, RateLimiter, SharedRateLimiter


def test_a_rate_below_one_a_second_is_a_rate():
    limiter = RateLimiter(0.5)
    assert limiter.interval == pytest.approx(2.0 * (1 + SAFETY_MARGIN))
    with pytest.raises(ValueError, match="rate must be positive"):
        RateLimiter(0)


def test_the_shared_schedules_lock_is_waited_for_a_minute_at_most(tmp_path):
    assert SharedRateLimiter("eutils", 3.0, folder=tmp_path)._file_lock.timeout == 60


def test_a_cache_folder_that_cannot_be_made_says_why_and_limits_this_process(tmp_path, caplog):
    blocker = tmp_path / "ratelimit"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="sysrev.search.ratelimit"):
        limiter = SharedRateLimiter("eutils", 3.0, folder=blocker)
    assert limiter._file_lock is None
    assert caplog.messages == [f"cannot use {blocker} for the shared rate limit (File exists); limiting this process "
                               "only"]


def test_a_schedule_file_that_cannot_be_written_names_the_error(tmp_path, caplog):
    times = iter([100.0, 100.0, 100.0])
    limiter = SharedRateLimiter("eutils", 3.0, folder=tmp_path, clock=lambda: next(times), sleep=lambda s: None)
    limiter.path.mkdir()  # the schedule's name taken by a folder: writing it fails
    with caplog.at_level(logging.WARNING, logger="sysrev.search.ratelimit"):
        limiter.wait()
    assert len(caplog.messages) == 1
    assert caplog.messages[0].startswith(f"shared rate limit file {limiter.path} unusable ([Errno 21] Is a directory")
    assert caplog.messages[0].endswith("; limiting this process only")


@pytest.mark.skipif(os.name != "posix", reason="os.fork (POSIX) is needed: the hook runs only in a forked child")
def test_a_forked_child_builds_its_own_limiters_and_lock(monkeypatch):
    """A child forked while the parent holds the registry lock (another thread mid-`shared_limiter`) and has
    limiters (whose file locks the child may not use) starts with neither: an empty registry and a free lock,
    so its first `shared_limiter` builds a limiter of its own instead of hanging or reusing the parent's."""
    from sysrev.search import ratelimit

    monkeypatch.setattr(ratelimit, "_registry", {"eutils": RateLimiter(3.0)})
    monkeypatch.setattr(ratelimit, "_registry_lock", threading.Lock())
    parents_lock = ratelimit._registry_lock
    read, write = os.pipe()
    with parents_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # forking a process that runs threads (pytest's)
        pid = os.fork()
    if pid == 0:  # the child: report what it sees, then leave without running pytest's clean-up
        try:
            seen = (f"{sorted(ratelimit._registry)} {ratelimit._registry_lock is parents_lock} "
                    f"{ratelimit._registry_lock.acquire(blocking=False)}")
        except BaseException as exc:  # noqa: BLE001 - whatever went wrong is reported to the parent
            seen = repr(exc)
        os.write(write, seen.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        seen = pipe.read().decode()
    os.waitpid(pid, 0)
    assert seen == "[] False True"
    assert ratelimit._registry == {"eutils": ratelimit._registry["eutils"]}  # the parent's are untouched


def test_the_fork_hook_empties_the_registry_and_makes_a_free_lock(monkeypatch):
    """The hook itself, called in this process (the forked test above sees it run in a child, where mutation
    testing's tracing cannot follow): the limiters are forgotten and the lock is a new, unheld one, even when the
    old one was held at the fork."""
    from sysrev.search import ratelimit

    held = threading.Lock()
    held.acquire()
    monkeypatch.setattr(ratelimit, "_registry", {"eutils": RateLimiter(3.0)})
    monkeypatch.setattr(ratelimit, "_registry_lock", held)
    ratelimit._forget_limiters_after_fork()
    assert ratelimit._registry == {}
    assert ratelimit._registry_lock is not held
    assert ratelimit._registry_lock.acquire(blocking=False)
