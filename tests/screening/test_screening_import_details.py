"""Decisions imported from other tools, in detail: every label ASReview (and a spreadsheet that saved its
export) writes, every place a PMID hides, Covidence's list from the file name, exclusion reasons, whose Rayyan
decisions, and every refusal of a file that cannot be read — in full, naming the file and line."""

import pytest

from sysrev.errors import InputError
from sysrev.screening.config import screening_config
from sysrev.screening.imports import read_export
from sysrev.screening.state import load_screening

PROJECT_TITLE_1 = "Ultrasound-guided versus fluoroscopy-guided caudal epidural injection: a randomized trial"


@pytest.fixture
def project(make_project):
    return make_project()


def _read(project, path, text, *, stage="title_abstract", reviewer="alice", encoding="utf-8", **kwargs):
    path.write_text(text, encoding=encoding)
    return read_export(path, reviewer=reviewer, stage=stage, config=screening_config(project),
                       records=load_screening(project).records, **kwargs)


def _refusal(project, path, text, **kwargs):
    with pytest.raises(InputError) as info:
        _read(project, path, text, **kwargs)
    return str(info.value)


@pytest.mark.parametrize("label, decision", [
    ("1", "include"), ("1.0", "include"), ("True", "include"), ("TRUE", "include"), ("true", "include"),
    ("0", "exclude"), ("0.0", "exclude"), ("False", "exclude"), ("FALSE", "exclude"), ("false", "exclude"),
    ("", None), ("-1", None), ("-1.0", None), ("nan", None), ("NaN", None),
])
def test_every_asreview_label(project, tmp_path, label, decision):
    result = _read(project, tmp_path / "asreview.csv", f"title,doi,asreview_label\nx,10.1000/test.1,{label}\n")
    assert result.format == "asreview"
    assert [d.decision for d in result.decisions] == ([decision] if decision else [])
    assert result.not_screened == (0 if decision else 1) and result.unmatched == []


def test_a_label_that_is_no_decision_is_named_with_its_line(project, tmp_path):
    result = _read(project, tmp_path / "asreview.csv", "title,doi,included\nx,10.1000/test.1,1\ny,10.1000/test.2,2\n")
    assert [(u.line, u.title, u.why) for u in result.unmatched] == [
        (3, "y", "label '2' in column 'included' is not 1, 0 or empty")]


def test_the_reviewers_own_label_comes_before_the_data_sets(project, tmp_path):
    result = _read(project, tmp_path / "asreview.csv",
                   "title,doi,included,asreview_label\nx,10.1000/test.1,1,0\ny,10.1000/test.2,0,\n")
    assert [(d.record_id, d.decision) for d in result.decisions] == [("r01", "exclude")]
    assert result.not_screened == 1  # ASReview's label empty: the data set's label is not a decision


def test_asreview_time_and_note(project, tmp_path):
    result = _read(project, tmp_path / "labels.csv",
                   "title,doi,asreview_label,asreview_time,asreview_note\n"
                   "x,10.1000/test.1,1,2024-03-01T10:20:30Z,RCT with sham arm\n"
                   "y,10.1000/test.2,0,yesterday,\n")
    first, second = result.decisions
    assert first.timestamp == "2024-03-01T10:20:30Z"
    assert first.note == "imported from asreview export labels.csv; asreview note: RCT with sham arm"
    assert second.timestamp != "yesterday" and second.note == "imported from asreview export labels.csv"
    assert (first.reviewer, first.path, first.line, second.line) == ("alice", tmp_path / "labels.csv", 2, 3)


@pytest.mark.parametrize("column, value", [
    ("PMID", "30000003"), ("pubmed_id", "30000003"), ("PubMed ID", " 30000003 "), ("Accession Number", "30000003"),
    ("URL", "https://pubmed.ncbi.nlm.nih.gov/30000003/"), ("URL", "https://www.ncbi.nlm.nih.gov/PubMed/30000003"),
    ("URL", "http://example.org/pmid/30000003"),
])
def test_every_place_a_pmid_is_found(project, tmp_path, column, value):
    result = _read(project, tmp_path / "asreview.csv", f"title,{column},included\nunknown title,{value},1\n")
    assert [(d.record_id, d.decision) for d in result.decisions] == [("r03", "include")]


@pytest.mark.parametrize("column, value", [("Accession Number", "EMB-30000003"), ("URL", "https://doi.org/x/30000003")])
def test_what_is_not_a_pmid_matches_nothing(project, tmp_path, column, value):
    result = _read(project, tmp_path / "asreview.csv", f"title,{column},included\nunknown title,{value},1\n")
    assert result.decisions == [] and [u.why for u in result.unmatched] == ["no record matches (title not found)"]


