"""RoB 2 (Cochrane risk-of-bias tool for randomized trials, version 2): forms, the official algorithm, checks,
double assessment and robvis-style plots. See docs/rob.md.

``rob_for_forest(project, outcome)`` gives ``{study: {"D1": …, "overall": …}}`` for the forest plot.
"""

from sysrev.rob.summary import rob_for_forest

__all__ = ["rob_for_forest"]
