"""`sysrev meta pool`: the command-line contract (JSON fields, readable table, plots, bad input)."""

import json

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli

CONTRACT_FIELDS = {"measure", "method", "model", "tau2_method", "k", "estimate", "ci_low", "ci_high", "se", "z", "p",
                   "tau2", "tau2_ci_low", "tau2_ci_high", "I2", "H2", "Q", "Q_df", "Q_p", "pi_low", "pi_high",
                   "studies", "subgroups", "subgroup_test"}
STUDY_FIELDS = {"study", "yi", "vi", "estimate", "ci_low", "ci_high", "weight", "subgroup", "data"}


def pool(*args):
    return CliRunner().invoke(cli, ["meta", "pool", *map(str, args)])


@pytest.fixture
def bcg_csv(own_fixtures):
    return own_fixtures / "meta" / "bcg.csv"


def test_json_has_every_contract_field(bcg_csv):
    result = pool(bcg_csv, "--measure", "RR", "--model", "random", "--subgroup", "alloc", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert CONTRACT_FIELDS <= set(out)
    assert STUDY_FIELDS <= set(out["studies"][0])
    assert out["studies"][0]["data"] == {"events1": 4, "n1": 123, "events2": 11, "n2": 139}
    assert set(out["subgroups"]) == {"random", "alternate", "systematic"}
    assert CONTRACT_FIELDS - {"subgroups", "subgroup_test"} <= set(out["subgroups"]["random"])
    assert set(out["subgroup_test"]) == {"Q", "df", "p", "I2"}
    assert out["method"] == "MH" and out["tau2_method"] == "DL"
    # ratios: estimate/CI/PI on the ratio scale, se and z on the log scale
    assert out["estimate"] == pytest.approx(0.4896, abs=1e-4) and out["z"] < 0 and out["se"] > 0


def test_fields_that_do_not_apply_are_null(bcg_csv):
    out = json.loads(pool(bcg_csv, "--measure", "OR", "--json").output)
    assert out["tau2"] is None and out["pi_low"] is None and out["tau2_ci_low"] is None
    assert out["subgroups"] is None and out["subgroup_test"] is None and out["tau2_method"] is None


def test_hksj_reports_t_with_k_minus_1_df(bcg_csv):
    out = json.loads(pool(bcg_csv, "--measure", "RR", "--method", "IV", "--model", "random", "--tau2", "REML",
                          "--ci", "hksj", "--json").output)
    from scipy import stats

    assert out["p"] == pytest.approx(2 * stats.t.sf(abs(out["z"]), 12), rel=1e-12)


def test_readable_table_is_laid_out_like_revman(bcg_csv):
    result = pool(bcg_csv, "--measure", "RR", "--model", "random", "--subgroup", "alloc", "--label1", "BCG",
                  "--label2", "Control")
    assert result.exit_code == 0
    text = result.output
    assert "Risk Ratio (M-H, Random, 95% CI)" in text
    assert "Aronson 1948" in text and "0.41 [0.13, 1.26]" in text
    assert "Subtotal (95% CI)" in text and "Total (95% CI)" in text
    assert "Heterogeneity: Tau² = 0.3095" in text and "I² = 92%" in text
    assert "Test for overall effect: Z = 3.99" in text
    assert "Test for subgroup differences: Chi² = 1.53, df = 2 (P = 0.47)" in text


def test_readable_table_gives_a_column_one_number_of_decimals(tmp_path):
    data = tmp_path / "md.csv"
    data.write_text("study,n1,mean1,sd1,n2,mean2,sd2\nA,25,2.0,1.0,25,1.85,1.2\nB,30,1.9,1.1,31,2.25,1\n")
    result = pool(data, "--measure", "MD")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:7] for line in result.output.splitlines() if line[:2] in ("A ", "B ")}
    assert rows["A"] == ["2.0", "1.0", "25", "1.85", "1.2", "25"]
    assert rows["B"] == ["1.9", "1.1", "30", "2.25", "1.0", "31"]  # sd2 "1" beside "1.2"; the Ns stay whole


def test_options_take_any_case_and_help_and_errors_spell_them_as_documented(bcg_csv):
    out = json.loads(pool(bcg_csv, "--measure", "rr", "--method", "iv", "--model", "RANDOM", "--tau2", "reml",
                          "--json").output)
    assert (out["measure"], out["method"], out["model"], out["tau2_method"]) == ("RR", "IV", "random", "REML")
    help_text = CliRunner().invoke(cli, ["meta", "pool", "--help"]).output
    assert "[MD|SMD|RR|OR|RD|PETO|GEN]" in help_text and "[DL|REML|PM|ML|HS|SJ|HE|EB]" in help_text
    wrong = pool(bcg_csv, "--measure", "HR")
    assert wrong.exit_code == 2 and "'HR' is not one of 'MD', 'SMD', 'RR'" in wrong.output


