"""sysrev's readers against Zotero's: every import test case of the Zotero translators, read by both, compared.

Zotero's translators (github.com/zotero/translators, AGPL-3.0) carry test cases: an export as a database or a
reference manager wrote it (``"input"``) and the items Zotero reads from it (``"items"``). Many are real exports
users reported. This script reads each input with :func:`sysrev.formats.load_references` (format detected as
for ``sysrev import``) and compares, item by item in file order, the fields both tools read: title, the number
of authors and the first author's family name, year, DOI, journal, volume, issue, pages, and whether there is an
abstract. Nothing of the translators is copied into this repository; they are read from a clone.

    git clone https://github.com/zotero/translators /path/to/translators
    .venv/bin/python benchmarks/import_zotero_cases.py /path/to/translators [--show 20] [--only RIS.js]

Prints per translator the cases, how many sysrev read, refused (with the reason) or read with a different number
of records, and per field how many items agree; ``--show`` lists that many disagreements in full. A disagreement
is not always sysrev's error (Zotero puts a RIS ``T2`` in different places by item type, keeps a BibTeX
``{Title}``'s braces …): it is where to look.
"""

import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from sysrev.errors import InputError
from sysrev.formats import load_references

FIELDS = ("title", "authors", "first_author", "year", "doi", "journal", "volume", "issue", "pages", "abstract")
# A file name for each translator's input, so that detection sees the extension a user's file would have.
EXTENSION = {"RIS.js": ".ris", "MEDLINEnbib.js": ".nbib", "BibTeX.js": ".bib", "Endnote XML.js": ".xml",
             "PubMed XML.js": ".xml", "ReferBibIX.js": ".enw", "Web of Science Tagged.js": ".txt",
             "OVID Tagged.js": ".txt", "CSL JSON.js": ".json", "CSV.js": ".csv", "OpenAlex JSON.js": ".json"}


def translator_files(root: Path) -> list[tuple[str, str]]:
    """(name, source) of every translator in ``root`` (a clone or a bare mirror)."""
    if (root / "RIS.js").exists():
        return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(root.glob("*.js"))]
    names = subprocess.run(["git", "-C", str(root), "ls-tree", "--name-only", "HEAD"], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    return [(name, subprocess.run(["git", "-C", str(root), "show", f"HEAD:{name}"], capture_output=True,
                                  text=True, check=True).stdout) for name in names if name.endswith(".js")]


def import_cases(source: str) -> list[dict]:
    """The translator's import test cases (``{"input": …, "items": [...]}``)."""
    start, end = source.find("/** BEGIN TEST CASES **/"), source.find("/** END TEST CASES **/")
    if start < 0 or end < 0:
        return []
    body = source[start:end].split("=", 1)[1].strip().rstrip(";")
    try:
        cases = json.loads(body)
    except json.JSONDecodeError:
        return []
    return [c for c in cases if c.get("type") == "import" and isinstance(c.get("items"), list)]


def _text(value) -> str:
    value = unicodedata.normalize("NFC", str(value or ""))
    value = re.sub(r"<[^>]+>", "", value)  # Zotero keeps <i>…</i> rich text in titles
    return re.sub(r"\s+", " ", value).strip().rstrip(".").casefold()


def _pages(value) -> str:
    return re.sub(r"\s*[-–—]+\s*", "-", str(value or "")).strip()


def zotero_fields(item: dict) -> dict:
    authors = [c for c in item.get("creators", []) if c.get("creatorType") == "author"]
    first = authors[0] if authors else {}
    year = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", str(item.get("date", "")))
    doi = item.get("DOI") or (re.search(r"(?im)^DOI:\s*(\S+)", item.get("extra", "")) or [None, ""])[1]
    return {"title": _text(item.get("title")), "authors": len(authors),
            "first_author": _text(first.get("lastName") or first.get("name")),
            "year": year.group(1) if year else "", "doi": str(doi).lower(),
            "journal": _text(item.get("publicationTitle") or item.get("bookTitle") or item.get("proceedingsTitle")),
            "volume": str(item.get("volume", "")), "issue": str(item.get("issue", "")),
            "pages": _pages(item.get("pages")), "abstract": bool(item.get("abstractNote"))}


def sysrev_fields(record) -> dict:
    first = record.authors[0] if record.authors else ""
    return {"title": _text(record.title), "authors": len(record.authors),
            "first_author": _text(first.split(",")[0]) if "," in first else _text(first),
            "year": str(record.year or ""), "doi": (record.doi or "").lower(),
            "journal": _text(record.journal), "volume": str(record.volume or ""),
            "issue": str(record.issue or ""), "pages": _pages(record.pages), "abstract": bool(record.abstract)}


def agrees(name: str, ours, theirs) -> bool | None:
    """Whether a field agrees; None when Zotero has no value (nothing to compare)."""
    if theirs in ("", 0, False) and name != "abstract":
        return None
    if name == "first_author":
        return bool(ours) and (ours in theirs or theirs in ours)
    return ours == theirs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("translators", type=Path, help="a clone of zotero/translators (a bare mirror works)")
    parser.add_argument("--only", nargs="*", default=None, help="translator file names to run")
    parser.add_argument("--show", type=int, default=0, help="print this many disagreements in full")
    args = parser.parse_args(argv)
    totals = collections.Counter()
    shown = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, source in translator_files(args.translators):
            if args.only and name not in args.only:
                continue
            cases = import_cases(source)
            if not cases:
                continue
            count = collections.Counter()
            refusals = collections.Counter()
            for number, case in enumerate(cases, start=1):
                path = Path(folder) / f"case{number}{EXTENSION.get(name, '.txt')}"
                path.write_text(case["input"], encoding="utf-8")
                count["cases"] += 1
                try:
                    records = load_references(path).records
                except InputError as exc:
                    count["refused"] += 1
                    refusals[re.sub(r"^.*?case\d+\.\w+(, line \d+)?: ", "", str(exc))[:110]] += 1
                    continue
                items = [i for i in case["items"] if i.get("itemType") not in ("note", "attachment")]
                if len(records) != len(items):
                    count["other record count"] += 1
                    continue
                count["read"] += 1
                for record, item in zip(records, items):
                    ours, theirs = sysrev_fields(record), zotero_fields(item)
                    for field in FIELDS:
                        verdict = agrees(field, ours[field], theirs[field])
                        if verdict is None:
                            continue
                        count[f"{field} compared"] += 1
                        count[f"{field} agree"] += verdict
                        if not verdict and shown < args.show:
                            shown += 1
                            print(f"  {name} case {number} {field}: sysrev {ours[field]!r} / zotero {theirs[field]!r}")
            totals.update(count)
            print(f"{name}: {count['cases']} cases, read {count['read']}, refused {count['refused']}, "
                  f"other record count {count['other record count']}")
            for reason, n in refusals.most_common(5):
                print(f"    refused {n}x: {reason}")
            print("    " + ", ".join(f"{f} {count[f + ' agree']}/{count[f + ' compared']}" for f in FIELDS
                                      if count[f + " compared"]))
    print(f"all: {totals['cases']} cases, read {totals['read']}, refused {totals['refused']}, other record count "
          f"{totals['other record count']}")
    print("  " + ", ".join(f"{f} {totals[f + ' agree']}/{totals[f + ' compared']}" for f in FIELDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
