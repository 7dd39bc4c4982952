"""The click commands' own bodies, fourth part: what the survivors of a run of every mutant of `sysrev extract`
and `sysrev rob` showed unchecked (benchmarks/decorated_mutation.py mutates these bodies, which mutmut skips).
Each test asserts what a user sees: the output, its stream, the exit code, the files written."""

import shutil
import threading
from contextlib import contextmanager

import pytest
from project_files import project_with as _project
from test_cli_command_bodies import HEADER, Z, _extractor, _invoke, _paper, _row

# ------------------------------------------------------------------------------------------ sysrev extract check

# a row with a negative n is an error on its own line (scale "VAS" has no direction: one warning, not shown)
_ROW = "Trial {study},pain,,2 weeks,US,{n},3.1,1.2,,VAS,Table 2,,,,\n"


def test_extract_check_lists_findings_of_one_kind_file_by_file_then_line_by_line(tmp_path):
    # a.csv's error is on line 3 and b.csv's on lines 2 and 3: a.csv's comes first (by file, then by line), and
    # b.csv's line 3 (a row already in a.csv, found while reading) after its line 2 (found by the row checks)
    a = HEADER + "\n" + _ROW.format(study="A", n=30) + _ROW.format(study="B", n=-1)
    b = HEADER + "\n" + _ROW.format(study="C", n=-2) + _ROW.format(study="A", n=30)
    root = _project(tmp_path / "p", **{"analysis__extraction__b.csv": b, "analysis__extraction__a.csv": a})
    result = _invoke("extract", "check", "--quiet", "--project", root)
    assert result.exit_code == 2
    ext = root / "analysis" / "extraction"
    assert result.stdout.splitlines() == [
        f"error: {ext / 'a.csv'}, line 3, column 'n': Trial B / pain / 2 weeks / US: n = -1 must be a whole number > 0",
        f"error: {ext / 'b.csv'}, line 2, column 'n': Trial C / pain / 2 weeks / US: n = -2 must be a whole number > 0",
        f"error: {ext / 'b.csv'}, line 3: Trial A / pain / 2 weeks / US: the same row is also in a.csv line 2",
        f"{ext}: 3 errors, 1 warning, 0 rows with pending (unknown) cells",
    ]


# ---------------------------------------------------------------------------------------- sysrev extract compare


def test_extract_compare_shows_the_first_extractors_empty_cell_as_empty_and_names_the_consensus(tmp_path):
    a = _extractor(tmp_path, "anna", ["Trial A,pain,,2 weeks,US,30,3.1,,,VAS,Table 2,,,,"])
    b = _extractor(tmp_path, "ben", ["Trial A,pain,,2 weeks,US,30,3.1,1.2,,VAS,Table 2,,,,"])
    consensus = tmp_path / "consensus.csv"
    result = _invoke("extract", "compare", a, b, "--out", consensus)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "pain.csv: 3/4 value cells agree (75%), 1 discrepancy(ies)",
        "  Trial A / pain / 2 weeks / US: sd: anna=(empty)  ben=1.2",
        f"consensus written to {consensus}; disagreements are left empty and marked [DISAGREEMENT] in the note",
        "1 discrepancy(ies) in total",
    ]
    assert consensus.read_text(encoding="utf-8").splitlines()[1] == \
        'Trial A,pain,,2 weeks,US,30,3.1,,,VAS,Table 2,,,,"[DISAGREEMENT] sd: anna=(empty), ben=1.2."'


def test_extract_compare_of_two_folders_counts_the_discrepancies_of_every_file(tmp_path):
    for name, sd, events in (("anna", "1.2", "4"), ("ben", "1.3", "5")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "pain.csv").write_text(f"{HEADER}\nTrial A,pain,,2 weeks,US,30,3.1,{sd},,VAS,Table 2,,,,\n",
                                         encoding="utf-8")
        (folder / "ae.csv").write_text(f"{HEADER}\nTrial A,ae,headache,,US,30,,,{events},,Table 3,,,,\n",
                                       encoding="utf-8")
    result = _invoke("extract", "compare", tmp_path / "anna", tmp_path / "ben")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ae.csv: 1/2 value cells agree (50%), 1 discrepancy(ies)",
        "  Trial A / ae / headache / US: events: anna=4  ben=5",
        "pain.csv: 3/4 value cells agree (75%), 1 discrepancy(ies)",
        "  Trial A / pain / 2 weeks / US: sd: anna=1.2  ben=1.3",
        "2 discrepancy(ies) in total",
    ]


