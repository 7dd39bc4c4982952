"""`fulltext fetch`'s bookkeeping in detail, with a scripted finder: which records are asked (named ones,
once each; what is settled is skipped), the manifest row each outcome writes, the file name a record ID
gets, the progress counts, the summary `--json` prints, and the manifest read back (or refused, naming the
line)."""

import re
from datetime import UTC, datetime

import pytest

from sysrev.errors import InputError
from sysrev.fulltext.fetch import fetch_fulltexts, records_to_fetch
from sysrev.fulltext.manifest import Entry, read_manifest, sha256, stored_file, write_manifest
from sysrev.fulltext.services import Found, Lookup
from sysrev.search.http import DeadlineExceeded, HttpError
from sysrev.search.progress import Progress

WHEN = "2026-12-03T10:00:00Z"


class ScriptedFinder:
    """Answers each record ID from a script: a Lookup, or an exception to raise; records the IDs asked."""

    def __init__(self, script):
        self.script, self.asked = script, []

    def find(self, record):
        self.asked.append(record["record_id"])
        answer = self.script[record["record_id"]]
        if isinstance(answer, Exception):
            raise answer
        return answer


def found(content=b"<article/>", fmt="xml", notes=()):
    return Lookup(Found(content, fmt, "pmc", "https://example.org/x", "cc-by"), list(notes))


def test_one_manifest_row_per_outcome(project):
    records = [{"record_id": "a/b c", "doi": " 10.1/x "}, {"record_id": "n1", "doi": "10.1/n"},
               {"record_id": "n2"}, {"record_id": "f1", "doi": "10.1/f"}]
    finder = ScriptedFinder({"a/b c": found(b"%PDF-1", "pdf", ["PMC ID converter: not in PMC", "more"]),
                             "n1": Lookup(None, ["Unpaywall: DOI unknown", "other"]), "n2": Lookup(),
                             "f1": HttpError("https://x: HTTP 503; gave up after 4 attempts", status=503)})
    progress = Progress("full texts", enabled=False)
    summary = fetch_fulltexts(project, records, finder, progress=progress, now=WHEN)
    assert (progress.total, progress.done) == (4, 4)
    assert read_manifest(project) == {
        "a/b c": Entry("a/b c", "retrieved", source="pmc", url="https://example.org/x", licence="cc-by",
                       format="pdf", file="files/a_b_c-0af99a609169.pdf", sha256=sha256(b"%PDF-1"), retrieved=WHEN,
                       doi_link="https://doi.org/10.1/x", note="PMC ID converter: not in PMC; more"),
        "n1": Entry("n1", "needs_library_access", retrieved=WHEN, doi_link="https://doi.org/10.1/n",
                    note="Unpaywall: DOI unknown; other"),
        "n2": Entry("n2", "needs_library_access", retrieved=WHEN, note="no open copy found"),
        "f1": Entry("f1", "failed", retrieved=WHEN, doi_link="https://doi.org/10.1/f",
                    note="https://x: HTTP 503; gave up after 4 attempts (asked again on the next run)")}
    assert (project.root / "fulltext" / "files" / "a_b_c-0af99a609169.pdf").read_bytes() == b"%PDF-1"
    assert summary.as_dict() == {
        "retrieved": 1, "needs_library_access": 2, "failed": 1, "already_settled": 0,
        "needs_library_access_records": [{"record_id": "n1", "doi_link": "https://doi.org/10.1/n"},
                                         {"record_id": "n2", "doi_link": ""}],
        "failed_records": [{"record_id": "f1",
                            "note": "https://x: HTTP 503; gave up after 4 attempts (asked again on the next run)"}]}


