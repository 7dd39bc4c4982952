"""Meta-analysis: effect sizes, pooling, heterogeneity, subgroups, bias tests (plots in ``meta.plots``).

The entry point other stages use is :func:`meta_analysis` (returns a :class:`MetaResult`, whose
``to_dict()`` is the ``sysrev meta pool --json`` object). Conventions follow RevMan 5 by default with
metafor's formulas as options; docs/meta.md describes both and how they are validated.
"""

from sysrev.lazy_exports import lazy_exports

# Loaded on first use (PEP 562): a light submodule (the measure names in sysrev.meta.inputs, which reading
# analyses.toml needs) does not pay for the engine's scipy.stats.
_EXPORTS = {"meta_analysis": "analysis", "MetaResult": "result"}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
