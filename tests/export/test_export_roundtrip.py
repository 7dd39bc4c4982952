"""What `sysrev export` writes reads back to the same records: RIS, BibTeX and CSV, for any record.

A team exports its records (or its included studies) to a reference manager, to a co-author, or into another
sysrev project; every field the writer writes must come back as it was, whatever characters it holds.
"""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sysrev.export.references import CSV_COLUMNS, to_bibtex, to_csv, to_ris
from sysrev.formats import read_references

# Letters of many scripts, digits and the punctuation titles and abstracts carry (braces, LaTeX and CSV
# specials, quotes), so that every writer's escaping is exercised.
_CHAR = st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x24F)
_WORD = st.text(alphabet=_CHAR, min_size=1, max_size=9).filter(lambda w: w.lower() not in ("null", "none", "nan"))
_PUNCT = st.sampled_from(["&", "%", "$", "#", "_", "{", "}", "~", "^", "'", '"', ",", ";", ":", "(", ")", "-", "/",
                          "<", ">", "=", "+", "*", "?", "!", "@", "[", "]", "|", "\\"])
_TOKEN = st.one_of(_WORD, _WORD, _WORD, st.tuples(_WORD, _PUNCT).map("".join))
_TEXT = st.lists(_TOKEN, min_size=1, max_size=12).map(" ".join)
_NAME = st.tuples(_WORD, _WORD).map(lambda p: f"{p[0].capitalize()}, {p[1].capitalize()}")
_RECORD = st.fixed_dictionaries({
    "title": _TEXT,
    "authors": st.lists(_NAME, min_size=1, max_size=4),
    "year": st.integers(1950, 2030),
    "journal": st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
    "volume": st.integers(1, 300).map(str),
    "issue": st.integers(1, 12).map(str),
    "pages": st.tuples(st.integers(1, 900), st.integers(1, 40)).map(lambda p: f"{p[0]}-{p[0] + p[1]}"),
    "doi": st.tuples(st.integers(1000, 99999), _WORD).map(lambda p: f"10.{p[0]}/{p[1].lower()}"),
    "pmid": st.integers(1, 39999999).map(str),
    "pmcid": st.integers(1000, 12999999).map(lambda n: f"PMC{n}"),  # real PMCIDs; "PMC1" in a note is no id
    "abstract": st.lists(_TEXT, min_size=1, max_size=3).map("\n".join),
})
_RECORDS = st.lists(_RECORD, min_size=1, max_size=3).map(
    lambda records: [{"record_id": f"R{i + 1:06d}", "url": "", **r} for i, r in enumerate(records)])
FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid", "pmcid", "abstract")


def _as_read(record: dict) -> dict:
    """A record as sysrev keeps it once read: white space runs (an abstract's line breaks) are one space."""
    return {f: " ".join(record[f].split()) if isinstance(record[f], str) else record[f] for f in FIELDS}


def _read_back(tmp_path, name, text) -> list:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [{f: getattr(r, f) for f in FIELDS} for r in read_references(path)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_RECORDS)
def test_ris_export_reads_back_field_for_field(tmp_path, records):
    assert _read_back(tmp_path, "x.ris", to_ris(records)) == [_as_read(r) for r in records]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_RECORDS)
def test_bibtex_export_reads_back_field_for_field(tmp_path, records):
    assert _read_back(tmp_path, "x.bib", to_bibtex(records)) == [_as_read(r) for r in records]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_RECORDS)
def test_csv_export_reads_back_field_for_field(tmp_path, records):
    rows = list(csv.DictReader(io.StringIO(to_csv(records))))
    assert [row["record_id"] for row in rows] == [r["record_id"] for r in records]
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert _read_back(tmp_path, "x.csv", to_csv(records)) == [_as_read(r) for r in records]
