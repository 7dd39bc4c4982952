"""Funnel plots from real engine results: SE axis inverted, pseudo-95% limits around the fixed-effect
estimate, a line at the pooled estimate, a log axis for ratios."""

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from sysrev.errors import SysrevError
from sysrev.meta import meta_analysis
from sysrev.meta.plots import funnel_figure, funnel_plot


def analyse(own_fixtures, name, measure, **options):
    data = pd.read_csv(own_fixtures / "meta_plots" / name)
    return meta_analysis(data, measure, **options).to_dict()


def fixed_effect(result):
    rows = [s for s in result["studies"] if s["yi"] is not None]
    yi = np.array([s["yi"] for s in rows])
    w = 1 / np.array([s["vi"] for s in rows])
    return float(np.sum(w * yi) / np.sum(w)), float(np.sqrt(max(s["vi"] for s in rows)))


def test_ratio_funnel_on_log_axis_with_limits_around_the_fixed_effect(own_fixtures):
    result = analyse(own_fixtures, "rr_zero.csv", "RR", model="random")
    ax = funnel_figure(result).axes[0]
    assert ax.get_xscale() == "log"
    bottom, top = ax.get_ylim()
    assert top == 0 and bottom > fixed_effect(result)[1]  # SE axis inverted, 0 at the top
    centre, _ = fixed_effect(result)
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 2
    for line in dashed:
        x, y = line.get_xdata(), line.get_ydata()
        assert y[0] == 0 and np.isclose(x[0], np.exp(centre))
        assert np.isclose(abs(np.log(x[1]) - centre), 1.959964 * y[1], rtol=1e-5)
    vertical = [line for line in ax.get_lines() if line.get_linestyle() == "-" and len(set(line.get_xdata())) == 1]
    assert np.isclose(vertical[0].get_xdata()[0], result["estimate"])
    points = [line for line in ax.get_lines() if line.get_linestyle() == "None"]
    shown = sorted(np.concatenate([line.get_xdata() for line in points]))
    estimable = sorted(s["estimate"] for s in result["studies"] if s["estimate"] is not None)
    assert np.allclose(shown, estimable)  # the double-zero study is left out


def test_subgrouped_funnel_files_png_and_svg(own_fixtures, tmp_path):
    result = analyse(own_fixtures, "smd_subgroups.csv", "SMD", subgroup="timepoint")
    png = funnel_plot(result, tmp_path / "funnel.png", title="Pain")
    svg = funnel_plot(result, tmp_path / "funnel.svg")
    assert imread(png).shape[0] > 500
    texts = {"".join(n.itertext()) for n in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert set(result["subgroups"]) <= texts
    assert {"SE(SMD)", "Std. Mean Difference", "Pseudo 95% CI limits", "Pooled estimate"} <= texts
    assert funnel_figure(result).axes[0].get_xscale() == "linear"


def test_generic_funnel_axis_is_named_se(own_fixtures):
    fig = funnel_figure(analyse(own_fixtures, "gen.csv", "GEN"))
    assert fig.axes[0].get_ylabel() == "SE" and fig.axes[0].get_xlabel() == "Estimate"


def test_funnel_errors(own_fixtures, tmp_path):
    result = analyse(own_fixtures, "md.csv", "MD")
    with pytest.raises(SysrevError, match=r"\.png, \.svg or \.pdf"):
        funnel_plot(result, tmp_path / "f.eps")
    empty = dict(result, studies=[dict(s, yi=None, vi=None) for s in result["studies"]])
    with pytest.raises(SysrevError, match="at least one study"):
        funnel_plot(empty, tmp_path / "f.png")
    assert list(tmp_path.iterdir()) == []
