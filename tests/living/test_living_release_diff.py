"""`sysrev release` and `sysrev diff` on an analysis-only project (the bundled Normand 1999 example), errors,
and `--tag`."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sysrev.cli.main import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "normand1999"


@pytest.fixture
def example(tmp_path):
    root = tmp_path / "normand"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("results"))
    return root


def _edit_extraction(root):
    """Drop Uppsala and change Edinburgh's experimental-arm SD from 47 to 40 (both arms' pooled SD moves)."""
    path = root / "analysis" / "extraction" / "length_of_stay.csv"
    lines = [line for line in path.read_text().splitlines(keepends=True) if not line.startswith("Uppsala")]
    path.write_text("".join(line.replace("Edinburgh,los,,discharge,SU,155,55,47",
                                         "Edinburgh,los,,discharge,SU,155,55,40")
                            for line in lines))


def test_release_then_diff_names_removed_and_changed_studies(example):
    runner = CliRunner()
    first = runner.invoke(cli, ["release", "v1", "--note", "as published", "--project", str(example)])
    assert first.exit_code == 0, first.output
    release = json.loads((example / "releases" / "v1" / "release.json").read_text())
    assert release["note"] == "as published" and release["previous"] is None and release["searches"] == []
    assert release["prisma"] is None and "no search runs in searches/runs" in release["prisma_not_drawn_because"]
    # Normand 1999 Table VIII: 9 trials, 1158 patients in all (155 + 156 + … as transcribed in metadat).
    assert release["analyses"]["los_dl"]["k"] == 9 and release["analyses"]["los_dl"]["participants"] == 1158
    assert sorted(p.name for p in (example / "releases" / "v1" / "analyses").iterdir()) == [
        "los_dl.json", "los_dl.svg", "los_fixed.json", "los_fixed.svg", "los_reml.json", "los_reml.svg"]

    _edit_extraction(example)
    out = runner.invoke(cli, ["diff", "--json", "--project", str(example)])
    assert out.exit_code == 0, out.output
    diff = json.loads(out.output)
    dl = next(a for a in diff["analyses"] if a["name"] == "los_dl")
    assert dl["studies_removed"] == ["Uppsala"] and dl["studies_added"] == []
    assert [c["study"] for c in dl["studies_changed"]] == ["Edinburgh"]
    # Uppsala's arms held 1158 − 1046 = 112 patients.
    assert (dl["old"]["k"], dl["new"]["k"], dl["new"]["participants"]) == (9, 8, 1046)

    again = runner.invoke(cli, ["release", "v1", "--project", str(example)])
    assert again.exit_code == 2 and "is never overwritten" in again.output
    bad = runner.invoke(cli, ["release", "../v3", "--project", str(example)])
    assert bad.exit_code == 2 and "use letters, digits" in bad.output
    unknown = runner.invoke(cli, ["diff", "v9", "--project", str(example)])
    assert unknown.exit_code == 2 and "no release 'v9'" in unknown.output and "(releases: v1)" in unknown.output
    assert not [p for p in (example / "releases").iterdir() if p.name.startswith(".")]


def test_diff_without_a_release_is_an_error(example):
    result = CliRunner().invoke(cli, ["diff", "--project", str(example)])
    assert result.exit_code == 2 and "no release to compare with" in result.output


def test_release_tag_commits_the_release_folder_and_tags_it(example):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=example, check=True)
    subprocess.run([*git, "add", "-A"], cwd=example, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=example, check=True)
    env_free = CliRunner(env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                              "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
    result = env_free.invoke(cli, ["release", "2027-01", "--tag", "--note", "January", "--project", str(example)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"\nwrote {example / 'releases' / '2027-01'} and git tag 2027-01\n")
    shown = subprocess.run(["git", "show", "--stat", "--format=%s", "2027-01"], cwd=example, capture_output=True,
                           text=True, check=True).stdout
    assert "release 2027-01: January" in shown and "releases/2027-01/release.json" in shown
    assert "analysis/results" not in shown  # only the release folder is committed


def test_mid_of_a_ratio_is_the_point_and_its_inverse():
    """RR with mid = 0.8: the thresholds are 0.8 and 1/0.8 = 1.25 (as GRADE reads mid); a CI moving from
    [0.60, 0.75] to [0.70, 1.30] now includes both."""
    from sysrev.living.diff import Version, flags_for

    def results(low, high, estimate, p):
        return {"status": "computed", "analysis": {"measure": "RR", "outcome": "harm", "level": 95.0},
                "result": {"measure": "RR", "k": 3, "estimate": estimate, "ci_low": low, "ci_high": high, "p": p,
                           "I2": 0.0, "tau2": 0.0, "level": 95.0, "studies": []}}

    old, new = Version("v1", {}, {}, [], {"harm": 0.8}), Version("v2", {}, {}, [], {"harm": 0.8})
    flags = flags_for("harm", results(0.60, 0.75, 0.67, 0.001), results(0.70, 1.30, 0.95, 0.7), old, new)
    mid = [f["text"] for f in flags if f["kind"] == "mid"]
    assert mid == ["The 95% CI now includes the minimal important difference (0.80 and 1.25; mid = 0.8 either "
                   "side of no effect): it was [0.60, 0.75] and is now [0.70, 1.30]."]
    assert [f["kind"] for f in flags] == ["significance", "mid"]


def test_source_date_epoch_dates_a_release_reproducibly(example, monkeypatch):
    # 0 seconds = 1970-01-01T00:00:00Z; 86,400 s = one day later; negative values reach before 1970
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    out = CliRunner().invoke(cli, ["release", "v1", "--project", str(example)])
    assert out.exit_code == 0, out.output
    assert json.loads((example / "releases" / "v1" / "release.json").read_text())["created"] == "1970-01-02T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "-86400")
    assert CliRunner().invoke(cli, ["release", "v0", "--project", str(example)]).exit_code == 0
    assert json.loads((example / "releases" / "v0" / "release.json").read_text())["created"] == "1969-12-31T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    bad = CliRunner().invoke(cli, ["release", "v2", "--project", str(example)])
    assert bad.exit_code == 2 and "SOURCE_DATE_EPOCH must be a whole number" in bad.output
    assert not (example / "releases" / "v2").exists()


def _pooled(measure, estimate, low, high, p, **analysis):
    return {"status": "computed", "analysis": {"measure": measure, "outcome": "pain", "level": 95.0, **analysis},
            "result": {"measure": measure, "k": 4, "estimate": estimate, "ci_low": low, "ci_high": high, "p": p,
                       "I2": 0.0, "tau2": 0.0, "level": 95.0, "studies": []}}


@pytest.mark.parametrize("analysis, before, after", [
    ({"group1": "ultrasound", "group2": "fluoroscopy"}, "ultrasound", "fluoroscopy"),
    ({"group1": "ultrasound", "group2": "fluoroscopy", "direction": "higher is better"}, "fluoroscopy",
     "ultrasound"),
    ({}, "group 1", "group 2"),
])
def test_a_pooled_effect_that_crosses_no_effect_is_flagged_with_the_arm_it_favours(analysis, before, after):
    """A living update that turns the pooled effect to the other side of no effect says so, naming the arm
    each side favours (lower values favour group 1 when lower is better)."""
    from sysrev.living.diff import Version, flags_for

    old, new = Version("v1", {}, {}, []), Version("v2", {}, {}, [])
    flags = flags_for("pain", _pooled("MD", -0.8, -1.9, 0.3, 0.15, **analysis),
                      _pooled("MD", 0.4, -0.6, 1.4, 0.43, **analysis), old, new)
    assert flags == [{"kind": "direction", "text": (
        f"Direction changed: the pooled MD was -0.80, favouring {before}; it is now 0.40, favouring {after}.")}]


def test_an_effect_moving_onto_no_effect_favours_neither_arm():
    from sysrev.living.diff import Version, flags_for

    old, new = Version("v1", {}, {}, []), Version("v2", {}, {}, [])
    flags = flags_for("harm", _pooled("RR", 0.8, 0.6, 1.1, 0.2), _pooled("RR", 1.0, 0.8, 1.25, 0.99), old, new)
    assert [f["text"] for f in flags] == [
        "Direction changed: the pooled RR was 0.80, favouring group 1; it is now 1.00, favouring neither arm."]


def test_changed_study_cells_are_listed_old_to_new():
    from sysrev.living.diff import study_lines

    change = {"studies_added": ["New 2026"], "studies_removed": [], "studies_changed": [
        {"study": "Lee 2021", "cells": {"mean1": [3.25, 3.0], "n1": [40, 42], "sd1": [None, 1.123456789]}}]}
    assert study_lines(change, "  ") == [
        "  studies added: New 2026",
        "  study changed: Lee 2021 (mean1 3.25 → 3, n1 40 → 42, sd1 – → 1.12346)"]
