"""Process-wide request spacing, so that every connector shares one budget per service.

NCBI allows at most 3 requests per second without an API key and 10 with one, *per user*, whatever the
number of threads or searches running; exceeding it earns HTTP 429. The limiter spaces the starts of
requests at least ``1/rate`` seconds apart (plus a small safety margin against clock jitter on the
server's side), which is both the fastest schedule the policy permits and one that never bursts.

The clock and the sleep function are injectable so tests never really sleep.
"""

import threading
import time

# Keep starts this much further apart than the bare 1/rate: a server that counts requests in one-second
# windows sees our requests with network jitter, and a request landing just inside the window would be a 429.
SAFETY_MARGIN = 0.06

_registry: dict[str, "RateLimiter"] = {}
_registry_lock = threading.Lock()


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
        self.waited = 0.0  # total seconds spent waiting, for reports

    def wait(self) -> None:
        """Reserve the next slot and sleep until it comes."""
        with self._lock:
            now = self._clock()
            start = now if self._next is None else max(now, self._next)
            self._next = start + self.interval
        delay = start - now
        if delay > 0:
            self.waited += delay
            self._sleep(delay)

    def pause(self, seconds: float) -> None:
        """Push the next slot back by ``seconds`` (the server asked us to wait, e.g. Retry-After)."""
        with self._lock:
            now = self._clock()
            self._next = max(self._next or now, now + seconds)


def shared_limiter(service: str, rate: float) -> RateLimiter:
    """The process-wide limiter of ``service`` (e.g. ``"eutils"``); created on first use.

    If a later caller asks for a lower rate (e.g. one search has no API key), the limiter slows down to
    it: the strictest policy in force applies to the whole process.
    """
    with _registry_lock:
        limiter = _registry.get(service)
        if limiter is None:
            limiter = _registry[service] = RateLimiter(rate)
        elif rate < limiter.rate:
            limiter.rate = rate
            limiter.interval = (1.0 / rate) * (1.0 + SAFETY_MARGIN)
        return limiter
