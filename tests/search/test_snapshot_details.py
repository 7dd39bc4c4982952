"""Snapshots and imports in detail: the manifest byte for byte, the identifier hash computed independently,
UTC under a clock far from it, every refusal of a damaged snapshot in full, listing and naming, and what an
import records about its files (dialect, single file, earlier imports of the same file)."""

import hashlib
import json
from datetime import UTC, datetime

import pytest

from sysrev import __version__
from sysrev.errors import InputError, SysrevError
from sysrev.records import Record
from sysrev.search.imports import earlier_imports, prepare_import, write_import
from sysrev.search.snapshot import (
    check_name,
    list_snapshots,
    read_snapshot,
    source_ids_sha256,
    source_label,
    write_snapshot,
)

NOW = datetime(2026, 11, 23, 19, 30, 5, tzinfo=UTC)
RIS = "TY  - JOUR\nID  - {id}\nTI  - {title}\nPY  - 2020\nER  - \n\n"


def _records(ids, **kw):
    return [Record(source_id=i, source="pubmed", title=f"Titel {i} über", **kw) for i in ids]


def test_the_manifest_byte_for_byte_and_records_in_plain_utf8(tmp_path, clock_east_of_utc):
    path = write_snapshot(tmp_path, "pubmed", _records(["2", "10"]), database="pubmed", query="q", now=NOW)
    assert path.name == "20261123T193005Z-pubmed"  # the UTC time, not the machine's (13 hours ahead)
    digest = hashlib.sha256(b"10\n2").hexdigest()  # sorted as text, joined by line breaks
    expected = {"created": "2026-11-23T19:30:05Z", "database": "pubmed", "date_window": None, "gaps": [],
                "name": "pubmed", "query": "q", "query_translation": None, "reported_count": None,
                "retrieved_count": 2, "source_ids_sha256": digest, "tool": "sysrev", "tool_version": __version__}
    assert (path / "manifest.json").read_text(encoding="utf-8") == json.dumps(expected, indent=2) + "\n"
    assert source_ids_sha256(["2", "10"]) == digest
    assert "Titel 2 über" in (path / "records.jsonl").read_text(encoding="utf-8")  # not \u00fc


def test_records_given_as_dicts_are_written_as_records(tmp_path):
    path = write_snapshot(tmp_path, "scopus", [r.to_dict() for r in _records(["a"])], database="scopus", now=NOW)
    assert [r.title for r in read_snapshot(path)[1]] == ["Titel a über"]


def test_without_a_given_time_the_folder_is_stamped_now_in_utc(tmp_path, clock_east_of_utc):
    before = datetime.now(UTC).replace(microsecond=0)
    path = write_snapshot(tmp_path, "pubmed", _records(["1"]), database="pubmed")
    stamp = datetime.strptime(path.name.split("-")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= datetime.now(UTC)


def test_refusals_of_what_a_snapshot_cannot_hold(tmp_path):
    with pytest.raises(ValueError) as info:
        write_snapshot(tmp_path, "pubmed", _records(["1", "2", "1", "3", "2", "1"]), database="pubmed", now=NOW)
    assert str(info.value) == "snapshot 'pubmed': duplicate source_ids 1, 2"
    with pytest.raises(ValueError) as info:
        write_snapshot(tmp_path, "pubmed", _records(["1"]), database="pubmed", extra={"tool": "x", "name": "y"})
    assert str(info.value) == "extra may not set computed manifest keys: name, tool"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["", ".hidden", "a/b", "a\\b", " pubmed", "pubmed "])
def test_names_that_cannot_be_folder_names_are_refused(name):
    with pytest.raises(ValueError) as info:
        check_name(name)
    assert str(info.value) == (f"invalid snapshot name {name!r}: use a plain file-name-safe word such as 'pubmed'")


@pytest.mark.parametrize("name", ["pubmed", "cochrane-central", "pubmed.2024", "a.b-c_d"])
def test_plain_names_are_accepted(name):
    check_name(name)


