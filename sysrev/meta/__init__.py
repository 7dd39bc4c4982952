"""Meta-analysis: effect sizes, pooling, heterogeneity, subgroups, bias tests (plots in ``meta.plots``).

The entry point other stages use is :func:`meta_analysis` (returns a :class:`MetaResult`, whose
``to_dict()`` is the ``sysrev meta pool --json`` object). Conventions follow RevMan 5 by default with
metafor's formulas as options; docs/meta.md describes both and how they are validated.
"""

from sysrev.meta.analysis import meta_analysis
from sysrev.meta.result import MetaResult

__all__ = ["meta_analysis", "MetaResult"]
