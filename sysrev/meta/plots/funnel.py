"""Funnel plots: each study's effect against its standard error, to look for small-study effects.

As RevMan 5 draws them: the effect on x (log axis for ratios), the SE on y with 0 at the top, dashed
pseudo-95% confidence limits (estimate ± 1.96·SE) around the inverse-variance fixed-effect estimate, and
a vertical line at the analysis's pooled estimate. Asymmetry is hard to judge with fewer than ten studies
(Cochrane Handbook 13.3.5.4); the plot is drawn anyway and the documentation says so.
"""

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
from scipy.stats import norm

from sysrev.errors import SysrevError
from sysrev.meta.inputs import RATIO_MEASURES
from sysrev.meta.plots import text as t
from sysrev.meta.plots.output import font, new_figure, plot_format, save_figure
from sysrev.meta.plots.scale import tick_label

FONT_SIZE = 8.0
#: One marker per subgroup, so subgroups stay apart in greyscale too.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
COLOURS = ("#1f3f8f", "#c0392b", "#1e8449", "#7d3c98", "#b9770e", "#2e86c1", "#616a6b", "#a93226")


def _points(result: dict) -> tuple[np.ndarray, np.ndarray, list]:
    """Analysis-scale effects, their SEs and subgroups of the studies that have an estimate."""
    if not isinstance(result, dict) or "studies" not in result or "measure" not in result:
        raise SysrevError("a funnel plot needs a meta-analysis result dict (MetaResult.to_dict())")
    rows = [s for s in result["studies"]
            if not t.is_missing(s.get("yi")) and not t.is_missing(s.get("vi")) and s["vi"] > 0]
    if not rows:
        raise SysrevError("a funnel plot needs at least one study with an estimate and a variance; "
                          "this analysis has none")
    yi = np.array([float(s["yi"]) for s in rows])
    se = np.sqrt(np.array([float(s["vi"]) for s in rows]))
    return yi, se, [s.get("subgroup") for s in rows]


def funnel_plot(result: dict, path, *, title=None) -> Path:
    """Draw the funnel plot of ``result`` (``MetaResult.to_dict()``) to ``path`` (.png, .svg or .pdf)."""
    plot_format(path)
    return save_figure(funnel_figure(result, title=title), path, tight=True)


def funnel_figure(result: dict, *, title=None) -> Figure:
    """The funnel plot of :func:`funnel_plot` as a matplotlib Figure (one axes)."""
    yi, se, groups = _points(result)
    measure = result["measure"]
    ratio = measure in RATIO_MEASURES
    centre = float(np.sum(yi / se**2) / np.sum(1 / se**2))
    z = norm.ppf(0.975)
    se_top = float(se.max()) * 1.1
    reach = max(z * se_top, float(np.abs(yi - centre).max())) * 1.08
    show = np.exp if ratio else (lambda v: v)

    fig = new_figure(6.0, 4.2)
    ax = fig.add_axes((0.11, 0.13, 0.64, 0.76 if title else 0.82))
    if ratio:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value)))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(show(centre - reach), show(centre + reach))
    ax.set_ylim(se_top, 0)
    limits = np.array([0.0, se_top])
    for sign in (-1, 1):
        ax.plot(show(centre + sign * z * limits), limits, color="grey", linestyle="--", linewidth=0.8,
                label="Pseudo 95% CI limits" if sign < 0 else None)
    pooled = result.get("estimate")
    if not t.is_missing(pooled) and (not ratio or pooled > 0):
        ax.axvline(pooled, color="black", linewidth=0.8, label="Pooled estimate")
    names = list(dict.fromkeys(groups))
    for index, name in enumerate(names):
        chosen = np.array([g == name for g in groups])
        ax.plot(show(yi[chosen]), se[chosen], linestyle="none", marker=MARKERS[index % len(MARKERS)],
                markersize=5, markerfacecolor="none", markeredgecolor=COLOURS[index % len(COLOURS)],
                markeredgewidth=0.9,
                label=None if name is None else str(name))
    name = t.MEASURE_NAMES.get(measure, str(measure))
    ax.set_xlabel(f"{name} (log scale)" if ratio else name, fontproperties=font(FONT_SIZE + 1))
    # a generic estimate has no name of its own: "SE", not "SE(GEN)"
    ylabel = f"SE(log[{measure}])" if ratio else "SE" if measure == "GEN" else f"SE({measure})"
    ax.set_ylabel(ylabel, fontproperties=font(FONT_SIZE + 1))
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(font(FONT_SIZE))
    ax.legend(prop=font(FONT_SIZE), loc="upper left", bbox_to_anchor=(1.03, 1.0), frameon=False,
              borderaxespad=0.0)
    if title:
        fig.text(0.11 + 0.64 / 2, 0.96, str(title), ha="center", va="center", fontproperties=font(FONT_SIZE + 2, True),
                 parse_math=False)
    return fig

