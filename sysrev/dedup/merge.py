"""One merged record per duplicate cluster, keeping the most complete value of each field.

Databases fill different fields (one has the abstract, another the DOI, a third the full author list), so
the merged record takes each field from the member that has the most of it, rather than copying one member.
Nothing is lost: the list of every source record is kept beside the merged record (see project_run).
"""

from collections import Counter

from sysrev.dedup.keys import title_text
from sysrev.normalise import expand_pages
from sysrev.records import Record

_FIRST_FILLED = ("doi", "pmid", "pmcid", "issn", "language", "url", "volume", "issue", "journal_abbrev")
_LONGEST = ("abstract", "journal")


def _filled(record: Record) -> int:
    return sum(bool(v) for k, v in record.to_dict().items() if k not in ("extra", "source", "source_id"))


def merge_records(records: list[Record]) -> Record:
    """The merged record of one cluster (``records`` in their input order; the fullest one is the base)."""
    if len(records) == 1:
        return Record.from_dict(records[0].to_dict())
    ranked = sorted(records, key=_filled, reverse=True)  # stable: ties keep input order
    base = ranked[0]
    merged = Record.from_dict(base.to_dict())
    for name in _FIRST_FILLED:
        setattr(merged, name, next((getattr(r, name) for r in ranked if getattr(r, name)), ""))
    for name in _LONGEST:
        setattr(merged, name, max((getattr(r, name) or "" for r in ranked), key=len))
    merged.title = max((r.title or "" for r in ranked), key=lambda t: len(title_text(t)))
    merged.authors = list(max((r.authors or [] for r in ranked), key=lambda a: (len(a), sum(map(len, a)))))
    merged.pages = max((r.pages or "" for r in ranked), key=lambda p: ("-" in expand_pages(p), len(p)))
    years = Counter(r.year for r in ranked if r.year is not None)
    if base.year is None and years:
        merged.year = years.most_common(1)[0][0]
    for name in ("publication_types", "keywords"):
        seen = []
        for r in ranked:
            seen.extend(v for v in getattr(r, name) or [] if v not in seen)
        setattr(merged, name, seen)
    extra = {}
    for r in reversed(ranked):
        extra.update(r.extra or {})
    merged.extra = extra
    return merged
