"""Two `sysrev refresh` runs at once (a cron job and a reviewer, say) import an inbox export only once."""

import threading

from living_project import CENTRAL_RIS, make_project

import sysrev.search.imports as imports
from sysrev.living.refresh import refresh
from sysrev.project import load_project
from sysrev.search.snapshot import list_snapshots


def test_a_second_refresh_started_during_an_inbox_import_does_not_import_the_file_again(tmp_path, monkeypatch):
    root = make_project(tmp_path / "review")
    (root / "searches" / "central.toml").write_text('database = "file"\nsource = "CENTRAL"\n', encoding="utf-8")
    (root / "searches" / "pubmed.toml").unlink()  # no search to run: only the inbox matters here
    inbox = root / "searches" / "inbox" / "central"
    inbox.mkdir(parents=True)
    (inbox / "central.ris").write_text(CENTRAL_RIS.format(pmid=1), encoding="utf-8")

    # The first refresh pauses while it reads the export; the second starts in that pause.
    reading, go_on = threading.Event(), threading.Event()
    prepare = imports.prepare_import

    def slow_prepare(*args, **kwargs):
        reading.set()
        assert go_on.wait(30), "the test did not release the first refresh"
        return prepare(*args, **kwargs)

    monkeypatch.setattr(imports, "prepare_import", slow_prepare)
    outcomes, errors = [], []

    def run():
        try:
            outcomes.append(refresh(load_project(root)))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    first = threading.Thread(target=run)
    first.start()
    assert reading.wait(30)
    second = threading.Thread(target=run)
    second.start()
    second.join(1.0)  # long enough for an unguarded second refresh to reach the inbox too
    go_on.set()
    first.join(60)
    second.join(60)
    assert not errors, errors

    actions = sorted(entry["action"] for outcome in outcomes for entry in outcome.imports)
    assert actions == ["imported"]  # one refresh imported it; the other found the inbox empty
    project = load_project(root)
    assert len(list_snapshots(project.runs_dir, "central")) == 1
    assert (inbox / "imported" / "central.ris").is_file() and not (inbox / "central.ris").exists()