COVIDENCE = "Title,DOI,Covidence #,Notes\nx,10.1000/test.1,#12,\n"


@pytest.mark.parametrize("name, decision", [("review_1_included_csv_2024.csv", "include"),
                                            ("review_1_Excluded_csv_2024.csv", "exclude"),
                                            ("review_1_irrelevant_csv_2024.csv", "exclude")])
def test_a_covidence_list_is_known_by_its_file_name(project, tmp_path, name, decision):
    result = _read(project, tmp_path / name, COVIDENCE)
    assert result.format == "covidence" and [d.decision for d in result.decisions] == [decision]
    assert _read(project, tmp_path / name, COVIDENCE, decision="maybe").decisions[0].decision == "maybe"


def test_a_covidence_list_without_a_telling_name_needs_the_decision(project, tmp_path):
    path = tmp_path / "review_1_csv_2024.csv"
    assert _refusal(project, path, COVIDENCE) == (
        f"{path}: a Covidence export holds one list; its name does not say which (included, excluded, irrelevant): "
        "pass --decision include|exclude|maybe")


@pytest.mark.parametrize("notes, stage, outcome", [
    ("Exclusion reason: Wrong Population;", "full_text", ("wrong population", None)),
    ("Exclusion reason: foreign language; Exclusion reason: wrong comparator", "full_text",
     ("wrong comparator", None)),
    ("Exclusion reason: foreign language; Exclusion reason: conference abstract", "full_text",
     (None, "full-text exclusion with reasons 'foreign language', 'conference abstract' not in [screening] "
            "exclusion_reasons of review.toml")),
    ("", "full_text", (None, "full-text exclusion with no reason in [screening] exclusion_reasons of review.toml")),
    ("Exclusion reason: foreign language", "title_abstract", ("", None)),  # no reason is needed there
])
def test_exclusion_reasons_are_mapped_onto_the_reviews_list(project, tmp_path, notes, stage, outcome):
    result = _read(project, tmp_path / "review_1_excluded_csv.csv",
                   f'Title,DOI,Covidence #,Notes\nx,10.1000/test.1,#12,"{notes}"\n', stage=stage)
    reason, why = outcome
    assert [d.reason for d in result.decisions] == ([] if why else [reason])
    assert [u.why for u in result.unmatched] == ([why] if why else [])


def _rayyan(*votes):
    pairs = ", ".join(f'""{name}""=>""{vote}""' for name, vote in votes)
    return ('key,title,url,notes\n'
            f'1,"{PROJECT_TITLE_1}",https://doi.org/10.1000/test.1,"RAYYAN-INCLUSION: {{{pairs}}}"\n')


def test_whose_rayyan_decisions_are_taken(project, tmp_path):
    path = tmp_path / "articles.csv"
    only = _read(project, path, _rayyan(("Dana", "Excluded")))  # the only name, not the reviewer's: taken
    assert [(d.decision, d.note) for d in only.decisions] == [("exclude", "imported from rayyan export "
                                                                          "articles.csv; rayyan user Dana")]
    own = _read(project, path, _rayyan(("Dana", "Excluded"), ("ALICE", "Included")))  # the reviewer's own name
    assert [d.decision for d in own.decisions] == ["include"]
    assert _refusal(project, path, _rayyan(("Dana", "Excluded"), ("Eve", "Included"))) == (
        f"{path}: no Rayyan reviewer named 'alice' in RAYYAN-INCLUSION notes (names: Dana, Eve); pass --rayyan-name")
    assert _refusal(project, path, _rayyan(("Dana", "Excluded")), rayyan_name="Eve") == (
        f"{path}: no Rayyan reviewer named 'Eve' in RAYYAN-INCLUSION notes (names: Dana); pass --rayyan-name")


def test_an_export_of_no_known_tool_says_what_was_expected(project, tmp_path):
    path = tmp_path / "mystery.csv"
    assert _refusal(project, path, "title,notes,score\nx,no rayyan here,1\n") == (
        f"{path}: cannot tell which tool exported this file: expected a Rayyan export (notes with RAYYAN-INCLUSION), "
        "a Covidence export (a 'Covidence #' column), an ASReview export (an asreview_label or included column) or "
        "a decisions sheet (a 'decision' column); found columns title, notes, score")


def test_rayyan_notes_win_over_a_label_column(project, tmp_path):
    text = _rayyan(("Alice", "Included")).replace("key,title,url,notes", "key,title,url,notes,included")
    text = text.rstrip("\n") + ",0\n"
    assert _read(project, tmp_path / "articles.csv", text).format == "rayyan"


