"""`sysrev check --remove-leftovers` also deletes the hidden folders of search-run snapshots and releases
killed mid-write (``searches/runs/.tmp-<12 hex>``, ``releases/.tmp-VERSION-<8 hex>``) — under the project
lock, which every writer of such a folder holds while it exists — and nothing else."""

import shutil
import subprocess
import threading

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli
from sysrev.locking import project_lock


def _leave(folder, name, text):
    folder.mkdir(parents=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_remove_leftovers_deletes_killed_snapshot_and_release_folders_only(project):
    snapshot = _leave(project / "searches" / "runs" / ".tmp-0a1b2c3d4e5f", "records.jsonl", '{"title": "cut')
    release = _leave(project / "releases" / ".tmp-v2-deadbeef", "release.json", '{"version": "v2", "cr')
    partial = _leave(project / "searches" / "runs" / ".partial-pubmed", "state.json", '{"done": []}\n')
    own = _leave(project / "releases" / ".tmp-notes", "keep.txt", "a reviewer's own folder\n")
    elsewhere = _leave(project / "analysis" / ".tmp-0a1b2c3d4e5f", "keep.txt", "not a snapshot folder\n")
    (project / "releases" / ".tmp-v3-0000abcd").symlink_to(own)  # a link so named is never followed or removed

    result = CliRunner().invoke(cli, ["check", "--remove-leftovers", "--project", str(project)])

    assert result.exit_code == 0, result.output
    removed = sorted(line for line in result.output.splitlines() if line.startswith("removed"))
    assert removed == [
        f"removed {release}/ (temporary folder of an interrupted search-run snapshot or release)",
        f"removed {snapshot}/ (temporary folder of an interrupted search-run snapshot or release)",
    ]
    assert not snapshot.exists() and not release.exists()
    assert (partial / "state.json").is_file()  # a search's resume state is no leftover
    assert (own / "keep.txt").is_file() and (elsewhere / "keep.txt").is_file()
    assert (project / "releases" / ".tmp-v3-0000abcd").is_symlink()
    again = CliRunner().invoke(cli, ["check", "--remove-leftovers", "--project", str(project)])
    assert "no temporary files of interrupted writes to remove" in again.output


def test_a_folder_is_kept_while_another_command_holds_the_lock(project, monkeypatch):
    """A release or snapshot writing its folder holds the project lock: the removal waits for it (here: gives
    up after SYSREV_LOCK_TIMEOUT) rather than deleting a folder that may be in use."""
    in_progress = _leave(project / "releases" / ".tmp-v1-0123abcd", "release.json", "{}\n")
    monkeypatch.setenv("SYSREV_LOCK_TIMEOUT", "0.2")
    holding, done = threading.Event(), threading.Event()

    def writer():
        with project_lock(project):
            holding.set()
            done.wait(30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(30)
        result = CliRunner().invoke(cli, ["check", "--remove-leftovers", "--project", str(project)])
    finally:
        done.set()
        thread.join()
    assert result.exit_code == 2 and "held the project lock" in result.output
    assert (in_progress / "release.json").is_file()


@pytest.mark.skipif(shutil.which("git") is None, reason="the git program is not present on this machine")
def test_the_project_gitignore_keeps_killed_folders_out_of_git(project):
    subprocess.run(["git", "init", "-q", str(project)], check=True)

    def ignored(path):
        return subprocess.run(["git", "-C", str(project), "check-ignore", "-q", path]).returncode == 0

    assert ignored("searches/runs/.tmp-0a1b2c3d4e5f/records.jsonl")
    assert ignored("releases/.tmp-v2-deadbeef/release.json")
    assert not ignored("releases/.tmp-notes/keep.txt")  # not named as a release writes its folder
    assert not ignored("releases/v2/release.json")
