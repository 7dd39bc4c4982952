"""How `sysrev rob check` names a problem: file, line and key before the message, each only when known."""

from pathlib import Path

import pytest

from sysrev.errors import InputError
from sysrev.rob.check import ERROR, WARNING, Problem, _bare

FORM = Path("analysis/rob2/Smith 2015--pain.toml")


@pytest.mark.parametrize("line, key, where", [
    (12, "D1.answers.1.1", "analysis/rob2/Smith 2015--pain.toml:12 [D1.answers.1.1]"),
    (None, "D1.answers.1.1", "analysis/rob2/Smith 2015--pain.toml [D1.answers.1.1]"),
    (12, "", "analysis/rob2/Smith 2015--pain.toml:12"),
    (None, "", "analysis/rob2/Smith 2015--pain.toml"),
])
def test_a_problem_names_file_line_and_key_when_known(line, key, where):
    assert str(Problem(ERROR, FORM, key, "missing answer", line)) == f"error: {where}: missing answer"
    assert str(Problem(WARNING, FORM, key, "override equals", line)).startswith(f"warning: {where}: ")


@pytest.mark.parametrize("path, line, column", [
    (FORM, 3, "D1.answers.1.1"), (FORM, 3, None), (FORM, None, "judgement"), (None, 7, None), (None, None, None),
])
def test_bare_strips_exactly_the_location_prefix(path, line, column):
    # the Problem prints file and line itself, so the message keeps only what is after "where: "
    assert _bare(InputError("not a valid answer: 'Maybe'", path=path, line=line, column=column)) == \
        "not a valid answer: 'Maybe'"


def test_bare_keeps_a_message_that_merely_contains_a_colon():
    assert _bare(InputError("expected one of: Y, PY, PN, N, NI")) == "expected one of: Y, PY, PN, N, NI"


def test_bare_keeps_a_message_without_location_as_it_is():
    assert _bare(InputError(": begins with a colon")) == ": begins with a colon"
