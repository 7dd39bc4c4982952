"""RIS written by rispy's writer (as reference managers write it) reads back to the same field values."""

import rispy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sysrev.formats import read_references

_WORD = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x24F),
                min_size=1, max_size=10).filter(lambda w: w.lower() not in ("null", "none", "undefined"))
_PHRASE = st.lists(_WORD, min_size=1, max_size=8).map(" ".join)
_NAME = st.tuples(_WORD, _WORD).map(lambda p: f"{p[0].capitalize()}, {p[1].capitalize()}")
_ENTRY = st.fixed_dictionaries({
    "type_of_reference": st.sampled_from(["JOUR", "BOOK", "CHAP", "CONF", "RPRT"]),
    "title": _PHRASE,
    "authors": st.lists(_NAME, max_size=5),
    "year": st.integers(1900, 2030).map(str),
    "doi": st.tuples(st.integers(1000, 99999), _WORD).map(lambda p: f"10.{p[0]}/{p[1]}"),
    "abstract": st.lists(_PHRASE, min_size=1, max_size=3).map("\n".join),
    "keywords": st.lists(_PHRASE, max_size=4, unique=True),
    "id": st.integers(1000000, 9999999).map(str),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ENTRY, min_size=1, max_size=4, unique_by=lambda e: e["id"]))
def test_rispy_written_records_read_back(tmp_path, entries):
    path = tmp_path / "roundtrip.ris"
    path.write_text(rispy.dumps(entries), encoding="utf-8")
    records = read_references(path)
    assert len(records) == len(entries)
    for entry, record in zip(entries, records, strict=True):
        assert record.source_id == entry["id"]
        assert record.title == " ".join(entry["title"].split())
        assert record.authors == entry["authors"]
        assert record.year == int(entry["year"])
        assert record.doi == entry["doi"].lower()
        assert record.abstract == " ".join(entry["abstract"].split())  # continuation lines joined
        assert record.keywords == list(dict.fromkeys(entry["keywords"]))
