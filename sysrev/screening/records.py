"""How outside identifiers (DOI, PMID, title) map onto the record IDs of the records a review screens
(``records/records.jsonl``, read by :func:`sysrev.dedup.load_records`)."""

import re
import unicodedata

from sysrev.normalise import normalise_doi, normalise_pmid


def normalise_title(title) -> str:
    """A title folded for matching: accents removed, lower case, only letters and digits, single spaces."""
    text = unicodedata.normalize("NFKD", str(title or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


class RecordMatcher:
    """Find a record ID from a DOI, then a PMID, then a normalised title (as reference managers export them).

    A key shared by several records (two records with one title) is ambiguous and matches nothing, so an
    import never guesses.
    """

    def __init__(self, records):
        self._by = {"doi": {}, "pmid": {}, "title": {}}
        for record in records:
            keys = {"doi": normalise_doi(record.get("doi")), "pmid": normalise_pmid(record.get("pmid")),
                    "title": normalise_title(record.get("title"))}
            for kind, key in keys.items():
                if key:
                    self._by[kind].setdefault(key, set()).add(record["record_id"])

    def match(self, *, doi="", pmid="", title="") -> tuple[str | None, str]:
        """``(record_id, how)``; ``record_id`` is None when nothing matches, and ``how`` then says why."""
        tried = []
        for kind, key in (("doi", normalise_doi(doi)), ("pmid", normalise_pmid(pmid)),
                          ("title", normalise_title(title))):
            if not key:
                continue
            hits = self._by[kind].get(key, set())
            if len(hits) == 1:
                return next(iter(hits)), kind
            tried.append(f"{kind} {'matches ' + str(len(hits)) + ' records' if hits else 'not found'}")
        return None, "; ".join(tried) if tried else "no DOI, PMID or title to match on"
