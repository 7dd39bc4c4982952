"""Trial sequential analysis: information size (published worked example and hand arithmetic), diversity,
the monitoring verdicts and the `sysrev meta tsa` command."""

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.errors import SysrevError
from sysrev.living.sequential import (
    Design,
    anticipated_rrr,
    diversity,
    information_size_continuous,
    information_size_dichotomous,
    trial_sequential_analysis,
)
from sysrev.meta import meta_analysis

Z975, Z80 = 1.959963984540054, 0.8416212335729143  # z_{0.975}, z_{0.80}


def test_information_size_by_hand():
    # Pc 10 %, RRR 20 %: Pe 8 %, mean 9 %, δ 2 %: 4·(1.96 + 0.84)²·0.09·0.91/0.02²
    expected = 4 * (Z975 + Z80) ** 2 * 0.09 * 0.91 / 0.02**2
    assert information_size_dichotomous(0.10, 0.20) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(6428.2, abs=0.1)
    # continuous: δ = 5, SD 10: 4·(1.96 + 0.84)²·100/25
    assert information_size_continuous(5, 100) == pytest.approx(4 * (Z975 + Z80) ** 2 * 4, rel=1e-12)


def test_diversity_adjusted_information_size_of_a_published_tsa():
    # Bjelakovic et al. 2013, PLoS One 8:e74558, Figure 4 legend (vitamin A ≤ 800 µg vs placebo): DARIS =
    # 48,417 participants for 10 % control mortality, RRR 15 %, α 5 %, β 20 %, diversity 76 %; and 456,748 had
    # the RRR been 5 %. Both share one D², so their ratio tests the formula without it:
    ratio = information_size_dichotomous(0.10, 0.15) / information_size_dichotomous(0.10, 0.05)
    assert ratio == pytest.approx(48_417 / 456_748, rel=1e-4)
    # and the D² they imply is the printed 76 % (to its rounding)
    implied = 1 - information_size_dichotomous(0.10, 0.15) / 48_417
    assert 0.755 <= implied < 0.765


def test_information_size_of_a_published_tsa_with_a_20_percent_heterogeneity_adjustment():
    # Thorlund, Anema & Mills 2010, Clin Epidemiol 2:57 (isoniazid for TB in HIV), Figure 4 legend: "the
    # information size required for moderate evidence (19,920 patients) ... a 5% incidence rate in the
    # control group, and a 25% relative risk reduction", moderate evidence being α 1%, β 10%. The legend does
    # not state the heterogeneity adjustment (the meta-analysis itself had I² = 0%, abstract). Unadjusted, by
    # hand: Pe 3.75%, mean 4.375%, δ 1.25%: 4·(z_0.995 + z_0.90)²·0.04375·0.95625/0.0125² = 15,935.8; the
    # printed 19,920 is that divided by 1 − 0.20 (19,919.8), i.e. a 20% adjustment, to the printed integer.
    z995, z90 = 2.5758293035489004, 1.2815515655446004
    unadjusted = information_size_dichotomous(0.05, 0.25, alpha=0.01, beta=0.10)
    assert unadjusted == pytest.approx(4 * (z995 + z90) ** 2 * 0.04375 * 0.95625 / 0.0125**2, rel=1e-12)
    assert round(unadjusted / (1 - 0.20)) == 19_920
    table = _trials([5, 6, 4], [8, 7, 9])  # any data: with a given adjustment the size depends on the design only
    got = trial_sequential_analysis(meta_analysis(table, "RR", method="IV"), list(table.year),
                                    Design(alpha=0.01, beta=0.10, rrr=0.25, control_rate=0.05, heterogeneity=0.20),
                                    order_by="year")["information"]
    assert round(got["required"]) == 19_920 and got["adjustment"] == "given"


def test_a_reporting_scale_mid_gives_the_anticipated_relative_risk_reduction():
    # mid is one point on the reporting scale (as GRADE and `sysrev diff` read it): for a ratio the thresholds
    # are mid and 1/mid, so 0.8 and 1.25 both mean RR 0.8, a 20% reduction (1 − 0.8; 1 − 1/1.25)
    for measure in ("RR", "OR", "PETO"):
        assert anticipated_rrr(measure, 0.8) == pytest.approx(0.2, rel=1e-12)
        assert anticipated_rrr(measure, 1.25) == pytest.approx(0.2, rel=1e-12)
    # RD: a fall of 2 points from a control proportion of 10% is a relative reduction of 0.02/0.10 = 20%,
    # whichever sign the mid is written with (its thresholds are ±|mid|)
    assert anticipated_rrr("RD", -0.02, 0.10) == pytest.approx(0.2, rel=1e-12)
    assert anticipated_rrr("RD", 0.02, 0.10) == pytest.approx(0.2, rel=1e-12)
    for measure, mid, control in (("RR", 1.0, None), ("RR", -0.5, None), ("RD", 0.0, 0.1), ("RD", 0.2, 0.1)):
        with pytest.raises(SysrevError):
            anticipated_rrr(measure, mid, control)


