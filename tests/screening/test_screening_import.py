"""Imports of decisions made in Rayyan, Covidence and ASReview, mapped to record IDs by DOI, PMID and title."""

import csv
import json

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.screening.config import screening_config
from sysrev.screening.imports import read_export
from sysrev.screening.log import log_path
from sysrev.screening.state import load_screening


def _import(project, fixture, *args):
    return CliRunner().invoke(cli, ["screen", "import", "--project", str(project.root), *args, str(fixture)])


def _rows(project, reviewer, stage="title_abstract"):
    with log_path(project.screening_dir, stage, reviewer).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_rayyan_export_maps_by_doi_pmid_and_title_and_reports_unmatched(make_project, own_fixtures):
    project = make_project()
    result = _import(project, own_fixtures / "screening" / "rayyan_articles.csv", "--reviewer", "alice")
    assert result.exit_code == 1  # one row matched no record
    assert "rayyan export" in result.output and "added 3 decisions" in result.output
    assert "line 5: no record matches (title not found) — A trial nobody searched for" in result.stderr
    rows = _rows(project, "alice")
    assert [(r["record_id"], r["decision"], r["reason"]) for r in rows] == [
        ("r01", "include", ""),                   # DOI in the url column (upper case)
        ("r02", "exclude", "wrong population"),   # PMID in a PubMed url; reason matched case-insensitively
        ("r03", "maybe", ""),                     # title only, punctuation and case differ
    ]
    assert rows[0]["note"] == "imported from rayyan export rayyan_articles.csv; rayyan user Alice"
    again = _import(project, own_fixtures / "screening" / "rayyan_articles.csv", "--reviewer", "alice")
    assert "added 0 decisions" in again.output and "3 unchanged" in again.output


def test_rayyan_other_user_by_name(make_project, own_fixtures):
    project = make_project()
    result = _import(project, own_fixtures / "screening" / "rayyan_articles.csv", "--reviewer", "bob")
    assert "added 3 decisions" in result.output  # Bob decided on rows 1, 2 and 5
    assert [r["record_id"] for r in _rows(project, "bob")] == ["r01", "r02", "r04"]
    result = _import(project, own_fixtures / "screening" / "rayyan_articles.csv", "--reviewer", "carol")
    assert result.exit_code == 2 and "no Rayyan reviewer named 'carol'" in result.stderr
    assert "names: Alice, Bob" in result.stderr


def test_asreview_export_labels_time_and_note(make_project, own_fixtures):
    project = make_project()
    result = _import(project, own_fixtures / "screening" / "asreview_export.csv", "--reviewer", "carol")
    assert result.exit_code == 1
    assert "asreview export" in result.output and "1 row without a decision" in result.output
    assert "line 5: no record matches (doi not found; title not found)" in result.stderr
    rows = _rows(project, "carol")
    assert [(r["record_id"], r["decision"], r["timestamp"]) for r in rows] == [
        ("r05", "include", "2024-03-02 10:15:00"), ("r06", "exclude", "2024-03-02 10:16:00")]
    assert rows[0]["note"].endswith("asreview note: looks eligible")
    load_screening(project)  # the imported rows are valid log rows


def test_asreview_excel_export_and_a_windows_encoded_csv(make_project, own_fixtures, tmp_path):
    """ASReview LAB also exports .xlsx: read as the same sheet (it was read as Latin-1 text and refused as an
    unknown tool); a CSV saved in Windows-1252 is decoded as reference imports are, with the warning."""
    import openpyxl

    rows = list(csv.reader((own_fixtures / "screening" / "asreview_export.csv").open(encoding="utf-8")))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([int(cell) if cell.isdigit() else (cell or None) for cell in row])
    book.save(tmp_path / "asreview.xlsx")
    project = make_project()
    result = _import(project, tmp_path / "asreview.xlsx", "--reviewer", "carol")
    assert "asreview export" in result.output and "added 2 decisions" in result.output
    assert [r["record_id"] for r in _rows(project, "carol")] == ["r05", "r06"]
    windows = tmp_path / "asreview.csv"
    windows.write_bytes((own_fixtures / "screening" / "asreview_export.csv").read_text(encoding="utf-8")
                        .replace("looks eligible", "looks eligible – café").encode("cp1252"))
    again = _import(project, windows, "--reviewer", "carol")
    assert "2 unchanged" in again.output  # the same decisions, read from the Windows-encoded copy
    assert "warning:" in again.stderr and "cp1252" in again.stderr


def test_covidence_excluded_list_at_full_text_needs_known_reasons(make_project, own_fixtures):
    ta = "record_id,decision,reason,reviewer,timestamp\n" + "".join(
        f"r{i:02d},include,,alice,2024-01-01T10:00:00Z\n" for i in range(1, 9))
    project = make_project({"title_abstract/alice.csv": ta})
    result = _import(project, own_fixtures / "screening" / "review_1234_excluded_csv_20240301.csv",
                     "--reviewer", "alice", "--stage", "full_text")
    assert result.exit_code == 1
    assert "covidence export" in result.output and "added 1 decision" in result.output
    assert "line 3: full-text exclusion with reason 'outside scope' not in [screening] exclusion_reasons" \
        in result.stderr
    rows = _rows(project, "alice", "full_text")
    assert [(r["record_id"], r["decision"], r["reason"]) for r in rows] == [("r08", "exclude", "wrong comparator")]