def test_leave_one_out_and_small_study_tests(bcg_csv):
    out = json.loads(pool(bcg_csv, "--measure", "RR", "--method", "IV", "--model", "random", "--leave-one-out",
                          "--bias", "--json").output)
    assert [row["omitted"] for row in out["leave_one_out"]][:2] == ["Aronson 1948", "Ferguson & Simes 1949"]
    assert out["leave_one_out"][0]["k"] == 12
    assert {"egger", "egger_classic", "begg", "trim_and_fill"} <= set(out["bias"])


def test_plots_are_written(bcg_csv, tmp_path):
    forest, funnel = tmp_path / "forest.png", tmp_path / "funnel.svg"
    result = pool(bcg_csv, "--measure", "RR", "--forest", forest, "--funnel", funnel)
    assert result.exit_code == 0, result.output
    assert forest.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in funnel.read_bytes()[:2000]


BAD_INPUT = [
    ("study,n1,mean1,sd1,n2,mean2,sd2\nA,10,5,1,10,4,1\nB,10,5,-1,10,4,1\n", "SMD", "line 3, column 'sd1'", "positive"),
    ("study,n1,mean1,sd1,n2,mean2,sd2\nA,10,5,1,10,4,0\n", "MD", "line 2, column 'sd2'", "positive"),
    ("study,n1,mean1,sd1,n2,mean2,sd2\nA,1,5,1,10,4,1\n", "MD", "line 2, column 'n1'", "at least 2"),
    ("study,events1,n1,events2,n2\nA,3,10,4,10\nB,12,10,4,10\n", "RR", "line 3, column 'events1'", "exceed"),
    ("study,events1,n1,events2,n2\nA,3,10,,10\n", "OR", "line 2, column 'events2'", "missing"),
    ("study,events1,n1,events2,n2\nA,3,ten,4,10\n", "RD", "line 2, column 'n1'", "not a number"),
    ("study,events1,n1,events2,n2\nA,3,10,4,10\nB,2.5,10,4,10\n", "OR", "line 3, column 'events1'", "whole number"),
    ("study,n1,mean1,sd1,n2,mean2,sd2\nA,10,5,1,10.5,4,1\n", "SMD", "line 2, column 'n2'", "whole number"),
    ("study,events1,n1,events2,n2\nA,3,10,4,10\n\nA,5,10,4,10\n", "RR", "line 4, column 'study'", "duplicate"),
    ("study,events1,n1,events2\nA,3,10,4\n", "RR", "column 'n2'", "missing column"),
    ("study,yi,se\nA,0.5,0\n", "GEN", "line 2, column 'se'", "positive"),
    ("study,events1,n1,events2,n2\nA,3,10,4\n", "RR", "line 2", "fields"),
    ("", "RR", "empty", "header"),
]


@pytest.mark.parametrize("text,measure,where,what", BAD_INPUT)
def test_bad_input_names_line_and_column_exits_2_and_writes_nothing(tmp_path, text, measure, where, what):
    data = tmp_path / "data.csv"
    data.write_text(text, encoding="utf-8")
    forest = tmp_path / "forest.png"
    result = pool(data, "--measure", measure, "--forest", forest)
    assert result.exit_code == 2
    assert "data.csv" in result.output and where in result.output and what in result.output
    assert not forest.exists()


@pytest.mark.parametrize("args,message", [
    (["--measure", "RR", "--ci", "hksj"], "need --model random"),
    (["--measure", "MD", "--method", "MH"], "Mantel–Haenszel method applies to RR, OR and RD"),
    (["--measure", "RR", "--method", "PETO"], "Peto method estimates an odds ratio"),
    (["--measure", "RR", "--model", "random", "--tau2", "REML"], "use --method IV"),
    (["--measure", "RR", "--subgroup", "nope"], "missing column 'nope'"),
])
def test_impossible_options_are_explained(bcg_csv, args, message):
    result = pool(bcg_csv, *args)
    assert result.exit_code == 2 and message in result.output


def test_duplicate_names_within_a_subgroup_are_an_error(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("study,events1,n1,events2,n2,time\nA,3,10,4,10,6m\nA,5,10,4,10,12m\nA,5,10,6,10,12m\n")
    result = pool(data, "--measure", "RR", "--subgroup", "time")
    assert (result.exit_code == 2 and "line 4" in result.output
            and "within subgroup '12m' (also on line 3)" in result.output)


def test_semicolon_separated_export_is_read(tmp_path, bcg_csv):
    data = tmp_path / "data.csv"
    data.write_text(bcg_csv.read_text().replace(",", ";"))
    comma = json.loads(pool(bcg_csv, "--measure", "RR", "--json").output)
    semicolon = json.loads(pool(data, "--measure", "RR", "--json").output)
    assert semicolon["estimate"] == comma["estimate"]


@pytest.mark.parametrize("rows,flag,message", [
    ("A,3,10,4,10\n", "--leave-one-out", "at least 2 studies"),
    ("A,3,10,4,10\nB,5,10,4,10\n", "--bias", "at least 3 studies"),
])
def test_sensitivity_analyses_need_enough_studies(tmp_path, rows, flag, message):
    data = tmp_path / "data.csv"
    data.write_text("study,events1,n1,events2,n2\n" + rows)
    result = pool(data, "--measure", "RR", flag)
    assert result.exit_code == 2 and message in result.output
