"""The living review: refresh orchestration, study identity across stages, releases and the diffs between them.

* :mod:`sysrev.living.studies` – which study each included report belongs to, and what each study lacks;
* :mod:`sysrev.living.status` – the whole pipeline stage by stage (`sysrev status`);
* :mod:`sysrev.living.refresh` – one command from "time to update" to the to-do list (`sysrev refresh`);
* :mod:`sysrev.living.release` – frozen versions of the review (`sysrev release`);
* :mod:`sysrev.living.diff` – what changed in the evidence between two versions (`sysrev diff`).
* :mod:`sysrev.living.boundaries` – Lan–DeMets α-spending monitoring boundaries (recursive integration);
* :mod:`sysrev.living.sequential` – trial sequential analysis of a meta-analysis updated again and again.
"""
