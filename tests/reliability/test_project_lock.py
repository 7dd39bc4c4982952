"""The project lock (issue 17, items 1 and 2): writers in separate processes never lose each other's work.

The processes are real (``subprocess``), each with its own ``TMPDIR`` and its own working folder, because
that is what broke the old lock kept in the temp folder: per-user temp folders meant per-user locks.
"""

import csv
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from sysrev.dedup import project_run
from sysrev.dedup.project_run import load_records, run_project
from sysrev.errors import SysrevError
from sysrev.locking import lock_path, project_lock
from sysrev.project import load_project
from sysrev.records import Record
from sysrev.screening.log import log_path
from sysrev.search.snapshot import write_snapshot

WRITERS = 8
ROWS_EACH = 15
REVIEW_TOML = '[review]\ntitle = "t"\nquestion = "q"\n'

APPEND_SCRIPT = textwrap.dedent("""
    import sys
    from sysrev.screening.log import Decision, append_decisions
    path, writer, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for n in range(rows):  # one append per row: as many read-modify-write cycles as possible
        append_decisions(path, [Decision(f"{writer}-{n:03d}", "include", "", "alice", "2024-01-01T10:00:00Z")])
""")
CLI_SCRIPT = "import sys; from sysrev.cli.main import cli; sys.exit(cli())"


def _env(tmp_root: Path, n: int) -> dict:
    """The environment of writer ``n``: a temp folder of its own, as per-user temp folders give."""
    tmpdir = tmp_root / f"tmp-{n}"
    tmpdir.mkdir()
    return {**os.environ, "TMPDIR": str(tmpdir), "TEMP": str(tmpdir), "TMP": str(tmpdir)}


def _project(tmp_path) -> Path:
    root = tmp_path / "review"
    root.mkdir()
    (root / "review.toml").write_text(REVIEW_TOML, encoding="utf-8")
    return root


def test_concurrent_appends_with_different_temp_and_working_folders_keep_every_row(tmp_path):
    root = _project(tmp_path)
    log = log_path(root / "screening", "title_abstract", "alice")
    writers = []
    for n in range(WRITERS):
        cwd = tmp_path / f"cwd-{n}"
        cwd.mkdir()
        # Half the writers name the log by a path relative to their own working folder.
        target = os.path.relpath(log, cwd) if n % 2 else str(log)
        writers.append(subprocess.Popen([sys.executable, "-c", APPEND_SCRIPT, target, f"w{n}", str(ROWS_EACH)],
                                        cwd=cwd, env=_env(tmp_path, n), stderr=subprocess.PIPE, text=True))
    for process in writers:
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
    with log.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["record_id", "decision"]
    ids = [row[0] for row in rows[1:]]
    expected = {f"w{n}-{k:03d}" for n in range(WRITERS) for k in range(ROWS_EACH)}
    assert len(ids) == WRITERS * ROWS_EACH and set(ids) == expected


