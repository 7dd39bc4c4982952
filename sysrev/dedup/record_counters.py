"""Issue fields that hold a record counter instead of the journal issue.

Some exports and converters write the reference manager's running record number (EndNote's ``rec-number``)
into the issue field. Read as issues, those numbers differ between any two records, so the issue veto
(:func:`sysrev.dedup.vetoes.issue_veto`) would call every duplicate pair of that export two publications and
deduplication would silently find nothing there.

A real issue field cannot look like a counter: journals number their issues from 1 to a few dozen a year (a
weekly reaches a few thousand over its life), so among a few dozen records of one export many share an issue
number. A counter gives every record its own integer, and those integers fill a run with few gaps (records
deleted from the library leave some). So when the records of one origin (one exported file or search run)
that state an issue number are at least :data:`MIN_RECORDS`, every one is a plain integer, nearly all are
different, and they span at most :data:`MAX_SPAN_RATIO` times as many numbers as there are distinct values,
the field is read as not stated for those records — as if the export had no issue field — and the run says so
once per origin. Every other field, and every other origin's issue field, is still compared as before.
"""

from collections import defaultdict

from sysrev.normalise import is_plain_number

# Fewer records than this cannot tell a counter from chance.
MIN_RECORDS = 20
# At least this share of the stated values are different (a counter repeats none; a source holding two
# libraries' numbers repeats many and is left alone).
MIN_DISTINCT_SHARE = 0.95
# A counter's values fill their span: the span (highest − lowest + 1) is at most this many times the number
# of distinct values (a quarter of the numbers may be missing, e.g. deleted records).
MAX_SPAN_RATIO = 1.25


def counter_issue_origins(records, origins) -> dict:
    """``{origin: (indexes of its records that state an issue, the numbers)}`` for every origin whose issue
    field is a record counter (see the module doc). ``origins[i]`` names where ``records[i]`` came from."""
    members = defaultdict(list)
    for i, origin in enumerate(origins):
        members[origin].append(i)
    found = {}
    for origin, indexes in members.items():
        stated = [i for i in indexes if str(records[i].issue or "").strip()]
        numbers = _counter_numbers([str(records[i].issue).strip() for i in stated])
        if numbers is not None:
            found[origin] = (stated, numbers)
    return found


def ignore_counter_issues(records, keys, origins) -> list:
    """Blank the issue keys of every origin whose issue field is a record counter (see the module doc).

    ``records``, ``keys`` and ``origins`` run in parallel (``origins[i]`` names where record ``i`` came from).
    Returns ``(record index, message)`` problems, one per such origin, on its first record.
    """
    problems = []
    for origin, (stated, numbers) in counter_issue_origins(records, origins).items():
        for i in stated:
            keys[i].issue = ""
            keys[i].issue_numbers = frozenset()
        first = origins.index(origin)
        problems.append((first, f"the issue field of {origin or 'these records'} gives {len(stated)} records "
                                f"{len(numbers)} different numbers running from {min(numbers)} to "
                                f"{max(numbers)}: a record counter (e.g. EndNote's record number), not "
                                "journal issues, so it is ignored when comparing these records"))
    return problems


def _counter_numbers(values: list) -> set | None:
    """The distinct values as integers when they look like a record counter, else None."""
    if len(values) < MIN_RECORDS or not all(is_plain_number(v) for v in values):
        return None
    numbers = {int(v) for v in values}
    if len(numbers) < MIN_DISTINCT_SHARE * len(values):
        return None
    if max(numbers) - min(numbers) + 1 > MAX_SPAN_RATIO * len(numbers):
        return None
    return numbers
