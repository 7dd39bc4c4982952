"""Key reading in detail: where an escape sequence ends, the rest of one arriving after a lone Esc, bytes
that are not UTF-8, the end of input, and exceptions passing through the terminal context."""

import io
import os

import pytest

from sysrev.screening.keys import PipedKeys, TerminalKeys, _escape_length, single_keys


@pytest.mark.parametrize(("text", "length"), [
    ("\x1b", 1),  # Esc alone
    ("\x1bx", 1),  # Esc, then an ordinary key
    ("\x1bXA", 1),  # an upper-case letter after Esc starts no sequence either
    ("\x1b[", 2),  # a sequence cut short: all that has arrived
    ("\x1b[1;5", 5),
    ("\x1b[A", 3),  # arrow keys: CSI ...
    ("\x1bOA", 3),  # ... and SS3 form
    ("\x1b[@x", 3),  # '@' and '~' are the first and last final bytes
    ("\x1b[2~x", 4),
    ("\x1b[1;5Cx", 6),
])
def test_escape_sequence_lengths(text, length):
    assert _escape_length(text) == length


def test_the_rest_of_a_sequence_arriving_after_a_lone_esc_is_joined_to_it(terminal):
    master, stream = terminal
    keys = TerminalKeys(stream)
    with keys:
        os.write(master, b"\x1b")
        keys._read(timeout=None)  # the Esc alone has been read ...
        os.write(master, b"[A")  # ... and the rest of the arrow key comes a moment later
        assert keys() == "\x1b[A"
        os.write(master, b"i")
        assert keys() == "i"


def test_bytes_that_are_not_utf8_become_a_replacement_character(terminal):
    master, stream = terminal
    with TerminalKeys(stream) as getkey:
        os.write(master, b"\xffi")
        assert [getkey(), getkey()] == ["\ufffd", "i"]


def test_an_exception_inside_the_terminal_context_is_not_swallowed(terminal):
    _, stream = terminal
    with pytest.raises(KeyboardInterrupt):
        with TerminalKeys(stream):
            raise KeyboardInterrupt


def test_a_closed_input_ends_with_eof():
    read, write = os.pipe()
    with os.fdopen(read, "rb", buffering=0) as stream:
        os.write(write, b"i")
        os.close(write)
        keys = TerminalKeys(stream)  # read without cbreak mode: a pipe is no terminal
        assert keys() == "i"
        with pytest.raises(EOFError, match="^the terminal closed$"):
            keys()


def test_piped_keys_skip_whitespace_and_end_with_eof():
    keys = PipedKeys(io.StringIO("s d\n\tq\n"))
    assert [keys(), keys(), keys()] == ["s", "d", "q"]
    with pytest.raises(EOFError, match="^no more keys$"):
        keys()


def test_single_keys_reads_a_terminal_key_by_key_and_anything_else_as_piped(monkeypatch, terminal):
    monkeypatch.setattr("sys.stdin", io.StringIO("s q"))
    piped = single_keys()
    assert isinstance(piped, PipedKeys) and [piped(), piped()] == ["s", "q"]
    master, stream = terminal
    with os.fdopen(os.dup(stream.fileno()), "r") as tty_in:
        monkeypatch.setattr("sys.stdin", tty_in)
        keys = single_keys()
        assert isinstance(keys, TerminalKeys) and keys.fd == tty_in.fileno()
        with keys:
            os.write(master, b"i")
            assert keys() == "i"


def test_an_exception_inside_the_piped_keys_context_is_not_swallowed():
    with pytest.raises(KeyboardInterrupt):
        with PipedKeys(io.StringIO("")):
            raise KeyboardInterrupt