# ---------------------------------------------------------------------------------------- sysrev extract convert


def test_sd_from_ci_uses_the_distribution_given_not_the_one_for_the_group_size():
    # n = 30 would take t with 29 df (auto); --distribution z asks for the normal critical value
    result = _invoke("extract", "convert", "sd-from-ci", "--lower", "1", "--upper", "3", "--n", "30",
                     "--distribution", "z")
    assert result.exit_code == 0, result.output
    assert float(_row(result)["sd"]) == pytest.approx(30 ** 0.5 * 2 / (2 * Z(0.975)), abs=1e-6)


@pytest.mark.parametrize("given", [
    ["--events1", "2", "--events2", "3", "--mean1", "4"],  # events with part of a continuous outcome
    ["--events1", "2"],  # the events of one group only
])
def test_combine_arms_refuses_what_is_neither_two_continuous_nor_two_dichotomous_arms(given):
    result = _invoke("extract", "convert", "combine-arms", "--n1", "10", "--n2", "12", *given)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("error: give --mean1 --sd1 --mean2 --sd2 (continuous) or --events1 --events2 "
                             "(dichotomous)\n")


# -------------------------------------------------------------------------------------- sysrev extract from-table

_REVIEW_OUTCOMES = '[[outcomes]]\nname = "pain"\ntype = "continuous"\n[arms]\ngroup1 = "US"\ngroup2 = "FL"\n'


def test_from_table_ends_its_lines_with_a_line_feed_only(tmp_path):
    # the row is meant to be pasted or redirected into an extraction CSV, whose lines end in "\n"
    root = _paper(tmp_path)
    result = _invoke("extract", "from-table", "r1", "Table 2", "--row", "VAS / 3 months", "--mean", "3", "--sd", "4",
                     "--study", "Kim 2011", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.count(b"\n") == 2 and b"\r" not in result.stdout_bytes


def test_from_table_append_checks_the_row_against_the_projects_outcomes_and_arms(tmp_path):
    root = _paper(tmp_path)
    with (root / "review.toml").open("a", encoding="utf-8") as toml:
        toml.write(_REVIEW_OUTCOMES)
    target = root / "analysis" / "extraction" / "pain.csv"
    args = ["extract", "from-table", "r1", "Table 2", "--row", "VAS / 3 months", "--mean", "3", "--sd", "4",
            "--study", "Kim 2011", "--append", target, "--yes", "--project", root]
    typo = _invoke(*args, "--outcome", "pian", "--arm", "US")
    assert typo.exit_code == 2
    assert typo.stderr.endswith("error: --outcome 'pian' is not an outcome of review.toml (one of: pain)\n")
    wrong_arm = _invoke(*args, "--outcome", "pain", "--arm", "Ultrasound")
    assert wrong_arm.exit_code == 2
    assert wrong_arm.stderr.endswith("error: --arm 'Ultrasound' is not an arm of review.toml [arms] "
                                     "(one of: US, FL)\n")
    assert not target.exists()
    good = _invoke(*args, "--outcome", "pain", "--arm", "US")
    assert good.exit_code == 0, good.output
    assert good.stderr.endswith(f"appended to {target}\n")
    assert target.read_text(encoding="utf-8") == good.stdout


def test_from_table_reads_the_events_column(tmp_path):
    root = _paper(tmp_path)
    result = _invoke("extract", "from-table", "r1", "Table 3", "--row", "Vasovagal reaction", "--events", "Ultrasound",
                     "--study", "Kim 2011", "--project", root)
    assert result.exit_code == 0, result.output
    row = _row(result)
    assert (row["events"], row["n"], row["raw"]) == ("2", "", "events: 2 (6.7%)")
    assert row["source"] == "full text r1, Table 3, row 'Vasovagal reaction': events = column 'Ultrasound' ('2 (6.7%)')"
    assert result.stderr == "# events: Table 3, row 'Vasovagal reaction', column 'Ultrasound': '2 (6.7%)'\n"


# --------------------------------------------------------------------------------------------------- sysrev rob


@pytest.fixture
def rob_project(own_fixtures, tmp_path):
    """The RoB fixture project: five complete forms, four for 'pain' and one for 'function'."""
    target = tmp_path / "project"
    shutil.copytree(own_fixtures / "rob" / "project", target)
    return target


def test_rob_compare_of_folders_notes_each_form_found_on_one_side_only(rob_project, tmp_path):
    mine = rob_project / "analysis" / "rob2"
    theirs = shutil.copytree(mine, tmp_path / "theirs")
    (theirs / "Trial_Gamma_2021--pain.toml").unlink()
    (mine / "Trial_Alpha_2019--function.toml").unlink()
    result = _invoke("rob", "compare", mine, theirs)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-3:] == [
        f"note: Trial_Alpha_2019--function.toml: only in {theirs}",
        f"note: Trial_Gamma_2021--pain.toml: only in {mine}",
        "3 form pairs, 0 disagreements",
    ]


