"""Counts in the sentences sysrev prints: "1 record has", "2 records have", never "1 records" or "record(s)".

Shared by every command's summaries (status, refresh, import, dedup, screen status, meta run) and warnings."""


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes: ``counted(1, "record")`` is "1 record", ``counted(3, "study",
    "studies")`` "3 studies"; zero takes the plural ("0 records")."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def verb(n: int, singular: str, plural: str) -> str:
    """The verb (or phrase) that agrees with a count of ``n``: ``verb(1, "has", "have")`` is "has"."""
    return singular if n == 1 else plural


def clause(n: int, noun: str, singular_verb: str, plural_verb: str) -> str:
    """Count, noun and verb in agreement: ``clause(1, "record", "has", "have")`` is "1 record has",
    ``clause(2, "record", "has", "have")`` "2 records have"."""
    return f"{counted(n, noun)} {verb(n, singular_verb, plural_verb)}"


def named(noun: str, names, plural: str | None = None) -> str:
    """The noun in the number of the names that follow it: ``named("column", ["sd"])`` is "column sd",
    ``named("column", ["sd", "raw"])`` "columns sd, raw" (the names as given, joined with commas)."""
    names = list(names)
    return f"{noun if len(names) == 1 else plural or noun + 's'} {', '.join(names)}"
