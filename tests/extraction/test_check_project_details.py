"""`sysrev extract check` across rows and files, every finding in full: an outcome, arm or study the review does
not know (named once, at its first row), the same row in two files, a spreadsheet left in Excel's format, and
a folder without rows."""

from test_extraction_check import GOOD, HEADER, findings, make_project

from sysrev.extraction.check import ERROR, WARNING


def test_unknown_outcomes_arms_and_studies_are_named_once_at_their_first_row(tmp_path):
    rows = GOOD + [
        "Trial A,gait,,2 weeks,US,30,3.1,1.2,,,Table 3,,,,",
        "Trial A,gait,,2 weeks,CT,29,3.4,1.5,,,Table 3,,,,",
        "Trial C,gait,,4 weeks,CT,29,3.4,1.5,,,Table 4,,,,",
        "Trial C,gait,,8 weeks,CT,28,3.0,1.5,,,Table 4,,,,",
    ]
    found = [f for f in findings(make_project(tmp_path, rows)) if f[0] == WARNING]
    assert found == [
        (WARNING, "pain.csv", 4, "outcome", "outcome 'gait' is not among review.toml [[outcomes]] (pain, ae)"),
        (WARNING, "pain.csv", 5, "arm", "arm 'CT' is neither review.toml [arms] group1 nor group2 (US, FL)"),
        (WARNING, "pain.csv", 6, "study", "study 'Trial C' is not in studies.csv (2 extraction rows)"),
    ]


def test_without_studies_csv_no_study_is_unknown(tmp_path):
    rows = ["Trial Z,pain,,2 weeks,US,30,3.1,1.2,,VAS 0-10,Table 2,,,,",
            "Trial Z,pain,,2 weeks,FL,29,3.4,1.5,,VAS 0-10,Table 2,,,,"]
    assert findings(make_project(tmp_path, rows, studies=None)) == []


def test_the_same_row_in_two_files_is_an_error_naming_the_other(tmp_path):
    project = make_project(tmp_path, GOOD)
    (project.extraction_dir / "pain_more.csv").write_text(HEADER + "\n" + GOOD[1].replace("29", "31") + "\n")
    assert findings(project) == [
        (ERROR, "pain_more.csv", 2, None, "Trial A / pain / 2 weeks / FL: the same row is also in pain.csv line 3")]


def test_a_spreadsheet_in_excel_format_is_named_and_a_folder_without_rows_said_so(tmp_path):
    project = make_project(tmp_path, [])
    assert findings(project) == [(WARNING, "extraction", None, None,
                                  "no extraction rows yet (in *.csv files other than studies.csv)")]
    (project.extraction_dir / "pain.xlsx").write_bytes(b"PK\x03\x04")
    assert findings(project) == [(WARNING, "pain.xlsx", None, None, "a spreadsheet in its own format, which sysrev "
                                  "does not read here: save it as CSV (UTF-8) in this folder")]


def test_counts_analysed_against_counts_randomised_in_full(tmp_path):
    rows = ["Trial A,pain,,2 weeks,US,31,3.1,1.2,,VAS 0-10,Table 2,,,,",
            "Trial A,pain,,2 weeks,FL,30,3.4,1.5,,VAS 0-10,Table 2,,,,",
            "Trial A,pain,,6 weeks,US,28,3.0,1.2,,VAS 0-10,Table 2,,,,",  # another time point: its own total
            "Trial A,pain,,6 weeks,FL,30,3.2,1.5,,VAS 0-10,Table 2,,,,"]
    assert [f for f in findings(make_project(tmp_path, rows)) if f[0] == ERROR] == [
        (ERROR, "pain.csv", 2, "n", "Trial A / pain / 2 weeks / US: n analysed (31) > n randomised to US "
                                    "(30, studies.csv line 2)"),
        (ERROR, "pain.csv", 3, "n", "Trial A / pain / 2 weeks / FL: arms together analyse 61 > 60 randomised "
                                    "(studies.csv line 2)")]


def test_change_scores_mixed_with_final_values_in_full(tmp_path):
    rows = GOOD + ["Trial B,pain,,2 weeks,US,20,-2,1.5,,VAS 0-10,T4,,SD baseline 2,Change from baseline,",
                   "Trial B,pain,,2 weeks,FL,20,-1,1.5,,VAS 0-10,T4,,SD baseline 2,change from baseline,"]
    smd = make_project(tmp_path / "smd", rows, analyses='[analyses.pain]\noutcome = "pain"\nmeasure = "smd"\n')
    assert [f for f in findings(smd) if f[3] == "method"] == [
        (ERROR, "pain.csv", 4, "method", "analysis 'pain' mixes change-from-baseline rows (2) with final values (2); "
                                         "not allowed for an SMD")]
    unnamed = make_project(tmp_path / "none", rows)  # without analyses.toml each outcome is one analysis
    assert [f for f in findings(unnamed) if f[3] == "method"] == [
        (WARNING, "pain.csv", 4, "method", "analysis 'pain' mixes change-from-baseline rows (2) with final values (2)")]
    only_change = make_project(tmp_path / "change", rows[2:])
    assert [f for f in findings(only_change) if f[3] == "method"] == []


