"""A release killed mid-write leaves its hidden ``releases/.tmp-VERSION-XXXXXXXX`` folder; the next release
(under the project lock, so no release is writing then) removes it — and nothing else in ``releases/``."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from sysrev.cli.main import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "normand1999"


def test_next_release_removes_the_folder_of_a_killed_release(tmp_path):
    root = tmp_path / "normand"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("results"))
    releases = root / "releases"
    killed = releases / ".tmp-v1-0a1b2c3d"  # as make_release names it: version, 8 hex digits
    (killed / "analyses").mkdir(parents=True)
    (killed / "release.json").write_text('{"version": "v1", "cr', encoding="utf-8")  # cut off mid-write
    own = releases / ".tmp-notes"  # a reviewer's own hidden folder: not named as a release writes it
    own.mkdir()
    (own / "keep.txt").write_text("mine\n", encoding="utf-8")

    done = CliRunner().invoke(cli, ["release", "v1", "--project", str(root)])

    assert done.exit_code == 0, done.output
    assert not killed.exists()
    assert (own / "keep.txt").read_text(encoding="utf-8") == "mine\n"
    assert (releases / "v1" / "release.json").is_file()
    assert sorted(p.name for p in releases.iterdir()) == [".tmp-notes", "v1"]
