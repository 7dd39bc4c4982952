"""DATA.csv of `sysrev screen simulate`: the column names and encodings review teams' files come with, read
as ASReview LAB reads them (asreview/data/base.py), and the errors for files it cannot use."""

import json

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import InputError
from sysrev.screening.simulate import read_labelled_csv


def _write(tmp_path, text, encoding="utf-8", name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- column names ------------------------------------------------------------------------------------------

def test_asreview_aliases_for_title_abstract_and_label(tmp_path):
    # A Zotero-style "Abstract Note", ASReview's "primary_title" and the "asreview_label" of an ASReview export.
    path = _write(tmp_path, "id,primary_title,Abstract Note,asreview_label\n"
                            "7,Nerve block,Ultrasound trial,1\n8,Soil survey,Crop yields,0\n")
    data = read_labelled_csv(path)
    assert data.texts == ["Nerve block Ultrasound trial", "Soil survey Crop yields"]
    assert data.labels == [1, 0]
    assert data.warnings == []


@pytest.mark.parametrize("label_name", ["included", "label", "final_included", "included_label", "included_final",
                                        "included_flag", "include"])
def test_every_asreview_label_alias_is_read(tmp_path, label_name):
    path = _write(tmp_path, f"title,abstract,{label_name}\nA,B,0\nC,D,1\n")
    assert read_labelled_csv(path).labels == [0, 1]


def test_column_names_in_any_case_and_with_surrounding_spaces_and_keywords_unused(tmp_path):
    # The model reads title and abstract only (sysrev.screening.ranking.record_text): keywords stay out.
    path = _write(tmp_path, " TITLE ,Abstract, KeyWords,Label_Included \nA,B,k1; k2,1\nC,D,,0\n")
    data = read_labelled_csv(path)
    assert data.texts == ["A B", "C D"]
    assert data.labels == [1, 0]


def test_label_included_comes_before_asreview_aliases_and_the_others_are_named(tmp_path):
    # An ASReview LAB export of a pre-labelled set keeps the original label_included next to asreview_label.
    path = _write(tmp_path, "title,abstract,asreview_label,label_included\nA,B,0,1\nC,D,1,0\n")
    data = read_labelled_csv(path)
    assert data.labels == [1, 0]
    assert len(data.warnings) == 1
    assert "'label_included'" in data.warnings[0] and "'asreview_label'" in data.warnings[0]
    assert "--label-column" in data.warnings[0]


def test_asreview_order_after_label_included(tmp_path):
    # asreview/data/base.py: the canonical "included" wins over "asreview_label", which wins over "label".
    path = _write(tmp_path, "title,abstract,label,asreview_label,included\nA,B,0,0,1\nC,D,0,1,0\n")
    assert read_labelled_csv(path).labels == [1, 0]
    path = _write(tmp_path, "title,abstract,label,asreview_label\nA,B,0,1\nC,D,1,0\n")
    assert read_labelled_csv(path).labels == [1, 0]
    # Title: the canonical "title" before "primary_title".
    path = _write(tmp_path, "primary_title,Title,abstract,label_included\nP,T,B,1\n")
    data = read_labelled_csv(path)
    assert data.texts == ["T B"]
    assert "title read from column 'Title'" in data.warnings[0] and "'primary_title'" in data.warnings[0]


def test_explicit_label_column_is_that_column_only(tmp_path):
    path = _write(tmp_path, "title,abstract,label_included, Decision Final \nA,B,0,1\nC,D,1,0\n")
    assert read_labelled_csv(path, "decision final").labels == [1, 0]
    assert read_labelled_csv(path, "LABEL_INCLUDED").labels == [0, 1]
    # No fallback to the aliases when the named column is absent.
    with pytest.raises(InputError) as caught:
        read_labelled_csv(path, "included")
    message = str(caught.value)
    assert "label (accepted: included; perhaps --label-column 'label_included')" in message
    assert "line 1" in message


def test_two_columns_for_one_role_are_an_error_naming_both(tmp_path):
    path = _write(tmp_path, "Title,abstract,title ,label_included\nA,B,C,1\n")
    with pytest.raises(InputError) as caught:
        read_labelled_csv(path)
    assert "'Title'" in str(caught.value) and "'title '" in str(caught.value)
    assert "columns 1, 3" in str(caught.value)
    path = _write(tmp_path, "title,abstract,Included,INCLUDED\nA,B,1,0\n")
    with pytest.raises(InputError, match="'Included', 'INCLUDED'"):
        read_labelled_csv(path)
    with pytest.raises(InputError, match="'Included', 'INCLUDED'"):
        read_labelled_csv(path, "included")


def _refusal(path, **options) -> str:
    """The message of the InputError reading ``path`` must raise."""
    with pytest.raises(InputError) as caught:
        read_labelled_csv(path, **options)
    return str(caught.value)


def test_missing_columns_error_lists_found_and_accepted(tmp_path):
    message = _refusal(_write(tmp_path, "Titel,abstract,decision\nA,B,1\n"))
    assert "title (accepted: title, primary_title; rename column 'Titel' to 'title' if it holds the titles)" in message
    assert "label (accepted: label_included, included, asreview_label, label, final_included" in message
    assert "--label-column)" in message  # 'decision' looks like no label name: no guess
    assert "found: 'Titel', 'abstract', 'decision'" in message
    assert "abstract (accepted" not in message  # the abstract column is there


def test_columns_that_look_like_a_misspelt_name_are_pointed_out(tmp_path):
    # Cohen et al.'s raw files: 'abstracts' and two label columns, neither under a name ASReview LAB reads.
    path = _write(tmp_path, "pubmedID,title,abstracts,label1,label2\n1,A,B,1,1\n2,C,D,0,0\n")
    message = _refusal(path)
    assert "rename column 'abstracts' to 'abstract' if it holds the abstracts" in message
    assert "perhaps --label-column 'label1' (or 'label2')" in message
    data = read_labelled_csv(path, label_column="label1")  # then the titles alone, and the warning says why
    assert data.labels == [1, 0]
    assert "rename column 'abstracts' to 'abstract'" in data.warnings[0] and "titles alone" in data.warnings[0]


def test_titles_alone_or_abstracts_alone_are_read_with_a_warning(tmp_path):
    # ASReview LAB simulates on a set with only one of the two text columns; so does sysrev, and says so.
    data = read_labelled_csv(_write(tmp_path, "Primary_Title,included\nNerve block,1\nSoil,0\n"))
    assert data.texts == ["Nerve block", "Soil"] and data.labels == [1, 0]
    assert len(data.warnings) == 1 and "no abstract column" in data.warnings[0] and "titles alone" in data.warnings[0]
    data = read_labelled_csv(_write(tmp_path, "abstract,label_included\nUltrasound trial,1\nCrop yields,0\n"))
    assert data.texts == ["Ultrasound trial", "Crop yields"]
    assert len(data.warnings) == 1 and "no title column" in data.warnings[0] and "abstracts alone" in data.warnings[0]


def test_neither_title_nor_abstract_is_an_error_naming_both(tmp_path):
    with pytest.raises(InputError) as caught:
        read_labelled_csv(_write(tmp_path, "id,label_included\n1,1\n"))
    message = str(caught.value)
    assert "title (accepted: title, primary_title)" in message and "abstract (accepted: abstract" in message
    assert "label (accepted" not in message  # the label column is there
    assert "at least one is needed" in message


def test_simulate_runs_on_titles_alone(tmp_path):
    rows = "".join(f"{'Ultrasound nerve block trial' if i % 6 == 0 else 'Soil crop survey'} {i},{int(i % 6 == 0)}\n"
                   for i in range(30))
    path = _write(tmp_path, "title,label_included\n" + rows)
    result = CliRunner().invoke(cli, ["screen", "simulate", str(path), "--out",
                                      str(tmp_path / "order.csv"), "--prior-seed", "1"])
    assert result.exit_code == 0, result.output
    assert "no abstract column" in result.stderr and json.loads(result.stdout)["screened"] == 28


def test_semicolon_and_tab_separated_files(tmp_path):
    # Excel in locales with a decimal comma writes semicolons; the abstract's comma stays inside its cell.
    path = _write(tmp_path, "Title;Abstract;Included\nA;B, with a comma;1\nC;D;0\n")
    assert read_labelled_csv(path).texts == ["A B, with a comma", "C D"]
    path = _write(tmp_path, "title\tabstract\tlabel_included\nA\tB; C\t0\n")
    data = read_labelled_csv(path)
    assert data.texts == ["A B; C"] and data.labels == [0]


# --- encodings ---------------------------------------------------------------------------------------------

def test_windows_1252_export_is_read_with_a_warning(tmp_path):
    path = _write(tmp_path, "title,abstract,label_included\nCafé,Effet – étude,1\nB,C,0\n", encoding="cp1252")
    data = read_labelled_csv(path)
    assert data.texts[0] == "Café Effet – étude"
    assert len(data.warnings) == 1 and "cp1252" in data.warnings[0] and "line 2" in data.warnings[0]


def test_utf8_with_bom_reads_the_first_column_by_name(tmp_path):
    path = _write(tmp_path, "\ufefftitle,abstract,label_included\nÉtude,Résumé – x,1\n")
    data = read_labelled_csv(path)
    assert data.texts == ["Étude Résumé – x"] and data.warnings == []


def test_cli_prints_the_encoding_warning_on_stderr_and_json_on_stdout(tmp_path):
    rows = "".join(f"Trial {i} é,Abstract – {i},{int(i < 2)}\n" for i in range(6))
    path = _write(tmp_path, "Title,Abstract,Included\n" + rows, encoding="cp1252")
    result = CliRunner().invoke(cli, ["screen", "simulate", str(path), "--out", str(tmp_path / "o.csv"),
                                      "--prior", "0", "--prior", "5"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["priors"] == [0, 5]
    assert "warning:" in result.stderr and "cp1252" in result.stderr
    assert (tmp_path / "o.csv").read_text().splitlines()[0] == "row"


# --- the errors that stay ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "shown"), [("", "''"), ("maybe", "'maybe'"), ("1.5", "'1.5'"), ("2", "'2'"),
                                             ("nan", "'nan'"), ("-1", "'-1'")])
def test_a_label_other_than_0_or_1_stops_with_file_and_line(tmp_path, cell, shown):
    path = _write(tmp_path, f'title,abstract,included\nA,B,1\n"C\nwith a line break",D,{cell}\n')
    with pytest.raises(InputError) as caught:
        read_labelled_csv(path)
    assert str(caught.value) == f"{path}, line 4: included must be 0 or 1 (or yes/no, true/false), found {shown}"


def test_label_words_of_asreview_and_excel_in_any_case(tmp_path):
    # ASReview LAB maps yes/no/y/n to 1/0; Excel and pandas write booleans as TRUE/FALSE.
    rows = "".join(f"T{i},A{i},{word}\n" for i, word in enumerate(["yes", "No", "Y", "n", "TRUE", "False"]))
    assert read_labelled_csv(_write(tmp_path, "title,abstract,included\n" + rows)).labels == [1, 0, 1, 0, 1, 0]


def test_float_labels_and_short_rows(tmp_path):
    assert read_labelled_csv(_write(tmp_path, "title,abstract,label\nA,B,1.0\nC,D, 0.0 \n")).labels == [1, 0]
    with pytest.raises(InputError, match=r"line 3: label must be 0 or 1 \(or yes/no, true/false\), found ''"):
        read_labelled_csv(_write(tmp_path, "title,abstract,label\nA,B,1\nC,D\n"))


def test_a_header_without_rows_and_a_file_cut_mid_character(tmp_path):
    with pytest.raises(InputError, match="no data rows"):
        read_labelled_csv(_write(tmp_path, "title,abstract,label_included\n"))
    cut = _write(tmp_path, "title,abstract,label_included\nA,Résumé,1\nB,é").read_bytes()[:-1]
    (tmp_path / "cut.csv").write_bytes(cut)
    with pytest.raises(InputError, match="cut off"):
        read_labelled_csv(tmp_path / "cut.csv")


@pytest.mark.parametrize(("text", "named"), [("TY  - JOUR\nTI  - Nerve block\nER  - \n", "RIS"),
                                             ("@article{a1,\n  title = {Nerve block}\n}\n", "BibTeX")])
def test_a_reference_file_is_named_as_such_not_as_missing_columns(tmp_path, text, named):
    with pytest.raises(InputError, match=rf"this is a reference file \({named}\), not a CSV: simulate reads a CSV"):
        read_labelled_csv(_write(tmp_path, text, name="refs.txt"))


def _workbook(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_an_excel_workbook_is_read_from_its_first_sheet_as_asreview_reads_one(tmp_path):
    # Labels as Excel stores them: numbers (1, 0.0) and booleans; an empty abstract cell.
    path = _workbook(tmp_path / "labels.xlsx", [["Title", "Abstract", "Included"], ["Nerve block", "Trial", 1],
                                                ["Soil survey", None, 0.0], ["Knee", "Cohort", True],
                                                ["Crops", "Yield", False]])
    data = read_labelled_csv(path)
    assert (data.texts, data.labels, data.warnings) == (
        ["Nerve block Trial", "Soil survey", "Knee Cohort", "Crops Yield"], [1, 0, 1, 0], [])


def test_simulate_on_a_workbook_gives_the_order_of_the_same_sheet_saved_as_csv(tmp_path):
    rows = [["title", "abstract", "label_included"]] + [
        [f"{'Ultrasound nerve block trial' if i % 5 == 0 else 'Soil crop survey'} {i}", f"Abstract {i % 3}",
         int(i % 5 == 0)] for i in range(40)]
    _workbook(tmp_path / "data.xlsx", rows)
    (tmp_path / "data.csv").write_text("".join(",".join(map(str, row)) + "\n" for row in rows), encoding="utf-8")
    outputs = []
    for name in ("data.xlsx", "data.csv"):
        result = CliRunner().invoke(cli, ["screen", "simulate", str(tmp_path / name), "--out",
                                          str(tmp_path / f"{name}.order"), "--prior-seed", "3"])
        assert result.exit_code == 0, result.output
        outputs.append((json.loads(result.stdout), (tmp_path / f"{name}.order").read_text()))
    assert outputs[0] == outputs[1] and outputs[0][0]["screened"] == 38


def test_a_label_error_in_a_workbook_names_its_sheet_row(tmp_path):
    path = _workbook(tmp_path / "labels.xlsx", [["title", "abstract", "label"], ["A", "B", 1], ["C", "D", "maybe"]])
    with pytest.raises(InputError) as err:
        read_labelled_csv(path)
    assert str(err.value) == f"{path}, line 3: label must be 0 or 1 (or yes/no, true/false), found 'maybe'"


def test_a_damaged_workbook_is_refused_with_what_to_do(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "labels.xlsx", "w") as workbook:
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match=r"this Excel workbook \(xlsx\) cannot be read: .*save the sheet as CSV"):
        read_labelled_csv(tmp_path / "labels.xlsx")


@pytest.mark.parametrize("start", [b"%PDF-1.7", b"SQLite format 3\x00"])
def test_a_pdf_or_an_endnote_library_is_refused_naming_the_csv_a_simulation_reads(tmp_path, start):
    # the advice import gives (export RIS, NBIB …) would not help here: a simulation reads a labelled CSV
    (tmp_path / "review.bin").write_bytes(start + bytes(range(256)))
    with pytest.raises(InputError) as err:
        read_labelled_csv(tmp_path / "review.bin")
    assert "a CSV (UTF-8) of title, abstract and a 0/1 label per record" in str(err.value)
    assert "RIS" not in str(err.value)


# --- every message in full: the file, the line, what was found and what to do ---------------------------------

ACCEPTED_LABELS = ("label_included, included, asreview_label, label, final_included, included_label, "
                   "included_final, included_flag, include")


@pytest.mark.parametrize("text, label_column, message", [
    ("Title,title,label_included\na,b,1\n", None,
     "line 1: columns 'Title', 'title' (columns 1, 2) both name the title; rename or remove one"),
    ("title,abstract,label1,Included?\na,b,1,1\n", None,
     f"line 1: missing column label (accepted: {ACCEPTED_LABELS}, or another name given with --label-column; "
     "perhaps --label-column 'label1' (or 'Included?')); names are matched in any case, surrounding spaces "
     "ignored (found: 'title', 'abstract', 'label1', 'Included?')"),
    ("titel,abstracts,decision\na,b,1\n", None,
     "line 1: missing columns title (accepted: title, primary_title; rename column 'titel' to 'title' if it "
     "holds the titles) or abstract (accepted: abstract, notes_abstract, abstract note; rename column "
     "'abstracts' to 'abstract' if it holds the abstracts): at least one is needed; label (accepted: "
     f"{ACCEPTED_LABELS}, or another name given with --label-column); names are matched in any case, "
     "surrounding spaces ignored (found: 'titel', 'abstracts', 'decision')"),
    ("", None,
     "line 1: missing columns title (accepted: title, primary_title) or abstract (accepted: abstract, "
     f"notes_abstract, abstract note): at least one is needed; label (accepted: {ACCEPTED_LABELS}, or another "
     "name given with --label-column); names are matched in any case, surrounding spaces ignored (found: none)"),
    ("title,abstract,mylabel\na,b,1\n", "Other",
     "line 1: missing column label (accepted: other; perhaps --label-column 'mylabel'); names are matched in "
     "any case, surrounding spaces ignored (found: 'title', 'abstract', 'mylabel')"),
    ("title,abstract,label_included\n", None, "no data rows"),
    ("title,abstract,label_included\na,b,1\n\nc,d,2\n", None,
     "line 4: label_included must be 0 or 1 (or yes/no, true/false), found '2'"),
    ('title,abstract,label_included\na,b,1\nc,"d,0\ne,f,1\n', None,
     "line 3: a quoted cell of the last row is never closed (the file ends inside it): the file looks cut off "
     "(an interrupted download or copy?)"),
    ("TY  - JOUR\nTI  - A trial\nER  - \n", None,
     "this is a reference file (RIS), not a CSV: simulate reads a CSV with title, abstract and 0/1 label columns "
     "(ASReview LAB, Rayyan and Covidence export one)"),
    # text after a closing quote is read as the csv module reads it
    ('title,abstract,label_included\n"a"b,c,1\n', None, None),
])
def test_every_refusal_names_the_file_and_line_in_full(tmp_path, text, label_column, message):
    path = _write(tmp_path, text)
    if message is None:
        assert read_labelled_csv(path).texts == ["ab c"]
        return
    with pytest.raises(InputError) as refused:
        read_labelled_csv(path, label_column=label_column)
    where = f"{path}, " if message.startswith("line ") else f"{path}: "
    assert str(refused.value) == where + message


def test_a_file_that_cannot_be_read_says_why(tmp_path):
    with pytest.raises(InputError) as refused:
        read_labelled_csv(tmp_path / "absent.csv")
    assert str(refused.value) == f"{tmp_path / 'absent.csv'}: cannot be read: No such file or directory"


def test_a_file_cut_mid_character_says_so_in_full(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes("title,abstract,label_included\nA,é".encode()[:-1])
    with pytest.raises(InputError) as refused:
        read_labelled_csv(path)
    assert str(refused.value) == (f"{path}: the file ends in the middle of a UTF-8 character: it looks cut off (an "
                                  "interrupted download or copy?)")


def test_the_warnings_in_full(tmp_path):
    passed = _write(tmp_path, "title,primary_title,abstract,notes_abstract,label_included,included,label\n"
                              "a,b,c,d,1,0,1\n", name="passed.csv")
    assert read_labelled_csv(passed).warnings == [
        f"{passed}: title read from column 'title'; column 'primary_title' not used",
        f"{passed}: abstract read from column 'abstract'; column 'notes_abstract' not used",
        f"{passed}: label read from column 'label_included'; columns 'included', 'label' not used (choose another "
        "with --label-column)"]
    titles = _write(tmp_path, "title,abstracts,label\na,x,1\nb,y,0\n", name="titles.csv")
    assert read_labelled_csv(titles).warnings == [
        f"{titles}: no abstract column (accepted: abstract, notes_abstract, abstract note; rename column "
        "'abstracts' to 'abstract' if it holds the abstracts): the model ranks on the titles alone"]
    abstracts = _write(tmp_path, "abstract,label\na,1\nb,0\n", name="abstracts.csv")
    assert read_labelled_csv(abstracts).warnings == [
        f"{abstracts}: no title column (accepted: title, primary_title): the model ranks on the abstracts alone"]


def test_what_is_refused_before_any_column_is_read_in_full(tmp_path):
    pdf = tmp_path / "review.bin"
    pdf.write_bytes(b"%PDF-1.7" + bytes(range(256)))
    with pytest.raises(InputError) as refused:
        read_labelled_csv(pdf)
    assert str(refused.value) == (f"{pdf}: this is a PDF; what is needed is a CSV (UTF-8) of title, abstract and a "
                                  "0/1 label per record, one row per record")
    windows = _write(tmp_path, "title,abstract,label_included\nCafé,Effet – étude,1\nB,C,0\n", encoding="cp1252",
                     name="windows.csv")
    assert read_labelled_csv(windows).warnings == [
        f"{windows} is not valid UTF-8 (byte 0xe9 on line 2); read it as cp1252 (Windows/Latin-1 export) - check "
        "accented characters in the imported records"]
    huge = _write(tmp_path, "title,abstract,label_included\na," + "x" * 140_000 + ",1\n", name="huge.csv")
    with pytest.raises(InputError) as too_long:
        read_labelled_csv(huge)
    assert str(too_long.value) == f"{huge}, line 2: malformed CSV: field larger than field limit (131072)"


@pytest.mark.parametrize("text, line", [
    ('title,abstract,label_included\n"a,b,1\nc,d,0\n', 2),  # the first data row already
    ("title;abstract;label_included\nx;y;1\nz;w;0\nq;r;1\n\"a;b;1\n", 5),  # semicolons: the quote state by them
])
def test_a_cut_off_quoted_cell_is_named_at_the_line_its_row_starts(tmp_path, text, line):
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as refused:
        read_labelled_csv(path)
    assert str(refused.value).startswith(f"{path}, line {line}: a quoted cell of the last row is never closed")


def test_a_quoted_line_break_is_kept_as_written(tmp_path):
    path = tmp_path / "crlf.csv"
    path.write_bytes(b'title,abstract,label_included\r\n"Two\r\nlines",x,1\r\nb,y,0\r\n')
    assert read_labelled_csv(path).texts == ["Two\r\nlines x", "b y"]


@pytest.mark.parametrize("header, hint", [
    ("tit,abstract,label_included", None),  # too far from "title" (difflib ratio 0.75 < 0.8): no guess
    ("title,abstract,lable", "; perhaps --label-column 'lable'"),  # a misspelling without "label" in it
    ("title,abstract,was_included_by_team", "; perhaps --label-column 'was_included_by_team'"),
    ("title,abstract,label1,label2,Included?", "; perhaps --label-column 'label1' (or 'label2', 'Included?')"),
])
def test_lookalike_columns_are_suggested_only_when_they_look_alike(tmp_path, header, hint):
    path = _write(tmp_path, header + "\n" + ",".join(["a"] * header.count(",") + ["1"]) + "\n")
    if header.startswith("tit,"):
        assert read_labelled_csv(path).warnings == [
            f"{path}: no title column (accepted: title, primary_title): the model ranks on the abstracts alone"]
        return
    with pytest.raises(InputError) as refused:
        read_labelled_csv(path)
    assert f", or another name given with --label-column{hint}); names are matched" in str(refused.value)


def test_every_reference_format_is_named_in_words(tmp_path):
    path = _write(tmp_path, "Record #1 of 1\n<1>\nUnique Identifier\n  12345678\nTitle\n  A trial.\n", name="o.csv")
    from sysrev.formats.detect import detect_format
    from sysrev.screening.labelled_csv import _FORMAT_NAMES

    kind = detect_format(path.read_text())
    with pytest.raises(InputError) as refused:
        read_labelled_csv(path)
    assert kind in _FORMAT_NAMES
    assert f"this is a reference file ({_FORMAT_NAMES[kind]}), not a CSV" in str(refused.value)


def test_a_zip_archive_is_refused_naming_the_verb_of_simulate(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "labels.zip", "w") as archive:
        archive.writestr("labels.csv", "title,label\nA,1\n")
    with pytest.raises(InputError) as err:
        read_labelled_csv(tmp_path / "labels.zip")
    assert str(err.value) == (f"{tmp_path / 'labels.zip'}: this is a ZIP archive (or an Office file that is not an "
                              "Excel workbook): unzip it, or save the sheet as CSV (UTF-8), and simulate on that")


def test_a_damaged_workbook_is_named_by_its_path(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "labels.xlsx", "w") as workbook:
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError) as err:
        read_labelled_csv(tmp_path / "labels.xlsx")
    assert err.value.path == tmp_path / "labels.xlsx"
    assert str(err.value).startswith(f"{tmp_path / 'labels.xlsx'}: this Excel workbook (xlsx) cannot be read")


def test_a_windows_file_keeps_the_line_break_inside_a_quoted_abstract(tmp_path):
    path = _write(tmp_path, 'title,abstract,label_included\r\nA,"first\r\nsecond",1\r\nB,C,0\r\n')
    assert read_labelled_csv(path).texts == ["A first\r\nsecond", "B C"]


def test_a_semicolon_file_cut_inside_its_last_quoted_cell_is_refused(tmp_path):
    path = _write(tmp_path, 'title;abstract;label_included\nA;B;1\nC;"an abstract cut off')
    with pytest.raises(InputError) as err:
        read_labelled_csv(path)
    assert err.value.line == 3 and "a quoted cell of the last row is never closed" in str(err.value)
