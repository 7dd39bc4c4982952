"""A decisions sheet brought to `sysrev screen import`: any CSV or Excel sheet with a `decision` column — the
sheet a team screened in offline, another tool's table, or sysrev's own `export decisions` — with the record
named by `record_id` (never guessed past an unknown one), else by DOI, PMID or title; a `reviewer` and a
`stage` column picking the rows that are the reviewer's at the stage; and nothing the sheet says lost
in silence (a reason not in the review's list is kept in the note, with a warning)."""

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.screening.config import screening_config
from sysrev.screening.imports import read_export
from sysrev.screening.log import read_log
from sysrev.screening.state import load_screening


@pytest.fixture
def project(make_project):
    return make_project()


def _read(project, tmp_path, text, *, stage="title_abstract", reviewer="alice", name="sheet.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_export(path, reviewer=reviewer, stage=stage, config=screening_config(project),
                       records=load_screening(project).records)


def _decisions(result):
    return [(d.line, d.record_id, d.decision, d.reason) for d in result.decisions]


def test_a_sheet_with_a_decision_column_is_read_as_one(project, tmp_path):
    result = _read(project, tmp_path, "record_id,decision,reason\nr01,include,\nr02,Exclude,Wrong population\n"
                                      "r03,,\nr04,MAYBE,\nr05,excluded,not randomised\nr06,Included,\n")
    assert result.format == "decisions"
    assert _decisions(result) == [(2, "r01", "include", ""), (3, "r02", "exclude", "wrong population"),
                                  (5, "r04", "maybe", ""), (6, "r05", "exclude", "not randomised"),
                                  (7, "r06", "include", "")]
    assert (result.not_screened, result.passed_over, result.unmatched, result.warnings) == (1, 0, [], [])
    assert result.decisions[0].note == "imported from decisions export sheet.csv"


def test_without_record_ids_rows_map_by_doi_pmid_or_title(project, tmp_path):
    titles = load_screening(project).records
    result = _read(project, tmp_path, "title,doi,pmid,decision\n"
                                      f",10.1000/test.3,,include\n,,{titles[4]['pmid']},exclude\n"
                                      f"\"{titles[6]['title']}\",,,maybe\nNo such title,,,include\n")
    assert [(d.record_id, d.decision) for d in result.decisions] == [("r03", "include"), ("r05", "exclude"),
                                                                     ("r07", "maybe")]
    assert [(u.line, u.why) for u in result.unmatched] == [(5, "no record matches (title not found)")]


def test_an_unknown_record_id_is_listed_not_guessed_from_the_doi(project, tmp_path):
    # The sheet names a record outright: an ID sysrev does not know is a mistake to show, even when the DOI
    # beside it would match a record.
    result = _read(project, tmp_path, "record_id,doi,title,decision\nr99,10.1000/test.1,Some title,include\n"
                                      ",10.1000/test.2,,exclude\n")
    assert [(u.line, u.title, u.why) for u in result.unmatched] == [
        (2, "Some title", "record_id 'r99' is not in records/records.jsonl")]
    assert [(d.record_id, d.decision) for d in result.decisions] == [("r02", "exclude")]


def test_a_word_that_is_no_decision_is_named_with_its_line(project, tmp_path):
    result = _read(project, tmp_path, "record_id,decision\nr01,include\nr02,yes\n")
    assert [(u.line, u.why) for u in result.unmatched] == [(3, "decision 'yes' is not include, exclude or maybe")]


def test_the_reviewer_column_picks_the_reviewers_rows(project, tmp_path):
    text = "record_id,reviewer,decision\nr01,Alice,include\nr01,bob,exclude\nr02,alice,exclude\nr03,carol,maybe\n"
    result = _read(project, tmp_path, text)
    assert _decisions(result) == [(2, "r01", "include", ""), (4, "r02", "exclude", "")]
    assert all(d.reviewer == "alice" for d in result.decisions)
    assert (result.passed_over, result.not_screened) == (2, 0)
    with pytest.raises(InputError) as err:
        _read(project, tmp_path, text.replace("Alice", "dana").replace("alice", "dana"))
    assert str(err.value) == (f"{tmp_path / 'sheet.csv'}: no row of reviewer 'alice' in the 'reviewer' column "
                              "(names: bob, carol, dana)")


def test_the_stage_column_picks_the_stages_rows(project, tmp_path):
    text = ("record_id,stage,decision,reason\nr01,title_abstract,include,\nr01,full_text,exclude,not randomised\n"
            "r02,title/abstract,exclude,\nr03,,maybe,\n")
    assert _decisions(_read(project, tmp_path, text)) == [(2, "r01", "include", ""), (4, "r02", "exclude", ""),
                                                          (5, "r03", "maybe", "")]
    at_full_text = _read(project, tmp_path, text, stage="full_text")
    assert _decisions(at_full_text) == [(3, "r01", "exclude", "not randomised"), (5, "r03", "maybe", "")]
    assert at_full_text.passed_over == 2