def test_listing_keeps_hyphenated_names_apart_and_runs_in_order(tmp_path):
    for minute, name in ((3, "pubmed"), (1, "pubmed-update"), (2, "pubmed"), (0, "cochrane-central")):
        write_snapshot(tmp_path, name, _records(["1"]), database="file", now=NOW.replace(minute=minute))
    (tmp_path / ".partial-20261123T190000Z-pubmed").mkdir()
    (tmp_path / "notes").mkdir()  # no manifest: not a snapshot
    assert [p.name for p in list_snapshots(tmp_path, "pubmed")] == ["20261123T190205Z-pubmed",
                                                                    "20261123T190305Z-pubmed"]
    assert [p.name for p in list_snapshots(tmp_path, "pubmed-update")] == ["20261123T190105Z-pubmed-update"]
    assert [p.name for p in list_snapshots(tmp_path)] == [
        "20261123T190005Z-cochrane-central", "20261123T190105Z-pubmed-update", "20261123T190205Z-pubmed",
        "20261123T190305Z-pubmed"]
    assert list_snapshots(tmp_path, "scopus") == [] and list_snapshots(tmp_path / "none") == []


def test_a_blank_line_in_records_does_not_hide_the_records_after_it(tmp_path):
    path = write_snapshot(tmp_path, "pubmed", _records(["1", "2"]), database="pubmed", now=NOW)
    lines = (path / "records.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (path / "records.jsonl").write_text(lines[0] + "\n" + lines[1], encoding="utf-8")
    assert [r.source_id for r in read_snapshot(path)[1]] == ["1", "2"]


RESTORE = ("Restore its records.jsonl (git checkout, or a backup), or delete the run's folder and run the search "
           "or import again")


def test_every_damage_to_a_snapshot_is_named_in_full(tmp_path):
    path = write_snapshot(tmp_path, "pubmed", _records(["1", "2"]), database="pubmed", now=NOW)
    manifest, records = path / "manifest.json", path / "records.jsonl"
    good_manifest, good_records = manifest.read_text(encoding="utf-8"), records.read_text(encoding="utf-8")

    def refusal():
        with pytest.raises(InputError) as info:
            read_snapshot(path)
        return str(info.value)

    records.write_text(good_records.splitlines(keepends=True)[0], encoding="utf-8")
    assert refusal() == (f"{records}: holds 1 records but the manifest says 2; the snapshot was modified after it "
                         f"was written. {RESTORE}")
    records.write_text(good_records.replace('"source_id": "2"', '"source_id": "3"'), encoding="utf-8")
    assert refusal() == (f"{records}: record identifiers do not match the manifest's source_ids_sha256; the "
                         f"snapshot was modified after it was written. {RESTORE}")
    records.unlink()
    assert refusal() == f"{path}: records.jsonl is missing"
    records.write_text(good_records, encoding="utf-8")
    manifest.write_text("[1, 2]\n", encoding="utf-8")
    assert refusal() == f"{manifest}: manifest must be a JSON object"
    manifest.write_text("{", encoding="utf-8")
    assert refusal().startswith(f"{manifest}: invalid JSON: Expecting property name")
    manifest.unlink()
    assert refusal() == f"{path}: not a search-run snapshot: manifest.json is missing"
    manifest.write_text(good_manifest, encoding="utf-8")
    assert [r.source_id for r in read_snapshot(path)[1]] == ["1", "2"]


def test_source_labels_of_databases_and_of_imported_files():
    assert source_label("pubmed", "123", "20261123T193005Z-pubmed") == "pubmed:123"
    assert source_label("file", "ris:4", "20261123T193005Z-cochrane-central") == "file/cochrane-central:ris:4"


def _ris(tmp_path, name, ids):
    path = tmp_path / name
    path.write_text("".join(RIS.format(id=i, title=f"Trial {i}") for i in ids), encoding="utf-8")
    return path


def test_an_import_of_one_file_records_the_file_and_its_dialect(tmp_path):
    source = _ris(tmp_path, "export.ris", ["1", "2"])
    prepared = prepare_import([source], "Cochrane CENTRAL", reported_count=2)
    assert prepared.name == "cochrane-central" and prepared.warnings == []
    one = prepared.described[0]
    assert prepared.manifest_extra == {
        "source": "Cochrane CENTRAL", "files": prepared.described, "warnings": [],
        "file": {"name": "export.ris", "size": source.stat().st_size, "sha256": one["sha256"]},
        "format": "ris", "dialect": one["dialect"], "encoding": one["encoding"]}
    assert one["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_an_import_of_several_files_names_them_and_their_shortfall(tmp_path):
    first, second = _ris(tmp_path, "part1.ris", ["1", "2"]), _ris(tmp_path, "part2.ris", ["2", "3"])
    prepared = prepare_import([first, second], reported_count=5)
    assert prepared.name == "part1" and "file" not in prepared.manifest_extra
    assert [f["name"] for f in prepared.manifest_extra["files"]] == ["part1.ris", "part2.ris"]
    assert prepared.warnings == [
        "1 record has an identifier already used in another of the files (2); kept as '<id>#2' …",
        "the database reported 5 records but the files hold 4: is an export file missing, or was the export "
        "limited?"]
    one = prepare_import([first], reported_count=3)
    assert one.warnings == ["the database reported 3 records but the file holds 2: is an export file missing, or "
                            "was the export limited?"]


def test_an_import_reads_each_file_with_the_options_given(tmp_path):
    cut = tmp_path / "cut.ris"
    cut.write_text(RIS.format(id="1", title="Whole") + "TY  - JOUR\nID  - 2\nTI  - Cut", encoding="utf-8")
    with pytest.raises(InputError):
        prepare_import([cut])
    kept = prepare_import([cut], allow_truncated=True)
    assert [r.title for r in kept.records] == ["Whole"]
    assert kept.warnings[0].startswith("cut.ris, line 7: ")  # the file's name, not the path typed here
    text = tmp_path / "records.txt"
    text.write_text(RIS.format(id="7", title="Seven"), encoding="utf-8")
    assert [r.source for r in prepare_import([text], "embase", format_name="ris").records] == ["embase"]


def test_a_repeated_import_is_found_by_its_files_hashes(tmp_path):
    runs = tmp_path / "runs"
    single, split = _ris(tmp_path, "a.ris", ["1"]), [_ris(tmp_path, "b.ris", ["2"]), _ris(tmp_path, "c.ris", ["3"])]
    first = write_import(prepare_import([single], "central"), runs)
    second = write_import(prepare_import(split, "central"), runs)
    (runs / "20200101T000000Z-broken").mkdir()
    (runs / "20200101T000000Z-broken" / "manifest.json").write_text("{", encoding="utf-8")
    (runs / "20200102T000000Z-odd").mkdir()
    (runs / "20200102T000000Z-odd" / "manifest.json").write_text("[]", encoding="utf-8")
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (single, split[1])}
    assert earlier_imports(runs, hashes) == [first, second]
    assert earlier_imports(runs, {"0" * 64}) == []


def test_the_manifest_keeps_letters_as_they_are(tmp_path):
    path = write_snapshot(tmp_path, "pubmed", _records(["1"]), database="pubmed", query="Müller[au] AND 痛み",
                          now=NOW)
    assert '"query": "Müller[au] AND 痛み"' in (path / "manifest.json").read_text(encoding="utf-8")


def test_a_folder_left_by_a_killed_write_is_removed_by_the_next_write(tmp_path):
    leftover = tmp_path / ".tmp-0123456789ab"
    leftover.mkdir()
    (leftover / "records.jsonl").write_text("{}\n", encoding="utf-8")
    write_snapshot(tmp_path, "pubmed", _records(["1"]), database="pubmed", now=NOW)
    assert not leftover.exists() and [p.name for p in list_snapshots(tmp_path)] == ["20261123T193005Z-pubmed"]


def _database_ris(tmp_path, name, database, ids):
    path = tmp_path / name
    path.write_text("".join(RIS.format(id=i, title=f"Trial {i}").replace("ER  - ", f"DB  - {database}\nER  - ")
                            for i in ids), encoding="utf-8")
    return path


def test_without_a_source_an_import_is_named_by_the_database_its_files_agree_on(tmp_path):
    embase = [_database_ris(tmp_path, "e1.ris", "Embase", ["1"]), _database_ris(tmp_path, "e2.ris", "Embase", ["2"])]
    agreed = prepare_import(embase)
    assert (agreed.name, agreed.manifest_extra["source"]) == ("embase", "embase")
    two = r"different sources \(databases or tools\): e1.ris \(embase\), p.ris \(psycinfo\)"
    with pytest.raises(SysrevError, match=two):
        prepare_import([embase[0], _database_ris(tmp_path, "p.ris", "PsycINFO", ["3"])])  # two searches, not one
    plain = prepare_import([_ris(tmp_path, "My Export (2).ris", ["4"])])
    assert (plain.name, plain.manifest_extra["source"]) == ("my-export-2", "file")
