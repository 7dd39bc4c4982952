"""The click commands' own bodies, which mutmut skips (benchmarks/decorated_mutation.py mutates them): what each
command prints, to which stream, with which exit code, and what it writes or leaves unwritten.

Expected values come from the formulas as published (Cochrane Handbook v6 §6.5.2, Wan 2014, Luo 2018),
written out here with the standard library's normal distribution, never from sysrev's own output."""

import csv
import json
import shutil
from pathlib import Path
from statistics import NormalDist

import pytest
from click.testing import CliRunner
from project_files import project_with as _project

from sysrev.cli.main import cli
from sysrev.errors import SysrevError
from sysrev.extraction.table import COLUMNS

Z = NormalDist().inv_cdf


def _invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def _row(result):
    """The one extraction row a conversion prints on stdout (the header is COLUMNS, in order)."""
    header, *rows = list(csv.reader(result.stdout.splitlines()))
    assert header == list(COLUMNS)
    (row,) = rows
    return dict(zip(header, row))


def _convert(*args):
    result = _invoke("extract", "convert", *args)
    assert result.exit_code == 0, result.output
    return result


# --------------------------------------------------------------------------------------- sysrev extract convert


def test_sd_from_se_without_a_mean_leaves_the_mean_empty_and_the_raw_cell_as_reported():
    row = _row(_convert("sd-from-se", "--se", "0.5", "--n", "25"))
    assert (row["sd"], row["n"], row["mean"]) == ("2.5", "25", "")
    assert row["raw"] == "SE=0.5; n=25"
    assert row["method"].startswith("SD = SE × √n (")


def test_sd_from_se_with_a_mean_copies_it_into_the_row_and_the_raw_cell():
    row = _row(_convert("sd-from-se", "--se", "0.5", "--n", "25", "--mean", "3.2"))
    assert (row["sd"], row["n"], row["mean"]) == ("2.5", "25", "3.2")
    assert row["raw"] == "SE=0.5; n=25; mean=3.2"
    assert row["method"].startswith("SD = SE × √n (")


def test_sd_from_ci_uses_the_level_given_and_the_ci_midpoint_as_mean():
    # n = 100: a large group, so the normal critical value (auto); 90 % CI: z = Φ⁻¹(0.95)
    result = _convert("sd-from-ci", "--lower", "1", "--upper", "3", "--n", "100", "--level", "90",
                      "--study", "Park 2013", "--arm", "US")
    row = _row(result)
    assert float(row["sd"]) == pytest.approx(10 * 2 / (2 * Z(0.95)), abs=1e-6)
    assert (row["mean"], row["n"], row["study"], row["arm"]) == ("2", "100", "Park 2013", "US")
    assert row["raw"] == "90% CI 1 to 3; n=100"
    assert result.stderr == ""


def test_sd_from_t_fills_only_the_sd_and_prints_the_se_on_stderr():
    result = _convert("sd-from-t", "--md", "3.8", "--t", "2.78", "--n1", "25", "--n2", "22", "--study", "S")
    row = _row(result)
    se = 3.8 / 2.78
    assert float(row["sd"]) == pytest.approx(se / (1 / 25 + 1 / 22) ** 0.5, abs=1e-6)
    assert (row["n"], row["mean"], row["study"]) == ("", "", "S")
    assert row["raw"] == "MD=3.8; t=2.78; n1=25; n2=22"
    assert result.stderr == f"# also: se_md={se:.4g}\n"


def test_sd_from_p_follows_the_handbook_worked_example():
    # Handbook v6 §6.5.2.3: MD 3.8, P = 0.008, n 25 and 22 -> t = 2.78, SE = 1.37, SD ≈ 1.37 / √(1/25 + 1/22)
    result = _convert("sd-from-p", "--md", "3.8", "--p", "0.008", "--n1", "25", "--n2", "22")
    row = _row(result)
    assert float(row["sd"]) == pytest.approx(1.37 / (1 / 25 + 1 / 22) ** 0.5, rel=0.005)
    assert (row["n"], row["mean"]) == ("", "")
    assert row["raw"] == "MD=3.8; P=0.008; n1=25; n2=22"
    also = dict(part.split("=") for part in result.stderr.removeprefix("# also: ").strip().split(", "))
    assert set(also) == {"se_md", "t"}
    assert float(also["t"]) == pytest.approx(2.78, abs=0.005) and float(also["se_md"]) == pytest.approx(1.37, abs=0.005)


def test_sd_from_md_ci_uses_the_level_given():
    # two groups of 100: the normal critical value; 90 % CI: SE = (upper - lower) / (2 z), SD = SE / √(1/n1 + 1/n2)
    result = _convert("sd-from-md-ci", "--lower", "-1", "--upper", "3", "--n1", "100", "--n2", "50", "--level", "90",
                      "--distribution", "z")
    row = _row(result)
    se = 4 / (2 * Z(0.95))
    assert float(row["sd"]) == pytest.approx(se / (1 / 100 + 1 / 50) ** 0.5, abs=1e-6)
    assert (row["n"], row["mean"]) == ("", "")
    assert row["raw"] == "MD 90% CI -1 to 3; n1=100; n2=50"


def _luo_wan(n):
    """Wan 2014's divisors for a large n (their approximations), ξ of the range and η of the IQR."""
    return 2 * Z((n - 0.375) / (n + 0.25)), 2 * Z((0.75 * n - 0.125) / (n + 0.25))


def test_median_range_gives_luo_mean_and_wan_sd():
    row = _row(_convert("median-range", "--median", "4", "--min", "1", "--max", "10", "--n", "100", "--arm", "A"))
    w = 4 / (4 + 100 ** 0.75)
    xi, _ = _luo_wan(100)
    assert float(row["mean"]) == pytest.approx(w * 11 / 2 + (1 - w) * 4, abs=1e-6)
    assert float(row["sd"]) == pytest.approx(9 / xi, abs=1e-6)
    assert (row["n"], row["arm"]) == ("100", "A")
    assert row["raw"] == "median=4; min=1; max=10; n=100"


