"""Line numbers of the keys and tables of a TOML file, for error messages (:mod:`tomllib` keeps none).

:func:`key_lines` scans the text once and maps every key path — ``("screening", "reviewers")``,
``("databases", 1, "name")`` for the second ``[[databases]]``, ``("analyses", "pain")`` for a table header —
to the line where it is written. It understands table headers, arrays of tables, dotted and quoted keys,
inline tables (their keys get the line of the inline table) and skips multi-line strings and the inside of
multi-line arrays. It is a locator, not a parser: the file has already been parsed by :mod:`tomllib`.
:class:`Locator` turns it into errors that name a file's line, for the checks a schema cannot make.
"""

import re
from pathlib import Path

from sysrev.errors import InputError

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$")
_PART = re.compile(_KEY)


def _split(dotted: str) -> tuple[str, ...]:
    """``a."b c".d`` → ``("a", "b c", "d")``."""
    parts = []
    for match in _PART.finditer(dotted):
        token = match.group(0)
        if token[0] in "\"'":
            token = token[1:-1]
        parts.append(token)
    return tuple(parts)


def _bracket_balance(value: str) -> int:
    """Open minus closed brackets/braces in a value, ignoring those inside strings and comments."""
    depth, quote, i = 0, None, 0
    while i < len(value):
        char = value[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        i += 1
    return depth


def key_lines(text: str) -> dict[tuple, int]:
    """Map each key path (table headers included) to its 1-based line; arrays of tables carry an index."""
    lines: dict[tuple, int] = {}
    array_counts: dict[tuple, int] = {}
    table: tuple = ()
    depth = 0
    in_string = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if in_string in line:
                in_string = None
            continue
        if depth > 0:
            depth += _bracket_balance(line)
            continue
        header = _HEADER.match(line)
        if header:
            parts = _split(header.group(2))
            if header.group(1) == "[[":
                index = array_counts.get(parts, 0)
                array_counts[parts] = index + 1
                table = _resolve(parts, array_counts) + (index,)
                lines.setdefault(table[:-1], number)
            else:
                table = _resolve(parts, array_counts)
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if not assign:
            continue
        path = table + _split(assign.group(1))
        lines.setdefault(path, number)
        value = assign.group(2)
        for marker in ('"""', "'''"):
            if value.startswith(marker) and value.count(marker) == 1:
                in_string = marker
        if not in_string:
            depth = _bracket_balance(value)
            if value.lstrip().startswith("{"):
                for inner in re.finditer(rf"({_KEY})\s*=", value):
                    lines.setdefault(path + _split(inner.group(1)), number)
    return lines


def _resolve(parts: tuple, array_counts: dict) -> tuple:
    """A header's path with the index of the latest element of any array of tables it is nested in."""
    out: tuple = ()
    for part in parts:
        out += (part,)
        if out in array_counts and out != parts:
            out += (array_counts[out] - 1,)
    return out


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of ``path`` or, failing that, of the nearest enclosing table written in the file."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


class Locator:
    """The lines of one TOML file's keys, for :class:`InputError` messages that name the file and line.

    A key not written in the file (a default) is placed at its nearest enclosing table; an unreadable file
    gives errors without a line."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            text = ""
        self.lines = key_lines(text)

    def line(self, *parts: str, key: str | None = None) -> int | None:
        """The line of ``key`` in the table ``[parts]`` (or of the sub-table ``[parts.key]``), else of the
        nearest enclosing table written in the file."""
        return line_of(self.lines, parts + ((key,) if key is not None else ()))

    def error(self, message: str, *parts: str, key: str | None = None) -> InputError:
        return InputError(message, path=self.path, line=self.line(*parts, key=key))
