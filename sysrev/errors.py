"""Errors a user can act on.

Every stage raises :class:`SysrevError` (or a subclass) for bad input or a failed external call, with a
message that names the file, line, row, column or record at fault. The CLI turns these into a one-line
message on stderr and exit code 2, so no traceback reaches a reviewer for a problem in their own data.
An error about a file that holds unresolved git merge conflicts says so (:mod:`sysrev.merge_conflicts`).
"""

from sysrev.merge_conflicts import conflict_note


class SysrevError(Exception):
    """A problem with the user's input or environment, explained in the message."""


class InputError(SysrevError):
    """Malformed or inconsistent input data; the message names where (file, line/row, column)."""

    def __init__(self, message: str, *, path=None, line=None, column=None):
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        self.path, self.line, self.column = path, line, column
        if path is not None and (note := conflict_note(path)):
            message = f"{message} — {note}"
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class InputErrors(InputError):
    """Several problems of one file, found in one reading, so a team fixes them all at once rather than one per
    run: ``errors`` holds each as an :class:`InputError`; the message lists them, one per line, up to
    ``shown``."""

    def __init__(self, errors: list, *, path, shown: int = 50):
        self.errors = list(errors)
        prefix = f"{path}, "
        lines = [str(error).removeprefix(prefix) for error in self.errors[:shown]]
        if len(self.errors) > shown:
            lines.append(f"… and {len(self.errors) - shown} more")
        super().__init__(f"{len(self.errors)} problems:" + "".join(f"\n  {line}" for line in lines), path=path)
