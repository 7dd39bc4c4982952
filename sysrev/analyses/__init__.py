"""A project's analyses (``analysis/analyses.toml``): specs, assembly from the extraction, runs and statuses.

``sysrev meta run`` is the command line of this package; the statistics themselves are :mod:`sysrev.meta`'s.
"""

from sysrev.lazy_exports import lazy_exports

# Name -> the module that defines it, loaded on first use (PEP 562): reading analyses.toml (`sysrev status`,
# `check`, `grade`) then does not pay for the statistics engine's scipy and pandas, which only a run needs.
_EXPORTS = {
    "AnalysisOutcome": "run",
    "run_analysis": "run",
    "run_project": "run",
    "AnalysisSpec": "spec",
    "load_analyses": "spec",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
