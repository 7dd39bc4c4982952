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
        (WARNING, "pain.csv", 6, "study", "study 'Trial C' is not in studies.csv"),
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
