"""Forest plots in the layout reviewers know from RevMan 5.

Columns: Study or Subgroup | group 1 (Mean SD Total, or Events Total) | group 2 | Weight | effect with CI
as text | the graph (a square sized by weight and the CI line per study, arrows where an interval runs off
the axis, diamonds for subtotals and the total) | optionally RoB 2 dots per domain. Under the table: the
heterogeneity and overall-effect lines, the test for subgroup differences, the axis and "Favours …" labels.
Every column is as wide as its widest text, so long study names widen the plot instead of colliding; the
height grows with the number of rows.
"""

from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.path import Path as MarkerPath

from sysrev.errors import SysrevError
from sysrev.meta.plots import text as t
from sysrev.meta.plots.output import font, new_figure, plot_format, save_figure, text_width
from sysrev.meta.plots.rob import DOMAIN_NAMES, DOMAINS, JUDGEMENTS, rob_levels
from sysrev.meta.plots.scale import Scale, linear_scale, ratio_scale, tick_label
from sysrev.meta.plots.table import ForestTable, forest_table

FONT_SIZE = 8.0          # points, as RevMan's figures
TITLE_SIZE = 10.0
ROW = 0.18               # inches per table row
GAP = 0.14               # inches between columns
MARGIN = 0.2             # inches around the figure
GRAPH_WIDTH = 2.6        # inches, at least
FAVOURS_GAP = 0.08       # inches between the line of no effect and a "Favours" label
ROB_CELL = 0.24          # inches per RoB column, at least
AXIS_SPACE = 0.5         # inches under the graph for tick labels and "Favours" labels

#: Arrowheads whose tip is the marker's anchor, so an interval that runs off the axis ends at its edge.
_ARROW_LEFT = MarkerPath([(0.0, 0.0), (1.0, 0.45), (1.0, -0.45), (0.0, 0.0)], closed=True)
_ARROW_RIGHT = MarkerPath([(0.0, 0.0), (-1.0, 0.45), (-1.0, -0.45), (0.0, 0.0)], closed=True)

#: Square colours as in RevMan 5: green for continuous and generic data, blue for dichotomous.
SQUARE_COLOURS = {"continuous": "#00A000", "dichotomous": "#0000E0"}


@dataclass
class _Layout:
    """Where everything goes, in inches from the figure's top-left corner."""

    width: float
    height: float
    col_left: dict
    col_width: dict
    graph_left: float
    graph_width: float
    rob_left: list
    rob_width: list
    title_y: float
    header_y: tuple
    body_top: float
    graph_rows: int
    legend_top: float

    def row_y(self, index: int) -> float:
        return self.body_top + (index + 0.5) * ROW

    @property
    def graph_bottom(self) -> float:
        return self.body_top + self.graph_rows * ROW


# A row is 0.18 inch: 400 studies make a plot almost 2 metres tall, beyond reading and (at 10,000 studies)
# gigabytes of memory. Larger analyses are refused with advice instead of drawn.
MAX_FOREST_STUDIES = 400


def forest_size_problem(result: dict) -> str | None:
    """Why ``result`` (``MetaResult.to_dict()``) is too large for a forest plot, or None."""
    count = len(result.get("studies") or [])
    if count <= MAX_FOREST_STUDIES:
        return None
    return (f"a forest plot of {count} studies would be {count * ROW / 39.37:.0f} m tall and unreadable; sysrev "
            f"draws forest plots of up to {MAX_FOREST_STUDIES} studies. Plot subgroups separately, or use a "
            "funnel plot (--funnel) and the pooled summary")


def forest_plot(result: dict, path, *, label1: str = "Experimental", label2: str = "Control",
                favours=None, rob=None, title=None, decimals: int = 2) -> Path:
    """Draw ``result`` (``MetaResult.to_dict()``) as a RevMan-style forest plot and write it to ``path``.

    ``label1``/``label2`` head the arms' columns (group 1 is the experimental arm). ``favours`` is a pair
    ``(left, right)`` of names printed as "Favours left" / "Favours right" under the axis; by default
    ``(label1, label2)`` — pass ``(label2, label1)`` for an outcome where a higher value is better.
    ``rob`` maps study names to RoB 2 judgements (``{"D1": "low", …, "overall": "high"}``) and adds
    coloured columns with a legend. The format follows the suffix (.png, .svg or .pdf); returns the path.
    """
    plot_format(path)
    fig = forest_figure(result, label1=label1, label2=label2, favours=favours, rob=rob, title=title,
                        decimals=decimals)
    return save_figure(fig, path)