def test_timestamp_and_note_are_kept_a_bad_timestamp_is_replaced_by_now(project, tmp_path):
    result = _read(project, tmp_path, "record_id,decision,timestamp,note\nr01,include,2025-02-03T04:05:06Z,RCT\n"
                                      "r02,exclude,last Tuesday,\n")
    first, second = result.decisions
    assert (first.timestamp, first.note) == ("2025-02-03T04:05:06Z",
                                             "imported from decisions export sheet.csv; note: RCT")
    assert second.timestamp != "last Tuesday" and second.timestamp.startswith("20")


def test_a_reason_not_in_the_list_is_kept_in_the_note_with_a_warning(project, tmp_path):
    # Title/abstract exclusions need no reason from the list; the reason the sheet gives is not dropped.
    result = _read(project, tmp_path, "record_id,decision,reason\nr01,exclude,conference abstract\n"
                                      "r02,exclude,wrong population\nr03,exclude,animal study\n")
    assert _decisions(result) == [(2, "r01", "exclude", ""), (3, "r02", "exclude", "wrong population"),
                                  (4, "r03", "exclude", "")]
    assert result.decisions[0].note == ("imported from decisions export sheet.csv; reason given: conference "
                                        "abstract (not in [screening] exclusion_reasons)")
    assert result.decisions[1].note == "imported from decisions export sheet.csv"
    assert result.warnings == [
        f"{tmp_path / 'sheet.csv'}: 2 exclusions with a reason not in [screening] exclusion_reasons of review.toml "
        "(lines 2, 4): imported without a reason, the reason given kept in the note; add it to the list to use it"]


def test_the_warning_lists_ten_lines_then_how_many_more(project, tmp_path):
    rows = "".join(f"r0{1 + i % 8},exclude,other {i}\n" for i in range(12))
    result = _read(project, tmp_path, "record_id,decision,reason\n" + rows)
    assert "(lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more)" in result.warnings[0]


def test_a_full_text_exclusion_needs_a_listed_reason(project, tmp_path):
    result = _read(project, tmp_path, "record_id,decision,reason\nr01,exclude,animal study\n", stage="full_text")
    assert [(u.line, u.why) for u in result.unmatched] == [
        (2, "full-text exclusion with reason 'animal study' not in [screening] exclusion_reasons of review.toml")]


