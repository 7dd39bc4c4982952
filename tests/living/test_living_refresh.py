"""`sysrev refresh`: living updates of every strategy, the inbox, dedup against history, the to-do list."""

import json
from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from growing_pubmed import GrowingPubmed
from living_project import CENTRAL_RIS, make_project

from sysrev.cli.main import cli
from sysrev.project import load_project
from sysrev.screening.state import load_screening


def _today():
    return datetime.now(UTC).date()


def _records(root):
    return [json.loads(line) for line in (root / "records" / "records.jsonl").read_text().splitlines()]


def test_refresh_queues_only_new_records_and_a_second_run_adds_nothing(tmp_path, eutils_server, monkeypatch):
    root = make_project(tmp_path / "review")
    (root / "searches" / "central.toml").write_text('database = "file"\nsource = "CENTRAL"\n', encoding="utf-8")
    corpus = GrowingPubmed(5, start=date(2010, 1, 1), end=date(2020, 12, 31))
    server = eutils_server(corpus)
    runner = CliRunner()

    first = runner.invoke(cli, ["refresh", "--project", str(root), "--json"])
    assert first.exit_code == 0, first.output
    out = json.loads(first.output)
    assert out["searches"][0]["action"] == "full" and out["searches"][0]["retrieved"] == 5
    assert out["dedup"]["new_record_ids"] == [f"R{i:06d}" for i in range(1, 6)]
    assert out["todo"]["screening"]["title_abstract"]["unscreened"] == 5

    # A month later: 3 records entered in PubMed, and a CENTRAL export in the inbox holding one record PubMed
    # already gave (same DOI and title as the first PubMed record) and one new one.
    later = _today() + timedelta(days=30)
    monkeypatch.setattr("sysrev.living.refresh._today", lambda: later)
    new_pmids = corpus.enter(3, entered=_today())
    inbox = root / "searches" / "inbox" / "central"
    inbox.mkdir(parents=True)
    (inbox / "central-2026.ris").write_text(CENTRAL_RIS.format(pmid=corpus.records[0][0]), encoding="utf-8")
    before = {r["record_id"]: r for r in _records(root)}

    second = runner.invoke(cli, ["refresh", "--project", str(root), "--json"])
    assert second.exit_code == 0, second.output
    out = json.loads(second.output)
    pubmed = out["searches"][0]
    assert pubmed["action"] == "update" and pubmed["retrieved"] == 3 and pubmed["new"] == 3
    esearch = server.requests("esearch")[-1][2]
    assert esearch["datetype"] == "edat"
    assert esearch["mindate"] == (_today() - timedelta(days=3)).strftime("%Y/%m/%d")  # last run less 3 days
    assert out["imports"] == [{"strategy": "central", "files": ["central-2026.ris"], "records": 2,
                               "snapshot": out["imports"][0]["snapshot"], "warnings": [], "action": "imported"}]
    # 3 PubMed + 1 CENTRAL record are new; the CENTRAL copy of a known record joins that record's ID.
    new_ids = ["R000006", "R000007", "R000008", "R000009"]
    assert out["dedup"]["new_record_ids"] == new_ids and out["dedup"]["duplicates_removed"] == 1
    after = {r["record_id"]: r for r in _records(root)}
    assert sorted(after[rid]["pmid"] for rid in new_ids if after[rid]["pmid"]) == new_pmids
    assert [after[rid]["title"] for rid in new_ids if not after[rid]["pmid"]] == [
        "A hand-searched trial of paravertebral drug T in chronic sciatica"]
    assert all(before[rid]["title"] == after[rid]["title"] for rid in before)  # old IDs kept their records
    assert not list(inbox.glob("*.ris")) and (inbox / "imported" / "central-2026.ris").is_file()
    screening = load_screening(load_project(root))
    assert [rid for rid in screening.stages["title_abstract"].eligible
            if screening.stages["title_abstract"].status(rid) == "unscreened"] == sorted(after)

    # Same day again (the clock back to the day the update ran): no request, no new snapshot, records.jsonl
    # byte for byte the same.
    monkeypatch.setattr("sysrev.living.refresh._today", _today)
    runs = sorted(p.name for p in (root / "searches" / "runs").iterdir())
    records_bytes = (root / "records" / "records.jsonl").read_bytes()
    requests = len(server.requests())
    third = runner.invoke(cli, ["refresh", "--project", str(root)])
    assert third.exit_code == 0, third.output
    assert "pubmed (pubmed): already run today without gaps; skipped" in third.output
    assert "0 new queued for screening" in third.output and "title/abstract: 9 records waiting" in third.output
    assert sorted(p.name for p in (root / "searches" / "runs").iterdir()) == runs
    assert (root / "records" / "records.jsonl").read_bytes() == records_bytes
    assert len(server.requests()) == requests


