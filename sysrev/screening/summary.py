"""Progress and agreement per stage: what `sysrev screen status` prints and the report shows.

Agreement is computed for every pair of reviewers on the records both screened at that stage (their latest
decisions), on the scale of decisions either of them used (see :mod:`sysrev.screening.agreement`).
"""

from itertools import combinations

from sysrev.screening.agreement import agreement, contingency_table
from sysrev.screening.config import DECISIONS


def stage_summary(screening, stage) -> dict:
    """Counts and agreement of one stage as a JSON-ready dict."""
    state = screening.stages[stage]
    eligible = set(state.eligible)
    statuses = {}
    for rid in state.eligible:
        statuses[state.status(rid)] = statuses.get(state.status(rid), 0) + 1
    reviewers = {}
    for reviewer in screening.config.reviewers:
        mine = {rid: d for rid, d in state.latest.get(reviewer, {}).items() if rid in eligible}
        if not mine and reviewer not in state.latest:
            continue
        counts = {value: sum(1 for d in mine.values() if d.decision == value) for value in DECISIONS}
        reviewers[reviewer] = {"screened": len(mine), "left": len(eligible) - len(mine), **counts}
    finals = [state.final(rid) for rid in state.eligible]
    decided = {value: sum(1 for d in finals if d and d.decision == value) for value in DECISIONS}
    return {
        "stage": stage,
        "records": len(state.eligible),
        "decided": statuses.get("decided", 0),
        "conflicts": statuses.get("conflict", 0),
        "awaiting_second_reviewer": statuses.get("awaiting", 0),
        "unscreened": statuses.get("unscreened", 0),
        "reconciled": sum(1 for rid in state.reconciled if rid in eligible),
        "reviewers_per_record": state.reviewers_per_record,
        "decisions": decided,
        "reviewers": reviewers,
        "agreement": pairwise_agreement(state, [r for r in screening.config.reviewers if r in reviewers]),
        "outside_stage": sorted(state.outside),
    }


def pairwise_agreement(state, reviewers) -> list:
    """Agreement statistics for every pair of ``reviewers`` with at least one record screened by both."""
    eligible = set(state.eligible)
    result = []
    for a, b in combinations(reviewers, 2):
        first, second = state.latest.get(a, {}), state.latest.get(b, {})
        shared = [rid for rid in state.eligible if rid in first and rid in second and rid in eligible]
        if not shared:
            continue
        pairs = [(first[rid].decision, second[rid].decision) for rid in shared]
        used = [c for c in DECISIONS if any(c in pair for pair in pairs)]
        used += [c for c in DECISIONS if c not in used][: max(0, 2 - len(used))]  # a scale has >= 2 values
        table, categories = contingency_table(pairs, used)
        stats = agreement(table, categories).to_dict()
        result.append({"reviewers": [a, b], "table": table.astype(int).tolist(), **stats})
    return result
