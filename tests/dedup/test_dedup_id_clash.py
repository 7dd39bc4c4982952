"""Two copies of a project that each ran dedup on new search runs, then merged: both gave the next free IDs to
their own new records, and keeping both sides of git's conflict puts two records under each such ID. Every
reader of records.jsonl refuses it, naming the IDs, the records and the way out, and `sysrev dedup` no longer
gives one of them a new ID silently, which turned the other copy's decisions into decisions on another record
(docs/dedup.md "Two copies of a project")."""

import json
import shutil
from pathlib import Path

import pytest
from project_snapshots import snapshot

from sysrev.dedup import load_records
from sysrev.dedup.project_run import run_project
from sysrev.errors import InputError
from sysrev.project import Project, load_project
from sysrev.screening.state import load_screening


def _trial(n: int, **fields) -> dict:
    return dict(title=f"Ultrasound-guided facet injection for chronic low back pain, trial number {n}",
                authors=[f"Author{n}, A."], year=2015 + n % 8, journal="Spine", volume=str(n), pages=f"{n}0-{n}9",
                doi=f"10.1000/clash.{n}", source_id=str(1000 + n), **fields)


def _merged_copies(project, tmp_path, new_a: list, new_b: list) -> tuple:
    """Copy A adds runs of ``new_a``, copy B (a copy of the project taken before) runs of ``new_b``; each runs
    dedup; the merge keeps every run and both copies' records.jsonl lines. Returns the merged file's text and
    the two runs' folder names."""
    snapshot(project, "base", "pubmed", [_trial(n) for n in (1, 2, 3)])
    run_project(project, progress=False)
    other = Project(root=shutil.copytree(project.root, tmp_path / "copy-b"))
    run_a = snapshot(project, "handsearch", "file/handsearch", [_trial(n) for n in new_a], hours=1)
    run_b = snapshot(other, "handsearch", "file/handsearch", [_trial(n) for n in new_b], hours=2)
    run_project(project, progress=False)
    run_project(other, progress=False)
    shutil.copytree(run_b, project.runs_dir / run_b.name)
    ours = (project.records_dir / "records.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    theirs = (other.records_dir / "records.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    merged = "".join(ours + [line for line in theirs if line not in ours])  # "keep both sides"
    (project.records_dir / "records.jsonl").write_text(merged, encoding="utf-8")
    return merged, run_a.name, run_b.name


def test_an_id_given_to_a_record_in_each_copy_is_refused_naming_both_records_and_their_runs(project, tmp_path):
    merged, run_a, run_b = _merged_copies(project, tmp_path, [101], [201])
    with pytest.raises(InputError) as error:
        run_project(project, progress=False)
    path = project.records_dir / "records.jsonl"
    assert str(error.value) == (
        f"{path}, line 5: 1 record ID is given to two records: R000004 (lines 4, 5: "
        f"'Ultrasound-guided facet injection for chronic low …' from {run_a} / "
        f"'Ultrasound-guided facet injection for chronic low …' from {run_b}). Two copies of the project (two "
        "machines or branches) each gave the ID to a new record of their own and the files were merged, so a "
        "decision naming it may mean either. Keep one copy's lines for these IDs and delete the other's, run "
        "`sysrev dedup`, which gives the other copy's records new IDs, and change those IDs in the decisions "
        "made in the other copy (run import and dedup in one copy only, and pull before screening)")
    assert path.read_text(encoding="utf-8") == merged  # nothing renumbered


def test_every_clashing_id_is_named_and_more_than_five_are_counted(project, tmp_path):
    _merged_copies(project, tmp_path, list(range(101, 108)), list(range(201, 208)))
    with pytest.raises(InputError) as error:
        load_records(project)
    message = str(error.value)
    assert "7 record IDs are given to two records: R000004 (lines 4, 11: " in message
    assert [rid in message for rid in ("R000008", "R000009")] == [True, False]
    assert "; … (7 IDs in all). Two copies of the project" in message


def test_the_screening_stage_refuses_the_clash_too(project, tmp_path):
    _merged_copies(project, tmp_path, [101], [201])
    (project.root / "review.toml").write_text(
        '[review]\ntitle = "t"\nquestion = "q"\n[screening]\nreviewers = ["ann", "bob"]\n'
        'exclusion_reasons = ["wrong design"]\nhighlight_terms = []\n', encoding="utf-8")
    with pytest.raises(InputError, match="1 record ID is given to two records: R000004"):
        load_screening(load_project(project.root))


def test_keeping_one_copys_lines_gives_the_other_copys_records_new_ids(project, tmp_path):
    """The way out the error gives: keep copy A's line for R000004, run dedup; copy B's record gets R000005."""
    _merged_copies(project, tmp_path, [101], [201])
    path = project.records_dir / "records.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:4]), encoding="utf-8")
    run_project(project, progress=False)
    titles = {r["record_id"]: r["title"] for r in load_records(project)}
    assert titles["R000004"].endswith("trial number 101")
    assert titles["R000005"].endswith("trial number 201")


def test_one_record_written_twice_is_named_as_such(project):
    snapshot(project, "base", "pubmed", [_trial(n) for n in (1, 2)])
    run_project(project, progress=False)
    path = project.records_dir / "records.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + lines[:1]), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_records(project)
    assert str(error.value) == f"{path}, line 3: record R000001 is written twice (lines 1 and 3): delete one of them"


def _written(project, *lines) -> Path:
    path = project.records_dir / "records.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _record(rid, title=None, *runs):
    return {"record_id": rid, **({"title": title} if title is not None else {}),
            "sources": [{"run": run, "source": "pubmed", "source_id": f"{rid}-{run}"} for run in runs]}


def test_each_record_is_shown_by_its_title_cut_at_50_characters_and_its_runs(project):
    exactly_50 = "A" * 50
    path = _written(project, _record("R7", exactly_50), _record("R6", "Short title", "run-b", "run-a"),
                    _record("R7", exactly_50 + "B", "run-c"), _record("R6"))
    with pytest.raises(InputError) as error:
        load_records(project)
    assert str(error.value).startswith(
        f"{path}, line 3: 2 record IDs are given to two records: R7 (lines 1, 3: '{exactly_50}' / "
        f"'{exactly_50}…' from run-c); R6 (lines 2, 4: 'Short title' from run-a, run-b / 'no title'). Two copies")


def test_an_id_on_three_lines_is_listed_with_each(project):
    _written(project, _record("R1", "One"), _record("R1", "Two"), _record("R1", "Three"))
    with pytest.raises(InputError, match=r"R1 \(lines 1, 2, 3: 'One' / 'Two' / 'Three'\)\. Two copies"):
        load_records(project)


@pytest.mark.parametrize("clashes, counted", [(5, ""), (6, "; … (6 IDs in all)")])
def test_five_clashing_ids_are_all_listed_and_a_sixth_is_counted(project, clashes, counted):
    ids = [f"R{n}" for n in range(1, clashes + 1)]
    _written(project, *[_record(rid, "First") for rid in ids], *[_record(rid, "Second") for rid in ids])
    with pytest.raises(InputError) as error:
        load_records(project)
    listed = "; ".join(f"R{n} (lines {n}, {n + clashes}: 'First' / 'Second')" for n in range(1, 6))
    assert f"given to two records: {listed}{counted}. Two copies" in str(error.value)
