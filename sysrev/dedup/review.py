"""Human review of the pairs the rules could not decide: which pairs wait, and recording a decision.

Shared by ``sysrev dedup review`` (terminal) and the web app's duplicates page, so both write the same row
to ``records/dedup_decisions.csv``; the next ``sysrev dedup`` applies it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sysrev.dedup.decisions import DECISION_VALUES, DECISIONS_HEADER, append_decisions, read_decisions, read_queue
from sysrev.dedup.project_run import DECISIONS_FILE, QUEUE_FILE
from sysrev.errors import InputError


def decisions_path(project) -> Path:
    return Path(project.records_dir) / DECISIONS_FILE


def pending_pairs(project) -> list[dict]:
    """The queued pairs (``records/dedup_queue.csv``, strongest first) not decided yet."""
    decided = read_decisions(decisions_path(project))
    return [row for row in read_queue(Path(project.records_dir) / QUEUE_FILE)
            if frozenset((row["record_a"], row["record_b"])) not in decided]


def record_pair_decision(project, row: dict, decision: str, reviewer: str) -> Path:
    """Append ``decision`` (same, different or related) on the queued pair ``row``."""
    if decision not in DECISION_VALUES:
        raise InputError(f"decision must be one of {', '.join(DECISION_VALUES)}, not {decision!r}")
    path = decisions_path(project)
    timestamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    append_decisions(path, [dict(zip(DECISIONS_HEADER, (row["record_a"], row["record_b"], decision, reviewer,
                                                        timestamp, row.get("reason", ""))))])
    return path
