"""Writers for reference lists: RIS, BibTeX and CSV, from the deduplicated records (``records.jsonl`` dicts).

Only what the record holds is written; an empty field is left out (RIS, BibTeX) or empty (CSV), never filled.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

FORMATS = ("ris", "bibtex", "csv")
CSV_COLUMNS = ("record_id", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid",
               "pmcid", "url", "abstract")


def _pages(pages: str) -> tuple[str, str]:
    first, _, last = (pages or "").partition("-")
    return first.strip(), last.strip()


def _one_line(value) -> str:
    """A value on one line: RIS has one field per line, and an abstract's line break would start a line that a
    reader takes for a continuation, or for a field of its own if it begins like one ("ER  - ")."""
    return " ".join(str(value).split())


def to_ris(records: list[dict]) -> str:
    """RIS (``TY  - JOUR`` … ``ER  -``), the record ID as ``ID``.

    The PMID goes to ``AN`` (where EndNote keeps a PubMed record's) and to a note ``PMID: …``: a bare number in
    ``AN`` is another database's accession number as often (CINAHL, Embase), so readers — sysrev's among them —
    take a PMID from it only when the record says it came from PubMed; the note is read as one everywhere. The
    PMCID, which RIS has no tag for, is a note ``PMCID: …`` of its own.
    """
    out = []
    for r in records:
        lines = ["TY  - JOUR", f"ID  - {r['record_id']}"]
        if r.get("title"):
            lines.append(f"TI  - {_one_line(r['title'])}")
        lines += [f"AU  - {_one_line(a)}" for a in r.get("authors") or []]
        pairs = [("PY", r.get("year")), ("JO", r.get("journal")), ("VL", r.get("volume")), ("IS", r.get("issue"))]
        first, last = _pages(r.get("pages", ""))
        pmid = r.get("pmid")
        pmcid = r.get("pmcid")
        pairs += [("SP", first), ("EP", last), ("DO", r.get("doi")), ("AN", pmid), ("N1", pmid and f"PMID: {pmid}"),
                  ("N1", pmcid and f"PMCID: {pmcid}"), ("UR", r.get("url")), ("AB", r.get("abstract"))]
        lines += [f"{tag}  - {_one_line(value)}" for tag, value in pairs if value not in (None, "")]
        lines.append("ER  - ")
        out.append("\n".join(lines))
    return "\n".join(out) + ("\n" if out else "")


# LaTeX's special characters as BibTeX-aware readers (and LaTeX) read them back as the characters themselves;
# a bare ``~`` would be a space, ``\\`` a line break, and a brace — even escaped, ``\{`` — must be balanced for
# BibTeX, so a lone one is written as the command that prints it.
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                   "{": r"\textbraceleft{}", "}": r"\textbraceright{}", **{c: "\\" + c for c in "&%$#_"}}


def _bibtex_escape(text: str) -> str:
    return re.sub(r"[\\~^{}&%$#_]", lambda m: _BIBTEX_SPECIAL[m.group(0)], str(text))


def _bibtex_key(record: dict, used: set) -> str:
    """Family name and year in ASCII letters (``Müller`` → ``Muller``), the accents folded rather than dropped."""
    family = (record.get("authors") or ["anon"])[0].split(",")[0]
    family = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    family = re.sub(r"[^A-Za-z]", "", family) or "anon"
    base = f"{family}{record.get('year') or ''}"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2)}" if n <= 27 else f"{base}_{n}"
    used.add(key)
    return key


def to_bibtex(records: list[dict]) -> str:
    """BibTeX ``@article`` entries; keys are family name + year (``Park2013``, ``Park2013a`` …)."""
    used: set = set()
    out = []
    for r in records:
        fields = [("title", r.get("title")), ("author", " and ".join(r.get("authors") or [])),
                  ("year", r.get("year")), ("journal", r.get("journal")), ("volume", r.get("volume")),
                  ("number", r.get("issue")), ("pages", (r.get("pages") or "").replace("-", "--")),
                  ("doi", r.get("doi")), ("pmid", r.get("pmid")), ("pmcid", r.get("pmcid")), ("url", r.get("url")),
                  ("abstract", r.get("abstract") and _one_line(r["abstract"])),
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
        writer.writerow([row.get(c) for c in CSV_COLUMNS])  # the csv module writes None as an empty cell
    return buffer.getvalue()


WRITERS = {"ris": to_ris, "bibtex": to_bibtex, "csv": to_csv}
