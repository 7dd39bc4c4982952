"""Progress of a search run: a bar of records fetched / expected on a terminal, silence otherwise.

Scripts, CI logs and pipes get no bar (it would only fill them with carriage returns); the outcome of the
run is reported by the command once it finishes.
"""

import sys

from tqdm import tqdm


class Progress:
    """Counts fetched records; draws a tqdm bar on ``stream`` only when it is a TTY (or ``enabled``)."""

    def __init__(self, desc: str, *, stream=None, enabled=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.desc = desc
        self.done = 0
        self.total = None
        self._bar = None

    def set_total(self, total: int) -> None:
        self.total = total
        if self.enabled:
            if self._bar is None:
                self._bar = tqdm(total=total, desc=self.desc, unit="rec", file=self.stream, initial=self.done)
            else:
                self._bar.total = total
                self._bar.refresh()

    def advance(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
