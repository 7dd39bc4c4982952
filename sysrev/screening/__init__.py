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

from sysrev.screening.config import DECISIONS, STAGES, ScreeningConfig, screening_config
from sysrev.screening.log import Decision, ScreeningLogError, append_decisions, read_log
from sysrev.screening.prioritisation import reviewer_stopping
from sysrev.screening.ranking import Ranking, rank_for_reviewer
from sysrev.screening.state import Screening, StageState, load_screening

__all__ = [
    "DECISIONS",
    "STAGES",
    "Decision",
    "Ranking",
    "Screening",
    "ScreeningConfig",
    "ScreeningLogError",
    "StageState",
    "append_decisions",
    "load_screening",
    "rank_for_reviewer",
    "read_log",
    "reviewer_stopping",
    "screening_config",
]
