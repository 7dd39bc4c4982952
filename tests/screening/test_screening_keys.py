"""The terminal key reader keeps type-ahead and hands out one key at a time (driven through a real pty)."""

import os

import pytest

from sysrev.screening.keys import TerminalKeys

termios = pytest.importorskip("termios", reason="needs a POSIX terminal")


def test_keys_typed_quickly_or_before_the_screen_starts_are_all_kept(terminal):
    master, stream = terminal
    os.write(master, b"i")  # typed while the project is still loading
    with TerminalKeys(stream) as getkey:
        os.write(master, b"ie m")  # a burst, as a reviewer who knows the records types
        assert [getkey() for _ in range(5)] == ["i", "i", "e", " ", "m"]


def test_escape_sequences_and_lone_esc_and_non_ascii(terminal):
    master, stream = terminal
    with TerminalKeys(stream) as getkey:
        os.write(master, "\x1b[A\x1b[1;5Cé".encode())
        assert [getkey(), getkey(), getkey()] == ["\x1b[A", "\x1b[1;5C", "é"]
        os.write(master, b"\x1b")
        assert getkey() == "\x1b"  # Esc alone (cancels the reasons menu) after a short wait


def test_terminal_settings_are_restored(terminal):
    _, stream = terminal
    before = termios.tcgetattr(stream.fileno())
    with TerminalKeys(stream):
        assert not termios.tcgetattr(stream.fileno())[3] & termios.ICANON  # cbreak: no line buffering
    assert termios.tcgetattr(stream.fileno()) == before
