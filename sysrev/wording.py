"""Counts in the sentences sysrev prints: "1 record", "2 records", never "1 records" or "record(s)".

One helper for every command's summary (status, refresh, import, dedup, screen status, meta run)."""


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes: ``counted(1, "record")`` is "1 record", ``counted(3, "study",
    "studies")`` "3 studies"; zero takes the plural ("0 records")."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
