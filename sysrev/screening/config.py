"""The ``[screening]`` table of ``review.toml``: who screens, why records are excluded, what to highlight.

Contract 7 keys (required): ``reviewers`` (names, which are also the log file names), ``exclusion_reasons``
(the controlled list a full-text exclusion must use) and ``highlight_terms`` (shown highlighted on the
screen). Optional keys:

* ``reviewers_per_record`` (default 1): how many reviewers must screen a record before their agreeing
  decisions count as the stage's decision. Set it to 2 for Cochrane-style independent dual screening;
  a record screened by fewer is then "awaiting a second reviewer".
* ``not_retrieved_reason``: the exclusion reason that means "full text could not be retrieved" (PRISMA counts
  those reports as *not retrieved*, not as *excluded*). Default: the first reason that mentions retrieval.
"""

import re
from dataclasses import dataclass

from sysrev.errors import InputError

STAGES = ("title_abstract", "full_text")
STAGE_LABEL = {"title_abstract": "title/abstract", "full_text": "full text"}
DECISIONS = ("include", "exclude", "maybe")
# The orders the screen can show records in (sysrev.screening.ordering) and the tools whose exports
# `sysrev screen import` reads (sysrev.screening.imports): declared here, with the other names of the stage,
# so the command line can offer them without loading the ranking model or the record matcher.
ORDERS = ("relevance", "random", "file")
IMPORT_FORMATS = ("rayyan", "covidence", "asreview", "decisions")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_RETRIEVAL = re.compile(r"retriev|not obtain|not available|no full.?text", re.IGNORECASE)


@dataclass(frozen=True)
class ScreeningConfig:
    """The screening settings of one project, validated."""

    reviewers: tuple
    exclusion_reasons: tuple
    highlight_terms: tuple
    reviewers_per_record: int = 1
    not_retrieved_reason: str | None = None


def screening_config(project) -> ScreeningConfig:
    """Read and check ``[screening]`` of the project's review.toml; errors name the file and the key."""
    path = project.config_path
    table = project.config.get("screening")
    if not isinstance(table, dict):
        raise InputError("missing [screening] table (keys: reviewers, exclusion_reasons, highlight_terms)",
                         path=path)

    def string_list(key, *, allow_empty=False):
        if key not in table:
            raise InputError(f"[screening] has no '{key}' key", path=path)
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise InputError(f"[screening] {key} must be a list of non-empty strings", path=path)
        if not value and not allow_empty:
            raise InputError(f"[screening] {key} is empty", path=path)
        entries = tuple(v.strip() for v in value)  # "alice " is alice: one reviewer, one log file
        if len(set(entries)) != len(entries):
            raise InputError(f"[screening] {key} lists the same entry twice", path=path)
        return entries

    reviewers = string_list("reviewers")
    for name in reviewers:
        if not _NAME.match(name):
            raise InputError(f"[screening] reviewers: {name!r} is not usable as a file name "
                             "(letters, digits, '.', '_', '-')", path=path)
    reasons = string_list("exclusion_reasons")
    terms = string_list("highlight_terms", allow_empty=True)

    per_record = table.get("reviewers_per_record", 1)
    if not isinstance(per_record, int) or isinstance(per_record, bool) or not 1 <= per_record <= len(reviewers):
        raise InputError(f"[screening] reviewers_per_record must be a whole number from 1 to {len(reviewers)}",
                         path=path)

    not_retrieved = table.get("not_retrieved_reason")
    if not_retrieved is None:
        not_retrieved = next((r for r in reasons if _RETRIEVAL.search(r)), None)
    elif not_retrieved not in reasons:
        raise InputError(f"[screening] not_retrieved_reason {not_retrieved!r} is not one of exclusion_reasons",
                         path=path)
    return ScreeningConfig(reviewers, reasons, terms, per_record, not_retrieved)