def test_median_iqr_gives_luo_mean_and_wan_sd():
    row = _row(_convert("median-iqr", "--median", "4", "--q1", "2", "--q3", "9", "--n", "100", "--note", "skewed"))
    w = 0.7 + 0.39 / 100
    _, eta = _luo_wan(100)
    assert float(row["mean"]) == pytest.approx(w * 11 / 2 + (1 - w) * 4, abs=1e-6)
    assert float(row["sd"]) == pytest.approx(7 / eta, abs=1e-6)
    assert (row["n"], row["note"]) == ("100", "skewed")


def test_median_iqr_range_uses_all_five_numbers():
    row = _row(_convert("median-iqr-range", "--median", "4", "--q1", "2", "--q3", "9", "--min", "1", "--max", "15",
                        "--n", "100"))
    w1, w2 = 2.2 / (2.2 + 100 ** 0.75), 0.7 - 0.72 / 100 ** 0.55
    xi, eta = _luo_wan(100)
    assert float(row["mean"]) == pytest.approx(w1 * 16 / 2 + w2 * 11 / 2 + (1 - w1 - w2) * 4, abs=1e-6)
    assert float(row["sd"]) == pytest.approx(14 / (2 * xi) + 7 / (2 * eta), abs=1e-6)
    assert row["n"] == "100"
    assert row["raw"] == "median=4; q1=2; q3=9; min=1; max=15; n=100"


def test_combine_arms_continuous_follows_the_handbook_table():
    # N = 20, mean = 3, SD² = (9·1 + 9·1 + 10·10/20·(2−4)²) / 19 = 2
    row = _row(_convert("combine-arms", "--n1", "10", "--mean1", "2", "--sd1", "1", "--n2", "10", "--mean2", "4",
                        "--sd2", "1", "--study", "Three-arm"))
    assert (row["n"], row["mean"], row["study"]) == ("20", "3", "Three-arm")
    assert float(row["sd"]) == pytest.approx(2 ** 0.5, abs=1e-6)


def test_combine_arms_dichotomous_keeps_the_row_options():
    row = _row(_convert("combine-arms", "--n1", "10", "--events1", "2", "--n2", "12", "--events2", "3",
                        "--study", "Three-arm", "--outcome", "death"))
    assert (row["events"], row["n"], row["study"], row["outcome"]) == ("5", "22", "Three-arm", "death")
    assert row["raw"] == "group 1: 2/10; group 2: 3/12"


def test_combine_arms_with_neither_set_is_refused_naming_both():
    result = _invoke("extract", "convert", "combine-arms", "--n1", "10", "--n2", "12")
    assert result.exit_code == 2 and result.stdout == ""
    assert "give --mean1 --sd1 --mean2 --sd2 (continuous) or --events1 --events2 (dichotomous)" in result.stderr


def test_change_sd_copies_the_mean_change_and_n_and_keeps_the_raw_cell():
    row = _row(_convert("change-sd", "--sd-baseline", "4", "--sd-final", "3", "--r", "0.5", "--mean-change", "-1.5",
                        "--n", "30"))
    assert float(row["sd"]) == pytest.approx(13 ** 0.5, abs=1e-6)  # √(16 + 9 − 2·0.5·4·3)
    assert (row["mean"], row["n"]) == ("-1.5", "30")
    assert row["raw"] == "SD baseline=4; SD final=3; r=0.5"
    assert row["method"].startswith("change from baseline: ")


def test_change_sd_without_mean_or_n_leaves_them_empty():
    row = _row(_convert("change-sd", "--sd-baseline", "4", "--sd-final", "3", "--r", "0"))
    assert float(row["sd"]) == pytest.approx(5.0)  # √(16 + 9)
    assert (row["mean"], row["n"]) == ("", "")


# ------------------------------------------------------------------------------------ sysrev extract check, compare

HEADER = ",".join(COLUMNS)


PAIN = (f"{HEADER}\nTrial A,pain,,2 weeks,US,30,3.1,,,VAS,Table 2,,,,\n"
        "Trial A,pain,,2 weeks,FL,-29,3.4,1.5,,VAS,Table 2,,,,\nTrial B,pain,,2 weeks,FL,20,3.4,1.5,,VAS,Table 2,,,,\n")


def test_extract_check_lists_errors_then_warnings_then_pending_cells(tmp_path):
    root = _project(tmp_path / "p", **{"analysis__extraction__pain.csv": PAIN})
    result = _invoke("extract", "check", "--project", root)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == ["error", "warning", "pending"]
    assert lines[0].endswith("line 3, column 'n': Trial A / pain / 2 weeks / FL: n = -29 must be a whole number > 0")
    assert lines[2].endswith("line 2, column 'sd': Trial A / pain / 2 weeks / US: sd empty (see Table 2)")
    assert lines[3] == f"{root / 'analysis' / 'extraction'}: 1 error, 1 warning, 1 row with pending (unknown) cells"
    assert result.stderr == "error: 1 error in the extraction files\n"
    quiet = _invoke("extract", "check", "--quiet", "--project", root)
    assert quiet.exit_code == 2
    assert quiet.stdout.splitlines() == [lines[0], lines[3]]


def _extractor(tmp_path, name, rows):
    path = tmp_path / name / "pain.csv"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_extract_compare_shows_an_empty_cell_as_empty_and_a_count_of_all_discrepancies(tmp_path):
    a = _extractor(tmp_path, "anna", ["Trial A,pain,,2 weeks,US,30,3.1,1.2,,VAS,Table 2,,,,"])
    b = _extractor(tmp_path, "ben", ["Trial A,pain,,2 weeks,US,30,3.1,,,VAS,Table 2,,,,"])
    report = tmp_path / "report.csv"
    result = _invoke("extract", "compare", a, b, "--report", report)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "pain.csv: 3/4 value cells agree (75%), 1 discrepancy(ies)",  # n, mean, scale agree; sd does not
        "  Trial A / pain / 2 weeks / US: sd: anna=1.2  ben=(empty)",
        f"discrepancy report written to {report}",
        "1 discrepancy(ies) in total",
    ]
    assert report.is_file()


