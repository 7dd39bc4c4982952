"""A refresh killed mid-search (SIGKILL, no chance to clean up) and run again: nothing lost, nothing twice,
nothing half-written."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date

from growing_pubmed import GrowingPubmed
from living_project import make_project

from sysrev.search.snapshot import list_snapshots, read_snapshot

CLI = [sys.executable, "-c", "from sysrev.cli.main import cli; cli()"]


def _wait_for(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _done(path):
    """The batches a partial run has marked done (its state.json is replaced atomically, so never torn)."""
    return json.loads(path.read_text(encoding="utf-8")).get("done", []) if path.is_file() else []


def test_refresh_killed_mid_search_resumes_without_loss_or_duplicates(tmp_path, eutils_server):
    root = make_project(tmp_path / "review")
    corpus = GrowingPubmed(1500, start=date(2001, 1, 1), end=date(2020, 12, 31), minimal=True)
    server = eutils_server(corpus)
    # The third batch (records 1001-1500) hangs, so the process is killed with two batches saved.
    server.fault("efetch", "slow", seconds=30, match={"retstart": "1000"})
    env = {**os.environ, "SYSREV_EUTILS_URL": server.url, "SYSREV_CONFIG": str(tmp_path / "no-config.toml")}
    state = root / "searches" / "runs" / ".partial-pubmed" / "state.json"
    process = subprocess.Popen([*CLI, "refresh", "--project", str(root)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        assert _wait_for(lambda: len(_done(state)) >= 2), "the first two batches never reached the disk"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert not list_snapshots(root / "searches" / "runs")  # no snapshot, and no half-written one counted
    assert not (root / "records" / "records.jsonl").exists()

    rerun = subprocess.run([*CLI, "refresh", "--project", str(root), "--json"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    out = json.loads(rerun.stdout)
    assert out["searches"][0]["retrieved"] == 1500
    runs = root / "searches" / "runs"
    snapshots = list_snapshots(runs)
    assert len(snapshots) == 1
    manifest, records = read_snapshot(snapshots[0])  # checks count and identifier hash against the manifest
    assert manifest["resumed"] is True
    assert sorted(r.source_id for r in records) == sorted(p for p, _, _ in corpus.records)
    assert not [p.name for p in runs.iterdir() if p.name.startswith(".")]  # no partial or temporary folder
    merged = [json.loads(line) for line in (root / "records" / "records.jsonl").read_text().splitlines()]
    assert len(merged) == 1500 and len({r["record_id"] for r in merged}) == 1500
    assert sorted(r["pmid"] for r in merged) == sorted(p for p, _, _ in corpus.records)
    # Batches marked done before the kill were not fetched again; the hanging one was.
    retstarts = [entry[2].get("retstart") for entry in server.requests("efetch")]
    assert retstarts.count("0") == 1 and retstarts.count("500") == 1