def test_files_that_cannot_be_read_are_refused_naming_file_and_line(project, tmp_path):
    missing = tmp_path / "gone.csv"
    with pytest.raises(InputError) as info:
        read_export(missing, reviewer="alice", stage="title_abstract", config=screening_config(project),
                    records=[])
    assert str(info.value) == f"{missing}: file not found"
    empty = tmp_path / "empty.csv"
    assert _refusal(project, empty, "") == f"{empty}: empty file"
    wide = tmp_path / "wide.csv"
    assert _refusal(project, wide, "title,doi,included\nx,10.1000/test.1,1,extra\ny,10.1000/test.2,0\n") == (
        f"{wide}, line 2: expected 3 columns, found 4")
    pdf = tmp_path / "export.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(InputError) as info:
        read_export(pdf, reviewer="alice", stage="title_abstract", config=screening_config(project), records=[])
    assert str(info.value).startswith(f"{pdf}: ") and "a screening tool's CSV export (Rayyan, Covidence or ASReview)" \
        in str(info.value)


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_blank_rows_are_skipped_and_every_separator_read(project, tmp_path, separator):
    rows = ["title,doi,included", "x,10.1000/test.1,1", "", " , , ", "y,10.1000/test.2,0"]
    result = _read(project, tmp_path / "asreview.csv", "\n".join(r.replace(",", separator) for r in rows) + "\n")
    assert [(d.record_id, d.decision, d.line) for d in result.decisions] == [("r01", "include", 2),
                                                                             ("r02", "exclude", 5)]


def test_a_windows_encoded_export_is_read_with_a_warning(project, tmp_path):
    result = _read(project, tmp_path / "asreview.csv", "title,doi,included\nEssai randomisé,10.1000/test.1,1\n",
                   encoding="cp1252")
    assert [d.decision for d in result.decisions] == ["include"]
    assert len(result.warnings) == 1 and str(tmp_path / "asreview.csv") in result.warnings[0]


def test_rows_after_unscreened_unmatched_and_unplaceable_rows_are_still_read(project, tmp_path):
    result = _read(project, tmp_path / "asreview.csv",
                   "title,doi,included\n"
                   "a,10.1000/test.1,\n"  # not screened in ASReview
                   "b,10.1000/test.9,1\n"  # no such record
                   "c,10.1000/test.2,\n"
                   "d,10.1000/test.3,7\n"  # not a label
                   "e,10.1000/test.4,0\n")
    assert result.not_screened == 2
    assert [(u.line, u.why) for u in result.unmatched] == [
        (3, "no record matches (doi not found; title not found)"),
        (5, "label '7' in column 'included' is not 1, 0 or empty")]
    assert [(d.record_id, d.line) for d in result.decisions] == [("r04", 6)]


def test_a_full_text_exclusion_without_a_known_reason_does_not_stop_the_rows_after_it(project, tmp_path):
    result = _read(project, tmp_path / "review_1_excluded_csv.csv",
                   'Title,DOI,Covidence #,Notes\nx,10.1000/test.1,#1,\ny,10.1000/test.2,#2,'
                   '"Exclusion reason: not randomised"\n', stage="full_text")
    assert [u.line for u in result.unmatched] == [2]
    assert [(d.record_id, d.reason, d.note) for d in result.decisions] == [
        ("r02", "not randomised", "imported from covidence export review_1_excluded_csv.csv")]


def test_an_export_cut_off_in_its_last_row_is_refused_in_full(project, tmp_path):
    path = tmp_path / "asreview.csv"
    text = "title,doi,included\nx,10.1000/test.1,1\ny,10.1000/test.2"
    assert _refusal(project, path, text) == (
        f"{path}, line 3: the last row has 2 cells where the header and every other row have 3: the file looks cut "
        "off (an interrupted download or copy?); nothing was imported. Export it again")
    short_rows = "title,doi,included\nx,10.1000/test.1\ny,10.1000/test.2\n"  # every row short: not a cut
    assert _refusal(project, path, short_rows) == f"{path}, line 2: expected 3 columns, found 2"


def test_the_command_says_how_to_import_the_rows_it_left_out(project, tmp_path):
    from click.testing import CliRunner

    from sysrev.cli.main import cli

    path = tmp_path / "asreview.csv"
    path.write_text("title,doi,included\nx,10.1000/test.1,1\ny,10.1000/test.2,7\n", encoding="utf-8")
    args = ["screen", "import", "--project", str(project.root), "--reviewer", "alice", str(path)]
    first, again = CliRunner().invoke(cli, args), CliRunner().invoke(cli, args)
    assert first.exit_code == again.exit_code == 1
    assert ("1 row not imported (listed above): mend them in the export and import it again (decisions already "
            "imported are not added twice).") in first.output
    assert "added 0 decisions" in again.output and "1 unchanged" in again.output
