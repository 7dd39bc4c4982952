"""Figures and files shared by the forest and funnel plots: format from the suffix, fonts, atomic writing.

Figures are drawn on matplotlib's Agg canvas without pyplot (no global state, no display needed), rendered
to bytes and written with :func:`sysrev.fileio.atomic_write_bytes`, so a crash never leaves half a plot.
SVG and PDF keep their text as text (searchable, editable, and checkable by tests) and carry no date or
random ids, so re-running an unchanged analysis gives a byte-identical file that git does not see as changed.
"""

import io
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.textpath import TextToPath

from sysrev.errors import SysrevError
from sysrev.fileio import atomic_write_bytes

#: File suffixes the plots can be written as: PNG for screens and documents, SVG and PDF as vector figures
#: (journals that take no SVG ask for PDF or EPS; a vector figure has no resolution to fall short of).
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
#: What :data:`FORMATS` accepts, for messages and help texts.
SUFFIXES_TEXT = ".png, .svg or .pdf"

#: Metadata that keeps a re-drawn, unchanged figure byte-identical (no creation date), per format.
REPRODUCIBLE_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None},
                         "png": {"Software": f"sysrev (matplotlib {matplotlib.__version__})"}}
#: Vector output keeps its text as text: editable SVG text, TrueType (Type 42) fonts in PDF.
TEXT_AS_TEXT = {"svg.fonttype": "none", "pdf.fonttype": 42}

#: PNG resolution: sharp when printed at the figure's physical size and readable on screen.
PNG_DPI = 200

#: Fonts in order of preference: RevMan draws in Arial; Liberation Sans has Arial's metrics;
#: DejaVu Sans ships with matplotlib, so one of them is always there.
_FONT_PREFERENCE = ("Arial", "Liberation Sans", "Helvetica", "DejaVu Sans")

_TEXT_TO_PATH = TextToPath()


def plot_format(path) -> str:
    """``png``, ``svg`` or ``pdf`` from the file's suffix; any other suffix is an error naming the file."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = f"'{suffix}'" if suffix else "no suffix"
        raise SysrevError(f"{path}: cannot write a plot with {shown}; use a file name ending in {SUFFIXES_TEXT}")
    return FORMATS[suffix]


@lru_cache(maxsize=1)
def font_family() -> str:
    """The first installed font of :data:`_FONT_PREFERENCE`."""
    installed = {font.name for font in fontManager.ttflist}
    return next((name for name in _FONT_PREFERENCE if name in installed), "DejaVu Sans")


def font(size: float, bold: bool = False) -> FontProperties:
    """The plots' font at ``size`` points; an SVG names the generic sans-serif fonts as fallbacks."""
    return FontProperties(family=[font_family(), "sans-serif"], size=size, weight="bold" if bold else "normal")


#: Glyph hinting makes rendered text up to ~4% wider than its outline (more at screen resolutions).
_HINTING_ALLOWANCE = 1.05


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of ``text`` (the widest of its lines) in the plots' font, for laying out columns;
    measured on the glyph outlines and widened by the hinting allowance, so it is never too small."""
    prop = font(size, bold)
    widths = [_TEXT_TO_PATH.get_text_width_height_descent(line, prop, ismath=False)[0]
              for line in str(text).split("\n") if line]
    return max(widths, default=0.0) / 72.0 * _HINTING_ALLOWANCE


def new_figure(width: float, height: float) -> Figure:
    """A blank white figure of ``width`` × ``height`` inches on the Agg canvas."""
    fig = Figure(figsize=(width, height), facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Figure, path, *, tight: bool = False) -> Path:
    """Render ``fig`` as the format of ``path``'s suffix and write it atomically; return the path.

    ``tight`` trims or extends the page to the drawn content (for a legend of unknown width outside the axes).
    """
    fmt = plot_format(path)
    buffer = io.BytesIO()
    rc = {**TEXT_AS_TEXT, "svg.hashsalt": "sysrev", "font.family": font_family()}
    with matplotlib.rc_context(rc):
        fig.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=REPRODUCIBLE_METADATA[fmt], facecolor="white",
                    **({"bbox_inches": "tight", "pad_inches": 0.15} if tight else {}))
    return atomic_write_bytes(path, buffer.getvalue())
