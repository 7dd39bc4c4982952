"""Measuring dedup against labelled sets (sysrev.dedup.evaluate, docs/dedup.md "Accuracy"): pairwise scoring
worked out by hand, and the two labelled-set layouts read from small files written here — the bib-dedupe
layout (records_pre_merged.csv + merged_record_ids.csv) and CoLRev's (records.bib + records_expected.bib).
"""

import locale

import pytest

from sysrev.dedup.evaluate import (
    PairwiseScore,
    load_colrev_set,
    load_labelled_set,
    pairwise_score,
    record_from_row,
    split_authors,
)
from sysrev.errors import InputError


def test_pairwise_score_by_hand():
    # predicted {a,b,c} {d}: pairs ab ac bc; true {a,b} {c,d}: pairs ab cd
    # false positives ac, bc (two studies merged wrongly); false negative cd; sensitivity (2 - 1) / 2
    score, fp, fn = pairwise_score(4, [["a", "b", "c"], ["d"]], [["b", "a"], ["c", "d"]])
    assert score == PairwiseScore(records=4, true_pairs=2, predicted_pairs=3, false_positives=2, false_negatives=1)
    assert (fp, fn) == ({("a", "c"), ("b", "c")}, {("c", "d")})
    assert score.sensitivity == 0.5


@pytest.mark.parametrize(("value", "authors"), [
    ("Smith, John and Doe, Anna", ["Smith, John", "Doe, Anna"]),     # BibTeX
    ("Smith, J.; Doe, A.", ["Smith, J.", "Doe, A."]),                # bib-dedupe CSV
    ("Sandberg, Anders", ["Sandberg, Anders"]),                      # "and" inside a name is no separator
    ("", []), (None, []),
])
def test_author_fields_are_split_into_family_given_names(value, authors):
    assert split_authors(value) == authors


def test_a_labelled_row_becomes_a_record():
    row = {"ID": "17", "title": " Effect of X on Y ", "author": "Smith, John and Doe, Anna", "year": "2015",
           "journal": "Pain Physician", "volume": "18", "number": "3", "pages": "575-86", "doi": "10.1/abc",
           "abstract": "", "ENTRYTYPE": "inproceedings", "booktitle": "Proc. Pain 2015", "note": "kept out"}
    record = record_from_row(row)
    assert (record.source_id, record.source, record.title, record.year) == ("17", "labelled", "Effect of X on Y", 2015)
    assert (record.journal, record.volume, record.issue, record.pages, record.doi, record.abstract) == (
        "Pain Physician", "18", "3", "575-86", "10.1/abc", "")
    assert record.authors == ["Smith, John", "Doe, Anna"]
    assert record.extra == {"ENTRYTYPE": "inproceedings", "booktitle": "Proc. Pain 2015"}
    assert record_from_row({"title": "No identifier"}).source_id == ""


@pytest.fixture()
def ascii_locale():
    """The machine's locale set to plain C (ASCII): the labelled files are UTF-8 whatever the locale."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    yield
    locale.setlocale(locale.LC_CTYPE, before)


def write_bibdedupe(folder, clusters="merged_ids\nm\u00fcller2015;2\n\n"):
    folder.mkdir(exist_ok=True)
    (folder / "records_pre_merged.csv").write_bytes(
        b'ID,title,author,year,abstract\n'
        b'm\xc3\xbcller2015,An\xc3\xa6mia in children,"M\xc3\xbcller, Hans",2015,"Background.\r\nMethods."\n'
        b'2,Anaemia in children,"Muller, H",2015,\n'
        b'3,Another study,"Lee, Kim",2018,\n')
    (folder / "merged_record_ids.csv").write_text(clusters, encoding="utf-8")


def test_a_bibdedupe_set_is_read_as_utf8_as_written(tmp_path, ascii_locale):
    write_bibdedupe(tmp_path / "set")
    records, clusters = load_labelled_set(tmp_path / "set")
    assert [r.source_id for r in records] == ["müller2015", "2", "3"]  # author-year keys
    assert records[0].title == "Anæmia in children" and records[0].authors == ["Müller, Hans"]
    assert records[0].abstract == "Background.\r\nMethods."  # a line break inside a quoted cell is kept as is
    assert clusters == [["müller2015", "2"]]


@pytest.mark.parametrize("missing", ["records_pre_merged.csv", "merged_record_ids.csv"])
def test_a_missing_bibdedupe_file_is_named(tmp_path, missing):
    write_bibdedupe(tmp_path / "set")
    (tmp_path / "set" / missing).unlink()
    with pytest.raises(InputError) as error:
        load_labelled_set(tmp_path / "set")
    assert str(error.value) == f"{tmp_path / 'set' / missing}: labelled set file missing"


RECORDS_BIB = """@article{r1, title={Effect of {X} on {Y}}, author={M\u00fcller, Hans}, year={2015}, month=jan,
  colrev_origin={pubmed.bib/001}}
@article{r2, title={Effect of X on Y}, author={Muller, H}, year={2015}, colrev_origin={scopus.bib/017}}
@online{r3, title={A registry page}, year={2016}, colrev_origin={web.bib/3}}
"""
EXPECTED_BIB = """@article{m1, title={Effect of X on Y}, colrev_origin={pubmed.bib/001;
  scopus.bib/017}}
@online{m2, title={A registry page}, colrev_origin={web.bib/3}}
"""


def write_colrev(folder, records=RECORDS_BIB, expected=EXPECTED_BIB):
    folder.mkdir(exist_ok=True)
    (folder / "records.bib").write_text(records, encoding="utf-8")
    (folder / "records_expected.bib").write_text(expected, encoding="utf-8")


def test_a_colrev_set_gives_records_and_the_clusters_of_more_than_one(tmp_path, ascii_locale):
    # month macros (jan) and non-standard entry types (@online) are read; braces that protect capitals go
    write_colrev(tmp_path)
    records, clusters = load_colrev_set(tmp_path)
    assert [r.source_id for r in records] == ["r1", "r2", "r3"]
    assert records[0].title == "Effect of X on Y" and records[0].authors == ["Müller, Hans"]
    assert records[2].extra == {"ENTRYTYPE": "online"}
    assert clusters == [["r1", "r2"]]


def test_a_colrev_record_in_no_expected_record_is_named(tmp_path):
    write_colrev(tmp_path, records=RECORDS_BIB + "@article{r9, title={Stray}, colrev_origin={x.bib/9}}\n")
    with pytest.raises(InputError) as error:
        load_colrev_set(tmp_path)
    assert str(error.value) == f"{tmp_path / 'records_expected.bib'}: record r9 is in no expected record"


def test_a_colrev_record_without_origin_is_in_no_expected_record(tmp_path):
    # not even in an expected record that lists no origin either
    write_colrev(tmp_path, records="@article{r9, title={Stray}}\n", expected="@article{m9, title={Stray}}\n")
    with pytest.raises(InputError, match="record r9 is in no expected record"):
        load_colrev_set(tmp_path)


def test_an_unreadable_colrev_file_is_named(tmp_path):
    write_colrev(tmp_path)
    (tmp_path / "records.bib").write_bytes(b"@article{r1, title={M\xfcller}}\n")
    with pytest.raises(InputError) as error:
        load_colrev_set(tmp_path)
    assert str(error.value).startswith(f"{tmp_path / 'records.bib'}: cannot read: 'utf-8' codec can't decode")