def test_the_lock_lives_in_the_project_hidden_from_git_and_shared_across_users(tmp_path):
    root = _project(tmp_path)
    with project_lock(root):
        assert lock_path(root) == root / ".sysrev" / "lock" and lock_path(root).exists()
    assert (root / ".sysrev" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert lock_path(root).stat().st_mode & 0o666 == 0o666  # another account can open it to lock


def test_the_lock_is_reentrant_in_one_thread_and_excludes_other_threads(tmp_path):
    root = _project(tmp_path)
    order = []

    def other():
        with project_lock(root):
            order.append("other")

    with project_lock(root):
        with project_lock(root):  # a command holding the lock calls a library function that takes it
            thread = threading.Thread(target=other)
            thread.start()
            time.sleep(0.3)
            order.append("first")
    thread.join(timeout=10)
    assert order == ["first", "other"]


def test_a_held_lock_times_out_with_a_clear_error_and_nothing_written(tmp_path, monkeypatch):
    root = _project(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from sysrev.locking import project_lock
        with project_lock({str(root)!r}):
            print("held", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "1.5")
        log = log_path(root / "screening", "title_abstract", "alice")
        from sysrev.screening.log import Decision, append_decisions
        with pytest.raises(SysrevError, match="held the project lock"):
            append_decisions(log, [Decision("r1", "include", "", "alice", "2024-01-01T10:00:00Z")])
        assert not log.exists()
    finally:
        holder.kill()
        holder.wait()


TRIAL = dict(title="Ultrasound-guided versus fluoroscopy-guided facet joint injections: a randomised trial",
             authors=["Smith, John"], year=2015, journal="Pain Physician", volume="18", pages="575-86")
NEW_RIS = textwrap.dedent("""\
    TY  - JOUR
    ID  - c1
    TI  - Pulsed radiofrequency of the genicular nerves for chronic knee pain: a controlled trial
    AU  - Novak, Eva
    PY  - 2021
    JO  - Pain Medicine
    ER  -
    TY  - JOUR
    ID  - c2
    TI  - Epidural steroid injection under computed tomography guidance: a cohort of 300 patients
    AU  - Rossi, Marco
    PY  - 2019
    JO  - Spine Journal
    ER  -
    """)


def test_a_paused_dedup_cannot_overwrite_a_newer_import_and_dedup(tmp_path, monkeypatch):
    """Dedup A reads the snapshots, then stalls; meanwhile process B imports a file and runs dedup. B must wait
    for A (or A must refuse); either way the final records.jsonl holds B's imported records."""
    root = _project(tmp_path)
    write_snapshot(root / "searches" / "runs", "pubmed", [Record(source_id="111", pmid="111", **TRIAL)],
                   database="pubmed")
    export = tmp_path / "central.ris"
    export.write_text(NEW_RIS, encoding="utf-8")
    real = project_run.deduplicate
    seen = {}

    def stalled(*args, **kwargs):
        """While A is inside dedup, run B to completion or until B reports it waits for A's lock."""
        cwd = tmp_path / "b"
        cwd.mkdir()
        script = (f"{CLI_SCRIPT.split('; sys.exit')[0]}; import subprocess; "
                  f"cli(['import', {str(export)!r}, '--source', 'central', '--project', {str(root)!r}], "
                  "standalone_mode=False); "
                  f"cli(['dedup', '--project', {str(root)!r}], standalone_mode=False)")
        b = subprocess.Popen([sys.executable, "-c", script], cwd=cwd, env=_env(tmp_path, 99),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen["b"] = b
        first_err = b.stderr.readline()  # "waiting for the project lock …" once B blocks; "" if B just ends
        seen["waited"] = "waiting for the project lock" in first_err
        if not seen["waited"]:
            b.wait(timeout=120)
        return real(*args, **kwargs)

    monkeypatch.setattr(project_run, "deduplicate", stalled)
    run_project(load_project(root))
    monkeypatch.setattr(project_run, "deduplicate", real)
    out, err = seen["b"].communicate(timeout=240)
    assert seen["b"].returncode == 0, err
    titles = {r["title"] for r in load_records(load_project(root))}
    assert any(t.startswith("Pulsed radiofrequency") for t in titles), titles
    assert any(t.startswith("Epidural steroid") for t in titles), titles
    assert seen["waited"]  # B was held back by A's lock rather than racing it
    assert json.loads((root / "records" / "dedup_summary.json").read_text())["records"] == 3


def test_a_killed_snapshot_write_leaves_no_hidden_folder_after_the_next_run(tmp_path):
    """Item 18: the ``.tmp-*`` folder of a writer killed mid-write is removed by the next snapshot write."""
    runs = _project(tmp_path) / "searches" / "runs"
    script = textwrap.dedent(f"""
        import os, sys
        from sysrev.records import Record
        from sysrev.search import snapshot
        def killed(*args):
            os.kill(os.getpid(), 9)  # SIGKILL between writing the files and renaming the folder
        snapshot.os.rename = killed
        snapshot.write_snapshot({str(runs)!r}, "pubmed", [Record(source_id="1", title="t")], database="pubmed")
    """)
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert process.returncode == -9, process.stderr
    assert [p.name[:5] for p in runs.iterdir()] == [".tmp-"]
    write_snapshot(runs, "pubmed", [Record(source_id="2", title="u")], database="pubmed")
    assert [p.name for p in runs.iterdir() if p.name.startswith(".")] == []
