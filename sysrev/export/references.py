"""Writers for reference lists: RIS, BibTeX and CSV, from the deduplicated records (``records.jsonl`` dicts).

Only what the record holds is written; an empty field is left out (RIS, BibTeX) or empty (CSV), never filled.
"""

from __future__ import annotations

import csv
import io
import re

FORMATS = ("ris", "bibtex", "csv")
CSV_COLUMNS = ("record_id", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid",
               "pmcid", "url", "abstract")


def _pages(pages: str) -> tuple[str, str]:
    first, _, last = (pages or "").partition("-")
    return first.strip(), last.strip()


def to_ris(records: list[dict]) -> str:
    """RIS (``TY  - JOUR`` … ``ER  -``), the record ID as ``ID``."""
    out = []
    for r in records:
        lines = ["TY  - JOUR", f"ID  - {r['record_id']}"]
        if r.get("title"):
            lines.append(f"TI  - {r['title']}")
        lines += [f"AU  - {a}" for a in r.get("authors") or []]
        pairs = [("PY", r.get("year")), ("JO", r.get("journal")), ("VL", r.get("volume")), ("IS", r.get("issue"))]
        first, last = _pages(r.get("pages", ""))
        pairs += [("SP", first), ("EP", last), ("DO", r.get("doi")), ("AN", r.get("pmid")), ("UR", r.get("url")),
                  ("AB", r.get("abstract"))]
        lines += [f"{tag}  - {value}" for tag, value in pairs if value not in (None, "")]
        lines.append("ER  - ")
        out.append("\n".join(lines))
    return "\n".join(out) + ("\n" if out else "")


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}\\&%$#_])", r"\\\1", str(text))


def _bibtex_key(record: dict, used: set) -> str:
    family = re.sub(r"[^A-Za-z]", "", ((record.get("authors") or ["anon"])[0].split(",")[0])) or "anon"
    base = f"{family}{record.get('year') or ''}"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2)}" if n <= 27 else f"{base}_{n}"
    used.add(key)
    return key


def to_bibtex(records: list[dict]) -> str:
    """BibTeX ``@article`` entries; keys are family name + year (``Park2013``, ``Park2013b`` …)."""
    used: set = set()
    out = []
    for r in records:
        fields = [("title", r.get("title")), ("author", " and ".join(r.get("authors") or [])),
                  ("year", r.get("year")), ("journal", r.get("journal")), ("volume", r.get("volume")),
                  ("number", r.get("issue")), ("pages", (r.get("pages") or "").replace("-", "--")),
                  ("doi", r.get("doi")), ("pmid", r.get("pmid")), ("url", r.get("url")),
                  ("note", f"sysrev record {r['record_id']}")]
        body = ",\n".join(f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields
                           if value not in (None, ""))
        out.append(f"@article{{{_bibtex_key(r, used)},\n{body}\n}}")
    return "\n\n".join(out) + ("\n" if out else "")


def to_csv(records: list[dict]) -> str:
    """One row per record; authors joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        row = {**r, "authors": "; ".join(r.get("authors") or [])}
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in CSV_COLUMNS])
    return buffer.getvalue()


WRITERS = {"ris": to_ris, "bibtex": to_bibtex, "csv": to_csv}
