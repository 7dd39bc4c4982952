"""Snapshots (contract 3): atomic write, manifest contents, read-back checks, listing."""

import json
from datetime import UTC, datetime

import pytest

from sysrev import __version__
from sysrev.errors import InputError
from sysrev.records import Record
from sysrev.search import snapshot
from sysrev.search.snapshot import list_snapshots, read_snapshot, source_ids_sha256, write_snapshot

NOW = datetime(2026, 11, 23, 19, 30, 5, tzinfo=UTC)


def _records(ids):
    return [Record(source_id=i, source="pubmed", title=f"Title {i}", pmid=i, year=2020) for i in ids]


def test_write_then_read_round_trip(tmp_path):
    recs = _records(["3", "1", "2"])
    recs[0].authors = ["Smith, J", "Écrivain, É"]
    path = write_snapshot(tmp_path, "pubmed", recs, database="pubmed", query="back pain[tiab]",
                          reported_count=3, extra={"query_translation": "back pain[Title/Abstract]",
                                                   "date_window": {"field": "pdat", "mindate": "2000",
                                                                   "maxdate": "2020"}}, now=NOW)
    assert path == tmp_path / "20261123T193005Z-pubmed"
    manifest, back = read_snapshot(path)
    assert [r.to_dict() for r in back] == [r.to_dict() for r in recs]
    assert manifest["database"] == "pubmed"
    assert manifest["query"] == "back pain[tiab]"
    assert manifest["query_translation"] == "back pain[Title/Abstract]"
    assert manifest["date_window"] == {"field": "pdat", "mindate": "2000", "maxdate": "2020"}
    assert manifest["reported_count"] == 3 and manifest["retrieved_count"] == 3
    assert manifest["source_ids_sha256"] == source_ids_sha256(["1", "2", "3"])
    assert manifest["tool_version"] == __version__
    assert manifest["gaps"] == []
    assert manifest["created"] == "2026-11-23T19:30:05Z"
    lines = (path / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["source_id"] == "3"


def test_hash_is_order_independent():
    assert source_ids_sha256(["b", "a"]) == source_ids_sha256(["a", "b"])
    assert source_ids_sha256(["a"]) != source_ids_sha256(["a", "b"])


def test_duplicate_source_ids_refused(tmp_path):
    with pytest.raises(ValueError, match="duplicate source_id"):
        write_snapshot(tmp_path, "pubmed", _records(["1", "1"]), database="pubmed")
    assert list(tmp_path.iterdir()) == []


def test_extra_cannot_override_counts(tmp_path):
    with pytest.raises(ValueError, match="retrieved_count"):
        write_snapshot(tmp_path, "x", _records(["1"]), database="pubmed", extra={"retrieved_count": 5})


def test_same_second_gets_next_free_name(tmp_path):
    a = write_snapshot(tmp_path, "pubmed", _records(["1"]), database="pubmed", now=NOW)
    b = write_snapshot(tmp_path, "pubmed", _records(["2"]), database="pubmed", now=NOW)
    assert a.name == "20261123T193005Z-pubmed" and b.name == "20261123T193006Z-pubmed"
    assert list_snapshots(tmp_path) == [a, b]


def test_crash_during_write_leaves_no_snapshot(tmp_path, monkeypatch):
    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(snapshot.os, "rename", boom)
    with pytest.raises(OSError, match="disk full"):
        write_snapshot(tmp_path, "pubmed", _records(["1", "2"]), database="pubmed", now=NOW)
    assert [p.name for p in tmp_path.iterdir()] == [".sysrev"]  # only the lock folder (sysrev.locking)
    assert list_snapshots(tmp_path) == []


def test_list_snapshots_ignores_hidden_and_filters_by_name(tmp_path):
    write_snapshot(tmp_path, "scopus", _records(["s"]), database="scopus", now=NOW)
    p = write_snapshot(tmp_path, "pubmed", _records(["1"]), database="pubmed",
                       now=NOW.replace(minute=31))
    (tmp_path / ".tmp-pubmed-abc").mkdir()
    (tmp_path / "not-a-run").mkdir()
    assert [x.name for x in list_snapshots(tmp_path)] == ["20261123T193005Z-scopus", "20261123T193105Z-pubmed"]
    assert list_snapshots(tmp_path, "pubmed") == [p]
    assert list_snapshots(tmp_path / "missing") == []


def test_read_detects_edited_records(tmp_path):
    path = write_snapshot(tmp_path, "pubmed", _records(["1", "2"]), database="pubmed")
    lines = (path / "records.jsonl").read_text().splitlines()
    (path / "records.jsonl").write_text(lines[0] + "\n")
    with pytest.raises(InputError, match="holds 1 records but the manifest says 2"):
        read_snapshot(path)
    (path / "records.jsonl").write_text(lines[0] + "\n" + lines[0].replace('"1"', '"9"') + "\n")
    with pytest.raises(InputError, match="source_ids_sha256"):
        read_snapshot(path)


def test_read_names_file_and_line_of_bad_record(tmp_path):
    path = write_snapshot(tmp_path, "pubmed", _records(["1", "2"]), database="pubmed")
    text = (path / "records.jsonl").read_text().splitlines()
    (path / "records.jsonl").write_text(text[0] + "\n{not json\n")
    with pytest.raises(InputError) as info:
        read_snapshot(path)
    assert "records.jsonl" in str(info.value) and "line 2" in str(info.value)


def test_read_missing_manifest(tmp_path):
    with pytest.raises(InputError, match="manifest.json is missing"):
        read_snapshot(tmp_path)


def test_bad_name_refused(tmp_path):
    with pytest.raises(ValueError, match="invalid snapshot name"):
        write_snapshot(tmp_path, "../x", [], database="pubmed")
