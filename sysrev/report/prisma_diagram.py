"""The PRISMA 2020 flow diagram drawn with matplotlib, as SVG or PNG.

The layout follows the PRISMA 2020 template for new reviews with database searches (Page et al., BMJ
2021;372:n71, Figure 1): phase bars on the left (Identification, Screening, Included), the main column of
boxes top to bottom (records identified → records screened → reports sought → reports assessed → studies
included) and, to its right, what left the flow at each step (duplicates, records excluded, reports not
retrieved, reports excluded with reasons). With ``previous_studies`` set it draws the PRISMA 2020 template
for updated reviews (prisma-statement.org): a "Previous studies" column whose box and the new-studies box
both lead to the total, worded as that template is ("New studies included", "Total studies included"); a
new review keeps the new-review wording ("Identification of studies…", "Studies included in review").

Geometry is in inches (one axis unit = one inch on the page), box heights follow their wrapped text, so
long reason lists or database names grow their boxes instead of overflowing them.
"""

import io
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.patches import FancyBboxPatch, Rectangle  # noqa: E402

from sysrev.errors import SysrevError  # noqa: E402
from sysrev.fileio import atomic_write_bytes  # noqa: E402
from sysrev.meta.plots.output import FORMATS, REPRODUCIBLE_METADATA, SUFFIXES_TEXT, TEXT_AS_TEXT  # noqa: E402

FONT_SIZE = 9
LINE = 0.175  # inches per text line at FONT_SIZE
PAD = 0.12  # inner margin of a box
ROW_GAP = 0.38
BOX_WIDTH = 3.3
SIDE_WIDTH = 3.3
COLUMN_GAP = 0.55
BAR_WIDTH = 0.32
HEADER_HEIGHT = 0.42
MARGIN = 0.25
BAR_COLOUR = "#c7d9ef"
HEADER_COLOUR = "#f3d98b"
PREVIOUS_COLOUR = "#d9d9d9"
# SVG text stays text (searchable, selectable); a fixed salt makes the element IDs, and so the file, the same
# on every run, so a committed diagram changes in git only when its numbers do.
_SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "sysrev-prisma"}


def n(value) -> str:
    """A box count as PRISMA prints it: ``(n = 12)``."""
    return f"(n = {value})"