def test_scales_of_an_analysis_in_full(tmp_path):
    rows = GOOD + ["Trial B,pain,,2 weeks,US,20,6,2,,Relief 0-10,T1,,,,",
                   "Trial B,pain,,2 weeks,FL,20,5,2,,NRS,T1,,,,",
                   "Trial B,pain,,4 weeks,FL,20,5,2,,NRS,T1,,,,"]
    found = findings(make_project(tmp_path, rows))
    assert [f for f in found if f[3] == "scale" or f[1] is None] == [
        (WARNING, "pain.csv", 5, "scale", "analysis 'pain': scale 'NRS' has no direction in form.toml [scales]"),
        (ERROR, None, None, None, "analysis 'pain' mixes scale directions (higher is better: Relief 0-10; higher is "
                                  "worse: VAS 0-10); reverse one set of values and record it in 'method'")]


def test_counts_within_studies_csv_in_full(tmp_path):
    studies = ("study,n_randomised,n_randomised_group1,n_randomised_group2,n_analysed,note\n"
               "Trial A,60,30,31,61,\n"
               "Trial B,40,20,20,40,\"[DISAGREEMENT] n_analysed: A=40, B=38.\"\n")
    found = [f for f in findings(make_project(tmp_path, GOOD, studies=studies)) if f[1] == "studies.csv"]
    assert found == [
        (ERROR, "studies.csv", 2, "n_randomised", "Trial A: n_randomised_group1 + n_randomised_group2 = 61 but "
                                                  "n_randomised = 60"),
        (ERROR, "studies.csv", 2, "n_analysed", "Trial A: n_analysed (61) > n_randomised (60)"),
        (ERROR, "studies.csv", 3, "note", "Trial B: unresolved double-extraction disagreement (see the note); enter "
                                          "the agreed value and remove the [DISAGREEMENT] marker")]


def test_a_malformed_studies_csv_is_one_finding_without_its_place_written_twice(tmp_path):
    found = findings(make_project(tmp_path, GOOD, studies="study,n_randomised\nTrial A,sixty\n"))
    assert found[0] == (ERROR, "studies.csv", 2, "n_randomised", "'sixty' is not a number")


def test_an_outcome_review_toml_does_not_declare_takes_its_type_from_its_cells(tmp_path):
    rows = ["Trial A,nausea,,2 weeks,US,30,,,,,Table 4,,,,",  # n only: type unknown
            "Trial A,nausea,,2 weeks,FL,29,,,2,,Table 4,,,,",  # events: dichotomous
            "Trial A,fatigue,,2 weeks,US,30,,1.1,,,Table 5,,,,"]  # an SD: continuous
    found = [(f[2], f[4]) for f in findings(make_project(tmp_path, rows))
             if "empty" in f[4] or "unknown" in f[4]]
    assert found == [
        (2, "Trial A / nausea / 2 weeks / US: no value yet and the outcome type is unknown (declare it in "
            "review.toml [[outcomes]] type) (see Table 4)"),
        (4, "Trial A / fatigue / 2 weeks / US: mean empty (see Table 5)")]


def test_every_row_repeated_from_another_file_is_named_and_the_rest_of_the_file_still_read(tmp_path):
    project = make_project(tmp_path, GOOD)
    (project.extraction_dir / "pain_more.csv").write_text(
        HEADER + "\n" + GOOD[0] + "\n" + GOOD[1] + "\nTrial B,pain,,2 weeks,US,0,3.1,1.2,,VAS 0-10,Table 2,,,,\n")
    found = findings(project)
    assert [f[4].split(":")[0] for f in found if "also in" in f[4]] == ["Trial A / pain / 2 weeks / US",
                                                                        "Trial A / pain / 2 weeks / FL"]
    assert any(f[0] == ERROR and f[1] == "pain_more.csv" and f[2] == 4 for f in found)  # n = 0, after them


def test_an_analyses_file_that_does_not_read_is_a_finding_not_a_crash(tmp_path):
    project = make_project(tmp_path, GOOD, analyses="[analyses.pain\n")
    assert [(f[0], f[1]) for f in findings(project)] == [(ERROR, "analyses.toml")]