def test_a_service_past_its_deadline_leaves_the_record_failed_and_the_run_goes_on(project):
    finder = ScriptedFinder({"r1": DeadlineExceeded("https://x: no usable answer within the request deadline "
                                                    "of 300 s; last problem: HTTP 503"), "r2": found()})
    summary = fetch_fulltexts(project, [{"record_id": "r1"}, {"record_id": "r2"}], finder, now=WHEN)
    manifest = read_manifest(project)
    assert (manifest["r1"].status, manifest["r2"].status) == ("failed", "retrieved")
    assert manifest["r1"].note == ("https://x: no usable answer within the request deadline of 300 s; last problem: "
                                   "HTTP 503 (asked again on the next run)")
    assert [e.record_id for e in summary.failed] == ["r1"]


@pytest.mark.parametrize("record_id, stem", [
    ("R000007", "R000007"), ("12345678", "12345678"), ("XR1.v2_a-B", "XR1.v2_a-B"), ("_" + "x" * 99, "_" + "x" * 99),
    ("XR1:v2", "XR1_v2-7d69a3c8de93"), ("a/b:c d", "a_b_c_d-6f86e44f61a7"),
    ("..hidden", "hidden-27b2a250c550"), ("...", "record-ab5df625bc76"), ("X" * 101, "X" * 80 + "-e37fcd3be643"),
    ("é" + "x" * 120, "_" + "x" * 79 + "-c0a2210baa5c"),
])
def test_file_names_for_record_ids(project, record_id, stem):
    fetch_fulltexts(project, [{"record_id": record_id}], ScriptedFinder({record_id: found()}), now=WHEN)
    assert read_manifest(project)[record_id].file == f"files/{stem}.xml"
    assert (project.root / "fulltext" / "files" / f"{stem}.xml").is_file()


@pytest.mark.parametrize("ids", [("a/b", "a:b", "a_b"), ("Smith2020", "smith2020", "SMITH2020")])
def test_record_ids_one_file_system_would_confuse_keep_a_file_each(project, ids):
    """IDs that differ only in characters a file name cannot hold, or only in letter case (which macOS and
    Windows ignore), must not overwrite one another's full text."""
    finder = ScriptedFinder({record_id: found(record_id.encode()) for record_id in ids})
    fetch_fulltexts(project, [{"record_id": record_id} for record_id in ids], finder, now=WHEN)
    manifest = read_manifest(project)
    names = {manifest[record_id].file.lower() for record_id in ids}
    assert len(names) == len(ids)
    for record_id in ids:
        assert stored_file(project, manifest[record_id]).read_bytes() == record_id.encode()


def test_what_is_settled_is_not_asked_again(project):
    stored = b"<article>kept</article>"
    (project.root / "fulltext" / "files").mkdir(parents=True)
    (project.root / "fulltext" / "files" / "ok.xml").write_bytes(stored)
    write_manifest(project, {
        "ok": Entry("ok", "retrieved", file="files/ok.xml", sha256=sha256(stored)),
        "gone": Entry("gone", "retrieved", file="files/gone.xml", sha256=sha256(stored)),
        "lib": Entry("lib", "needs_library_access"), "bad": Entry("bad", "failed")})
    records = [{"record_id": rid} for rid in ("ok", "gone", "lib", "bad", "new")]
    finder = ScriptedFinder({rid: Lookup() for rid in ("ok", "gone", "lib", "bad", "new")})
    progress = Progress("full texts", enabled=False)
    summary = fetch_fulltexts(project, records, finder, progress=progress, now=WHEN)
    assert finder.asked == ["gone", "bad", "new"] and summary.already == 2 and progress.total == 3
    finder.asked.clear()
    fetch_fulltexts(project, records, finder, recheck=True, now=WHEN)
    assert finder.asked == ["gone", "lib", "bad", "new"]  # recheck: library access asked again; ok still kept


def test_retrieved_time_is_now_in_utc_when_not_given(project, clock_east_of_utc):
    before = datetime.now(UTC).replace(microsecond=0)
    fetch_fulltexts(project, [{"record_id": "r1"}], ScriptedFinder({"r1": Lookup()}))
    retrieved = read_manifest(project)["r1"].retrieved
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", retrieved)
    assert before <= datetime.strptime(retrieved, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) <= datetime.now(UTC)


