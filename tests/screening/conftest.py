"""A small, complete review project built in tmp_path for the screening and PRISMA tests.

Two search runs (PubMed 6 records, Scopus 4 records, 2 of them duplicates of PubMed records), the
deduplicated records (8, IDs r01–r08) with their dedup summary, and a review.toml with three reviewers.
The decision logs are written by each test, because they are what the tests are about.
"""

import json
import os
import textwrap

import pytest
from screening_fixture_data import REVIEW_TOML, TITLES, record_dict

from sysrev.project import load_project
from sysrev.records import Record
from sysrev.search.snapshot import write_snapshot


@pytest.fixture
def make_project(tmp_path):
    """Build the project; returns a function that writes ``logs`` ({relative path: csv text}) into it."""
    root = tmp_path / "review"
    root.mkdir()
    (root / "review.toml").write_text(REVIEW_TOML, encoding="utf-8")
    records = [record_dict(i, t) for i, t in enumerate(TITLES, start=1)]
    pubmed = [Record(source_id=r["pmid"], source="pubmed", title=r["title"], doi=r["doi"], pmid=r["pmid"])
              for r in records[:6]]
    scopus = [Record(source_id=f"2-s2.0-{i}", source="scopus", title=records[i - 1]["title"])
              for i in (1, 2, 7, 8)]  # r01 and r02 are duplicates of PubMed records
    runs = root / "searches" / "runs"
    write_snapshot(runs, "pubmed", pubmed, database="pubmed", query="ultrasound AND fluoroscopy")
    write_snapshot(runs, "scopus", scopus, database="scopus", query="TITLE-ABS-KEY(ultrasound)")
    (root / "records").mkdir()
    (root / "records" / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                   encoding="utf-8")
    (root / "records" / "dedup_summary.json").write_text(json.dumps(
        {"identified": {"pubmed": 6, "scopus": 4}, "duplicates_removed": 2, "records": 8}), encoding="utf-8")

    def build(logs=None):
        for relative, text in (logs or {}).items():
            path = root / "screening" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return load_project(root)

    return build


@pytest.fixture
def terminal():
    """A pseudo-terminal for the key readers: (master fd to type into, slave file the reader reads from)."""
    pty = pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal")
    pytest.importorskip("termios", reason="needs a POSIX terminal")
    master, slave = pty.openpty()
    stream = os.fdopen(slave, "rb", buffering=0)
    yield master, stream
    stream.close()
    os.close(master)
