"""Plots of a pooled meta-analysis: RevMan-style forest plots and funnel plots, as PNG, SVG or PDF.

Both take ``MetaResult.to_dict()`` of :mod:`sysrev.meta` (the ``--json`` object of ``sysrev meta pool``,
whose study entries also carry their subgroup and input cells) and write the file named by ``path``;
``forest_figure``/``funnel_figure`` return the matplotlib Figure instead, for embedding or adjusting;
``plot_format(path)`` checks a file name before any work is done (a command given two plot files can
reject a bad second suffix before it writes the first). A forest plot of more than ``MAX_FOREST_STUDIES``
studies is refused with advice (``forest_size_problem``), not drawn.
"""

from sysrev.lazy_exports import lazy_exports

# Loaded on first use (PEP 562): the PRISMA diagram, which shares the output helpers, does not pay for the
# funnel plot's scipy.stats.
_EXPORTS = {"MAX_FOREST_STUDIES": "forest", "forest_figure": "forest", "forest_plot": "forest",
            "forest_size_problem": "forest", "funnel_figure": "funnel", "funnel_plot": "funnel",
            "plot_format": "output"}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
