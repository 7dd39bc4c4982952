"""The living review: refresh orchestration, study identity across stages, releases and the diffs between them.

* :mod:`sysrev.living.boundaries` – Lan–DeMets α-spending monitoring boundaries (recursive integration);
* :mod:`sysrev.living.sequential` – trial sequential analysis of a meta-analysis updated again and again.
"""
