"""Where screening stands: each reviewer's current decisions, conflicts, reconciliations, stage decisions.

The title/abstract stage screens every deduplicated record; the full-text stage screens the records whose
title/abstract decision (after reconciliation) is include or maybe. For each record and stage:

* a reconciliation row (``screening/<stage>/reconciliation/*.csv``; the latest by timestamp) decides;
* otherwise the reviewers' latest decisions decide when at least ``reviewers_per_record`` reviewers screened
  it and all agree (at full text, exclusions must also agree on the reason, since PRISMA counts per reason);
* reviewers who disagree make a *conflict*; too few reviewers leave it *awaiting*; none leaves it *unscreened*.
"""

from dataclasses import dataclass, field

from sysrev.dedup import gone_record_ids, load_records, merged_ids
from sysrev.screening.config import STAGES, screening_config
from sysrev.screening.log import RECONCILIATION_DIR, ScreeningLogError, parse_timestamp, read_log
from sysrev.screening.merged import decision_key, fold_merged

FORWARDED = ("include", "maybe")  # title/abstract decisions that send a record to full text


@dataclass
class StageState:
    """Decisions of one stage."""

    stage: str
    eligible: list  # record IDs this stage screens, in records.jsonl order
    latest: dict  # reviewer -> {record_id: Decision}
    reconciled: dict  # record_id -> Decision
    reviewers_per_record: int
    outside: dict = field(default_factory=dict)  # record_id -> [Decision] on records not eligible here

    def votes(self, record_id) -> dict:
        """{reviewer: Decision} of every reviewer who screened ``record_id``."""
        return {r: d[record_id] for r, d in self.latest.items() if record_id in d}

    def status(self, record_id) -> str:
        """``decided``, ``conflict``, ``awaiting`` (too few reviewers) or ``unscreened``."""
        if record_id in self.reconciled:
            return "decided"
        votes = self.votes(record_id)
        if not votes:
            return "unscreened"
        if len({self._key(d) for d in votes.values()}) > 1:
            return "conflict"
        return "decided" if len(votes) >= self.reviewers_per_record else "awaiting"

    def final(self, record_id):
        """The Decision that counts for ``record_id`` at this stage, or None while undecided."""
        if record_id in self.reconciled:
            return self.reconciled[record_id]
        if self.status(record_id) != "decided":
            return None
        return next(iter(self.votes(record_id).values()))

    def conflicts(self) -> list:
        """Record IDs on which reviewers disagree and no reconciliation has settled it."""
        return [rid for rid in self.eligible if self.status(rid) == "conflict"]

    def _key(self, decision):
        return decision_key(self.stage, decision)


@dataclass
class Screening:
    """A project's screening: its settings, records and both stages (title/abstract, then full text)."""

    config: object
    records: list
    stages: dict
    problems: list = field(default_factory=list)
    # records merged by dedup whose copies a reviewer decided differently: counted as not yet screened by that
    # reviewer (they come back to the screen), reported without stopping anything (sysrev.screening.merged)
    notices: list = field(default_factory=list)

    @property
    def records_by_id(self) -> dict:
        return {r["record_id"]: r for r in self.records}


def load_screening(project, *, strict=True, records=None, read=read_log) -> Screening:
    """Read every decision log of ``project``.

    ``records`` are the project's deduplicated records when the caller already holds them (the web app keeps
    them between requests); by default they are read from ``records/records.jsonl``. ``read`` reads one log
    as :func:`read_log` does (the web app passes one that keeps each file's rows until the file changes).

    With ``strict`` (the default) any malformed or foreign row raises :class:`ScreeningLogError` listing
    every problem with its file and line; with ``strict=False`` the problems are returned on
    ``Screening.problems`` for display, and the bad rows are not counted.
    """
    config = screening_config(project)
    records = load_records(project) if records is None else records
    merged = merged_ids(records)
    known = {r["record_id"] for r in records} | set(merged)
    gone = gone_record_ids(project)  # records that left the review: a row naming one says so
    problems, notices = [], []
    stages = {}
    eligible = [r["record_id"] for r in records]
    for stage in STAGES:
        latest, reconciled = _read_stage(project.screening_dir, stage, config, known, gone, merged, problems,
                                          notices, read)
        state = StageState(stage, eligible, latest, reconciled, config.reviewers_per_record)
        eligible_set = set(eligible)
        for reviewer_decisions in list(latest.values()) + [reconciled]:
            for rid, decision in reviewer_decisions.items():
                if rid not in eligible_set:
                    state.outside.setdefault(rid, []).append(decision)
        stages[stage] = state
        # Only a record someone decided can go on; asking the others would cost a lookup per record.
        decided = set(reconciled).union(*latest.values())
        eligible = [rid for rid in eligible if rid in decided and (d := state.final(rid)) and d.decision in FORWARDED]
    if problems and strict:
        raise ScreeningLogError(problems)
    return Screening(config, records, stages, problems, notices)


def _read_stage(screening_dir, stage, config, known, gone, merged, problems, notices, read):
    """Latest decision per reviewer and record, and the reconciliation decisions, of one stage; rows naming a
    record that dedup merged into another count for that one (:mod:`sysrev.screening.merged`)."""
    folder = screening_dir / stage
    latest = {}
    reconciled = {}
    if not folder.is_dir():
        return latest, reconciled

    def rows(path):
        decisions, found = read(path, stage=stage, config=config, known_ids=known, gone_ids=gone)
        decisions, unsettled = fold_merged(path, decisions, merged, stage)
        problems.extend(found)
        notices.extend(unsettled)
        return decisions

    for path in sorted(folder.glob("*.csv")):
        latest[path.stem] = {d.record_id: d for d in rows(path)}  # later rows replace earlier ones
    for path in sorted((folder / RECONCILIATION_DIR).glob("*.csv")):
        decisions = rows(path)
        for d in decisions:
            held = reconciled.get(d.record_id)
            if held is None or held.path == d.path or parse_timestamp(d.timestamp) >= parse_timestamp(held.timestamp):
                reconciled[d.record_id] = d
    return latest, reconciled