def test_extract_compare_of_rows_without_value_cells_in_common_says_n_a(tmp_path):
    a = _extractor(tmp_path, "anna", ["Trial A,pain,,2 weeks,US,30,3.1,1.2,,VAS,Table 2,,,,"])
    b = _extractor(tmp_path, "ben", ["Trial B,pain,,2 weeks,US,30,3.1,1.2,,VAS,Table 2,,,,"])
    result = _invoke("extract", "compare", a, b)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "pain.csv: 0/0 value cells agree (n/a), 2 discrepancy(ies)"
    assert result.stdout.endswith("\n2 discrepancy(ies) in total\n")


# ------------------------------------------------------------------------------------------ sysrev extract from-table

OWN_TABLES = Path(__file__).parent / "fixtures" / "fulltext" / "own_tables.xml"


def _paper(tmp_path, data=None, licence="cc0"):
    """A project whose record r1 has its full text (tests/fixtures/fulltext/own_tables.xml) stored."""
    from sysrev.fulltext.manifest import Entry, sha256, write_manifest
    from sysrev.project import load_project

    record = {"record_id": "r1", "source_id": "r1", "title": "Trial one", "abstract": "", "authors": [],
              "year": 2020, "journal": "J", "pmid": "", "pmcid": "PMC1001", "doi": "10.1000/one"}
    root = _project(tmp_path / "p", **{"records__records.jsonl": json.dumps(record) + "\n"})
    with (root / "review.toml").open("a", encoding="utf-8") as toml:
        toml.write('[screening]\nreviewers = ["alice"]\nexclusion_reasons = ["wrong population"]\n'
                   'highlight_terms = []\n')
    data = OWN_TABLES.read_bytes() if data is None else data
    (root / "fulltext" / "files").mkdir(parents=True)
    (root / "fulltext" / "files" / "r1.xml").write_bytes(data)
    write_manifest(load_project(root), {"r1": Entry(
        "r1", "retrieved", source="pmc", url="https://example.org/PMC1001", licence=licence, format="xml",
        file="files/r1.xml", sha256=sha256(data), retrieved="2026-12-03T10:00:00Z",
        doi_link="https://doi.org/10.1000/one")})
    return root


def test_from_table_prints_only_the_row_on_stdout_with_the_source_and_link_given(tmp_path):
    root = _paper(tmp_path)
    result = _invoke("extract", "from-table", "r1", "Table 2", "--row", "VAS / 3 months", "--mean", "3", "--sd", "4",
                     "--study", "Kim 2011", "--source", "Table 2, p. 5", "--source-url", "https://example.org/kim",
                     "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"{HEADER}\nKim 2011,,,,,,2.6,1.1,,,\"Table 2, p. 5\",https://example.org/kim,"
                             "mean: 2.6 [a]; sd: 1.1,,\n")
    assert result.stderr == ("# mean: Table 2, row 'VAS / 3 months', column 'Ultrasound (n = 30) / Mean': '2.6 [a]'\n"
                             "# sd: Table 2, row 'VAS / 3 months', column 'Ultrasound (n = 30) / SD': '1.1'\n")


def test_from_table_reads_mean_and_sd_from_one_cell(tmp_path):
    root = _paper(tmp_path)
    result = _invoke("extract", "from-table", "r1", "Table 2", "--row", "ODI / 2 weeks",
                     "--mean-sd", "Ultrasound (n = 30) / Mean", "--project", root)
    assert result.exit_code == 0, result.output
    row = _row(result)
    assert (row["mean"], row["sd"]) == ("24.5", "8.1")


def test_from_table_asks_before_appending_and_enter_means_no(tmp_path):
    root = _paper(tmp_path)
    target = root / "analysis" / "extraction" / "pain.csv"
    result = _invoke("extract", "from-table", "r1", "Table 2", "--row", "VAS / 3 months", "--mean", "3",
                     "--study", "Kim 2011", "--outcome", "pain", "--arm", "US", "--append", target,
                     "--project", root, input="\n")
    assert result.exit_code == 2
    assert f"Append this row to {target}? [y/N]: \n" in result.stderr
    assert result.stderr.endswith("error: nothing written: the row was not confirmed\n")
    assert not target.exists()


# --------------------------------------------------------------------------------------------------- sysrev rob


@pytest.fixture
def rob_project(own_fixtures, tmp_path):
    """The RoB fixture project: five complete forms, four for 'pain' and one for 'function'."""
    target = tmp_path / "project"
    shutil.copytree(own_fixtures / "rob" / "project", target)
    return target


def test_rob_table_json_needs_an_outcome_and_is_indented(rob_project):
    refused = _invoke("rob", "table", "--json", "--project", rob_project)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr == "error: --json needs --outcome (the forest plot shows one outcome)\n"
    shown = _invoke("rob", "table", "--json", "--outcome", "function", "--project", rob_project)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith('{\n  "Trial Alpha 2019": {\n    "D1": ')
    assert list(json.loads(shown.stdout)) == ["Trial Alpha 2019"]


def test_rob_table_of_one_outcome_lists_only_its_forms(rob_project):
    result = _invoke("rob", "table", "--outcome", "function", "--project", rob_project)
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert line.startswith("Trial Alpha 2019: D1=")
    every = _invoke("rob", "table", "--project", rob_project)
    assert len(every.stdout.splitlines()) == 5