def forest_figure(result: dict, *, label1: str = "Experimental", label2: str = "Control", favours=None,
                  rob=None, title=None, decimals: int = 2) -> Figure:
    """The forest plot of :func:`forest_plot` as a matplotlib Figure (its axes: the table, then the graph)."""
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
        raise SysrevError(f"decimals must be a whole number from 0 to 6, got {decimals!r}")
    problem = forest_size_problem(result)
    if problem:
        raise SysrevError(problem)
    left, right = _favours(favours, label1, label2)
    table = forest_table(result, label1=str(label1), label2=str(label2), decimals=decimals)
    levels = None
    if rob is not None:
        levels = rob_levels(rob, [row.study for row in table.rows if row.kind == "study"])
    scale = _scale(table)
    layout = _layout(table, levels is not None, title, left, right)
    fig = new_figure(layout.width, layout.height)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    ax.axis("off")
    if title:
        _text(ax, MARGIN, layout.title_y, str(title), size=TITLE_SIZE, bold=True)
    _draw_table(ax, table, layout)
    _draw_graph(fig, ax, table, layout, scale, result["measure"], left, right)
    if levels is not None:
        _draw_rob(ax, table, layout, levels)
    return fig


def _favours(favours, label1, label2) -> tuple[str, str]:
    if favours is None:
        return f"Favours {label1}", f"Favours {label2}"
    if not isinstance(favours, (tuple, list)) or len(favours) != 2:
        raise SysrevError(f"favours must be a pair (left, right) of names, got {favours!r}")
    return f"Favours {favours[0]}", f"Favours {favours[1]}"


def _scale(table: ForestTable) -> Scale:
    marks = [row.mark for row in table.rows if row.mark is not None]
    points = [m.estimate for m in marks]
    pooled = [v for m in marks if m.shape == "diamond" for v in (m.low, m.high)]
    intervals = [v for m in marks if m.shape == "square" for v in (m.low, m.high)]
    return (ratio_scale if table.ratio else linear_scale)(points, pooled, intervals)


def _column_widths(table: ForestTable) -> dict:
    """Each column as wide as its heading and its cells; the table as wide as its longest note line."""
    widths = {}
    for col in table.columns:
        cells = [text_width(row.cells.get(col.key, ""), FONT_SIZE, row.bold) for row in table.rows
                 if not (row.spans and col.key == "study")]
        widths[col.key] = max([text_width(col.heading, FONT_SIZE, bold=True), *cells])
    for group in dict.fromkeys(col.group for col in table.columns if col.group):
        keys = [col.key for col in table.columns if col.group == group]
        span = sum(widths[k] for k in keys) + GAP * (len(keys) - 1)
        extra = text_width(group, FONT_SIZE, bold=True) - span
        for k in keys:
            widths[k] += max(extra, 0.0) / len(keys)
    notes = [text_width(row.cells.get("study", ""), FONT_SIZE, row.bold) for row in table.rows if row.spans]
    table_width = sum(widths.values()) + GAP * (len(widths) - 1)
    widths["study"] += max(max(notes, default=0.0) - table_width, 0.0)
    return widths


