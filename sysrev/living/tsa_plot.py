"""The TSA plot: the cumulative Z curve against the monitoring boundaries, over accrued participants.

Drawn as the TSA software draws it: x = cumulative participants, y = cumulative Z; the O'Brien–Fleming
monitoring boundaries (red, drawn where they are below 8), the conventional ±z_{1−α/2} lines (green,
dashed), the required information size (vertical line) and the Z curve (blue, one point per study added).
"""

import textwrap
from pathlib import Path

from matplotlib.figure import Figure

from sysrev.meta.plots.output import font, new_figure, plot_format, save_figure

FONT_SIZE = 8.0
DRAWN_UP_TO = 8.0  # boundaries above this are off the chart (the TSA software truncates them too)
# The verdict above the chart is wrapped here, at a width that fits the axes, rather than by matplotlib
# (wrap=True): its line breaks changed between matplotlib releases, and the committed plots should not.
VERDICT_WIDTH = 110


def tsa_plot(tsa: dict, path, *, title=None) -> Path:
    """Write the plot of ``trial_sequential_analysis(...)`` to ``path`` (.png, .svg or .pdf)."""
    plot_format(path)
    return save_figure(tsa_figure(tsa, title=title), path, tight=True)


def tsa_figure(tsa: dict, *, title=None) -> Figure:
    looks = tsa["looks"]
    required = tsa["information"]["required"]
    x = [0.0] + [look["participants"] for look in looks]
    z = [0.0] + [look["z"] for look in looks]
    fig = new_figure(7.0, 4.2)
    ax = fig.add_axes((0.1, 0.13, 0.86, 0.75 if title else 0.8))
    right = max(required, x[-1]) * 1.05
    conventional = tsa["conventional_boundary"]
    for sign in (1, -1):
        ax.axhline(sign * conventional, color="#1e8449", linestyle="--", linewidth=0.9,
                   label="conventional boundary" if sign == 1 else None)
        drawn = [(look["participants"], sign * look["boundary"]) for look in looks
                 if look["boundary"] is not None and look["boundary"] <= DRAWN_UP_TO]
        if drawn:
            ax.plot(*zip(*drawn), color="#c0392b", linewidth=1.3, marker="s", markersize=3,
                    label="monitoring boundary (O'Brien–Fleming)" if sign == 1 else None)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.axvline(required, color="#7d3c98", linewidth=1.0, linestyle=":",
               label=f"required information size ({required:,.0f})")
    ax.plot(x, z, color="#1f3f8f", linewidth=1.5, marker="o", markersize=3.5, label="cumulative Z curve")
    reach = max(DRAWN_UP_TO, max(abs(v) for v in z) * 1.1)
    ax.set_ylim(-reach, reach)
    ax.set_xlim(0, right)
    ax.set_xlabel("Cumulative number of participants", fontproperties=font(FONT_SIZE))
    ax.set_ylabel("Cumulative Z", fontproperties=font(FONT_SIZE))
    ax.tick_params(labelsize=FONT_SIZE)
    ax.legend(loc="best", fontsize=FONT_SIZE - 1, frameon=False)
    if title:
        fig.suptitle(title, fontproperties=font(FONT_SIZE + 1, bold=True))
    ax.set_title(textwrap.fill(tsa["verdict"], VERDICT_WIDTH), fontproperties=font(FONT_SIZE - 0.5), loc="left")
    return fig
