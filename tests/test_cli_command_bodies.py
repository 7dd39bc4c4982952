"""The click commands' own bodies, which mutmut skips (benchmarks/decorated_mutation.py mutates them): what each
command prints, to which stream, with which exit code, and what it writes or leaves unwritten.

Expected values come from the formulas as published (Cochrane Handbook v6 §6.5.2, Wan 2014, Luo 2018),
written out here with the standard library's normal distribution, never from sysrev's own output."""

import csv
from statistics import NormalDist

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
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
