"""The project lock (issue 17, items 1 and 2): writers in separate processes never lose each other's work.

The processes are real (``subprocess``), each with its own ``TMPDIR`` and its own working folder, because
that is what broke the old lock kept in the temp folder: per-user temp folders meant per-user locks. The
first test runs the command of the report itself (ten ``sysrev screen import`` at once); against the code
before the fix it keeps 76 of the 190 decisions.
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
SCREENING_TOML = '[screening]\nreviewers = ["alice"]\nexclusion_reasons = ["wrong population"]\nhighlight_terms = []\n'

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


IMPORTS, ROWS_PER_IMPORT = 10, 19  # the report's reproduction: 10 imports of 19 rows kept 76–114 of 190
# Each process waits at a gate (a file the test creates once all have started) and then runs the sysrev
# command itself, as the `sysrev` console script does, so that their read-modify-write cycles overlap.
GATED_CLI = textwrap.dedent("""
    import os, sys, time
    gate = sys.argv.pop(1)
    while not os.path.exists(gate):
        time.sleep(0.005)
    from sysrev.cli.main import cli
    sys.argv[0] = "sysrev"
    cli()
""")


def _screening_project(root: Path, n_records: int) -> None:
    root.mkdir()
    (root / "review.toml").write_text(REVIEW_TOML + SCREENING_TOML, encoding="utf-8")
    (root / "records").mkdir()
    records = [{"record_id": f"r{i:03d}", "source_id": str(i), "title": f"Trial number {i} of a nerve block",
                "doi": f"10.1000/trial.{i}", "year": 2020} for i in range(n_records)]
    (root / "records" / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                                    encoding="utf-8")


def _asreview_export(path: Path, numbers) -> None:
    """An ASReview export of the records ``numbers``, each labelled relevant."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["record_id", "title", "doi", "asreview_label", "asreview_time", "asreview_note"])
        for i in numbers:
            out.writerow([i, f"Trial number {i} of a nerve block", f"10.1000/trial.{i}", 1, "2024-03-02 10:15:00",
                          ""])


def test_concurrent_screen_imports_with_their_own_temp_and_working_folders_keep_every_row(tmp_path):
    """Issue 17, item 1, as it was found: ten `sysrev screen import` commands at once, each in a working folder
    of its own (naming the project by a relative path) with a TMPDIR of its own, one file of 19 decisions
    each. Every one of the 190 decisions is in the log exactly once, and the log is one well-formed table."""
    root = tmp_path / "review"
    _screening_project(root, IMPORTS * ROWS_PER_IMPORT)
    gate = tmp_path / "gate"
    imports = []
    for n in range(IMPORTS):
        cwd = tmp_path / f"cwd-{n}"
        cwd.mkdir()
        export = cwd / "asreview.csv"
        _asreview_export(export, range(n * ROWS_PER_IMPORT, (n + 1) * ROWS_PER_IMPORT))
        command = ["screen", "import", "--reviewer", "alice", "--format", "asreview",
                   "--project", os.path.relpath(root, cwd), "asreview.csv"]
        imports.append(subprocess.Popen([sys.executable, "-c", GATED_CLI, str(gate), *command], cwd=cwd,
                                        env=_env(tmp_path, n), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True))
    time.sleep(1.0)  # let every interpreter start and wait at the gate
    gate.touch()
    for process in imports:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
        assert f"added {ROWS_PER_IMPORT} decisions" in out, out
    log = log_path(root / "screening", "title_abstract", "alice")
    with log.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["record_id", "decision"] and header.count("record_id") == 1
    assert all(len(row) == len(header) for row in body)
    assert all(row[1] == "include" for row in body)
    ids = sorted(row[0] for row in body)
    assert ids == sorted(f"r{i:03d}" for i in range(IMPORTS * ROWS_PER_IMPORT))  # each exactly once
    checked = subprocess.run([sys.executable, "-c", CLI_SCRIPT, "screen", "status", "--project", str(root)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr


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


def test_a_held_lock_times_out_with_a_clear_error_and_nothing_written(tmp_path, monkeypatch,
                                                                     lock_held_by_another_process):
    root = _project(tmp_path)
    with lock_held_by_another_process(root):
        monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "1.5")
        log = log_path(root / "screening", "title_abstract", "alice")
        from sysrev.screening.log import Decision, append_decisions
        with pytest.raises(SysrevError, match="held the project lock"):
            append_decisions(log, [Decision("r1", "include", "", "alice", "2024-01-01T10:00:00Z")])
        assert not log.exists()


def test_a_release_waits_for_the_project_lock(tmp_path, monkeypatch, lock_held_by_another_process):
    """`sysrev release` reruns every analysis (rewriting analysis/results/) and freezes the project: while
    another command holds the lock it writes nothing and says why (before, it went ahead regardless)."""
    import shutil

    from click.testing import CliRunner

    from sysrev.cli.main import cli

    root = tmp_path / "normand"
    example = Path(__file__).resolve().parents[2] / "examples" / "normand1999"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns("results"))
    with lock_held_by_another_process(root):
        monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "1.5")
        result = CliRunner().invoke(cli, ["release", "v1", "--project", str(root)])
        assert result.exit_code == 2 and "held the project lock" in result.output, result.output
        assert not (root / "releases").exists() and not (root / "analysis" / "results").exists()
    assert CliRunner().invoke(cli, ["release", "v1", "--project", str(root)]).exit_code == 0
    assert (root / "releases" / "v1" / "release.json").is_file()


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