def test_rob_plot_weights_of_forms_for_two_outcomes_are_refused(rob_project, tmp_path):
    weights = tmp_path / "w.csv"
    weights.write_text("study,weight\nTrial Alpha 2019,1\nTrial Beta 2020,2\n", encoding="utf-8")
    result = _invoke("rob", "plot", "--summary", tmp_path / "s.svg", "--weights", weights, "--project", rob_project)
    assert result.exit_code == 2
    assert result.stderr == "error: --weights needs --outcome: weights belong to one analysis\n"
    assert not (tmp_path / "s.svg").exists()


def test_rob_check_of_a_folder_needs_no_project(rob_project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no review.toml here or above
    result = _invoke("rob", "check", "--dir", rob_project / "analysis" / "rob2")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"5 forms in {rob_project / 'analysis' / 'rob2'}: 0 errors, 0 warnings\n")


def test_rob_table_json_lists_studies_in_label_order_not_file_order(rob_project):
    # file names sort "Kim-Lee_2010" before "Kim_2011" ('-' < '_'); the labels sort "Kim 2011" first (' ' < '-')
    forms = rob_project / "analysis" / "rob2"
    alpha = (forms / "Trial_Alpha_2019--pain.toml").read_text(encoding="utf-8")
    for study in ("Kim-Lee 2010", "Kim 2011"):
        text = alpha.replace('study = "Trial Alpha 2019"', f'study = "{study}"')
        (forms / f"{study.replace(' ', '_')}--pain.toml").write_text(text, encoding="utf-8")
    result = _invoke("rob", "table", "--json", "--outcome", "pain", "--project", rob_project)
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout))[:2] == ["Kim 2011", "Kim-Lee 2010"]


def test_rob_plot_of_both_figures_names_every_file_written(rob_project, tmp_path):
    result = _invoke("rob", "plot", "--traffic-light", tmp_path / "tl.svg", "--summary", tmp_path / "s.svg",
                     "--outcome", "pain", "--project", rob_project)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'tl.svg'}\nwrote {tmp_path / 's.svg'}\n"


# ------------------------------------------------------------------------------------------- sysrev grade, sof

NORMAND = Path(__file__).resolve().parent.parent / "examples" / "normand1999"


def _normand(tmp_path):
    """The normand1999 example (three analyses, no GRADE files, no results) in a folder of its own."""
    return shutil.copytree(NORMAND, tmp_path / "normand", ignore=shutil.ignore_patterns("results", "grade"))


