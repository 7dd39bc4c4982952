"""Screening: append-only decision logs, conflicts and reconciliation, agreement statistics, and the
interactive screen and imports that feed the logs. PRISMA 2020 counts built on it live in
:mod:`sysrev.report.prisma`.

Files (contract 6, ../shared/DESIGN.md §3): ``screening/<stage>/<reviewer>.csv`` with
``record_id,decision,reason,reviewer,timestamp[,note]``; reconciliation decisions in
``screening/<stage>/reconciliation/<reviewer>.csv``; stages ``title_abstract`` and ``full_text``.

Prioritised screening, for any front end: :func:`rank_for_reviewer` (a reviewer's undecided records, most
probably relevant first, learnt from that reviewer's decisions only) and :func:`reviewer_stopping` (where the
reviewer stands against the stopping rule; ``.sentence()`` says it in words).
"""

from sysrev.lazy_exports import lazy_exports

# Name -> the module that defines it. Loaded on first use (PEP 562), so importing one light submodule (the
# stage names in sysrev.screening.config, say) does not pay for numpy and scikit-learn, which ranking needs;
# `sysrev screen --help` and the other command lists stay fast.
_EXPORTS = {
    "DECISIONS": "config",
    "STAGES": "config",
    "ScreeningConfig": "config",
    "screening_config": "config",
    "Decision": "log",
    "ScreeningLogError": "log",
    "append_decisions": "log",
    "read_log": "log",
    "reviewer_stopping": "prioritisation",
    "Ranking": "ranking",
    "rank_for_reviewer": "ranking",
    "Screening": "state",
    "StageState": "state",
    "load_screening": "state",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