def test_full_text_import_refuses_records_not_sent_to_full_text(make_project, own_fixtures):
    project = make_project()
    result = _import(project, own_fixtures / "screening" / "asreview_export.csv", "--reviewer", "carol",
                     "--stage", "full_text")
    assert result.exit_code == 1
    assert "record r05 is not screened at full text" in result.stderr
    assert not log_path(project.screening_dir, "full_text", "carol").exists()


def test_dry_run_writes_nothing(make_project, own_fixtures):
    project = make_project()
    result = _import(project, own_fixtures / "screening" / "asreview_export.csv", "--reviewer", "carol",
                     "--dry-run")
    assert "would add 2 decisions" in result.output
    assert not log_path(project.screening_dir, "title_abstract", "carol").exists()


def test_unrecognised_export_says_what_it_expected(make_project, tmp_path):
    project = make_project()
    path = tmp_path / "mystery.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell which tool exported this file"):
        read_export(path, reviewer="alice", stage="title_abstract", config=screening_config(project),
                    records=load_screening(project).records)


def test_real_asreview_labelled_dataset_layout(make_project, shared_fixtures, tmp_path):
    """SYNERGY (ASReview's benchmark) id files: PubMed and doi.org URLs plus label_included."""
    source = shared_fixtures / "screening" / "synergy_format_sample" / "Sep_2021_ids.csv"
    with source.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:40]
    project = make_project()
    records = []
    for i, row in enumerate(rows):  # records known by PMID only, or by DOI only, to exercise both paths
        known = {"pmid": row["pmid"].rsplit("/", 1)[-1]} if i % 2 else {"doi": row["doi"]}
        records.append({"record_id": f"s{i:03d}", "title": f"record {i}", **known})
    (project.records_dir / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                       encoding="utf-8")
    result = read_export(source, reviewer="alice", stage="title_abstract", config=screening_config(project),
                         records=records)
    assert result.format == "asreview"
    matched = [d for d in result.decisions if d.line <= 41]
    assert [d.record_id for d in matched] == [f"s{i:03d}" for i in range(40)]
    assert [d.decision for d in matched] == ["include" if r["label_included"] == "1" else "exclude" for r in rows]


@pytest.mark.parametrize("keep", [-3, -40])  # inside the last row's quoted notes; inside its last line
def test_a_cut_off_rayyan_export_is_refused_with_nothing_imported(make_project, own_fixtures, tmp_path, keep):
    """A decisions export cut off in its last row would import half a decision (or a wrong one): refused,
    naming the line where that row starts, and the reviewer's log is not created."""
    project = make_project()
    data = (own_fixtures / "screening" / "rayyan_articles.csv").read_bytes()
    last_row_line = data.rstrip(b"\n").count(b"\n") + 1
    cut = tmp_path / "rayyan_cut.csv"
    cut.write_bytes(data.rstrip(b"\n")[:keep])
    result = _import(project, cut, "--reviewer", "alice")
    assert result.exit_code == 2
    assert f"rayyan_cut.csv, line {last_row_line}: " in result.stderr and "looks cut off" in result.stderr
    assert not log_path(project.screening_dir, "title_abstract", "alice").exists()


def test_an_export_ending_between_the_quotes_of_an_escaped_pair_warns_naming_the_line(make_project, own_fixtures,
                                                                                       tmp_path):
    """Rayyan's notes cell ``"RAYYAN-INCLUSION: {""Bob""=>""Excluded""}"`` cut to ``"…{""Bob""=>"`` ends on a
    quote that reads as the closing one, as a complete last cell does: the same bytes, so a warning naming
    the line (not silence, and not a refusal of a file that may be whole)."""
    project = make_project()
    data = (own_fixtures / "screening" / "rayyan_articles.csv").read_bytes()
    end = data.index(b'""Bob""=>""Excluded') + len(b'""Bob""=>"')
    cut = tmp_path / "rayyan_cut.csv"
    cut.write_bytes(data[:end])
    line = data[:end].count(b"\n") + 1
    result = _import(project, cut, "--reviewer", "alice")
    assert f"warning: {cut}, line {line}: the file ends right after a closing quote" in result.stderr


def test_a_quoted_quotation_after_the_first_kilobytes_is_read_as_one_cell(make_project, tmp_path):
    # csv.Sniffer turns doubled quotes off when its sample holds none; an abstract further down that quotes a
    # phrase ("the ""trapping"" technique") was then split into extra cells: "expected 5 columns, found 7".
    project = make_project()
    records = [{"record_id": f"R{i:06d}", "title": f"Balloon guide catheter trial number {i}"} for i in range(60)]
    (project.records_dir / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                       encoding="utf-8")
    rows = [[str(i), r["title"], "Background. " + "A plain abstract without quotation marks. " * 4
             + ('The ""trapping"" technique, the ""evacuation"" one.' if i == 50 else ""), "", str(int(i % 7 == 0))]
            for i, r in enumerate(records)]
    path = tmp_path / "asreview.csv"
    path.write_text("record_id,title,abstract,doi,included\n"
                    + "".join(",".join(f'"{c}"' if "," in c or '"' in c else c for c in row) + "\n" for row in rows),
                    encoding="utf-8")
    assert '""' not in path.read_text(encoding="utf-8")[:4096]
    result = read_export(path, reviewer="alice", stage="title_abstract", config=screening_config(project),
                         records=records)
    assert [d.record_id for d in result.decisions] == [r["record_id"] for r in records]
    assert [d.decision for d in result.decisions] == ["include" if i % 7 == 0 else "exclude" for i in range(60)]