def test_dry_run_sends_nothing_and_writes_nothing(tmp_path, eutils_server):
    root = make_project(tmp_path / "review")
    server = eutils_server(GrowingPubmed(3))
    result = CliRunner().invoke(cli, ["refresh", "--project", str(root), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "pubmed (pubmed): would run a full search (first run)" in result.output
    assert not server.requests() and not (root / "searches" / "runs").exists() and not (root / "records").exists()


def test_an_export_outside_a_strategy_folder_is_an_error(tmp_path, eutils_server):
    root = make_project(tmp_path / "review")
    eutils_server(GrowingPubmed(3))
    (root / "searches" / "inbox").mkdir()
    (root / "searches" / "inbox" / "export.ris").write_text(CENTRAL_RIS.format(pmid=1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["refresh", "--project", str(root)])
    assert result.exit_code == 2
    assert "export.ris: the inbox takes one folder per database = \"file\" strategy" in result.output


def test_an_empty_living_window_fails_that_search_with_exit_code_2(tmp_path, eutils_server, monkeypatch):
    """An entry-date maxdate in the past makes `--since last` impossible: an error, not '0 new'."""
    root = make_project(tmp_path / "review")
    (root / "searches" / "pubmed.toml").write_text(
        'database = "pubmed"\nquery = "back pain AND drug T"\ndatetype = "edat"\nmaxdate = "2014"\n',
        encoding="utf-8")
    eutils_server(GrowingPubmed(3, start=date(2010, 1, 1), end=date(2013, 12, 31)))
    runner = CliRunner()
    assert runner.invoke(cli, ["refresh", "--project", str(root)]).exit_code == 0
    monkeypatch.setattr("sysrev.living.refresh._today", lambda: _today() + timedelta(days=30))
    result = runner.invoke(cli, ["refresh", "--project", str(root)])
    assert result.exit_code == 2
    assert "error: 1 search failed: pubmed: the living-update window" in result.output
    assert "is empty" in result.output


def test_a_cut_off_inbox_export_stops_the_refresh_before_anything_is_written(tmp_path, eutils_server):
    """The inbox is read by the same reader as `sysrev import`: a file cut off mid-record is an error naming
    it and its line, with nothing searched, imported or moved; --allow-truncated imports the complete records."""
    root = make_project(tmp_path / "review")
    (root / "searches" / "central.toml").write_text('database = "file"\nsource = "CENTRAL"\n', encoding="utf-8")
    server = eutils_server(GrowingPubmed(3))
    inbox = root / "searches" / "inbox" / "central"
    inbox.mkdir(parents=True)
    cut = CENTRAL_RIS.format(pmid=1)[:-len("Journal\nPY  - 2025\nER  - \n")]  # the second record loses its end
    (inbox / "central.ris").write_text(cut, encoding="utf-8")
    refused = CliRunner().invoke(cli, ["refresh", "--project", str(root)])
    assert refused.exit_code == 2
    assert "central.ris, line 7: the last record has no closing 'ER' line" in refused.output
    assert not server.requests() and not (root / "searches" / "runs").exists()
    assert (inbox / "central.ris").is_file()
    allowed = CliRunner().invoke(cli, ["refresh", "--project", str(root), "--allow-truncated"])
    assert allowed.exit_code == 0, allowed.output
    assert "inbox/central: imported 1 file, 1 record" in allowed.output
    assert "1 incomplete record was dropped and 1 kept" in allowed.output


def test_the_owner_file_excel_keeps_beside_an_open_workbook_is_no_export(tmp_path, eutils_server):
    """A workbook open in Excel has a "~$name.xlsx" file beside it: not an export, and no reason to stop."""
    root = make_project(tmp_path / "review")
    (root / "searches" / "central.toml").write_text('database = "file"\nsource = "CENTRAL"\n', encoding="utf-8")
    eutils_server(GrowingPubmed(3))
    inbox = root / "searches" / "inbox" / "central"
    inbox.mkdir(parents=True)
    (inbox / "central.ris").write_text(CENTRAL_RIS.format(pmid=1), encoding="utf-8")
    (inbox / "~$central.xlsx").write_bytes(b"\x05reviewer" + bytes(150))
    result = CliRunner().invoke(cli, ["refresh", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "inbox/central: imported 1 file, 2 records" in result.output
    assert (inbox / "~$central.xlsx").is_file()
