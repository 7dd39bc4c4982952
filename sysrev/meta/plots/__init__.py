"""Plots of a pooled meta-analysis: RevMan-style forest plots and funnel plots, as PNG, SVG or PDF.

Both take ``MetaResult.to_dict()`` of :mod:`sysrev.meta` (the ``--json`` object of ``sysrev meta pool``,
whose study entries also carry their subgroup and input cells) and write the file named by ``path``;
``forest_figure``/``funnel_figure`` return the matplotlib Figure instead, for embedding or adjusting;
``plot_format(path)`` checks a file name before any work is done (a command given two plot files can
reject a bad second suffix before it writes the first). A forest plot of more than ``MAX_FOREST_STUDIES``
studies is refused with advice (``forest_size_problem``), not drawn.
"""

from sysrev.meta.plots.forest import MAX_FOREST_STUDIES, forest_figure, forest_plot, forest_size_problem
from sysrev.meta.plots.funnel import funnel_figure, funnel_plot
from sysrev.meta.plots.output import plot_format

__all__ = ["forest_plot", "funnel_plot", "forest_figure", "funnel_figure", "plot_format", "forest_size_problem",
           "MAX_FOREST_STUDIES"]