def test_rob_plot_without_forms_names_the_outcome_only_when_one_was_given(rob_project, tmp_path):
    rob_dir = rob_project / "analysis" / "rob2"
    figure = tmp_path / "tl.svg"
    unknown = _invoke("rob", "plot", "--traffic-light", figure, "--outcome", "mobility", "--project", rob_project)
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert unknown.stderr == f"error: no RoB 2 forms for outcome 'mobility' in {rob_dir}\n"
    shutil.rmtree(rob_dir)
    rob_dir.mkdir()
    none = _invoke("rob", "plot", "--traffic-light", figure, "--project", rob_project)
    assert none.exit_code == 2 and none.stdout == ""
    assert none.stderr == f"error: no RoB 2 forms in {rob_dir}\n"
    assert not figure.exists()


def test_rob_new_refuses_an_empty_label_with_an_example(rob_project):
    result = _invoke("rob", "new", " ", "pain", "--project", rob_project)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == 'error: STUDY and OUTCOME must not be empty (e.g. sysrev rob new "Park 2013" pain)\n'


def test_rob_new_warns_of_an_unknown_study_on_stderr_only(rob_project):
    extraction = rob_project / "analysis" / "extraction"
    extraction.mkdir(parents=True)
    (extraction / "studies.csv").write_text("study\nTrial Alpha 2019\n", encoding="utf-8")
    result = _invoke("rob", "new", "Trial Zeta 2024", "pain", "--project", rob_project)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {rob_project / 'analysis' / 'rob2' / 'Trial_Zeta_2024--pain.toml'}\n"
    assert result.stderr == ("warning: study 'Trial Zeta 2024' is not in the extraction's studies.csv "
                             "(labels must match)\n")


def test_rob_new_into_a_folder_needs_no_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no review.toml here or above
    result = _invoke("rob", "new", "Trial Eta 2025", "pain", "--dir", tmp_path / "forms")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'forms' / 'Trial_Eta_2025--pain.toml'}\n" and result.stderr == ""
    assert (tmp_path / "forms" / "Trial_Eta_2025--pain.toml").is_file()


def test_rob_check_shows_unanswered_domains_as_question_marks_and_counts_warnings_apart(rob_project):
    assert _invoke("rob", "new", "Trial Epsilon 2023", "pain", "--project", rob_project).exit_code == 0
    extraction = rob_project / "analysis" / "extraction"
    extraction.mkdir(parents=True)
    (extraction / "studies.csv").write_text(  # Trial Gamma 2021 left out: one warning
        "study\nTrial Alpha 2019\nTrial Beta 2020\nTrial Delta 2022\nTrial Epsilon 2023\n", encoding="utf-8")
    result = _invoke("rob", "check", "--project", rob_project)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert "Trial Epsilon 2023 × pain: D1=?  D2=?  D3=?  D4=?  D5=?  overall=?" in lines
    assert lines[-1] == f"6 forms in {rob_project / 'analysis' / 'rob2'}: 12 errors, 1 warning"
    assert result.stderr == "error: 12 errors in the RoB 2 forms\n"


