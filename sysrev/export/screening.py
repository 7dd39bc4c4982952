"""The screening side of the exports: the included records and every decision with its reason."""

from __future__ import annotations

import csv
import io

from sysrev.screening.config import STAGES
from sysrev.screening.state import load_screening

DECISION_COLUMNS = ("record_id", "title", "year", "doi", "pmid", "stage", "reviewer", "decision", "reason",
                    "timestamp", "note", "rank", "model", "final_decision", "final_reason")


def included_records(project) -> list[dict]:
    """Records whose final full-text decision is *include*, in record order."""
    screening = load_screening(project)
    full_text = screening.stages["full_text"]
    eligible = set(full_text.eligible)
    included = []
    for record in screening.records:
        decision = full_text.final(record["record_id"]) if record["record_id"] in eligible else None
        if decision is not None and decision.decision == "include":
            included.append(record)
    return included


def decisions_csv(project) -> str:
    """Each reviewer's current decision on every record (reconciliations included), with the stage's final
    decision beside it: the form journals ask for — who decided what about which record, why, and when (and,
    from a prioritised screen, at which rank and by which ordering model the record was shown).
    """
    screening = load_screening(project)
    records = screening.records_by_id
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DECISION_COLUMNS)
    for stage in STAGES:
        state = screening.stages[stage]
        rows = [d for by_record in state.latest.values() for d in by_record.values()] + list(state.reconciled.values())
        for d in sorted(rows, key=lambda d: (d.record_id, d.reviewer, d.timestamp)):
            record = records.get(d.record_id, {})
            final = state.final(d.record_id)
            writer.writerow([d.record_id, record.get("title", ""), record.get("year") or "", record.get("doi", ""),
                             record.get("pmid", ""), stage, d.reviewer, d.decision, d.reason, d.timestamp, d.note,
                             d.rank, d.model, final.decision if final else "", final.reason if final else ""])
    return buffer.getvalue()
