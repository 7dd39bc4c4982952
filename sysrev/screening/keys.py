"""Single key presses from the terminal for the interactive screen, without losing type-ahead.

``click.getchar`` switches the terminal to raw mode for every key with ``TCSAFLUSH``, which throws away
whatever the reviewer typed while the previous decision was being saved and the next record drawn, and it
returns several keys pressed together as one string. A reviewer who knows the records presses ``i i e``
quickly, so both would lose decisions. :class:`TerminalKeys` instead puts the terminal in cbreak mode once
for the whole session (keys arrive one by one, unechoed; Ctrl-C still interrupts), keeps every byte that
arrives in a queue, and hands out one key at a time: a printable character, or a whole escape sequence
(``"\\x1b[A"`` for an arrow key) so that a stray arrow press is not read as Esc followed by letters.
"""

import codecs
import os
import select
import sys

import click

try:  # POSIX terminals; on Windows click.getchar (msvcrt) already reads one key at a time, keeping type-ahead
    import termios
    import tty
except ImportError:  # pragma: no cover - exercised on Windows only
    termios = tty = None

ESCAPE_WAIT = 0.03  # seconds to wait for the rest of an escape sequence after Esc


class TerminalKeys:
    """A context manager holding the terminal in cbreak mode; calling it returns the next key as a str."""

    def __init__(self, stream=None):
        self.fd = (stream or sys.stdin).fileno()
        self._saved = None
        self._pending = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def __enter__(self):
        if termios is not None:
            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd, termios.TCSANOW)  # TCSANOW: keep keys already typed
        return self

    def __exit__(self, *exc):
        if termios is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
        return False

    def __call__(self) -> str:
        """The next key (blocks until one is pressed)."""
        if termios is None:  # pragma: no cover - Windows
            return click.getchar()
        while not self._pending:
            self._read(timeout=None)
        if self._pending[0] == "\x1b":
            if len(self._pending) == 1:
                self._read(timeout=ESCAPE_WAIT)
            return self._take(_escape_length(self._pending))
        return self._take(1)

    def _take(self, count) -> str:
        key, self._pending = self._pending[:count], self._pending[count:]
        return key

    def _read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return
        data = os.read(self.fd, 64)
        if not data:
            raise EOFError("the terminal closed")
        self._pending += self._decoder.decode(data)


class PipedKeys:
    """Keys from a stream that is not a terminal (a script or a test piping answers in): one character at a
    time, whitespace and newlines skipped, so ``s d q`` and ``s\\nd\\nq\\n`` mean the same; EOFError at the end."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self) -> str:
        while True:
            char = self.stream.read(1)
            if not char:
                raise EOFError("no more keys")
            if not char.isspace():
                return char


def single_keys():
    """Single key presses from stdin: :class:`TerminalKeys` on a terminal, :class:`PipedKeys` otherwise."""
    return TerminalKeys() if sys.stdin.isatty() else PipedKeys(sys.stdin)


def _escape_length(text) -> int:
    """Length of the escape sequence at the start of ``text``: 1 for a lone Esc, else Esc [ … final byte."""
    if len(text) < 2 or text[1] not in "[O":
        return 1
    for index in range(2, len(text)):
        if "@" <= text[index] <= "~":
            return index + 1
    return len(text)