def _layout(table: ForestTable, with_rob: bool, title, left: str, right: str) -> _Layout:
    widths = _column_widths(table)
    col_left, x = {}, MARGIN
    for col in table.columns:
        col_left[col.key] = x
        x += widths[col.key] + GAP
    graph_left = x
    graph_width = max(GRAPH_WIDTH, 2 * (max(text_width(left, FONT_SIZE), text_width(right, FONT_SIZE))
                                        + FAVOURS_GAP) + 0.1,
                      *(text_width(line, FONT_SIZE, bold=True) for line in table.heading))
    x = graph_left + graph_width + GAP
    rob_left, rob_width = [], []
    if with_rob:
        for _, heading in DOMAINS:
            rob_left.append(x)
            rob_width.append(max(ROB_CELL, text_width(heading, FONT_SIZE, bold=True)))
            x += rob_width[-1] + GAP / 2
    y = MARGIN
    title_y = y + 0.15
    if title:
        y += 0.35
    header_y = (y + 0.5 * ROW, y + 1.5 * ROW)
    body_top = y + 2 * ROW + 0.08
    graph_rows = max(i for i, row in enumerate(table.rows) if row.kind == "total") + 1
    bottom = max(body_top + len(table.rows) * ROW, body_top + graph_rows * ROW + AXIS_SPACE)
    legend_top = bottom + 0.1
    height = legend_top + (len(DOMAINS) + 2.5) * ROW if with_rob else bottom
    width = x - (GAP / 2 if with_rob else GAP) + MARGIN
    if with_rob:
        legend = max(text_width(f"({key}) {name}", FONT_SIZE) for key, name in DOMAIN_NAMES.items())
        width = max(width, 2 * MARGIN + legend)
    if title:
        width = max(width, 2 * MARGIN + text_width(str(title), TITLE_SIZE, bold=True))
    return _Layout(width, height + MARGIN, col_left, widths, graph_left, graph_width, rob_left, rob_width,
                   title_y, header_y, body_top, graph_rows, legend_top)


def _text(ax, x, y, s, *, ha="left", size=FONT_SIZE, bold=False, colour="black"):
    ax.text(x, y, s, ha=ha, va="center", fontproperties=font(size, bold), color=colour,
            parse_math=False, clip_on=False)


def _anchor(layout: _Layout, key: str, align: str) -> tuple[float, str]:
    left, width = layout.col_left[key], layout.col_width[key]
    return {"left": (left, "left"), "right": (left + width, "right"), "center": (left + width / 2, "center")}[align]


def _draw_table(ax, table: ForestTable, layout: _Layout) -> None:
    for col in table.columns:
        lines = col.heading.split("\n")
        x, ha = _anchor(layout, col.key, "center" if len(lines) > 1 else col.align)
        for y, line in zip(layout.header_y[-len(lines):], lines):
            _text(ax, x, y, line, ha=ha, bold=True)
    for group in dict.fromkeys(col.group for col in table.columns if col.group):
        keys = [col.key for col in table.columns if col.group == group]
        start = layout.col_left[keys[0]]
        end = layout.col_left[keys[-1]] + layout.col_width[keys[-1]]
        _text(ax, (start + end) / 2, layout.header_y[0], group, ha="center", bold=True)
    for i, row in enumerate(table.rows):
        y = layout.row_y(i)
        for col in table.columns:
            value = row.cells.get(col.key, "")
            if value:
                x, ha = (layout.col_left["study"], "left") if row.spans else _anchor(layout, col.key, col.align)
                _text(ax, x, y, value, ha=ha, bold=row.bold)


