"""Cumulative forest plot: one row per step of a cumulative meta-analysis (:mod:`sysrev.meta.cumulative`).

Each row is the pooled estimate and CI after adding the study named on the left ("+ Aronson 1948"), so the
reader sees the interval narrow and the estimate settle as the evidence accumulates. Ratios are drawn on a
log axis with the line of no effect at 1, differences on a linear axis with it at 0. The number of studies
and the estimate [CI] are printed on the right, as in metafor's ``forest(cumul(...))``.
"""

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter, NullLocator

from sysrev.errors import SysrevError
from sysrev.meta.inputs import RATIO_MEASURES
from sysrev.meta.plots import text as t
from sysrev.meta.plots.output import font, new_figure, plot_format, save_figure, text_width
from sysrev.meta.plots.scale import linear_scale, ratio_scale, tick_label

FONT_SIZE = 8.0
ROW_HEIGHT = 0.22  # inches
COLOUR = "#1f3f8f"


def cumulative_plot(cumulative: dict, path, *, title=None) -> Path:
    """Draw the cumulative forest plot of ``cumulative`` (``CumulativeResult.to_dict()``) to ``path``."""
    plot_format(path)
    return save_figure(cumulative_figure(cumulative, title=title), path, tight=True)


def _decimals(values) -> int:
    biggest = max((abs(v) for v in values if v is not None), default=1.0)
    return 2 if biggest < 100 else 1


def cumulative_figure(cumulative: dict, *, title=None) -> Figure:
    """The plot of :func:`cumulative_plot` as a matplotlib Figure."""
    steps = cumulative.get("steps") if isinstance(cumulative, dict) else None
    if not steps:
        raise SysrevError("a cumulative plot needs at least one step (a study with an estimate)")
    ratio = cumulative["measure"] in RATIO_MEASURES
    labels = [f"+ {s['study']}" + (f" ({s['order']})" if str(s["order"]) not in s["study"] else "") for s in steps]
    decimals = _decimals([s["ci_low"] for s in steps] + [s["ci_high"] for s in steps])
    right = [t.effect_with_ci(s["estimate"], s["ci_low"], s["ci_high"], decimals) for s in steps]
    k_w = text_width("k = 000", FONT_SIZE)
    left_w = max(text_width(label, FONT_SIZE) for label in labels + ["Study added"]) + 0.15
    right_w = k_w + max(text_width(r, FONT_SIZE) for r in right + ["Estimate [CI]"]) + 0.3
    graph_w = 3.2
    n = len(steps)
    height = (n + 3) * ROW_HEIGHT + (0.3 if title else 0)
    width = left_w + graph_w + right_w
    fig = new_figure(width, height)
    ax = fig.add_axes((left_w / width, 2 * ROW_HEIGHT / height, graph_w / width, (n + 0.5) * ROW_HEIGHT / height))

    low = np.array([s["ci_low"] for s in steps], float)
    high = np.array([s["ci_high"] for s in steps], float)
    est = np.array([s["estimate"] for s in steps], float)
    y = np.arange(n)[::-1].astype(float)
    scale = (ratio_scale if ratio else linear_scale)(list(est), [], list(low) + list(high))
    null = scale.null
    if ratio:
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlim(scale.low, scale.high)
    ax.set_xticks(scale.ticks)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tick_label(v)))
    ax.set_ylim(-0.7, n - 0.3)
    ax.axvline(null, color="black", linewidth=0.8)
    ax.axvline(est[-1], color=COLOUR, linewidth=0.6, linestyle=":")
    ax.hlines(y, low, high, color=COLOUR, linewidth=1.0)
    ax.plot(est, y, marker="D", linestyle="none", color=COLOUR, markersize=4)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=FONT_SIZE)
    for label in ax.get_xticklabels():
        label.set_fontproperties(font(FONT_SIZE))
    level = t.level_text(cumulative.get("level", 95))
    model = cumulative["model"] + (f", {cumulative['tau2_method']}" if cumulative.get("tau2_method") else "")
    name = t.MEASURE_NAMES.get(cumulative["measure"], cumulative["measure"])
    ax.set_xlabel(f"Cumulative {name} ({model}), {level}% CI", fontproperties=font(FONT_SIZE))
    k_right = 1 + (0.1 + text_width("000", FONT_SIZE)) / graph_w  # axes fraction of the k column's right edge
    estimate_left = 1 + (0.25 + text_width("000", FONT_SIZE)) / graph_w
    for yi, label, text, step in zip(y, labels, right, steps):
        ax.text(-0.02, yi, label, transform=ax.get_yaxis_transform(), ha="right", va="center",
                fontproperties=font(FONT_SIZE))
        ax.text(k_right, yi, str(step["k"]), transform=ax.get_yaxis_transform(), ha="right", va="center",
                fontproperties=font(FONT_SIZE))
        ax.text(estimate_left, yi, text, transform=ax.get_yaxis_transform(), ha="left", va="center",
                fontproperties=font(FONT_SIZE))
    ax.text(-0.02, n - 0.2, "Study added", transform=ax.get_yaxis_transform(), ha="right", va="bottom",
            fontproperties=font(FONT_SIZE, bold=True))
    ax.text(k_right, n - 0.2, "k", transform=ax.get_yaxis_transform(), ha="right", va="bottom",
            fontproperties=font(FONT_SIZE, bold=True))
    ax.text(estimate_left, n - 0.2, "Estimate [CI]", transform=ax.get_yaxis_transform(), ha="left", va="bottom",
            fontproperties=font(FONT_SIZE, bold=True))
    if title:
        fig.suptitle(title, fontproperties=font(FONT_SIZE + 1, bold=True))
    return fig