def draw_prisma(counts, path) -> Path:
    """Draw the diagram of ``counts`` (:class:`~sysrev.report.prisma.PrismaCounts`) to ``path``
    (.svg/.png/.pdf)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise SysrevError(f"{path}: the PRISMA diagram is written as {SUFFIXES_TEXT}")
    figure = _figure(counts)
    buffer = io.BytesIO()
    try:
        with plt.rc_context({**_SVG_RC, **TEXT_AS_TEXT}):
            figure.savefig(buffer, format=FORMATS[suffix], dpi=200 if suffix == ".png" else None,
                           metadata=REPRODUCIBLE_METADATA[FORMATS[suffix]])
    finally:
        plt.close(figure)
    return atomic_write_bytes(path, buffer.getvalue())  # whole or not at all, as every file sysrev writes


def prisma_svg(counts) -> str:
    """The diagram of ``counts`` as SVG text (for embedding in an HTML report)."""
    figure = _figure(counts)
    buffer = io.StringIO()
    try:
        with plt.rc_context(_SVG_RC):
            figure.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _figure(c):
    updated = c.previous_studies is not None
    x_prev = MARGIN + BAR_WIDTH + COLUMN_GAP * 0.6
    x_main = x_prev + (BOX_WIDTH + COLUMN_GAP if updated else 0)
    x_side = x_main + BOX_WIDTH + COLUMN_GAP
    width = x_side + SIDE_WIDTH + MARGIN

    # PRISMA 2020: records from databases and from registers, each total with its sources below it.
    databases = [f"    {name} {n(k)}" for name, k in c.from_databases.items()]
    registers = [f"    {name} {n(k)}" for name, k in c.from_registers.items()]
    # While screening goes on, every box after the unfinished stage holds the counts so far.
    ta_open, ft_open = c.records_awaiting > 0, c.in_progress
    so_far = " (so far)"
    rows = [  # (phase, main box lines, side box lines)
        ("Identification",
         ["Records identified from:", f"Databases {n(sum(c.from_databases.values()))}", *databases,
          f"Registers {n(sum(c.from_registers.values()))}", *registers],
         ["Records removed before screening:", f"    Duplicate records removed {n(c.duplicates_removed)}"]),
        ("Screening", [f"Records screened {n(c.records_screened)}"],
         [f"Records excluded{so_far if ta_open else ''} {n(c.records_excluded)}"]
         + ([f"    Awaiting a decision {n(c.records_awaiting)}"] if ta_open else [])),
        ("Screening", [f"Reports sought for retrieval{so_far if ta_open else ''} {n(c.reports_sought)}"],
         [f"Reports not retrieved{so_far if ft_open else ''} {n(c.reports_not_retrieved)}"]),
        ("Screening", [f"Reports assessed for eligibility{so_far if ta_open else ''} {n(c.reports_assessed)}"],
         [f"Reports excluded{so_far if ft_open else ''}:"]
         + ([f"    {reason} {n(k)}" for reason, k in c.reports_excluded.items()] or ["    none"])
         + ([f"    Awaiting a decision {n(c.reports_awaiting)}"] if c.reports_awaiting else [])),
        ("Included", [f"New studies included in review{so_far if ft_open else ''} {n(c.studies_included)}",
                      f"Reports of new included studies {n(c.reports_included)}"] if updated else
                     [f"Studies included in review{so_far if ft_open else ''} {n(c.studies_included)}",
                      f"Reports of included studies {n(c.reports_included)}"], None),
    ]
    if updated:
        rows.append(("Included", [f"Total studies included in review {n(c.total_studies)}",
                                  f"Reports of total included studies {n(c.total_reports)}"], None))

    wrapped = [(phase, _wrap(main, BOX_WIDTH), _wrap(side, SIDE_WIDTH) if side else None)
               for phase, main, side in rows]
    heights = [max(_height(m), _height(s) if s else 0) for _, m, s in wrapped]
    if updated:  # the previous studies' box stands beside the first row
        previous = _wrap([f"Studies included in previous version of review {n(c.previous_studies)}",
                          f"Reports of studies included in previous version of review {n(c.previous_reports)}"]
                         + ([f"    of which included in this update {n(c.previous_reports_added)}"]
                            if c.previous_reports_added else []), BOX_WIDTH)
        heights[0] = max(heights[0], _height(previous))
    _fit_phase_labels(rows, heights)
    total_height = MARGIN * 2 + HEADER_HEIGHT + ROW_GAP * 0.6 + sum(heights) + ROW_GAP * (len(rows) - 1)

    figure = plt.figure(figsize=(width, total_height))
    ax = figure.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, width)
    ax.set_ylim(0, total_height)
    ax.axis("off")

    top = total_height - MARGIN
    heading = f"Identification of {'new ' if updated else ''}studies via databases and registers"
    if c.in_progress:
        heading += " — IN PROGRESS"
    _header(ax, x_main, top, x_side + SIDE_WIDTH - x_main, heading, HEADER_COLOUR)
    if updated:
        _header(ax, x_prev, top, BOX_WIDTH, "Previous studies", PREVIOUS_COLOUR)

    y = top - HEADER_HEIGHT - ROW_GAP * 0.6
    boxes = []
    for (phase, main, side), height in zip(wrapped, heights):
        main_box = _box(ax, x_main, y, BOX_WIDTH, height, main)
        side_box = _box(ax, x_side, y, SIDE_WIDTH, height, side) if side else None
        if side_box:
            _arrow(ax, (x_main + BOX_WIDTH, y - height / 2), (x_side, y - height / 2))
        boxes.append((phase, main_box, y, height))
        y -= height + ROW_GAP
    for (_, upper, _, _), (_, lower, _, _) in zip(boxes, boxes[1:]):
        _arrow(ax, (x_main + BOX_WIDTH / 2, upper[1] - upper[3]), (x_main + BOX_WIDTH / 2, lower[1]))

    if updated:
        first_y, first_h = boxes[0][2], boxes[0][3]
        _box(ax, x_prev, first_y, BOX_WIDTH, first_h, previous)
        total_y, total_h = boxes[-1][2], boxes[-1][3]
        corner = (x_prev + BOX_WIDTH / 2, total_y - total_h / 2)
        ax.plot([corner[0], corner[0]], [first_y - first_h, corner[1]], color="black", lw=1)
        _arrow(ax, corner, (x_main, corner[1]))

    for phase in ("Identification", "Screening", "Included"):
        spans = [(y0, h) for p, _, y0, h in boxes if p == phase]
        bar_top = spans[0][0]
        bar_bottom = spans[-1][0] - spans[-1][1]
        _phase_bar(ax, MARGIN, bar_top, bar_top - bar_bottom, phase)
    return figure


def _fit_phase_labels(rows, heights):
    """Grow the last row of a phase until the phase bar is tall enough for its rotated label."""
    for phase in ("Identification", "Screening", "Included"):
        members = [i for i, row in enumerate(rows) if row[0] == phase]
        span = sum(heights[i] for i in members) + ROW_GAP * (len(members) - 1)
        needed = len(phase) * (FONT_SIZE + 1) * 0.58 / 72 + 0.2
        if span < needed:
            heights[members[-1]] += needed - span


def _wrap(lines, box_width):
    """Wrap each line to the box width, keeping a line's leading indent on its continuation lines."""
    chars = int((box_width - 2 * PAD) * 72 / (FONT_SIZE * 0.52))
    out = []
    for line in lines:
        line = line.replace("(n = ", "(n\u00a0=\u00a0")  # never break a count away from its label
        indent = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(line.strip(), chars - len(indent), initial_indent=indent,
                             subsequent_indent=indent + "  ") or [""]
    return out


def _height(lines) -> float:
    return len(lines) * LINE + 2 * PAD


def _box(ax, x, top, width, height, lines):
    ax.add_patch(Rectangle((x, top - height), width, height, facecolor="white", edgecolor="black", lw=1))
    centred = len(lines) <= 2 and not any(line.startswith(" ") for line in lines)
    ax.text(x + (width / 2 if centred else PAD), top - height / 2, "\n".join(lines), fontsize=FONT_SIZE,
            ha="center" if centred else "left", va="center", linespacing=1.35, family="DejaVu Sans")
    return (x, top, width, height)


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color="black", lw=1, shrinkA=0, shrinkB=0, mutation_scale=12))


def _header(ax, x, top, width, text, colour):
    ax.add_patch(FancyBboxPatch((x, top - HEADER_HEIGHT), width, HEADER_HEIGHT,
                                boxstyle="round,pad=0,rounding_size=0.08", facecolor=colour, edgecolor="none"))
    ax.text(x + width / 2, top - HEADER_HEIGHT / 2, text, fontsize=FONT_SIZE + 1, fontweight="bold",
            ha="center", va="center")


def _phase_bar(ax, x, top, height, text):
    ax.add_patch(FancyBboxPatch((x, top - height), BAR_WIDTH, height, boxstyle="round,pad=0,rounding_size=0.08",
                                facecolor=BAR_COLOUR, edgecolor="none"))
    ax.text(x + BAR_WIDTH / 2, top - height / 2, text, rotation=90, fontsize=FONT_SIZE + 1, fontweight="bold",
            ha="center", va="center")