def test_sysrevs_own_decisions_export_goes_back_in_as_the_same_decisions(make_project, tmp_path):
    """A team that exported its decisions (say, before moving the project) gets the same log back."""
    source = make_project({"title_abstract/alice.csv": """\
        record_id,decision,reason,reviewer,timestamp
        r01,include,,alice,2025-01-01T10:00:00Z
        r02,exclude,wrong population,alice,2025-01-01T10:01:00Z
        r03,maybe,,alice,2025-01-01T10:02:00Z
        """, "title_abstract/bob.csv": """\
        record_id,decision,reason,reviewer,timestamp
        r01,exclude,not randomised,bob,2025-01-02T10:00:00Z
        """})
    runner = CliRunner()
    exported = tmp_path / "decisions.csv"
    result = runner.invoke(cli, ["export", "decisions", "--out", str(exported), "--project", str(source.root)])
    assert result.exit_code == 0, result.output
    log = source.screening_dir / "title_abstract" / "alice.csv"
    before = read_log(log, stage="title_abstract", config=screening_config(source))[0]
    log.unlink()
    result = runner.invoke(cli, ["screen", "import", "--reviewer", "alice", str(exported), "--project",
                                 str(source.root)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"decisions export {exported}: added 3 decisions to {log}; 0 unchanged; "
                                    "0 rows without a decision in the export; 1 row of other reviewers or stages "
                                    "passed over")
    after = read_log(log, stage="title_abstract", config=screening_config(source))[0]
    assert [(d.record_id, d.decision, d.reason, d.timestamp) for d in after] == [
        (d.record_id, d.decision, d.reason, d.timestamp) for d in before]
    again = runner.invoke(cli, ["screen", "import", "--reviewer", "alice", str(exported), "--project",
                                str(source.root)])
    assert "added 0 decisions" in again.stdout and "3 unchanged" in again.stdout


def test_an_excel_sheet_of_decisions(project, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for row in (["Record_ID", "Decision", "Reason"], ["r01", "include", None], ["r02", "exclude", "wrong population"]):
        book.active.append(row)
    book.save(tmp_path / "sheet.xlsx")
    result = read_export(tmp_path / "sheet.xlsx", reviewer="alice", stage="title_abstract",
                         config=screening_config(project), records=load_screening(project).records)
    assert (result.format, _decisions(result)) == ("decisions", [(2, "r01", "include", ""),
                                                                 (3, "r02", "exclude", "wrong population")])


def test_a_decision_older_than_the_logs_is_kept_out_and_listed(make_project, tmp_path):
    project = make_project({"title_abstract/alice.csv": """\
        record_id,decision,reason,reviewer,timestamp
        r01,include,,alice,2025-06-01T10:00:00Z
        r03,include,,alice,2025-06-01T10:00:00Z
        """})
    sheet = tmp_path / "old.csv"
    sheet.write_text("record_id,decision,timestamp\nr01,exclude,2025-01-01T09:00:00Z\nr02,exclude,2025-01-01T09:00:00Z\n"
                     "r03,exclude,2025-07-01\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["screen", "import", "--reviewer", "alice", str(sheet), "--project",
                                      str(project.root)])
    assert result.exit_code == 0, result.output
    log = project.screening_dir / "title_abstract" / "alice.csv"
    assert result.stdout == (f"decisions export {sheet}: added 2 decisions to {log}; 0 unchanged; 0 rows without a "
                             "decision in the export; 1 decision older than the log's, kept out\n")
    assert result.stderr == ("  line 2: record r01: exclude of 2025-01-01T09:00:00Z is older than the log's include "
                             "of 2025-06-01T10:00:00Z, which stands; not imported\n")
    latest = {d.record_id: d.decision for d in read_log(log, stage="title_abstract",
                                                         config=screening_config(project))[0]}
    assert latest == {"r01": "include", "r02": "exclude", "r03": "exclude"}


def test_ten_unlisted_reasons_are_listed_without_a_tail(project, tmp_path):
    rows = "".join(f"r0{1 + i % 8},exclude,other {i}\n" for i in range(10))
    warning = _read(project, tmp_path, "record_id,decision,reason\n" + rows).warnings[0]
    assert "(lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11):" in warning and "more" not in warning


def test_the_reason_given_follows_the_rows_own_note(project, tmp_path):
    result = _read(project, tmp_path, "record_id,decision,reason,note\nr01,exclude,animal study,RCT in dogs\n")
    assert result.decisions[0].note == ("imported from decisions export sheet.csv; note: RCT in dogs; reason given: "
                                        "animal study (not in [screening] exclusion_reasons)")


def test_every_unlisted_reason_of_a_rayyan_row_is_kept(project, tmp_path):
    notes = ('RAYYAN-INCLUSION: {"alice"=>"Excluded"} | RAYYAN-EXCLUSION-REASONS: animal study,conference '
             "abstract")
    cell = notes.replace('"', '""')
    result = _read(project, tmp_path, f'title,doi,notes\nx,10.1000/test.1,"{cell}"\n', name="articles.csv")
    assert result.decisions[0].note == ("imported from rayyan export articles.csv; rayyan user alice; reason given: "
                                        "animal study, conference abstract (not in [screening] exclusion_reasons)")


@pytest.mark.parametrize("reviewers, names", [(["", "bob", " ", "bob"], "bob"), (["", " "], "none")])
def test_the_reviewers_a_sheet_names_leave_out_empty_cells(project, tmp_path, reviewers, names):
    rows = "".join(f"r0{i + 1},{name},include\n" for i, name in enumerate(reviewers))
    with pytest.raises(InputError) as err:
        _read(project, tmp_path, "record_id,reviewer,decision\n" + rows)
    assert str(err.value).endswith(f"no row of reviewer 'alice' in the 'reviewer' column (names: {names})")


def test_a_pdf_is_refused_naming_what_screen_import_reads(project, tmp_path):
    path = tmp_path / "decisions.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    with pytest.raises(InputError) as err:
        read_export(path, reviewer="alice", stage="title_abstract", config=screening_config(project),
                    records=load_screening(project).records)
    assert str(err.value) == (f"{path}: this is a PDF; what is needed is a screening tool's CSV export (Rayyan, "
                              "Covidence or ASReview) or a sheet with a decision column")


def test_a_damaged_workbook_is_refused_naming_its_path(project, tmp_path):
    import zipfile

    path = tmp_path / "decisions.xlsx"
    with zipfile.ZipFile(path, "w") as workbook:
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError) as err:
        read_export(path, reviewer="alice", stage="title_abstract", config=screening_config(project),
                    records=load_screening(project).records)
    assert err.value.path == path and str(err.value).startswith(f"{path}: this Excel workbook (xlsx) cannot be read")


def test_a_sheet_with_a_header_and_no_rows_imports_nothing(project, tmp_path):
    result = _read(project, tmp_path, "record_id,decision,reason\n")
    assert (result.format, result.decisions, result.unmatched, result.not_screened) == ("decisions", [], [], 0)


def test_a_forced_rayyan_format_without_any_rayyan_name_says_none(project, tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("title,notes\nx,plain note\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_export(path, reviewer="alice", stage="title_abstract", config=screening_config(project),
                    records=load_screening(project).records, fmt="rayyan")
    assert str(err.value) == (f"{path}: no Rayyan reviewer named 'alice' in RAYYAN-INCLUSION notes (names: none); "
                              "pass --rayyan-name")
