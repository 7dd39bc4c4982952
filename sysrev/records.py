"""The bibliographic Record every stage exchanges, and its JSON-lines form.

A Record is one reference as one source delivered it (a PubMed article, a row of a Scopus export, an entry
of a RIS file), normalised so that later stages compare like with like. The fields are the contract of a
search run's ``records.jsonl`` (../shared/DESIGN.md section 3). Field normalisation helpers (DOI, PMID,
pages, titles, authors) live beside it in :mod:`sysrev.normalise`.
"""

import copy
from dataclasses import dataclass, field, fields

_LIST_FIELDS = ("authors", "keywords", "publication_types")


@dataclass
class Record:
    """One normalised bibliographic record.

    ``source_id`` is the identifier the source gave the record (PMID, Scopus EID, a RIS ``ID``, a BibTeX
    key, a CSV id column, or ``<file>:<n>`` when the source has none). ``authors`` holds "Family, Given"
    strings in the order printed. Empty values are ``""`` for text, ``None`` for ``year``, ``[]`` for lists.
    ``extra`` keeps source-specific fields that have no column of their own, so nothing a source said is lost.
    """

    source_id: str
    source: str = ""
    title: str = ""
    abstract: str = ""
    authors: list = field(default_factory=list)
    year: int | None = None
    journal: str = ""
    journal_abbrev: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    issn: str = ""
    language: str = ""
    publication_types: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    url: str = ""
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """A plain dict for JSON, with every field present; its lists and dicts are copies, so changing the
        dict leaves the record as it was (as ``dataclasses.asdict`` does, at a fifth of its cost, which
        dedup pays for every record twice)."""
        return {name: _copied(getattr(self, name)) for name in _FIELD_NAMES}

    @classmethod
    def from_dict(cls, data: dict) -> "Record":
        """Build a Record from a dict (e.g. one line of records.jsonl); unknown keys go to ``extra``."""
        known = _FIELD_SET
        kwargs = {k: v for k, v in data.items() if k in known}
        unknown = {k: v for k, v in data.items() if k not in known}
        if unknown:
            kwargs["extra"] = {**kwargs.get("extra", {}), **unknown}
        for name in _LIST_FIELDS:
            if kwargs.get(name) is None:
                kwargs[name] = []
        if "source_id" not in kwargs:
            raise ValueError("record has no source_id")
        return cls(**kwargs)


_FIELD_NAMES = tuple(f.name for f in fields(Record))
_FIELD_SET = frozenset(_FIELD_NAMES)


def _copied(value):
    """A deep copy of ``value``, a JSON-like value: lists, tuples and dicts are rebuilt, text and numbers are
    shared (they cannot change); anything else is copied by ``copy.deepcopy``."""
    if isinstance(value, (str, int, float, type(None))):
        return value
    if isinstance(value, list):
        return [_copied(item) for item in value]
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_copied(item) for item in value)
    return copy.deepcopy(value)
