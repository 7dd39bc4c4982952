"""Measure deduplication against labelled sets: pairwise false positives, false negatives and sensitivity.

Scoring is pairwise: every pair of records inside one true duplicate cluster is a true pair; a predicted
pair (two records put in one cluster) that is not a true pair is a false positive — two different studies
merged — and a true pair the prediction does not join is a false negative.

The labelled sets this reads are in the layout of the bib-dedupe benchmark (``records_pre_merged.csv``, one
row per record with BibTeX-like columns, and ``merged_record_ids.csv``, one ``;``-joined cluster per row),
the layout the public dedup benchmarks use, or CoLRev's dedupe test layout (``records.bib`` and
``records_expected.bib``, where each expected record's ``colrev_origin`` lists the origins it merges).
"""

import csv
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from sysrev.errors import InputError
from sysrev.normalise import parse_author, parse_year
from sysrev.records import Record

# bib-dedupe / BibTeX column → Record field
_COLUMNS = {"title": "title", "journal": "journal", "volume": "volume", "number": "issue", "issue": "issue",
            "pages": "pages", "doi": "doi", "abstract": "abstract", "pmid": "pmid", "url": "url",
            "language": "language"}


@dataclass
class PairwiseScore:
    records: int
    true_pairs: int
    predicted_pairs: int
    false_positives: int
    false_negatives: int

    @property
    def sensitivity(self) -> float:
        found = self.true_pairs - self.false_negatives
        return found / self.true_pairs if self.true_pairs else 1.0


def cluster_pairs(clusters) -> set:
    """Every unordered pair of members of every cluster (members are any hashable IDs)."""
    pairs = set()
    for members in clusters:
        for a, b in combinations(sorted(set(members)), 2):
            pairs.add((a, b))
    return pairs


def pairwise_score(n_records: int, predicted_clusters, true_clusters) -> tuple[PairwiseScore, set, set]:
    """Score predicted against true clusters; also return the false-positive and false-negative pairs."""
    predicted, true = cluster_pairs(predicted_clusters), cluster_pairs(true_clusters)
    fp, fn = predicted - true, true - predicted
    return PairwiseScore(n_records, len(true), len(predicted), len(fp), len(fn)), fp, fn


def split_authors(value: str) -> list[str]:
    """BibTeX ``A and B`` or ``A; B`` author fields as ``Family, Given`` strings."""
    text = (value or "").strip()
    if not text:
        return []
    parts = text.split(" and ") if " and " in text else text.split(";")
    return [a for a in (parse_author(p) for p in parts) if a]


def record_from_row(row: dict) -> Record:
    """A :class:`Record` from one row of a bib-dedupe style CSV (or a bib-dedupe test-case dict)."""
    fields = {target: str(row.get(col) or "").strip() for col, target in _COLUMNS.items() if row.get(col)}
    extra = {k: v for k, v in row.items() if k in ("ENTRYTYPE", "booktitle") and v}
    return Record(source_id=str(row.get("ID", "")), source="labelled", authors=split_authors(row.get("author")),
                  year=parse_year(row.get("year")), extra=extra, **fields)


def load_labelled_set(folder) -> tuple[list[Record], list[list[str]]]:
    """Records and true clusters (lists of record IDs) of a bib-dedupe style labelled folder."""
    folder = Path(folder)
    records_path, clusters_path = folder / "records_pre_merged.csv", folder / "merged_record_ids.csv"
    for path in (records_path, clusters_path):
        if not path.is_file():
            raise InputError("labelled set file missing", path=path)
    with records_path.open(encoding="utf-8", newline="") as fh:
        records = [record_from_row(row) for row in csv.DictReader(fh)]
    with clusters_path.open(encoding="utf-8", newline="") as fh:
        clusters = [row["merged_ids"].split(";") for row in csv.DictReader(fh) if row.get("merged_ids")]
    return records, clusters


def _bib_entries(path: Path) -> list[dict]:
    import bibtexparser

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    parser = bibtexparser.bparser.BibTexParser(common_strings=True, ignore_nonstandard_types=False)
    return bibtexparser.loads(text, parser=parser).entries


def _origins(entry: dict) -> set:
    return {o.strip() for o in re.split(r"[;\n]", entry.get("colrev_origin", "")) if o.strip()}


def load_colrev_set(folder) -> tuple[list[Record], list[list[str]]]:
    """Records and true clusters of a CoLRev dedupe test folder (``records.bib``, ``records_expected.bib``)."""
    folder = Path(folder)
    entries = _bib_entries(folder / "records.bib")
    expected = [_origins(e) for e in _bib_entries(folder / "records_expected.bib")]
    records, clusters = [], {}
    for entry in entries:
        row = {k: re.sub(r"[{}]", "", v) for k, v in entry.items()}
        records.append(record_from_row(row))
        origins = _origins(entry)
        owner = next((n for n, merged in enumerate(expected) if origins and origins <= merged), None)
        if owner is None:
            raise InputError(f"record {entry['ID']} is in no expected record", path=folder / "records_expected.bib")
        clusters.setdefault(owner, []).append(entry["ID"])
    return records, [c for c in clusters.values() if len(c) > 1]
