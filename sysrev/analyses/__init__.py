"""A project's analyses (``analysis/analyses.toml``): specs, assembly from the extraction, runs and statuses.

``sysrev meta run`` is the command line of this package; the statistics themselves are :mod:`sysrev.meta`'s.
"""

from sysrev.analyses.run import AnalysisOutcome, run_analysis, run_project
from sysrev.analyses.spec import AnalysisSpec, load_analyses

__all__ = ["AnalysisOutcome", "AnalysisSpec", "load_analyses", "run_analysis", "run_project"]
