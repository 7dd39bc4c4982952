"""Items 10-12: names too long for a file name, a full disk and a numerical overflow end in a clean ``error:``
(exit 2) or succeed, never in a traceback."""

import errno
import json

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.records import Record
from sysrev.search.partial import PartialRun
from sysrev.search.snapshot import list_snapshots, read_snapshot, write_snapshot

RIS = "TY  - JOUR\nID  - a1\nTI  - Ultrasound-guided facet injection: a trial\nPY  - 2020\nER  - \n"
LONG_NAMES = ["s" * 300, "研究" * 60]  # 300 bytes of ASCII; 360 bytes of UTF-8 CJK


@pytest.mark.parametrize("name", LONG_NAMES, ids=["ascii", "cjk"])
def test_a_long_import_source_gets_a_bounded_folder_and_keeps_its_full_name(tmp_path, name):
    ris = tmp_path / "export.ris"
    ris.write_text(RIS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(ris), "--source", name, "--out", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    [run] = list_snapshots(tmp_path / "runs")
    assert len(run.name.encode()) < 255
    manifest, records = read_snapshot(run)
    assert manifest["source"] == name and len(records) == 1


@pytest.mark.parametrize("name", LONG_NAMES, ids=["ascii", "cjk"])
def test_a_long_search_name_is_written_resumed_and_found_again(tmp_path, name):
    partial = PartialRun(tmp_path, name)
    partial.start({"query": "q"}, resume=False)
    partial.add_batch("b1", [Record(source_id="1", title="t")])
    assert len(partial.dir.name.encode()) < 255
    again = PartialRun(tmp_path, name)
    assert again.start({"query": "q"}, resume=True) and again.count == 1
    run = write_snapshot(tmp_path, name, [Record(source_id="1", title="t")], database="pubmed")
    assert list_snapshots(tmp_path, name) == [run]
    assert json.loads((run / "manifest.json").read_text(encoding="utf-8"))["name"] == name


@pytest.mark.parametrize("study", ["Park " * 60, "研" * 100], ids=["300-chars", "100-cjk"])
def test_rob_new_with_a_long_study_label(tmp_path, study):
    result = CliRunner().invoke(cli, ["rob", "new", study, "pain", "--dir", str(tmp_path / "rob")])
    assert result.exit_code == 0, result.output
    [form] = list((tmp_path / "rob").glob("*.toml"))
    assert len(form.name.encode()) < 255
    assert study.strip() in form.read_text(encoding="utf-8")


def test_a_full_disk_during_screen_import_is_a_clean_error_and_the_log_is_intact(tmp_path, monkeypatch):
    root = tmp_path / "review"
    root.mkdir()
    (root / "review.toml").write_text(
        '[review]\ntitle = "t"\n[screening]\nreviewers = ["alice", "bob"]\n'
        'exclusion_reasons = ["wrong population"]\nhighlight_terms = []\n', encoding="utf-8")
    titles = ["Ultrasound-guided facet joint injection trial", "Fluoroscopic sacroiliac joint injection study"]
    write_snapshot(root / "searches" / "runs", "pubmed",
                   [Record(source_id=str(i), pmid=str(i), title=t) for i, t in enumerate(titles, start=1)],
                   database="pubmed")
    runner = CliRunner()
    assert runner.invoke(cli, ["dedup", "--project", str(root)]).exit_code == 0
    log = root / "screening" / "title_abstract" / "alice.csv"
    log.parent.mkdir(parents=True)
    records = [json.loads(line) for line in (root / "records" / "records.jsonl").read_text().splitlines()]
    log.write_text(f"record_id,decision,reason,reviewer,timestamp\n{records[0]['record_id']},include,,alice,"
                   "2024-01-01T10:00:00Z\n", encoding="utf-8")
    before = log.read_bytes()
    export = tmp_path / "asreview.csv"
    export.write_text("record_id,title,abstract,included\n1," + titles[1] + ",,0\n", encoding="utf-8")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sysrev.fileio.os.fsync", disk_full)
    result = runner.invoke(cli, ["screen", "import", "--reviewer", "alice", "--format", "asreview", str(export),
                                 "--project", str(root)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "error:" in result.output and "No space left on device" in result.output
    assert log.read_bytes() == before
    assert [p.name for p in log.parent.iterdir()] == ["alice.csv"]  # no temporary file left behind


def test_an_overflowing_pool_is_a_clean_error_not_inf(tmp_path):
    data = tmp_path / "studies.csv"
    data.write_text("study,n1,mean1,sd1,n2,mean2,sd2\nA,1e18,5,1,1e18,4,1\nB,20,5,1,20,3,1\nC,25,4,2,25,4.5,2\n",
                    encoding="utf-8")
    runner = CliRunner()
    for extra in ([], ["--json"]):
        result = runner.invoke(cli, ["meta", "pool", str(data), "--measure", "MD", "--model", "random", *extra])
        assert result.exit_code == 2, (result.output, result.exception)
        assert "error: numerical overflow" in result.output and "'A'" in result.output
        assert "inf" not in result.output.replace("infinite", "")
