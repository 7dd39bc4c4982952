"""`sysrev meta pool … --forest F --funnel F` writes both plots through sysrev.meta.plots."""

import xml.etree.ElementTree as ET

from click.testing import CliRunner

from sysrev.cli.main import cli


def test_pool_writes_forest_png_and_funnel_svg(own_fixtures, tmp_path):
    data = own_fixtures / "meta_plots" / "smd_subgroups.csv"
    forest, funnel = tmp_path / "forest.png", tmp_path / "funnel.svg"
    result = CliRunner().invoke(cli, ["meta", "pool", str(data), "--measure", "SMD", "--subgroup", "timepoint",
                                      "--label1", "US", "--label2", "FL", "--forest", str(forest),
                                      "--funnel", str(funnel)])
    assert result.exit_code == 0, result.output
    assert forest.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    texts = {"".join(n.itertext()) for n in ET.parse(funnel).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert {"1 week", "3 months", "SE(SMD)"} <= texts


def test_pool_with_unsupported_plot_suffix_exits_2_and_writes_nothing(own_fixtures, tmp_path):
    data = own_fixtures / "meta_plots" / "md.csv"
    result = CliRunner().invoke(cli, ["meta", "pool", str(data), "--measure", "MD",
                                      "--forest", str(tmp_path / "forest.eps")])
    assert result.exit_code == 2
    assert ".png, .svg or .pdf" in result.output
    assert list(tmp_path.iterdir()) == []


def test_bad_funnel_suffix_is_refused_before_the_forest_plot_is_written(own_fixtures, tmp_path):
    data = own_fixtures / "meta_plots" / "md.csv"
    result = CliRunner().invoke(cli, ["meta", "pool", str(data), "--measure", "MD", "--forest",
                                      str(tmp_path / "forest.png"), "--funnel", str(tmp_path / "funnel.eps")])
    assert result.exit_code == 2
    assert "funnel.eps" in result.output and ".png, .svg or .pdf" in result.output
    assert list(tmp_path.iterdir()) == []
