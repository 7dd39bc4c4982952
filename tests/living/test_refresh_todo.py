"""The to-do list `sysrev refresh` ends with: what waits for people, and "nothing waits" only when nothing does."""

from sysrev.cli.refresh import format_todo

NOTHING = "  nothing waits: the review is up to date"


def _stage(unscreened=0, awaiting=0, conflicts=0, left=None):
    return {"unscreened": unscreened, "awaiting_second_reviewer": awaiting, "conflicts": conflicts,
            "reviewers": {name: {"left": n} for name, n in (left or {}).items()}}


def _status(ta=None, ft=None, pending=(), analyses=()):
    return {"screening": {"title_abstract": ta or _stage(), "full_text": ft or _stage()},
            "studies": {"pending": list(pending)}, "analyses": list(analyses)}


def test_an_empty_list_says_nothing_waits():
    assert format_todo(_status()) == ["  title/abstract: 0 records waiting",
                                      "  full texts to assess: 0 records waiting", NOTHING]


def test_records_per_reviewer_and_conflicts_are_counted():
    lines = format_todo(_status(ta=_stage(unscreened=1, awaiting=2, conflicts=1, left={"ana": 3, "ben": 0})))
    assert lines == ["  title/abstract: 3 records waiting (left per reviewer: ana 3); 1 conflict to reconcile",
                     "  full texts to assess: 0 records waiting"]


def test_conflicts_alone_still_wait():
    lines = format_todo(_status(ft=_stage(conflicts=2)))
    assert lines == ["  title/abstract: 0 records waiting",
                     "  full texts to assess: 0 records waiting; 2 conflicts to reconcile"]


def test_pending_studies_changed_analyses_and_a_screening_error_wait():
    pending = [{"stage": "extraction", "study": "Park 2013", "outcome": "pain"},
               {"stage": "study", "study": "r12", "outcome": ""}]
    analyses = [{"name": "pain", "status": "complete", "inputs_changed": True, "why": "extraction rows"},
                {"name": "odi", "status": "complete", "inputs_changed": False, "why": ""},
                {"name": "harms", "status": None, "inputs_changed": True, "why": "no results file yet"}]
    assert format_todo(_status(pending=pending, analyses=analyses))[2:] == [
        "  included records not assigned to a study: r12", "  extraction missing: Park 2013 (pain)",
        "  analysis pain: inputs changed (extraction rows): `sysrev meta run`",
        "  analysis harms: not run yet: `sysrev meta run`"]
    assert format_todo({"screening": {"error": "a log is malformed"}}) == ["  screening: a log is malformed"]