def test_rob_table_lists_each_forms_judgements_with_unanswered_ones_as_question_marks(rob_project):
    assert _invoke("rob", "new", "Trial Epsilon 2023", "pain", "--project", rob_project).exit_code == 0
    result = _invoke("rob", "table", "--outcome", "pain", "--project", rob_project)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Trial Alpha 2019: D1=low  D2=low  D3=low  D4=low  D5=low  overall=low",
        "Trial Beta 2020: D1=some concerns  D2=low  D3=low  D4=low  D5=some concerns  overall=some concerns",
        "Trial Delta 2022: D1=some concerns  D2=low  D3=some concerns  D4=low  D5=some concerns  overall=high",
        "Trial Epsilon 2023: D1=?  D2=?  D3=?  D4=?  D5=?  overall=?",
        "Trial Gamma 2021: D1=low  D2=some concerns  D3=low  D4=high  D5=low  overall=high",
    ]


@contextmanager
def _lock_held_elsewhere(root):
    """Another writer (a thread: the project lock excludes threads as it excludes processes) holding the lock."""
    from sysrev.locking import project_lock

    held, done = threading.Event(), threading.Event()

    def hold():
        with project_lock(root):
            held.set()
            done.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(30)
    try:
        yield
    finally:
        done.set()
        thread.join(30)


def test_rob_compare_takes_the_project_lock_only_to_write_the_consensus(rob_project, tmp_path, monkeypatch):
    mine = rob_project / "analysis" / "rob2"
    theirs = shutil.copytree(mine, tmp_path / "theirs")
    consensus = tmp_path / "consensus"
    root = rob_project.resolve()
    monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "0.3")
    with _lock_held_elsewhere(root):
        read = _invoke("rob", "compare", mine, theirs, "--project", rob_project)
        assert read.exit_code == 0, read.output
        assert read.stdout.endswith("\n5 form pairs, 0 disagreements\n") and read.stderr == ""
        refused = _invoke("rob", "compare", mine, theirs, "--out", consensus, "--project", rob_project)
        assert refused.exit_code == 2 and refused.stdout == ""
        assert refused.stderr.endswith(
            f"error: {root}: another sysrev process has held the project lock ({root / '.sysrev' / 'lock'}) for "
            "over 0.3 s; nothing was written (try again when it has finished)\n")
        assert not consensus.exists()
    written = _invoke("rob", "compare", mine, theirs, "--out", consensus, "--project", rob_project)
    assert written.exit_code == 0, written.output
    assert written.stdout.endswith(f"\n5 form pairs, 0 disagreements; consensus written to {consensus} "
                                   "(disagreements left empty for a human)\n")
    assert sorted(p.name for p in consensus.iterdir()) == sorted(p.name for p in mine.glob("*--*.toml"))


# ---------------------------------------------------------------------------------------------- sysrev fulltext

_NO_TABLES = (b'<?xml version="1.0" encoding="UTF-8"?>\n<article><front><article-meta><title-group><article-title>'
              b"No tables</article-title></title-group></article-meta></front><body><sec><p>Text only.</p></sec>"
              b"</body></article>\n")


def test_fulltext_tables_names_each_csv_written_after_its_table(tmp_path):
    root = _paper(tmp_path)
    out = tmp_path / "csv"
    result = _invoke("fulltext", "tables", "r1", "--out", out, "--project", root)
    assert result.exit_code == 0, result.output
    # Table 1 is given as an image only: it has no cells to write
    assert result.stdout == f"Table 2: {out / 'table-2.csv'}\nTable 3: {out / 'table-3.csv'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["table-2.csv", "table-3.csv"]


def test_fulltext_tables_of_a_paper_without_tables_is_an_error_and_writes_nothing(tmp_path):
    root = _paper(tmp_path, data=_NO_TABLES)
    out = tmp_path / "csv"
    result = _invoke("fulltext", "tables", "r1", "--out", out, "--project", root)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "error: r1: no tables in this paper's XML\n"
    assert not out.exists()
