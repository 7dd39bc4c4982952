"""The rate limiter's edges: a rate below one request a second, the file lock's 60-second wait, and what the
warnings say when the shared schedule cannot be used (the operating system's reason, the file)."""

import logging

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