def test_named_records_once_each_in_the_order_given(project):
    assert [r["record_id"] for r in records_to_fetch(project, record_ids=["r3", "r1", "r3"])] == ["r3", "r1"]
    with pytest.raises(InputError, match=r"^unknown record IDs x, y \(not in records/records.jsonl\)$"):
        records_to_fetch(project, record_ids=["x", "r1", "y"])
    with pytest.raises(InputError, match=r"^stage 'screening' is not one of title_abstract, full_text$"):
        records_to_fetch(project, stage="screening")


def manifest_file(project, text):
    path = project.root / "fulltext" / "manifest.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_manifest_written_sorted_and_read_back(project):
    assert read_manifest(project) == {}
    entries = {"r2": Entry("r2", "failed", note="a, \"quoted\"\nnote"), "r1": Entry("r1", "needs_library_access")}
    path = write_manifest(project, entries)
    assert path.read_bytes().decode("utf-8") == (  # one "\n" per line, whatever the platform
        "record_id,status,source,url,licence,format,file,sha256,retrieved,doi_link,note\n"
        "r1,needs_library_access,,,,,,,,,\n" 'r2,failed,,,,,,,,,"a, ""quoted""\nnote"\n')
    assert read_manifest(project) == entries
    manifest_file(project, "record_id,status\nr3,retrieved\n")  # missing columns read as empty
    assert read_manifest(project) == {"r3": Entry("r3", "retrieved")}


@pytest.mark.parametrize("text, message", [
    ("id,state\nr1,retrieved\n", "line 1: the header lacks record_id, status"),
    ("record_id,note\nr1,x\n", "line 1: the header lacks status"),
    ("", "line 1: the header lacks record_id, status"),
    ("record_id,status\nr1,retrieved\nr2,fetched\n",
     "line 3, column 'status': status 'fetched' is not one of retrieved, needs_library_access, failed"),
])
def test_a_damaged_manifest_is_refused_naming_the_line(project, text, message):
    path = manifest_file(project, text)
    with pytest.raises(InputError) as error:
        read_manifest(project)
    assert str(error.value) == f"{path}, {message}"


def test_problems_collected_and_the_good_rows_kept(project):
    path = manifest_file(project, "record_id,status\nr1,fetched\nr2,failed\nr3,\n")
    problems = []
    assert read_manifest(project, problems) == {"r2": Entry("r2", "failed")}
    assert [str(p) for p in problems] == [
        f"{path}, line 2, column 'status': status 'fetched' is not one of retrieved, needs_library_access, failed",
        f"{path}, line 4, column 'status': status '' is not one of retrieved, needs_library_access, failed"]


def test_stored_file_only_when_retrieved_present_and_unchanged(project):
    data = b"<article/>"
    folder = project.root / "fulltext" / "files"
    folder.mkdir(parents=True)
    (folder / "r1.xml").write_bytes(data)
    good = Entry("r1", "retrieved", file="files/r1.xml", sha256=sha256(data))
    assert stored_file(project, good) == folder / "r1.xml"
    assert sha256(data) == "3300d3ff5406efdf74bbba5d46a8b156f99c455df7d70dedd3370433a0105ca9"  # sha256sum
    for entry in (Entry("r1", "failed", file="files/r1.xml", sha256=sha256(data)),
                  Entry("r1", "retrieved", file="", sha256=sha256(data)),
                  Entry("r1", "retrieved", file="files/r2.xml", sha256=sha256(data)),
                  Entry("r1", "retrieved", file="files", sha256=sha256(data)),
                  Entry("r1", "retrieved", file="files/r1.xml", sha256=sha256(b"other"))):
        assert stored_file(project, entry) is None, entry
