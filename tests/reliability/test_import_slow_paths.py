"""Items 9, 13, 14: CSV and BibTeX inputs that crashed or took minutes are read or refused in linear time.

Speed is measured in benchmarks/reliability_fuzz.py; these tests hold the mechanisms without timing them:
the CSV row aligner is checked by counting the cells it copies, and the BibTeX reader by proving that the
slow third-party parser is never handed text that is not delimited, well-formed entries.
"""

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.formats import bibtex
from sysrev.formats.csv_export import _aligner


class CountingRow(list):
    """A row that counts the cells copied by slicing it (slices stay CountingRows, sharing the counter)."""

    def __init__(self, cells, counter):
        super().__init__(cells)
        self.counter = counter

    def __getitem__(self, index):
        got = super().__getitem__(index)
        if isinstance(index, slice):
            self.counter[0] += len(got)
            return CountingRow(got, self.counter)
        return got


def test_trailing_empty_cells_are_dropped_in_linear_work():
    header = ["Title", "DOI", "Year"]
    trailing = 20_000
    counter = [0]
    row, surplus, fits = _aligner(header)(CountingRow(["A trial", "10.1/x", "2020"] + [""] * trailing, counter))
    assert list(row) == ["A trial", "10.1/x", "2020"] and surplus == {} and fits
    assert counter[0] <= 2 * (trailing + 3)  # one copy of the row at most; trimming cell by cell was ~n²/2


def test_a_cell_over_the_csv_limit_before_the_header_is_a_clean_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Exported from a database\n\"" + "x" * 140_000 + "\"\nTitle,DOI\nA trial,10.1/x\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(path), "--dry-run", "--out", str(tmp_path / "runs")])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "line 2" in result.output and "128 KB" in result.output


GOOD = "@article{k1,\n  title = {A trial of {RCT} design},\n  author = \"Smith, J and Doe, A\",\n  year = 2020\n}\n"


def test_an_entry_open_to_the_end_is_a_cut_never_given_to_bibtexparser(monkeypatch):
    """The last entry's braces still open at the end of the file: a cut-off file (sysrev.formats.truncation),
    reported at the entry's line; bibtexparser only ever sees the complete entries before it."""
    seen = []
    real = bibtex.bibtexparser.loads
    monkeypatch.setattr(bibtex.bibtexparser, "loads", lambda text, parser: seen.append(text) or real(text, parser))
    parsed = bibtex.parse_bibtex(GOOD + "@article{k2,\n  title = {never closed\n" + "word " * 50_000, path="refs.bib")
    assert parsed.truncated.line == 6 and "never closed" in parsed.truncated.what
    assert [r.source_id for r in parsed.records] == ["k1"] and "word" not in seen[0]


@pytest.mark.parametrize("garbage, where, says", [
    ("@article{k2,\n" + "a =, \"b\\ c = ,\n" * 5_000 + "}\n", 6, "could not be parsed"),
    ("@misc{k3,\n  note = {" + "x" * 250_000 + "}\n}\n", 6, "KB long"),
])
def test_not_bibtex_is_refused_before_bibtexparser_runs(monkeypatch, garbage, where, says):
    def must_not_run(*args, **kwargs):
        raise AssertionError("bibtexparser was given text that is not well-formed BibTeX")

    monkeypatch.setattr(bibtex.bibtexparser, "loads", must_not_run)
    with pytest.raises(InputError, match=says) as caught:
        bibtex.parse_bibtex(GOOD + garbage, path="refs.bib")
    assert f"line {where}" in str(caught.value)


def test_text_between_entries_never_reaches_bibtexparser_and_lines_are_kept(monkeypatch):
    seen = []
    real = bibtex.bibtexparser.loads
    monkeypatch.setattr(bibtex.bibtexparser, "loads", lambda text, parser: seen.append(text) or real(text, parser))
    notes = "Exported 2024; lorem ipsum dolor sit amet\n" * 2_000
    parsed = bibtex.parse_bibtex(notes + GOOD + notes + GOOD.replace("k1", "k9"), path="refs.bib")
    assert [r.source_id for r in parsed.records] == ["k1", "k9"]
    assert "lorem" not in seen[0] and seen[0].count("\n") == (notes + GOOD + notes + GOOD).count("\n")
