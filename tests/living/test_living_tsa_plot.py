"""The TSA plot read back from its figure: the Z curve from the origin, the monitoring boundaries where they
are on the chart, the conventional lines, the required information size, the axes and the verdict."""

import textwrap

import pytest
from matplotlib.colors import to_hex

from sysrev.errors import SysrevError
from sysrev.living.tsa_plot import tsa_figure, tsa_plot

VERDICT = ("The cumulative Z curve crossed the O'Brien–Fleming monitoring boundary at the third study, before the "
           "required information size was reached: firm evidence of benefit at the chosen alpha and power.")


def _tsa(z=(1.2, 2.6, 3.4), boundary=(None, 9.5, 3.1), participants=(100, 260, 400), required=900.0):
    looks = [{"participants": p, "z": v, "boundary": b} for p, v, b in zip(participants, z, boundary)]
    return {"looks": looks, "information": {"required": required}, "conventional_boundary": 1.959964,
            "verdict": VERDICT}


def _lines(fig):
    ax = fig.axes[0]
    return {line.get_label(): line for line in ax.get_lines()}, ax


def test_every_element_of_the_chart():
    fig = tsa_figure(_tsa())
    lines, ax = _lines(fig)
    curve = lines["cumulative Z curve"]
    assert list(curve.get_xdata()) == [0.0, 100, 260, 400] and list(curve.get_ydata()) == [0.0, 1.2, 2.6, 3.4]
    assert (to_hex(curve.get_color()), curve.get_marker()) == ("#1f3f8f", "o")
    # a look without a boundary (too little information) and one above 8 are off the chart
    upper = lines["monitoring boundary (O'Brien–Fleming)"]
    assert list(upper.get_xdata()) == [400] and list(upper.get_ydata()) == [3.1]
    lower = [line for line in ax.get_lines() if line.get_color() == upper.get_color() and line is not upper]
    assert [list(line.get_ydata()) for line in lower] == [[-3.1]]
    conventional = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert sorted(line.get_ydata()[0] for line in conventional) == [-1.959964, 1.959964]
    assert {to_hex(line.get_color()) for line in conventional} == {"#1e8449"}
    assert conventional[0].get_label() == "conventional boundary"
    information = lines["required information size (900)"]
    assert list(information.get_xdata()) == [900.0, 900.0] and information.get_linestyle() == ":"
    assert ax.get_xlim() == (0.0, pytest.approx(900 * 1.05)) and ax.get_ylim() == (-8.0, 8.0)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Cumulative number of participants", "Cumulative Z")
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "conventional boundary", "monitoring boundary (O'Brien–Fleming)", "required information size (900)",
        "cumulative Z curve"]
    assert ax.get_title(loc="left") == textwrap.fill(VERDICT, 110) and "\n" in ax.get_title(loc="left")
    assert fig._suptitle is None


def test_a_curve_beyond_the_chart_or_the_information_size_widens_the_axes():
    fig = tsa_figure(_tsa(z=(4.0, 9.0, 12.0), participants=(500, 1500, 2000), required=1200.0))
    _, ax = _lines(fig)
    assert ax.get_ylim() == (pytest.approx(-13.2), pytest.approx(13.2))
    assert ax.get_xlim() == (0.0, pytest.approx(2000 * 1.05))


def test_no_boundary_on_the_chart_draws_none():
    lines, _ = _lines(tsa_figure(_tsa(boundary=(None, None, 8.5))))
    assert "monitoring boundary (O'Brien–Fleming)" not in lines


def test_a_title_goes_above_the_axes():
    fig = tsa_figure(_tsa(), title="Trial sequential analysis of pain")
    assert fig._suptitle.get_text() == "Trial sequential analysis of pain"
    assert fig.axes[0].get_position().height == pytest.approx(0.75)
    assert tsa_figure(_tsa()).axes[0].get_position().height == pytest.approx(0.8)


def test_the_plot_is_written_in_the_format_its_name_asks_for(tmp_path):
    svg = tsa_plot(_tsa(), tmp_path / "tsa.svg", title="TSA")
    assert svg == tmp_path / "tsa.svg" and svg.read_text().lstrip().startswith("<?xml")
    assert tsa_plot(_tsa(), tmp_path / "tsa.png").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(SysrevError):
        tsa_plot(_tsa(), tmp_path / "tsa.gif")
    assert not (tmp_path / "tsa.gif").exists()


def test_readable_at_print_size():
    fig = tsa_figure(_tsa(), title="Trial sequential analysis of pain")
    ax = fig.axes[0]
    assert tuple(fig.get_size_inches()) == (7.0, 4.2)  # a journal's full width
    texts = [ax.xaxis.label, ax.yaxis.label, ax.title, ax._left_title, fig._suptitle,
             *ax.get_legend().get_texts(), *ax.get_xticklabels(), *ax.get_yticklabels()]
    assert min(text.get_fontsize() for text in texts) >= 7.0
    assert fig._suptitle.get_fontweight() == "bold" and fig._suptitle.get_fontsize() > ax.xaxis.label.get_fontsize()
    assert not ax.get_legend().get_frame_on()  # the legend sits on the chart without hiding it behind a box
    [zero] = [line for line in ax.get_lines() if list(line.get_ydata()) == [0, 0]]
    assert to_hex(zero.get_color()) == "#000000"


def test_the_written_plot_carries_its_title(tmp_path):
    svg = tsa_plot(_tsa(), tmp_path / "tsa.svg", title="Trial sequential analysis of pain").read_text()
    assert "Trial sequential analysis of pain" in svg
