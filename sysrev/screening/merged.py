"""Decisions on records that dedup has since merged into another record, counted for that record.

A reviewer's ``same`` decision in ``sysrev dedup review`` may merge two records after screening began: the
lower ID stays and the other is listed as replaced (:func:`sysrev.dedup.project_run.merged_ids`). The rows of a
decision log that name the replaced ID were decisions on the same publication, so they count for the record
that stands for it now, instead of being reported as rows of an unknown record and left out.

One reviewer may have decided the two copies differently, typically including one and excluding the other as
a duplicate. The last row would then decide by the order the copies happened to be screened in, which can
exclude an included study. So such a record counts as not yet screened by that reviewer: it comes back to their
screen, it is reported with both decisions (a notice, which stops nothing: the reviewer did nothing wrong), and
their decision on the record that stands, made after the merge, settles it.
"""

from dataclasses import replace
from datetime import UTC, datetime

from sysrev.screening.log import LogProblem, parse_timestamp


def decision_key(stage: str, decision) -> tuple:
    """What makes two decisions on a record the same decision: the decision, and at full text an exclusion's
    reason too (it is reported in the PRISMA diagram)."""
    if stage == "full_text" and decision.decision == "exclude":
        return ("exclude", decision.reason)
    return (decision.decision,)


def fold_merged(path, decisions: list, merged: dict, stage: str) -> tuple[list, list]:
    """``decisions`` (one log's rows, in file order) with each ID that dedup merged away replaced by the ID of
    the record that stands for it (``merged``: :func:`~sysrev.dedup.merged_records.merged_ids`), and the
    notices: one per record whose copies the log's reviewer decided differently and that no later row on the
    record settles. The rows of such a record are left out: it is not yet screened by that reviewer."""
    if not merged or not any(d.record_id in merged for d in decisions):
        return decisions, []
    last = {}
    for d in decisions:
        last[d.record_id] = d
    copies = {}
    for written in last:
        copies.setdefault(merged.get(written, (written, ""))[0], []).append(written)
    unsettled = {}
    for record_id, written in copies.items():
        finals = [last[w] for w in written]
        if len({decision_key(stage, d) for d in finals}) > 1 and not _settled(record_id, finals, merged):
            unsettled[record_id] = finals
    notices = [LogProblem(path, max(d.line or 0 for d in finals) or None, _conflict(record_id, finals, stage))
               for record_id, finals in unsettled.items()]
    folded = [d if d.record_id not in merged else replace(d, record_id=merged[d.record_id][0]) for d in decisions]
    return [d for d in folded if d.record_id not in unsettled], notices


def _settled(record_id: str, finals: list, merged: dict) -> bool:
    """A row naming ``record_id`` itself settles its copies' different decisions when it is the log's last on
    them and was written when the copies were one record already (at or after every merge; a merge that kept
    no time settles on file order alone)."""
    own = next((d for d in finals if d.record_id == record_id), None)
    if own is None or own.line != max(d.line or 0 for d in finals):
        return False
    decided = parse_timestamp(own.timestamp)
    return all(decided >= when for when in map(_merge_time, (merged.get(d.record_id, ("", ""))[1] for d in finals)))


def _merge_time(text: str) -> datetime:
    """When a merge happened; the earliest time when it is not known (none kept, or edited out of shape)."""
    try:
        return parse_timestamp(text)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _conflict(record_id: str, finals: list, stage: str) -> str:
    shown = "; ".join(f"{d.record_id} {' '.join(filter(None, decision_key(stage, d)))} (line {d.line})"
                      for d in sorted(finals, key=lambda d: d.line or 0))
    return (f"{record_id} was decided differently as records that dedup has since merged into it (the same "
            f"publication): {shown}. It counts as not yet screened by {finals[0].reviewer} and comes back to "
            "their screen: the decision made there settles it")
