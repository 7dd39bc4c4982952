"""Process-wide request spacing, so that every connector shares one budget per service.

NCBI allows at most 3 requests per second without an API key and 10 with one, *per user*, whatever the
number of threads or searches running; exceeding it earns HTTP 429. The limiter spaces the starts of
requests at least ``1/rate`` seconds apart (plus a small safety margin against clock jitter on the
server's side), which is both the fastest schedule the policy permits and one that never bursts.

The budget is per *user*, not per process: three searches started at once used to run three limiters
and reach 9 requests/s without a key (54 of 75 requests got HTTP 429). :func:`shared_limiter` therefore
gives a :class:`SharedRateLimiter`, whose schedule (the earliest start of the next request) lives in a small
file in the user's cache folder (``$SYSREV_CACHE_DIR``, else ``$XDG_CACHE_HOME/sysrev``, else
``~/.cache/sysrev``) and is read and advanced under a file lock, so every process of the user takes its
turn from the same schedule.

The clock and the sleep function are injectable so tests never really sleep.
"""

import logging
import os
import threading
import time
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger("sysrev.search")

# Keep starts this much further apart than the bare 1/rate: a server that counts requests in one-second
# windows sees our requests with network jitter, and a request landing just inside the window would be a 429.
SAFETY_MARGIN = 0.06

_registry: dict[str, "RateLimiter"] = {}
_registry_lock = threading.Lock()


def _forget_limiters_after_fork() -> None:
    """In a forked child: the parent's limiters hold its file lock, which the child may not use (filelock
    refuses a lock inherited across fork); the child builds its own, sharing the same schedule file."""
    global _registry_lock
    _registry.clear()
    _registry_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_limiters_after_fork)


class RateLimiter:
    """Blocks in :meth:`wait` until the next request may start; thread-safe."""

    def __init__(self, rate: float, *, clock=time.monotonic, sleep=time.sleep, margin: float = SAFETY_MARGIN):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.interval = (1.0 / rate) * (1.0 + margin)
        self._clock, self._sleep = clock, sleep
        self._next = None  # earliest start of the next request
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Reserve the next slot and sleep until it comes."""
        with self._lock:
            now = self._clock()
            start = now if self._next is None else max(now, self._next)
            self._next = start + self.interval
        delay = start - now
        if delay > 0:
            self._sleep(delay)

    def pause(self, seconds: float) -> None:
        """Push the next slot back by ``seconds`` (the server asked us to wait, e.g. Retry-After)."""
        with self._lock:
            now = self._clock()
            self._next = max(self._next or now, now + seconds)


# A schedule further ahead than this is not a real reservation (the wall clock was set back): start afresh.
_STALE_AHEAD = 900.0


def cache_dir() -> Path:
    """The user's sysrev cache folder (see the module docstring)."""
    if os.environ.get("SYSREV_CACHE_DIR"):
        return Path(os.environ["SYSREV_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "sysrev"


class SharedRateLimiter(RateLimiter):
    """A :class:`RateLimiter` whose schedule is shared by every process of the user through a file.

    The schedule is a wall-clock time (``time.time``), the only clock processes share. If the cache folder
    cannot be used, the limiter says so once and spaces this process's requests only.
    """

    def __init__(self, service: str, rate: float, *, folder=None, clock=time.time, sleep=time.sleep,
                 margin: float = SAFETY_MARGIN):
        super().__init__(rate, clock=clock, sleep=sleep, margin=margin)
        folder = Path(folder) if folder is not None else cache_dir() / "ratelimit"
        self.path = folder / f"{service}.next"
        self._file_lock = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._file_lock = FileLock(str(folder / f"{service}.lock"), timeout=60)
        except OSError as exc:
            log.warning("cannot use %s for the shared rate limit (%s); limiting this process only", folder,
                        exc.strerror or exc)

    def wait(self) -> None:
        """Reserve the next slot in the shared schedule and sleep until it comes."""
        delay = self._reserve(lambda now, scheduled: max(now, scheduled), advance=True)
        if delay is None:
            return super().wait()
        if delay > 0:
            self._sleep(delay)

    def pause(self, seconds: float) -> None:
        """Push the shared schedule back by ``seconds`` (the server asked every client of ours to wait)."""
        if self._reserve(lambda now, scheduled: max(scheduled, now + seconds), advance=False) is None:
            super().pause(seconds)

    def _reserve(self, start_of, *, advance: bool) -> float | None:
        """Under the file lock: read the schedule, compute ``start_of(now, scheduled)``, write it back (plus
        one interval when ``advance``); return the delay until that start, or None when the file is unusable."""
        if self._file_lock is None:
            return None
        try:
            with self._file_lock, self._lock:
                now = self._clock()
                scheduled = self._read(now)
                start = start_of(now, scheduled)
                self.path.write_text(repr(start + (self.interval if advance else 0.0)), encoding="ascii")
                return start - now
        except (OSError, Timeout) as exc:
            log.warning("shared rate limit file %s unusable (%s); limiting this process only", self.path, exc)
            self._file_lock = None
            return None

    def _read(self, now: float) -> float:
        try:
            scheduled = float(self.path.read_text(encoding="ascii"))
        except (OSError, ValueError):
            return now  # no schedule yet, or a write cut short by a crash
        return now if scheduled - now > _STALE_AHEAD else scheduled


def shared_limiter(service: str, rate: float) -> RateLimiter:
    """The limiter of ``service`` (e.g. ``"eutils"``) shared by every thread and process of the user.

    If a later caller asks for a lower rate (e.g. one search has no API key), the limiter slows down to
    it: the strictest policy in force applies to the whole process.
    """
    with _registry_lock:
        limiter = _registry.get(service)
        if limiter is None:
            limiter = _registry[service] = SharedRateLimiter(service, rate)
        elif rate < limiter.rate:
            limiter.rate = rate
            limiter.interval = (1.0 / rate) * (1.0 + SAFETY_MARGIN)
        return limiter
