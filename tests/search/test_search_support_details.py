"""The search clients' support code at its edges: the partial run's records file is written as UTF-8 whatever the
process's locale encoding."""

from sysrev.search import partial
from sysrev.search.partial import PartialRun


def test_records_are_written_as_utf8_where_the_locale_encoding_is_ascii(tmp_path, monkeypatch):
    """In-process twin of test_client_details' C-locale subprocess test: ``open`` here stands for a process
    whose locale encoding is ASCII (a bare C locale), so a file opened without naming its encoding could not hold
    'Müller' or '中文'. (The subprocess test cannot be followed by a mutation tool whose mutant names are not ASCII:
    the C locale's process reads them from its environment garbled.)"""

    def ascii_locale_open(file, mode="r", buffering=-1, encoding=None, *args, **kwargs):
        if "b" not in mode and encoding is None:
            encoding = "ascii"
        return open(file, mode, buffering, encoding, *args, **kwargs)

    monkeypatch.setattr(partial, "open", ascii_locale_open, raising=False)
    run = PartialRun(tmp_path, "pubmed")
    run.start({}, resume=False)
    line = '{"source_id": "1", "title": "Müller 中文"}\n'
    run.add_lines("k@0", [("1", line)])
    assert (tmp_path / ".partial-pubmed" / "records.jsonl").read_bytes() == line.encode("utf-8")
    again = PartialRun(tmp_path, "pubmed")
    assert again.start({}, resume=True) is True
    assert again.kept() == (["1"], [line])
