"""A record's other reports of its trial as the screens show them (terminal and web alike).

Dedup links a trial's registration and its reports (:mod:`sysrev.dedup.trial_refs`); the screens list them
under the record with the reviewer's own decision on each, so that one trial is judged alike in all its
records. Only the reviewer's own decisions are given: screening stays blind to a co-reviewer's.
"""

from dataclasses import dataclass

GONE = "(no longer among the records)"  # records.jsonl changed since dedup wrote the link
NO_TITLE = "(no title)"


@dataclass(frozen=True)
class LinkedReport:
    """One record of the same trial: its ID and title, why dedup linked it, and the reviewer's own decision
    on it (whatever the screen keeps per record; None when the reviewer has not decided it)."""

    record_id: str
    title: str
    why: str
    mine: object


def linked_reports(record: dict, title_of, mine: dict) -> list[LinkedReport]:
    """The records dedup linked to ``record`` (a records.jsonl line) as the same trial. ``title_of(record_id)``
    gives a record's title (KeyError for a record no longer there); ``mine`` maps record IDs to the reviewer's
    own decisions."""
    from sysrev.dedup.trial_refs import same_trial_links

    reports = []
    for other, why in same_trial_links(record):
        try:
            title = str(title_of(other) or NO_TITLE)
        except KeyError:
            title = GONE
        reports.append(LinkedReport(other, title, why, mine.get(other)))
    return reports
