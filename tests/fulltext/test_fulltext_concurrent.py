"""Two `sysrev fulltext fetch` runs settling the same record at once: the stored paper and its manifest
entry must agree (the entry's checksum is the file's), whichever run wrote last."""

import threading

from sysrev.fulltext import fetch as fetch_module
from sysrev.fulltext.fetch import fetch_fulltexts, records_to_fetch
from sysrev.fulltext.manifest import read_manifest, sha256, stored_file
from sysrev.fulltext.services import Found, Lookup

BOUND = 3.0  # seconds the first run waits for the second (only reached once the race is fixed)


class StubFinder:
    """Always finds ``content`` for a record (a different open copy per run, e.g. PMC vs a repository)."""

    def __init__(self, content: bytes):
        self.content = content

    def find(self, record):
        return Lookup(found=Found(content=self.content, fmt="xml", source="stub", url="http://127.0.0.1/x",
                                  licence="CC BY"))


def test_concurrent_fetches_leave_a_paper_matching_its_entry(project, monkeypatch):
    first_wrote, second_done = threading.Event(), threading.Event()
    real_write = fetch_module.atomic_write_bytes
    first_thread = []

    def write_then_wait(path, data):
        written = real_write(path, data)
        if threading.current_thread() in first_thread and not first_wrote.is_set():
            first_wrote.set()
            second_done.wait(BOUND)  # unfixed: the second run replaces the paper and records its entry now
        return written

    monkeypatch.setattr(fetch_module, "atomic_write_bytes", write_then_wait)
    records = records_to_fetch(project, record_ids=["r1"])

    def first_run():
        fetch_fulltexts(project, records, StubFinder(b"<article>copy one</article>"))

    def second_run():
        assert first_wrote.wait(BOUND)
        fetch_fulltexts(project, records, StubFinder(b"<article>copy two, longer</article>"))
        second_done.set()

    first, second = threading.Thread(target=first_run), threading.Thread(target=second_run)
    first_thread.append(first)
    first.start()
    second.start()
    first.join()
    second.join()
    entry = read_manifest(project)["r1"]
    path = stored_file(project, entry)
    assert path is not None, "the manifest's checksum matches no stored paper"
    assert sha256(path.read_bytes()) == entry.sha256
