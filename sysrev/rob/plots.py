"""robvis-style RoB 2 figures: the traffic-light plot (studies × domains) and the weighted summary bar plot.

The look follows robvis (McGuinness LA, Higgins JPT. Res Syn Meth 2021;12:55-61): coloured circles with
+ / − / × for low / some concerns / high risk, the domain key under the grid, and a stacked horizontal bar
per domain giving the share of studies (or of their meta-analytic weight) at each level. Figures are drawn
on a bare :class:`matplotlib.figure.Figure` (no pyplot state), and written as PNG and/or SVG.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch

from sysrev.errors import SysrevError
from sysrev.fileio import atomic_write_bytes
from sysrev.meta.plots.output import FORMATS, REPRODUCIBLE_METADATA, SUFFIXES_TEXT, TEXT_AS_TEXT
from sysrev.rob.algorithm import HIGH, LOW, SOME_CONCERNS
from sysrev.rob.questions import DOMAIN_KEYS, SHORT_NAMES

COLOURS = {LOW: "#02C100", SOME_CONCERNS: "#E2DF07", HIGH: "#BF0000", None: "#BBBBBB"}
SYMBOLS = {LOW: "+", SOME_CONCERNS: "−", HIGH: "×", None: "?"}
LABELS = {LOW: "Low", SOME_CONCERNS: "Some concerns", HIGH: "High", None: "Incomplete"}
COLUMNS = (*DOMAIN_KEYS, "overall")


def save_figure(fig: Figure, target) -> list[Path]:
    """Write ``fig`` to ``target``: its suffix (.png/.svg/.pdf) picks the format; without one, PNG and SVG are
    written."""
    target = Path(target)
    suffixes = [target.suffix.lower()] if target.suffix else [".png", ".svg"]
    written = []
    for suffix in suffixes:
        if suffix not in FORMATS:
            raise SysrevError(f"{target}: figures are written as {SUFFIXES_TEXT}")
        buf = io.BytesIO()
        with matplotlib.rc_context(TEXT_AS_TEXT):
            fig.savefig(buf, format=FORMATS[suffix], dpi=200, bbox_inches="tight",
                        metadata=REPRODUCIBLE_METADATA[FORMATS[suffix]])
        written.append(atomic_write_bytes(target.with_suffix(suffix), buf.getvalue()))
    return written


def traffic_light(rows: list[tuple[str, dict]], title: str = "Risk of bias (RoB 2)") -> Figure:
    """Traffic-light plot: one row per (label, judgements) with judgements keyed D1–D5 and "overall"."""
    if not rows:
        raise SysrevError("no RoB 2 assessments to plot")
    n = len(rows)
    width = 1.6 + 0.75 * len(COLUMNS) + max(len(label) for label, _ in rows) * 0.07
    fig = Figure(figsize=(width, 1.9 + 0.42 * n))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(-0.5, len(COLUMNS) - 0.5)
    ax.set_ylim(n - 0.5, -1.4)
    ax.set_axis_off()
    for j, column in enumerate(COLUMNS):
        ax.text(j, -0.95, "Overall" if column == "overall" else column, ha="center", va="center",
                fontsize=10, fontweight="bold")
    for i, (label, judgements) in enumerate(rows):
        ax.text(-0.62, i, label, ha="right", va="center", fontsize=9)
        for j, column in enumerate(COLUMNS):
            value = judgements.get(column)
            ax.add_patch(_circle(j, i, COLOURS.get(value, COLOURS[None])))
            ax.text(j, i, SYMBOLS.get(value, "?"), ha="center", va="center", fontsize=12,
                    color="white" if value != SOME_CONCERNS else "black", fontweight="bold")
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=11, pad=6)
    key = "\n".join(f"{k}: {SHORT_NAMES[k]}" for k in DOMAIN_KEYS)
    fig.text(0.02, -0.01, key, ha="left", va="top", fontsize=8, linespacing=1.4)
    present = [v for v in (LOW, SOME_CONCERNS, HIGH, None) if any(j.get(c) == v for _, j in rows for c in COLUMNS)]
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=COLOURS[v],
                      markeredgecolor="none", label=LABELS[v]) for v in present]
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.98, -0.01), frameon=False, fontsize=8,
               title="Judgement", title_fontsize=8, alignment="left")
    return fig


def _circle(x, y, colour):
    return Circle((x, y), 0.36, facecolor=colour, edgecolor="none")


def summary_bars(rows: list[tuple[str, dict]], weights: dict[str, float] | None = None,
                 title: str = "Risk of bias (RoB 2), summary") -> Figure:
    """Weighted summary bar plot: per domain (and overall), the share of studies — or of their weights,
    when ``weights`` maps each row label to a weight — judged low / some concerns / high / incomplete."""
    if not rows:
        raise SysrevError("no RoB 2 assessments to plot")
    if weights is not None:
        missing = [label for label, _ in rows if label not in weights]
        if missing:
            raise SysrevError(f"no weight given for {', '.join(missing)}")
        if any(weights[label] < 0 for label, _ in rows) or sum(weights[label] for label, _ in rows) <= 0:
            raise SysrevError("weights must be non-negative and not all zero")
    fig = Figure(figsize=(8.0, 3.2))
    ax = fig.add_axes((0.34, 0.25, 0.62, 0.62))
    levels = (LOW, SOME_CONCERNS, HIGH, None)
    present = set()
    for i, column in enumerate(COLUMNS):
        total = sum(weights[label] if weights else 1.0 for label, _ in rows)
        left = 0.0
        for level in levels:
            share = sum((weights[label] if weights else 1.0) for label, j in rows if j.get(column) == level) / total
            if share > 0:
                present.add(level)
                ax.barh(i, share * 100, left=left, color=COLOURS[level], edgecolor="white", height=0.7)
                left += share * 100
    ax.set_yticks(range(len(COLUMNS)))
    ax.set_yticklabels([("Overall risk of bias" if c == "overall" else f"{c}: {SHORT_NAMES[c]}") for c in COLUMNS],
                       fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title + (" (weighted)" if weights else ""), fontsize=10)
    handles = [Patch(facecolor=COLOURS[v], label=LABELS[v]) for v in levels if v in present]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=8,
               bbox_to_anchor=(0.62, 0.0))
    return fig
