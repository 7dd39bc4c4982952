"""What `sysrev dedup` tells the user and reads in a project: an error that says what to do when there is
nothing to deduplicate, a manifest that names no database, the progress bar on request, and records read back
as UTF-8 whatever the machine's locale (docs/dedup.md "Commands", "Bad input"; HELPERS "clear errors")."""

import json

import pytest
from project_snapshots import snapshot

from sysrev.dedup import load_records
from sysrev.dedup.project_run import run_project
from sysrev.errors import InputError, SysrevError

TRIAL = dict(title="Ménière's disease: intratympanic gentamicin versus placebo, a randomised trial",
             authors=["Åberg, Søren", "Núñez, José"], year=2015, journal="Otol Neurotol", volume="36",
             issue="3", pages="575-86")


def test_no_snapshots_is_an_error_saying_how_to_get_some(project):
    with pytest.raises(SysrevError) as error:
        run_project(project, progress=False)
    assert str(project.runs_dir) in str(error.value)
    assert "run a search or import an export first" in str(error.value)


def test_a_manifest_without_a_database_key_is_an_error_naming_it(project):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    (manifest_path,) = project.runs_dir.glob("*/manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["database"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError) as error:
        run_project(project, progress=False)
    assert str(error.value) == f"{manifest_path}: manifest has no 'database'"
    assert not (project.records_dir / "records.jsonl").exists()


def test_the_progress_bar_is_shown_on_stderr_when_asked_and_not_otherwise(project, capsys):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    run_project(project, progress=False)
    assert capsys.readouterr().err == ""
    run_project(project, progress=True)  # stderr is captured here, not a terminal: asked for explicitly
    assert "dedup: keys" in capsys.readouterr().err


def test_records_are_read_back_as_utf8_under_an_ascii_locale(project, ascii_locale):
    snapshot(project, "pubmed-main", "pubmed", [dict(TRIAL, source_id="111")])
    run_project(project, progress=False)
    (record,) = load_records(project)
    assert record["title"] == TRIAL["title"]
    assert record["authors"] == ["Åberg, Søren", "Núñez, José"]