def _draw_graph(fig, ax, table: ForestTable, layout: _Layout, scale: Scale, measure: str,
                left: str, right: str) -> None:
    """The graph column: its heading, the line of no effect, squares, CI lines, diamonds, axis, favours."""
    centre = layout.graph_left + layout.graph_width / 2
    for y, line in zip(layout.header_y, table.heading):
        _text(ax, centre, y, line, ha="center", bold=True)
    g = fig.add_axes((layout.graph_left / layout.width, 1 - layout.graph_bottom / layout.height,
                      layout.graph_width / layout.width, layout.graph_rows * ROW / layout.height))
    if scale.log:
        g.set_xscale("log")
    g.set_xlim(scale.low, scale.high)
    g.set_ylim(layout.graph_rows, 0)
    g.patch.set_alpha(0)
    for side in ("left", "right", "top"):
        g.spines[side].set_visible(False)
    g.spines["bottom"].set_linewidth(0.6)
    g.set_yticks([])
    g.set_xticks(scale.ticks, [tick_label(v) for v in scale.ticks], fontproperties=font(FONT_SIZE - 0.5))
    g.minorticks_off()
    g.tick_params(axis="x", length=3, width=0.6, pad=2)
    g.axvline(scale.null, color="black", linewidth=0.6)
    colour = SQUARE_COLOURS["dichotomous" if measure in t.DICHOTOMOUS_MEASURES else "continuous"]
    marks = [(i + 0.5, row.mark) for i, row in enumerate(table.rows) if row.mark is not None]
    max_weight = max([m.weight for _, m in marks if m.shape == "square"] + [0.0])
    for y, mark in marks:
        if mark.shape == "square":
            _draw_study(g, y, mark, scale, colour, max_weight)
        else:
            g.add_patch(Polygon([(mark.low, y), (mark.estimate, y - 0.32), (mark.high, y),
                                 (mark.estimate, y + 0.32)], closed=True, facecolor="black",
                                edgecolor="black", linewidth=0.5))
    y = layout.graph_bottom + 0.36
    _text(ax, centre - FAVOURS_GAP, y, left, ha="right")
    _text(ax, centre + FAVOURS_GAP, y, right, ha="left")


def _draw_study(g, y: float, mark, scale: Scale, colour: str, max_weight: float) -> None:
    """A study's CI line (with an arrow where it leaves the axis) and its square, area ∝ weight."""
    low, high = max(mark.low, scale.low), min(mark.high, scale.high)
    if low < high:
        g.plot([low, high], [y, y], color="black", linewidth=0.8, solid_capstyle="butt")
    if mark.low < scale.low:
        g.plot([scale.low], [y], marker=_ARROW_LEFT, markersize=8, color="black", markeredgewidth=0)
    if mark.high > scale.high:
        g.plot([scale.high], [y], marker=_ARROW_RIGHT, markersize=8, color="black", markeredgewidth=0)
    if scale.low <= mark.estimate <= scale.high:
        side = ROW * 72 * 0.8 * (mark.weight / max_weight) ** 0.5 if max_weight > 0 else 3.0
        g.plot([mark.estimate], [y], marker="s", markersize=max(side, 2.5), color=colour,
               markeredgewidth=0, linestyle="none")


def _draw_rob(ax, table: ForestTable, layout: _Layout, levels: dict) -> None:
    """RoB 2 columns: heading, one dot per study and domain, and the legend under the plot."""
    centres = [left + width / 2 for left, width in zip(layout.rob_left, layout.rob_width)]
    span_centre = (layout.rob_left[0] + layout.rob_left[-1] + layout.rob_width[-1]) / 2
    _text(ax, span_centre, layout.header_y[0], "Risk of Bias", ha="center", bold=True)
    for x, (_, heading) in zip(centres, DOMAINS):
        _text(ax, x, layout.header_y[1], heading, ha="center", bold=True)
    for i, row in enumerate(table.rows):
        if row.kind != "study":
            continue
        for x, (key, _) in zip(centres, DOMAINS):
            level = levels[row.study][key]
            if level is not None:
                _dot(ax, x, layout.row_y(i), level)
    y = layout.legend_top + 0.5 * ROW
    _text(ax, MARGIN, y, "Risk of bias legend", bold=True)
    for key, name in DOMAIN_NAMES.items():
        y += ROW
        _text(ax, MARGIN, y, f"({key.capitalize() if key == 'overall' else key}) {name}")
    y += ROW * 1.2
    x = MARGIN + 0.08
    for level, judgement in JUDGEMENTS.items():
        _dot(ax, x, y, level)
        _text(ax, x + 0.12, y, judgement.legend)
        x += 0.12 + text_width(judgement.legend, FONT_SIZE) + 0.3


def _dot(ax, x: float, y: float, level: str) -> None:
    judgement = JUDGEMENTS[level]
    ax.plot([x], [y], marker="o", markersize=10, color=judgement.colour, markeredgewidth=0,
            linestyle="none", clip_on=False)
    ax.plot([x], [y], marker=judgement.symbol, markersize=5, color="black", markeredgewidth=1.2,
            linestyle="none", clip_on=False)
