"""`sysrev export data` and the reference writers."""

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.export.references import to_bibtex, to_csv, to_ris
from sysrev.formats import load_references

REPO = Path(__file__).resolve().parents[2]

RECORD = {"record_id": "R000007", "title": "A {braced} trial & more", "authors": ["Park, K", "Lee, J"], "year": 2013,
          "journal": "Pain Physician", "volume": "16", "issue": "2", "pages": "E151-9",
          "doi": "10.1016/j.pain.2013.01.001", "pmid": "123",
          "abstract": "", "url": ""}


def test_exported_ris_and_bibtex_read_back(tmp_path):
    for name, text in (("a.ris", to_ris([RECORD])), ("a.bib", to_bibtex([RECORD]))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        (record,) = load_references(path).records
        assert record.doi == "10.1016/j.pain.2013.01.001" and record.year == 2013
        assert record.authors[0].startswith("Park")
        assert "trial" in record.title
    rows = list(csv.DictReader(io.StringIO(to_csv([RECORD]))))
    assert rows[0]["authors"] == "Park, K; Lee, J" and rows[0]["pages"] == "E151-9"


def test_data_export_keeps_the_reported_sds(tmp_path):
    out = tmp_path / "los.csv"
    result = CliRunner().invoke(cli, ["export", "data", "los_dl", "--project", str(REPO / "examples" / "normand1999"),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    # Normand 1999 Table VIII, Edinburgh: 155 patients, mean 55 (SD 47) vs 156, mean 75 (SD 64)
    assert rows[0] == {"study": "Edinburgh", "n1": "155", "mean1": "55", "sd1": "47", "n2": "156", "mean2": "75",
                       "sd2": "64"}
    assert len(rows) == 9


def test_unknown_analysis_is_named(tmp_path):
    result = CliRunner().invoke(cli, ["export", "r", "nope", "--project", str(REPO / "examples" / "normand1999")])
    assert result.exit_code == 2 and "no analysis named 'nope'" in result.stderr and "los_dl" in result.stderr


def test_included_export_takes_its_format_from_the_out_file_unless_told(tmp_path):
    # `--out included.csv` wrote RIS into a .csv file; the extension now chooses, and a --format that
    # contradicts it is refused rather than written
    def export(*args):
        return CliRunner().invoke(cli, ["export", "included", "--project", str(REPO), *args])

    for name, first_line in (("included.csv", "record_id,title,authors"), ("included.bib", "@article{"),
                             ("included.ris", "TY  - "), ("included.txt", "TY  - ")):
        result = export("--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(first_line), name
    assert export("--format", "csv", "--out", str(tmp_path / "x.txt")).exit_code == 0
    assert (tmp_path / "x.txt").read_text(encoding="utf-8").startswith("record_id,")
    clash = export("--format", "bibtex", "--out", str(tmp_path / "y.csv"))
    assert clash.exit_code == 2 and "--format bibtex does not match --out" in clash.output
    assert not (tmp_path / "y.csv").exists()