def test_grade_strict_without_a_flagged_rating_exits_0(tmp_path):
    root = _normand(tmp_path)
    result = _invoke("grade", "--strict", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("\n3 analyses; 0 final ratings flagged for re-check\n")
    assert sorted(p.name for p in (root / "analysis" / "grade").iterdir()) == ["los_dl.toml", "los_fixed.toml",
                                                                             "los_reml.toml"]


def test_sof_of_an_unknown_analysis_is_refused_naming_the_defined_ones(tmp_path):
    root = _normand(tmp_path)
    result = _invoke("sof", "nosuch", "--project", root)
    assert result.exit_code == 2 and result.stdout == ""
    assert "no analysis named 'nosuch'" in result.stderr and "(defined: los_fixed, los_dl, los_reml)" in result.stderr
    assert not (root / "analysis" / "grade").exists()  # sof proposes nothing on disk


# ------------------------------------------------------------------------------------------------ sysrev fulltext


def test_fulltext_show_names_the_file_an_unstated_licence_and_separates_the_tables(tmp_path):
    root = _paper(tmp_path, licence="")
    result = _invoke("fulltext", "show", "r1", "--project", root)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "r1: files/r1.xml (pmc; licence: not stated)"
    assert lines[1] == "" and lines[2].startswith("Table 2. Pain (VAS 0–10) by group")
    assert "" in lines[3:] and lines[lines.index("", 3) + 1].startswith("Table 3. Complications")


def test_fulltext_show_of_a_paper_without_tables_says_so(tmp_path):
    root = _paper(tmp_path, data=b"<article><body><p>No tables.</p></body></article>")
    result = _invoke("fulltext", "show", "r1", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout == "r1: files/r1.xml (pmc; licence: cc0)\nno tables in this paper's XML\n"


def _fake_fetch(monkeypatch, summary):
    """Replace the network side of `fulltext fetch` (the finder and the fetching) with a run that returns
    ``summary``; what the command passed to it is recorded in the dict returned."""
    from sysrev.fulltext import fetch, services

    seen = {}

    def fetch_fulltexts(project, records, finder, *, recheck=False, progress=None):
        seen.update(records=[r["record_id"] for r in records], recheck=recheck, progress=progress)
        return summary

    monkeypatch.setattr(services, "load_fulltext_config", lambda: None)
    monkeypatch.setattr(services, "OpenAccessFinder", lambda config: object())
    monkeypatch.setattr(fetch, "fetch_fulltexts", fetch_fulltexts)
    return seen


def test_fulltext_fetch_reports_each_record_on_its_stream_and_passes_the_options_on(tmp_path, monkeypatch):
    from sysrev.fulltext.fetch import FetchSummary
    from sysrev.fulltext.manifest import Entry
    from sysrev.search.progress import Progress

    summary = FetchSummary(retrieved=[Entry("r1", "retrieved", source="pmc", format="xml")],
                           needs_library_access=[Entry("r5", "needs_library_access")],
                           failed=[Entry("r6", "failed", note="timed out")], already=2)
    seen = _fake_fetch(monkeypatch, summary)
    root = _paper(tmp_path)
    result = _invoke("fulltext", "fetch", "--stage", "title_abstract", "--recheck", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("r1: XML from pmc (licence: not stated)\nr5: needs library access — no DOI\n"
                             "1 retrieved, 1 need library access, 1 failed (asked again next run), 2 settled earlier; "
                             f"manifest: {root / 'fulltext' / 'manifest.csv'}\n")
    assert result.stderr == "r6: not settled — timed out\n"
    assert seen["records"] == ["r1"] and seen["recheck"] is True  # every record of title-abstract screening
    assert isinstance(seen["progress"], Progress) and seen["progress"].desc == "full texts"


def test_fulltext_fetch_json_is_indented_and_without_the_listing(tmp_path, monkeypatch):
    from sysrev.fulltext.fetch import FetchSummary
    from sysrev.fulltext.manifest import Entry

    seen = _fake_fetch(monkeypatch, FetchSummary(retrieved=[Entry("r1", "retrieved", source="pmc", format="xml")]))
    result = _invoke("fulltext", "fetch", "--json", "--project", _paper(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "retrieved": 1,\n')
    assert json.loads(result.stdout)["retrieved"] == 1
    assert seen["recheck"] is False and seen["records"] == []  # nothing screened in: no record at full text


def test_sof_prints_markdown_ending_in_one_line_break(tmp_path):
    result = _invoke("sof", "los_dl", "--project", _normand(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## Summary of findings: ") and result.stdout.endswith(".\n")
    assert not result.stdout.endswith("\n\n")


@pytest.mark.parametrize(("name", "start"), [("t.htm", "<!DOCTYPE html>"), ("t.HTML", "<!DOCTYPE html>"),
                                             ("t.MD", "## Summary of findings: ")])
def test_sof_out_writes_the_format_its_suffix_names_in_any_case(tmp_path, name, start):
    out = tmp_path / name
    result = _invoke("sof", "los_dl", "--out", out, "--project", _normand(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8").startswith(start)


# -------------------------------------------------------------------------------------------------- sysrev export


def test_export_decisions_says_what_it_wrote_where(tmp_path):
    root = _paper(tmp_path)  # one record, screened by nobody yet
    result = _invoke("export", "decisions", "--project", root)
    assert result.exit_code == 0, result.output
    target = root / "exports" / "decisions.csv"
    assert result.stdout == f"wrote the screening decisions to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("record_id,")


# -------------------------------------------------------------------------------------------------- sysrev prisma

SCREENING = '[screening]\nreviewers = ["ann"]\nexclusion_reasons = ["wrong population"]\nhighlight_terms = []\n'


def _searched(tmp_path):
    """A project with one search run of two records from a database whose name is not ASCII, deduplicated."""
    from sysrev.records import Record
    from sysrev.search.snapshot import write_snapshot

    root = _project(tmp_path / "p")
    with (root / "review.toml").open("a", encoding="utf-8") as toml:
        toml.write(SCREENING)
    write_snapshot(root / "searches" / "runs", "lilacs", [Record(source_id="1", title="Uno", year=2020),
                                                          Record(source_id="2", title="Dos", year=2021)],
                   database="LILACS (Bireme – São Paulo)")
    assert _invoke("dedup", "--project", root).exit_code == 0
    return root


def test_prisma_json_is_indented_and_keeps_the_database_name_as_written(tmp_path):
    result = _invoke("prisma", "--json", "--project", _searched(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "identified": {\n    "LILACS (Bireme – São Paulo)": 2\n  },\n')


def test_prisma_update_refuses_previous_counts_and_a_project_without_a_release(tmp_path):
    root = _searched(tmp_path)
    both = _invoke("prisma", "--update", "--previous", "8", "--project", root)
    assert both.exit_code == 2 and both.stdout == ""
    assert "--update takes the previous version from the last release; drop --previous" in both.stderr
    alone = _invoke("prisma", "--update", "--project", root)
    assert alone.exit_code == 2 and alone.stdout == ""
    assert "--update needs a release to compare with; make one with `sysrev release`" in alone.stderr


# ---------------------------------------------------------------------------------------------------- sysrev init


def test_init_says_what_it_created_and_what_to_do_next(tmp_path):
    target = tmp_path / "back-pain"
    result = _invoke("init", target, "--no-input", "--no-git")
    assert result.exit_code == 0, result.output
    files = [p for p in target.rglob("*") if p.is_file()]
    assert result.stdout == (f"created the review project {target.resolve()} ({len(files)} files)\n"
                             "next: finish review.toml and the strategies in searches/, then `sysrev check`; "
                             "README.md lists every step\n")
    assert 'title = "back pain"' in (target / "review.toml").read_text(encoding="utf-8")


def test_init_writes_the_pico_given_as_options_into_review_toml(tmp_path):
    target = tmp_path / "review"
    result = _invoke("init", target, "--no-input", "--no-git", "--population", "adults with low back pain",
                     "--intervention", "ultrasound-guided injection", "--comparator", "fluoroscopy")
    assert result.exit_code == 0, result.output
    toml = (target / "review.toml").read_text(encoding="utf-8")
    for line in ('population = "adults with low back pain"', 'intervention = "ultrasound-guided injection"',
                 'comparator = "fluoroscopy"'):
        assert line in toml


def test_init_without_a_folder_creates_the_project_here(tmp_path, monkeypatch):
    here = tmp_path / "knee-pain"
    here.mkdir()
    monkeypatch.chdir(here)
    result = _invoke("init", "--no-input", "--no-git")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"created the review project {here} (")
    assert 'title = "knee pain"' in (here / "review.toml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------------- sysrev check


def test_check_remove_leftovers_names_what_it_removed_and_only_then_nothing_else(tmp_path):
    root = _project(tmp_path / "p")
    leftover = root / ".review.toml.sysrev-abcd1234.tmp"
    leftover.write_text("[review]\ntit", encoding="utf-8")  # what a write killed mid-way left behind
    result = _invoke("check", "--remove-leftovers", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (f"removed {leftover} (temporary file of an interrupted write of "
                                             "review.toml)")
    assert "no temporary files" not in result.stdout and not leftover.exists()
    again = _invoke("check", "--remove-leftovers", "--project", root)
    assert again.stdout.splitlines()[0] == "no temporary files of interrupted writes to remove"


# ---------------------------------------------------------------------------------------------------- sysrev diff

BCG_LIVING = Path(__file__).resolve().parent.parent / "examples" / "bcg-living"


def test_diff_json_keeps_stdout_pure_json_and_says_what_it_wrote_on_stderr(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    page = tmp_path / "new.md"
    result = _invoke("diff", "1970", "1981", "--json", "--markdown", page, "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "old": "1970",\n  "new": "1981",\n')
    assert json.loads(result.stdout)["new"] == "1981"
    assert result.stderr == f"wrote {page}\n"
    assert page.is_file()


def test_diff_json_against_the_working_state_keeps_a_title_as_written_and_names_the_html_page(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    analyses = root / "analysis" / "analyses.toml"
    analyses.write_text(analyses.read_text(encoding="utf-8").replace('title = "Tuberculosis"',
                                                                     'title = "Tuberculose – BCG"'), encoding="utf-8")
    page = tmp_path / "new.html"
    result = _invoke("diff", "1981", "working", "--json", "--html", page, "--project", root)
    assert result.exit_code == 0, result.output
    assert '\n      "title": "Tuberculose – BCG",\n' in result.stdout
    assert result.stderr == f"wrote {page}\n"
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_diff_table_names_the_markdown_page_on_stdout(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    page = tmp_path / "new.md"
    result = _invoke("diff", "1970", "1981", "--markdown", page, "--project", root)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"\nwrote {page}\n") and result.stderr == ""


# ------------------------------------------------------------------------------------------------- sysrev release


def test_release_prints_its_readme_then_one_blank_line_and_the_folder(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    result = _invoke("release", "1990", "--note", "a test", "--project", root)
    assert result.exit_code == 0, result.output
    folder = root / "releases" / "1990"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert result.stdout == readme.rstrip() + f"\n\nwrote {folder}\n"
    assert readme.endswith("\n")  # the README's own line break is not printed twice


# --------------------------------------------------------------------------------------------------- sysrev serve


class _Server:
    """web_server's stand-in: the port it would listen on, and a Ctrl-C as soon as it serves."""

    server_port = 8765

    def __init__(self, app, host, port):
        self.app, self.host, self.port = app, host, port

    def serve_forever(self):
        raise KeyboardInterrupt


def _serve(monkeypatch, *args):
    """`sysrev serve ARGS` with the server and the browser replaced; (result, server, timers started)."""
    import logging
    import threading

    from sysrev.web import app as web_app

    servers, timers = [], []
    monkeypatch.setattr(web_app, "web_server", lambda app, host, port: servers.append(_Server(app, host, port))
                        or servers[-1])

    class Timer:
        def __init__(self, interval, function, args=()):
            self.call = (interval, function, args)

        def start(self):
            timers.append(self.call)

    monkeypatch.setattr(threading, "Timer", Timer)
    werkzeug = logging.getLogger("werkzeug")
    monkeypatch.setattr(werkzeug, "level", werkzeug.level)  # restored after the test
    result = _invoke("serve", *args)
    return result, (servers[0] if servers else None), timers


def test_serve_prints_the_link_with_the_token_the_app_accepts_and_stops_on_ctrl_c(tmp_path, monkeypatch):
    import logging
    import re
    import webbrowser

    root = _paper(tmp_path)
    result, server, timers = _serve(monkeypatch, "--port", "0", "--project", root)
    assert result.exit_code == 0, result.output
    match = re.fullmatch(rf"sysrev serves {re.escape(str(root))} at\n\n    (http://127\.0\.0\.1:8765/\?token=(\S+))\n\n"
                         r"\(the link carries this session's access token; keep it to yourself\)\. Ctrl-C stops the "
                         r"server\.\nstopped\n", result.stdout)
    assert match, result.stdout
    url, token = match.groups()
    assert (server.host, server.port) == ("127.0.0.1", 0)
    assert timers == [(0.5, webbrowser.open, (url,))]  # the browser opens the link half a second later
    assert logging.getLogger("werkzeug").level == logging.WARNING  # no line per request
    page = server.app.test_client().get(f"/?token={token}")
    assert page.status_code == 302 and "token" not in page.headers["Location"]  # let in, the token dropped
    assert server.app.test_client().get("/?token=wrong").status_code == 403


def test_serve_on_an_ipv6_loopback_brackets_the_address_and_opens_no_browser_when_told(tmp_path, monkeypatch):
    result, server, timers = _serve(monkeypatch, "--host", "::1", "--port", "0", "--no-browser",
                                    "--project", _paper(tmp_path))
    assert result.exit_code == 0, result.output
    assert "\n    http://[::1]:8765/?token=" in result.stdout and timers == []


# -------------------------------------------------------------------------------------------------- sysrev search


def test_search_run_runs_every_strategy_despite_gaps_and_failures_then_says_so(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from sysrev.search import runner

    root = _project(tmp_path / "p", **{f"searches__{name}.toml": f'database = "pubmed"\nquery = "{name} trial"\n'
                                       for name in ("alpha", "beta", "gamma")})
    ran = []

    def run_strategy(strategy, runs_dir, **options):
        ran.append(strategy.name)
        if strategy.name == "beta":
            raise SysrevError("PubMed answered 500 three times")
        gaps = [{"kind": "batch", "detail": "records 1-200"}] if strategy.name == "alpha" else []
        return SimpleNamespace(gaps=gaps, warnings=[], reported=3, retrieved=3 - len(gaps),
                               snapshot=runs_dir / f"run-{strategy.name}")

    monkeypatch.setattr(runner, "run_strategy", run_strategy)
    monkeypatch.setattr(runner, "changes_since_previous",
                        lambda runs_dir, snapshot, strategy: {"previous": "2026-01-01-x", "new": 2, "gone": 1})
    result = _invoke("search", "run", "--project", root)
    assert ran == ["alpha", "beta", "gamma"]  # a gap or a failure in one database does not stop the others
    assert result.exit_code == 2
    runs = root / "searches" / "runs"
    assert result.stdout == (f"pubmed alpha: 3 reported, 2 retrieved → {runs / 'run-alpha'}\n"
                             "  compared with 2026-01-01-x: 2 new, 1 no longer found\n"
                             f"pubmed gamma: 3 reported, 3 retrieved → {runs / 'run-gamma'}\n"
                             "  compared with 2026-01-01-x: 2 new, 1 no longer found\n")
    assert "error: beta: PubMed answered 500 three times\n" in result.stderr
    assert result.stderr.endswith("error: 1 search failed: beta (see above)\n")


def test_search_run_with_gaps_only_exits_1_and_counts_failed_searches_in_the_plural(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from sysrev.search import runner

    root = _project(tmp_path / "p", **{f"searches__{name}.toml": f'database = "pubmed"\nquery = "{name} trial"\n'
                                       for name in ("alpha", "beta", "gamma")})
    failing = set()

    def run_strategy(strategy, runs_dir, **options):
        if strategy.name in failing:
            raise SysrevError("no answer")
        return SimpleNamespace(gaps=[{"kind": "batch"}] if strategy.name == "alpha" else [], warnings=[],
                               reported=1, retrieved=1, snapshot=runs_dir / strategy.name)

    monkeypatch.setattr(runner, "run_strategy", run_strategy)
    monkeypatch.setattr(runner, "changes_since_previous", lambda *args: None)
    gaps = _invoke("search", "run", "--project", root)
    assert gaps.exit_code == 1 and gaps.stdout.count(" reported, ") == 3
    failing.update({"beta", "gamma"})
    failed = _invoke("search", "run", "--project", root)
    assert failed.exit_code == 2 and failed.stderr.endswith("error: 2 searches failed: beta, gamma (see above)\n")


# ------------------------------------------------------------------------------------------- sysrev (the group)


def test_warnings_other_than_a_cut_off_table_keep_python_s_own_display():
    import warnings

    from sysrev.cli.main import _table_warnings_as_lines

    with pytest.warns(DeprecationWarning, match="^a library's own warning$") as caught:
        with _table_warnings_as_lines():
            warnings.warn("a library's own warning", DeprecationWarning, stacklevel=1)
    (warning,) = caught
    assert warning.category is DeprecationWarning and warning.filename == __file__ and warning.lineno > 0


# ---------------------------------------------------------------------------------------------------- sysrev meta


def test_meta_pool_prints_leave_one_out_and_small_study_sections_after_the_table(tmp_path):
    data = tmp_path / "gen.csv"
    data.write_text("study,yi,se\nA,1,1\nB,2,1\nC,4,2\nD,3,1.5\n", encoding="utf-8")
    result = _invoke("meta", "pool", data, "--measure", "GEN", "--leave-one-out", "--bias")
    assert result.exit_code == 0, result.output
    table, rest = result.stdout.split("\n\nLeave-one-out (each study omitted in turn)\n")
    assert table.startswith("Estimate (IV, Fixed, 95% CI)\n")
    loo, bias = rest.split("\n\nSmall-study effects (k = 4)\n")
    # inverse-variance weights 1, 1, 1/4, 1/2.25: each estimate without one study, by hand
    w = {"A": 1, "B": 1, "C": 1 / 4, "D": 1 / 2.25}
    y = {"A": 1, "B": 2, "C": 4, "D": 3}
    rows = {line.split()[0]: line.split()[1] for line in loo.splitlines()[1:]}
    for omitted in "ABCD":
        kept = [s for s in "ABCD" if s != omitted]
        expected = sum(w[s] * y[s] for s in kept) / sum(w[s] for s in kept)
        assert rows[omitted] == f"{expected:.2f}"
    assert bias.startswith("Egger's regression test") and "Begg's rank correlation test" in bias


def test_meta_pool_forest_shows_the_group_labels_given(tmp_path):
    data = tmp_path / "gen.csv"
    data.write_text("study,yi,se\nA,1,1\nB,2,1\n", encoding="utf-8")
    forest = tmp_path / "forest.svg"
    result = _invoke("meta", "pool", data, "--measure", "GEN", "--forest", forest, "--label1", "Ultrasound",
                     "--label2", "Fluoroscopy")
    assert result.exit_code == 0, result.output
    svg = forest.read_text(encoding="utf-8")
    assert "Ultrasound" in svg and "Fluoroscopy" in svg


def test_meta_run_strict_says_nothing_is_pending_on_stderr(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    line = "pending: none (13 included studies complete for every analysed outcome)\n"
    plain = _invoke("meta", "run", "--project", root)
    assert plain.exit_code == 0, plain.output
    assert plain.stdout.endswith("\n" + line) and line not in plain.stderr
    strict = _invoke("meta", "run", "--strict", "--project", root)
    assert strict.exit_code == 0, strict.output
    assert line in strict.stderr and line not in strict.stdout


def test_meta_run_json_keeps_a_title_as_written(tmp_path):
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    analyses = root / "analysis" / "analyses.toml"
    analyses.write_text(analyses.read_text(encoding="utf-8").replace('title = "Tuberculosis"',
                                                                     'title = "Tuberculose – BCG"'), encoding="utf-8")
    result = _invoke("meta", "run", "--json", "--project", root)
    assert result.exit_code == 0, result.output
    assert '"Tuberculose – BCG"' in result.stdout and json.loads(result.stdout)[0]["name"] == "tb"


def _with_new_studies(tmp_path, count):
    """bcg-living with ``count`` more included studies that have neither extraction rows nor RoB 2 forms."""
    root = shutil.copytree(BCG_LIVING, tmp_path / "bcg-living")
    with (root / "analysis" / "extraction" / "studies.csv").open("a", encoding="utf-8") as studies:
        studies.writelines(f'New Trial {i} 2000,"citation {i}",2000,2000-01-01\n' for i in range(1, count + 1))
    return root


def test_meta_run_lists_twelve_pending_items_then_all_of_them_under_strict(tmp_path):
    root = _with_new_studies(tmp_path, 7)  # 14 pending items: an extraction row and a RoB 2 form each
    plain = _invoke("meta", "run", "--project", root)
    assert plain.exit_code == 0, plain.output
    listing = plain.stdout.split("pending: 14 items for included studies")[1].splitlines()[1:]
    assert len(listing) == 13 and listing[-1] == "  … and 2 more (`sysrev status` lists all)"
    assert listing[0] == "  New Trial 1 2000: extraction tb — no extraction row"
    strict = _invoke("meta", "run", "--strict", "--project", root)
    assert strict.exit_code == 2 and "pending" not in strict.stdout
    assert "  New Trial 7 2000: rob2 tb — no RoB 2 form\n" in strict.stderr and "… and" not in strict.stderr
    assert strict.stderr.endswith("error: --strict: 14 pending items for included studies (above); extract them, add "
                                  "RoB 2 forms, or exempt them with a reason in analysis/exemptions.csv\n")


def test_meta_run_json_keeps_stdout_pure_json_and_lists_pending_items_only_under_strict(tmp_path):
    root = _with_new_studies(tmp_path, 1)
    quiet = _invoke("meta", "run", "--json", "--project", root)
    assert quiet.exit_code == 0, quiet.output
    json.loads(quiet.stdout)
    assert "pending" not in quiet.stderr
    strict = _invoke("meta", "run", "--json", "--strict", "--project", root)
    assert strict.exit_code == 2
    json.loads(strict.stdout)
    assert "  New Trial 1 2000: extraction tb — no extraction row\n" in strict.stderr


RR_TRIALS = "study,year,events1,n1,events2,n2\nA,2001,10,100,15,100\nB,2003,8,120,14,118\nC,2005,20,200,30,210\n"
MD_TRIALS = "study,year,n1,mean1,sd1,n2,mean2,sd2\nA,2001,50,10,2,50,11,2\nB,2002,60,10.5,2.2,58,11.2,2.1\n"
Z_ALPHA, Z_BETA = Z(0.975), Z(0.8)


def test_meta_tsa_takes_the_control_rate_given_for_the_information_size(tmp_path):
    data = tmp_path / "rr.csv"
    data.write_text(RR_TRIALS, encoding="utf-8")
    result = _invoke("meta", "tsa", data, "--measure", "RR", "--rrr", "0.2", "--control-rate", "0.1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "Assumptions: control event proportion 0.1, relative risk reduction 20.0%, alpha 0.05, beta 0.2"
    # 4 (z_α/2 + z_β)² p̄(1 − p̄) / δ² with p_c = 0.1, p_e = 0.08
    required = 4 * (Z_ALPHA + Z_BETA) ** 2 * 0.09 * 0.91 / 0.02 ** 2
    assert lines[2].startswith(f"Required information size: {required:,.0f} participants;")


def test_meta_tsa_takes_the_variance_given_for_the_information_size(tmp_path):
    data = tmp_path / "md.csv"
    data.write_text(MD_TRIALS, encoding="utf-8")
    result = _invoke("meta", "tsa", data, "--measure", "MD", "--mid", "-1", "--variance", "4")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "Assumptions: difference -1, variance 4, alpha 0.05, beta 0.2"
    required = 4 * (Z_ALPHA + Z_BETA) ** 2 * 4 / 1 ** 2  # 4 (z_α/2 + z_β)² σ² / δ²
    assert lines[2].startswith(f"Required information size: {required:,.0f} participants;")


def test_meta_tsa_json_pools_at_the_level_given_and_names_the_file_of_a_bad_order_column(tmp_path):
    data = tmp_path / "md.csv"
    data.write_text(MD_TRIALS, encoding="utf-8")
    result = _invoke("meta", "tsa", data, "--measure", "MD", "--mid", "-1", "--json", "--level", "90")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "measure": "MD",\n')
    assert "O'Brien–Fleming" in result.stdout  # the verdict as written, not \u2013
    summary = json.loads(result.stdout)
    assert (summary["level"], summary["order_by"]) == (90.0, "year")
    first = summary["looks"][0]  # study A alone: MD −1, SE √(4/50 + 4/50) = 0.4
    assert (first["ci_low"], first["ci_high"]) == pytest.approx((-1 - Z(0.95) * 0.4, -1 + Z(0.95) * 0.4))
    refused = _invoke("meta", "tsa", data, "--measure", "MD", "--mid", "-1", "--order-by", "nosuch")
    assert refused.exit_code == 2
    assert refused.stderr == (f"error: {data}, line 1: no column 'nosuch' to order the studies by "
                              "(use --order-by COLUMN)\n")


CUMULATIVE = ("study,year,events1,n1,events2,n2\nAlpha,2001,10,100,15,100\nMüller,2003,8,120,14,118\n"
              "Cole,2005,20,200,30,210\n")


def test_meta_cumulative_descending_adds_the_newest_study_first(tmp_path):
    data = tmp_path / "rr.csv"
    data.write_text(CUMULATIVE, encoding="utf-8")
    result = _invoke("meta", "cumulative", data, "--measure", "RR", "--method", "MH", "--descending")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Cumulative meta-analysis: Risk Ratio (M-H, Fixed, 95% CI), studies added in "
                                    "descending order of 'year'\n")
    rows = result.stdout.splitlines()[3:]
    assert [row.split()[0] for row in rows] == ["Cole", "Müller", "Alpha"]
    assert rows[0].split()[3] == f"{(20 / 200) / (30 / 210):.2f}"  # Cole alone: its own risk ratio
    assert not result.stdout.endswith("\n\n")


def test_meta_cumulative_json_is_indented_and_keeps_names_and_the_method_given(tmp_path):
    data = tmp_path / "rr.csv"
    data.write_text(CUMULATIVE, encoding="utf-8")
    result = _invoke("meta", "cumulative", data, "--measure", "RR", "--method", "MH", "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('{\n  "measure": "RR",\n  "method": "MH",\n')
    assert '"Müller"' in result.stdout and json.loads(result.stdout)["descending"] is False
