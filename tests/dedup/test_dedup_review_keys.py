"""`sysrev dedup review` reads one key per pair, like the screening screen (no Enter)."""

import io

import pytest

from sysrev.cli.dedup import _ask_key
from sysrev.screening.keys import PipedKeys


def test_piped_keys_are_single_characters_without_enter():
    keys = PipedKeys(io.StringIO("sd\nq"))
    assert [keys(), keys(), keys()] == ["s", "d", "q"]
    with pytest.raises(EOFError):
        keys()


def test_a_key_that_is_no_choice_asks_again_and_end_of_input_quits(capsys):
    assert _ask_key(PipedKeys(io.StringIO("xS"))) == "s"
    assert "'x' is not a choice; press s, d, r, k or q" in capsys.readouterr().out
    assert _ask_key(PipedKeys(io.StringIO(""))) == "q"