def test_cli_mid_of_a_ratio_in_both_directions(tmp_path):
    path = tmp_path / "trials.csv"
    _trials([20, 22, 18, 21], [50, 48, 52, 49]).to_csv(path, index=False)
    runner = CliRunner()

    def info(*args):
        out = runner.invoke(cli, ["meta", "tsa", str(path), "--measure", "RR", "--heterogeneity", "none", "--json",
                                  *args])
        assert out.exit_code == 0, out.output
        return json.loads(out.output)["information"]

    # control proportion observed: 199/2000 = 0.0995; RRR 20%: Pe 0.0796, mean 0.08955, δ 0.0199
    by_hand = 4 * (Z975 + Z80) ** 2 * 0.08955 * (1 - 0.08955) / 0.0199**2
    for mid in ("0.8", "1.25"):
        got = info("--mid", mid)
        assert got["rrr"] == pytest.approx(0.2, rel=1e-12) and got["mid"] == float(mid)
        assert got["required"] == pytest.approx(by_hand, rel=1e-9)
    assert info("--rrr", "0.2")["required"] == pytest.approx(by_hand, rel=1e-9)
    text = runner.invoke(cli, ["meta", "tsa", str(path), "--measure", "RR", "--mid", "0.8"])
    assert "relative risk reduction 20.0% (from mid = 0.8)" in text.output
    bad = runner.invoke(cli, ["meta", "tsa", str(path), "--measure", "RR", "--mid", "1"])
    assert bad.exit_code == 2 and "other than 1" in bad.output


def test_diversity_by_hand():
    # two studies, y = 0 and 1, v = 0.1 each: Q = 5, DL τ² = (5 − 1)/(20 − 10) = 0.4;
    # v_F = 1/20 = 0.05, v_R = 1/(2/0.5) = 0.25, D² = (0.25 − 0.05)/0.25 = 0.8
    assert diversity([0.0, 1.0], [0.1, 0.1], "DL") == pytest.approx(0.8, rel=1e-12)
    assert diversity([0.3, 0.3], [0.1, 0.2], "DL") == 0.0


def _trials(events1, events2, n=500, years=None):
    k = len(events1)
    return pd.DataFrame({"study": [f"T{i + 1}" for i in range(k)], "events1": events1, "n1": [n] * k,
                         "events2": events2, "n2": [n] * k, "year": years or list(range(2000, 2000 + k))})


def test_firm_evidence_when_the_boundary_is_crossed():
    table = _trials([20, 22, 18, 21, 19, 20], [50, 48, 52, 49, 51, 50])
    result = meta_analysis(table, "RR", method="IV")
    tsa = trial_sequential_analysis(result, list(table.year), Design(rrr=0.3, heterogeneity="none"),
                                    order_by="year")
    assert tsa["status"] == "firm evidence" and tsa["looks"][-1]["crossed"]
    # required size by hand: Pc is the observed 300/3000 = 0.1, Pe 0.07, mean 0.085, δ 0.03
    assert tsa["information"]["required"] == pytest.approx(
        4 * (Z975 + Z80) ** 2 * 0.085 * 0.915 / 0.03**2, rel=1e-12)
    assert [look["participants"] for look in tsa["looks"]] == [1000 * i for i in range(1, 7)]


def test_not_yet_and_no_such_effect():
    small = _trials([10, 12], [14, 13], n=100)
    tsa = trial_sequential_analysis(meta_analysis(small, "RR", method="IV"), list(small.year),
                                    Design(rrr=0.2, heterogeneity="none"), order_by="year")
    assert tsa["status"] == "not yet" and tsa["verdict"].startswith("not yet: 400 of")
    null = _trials([50, 49, 51, 50, 50, 50] * 3, [50, 51, 49, 50, 50, 50] * 3, n=1000)
    tsa = trial_sequential_analysis(meta_analysis(null, "RR", method="IV"), list(null.year),
                                    Design(rrr=0.3, heterogeneity="none"), order_by="year")
    assert tsa["looks"][-1]["fraction"] >= 1 and tsa["status"] == "firm evidence of no such effect"
    # from the look that reaches the required size on, the final boundary applies
    reached = [look for look in tsa["looks"] if look["fraction"] >= 1]
    assert len({look["boundary"] for look in reached}) == 1


def test_cli_report_json_and_plot(tmp_path):
    path = tmp_path / "trials.csv"
    _trials([20, 22, 18, 21], [50, 48, 52, 49]).to_csv(path, index=False)
    runner = CliRunner()
    out = runner.invoke(cli, ["meta", "tsa", str(path), "--measure", "RR", "--rrr", "0.3", "--json",
                              "--plot", str(tmp_path / "tsa.svg")])
    assert out.exit_code == 0, out.output
    tsa = json.loads(out.output)
    assert tsa["information"]["adjustment"] == "D2" and len(tsa["looks"]) == 4
    assert "cumulative Z curve" in (tmp_path / "tsa.svg").read_text(encoding="utf-8")
    text = runner.invoke(cli, ["meta", "tsa", str(path), "--measure", "RR", "--rrr", "0.3"])
    assert text.exit_code == 0 and "Required information size" in text.output and "T4" in text.output
    missing = runner.invoke(cli, ["meta", "tsa", str(path), "--measure", "RR"])
    assert missing.exit_code == 2 and "--rrr" in missing.output
    generic = tmp_path / "gen.csv"
    generic.write_text("study,yi,se,year\nA,0.1,0.2,2001\nB,0.2,0.1,2002\n", encoding="utf-8")
    out = runner.invoke(cli, ["meta", "tsa", str(generic), "--measure", "GEN", "--mid", "0.2"])
    assert out.exit_code == 2 and "n1 and n2" in out.output
    with pytest.raises(SysrevError):
        information_size_dichotomous(0.1, 0.0)
    assert math.isfinite(tsa["conventional_boundary"])
